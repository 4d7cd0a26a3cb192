// The authorization-explanation channel (x-gee-explain / x-gee-authorization).
#include "auth/explain.h"

#include <gtest/gtest.h>

namespace gee::auth {
namespace {

constexpr char kSignature[] = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

TEST(ExplainTest, TokenIsValidOnlyForItsSignatureAndSecret) {
  std::string token = ExplainToken("root-secret", kSignature);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(ExplainTokenValid("root-secret", kSignature, token));
  EXPECT_FALSE(ExplainTokenValid("other-secret", kSignature, token));
  EXPECT_FALSE(ExplainTokenValid("root-secret", "0000", token));
  EXPECT_FALSE(ExplainTokenValid("root-secret", kSignature, token.substr(1)));
  EXPECT_FALSE(ExplainTokenValid("root-secret", kSignature, ""));
  EXPECT_FALSE(ExplainTokenValid("root-secret", "", ExplainToken("root-secret", "")));
}

TEST(ExplainTest, RequestSignatureComesFromTheHeaderOrThePresignedQuery) {
  std::string header =
      "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, "
      "Signature=" + std::string(kSignature);
  EXPECT_EQ(RequestSignature(header, ""), kSignature);
  EXPECT_EQ(RequestSignature("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc&x=1"), "abc");
  EXPECT_EQ(RequestSignature("", "a=b"), "");
}

TEST(ExplainTest, DecisionsRoundTripAsAsciiJson) {
  std::vector<std::string> decisions = {"allow kms:Encrypt on arn:k by key policy Sid \"Caf\xc3\xa9\"",
                                        "implicit-deny s3:GetObject on \"arn:aws:s3:::b/k\""};
  std::string header = EncodeDecisions(decisions);
  for (char c : header) {
    EXPECT_GE(static_cast<unsigned char>(c), 0x20);
    EXPECT_LT(static_cast<unsigned char>(c), 0x7f);
  }
  EXPECT_EQ(DecodeDecisions(header), decisions);
  EXPECT_TRUE(DecodeDecisions("not json").empty());
  EXPECT_TRUE(DecodeDecisions("[1, 2]").empty());
}

}  // namespace
}  // namespace gee::auth

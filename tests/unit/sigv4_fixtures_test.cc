// The project's own SigV4 fixtures (fixtures/sigv4/*.json), requests typical
// of gee signed by an independent implementation (botocore, see
// tools/make_sigv4_fixtures.py). Our signer must reproduce botocore's
// canonical request, string to sign and signature, and our verifier must
// accept botocore's signed request and reject it with the signature altered.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"

namespace gee::sigv4 {
namespace {

namespace fs = std::filesystem;

fs::path FixtureDir() { return fs::path(GEE_SOURCE_DIR) / "fixtures" / "sigv4"; }

std::vector<std::string> ListFixtures() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(FixtureDir(), ec)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".json" && p.stem() != "aws_chunked_trailers") {
      names.push_back(p.stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json Load(const std::string& name) {
  std::ifstream in(FixtureDir() / (name + ".json"));
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

SignableRequest ToRequest(const nlohmann::json& j) {
  SignableRequest r;
  r.method = j["method"].get<std::string>();
  r.target = j["target"].get<std::string>();
  for (const auto& h : j["headers"]) r.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  return r;
}

class Sigv4FixtureTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f_ = Load(GetParam());
    region_ = f_["region"].get<std::string>();
    service_ = f_["service"].get<std::string>();
    access_key_ = f_["credentials"]["access_key_id"].get<std::string>();
    secret_ = f_["credentials"]["secret_access_key"].get<std::string>();
    token_ = f_["credentials"].value("session_token", "");
    payload_hash_ = f_["signer_payload_hash"].get<std::string>();
    time_ = f_["epoch"].get<int64_t>();
    body_ = f_["request"]["body"].get<std::string>();
    signed_body_ = f_["signed_request"]["body"].get<std::string>();
  }

  bool Query() const { return f_["mode"] == "query"; }
  Dialect TheDialect() const { return DialectForService(service_); }

  SigningParams Params() const {
    SigningParams p;
    p.region = region_;
    p.service = service_;
    p.time = time_;
    p.payload_hash = payload_hash_;
    return p;
  }

  nlohmann::json f_;
  std::string region_, service_, access_key_, secret_, token_, payload_hash_, body_, signed_body_;
  int64_t time_ = 0;
};

TEST_P(Sigv4FixtureTest, SignerReproducesBotocore) {
  SignableRequest request = ToRequest(f_["request"]);
  CredentialsView creds{access_key_, secret_, token_};
  Result<SigningResult> result =
      Query() ? PresignRequest(request, creds, Params(), f_["expires"].get<int64_t>(), body_)
              : SignRequest(request, creds, Params(), body_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->canonical_request, f_["canonical_request"].get<std::string>());
  EXPECT_EQ(result->string_to_sign, f_["string_to_sign"].get<std::string>());
  EXPECT_EQ(result->signature, f_["signature"].get<std::string>());
  if (!Query()) {
    SignableRequest expected = ToRequest(f_["signed_request"]);
    EXPECT_EQ(FindHeader(request.headers, "authorization"),
              FindHeader(expected.headers, "authorization"));
  }
}

TEST_P(Sigv4FixtureTest, VerifierAcceptsBotocoreSignedRequest) {
  SignableRequest signed_request = ToRequest(f_["signed_request"]);
  auto parsed = ParseAuthentication(signed_request.View(), TheDialect());
  ASSERT_TRUE(parsed.ok()) << static_cast<int>(parsed.failure().kind) << " " << parsed.failure().detail;
  EXPECT_EQ(parsed->presigned(), Query());
  EXPECT_EQ(parsed->access_key_id, access_key_);
  EXPECT_EQ(parsed->security_token.value_or(""), token_);
  int64_t skew = TheDialect() == Dialect::kS3 ? kS3MaxSkewSeconds : kDefaultMaxSkewSeconds;
  EXPECT_TRUE(CheckRequestTime(*parsed, time_ + 30, skew).ok());
  EXPECT_TRUE(CheckRegion(*parsed, region_).ok());
  EXPECT_TRUE(CheckService(*parsed, service_).ok());

  VerifyOptions options;
  options.dialect = TheDialect();
  options.body = signed_body_;
  auto verified = VerifySignature(signed_request.View(), *parsed, secret_, options);
  ASSERT_TRUE(verified.ok()) << verified.failure().canonical_request;
  const std::string canonical = f_["canonical_request"].get<std::string>();
  EXPECT_EQ(verified->payload_hash, canonical.substr(canonical.rfind('\n') + 1));
  EXPECT_EQ(verified->signature, f_["signature"].get<std::string>());
}

TEST_P(Sigv4FixtureTest, VerifierRejectsBotocoreRequestWithAlteredSignature) {
  SignableRequest signed_request = ToRequest(f_["signed_request"]);
  const std::string signature = f_["signature"].get<std::string>();
  const std::string altered = signature.substr(0, 63) + (signature[63] == 'a' ? "b" : "a");
  if (Query()) {
    size_t pos = signed_request.target.find(signature);
    ASSERT_NE(pos, std::string::npos);
    signed_request.target.replace(pos, 64, altered);
  } else {
    for (HeaderField& h : signed_request.headers) {
      if (h.first == "Authorization") h.second.replace(h.second.size() - 64, 64, altered);
    }
  }
  auto parsed = ParseAuthentication(signed_request.View(), TheDialect());
  ASSERT_TRUE(parsed.ok());
  VerifyOptions options;
  options.dialect = TheDialect();
  options.body = signed_body_;
  auto verified = VerifySignature(signed_request.View(), *parsed, secret_, options);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.failure().kind, FailureKind::kSignatureMismatch);
  // The failure reports what we expected: botocore's canonical request.
  EXPECT_EQ(verified.failure().canonical_request, f_["canonical_request"].get<std::string>());
  EXPECT_EQ(verified.failure().signature_provided, altered);
}

TEST_P(Sigv4FixtureTest, VerifierRejectsBotocoreRequestWithWrongSecret) {
  SignableRequest signed_request = ToRequest(f_["signed_request"]);
  auto parsed = ParseAuthentication(signed_request.View(), TheDialect());
  ASSERT_TRUE(parsed.ok());
  VerifyOptions options;
  options.dialect = TheDialect();
  options.body = signed_body_;
  auto verified = VerifySignature(signed_request.View(), *parsed, secret_ + "x", options);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.failure().kind, FailureKind::kSignatureMismatch);
}

TEST(Sigv4FixtureSetTest, FixturesArePresent) {
  // Guards against the parameterised tests silently running zero cases.
  EXPECT_GE(ListFixtures().size(), 10u) << "fixtures missing from " << FixtureDir();
}

std::string Name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Botocore, Sigv4FixtureTest, ::testing::ValuesIn(ListFixtures()), Name);

}  // namespace
}  // namespace gee::sigv4

// Failure kinds of SigV4 verification: each check fails on its own condition
// with the data its AWS message needs, and passes at its boundary.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"
#include "crypto/hash.h"

namespace gee::sigv4 {
namespace {

constexpr int64_t kNow = 1715678800;  // 2024-05-14T09:26:40Z
constexpr char kAccessKey[] = "AKIAGEEVERIFY0000001";
constexpr char kSecret[] = "verify/secret+key/0000000000000000000000";
constexpr char kToken[] = "session+token/value==";
constexpr char kKmsBody[] = R"({"KeyId":"alias/gee"})";

class Sigv4VerifyTest : public ::testing::Test {
 protected:
  static SignableRequest KmsRequest() {
    SignableRequest r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"Host", "127.0.0.1:4566"},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "TrentService.DescribeKey"}};
    return r;
  }

  static SignableRequest S3Request() {
    SignableRequest r;
    r.method = "PUT";
    r.target = "/bucket/key.txt";
    r.headers = {{"Host", "127.0.0.1:4566"}, {"Content-Type", "text/plain"}};
    return r;
  }

  static SigningParams Params(std::string_view service, int64_t time = kNow) {
    SigningParams p;
    p.region = "us-east-1";
    p.service = service;
    p.time = time;
    return p;
  }

  static CredentialsView Creds(std::string_view token = {}) {
    return CredentialsView{kAccessKey, kSecret, token};
  }

  static SignableRequest SignedKms(int64_t time = kNow) {
    SignableRequest r = KmsRequest();
    EXPECT_TRUE(SignRequest(r, Creds(), Params("kms", time), kKmsBody).ok());
    return r;
  }

  static SignableRequest SignedS3(std::string_view body) {
    SignableRequest r = S3Request();
    EXPECT_TRUE(SignRequest(r, Creds(), Params("s3"), body).ok());
    return r;
  }

  static SignableRequest Presigned(std::string_view service, int64_t expires,
                                   std::string_view token = {}, bool sign_token = true) {
    SignableRequest r;
    r.method = "GET";
    r.target = "/bucket/report.json";
    r.headers = {{"Host", "127.0.0.1:4566"}};
    SigningParams p = Params(service);
    p.sign_session_token = sign_token;
    EXPECT_TRUE(PresignRequest(r, Creds(token), p, expires).ok());
    return r;
  }

  static SignableRequest WithAuthorization(std::string value, bool with_date = true) {
    SignableRequest r = KmsRequest();
    if (with_date) r.headers.emplace_back("X-Amz-Date", "20240514T092640Z");
    r.headers.emplace_back("Authorization", std::move(value));
    return r;
  }

  static void SetHeader(SignableRequest* r, std::string_view name, std::string value) {
    for (HeaderField& h : r->headers) {
      std::string lower = h.first;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == name) {
        h.second = std::move(value);
        return;
      }
    }
    r->headers.emplace_back(std::string(name), std::move(value));
  }

  static Failure ParseFailure(const SignableRequest& r, Dialect dialect = Dialect::kStandard) {
    auto parsed = ParseAuthentication(r.View(), dialect);
    EXPECT_FALSE(parsed.ok());
    return parsed.ok() ? Failure{} : parsed.failure();
  }

  static ParsedAuth MustParse(const SignableRequest& r, Dialect dialect = Dialect::kStandard) {
    auto parsed = ParseAuthentication(r.View(), dialect);
    EXPECT_TRUE(parsed.ok()) << static_cast<int>(parsed.failure().kind);
    return parsed.ok() ? parsed.value() : ParsedAuth{};
  }

  static Outcome<VerifiedRequest> Verify(const SignableRequest& r, std::string_view body,
                                         Dialect dialect = Dialect::kStandard,
                                         std::string_view secret = kSecret) {
    ParsedAuth auth = MustParse(r, dialect);
    VerifyOptions options;
    options.dialect = dialect;
    options.body = body;
    return VerifySignature(r.View(), auth, secret, options);
  }
};

// ---- presence and structure ----

TEST_F(Sigv4VerifyTest, ParseReportsNoAuthenticationWhenRequestIsUnsigned) {
  auto parsed = ParseAuthentication(KmsRequest().View(), Dialect::kStandard);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->authenticated());
}

TEST_F(Sigv4VerifyTest, VerifyFailsWithMissingAuthenticationWhenRequestIsUnsigned) {
  SignableRequest r = KmsRequest();
  ParsedAuth none;
  auto result = VerifySignature(r.View(), none, kSecret, VerifyOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kMissingAuthentication);
}

TEST_F(Sigv4VerifyTest, ParseFailsWithIncompleteSignatureWhenSignatureIsMissing) {
  Failure f = ParseFailure(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240514/us-east-1/kms/aws4_request, "
      "SignedHeaders=host;x-amz-date"));
  EXPECT_EQ(f.kind, FailureKind::kIncompleteSignature);
  EXPECT_EQ(f.missing, std::vector<std::string>{"Signature"});
}

TEST_F(Sigv4VerifyTest, ParseListsEveryMissingPartInAwsOrderWhenHeaderIsBare) {
  Failure f = ParseFailure(WithAuthorization("AWS4-HMAC-SHA256 Credential=AKID", false));
  EXPECT_EQ(f.kind, FailureKind::kIncompleteSignature);
  EXPECT_EQ(f.missing, (std::vector<std::string>{"Signature", "SignedHeaders", "Date"}));
  EXPECT_EQ(f.authorization, "AWS4-HMAC-SHA256 Credential=AKID");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithIncompleteSignatureWhenPartHasNoEqualsSign) {
  // A stray space inside the Credential leaves a token without '='.
  Failure f = ParseFailure(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID /20240514/us-east-1/kms/aws4_request, "
      "SignedHeaders=host, Signature=00"));
  EXPECT_EQ(f.kind, FailureKind::kIncompleteSignature);
  EXPECT_TRUE(f.missing.empty());
  EXPECT_EQ(f.detail, "/20240514/us-east-1/kms/aws4_request");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithUnsupportedAlgorithm) {
  Failure f = ParseFailure(WithAuthorization("AWS AKIDEXAMPLE:c2lnbmF0dXJl"));
  EXPECT_EQ(f.kind, FailureKind::kUnsupportedAlgorithm);
  EXPECT_EQ(f.detail, "AWS");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithMalformedCredentialWhenScopeHasFourParts) {
  Failure f = ParseFailure(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240514/us-east-1/kms, SignedHeaders=host, Signature=00"));
  EXPECT_EQ(f.kind, FailureKind::kMalformedCredential);
  EXPECT_EQ(f.detail, "AKID/20240514/us-east-1/kms");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithInvalidDateWhenXAmzDateIsNotBasicFormat) {
  SignableRequest r = SignedKms();
  SetHeader(&r, "x-amz-date", "2024-05-14T09:26:40Z");
  Failure f = ParseFailure(r);
  EXPECT_EQ(f.kind, FailureKind::kInvalidDate);
  EXPECT_EQ(f.detail, "2024-05-14T09:26:40Z");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithScopeDateMismatchWhenXAmzDateIsAnotherDay) {
  SignableRequest r = SignedKms();
  SetHeader(&r, "x-amz-date", "20240515T092640Z");
  Failure f = ParseFailure(r);
  EXPECT_EQ(f.kind, FailureKind::kScopeDateMismatch);
  EXPECT_EQ(f.scope_date, "20240514");
  EXPECT_EQ(f.amz_date, "20240515T092640Z");
}

TEST_F(Sigv4VerifyTest, ParseFailsWithInvalidTerminator) {
  Failure f = ParseFailure(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240514/us-east-1/kms/aws5_request, "
      "SignedHeaders=host;x-amz-date, Signature=00"));
  EXPECT_EQ(f.kind, FailureKind::kInvalidTerminator);
  EXPECT_EQ(f.detail, "aws5_request");
}

TEST_F(Sigv4VerifyTest, ParseFailsWhenHostIsNotSigned) {
  Failure f = ParseFailure(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240514/us-east-1/kms/aws4_request, "
      "SignedHeaders=x-amz-date, Signature=00"));
  EXPECT_EQ(f.kind, FailureKind::kHostNotSigned);
}

TEST_F(Sigv4VerifyTest, ParseFailsWithConflictingAuthenticationWhenHeaderAndQueryBothPresent) {
  SignableRequest r = SignedKms();
  r.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256";
  EXPECT_EQ(ParseFailure(r).kind, FailureKind::kConflictingAuthentication);
}

TEST_F(Sigv4VerifyTest, VerifyAcceptsRequestDatedByDateHeader) {
  // Built by hand: the signer always writes X-Amz-Date.
  SignableRequest r = KmsRequest();
  r.headers.emplace_back("Date", "Tue, 14 May 2024 09:26:40 GMT");
  std::vector<std::string> names = {"content-type", "date", "host", "x-amz-target"};
  RequestView view = r.View();
  auto payload = crypto::Sha256Hex(kKmsBody);
  ASSERT_TRUE(payload.ok());
  CanonicalInput in;
  in.request = &view;
  in.signed_headers = names;
  in.signed_headers_line = "content-type;date;host;x-amz-target";
  in.options = CanonicalOptions::For(Dialect::kStandard);
  in.payload_hash = *payload;
  auto sts = BuildStringToSign("20240514T092640Z", "20240514/us-east-1/kms/aws4_request",
                               BuildCanonicalRequest(in));
  ASSERT_TRUE(sts.ok());
  auto key = SigningKey::Derive(kSecret, "20240514", "us-east-1", "kms");
  ASSERT_TRUE(key.ok());
  auto signature = key->Sign(*sts);
  ASSERT_TRUE(signature.ok());
  r.headers.emplace_back("Authorization",
                         std::string("AWS4-HMAC-SHA256 Credential=") + kAccessKey +
                             "/20240514/us-east-1/kms/aws4_request, "
                             "SignedHeaders=content-type;date;host;x-amz-target, Signature=" +
                             *signature);
  ParsedAuth auth = MustParse(r);
  EXPECT_EQ(auth.amz_date, "20240514T092640Z");
  EXPECT_EQ(auth.request_time, kNow);
  EXPECT_TRUE(Verify(r, kKmsBody).ok());
}

// ---- S3 header rules ----

TEST_F(Sigv4VerifyTest, ParseFailsWhenS3RequestHasNoContentSha256) {
  SignableRequest r = S3Request();
  SigningParams p = Params("s3");
  p.add_content_sha256_header = false;
  ASSERT_TRUE(SignRequest(r, Creds(), p, "data").ok());
  EXPECT_EQ(ParseFailure(r, Dialect::kS3).kind, FailureKind::kMissingContentSha256);
  // The same request is fine for a service that is not S3.
  EXPECT_TRUE(Verify(r, "data").ok());
}

TEST_F(Sigv4VerifyTest, ParseFailsWhenS3ContentSha256IsNeitherHashNorKeyword) {
  SignableRequest r = SignedS3("data");
  SetHeader(&r, "x-amz-content-sha256", "STREAMING-SOMETHING");
  Failure f = ParseFailure(r, Dialect::kS3);
  EXPECT_EQ(f.kind, FailureKind::kInvalidContentSha256);
  EXPECT_EQ(f.detail, "STREAMING-SOMETHING");
}

TEST_F(Sigv4VerifyTest, ParseFailsWhenS3RequestCarriesUnsignedAmzHeader) {
  SignableRequest r = SignedS3("data");
  r.headers.emplace_back("X-Amz-Meta-Owner", "mallory");
  Failure f = ParseFailure(r, Dialect::kS3);
  EXPECT_EQ(f.kind, FailureKind::kHeadersNotSigned);
  EXPECT_EQ(f.detail, "x-amz-meta-owner");
}

TEST_F(Sigv4VerifyTest, VerifyFailsWithContentSha256MismatchWhenS3BodyDiffers) {
  SignableRequest r = SignedS3("data");
  auto result = Verify(r, "dato", Dialect::kS3);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kContentSha256Mismatch);
  EXPECT_EQ(result.failure().computed, crypto::Sha256Hex("dato").value());
}

TEST_F(Sigv4VerifyTest, VerifyAcceptsS3UnsignedPayloadWithAnyBody) {
  SignableRequest r = S3Request();
  SigningParams p = Params("s3");
  p.payload_hash = kUnsignedPayload;
  ASSERT_TRUE(SignRequest(r, Creds(), p).ok());
  auto result = Verify(r, "anything", Dialect::kS3);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->payload_hash, kUnsignedPayload);
}

TEST_F(Sigv4VerifyTest, VerifyAcceptsStreamedS3BodyAndHandsOnKeyAndSeed) {
  SignableRequest r = S3Request();
  SigningParams p = Params("s3");
  p.payload_hash = kStreamingSignedPayload;
  ASSERT_TRUE(SignRequest(r, Creds(), p).ok());
  ParsedAuth auth = MustParse(r, Dialect::kS3);
  VerifyOptions options;
  options.dialect = Dialect::kS3;  // body not buffered
  auto result = VerifySignature(r.View(), auth, kSecret, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->payload_hash, kStreamingSignedPayload);
  EXPECT_EQ(result->signature, auth.signature);
  EXPECT_EQ(result->scope, "20240514/us-east-1/s3/aws4_request");
}

// ---- time ----

TEST_F(Sigv4VerifyTest, CheckRequestTimeAcceptsRequestAtEdgesOfWindow) {
  ParsedAuth auth = MustParse(SignedKms());
  EXPECT_TRUE(CheckRequestTime(auth, kNow + 300, 300).ok());
  EXPECT_TRUE(CheckRequestTime(auth, kNow - 300, 300).ok());
}

TEST_F(Sigv4VerifyTest, CheckRequestTimeFailsWhenRequestIsOlderThanWindow) {
  ParsedAuth auth = MustParse(SignedKms());
  auto result = CheckRequestTime(auth, kNow + 301, 300);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kRequestTooOld);
  EXPECT_EQ(result.failure().server_time, kNow + 301);
  EXPECT_EQ(result.failure().window_seconds, 300);
  EXPECT_EQ(result.failure().amz_date, "20240514T092640Z");
}

TEST_F(Sigv4VerifyTest, CheckRequestTimeFailsWhenRequestIsLaterThanWindow) {
  ParsedAuth auth = MustParse(SignedKms());
  auto result = CheckRequestTime(auth, kNow - 901, 900);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kRequestNotYetCurrent);
}

TEST_F(Sigv4VerifyTest, CheckRequestTimeFailsWhenPresignedUrlHasExpired) {
  ParsedAuth auth = MustParse(Presigned("s3", 60), Dialect::kS3);
  EXPECT_TRUE(CheckRequestTime(auth, kNow + 60, kS3MaxSkewSeconds).ok());
  auto result = CheckRequestTime(auth, kNow + 61, kS3MaxSkewSeconds);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kPresignExpired);
  EXPECT_EQ(result.failure().expires_seconds, 60);
}

TEST_F(Sigv4VerifyTest, CheckRequestTimeFailsWhenPresignedUrlIsNotYetValid) {
  ParsedAuth auth = MustParse(Presigned("s3", 3600), Dialect::kS3);
  auto result = CheckRequestTime(auth, kNow - 901, kS3MaxSkewSeconds);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kPresignNotYetValid);
}

TEST_F(Sigv4VerifyTest, ParseFailsWhenPresignedExpiryIsOutOfRange) {
  for (std::string bad : {"604801", "0", "-5", "ten", ""}) {
    SignableRequest r = Presigned("s3", 604800);
    size_t pos = r.target.find("X-Amz-Expires=604800");
    ASSERT_NE(pos, std::string::npos);
    r.target.replace(pos, 20, "X-Amz-Expires=" + bad);
    Failure f = ParseFailure(r, Dialect::kS3);
    EXPECT_EQ(f.kind, FailureKind::kInvalidExpires) << bad;
    EXPECT_EQ(f.detail, bad);
  }
}

TEST_F(Sigv4VerifyTest, ParseListsMissingPresignParameters) {
  SignableRequest r;
  r.method = "GET";
  r.target = "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240514T092640Z";
  r.headers = {{"Host", "h"}};
  Failure f = ParseFailure(r, Dialect::kS3);
  EXPECT_EQ(f.kind, FailureKind::kIncompleteSignature);
  EXPECT_TRUE(f.presigned);
  EXPECT_EQ(f.missing, (std::vector<std::string>{"X-Amz-Credential", "X-Amz-Signature",
                                                 "X-Amz-SignedHeaders", "X-Amz-Expires"}));
}

// ---- signature ----

TEST_F(Sigv4VerifyTest, VerifyFailsWithSignatureMismatchUnderWrongSecret) {
  SignableRequest r = SignedKms();
  auto result = Verify(r, kKmsBody, Dialect::kStandard, "another-secret");
  ASSERT_FALSE(result.ok());
  const Failure& f = result.failure();
  EXPECT_EQ(f.kind, FailureKind::kSignatureMismatch);
  EXPECT_EQ(f.access_key_id, kAccessKey);
  EXPECT_EQ(f.signature_provided, MustParse(r).signature);
  EXPECT_EQ(f.canonical_request.substr(0, 7), "POST\n/\n");
  EXPECT_EQ(f.string_to_sign.substr(0, 17), "AWS4-HMAC-SHA256\n");
}

TEST_F(Sigv4VerifyTest, VerifyFailsWhenSignedHeaderValueChanged) {
  SignableRequest r = SignedKms();
  SetHeader(&r, "x-amz-target", "TrentService.Decrypt");
  auto result = Verify(r, kKmsBody);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kSignatureMismatch);
}

TEST_F(Sigv4VerifyTest, VerifyFailsWhenBodyChanged) {
  auto result = Verify(SignedKms(), R"({"KeyId":"alias/other"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kSignatureMismatch);
}

TEST_F(Sigv4VerifyTest, VerifyIgnoresUnsignedHeadersOutsideS3) {
  SignableRequest r = SignedKms();
  r.headers.emplace_back("User-Agent", "curl/8");
  r.headers.emplace_back("X-Amzn-Trace-Id", "Root=1-abc");
  EXPECT_TRUE(Verify(r, kKmsBody).ok());
}

TEST_F(Sigv4VerifyTest, VerifyAcceptsPresignedTokenAppendedAfterSigning) {
  SignableRequest r = Presigned("sts", 300, kToken, /*sign_token=*/false);
  ParsedAuth auth = MustParse(r);
  EXPECT_EQ(auth.security_token, kToken);
  EXPECT_TRUE(Verify(r, "").ok());
}

TEST_F(Sigv4VerifyTest, VerifyFailsWhenSignedPresignedTokenIsReplaced) {
  SignableRequest r = Presigned("s3", 300, kToken);
  size_t pos = r.target.find("X-Amz-Security-Token=");
  ASSERT_NE(pos, std::string::npos);
  r.target.insert(pos + 21, "x");
  auto result = Verify(r, "", Dialect::kS3);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kSignatureMismatch);
}

// ---- caller checks ----

TEST_F(Sigv4VerifyTest, CheckRegionFailsWithScopeAndEndpointRegions) {
  ParsedAuth auth = MustParse(SignedKms());
  EXPECT_TRUE(CheckRegion(auth, "us-east-1").ok());
  auto result = CheckRegion(auth, "eu-west-1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kWrongRegion);
  EXPECT_EQ(result.failure().detail, "us-east-1");
  EXPECT_EQ(result.failure().expected, "eu-west-1");
}

TEST_F(Sigv4VerifyTest, CheckServiceFailsWhenScopeNamesAnotherService) {
  ParsedAuth auth = MustParse(SignedKms());
  auto result = CheckService(auth, "glue");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().kind, FailureKind::kWrongService);
  EXPECT_EQ(result.failure().expected, "glue");
}

TEST_F(Sigv4VerifyTest, CallerFailuresCarryKeyAndToken) {
  SignableRequest r = KmsRequest();
  ASSERT_TRUE(SignRequest(r, Creds(kToken), Params("kms"), kKmsBody).ok());
  ParsedAuth auth = MustParse(r);
  EXPECT_EQ(UnknownAccessKey(auth).access_key_id, kAccessKey);
  EXPECT_EQ(ExpiredSessionToken(auth).kind, FailureKind::kExpiredSessionToken);
  EXPECT_EQ(InvalidSessionToken(auth).security_token, kToken);
}

}  // namespace
}  // namespace gee::sigv4

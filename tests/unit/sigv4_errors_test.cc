// Rendering of SigV4 failures per wire protocol (spec §2.2): code and HTTP
// status everywhere, the exact message where the spec quotes one, and the
// extra <Error> elements of S3.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_errors.h"
#include "auth/sigv4_signer.h"

namespace gee::sigv4 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

MATCHER_P2(HasAwsError, code, status, "") {
  *result_listener << "code " << arg.code << ", status " << arg.http_status << ", message \""
                   << arg.message << "\"";
  return arg.code == code && arg.http_status == status;
}

constexpr WireProtocol kJson = WireProtocol::kJson11;
constexpr WireProtocol kQuery = WireProtocol::kQuery;
constexpr WireProtocol kS3 = WireProtocol::kRestXml;

Failure Make(FailureKind kind) {
  Failure f;
  f.kind = kind;
  f.access_key_id = "AKIAGEEERRORS0000001";
  return f;
}

std::string Extra(const AwsError& e, std::string_view name) {
  for (const auto& [k, v] : e.extra) {
    if (k == name) return v;
  }
  return "<absent>";
}

std::vector<std::string> ExtraNames(const AwsError& e) {
  std::vector<std::string> names;
  for (const auto& kv : e.extra) names.push_back(kv.first);
  return names;
}

// A time-skew failure as CheckRequestTime produces it.
Failure Skew(FailureKind kind, std::string_view request, std::string_view now, int64_t window) {
  Failure f = Make(kind);
  f.amz_date = std::string(request);
  f.request_time = *ParseAmzDate(request);
  f.server_time = *ParseAmzDate(now);
  f.window_seconds = window;
  return f;
}

// ---- unknown access key ----

TEST(Sigv4ErrorsTest, UnknownAccessKeyRendersPerProtocol) {
  Failure f = Make(FailureKind::kUnknownAccessKey);
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("UnrecognizedClientException", 400));
  EXPECT_EQ(json.message, "The security token included in the request is invalid.");
  AwsError query = ToAwsError(f, kQuery);
  EXPECT_THAT(query, HasAwsError("InvalidClientTokenId", 403));
  EXPECT_EQ(query.message, "The security token included in the request is invalid");
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("InvalidAccessKeyId", 403));
  EXPECT_EQ(s3.message, "The AWS Access Key Id you provided does not exist in our records.");
  EXPECT_EQ(Extra(s3, "AWSAccessKeyId"), "AKIAGEEERRORS0000001");
}

// ---- wrong signature ----

TEST(Sigv4ErrorsTest, SignatureMismatchRendersPerProtocol) {
  Failure f = Make(FailureKind::kSignatureMismatch);
  f.canonical_request = "GET\n/\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD";
  f.string_to_sign = "AWS4-HMAC-SHA256\n20240514T092640Z\nscope\nabc";
  f.signature_provided = "00ff";
  const std::string text =
      "The request signature we calculated does not match the signature you provided. Check "
      "your AWS Secret Access Key and signing method. Consult the service documentation for "
      "details.";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message, text);
  AwsError query = ToAwsError(f, kQuery);
  EXPECT_THAT(query, HasAwsError("SignatureDoesNotMatch", 403));
  EXPECT_EQ(query.message, text);
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("SignatureDoesNotMatch", 403));
  EXPECT_EQ(s3.message,
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.");
  EXPECT_THAT(ExtraNames(s3),
              ElementsAre("AWSAccessKeyId", "StringToSign", "SignatureProvided",
                          "StringToSignBytes", "CanonicalRequest", "CanonicalRequestBytes"));
  EXPECT_EQ(Extra(s3, "StringToSign"), f.string_to_sign);
  EXPECT_EQ(Extra(s3, "SignatureProvided"), "00ff");
  EXPECT_EQ(Extra(s3, "CanonicalRequest"), f.canonical_request);
  EXPECT_THAT(Extra(s3, "StringToSignBytes"), StartsWith("41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a"));
  EXPECT_EQ(Extra(s3, "CanonicalRequestBytes"), SpacedHexBytes(f.canonical_request));
}

TEST(Sigv4ErrorsTest, SpacedHexBytesUsesTwoLowerCaseDigitsPerByte) {
  EXPECT_EQ(SpacedHexBytes(std::string("A\n\xff", 3)), "41 0a ff");
  EXPECT_EQ(SpacedHexBytes(""), "");
}

// ---- clock skew ----

TEST(Sigv4ErrorsTest, RequestTooOldQuotesTimesAndWindowAsAwsDoes) {
  // Spec §2.2, observed JSON text.
  Failure f = Skew(FailureKind::kRequestTooOld, "20180920T174101Z", "20180920T175004Z", 300);
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message,
            "Signature expired: 20180920T174101Z is now earlier than 20180920T174504Z "
            "(20180920T175004Z - 5 min.)");
}

TEST(Sigv4ErrorsTest, RequestTooOldForStsPrintsFifteenMinuteWindow) {
  // Spec §2.2, observed Query text.
  Failure f = Skew(FailureKind::kRequestTooOld, "20160609T184512Z", "20160610T014508Z", 900);
  AwsError query = ToAwsError(f, kQuery);
  EXPECT_THAT(query, HasAwsError("SignatureDoesNotMatch", 403));
  EXPECT_EQ(query.message,
            "Signature expired: 20160609T184512Z is now earlier than 20160610T013008Z "
            "(20160610T014508Z - 15 min.)");
}

TEST(Sigv4ErrorsTest, RequestNotYetCurrentQuotesTimesAndWindowAsAwsDoes) {
  Failure f = Skew(FailureKind::kRequestNotYetCurrent, "20181002T170509Z", "20181002T165812Z", 300);
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message,
            "Signature not yet current: 20181002T170509Z is still later than 20181002T170312Z "
            "(20181002T165812Z + 5 min.)");
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("SignatureDoesNotMatch", 403));
}

TEST(Sigv4ErrorsTest, S3SkewIsRequestTimeTooSkewedWithTimesAndMaxSkew) {
  for (FailureKind kind : {FailureKind::kRequestTooOld, FailureKind::kRequestNotYetCurrent}) {
    Failure f = Skew(kind, "20240514T090000Z", "20240514T092640Z", 900);
    AwsError s3 = ToAwsError(f, kS3);
    EXPECT_THAT(s3, HasAwsError("RequestTimeTooSkewed", 403));
    EXPECT_EQ(s3.message, "The difference between the request time and the current time is too large.");
    EXPECT_EQ(Extra(s3, "RequestTime"), "20240514T090000Z");
    EXPECT_EQ(Extra(s3, "ServerTime"), "2024-05-14T09:26:40Z");
    EXPECT_EQ(Extra(s3, "MaxAllowedSkewMilliseconds"), "900000");
  }
}

// ---- presigned expiry ----

TEST(Sigv4ErrorsTest, S3PresignExpiredIsAccessDeniedWithExpiryElements) {
  Failure f = Skew(FailureKind::kPresignExpired, "20240514T090000Z", "20240514T092640Z", 900);
  f.presigned = true;
  f.expires_seconds = 600;
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AccessDenied", 403));
  EXPECT_EQ(s3.message, "Request has expired");
  EXPECT_EQ(Extra(s3, "X-Amz-Expires"), "600");
  EXPECT_EQ(Extra(s3, "Expires"), "2024-05-14T09:10:00Z");
  EXPECT_EQ(Extra(s3, "ServerTime"), "2024-05-14T09:26:40Z");
  EXPECT_THAT(ToAwsError(f, kJson), HasAwsError("InvalidSignatureException", 400));
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("SignatureDoesNotMatch", 403));
}

TEST(Sigv4ErrorsTest, S3PresignExpiryAboveAWeekIsAuthorizationQueryParametersError) {
  Failure f = Make(FailureKind::kInvalidExpires);
  f.presigned = true;
  f.detail = "604801";
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AuthorizationQueryParametersError", 400));
  EXPECT_EQ(s3.message,
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds");
}

// ---- scope ----

TEST(Sigv4ErrorsTest, ScopeDateMismatchUsesDocumentedText) {
  Failure f = Make(FailureKind::kScopeDateMismatch);
  f.scope_date = "20240513";
  f.amz_date = "20240514T092640Z";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_THAT(json.message,
              StartsWith("Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                         "of date from HTTP"));
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("SignatureDoesNotMatch", 403));
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AuthorizationHeaderMalformed", 400));
  EXPECT_EQ(s3.message,
            "The authorization header is malformed; Invalid credential date. Date is not the "
            "same as X-Amz-Date.");
}

TEST(Sigv4ErrorsTest, WrongRegionUsesDocumentedTextAndS3RegionElement) {
  Failure f = Make(FailureKind::kWrongRegion);
  f.detail = "eu-west-1";
  f.expected = "us-east-1";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message, "Credential should be scoped to a valid Region, not 'eu-west-1'.");
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("SignatureDoesNotMatch", 403));
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AuthorizationHeaderMalformed", 400));
  EXPECT_EQ(s3.message,
            "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting "
            "'us-east-1'");
  EXPECT_EQ(Extra(s3, "Region"), "us-east-1");
}

TEST(Sigv4ErrorsTest, WrongServiceUsesDocumentedText) {
  Failure f = Make(FailureKind::kWrongService);
  f.detail = "iam";
  f.expected = "kms";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message, "Credential should be scoped to correct service: 'kms'.");
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("SignatureDoesNotMatch", 403));
  EXPECT_THAT(ToAwsError(f, kS3), HasAwsError("AuthorizationHeaderMalformed", 400));
}

// ---- missing / malformed authentication ----

TEST(Sigv4ErrorsTest, MissingAuthenticationRendersPerProtocol) {
  Failure f = MissingAuthentication();
  EXPECT_THAT(ToAwsError(f, kJson), HasAwsError("MissingAuthenticationTokenException", 400));
  AwsError query = ToAwsError(f, kQuery);
  EXPECT_THAT(query, HasAwsError("MissingAuthenticationToken", 403));
  EXPECT_EQ(query.message, "Request is missing Authentication Token");
  EXPECT_THAT(ToAwsError(f, kS3), HasAwsError("AccessDenied", 403));
}

TEST(Sigv4ErrorsTest, IncompleteSignatureListsMissingPartsThenHeader) {
  Failure f = Make(FailureKind::kIncompleteSignature);
  f.missing = {"Signature", "SignedHeaders"};
  f.authorization = "AWS4-HMAC-SHA256 Credential=ABCDEF";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("IncompleteSignatureException", 400));
  EXPECT_EQ(json.message,
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF");
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("IncompleteSignature", 400));
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AuthorizationHeaderMalformed", 400));
  EXPECT_EQ(s3.message,
            "The authorization header is malformed; the authorization header requires three "
            "components: Credential, SignedHeaders, and Signature.");
}

TEST(Sigv4ErrorsTest, S3MissingDateIsAccessDenied) {
  Failure f = Make(FailureKind::kIncompleteSignature);
  f.missing = {"Date"};
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AccessDenied", 403));
  EXPECT_EQ(s3.message, "AWS authentication requires a valid Date or x-amz-date header");
}

TEST(Sigv4ErrorsTest, MalformedPartQuotesTokenAndHeader) {
  Failure f = Make(FailureKind::kIncompleteSignature);
  f.detail = "/20240514/us-east-1/kms/aws4_request";
  f.authorization = "AWS4-HMAC-SHA256 Credential=AKID /20240514/us-east-1/kms/aws4_request";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("IncompleteSignatureException", 400));
  EXPECT_EQ(json.message,
            "'/20240514/us-east-1/kms/aws4_request' not a valid key=value pair (missing "
            "equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKID "
            "/20240514/us-east-1/kms/aws4_request'.");
}

TEST(Sigv4ErrorsTest, UnsupportedAlgorithmIsInvalidRequestForS3) {
  Failure f = Make(FailureKind::kUnsupportedAlgorithm);
  f.detail = "AWS";
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("InvalidRequest", 400));
  EXPECT_EQ(s3.message,
            "The authorization mechanism you have provided is not supported. Please use "
            "AWS4-HMAC-SHA256.");
  EXPECT_THAT(ToAwsError(f, kJson), HasAwsError("IncompleteSignatureException", 400));
}

TEST(Sigv4ErrorsTest, HostNotSignedRendersPerProtocol) {
  Failure f = Make(FailureKind::kHostNotSigned);
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("InvalidSignatureException", 400));
  EXPECT_EQ(json.message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("AccessDenied", 403));
  EXPECT_EQ(Extra(s3, "HeadersNotSigned"), "host");
}

TEST(Sigv4ErrorsTest, S3ContentSha256ErrorsNameTheHeader) {
  EXPECT_THAT(ToAwsError(Make(FailureKind::kMissingContentSha256), kS3),
              HasAwsError("InvalidRequest", 400));
  Failure mismatch = Make(FailureKind::kContentSha256Mismatch);
  mismatch.detail = "aa";
  mismatch.computed = "bb";
  AwsError s3 = ToAwsError(mismatch, kS3);
  EXPECT_THAT(s3, HasAwsError("XAmzContentSHA256Mismatch", 400));
  EXPECT_EQ(Extra(s3, "ClientComputedContentSHA256"), "aa");
  EXPECT_EQ(Extra(s3, "S3ComputedContentSHA256"), "bb");
}

// ---- session tokens ----

TEST(Sigv4ErrorsTest, ExpiredSessionTokenRendersPerProtocol) {
  Failure f = Make(FailureKind::kExpiredSessionToken);
  f.security_token = "tok";
  AwsError json = ToAwsError(f, kJson);
  EXPECT_THAT(json, HasAwsError("ExpiredTokenException", 400));
  EXPECT_EQ(json.message, "The security token included in the request is expired");
  AwsError query = ToAwsError(f, kQuery);
  EXPECT_THAT(query, HasAwsError("ExpiredToken", 403));
  EXPECT_EQ(query.message, "The security token included in the request is expired");
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("ExpiredToken", 400));
  EXPECT_EQ(s3.message, "The provided token has expired.");
  EXPECT_EQ(Extra(s3, "Token-0"), "tok");
}

TEST(Sigv4ErrorsTest, InvalidSessionTokenRendersPerProtocol) {
  Failure f = Make(FailureKind::kInvalidSessionToken);
  EXPECT_THAT(ToAwsError(f, kJson), HasAwsError("UnrecognizedClientException", 400));
  EXPECT_THAT(ToAwsError(f, kQuery), HasAwsError("InvalidClientTokenId", 403));
  AwsError s3 = ToAwsError(f, kS3);
  EXPECT_THAT(s3, HasAwsError("InvalidToken", 400));
  EXPECT_EQ(s3.message, "The provided token is malformed or otherwise invalid.");
}

TEST(Sigv4ErrorsTest, InternalFailureIsServerFault) {
  Failure f = Make(FailureKind::kInternal);
  for (WireProtocol p : {kJson, kQuery, kS3}) {
    AwsError e = ToAwsError(f, p);
    EXPECT_EQ(e.http_status, 500);
    EXPECT_FALSE(e.sender_fault);
  }
}

// ---- secrets ----

TEST(Sigv4ErrorsTest, NoRenderedErrorContainsTheSecretAccessKey) {
  // Real failures from a request signed with a recognisable secret, verified
  // with another recognisable secret, rendered as every kind and protocol.
  const std::string secret = "SECRETSECRETSECRET/0000000000000000000000";
  const std::string other = "OTHEROTHEROTHER/000000000000000000000000";
  SignableRequest r;
  r.method = "PUT";
  r.target = "/bucket/key";
  r.headers = {{"Host", "h"}};
  SigningParams p;
  p.region = "us-east-1";
  p.service = "s3";
  p.time = 1715678800;
  ASSERT_TRUE(SignRequest(r, CredentialsView{"AKIAGEE", secret, "tok"}, p, "body").ok());
  auto parsed = ParseAuthentication(r.View(), Dialect::kS3);
  ASSERT_TRUE(parsed.ok());
  VerifyOptions options;
  options.dialect = Dialect::kS3;
  auto verified = VerifySignature(r.View(), *parsed, other, options);
  ASSERT_FALSE(verified.ok());
  Failure base = verified.failure();
  for (int k = static_cast<int>(FailureKind::kMissingAuthentication);
       k <= static_cast<int>(FailureKind::kInternal); ++k) {
    Failure f = base;
    f.kind = static_cast<FailureKind>(k);
    for (WireProtocol proto : {kJson, kQuery, kS3}) {
      AwsError e = ToAwsError(f, proto);
      for (const std::string& s : {secret, other}) {
        EXPECT_THAT(e.message, Not(HasSubstr(s.substr(0, 12))));
        for (const auto& [name, value] : e.extra) EXPECT_THAT(value, Not(HasSubstr(s.substr(0, 12))));
      }
    }
  }
}

}  // namespace
}  // namespace gee::sigv4

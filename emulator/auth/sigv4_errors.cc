#include "auth/sigv4_errors.h"

#include <string>
#include <vector>

namespace gee::sigv4 {
namespace {

// ---- texts shared by the JSON and Query protocols ----

constexpr std::string_view kSignatureMismatchText =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
// Spec §2.2: JSON with a final period, Query without.
constexpr std::string_view kInvalidTokenJson =
    "The security token included in the request is invalid.";
constexpr std::string_view kInvalidTokenQuery =
    "The security token included in the request is invalid";
constexpr std::string_view kExpiredTokenText =
    "The security token included in the request is expired";

// ---- S3 texts ----

constexpr std::string_view kS3SignatureMismatchText =
    "The request signature we calculated does not match the signature you provided. Check your "
    "key and signing method.";
constexpr std::string_view kS3MalformedPrefix = "The authorization header is malformed; ";
constexpr std::string_view kS3CredentialPrefix = "Error parsing the X-Amz-Credential parameter; ";
constexpr std::string_view kS3ExpectedCredential =
    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Minutes(int64_t seconds) { return std::to_string(seconds / 60) + " min."; }

bool IsS3(WireProtocol p) { return p == WireProtocol::kRestXml; }

// The "signature" family: InvalidSignatureException (JSON, 400) or
// SignatureDoesNotMatch (Query, 403).
AwsError SignatureError(WireProtocol protocol, std::string message) {
  if (protocol == WireProtocol::kJson11) {
    return AwsError("InvalidSignatureException", std::move(message), 400);
  }
  return AwsError("SignatureDoesNotMatch", std::move(message), 403);
}

// IncompleteSignatureException (JSON) / IncompleteSignature (Query), both 400.
AwsError IncompleteSignature(WireProtocol protocol, std::string message) {
  if (protocol == WireProtocol::kJson11) {
    return AwsError("IncompleteSignatureException", std::move(message), 400);
  }
  return AwsError("IncompleteSignature", std::move(message), 400);
}

std::string IncompleteSignatureText(const Failure& f) {
  if (f.presigned) {
    // UNCONFIRMED wording for JSON/Query presigned requests.
    std::string names;
    for (size_t i = 0; i < f.missing.size(); ++i) {
      if (i > 0) names += ", ";
      names += Quote(f.missing[i]);
    }
    return "AWS query-string parameters must include " + names +
           ". Re-examine the query-string parameters.";
  }
  if (f.missing.empty()) {
    // [observed] a part without '='.
    return Quote(f.detail) + " not a valid key=value pair (missing equal-sign) in Authorization "
           "header: " + Quote(f.authorization) + ".";
  }
  // [observed] one sentence per missing part, then the header as received.
  std::string text;
  for (const std::string& part : f.missing) {
    if (!text.empty()) text += ' ';
    if (part == "Date") {
      text += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
    } else {
      text += "Authorization header requires " + Quote(part) + " parameter.";
    }
  }
  return text + " Authorization=" + f.authorization;
}

AwsError JsonOrQuery(const Failure& f, WireProtocol protocol) {
  const bool json = protocol == WireProtocol::kJson11;
  switch (f.kind) {
    case FailureKind::kMissingAuthentication:
      // UNCONFIRMED text and (JSON) status, spec §2.2.
      if (json) return AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 400);
      return AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    case FailureKind::kConflictingAuthentication:
      // UNCONFIRMED for JSON/Query (S3's wording).
      return IncompleteSignature(
          protocol, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or "
                    "the Authorization header should be specified");
    case FailureKind::kIncompleteSignature:
      return IncompleteSignature(protocol, IncompleteSignatureText(f));
    case FailureKind::kUnsupportedAlgorithm:
      // UNCONFIRMED.
      return IncompleteSignature(protocol, "Unsupported AWS 'algorithm': " + Quote(f.detail) + ".");
    case FailureKind::kMalformedCredential:
      return IncompleteSignature(
          protocol, "Credential must have exactly 5 slash-delimited elements, e.g. "
                    "keyid/date/region/service/term, got " + Quote(f.detail));
    case FailureKind::kInvalidDate:
      return IncompleteSignature(protocol, "Date must be in ISO-8601 'basic format'. Got " +
                                               Quote(f.detail) +
                                               ". See http://en.wikipedia.org/wiki/ISO_8601");
    case FailureKind::kScopeDateMismatch:
      // Spec [doc] text; the ": 'a' != 'b', from 'c'." detail is UNCONFIRMED.
      return SignatureError(
          protocol, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                    "date from HTTP: " + Quote(f.scope_date) + " != " +
                    Quote(f.amz_date.substr(0, 8)) + ", from " + Quote(f.amz_date) + ".");
    case FailureKind::kInvalidTerminator:
      return SignatureError(protocol, "Credential should be scoped with a valid terminator: "
                                      "'aws4_request', not " + Quote(f.detail) + ".");
    case FailureKind::kHostNotSigned:
      // [observed]
      return SignatureError(protocol,
                            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    case FailureKind::kHeadersNotSigned:
      return SignatureError(protocol, "There were headers present in the request which were not signed");
    case FailureKind::kMissingContentSha256:
    case FailureKind::kInvalidContentSha256:
    case FailureKind::kContentSha256Mismatch:
    case FailureKind::kSignatureMismatch:
      return SignatureError(protocol, std::string(kSignatureMismatchText));
    case FailureKind::kRequestTooOld:
      // [observed] "Signature expired: 20180920T174101Z is now earlier than
      // 20180920T174504Z (20180920T175004Z - 5 min.)"
      return SignatureError(protocol, "Signature expired: " + f.amz_date + " is now earlier than " +
                                          FormatAmzDate(f.server_time - f.window_seconds) + " (" +
                                          FormatAmzDate(f.server_time) + " - " +
                                          Minutes(f.window_seconds) + ")");
    case FailureKind::kRequestNotYetCurrent:
    case FailureKind::kPresignNotYetValid:
      // [observed] "Signature not yet current: 20181002T170509Z is still later
      // than 20181002T170312Z (20181002T165812Z + 5 min.)"
      return SignatureError(protocol, "Signature not yet current: " + f.amz_date +
                                          " is still later than " +
                                          FormatAmzDate(f.server_time + f.window_seconds) + " (" +
                                          FormatAmzDate(f.server_time) + " + " +
                                          Minutes(f.window_seconds) + ")");
    case FailureKind::kInvalidExpires:
      // UNCONFIRMED for JSON/Query (S3's wording).
      return SignatureError(protocol, "X-Amz-Expires must be less than a week (in seconds) that is, "
                                      "the given X-Amz-Expires must be less than 604800 seconds");
    case FailureKind::kPresignExpired:
      // UNCONFIRMED: the expired-signature sentence with X-Amz-Expires as the window.
      return SignatureError(protocol, "Signature expired: " + f.amz_date + " is now earlier than " +
                                          FormatAmzDate(f.server_time - f.expires_seconds) + " (" +
                                          FormatAmzDate(f.server_time) + " - " +
                                          Minutes(f.expires_seconds) + ")");
    case FailureKind::kUnknownAccessKey:
    case FailureKind::kInvalidSessionToken:
      if (json) return AwsError("UnrecognizedClientException", std::string(kInvalidTokenJson), 400);
      return AwsError("InvalidClientTokenId", std::string(kInvalidTokenQuery), 403);
    case FailureKind::kWrongRegion:
      return SignatureError(protocol, "Credential should be scoped to a valid Region, not " +
                                          Quote(f.detail) + ".");
    case FailureKind::kWrongService:
      return SignatureError(protocol, "Credential should be scoped to correct service: " +
                                          Quote(f.expected) + ".");
    case FailureKind::kExpiredSessionToken:
      if (json) return AwsError("ExpiredTokenException", std::string(kExpiredTokenText), 400);
      return AwsError("ExpiredToken", std::string(kExpiredTokenText), 403);
    case FailureKind::kInternal:
      return AwsError("InternalFailure",
                      "The request processing has failed because of an unknown error, exception "
                      "or failure.",
                      500);
  }
  return AwsError("InternalFailure", "unhandled authentication failure", 500);
}

// S3 <Error> documents. Message texts are [observed] unless marked UNCONFIRMED.
AwsError S3(const Failure& f) {
  auto malformed = [&](std::string rest) {
    if (f.presigned) {
      return AwsError("AuthorizationQueryParametersError",
                      std::string(kS3CredentialPrefix) + std::move(rest), 400);
    }
    return AwsError("AuthorizationHeaderMalformed", std::string(kS3MalformedPrefix) + std::move(rest),
                    400);
  };
  switch (f.kind) {
    case FailureKind::kMissingAuthentication:
      // S3 serves unsigned requests as anonymous; a denial reads like this.
      return AwsError("AccessDenied", "Access Denied", 403);
    case FailureKind::kConflictingAuthentication:
      return AwsError("InvalidArgument",
                      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                      "Signature query string parameter or the Authorization header should be "
                      "specified",
                      400)
          .With("ArgumentName", "Authorization")
          .With("ArgumentValue", f.authorization);
    case FailureKind::kIncompleteSignature:
      if (f.presigned) {
        return AwsError("AuthorizationQueryParametersError",
                        "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                        "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                        "X-Amz-Expires parameters.",
                        400);
      }
      if (f.missing.size() == 1 && f.missing.front() == "Date") {
        return AwsError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                        403);
      }
      return AwsError("AuthorizationHeaderMalformed",
                      std::string(kS3MalformedPrefix) +
                          "the authorization header requires three components: Credential, "
                          "SignedHeaders, and Signature.",
                      400);
    case FailureKind::kUnsupportedAlgorithm:
      if (f.presigned) {
        // UNCONFIRMED.
        return AwsError("AuthorizationQueryParametersError",
                        "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", 400);
      }
      return AwsError("InvalidRequest",
                      "The authorization mechanism you have provided is not supported. Please use "
                      "AWS4-HMAC-SHA256.",
                      400);
    case FailureKind::kMalformedCredential:
      return malformed(std::string(kS3ExpectedCredential));
    case FailureKind::kInvalidDate:
      if (f.presigned) {
        // UNCONFIRMED.
        return AwsError("AuthorizationQueryParametersError",
                        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", 400);
      }
      return AwsError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                      403);
    case FailureKind::kScopeDateMismatch:
      if (f.presigned) {
        // UNCONFIRMED.
        return AwsError("AuthorizationQueryParametersError",
                        "Invalid credential date \"" + f.scope_date +
                            "\". This date is not the same as X-Amz-Date: \"" +
                            f.amz_date.substr(0, 8) + "\".",
                        400);
      }
      return AwsError("AuthorizationHeaderMalformed",
                      std::string(kS3MalformedPrefix) +
                          "Invalid credential date. Date is not the same as X-Amz-Date.",
                      400);
    case FailureKind::kInvalidTerminator:
      // UNCONFIRMED.
      return malformed("incorrect terminal \"" + f.detail + "\". This endpoint uses \"aws4_request\".");
    case FailureKind::kHostNotSigned:
      return AwsError("AccessDenied", "There were headers present in the request which were not signed",
                      403)
          .With("HeadersNotSigned", "host");
    case FailureKind::kHeadersNotSigned: {
      std::string names = f.detail;
      for (size_t pos = 0; (pos = names.find(';', pos)) != std::string::npos;) {
        names.replace(pos, 1, ", ");
      }
      return AwsError("AccessDenied", "There were headers present in the request which were not signed",
                      403)
          .With("HeadersNotSigned", names);
    }
    case FailureKind::kMissingContentSha256:
      return AwsError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256",
                      400);
    case FailureKind::kInvalidContentSha256:
      // UNCONFIRMED.
      return AwsError("InvalidArgument",
                      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                      "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                      "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
                      "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                      400)
          .With("ArgumentName", "x-amz-content-sha256")
          .With("ArgumentValue", f.detail);
    case FailureKind::kContentSha256Mismatch:
      return AwsError("XAmzContentSHA256Mismatch",
                      "The provided 'x-amz-content-sha256' header does not match what was computed.",
                      400)
          .With("ClientComputedContentSHA256", f.detail)
          .With("S3ComputedContentSHA256", f.computed);
    case FailureKind::kRequestTooOld:
    case FailureKind::kRequestNotYetCurrent:
      return AwsError("RequestTimeTooSkewed",
                      "The difference between the request time and the current time is too large.", 403)
          .With("RequestTime", f.amz_date)
          .With("ServerTime", FormatIso8601(f.server_time))
          .With("MaxAllowedSkewMilliseconds", std::to_string(f.window_seconds * 1000));
    case FailureKind::kInvalidExpires: {
      int64_t value = 0;
      bool numeric = !f.detail.empty() && f.detail.size() < 19 &&
                     f.detail.find_first_not_of("0123456789") == std::string::npos;
      if (numeric) value = std::stoll(f.detail);
      if (numeric && value > kMaxPresignExpiresSeconds) {
        return AwsError("AuthorizationQueryParametersError",
                        "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                        "X-Amz-Expires must be less than 604800 seconds",
                        400);
      }
      // UNCONFIRMED.
      return AwsError("AuthorizationQueryParametersError",
                      numeric ? "X-Amz-Expires must be non-negative" : "X-Amz-Expires should be a number",
                      400);
    }
    case FailureKind::kPresignExpired:
      return AwsError("AccessDenied", "Request has expired", 403)
          .With("X-Amz-Expires", std::to_string(f.expires_seconds))
          .With("Expires", FormatIso8601(f.request_time + f.expires_seconds))
          .With("ServerTime", FormatIso8601(f.server_time));
    case FailureKind::kPresignNotYetValid:
      return AwsError("AccessDenied", "Request is not yet valid", 403)
          .With("X-Amz-Date", f.amz_date)
          .With("Expires", FormatIso8601(f.request_time + f.expires_seconds))
          .With("ServerTime", FormatIso8601(f.server_time));
    case FailureKind::kSignatureMismatch:
      return AwsError("SignatureDoesNotMatch", std::string(kS3SignatureMismatchText), 403)
          .With("AWSAccessKeyId", f.access_key_id)
          .With("StringToSign", f.string_to_sign)
          .With("SignatureProvided", f.signature_provided)
          .With("StringToSignBytes", SpacedHexBytes(f.string_to_sign))
          .With("CanonicalRequest", f.canonical_request)
          .With("CanonicalRequestBytes", SpacedHexBytes(f.canonical_request));
    case FailureKind::kUnknownAccessKey:
      return AwsError("InvalidAccessKeyId",
                      "The AWS Access Key Id you provided does not exist in our records.", 403)
          .With("AWSAccessKeyId", f.access_key_id);
    case FailureKind::kWrongRegion:
      return malformed("the region " + Quote(f.detail) + " is wrong; expecting " + Quote(f.expected))
          .With("Region", f.expected);
    case FailureKind::kWrongService:
      // UNCONFIRMED.
      return malformed("incorrect service \"" + f.detail + "\". This endpoint belongs to \"" +
                       f.expected + "\".");
    case FailureKind::kExpiredSessionToken:
      return AwsError("ExpiredToken", "The provided token has expired.", 400)
          .With("Token-0", f.security_token);
    case FailureKind::kInvalidSessionToken:
      return AwsError("InvalidToken", "The provided token is malformed or otherwise invalid.", 400)
          .With("Token-0", f.security_token);
    case FailureKind::kInternal:
      return AwsError("InternalError", "We encountered an internal error. Please try again.", 500);
  }
  return AwsError("InternalError", "We encountered an internal error. Please try again.", 500);
}

}  // namespace

std::string SpacedHexBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out.push_back(' ');
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0f]);
  }
  return out;
}

AwsError ToAwsError(const Failure& failure, WireProtocol protocol) {
  if (IsS3(protocol)) return S3(failure);
  return JsonOrQuery(failure, protocol);
}

}  // namespace gee::sigv4

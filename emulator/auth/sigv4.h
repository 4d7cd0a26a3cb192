// AWS Signature Version 4: parsing, canonicalisation and verification.
//
// This is the one implementation of SigV4 canonicalisation in gee: the server
// verifies every request with it and the signer (auth/sigv4_signer.h) used by
// the test client and the scenario harness builds on the same functions.
//
// Verification is split in steps so that the server can interleave its own
// lookups and produce AWS's errors in AWS's order (spec §2.1):
//
//   ParseAuthentication(request, dialect)     header or presigned query → ParsedAuth
//   CheckRegion / CheckService                scope against the endpoint
//   CheckRequestTime(parsed, now, skew)       clock skew / presigned expiry
//   (caller) access key → secret; session token checks (UnknownAccessKey(),
//            ExpiredSessionToken(), InvalidSessionToken() build the failures)
//   VerifySignature(request, parsed, secret)  recompute and compare in constant time
//
// Every step reports a `Failure`: a kind plus the data needed to render the
// AWS error of each wire protocol (auth/sigv4_errors.h does the rendering).
// Nothing here reads the clock: time is a parameter.
//
// Canonical request (what is signed), exactly as AWS defines it:
//
//   METHOD \n
//   canonical URI \n          non-S3: normalised path, each segment URI-encoded
//                             (double-encodes an already encoded path); S3: the
//                             path as sent
//   canonical query \n        name=value pairs, each side percent-decoded then
//                             URI-encoded, sorted by name then value, empty value
//                             as "name=", X-Amz-Signature left out when presigned
//   canonical headers \n      "name:value\n" per signed header, value trimmed with
//                             inner whitespace runs collapsed, repeated headers
//                             joined with ","
//   signed headers \n         the SignedHeaders list
//   payload hash              hex SHA-256 of the body, or the x-amz-content-sha256
//                             value (UNSIGNED-PAYLOAD, STREAMING-...)
//
// String to sign: "AWS4-HMAC-SHA256\n" amz-date "\n" scope "\n" hex(SHA-256(canonical request)).
// Signing key: HMAC chain "AWS4"+secret → date → region → service → "aws4_request".
//
// Thread-safety: free functions without shared state; the value types are
// plain values. A SigningKey is immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"
#include "crypto/hash.h"

namespace gee::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedPayloadTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
// Hex SHA-256 of the empty string.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// Presigned URLs: X-Amz-Expires must be in [1, 604800] seconds.
inline constexpr int64_t kMaxPresignExpiresSeconds = 604800;
// Clock-skew windows AWS applies (spec §2.1 item 4).
inline constexpr int64_t kDefaultMaxSkewSeconds = 300;
inline constexpr int64_t kS3MaxSkewSeconds = 900;

// One header as received: name in any case, value untouched. Duplicates allowed.
using HeaderField = std::pair<std::string, std::string>;

// The parts of an HTTP request SigV4 looks at. Borrowed, not owned.
struct RequestView {
  std::string_view method;
  // Raw request-target as on the wire: path plus optional "?query".
  std::string_view target;
  // Headers in arrival order.
  std::span<const HeaderField> headers;
};

// First value of header `name` (case-insensitive), if present.
std::optional<std::string_view> FindHeader(std::span<const HeaderField> headers,
                                           std::string_view name);
// Every value of header `name` (case-insensitive), in arrival order.
std::vector<std::string_view> HeaderValues(std::span<const HeaderField> headers,
                                           std::string_view name);

// Which service rules apply. S3 differs from every other service: path used
// as sent, x-amz-content-sha256 required and taken as the payload hash,
// presigned payload UNSIGNED-PAYLOAD, every x-amz-* header must be signed.
enum class Dialect {
  kStandard,
  kS3,
};
Dialect DialectForService(std::string_view service);

// How the canonical URI is derived from the raw path.
struct CanonicalOptions {
  // Remove "." and ".." segments and empty segments ("//"). Default: every
  // service but S3.
  bool normalize_path = true;
  // URI-encode each path segment of the raw path; an already percent-encoded
  // path is encoded again. Default: every service but S3.
  bool encode_path = true;

  static CanonicalOptions For(Dialect dialect);
};

// ---------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------

enum class FailureKind {
  kMissingAuthentication,   // no Authorization header and no X-Amz-Algorithm parameter
  kConflictingAuthentication,  // both an Authorization header and presigned parameters
  kIncompleteSignature,     // Credential / SignedHeaders / Signature / date missing
                            // (`missing`), or a part without '=' (`detail`)
  kUnsupportedAlgorithm,    // algorithm is not AWS4-HMAC-SHA256 (`detail`)
  kMalformedCredential,     // Credential is not AKID/DATE/REGION/SERVICE/TERMINATOR (`detail`)
  kInvalidDate,             // X-Amz-Date / Date not parseable (`detail`)
  kScopeDateMismatch,       // scope date (`scope_date`) != date of `amz_date`
  kInvalidTerminator,       // scope terminator (`detail`) is not aws4_request
  kHostNotSigned,           // "host" missing from SignedHeaders
  kHeadersNotSigned,        // S3: x-amz-* headers present but unsigned (`detail`: names joined by ';')
  kMissingContentSha256,    // S3: no x-amz-content-sha256 header
  kInvalidContentSha256,    // S3: x-amz-content-sha256 neither a hash nor a known keyword
  kContentSha256Mismatch,   // S3: body hash (`computed`) != x-amz-content-sha256 (`detail`)
  kRequestTooOld,           // request time earlier than now - window
  kRequestNotYetCurrent,    // request time later than now + window
  kInvalidExpires,          // X-Amz-Expires not an integer in [1, 604800] (`detail`)
  kPresignExpired,          // now later than X-Amz-Date + X-Amz-Expires
  kPresignNotYetValid,      // presigned X-Amz-Date later than now + window
  kSignatureMismatch,       // recomputed signature differs
  kUnknownAccessKey,        // access key id not known (caller)
  kWrongRegion,             // scope region (`detail`) != endpoint region (`expected`)
  kWrongService,            // scope service (`detail`) != endpoint service (`expected`)
  kExpiredSessionToken,     // session of the token has expired (caller)
  kInvalidSessionToken,     // token missing, malformed or not the key's session (caller)
  kInternal,                // OpenSSL failure
};

// A verification failure with what the AWS message of each protocol needs.
// Never holds the secret access key or the signing key.
struct Failure {
  FailureKind kind = FailureKind::kInternal;
  // True when the request used presigned query parameters (S3 words those
  // failures differently).
  bool presigned = false;
  // kIncompleteSignature: missing parts, in AWS's order, among "Credential",
  // "Signature", "SignedHeaders", "Date" (header) or the X-Amz-* parameter
  // names (presigned).
  std::vector<std::string> missing;
  // Offending value (see FailureKind) or free detail.
  std::string detail;
  // Expected value (kWrongRegion, kWrongService).
  std::string expected;
  // Raw Authorization header (header auth), echoed by IncompleteSignature.
  std::string authorization;
  std::string access_key_id;
  std::string scope_date;
  // Request time as used in the string to sign (YYYYMMDDTHHMMSSZ).
  std::string amz_date;
  int64_t request_time = 0;
  int64_t server_time = 0;
  int64_t window_seconds = 0;
  int64_t expires_seconds = 0;
  // kSignatureMismatch.
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature_provided;
  // kContentSha256Mismatch: hash of the received body.
  std::string computed;
  // Session token as sent (S3 echoes it in <Token-0>).
  std::string security_token;
};

// Either a value or a Failure. Like gee::Result, but the error stays
// protocol-neutral until sigv4_errors.h renders it.
template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Outcome(Failure failure) : v_(std::move(failure)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const Failure& failure() const& { return std::get<1>(v_); }
  Failure&& failure() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Failure> v_;
};

template <>
class [[nodiscard]] Outcome<void> {
 public:
  Outcome() = default;
  Outcome(Failure failure) : failure_(std::move(failure)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  const Failure& failure() const& { return failure_; }
  Failure&& failure() && { return std::move(failure_); }

 private:
  Failure failure_;
  bool ok_ = true;
};

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

enum class AuthLocation {
  kNone,    // unsigned request
  kHeader,  // Authorization: AWS4-HMAC-SHA256 ...
  kQuery,   // presigned URL
};

struct CredentialScope {
  std::string date;     // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;
  // "date/region/service/terminator".
  std::string ToString() const;
};

// Authentication data of a request, before any secret is involved.
struct ParsedAuth {
  AuthLocation location = AuthLocation::kNone;
  std::string access_key_id;
  CredentialScope scope;
  // SignedHeaders as listed, and the raw list.
  std::vector<std::string> signed_headers;
  std::string signed_headers_raw;
  // Signature as provided.
  std::string signature;
  // Request time in ISO-8601 basic format (from X-Amz-Date, or the Date header
  // converted), as used in the string to sign; and as epoch seconds.
  std::string amz_date;
  int64_t request_time = 0;
  // X-Amz-Expires (presigned only).
  std::optional<int64_t> expires;
  // X-Amz-Security-Token header or query parameter.
  std::optional<std::string> security_token;
  // x-amz-content-sha256 header (or X-Amz-Content-Sha256 query parameter when presigned).
  std::optional<std::string> content_sha256;
  // Raw Authorization header value (header auth), for error messages.
  std::string authorization;

  bool authenticated() const { return location != AuthLocation::kNone; }
  bool presigned() const { return location == AuthLocation::kQuery; }
};

// Extracts authentication from the Authorization header or the presigned
// query parameters and checks its structure: algorithm, the three parts,
// credential shape, date, scope date = date of X-Amz-Date, terminator, host
// signed, and the S3 header rules. A request with no authentication at all
// yields a ParsedAuth with location kNone (S3 treats it as anonymous; the
// other services answer MissingAuthentication()).
Outcome<ParsedAuth> ParseAuthentication(const RequestView& request, Dialect dialect);

// Clock checks. Header auth: |request time - now| must be within
// `max_skew_seconds`. Presigned: X-Amz-Expires in [1, 604800], now not past
// X-Amz-Date + X-Amz-Expires, X-Amz-Date not later than now + max_skew_seconds.
Outcome<void> CheckRequestTime(const ParsedAuth& auth, int64_t now_seconds,
                               int64_t max_skew_seconds);

// Scope checks done by the caller, which knows the endpoint.
Outcome<void> CheckRegion(const ParsedAuth& auth, std::string_view expected_region);
Outcome<void> CheckService(const ParsedAuth& auth, std::string_view expected_service);

// Failures decided by the caller (credential store, session store).
Failure MissingAuthentication();
Failure UnknownAccessKey(const ParsedAuth& auth);
Failure ExpiredSessionToken(const ParsedAuth& auth);
Failure InvalidSessionToken(const ParsedAuth& auth);
// S3, streamed body: the body's hex SHA-256 (`computed_hex`) differs from the
// x-amz-content-sha256 value that was signed.
Failure ContentSha256Mismatch(const ParsedAuth& auth, std::string_view computed_hex);

// ---------------------------------------------------------------------------
// Canonicalisation (shared with the signer)
// ---------------------------------------------------------------------------

// AWS URI encoding: every byte but A-Z a-z 0-9 '-' '_' '.' '~' becomes %XX
// (upper-case hex); '/' is kept when `keep_slash`.
std::string UriEncode(std::string_view bytes, bool keep_slash);
// Decodes %XX sequences ('+' is kept as '+'); a '%' not followed by two hex
// digits is kept literally.
std::string PercentDecode(std::string_view text);

// Splits a request-target at the first '?'.
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

// Canonical URI of a raw (on-the-wire) path.
std::string CanonicalUri(std::string_view raw_path, const CanonicalOptions& options);
// Canonical query of a raw query string, leaving out the parameters named in
// `excluded` (compared after decoding, case-sensitive).
std::string CanonicalQueryString(std::string_view raw_query,
                                 std::span<const std::string_view> excluded = {});
// Header value trimmed, inner runs of whitespace (SP, HT, CR, LF) collapsed to one space.
std::string CanonicalHeaderValue(std::string_view value);
// "name:value\n" for each of `signed_headers` (looked up case-insensitively;
// repeated headers joined with ","; an absent header yields an empty value).
std::string CanonicalHeaders(std::span<const HeaderField> headers,
                             std::span<const std::string> signed_headers);

// Everything that goes into one canonical request.
struct CanonicalInput {
  const RequestView* request = nullptr;
  std::span<const std::string> signed_headers;
  // The SignedHeaders line exactly as it will appear (normally the names
  // joined with ';').
  std::string_view signed_headers_line;
  CanonicalOptions options;
  // Query parameters left out of the canonical query.
  std::span<const std::string_view> excluded_query;
  std::string_view payload_hash;
};
std::string BuildCanonicalRequest(const CanonicalInput& input);

// String to sign for `canonical_request`.
Result<std::string> BuildStringToSign(std::string_view amz_date, std::string_view scope,
                                      std::string_view canonical_request);

// The derived SigV4 key (kSigning). Wiped when destroyed; never printed.
class SigningKey {
 public:
  static Result<SigningKey> Derive(std::string_view secret_access_key, std::string_view date,
                                   std::string_view region, std::string_view service);
  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // Explicit copy (the aws-chunked decoder keeps its own).
  SigningKey Clone() const;
  // Lower-case hex HMAC-SHA256 of `string_to_sign` under this key.
  Result<std::string> Sign(std::string_view string_to_sign) const;

 private:
  explicit SigningKey(const std::array<uint8_t, 32>& key);
  std::array<uint8_t, 32> key_{};
  // key_ ready to MAC many strings to sign (unset only in a moved-from key).
  std::optional<crypto::HmacSha256Key> mac_;
};

// ---------------------------------------------------------------------------
// Time formats
// ---------------------------------------------------------------------------

// "YYYYMMDDTHHMMSSZ" ⇄ epoch seconds (UTC). Parse is strict.
std::string FormatAmzDate(int64_t epoch_seconds);
std::optional<int64_t> ParseAmzDate(std::string_view text);
// RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT", zone GMT/UTC/Z/+0000/-0000).
std::optional<int64_t> ParseHttpDate(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatIso8601(int64_t epoch_seconds);

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

struct VerifyOptions {
  Dialect dialect = Dialect::kStandard;
  // Canonical URI rules; default CanonicalOptions::For(dialect).
  std::optional<CanonicalOptions> canonical;
  // The whole body when the caller has it buffered (JSON and Query services):
  // its SHA-256 is the payload hash (S3: it is checked against
  // x-amz-content-sha256). nullopt when the body is streamed (S3 PutObject):
  // the x-amz-content-sha256 value is signed as given and the caller must
  // check the body against it while reading (ContentSha256Mismatch()).
  // Borrowed: the bytes must outlive the call.
  std::optional<std::string_view> body;
};

// What a successful verification hands on (the aws-chunked decoder needs the
// key, the seed signature, the date and the scope).
struct VerifiedRequest {
  SigningKey signing_key;
  std::string signature;
  std::string amz_date;
  std::string scope;
  // Payload hash that was signed (hex, UNSIGNED-PAYLOAD or STREAMING-...).
  std::string payload_hash;
};

// The payload hash the canonical request uses (see VerifyOptions). S3: the
// x-amz-content-sha256 value (UNSIGNED-PAYLOAD when a presigned request has
// none), checked against the body when the body is given and the value is a
// hash; other services: SHA-256 of the body.
Outcome<std::string> PayloadHashForVerification(const ParsedAuth& auth,
                                                const VerifyOptions& options);

// Recomputes the signature with `secret_access_key` and compares it in
// constant time. For presigned requests carrying X-Amz-Security-Token the
// signature is also accepted when computed without that parameter: AWS lets
// services take the token either signed or appended after signing.
Outcome<VerifiedRequest> VerifySignature(const RequestView& request, const ParsedAuth& auth,
                                         std::string_view secret_access_key,
                                         const VerifyOptions& options);
// The same with a signing key already derived for auth.scope (servers cache
// keys per access key and scope: derivation is four HMACs).
Outcome<VerifiedRequest> VerifySignatureWithKey(const RequestView& request,
                                                const ParsedAuth& auth, const SigningKey& key,
                                                const VerifyOptions& options);

}  // namespace gee::sigv4

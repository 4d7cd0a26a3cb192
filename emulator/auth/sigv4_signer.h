// SigV4 signing for gee's own clients (the test client and the scenario
// harness): header signing (X-Amz-Date, X-Amz-Security-Token, Authorization)
// and presigning (query parameters). It canonicalises with the very functions
// the verifier uses (auth/sigv4.h), so the two cannot drift apart.
//
// Headers signed: every header of the request except Authorization and the
// ones AWS SDKs leave unsigned (User-Agent, Expect, X-Amzn-Trace-Id), like
// botocore. A Host header must be present.
//
// Thread-safety: free functions; a SignableRequest is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sigv4.h"
#include "core/result.h"

namespace gee::sigv4 {

// Credentials to sign with, borrowed for the duration of the call.
struct CredentialsView {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  // Empty for long-term keys.
  std::string_view session_token;
};

struct SigningParams {
  std::string_view region;
  std::string_view service;
  // Signing time, epoch seconds.
  int64_t time = 0;
  // Canonical URI rules; default CanonicalOptions::For(DialectForService(service)).
  std::optional<CanonicalOptions> canonical;
  // Payload hash to sign: hex SHA-256, "UNSIGNED-PAYLOAD" or a STREAMING-*
  // value. Empty: the hex SHA-256 of the body (header signing, and presigning
  // outside S3) or UNSIGNED-PAYLOAD (S3 presigning).
  std::string_view payload_hash;
  // Header signing: add an x-amz-content-sha256 header carrying the payload
  // hash (signed). Default: only for S3.
  std::optional<bool> add_content_sha256_header;
  // Sign the session token (default). false: X-Amz-Security-Token is added
  // after signing, unsigned (services that want it so; the aws-c-auth
  // "omit_session_token" vectors).
  bool sign_session_token = true;
};

// A request being signed; signing adds headers or query parameters to it.
struct SignableRequest {
  std::string method;
  // Raw request-target as it will be sent: path plus optional "?query".
  std::string target;
  std::vector<HeaderField> headers;

  RequestView View() const { return RequestView{method, target, headers}; }
};

// What was signed, for logs and tests (no secret in it).
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string amz_date;
  std::string scope;
};

// Header signing. Replaces any Authorization, X-Amz-Date and
// X-Amz-Security-Token headers, adds X-Amz-Date, X-Amz-Security-Token (when
// there is a session token), x-amz-content-sha256 (see params) and
// Authorization. `body` is hashed unless params.payload_hash is given.
Result<SigningResult> SignRequest(SignableRequest& request, const CredentialsView& credentials,
                                  const SigningParams& params, std::string_view body = {});

// Presigning: appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token (when there is a
// session token) and X-Amz-Signature to the target's query. `expires_seconds`
// must be in [1, 604800].
Result<SigningResult> PresignRequest(SignableRequest& request, const CredentialsView& credentials,
                                     const SigningParams& params, int64_t expires_seconds,
                                     std::string_view body = {});

}  // namespace gee::sigv4

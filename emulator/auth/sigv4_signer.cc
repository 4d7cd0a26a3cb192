#include "auth/sigv4_signer.h"

#include <algorithm>
#include <string>

#include "crypto/hash.h"

namespace gee::sigv4 {
namespace {

AwsError SigningError(std::string message) {
  return AwsError("SigningError", std::move(message), 400);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void RemoveHeader(std::vector<HeaderField>& headers, std::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const HeaderField& h) { return Lower(h.first) == name; }),
                headers.end());
}

// Headers AWS SDKs never sign (botocore's list) plus Authorization itself.
bool IsUnsignable(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" || lower_name == "expect" ||
         lower_name == "x-amzn-trace-id";
}

// Sorted, de-duplicated lower-case names of the headers to sign.
std::vector<std::string> HeadersToSign(const std::vector<HeaderField>& headers) {
  std::vector<std::string> names;
  for (const HeaderField& h : headers) {
    std::string name = Lower(h.first);
    if (!IsUnsignable(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(names[i]);
  }
  return out;
}

struct Prepared {
  std::string amz_date;
  std::string scope;
  CanonicalOptions options;
  Dialect dialect;
};

Result<Prepared> Prepare(const SignableRequest& request, const CredentialsView& credentials,
                         const SigningParams& params) {
  if (credentials.access_key_id.empty()) return SigningError("no access key id to sign with");
  if (!FindHeader(request.headers, "host")) return SigningError("request has no Host header");
  Prepared p;
  p.dialect = DialectForService(params.service);
  p.options = params.canonical.value_or(CanonicalOptions::For(p.dialect));
  p.amz_date = FormatAmzDate(params.time);
  CredentialScope scope{p.amz_date.substr(0, 8), std::string(params.region),
                        std::string(params.service), std::string(kTerminator)};
  p.scope = scope.ToString();
  return p;
}

Result<SigningResult> Sign(const SignableRequest& request, const CredentialsView& credentials,
                           const SigningParams& params, const Prepared& prepared,
                           const std::vector<std::string>& signed_names,
                           std::span<const std::string_view> excluded_query,
                           std::string_view payload_hash) {
  const std::string signed_line = JoinNames(signed_names);
  const RequestView view = request.View();
  CanonicalInput input;
  input.request = &view;
  input.signed_headers = signed_names;
  input.signed_headers_line = signed_line;
  input.options = prepared.options;
  input.excluded_query = excluded_query;
  input.payload_hash = payload_hash;

  SigningResult result;
  result.amz_date = prepared.amz_date;
  result.scope = prepared.scope;
  result.canonical_request = BuildCanonicalRequest(input);
  GEE_ASSIGN_OR_RETURN(result.string_to_sign,
                       BuildStringToSign(prepared.amz_date, prepared.scope, result.canonical_request));
  GEE_ASSIGN_OR_RETURN(SigningKey key,
                       SigningKey::Derive(credentials.secret_access_key, prepared.amz_date.substr(0, 8),
                                          params.region, params.service));
  GEE_ASSIGN_OR_RETURN(result.signature, key.Sign(result.string_to_sign));
  return result;
}

}  // namespace

Result<SigningResult> SignRequest(SignableRequest& request, const CredentialsView& credentials,
                                  const SigningParams& params, std::string_view body) {
  GEE_ASSIGN_OR_RETURN(Prepared prepared, Prepare(request, credentials, params));

  std::string payload_hash(params.payload_hash);
  if (payload_hash.empty()) {
    GEE_ASSIGN_OR_RETURN(payload_hash, crypto::Sha256Hex(body));
  }

  RemoveHeader(request.headers, "authorization");
  RemoveHeader(request.headers, "x-amz-date");
  RemoveHeader(request.headers, "x-amz-security-token");
  request.headers.emplace_back("X-Amz-Date", prepared.amz_date);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && params.sign_session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", std::string(credentials.session_token));
  }
  if (params.add_content_sha256_header.value_or(prepared.dialect == Dialect::kS3)) {
    RemoveHeader(request.headers, "x-amz-content-sha256");
    request.headers.emplace_back("x-amz-content-sha256", payload_hash);
  }

  const std::vector<std::string> signed_names = HeadersToSign(request.headers);
  GEE_ASSIGN_OR_RETURN(SigningResult result, Sign(request, credentials, params, prepared,
                                                  signed_names, {}, payload_hash));

  if (has_token && !params.sign_session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", std::string(credentials.session_token));
  }
  request.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) + " Credential=" + std::string(credentials.access_key_id) +
                           "/" + prepared.scope + ", SignedHeaders=" + JoinNames(signed_names) +
                           ", Signature=" + result.signature);
  return result;
}

Result<SigningResult> PresignRequest(SignableRequest& request, const CredentialsView& credentials,
                                     const SigningParams& params, int64_t expires_seconds,
                                     std::string_view body) {
  if (expires_seconds < 1 || expires_seconds > kMaxPresignExpiresSeconds) {
    return SigningError("presign expiry must be between 1 and 604800 seconds");
  }
  GEE_ASSIGN_OR_RETURN(Prepared prepared, Prepare(request, credentials, params));

  std::string payload_hash(params.payload_hash);
  if (payload_hash.empty()) {
    if (prepared.dialect == Dialect::kS3) {
      payload_hash = std::string(kUnsignedPayload);
    } else {
      GEE_ASSIGN_OR_RETURN(payload_hash, crypto::Sha256Hex(body));
    }
  }
  RemoveHeader(request.headers, "authorization");
  const std::vector<std::string> signed_names = HeadersToSign(request.headers);

  auto append = [&](std::string_view name, std::string_view value) {
    request.target.push_back(request.target.find('?') == std::string::npos ? '?' : '&');
    request.target.append(name).push_back('=');
    request.target.append(UriEncode(value, /*keep_slash=*/false));
  };
  if (!request.target.empty() && request.target.back() == '?') request.target.pop_back();
  append("X-Amz-Algorithm", kAlgorithm);
  append("X-Amz-Credential", std::string(credentials.access_key_id) + "/" + prepared.scope);
  append("X-Amz-Date", prepared.amz_date);
  append("X-Amz-Expires", std::to_string(expires_seconds));
  append("X-Amz-SignedHeaders", JoinNames(signed_names));
  const bool has_token = !credentials.session_token.empty();
  if (has_token && params.sign_session_token) {
    append("X-Amz-Security-Token", credentials.session_token);
  }

  static constexpr std::string_view kExcluded[] = {"X-Amz-Signature"};
  GEE_ASSIGN_OR_RETURN(SigningResult result, Sign(request, credentials, params, prepared,
                                                  signed_names, kExcluded, payload_hash));
  if (has_token && !params.sign_session_token) {
    append("X-Amz-Security-Token", credentials.session_token);
  }
  append("X-Amz-Signature", result.signature);
  return result;
}

}  // namespace gee::sigv4

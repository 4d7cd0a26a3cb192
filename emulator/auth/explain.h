// The authorization-explanation channel: how a client that holds the account
// root's credentials (the scenario runner) learns why gee allowed or denied a
// request made with OTHER credentials (a user, a role session).
//
// gee records one line per authorization decision of a request
// (RequestContext::decisions, the access log's "authorization" field), e.g.
//   "implicit-deny kms:Decrypt on arn:aws:kms:...:key/ID (no identity-based policy allows)"
//   "allow glue:CreateDatabase on arn:aws:glue:...:database/db by identity-based policy user/u inline p Sid S"
// Those lines name policies and statement ids, which the caller of a denied
// request must not learn from the AWS API. So they are returned only to a
// request that proves knowledge of the ROOT secret access key:
//
//   request header   x-gee-explain: hex(HMAC-SHA256(root secret, "gee-explain\n" + S))
//   response header  x-gee-authorization: ["line", "line", ...]
//
// where S is the request's own SigV4 signature (the `Signature=` of the
// Authorization header, or `X-Amz-Signature` of a presigned URL). Binding
// the token to the signature means a token seen on the wire cannot be
// reused for another request; the header itself is not signed (it is added
// after signing). A request without the header, with a wrong token, or with
// no signature gets no x-gee-authorization header and is otherwise answered
// exactly as without it. The response header is a JSON array of strings
// encoded with non-ASCII characters escaped, so it is a valid header value.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gee::auth {

inline constexpr std::string_view kExplainRequestHeader = "x-gee-explain";
inline constexpr std::string_view kExplainResponseHeader = "x-gee-authorization";

// The token a client sends in x-gee-explain for a request signed with `signature`.
std::string ExplainToken(std::string_view root_secret, std::string_view signature);

// True when `token` is the ExplainToken of `signature` under `root_secret`
// (constant-time comparison). False for an empty signature or token.
bool ExplainTokenValid(std::string_view root_secret, std::string_view signature,
                       std::string_view token);

// The SigV4 signature of a request: `Signature=` of the Authorization header
// value, else `X-Amz-Signature=` of the query string; empty when neither.
std::string_view RequestSignature(std::string_view authorization_header, std::string_view query);

// x-gee-authorization value for `decisions`, and back. DecodeDecisions returns
// an empty list for a value that is not a JSON array of strings.
std::string EncodeDecisions(const std::vector<std::string>& decisions);
std::vector<std::string> DecodeDecisions(std::string_view header_value);

}  // namespace gee::auth

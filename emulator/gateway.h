// The AWS front door: turns HTTP exchanges into service operations.
//
// For each request the gateway
//   1. answers the operational endpoints (`GET /_gee/health[?operations=1]`,
//      `GET /_gee/inspect`, `POST /_gee/reset`);
//   2. routes by the SigV4 credential-scope service, then by `X-Amz-Target`
//      (JSON 1.1), the form body (Query) or, failing both, S3 (REST-XML);
//   3. authenticates with SigV4 (auth/sigv4.h) against the credential store;
//   4. decodes the wire format (protocol/), invokes the service operation
//      (validation → authorization → handler), and encodes the result or the
//      AWS error of that protocol, with a request id on every response;
//   5. writes one access-log line per request (Environment::LogAccess);
//   6. returns the request's authorization decisions in `x-gee-authorization`
//      to a request whose `x-gee-explain` token proves it holds the root
//      secret (auth/explain.h; used by the scenario runner's reports).
//
// S3 requests are authenticated on their head and handed to the S3 front end
// (RestFrontend) so that uploads stream.
//
// Thread-safety: Begin/Handle may run concurrently on the server's I/O threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/sigv4.h"
#include "core/environment.h"
#include "crypto/secret_bytes.h"
#include "core/wire_protocol.h"
#include "server/exchange.h"

namespace gee {

// The S3 front end. Implemented by the S3 service.
class RestFrontend {
 public:
  virtual ~RestFrontend() = default;
  // `ctx` is authenticated (principal set, or anonymous with an empty ARN).
  // `ctx.decisions` may already point at the gateway's list (explanations,
  // auth/explain.h): record into it, do not replace it.
  // `signed_payload_hash` is the x-amz-content-sha256 value that was signed
  // (a hex hash, UNSIGNED-PAYLOAD or STREAMING-...); empty for anonymous.
  virtual std::unique_ptr<server::Exchange> Begin(RequestContext ctx, server::HttpRequest& head,
                                                  const std::string& signed_payload_hash) = 0;
};

class Gateway : public server::Application {
 public:
  // `reset` wipes all state (POST /_gee/reset). `s3` may be null.
  Gateway(Environment& env, std::function<Status()> reset, RestFrontend* s3);

  std::unique_ptr<server::Exchange> Begin(server::HttpRequest& head) override;
  server::HttpResponse Malformed(int status, std::string_view reason) override;

  // Handles a request whose body has been buffered (JSON, Query, operational).
  server::HttpResponse Handle(server::HttpRequest& request, const AwsError* body_error);

  // Authenticates `request` as a call to `service`: fills ctx.principal,
  // ctx.region and ctx.account, and for S3 the signed payload hash. `body` is
  // the buffered body (nullopt when it will be streamed).
  Status Authenticate(const server::HttpRequest& request, std::string_view service,
                      WireProtocol protocol, std::optional<std::string_view> body,
                      RequestContext& ctx, std::string* payload_hash);

  // The error response of `protocol` for `error`, with the request id headers.
  static server::HttpResponse RenderError(WireProtocol protocol, const RequestContext& ctx,
                                          const AwsError& error, bool head_request = false);
  // S3's x-amz-request-id (16 upper-case hex) and x-amz-id-2 for `ctx`.
  static std::string S3RequestId(const RequestContext& ctx);
  static std::string S3HostId(const RequestContext& ctx);

 private:
  server::HttpResponse HandleOperational(server::HttpRequest& request, RequestContext& ctx);
  server::HttpResponse HandleJson(server::HttpRequest& request, RequestContext& ctx);
  server::HttpResponse HandleQuery(server::HttpRequest& request, RequestContext& ctx);

  // The SigV4 signing key of (access key, scope), derived once.
  Result<std::shared_ptr<const sigv4::SigningKey>> SigningKeyFor(const sigv4::ParsedAuth& auth,
                                                               const crypto::SecretBytes& secret);
  static constexpr size_t kMaxCachedSigningKeys = 4096;

  Environment& env_;
  std::mutex keys_mu_;
  std::map<std::string, std::shared_ptr<const sigv4::SigningKey>> signing_keys_;
  std::function<Status()> reset_;
  RestFrontend* s3_;
  int64_t started_micros_;
};

}  // namespace gee

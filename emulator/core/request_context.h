// Everything known about one request as it moves through the layers:
// request id, account, region, the authenticated principal, transport facts
// for condition keys, the service-to-service chain, and injected clock/random.
//
// A RequestContext is created by the dispatcher for each HTTP request and
// copied (with a different principal or via-service) for in-process calls one
// service makes to another. Not thread-safe; one request, one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "core/clock.h"
#include "core/random.h"

namespace gee {

struct RequestContext {
  std::string request_id;
  // Region from the SigV4 credential scope (or the configured default).
  std::string region;
  // The caller's account (the principal's account; for service principals,
  // the account on whose behalf the service acts).
  std::string account;
  Principal principal;
  // Transport facts for aws:SourceIp / aws:SecureTransport.
  std::string source_ip;
  bool secure_transport = false;
  // kms:ViaService when a service calls KMS with the caller's identity
  // ("s3.us-east-1.amazonaws.com"); empty for direct calls.
  std::string via_service;
  // aws:CalledVia chain (service principals, e.g. "glue.amazonaws.com").
  std::vector<std::string> called_via;
  // aws:SourceArn / aws:SourceAccount when a service principal acts for a resource.
  std::string source_arn;
  std::string source_account;
  // Service and operation being served (for logs and error messages).
  std::string service;
  std::string operation;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  // Nesting depth of in-process calls (0 = the HTTP request itself).
  int depth = 0;
  // Authorization decisions taken for this request, one short line each
  // ("allow kms:Encrypt by key policy Sid ...", "deny ..."), for the access
  // log and the scenario runner's explanations. Shared by in-process calls.
  std::vector<std::string>* decisions = nullptr;
};

// A context for a call `service_host` ("s3.us-east-1.amazonaws.com") makes to
// another service with the caller's identity: same principal, kms:ViaService
// set, aws:CalledVia extended, decisions shared with the caller.
inline RequestContext ViaService(const RequestContext& caller, const std::string& service_host,
                                 const std::string& called_via_principal) {
  RequestContext ctx = caller;
  ctx.via_service = service_host;
  ctx.called_via.push_back(called_via_principal);
  ctx.depth = caller.depth + 1;
  return ctx;
}

// A context for a call a service makes as its own service principal
// ("logs.us-east-1.amazonaws.com") for a resource (`source_arn`) of
// `source_account`.
inline RequestContext AsServicePrincipal(const RequestContext& caller,
                                         const std::string& service_principal,
                                         const std::string& source_arn,
                                         const std::string& source_account) {
  RequestContext ctx = caller;
  ctx.principal = ServicePrincipal(service_principal);
  ctx.account = source_account;
  ctx.via_service.clear();
  ctx.called_via.clear();
  ctx.source_arn = source_arn;
  ctx.source_account = source_account;
  ctx.depth = caller.depth + 1;
  return ctx;
}

}  // namespace gee

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

}  // namespace gee

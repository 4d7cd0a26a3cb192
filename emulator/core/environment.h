// The shared facilities of one running emulator, handed to every service:
// configuration, clock and randomness, the store (and the lock that serialises
// it), the root-key sealer, the authorizer, the registry of services for
// in-process service-to-service calls, and the access log.
//
// Thread-safety: the accessors are safe from any thread; store access must
// hold StoreLock (OperationRunner does this for every operation).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/random.h"
#include "core/request_context.h"
#include "core/result.h"

namespace gee {

namespace store {
class Database;
class RootKeyring;
}  // namespace store
class Authorizer;
class Service;
class CredentialStore;
class AtRestInspector;

class Environment {
 public:
  Environment(const Config& config, const Clock& clock, Random& random, store::Database& db,
              const store::RootKeyring& keyring, Authorizer& authorizer, CredentialStore& credentials);

  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  Random& random() { return random_; }
  store::Database& db() { return db_; }
  // Held for the whole of every operation (re-entrant for in-process calls).
  std::recursive_mutex& store_mutex() { return store_mutex_; }
  // Seals secrets (KMS key material, IAM secret keys) under the root key.
  const store::RootKeyring& keyring() const { return keyring_; }
  Authorizer& authorizer() { return authorizer_; }
  CredentialStore& credentials() { return credentials_; }

  void Register(Service* service);
  // At-rest inspectors (core/inspection.h), one per service storing customer data.
  void RegisterInspector(AtRestInspector* inspector) { inspectors_.push_back(inspector); }
  const std::vector<AtRestInspector*>& inspectors() const { return inspectors_; }
  Service* FindService(std::string_view name) const;
  const std::vector<Service*>& services() const { return services_; }

  // Decides `request` for `ctx.principal` with the configured AuthMode. On a
  // denial under kEnforce returns the AccessDenied error of `ctx.service`'s
  // protocol with AWS's sentence; under kSoft logs the denial and allows.
  Status Authorize(RequestContext& ctx, AuthRequest& request);
  // The AccessDenied error of `ctx.service`'s protocol carrying `message`
  // (JSON services: AccessDeniedException 400; IAM, STS, S3: AccessDenied 403).
  AwsError AccessDenied(const RequestContext& ctx, std::string message) const;

  // A new request context for a call made by this emulator on its own (job
  // runs, reset), with a fresh request id.
  RequestContext NewContext(const Principal& principal, const std::string& region);
  // Writes the structured access-log line of one request to stderr (when
  // enabled): request id, principal, service, operation, status, latency and
  // the authorization decisions. Never secrets or payloads.
  void LogAccess(const RequestContext& ctx, int status, int64_t start_micros) const;
  // A new request id (UUID v4).
  std::string NewRequestId();

 private:
  const Config& config_;
  const Clock& clock_;
  Random& random_;
  store::Database& db_;
  const store::RootKeyring& keyring_;
  Authorizer& authorizer_;
  CredentialStore& credentials_;
  std::recursive_mutex store_mutex_;
  std::vector<Service*> services_;
  std::vector<AtRestInspector*> inspectors_;
  std::once_flag request_id_once_;
  uint64_t request_id_base_ = 0;
  std::atomic<uint64_t> request_id_counter_{0};
};

}  // namespace gee

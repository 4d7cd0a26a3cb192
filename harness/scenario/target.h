// Where scenarios run: an in-process ephemeral gee (emulator/emulator.h) on
// an ephemeral loopback port, or any AWS-compatible endpoint given by URL.
//
// For a gee endpoint (recognised by `GET /_gee/health`), the target knows
// which operations and at-rest inspection kinds are implemented
// (`/_gee/health?operations=1`), can wipe state between scenarios
// (`POST /_gee/reset`, root only) and serves the inspection endpoint. Any
// other endpoint is assumed to implement everything; inspection steps are
// skipped there.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "harness/client/aws_client.h"

namespace gee {
class Emulator;
}

namespace gee::scenario {

struct TargetOptions {
  // Empty: start an in-process gee. Otherwise "http://host:port".
  std::string endpoint;
  // Root credentials of the account the scenarios run in (gee: test/test).
  harness::Credentials root{"test", "test", ""};
  // In-process only: write gee's access log to stderr.
  bool access_log = false;
  // Time source for signing and for the in-process gee (null: the system
  // clock), and the in-process gee's randomness (null: OpenSSL). Tests pass a
  // ManualClock and a DeterministicRandom; both must outlive the Target.
  const Clock* clock = nullptr;
  Random* random = nullptr;
};

class Target {
 public:
  static Result<std::unique_ptr<Target>> Open(const TargetOptions& options);
  ~Target();

  const std::string& endpoint() const { return endpoint_; }
  const harness::Credentials& root() const { return root_; }
  // "gee 0.1.0 in-process at http://127.0.0.1:PORT", "gee 0.1.0 at URL" or "URL".
  const std::string& description() const { return description_; }
  bool is_gee() const { return is_gee_; }
  bool in_process() const { return emulator_ != nullptr; }
  // The clock requests are signed with (null: the system clock).
  const Clock* clock() const { return clock_; }

  // Whether the endpoint implements "svc:Operation" (always true when not gee).
  bool HasOperation(const std::string& service_operation) const;
  // Whether gee can inspect `kind` at rest (false when not gee).
  bool HasInspectKind(const std::string& kind) const;

  // Wipes gee's state (a no-op for other endpoints).
  Status Reset();

 private:
  Target() = default;
  Status Probe();

  std::string endpoint_;
  harness::Credentials root_;
  std::string description_;
  const Clock* clock_ = nullptr;
  bool is_gee_ = false;
  std::set<std::string> operations_;
  std::set<std::string> services_with_all_operations_;
  std::set<std::string> inspect_kinds_;
  std::unique_ptr<Emulator> emulator_;
};

}  // namespace gee::scenario

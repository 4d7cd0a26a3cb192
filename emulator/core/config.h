// Configuration of one gee instance: where it listens, where it keeps state,
// the root credentials and account, enforcement mode and every limit. Filled
// from the command line by main.cc and from test fixtures by the Emulator
// class. Plain value.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "auth/denial_message.h"
#include "server/http_server.h"

namespace gee {

enum class AuthMode {
  kEnforce,  // denials are errors (default: that is the point of gee)
  kSoft,     // denials are logged with their reason, the request proceeds
  kOff,      // authorization is skipped (signatures are still verified)
};

struct Config {
  // HTTP listener and its limits (header/body size, timeouts, threads).
  server::ServerOptions server;
  // Data directory holding gee.db and root.key (both 0600). Default ./.gee.
  std::string data_dir = ".gee";
  // Keep everything in memory; nothing is written to disk.
  bool ephemeral = false;
  // Account whose root the root credentials are. Default 000000000000.
  std::string account_id = "000000000000";
  // Long-term access key of the account root. Default test/test.
  std::string root_access_key_id = "test";
  std::string root_secret_access_key = "test";
  // Region used when a request carries none (unsigned requests, global services).
  std::string default_region = "us-east-1";
  // Policy enforcement; signature verification is separate (below).
  AuthMode auth_mode = AuthMode::kEnforce;
  // Verify SigV4 signatures. Only an explicit --no-verify-signatures turns this off.
  bool verify_signatures = true;
  // Allowed clock skew for header-signed requests, per protocol (spec §2.1/§2.2):
  // JSON services 5 minutes, Query (IAM/STS) 15 minutes, S3 15 minutes.
  std::chrono::seconds json_skew{300};
  std::chrono::seconds query_skew{900};
  std::chrono::seconds s3_skew{900};
  // Write one structured access-log line per request to stderr.
  bool access_log = true;
  // How implicit KMS denials name the policy type in AccessDenied sentences
  // (the rule AWS uses is UNCONFIRMED, spec §3.5): the evaluator's heuristic
  // by default, or always "identity-based" / "resource-based".
  KmsDenialPhrase kms_denial_phrase = KmsDenialPhrase::kFromDecision;
};

}  // namespace gee

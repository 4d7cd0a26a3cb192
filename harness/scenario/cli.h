// The `gee scenario run` and `gee scenario validate` commands (wired into
// emulator/main.cc with CLI11). Kept here so main.cc stays a thin parser.
//
//   gee scenario run [PATH...]        files or directories of *.jsonc
//       --endpoint URL                 any AWS-compatible endpoint (default:
//                                      an in-process ephemeral gee)
//       --access-key-id/--secret-access-key/--session-token
//                                      root credentials (default test/test)
//       --region R                     override every scenario's region
//       --filter GLOB                  only scenarios whose name or file
//                                      name matches (substring without * ?)
//       --explain                      narrate every step
//       --junit FILE  --json FILE      machine-readable reports
//       --strict                       skipped steps count as failures
//       --no-reset                     keep gee's state between scenarios
//       --poll-interval-ms N --poll-attempts N
//   gee scenario validate FILE...
//
// Exit status: 0 when every scenario passed, 1 when one failed (or, with
// --strict, was skipped), 2 for a usage problem or an unreachable endpoint.
//
// Thread-safety: one thread.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gee::scenario {

struct RunCommand {
  std::vector<std::string> paths;
  std::string endpoint;
  std::string access_key_id = "test";
  std::string secret_access_key = "test";
  std::string session_token;
  std::string region;
  std::string filter;
  bool explain = false;
  bool verbose = false;
  std::string junit_file;
  std::string json_file;
  bool strict = false;
  bool no_reset = false;
  int poll_interval_ms = 50;
  int poll_attempts = 600;
  // Expected denials become expected successes (proves the runner can fail).
  bool invert_expectations = false;
  // In-process gee: write its access log to stderr.
  bool access_log = false;
};

// Runs the scenarios; writes the human report to `out`, problems to `err`.
int RunScenarioCommand(const RunCommand& command, std::ostream& out, std::ostream& err);

// Checks the scenarios without running them.
int ValidateScenarioCommand(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

// The scenario files named by `paths` (directories: their *.jsonc files,
// sorted). Missing paths are reported in `missing`.
std::vector<std::string> ExpandScenarioPaths(const std::vector<std::string>& paths,
                                             std::vector<std::string>* missing);

// Whether `name` matches `filter` (shell glob with * and ?, or a substring
// when the filter has neither).
bool MatchesFilter(const std::string& filter, const std::string& name);

}  // namespace gee::scenario

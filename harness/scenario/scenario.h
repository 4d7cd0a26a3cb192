// A scenario: principals, KMS keys and ordered steps replayed against an
// AWS-compatible endpoint, with what each step must produce. The file format
// (JSON with comments) is documented in docs/SCENARIOS.md; this header is
// its in-memory form and the loader that checks it.
//
// Values that may contain ${...} references (template.h) are kept as JSON
// and substituted when the step runs. Every element remembers the line it
// came from, so run-time failures can point into the file too.
//
// LoadScenario reads a file, its fixture files (policies, paths relative to
// the scenario's directory) and checks everything that can be checked
// without running: members and their types, operation names against the
// botocore models, input member names against the operation's input shape,
// JSON paths, regular expressions, and that every ${...} reference names
// something declared (a key, a user, a role, a variable) or saved by an
// EARLIER step. All problems are reported, each with file and line.
//
// Thread-safety: a Scenario is a plain value.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/located_json.h"

namespace gee::scenario {

// A policy document loaded from a fixture file.
struct PolicyFile {
  // As written in the scenario (relative to the scenario's directory).
  std::string path;
  // Resolved path on disk.
  std::string resolved_path;
  // Inline policy name (default: the file name without extension).
  std::string name;
  // The document with ${...} references unsubstituted.
  nlohmann::json document;
  // The parsed file (for the lines of problems found in it).
  std::shared_ptr<const LocatedJson> source;
  // Line of the reference in the scenario.
  int line = 0;
};

struct UserDecl {
  std::string name;
  std::vector<PolicyFile> policies;
  int line = 0;
};

struct RoleDecl {
  std::string name;
  PolicyFile trust_policy;
  std::vector<PolicyFile> policies;
  // Principal that assumes the role when a step runs `as` "role:NAME":
  // "user:NAME" (empty: the role cannot be used in `as`).
  std::string assumed_by;
  std::string session_name = "gee-scenario";
  int line = 0;
};

struct KeyDecl {
  std::string name;
  std::string description;
  std::string key_spec = "SYMMETRIC_DEFAULT";
  std::string key_usage = "ENCRYPT_DECRYPT";
  // Key policy put after every principal and key exists (absent: the
  // default key policy of CreateKey).
  std::optional<PolicyFile> policy;
  // PutKeyPolicy's BypassPolicyLockoutSafetyCheck (for policies that do not
  // let the account manage the key).
  bool bypass_policy_lockout_safety_check = false;
  std::vector<std::string> aliases;
  // false: the key is disabled at the end of setup.
  bool enabled = true;
  int line = 0;
};

// One assertion on an output (or on a saved value).
struct OutputCheck {
  enum class Op { kEquals, kExists, kMatches, kContains, kLength };
  std::string path;
  Op op = Op::kEquals;
  // The expected value (template); for kExists a boolean.
  nlohmann::json value;
  int line = 0;
  // JSON pointer of the check in the scenario file.
  std::string pointer;
};

struct Expectation {
  // false: the step must fail with `error` (an AWS error code).
  bool success = true;
  std::string error;
  std::optional<std::string> message;           // exact text (template)
  std::optional<std::string> message_contains;  // substring (template)
  std::optional<std::string> message_matches;   // ECMAScript regex, whole message
  std::optional<int> status;                    // HTTP status
  std::vector<OutputCheck> output;
  int line = 0;
};

enum class StepKind { kCall, kWait, kEncryptedAtRest, kDecryptsTo };

struct WaitSpec {
  enum class For { kJobRun, kCrawler };
  For what = For::kJobRun;
  nlohmann::json job;      // job name (template)
  nlohmann::json run_id;   // job run id (template)
  nlohmann::json crawler;  // crawler name (template)
  // Job run state to reach (SUCCEEDED, FAILED, ...) or crawler state (READY).
  std::string until;
  // Crawler only: LastCrawl.Status required when READY (e.g. SUCCEEDED).
  std::optional<std::string> last_crawl;
  // Polls before giving up (default: the runner's), and the pause between
  // polls (default: the runner's).
  std::optional<int> attempts;
  std::optional<int> interval_ms;
};

struct AtRestSpec {
  nlohmann::json kind;       // inspection kind (core/inspection.h)
  nlohmann::json id;         // item id
  nlohmann::json plaintext;  // text that must not appear in the stored bytes
  nlohmann::json key;        // ARN of the key that must protect it (optional)
  nlohmann::json scheme;     // e.g. "SSE-KMS" (optional)
};

struct DecryptSpec {
  nlohmann::json ciphertext;          // base64 KMS ciphertext blob
  nlohmann::json plaintext;           // expected plaintext (text)
  nlohmann::json encryption_context;  // optional map
  nlohmann::json key_id;              // optional
};

struct Step {
  // 1-based position in the scenario.
  int index = 0;
  std::string name;
  // The step of the AWS guide "Setting up encryption in AWS Glue" (1-11).
  std::optional<int> guide_step;
  // What the step does, in AWS terms (for --explain).
  std::string explain;
  // "root", "user:NAME", "role:NAME", "credentials:VAR".
  std::string as = "root";
  StepKind kind = StepKind::kCall;
  // kCall: "svc:Operation" split, and the input (template).
  std::string service;
  std::string operation;
  nlohmann::json input = nlohmann::json::object();
  WaitSpec wait;
  AtRestSpec at_rest;
  DecryptSpec decrypt;
  Expectation expect;
  // Variables to save from the output: name → JSON path.
  std::vector<std::pair<std::string, std::string>> save;
  int line = 0;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string region = "us-east-1";
  std::vector<std::string> tags;
  // Declared variables in order (values are templates, resolved in order).
  std::vector<std::pair<std::string, nlohmann::json>> variables;
  std::vector<UserDecl> users;
  std::vector<RoleDecl> roles;
  std::vector<KeyDecl> keys;
  std::vector<Step> steps;
  // Policy files named by ${policy:PATH} in steps, by PATH as written.
  std::map<std::string, PolicyFile> documents;

  const UserDecl* FindUser(std::string_view name) const;
  const RoleDecl* FindRole(std::string_view name) const;
  const KeyDecl* FindKey(std::string_view name) const;
};

// Loads and checks `path`. On failure `diagnostics` holds every problem found
// (and the result is an error whose message is the first one).
Result<Scenario> LoadScenario(const std::string& path, std::vector<Diagnostic>* diagnostics);

// Same, from text (tests); fixture paths are resolved against `directory`.
Result<Scenario> ParseScenario(std::string_view text, const std::string& file,
                               const std::string& directory, std::vector<Diagnostic>* diagnostics);

// The operations a scenario calls, as "svc:Operation", including those its
// setup and its wait/decrypt steps make (for capability checks).
std::vector<std::string> SetupOperations(const Scenario& scenario);
std::vector<std::string> StepOperations(const Step& step);

}  // namespace gee::scenario

// Results of scenario runs and the reports made from them:
//   - HumanReport: streamed step by step while the run progresses (the
//     progress display), with expected vs actual and, for a denial, the
//     deciding policy statement; `explain` narrates every step;
//   - WriteJUnit: JUnit XML for CI (one testsuite per scenario, one testcase
//     per step, setup failures as a "setup" testcase);
//   - ToJson: the whole run as JSON (schema in docs/SCENARIOS.md).
//
// Thread-safety: plain values and single-threaded writers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/scenario/located_json.h"

namespace gee::scenario {

enum class Outcome { kPassed, kFailed, kSkipped };
std::string_view OutcomeName(Outcome outcome);  // "passed", "failed", "skipped"

struct StepResult {
  // Position in the scenario (1-based); 0 for setup actions.
  int index = 0;
  bool setup = false;
  std::string name;
  std::optional<int> guide_step;
  // What was done: "glue:CreateDatabase", "wait for job run", "encrypted at rest", ...
  std::string action;
  // Who did it: "root", "user/alice", "role/R (session S)".
  std::string as;
  // The scenario's explanation of the step (for --explain).
  std::string explain;
  int line = 0;
  Outcome outcome = Outcome::kPassed;
  // "success" or "AccessDeniedException: <message>" etc.
  std::string expected;
  // What happened, in the same form.
  std::string actual;
  // Each check that failed; empty when passed.
  std::vector<std::string> failures;
  std::string skip_reason;
  // gee's authorization decisions for the step's request(s).
  std::vector<std::string> decisions;
  // Facts worth showing: inspection records, polls, saved variables.
  std::vector<std::string> notes;
  std::string request_id;
  double duration_ms = 0;
};

struct ScenarioResult {
  std::string name;
  std::string file;
  std::string description;
  Outcome outcome = Outcome::kPassed;
  // Why the whole scenario was skipped or could not load.
  std::string reason;
  std::vector<Diagnostic> load_errors;
  std::vector<StepResult> setup;
  std::vector<StepResult> steps;
  double duration_ms = 0;

  int Count(Outcome outcome) const;
};

struct RunReport {
  // "gee 0.1.0 (in-process, http://127.0.0.1:40123)" or the endpoint.
  std::string target;
  std::string account;
  std::vector<ScenarioResult> scenarios;
  double duration_ms = 0;
  // Skipped scenarios/steps fail the run (--strict).
  bool strict = false;

  int Count(Outcome outcome) const;
  // 0 when nothing failed (and, when strict, nothing was skipped), else 1.
  int ExitCode() const;
};

// Receives results as the run progresses.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void OnRunStart(const std::string& target, size_t scenario_count) {}
  virtual void OnScenarioStart(size_t position, size_t count, const std::string& name, const std::string& file,
                               const std::string& description) {}
  virtual void OnStep(const StepResult& step) {}
  virtual void OnScenarioDone(const ScenarioResult& result) {}
  virtual void OnRunDone(const RunReport& report) {}
};

struct HumanReportOptions {
  // Narrate every step: what it does in AWS terms, who does it, why it is
  // allowed or denied (gee's decisions), and the outcome.
  bool explain = false;
  // List setup actions one by one (always listed when one fails).
  bool verbose = false;
};

// The human report, written as results arrive.
class HumanReport final : public ProgressListener {
 public:
  HumanReport(std::ostream& out, HumanReportOptions options) : out_(out), options_(options) {}

  void OnRunStart(const std::string& target, size_t scenario_count) override;
  void OnScenarioStart(size_t position, size_t count, const std::string& name, const std::string& file,
                       const std::string& description) override;
  void OnStep(const StepResult& step) override;
  void OnScenarioDone(const ScenarioResult& result) override;
  void OnRunDone(const RunReport& report) override;

 private:
  void WriteStep(const StepResult& step);
  std::ostream& out_;
  HumanReportOptions options_;
  std::vector<StepResult> pending_setup_;
  bool setup_shown_ = false;
  std::string last_skip_reason_;
};

// JUnit XML of `report`.
void WriteJUnit(const RunReport& report, std::ostream& out);

// The JSON form of `report`.
nlohmann::json ToJson(const RunReport& report);

// One authorization decision line in words, e.g.
// "implicit-deny kms:Decrypt on K (no identity-based policy allows)" →
// "denied kms:Decrypt on K: no identity-based policy allows it".
std::string NarrateDecision(const std::string& decision);

}  // namespace gee::scenario

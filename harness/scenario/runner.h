// Runs scenarios (scenario.h) against a Target and produces their results
// (report.h).
//
// For each scenario: wipe gee's state (gee targets), learn the account
// (sts:GetCallerIdentity as root), resolve the declared variables, then set
// up as root, in this order so that every reference resolves:
//   1. iam:CreateUser / iam:CreateRole (trust policy from its fixture);
//   2. kms:CreateKey for every key;
//   3. kms:PutKeyPolicy (fixture policy) and kms:CreateAlias;
//   4. iam:PutUserPolicy / iam:PutRolePolicy (fixture policies, inline,
//      named after their files);
//   5. iam:CreateAccessKey for every user; kms:DisableKey for keys declared
//      disabled.
// Then the steps run in order. A step acting `as` "role:NAME" uses a session
// that the role's `assumed_by` user obtains with sts:AssumeRole on first use.
//
// A step whose operations the target does not implement (gee tells which,
// issue by issue) is skipped with the rest of the scenario, and the reason
// names what is missing; an inspection step is skipped alone when its kind
// is not inspectable (or the target is not gee). A failed setup action fails
// the scenario and its steps are not run.
//
// `invert_expectations` turns every expected denial into an expected success
// (errors, failed job runs/crawls, failed decryptions): running a negative
// scenario inverted must fail, which proves the runner can fail.
//
// Waiting: a "wait" step polls glue:GetJobRun / glue:GetCrawler at most
// `attempts` times, sleeping `poll_interval` between polls through the
// injectable `sleep` (tests pass a no-op: gee's runs are fast).
//
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "harness/scenario/report.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/target.h"

namespace gee::scenario {

struct RunnerOptions {
  // Region for every scenario (empty: each scenario's own, default us-east-1).
  std::string region;
  // Wipe gee's state before each scenario.
  bool reset = true;
  // Ask gee to explain its authorization decisions (gee targets only).
  bool explain_decisions = true;
  // See above.
  bool invert_expectations = false;
  // A skipped step or scenario counts as a failure.
  bool strict = false;
  // Default poll bound and pause of "wait" steps.
  int poll_attempts = 600;
  std::chrono::milliseconds poll_interval{50};
  // How to pause between polls (default: std::this_thread::sleep_for).
  std::function<void(std::chrono::milliseconds)> sleep;
};

class Runner {
 public:
  // `listener` (may be null) receives each result as it is produced.
  Runner(Target& target, RunnerOptions options, ProgressListener* listener);

  ScenarioResult Run(const Scenario& scenario);

  // The account of the last run (from sts:GetCallerIdentity).
  const std::string& account() const { return account_; }

 private:
  Target& target_;
  RunnerOptions options_;
  ProgressListener* listener_;
  std::string account_;
};

}  // namespace gee::scenario

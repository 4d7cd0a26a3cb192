// The scenario runner against a real gee (in-process, over HTTP) and against
// a fake endpoint that is not gee: outputs, errors, saved variables, keys,
// inspections, explanations, skipping, inversion, waiting, and failing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>

#include "harness/scenario/cli.h"
#include "harness/scenario/runner.h"
#include "server/http_server.h"
#include "tests/testing/emulator_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gee::scenario {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Failures(const ScenarioResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.setup) {
    for (const auto& f : s.failures) out.push_back("setup " + s.name + ": " + f);
  }
  for (const auto& s : r.steps) {
    for (const auto& f : s.failures) out.push_back(std::to_string(s.index) + ": " + f);
  }
  return out;
}

std::string Dump(const ScenarioResult& r) { return ToJson(RunReport{"", "", {r}, 0, false}).dump(2); }

class ScenarioRunnerTest : public testing::EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    TargetOptions options;
    options.endpoint = endpoint();
    options.clock = &clock();
    auto target = Target::Open(options);
    ASSERT_TRUE(target.ok()) << target.error().message;
    target_ = std::move(target).value();
    Write("deny-root-encrypt.json", R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::${account}:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "NoEncryptForRoot", "Effect": "Deny",
     "Principal": {"AWS": "arn:aws:iam::${account}:root"}, "Action": "kms:Encrypt", "Resource": "*"}
  ]
})");
  }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_.path() / name) << text; }

  Scenario Load(const std::string& text) {
    std::vector<Diagnostic> diagnostics;
    auto s = ParseScenario(text, "test.jsonc", dir_.path().string(), &diagnostics);
    EXPECT_TRUE(s.ok()) << (diagnostics.empty() ? s.error().message : diagnostics[0].ToString());
    return s.ok() ? std::move(s).value() : Scenario{};
  }

  ScenarioResult Run(const std::string& text, RunnerOptions options = {}) {
    Scenario s = Load(text);
    options.sleep = [](std::chrono::milliseconds) {};
    Runner runner(*target_, options, nullptr);
    return runner.Run(s);
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Target> target_;
};

TEST_F(ScenarioRunnerTest, TargetRecognisesGeeAndItsOperations) {
  EXPECT_TRUE(target_->is_gee());
  EXPECT_TRUE(target_->HasOperation("sts:GetCallerIdentity"));
  EXPECT_TRUE(target_->HasOperation("kms:CreateKey"));
  EXPECT_FALSE(target_->HasOperation("glue:CreateMLTransform"));
  EXPECT_TRUE(target_->HasInspectKind("kms-key"));
  EXPECT_THAT(target_->description(), HasSubstr("gee "));
}

TEST_F(ScenarioRunnerTest, RunsCallsChecksOutputsAndSavesVariables) {
  auto r = Run(R"({"name": "who", "steps": [
    {"name": "who am I", "call": "sts:GetCallerIdentity",
     "expect": {"output": [{"path": "$.Account", "equals": "${account}"},
                           {"path": "$.Arn", "matches": "arn:aws:iam::[0-9]{12}:root"},
                           {"path": "$.Nothing", "exists": false}]},
     "save": {"me": "$.Arn", "identity": "$"}},
    {"name": "again", "call": "sts:GetCallerIdentity",
     "expect": {"output": {"$.Arn": "${me}", "$.UserId": "${identity.Account}"}}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_THAT(r.steps[0].notes, Contains("saved me = \"arn:aws:iam::000000000000:root\""));
  EXPECT_EQ(r.steps[0].as, "root");
  EXPECT_FALSE(r.steps[0].request_id.empty());
}

TEST_F(ScenarioRunnerTest, DeclaredKeysAreCreatedAndACiphertextDecryptsToItsPlaintext) {
  auto r = Run(R"({"name": "kms", "keys": [{"name": "k", "aliases": ["alias/gee-test"]}], "steps": [
    {"name": "encrypt", "call": "kms:Encrypt", "input": {"KeyId": "alias/gee-test", "Plaintext": "${base64:s3cret}"},
     "expect": {"output": {"$.KeyId": "${key:k}"}}, "save": {"blob": "$.CiphertextBlob"}},
    {"name": "decrypt", "decrypts_to": {"ciphertext": "${blob}", "plaintext": "s3cret"}},
    {"name": "describe by id", "call": "kms:DescribeKey", "input": {"KeyId": "${key:k.id}"},
     "expect": {"output": {"$.KeyMetadata.Arn": "${key:k}", "$.KeyMetadata.KeyState": "Enabled"}}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  EXPECT_THAT(r.steps[1].actual, HasSubstr("plaintext \"s3cret\""));
  std::vector<std::string> setup;
  for (const auto& s : r.setup) setup.push_back(s.action);
  EXPECT_THAT(setup, Contains("kms:CreateKey"));
  EXPECT_THAT(setup, Contains("kms:CreateAlias"));
}

TEST_F(ScenarioRunnerTest, ExpectedErrorWithItsExactMessagePasses) {
  auto r = Run(R"({"name": "missing key", "steps": [
    {"name": "describe a key that does not exist", "call": "kms:DescribeKey",
     "input": {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"},
     "expect": {"error": "NotFoundException", "status": 400,
                "message": "Key 'arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
}

TEST_F(ScenarioRunnerTest, UnexpectedSuccessFailsTheStepAndTheScenario) {
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "should be denied", "call": "sts:GetCallerIdentity", "expect": {"error": "AccessDenied"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::kFailed);
  EXPECT_EQ(r.steps[0].expected, "AccessDenied");
  EXPECT_THAT(r.steps[0].actual, HasSubstr("success"));
  EXPECT_THAT(r.steps[0].failures, ElementsAre("expected AccessDenied, but the call succeeded"));
}

TEST_F(ScenarioRunnerTest, WrongOutputValueFailsWithExpectedAndActual) {
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "wrong account", "call": "sts:GetCallerIdentity", "expect": {"output": {"$.Account": "111122223333"}}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_THAT(Failures(r), ElementsAre("1: $.Account: expected \"111122223333\", got \"000000000000\""));
}

TEST_F(ScenarioRunnerTest, WrongErrorCodeAndMessageFail) {
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "wrong expectation", "call": "kms:DescribeKey", "input": {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"},
     "expect": {"error": "AccessDeniedException", "message_contains": "not authorized"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  auto failures = Failures(r);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0], "1: expected error AccessDeniedException, got NotFoundException");
  EXPECT_THAT(failures[1], HasSubstr("expected the message to contain \"not authorized\""));
}

TEST_F(ScenarioRunnerTest, DecryptingToAnotherPlaintextFails) {
  auto r = Run(R"({"name": "x", "keys": [{"name": "k"}], "steps": [
    {"name": "encrypt", "call": "kms:Encrypt", "input": {"KeyId": "${key:k}", "Plaintext": "${base64:one}"},
     "save": {"blob": "$.CiphertextBlob"}},
    {"name": "decrypt", "decrypts_to": {"ciphertext": "${blob}", "plaintext": "two"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_THAT(Failures(r), ElementsAre("2: decrypted to \"one\", expected \"two\""));
}

TEST_F(ScenarioRunnerTest, ADenialIsExplainedByItsDecidingStatement) {
  auto r = Run(R"({"name": "x", "keys": [{"name": "k", "policy": "deny-root-encrypt.json"}], "steps": [
    {"name": "root may not encrypt", "call": "kms:Encrypt", "input": {"KeyId": "${key:k}", "Plaintext": "${base64:x}"},
     "expect": {"error": "AccessDeniedException",
                "message": "User: arn:aws:iam::${account}:root is not authorized to perform: kms:Encrypt on resource: ${key:k} with an explicit deny in a resource-based policy"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  ASSERT_EQ(r.steps.size(), 1u);
  ASSERT_FALSE(r.steps[0].decisions.empty());
  EXPECT_THAT(r.steps[0].decisions.back(), HasSubstr("explicit-deny kms:Encrypt"));
  EXPECT_THAT(r.steps[0].decisions.back(), HasSubstr("NoEncryptForRoot"));
}

TEST_F(ScenarioRunnerTest, DecisionsAreNotRequestedWhenExplanationIsOff) {
  RunnerOptions options;
  options.explain_decisions = false;
  auto r = Run(R"({"name": "x", "keys": [{"name": "k"}], "steps": [
    {"name": "describe", "call": "kms:DescribeKey", "input": {"KeyId": "${key:k}"}}]})",
               options);
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  EXPECT_THAT(r.steps[0].decisions, IsEmpty());
}

TEST_F(ScenarioRunnerTest, InvertedExpectationsMakeANegativeScenarioFail) {
  const char* negative = R"({"name": "x", "keys": [{"name": "k", "policy": "deny-root-encrypt.json"}], "steps": [
    {"name": "root may not encrypt", "call": "kms:Encrypt", "input": {"KeyId": "${key:k}", "Plaintext": "${base64:x}"},
     "expect": {"error": "AccessDeniedException"}},
    {"name": "still allowed to describe", "call": "kms:DescribeKey", "input": {"KeyId": "${key:k}"}}
  ]})";
  EXPECT_EQ(Run(negative).outcome, Outcome::kPassed);
  RunnerOptions options;
  options.invert_expectations = true;
  auto r = Run(negative, options);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::kFailed);
  EXPECT_THAT(r.steps[0].expected, HasSubstr("inverted from AccessDeniedException"));
  EXPECT_EQ(r.steps[1].outcome, Outcome::kPassed);  // only the denial is inverted
}

TEST_F(ScenarioRunnerTest, AStepNeedingAnUnimplementedOperationIsSkippedWithTheRest) {
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "works", "call": "sts:GetCallerIdentity"},
    {"name": "not implemented", "call": "glue:CreateMLTransform",
     "input": {"Name": "t", "InputRecordTables": [], "Parameters": {"TransformType": "FIND_MATCHES"}, "Role": "r"}},
    {"name": "after it", "call": "sts:GetCallerIdentity"}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[1].outcome, Outcome::kSkipped);
  EXPECT_EQ(r.steps[1].skip_reason, "waits for glue:CreateMLTransform (not implemented by this endpoint yet)");
  EXPECT_EQ(r.steps[2].outcome, Outcome::kSkipped);
}

TEST_F(ScenarioRunnerTest, StrictModeCountsSkipsAsFailures) {
  RunnerOptions options;
  options.strict = true;
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "not implemented", "call": "glue:CreateMLTransform",
     "input": {"Name": "t", "InputRecordTables": [], "Parameters": {"TransformType": "FIND_MATCHES"}, "Role": "r"}}
  ]})", options);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
}

TEST_F(ScenarioRunnerTest, EncryptedAtRestReportsTheStoredRecords) {
  auto r = Run(R"({"name": "x", "keys": [{"name": "k"}], "steps": [
    {"name": "key material is sealed", "encrypted_at_rest": {"kind": "kms-key", "id": "${key:k.id}", "plaintext": "gee-probe-text-that-is-never-stored"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  ASSERT_FALSE(r.steps[0].notes.empty());
  EXPECT_THAT(r.steps[0].notes[0], HasSubstr("plaintext not found"));
}

TEST_F(ScenarioRunnerTest, EncryptedAtRestFailsWhenTheNamedKeyDoesNotProtectTheItem) {
  auto r = Run(R"({"name": "x", "keys": [{"name": "k"}, {"name": "other"}], "steps": [
    {"name": "wrong key", "encrypted_at_rest": {"kind": "kms-key", "id": "${key:k.id}", "plaintext": "gee-probe-text-that-is-never-stored",
                                                "key": "${key:other}"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_THAT(Failures(r), Contains(HasSubstr("no stored part is protected by arn:aws:kms:")));
}

TEST_F(ScenarioRunnerTest, EncryptedAtRestOfAMissingItemFails) {
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "no such key", "encrypted_at_rest": {"kind": "kms-key", "id": "1234abcd-12ab-34cd-56ef-1234567890ab",
                                                  "plaintext": "gee-probe-text-that-is-never-stored"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_THAT(Failures(r), Contains(HasSubstr("the inspection of kms-key")));
}

TEST_F(ScenarioRunnerTest, ASetupFailureFailsTheScenarioWithoutRunningSteps) {
  auto r = Run(R"({"name": "x", "keys": [{"name": "k", "key_spec": "NOT_A_SPEC"}], "steps": [
    {"name": "never runs", "call": "sts:GetCallerIdentity"}]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_TRUE(r.steps.empty());
  EXPECT_THAT(Failures(r), Contains(HasSubstr("setup create key k: kms:CreateKey failed: ValidationException")));
}

TEST_F(ScenarioRunnerTest, StateIsResetBetweenScenarios) {
  const char* text = R"({"name": "x", "keys": [{"name": "k", "aliases": ["alias/only-once"]}], "steps": [
    {"name": "list", "call": "kms:ListAliases", "input": {},
     "expect": {"output": [{"path": "$.Aliases[*].AliasName", "equals": "alias/only-once"}]}}]})";
  EXPECT_EQ(Run(text).outcome, Outcome::kPassed);
  auto again = Run(text);  // CreateAlias would fail with AlreadyExists without the reset
  EXPECT_EQ(again.outcome, Outcome::kPassed) << Dump(again);
}

// --- a fake endpoint that is not gee --------------------------------------

// Answers like a minimal AWS endpoint: GetJobRun from a script of states,
// 404 without a body for anything else (like a HEAD on S3).
class FakeAws final : public server::Application {
 public:
  class Done final : public server::Exchange {
   public:
    explicit Done(FakeAws* app) : app_(app) {}
    server::HttpResponse Complete(server::HttpRequest& request, const AwsError*) override {
      return app_->Answer(request);
    }

   private:
    FakeAws* app_;
  };
  std::unique_ptr<server::Exchange> Begin(server::HttpRequest&) override { return std::make_unique<Done>(this); }
  server::HttpResponse Malformed(int status, std::string_view) override {
    server::HttpResponse r;
    r.status = status;
    return r;
  }
  server::HttpResponse Answer(const server::HttpRequest& request) {
    std::lock_guard<std::mutex> lock(mu_);
    server::HttpResponse r;
    if (request.Header("x-amz-target") == "AWSGlue.GetJobRun") {
      std::string state = polls_ < states_.size() ? states_[polls_] : states_.back();
      ++polls_;
      json run = {{"JobRun", {{"Id", "jr_1"}, {"JobRunState", state}}}};
      if (state == "FAILED") run["JobRun"]["ErrorMessage"] = "AccessDeniedException: no kms:GenerateDataKey";
      r.status = 200;
      r.body = run.dump();
      r.SetHeader("Content-Type", "application/x-amz-json-1.1");
      return r;
    }
    if (request.body.find("Action=GetCallerIdentity") != std::string::npos) {
      r.status = 200;
      r.body =
          "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
          "<Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account>"
          "</GetCallerIdentityResult></GetCallerIdentityResponse>";
      r.SetHeader("Content-Type", "text/xml");
      return r;
    }
    r.status = 404;
    return r;
  }
  void set_states(std::vector<std::string> states) {
    std::lock_guard<std::mutex> lock(mu_);
    states_ = std::move(states);
    polls_ = 0;
  }
  size_t polls() {
    std::lock_guard<std::mutex> lock(mu_);
    return polls_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> states_ = {"SUCCEEDED"};
  size_t polls_ = 0;
};

class ForeignEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    auto server = server::HttpServer::Create(options, &app_);
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    server_->Start();
    TargetOptions target;
    target.endpoint = "http://127.0.0.1:" + std::to_string(server_->port());
    target.clock = &clock_;
    auto t = Target::Open(target);
    ASSERT_TRUE(t.ok()) << t.error().message;
    target_ = std::move(t).value();
  }
  void TearDown() override { server_->Stop(); }

  ScenarioResult Run(const std::string& text, RunnerOptions options = {}) {
    std::vector<Diagnostic> diagnostics;
    auto s = ParseScenario(text, "t.jsonc", ".", &diagnostics);
    EXPECT_TRUE(s.ok()) << (diagnostics.empty() ? "" : diagnostics[0].ToString());
    options.sleep = [this](std::chrono::milliseconds d) { sleeps_.push_back(d); };
    options.reset = false;
    Runner runner(*target_, options, nullptr);
    return runner.Run(*s);
  }

  ManualClock clock_{testing::kTestEpochSeconds * 1000000};
  FakeAws app_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<Target> target_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

constexpr char kWaitScenario[] = R"({"name": "wait", "variables": {"run_id": "jr_1"}, "steps": [
  {"name": "wait for the run", "wait": {"job": "j", "run_id": "${run_id}", "until": "UNTIL", "attempts": 4,
                                       "interval_ms": 25}}
]})";

std::string WaitFor(const std::string& state) {
  std::string text = kWaitScenario;
  text.replace(text.find("UNTIL"), 5, state);
  return text;
}

TEST_F(ForeignEndpointTest, WaitPollsUntilTheStateIsReached) {
  app_.set_states({"STARTING", "RUNNING", "SUCCEEDED"});
  auto r = Run(WaitFor("SUCCEEDED"));
  EXPECT_EQ(r.outcome, Outcome::kPassed) << Dump(r);
  EXPECT_EQ(app_.polls(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(25),
                                                            std::chrono::milliseconds(25)}));
  EXPECT_THAT(r.steps[0].notes, Contains("reached SUCCEEDED after 3 poll(s)"));
}

TEST_F(ForeignEndpointTest, WaitGivesUpAfterItsAttemptBound) {
  app_.set_states({"RUNNING"});
  auto r = Run(WaitFor("SUCCEEDED"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(app_.polls(), 4u);
  EXPECT_EQ(sleeps_.size(), 3u);
  EXPECT_THAT(Failures(r), ElementsAre("1: still RUNNING after 4 poll(s) 25 ms apart (expected SUCCEEDED)"));
}

TEST_F(ForeignEndpointTest, WaitStopsAtAnotherFinalStateWithItsErrorMessage) {
  app_.set_states({"STARTING", "FAILED", "SUCCEEDED"});
  auto r = Run(WaitFor("SUCCEEDED"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(app_.polls(), 2u);
  EXPECT_THAT(Failures(r), ElementsAre("1: the job run ended FAILED: AccessDeniedException: no kms:GenerateDataKey "
                                       "(expected SUCCEEDED)"));
}

TEST_F(ForeignEndpointTest, WaitingForAFailedRunPassesWhenItFails) {
  app_.set_states({"RUNNING", "FAILED"});
  EXPECT_EQ(Run(WaitFor("FAILED")).outcome, Outcome::kPassed);
}

TEST_F(ForeignEndpointTest, InvertedWaitForAFailedRunExpectsSuccessAndFails) {
  app_.set_states({"RUNNING", "FAILED"});
  RunnerOptions options;
  options.invert_expectations = true;
  auto r = Run(WaitFor("FAILED"), options);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_THAT(r.steps[0].expected, HasSubstr("SUCCEEDED (inverted)"));
}

TEST_F(ForeignEndpointTest, InspectionIsSkippedAndAMissingOperationFailsWithoutACrash) {
  EXPECT_FALSE(target_->is_gee());
  auto r = Run(R"({"name": "x", "steps": [
    {"name": "inspect", "encrypted_at_rest": {"kind": "s3-object", "id": "b/k", "plaintext": "p"}},
    {"name": "head", "call": "s3:HeadObject", "input": {"Bucket": "b", "Key": "k"}}
  ]})");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::kSkipped);
  EXPECT_THAT(r.steps[0].skip_reason, HasSubstr("this endpoint is not gee"));
  EXPECT_EQ(r.steps[1].outcome, Outcome::kFailed);
  EXPECT_THAT(r.steps[1].failures, ElementsAre("expected success, got 404: Not Found (HTTP 404)"));
}

}  // namespace
}  // namespace gee::scenario

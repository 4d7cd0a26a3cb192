// Reports of scenario runs: human text, JUnit XML and JSON, checked by structure.
#include "harness/scenario/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <sstream>

namespace gee::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

StepResult Step(int index, std::string name, Outcome outcome) {
  StepResult s;
  s.index = index;
  s.name = std::move(name);
  s.action = "glue:CreateDatabase";
  s.as = "user/glue-console";
  s.outcome = outcome;
  s.duration_ms = 1.5;
  s.line = 10 + index;
  return s;
}

// Two scenarios: one failed (a wrong denial), one with a skipped tail.
RunReport SampleReport() {
  RunReport report;
  report.target = "gee 0.1.0 in-process at http://127.0.0.1:1";
  report.account = "000000000000";
  report.duration_ms = 42;

  ScenarioResult failed;
  failed.name = "documented-workflow";
  failed.file = "scenarios/documented-workflow.jsonc";
  failed.outcome = Outcome::kFailed;
  failed.duration_ms = 30;
  StepResult setup;
  setup.setup = true;
  setup.name = "create user glue-console";
  setup.action = "iam:CreateUser";
  setup.as = "root";
  failed.setup.push_back(setup);
  StepResult ok = Step(1, "reads the settings", Outcome::kPassed);
  ok.guide_step = 1;
  failed.steps.push_back(ok);
  StepResult bad = Step(2, "writes to the encrypted catalog", Outcome::kFailed);
  bad.guide_step = 2;
  bad.expected = "success";
  bad.actual = "GlueEncryptionException: User: x is not authorized (HTTP 400)";
  bad.failures = {"expected success, got GlueEncryptionException"};
  bad.decisions = {"implicit-deny kms:GenerateDataKey on arn:aws:kms:us-east-1:000000000000:key/k (no identity-based policy allows)"};
  bad.request_id = "req-1";
  failed.steps.push_back(bad);

  ScenarioResult partial;
  partial.name = "negative-step04";
  partial.file = "scenarios/negative-step04.jsonc";
  partial.outcome = Outcome::kPassed;
  partial.duration_ms = 12;
  partial.steps.push_back(Step(1, "creates the job", Outcome::kPassed));
  StepResult skipped = Step(2, "runs the job", Outcome::kSkipped);
  skipped.skip_reason = "waits for glue:StartJobRun (not implemented by this endpoint yet)";
  partial.steps.push_back(skipped);

  report.scenarios = {failed, partial};
  return report;
}

TEST(ReportTest, JUnitHasOneSuitePerScenarioAndOneCasePerStep) {
  std::ostringstream out;
  WriteJUnit(SampleReport(), out);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(out.str().c_str())) << out.str();
  pugi::xml_node suites = doc.child("testsuites");
  ASSERT_TRUE(suites);
  EXPECT_EQ(suites.attribute("tests").as_int(), 5);  // setup + 2 steps, 2 steps
  EXPECT_EQ(suites.attribute("failures").as_int(), 1);
  EXPECT_EQ(suites.attribute("skipped").as_int(), 1);
  EXPECT_STREQ(suites.attribute("time").value(), "0.042");

  pugi::xml_node first = suites.child("testsuite");
  EXPECT_STREQ(first.attribute("name").value(), "documented-workflow");
  EXPECT_EQ(first.attribute("tests").as_int(), 3);
  EXPECT_EQ(first.attribute("failures").as_int(), 1);
  std::vector<std::string> names;
  for (pugi::xml_node tc : first.children("testcase")) names.push_back(tc.attribute("name").value());
  EXPECT_EQ(names, (std::vector<std::string>{"setup", "01 [guide 1] reads the settings",
                                             "02 [guide 2] writes to the encrypted catalog"}));
  pugi::xml_node failing = first.find_child_by_attribute("testcase", "name", "02 [guide 2] writes to the encrypted catalog");
  pugi::xml_node failure = failing.child("failure");
  ASSERT_TRUE(failure);
  EXPECT_STREQ(failure.attribute("message").value(), "expected success, got GlueEncryptionException");
  EXPECT_THAT(failure.text().get(), HasSubstr("why:      denied kms:GenerateDataKey"));
  EXPECT_EQ(failing.attribute("line").as_int(), 12);
  EXPECT_STREQ(failing.attribute("classname").value(), "documented-workflow");

  pugi::xml_node second = first.next_sibling("testsuite");
  pugi::xml_node skipped = second.find_child_by_attribute("testcase", "name", "02 runs the job").child("skipped");
  ASSERT_TRUE(skipped);
  EXPECT_THAT(skipped.attribute("message").value(), HasSubstr("waits for glue:StartJobRun"));
}

TEST(ReportTest, JUnitReportsAnInvalidScenarioAsAFailedLoadCase) {
  RunReport report;
  ScenarioResult invalid;
  invalid.name = "broken";
  invalid.file = "scenarios/broken.jsonc";
  invalid.outcome = Outcome::kFailed;
  invalid.load_errors = {Diagnostic{"scenarios/broken.jsonc", 7, "unknown member \"x\""}};
  report.scenarios = {invalid};
  std::ostringstream out;
  WriteJUnit(report, out);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(out.str().c_str()));
  pugi::xml_node tc = doc.child("testsuites").child("testsuite").child("testcase");
  EXPECT_STREQ(tc.attribute("name").value(), "load");
  EXPECT_STREQ(tc.child("failure").attribute("message").value(), "scenarios/broken.jsonc:7: unknown member \"x\"");
}

TEST(ReportTest, JsonCarriesSummaryScenariosAndSteps) {
  nlohmann::json j = ToJson(SampleReport());
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["summary"]["scenarios"]["total"], 2);
  EXPECT_EQ(j["summary"]["scenarios"]["failed"], 1);
  EXPECT_EQ(j["summary"]["steps"]["passed"], 2);
  EXPECT_EQ(j["summary"]["steps"]["failed"], 1);
  EXPECT_EQ(j["summary"]["steps"]["skipped"], 1);
  const auto& s = j["scenarios"][0];
  EXPECT_EQ(s["name"], "documented-workflow");
  EXPECT_EQ(s["outcome"], "failed");
  EXPECT_EQ(s["setup"].size(), 1u);
  const auto& step = s["steps"][1];
  EXPECT_EQ(step["index"], 2);
  EXPECT_EQ(step["guide_step"], 2);
  EXPECT_EQ(step["outcome"], "failed");
  EXPECT_EQ(step["expected"], "success");
  EXPECT_EQ(step["authorization"].size(), 1u);
  EXPECT_EQ(step["request_id"], "req-1");
  EXPECT_EQ(j["scenarios"][1]["steps"][1]["skip_reason"],
            "waits for glue:StartJobRun (not implemented by this endpoint yet)");
}

TEST(ReportTest, ExitCodeIsNonZeroOnAFailure) {
  EXPECT_EQ(SampleReport().ExitCode(), 1);
}

TEST(ReportTest, SkipsFailTheRunOnlyWhenStrict) {
  RunReport report = SampleReport();
  report.scenarios.erase(report.scenarios.begin());
  EXPECT_EQ(report.ExitCode(), 0);
  report.strict = true;
  EXPECT_EQ(report.ExitCode(), 1);
}

TEST(ReportTest, HumanReportShowsExpectedActualAndTheDecidingStatement) {
  std::ostringstream out;
  HumanReport human(out, HumanReportOptions{});
  RunReport report = SampleReport();
  const ScenarioResult& s = report.scenarios[0];
  human.OnRunStart(report.target, 2);
  human.OnScenarioStart(1, 2, s.name, s.file, "");
  for (const auto& st : s.setup) human.OnStep(st);
  for (const auto& st : s.steps) human.OnStep(st);
  human.OnScenarioDone(s);
  human.OnRunDone(report);
  std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("[1/2] documented-workflow  (scenarios/documented-workflow.jsonc)"));
  EXPECT_THAT(text, HasSubstr("setup: 1 action done"));
  EXPECT_THAT(text, HasSubstr("PASS   1  [guide 1] reads the settings"));
  EXPECT_THAT(text, HasSubstr("FAIL   2  [guide 2] writes to the encrypted catalog"));
  EXPECT_THAT(text, HasSubstr("expected: success"));
  EXPECT_THAT(text, HasSubstr("actual:   GlueEncryptionException"));
  // Long lines wrap at about 96 columns.
  EXPECT_THAT(text, HasSubstr("why:      denied kms:GenerateDataKey on arn:aws:kms:us-east-1:000000000000:key/k: no\n"
                              "                    identity-based policy allows it"));
  EXPECT_THAT(text, HasSubstr("at line:  12"));
  EXPECT_THAT(text, HasSubstr("documented-workflow: step 2 \"writes to the encrypted catalog\""));
  EXPECT_THAT(text, HasSubstr("negative-step04: from step 2: waits for glue:StartJobRun"));
  EXPECT_THAT(text, HasSubstr("\nFAILED\n"));
}

TEST(ReportTest, ExplainNarratesPassingStepsToo) {
  std::ostringstream out;
  HumanReport human(out, HumanReportOptions{/*explain=*/true, false});
  StepResult s = Step(3, "creates the database", Outcome::kPassed);
  s.explain = "Glue calls KMS with the caller's identity.";
  s.decisions = {"allow kms:GenerateDataKey on arn:k by identity-based policy p"};
  s.actual = "success (HTTP 200)";
  human.OnStep(s);
  std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("what:     Glue calls KMS with the caller's identity."));
  EXPECT_THAT(text, HasSubstr("gee:      allowed kms:GenerateDataKey on arn:k by identity-based policy p"));
  EXPECT_THAT(text, HasSubstr("outcome:  success (HTTP 200) (as expected)"));
}

TEST(ReportTest, PassingStepsHideTheirDecisionsWithoutExplain) {
  std::ostringstream out;
  HumanReport human(out, HumanReportOptions{});
  StepResult s = Step(3, "creates the database", Outcome::kPassed);
  s.decisions = {"allow kms:GenerateDataKey on arn:k"};
  human.OnStep(s);
  EXPECT_THAT(out.str(), Not(HasSubstr("allowed kms:GenerateDataKey")));
}

TEST(ReportTest, NarrateDecisionPutsEveryKindInWords) {
  EXPECT_EQ(NarrateDecision("explicit-deny s3:GetObject on arn:aws:s3:::b/k by resource-based policy bucket policy Sid D"),
            "denied explicitly s3:GetObject on arn:aws:s3:::b/k by resource-based policy bucket policy Sid D");
  EXPECT_EQ(NarrateDecision("soft-implicit-deny kms:Decrypt on k (no resource-based policy allows)"),
            "would be denied (soft mode let it through): kms:Decrypt on k: no resource-based policy allows it");
  EXPECT_EQ(NarrateDecision("something else"), "something else");
}

}  // namespace
}  // namespace gee::scenario

// Every scenario shipped in scenarios/ against gee: it must not fail (steps
// whose operations gee does not implement yet are skipped, with the reason);
// and every negative scenario, run with its expected denials inverted into
// expected successes, MUST fail — proof that the runner and the scenario can
// fail at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "harness/scenario/cli.h"
#include "harness/scenario/runner.h"
#include "tests/testing/emulator_fixture.h"

namespace gee::scenario {
namespace {

std::vector<std::string> ShippedScenarios() {
  return ExpandScenarioPaths({std::string(GEE_SOURCE_DIR) + "/scenarios"}, nullptr);
}

// True when the step's expectation changes under inversion.
bool Invertible(const Step& step) {
  if (!step.expect.success) return true;
  if (step.kind != StepKind::kWait) return false;
  auto failure = [](const std::string& s) {
    return s == "FAILED" || s == "ERROR" || s == "TIMEOUT" || s == "STOPPED" || s == "CANCELLED";
  };
  return failure(step.wait.until) || (step.wait.last_crawl && failure(*step.wait.last_crawl));
}

std::string Describe(const ScenarioResult& r) {
  std::string out;
  for (const auto& s : r.setup) {
    for (const auto& f : s.failures) out += "  setup " + s.name + ": " + f + "\n";
  }
  for (const auto& s : r.steps) {
    out += "  " + std::string(OutcomeName(s.outcome)) + " " + std::to_string(s.index) + " " + s.name + "\n";
    for (const auto& f : s.failures) out += "      " + f + "\n";
    if (!s.skip_reason.empty()) out += "      " + s.skip_reason + "\n";
  }
  if (!r.reason.empty()) out += "  " + r.reason + "\n";
  return out;
}

class ShippedScenarioTest : public testing::EmulatorTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    TargetOptions options;
    options.endpoint = endpoint();
    options.clock = &clock();
    auto target = Target::Open(options);
    ASSERT_TRUE(target.ok()) << target.error().message;
    target_ = std::move(target).value();
    std::vector<Diagnostic> diagnostics;
    auto loaded = LoadScenario(GetParam(), &diagnostics);
    ASSERT_TRUE(loaded.ok()) << (diagnostics.empty() ? loaded.error().message : diagnostics[0].ToString());
    scenario_ = std::move(loaded).value();
  }

  ScenarioResult Run(bool invert) {
    RunnerOptions options;
    options.invert_expectations = invert;
    options.poll_interval = std::chrono::milliseconds(0);
    Runner runner(*target_, options, nullptr);
    return runner.Run(scenario_);
  }

  std::unique_ptr<Target> target_;
  Scenario scenario_;
};

TEST_P(ShippedScenarioTest, PassesAsFarAsGeeImplementsIt) {
  ScenarioResult r = Run(false);
  EXPECT_NE(r.outcome, Outcome::kFailed) << GetParam() << "\n" << Describe(r);
}

TEST_P(ShippedScenarioTest, FailsWhenItsExpectedDenialsAreInverted) {
  bool negative = false;
  for (const Step& s : scenario_.steps) negative = negative || Invertible(s);
  if (!negative) GTEST_SKIP() << GetParam() << " expects no denial";
  ScenarioResult r = Run(true);
  bool inverted_step_ran = false;
  bool inverted_step_failed = false;
  for (const StepResult& s : r.steps) {
    const Step& spec = scenario_.steps[s.index - 1];
    if (!Invertible(spec) || s.outcome == Outcome::kSkipped) continue;
    inverted_step_ran = true;
    inverted_step_failed = inverted_step_failed || s.outcome == Outcome::kFailed;
  }
  if (!inverted_step_ran && r.outcome != Outcome::kFailed) {
    GTEST_SKIP() << GetParam() << ": its denials wait for operations gee does not implement yet\n" << Describe(r);
  }
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_TRUE(inverted_step_failed) << "an inverted step must be what fails\n" << Describe(r);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ShippedScenarioTest, ::testing::ValuesIn(ShippedScenarios()), TestName);

}  // namespace
}  // namespace gee::scenario

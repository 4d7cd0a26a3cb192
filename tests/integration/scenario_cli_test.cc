// `gee scenario run` and `gee scenario validate` as commands: exit status,
// report files, filters. (These start their own in-process gee.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "harness/scenario/cli.h"
#include "tests/testing/temp_dir.h"

namespace gee::scenario {
namespace {

using ::testing::HasSubstr;

class ScenarioCliTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    auto p = dir_.path() / name;
    std::ofstream(p) << text;
    return p.string();
  }
  testing::ScopedTempDir dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

constexpr char kPassing[] = R"({"name": "passing", "steps": [{"name": "who", "call": "sts:GetCallerIdentity",
  "expect": {"output": {"$.Account": "${account}"}}}]})";
constexpr char kFailing[] = R"({"name": "failing", "steps": [{"name": "who", "call": "sts:GetCallerIdentity",
  "expect": {"error": "AccessDenied"}}]})";

TEST_F(ScenarioCliTest, RunExitsZeroAndWritesJUnitAndJsonReports) {
  Write("a.jsonc", kPassing);
  RunCommand command;
  command.paths = {dir_.path().string()};
  command.junit_file = (dir_.path() / "junit.xml").string();
  command.json_file = (dir_.path() / "report.json").string();
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("PASS   1  who"));
  pugi::xml_document junit;
  ASSERT_TRUE(junit.load_file(command.junit_file.c_str()));
  EXPECT_EQ(junit.child("testsuites").attribute("failures").as_int(), 0);
  std::ifstream json_in(command.json_file);
  nlohmann::json report = nlohmann::json::parse(json_in);
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["scenarios"][0]["name"], "passing");
}

TEST_F(ScenarioCliTest, RunExitsOneWhenAScenarioFails) {
  Write("a.jsonc", kPassing);
  Write("b.jsonc", kFailing);
  RunCommand command;
  command.paths = {dir_.path().string()};
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 1);
  EXPECT_THAT(out_.str(), HasSubstr("failing: step 1 \"who\""));
}

TEST_F(ScenarioCliTest, FilterSelectsScenariosByName) {
  Write("a.jsonc", kPassing);
  Write("b.jsonc", kFailing);
  RunCommand command;
  command.paths = {dir_.path().string()};
  command.filter = "pass*";
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 0) << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("1 scenario against"));
  command.filter = "nothing-matches";
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 2);
}

TEST_F(ScenarioCliTest, AnInvalidScenarioFailsTheRunWithItsLine) {
  std::string file = Write("bad.jsonc", "{\"name\": \"bad\",\n \"steps\": [{\"name\": \"x\", \"call\": \"sts:Nope\"}]}");
  RunCommand command;
  command.paths = {file};
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 1);
  EXPECT_THAT(out_.str(), HasSubstr("INVALID " + file + ":2: sts has no operation \"Nope\""));
}

TEST_F(ScenarioCliTest, AnUnreachableEndpointIsAUsageError) {
  Write("a.jsonc", kPassing);
  RunCommand command;
  command.paths = {dir_.path().string()};
  command.endpoint = "http://127.0.0.1:1";
  EXPECT_EQ(RunScenarioCommand(command, out_, err_), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot reach http://127.0.0.1:1"));
}

TEST_F(ScenarioCliTest, ValidateReportsEveryProblemWithFileAndLine) {
  std::string good = Write("good.jsonc", kPassing);
  std::string bad = Write("bad.jsonc", "{\"name\": \"bad\",\n \"steps\": [\n  {\"name\": \"x\", \"cal\": \"sts:GetCallerIdentity\"}]}");
  EXPECT_EQ(ValidateScenarioCommand({good}, out_, err_), 0);
  EXPECT_EQ(ValidateScenarioCommand({good, bad}, out_, err_), 1);
  EXPECT_THAT(err_.str(), HasSubstr(bad + ":3: unknown member \"cal\" (did you mean \"call\"?)"));
  EXPECT_THAT(out_.str(), HasSubstr("1 of 2 scenario file(s) valid"));
}

TEST_F(ScenarioCliTest, ValidateOfAMissingFileIsAnError) {
  EXPECT_EQ(ValidateScenarioCommand({(dir_.path() / "none.jsonc").string()}, out_, err_), 2);
}

}  // namespace
}  // namespace gee::scenario

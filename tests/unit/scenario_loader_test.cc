// Loading and checking scenario files: every problem with its file and line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/scenario/cli.h"
#include "harness/scenario/scenario.h"
#include "tests/testing/temp_dir.h"

namespace gee::scenario {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ScenarioLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("policies/catalog.json", R"({
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${key:catalog}"}
})");
    Write("trust.json", R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]})");
  }

  void Write(const std::string& relative, const std::string& text) {
    std::filesystem::path p = dir_.path() / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

  Result<Scenario> Parse(const std::string& text) {
    diagnostics_.clear();
    return ParseScenario(text, "s.jsonc", dir_.path().string(), &diagnostics_);
  }

  testing::ScopedTempDir dir_;
  std::vector<Diagnostic> diagnostics_;
};

auto At(int line, const std::string& text) {
  return AllOf(Field(&Diagnostic::line, line), Field(&Diagnostic::message, HasSubstr(text)));
}

constexpr char kValid[] = R"({
  "name": "valid",
  "variables": {"bucket": "b-${account}", "prefix": "${bucket}/x"},
  "principals": {
    "users": [{"name": "alice", "policies": ["policies/catalog.json"]}],
    "roles": [{"name": "JobRole", "trust_policy": "trust.json", "assumed_by": "user:alice"}]
  },
  "keys": [{"name": "catalog", "aliases": ["alias/catalog"]}],
  "steps": [
    {"name": "create", "as": "user:alice", "call": "glue:CreateDatabase",
     "input": {"DatabaseInput": {"Name": "db"}}},
    {"name": "start", "as": "role:JobRole", "call": "glue:StartJobRun", "input": {"JobName": "j"},
     "save": {"run": "$.JobRunId"}},
    {"name": "wait", "wait": {"job": "j", "run_id": "${run}", "until": "SUCCEEDED", "attempts": 5}},
    {"name": "at rest", "encrypted_at_rest": {"kind": "catalog-database", "id": "db", "plaintext": "db",
     "key": "${key:catalog}"}},
    {"name": "decrypt", "decrypts_to": {"ciphertext": "${run}", "plaintext": "x"},
     "expect": {"error": "AccessDeniedException", "message_matches": "User: .*"}},
    {"name": "put", "call": "s3:PutObject", "input": {"Bucket": "${bucket}", "Key": "k", "Body": {"base64": "AA=="}},
     "expect": {"output": [{"path": "$.ServerSideEncryption", "equals": "aws:kms"}, {"path": "$.ETag", "exists": true}]}}
  ]
})";

TEST_F(ScenarioLoaderTest, ValidScenarioLoadsWithItsParts) {
  auto s = Parse(kValid);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_THAT(diagnostics_, IsEmpty());
  EXPECT_EQ(s->name, "valid");
  ASSERT_EQ(s->variables.size(), 2u);
  EXPECT_EQ(s->variables[0].first, "bucket");  // file order, not alphabetical
  ASSERT_EQ(s->users.size(), 1u);
  EXPECT_EQ(s->users[0].policies[0].name, "catalog");
  EXPECT_EQ(s->users[0].policies[0].document["Statement"]["Action"], "kms:Decrypt");
  EXPECT_EQ(s->roles[0].assumed_by, "user:alice");
  ASSERT_EQ(s->steps.size(), 6u);
  EXPECT_EQ(s->steps[0].service, "glue");
  EXPECT_EQ(s->steps[0].operation, "CreateDatabase");
  EXPECT_EQ(s->steps[0].line, 10);
  EXPECT_EQ(s->steps[2].kind, StepKind::kWait);
  EXPECT_EQ(*s->steps[2].wait.attempts, 5);
  EXPECT_EQ(s->steps[4].kind, StepKind::kDecryptsTo);
  EXPECT_FALSE(s->steps[4].expect.success);
  EXPECT_EQ(s->steps[5].expect.output.size(), 2u);
}

TEST_F(ScenarioLoaderTest, UnknownMemberIsReportedAtItsLineWithASuggestion) {
  auto s = Parse("{\n \"name\": \"x\",\n \"steps\": [\n  {\"name\": \"a\", \"call\": \"sts:GetCallerIdentity\",\n   \"expcet\": \"success\"}\n ]\n}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(5, "unknown member \"expcet\" (did you mean \"expect\"?)")));
  EXPECT_THAT(s.error().message, HasSubstr("s.jsonc:5: "));
}

TEST_F(ScenarioLoaderTest, UnknownOperationIsReportedWithASuggestion) {
  auto s = Parse("{\"name\": \"x\",\n\"steps\": [\n{\"name\": \"a\",\n \"call\": \"kms:Encrpyt\"}]}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(4, "kms has no operation \"Encrpyt\" (did you mean \"Encrypt\"?)")));
}

TEST_F(ScenarioLoaderTest, UnknownServiceIsReported) {
  auto s = Parse("{\"name\": \"x\", \"steps\": [{\"name\": \"a\", \"call\": \"ec2:RunInstances\"}]}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(1, "unknown service \"ec2\"")));
}

TEST_F(ScenarioLoaderTest, InputMemberNotInTheOperationShapeIsReportedAtItsLine) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "call": "glue:CreateDatabase",
    "input": {"DatabaseInput": {
      "Nmae": "db"}}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(3, "shape DatabaseInput has no member \"Nmae\" (did you mean \"Name\"?)")));
}

TEST_F(ScenarioLoaderTest, UndeclaredKeyReferenceIsReportedAtTheLineOfTheString) {
  auto s = Parse(R"({"name": "x", "keys": [{"name": "catalog"}],
  "steps": [{"name": "a", "call": "kms:Encrypt", "input": {
    "Plaintext": "${base64:x}",
    "KeyId": "${key:catalgo}"}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(4, "${key:catalgo}: no key named \"catalgo\"")));
}

TEST_F(ScenarioLoaderTest, VariableUsedBeforeTheStepThatSavesItIsReported) {
  auto s = Parse(R"({"name": "x", "steps": [
    {"name": "a", "call": "glue:GetJobRun", "input": {"JobName": "j", "RunId": "${run}"}},
    {"name": "b", "call": "glue:StartJobRun", "input": {"JobName": "j"}, "save": {"run": "$.JobRunId"}}
  ]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(2, "\"run\" is not a declared variable nor saved by an earlier step")));
}

TEST_F(ScenarioLoaderTest, MissingPolicyFileIsReportedAtTheReference) {
  auto s = Parse(R"({"name": "x",
  "principals": {"users": [{"name": "u",
    "policies": ["policies/nope.json"]}]},
  "steps": []})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(3, "cannot read policy file policies/nope.json")));
}

TEST_F(ScenarioLoaderTest, ProblemInAPolicyFileIsReportedAtTheFixtureLine) {
  Write("policies/typo.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\",\n"
                              "    \"Action\": \"kms:Decrypt\",\n    \"Resource\": \"${key:nope}\"}\n}\n");
  auto s = Parse(R"({"name": "x",
  "principals": {"users": [{"name": "u", "policies": ["policies/typo.json"]}]},
  "steps": []})");
  ASSERT_FALSE(s.ok());
  ASSERT_THAT(diagnostics_, Contains(At(5, "${key:nope}: no key named \"nope\"")));
  EXPECT_THAT(diagnostics_[0].file, HasSubstr("policies/typo.json"));
  EXPECT_THAT(diagnostics_[0].message, HasSubstr("(policy file used at s.jsonc:2)"));
}

TEST_F(ScenarioLoaderTest, SyntaxErrorInAPolicyFileNamesThatFile) {
  Write("policies/broken.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}\n");
  auto s = Parse(R"({"name": "x", "principals": {"users": [{"name": "u", "policies": ["policies/broken.json"]}]},
  "steps": []})");
  ASSERT_FALSE(s.ok());
  ASSERT_FALSE(diagnostics_.empty());
  EXPECT_THAT(diagnostics_[0].file, HasSubstr("broken.json"));
  EXPECT_EQ(diagnostics_[0].line, 4);
}

TEST_F(ScenarioLoaderTest, StepWithTwoActionsIsRejected) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "call": "sts:GetCallerIdentity",
    "decrypts_to": {"ciphertext": "x", "plaintext": "y"}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(1, "exactly one of")));
}

TEST_F(ScenarioLoaderTest, ActingAsAnUndeclaredUserIsRejected) {
  auto s = Parse("{\"name\": \"x\", \"steps\": [{\"name\": \"a\",\n \"as\": \"user:bob\", \"call\": \"sts:GetCallerIdentity\"}]}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(2, "no user named \"bob\"")));
}

TEST_F(ScenarioLoaderTest, ActingAsARoleWithoutAssumedByIsRejected) {
  auto s = Parse(R"({"name": "x", "principals": {"roles": [{"name": "R", "trust_policy": "trust.json"}]},
  "steps": [{"name": "a", "as": "role:R", "call": "sts:GetCallerIdentity"}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(2, "has no \"assumed_by\" user")));
}

TEST_F(ScenarioLoaderTest, BadRegularExpressionIsRejected) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "call": "sts:GetCallerIdentity",
    "expect": {"error": "X", "message_matches": "([unclosed"}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(2, "not a valid regular expression")));
}

TEST_F(ScenarioLoaderTest, OutputChecksOnAnExpectedErrorAreRejected) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "call": "sts:GetCallerIdentity",
    "expect": {"error": "X", "output": {"$.a": 1}}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(2, "has no output")));
}

TEST_F(ScenarioLoaderTest, UnknownJobRunStateIsRejectedWithASuggestion) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "wait": {"job": "j", "run_id": "r", "until": "SUCEEDED"}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(1, "did you mean \"SUCCEEDED\"")));
}

TEST_F(ScenarioLoaderTest, UnknownInspectionKindIsRejected) {
  auto s = Parse(R"({"name": "x", "steps": [{"name": "a", "encrypted_at_rest": {"kind": "s3-objects", "id": "b/k", "plaintext": "p"}}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(1, "did you mean \"s3-object\"")));
}

TEST_F(ScenarioLoaderTest, ManyProblemsAreAllReported) {
  auto s = Parse("{\"name\": 3,\n \"steps\": [\n {\"call\": \"kms:Nope\"},\n {\"name\": \"b\", \"bogus\": 1}\n]}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(diagnostics_, Contains(At(1, "\"name\" must be a string")));
  EXPECT_THAT(diagnostics_, Contains(At(3, "missing \"name\"")));
  EXPECT_THAT(diagnostics_, Contains(At(3, "kms has no operation \"Nope\"")));
  EXPECT_THAT(diagnostics_, Contains(At(4, "unknown member \"bogus\"")));
}

TEST_F(ScenarioLoaderTest, StepOperationsIncludeTheImplicitCalls) {
  auto s = Parse(kValid);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(StepOperations(s->steps[1]), (std::vector<std::string>{"sts:AssumeRole", "glue:StartJobRun"}));
  EXPECT_EQ(StepOperations(s->steps[2]), (std::vector<std::string>{"glue:GetJobRun"}));
  EXPECT_EQ(StepOperations(s->steps[4]), (std::vector<std::string>{"kms:Decrypt"}));
  EXPECT_THAT(SetupOperations(*s), Contains("kms:CreateAlias"));
  EXPECT_THAT(SetupOperations(*s), Contains("iam:PutUserPolicy"));
}

TEST_F(ScenarioLoaderTest, FilterMatchesGlobsOrSubstrings) {
  EXPECT_TRUE(MatchesFilter("", "anything"));
  EXPECT_TRUE(MatchesFilter("negative", "negative-step03-password"));
  EXPECT_TRUE(MatchesFilter("negative-step0?-*", "negative-step03-password"));
  EXPECT_FALSE(MatchesFilter("key-policy-*", "negative-step03-password"));
}

// Every scenario shipped in scenarios/ must stay valid.
TEST(ShippedScenariosTest, EveryShippedScenarioValidates) {
  std::vector<std::string> files = ExpandScenarioPaths({std::string(GEE_SOURCE_DIR) + "/scenarios"}, nullptr);
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    std::vector<Diagnostic> diagnostics;
    auto s = LoadScenario(file, &diagnostics);
    EXPECT_TRUE(s.ok()) << file << ": " << (diagnostics.empty() ? "" : diagnostics[0].ToString());
  }
}

}  // namespace
}  // namespace gee::scenario

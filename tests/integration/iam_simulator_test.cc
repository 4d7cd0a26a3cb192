// The IAM policy simulator (SimulateCustomPolicy, SimulatePrincipalPolicy)
// over HTTP, and the evaluator's decision table replayed through it: every
// case is decided by real enforcement (Authorizer::Authorize) and by
// SimulateCustomPolicy, and both must agree with each other and the table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "auth/authorizer.h"
#include "auth/policy/policy_cache.h"
#include "core/environment.h"
#include "services/iam/iam_service.h"
#include "tests/integration/iam_fixture.h"
#include "tests/testing/policy_table.h"

namespace gee::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class IamSimulatorTest : public IamTest {};

TEST_F(IamSimulatorTest, SimulateCustomPolicyReportsAllowedWithTheMatchingStatement) {
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}})";
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", doc},
                                        {"ActionNames.member.1", "dynamodb:CreateBackup"},
                                        {"ContextEntries.member.1.ContextKeyName", "aws:CurrentTime"},
                                        {"ContextEntries.member.1.ContextKeyValues.member.1", "2019-04-25T11:00:00Z"},
                                        {"ContextEntries.member.1.ContextKeyType", "date"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//EvaluationResults/member/EvalDecision"), "allowed");
  EXPECT_EQ(XmlText(*r, "//EvaluationResults/member/EvalResourceName"), "*");
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/SourcePolicyId"), "PolicyInputList.1");
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/SourcePolicyType"), "IAM Policy");
  // The positions AWS documents for this very example: 1:38 to 1:167.
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/StartPosition/Line"), "1");
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/StartPosition/Column"), "38");
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/EndPosition/Column"), "167");
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyReportsImplicitDenyWhenAConditionFails) {
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}})";
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", doc},
                                        {"ActionNames.member.1", "dynamodb:CreateBackup"},
                                        {"ContextEntries.member.1.ContextKeyName", "aws:CurrentTime"},
                                        {"ContextEntries.member.1.ContextKeyValues.member.1", "2014-04-25T11:00:00Z"},
                                        {"ContextEntries.member.1.ContextKeyType", "date"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//EvaluationResults/member/EvalDecision"), "implicitDeny");
  EXPECT_THAT(XmlTexts(*r, "//MatchedStatements/member/SourcePolicyId"), IsEmpty());
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyReportsMissingContextValues) {
  const std::string doc = Policy("Allow", Action("s3:GetObject"), Resource("*"),
                                 R"("Condition":{"StringEquals":{"s3:prefix":"home/"}})");
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", doc},
                                        {"ActionNames.member.1", "s3:GetObject"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//EvaluationResults/member/EvalDecision"), "implicitDeny");
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/MissingContextValues/member"),
              ElementsAre("s3:prefix"));
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyReportsExplicitDenyPerActionAndResource) {
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", Allow("s3:*")},
                                        {"PolicyInputList.member.2", Deny("s3:DeleteObject", "arn:aws:s3:::b/*")},
                                        {"ActionNames.member.1", "s3:GetObject"},
                                        {"ActionNames.member.2", "s3:DeleteObject"},
                                        {"ResourceArns.member.1", "arn:aws:s3:::b/k"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/EvalDecision"),
              ElementsAre("allowed", "explicitDeny"));
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member[2]/MatchedStatements/member/SourcePolicyId"),
              ElementsAre("PolicyInputList.2"));
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyAppliesABoundary) {
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", Allow("*")},
                                        {"PermissionsBoundaryPolicyInputList.member.1", Allow("s3:*")},
                                        {"ActionNames.member.1", "s3:GetObject"},
                                        {"ActionNames.member.2", "kms:Decrypt"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/EvalDecision"), ElementsAre("allowed", "implicitDeny"));
  EXPECT_THAT(XmlTexts(*r, "//PermissionsBoundaryDecisionDetail/AllowedByPermissionsBoundary"),
              ElementsAre("true", "false"));
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyRejectsAMalformedPolicy) {
  EXPECT_THAT(Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", "{"},
                                           {"ActionNames.member.1", "s3:GetObject"}}),
              HasAwsError("InvalidInput"));
}

TEST_F(IamSimulatorTest, SimulateCustomPolicyEvaluatesAResourcePolicyForTheCaller) {
  CreateUser("alice");
  const std::string bucket_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" +
      UserArnOf("alice") + R"("},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
  auto r = Iam("SimulateCustomPolicy", {{"PolicyInputList.member.1", Allow("sqs:*")},
                                        {"ActionNames.member.1", "s3:GetObject"},
                                        {"ResourceArns.member.1", "arn:aws:s3:::b/k"},
                                        {"ResourcePolicy", bucket_policy},
                                        {"CallerArn", UserArnOf("alice")}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//EvaluationResults/member/EvalDecision"), "allowed");
  EXPECT_EQ(XmlText(*r, "//MatchedStatements/member/SourcePolicyId"), "ResourcePolicy");
}

TEST_F(IamSimulatorTest, SimulatePrincipalPolicyUsesTheUsersAndGroupsPolicies) {
  CreateUser("alice");
  PutUserPolicy("alice", "own", Allow("s3:GetObject"));
  MustSucceed(Iam("CreateGroup", {{"GroupName", "g"}}));
  MustSucceed(Iam("PutGroupPolicy", {{"GroupName", "g"}, {"PolicyName", "grp"}, {"PolicyDocument", Allow("s3:PutObject")}}));
  MustSucceed(Iam("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "alice"}}));
  std::string arn = CreatePolicy("managed", Allow("s3:ListBucket"));
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  auto r = Iam("SimulatePrincipalPolicy", {{"PolicySourceArn", UserArnOf("alice")},
                                           {"ActionNames.member.1", "s3:GetObject"},
                                           {"ActionNames.member.2", "s3:PutObject"},
                                           {"ActionNames.member.3", "s3:ListBucket"},
                                           {"ActionNames.member.4", "s3:DeleteObject"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/EvalDecision"),
              ElementsAre("allowed", "allowed", "allowed", "implicitDeny"));
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/MatchedStatements/member/SourcePolicyType"),
              ElementsAre("user", "group", "user-managed"));
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/MatchedStatements/member/SourcePolicyId"),
              ElementsAre("own", "grp", "managed"));
}

TEST_F(IamSimulatorTest, SimulatePrincipalPolicyAppliesTheRolesBoundary) {
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  PutRolePolicy("r", "all", Allow("*"));
  std::string boundary = CreatePolicy("b", Allow("s3:*"));
  MustSucceed(Iam("PutRolePermissionsBoundary", {{"RoleName", "r"}, {"PermissionsBoundary", boundary}}));
  auto r = Iam("SimulatePrincipalPolicy", {{"PolicySourceArn", RoleArnOf("r")},
                                           {"ActionNames.member.1", "s3:GetObject"},
                                           {"ActionNames.member.2", "iam:ListUsers"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//EvaluationResults/member/EvalDecision"), ElementsAre("allowed", "implicitDeny"));
}

TEST_F(IamSimulatorTest, SimulatePrincipalPolicyRejectsASessionArn) {
  EXPECT_THAT(Iam("SimulatePrincipalPolicy",
                  {{"PolicySourceArn", "arn:aws:sts::000000000000:assumed-role/r/s"},
                   {"ActionNames.member.1", "s3:GetObject"}}),
              HasAwsErrorMessage("InvalidInput", "Invalid Entity Arn: arn:aws:sts::000000000000:assumed-role/r/s"));
  EXPECT_THAT(Iam("SimulatePrincipalPolicy", {{"PolicySourceArn", UserArnOf("ghost")},
                                              {"ActionNames.member.1", "s3:GetObject"}}),
              HasAwsError("NoSuchEntity"));
}

TEST_F(IamSimulatorTest, SimulationNeedsItsOwnPermission) {
  auto alice = UserClient("alice");
  EXPECT_THAT(Iam(*alice, "SimulateCustomPolicy", {{"PolicyInputList.member.1", Allow("s3:*")},
                                                   {"ActionNames.member.1", "s3:GetObject"}}),
              HasAwsError("AccessDenied"));
}

// ---- the decision table through the simulator ----

constexpr char kTableAccount[] = "111122223333";

class SimulatorTableTest : public IamTest {
 protected:
  void Configure(Config& config) override { config.account_id = kTableAccount; }
};

std::string Outcome(const std::string& eval_decision) {
  if (eval_decision == "allowed") return "Allow";
  if (eval_decision == "explicitDeny") return "ExplicitDeny";
  if (eval_decision == "implicitDeny") return "ImplicitDeny";
  return "?" + eval_decision;
}

// The simulator input for a case: its policies, action, resource, resource
// policy and owner, and every condition key real enforcement would see
// (derived global keys and the request's keys) as context entries.
Json SimulationInput(const Scenario& s) {
  Json in = {{"ActionNames", Json::array({s.request.action})},
             {"ResourceArns", Json::array({s.request.resource})},
             {"PolicyInputList", Json::array()}};
  for (const PolicyDocument& p : s.policies.identity) in["PolicyInputList"].push_back(p.document);
  if (s.policies.permissions_boundary) {
    in["PermissionsBoundaryPolicyInputList"] = Json::array({s.policies.permissions_boundary->document});
  }
  if (!s.request.resource_policy.empty()) in["ResourcePolicy"] = s.request.resource_policy;
  if (!s.request.resource_account.empty()) in["ResourceOwner"] = s.request.resource_account;
  ConditionKeys keys = Authorizer::GlobalKeys(s.ctx, s.request.action);
  Json entries = Json::array();
  auto add = [&](const ConditionKeys& from) {
    for (const std::string& name : from.Names()) {
      const std::vector<std::string>* values = from.Find(name);
      entries.push_back({{"ContextKeyName", name},
                         {"ContextKeyValues", *values},
                         {"ContextKeyType", from.IsMultiValued(name) ? "stringList" : "string"}});
    }
  };
  add(keys);
  add(s.request.keys);
  in["ContextEntries"] = entries;
  return in;
}

// Whether the case can be asked over the AWS API exactly: an IAM user of the
// emulated account as CallerArn (not named by unique id), no session
// policies or grant, and the resource-policy kind the simulator infers.
bool ExpressibleOverHttp(const Scenario& s) {
  if (s.principal.type != PrincipalType::kUser || s.principal.account != kTableAccount) return false;
  if (!s.policies.session.empty() || s.request.allowed_by_grant) return false;
  if (!s.principal.user_id.empty() &&
      s.request.resource_policy.find(s.principal.user_id) != std::string::npos) {
    return false;
  }
  if (s.request.resource_policy.empty()) return s.request.resource_policy_kind == ResourcePolicyKind::kNone ||
                                               s.request.resource_policy_kind == ResourcePolicyKind::kStandard;
  const bool key = s.request.resource.rfind("arn:aws:kms:", 0) == 0 &&
                   s.request.resource.find(":key/") != std::string::npos;
  const bool trust = s.request.action.rfind("sts:AssumeRole", 0) == 0 &&
                     s.request.resource.find(":role/") != std::string::npos;
  const ResourcePolicyKind inferred = key     ? ResourcePolicyKind::kKeyPolicy
                                      : trust ? ResourcePolicyKind::kTrustPolicy
                                              : ResourcePolicyKind::kStandard;
  return inferred == s.request.resource_policy_kind;
}

// Maps a simulator SourcePolicyId back to the case's policy name.
std::string PolicyNameOf(const Scenario& s, const std::string& source_id) {
  auto index = [&](const std::string& prefix) -> size_t {
    return std::stoul(source_id.substr(prefix.size())) - 1;
  };
  if (source_id.rfind("PolicyInputList.", 0) == 0) {
    size_t i = index("PolicyInputList.");
    return i < s.policies.identity.size() ? s.policies.identity[i].name : "?";
  }
  if (source_id == "PermissionsBoundaryPolicyInputList.1" && s.policies.permissions_boundary) {
    return s.policies.permissions_boundary->name;
  }
  if (source_id.rfind("SessionPolicy.", 0) == 0) {
    size_t i = index("SessionPolicy.");
    return i < s.policies.session.size() ? s.policies.session[i].name : "?";
  }
  if (source_id == "ResourcePolicy") {
    return s.request.resource_policy_name.empty() ? "resource policy" : s.request.resource_policy_name;
  }
  return "?" + source_id;
}

TEST_F(SimulatorTableTest, EveryTableCaseSimulatesAsItIsEnforced) {
  std::vector<EvalCase> cases = LoadCases();
  ASSERT_GE(cases.size(), 150u);
  auto* iam_service = static_cast<iam::IamService*>(emulator().env().FindService("iam"));
  ASSERT_NE(iam_service, nullptr);
  int over_http = 0, in_process = 0;
  for (const EvalCase& ec : cases) {
    SCOPED_TRACE(ec.name);
    ASSERT_FALSE(ec.spec.is_null());
    ManualClock case_clock(CaseTimeMicros(ec.spec));
    Scenario s = BuildScenario(ec.spec, &case_clock);
    const Json& expect = ec.spec.at("expect");

    // Real enforcement: the Authorizer with the case's identity policies.
    InMemoryIdentityPolicyProvider provider;
    if (s.principal.type == PrincipalType::kUser || s.principal.type == PrincipalType::kAssumedRole) {
      provider.Set(s.principal.PrincipalArn(), s.policies);
    }
    policy::PolicyCache cache;
    Authorizer enforcement(&provider, &cache);
    Decision real = enforcement.Authorize(s.ctx, s.request);
    EXPECT_EQ(OutcomeName(real.outcome), expect.at("decision").get<std::string>());

    // The simulator.
    Json input = SimulationInput(s);
    Json result;
    if (ExpressibleOverHttp(s)) {
      ++over_http;
      Params params;
      auto list = [&](const char* name, const Json& values) {
        for (size_t i = 0; i < values.size(); ++i) {
          params.emplace_back(std::string(name) + ".member." + std::to_string(i + 1),
                              values[i].get<std::string>());
        }
      };
      list("ActionNames", input["ActionNames"]);
      list("ResourceArns", input["ResourceArns"]);
      list("PolicyInputList", input["PolicyInputList"]);
      if (input["PolicyInputList"].empty()) params.emplace_back("PolicyInputList", "");
      if (input.contains("PermissionsBoundaryPolicyInputList")) {
        list("PermissionsBoundaryPolicyInputList", input["PermissionsBoundaryPolicyInputList"]);
      }
      if (input.contains("ResourcePolicy")) params.emplace_back("ResourcePolicy", input["ResourcePolicy"]);
      if (input.contains("ResourceOwner")) params.emplace_back("ResourceOwner", input["ResourceOwner"]);
      params.emplace_back("CallerArn", s.principal.arn);
      for (size_t i = 0; i < input["ContextEntries"].size(); ++i) {
        const Json& e = input["ContextEntries"][i];
        const std::string p = "ContextEntries.member." + std::to_string(i + 1);
        params.emplace_back(p + ".ContextKeyName", e["ContextKeyName"]);
        params.emplace_back(p + ".ContextKeyType", e["ContextKeyType"]);
        for (size_t j = 0; j < e["ContextKeyValues"].size(); ++j) {
          params.emplace_back(p + ".ContextKeyValues.member." + std::to_string(j + 1),
                              e["ContextKeyValues"][j].get<std::string>());
        }
      }
      auto r = Iam("SimulateCustomPolicy", params);
      ASSERT_THAT(r, IsOk());
      result["EvalDecision"] = XmlText(*r, "//EvaluationResults/member/EvalDecision");
      result["Sources"] = XmlTexts(*r, "//EvaluationResults/member/MatchedStatements/member/SourcePolicyId");
    } else {
      ++in_process;
      iam::IamService::SimulationOverrides overrides;
      overrides.caller = s.principal;
      for (const PolicyDocument& p : s.policies.session) overrides.session_policies.push_back(p.document);
      overrides.resource_policy_kind = s.request.resource_policy_kind;
      overrides.allowed_by_grant = s.request.allowed_by_grant;
      overrides.grant_id = s.request.grant_id;
      overrides.resource_account = s.request.resource_account;
      RequestContext ctx = s.ctx;
      auto r = iam_service->SimulateCustom(ctx, input, overrides);
      ASSERT_THAT(r, IsOk());
      const Json& first = (*r)["EvaluationResults"][0];
      result["EvalDecision"] = first["EvalDecision"];
      result["Sources"] = Json::array();
      for (const Json& m : first["MatchedStatements"]) result["Sources"].push_back(m["SourcePolicyId"]);
    }
    EXPECT_EQ(Outcome(result["EvalDecision"].get<std::string>()), OutcomeName(real.outcome));
    if (real.deciding && real.deciding->policy_type != "grant" &&
        real.outcome != DecisionOutcome::kImplicitDeny) {
      std::vector<std::string> names;
      for (const Json& source : result["Sources"]) names.push_back(PolicyNameOf(s, source.get<std::string>()));
      EXPECT_THAT(names, ::testing::Contains(real.deciding->policy_name));
    }
  }
  // Most of the table is asked exactly as a client would ask AWS.
  EXPECT_GE(over_http, 100);
  EXPECT_EQ(over_http + in_process, static_cast<int>(cases.size()));
  std::printf("[ table ] %d cases over HTTP, %d in-process\n", over_http, in_process);
}

}  // namespace
}  // namespace gee::testing

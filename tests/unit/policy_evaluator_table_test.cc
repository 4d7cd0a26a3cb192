// Runs the decision table in tests/unit/data/policy_evaluator_cases.json.
//
// Every case is decided twice — through Authorizer::Authorize (policies from
// an InMemoryIdentityPolicyProvider) and through Authorizer::Simulate (the
// same policies given explicitly) — and both must give the expected outcome,
// deciding statement (policy name + Sid) and denied_by. The file format is
// described in its "about" member; the IAM policy simulator is meant to
// replay the same table.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/authorizer.h"
#include "auth/authz.h"
#include "auth/policy/conditions.h"
#include "auth/policy/policy_cache.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/request_context.h"
#include "tests/testing/policy_table.h"

namespace gee {
namespace {

using testing::BuildScenario;
using testing::EvalCase;
using testing::LoadCases;
using testing::OutcomeName;
using testing::Scenario;
using testing::Table;
using Json = nlohmann::json;

std::string Describe(const Decision& d) {
  std::ostringstream os;
  os << OutcomeName(d.outcome) << " denied_by=\"" << d.denied_by << "\" deciding=";
  if (d.deciding) {
    os << "{" << d.deciding->policy_type << ", \"" << d.deciding->policy_name << "\", sid=\""
       << d.deciding->sid << "\"}";
  } else {
    os << "none";
  }
  os << "\n  explanation: " << d.explanation;
  return os.str();
}

void ExpectMatches(const Json& expect, const Decision& d, const char* path) {
  SCOPED_TRACE(std::string(path) + ": " + Describe(d));
  EXPECT_EQ(OutcomeName(d.outcome), expect.at("decision").get<std::string>());
  EXPECT_EQ(d.denied_by, expect.value("denied_by", ""));
  if (expect.contains("policy")) {
    ASSERT_TRUE(d.deciding.has_value());
    EXPECT_EQ(d.deciding->policy_name, expect["policy"].get<std::string>());
    EXPECT_EQ(d.deciding->sid, expect.value("sid", ""));
    EXPECT_EQ(d.deciding->effect, d.allowed() ? "Allow" : "Deny");
  } else {
    EXPECT_FALSE(d.deciding.has_value());
  }
  EXPECT_FALSE(d.explanation.empty());
  if (d.outcome == DecisionOutcome::kExplicitDeny) {
    bool deciding_in_matched = false;
    for (const MatchedStatement& m : d.matched) {
      if (m.policy_name == d.deciding->policy_name && m.sid == d.deciding->sid) deciding_in_matched = true;
    }
    EXPECT_TRUE(deciding_in_matched);
  }
}

class PolicyEvaluatorTableTest : public ::testing::TestWithParam<EvalCase> {
 protected:
  policy::PolicyCache cache_;
};

TEST_P(PolicyEvaluatorTableTest, DecidesAsAwsDoes) {
  const EvalCase& ec = GetParam();
  ASSERT_FALSE(ec.spec.is_null()) << "cannot load " << testing::kPolicyTablePath;
  ManualClock clock(testing::CaseTimeMicros(ec.spec));
  Scenario s = BuildScenario(ec.spec, &clock);
  const Json& expect = ec.spec.at("expect");

  InMemoryIdentityPolicyProvider provider;
  if (s.principal.type == PrincipalType::kUser || s.principal.type == PrincipalType::kAssumedRole) {
    provider.Set(s.principal.PrincipalArn(), s.policies);
  }
  Authorizer authorizer(&provider, &cache_);
  Decision real = authorizer.Authorize(s.ctx, s.request);
  ExpectMatches(expect, real, "Authorize");

  WhatIf what_if;
  what_if.policies = s.policies;
  Decision simulated = authorizer.Simulate(s.ctx, s.request, what_if);
  ExpectMatches(expect, simulated, "Simulate");
}

INSTANTIATE_TEST_SUITE_P(Table, PolicyEvaluatorTableTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<EvalCase>& info) { return info.param.name; });

TEST(PolicyEvaluatorTableShapeTest, TableHasAtLeast150NamedCases) {
  std::vector<EvalCase> cases = LoadCases();
  EXPECT_GE(cases.size(), 150u);
  for (const EvalCase& c : cases) EXPECT_TRUE(c.spec.contains("expect")) << c.name;
}

}  // namespace
}  // namespace gee

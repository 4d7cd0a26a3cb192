// The evaluator's decision table (tests/unit/data/policy_evaluator_cases.json)
// as test inputs: loading, and turning one case into the principal, request
// context, AuthRequest and identity-side policies it describes. Shared by
// the unit test that decides every case through the Authorizer and the
// integration test that replays it through the IAM policy simulator.
//
// Thread-safety: Table() is initialised once; the rest are pure functions.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/authorizer.h"
#include "auth/authz.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/request_context.h"

namespace gee::testing {

using Json = nlohmann::json;

inline constexpr char kPolicyTablePath[] = GEE_SOURCE_DIR "/tests/unit/data/policy_evaluator_cases.json";

struct EvalCase {
  std::string name;
  Json spec;  // null when the table could not be loaded
};
inline void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.name; }

// The whole table document (discarded JSON when unreadable).
const Json& Table();
// One entry per case; a single null-spec entry when the table cannot load.
std::vector<EvalCase> LoadCases();
// ISO-8601 → epoch microseconds (0 when unparseable).
int64_t IsoToMicros(const std::string& iso);
// The principal described by a "principals" entry.
Principal BuildPrincipal(const Json& p);
// A policy reference: a library name, or {"name": ..., "document": {...}}.
PolicyDocument ResolvePolicy(const Json& ref);

struct Scenario {
  Principal principal;
  RequestContext ctx;
  AuthRequest request;
  PrincipalPolicies policies;
};

// The case as a request at the case's time (`clock` must already be set to it).
Scenario BuildScenario(const Json& c, const Clock* clock);
// The clock time of the case ("time" of its request, else the table default).
int64_t CaseTimeMicros(const Json& c);
// "Allow", "ImplicitDeny", "ExplicitDeny".
const char* OutcomeName(DecisionOutcome o);

}  // namespace gee::testing

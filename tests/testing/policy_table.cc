#include "tests/testing/policy_table.h"

#include <fstream>
#include <optional>

#include "auth/policy/conditions.h"

namespace gee::testing {

const Json& Table() {
  static const Json table = [] {
    std::ifstream in(kPolicyTablePath);
    Json j = Json::parse(in, nullptr, /*allow_exceptions=*/false);
    return j;
  }();
  return table;
}

std::vector<EvalCase> LoadCases() {
  const Json& table = Table();
  if (table.is_discarded() || !table.contains("cases")) {
    return {EvalCase{"TableFailedToLoad", Json()}};
  }
  std::vector<EvalCase> cases;
  for (const Json& c : table["cases"]) cases.push_back({c.value("name", "Unnamed"), c});
  return cases;
}

int64_t IsoToMicros(const std::string& iso) {
  std::optional<int64_t> t = policy::ParseDateMicros(iso);
  return t.value_or(0);
}

Principal BuildPrincipal(const Json& p) {
  const std::string type = p.value("type", "anonymous");
  const std::string account = p.value("account", "");
  Principal out;
  if (type == "root") {
    out = RootPrincipal(account);
  } else if (type == "user") {
    out.type = PrincipalType::kUser;
    out.account = account;
    out.name = p.at("name").get<std::string>();
    out.arn = "arn:aws:iam::" + account + ":user" + p.value("path", std::string("/")) + out.name;
    out.user_id = p.value("user_id", "");
  } else if (type == "assumed-role") {
    out.type = PrincipalType::kAssumedRole;
    out.account = account;
    out.name = p.at("role").get<std::string>();
    out.session_name = p.at("session").get<std::string>();
    out.role_arn = "arn:aws:iam::" + account + ":role" + p.value("role_path", std::string("/")) + out.name;
    out.arn = "arn:aws:sts::" + account + ":assumed-role/" + out.name + "/" + out.session_name;
    out.role_id = p.value("role_id", "");
    out.user_id = out.role_id + ":" + out.session_name;
    out.token_issue_time = IsoToMicros(p.value("token_issue_time", "")) / 1000000;
    out.expiration = out.token_issue_time + 3600;
  } else if (type == "service") {
    out = ServicePrincipal(p.at("name").get<std::string>());
  }
  if (p.contains("tags")) {
    for (auto it = p["tags"].begin(); it != p["tags"].end(); ++it) {
      out.tags[it.key()] = it->get<std::string>();
    }
  }
  return out;
}

// A policy reference: a library name, or {"name": ..., "document": {...}}.
PolicyDocument ResolvePolicy(const Json& ref) {
  if (ref.is_string()) {
    const std::string name = ref.get<std::string>();
    return {name, Table()["policies"].at(name).dump()};
  }
  return {ref.at("name").get<std::string>(), ref.at("document").dump()};
}


Scenario BuildScenario(const Json& c, const Clock* clock) {
  const Json& defaults = Table()["defaults"];
  Json request = c.value("request", Json::object());
  Scenario s;
  s.principal = BuildPrincipal(Table()["principals"].at(c.at("principal").get<std::string>()));

  s.ctx.request_id = "table-" + c.at("name").get<std::string>();
  s.ctx.principal = s.principal;
  s.ctx.account = s.principal.account;
  s.ctx.region = request.value("region", defaults.value("region", ""));
  s.ctx.source_ip = request.value("source_ip", defaults.value("source_ip", ""));
  s.ctx.secure_transport = request.value("secure_transport", defaults.value("secure_transport", true));
  s.ctx.via_service = request.value("via_service", "");
  if (request.contains("called_via")) {
    s.ctx.called_via = request["called_via"].get<std::vector<std::string>>();
  }
  s.ctx.source_arn = request.value("source_arn", "");
  s.ctx.source_account = request.value("source_account", "");
  s.ctx.clock = clock;

  s.request.action = c.at("action").get<std::string>();
  s.request.resource = c.at("resource").get<std::string>();
  s.request.resource_account = c.value("resource_account", "");
  if (c.contains("resource_policy")) {
    const Json& rp = c["resource_policy"];
    const std::string kind = rp.at("kind").get<std::string>();
    s.request.resource_policy_kind = kind == "key"     ? ResourcePolicyKind::kKeyPolicy
                                     : kind == "trust" ? ResourcePolicyKind::kTrustPolicy
                                                       : ResourcePolicyKind::kStandard;
    s.request.resource_policy_name = rp.value("name", "");
    if (rp.contains("policy")) {
      s.request.resource_policy = Table()["policies"].at(rp["policy"].get<std::string>()).dump();
    } else if (rp.contains("document")) {
      s.request.resource_policy = rp["document"].dump();
    }
  }
  if (c.contains("grant")) {
    s.request.allowed_by_grant = true;
    s.request.grant_id = c["grant"].get<std::string>();
  }
  if (c.contains("context")) {
    for (auto it = c["context"].begin(); it != c["context"].end(); ++it) {
      if (it->is_array()) {
        s.request.keys.SetMulti(it.key(), it->get<std::vector<std::string>>());
      } else {
        s.request.keys.Set(it.key(), it->get<std::string>());
      }
    }
  }

  for (const Json& ref : c.value("identity", Json::array())) s.policies.identity.push_back(ResolvePolicy(ref));
  if (c.contains("boundary")) s.policies.permissions_boundary = ResolvePolicy(c["boundary"]);
  for (const Json& ref : c.value("session", Json::array())) s.policies.session.push_back(ResolvePolicy(ref));
  return s;
}

const char* OutcomeName(DecisionOutcome o) {
  switch (o) {
    case DecisionOutcome::kAllow:
      return "Allow";
    case DecisionOutcome::kImplicitDeny:
      return "ImplicitDeny";
    case DecisionOutcome::kExplicitDeny:
      return "ExplicitDeny";
  }
  return "?";
}

int64_t CaseTimeMicros(const Json& c) {
  const Json& defaults = Table()["defaults"];
  const Json request = c.value("request", Json::object());
  return IsoToMicros(request.value("time", defaults.value("time", "")));
}

}  // namespace gee::testing

// The IAM policy simulator: SimulateCustomPolicy and SimulatePrincipalPolicy.
//
// Both decide through Authorizer::Simulate, the what-if entry of the one
// authorization path real requests take: the same parser, evaluator and
// decision procedure, with the policies and context entries given here
// instead of the provider's and the request's. The simulator derives no
// context of its own: every condition key comes from ContextEntries, and the
// keys a matching statement needed but did not get are MissingContextValues.
//
// Resource policy kind: a ResourcePolicy on a KMS key ARN is evaluated as a
// key policy, on a role ARN for sts:AssumeRole* as a trust policy, otherwise
// as an ordinary resource policy; without a ResourcePolicy identity policies
// decide alone.
//
// MatchedStatements: for allowed / explicitDeny results, the statements with
// that effect that matched (none for implicitDeny). SourcePolicyId and
// SourcePolicyType follow AWS: "PolicyInputList.N" / "IAM Policy",
// "PermissionsBoundaryPolicyInputList.1" / "IAM Policy", "ResourcePolicy" /
// "resource", inline policy names with "user" / "group" / "role", managed
// policy names with "user-managed" / "aws-managed". Start/EndPosition are the
// 1-based line and column of the statement's opening and closing braces (a
// lone statement object counts as if wrapped in [...], as AWS reports it).
#include <algorithm>
#include <cctype>
#include <utility>

#include "auth/authorizer.h"
#include "auth/policy/policy.h"
#include "core/environment.h"
#include "protocol/model.h"
#include "protocol/validation.h"
#include "services/iam/arns.h"
#include "services/iam/aws_managed_policies.h"
#include "services/iam/errors.h"
#include "services/iam/iam_internal.h"
#include "services/iam/iam_service.h"
#include "services/iam/identity_policies.h"

namespace gee::iam {

using internal::Has;
using internal::Str;

namespace {

struct SimPolicy {
  std::string id;    // SourcePolicyId
  std::string type;  // SourcePolicyType
  std::string document;
};

struct SimSetup {
  Principal caller;
  std::vector<SimPolicy> identity;
  std::optional<SimPolicy> boundary;
  std::vector<SimPolicy> session;
  std::string resource_policy;
  std::optional<ResourcePolicyKind> kind_override;
  std::string resource_owner;
  bool allowed_by_grant = false;
  std::string grant_id;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> StringList(const Json& in, std::string_view key) {
  std::vector<std::string> out;
  if (auto it = in.find(key); it != in.end() && it->is_array()) {
    for (const Json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// ---- statement positions ----

struct Span {
  size_t begin = 0;  // offset of '{'
  size_t end = 0;    // offset of '}'
  bool wrapped = false;  // the Statement value was a single object
};

// A minimal scanner over a JSON text that the policy parser accepted.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : t_(text) {}

  // Span of statement `index` of the top-level "Statement" member.
  std::optional<Span> Statement(size_t index) {
    pos_ = 0;
    SkipSpace();
    if (!Eat('{')) return std::nullopt;
    while (true) {
      SkipSpace();
      std::optional<std::string> key = String();
      if (!key) return std::nullopt;
      SkipSpace();
      if (!Eat(':')) return std::nullopt;
      SkipSpace();
      if (*key == "Statement") {
        if (Peek() == '{') {
          if (index != 0) return std::nullopt;
          Span s{pos_, 0, true};
          if (!SkipValue()) return std::nullopt;
          s.end = pos_ - 1;
          return s;
        }
        if (!Eat('[')) return std::nullopt;
        for (size_t i = 0;; ++i) {
          SkipSpace();
          Span s{pos_, 0, false};
          if (!SkipValue()) return std::nullopt;
          s.end = pos_ - 1;
          if (i == index) return s;
          SkipSpace();
          if (!Eat(',')) return std::nullopt;
        }
      }
      if (!SkipValue()) return std::nullopt;
      SkipSpace();
      if (!Eat(',')) return std::nullopt;
    }
  }

 private:
  char Peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpace() {
    while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_]))) ++pos_;
  }
  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (pos_ < t_.size() && t_[pos_] != '"') {
      if (t_[pos_] == '\\') ++pos_;
      if (pos_ < t_.size()) out.push_back(t_[pos_++]);
    }
    if (!Eat('"')) return std::nullopt;
    return out;
  }
  bool SkipValue() {
    SkipSpace();
    const char c = Peek();
    if (c == '"') return String().has_value();
    if (c == '{' || c == '[') {
      int depth = 0;
      while (pos_ < t_.size()) {
        const char d = t_[pos_];
        if (d == '"') {
          if (!String()) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    while (pos_ < t_.size() && t_[pos_] != ',' && t_[pos_] != '}' && t_[pos_] != ']') ++pos_;
    return true;
  }

  std::string_view t_;
  size_t pos_ = 0;
};

Json Position(std::string_view text, size_t offset, int shift) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {{"Line", line}, {"Column", static_cast<int>(offset - line_start) + 1 + shift}};
}

// ---- the shared run ----

Result<ConditionKeys> ContextKeys(const Json& input) {
  ConditionKeys keys;
  if (auto it = input.find("ContextEntries"); it != input.end() && it->is_array()) {
    for (const Json& e : *it) {
      const std::string name = Str(e, "ContextKeyName");
      const std::string type = Str(e, "ContextKeyType", "string");
      std::vector<std::string> values = StringList(e, "ContextKeyValues");
      if (name.empty()) continue;
      if (type.size() > 4 && type.compare(type.size() - 4, 4, "List") == 0) {
        keys.SetMulti(name, std::move(values));
      } else if (!values.empty()) {
        keys.Set(name, values.front());
      }
    }
  }
  return keys;
}

ResourcePolicyKind KindFor(const std::string& action, const std::string& resource) {
  if (resource.rfind("arn:aws:kms:", 0) == 0 && resource.find(":key/") != std::string::npos) {
    return ResourcePolicyKind::kKeyPolicy;
  }
  if (Lower(action).rfind("sts:assumerole", 0) == 0 && ParseEntityArn(resource, "role")) {
    return ResourcePolicyKind::kTrustPolicy;
  }
  return ResourcePolicyKind::kStandard;
}

Result<policy::PolicyPtr> ParseFor(ResourcePolicyKind kind, const std::string& document) {
  switch (kind) {
    case ResourcePolicyKind::kKeyPolicy:
      return policy::ParseKeyPolicy(document);
    case ResourcePolicyKind::kTrustPolicy:
      return policy::ParseTrustPolicy(document);
    default:
      return policy::ParseResourcePolicy(document);
  }
}

Result<Json> RunSimulation(Environment& env, RequestContext& ctx, const Json& input,
                           const SimSetup& setup) {
  // Internal policy names are "#<n>", mapped back to the AWS identifiers.
  std::vector<const SimPolicy*> by_name;
  auto named = [&](const SimPolicy& p) {
    by_name.push_back(&p);
    PolicyDocument doc{"#" + std::to_string(by_name.size() - 1), p.document, nullptr};
    return doc;
  };
  WhatIf what_if;
  what_if.derive_global_keys = false;
  for (const SimPolicy& p : setup.identity) what_if.policies.identity.push_back(named(p));
  if (setup.boundary) what_if.policies.permissions_boundary = named(*setup.boundary);
  for (const SimPolicy& p : setup.session) what_if.policies.session.push_back(named(p));
  SimPolicy resource_policy{"ResourcePolicy", "resource", setup.resource_policy};
  GEE_ASSIGN_OR_RETURN(what_if.context_entries, ContextKeys(input));

  std::vector<std::string> actions = StringList(input, "ActionNames");
  std::vector<std::string> resources = StringList(input, "ResourceArns");
  if (resources.empty()) resources.push_back("*");

  RequestContext sim = ctx;
  sim.principal = setup.caller;
  sim.account = setup.caller.account.empty() ? ctx.account : setup.caller.account;

  std::vector<Json> results;
  for (const std::string& action : actions) {
    for (const std::string& resource : resources) {
      AuthRequest request;
      request.action = action;
      request.resource = resource;
      request.resource_account = setup.resource_owner;
      request.allowed_by_grant = setup.allowed_by_grant;
      request.grant_id = setup.grant_id;
      if (setup.kind_override) {
        request.resource_policy_kind = *setup.kind_override;
      } else if (!setup.resource_policy.empty()) {
        request.resource_policy_kind = KindFor(action, resource);
      }
      if (request.resource_policy_kind != ResourcePolicyKind::kNone &&
          !setup.resource_policy.empty()) {
        Result<policy::PolicyPtr> parsed = ParseFor(request.resource_policy_kind, setup.resource_policy);
        if (!parsed.ok()) return errors::InvalidInput(parsed.error().message);
        request.resource_policy = setup.resource_policy;
        request.resource_policy_name = "ResourcePolicy";
      }
      Decision d = env.authorizer().Simulate(sim, request, what_if);
      const char* decision = d.outcome == DecisionOutcome::kAllow          ? "allowed"
                             : d.outcome == DecisionOutcome::kExplicitDeny ? "explicitDeny"
                                                                           : "implicitDeny";
      Json matched = Json::array();
      if (d.outcome != DecisionOutcome::kImplicitDeny) {
        const char* effect = d.allowed() ? "Allow" : "Deny";
        for (const MatchedStatement& m : d.matched) {
          if (m.effect != effect) continue;
          const SimPolicy* source = nullptr;
          if (m.policy_name == "ResourcePolicy") {
            source = &resource_policy;
          } else if (m.policy_name.size() > 1 && m.policy_name[0] == '#') {
            size_t n = std::stoul(m.policy_name.substr(1));
            if (n < by_name.size()) source = by_name[n];
          }
          if (source == nullptr) continue;  // a grant: no policy text
          Json st = {{"SourcePolicyId", source->id}, {"SourcePolicyType", source->type}};
          if (m.statement_index >= 0) {
            if (auto span = Scanner(source->document).Statement(m.statement_index)) {
              const int shift = span->wrapped ? 1 : 0;
              Json start = Position(source->document, span->begin, shift);
              Json end = Position(source->document, span->end, 0);
              if (span->wrapped && end["Line"] == start["Line"]) end["Column"] = end["Column"].get<int>() + 1;
              st["StartPosition"] = start;
              st["EndPosition"] = end;
            }
          }
          matched.push_back(std::move(st));
        }
      }
      Json r = {{"EvalActionName", action},
                {"EvalResourceName", resource},
                {"EvalDecision", decision},
                {"MatchedStatements", matched},
                {"MissingContextValues", d.missing_context_keys}};
      if (setup.boundary) {
        const bool boundary_allows = std::any_of(
            d.matched.begin(), d.matched.end(), [&](const MatchedStatement& m) {
              return m.effect == "Allow" && m.policy_type == "permissions boundary";
            });
        r["PermissionsBoundaryDecisionDetail"] = {{"AllowedByPermissionsBoundary", boundary_allows}};
      }
      if (resource != "*") {
        r["ResourceSpecificResults"] = Json::array({{{"EvalResourceName", resource},
                                                     {"EvalResourceDecision", decision},
                                                     {"MatchedStatements", matched},
                                                     {"MissingContextValues", d.missing_context_keys}}});
      }
      results.push_back(std::move(r));
    }
  }
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(input, std::move(results), "EvaluationResults", &out));
  return out;
}

// Input policies: identity policies from PolicyInputList and the boundary
// from PermissionsBoundaryPolicyInputList, parsed like the policies IAM
// stores; a bad one is InvalidInput (the simulator's modelled error).
Status AddInputPolicies(const Json& input, SimSetup* setup) {
  std::vector<std::string> docs = StringList(input, "PolicyInputList");
  for (size_t i = 0; i < docs.size(); ++i) {
    Result<policy::PolicyPtr> parsed = policy::ParseIdentityPolicy(docs[i]);
    if (!parsed.ok()) return errors::InvalidInput(parsed.error().message);
    setup->identity.push_back({"PolicyInputList." + std::to_string(i + 1), "IAM Policy", docs[i]});
  }
  std::vector<std::string> boundaries = StringList(input, "PermissionsBoundaryPolicyInputList");
  if (boundaries.size() > 1) {
    return errors::InvalidInput("Only one permissions boundary policy may be simulated.");
  }
  if (!boundaries.empty()) {
    Result<policy::PolicyPtr> parsed = policy::ParseIdentityPolicy(boundaries[0]);
    if (!parsed.ok()) return errors::InvalidInput(parsed.error().message);
    setup->boundary = SimPolicy{"PermissionsBoundaryPolicyInputList.1", "IAM Policy", boundaries[0]};
  }
  return OkStatus();
}

std::string OwnerAccount(const Json& input) {
  const std::string owner = Str(input, "ResourceOwner");
  if (owner.empty()) return "";
  if (std::optional<Arn> arn = ParseArn(owner)) return arn->account;
  return owner;
}

Principal UserPrincipal(const std::string& account, const std::optional<UserRecord>& user,
                        const EntityArn& arn) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = arn.account.empty() ? account : arn.account;
  p.name = arn.name;
  p.arn = UserArn(p.account, arn.path, arn.name);
  if (user) p.user_id = user->id;
  return p;
}

// The simulated caller named by CallerArn (an IAM user ARN), else `fallback`.
Result<Principal> CallerFromInput(IamStore& s, const std::string& account, const Json& input,
                                  const Principal& fallback) {
  if (!Has(input, "CallerArn")) return fallback;
  const std::string caller = Str(input, "CallerArn");
  std::optional<EntityArn> arn = ParseEntityArn(caller, "user");
  if (!arn) return errors::InvalidInput("Invalid Entity Arn: " + caller);
  std::optional<UserRecord> user;
  if (arn->account == account) {
    GEE_ASSIGN_OR_RETURN(user, s.FindUser(arn->name));
  }
  return UserPrincipal(account, user, *arn);
}

// Stored policies of an entity as simulator sources.
Status AddStoredPolicies(IamStore& s, EntityKind kind, const std::string& id,
                         std::vector<SimPolicy>* out) {
  GEE_ASSIGN_OR_RETURN(auto inline_policies, s.ListInline(kind, id));
  for (InlinePolicy& p : inline_policies) {
    out->push_back({p.name, std::string(EntityKindName(kind)), std::move(p.document)});
  }
  GEE_ASSIGN_OR_RETURN(auto attached, s.AttachedPolicies(kind, id));
  for (const std::string& arn : attached) {
    GEE_ASSIGN_OR_RETURN(auto doc, IamIdentityPolicyProvider::ManagedDocument(s, arn));
    if (!doc) continue;
    const bool aws = FindAwsManagedPolicy(arn) != nullptr;
    out->push_back({arn.substr(arn.rfind('/') + 1), aws ? "aws-managed" : "user-managed",
                    std::move(*doc)});
  }
  return OkStatus();
}

Status SetStoredBoundary(IamStore& s, const std::string& boundary_arn, SimSetup* setup) {
  if (boundary_arn.empty()) return OkStatus();
  GEE_ASSIGN_OR_RETURN(auto doc, IamIdentityPolicyProvider::ManagedDocument(s, boundary_arn));
  const bool aws = FindAwsManagedPolicy(boundary_arn) != nullptr;
  setup->boundary = SimPolicy{boundary_arn.substr(boundary_arn.rfind('/') + 1),
                              aws ? "aws-managed" : "user-managed",
                              doc ? *doc : IamIdentityPolicyProvider::AllowsNothing("").document};
  return OkStatus();
}

}  // namespace

Result<Json> IamService::SimulateCustomPolicy(Call& call) {
  return SimulateCustom(call.ctx, call.input, SimulationOverrides{});
}

Result<Json> IamService::SimulateCustom(RequestContext& ctx, const Json& input,
                                        const SimulationOverrides& overrides) {
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get("iam"));
  if (const protocol::Operation* op = model->FindOperation("SimulateCustomPolicy")) {
    GEE_RETURN_IF_ERROR(protocol::ValidateInput(*model, *op, input));
  }
  std::lock_guard<std::recursive_mutex> lock(env().store_mutex());
  IamStore s = store();
  SimSetup setup;
  GEE_RETURN_IF_ERROR(AddInputPolicies(input, &setup));
  Principal anonymous_user;
  anonymous_user.type = PrincipalType::kUser;
  anonymous_user.account = account();
  GEE_ASSIGN_OR_RETURN(setup.caller, CallerFromInput(s, account(), input, anonymous_user));
  if (overrides.caller) setup.caller = *overrides.caller;
  for (size_t i = 0; i < overrides.session_policies.size(); ++i) {
    setup.session.push_back(
        {"SessionPolicy." + std::to_string(i + 1), "IAM Policy", overrides.session_policies[i]});
  }
  setup.resource_policy = Str(input, "ResourcePolicy");
  setup.kind_override = overrides.resource_policy_kind;
  setup.resource_owner = overrides.resource_account.empty() ? OwnerAccount(input)
                                                            : overrides.resource_account;
  setup.allowed_by_grant = overrides.allowed_by_grant;
  setup.grant_id = overrides.grant_id;
  return RunSimulation(env(), ctx, input, setup);
}

Result<Json> IamService::SimulatePrincipalPolicy(Call& call) {
  IamStore s = store();
  const std::string source = Str(call.input, "PolicySourceArn");
  SimSetup setup;
  Principal fallback;
  if (std::optional<EntityArn> arn = ParseEntityArn(source, "user")) {
    GEE_ASSIGN_OR_RETURN(auto user, s.FindUser(arn->name));
    if (!user || arn->account != account() || user->path != arn->path) {
      return errors::NoSuchUser(arn->name);
    }
    GEE_RETURN_IF_ERROR(AddStoredPolicies(s, EntityKind::kUser, user->id, &setup.identity));
    GEE_ASSIGN_OR_RETURN(auto groups, s.GroupsForUser(user->id));
    for (const GroupRecord& g : groups) {
      GEE_RETURN_IF_ERROR(AddStoredPolicies(s, EntityKind::kGroup, g.id, &setup.identity));
    }
    GEE_RETURN_IF_ERROR(SetStoredBoundary(s, user->boundary_arn, &setup));
    fallback = UserPrincipal(account(), user, *arn);
    GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kUser, user->id));
    for (const iam::Tag& t : tags) fallback.tags[t.key] = t.value;
  } else if (std::optional<EntityArn> arn = ParseEntityArn(source, "role")) {
    GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(arn->name));
    if (!role || arn->account != account() || role->path != arn->path) {
      return errors::NoSuchRole(arn->name);
    }
    GEE_RETURN_IF_ERROR(AddStoredPolicies(s, EntityKind::kRole, role->id, &setup.identity));
    GEE_RETURN_IF_ERROR(SetStoredBoundary(s, role->boundary_arn, &setup));
    fallback.type = PrincipalType::kUser;  // AWS: a role source simulates with CallerArn
    fallback.account = account();
  } else if (std::optional<EntityArn> arn = ParseEntityArn(source, "group")) {
    GEE_ASSIGN_OR_RETURN(auto group, s.FindGroup(arn->name));
    if (!group || arn->account != account() || group->path != arn->path) {
      return errors::NoSuchGroup(arn->name);
    }
    GEE_RETURN_IF_ERROR(AddStoredPolicies(s, EntityKind::kGroup, group->id, &setup.identity));
    fallback.type = PrincipalType::kUser;
    fallback.account = account();
  } else {
    return errors::InvalidInput("Invalid Entity Arn: " + source);
  }
  // Extra policies given with the request are simulated too; a given
  // boundary replaces the entity's.
  SimSetup extra;
  GEE_RETURN_IF_ERROR(AddInputPolicies(call.input, &extra));
  for (SimPolicy& p : extra.identity) setup.identity.push_back(std::move(p));
  if (extra.boundary) setup.boundary = std::move(extra.boundary);
  GEE_ASSIGN_OR_RETURN(setup.caller, CallerFromInput(s, account(), call.input, fallback));
  setup.resource_policy = Str(call.input, "ResourcePolicy");
  setup.resource_owner = OwnerAccount(call.input);
  return RunSimulation(env(), call.ctx, call.input, setup);
}

}  // namespace gee::iam

#include "auth/policy/evaluator.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace gee::policy {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string RootArn(const std::string& account) { return "arn:aws:iam::" + account + ":root"; }

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool IsIamPrincipal(const Principal& p) {
  return p.type == PrincipalType::kRoot || p.type == PrincipalType::kUser ||
         p.type == PrincipalType::kAssumedRole;
}

std::string Describe(const MatchedStatement& s) {
  std::string out = s.policy_type + " policy \"" + s.policy_name + "\"";
  if (!s.sid.empty()) out += " statement \"" + s.sid + "\"";
  return out;
}

// What one policy contributed to a request.
struct PolicyScan {
  std::optional<MatchedStatement> first_allow;
  std::optional<MatchedStatement> first_deny;
  // Resource policies: the first Allow for each way of naming the caller.
  std::optional<MatchedStatement> allow_exact;
  std::optional<MatchedStatement> allow_direct;   // role ARN or "*"
  std::optional<MatchedStatement> allow_account;  // the caller's account
};

bool ActionMatches(const Statement& st, std::string_view action_lower);
bool ResourceMatches(const Statement& st, const std::string& resource, const ConditionKeys& keys);

class Evaluation {
 public:
  Evaluation(const EvaluationInput& in, const EvaluatorOptions& options)
      : in_(in), options_(options), p_(*in.principal), action_lower_(Lower(in.action)) {}

  Decision Run() {
    const bool iam = IsIamPrincipal(p_);
    const bool root = p_.type == PrincipalType::kRoot;
    has_boundary_ = iam && !root && in_.permissions_boundary.has_value();
    const bool has_session = iam && !root && !in_.session_policies.empty();

    PolicyScan ident, bound, sess, res;
    if (iam) {
      for (const NamedPolicy& np : in_.identity_policies) Scan(np, kIdentityBased, &ident);
    }
    if (has_boundary_) Scan(*in_.permissions_boundary, kPermissionsBoundary, &bound);
    if (has_session) {
      for (const NamedPolicy& np : in_.session_policies) Scan(np, kSessionPolicy, &sess);
    }
    const ResourcePolicyKind kind = in_.resource_policy_kind;
    if (kind != ResourcePolicyKind::kNone && in_.resource_policy) {
      Scan(*in_.resource_policy, kResourceBased, &res);
    }

    // 1. Explicit deny anywhere.
    for (auto [scan, type] : {std::pair{&res, kResourceBased}, std::pair{&ident, kIdentityBased},
                              std::pair{&bound, kPermissionsBoundary},
                              std::pair{&sess, kSessionPolicy}}) {
      if (scan->first_deny) {
        return Finish(DecisionOutcome::kExplicitDeny, type, scan->first_deny,
                      "explicit deny in " + Describe(*scan->first_deny));
      }
    }

    const std::string& caller_account = p_.account;
    const std::string& resource_account =
        in_.resource_account.empty() ? caller_account : in_.resource_account;
    const bool same_account = !caller_account.empty() && caller_account == resource_account;
    const std::optional<MatchedStatement> grant = GrantStatement();

    // 2. Service principals and anonymous callers.
    if (p_.type == PrincipalType::kService) {
      if (res.allow_exact) return Allow(res.allow_exact, "the resource policy names the service");
      if (res.allow_direct) return Allow(res.allow_direct, "the resource policy allows \"*\"");
      if (grant) return Allow(grant, "an active grant names the service");
      return Deny(kind == ResourcePolicyKind::kNone ? kIdentityBased : kResourceBased,
                  "no resource-based policy allows the service principal " + p_.arn);
    }
    if (p_.type == PrincipalType::kAnonymous) {
      if (kind == ResourcePolicyKind::kStandard && res.allow_direct) {
        return Allow(res.allow_direct, "the resource policy allows anonymous access (\"*\")");
      }
      return Deny(kResourceBased, "no resource-based policy allows anonymous access");
    }

    // 3. Identity side.
    const bool identity_allow =
        root ? (same_account || options_.root_identity_allows_cross_account)
             : ident.first_allow.has_value();
    const bool boundary_ok = !has_boundary_ || bound.first_allow.has_value();
    const bool session_ok = !has_session || sess.first_allow.has_value();
    const bool identity_ok = identity_allow && boundary_ok && session_ok;
    const char* identity_fail = !identity_allow ? kIdentityBased
                                : !boundary_ok  ? kPermissionsBoundary
                                                : kSessionPolicy;
    const std::string identity_why =
        !identity_allow ? (root ? "the root user has no implicit permissions on another "
                                  "account's resources"
                                : "no identity-based policy allows " + in_.action)
        : !boundary_ok  ? "the permissions boundary does not allow " + in_.action
                        : "no session policy allows " + in_.action;
    // Allow attributed to the identity side.
    auto allow_by_identity = [&](const std::string& why) {
      if (root) return Allow(std::nullopt, "the root user is allowed on its own account" + why);
      return Allow(ident.first_allow, "allowed by " + Describe(*ident.first_allow) + why);
    };
    // The boundary/session limit on a resource-policy allow naming the role or "*".
    const bool limits_ok = boundary_ok && session_ok;
    const char* limit_fail = !boundary_ok ? kPermissionsBoundary : kSessionPolicy;
    const std::string limit_why = !boundary_ok ? "the permissions boundary does not allow " + in_.action
                                               : "no session policy allows " + in_.action;

    switch (kind) {
      case ResourcePolicyKind::kNone:
        if (!identity_ok) return Deny(identity_fail, identity_why);
        if (!same_account) {
          return Deny(kResourceBased, "the resource belongs to account " + resource_account +
                                          " and has no resource-based policy");
        }
        return allow_by_identity("");

      case ResourcePolicyKind::kStandard:
        if (!same_account) {
          if (!identity_ok) return Deny(identity_fail, identity_why + " (cross-account)");
          if (res.allow_exact) return Allow(res.allow_exact, "cross-account: identity side and " + Describe(*res.allow_exact) + " allow");
          if (res.allow_direct) return Allow(res.allow_direct, "cross-account: identity side and " + Describe(*res.allow_direct) + " allow");
          if (res.allow_account) return Allow(res.allow_account, "cross-account: identity side and " + Describe(*res.allow_account) + " allow");
          return Deny(kResourceBased, "cross-account: no resource-based policy of account " +
                                          resource_account + " allows the caller");
        }
        if (res.allow_exact) {
          return Allow(res.allow_exact, Describe(*res.allow_exact) + " names the caller");
        }
        if (res.allow_direct && limits_ok) {
          return Allow(res.allow_direct, "allowed by " + Describe(*res.allow_direct));
        }
        if (identity_ok) return allow_by_identity("");
        if (res.allow_direct) return Deny(limit_fail, limit_why);
        return Deny(identity_fail, identity_why);

      case ResourcePolicyKind::kKeyPolicy:
      case ResourcePolicyKind::kTrustPolicy: {
        const std::string rp_name =
            kind == ResourcePolicyKind::kKeyPolicy ? "the key policy" : "the trust policy";
        const bool grant_ok = grant.has_value() && kind == ResourcePolicyKind::kKeyPolicy;
        if (!same_account) {
          const bool rp_allows = res.allow_exact || res.allow_direct || res.allow_account || grant_ok;
          if (!rp_allows) {
            return Deny(kResourceBased, "cross-account: " + rp_name + " allows neither the caller nor account " + caller_account);
          }
          if (!identity_ok) return Deny(identity_fail, identity_why + " (cross-account)");
          const std::optional<MatchedStatement>& by =
              res.allow_exact ? res.allow_exact
              : res.allow_direct ? res.allow_direct
              : res.allow_account ? res.allow_account : grant;
          return Allow(by, "cross-account: identity side and " + Describe(*by) + " allow");
        }
        if (res.allow_exact) {
          return Allow(res.allow_exact, Describe(*res.allow_exact) + " names the caller");
        }
        if (res.allow_direct && limits_ok) {
          return Allow(res.allow_direct, "allowed by " + Describe(*res.allow_direct));
        }
        if (res.allow_account && identity_ok) {
          return allow_by_identity(" (" + rp_name + " delegates to the account in " +
                                   Describe(*res.allow_account) + ")");
        }
        if (grant_ok && limits_ok) return Allow(grant, "allowed by an active grant");
        if (res.allow_direct || grant_ok) return Deny(limit_fail, limit_why);
        if (res.allow_account) {
          return Deny(identity_fail, identity_why + " (" + rp_name + " delegates to the account)");
        }
        return Deny(kResourceBased, rp_name + " neither allows the caller nor delegates to account " +
                                        caller_account);
      }
    }
    return Deny(kIdentityBased, "unknown resource policy kind");
  }

 private:
  void Scan(const NamedPolicy& np, const char* type, PolicyScan* scan) {
    if (!np.policy) return;
    for (const Statement& st : np.policy->statements()) {
      if (in_.collect_missing_keys && !st.conditions.empty() && ActionMatches(st, action_lower_) &&
          ResourceMatches(st, in_.resource, *in_.keys)) {
        for (const Condition& c : st.conditions) {
          if (in_.keys->Find(c.key_lower) == nullptr) AddMissing(c.key);
        }
      }
      PrincipalMatch how = PrincipalMatch::kNone;
      if (!StatementMatches(st, in_, action_lower_, &how)) continue;
      MatchedStatement m;
      m.policy_type = type;
      m.policy_name = np.name;
      m.sid = st.sid;
      m.effect = st.effect == Effect::kAllow ? "Allow" : "Deny";
      m.statement_index = static_cast<int>(st.index);
      decision_.matched.push_back(m);
      if (st.effect == Effect::kDeny) {
        if (!scan->first_deny) scan->first_deny = m;
        continue;
      }
      if (!scan->first_allow) scan->first_allow = m;
      if (st.principal_mode == PrincipalMode::kPrincipal) {
        switch (how) {
          case PrincipalMatch::kExact:
            if (!scan->allow_exact) scan->allow_exact = m;
            break;
          case PrincipalMatch::kRole:
          case PrincipalMatch::kWildcard:
            if (!scan->allow_direct) scan->allow_direct = m;
            break;
          case PrincipalMatch::kAccount:
            if (!scan->allow_account) scan->allow_account = m;
            break;
          case PrincipalMatch::kNone:
            break;
        }
      }
    }
  }

  void AddMissing(const std::string& key) {
    std::vector<std::string>& v = decision_.missing_context_keys;
    const std::string lower = Lower(key);
    for (const std::string& k : v) {
      if (Lower(k) == lower) return;
    }
    v.insert(std::upper_bound(v.begin(), v.end(), key), key);
  }

  std::optional<MatchedStatement> GrantStatement() const {
    if (!in_.allowed_by_grant) return std::nullopt;
    MatchedStatement m;
    m.policy_type = kGrant;
    m.policy_name = "grant " + in_.grant_id;
    m.effect = "Allow";
    return m;
  }

  Decision Allow(const std::optional<MatchedStatement>& by, std::string why) {
    return Finish(DecisionOutcome::kAllow, "", by, std::move(why));
  }
  Decision Deny(const char* type, std::string why) {
    return Finish(DecisionOutcome::kImplicitDeny, type, std::nullopt, std::move(why));
  }
  Decision Finish(DecisionOutcome outcome, const char* denied_by,
                  const std::optional<MatchedStatement>& deciding, std::string why) {
    decision_.outcome = outcome;
    decision_.denied_by = denied_by;
    decision_.deciding = deciding;
    const char* verdict = outcome == DecisionOutcome::kAllow          ? "Allow"
                          : outcome == DecisionOutcome::kExplicitDeny ? "ExplicitDeny"
                                                                      : "ImplicitDeny";
    decision_.explanation = std::string(verdict) + " " + in_.action + " on " + in_.resource +
                            " for " + p_.arn + ": " + why;
    return std::move(decision_);
  }

  const EvaluationInput& in_;
  const EvaluatorOptions& options_;
  const Principal& p_;
  const std::string action_lower_;
  bool has_boundary_ = false;
  Decision decision_;
};

bool ActionMatches(const Statement& st, std::string_view action_lower) {
  auto hit = [&](const Glob& g) { return g.Matches(action_lower); };
  switch (st.action_mode) {
    case ElementMode::kList:
      return std::any_of(st.actions.begin(), st.actions.end(), hit);
    case ElementMode::kNotList:
      return std::none_of(st.actions.begin(), st.actions.end(), hit);
    case ElementMode::kImplicitAll:
      return true;
    case ElementMode::kInert:
      return false;
  }
  return false;
}

bool ResourceMatches(const Statement& st, const std::string& resource, const ConditionKeys& keys) {
  switch (st.resource_mode) {
    case ElementMode::kImplicitAll:
      return true;
    case ElementMode::kInert:
      return false;
    case ElementMode::kList:
      for (const PolicyString& ps : st.resources) {
        if (const Glob* g = ps.static_glob()) {
          if (g->Matches(resource)) return true;
          continue;
        }
        std::optional<Glob> g = ps.ResolveGlob(keys);
        if (g && g->Matches(resource)) return true;
      }
      return false;
    case ElementMode::kNotList:
      for (const PolicyString& ps : st.resources) {
        if (const Glob* g = ps.static_glob()) {
          if (g->Matches(resource)) return false;
          continue;
        }
        std::optional<Glob> g = ps.ResolveGlob(keys);
        if (!g) return false;  // an unresolvable entry: the element does not match
        if (g->Matches(resource)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace

PrincipalMatch MatchPrincipalSet(const PrincipalSet& set, const Principal& p) {
  PrincipalMatch best = set.any ? PrincipalMatch::kWildcard : PrincipalMatch::kNone;
  switch (p.type) {
    case PrincipalType::kAnonymous:
      return best;
    case PrincipalType::kService:
      return Contains(set.services, Lower(p.arn)) ? PrincipalMatch::kExact : best;
    default:
      break;
  }
  const std::string root_arn = RootArn(p.account);
  for (const std::string& a : set.aws) {
    if (p.type == PrincipalType::kUser && (a == p.arn || (!p.user_id.empty() && a == p.user_id))) {
      return PrincipalMatch::kExact;
    }
    if (p.type == PrincipalType::kAssumedRole) {
      if (a == p.arn) return PrincipalMatch::kExact;
      if (a == p.role_arn || (!p.role_id.empty() && a == p.role_id)) {
        best = std::max(best, PrincipalMatch::kRole);
      }
    }
    if (!p.account.empty() && a == root_arn) best = std::max(best, PrincipalMatch::kAccount);
  }
  return best;
}

bool NotPrincipalApplies(const PrincipalSet& set, const Principal& p, bool has_permissions_boundary) {
  if (has_permissions_boundary &&
      (p.type == PrincipalType::kUser || p.type == PrincipalType::kAssumedRole)) {
    return true;
  }
  if (set.any) return false;
  const bool account_listed = !p.account.empty() && Contains(set.aws, RootArn(p.account));
  switch (p.type) {
    case PrincipalType::kAnonymous:
      return true;
    case PrincipalType::kService:
      return !Contains(set.services, Lower(p.arn));
    case PrincipalType::kRoot:
      return !account_listed;
    case PrincipalType::kUser:
      return !(account_listed &&
               (Contains(set.aws, p.arn) || (!p.user_id.empty() && Contains(set.aws, p.user_id))));
    case PrincipalType::kAssumedRole:
      return !(account_listed &&
               (Contains(set.aws, p.role_arn) ||
                (!p.role_id.empty() && Contains(set.aws, p.role_id))) &&
               Contains(set.aws, p.arn));
  }
  return true;
}

bool StatementMatches(const Statement& st, const EvaluationInput& input,
                      std::string_view action_lower, PrincipalMatch* how) {
  *how = PrincipalMatch::kExact;
  if (!ActionMatches(st, action_lower)) return false;
  if (!ResourceMatches(st, input.resource, *input.keys)) return false;
  switch (st.principal_mode) {
    case PrincipalMode::kNone:
      break;
    case PrincipalMode::kPrincipal:
      *how = MatchPrincipalSet(st.principals, *input.principal);
      if (*how == PrincipalMatch::kNone) return false;
      break;
    case PrincipalMode::kNotPrincipal:
      // NotPrincipal with Allow is unsupported: never let it allow.
      if (st.effect == Effect::kAllow) return false;
      if (!NotPrincipalApplies(st.principals, *input.principal,
                               input.permissions_boundary.has_value())) {
        return false;
      }
      *how = PrincipalMatch::kNone;
      break;
  }
  for (const Condition& c : st.conditions) {
    if (!EvaluateCondition(c, *input.keys)) return false;
  }
  return true;
}

Decision Evaluate(const EvaluationInput& input, const EvaluatorOptions& options) {
  if (input.principal == nullptr || input.keys == nullptr) {
    Decision d;
    d.outcome = DecisionOutcome::kImplicitDeny;
    d.denied_by = kIdentityBased;
    d.explanation = "ImplicitDeny: evaluation input has no principal or no condition keys";
    return d;
  }
  return Evaluation(input, options).Run();
}

}  // namespace gee::policy

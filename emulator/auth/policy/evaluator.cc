#include "auth/policy/evaluator.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace gee::policy {
namespace {

// Whether `arn` is "arn:aws:iam::ACCOUNT:root" (compared in place, no copy).
bool IsRootArnOf(std::string_view arn, std::string_view account) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  constexpr std::string_view kSuffix = ":root";
  return arn.size() == kPrefix.size() + account.size() + kSuffix.size() &&
         arn.substr(0, kPrefix.size()) == kPrefix &&
         arn.substr(kPrefix.size(), account.size()) == account &&
         arn.substr(kPrefix.size() + account.size()) == kSuffix;
}

bool ListsRootOf(const std::vector<std::string>& arns, std::string_view account) {
  return std::any_of(arns.begin(), arns.end(),
                     [&](const std::string& a) { return IsRootArnOf(a, account); });
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool IsIamPrincipal(const Principal& p) {
  return p.type == PrincipalType::kRoot || p.type == PrincipalType::kUser ||
         p.type == PrincipalType::kAssumedRole;
}

// `s` as explanations name it: `identity-based policy "NAME" statement "SID"`.
std::string Describe(const MatchedStatement& s) {
  std::string out;
  out.reserve(s.policy_type.size() + s.policy_name.size() + s.sid.size() + 24);
  out.append(s.policy_type).append(" policy \"").append(s.policy_name).append("\"");
  if (!s.sid.empty()) out.append(" statement \"").append(s.sid).append("\"");
  return out;
}

// Concatenates `parts` into one string, allocating once.
std::string Cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

// What one policy contributed to a request: positions in Decision::matched
// (-1: none), so a statement is copied only when it decides.
struct PolicyScan {
  int first_allow = -1;
  int first_deny = -1;
  // Resource policies: the first Allow for each way of naming the caller.
  int allow_exact = -1;
  int allow_direct = -1;   // role ARN or "*"
  int allow_account = -1;  // the caller's account
};

bool ResourceMatches(const Statement& st, const std::string& resource, const ConditionKeyLookup& keys);
bool MatchesBeyondAction(const Statement& st, const EvaluationInput& input, PrincipalMatch* how);

class Evaluation {
 public:
  Evaluation(const EvaluationInput& in, const EvaluatorOptions& options)
      : in_(in), options_(options), p_(*in.principal), action_lower_(AsciiLower(in.action)) {}

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
      if (scan->first_deny >= 0) {
        const MatchedStatement* by = At(scan->first_deny);
        return Finish(DecisionOutcome::kExplicitDeny, type, by, {"explicit deny in ", Describe(*by)});
      }
    }

    const std::string& caller_account = p_.account;
    const std::string& resource_account =
        in_.resource_account.empty() ? caller_account : in_.resource_account;
    const bool same_account = !caller_account.empty() && caller_account == resource_account;
    const std::optional<MatchedStatement> grant_statement = GrantStatement();
    const MatchedStatement* grant = grant_statement ? &*grant_statement : nullptr;
    const MatchedStatement* res_exact = At(res.allow_exact);
    const MatchedStatement* res_direct = At(res.allow_direct);
    const MatchedStatement* res_account = At(res.allow_account);

    // 2. Service principals and anonymous callers.
    if (p_.type == PrincipalType::kService) {
      if (res_exact) return Allow(res_exact, {"the resource policy names the service"});
      if (res_direct) return Allow(res_direct, {"the resource policy allows \"*\""});
      if (grant) return Allow(grant, {"an active grant names the service"});
      return Deny(kind == ResourcePolicyKind::kNone ? kIdentityBased : kResourceBased,
                  "no resource-based policy allows the service principal " + p_.arn);
    }
    if (p_.type == PrincipalType::kAnonymous) {
      if (kind == ResourcePolicyKind::kStandard && res_direct) {
        return Allow(res_direct, {"the resource policy allows anonymous access (\"*\")"});
      }
      return Deny(kResourceBased, "no resource-based policy allows anonymous access");
    }

    // 3. Identity side.
    const bool identity_allow =
        root ? (same_account || options_.root_identity_allows_cross_account)
             : ident.first_allow >= 0;
    const bool boundary_ok = !has_boundary_ || bound.first_allow >= 0;
    const bool session_ok = !has_session || sess.first_allow >= 0;
    const bool identity_ok = identity_allow && boundary_ok && session_ok;
    const char* identity_fail = !identity_allow ? kIdentityBased
                                : !boundary_ok  ? kPermissionsBoundary
                                                : kSessionPolicy;
    // Why the boundary or session policy limits (only built on denial).
    auto limit_why = [&] {
      return Cat({!boundary_ok ? "the permissions boundary does not allow "
                               : "no session policy allows ",
                  in_.action});
    };
    // Why the identity side fails (only built on denial), with `suffix`.
    auto identity_why = [&](std::string_view suffix) {
      if (identity_allow) return limit_why().append(suffix);
      if (root) {
        return Cat({"the root user has no implicit permissions on another account's resources",
                    suffix});
      }
      return Cat({"no identity-based policy allows ", in_.action, suffix});
    };
    // Allow attributed to the identity side.
    auto allow_by_identity = [&](std::string_view why) {
      if (root) return Allow(nullptr, {"the root user is allowed on its own account", why});
      const MatchedStatement* by = At(ident.first_allow);
      return Allow(by, {"allowed by ", Describe(*by), why});
    };
    // The boundary/session limit on a resource-policy allow naming the role or "*".
    const bool limits_ok = boundary_ok && session_ok;
    const char* limit_fail = !boundary_ok ? kPermissionsBoundary : kSessionPolicy;

    switch (kind) {
      case ResourcePolicyKind::kNone:
        if (!identity_ok) return Deny(identity_fail, identity_why(""));
        if (!same_account) {
          return Deny(kResourceBased, "the resource belongs to account " + resource_account +
                                          " and has no resource-based policy");
        }
        return allow_by_identity("");

      case ResourcePolicyKind::kStandard:
        if (!same_account) {
          if (!identity_ok) return Deny(identity_fail, identity_why(" (cross-account)"));
          for (const MatchedStatement* by : {res_exact, res_direct, res_account}) {
            if (by) return Allow(by, {"cross-account: identity side and ", Describe(*by), " allow"});
          }
          return Deny(kResourceBased, "cross-account: no resource-based policy of account " +
                                          resource_account + " allows the caller");
        }
        if (res_exact) return Allow(res_exact, {Describe(*res_exact), " names the caller"});
        if (res_direct && limits_ok) return Allow(res_direct, {"allowed by ", Describe(*res_direct)});
        if (identity_ok) return allow_by_identity("");
        if (res_direct) return Deny(limit_fail, limit_why());
        return Deny(identity_fail, identity_why(""));

      case ResourcePolicyKind::kKeyPolicy:
      case ResourcePolicyKind::kTrustPolicy: {
        const std::string_view rp_name =
            kind == ResourcePolicyKind::kKeyPolicy ? "the key policy" : "the trust policy";
        const bool grant_ok = grant != nullptr && kind == ResourcePolicyKind::kKeyPolicy;
        if (!same_account) {
          const bool rp_allows = res_exact || res_direct || res_account || grant_ok;
          if (!rp_allows) {
            return Deny(kResourceBased, Cat({"cross-account: ", rp_name,
                                             " allows neither the caller nor account ",
                                             caller_account}));
          }
          if (!identity_ok) return Deny(identity_fail, identity_why(" (cross-account)"));
          const MatchedStatement* by = res_exact     ? res_exact
                                       : res_direct  ? res_direct
                                       : res_account ? res_account
                                                     : grant;
          return Allow(by, {"cross-account: identity side and ", Describe(*by), " allow"});
        }
        if (res_exact) return Allow(res_exact, {Describe(*res_exact), " names the caller"});
        if (res_direct && limits_ok) return Allow(res_direct, {"allowed by ", Describe(*res_direct)});
        if (res_account && identity_ok) {
          return allow_by_identity(
              Cat({" (", rp_name, " delegates to the account in ", Describe(*res_account), ")"}));
        }
        if (grant_ok && limits_ok) return Allow(grant, {"allowed by an active grant"});
        if (res_direct || grant_ok) return Deny(limit_fail, limit_why());
        if (res_account) {
          return Deny(identity_fail,
                      identity_why(Cat({" (", rp_name, " delegates to the account)"})));
        }
        return Deny(kResourceBased, Cat({rp_name, " neither allows the caller nor delegates to account ",
                                         caller_account}));
      }
    }
    return Deny(kIdentityBased, "unknown resource policy kind");
  }

 private:
  // The matched statement at `index`, or null for -1.
  const MatchedStatement* At(int index) const {
    return index < 0 ? nullptr : &decision_.matched[static_cast<size_t>(index)];
  }

  void Scan(const NamedPolicy& np, const char* type, PolicyScan* scan) {
    if (!np.policy) return;
    const std::vector<Statement>& statements = np.policy->statements();
    for (uint32_t i : np.policy->CandidateStatements(action_lower_)) {
      const Statement& st = statements[i];
      if (!st.MatchesAction(action_lower_)) continue;
      if (in_.collect_missing_keys && !st.conditions.empty() &&
          ResourceMatches(st, in_.resource, *in_.keys)) {
        for (const Condition& c : st.conditions) {
          if (in_.keys->Find(c.key_lower) == nullptr) AddMissing(c.key);
        }
      }
      PrincipalMatch how = PrincipalMatch::kNone;
      if (!MatchesBeyondAction(st, in_, &how)) continue;
      const int index = static_cast<int>(decision_.matched.size());
      if (decision_.matched.empty()) decision_.matched.reserve(4);
      MatchedStatement& m = decision_.matched.emplace_back();
      m.policy_type = type;
      m.policy_name = np.name;
      m.sid = st.sid;
      m.effect = st.effect == Effect::kAllow ? "Allow" : "Deny";
      m.statement_index = static_cast<int>(st.index);
      if (st.effect == Effect::kDeny) {
        if (scan->first_deny < 0) scan->first_deny = index;
        continue;
      }
      if (scan->first_allow < 0) scan->first_allow = index;
      if (st.principal_mode == PrincipalMode::kPrincipal) {
        switch (how) {
          case PrincipalMatch::kExact:
            if (scan->allow_exact < 0) scan->allow_exact = index;
            break;
          case PrincipalMatch::kRole:
          case PrincipalMatch::kWildcard:
            if (scan->allow_direct < 0) scan->allow_direct = index;
            break;
          case PrincipalMatch::kAccount:
            if (scan->allow_account < 0) scan->allow_account = index;
            break;
          case PrincipalMatch::kNone:
            break;
        }
      }
    }
  }

  void AddMissing(const std::string& key) {
    std::vector<std::string>& v = decision_.missing_context_keys;
    const std::string lower = AsciiLower(key);
    for (const std::string& k : v) {
      if (AsciiLower(k) == lower) return;
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

  // `why` is given in pieces, so the explanation is assembled in one allocation.
  using Why = std::initializer_list<std::string_view>;
  Decision Allow(const MatchedStatement* by, Why why) {
    return Finish(DecisionOutcome::kAllow, "", by, why);
  }
  Decision Deny(const char* type, std::string_view why) {
    return Finish(DecisionOutcome::kImplicitDeny, type, nullptr, {why});
  }
  // `deciding` may point into decision_.matched: it is copied before the
  // decision is moved out.
  Decision Finish(DecisionOutcome outcome, const char* denied_by, const MatchedStatement* deciding,
                  Why why) {
    decision_.outcome = outcome;
    decision_.denied_by = denied_by;
    if (deciding != nullptr) decision_.deciding = *deciding;
    const char* verdict = outcome == DecisionOutcome::kAllow          ? "Allow"
                          : outcome == DecisionOutcome::kExplicitDeny ? "ExplicitDeny"
                                                                      : "ImplicitDeny";
    std::string& out = decision_.explanation;
    size_t n = std::string_view(verdict).size() + in_.action.size() + in_.resource.size() +
               p_.arn.size() + 12;
    for (std::string_view part : why) n += part.size();
    out.reserve(n);
    out.append(verdict).append(" ").append(in_.action).append(" on ").append(in_.resource);
    out.append(" for ").append(p_.arn).append(": ");
    for (std::string_view part : why) out.append(part);
    return std::move(decision_);
  }

  const EvaluationInput& in_;
  const EvaluatorOptions& options_;
  const Principal& p_;
  const std::string action_lower_;
  bool has_boundary_ = false;
  Decision decision_;
};

bool ResourceMatches(const Statement& st, const std::string& resource, const ConditionKeyLookup& keys) {
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

// StatementMatches after the action matched: resource, principal, conditions.
bool MatchesBeyondAction(const Statement& st, const EvaluationInput& input, PrincipalMatch* how) {
  *how = PrincipalMatch::kExact;
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


}  // namespace

PrincipalMatch MatchPrincipalSet(const PrincipalSet& set, const Principal& p) {
  PrincipalMatch best = set.any ? PrincipalMatch::kWildcard : PrincipalMatch::kNone;
  switch (p.type) {
    case PrincipalType::kAnonymous:
      return best;
    case PrincipalType::kService:
      return Contains(set.services, AsciiLower(p.arn)) ? PrincipalMatch::kExact : best;
    default:
      break;
  }
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
    if (!p.account.empty() && IsRootArnOf(a, p.account)) best = std::max(best, PrincipalMatch::kAccount);
  }
  return best;
}

bool NotPrincipalApplies(const PrincipalSet& set, const Principal& p, bool has_permissions_boundary) {
  if (has_permissions_boundary &&
      (p.type == PrincipalType::kUser || p.type == PrincipalType::kAssumedRole)) {
    return true;
  }
  if (set.any) return false;
  const bool account_listed = !p.account.empty() && ListsRootOf(set.aws, p.account);
  switch (p.type) {
    case PrincipalType::kAnonymous:
      return true;
    case PrincipalType::kService:
      return !Contains(set.services, AsciiLower(p.arn));
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
  return st.MatchesAction(action_lower) && MatchesBeyondAction(st, input, how);
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

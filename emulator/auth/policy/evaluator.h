// The IAM decision procedure (spec §3.2, §3.3): given a principal, an action,
// a resource and every policy that applies, decide Allow / implicit deny /
// explicit deny and record why.
//
// Rules implemented (in this order):
//  1. A matching Deny in any applicable policy is an explicit deny. When
//     several policy types deny, the sentence names the first of:
//     resource-based, identity-based, permissions boundary, session.
//  2. Service principals have no identity policies: only a resource policy
//     statement naming the service (or "*"), or a KMS grant, allows.
//     Anonymous callers are allowed only by a standard resource policy
//     naming "*".
//  3. The identity side allows when an identity policy allows and the
//     permissions boundary (if any) and a session policy (if any) allow too.
//     The root user's identity side allows every action on its own
//     account's resources.
//  4. No resource policy (kNone): the identity side decides; a resource in
//     another account is never reachable.
//  5. Standard resource policy, same account: allowed if the identity side
//     allows, or the resource policy allows a statement naming the caller's
//     user ARN or exact session ARN (not limited by boundary or session
//     policy), or naming the role ARN or "*" (still limited by an implicit
//     deny of the boundary or session policy). Naming the account delegates
//     to the identity side.
//  6. KMS key policy / role trust policy: the resource policy must itself
//     allow — naming the caller (as in 5) or the caller's account, in which
//     case the identity side must allow as well; an active grant also allows
//     a KMS action. An identity allow alone is never enough.
//  7. Cross-account (resource owner ≠ caller's account): the identity side
//     must allow AND the resource policy must allow the caller or the
//     caller's account (or a grant).
//
// Thread-safety: Evaluate is a pure function of its input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "auth/policy/policy.h"
#include "auth/principal.h"

namespace gee::policy {

// Policy types as AWS names them in access-denied sentences.
inline constexpr char kIdentityBased[] = "identity-based";
inline constexpr char kResourceBased[] = "resource-based";
inline constexpr char kPermissionsBoundary[] = "permissions boundary";
inline constexpr char kSessionPolicy[] = "session";
// MatchedStatement::policy_type of a KMS grant.
inline constexpr char kGrant[] = "grant";

// How a Principal element names a caller, weakest first.
enum class PrincipalMatch {
  kNone,
  kAccount,   // the caller's account (arn:aws:iam::ACCT:root or ACCT): delegates to IAM
  kWildcard,  // "*" / {"AWS": "*"}
  kRole,      // the role ARN (or role unique id) of the caller's session
  kExact,     // the user ARN / user id, the exact session ARN, or the service principal
};

// How `set` names `principal` (the strongest way, if several).
PrincipalMatch MatchPrincipalSet(const PrincipalSet& set, const Principal& principal);

// Whether a NotPrincipal statement applies to `principal`: it applies unless
// every identity of the caller (account, then user; account, role, then
// session; the service) is listed. A caller with a permissions boundary is
// never excluded (AWS: NotPrincipal with Deny always denies such principals).
bool NotPrincipalApplies(const PrincipalSet& set, const Principal& principal,
                         bool has_permissions_boundary);

// A parsed policy with the name decisions report ("arn:aws:iam::ACCT:policy/P",
// "user/alice inline P", "key policy", "bucket policy", ...). The name is
// borrowed, like everything an EvaluationInput points to: its text must
// outlive the evaluation (the Authorizer's names live in the policy set and
// the AuthRequest it decides).
struct NamedPolicy {
  std::string_view name;
  PolicyPtr policy;
};

struct EvaluationInput {
  const Principal* principal = nullptr;  // required
  // The IAM action ("kms:Decrypt") and the resource ARN (or "*").
  std::string action;
  std::string resource;
  // Owner of the resource; empty = the principal's account.
  std::string resource_account;
  ResourcePolicyKind resource_policy_kind = ResourcePolicyKind::kNone;
  // The resource's policy; absent = the resource has none.
  std::optional<NamedPolicy> resource_policy;
  std::vector<NamedPolicy> identity_policies;
  std::optional<NamedPolicy> permissions_boundary;
  std::vector<NamedPolicy> session_policies;
  // KMS: an active grant allows this operation for this caller.
  bool allowed_by_grant = false;
  std::string grant_id;
  // Every condition key of the request (global + service keys). Required.
  // Looked up only for statements whose action and resource match.
  const ConditionKeyLookup* keys = nullptr;
  // Policy simulation: fill Decision::missing_context_keys.
  bool collect_missing_keys = false;
};

struct EvaluatorOptions {
  // Whether the root user's implicit identity-side allow extends to
  // resources of other accounts (the resource policy must still allow).
  // AWS documents root's full access only within its account. Default: no.
  bool root_identity_allows_cross_account = false;
};

// Decides the request.
Decision Evaluate(const EvaluationInput& input, const EvaluatorOptions& options = {});

// Whether one statement matches the request (action,
// resource, principal for resource policies, conditions); `how` receives
// the principal match of a Principal statement (kExact for identity kinds).
bool StatementMatches(const Statement& statement, const EvaluationInput& input,
                      std::string_view action_lower, PrincipalMatch* how);

}  // namespace gee::policy

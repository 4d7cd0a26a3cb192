// The authorization question every operation asks, and the answer.
//
// A service describes each check as an AuthRequest: the IAM action, the
// resource ARN it acts on, the resource policy that applies (a KMS key policy,
// an S3 bucket policy, a role trust policy, the Glue catalog policy) and the
// request's condition keys. The Authorizer (auth/authorizer.h) gathers the
// principal's identity policies, permissions boundary and session policy and
// decides as AWS does (spec §3.2, §3.3), recording the deciding statement.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gee {

// Read access to a request's condition keys. Key names are case-insensitive.
// The evaluator reads keys only through this interface, so the Authorizer can
// derive the global keys on demand (auth/request_keys.h) instead of building
// every one of them for every request.
class ConditionKeyLookup {
 public:
  virtual ~ConditionKeyLookup() = default;
  // Values of `key`, or nullptr when the key is absent from the request. The
  // pointer stays valid while the lookup object lives and is not modified.
  virtual const std::vector<std::string>* Find(std::string_view key) const = 0;
  virtual bool IsMultiValued(std::string_view key) const = 0;

 protected:
  ConditionKeyLookup() = default;
  ConditionKeyLookup(const ConditionKeyLookup&) = default;
  ConditionKeyLookup& operator=(const ConditionKeyLookup&) = default;
};

// Request-specific condition keys. Names are case-insensitive (stored
// lower-cased); values are kept as given. A key is single- or multi-valued.
// Stored as a small sorted vector: requests carry a handful of keys.
class ConditionKeys final : public ConditionKeyLookup {
 public:
  void Set(std::string_view key, std::string value);
  void SetMulti(std::string_view key, std::vector<std::string> values);
  void Erase(std::string_view key);
  const std::vector<std::string>* Find(std::string_view key) const override;
  bool IsMultiValued(std::string_view key) const override;
  // Every key, lower-cased, in sorted order (for explanation and tests).
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    std::string name;  // lower-cased
    std::vector<std::string> values;
    bool multi = false;
  };
  // The entry named `key` (any case), or where it would be inserted.
  std::vector<Entry>::const_iterator LowerBound(std::string_view key) const;
  const Entry* FindEntry(std::string_view key) const;
  void Put(std::string_view key, std::vector<std::string> values, bool multi);

  std::vector<Entry> entries_;  // sorted by name
};

// Case folding of condition key names, actions and service names (ASCII: A-Z
// only, as std::tolower in the "C" locale), and equality under it.
std::string AsciiLower(std::string_view s);
bool KeyNameEquals(std::string_view a, std::string_view b);

// How the resource policy (if any) combines with identity policies.
enum class ResourcePolicyKind {
  // No resource policy: identity policies decide (IAM actions, most Glue and Logs calls).
  kNone,
  // KMS key policy: it must allow by itself, or allow the account principal
  // and then an identity policy must allow as well (spec §3.3).
  kKeyPolicy,
  // IAM role trust policy for sts:AssumeRole: same rule as key policies.
  kTrustPolicy,
  // Ordinary resource policy (S3 bucket policy, Glue catalog policy): same-
  // account union of identity and resource policies (spec §3.2).
  kStandard,
};

struct AuthRequest {
  // The IAM action, e.g. "kms:Encrypt" (service prefix lower-case, as AWS prints it).
  std::string action;
  // ARN of the resource the action is on, or "*" for actions without a resource.
  std::string resource;
  // Account that owns the resource (empty = the caller's account).
  std::string resource_account;
  ResourcePolicyKind resource_policy_kind = ResourcePolicyKind::kNone;
  // The resource policy document (JSON text); empty when the resource has none.
  std::string resource_policy;
  // A name for the resource policy in explanations ("key policy", "bucket policy").
  std::string resource_policy_name;
  // KMS only: an active grant lets the caller perform this operation.
  bool allowed_by_grant = false;
  std::string grant_id;
  // Request condition keys added by the service (kms:ViaService, s3:x-amz-..., ...).
  // The authorizer adds the global keys (aws:PrincipalArn, aws:CurrentTime, ...).
  ConditionKeys keys;
};

enum class DecisionOutcome { kAllow, kImplicitDeny, kExplicitDeny };

// One statement that took part in a decision.
struct MatchedStatement {
  std::string policy_type;  // "identity-based", "resource-based", "permissions boundary", "session"
  std::string policy_name;  // policy ARN, "user/NAME inline NAME", "key policy", ...
  std::string sid;          // may be empty
  std::string effect;       // "Allow" or "Deny"
  // Position of the statement in its policy's Statement list (0-based); -1
  // for grants.
  int statement_index = -1;
};

struct Decision {
  DecisionOutcome outcome = DecisionOutcome::kImplicitDeny;
  // For denials: the policy type AWS names in its sentence ("identity-based",
  // "resource-based", "permissions boundary", "session").
  std::string denied_by;
  // The statement that decided (the explicit Deny, or the Allow that granted).
  std::optional<MatchedStatement> deciding;
  // Every statement whose Action/Resource/Principal/Condition matched.
  std::vector<MatchedStatement> matched;
  // How the decision was reached, for the access log and --explain.
  std::string explanation;
  // Simulation only (EvaluationInput::collect_missing_keys): condition keys
  // named by statements whose action and resource matched but that the
  // request did not supply, as written in the policies, sorted, unique.
  std::vector<std::string> missing_context_keys;

  bool allowed() const { return outcome == DecisionOutcome::kAllow; }
};

}  // namespace gee

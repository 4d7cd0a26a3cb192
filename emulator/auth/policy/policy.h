// An IAM-language policy document, parsed and validated once into a compiled
// form the evaluator (auth/policy/evaluator.h) can match quickly: actions
// pre-lower-cased into globs, resources and condition values pre-compiled
// with their policy variables, principals normalised.
//
// One parse function per policy kind applies that kind's AWS validation and
// returns AWS's error text (spec §1.3, §3.1, §4.2). The error carries a
// neutral code — kMalformedPolicyCode or kPolicyTooLargeCode — that the
// calling service maps to its own (IAM `MalformedPolicyDocument`, KMS
// `MalformedPolicyDocumentException` / `LimitExceededException`, S3
// `MalformedPolicy`).
//
// Thread-safety: a parsed Policy is immutable; share it freely through
// std::shared_ptr<const Policy>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy/conditions.h"
#include "auth/policy/glob.h"
#include "auth/policy/policy_string.h"
#include "core/result.h"

namespace gee::policy {

enum class PolicyKind {
  // Inline identity policy of a user, group or role, and STS session
  // policies: no Principal; Action and Resource required; Version optional.
  kIdentity,
  // Customer managed policy (CreatePolicy / CreatePolicyVersion), also what
  // a permissions boundary is: as kIdentity, and Version must be 2012-10-17.
  kManagedIdentity,
  // Role trust policy (AssumeRolePolicyDocument): Principal required, no
  // Resource, only STS AssumeRole-family actions.
  kTrust,
  // KMS key policy: Principal required in every statement; statements
  // without Action or Resource are accepted but never match; 32 KB limit.
  kKeyPolicy,
  // Other resource policies (S3 bucket policy, Glue resource policy):
  // Principal, Action and Resource required. (Keep last: PolicyCache keeps
  // one table per kind.)
  kResource,
};

std::string_view PolicyKindName(PolicyKind kind);

// Neutral error codes of the parse functions.
inline constexpr char kMalformedPolicyCode[] = "MalformedPolicyDocument";
inline constexpr char kPolicyTooLargeCode[] = "LimitExceeded";

// Maximum size of a KMS key policy, in bytes.
inline constexpr size_t kMaxKeyPolicyBytes = 32768;

enum class Effect { kAllow, kDeny };

// The principals named by a Principal or NotPrincipal element.
struct PrincipalSet {
  // "*" or {"AWS": "*"}: every principal, including anonymous callers.
  bool any = false;
  // AWS principals: ARNs of accounts (a bare account id is stored as
  // arn:aws:iam::ACCT:root), users, roles, sessions; or IAM unique ids.
  std::vector<std::string> aws;
  // Service principal names, lower-cased ("logs.us-east-1.amazonaws.com").
  std::vector<std::string> services;
  std::vector<std::string> federated;
  std::vector<std::string> canonical_users;
};

// How a statement's Action or Resource element applies.
enum class ElementMode {
  kList,         // Action / Resource: matches the listed patterns
  kNotList,      // NotAction / NotResource: matches everything else
  kImplicitAll,  // absent and implied (Resource of a trust policy: the role)
  kInert,        // absent in a key policy: the statement never matches
};

enum class PrincipalMode {
  kNone,          // identity policies: the principal is the policy's owner
  kPrincipal,     // Principal element
  kNotPrincipal,  // NotPrincipal element (Deny only)
};

struct Statement {
  size_t index = 0;  // position in the policy's Statement list
  std::string sid;
  Effect effect = Effect::kDeny;
  PrincipalMode principal_mode = PrincipalMode::kNone;
  PrincipalSet principals;
  ElementMode action_mode = ElementMode::kList;
  std::vector<Glob> actions;  // lower-cased patterns
  ElementMode resource_mode = ElementMode::kList;
  std::vector<PolicyString> resources;
  std::vector<Condition> conditions;  // all must hold

  // Whether the Action / NotAction element matches `action_lower` (the
  // requested action, lower-cased).
  bool MatchesAction(std::string_view action_lower) const;
};

class Policy {
 public:
  // Parses and validates `text` as a policy of `kind`.
  static Result<std::shared_ptr<const Policy>> Parse(std::string_view text, PolicyKind kind);

  PolicyKind kind() const { return kind_; }
  // "2012-10-17", "2008-10-17", or "" when the document has no Version.
  const std::string& version() const { return version_; }
  const std::string& id() const { return id_; }
  // Policy variables are interpreted only with Version 2012-10-17.
  bool variables_enabled() const { return version_ == "2012-10-17"; }
  const std::vector<Statement>& statements() const { return statements_; }

  // Positions in statements(), ascending, of every statement whose Action
  // element can match `action_lower`: those naming its service ("kms:*",
  // "kms:Encrypt") and those that may match any service ("*", NotAction).
  // A superset: check Statement::MatchesAction. Lets the evaluator skip the
  // statements of other services without matching their patterns.
  std::span<const uint32_t> CandidateStatements(std::string_view action_lower) const;

 private:
  Policy() = default;
  friend class PolicyParser;

  PolicyKind kind_ = PolicyKind::kIdentity;
  std::string version_;
  std::string id_;
  std::vector<Statement> statements_;
  // CandidateStatements, built once after parsing: per service prefix named
  // by some Action pattern, and for every other action.
  struct ServiceStatements {
    std::string service;  // lower-cased, e.g. "kms"
    std::vector<uint32_t> statements;
  };
  void IndexActions();
  std::vector<ServiceStatements> by_service_;
  std::vector<uint32_t> any_service_;
};

using PolicyPtr = std::shared_ptr<const Policy>;

// One parse function per policy kind (thin wrappers over Policy::Parse).
Result<PolicyPtr> ParseIdentityPolicy(std::string_view text);
Result<PolicyPtr> ParseManagedPolicy(std::string_view text);
Result<PolicyPtr> ParseTrustPolicy(std::string_view text);
Result<PolicyPtr> ParseKeyPolicy(std::string_view text);
Result<PolicyPtr> ParseResourcePolicy(std::string_view text);

}  // namespace gee::policy

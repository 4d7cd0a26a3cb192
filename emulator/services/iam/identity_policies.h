// The IAM-backed IdentityPolicyProvider: what the Authorizer evaluates on
// the identity side of a request.
//
//   IAM user      its inline policies, its attached managed policies, the
//                 inline and attached policies of each of its groups, and its
//                 permissions boundary;
//   role session  the role's inline and attached policies, the role's
//                 boundary, and the session's managed session policies
//                 (AssumeRole PolicyArns; the inline session policy travels
//                 in Principal::session_policy).
//
// Principals are found by unique id (Principal::user_id for users,
// Principal::role_id for sessions), so a user or role deleted and re-created
// under the same name does not lend its new policies to old credentials. A
// principal whose entity no longer exists has no policies (every request is
// an implicit deny). A boundary or managed session policy ARN that resolves
// to nothing is replaced by a policy that allows nothing, so it still limits.
//
// Policy names in decisions: managed policies by ARN; inline policies as
// "user/NAME inline POLICY", "group/NAME inline POLICY", "role/NAME inline
// POLICY".
//
// Caching: parsed policy sets are cached per principal (user id, or role id
// plus the session policy ARNs) and dropped whenever IamService::generation()
// changes, i.e. after any IAM write. A cached lookup costs one mutex and one
// hash lookup.
//
// Thread-safety: PoliciesFor may be called from any thread; it takes the
// environment's store mutex (re-entrant) around cache and database access.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/authorizer.h"
#include "core/environment.h"
#include "services/iam/iam_store.h"

namespace gee::iam {

class IamService;

class IamIdentityPolicyProvider final : public IdentityPolicyProvider {
 public:
  IamIdentityPolicyProvider(Environment& env, const IamService& service)
      : env_(env), service_(service) {}

  Result<PrincipalPoliciesPtr> PoliciesFor(const Principal& principal) override;

  // Uncached building blocks (the caller holds the store mutex). The
  // policies of a user (with its groups'), of a role, and managed session
  // policies by ARN.
  static Result<PrincipalPolicies> ForUser(IamStore& store, const std::string& account,
                                           const UserRecord& user);
  static Result<PrincipalPolicies> ForRole(IamStore& store, const RoleRecord& role);
  // The default version of a managed policy (customer or AWS managed), or
  // nullopt when no such policy exists.
  static Result<std::optional<std::string>> ManagedDocument(IamStore& store,
                                                            const std::string& arn);
  // A policy that allows nothing (stands in for a missing limit policy).
  static PolicyDocument AllowsNothing(std::string name);

  // Number of cache misses (for tests and the benchmark).
  uint64_t loads() const { return loads_; }

 private:
  Result<PrincipalPolicies> Load(const Principal& principal);

  Environment& env_;
  const IamService& service_;
  uint64_t cached_generation_ = 0;
  std::unordered_map<std::string, PrincipalPoliciesPtr> cache_;
  uint64_t loads_ = 0;
};

}  // namespace gee::iam

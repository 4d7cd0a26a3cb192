// The one authorization path of gee: every operation (and every in-process
// service-to-service call) asks the Authorizer whether its AuthRequest is
// allowed for the RequestContext's principal.
//
// The Authorizer gathers the principal's identity policies, permissions
// boundary and session policies from an IdentityPolicyProvider (the IAM
// service implements it), parses documents through the shared PolicyCache,
// derives the global condition keys from the RequestContext (spec §3.4,
// §4.10) as policies ask for them (auth/request_keys.h), and runs the
// decision procedure of auth/policy/evaluator.h.
// Simulate() is the what-if entry point for the IAM policy simulator: the
// same path with explicitly given policies and context entries.
//
// Anything that prevents a decision (a provider error, an unparseable stored
// policy) denies: fail closed, with the reason in the explanation.
//
// Thread-safety: Authorizer is safe to use from many threads at once when
// its provider is; it keeps no per-request state.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/authz.h"
#include "auth/policy/evaluator.h"
#include "auth/policy/policy_cache.h"
#include "auth/principal.h"
#include "core/request_context.h"
#include "core/result.h"

namespace gee {

// A policy document with the name decisions report: a managed policy ARN
// ("arn:aws:iam::ACCT:policy/NAME") or "user/NAME inline POLICY",
// "role/NAME inline POLICY".
struct PolicyDocument {
  std::string name;
  std::string document;
  // The document already parsed (as kind kIdentity), when the provider keeps
  // parsed policies; null means "parse `document` through the PolicyCache".
  policy::PolicyPtr parsed;
};

// Everything on the identity side of a principal.
struct PrincipalPolicies {
  // Inline and attached managed policies (a session: its role's; a user:
  // also its groups').
  std::vector<PolicyDocument> identity;
  // The user's or role's permissions boundary, if one is attached.
  std::optional<PolicyDocument> permissions_boundary;
  // Managed session policies (AssumeRole PolicyArns), resolved to documents.
  // The inline session policy is read from Principal::session_policy.
  std::vector<PolicyDocument> session;
};

using PrincipalPoliciesPtr = std::shared_ptr<const PrincipalPolicies>;

// Source of identity-side policies. Implemented by the IAM service
// (services/iam/identity_policies.h).
// Thread-safety: implementations must be safe to call from any thread.
class IdentityPolicyProvider {
 public:
  virtual ~IdentityPolicyProvider() = default;
  // Policies of `principal` (for a session: of its role, plus its managed
  // session policies). Root and service principals have none. The result is
  // shared and immutable, so a provider may hand out cached sets.
  virtual Result<PrincipalPoliciesPtr> PoliciesFor(const Principal& principal) = 0;
};

// A provider with no policies at all.
class EmptyIdentityPolicyProvider final : public IdentityPolicyProvider {
 public:
  Result<PrincipalPoliciesPtr> PoliciesFor(const Principal&) override {
    return std::make_shared<const PrincipalPolicies>();
  }
};

// Policies held in memory, keyed by user ARN or role ARN (a role's entry
// applies to all of its sessions). For tests and fixtures.
class InMemoryIdentityPolicyProvider final : public IdentityPolicyProvider {
 public:
  void Set(const std::string& user_or_role_arn, PrincipalPolicies policies);
  Result<PrincipalPoliciesPtr> PoliciesFor(const Principal& principal) override;

 private:
  std::mutex mu_;
  std::map<std::string, PrincipalPolicies> by_arn_;
};

struct AuthorizerOptions {
  policy::EvaluatorOptions evaluator;
};

// What-if inputs for SimulatePrincipalPolicy / SimulateCustomPolicy.
struct WhatIf {
  // Used instead of the provider's policies.
  PrincipalPolicies policies;
  // Context entries; set last, so they override derived and service keys.
  ConditionKeys context_entries;
  // False: use only the request's and the given keys (SimulateCustomPolicy
  // sees no request context of its own).
  bool derive_global_keys = true;
};

class Authorizer {
 public:
  // `provider` and `cache` are borrowed and must outlive the Authorizer.
  Authorizer(IdentityPolicyProvider* provider, policy::PolicyCache* cache,
             AuthorizerOptions options = {});

  // Decides `request` for `ctx.principal`.
  Decision Authorize(const RequestContext& ctx, const AuthRequest& request) const;

  // Decides `request` with the given policies and context entries instead of
  // the provider's (the resource policy still comes from `request`).
  Decision Simulate(const RequestContext& ctx, const AuthRequest& request,
                    const WhatIf& what_if) const;

  // Every global condition key derived from `ctx` for `action`
  // (aws:PrincipalArn, aws:CurrentTime, kms:ViaService, ...), all at once.
  // Authorize derives the same keys one at a time, on demand.
  static ConditionKeys GlobalKeys(const RequestContext& ctx, const std::string& action);

 private:
  Decision Decide(const RequestContext& ctx, const AuthRequest& request,
                  const PrincipalPolicies& policies, const ConditionKeyLookup& keys,
                  bool collect_missing_keys = false) const;

  IdentityPolicyProvider* provider_;
  policy::PolicyCache* cache_;
  AuthorizerOptions options_;
};

}  // namespace gee

#include "auth/authorizer.h"

#include <utility>

#include "auth/request_keys.h"

namespace gee {
namespace {

using policy::NamedPolicy;
using policy::PolicyKind;

Decision FailClosed(const char* policy_type, std::string why) {
  Decision d;
  d.outcome = DecisionOutcome::kImplicitDeny;
  d.denied_by = policy_type;
  d.explanation = "ImplicitDeny (fail closed): " + std::move(why);
  return d;
}

}  // namespace

void InMemoryIdentityPolicyProvider::Set(const std::string& user_or_role_arn,
                                         PrincipalPolicies policies) {
  std::lock_guard<std::mutex> lock(mu_);
  by_arn_[user_or_role_arn] = std::move(policies);
}

Result<PrincipalPoliciesPtr> InMemoryIdentityPolicyProvider::PoliciesFor(
    const Principal& principal) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_arn_.find(principal.PrincipalArn());
  if (it == by_arn_.end()) return std::make_shared<const PrincipalPolicies>();
  return std::make_shared<const PrincipalPolicies>(it->second);
}

Authorizer::Authorizer(IdentityPolicyProvider* provider, policy::PolicyCache* cache,
                       AuthorizerOptions options)
    : provider_(provider), cache_(cache), options_(options) {}

ConditionKeys Authorizer::GlobalKeys(const RequestContext& ctx, const std::string& action) {
  ConditionKeys keys;
  std::optional<int64_t> now;
  for (size_t i = 0; i < kGlobalKeyCount; ++i) {
    const GlobalKey key = static_cast<GlobalKey>(i);
    std::vector<std::string> values;
    if (!DeriveGlobalKey(key, ctx, action, &now, &values)) continue;
    if (key == GlobalKey::kCalledVia) {
      keys.SetMulti(GlobalKeyName(key), std::move(values));
    } else {
      keys.Set(GlobalKeyName(key), std::move(values.front()));
    }
  }
  if (HasPrincipalTagKeys(ctx)) {
    for (const auto& [k, v] : ctx.principal.tags) {
      keys.Set(std::string(kPrincipalTagPrefix) + k, v);
    }
  }
  return keys;
}

Decision Authorizer::Authorize(const RequestContext& ctx, const AuthRequest& request) const {
  static const PrincipalPolicies kNone;
  PrincipalPoliciesPtr policies;
  const Principal& p = ctx.principal;
  if (p.type == PrincipalType::kUser || p.type == PrincipalType::kAssumedRole) {
    if (provider_ == nullptr) return FailClosed(policy::kIdentityBased, "no identity policy provider");
    Result<PrincipalPoliciesPtr> fetched = provider_->PoliciesFor(p);
    if (!fetched.ok()) {
      return FailClosed(policy::kIdentityBased, "identity policies of " + p.arn +
                                                    " are unavailable: " + fetched.error().message);
    }
    policies = std::move(fetched).value();
  }
  RequestKeys keys(&ctx, request.action, {&request.keys, nullptr});
  return Decide(ctx, request, policies ? *policies : kNone, keys);
}

Decision Authorizer::Simulate(const RequestContext& ctx, const AuthRequest& request,
                              const WhatIf& what_if) const {
  // Context entries override the request's keys, which override derived ones.
  RequestKeys keys(what_if.derive_global_keys ? &ctx : nullptr, request.action,
                   {&what_if.context_entries, &request.keys});
  return Decide(ctx, request, what_if.policies, keys, /*collect_missing_keys=*/true);
}

Decision Authorizer::Decide(const RequestContext& ctx, const AuthRequest& request,
                            const PrincipalPolicies& policies, const ConditionKeyLookup& keys,
                            bool collect_missing_keys) const {
  std::optional<policy::PolicyCache> local_cache;
  if (cache_ == nullptr) local_cache.emplace(64);
  policy::PolicyCache& cache = cache_ != nullptr ? *cache_ : *local_cache;
  std::string failure;
  const char* failure_type = nullptr;
  // `parsed`: the document already parsed as kind kIdentity, or null.
  auto load = [&](std::string_view name, std::string_view document, const policy::PolicyPtr& parsed,
                  PolicyKind kind, const char* type) -> std::optional<NamedPolicy> {
    if (parsed != nullptr && kind == PolicyKind::kIdentity) return NamedPolicy{name, parsed};
    Result<policy::PolicyPtr> got = cache.Get(document, kind);
    if (!got.ok()) {
      if (failure_type == nullptr) {
        failure_type = type;
        failure = std::string(type) + " policy \"" + std::string(name) +
                  "\" cannot be evaluated: " + got.error().message;
      }
      return std::nullopt;
    }
    return NamedPolicy{name, std::move(got).value()};
  };
  auto load_doc = [&](const PolicyDocument& doc, const char* type) {
    return load(doc.name, doc.document, doc.parsed, PolicyKind::kIdentity, type);
  };
  static const policy::PolicyPtr kUnparsed;

  policy::EvaluationInput in;
  in.principal = &ctx.principal;
  in.action = request.action;
  in.resource = request.resource;
  in.resource_account = request.resource_account;
  in.resource_policy_kind = request.resource_policy_kind;
  in.allowed_by_grant = request.allowed_by_grant;
  in.grant_id = request.grant_id;
  in.keys = &keys;
  in.collect_missing_keys = collect_missing_keys;

  in.identity_policies.reserve(policies.identity.size());
  for (const PolicyDocument& doc : policies.identity) {
    if (auto np = load_doc(doc, policy::kIdentityBased)) {
      in.identity_policies.push_back(std::move(*np));
    }
  }
  if (policies.permissions_boundary) {
    in.permissions_boundary = load_doc(*policies.permissions_boundary, policy::kPermissionsBoundary);
  }
  if (ctx.principal.type == PrincipalType::kAssumedRole && !ctx.principal.session_policy.empty()) {
    if (auto np = load("inline session policy", ctx.principal.session_policy, kUnparsed,
                       PolicyKind::kIdentity, policy::kSessionPolicy)) {
      in.session_policies.push_back(std::move(*np));
    }
  }
  for (const PolicyDocument& doc : policies.session) {
    if (auto np = load_doc(doc, policy::kSessionPolicy)) {
      in.session_policies.push_back(std::move(*np));
    }
  }
  if (request.resource_policy_kind != ResourcePolicyKind::kNone &&
      !request.resource_policy.empty()) {
    PolicyKind kind = PolicyKind::kResource;
    if (request.resource_policy_kind == ResourcePolicyKind::kKeyPolicy) kind = PolicyKind::kKeyPolicy;
    if (request.resource_policy_kind == ResourcePolicyKind::kTrustPolicy) kind = PolicyKind::kTrust;
    std::string_view name = request.resource_policy_name.empty()
                                ? std::string_view("resource policy")
                                : std::string_view(request.resource_policy_name);
    in.resource_policy = load(name, request.resource_policy, kUnparsed, kind, policy::kResourceBased);
  }
  if (failure_type != nullptr) return FailClosed(failure_type, failure);
  return policy::Evaluate(in, options_.evaluator);
}

}  // namespace gee

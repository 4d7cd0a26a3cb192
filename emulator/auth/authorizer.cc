#include "auth/authorizer.h"

#include <utility>

#include "auth/policy/conditions.h"

namespace gee {
namespace {

using policy::NamedPolicy;
using policy::PolicyKind;

void MergeKeys(const ConditionKeys& from, ConditionKeys* into) {
  for (const std::string& name : from.Names()) {
    const std::vector<std::string>* values = from.Find(name);
    if (values == nullptr) continue;
    if (from.IsMultiValued(name)) {
      into->SetMulti(name, *values);
    } else if (!values->empty()) {
      into->Set(name, values->front());
    }
  }
}

bool ActionIsKms(const std::string& action) {
  return action.size() > 4 && (action.compare(0, 4, "kms:") == 0 || action.compare(0, 4, "KMS:") == 0);
}

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
  const Principal& p = ctx.principal;
  switch (p.type) {
    case PrincipalType::kRoot:
      keys.Set("aws:PrincipalType", "Account");
      break;
    case PrincipalType::kUser:
      keys.Set("aws:PrincipalType", "User");
      if (!p.name.empty()) keys.Set("aws:username", p.name);
      break;
    case PrincipalType::kAssumedRole:
      keys.Set("aws:PrincipalType", "AssumedRole");
      if (p.token_issue_time > 0) {
        keys.Set("aws:TokenIssueTime", policy::FormatIso8601(p.token_issue_time * 1000000));
      }
      // Temporary credentials issued without MFA.
      keys.Set("aws:MultiFactorAuthPresent", "false");
      break;
    case PrincipalType::kAnonymous:
      keys.Set("aws:PrincipalType", "Anonymous");
      break;
    case PrincipalType::kService:
      keys.Set("aws:PrincipalServiceName", p.arn);
      break;
  }
  const bool iam = p.type == PrincipalType::kRoot || p.type == PrincipalType::kUser ||
                   p.type == PrincipalType::kAssumedRole;
  if (iam) {
    if (!p.PrincipalArn().empty()) keys.Set("aws:PrincipalArn", p.PrincipalArn());
    if (!p.account.empty()) keys.Set("aws:PrincipalAccount", p.account);
    if (!p.user_id.empty()) keys.Set("aws:userid", p.user_id);
    for (const auto& [k, v] : p.tags) keys.Set("aws:PrincipalTag/" + k, v);
  }
  keys.Set("aws:PrincipalIsAWSService", p.type == PrincipalType::kService ? "true" : "false");
  keys.Set("aws:SecureTransport", ctx.secure_transport ? "true" : "false");
  if (!ctx.source_ip.empty()) keys.Set("aws:SourceIp", ctx.source_ip);
  if (ctx.clock != nullptr) {
    int64_t now = ctx.clock->NowMicros();
    keys.Set("aws:CurrentTime", policy::FormatIso8601(now));
    keys.Set("aws:EpochTime", std::to_string(now / 1000000));
  }
  if (!ctx.region.empty()) keys.Set("aws:RequestedRegion", ctx.region);
  if (!ctx.source_arn.empty()) keys.Set("aws:SourceArn", ctx.source_arn);
  if (!ctx.source_account.empty()) keys.Set("aws:SourceAccount", ctx.source_account);
  const bool via = !ctx.via_service.empty() || !ctx.called_via.empty();
  keys.Set("aws:ViaAWSService", via ? "true" : "false");
  if (!ctx.called_via.empty()) {
    keys.SetMulti("aws:CalledVia", ctx.called_via);
    keys.Set("aws:CalledViaFirst", ctx.called_via.front());
    keys.Set("aws:CalledViaLast", ctx.called_via.back());
  }
  if (ActionIsKms(action)) {
    if (iam && !p.account.empty()) keys.Set("kms:CallerAccount", p.account);
    if (!ctx.via_service.empty()) keys.Set("kms:ViaService", ctx.via_service);
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
  ConditionKeys keys = GlobalKeys(ctx, request.action);
  MergeKeys(request.keys, &keys);
  return Decide(ctx, request, policies ? *policies : kNone, keys);
}

Decision Authorizer::Simulate(const RequestContext& ctx, const AuthRequest& request,
                              const WhatIf& what_if) const {
  ConditionKeys keys;
  if (what_if.derive_global_keys) keys = GlobalKeys(ctx, request.action);
  MergeKeys(request.keys, &keys);
  MergeKeys(what_if.context_entries, &keys);
  return Decide(ctx, request, what_if.policies, keys, /*collect_missing_keys=*/true);
}

Decision Authorizer::Decide(const RequestContext& ctx, const AuthRequest& request,
                            const PrincipalPolicies& policies, const ConditionKeys& keys,
                            bool collect_missing_keys) const {
  policy::PolicyCache local_cache(64);
  policy::PolicyCache& cache = cache_ != nullptr ? *cache_ : local_cache;
  std::string failure;
  const char* failure_type = nullptr;
  auto load = [&](const PolicyDocument& doc, PolicyKind kind,
                  const char* type) -> std::optional<NamedPolicy> {
    if (doc.parsed != nullptr && kind == PolicyKind::kIdentity) {
      return NamedPolicy{doc.name, doc.parsed};
    }
    Result<policy::PolicyPtr> parsed = cache.Get(doc.document, kind);
    if (!parsed.ok()) {
      if (failure_type == nullptr) {
        failure_type = type;
        failure = std::string(type) + " policy \"" + doc.name +
                  "\" cannot be evaluated: " + parsed.error().message;
      }
      return std::nullopt;
    }
    return NamedPolicy{doc.name, std::move(parsed).value()};
  };

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

  for (const PolicyDocument& doc : policies.identity) {
    if (auto np = load(doc, PolicyKind::kIdentity, policy::kIdentityBased)) {
      in.identity_policies.push_back(std::move(*np));
    }
  }
  if (policies.permissions_boundary) {
    in.permissions_boundary =
        load(*policies.permissions_boundary, PolicyKind::kIdentity, policy::kPermissionsBoundary);
  }
  if (ctx.principal.type == PrincipalType::kAssumedRole && !ctx.principal.session_policy.empty()) {
    if (auto np = load({"inline session policy", ctx.principal.session_policy},
                       PolicyKind::kIdentity, policy::kSessionPolicy)) {
      in.session_policies.push_back(std::move(*np));
    }
  }
  for (const PolicyDocument& doc : policies.session) {
    if (auto np = load(doc, PolicyKind::kIdentity, policy::kSessionPolicy)) {
      in.session_policies.push_back(std::move(*np));
    }
  }
  if (request.resource_policy_kind != ResourcePolicyKind::kNone &&
      !request.resource_policy.empty()) {
    PolicyKind kind = PolicyKind::kResource;
    if (request.resource_policy_kind == ResourcePolicyKind::kKeyPolicy) kind = PolicyKind::kKeyPolicy;
    if (request.resource_policy_kind == ResourcePolicyKind::kTrustPolicy) kind = PolicyKind::kTrust;
    std::string name = request.resource_policy_name.empty() ? "resource policy"
                                                            : request.resource_policy_name;
    in.resource_policy = load({name, request.resource_policy}, kind, policy::kResourceBased);
  }
  if (failure_type != nullptr) return FailClosed(failure_type, failure);
  return policy::Evaluate(in, options_.evaluator);
}

}  // namespace gee

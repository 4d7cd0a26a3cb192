#include "services/sts/sts_client.h"

#include <algorithm>
#include <mutex>

#include "auth/denial_message.h"
#include "services/iam/arns.h"
#include "services/iam/errors.h"
#include "services/iam/iam_store.h"

namespace gee::sts {

Result<TrustCheck> TrustRequest(Environment& env, std::string_view role_arn,
                                const AssumeRoleKeys& keys) {
  if (!iam::ParseArn(role_arn)) return errors::InvalidRoleArn(role_arn);
  TrustCheck check;
  AuthRequest& r = check.request;
  r.action = "sts:AssumeRole";
  r.resource = std::string(role_arn);
  r.resource_policy_kind = ResourcePolicyKind::kTrustPolicy;
  r.resource_policy_name = "trust policy";
  if (std::optional<iam::Arn> arn = iam::ParseArn(role_arn); arn && !arn->account.empty()) {
    r.resource_account = arn->account;
  }
  GEE_ASSIGN_OR_RETURN(check.role, iam::FindRole(env, role_arn));
  if (check.role) {
    r.resource_policy = check.role->record.trust_policy;
    std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tags, iam::IamStore(env.db()).ListTags(iam::EntityKind::kRole,
                                                                     check.role->record.id));
    for (const iam::Tag& t : tags) r.keys.Set("aws:ResourceTag/" + t.key, t.value);
  }
  if (!keys.session_name.empty()) r.keys.Set("sts:RoleSessionName", keys.session_name);
  if (!keys.external_id.empty()) r.keys.Set("sts:ExternalId", keys.external_id);
  if (!keys.source_identity.empty()) r.keys.Set("sts:SourceIdentity", keys.source_identity);
  if (!keys.tags.empty()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : keys.tags) {
      r.keys.Set("aws:RequestTag/" + k, v);
      names.push_back(k);
    }
    r.keys.SetMulti("aws:TagKeys", std::move(names));
  }
  if (!keys.transitive_tag_keys.empty()) {
    r.keys.SetMulti("sts:TransitiveTagKeys", keys.transitive_tag_keys);
  }
  return check;
}

Principal SessionPrincipal(Environment& env, const iam::RoleRecord& role,
                           const std::string& role_arn, const std::string& session_name,
                           int64_t issued_s, int64_t expiration_s,
                           const std::map<std::string, std::string>& session_tags,
                           const std::string& session_policy,
                           const std::vector<std::string>& session_policy_arns) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = env.config().account_id;
  p.arn = iam::SessionArn(p.account, role.name, session_name);
  p.user_id = role.id + ":" + session_name;
  p.name = role.name;
  p.role_arn = role_arn;
  p.role_id = role.id;
  p.session_name = session_name;
  p.token_issue_time = issued_s;
  p.expiration = expiration_s;
  p.session_policy = session_policy;
  p.session_policy_arns = session_policy_arns;
  {
    std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
    auto tags = iam::IamStore(env.db()).ListTags(iam::EntityKind::kRole, role.id);
    if (tags.ok()) {
      for (const iam::Tag& t : *tags) p.tags[t.key] = t.value;
    }
  }
  for (const auto& [k, v] : session_tags) p.tags[k] = v;
  return p;
}

Result<Principal> AssumeRoleAsService(Environment& env, const RequestContext& caller,
                                      const ServiceAssumeRole& request) {
  RequestContext ctx = AsServicePrincipal(caller, request.service_principal, request.source_arn,
                                          request.source_account);
  ctx.service = "sts";
  ctx.operation = "AssumeRole";
  std::string role_arn = request.role;
  if (role_arn.rfind("arn:", 0) != 0) {
    // A bare role name: the role ARN of this account, or a missing role.
    GEE_ASSIGN_OR_RETURN(auto found, iam::FindRole(env, request.role));
    role_arn = found ? found->arn : iam::RoleArn(env.config().account_id, "/", request.role);
  }
  AssumeRoleKeys keys;
  keys.session_name = request.session_name;
  GEE_ASSIGN_OR_RETURN(TrustCheck check, TrustRequest(env, role_arn, keys));
  GEE_RETURN_IF_ERROR(env.Authorize(ctx, check.request));
  if (!check.role) {
    // Only reachable with authorization off or soft: still no such role.
    return env.AccessDenied(ctx, "User: " + ctx.principal.DisplayArn() +
                                     " is not authorized to perform: sts:AssumeRole on resource: " +
                                     role_arn);
  }
  const int64_t now = env.clock().NowSeconds();
  const int duration = std::min(request.duration_seconds, check.role->record.max_session_duration);
  return SessionPrincipal(env, check.role->record, check.role->arn, request.session_name, now,
                          now + duration, {}, "", {});
}

}  // namespace gee::sts

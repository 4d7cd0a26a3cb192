#include "services/iam/identity_policies.h"

#include <utility>

#include "auth/policy/policy.h"
#include "services/iam/aws_managed_policies.h"
#include "services/iam/iam_service.h"

namespace gee::iam {
namespace {

constexpr size_t kMaxCachedPrincipals = 10000;

PolicyDocument Parsed(std::string name, std::string document) {
  PolicyDocument doc{std::move(name), std::move(document), nullptr};
  // A stored document was validated when it was written; should one fail to
  // parse now, `parsed` stays null and the Authorizer fails closed on it.
  Result<policy::PolicyPtr> parsed = policy::ParseIdentityPolicy(doc.document);
  if (parsed.ok()) doc.parsed = std::move(parsed).value();
  return doc;
}

Status AddEntityPolicies(IamStore& store, EntityKind kind, const std::string& id,
                         const std::string& name, PrincipalPolicies* out) {
  GEE_ASSIGN_OR_RETURN(std::vector<InlinePolicy> inline_policies, store.ListInline(kind, id));
  for (InlinePolicy& p : inline_policies) {
    out->identity.push_back(Parsed(std::string(EntityKindName(kind)) + "/" + name + " inline " + p.name,
                                   std::move(p.document)));
  }
  GEE_ASSIGN_OR_RETURN(std::vector<std::string> attached, store.AttachedPolicies(kind, id));
  for (std::string& arn : attached) {
    GEE_ASSIGN_OR_RETURN(std::optional<std::string> doc,
                         IamIdentityPolicyProvider::ManagedDocument(store, arn));
    // An attachment whose policy vanished grants nothing.
    if (doc) out->identity.push_back(Parsed(std::move(arn), std::move(*doc)));
  }
  return OkStatus();
}

Status AddBoundary(IamStore& store, const std::string& boundary_arn, PrincipalPolicies* out) {
  if (boundary_arn.empty()) return OkStatus();
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> doc,
                       IamIdentityPolicyProvider::ManagedDocument(store, boundary_arn));
  out->permissions_boundary = doc ? Parsed(boundary_arn, std::move(*doc))
                                  : IamIdentityPolicyProvider::AllowsNothing(boundary_arn);
  return OkStatus();
}

}  // namespace

PolicyDocument IamIdentityPolicyProvider::AllowsNothing(std::string name) {
  // NotAction "*" matches no action: the statement never applies.
  return Parsed(std::move(name),
                R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]})");
}

Result<std::optional<std::string>> IamIdentityPolicyProvider::ManagedDocument(
    IamStore& store, const std::string& arn) {
  if (const AwsManagedPolicy* aws = FindAwsManagedPolicy(arn)) {
    return std::optional<std::string>(std::string(aws->document));
  }
  return store.DefaultDocument(arn);
}

Result<PrincipalPolicies> IamIdentityPolicyProvider::ForUser(IamStore& store,
                                                             const std::string& account,
                                                             const UserRecord& user) {
  PrincipalPolicies out;
  GEE_RETURN_IF_ERROR(AddEntityPolicies(store, EntityKind::kUser, user.id, user.name, &out));
  GEE_ASSIGN_OR_RETURN(std::vector<GroupRecord> groups, store.GroupsForUser(user.id));
  for (const GroupRecord& g : groups) {
    GEE_RETURN_IF_ERROR(AddEntityPolicies(store, EntityKind::kGroup, g.id, g.name, &out));
  }
  GEE_RETURN_IF_ERROR(AddBoundary(store, user.boundary_arn, &out));
  return out;
}

Result<PrincipalPolicies> IamIdentityPolicyProvider::ForRole(IamStore& store,
                                                             const RoleRecord& role) {
  PrincipalPolicies out;
  GEE_RETURN_IF_ERROR(AddEntityPolicies(store, EntityKind::kRole, role.id, role.name, &out));
  GEE_RETURN_IF_ERROR(AddBoundary(store, role.boundary_arn, &out));
  return out;
}

Result<PrincipalPolicies> IamIdentityPolicyProvider::Load(const Principal& p) {
  IamStore store(env_.db());
  PrincipalPolicies out;
  if (p.type == PrincipalType::kUser) {
    GEE_ASSIGN_OR_RETURN(std::optional<UserRecord> user, store.FindUserById(p.user_id));
    if (user) {
      GEE_ASSIGN_OR_RETURN(out, ForUser(store, p.account, *user));
    }
    return out;
  }
  if (p.type != PrincipalType::kAssumedRole) return out;
  GEE_ASSIGN_OR_RETURN(std::optional<RoleRecord> role, store.FindRoleById(p.role_id));
  if (role) {
    GEE_ASSIGN_OR_RETURN(out, ForRole(store, *role));
  }
  for (const std::string& arn : p.session_policy_arns) {
    GEE_ASSIGN_OR_RETURN(std::optional<std::string> doc, ManagedDocument(store, arn));
    out.session.push_back(doc ? Parsed(arn, std::move(*doc)) : AllowsNothing(arn));
  }
  return out;
}

Result<PrincipalPoliciesPtr> IamIdentityPolicyProvider::PoliciesFor(const Principal& p) {
  std::string key;
  if (p.type == PrincipalType::kUser) {
    key = "u:" + p.user_id;
  } else if (p.type == PrincipalType::kAssumedRole) {
    key = "r:" + p.role_id;
    for (const std::string& arn : p.session_policy_arns) key += "|" + arn;
  } else {
    return std::make_shared<const PrincipalPolicies>();
  }
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  const uint64_t generation = service_.generation();
  if (generation != cached_generation_ || cache_.size() >= kMaxCachedPrincipals) {
    cache_.clear();
    cached_generation_ = generation;
  }
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  ++loads_;
  GEE_ASSIGN_OR_RETURN(PrincipalPolicies loaded, Load(p));
  auto shared = std::make_shared<const PrincipalPolicies>(std::move(loaded));
  cache_.emplace(std::move(key), shared);
  return PrincipalPoliciesPtr(std::move(shared));
}

}  // namespace gee::iam

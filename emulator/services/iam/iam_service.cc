#include "services/iam/iam_service.h"

#include <algorithm>
#include <utility>

#include "auth/policy/policy.h"
#include "core/environment.h"
#include "core/ids.h"
#include "services/iam/access_key_provider.h"
#include "services/iam/arns.h"
#include "services/iam/aws_managed_policies.h"
#include "services/iam/errors.h"
#include "services/iam/iam_internal.h"
#include "services/iam/identity_policies.h"

namespace gee::iam {

using internal::Has;
using internal::Str;

namespace {

using S = IamService;
constexpr Access R = Access::kRead;
constexpr Access W = Access::kWrite;

// Operations whose iam:PermissionsBoundary key is the boundary already set
// on the user or role they act on (AWS's delegation pattern).
bool UsesCurrentBoundaryKey(std::string_view op) {
  static constexpr std::string_view kOps[] = {
      "AttachRolePolicy", "AttachUserPolicy",  "DeleteRolePermissionsBoundary",
      "DeleteRolePolicy", "DeleteUserPermissionsBoundary", "DeleteUserPolicy",
      "DetachRolePolicy", "DetachUserPolicy",  "PutRolePolicy", "PutUserPolicy"};
  return std::find(std::begin(kOps), std::end(kOps), op) != std::end(kOps);
}

bool IsAttachOperation(std::string_view op) {
  return op.find("Attach") != std::string_view::npos || op.find("Detach") != std::string_view::npos;
}

// aws:RequestTag/*, aws:TagKeys, iam:PolicyARN, iam:PermissionsBoundary from the input.
void AddRequestKeys(const Call& call, AuthRequest* request) {
  const Json& in = call.input;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array()) {
    std::vector<std::string> keys;
    for (const Json& t : *it) {
      const std::string k = Str(t, "Key");
      request->keys.Set("aws:RequestTag/" + k, Str(t, "Value"));
      keys.push_back(k);
    }
    request->keys.SetMulti("aws:TagKeys", std::move(keys));
  }
  if (auto it = in.find("TagKeys"); it != in.end() && it->is_array()) {
    std::vector<std::string> keys;
    for (const Json& k : *it) {
      if (k.is_string()) keys.push_back(k.get<std::string>());
    }
    request->keys.SetMulti("aws:TagKeys", std::move(keys));
  }
  if (IsAttachOperation(call.ctx.operation) && Has(in, "PolicyArn")) {
    request->keys.Set("iam:PolicyARN", Str(in, "PolicyArn"));
  }
  if (Has(in, "PermissionsBoundary")) {
    request->keys.Set("iam:PermissionsBoundary", Str(in, "PermissionsBoundary"));
  }
}

void AddResourceTags(const std::vector<Tag>& tags, AuthRequest* request) {
  for (const Tag& t : tags) request->keys.Set("aws:ResourceTag/" + t.key, t.value);
}

AuthRequest ResourceRequest(std::string arn) {
  AuthRequest r;
  r.resource = std::move(arn);
  return r;
}

std::string PathOrRoot(const Json& in) {
  std::string path = Str(in, "Path", "/");
  return path.empty() ? "/" : path;
}

}  // namespace

IamService::IamService(Environment& env)
    : TableService(env),
      identity_policies_(std::make_unique<IamIdentityPolicyProvider>(env, *this)),
      access_keys_(std::make_unique<IamAccessKeyProvider>(env)) {}

IamService::~IamService() = default;

IdentityPolicyProvider& IamService::identity_policies() { return *identity_policies_; }
CredentialProvider& IamService::access_keys() { return *access_keys_; }
IamStore IamService::store() { return IamStore(env().db()); }
const std::string& IamService::account() const {
  return const_cast<IamService*>(this)->env().config().account_id;
}

const std::vector<OperationEntry<IamService>>& IamService::Table() {
  static const std::vector<OperationEntry<IamService>> table = {
      // users
      {"CreateUser", &S::CreateUser, "iam:CreateUser", &S::NewUserResource, W},
      {"GetUser", &S::GetUser, "iam:GetUser", &S::SelfOrUserResource, R},
      {"ListUsers", &S::ListUsers, "iam:ListUsers", &S::ListResource, R},
      {"DeleteUser", &S::DeleteUser, "iam:DeleteUser", &S::UserResource, W},
      {"TagUser", &S::TagUser, "iam:TagUser", &S::UserResource, W},
      {"UntagUser", &S::UntagUser, "iam:UntagUser", &S::UserResource, W},
      {"ListUserTags", &S::ListUserTags, "iam:ListUserTags", &S::UserResource, R},
      {"PutUserPermissionsBoundary", &S::PutUserPermissionsBoundary,
       "iam:PutUserPermissionsBoundary", &S::UserResource, W},
      {"DeleteUserPermissionsBoundary", &S::DeleteUserPermissionsBoundary,
       "iam:DeleteUserPermissionsBoundary", &S::UserResource, W},
      // groups
      {"CreateGroup", &S::CreateGroup, "iam:CreateGroup", &S::NewGroupResource, W},
      {"GetGroup", &S::GetGroup, "iam:GetGroup", &S::GroupResource, R},
      {"ListGroups", &S::ListGroups, "iam:ListGroups", &S::ListResource, R},
      {"DeleteGroup", &S::DeleteGroup, "iam:DeleteGroup", &S::GroupResource, W},
      {"AddUserToGroup", &S::AddUserToGroup, "iam:AddUserToGroup", &S::GroupResource, W},
      {"RemoveUserFromGroup", &S::RemoveUserFromGroup, "iam:RemoveUserFromGroup",
       &S::GroupResource, W},
      {"ListGroupsForUser", &S::ListGroupsForUser, "iam:ListGroupsForUser", &S::UserResource, R},
      // roles
      {"CreateRole", &S::CreateRole, "iam:CreateRole", &S::NewRoleResource, W},
      {"GetRole", &S::GetRole, "iam:GetRole", &S::RoleResource, R},
      {"ListRoles", &S::ListRoles, "iam:ListRoles", &S::ListResource, R},
      {"DeleteRole", &S::DeleteRole, "iam:DeleteRole", &S::RoleResource, W},
      {"UpdateRole", &S::UpdateRole, "iam:UpdateRole", &S::RoleResource, W},
      {"UpdateRoleDescription", &S::UpdateRoleDescription, "iam:UpdateRoleDescription",
       &S::RoleResource, W},
      {"UpdateAssumeRolePolicy", &S::UpdateAssumeRolePolicy, "iam:UpdateAssumeRolePolicy",
       &S::RoleResource, W},
      {"TagRole", &S::TagRole, "iam:TagRole", &S::RoleResource, W},
      {"UntagRole", &S::UntagRole, "iam:UntagRole", &S::RoleResource, W},
      {"ListRoleTags", &S::ListRoleTags, "iam:ListRoleTags", &S::RoleResource, R},
      {"PutRolePermissionsBoundary", &S::PutRolePermissionsBoundary,
       "iam:PutRolePermissionsBoundary", &S::RoleResource, W},
      {"DeleteRolePermissionsBoundary", &S::DeleteRolePermissionsBoundary,
       "iam:DeleteRolePermissionsBoundary", &S::RoleResource, W},
      // managed policies
      {"CreatePolicy", &S::CreatePolicy, "iam:CreatePolicy", &S::NewPolicyResource, W},
      {"GetPolicy", &S::GetPolicy, "iam:GetPolicy", &S::PolicyResource, R},
      {"ListPolicies", &S::ListPolicies, "iam:ListPolicies", &S::ListResource, R},
      {"DeletePolicy", &S::DeletePolicy, "iam:DeletePolicy", &S::PolicyResource, W},
      {"CreatePolicyVersion", &S::CreatePolicyVersion, "iam:CreatePolicyVersion",
       &S::PolicyResource, W},
      {"GetPolicyVersion", &S::GetPolicyVersion, "iam:GetPolicyVersion", &S::PolicyResource, R},
      {"ListPolicyVersions", &S::ListPolicyVersions, "iam:ListPolicyVersions", &S::PolicyResource,
       R},
      {"DeletePolicyVersion", &S::DeletePolicyVersion, "iam:DeletePolicyVersion",
       &S::PolicyResource, W},
      {"SetDefaultPolicyVersion", &S::SetDefaultPolicyVersion, "iam:SetDefaultPolicyVersion",
       &S::PolicyResource, W},
      {"TagPolicy", &S::TagPolicy, "iam:TagPolicy", &S::PolicyResource, W},
      {"UntagPolicy", &S::UntagPolicy, "iam:UntagPolicy", &S::PolicyResource, W},
      {"ListPolicyTags", &S::ListPolicyTags, "iam:ListPolicyTags", &S::PolicyResource, R},
      {"ListEntitiesForPolicy", &S::ListEntitiesForPolicy, "iam:ListEntitiesForPolicy",
       &S::PolicyResource, R},
      // attachments
      {"AttachUserPolicy", &S::AttachUserPolicy, "iam:AttachUserPolicy", &S::UserResource, W},
      {"DetachUserPolicy", &S::DetachUserPolicy, "iam:DetachUserPolicy", &S::UserResource, W},
      {"ListAttachedUserPolicies", &S::ListAttachedUserPolicies, "iam:ListAttachedUserPolicies",
       &S::UserResource, R},
      {"AttachGroupPolicy", &S::AttachGroupPolicy, "iam:AttachGroupPolicy", &S::GroupResource, W},
      {"DetachGroupPolicy", &S::DetachGroupPolicy, "iam:DetachGroupPolicy", &S::GroupResource, W},
      {"ListAttachedGroupPolicies", &S::ListAttachedGroupPolicies,
       "iam:ListAttachedGroupPolicies", &S::GroupResource, R},
      {"AttachRolePolicy", &S::AttachRolePolicy, "iam:AttachRolePolicy", &S::RoleResource, W},
      {"DetachRolePolicy", &S::DetachRolePolicy, "iam:DetachRolePolicy", &S::RoleResource, W},
      {"ListAttachedRolePolicies", &S::ListAttachedRolePolicies, "iam:ListAttachedRolePolicies",
       &S::RoleResource, R},
      // inline policies
      {"PutUserPolicy", &S::PutUserPolicy, "iam:PutUserPolicy", &S::UserResource, W},
      {"GetUserPolicy", &S::GetUserPolicy, "iam:GetUserPolicy", &S::UserResource, R},
      {"ListUserPolicies", &S::ListUserPolicies, "iam:ListUserPolicies", &S::UserResource, R},
      {"DeleteUserPolicy", &S::DeleteUserPolicy, "iam:DeleteUserPolicy", &S::UserResource, W},
      {"PutGroupPolicy", &S::PutGroupPolicy, "iam:PutGroupPolicy", &S::GroupResource, W},
      {"GetGroupPolicy", &S::GetGroupPolicy, "iam:GetGroupPolicy", &S::GroupResource, R},
      {"ListGroupPolicies", &S::ListGroupPolicies, "iam:ListGroupPolicies", &S::GroupResource, R},
      {"DeleteGroupPolicy", &S::DeleteGroupPolicy, "iam:DeleteGroupPolicy", &S::GroupResource, W},
      {"PutRolePolicy", &S::PutRolePolicy, "iam:PutRolePolicy", &S::RoleResource, W},
      {"GetRolePolicy", &S::GetRolePolicy, "iam:GetRolePolicy", &S::RoleResource, R},
      {"ListRolePolicies", &S::ListRolePolicies, "iam:ListRolePolicies", &S::RoleResource, R},
      {"DeleteRolePolicy", &S::DeleteRolePolicy, "iam:DeleteRolePolicy", &S::RoleResource, W},
      // access keys
      {"CreateAccessKey", &S::CreateAccessKey, "iam:CreateAccessKey", &S::SelfOrUserResource, W},
      {"ListAccessKeys", &S::ListAccessKeys, "iam:ListAccessKeys", &S::SelfOrUserResource, R},
      {"UpdateAccessKey", &S::UpdateAccessKey, "iam:UpdateAccessKey", &S::SelfOrUserResource, W},
      {"DeleteAccessKey", &S::DeleteAccessKey, "iam:DeleteAccessKey", &S::SelfOrUserResource, W},
      {"GetAccessKeyLastUsed", &S::GetAccessKeyLastUsed, "iam:GetAccessKeyLastUsed",
       &S::AccessKeyResource, R},
      // account
      {"GetAccountAuthorizationDetails", &S::GetAccountAuthorizationDetails,
       "iam:GetAccountAuthorizationDetails", nullptr, R},
      // simulator
      {"SimulateCustomPolicy", &S::SimulateCustomPolicy, "iam:SimulateCustomPolicy", nullptr, R},
      {"SimulatePrincipalPolicy", &S::SimulatePrincipalPolicy, "iam:SimulatePrincipalPolicy",
       &S::PolicySourceResource, R},
  };
  return table;
}

Result<Json> IamService::Invoke(RequestContext& ctx, std::string_view operation,
                                const Json& input) {
  bool write = false;
  for (const auto& e : Table()) {
    if (e.name == operation) write = e.access == Access::kWrite;
  }
  if (!write) return TableService::Invoke(ctx, operation, input);
  // Holding the store mutex across the operation and the bump means no other
  // request can cache policies read from a transaction that later rolls back.
  std::lock_guard<std::recursive_mutex> lock(env().store_mutex());
  InvalidateCaches();
  Result<Json> result = TableService::Invoke(ctx, operation, input);
  InvalidateCaches();
  return result;
}

// ---- resolvers ----

Result<AuthRequest> IamService::NewUserResource(Call& call) {
  AuthRequest r = ResourceRequest(UserArn(account(), PathOrRoot(call.input), Str(call.input, "UserName")));
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::UserResource(Call& call) {
  const std::string name = Str(call.input, "UserName");
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::optional<UserRecord> user, s.FindUser(name));
  AuthRequest r = ResourceRequest(user ? UserArn(account(), user->path, user->name)
                                       : UserArn(account(), "/", name));
  if (user) {
    GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kUser, user->id));
    AddResourceTags(tags, &r);
    if (UsesCurrentBoundaryKey(call.ctx.operation) && !user->boundary_arn.empty()) {
      r.keys.Set("iam:PermissionsBoundary", user->boundary_arn);
    }
  }
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::SelfOrUserResource(Call& call) {
  if (Has(call.input, "UserName")) return UserResource(call);
  const Principal& p = call.ctx.principal;
  if (p.type == PrincipalType::kUser) return ResourceRequest(p.arn);
  if (p.type == PrincipalType::kRoot) return ResourceRequest(p.arn);
  return errors::MustSpecifyUserName();
}

Result<AuthRequest> IamService::NewGroupResource(Call& call) {
  return ResourceRequest(GroupArn(account(), PathOrRoot(call.input), Str(call.input, "GroupName")));
}

Result<AuthRequest> IamService::GroupResource(Call& call) {
  const std::string name = Str(call.input, "GroupName");
  GEE_ASSIGN_OR_RETURN(std::optional<GroupRecord> group, store().FindGroup(name));
  AuthRequest r = ResourceRequest(group ? GroupArn(account(), group->path, group->name)
                                        : GroupArn(account(), "/", name));
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::NewRoleResource(Call& call) {
  AuthRequest r = ResourceRequest(RoleArn(account(), PathOrRoot(call.input), Str(call.input, "RoleName")));
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::RoleResource(Call& call) {
  const std::string name = Str(call.input, "RoleName");
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::optional<RoleRecord> role, s.FindRole(name));
  AuthRequest r = ResourceRequest(role ? RoleArn(account(), role->path, role->name)
                                       : RoleArn(account(), "/", name));
  if (role) {
    GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kRole, role->id));
    AddResourceTags(tags, &r);
    if (UsesCurrentBoundaryKey(call.ctx.operation) && !role->boundary_arn.empty()) {
      r.keys.Set("iam:PermissionsBoundary", role->boundary_arn);
    }
  }
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::NewPolicyResource(Call& call) {
  AuthRequest r = ResourceRequest(PolicyArn(account(), PathOrRoot(call.input), Str(call.input, "PolicyName")));
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::PolicyResource(Call& call) {
  const std::string arn = Str(call.input, "PolicyArn");
  if (!ParseEntityArn(arn, "policy")) return errors::InvalidArn(arn);
  AuthRequest r = ResourceRequest(arn);
  // AWS managed policies can be read by anyone allowed to, but never changed;
  // other accounts' policies are not reachable at all.
  const std::string owner = ParseEntityArn(arn, "policy")->account;
  bool write = false;
  for (const auto& e : Table()) {
    if (e.name == call.ctx.operation) write = e.access == Access::kWrite;
  }
  if (owner != account() && (owner != "aws" || write)) r.resource_account = owner;
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::optional<PolicyRecord> policy, s.FindPolicyByArn(arn));
  if (policy) {
    GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kPolicy, policy->id));
    AddResourceTags(tags, &r);
  }
  AddRequestKeys(call, &r);
  return r;
}

Result<AuthRequest> IamService::AccessKeyResource(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::optional<AccessKeyRecord> key,
                       s.FindAccessKey(Str(call.input, "AccessKeyId")));
  if (key) {
    GEE_ASSIGN_OR_RETURN(std::optional<UserRecord> user, s.FindUserById(key->user_id));
    if (user) return ResourceRequest(UserArn(account(), user->path, user->name));
  }
  return ResourceRequest("*");
}

Result<AuthRequest> IamService::ListResource(Call& call) {
  // AWS authorizes List* on the path: arn:aws:iam::ACCT:role/ + PathPrefix.
  const std::string_view op = call.ctx.operation;
  const char* type = op == "ListUsers" ? "user" : op == "ListGroups" ? "group"
                     : op == "ListRoles" ? "role" : "policy";
  std::string prefix = Str(call.input, "PathPrefix", "/");
  if (prefix.empty() || prefix[0] != '/') prefix.insert(prefix.begin(), '/');
  return ResourceRequest("arn:aws:iam::" + account() + ":" + type + prefix);
}

Result<AuthRequest> IamService::PolicySourceResource(Call& call) {
  return ResourceRequest(Str(call.input, "PolicySourceArn"));
}

Result<std::string> IamService::EntityId(Call& call, EntityKind kind) {
  IamStore s = store();
  switch (kind) {
    case EntityKind::kUser: {
      const std::string name = Str(call.input, "UserName");
      GEE_ASSIGN_OR_RETURN(auto user, s.FindUser(name));
      if (!user) return errors::NoSuchUser(name);
      return user->id;
    }
    case EntityKind::kGroup: {
      const std::string name = Str(call.input, "GroupName");
      GEE_ASSIGN_OR_RETURN(auto group, s.FindGroup(name));
      if (!group) return errors::NoSuchGroup(name);
      return group->id;
    }
    case EntityKind::kRole: {
      const std::string name = Str(call.input, "RoleName");
      GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(name));
      if (!role) return errors::NoSuchRole(name);
      return role->id;
    }
    case EntityKind::kPolicy: {
      const std::string arn = Str(call.input, "PolicyArn");
      GEE_ASSIGN_OR_RETURN(auto policy, s.FindPolicyByArn(arn));
      if (!policy) return errors::PolicyNotFound(arn);
      return policy->id;
    }
  }
  return errors::InvalidInput("unknown entity kind");
}

// ---- users ----

Result<Json> IamService::CreateUser(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "UserName");
  GEE_ASSIGN_OR_RETURN(auto existing, s.FindUser(name));
  if (existing) return errors::EntityAlreadyExists("User", name);
  GEE_ASSIGN_OR_RETURN(std::vector<iam::Tag> tags, internal::InputTags(call.input));
  UserRecord user;
  user.id = NewAwsId(AwsIdKind::kUser, env().random());
  user.name = name;
  user.path = PathOrRoot(call.input);
  user.create_date_us = env().clock().NowMicros();
  if (Has(call.input, "PermissionsBoundary")) {
    user.boundary_arn = Str(call.input, "PermissionsBoundary");
    GEE_ASSIGN_OR_RETURN(auto doc, IamIdentityPolicyProvider::ManagedDocument(s, user.boundary_arn));
    if (!doc) return errors::BoundaryNotAttachable(user.boundary_arn);
  }
  GEE_RETURN_IF_ERROR(s.InsertUser(user));
  GEE_RETURN_IF_ERROR(s.PutTags(EntityKind::kUser, user.id, tags));
  Json out = internal::UserJson(account(), user);
  if (!tags.empty()) out["Tags"] = internal::TagsJson(tags);
  return Json{{"User", out}};
}

Result<Json> IamService::GetUser(Call& call) {
  IamStore s = store();
  if (!Has(call.input, "UserName")) {
    const Principal& p = call.ctx.principal;
    if (p.type == PrincipalType::kRoot) {
      return Json{{"User", {{"UserId", p.account}, {"Arn", p.arn},
                            {"CreateDate", internal::Seconds(0)}}}};
    }
    GEE_ASSIGN_OR_RETURN(auto user, s.FindUserById(p.user_id));
    if (!user) return errors::NoSuchUser(p.name);
    call.ctx.operation = "GetUser";
    Json in = {{"UserName", user->name}};
    Call self{call.ctx, in};
    return GetUser(self);
  }
  const std::string name = Str(call.input, "UserName");
  GEE_ASSIGN_OR_RETURN(auto user, s.FindUser(name));
  if (!user) return errors::NoSuchUser(name);
  Json out = internal::UserJson(account(), *user);
  GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kUser, user->id));
  if (!tags.empty()) out["Tags"] = internal::TagsJson(tags);
  return Json{{"User", out}};
}

Result<Json> IamService::ListUsers(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto users, store().ListUsers(Str(call.input, "PathPrefix", "/")));
  std::vector<Json> items;
  for (const UserRecord& u : users) items.push_back(internal::UserJson(account(), u));
  for (Json& j : items) j.erase("PermissionsBoundary");  // ListUsers omits it
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Users", &out));
  return out;
}

Result<Json> IamService::DeleteUser(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, EntityKind::kUser));
  GEE_ASSIGN_OR_RETURN(auto keys, s.ListAccessKeys(id));
  if (!keys.empty()) return errors::MustDeleteAccessKeys();
  GEE_ASSIGN_OR_RETURN(auto inline_policies, s.ListInline(EntityKind::kUser, id));
  if (!inline_policies.empty()) return errors::MustDeleteInlinePolicies();
  GEE_ASSIGN_OR_RETURN(auto attached, s.AttachedPolicies(EntityKind::kUser, id));
  if (!attached.empty()) return errors::MustDetachPolicies();
  GEE_ASSIGN_OR_RETURN(auto groups, s.GroupsForUser(id));
  if (!groups.empty()) return errors::MustRemoveUserFromGroups();
  GEE_RETURN_IF_ERROR(s.DeleteUser(id));
  return Json::object();
}

Result<Json> IamService::TagUser(Call& call) { return Tag(call, EntityKind::kUser); }
Result<Json> IamService::UntagUser(Call& call) { return Untag(call, EntityKind::kUser); }
Result<Json> IamService::ListUserTags(Call& call) { return ListTagsOf(call, EntityKind::kUser); }
Result<Json> IamService::PutUserPermissionsBoundary(Call& call) {
  return PutBoundary(call, EntityKind::kUser);
}
Result<Json> IamService::DeleteUserPermissionsBoundary(Call& call) {
  return DeleteBoundary(call, EntityKind::kUser);
}

// ---- groups ----

Result<Json> IamService::CreateGroup(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "GroupName");
  GEE_ASSIGN_OR_RETURN(auto existing, s.FindGroup(name));
  if (existing) return errors::EntityAlreadyExists("Group", name);
  GroupRecord group;
  group.id = NewPrefixedId("AGPA", 17, env().random());
  group.name = name;
  group.path = PathOrRoot(call.input);
  group.create_date_us = env().clock().NowMicros();
  GEE_RETURN_IF_ERROR(s.InsertGroup(group));
  return Json{{"Group", internal::GroupJson(account(), group)}};
}

Result<Json> IamService::GetGroup(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "GroupName");
  GEE_ASSIGN_OR_RETURN(auto group, s.FindGroup(name));
  if (!group) return errors::NoSuchGroup(name);
  GEE_ASSIGN_OR_RETURN(auto users, s.UsersInGroup(group->id));
  std::vector<Json> items;
  for (const UserRecord& u : users) items.push_back(internal::UserJson(account(), u));
  Json out = {{"Group", internal::GroupJson(account(), *group)}};
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Users", &out));
  return out;
}

Result<Json> IamService::ListGroups(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto groups, store().ListGroups(Str(call.input, "PathPrefix", "/")));
  std::vector<Json> items;
  for (const GroupRecord& g : groups) items.push_back(internal::GroupJson(account(), g));
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Groups", &out));
  return out;
}

Result<Json> IamService::DeleteGroup(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, EntityKind::kGroup));
  GEE_ASSIGN_OR_RETURN(auto users, s.UsersInGroup(id));
  if (!users.empty()) return errors::MustRemoveUsersFromGroup();
  GEE_ASSIGN_OR_RETURN(auto inline_policies, s.ListInline(EntityKind::kGroup, id));
  if (!inline_policies.empty()) return errors::MustDeleteInlinePolicies();
  GEE_ASSIGN_OR_RETURN(auto attached, s.AttachedPolicies(EntityKind::kGroup, id));
  if (!attached.empty()) return errors::MustDetachPolicies();
  GEE_RETURN_IF_ERROR(s.DeleteGroup(id));
  return Json::object();
}

Result<Json> IamService::AddUserToGroup(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::string group_id, EntityId(call, EntityKind::kGroup));
  GEE_ASSIGN_OR_RETURN(std::string user_id, EntityId(call, EntityKind::kUser));
  GEE_ASSIGN_OR_RETURN(auto groups, s.GroupsForUser(user_id));
  const bool member = std::any_of(groups.begin(), groups.end(),
                                  [&](const GroupRecord& g) { return g.id == group_id; });
  if (!member && groups.size() >= 10) return errors::QuotaExceeded("GroupsPerUser", 10);
  GEE_ASSIGN_OR_RETURN(bool added, s.AddMember(group_id, user_id));
  (void)added;  // adding a member twice is not an error
  return Json::object();
}

Result<Json> IamService::RemoveUserFromGroup(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::string group_id, EntityId(call, EntityKind::kGroup));
  GEE_ASSIGN_OR_RETURN(std::string user_id, EntityId(call, EntityKind::kUser));
  GEE_ASSIGN_OR_RETURN(bool removed, s.RemoveMember(group_id, user_id));
  if (!removed) {
    return errors::UserNotInGroup(Str(call.input, "UserName"), Str(call.input, "GroupName"));
  }
  return Json::object();
}

Result<Json> IamService::ListGroupsForUser(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::string user_id, EntityId(call, EntityKind::kUser));
  GEE_ASSIGN_OR_RETURN(auto groups, store().GroupsForUser(user_id));
  std::vector<Json> items;
  for (const GroupRecord& g : groups) items.push_back(internal::GroupJson(account(), g));
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Groups", &out));
  return out;
}

// ---- roles ----

namespace {

// Checks a trust policy: syntax (MalformedPolicyDocument) and size
// (LimitExceeded ACLSizePerRole: 2048, whitespace not counted).
Status CheckTrustPolicy(const std::string& document) {
  Result<policy::PolicyPtr> parsed = policy::ParseTrustPolicy(document);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.error().message);
  if (internal::NonWhitespaceLength(document) > 2048) {
    return errors::QuotaExceeded("ACLSizePerRole", 2048);
  }
  return OkStatus();
}

}  // namespace

Result<Json> IamService::CreateRole(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "RoleName");
  GEE_ASSIGN_OR_RETURN(auto existing, s.FindRole(name));
  if (existing) return errors::EntityAlreadyExists("Role", name);
  RoleRecord role;
  role.trust_policy = Str(call.input, "AssumeRolePolicyDocument");
  GEE_RETURN_IF_ERROR(CheckTrustPolicy(role.trust_policy));
  GEE_ASSIGN_OR_RETURN(std::vector<iam::Tag> tags, internal::InputTags(call.input));
  role.id = NewAwsId(AwsIdKind::kRole, env().random());
  role.name = name;
  role.path = PathOrRoot(call.input);
  role.create_date_us = env().clock().NowMicros();
  if (Has(call.input, "Description")) role.description = Str(call.input, "Description");
  if (auto it = call.input.find("MaxSessionDuration"); it != call.input.end() && it->is_number()) {
    role.max_session_duration = it->get<int>();
  }
  if (Has(call.input, "PermissionsBoundary")) {
    role.boundary_arn = Str(call.input, "PermissionsBoundary");
    GEE_ASSIGN_OR_RETURN(auto doc, IamIdentityPolicyProvider::ManagedDocument(s, role.boundary_arn));
    if (!doc) return errors::BoundaryNotAttachable(role.boundary_arn);
  }
  GEE_RETURN_IF_ERROR(s.InsertRole(role));
  GEE_RETURN_IF_ERROR(s.PutTags(EntityKind::kRole, role.id, tags));
  Json out = internal::RoleJson(account(), role);
  if (!tags.empty()) out["Tags"] = internal::TagsJson(tags);
  return Json{{"Role", out}};
}

Result<Json> IamService::GetRole(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "RoleName");
  GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(name));
  if (!role) return errors::NoSuchRole(name);
  Json out = internal::RoleJson(account(), *role);
  out["MaxSessionDuration"] = role->max_session_duration;
  GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kRole, role->id));
  if (!tags.empty()) out["Tags"] = internal::TagsJson(tags);
  Json last_used = Json::object();
  if (role->last_used_us > 0) {
    last_used["LastUsedDate"] = internal::Seconds(role->last_used_us);
    last_used["Region"] = role->last_used_region;
  }
  out["RoleLastUsed"] = last_used;
  return Json{{"Role", out}};
}

Result<Json> IamService::ListRoles(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto roles, store().ListRoles(Str(call.input, "PathPrefix", "/")));
  std::vector<Json> items;
  for (const RoleRecord& r : roles) {
    Json j = internal::RoleJson(account(), r);
    j.erase("PermissionsBoundary");  // ListRoles omits boundary, tags and last use
    j["MaxSessionDuration"] = r.max_session_duration;
    items.push_back(std::move(j));
  }
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Roles", &out));
  return out;
}

Result<Json> IamService::DeleteRole(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, EntityKind::kRole));
  GEE_ASSIGN_OR_RETURN(auto attached, s.AttachedPolicies(EntityKind::kRole, id));
  if (!attached.empty()) return errors::MustDetachPolicies();
  GEE_ASSIGN_OR_RETURN(auto inline_policies, s.ListInline(EntityKind::kRole, id));
  if (!inline_policies.empty()) return errors::MustDeleteInlinePolicies();
  GEE_RETURN_IF_ERROR(s.DeleteRole(id));
  return Json::object();
}

Result<Json> IamService::UpdateRole(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "RoleName");
  GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(name));
  if (!role) return errors::NoSuchRole(name);
  if (Has(call.input, "Description")) role->description = Str(call.input, "Description");
  if (auto it = call.input.find("MaxSessionDuration"); it != call.input.end() && it->is_number()) {
    role->max_session_duration = it->get<int>();
  }
  GEE_RETURN_IF_ERROR(s.UpdateRole(*role));
  return Json::object();
}

Result<Json> IamService::UpdateRoleDescription(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "RoleName");
  GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(name));
  if (!role) return errors::NoSuchRole(name);
  role->description = Str(call.input, "Description");
  GEE_RETURN_IF_ERROR(s.UpdateRole(*role));
  return Json{{"Role", internal::RoleJson(account(), *role)}};
}

Result<Json> IamService::UpdateAssumeRolePolicy(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "RoleName");
  GEE_ASSIGN_OR_RETURN(auto role, s.FindRole(name));
  if (!role) return errors::NoSuchRole(name);
  const std::string document = Str(call.input, "PolicyDocument");
  GEE_RETURN_IF_ERROR(CheckTrustPolicy(document));
  role->trust_policy = document;
  GEE_RETURN_IF_ERROR(s.UpdateRole(*role));
  return Json::object();
}

Result<Json> IamService::TagRole(Call& call) { return Tag(call, EntityKind::kRole); }
Result<Json> IamService::UntagRole(Call& call) { return Untag(call, EntityKind::kRole); }
Result<Json> IamService::ListRoleTags(Call& call) { return ListTagsOf(call, EntityKind::kRole); }
Result<Json> IamService::PutRolePermissionsBoundary(Call& call) {
  return PutBoundary(call, EntityKind::kRole);
}
Result<Json> IamService::DeleteRolePermissionsBoundary(Call& call) {
  return DeleteBoundary(call, EntityKind::kRole);
}

// ---- tags and boundaries (users, roles, policies) ----

Result<Json> IamService::Tag(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(auto existing, s.ListTags(kind, id));
  GEE_ASSIGN_OR_RETURN(std::vector<iam::Tag> tags, internal::InputTags(call.input, existing));
  GEE_RETURN_IF_ERROR(s.PutTags(kind, id, tags));
  return Json::object();
}

Result<Json> IamService::Untag(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  std::vector<std::string> keys;
  if (auto it = call.input.find("TagKeys"); it != call.input.end() && it->is_array()) {
    for (const Json& k : *it) {
      if (k.is_string()) keys.push_back(k.get<std::string>());
    }
  }
  GEE_RETURN_IF_ERROR(store().RemoveTags(kind, id, keys));
  return Json::object();
}

Result<Json> IamService::ListTagsOf(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  GEE_ASSIGN_OR_RETURN(auto tags, store().ListTags(kind, id));
  std::vector<Json> items;
  for (const iam::Tag& t : tags) items.push_back({{"Key", t.key}, {"Value", t.value}});
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Tags", &out));
  return out;
}

Result<Json> IamService::PutBoundary(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  const std::string arn = Str(call.input, "PermissionsBoundary");
  if (!ParseEntityArn(arn, "policy")) return errors::InvalidArn(arn);
  GEE_ASSIGN_OR_RETURN(auto doc, IamIdentityPolicyProvider::ManagedDocument(s, arn));
  if (!doc) return errors::BoundaryNotAttachable(arn);
  if (kind == EntityKind::kUser) {
    GEE_RETURN_IF_ERROR(s.SetUserBoundary(id, arn));
  } else {
    GEE_ASSIGN_OR_RETURN(auto role, s.FindRoleById(id));
    role->boundary_arn = arn;
    GEE_RETURN_IF_ERROR(s.UpdateRole(*role));
  }
  return Json::object();
}

Result<Json> IamService::DeleteBoundary(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  if (kind == EntityKind::kUser) {
    GEE_RETURN_IF_ERROR(s.SetUserBoundary(id, ""));
  } else {
    GEE_ASSIGN_OR_RETURN(auto role, s.FindRoleById(id));
    role->boundary_arn.clear();
    GEE_RETURN_IF_ERROR(s.UpdateRole(*role));
  }
  return Json::object();
}

}  // namespace gee::iam

// AWS IAM (Query protocol, 2010-05-08) for the emulated account: users,
// groups, roles, customer managed policies (with versions), a few AWS managed
// policies, inline policies, attachments, permissions boundaries, access keys,
// tags, GetAccountAuthorizationDetails and the policy simulator.
//
// Every operation is authorized as `iam:<Operation>` on the entity's ARN
// (users arn:aws:iam::ACCT:user/PATH/NAME, roles, groups, policies), with
// aws:ResourceTag/*, aws:RequestTag/*, aws:TagKeys, iam:PolicyARN and
// iam:PermissionsBoundary where AWS defines them. When the named entity does
// not exist the request is authorized against the ARN it would have with
// path "/" and only then answered NoSuchEntity, so a caller without
// permission learns nothing (stricter than revealing existence).
//
// Policy documents are stored as sent and returned URL-encoded (RFC 3986),
// as IAM does. Secret access keys are stored only sealed under the root key
// and returned once, by CreateAccessKey.
//
// The service also provides, for the rest of gee:
//   - identity_policies(): the IdentityPolicyProvider the Authorizer uses
//     (services/iam/identity_policies.h);
//   - access_keys(): the CredentialProvider for IAM users' access keys;
//   - generation(): a counter bumped after every IAM write operation
//     (whether it committed or not), which keys the provider's cache.
//
// Thread-safety: as TableService; operations serialise on the store mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "services/iam/iam_store.h"
#include "services/service.h"

namespace gee::iam {

class IamIdentityPolicyProvider;
class IamAccessKeyProvider;

class IamService final : public TableService<IamService> {
 public:
  explicit IamService(Environment& env);
  ~IamService() override;

  std::string_view name() const override { return "iam"; }
  WireProtocol protocol() const override { return WireProtocol::kQuery; }
  std::vector<store::MigrationStep> Migrations() const override { return IamMigrations(); }
  static const std::vector<OperationEntry<IamService>>& Table();

  // Runs the operation, then bumps the generation when it was a write.
  Result<Json> Invoke(RequestContext& ctx, std::string_view operation, const Json& input) override;

  IdentityPolicyProvider& identity_policies();
  CredentialProvider& access_keys();
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Forgets every cached policy set (after POST /_gee/reset).
  void InvalidateCaches() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  // ---- users ----
  Result<Json> CreateUser(Call& call);
  Result<Json> GetUser(Call& call);
  Result<Json> ListUsers(Call& call);
  Result<Json> DeleteUser(Call& call);
  Result<Json> TagUser(Call& call);
  Result<Json> UntagUser(Call& call);
  Result<Json> ListUserTags(Call& call);
  Result<Json> PutUserPermissionsBoundary(Call& call);
  Result<Json> DeleteUserPermissionsBoundary(Call& call);
  // ---- groups ----
  Result<Json> CreateGroup(Call& call);
  Result<Json> GetGroup(Call& call);
  Result<Json> ListGroups(Call& call);
  Result<Json> DeleteGroup(Call& call);
  Result<Json> AddUserToGroup(Call& call);
  Result<Json> RemoveUserFromGroup(Call& call);
  Result<Json> ListGroupsForUser(Call& call);
  // ---- roles ----
  Result<Json> CreateRole(Call& call);
  Result<Json> GetRole(Call& call);
  Result<Json> ListRoles(Call& call);
  Result<Json> DeleteRole(Call& call);
  Result<Json> UpdateRole(Call& call);
  Result<Json> UpdateRoleDescription(Call& call);
  Result<Json> UpdateAssumeRolePolicy(Call& call);
  Result<Json> TagRole(Call& call);
  Result<Json> UntagRole(Call& call);
  Result<Json> ListRoleTags(Call& call);
  Result<Json> PutRolePermissionsBoundary(Call& call);
  Result<Json> DeleteRolePermissionsBoundary(Call& call);
  // ---- managed policies ----
  Result<Json> CreatePolicy(Call& call);
  Result<Json> GetPolicy(Call& call);
  Result<Json> ListPolicies(Call& call);
  Result<Json> DeletePolicy(Call& call);
  Result<Json> CreatePolicyVersion(Call& call);
  Result<Json> GetPolicyVersion(Call& call);
  Result<Json> ListPolicyVersions(Call& call);
  Result<Json> DeletePolicyVersion(Call& call);
  Result<Json> SetDefaultPolicyVersion(Call& call);
  Result<Json> TagPolicy(Call& call);
  Result<Json> UntagPolicy(Call& call);
  Result<Json> ListPolicyTags(Call& call);
  Result<Json> ListEntitiesForPolicy(Call& call);
  // ---- attachments ----
  Result<Json> AttachUserPolicy(Call& call);
  Result<Json> DetachUserPolicy(Call& call);
  Result<Json> ListAttachedUserPolicies(Call& call);
  Result<Json> AttachGroupPolicy(Call& call);
  Result<Json> DetachGroupPolicy(Call& call);
  Result<Json> ListAttachedGroupPolicies(Call& call);
  Result<Json> AttachRolePolicy(Call& call);
  Result<Json> DetachRolePolicy(Call& call);
  Result<Json> ListAttachedRolePolicies(Call& call);
  // ---- inline policies ----
  Result<Json> PutUserPolicy(Call& call);
  Result<Json> GetUserPolicy(Call& call);
  Result<Json> ListUserPolicies(Call& call);
  Result<Json> DeleteUserPolicy(Call& call);
  Result<Json> PutGroupPolicy(Call& call);
  Result<Json> GetGroupPolicy(Call& call);
  Result<Json> ListGroupPolicies(Call& call);
  Result<Json> DeleteGroupPolicy(Call& call);
  Result<Json> PutRolePolicy(Call& call);
  Result<Json> GetRolePolicy(Call& call);
  Result<Json> ListRolePolicies(Call& call);
  Result<Json> DeleteRolePolicy(Call& call);
  // ---- access keys ----
  Result<Json> CreateAccessKey(Call& call);
  Result<Json> ListAccessKeys(Call& call);
  Result<Json> UpdateAccessKey(Call& call);
  Result<Json> DeleteAccessKey(Call& call);
  Result<Json> GetAccessKeyLastUsed(Call& call);
  // ---- account ----
  Result<Json> GetAccountAuthorizationDetails(Call& call);
  // ---- policy simulator (services/iam/simulator.cc) ----
  Result<Json> SimulateCustomPolicy(Call& call);
  Result<Json> SimulatePrincipalPolicy(Call& call);

  // What SimulateCustomPolicy's API cannot express, for in-process callers
  // (tests replaying the evaluator's decision table): a caller that is not
  // an IAM user, managed-style session policies, a KMS grant and an explicit
  // resource-policy kind. Everything else comes from the same input JSON and
  // runs the same code as the HTTP operation.
  struct SimulationOverrides {
    std::optional<Principal> caller;
    std::vector<std::string> session_policies;  // documents
    std::optional<ResourcePolicyKind> resource_policy_kind;
    bool allowed_by_grant = false;
    std::string grant_id;
    std::string resource_account;
  };
  // SimulateCustomPolicy with `overrides` (the input is validated against the
  // model first, as Invoke would).
  Result<Json> SimulateCustom(RequestContext& ctx, const Json& input,
                              const SimulationOverrides& overrides);

  // ---- resource resolvers (ARN + condition keys for the table) ----
  Result<AuthRequest> NewUserResource(Call& call);     // CreateUser: Path + UserName
  Result<AuthRequest> UserResource(Call& call);        // UserName (required)
  Result<AuthRequest> SelfOrUserResource(Call& call);  // UserName, or the calling user
  Result<AuthRequest> NewGroupResource(Call& call);
  Result<AuthRequest> GroupResource(Call& call);
  Result<AuthRequest> NewRoleResource(Call& call);
  Result<AuthRequest> RoleResource(Call& call);
  Result<AuthRequest> NewPolicyResource(Call& call);
  Result<AuthRequest> PolicyResource(Call& call);  // PolicyArn
  Result<AuthRequest> AccessKeyResource(Call& call);  // the key's user (GetAccessKeyLastUsed)
  Result<AuthRequest> PolicySourceResource(Call& call);  // SimulatePrincipalPolicy
  Result<AuthRequest> ListResource(Call& call);  // List{Users,Groups,Roles,Policies}: path ARN

 private:
  friend class IamIdentityPolicyProvider;
  friend class IamAccessKeyProvider;

  // Shared handler bodies, parameterised by entity kind.
  Result<Json> Attach(Call& call, EntityKind kind);
  Result<Json> Detach(Call& call, EntityKind kind);
  Result<Json> ListAttached(Call& call, EntityKind kind);
  Result<Json> PutInline(Call& call, EntityKind kind);
  Result<Json> GetInline(Call& call, EntityKind kind);
  Result<Json> ListInline(Call& call, EntityKind kind);
  Result<Json> DeleteInline(Call& call, EntityKind kind);
  Result<Json> Tag(Call& call, EntityKind kind);
  Result<Json> Untag(Call& call, EntityKind kind);
  Result<Json> ListTagsOf(Call& call, EntityKind kind);
  Result<Json> PutBoundary(Call& call, EntityKind kind);
  Result<Json> DeleteBoundary(Call& call, EntityKind kind);
  // The id of the user/group/role named by the input's UserName/GroupName/RoleName
  // (or the policy named by PolicyArn), or its NoSuchEntity error.
  Result<std::string> EntityId(Call& call, EntityKind kind);

  IamStore store();
  const std::string& account() const;

  std::atomic<uint64_t> generation_{1};
  std::unique_ptr<IamIdentityPolicyProvider> identity_policies_;
  std::unique_ptr<IamAccessKeyProvider> access_keys_;
};

}  // namespace gee::iam

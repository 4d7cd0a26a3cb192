// IAM access keys and GetAccountAuthorizationDetails.
#include <algorithm>
#include <set>

#include "core/environment.h"
#include "core/ids.h"
#include "services/iam/arns.h"
#include "services/iam/aws_managed_policies.h"
#include "services/iam/errors.h"
#include "services/iam/iam_internal.h"
#include "services/iam/iam_service.h"
#include "store/root_key.h"

namespace gee::iam {

using internal::Has;
using internal::Str;

namespace {

constexpr int kMaxAccessKeysPerUser = 2;

// The user an access-key operation is about: the input's UserName, else the
// calling IAM user (the table's resolver already refused other callers).
Result<UserRecord> TargetUser(IamStore& s, const Call& call) {
  if (Has(call.input, "UserName")) {
    const std::string name = Str(call.input, "UserName");
    GEE_ASSIGN_OR_RETURN(auto user, s.FindUser(name));
    if (!user) return errors::NoSuchUser(name);
    return *user;
  }
  const Principal& p = call.ctx.principal;
  if (p.type != PrincipalType::kUser) return errors::MustSpecifyUserName();
  GEE_ASSIGN_OR_RETURN(auto user, s.FindUserById(p.user_id));
  if (!user) return errors::NoSuchUser(p.name);
  return *user;
}

Json KeyMetadata(const UserRecord& user, const AccessKeyRecord& key) {
  return {{"UserName", user.name},
          {"AccessKeyId", key.access_key_id},
          {"Status", key.status},
          {"CreateDate", internal::Seconds(key.create_date_us)}};
}

// The key with `access_key_id` if it belongs to `user`.
Result<AccessKeyRecord> UsersKey(IamStore& s, const UserRecord& user,
                                 const std::string& access_key_id) {
  GEE_ASSIGN_OR_RETURN(auto key, s.FindAccessKey(access_key_id));
  if (!key || key->user_id != user.id) return errors::NoSuchAccessKey(access_key_id);
  return *key;
}

}  // namespace

Result<Json> IamService::CreateAccessKey(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(UserRecord user, TargetUser(s, call));
  GEE_ASSIGN_OR_RETURN(auto keys, s.ListAccessKeys(user.id));
  if (keys.size() >= kMaxAccessKeysPerUser) {
    return errors::QuotaExceeded("AccessKeysPerUser", kMaxAccessKeysPerUser);
  }
  AccessKeyRecord key;
  key.access_key_id = NewAwsId(AwsIdKind::kAccessKey, env().random());
  key.user_id = user.id;
  key.status = "Active";
  key.create_date_us = env().clock().NowMicros();
  crypto::SecretBytes secret = NewSecretAccessKey(env().random());
  GEE_ASSIGN_OR_RETURN(key.sealed_secret,
                       env().keyring().Seal(store::SecretLabel("iam-secret", {key.access_key_id}),
                                            secret));
  GEE_RETURN_IF_ERROR(s.InsertAccessKey(key));
  Json out = KeyMetadata(user, key);
  out["SecretAccessKey"] = std::string(secret.AsStringView());
  return Json{{"AccessKey", out}};
}

Result<Json> IamService::ListAccessKeys(Call& call) {
  IamStore s = store();
  if (!Has(call.input, "UserName") && call.ctx.principal.type == PrincipalType::kRoot) {
    // The root's own key is configuration, not an IAM access key.
    Json out = Json::object();
    GEE_RETURN_IF_ERROR(internal::Paginate(call.input, {}, "AccessKeyMetadata", &out));
    return out;
  }
  GEE_ASSIGN_OR_RETURN(UserRecord user, TargetUser(s, call));
  GEE_ASSIGN_OR_RETURN(auto keys, s.ListAccessKeys(user.id));
  std::vector<Json> items;
  for (const AccessKeyRecord& k : keys) items.push_back(KeyMetadata(user, k));
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "AccessKeyMetadata", &out));
  return out;
}

Result<Json> IamService::UpdateAccessKey(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(UserRecord user, TargetUser(s, call));
  GEE_ASSIGN_OR_RETURN(AccessKeyRecord key, UsersKey(s, user, Str(call.input, "AccessKeyId")));
  GEE_RETURN_IF_ERROR(s.SetAccessKeyStatus(key.access_key_id, Str(call.input, "Status")));
  return Json::object();
}

Result<Json> IamService::DeleteAccessKey(Call& call) {
  IamStore s = store();
  GEE_ASSIGN_OR_RETURN(UserRecord user, TargetUser(s, call));
  GEE_ASSIGN_OR_RETURN(AccessKeyRecord key, UsersKey(s, user, Str(call.input, "AccessKeyId")));
  GEE_ASSIGN_OR_RETURN(bool deleted, s.DeleteAccessKey(key.access_key_id));
  (void)deleted;
  return Json::object();
}

Result<Json> IamService::GetAccessKeyLastUsed(Call& call) {
  IamStore s = store();
  const std::string id = Str(call.input, "AccessKeyId");
  GEE_ASSIGN_OR_RETURN(auto key, s.FindAccessKey(id));
  if (!key) return errors::NoSuchAccessKey(id);
  GEE_ASSIGN_OR_RETURN(auto user, s.FindUserById(key->user_id));
  if (!user) return errors::NoSuchAccessKey(id);
  Json last_used = {{"ServiceName", "N/A"}, {"Region", "N/A"}};
  if (key->last_used_us > 0) {
    last_used = {{"LastUsedDate", internal::Seconds(key->last_used_us)},
                 {"ServiceName", key->last_used_service},
                 {"Region", key->last_used_region}};
  }
  return Json{{"UserName", user->name}, {"AccessKeyLastUsed", last_used}};
}

// ---- GetAccountAuthorizationDetails ----

Result<Json> IamService::GetAccountAuthorizationDetails(Call& call) {
  IamStore s = store();
  std::set<std::string> filter;
  if (auto it = call.input.find("Filter"); it != call.input.end() && it->is_array()) {
    for (const Json& f : *it) {
      if (f.is_string()) filter.insert(f.get<std::string>());
    }
  }
  auto wanted = [&](const char* kind) { return filter.empty() || filter.count(kind) > 0; };
  std::set<std::string> used_policies;

  auto inline_list = [&](EntityKind kind, const std::string& id) -> Result<Json> {
    GEE_ASSIGN_OR_RETURN(auto policies, s.ListInline(kind, id));
    Json out = Json::array();
    for (const InlinePolicy& p : policies) {
      out.push_back({{"PolicyName", p.name},
                     {"PolicyDocument", internal::UrlEncodeDocument(p.document)}});
    }
    return out;
  };
  auto attached_list = [&](EntityKind kind, const std::string& id) -> Result<Json> {
    GEE_ASSIGN_OR_RETURN(auto arns, s.AttachedPolicies(kind, id));
    Json out = Json::array();
    for (const std::string& arn : arns) {
      used_policies.insert(arn);
      std::string name = arn.substr(arn.rfind('/') + 1);
      out.push_back({{"PolicyName", name}, {"PolicyArn", arn}});
    }
    return out;
  };

  Json users = Json::array(), groups = Json::array(), roles = Json::array(),
       policies = Json::array();
  if (wanted("User")) {
    GEE_ASSIGN_OR_RETURN(auto all, s.ListUsers("/"));
    for (const UserRecord& u : all) {
      Json j = internal::UserJson(account(), u);
      GEE_ASSIGN_OR_RETURN(j["UserPolicyList"], inline_list(EntityKind::kUser, u.id));
      GEE_ASSIGN_OR_RETURN(auto member_of, s.GroupsForUser(u.id));
      j["GroupList"] = Json::array();
      for (const GroupRecord& g : member_of) j["GroupList"].push_back(g.name);
      GEE_ASSIGN_OR_RETURN(j["AttachedManagedPolicies"], attached_list(EntityKind::kUser, u.id));
      GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kUser, u.id));
      j["Tags"] = internal::TagsJson(tags);
      users.push_back(std::move(j));
    }
  }
  if (wanted("Group")) {
    GEE_ASSIGN_OR_RETURN(auto all, s.ListGroups("/"));
    for (const GroupRecord& g : all) {
      Json j = internal::GroupJson(account(), g);
      GEE_ASSIGN_OR_RETURN(j["GroupPolicyList"], inline_list(EntityKind::kGroup, g.id));
      GEE_ASSIGN_OR_RETURN(j["AttachedManagedPolicies"], attached_list(EntityKind::kGroup, g.id));
      groups.push_back(std::move(j));
    }
  }
  if (wanted("Role")) {
    GEE_ASSIGN_OR_RETURN(auto all, s.ListRoles("/"));
    for (const RoleRecord& r : all) {
      Json j = internal::RoleJson(account(), r);
      j.erase("Description");
      j["InstanceProfileList"] = Json::array();
      GEE_ASSIGN_OR_RETURN(j["RolePolicyList"], inline_list(EntityKind::kRole, r.id));
      GEE_ASSIGN_OR_RETURN(j["AttachedManagedPolicies"], attached_list(EntityKind::kRole, r.id));
      GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kRole, r.id));
      j["Tags"] = internal::TagsJson(tags);
      j["RoleLastUsed"] = Json::object();
      roles.push_back(std::move(j));
    }
  }
  auto policy_detail = [&](const PolicyRecord& p, std::vector<PolicyVersionRecord> versions)
      -> Result<Json> {
    GEE_ASSIGN_OR_RETURN(int attachments, s.AttachmentCount(p.arn));
    GEE_ASSIGN_OR_RETURN(int boundaries, s.BoundaryUsageCount(p.arn));
    Json j = {{"PolicyName", p.name},
              {"PolicyId", p.id},
              {"Arn", p.arn},
              {"Path", p.path},
              {"DefaultVersionId", p.default_version},
              {"AttachmentCount", attachments},
              {"PermissionsBoundaryUsageCount", boundaries},
              {"IsAttachable", true},
              {"CreateDate", internal::Seconds(p.create_date_us)},
              {"UpdateDate", internal::Seconds(p.update_date_us)},
              {"PolicyVersionList", Json::array()}};
    if (p.description) j["Description"] = *p.description;
    for (const PolicyVersionRecord& v : versions) {
      j["PolicyVersionList"].push_back({{"Document", internal::UrlEncodeDocument(v.document)},
                                        {"VersionId", v.version_id},
                                        {"IsDefaultVersion", v.version_id == p.default_version},
                                        {"CreateDate", internal::Seconds(v.create_date_us)}});
    }
    return j;
  };
  if (wanted("LocalManagedPolicy")) {
    GEE_ASSIGN_OR_RETURN(auto all, s.ListPolicies("/"));
    for (const PolicyRecord& p : all) {
      GEE_ASSIGN_OR_RETURN(auto versions, s.ListVersions(p.id));
      GEE_ASSIGN_OR_RETURN(Json j, policy_detail(p, std::move(versions)));
      policies.push_back(std::move(j));
    }
  }
  if (wanted("AWSManagedPolicy")) {
    for (const AwsManagedPolicy& a : AwsManagedPolicies()) {
      GEE_ASSIGN_OR_RETURN(int attachments, s.AttachmentCount(std::string(a.arn)));
      GEE_ASSIGN_OR_RETURN(int boundaries, s.BoundaryUsageCount(std::string(a.arn)));
      if (attachments + boundaries == 0) continue;  // AWS lists the ones in use
      PolicyRecord p;
      p.id = std::string(a.policy_id);
      p.name = std::string(a.name);
      p.path = std::string(a.path);
      p.arn = std::string(a.arn);
      p.default_version = std::string(a.default_version);
      p.create_date_us = p.update_date_us = int64_t{1423247986} * 1000000;
      GEE_ASSIGN_OR_RETURN(Json j, policy_detail(p, {{p.default_version, std::string(a.document),
                                                      p.create_date_us}}));
      policies.push_back(std::move(j));
    }
  }
  return Json{{"UserDetailList", users},
              {"GroupDetailList", groups},
              {"RoleDetailList", roles},
              {"Policies", policies},
              {"IsTruncated", false}};
}

}  // namespace gee::iam

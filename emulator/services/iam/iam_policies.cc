// IAM managed policies (customer and AWS managed), versions, attachments and
// inline policies.
#include <algorithm>
#include <utility>

#include "auth/policy/policy.h"
#include "core/environment.h"
#include "core/ids.h"
#include "services/iam/arns.h"
#include "services/iam/aws_managed_policies.h"
#include "services/iam/errors.h"
#include "services/iam/iam_internal.h"
#include "services/iam/iam_service.h"
#include "services/iam/identity_policies.h"

namespace gee::iam {

using internal::Has;
using internal::Str;

namespace {

// AWS managed policies carry fixed dates (they predate any emulated account).
constexpr int64_t kAwsManagedCreateMicros = int64_t{1423247986} * 1000000;  // 2015-02-06T18:39:46Z

PolicyRecord FromAwsManaged(const AwsManagedPolicy& p) {
  PolicyRecord r;
  r.id = std::string(p.policy_id);
  r.name = std::string(p.name);
  r.path = std::string(p.path);
  r.arn = std::string(p.arn);
  r.description = std::string(p.description);
  r.default_version = std::string(p.default_version);
  r.create_date_us = kAwsManagedCreateMicros;
  r.update_date_us = kAwsManagedCreateMicros;
  return r;
}

struct PolicyView {
  PolicyRecord record;
  bool aws_managed = false;
};

// The customer or AWS managed policy with `arn`.
Result<std::optional<PolicyView>> FindAnyPolicy(IamStore& s, const std::string& arn) {
  if (const AwsManagedPolicy* aws = FindAwsManagedPolicy(arn)) {
    return std::optional<PolicyView>(PolicyView{FromAwsManaged(*aws), true});
  }
  GEE_ASSIGN_OR_RETURN(auto record, s.FindPolicyByArn(arn));
  if (!record) return std::optional<PolicyView>();
  return std::optional<PolicyView>(PolicyView{std::move(*record), false});
}

Result<Json> PolicyJson(IamStore& s, const PolicyRecord& p, bool with_description) {
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
            {"UpdateDate", internal::Seconds(p.update_date_us)}};
  if (with_description && p.description) j["Description"] = *p.description;
  return j;
}

// Managed policy documents: syntax, Version 2012-10-17, at most 6144
// non-whitespace characters.
Status CheckManagedDocument(const std::string& document) {
  Result<policy::PolicyPtr> parsed = policy::ParseManagedPolicy(document);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.error().message);
  if (internal::NonWhitespaceLength(document) > 6144) {
    return errors::QuotaExceeded("PolicySize", 6144);
  }
  return OkStatus();
}

// A write to an AWS managed policy is refused (the policy belongs to AWS).
Status RefuseAwsManagedWrite(const PolicyView& policy) {
  if (!policy.aws_managed) return OkStatus();
  return errors::InvalidInput("Policy " + policy.record.arn + " is an AWS managed policy and cannot be modified.");
}

std::string_view EntityInputName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kUser:
      return "UserName";
    case EntityKind::kGroup:
      return "GroupName";
    case EntityKind::kRole:
      return "RoleName";
    case EntityKind::kPolicy:
      return "PolicyArn";
  }
  return "";
}

std::string_view QuotaName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kUser:
      return "PoliciesPerUser";
    case EntityKind::kGroup:
      return "PoliciesPerGroup";
    default:
      return "PoliciesPerRole";
  }
}

int InlineSizeLimit(EntityKind kind) {
  switch (kind) {
    case EntityKind::kUser:
      return 2048;
    case EntityKind::kGroup:
      return 5120;
    default:
      return 10240;
  }
}

}  // namespace

// ---- managed policies ----

Result<Json> IamService::CreatePolicy(Call& call) {
  IamStore s = store();
  const std::string name = Str(call.input, "PolicyName");
  GEE_ASSIGN_OR_RETURN(auto existing, s.FindPolicyByName(name));
  if (existing) return errors::PolicyAlreadyExists(name);
  const std::string document = Str(call.input, "PolicyDocument");
  GEE_RETURN_IF_ERROR(CheckManagedDocument(document));
  GEE_ASSIGN_OR_RETURN(std::vector<iam::Tag> tags, internal::InputTags(call.input));
  PolicyRecord p;
  p.id = NewAwsId(AwsIdKind::kPolicy, env().random());
  p.name = name;
  p.path = Str(call.input, "Path", "/");
  p.arn = PolicyArn(account(), p.path, name);
  if (Has(call.input, "Description")) p.description = Str(call.input, "Description");
  p.default_version = "v1";
  p.next_version = 2;
  p.create_date_us = p.update_date_us = env().clock().NowMicros();
  GEE_RETURN_IF_ERROR(s.InsertPolicy(p, document));
  GEE_RETURN_IF_ERROR(s.PutTags(EntityKind::kPolicy, p.id, tags));
  GEE_ASSIGN_OR_RETURN(Json out, PolicyJson(s, p, /*with_description=*/false));
  if (!tags.empty()) out["Tags"] = internal::TagsJson(tags);
  return Json{{"Policy", out}};
}

Result<Json> IamService::GetPolicy(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  GEE_ASSIGN_OR_RETURN(Json out, PolicyJson(s, policy->record, /*with_description=*/true));
  GEE_ASSIGN_OR_RETURN(auto tags, s.ListTags(EntityKind::kPolicy, policy->record.id));
  out["Tags"] = internal::TagsJson(tags);
  return Json{{"Policy", out}};
}

Result<Json> IamService::ListPolicies(Call& call) {
  IamStore s = store();
  const std::string scope = Str(call.input, "Scope", "All");
  const std::string prefix = Str(call.input, "PathPrefix", "/");
  const bool only_attached = call.input.value("OnlyAttached", false);
  const std::string usage = Str(call.input, "PolicyUsageFilter");
  std::vector<PolicyRecord> records;
  if (scope != "Local") {
    for (const AwsManagedPolicy& p : AwsManagedPolicies()) {
      if (p.path.substr(0, prefix.size()) == prefix) records.push_back(FromAwsManaged(p));
    }
  }
  if (scope != "AWS") {
    GEE_ASSIGN_OR_RETURN(auto local, s.ListPolicies(prefix));
    records.insert(records.end(), local.begin(), local.end());
  }
  std::stable_sort(records.begin(), records.end(), [](const PolicyRecord& a, const PolicyRecord& b) {
    return a.name < b.name;
  });
  std::vector<Json> items;
  for (const PolicyRecord& p : records) {
    GEE_ASSIGN_OR_RETURN(Json j, PolicyJson(s, p, /*with_description=*/false));
    const int attachments = j["AttachmentCount"].get<int>();
    const int boundaries = j["PermissionsBoundaryUsageCount"].get<int>();
    if (only_attached) {
      const bool used = usage == "PermissionsPolicy"     ? attachments > 0
                        : usage == "PermissionsBoundary" ? boundaries > 0
                                                         : attachments + boundaries > 0;
      if (!used) continue;
    }
    items.push_back(std::move(j));
  }
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Policies", &out));
  return out;
}

Result<Json> IamService::DeletePolicy(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  GEE_RETURN_IF_ERROR(RefuseAwsManagedWrite(*policy));
  GEE_ASSIGN_OR_RETURN(int attachments, s.AttachmentCount(arn));
  GEE_ASSIGN_OR_RETURN(int boundaries, s.BoundaryUsageCount(arn));
  if (attachments + boundaries > 0) return errors::PolicyAttached();
  GEE_ASSIGN_OR_RETURN(auto versions, s.ListVersions(policy->record.id));
  if (versions.size() > 1) return errors::PolicyHasVersions();
  GEE_RETURN_IF_ERROR(s.DeletePolicy(policy->record.id));
  return Json::object();
}

Result<Json> IamService::CreatePolicyVersion(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  GEE_RETURN_IF_ERROR(RefuseAwsManagedWrite(*policy));
  const std::string document = Str(call.input, "PolicyDocument");
  GEE_RETURN_IF_ERROR(CheckManagedDocument(document));
  GEE_ASSIGN_OR_RETURN(auto versions, s.ListVersions(policy->record.id));
  if (versions.size() >= 5) return errors::TooManyPolicyVersions();
  PolicyRecord& p = policy->record;
  PolicyVersionRecord v{"v" + std::to_string(p.next_version), document, env().clock().NowMicros()};
  ++p.next_version;
  const bool make_default = call.input.value("SetAsDefault", false);
  if (make_default) {
    p.default_version = v.version_id;
    p.update_date_us = v.create_date_us;
  }
  GEE_RETURN_IF_ERROR(s.InsertVersion(p.id, v));
  GEE_RETURN_IF_ERROR(s.UpdatePolicy(p));
  return Json{{"PolicyVersion",
               {{"VersionId", v.version_id},
                {"IsDefaultVersion", make_default},
                {"CreateDate", internal::Seconds(v.create_date_us)}}}};
}

Result<Json> IamService::GetPolicyVersion(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  const std::string version_id = Str(call.input, "VersionId");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  PolicyVersionRecord v;
  if (policy->aws_managed) {
    // Only the default version of an AWS managed policy is known.
    if (version_id != policy->record.default_version) {
      return errors::NoSuchPolicyVersion(arn, version_id);
    }
    v = {version_id, std::string(FindAwsManagedPolicy(arn)->document), policy->record.create_date_us};
  } else {
    GEE_ASSIGN_OR_RETURN(auto found, s.FindVersion(policy->record.id, version_id));
    if (!found) return errors::NoSuchPolicyVersion(arn, version_id);
    v = std::move(*found);
  }
  return Json{{"PolicyVersion",
               {{"Document", internal::UrlEncodeDocument(v.document)},
                {"VersionId", v.version_id},
                {"IsDefaultVersion", v.version_id == policy->record.default_version},
                {"CreateDate", internal::Seconds(v.create_date_us)}}}};
}

Result<Json> IamService::ListPolicyVersions(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  std::vector<PolicyVersionRecord> versions;
  if (policy->aws_managed) {
    versions.push_back({policy->record.default_version, "", policy->record.create_date_us});
  } else {
    GEE_ASSIGN_OR_RETURN(versions, s.ListVersions(policy->record.id));
  }
  std::vector<Json> items;
  for (const PolicyVersionRecord& v : versions) {
    items.push_back({{"VersionId", v.version_id},
                     {"IsDefaultVersion", v.version_id == policy->record.default_version},
                     {"CreateDate", internal::Seconds(v.create_date_us)}});
  }
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "Versions", &out));
  return out;
}

Result<Json> IamService::DeletePolicyVersion(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  const std::string version_id = Str(call.input, "VersionId");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  GEE_RETURN_IF_ERROR(RefuseAwsManagedWrite(*policy));
  GEE_ASSIGN_OR_RETURN(auto found, s.FindVersion(policy->record.id, version_id));
  if (!found) return errors::NoSuchPolicyVersion(arn, version_id);
  if (version_id == policy->record.default_version) return errors::CannotDeleteDefaultVersion();
  GEE_RETURN_IF_ERROR(s.DeleteVersion(policy->record.id, version_id));
  return Json::object();
}

Result<Json> IamService::SetDefaultPolicyVersion(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  const std::string version_id = Str(call.input, "VersionId");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  GEE_RETURN_IF_ERROR(RefuseAwsManagedWrite(*policy));
  GEE_ASSIGN_OR_RETURN(auto found, s.FindVersion(policy->record.id, version_id));
  if (!found) return errors::NoSuchPolicyVersion(arn, version_id);
  policy->record.default_version = version_id;
  policy->record.update_date_us = env().clock().NowMicros();
  GEE_RETURN_IF_ERROR(s.UpdatePolicy(policy->record));
  return Json::object();
}

Result<Json> IamService::TagPolicy(Call& call) { return Tag(call, EntityKind::kPolicy); }
Result<Json> IamService::UntagPolicy(Call& call) { return Untag(call, EntityKind::kPolicy); }
Result<Json> IamService::ListPolicyTags(Call& call) { return ListTagsOf(call, EntityKind::kPolicy); }

Result<Json> IamService::ListEntitiesForPolicy(Call& call) {
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotFound(arn);
  const std::string filter = Str(call.input, "EntityFilter");
  const std::string usage = Str(call.input, "PolicyUsageFilter");
  const std::string prefix = Str(call.input, "PathPrefix", "/");
  Json groups = Json::array(), users = Json::array(), roles = Json::array();
  auto wanted = [&](std::string_view kind) { return filter.empty() || filter == kind; };
  auto in_path = [&](const std::string& path) { return path.rfind(prefix, 0) == 0; };
  if (usage != "PermissionsBoundary") {
    GEE_ASSIGN_OR_RETURN(auto attachments, s.AttachmentsOf(arn));
    for (const auto& [kind, id] : attachments) {
      if (kind == EntityKind::kUser && wanted("User")) {
        GEE_ASSIGN_OR_RETURN(auto u, s.FindUserById(id));
        if (u && in_path(u->path)) users.push_back({{"UserName", u->name}, {"UserId", u->id}});
      } else if (kind == EntityKind::kRole && wanted("Role")) {
        GEE_ASSIGN_OR_RETURN(auto r, s.FindRoleById(id));
        if (r && in_path(r->path)) roles.push_back({{"RoleName", r->name}, {"RoleId", r->id}});
      } else if (kind == EntityKind::kGroup && wanted("Group")) {
        GEE_ASSIGN_OR_RETURN(auto all, s.ListGroups(prefix));
        for (const GroupRecord& g : all) {
          if (g.id == id) groups.push_back({{"GroupName", g.name}, {"GroupId", g.id}});
        }
      }
    }
  }
  if (usage != "PermissionsPolicy") {
    if (wanted("User")) {
      GEE_ASSIGN_OR_RETURN(auto all, s.ListUsers(prefix));
      for (const UserRecord& u : all) {
        if (u.boundary_arn == arn) users.push_back({{"UserName", u.name}, {"UserId", u.id}});
      }
    }
    if (wanted("Role")) {
      GEE_ASSIGN_OR_RETURN(auto all, s.ListRoles(prefix));
      for (const RoleRecord& r : all) {
        if (r.boundary_arn == arn) roles.push_back({{"RoleName", r.name}, {"RoleId", r.id}});
      }
    }
  }
  return Json{{"PolicyGroups", groups},
              {"PolicyUsers", users},
              {"PolicyRoles", roles},
              {"IsTruncated", false}};
}

// ---- attachments ----

Result<Json> IamService::Attach(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  const std::string arn = Str(call.input, "PolicyArn");
  if (!ParseEntityArn(arn, "policy")) return errors::InvalidArn(arn);
  GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
  if (!policy) return errors::PolicyNotAttachable(arn);
  GEE_ASSIGN_OR_RETURN(auto attached, s.AttachedPolicies(kind, id));
  if (std::find(attached.begin(), attached.end(), arn) != attached.end()) return Json::object();
  if (attached.size() >= 10) return errors::QuotaExceeded(QuotaName(kind), 10);
  GEE_ASSIGN_OR_RETURN(bool added, s.Attach(kind, id, arn));
  (void)added;
  return Json::object();
}

Result<Json> IamService::Detach(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  const std::string arn = Str(call.input, "PolicyArn");
  if (!ParseEntityArn(arn, "policy")) return errors::InvalidArn(arn);
  GEE_ASSIGN_OR_RETURN(bool removed, store().Detach(kind, id, arn));
  if (!removed) return errors::PolicyNotFound(arn);
  return Json::object();
}

Result<Json> IamService::ListAttached(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  const std::string prefix = Str(call.input, "PathPrefix", "/");
  GEE_ASSIGN_OR_RETURN(auto arns, s.AttachedPolicies(kind, id));
  std::vector<Json> items;
  for (const std::string& arn : arns) {
    GEE_ASSIGN_OR_RETURN(auto policy, FindAnyPolicy(s, arn));
    if (!policy || policy->record.path.rfind(prefix, 0) != 0) continue;
    items.push_back({{"PolicyName", policy->record.name}, {"PolicyArn", arn}});
  }
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(items), "AttachedPolicies", &out));
  return out;
}

Result<Json> IamService::AttachUserPolicy(Call& call) { return Attach(call, EntityKind::kUser); }
Result<Json> IamService::DetachUserPolicy(Call& call) { return Detach(call, EntityKind::kUser); }
Result<Json> IamService::ListAttachedUserPolicies(Call& call) {
  return ListAttached(call, EntityKind::kUser);
}
Result<Json> IamService::AttachGroupPolicy(Call& call) { return Attach(call, EntityKind::kGroup); }
Result<Json> IamService::DetachGroupPolicy(Call& call) { return Detach(call, EntityKind::kGroup); }
Result<Json> IamService::ListAttachedGroupPolicies(Call& call) {
  return ListAttached(call, EntityKind::kGroup);
}
Result<Json> IamService::AttachRolePolicy(Call& call) { return Attach(call, EntityKind::kRole); }
Result<Json> IamService::DetachRolePolicy(Call& call) { return Detach(call, EntityKind::kRole); }
Result<Json> IamService::ListAttachedRolePolicies(Call& call) {
  return ListAttached(call, EntityKind::kRole);
}

// ---- inline policies ----

Result<Json> IamService::PutInline(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  IamStore s = store();
  const std::string name = Str(call.input, "PolicyName");
  const std::string document = Str(call.input, "PolicyDocument");
  Result<policy::PolicyPtr> parsed = policy::ParseIdentityPolicy(document);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.error().message);
  GEE_ASSIGN_OR_RETURN(auto existing, s.ListInline(kind, id));
  size_t total = internal::NonWhitespaceLength(document);
  for (const InlinePolicy& p : existing) {
    if (p.name != name) total += internal::NonWhitespaceLength(p.document);
  }
  const int limit = InlineSizeLimit(kind);
  if (total > static_cast<size_t>(limit)) {
    return errors::InlinePolicySizeExceeded(limit, EntityKindName(kind),
                                            Str(call.input, EntityInputName(kind)));
  }
  GEE_RETURN_IF_ERROR(s.PutInline(kind, id, name, document));
  return Json::object();
}

Result<Json> IamService::GetInline(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  const std::string name = Str(call.input, "PolicyName");
  GEE_ASSIGN_OR_RETURN(auto document, store().GetInline(kind, id, name));
  if (!document) return errors::NoSuchInlinePolicy(EntityKindName(kind), name);
  const std::string entity_key(EntityInputName(kind));
  return Json{{entity_key, Str(call.input, entity_key)},
              {"PolicyName", name},
              {"PolicyDocument", internal::UrlEncodeDocument(*document)}};
}

Result<Json> IamService::ListInline(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  GEE_ASSIGN_OR_RETURN(auto policies, store().ListInline(kind, id));
  std::vector<Json> names;
  for (const InlinePolicy& p : policies) names.push_back(p.name);
  Json out = Json::object();
  GEE_RETURN_IF_ERROR(internal::Paginate(call.input, std::move(names), "PolicyNames", &out));
  return out;
}

Result<Json> IamService::DeleteInline(Call& call, EntityKind kind) {
  GEE_ASSIGN_OR_RETURN(std::string id, EntityId(call, kind));
  const std::string name = Str(call.input, "PolicyName");
  GEE_ASSIGN_OR_RETURN(bool removed, store().DeleteInline(kind, id, name));
  if (!removed) return errors::NoSuchInlinePolicy(EntityKindName(kind), name);
  return Json::object();
}

Result<Json> IamService::PutUserPolicy(Call& call) { return PutInline(call, EntityKind::kUser); }
Result<Json> IamService::GetUserPolicy(Call& call) { return GetInline(call, EntityKind::kUser); }
Result<Json> IamService::ListUserPolicies(Call& call) { return ListInline(call, EntityKind::kUser); }
Result<Json> IamService::DeleteUserPolicy(Call& call) { return DeleteInline(call, EntityKind::kUser); }
Result<Json> IamService::PutGroupPolicy(Call& call) { return PutInline(call, EntityKind::kGroup); }
Result<Json> IamService::GetGroupPolicy(Call& call) { return GetInline(call, EntityKind::kGroup); }
Result<Json> IamService::ListGroupPolicies(Call& call) { return ListInline(call, EntityKind::kGroup); }
Result<Json> IamService::DeleteGroupPolicy(Call& call) {
  return DeleteInline(call, EntityKind::kGroup);
}
Result<Json> IamService::PutRolePolicy(Call& call) { return PutInline(call, EntityKind::kRole); }
Result<Json> IamService::GetRolePolicy(Call& call) { return GetInline(call, EntityKind::kRole); }
Result<Json> IamService::ListRolePolicies(Call& call) { return ListInline(call, EntityKind::kRole); }
Result<Json> IamService::DeleteRolePolicy(Call& call) { return DeleteInline(call, EntityKind::kRole); }

}  // namespace gee::iam

// IamStore: SQLite persistence of the IAM entities of the emulated account
// (component "iam", store/migrations.h): users, groups and membership, roles,
// customer managed policies and their versions, attachments, inline
// policies, permissions boundaries, access keys and tags.
//
// Schema, version 1 (IamMigrations()). Timestamps are INTEGER microseconds
// since the Unix epoch (columns ending in _us). Entity names are unique
// case-insensitively (IAM refuses "Admin" when "admin" exists, and finds
// either spelling), hence COLLATE NOCASE; the spelling given at creation is
// kept. Listing order is creation order (rowid) unless noted.
//
//   iam_users            user_id TEXT PK ("AIDA..."), name UNIQUE NOCASE,
//                        path, create_date_us, boundary_arn NULL
//   iam_groups           group_id PK ("AGPA..."), name UNIQUE NOCASE, path,
//                        create_date_us
//   iam_group_members    group_id FK CASCADE, user_id FK CASCADE;
//                        PK (group_id, user_id)
//   iam_roles            role_id PK ("AROA..."), name UNIQUE NOCASE, path,
//                        create_date_us, trust_policy TEXT (as sent),
//                        description NULL, max_session_duration (seconds),
//                        boundary_arn NULL, last_used_us NULL,
//                        last_used_region NULL
//   iam_policies         policy_id PK ("ANPA..."), name UNIQUE NOCASE, path,
//                        arn UNIQUE, description NULL, default_version
//                        ("v1"...), next_version (never reused), create_date_us,
//                        update_date_us
//   iam_policy_versions  policy_id FK CASCADE, version_id, document TEXT (as
//                        sent), create_date_us; PK (policy_id, version_id)
//   iam_attachments      entity_kind ("user"|"group"|"role"), entity_id,
//                        policy_arn; PK (entity_kind, entity_id, policy_arn)
//   iam_inline_policies  entity_kind, entity_id, name, document TEXT (as
//                        sent); PK (entity_kind, entity_id, name)
//   iam_access_keys      access_key_id PK ("AKIA..."), user_id FK CASCADE,
//                        status ("Active"|"Inactive"), create_date_us,
//                        sealed_secret BLOB, last_used_us NULL,
//                        last_used_service NULL, last_used_region NULL
//   iam_tags             resource_kind ("user"|"role"|"policy"), resource_id,
//                        tag_key NOCASE, tag_value; PK (resource_kind,
//                        resource_id, tag_key)
//
// Secret access keys are stored only sealed under the root key
// (store::RootKeyring) with the label SecretLabel("iam-secret", {AKID}),
// e.g. "iam-secret:AKIAEXAMPLE", so a sealed secret moved to another key's
// row does not open.
//
// "Not found" is not an error here: Find* return nullopt and Delete* return
// false, so the service builds IAM's own NoSuchEntity texts. SQLite failures
// are InternalFailure (store/database.h).
//
// Thread-safety: as store::Database: one thread at a time, holding the
// environment's store mutex. IamStore itself is a stateless view over the
// Database; construct one wherever needed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gee::iam {

std::vector<store::MigrationStep> IamMigrations();

// What an attachment, inline policy or tag belongs to.
enum class EntityKind { kUser, kGroup, kRole, kPolicy };
std::string_view EntityKindName(EntityKind kind);  // "user", "group", "role", "policy"

struct Tag {
  std::string key;
  std::string value;
};

struct UserRecord {
  std::string id;
  std::string name;
  std::string path;
  int64_t create_date_us = 0;
  std::string boundary_arn;  // empty: none
};

struct GroupRecord {
  std::string id;
  std::string name;
  std::string path;
  int64_t create_date_us = 0;
};

struct RoleRecord {
  std::string id;
  std::string name;
  std::string path;
  int64_t create_date_us = 0;
  std::string trust_policy;
  std::optional<std::string> description;
  int max_session_duration = 3600;
  std::string boundary_arn;
  int64_t last_used_us = 0;  // 0: never used
  std::string last_used_region;
};

struct PolicyRecord {
  std::string id;
  std::string name;
  std::string path;
  std::string arn;
  std::optional<std::string> description;
  std::string default_version;
  int next_version = 2;
  int64_t create_date_us = 0;
  int64_t update_date_us = 0;
};

struct PolicyVersionRecord {
  std::string version_id;
  std::string document;
  int64_t create_date_us = 0;
};

struct AccessKeyRecord {
  std::string access_key_id;
  std::string user_id;
  std::string status;  // "Active" | "Inactive"
  int64_t create_date_us = 0;
  std::string sealed_secret;
  int64_t last_used_us = 0;
  std::string last_used_service;
  std::string last_used_region;
};

struct InlinePolicy {
  std::string name;
  std::string document;
};

class IamStore {
 public:
  explicit IamStore(store::Database& db) : db_(db) {}

  // ---- users ----
  Status InsertUser(const UserRecord& user);
  Result<std::optional<UserRecord>> FindUser(std::string_view name);
  Result<std::optional<UserRecord>> FindUserById(std::string_view user_id);
  // Sorted by name (case-insensitive), filtered by path prefix.
  Result<std::vector<UserRecord>> ListUsers(std::string_view path_prefix);
  Status SetUserBoundary(std::string_view user_id, std::string_view boundary_arn);
  Status DeleteUser(std::string_view user_id);

  // ---- groups ----
  Status InsertGroup(const GroupRecord& group);
  Result<std::optional<GroupRecord>> FindGroup(std::string_view name);
  Result<std::vector<GroupRecord>> ListGroups(std::string_view path_prefix);
  Status DeleteGroup(std::string_view group_id);
  // Returns false when the user already was a member.
  Result<bool> AddMember(std::string_view group_id, std::string_view user_id);
  // Returns false when the user was not a member.
  Result<bool> RemoveMember(std::string_view group_id, std::string_view user_id);
  Result<std::vector<GroupRecord>> GroupsForUser(std::string_view user_id);
  Result<std::vector<UserRecord>> UsersInGroup(std::string_view group_id);

  // ---- roles ----
  Status InsertRole(const RoleRecord& role);
  Result<std::optional<RoleRecord>> FindRole(std::string_view name);
  Result<std::optional<RoleRecord>> FindRoleById(std::string_view role_id);
  Result<std::vector<RoleRecord>> ListRoles(std::string_view path_prefix);
  Status UpdateRole(const RoleRecord& role);  // description, max duration, trust policy, boundary
  Status DeleteRole(std::string_view role_id);

  // ---- managed policies ----
  // Inserts the policy and its version v1 (the default).
  Status InsertPolicy(const PolicyRecord& policy, const std::string& document);
  Result<std::optional<PolicyRecord>> FindPolicyByArn(std::string_view arn);
  Result<std::optional<PolicyRecord>> FindPolicyByName(std::string_view name);
  Result<std::vector<PolicyRecord>> ListPolicies(std::string_view path_prefix);
  Status UpdatePolicy(const PolicyRecord& policy);  // default_version, next_version, update date
  Status DeletePolicy(std::string_view policy_id);
  Status InsertVersion(std::string_view policy_id, const PolicyVersionRecord& version);
  Result<std::optional<PolicyVersionRecord>> FindVersion(std::string_view policy_id,
                                                         std::string_view version_id);
  // Newest first (AWS lists versions in descending order).
  Result<std::vector<PolicyVersionRecord>> ListVersions(std::string_view policy_id);
  Status DeleteVersion(std::string_view policy_id, std::string_view version_id);
  // The default version's document of the policy with `arn`, if any.
  Result<std::optional<std::string>> DefaultDocument(std::string_view arn);

  // ---- attachments ----
  // Returns false when already attached.
  Result<bool> Attach(EntityKind kind, std::string_view entity_id, std::string_view policy_arn);
  // Returns false when not attached.
  Result<bool> Detach(EntityKind kind, std::string_view entity_id, std::string_view policy_arn);
  Result<std::vector<std::string>> AttachedPolicies(EntityKind kind, std::string_view entity_id);
  Result<int> AttachmentCount(std::string_view policy_arn);
  Result<int> BoundaryUsageCount(std::string_view policy_arn);
  // (kind, entity_id) pairs the policy is attached to.
  Result<std::vector<std::pair<EntityKind, std::string>>> AttachmentsOf(std::string_view policy_arn);

  // ---- inline policies ----
  Status PutInline(EntityKind kind, std::string_view entity_id, std::string_view name,
                   std::string_view document);
  Result<std::optional<std::string>> GetInline(EntityKind kind, std::string_view entity_id,
                                               std::string_view name);
  // Sorted by name.
  Result<std::vector<InlinePolicy>> ListInline(EntityKind kind, std::string_view entity_id);
  Result<bool> DeleteInline(EntityKind kind, std::string_view entity_id, std::string_view name);

  // ---- access keys ----
  Status InsertAccessKey(const AccessKeyRecord& key);
  Result<std::optional<AccessKeyRecord>> FindAccessKey(std::string_view access_key_id);
  Result<std::vector<AccessKeyRecord>> ListAccessKeys(std::string_view user_id);
  Status SetAccessKeyStatus(std::string_view access_key_id, std::string_view status);
  Status SetAccessKeyLastUsed(std::string_view access_key_id, int64_t when_us,
                              std::string_view service, std::string_view region);
  Result<bool> DeleteAccessKey(std::string_view access_key_id);

  // ---- tags ----
  // Sets (adds or replaces) each tag.
  Status PutTags(EntityKind kind, std::string_view resource_id, const std::vector<Tag>& tags);
  Status RemoveTags(EntityKind kind, std::string_view resource_id,
                    const std::vector<std::string>& keys);
  Result<std::vector<Tag>> ListTags(EntityKind kind, std::string_view resource_id);
  // Removes every tag, inline policy and attachment row of an entity.
  Status DeleteEntityRows(EntityKind kind, std::string_view entity_id);

 private:
  store::Database& db_;
};

}  // namespace gee::iam

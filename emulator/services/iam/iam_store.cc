#include "services/iam/iam_store.h"

#include <algorithm>
#include <utility>

namespace gee::iam {
namespace {

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE iam_users(
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  path TEXT NOT NULL,
  create_date_us INTEGER NOT NULL,
  boundary_arn TEXT);
CREATE TABLE iam_groups(
  group_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  path TEXT NOT NULL,
  create_date_us INTEGER NOT NULL);
CREATE TABLE iam_group_members(
  group_id TEXT NOT NULL REFERENCES iam_groups(group_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES iam_users(user_id) ON DELETE CASCADE,
  PRIMARY KEY(group_id, user_id));
CREATE INDEX iam_group_members_by_user ON iam_group_members(user_id);
CREATE TABLE iam_roles(
  role_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  path TEXT NOT NULL,
  create_date_us INTEGER NOT NULL,
  trust_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL,
  boundary_arn TEXT,
  last_used_us INTEGER,
  last_used_region TEXT);
CREATE TABLE iam_policies(
  policy_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  path TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  description TEXT,
  default_version TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  create_date_us INTEGER NOT NULL,
  update_date_us INTEGER NOT NULL);
CREATE TABLE iam_policy_versions(
  policy_id TEXT NOT NULL REFERENCES iam_policies(policy_id) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  create_date_us INTEGER NOT NULL,
  PRIMARY KEY(policy_id, version_id));
CREATE TABLE iam_attachments(
  entity_kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  policy_arn TEXT NOT NULL,
  PRIMARY KEY(entity_kind, entity_id, policy_arn));
CREATE INDEX iam_attachments_by_policy ON iam_attachments(policy_arn);
CREATE TABLE iam_inline_policies(
  entity_kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY(entity_kind, entity_id, name));
CREATE TABLE iam_access_keys(
  access_key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES iam_users(user_id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  create_date_us INTEGER NOT NULL,
  sealed_secret BLOB NOT NULL,
  last_used_us INTEGER,
  last_used_service TEXT,
  last_used_region TEXT);
CREATE INDEX iam_access_keys_by_user ON iam_access_keys(user_id);
CREATE TABLE iam_tags(
  resource_kind TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  tag_key TEXT NOT NULL COLLATE NOCASE,
  tag_value TEXT NOT NULL,
  PRIMARY KEY(resource_kind, resource_id, tag_key));
)sql";

// SQL LIKE escape of a path prefix, matched with ESCAPE '\'.
std::string LikePrefix(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string OptText(const store::Statement& s, int col) {
  return s.ColumnIsNull(col) ? std::string() : s.ColumnText(col);
}

Status BindOptText(store::Statement& s, int index, std::string_view v) {
  return v.empty() ? s.BindNull(index) : s.BindText(index, v);
}

constexpr char kUserColumns[] = "user_id, name, path, create_date_us, boundary_arn";
UserRecord ReadUser(const store::Statement& s) {
  UserRecord u;
  u.id = s.ColumnText(0);
  u.name = s.ColumnText(1);
  u.path = s.ColumnText(2);
  u.create_date_us = s.ColumnInt64(3);
  u.boundary_arn = OptText(s, 4);
  return u;
}

constexpr char kGroupColumns[] = "group_id, name, path, create_date_us";
GroupRecord ReadGroup(const store::Statement& s) {
  GroupRecord g;
  g.id = s.ColumnText(0);
  g.name = s.ColumnText(1);
  g.path = s.ColumnText(2);
  g.create_date_us = s.ColumnInt64(3);
  return g;
}

constexpr char kRoleColumns[] =
    "role_id, name, path, create_date_us, trust_policy, description, max_session_duration, "
    "boundary_arn, last_used_us, last_used_region";
RoleRecord ReadRole(const store::Statement& s) {
  RoleRecord r;
  r.id = s.ColumnText(0);
  r.name = s.ColumnText(1);
  r.path = s.ColumnText(2);
  r.create_date_us = s.ColumnInt64(3);
  r.trust_policy = s.ColumnText(4);
  if (!s.ColumnIsNull(5)) r.description = s.ColumnText(5);
  r.max_session_duration = static_cast<int>(s.ColumnInt64(6));
  r.boundary_arn = OptText(s, 7);
  r.last_used_us = s.ColumnIsNull(8) ? 0 : s.ColumnInt64(8);
  r.last_used_region = OptText(s, 9);
  return r;
}

constexpr char kPolicyColumns[] =
    "policy_id, name, path, arn, description, default_version, next_version, create_date_us, "
    "update_date_us";
PolicyRecord ReadPolicy(const store::Statement& s) {
  PolicyRecord p;
  p.id = s.ColumnText(0);
  p.name = s.ColumnText(1);
  p.path = s.ColumnText(2);
  p.arn = s.ColumnText(3);
  if (!s.ColumnIsNull(4)) p.description = s.ColumnText(4);
  p.default_version = s.ColumnText(5);
  p.next_version = static_cast<int>(s.ColumnInt64(6));
  p.create_date_us = s.ColumnInt64(7);
  p.update_date_us = s.ColumnInt64(8);
  return p;
}

constexpr char kKeyColumns[] =
    "access_key_id, user_id, status, create_date_us, sealed_secret, last_used_us, "
    "last_used_service, last_used_region";
AccessKeyRecord ReadKey(const store::Statement& s) {
  AccessKeyRecord k;
  k.access_key_id = s.ColumnText(0);
  k.user_id = s.ColumnText(1);
  k.status = s.ColumnText(2);
  k.create_date_us = s.ColumnInt64(3);
  k.sealed_secret = s.ColumnBlob(4);
  k.last_used_us = s.ColumnIsNull(5) ? 0 : s.ColumnInt64(5);
  k.last_used_service = OptText(s, 6);
  k.last_used_region = OptText(s, 7);
  return k;
}

// Runs a prepared SELECT with text parameters, collecting rows with `read`.
template <typename T, typename Reader>
Result<std::vector<T>> Collect(store::Database& db, const std::string& sql,
                               std::initializer_list<std::string_view> params, Reader read) {
  GEE_ASSIGN_OR_RETURN(store::Statement s, db.Prepare(sql));
  int i = 1;
  for (std::string_view p : params) GEE_RETURN_IF_ERROR(s.BindText(i++, p));
  std::vector<T> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

template <typename T, typename Reader>
Result<std::optional<T>> One(store::Database& db, const std::string& sql,
                             std::initializer_list<std::string_view> params, Reader read) {
  GEE_ASSIGN_OR_RETURN(std::vector<T> rows, Collect<T>(db, sql, params, read));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

Status Exec(store::Database& db, const std::string& sql,
            std::initializer_list<std::string_view> params) {
  GEE_ASSIGN_OR_RETURN(store::Statement s, db.Prepare(sql));
  int i = 1;
  for (std::string_view p : params) GEE_RETURN_IF_ERROR(s.BindText(i++, p));
  return s.Run();
}

template <typename T>
void SortByName(std::vector<T>& v) {
  auto lower = [](const std::string& s) {
    std::string out = s;
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::stable_sort(v.begin(), v.end(),
                   [&](const T& a, const T& b) { return lower(a.name) < lower(b.name); });
}

}  // namespace

std::vector<store::MigrationStep> IamMigrations() { return {{"iam", 1, kSchemaV1}}; }

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kUser:
      return "user";
    case EntityKind::kGroup:
      return "group";
    case EntityKind::kRole:
      return "role";
    case EntityKind::kPolicy:
      return "policy";
  }
  return "?";
}

// ---- users ----

Status IamStore::InsertUser(const UserRecord& u) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("INSERT INTO iam_users(user_id, name, path, create_date_us, "
                                   "boundary_arn) VALUES(?, ?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, u.id));
  GEE_RETURN_IF_ERROR(s.BindText(2, u.name));
  GEE_RETURN_IF_ERROR(s.BindText(3, u.path));
  GEE_RETURN_IF_ERROR(s.BindInt64(4, u.create_date_us));
  GEE_RETURN_IF_ERROR(BindOptText(s, 5, u.boundary_arn));
  return s.Run();
}

Result<std::optional<UserRecord>> IamStore::FindUser(std::string_view name) {
  return One<UserRecord>(db_, std::string("SELECT ") + kUserColumns + " FROM iam_users WHERE name = ?",
                         {name}, ReadUser);
}

Result<std::optional<UserRecord>> IamStore::FindUserById(std::string_view user_id) {
  return One<UserRecord>(db_,
                         std::string("SELECT ") + kUserColumns + " FROM iam_users WHERE user_id = ?",
                         {user_id}, ReadUser);
}

Result<std::vector<UserRecord>> IamStore::ListUsers(std::string_view path_prefix) {
  GEE_ASSIGN_OR_RETURN(auto users,
                       Collect<UserRecord>(db_,
                                           std::string("SELECT ") + kUserColumns +
                                               " FROM iam_users WHERE path LIKE ? ESCAPE '\\'",
                                           {LikePrefix(path_prefix)}, ReadUser));
  // LIKE is case-insensitive for ASCII; paths are case-sensitive.
  std::erase_if(users, [&](const UserRecord& u) { return !HasPrefix(u.path, path_prefix); });
  SortByName(users);
  return users;
}

Status IamStore::SetUserBoundary(std::string_view user_id, std::string_view boundary_arn) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("UPDATE iam_users SET boundary_arn = ? WHERE user_id = ?"));
  GEE_RETURN_IF_ERROR(BindOptText(s, 1, boundary_arn));
  GEE_RETURN_IF_ERROR(s.BindText(2, user_id));
  return s.Run();
}

Status IamStore::DeleteUser(std::string_view user_id) {
  GEE_RETURN_IF_ERROR(DeleteEntityRows(EntityKind::kUser, user_id));
  return Exec(db_, "DELETE FROM iam_users WHERE user_id = ?", {user_id});
}

// ---- groups ----

Status IamStore::InsertGroup(const GroupRecord& g) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("INSERT INTO iam_groups(group_id, name, path, create_date_us) "
                                   "VALUES(?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, g.id));
  GEE_RETURN_IF_ERROR(s.BindText(2, g.name));
  GEE_RETURN_IF_ERROR(s.BindText(3, g.path));
  GEE_RETURN_IF_ERROR(s.BindInt64(4, g.create_date_us));
  return s.Run();
}

Result<std::optional<GroupRecord>> IamStore::FindGroup(std::string_view name) {
  return One<GroupRecord>(
      db_, std::string("SELECT ") + kGroupColumns + " FROM iam_groups WHERE name = ?", {name},
      ReadGroup);
}

Result<std::vector<GroupRecord>> IamStore::ListGroups(std::string_view path_prefix) {
  GEE_ASSIGN_OR_RETURN(auto groups,
                       Collect<GroupRecord>(db_,
                                            std::string("SELECT ") + kGroupColumns +
                                                " FROM iam_groups WHERE path LIKE ? ESCAPE '\\'",
                                            {LikePrefix(path_prefix)}, ReadGroup));
  std::erase_if(groups, [&](const GroupRecord& g) { return !HasPrefix(g.path, path_prefix); });
  SortByName(groups);
  return groups;
}

Status IamStore::DeleteGroup(std::string_view group_id) {
  GEE_RETURN_IF_ERROR(DeleteEntityRows(EntityKind::kGroup, group_id));
  return Exec(db_, "DELETE FROM iam_groups WHERE group_id = ?", {group_id});
}

Result<bool> IamStore::AddMember(std::string_view group_id, std::string_view user_id) {
  GEE_RETURN_IF_ERROR(Exec(db_,
                           "INSERT OR IGNORE INTO iam_group_members(group_id, user_id) "
                           "VALUES(?, ?)",
                           {group_id, user_id}));
  return db_.Changes() > 0;
}

Result<bool> IamStore::RemoveMember(std::string_view group_id, std::string_view user_id) {
  GEE_RETURN_IF_ERROR(Exec(db_, "DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?",
                           {group_id, user_id}));
  return db_.Changes() > 0;
}

Result<std::vector<GroupRecord>> IamStore::GroupsForUser(std::string_view user_id) {
  return Collect<GroupRecord>(
      db_,
      "SELECT g.group_id, g.name, g.path, g.create_date_us FROM iam_group_members m "
      "JOIN iam_groups g ON g.group_id = m.group_id WHERE m.user_id = ? ORDER BY m.rowid",
      {user_id}, ReadGroup);
}

Result<std::vector<UserRecord>> IamStore::UsersInGroup(std::string_view group_id) {
  return Collect<UserRecord>(
      db_,
      "SELECT u.user_id, u.name, u.path, u.create_date_us, u.boundary_arn FROM "
      "iam_group_members m JOIN iam_users u ON u.user_id = m.user_id WHERE m.group_id = ? "
      "ORDER BY m.rowid",
      {group_id}, ReadUser);
}

// ---- roles ----

Status IamStore::InsertRole(const RoleRecord& r) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement s,
      db_.Prepare("INSERT INTO iam_roles(role_id, name, path, create_date_us, trust_policy, "
                  "description, max_session_duration, boundary_arn) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, r.id));
  GEE_RETURN_IF_ERROR(s.BindText(2, r.name));
  GEE_RETURN_IF_ERROR(s.BindText(3, r.path));
  GEE_RETURN_IF_ERROR(s.BindInt64(4, r.create_date_us));
  GEE_RETURN_IF_ERROR(s.BindText(5, r.trust_policy));
  GEE_RETURN_IF_ERROR(r.description ? s.BindText(6, *r.description) : s.BindNull(6));
  GEE_RETURN_IF_ERROR(s.BindInt64(7, r.max_session_duration));
  GEE_RETURN_IF_ERROR(BindOptText(s, 8, r.boundary_arn));
  return s.Run();
}

Result<std::optional<RoleRecord>> IamStore::FindRole(std::string_view name) {
  return One<RoleRecord>(db_, std::string("SELECT ") + kRoleColumns + " FROM iam_roles WHERE name = ?",
                         {name}, ReadRole);
}

Result<std::optional<RoleRecord>> IamStore::FindRoleById(std::string_view role_id) {
  return One<RoleRecord>(db_,
                         std::string("SELECT ") + kRoleColumns + " FROM iam_roles WHERE role_id = ?",
                         {role_id}, ReadRole);
}

Result<std::vector<RoleRecord>> IamStore::ListRoles(std::string_view path_prefix) {
  GEE_ASSIGN_OR_RETURN(auto roles,
                       Collect<RoleRecord>(db_,
                                           std::string("SELECT ") + kRoleColumns +
                                               " FROM iam_roles WHERE path LIKE ? ESCAPE '\\'",
                                           {LikePrefix(path_prefix)}, ReadRole));
  std::erase_if(roles, [&](const RoleRecord& r) { return !HasPrefix(r.path, path_prefix); });
  SortByName(roles);
  return roles;
}

Status IamStore::UpdateRole(const RoleRecord& r) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement s,
      db_.Prepare("UPDATE iam_roles SET trust_policy = ?, description = ?, "
                  "max_session_duration = ?, boundary_arn = ?, last_used_us = ?, "
                  "last_used_region = ? WHERE role_id = ?"));
  GEE_RETURN_IF_ERROR(s.BindText(1, r.trust_policy));
  GEE_RETURN_IF_ERROR(r.description ? s.BindText(2, *r.description) : s.BindNull(2));
  GEE_RETURN_IF_ERROR(s.BindInt64(3, r.max_session_duration));
  GEE_RETURN_IF_ERROR(BindOptText(s, 4, r.boundary_arn));
  GEE_RETURN_IF_ERROR(r.last_used_us > 0 ? s.BindInt64(5, r.last_used_us) : s.BindNull(5));
  GEE_RETURN_IF_ERROR(BindOptText(s, 6, r.last_used_region));
  GEE_RETURN_IF_ERROR(s.BindText(7, r.id));
  return s.Run();
}

Status IamStore::DeleteRole(std::string_view role_id) {
  GEE_RETURN_IF_ERROR(DeleteEntityRows(EntityKind::kRole, role_id));
  return Exec(db_, "DELETE FROM iam_roles WHERE role_id = ?", {role_id});
}

// ---- managed policies ----

Status IamStore::InsertPolicy(const PolicyRecord& p, const std::string& document) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement s,
      db_.Prepare("INSERT INTO iam_policies(policy_id, name, path, arn, description, "
                  "default_version, next_version, create_date_us, update_date_us) "
                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, p.id));
  GEE_RETURN_IF_ERROR(s.BindText(2, p.name));
  GEE_RETURN_IF_ERROR(s.BindText(3, p.path));
  GEE_RETURN_IF_ERROR(s.BindText(4, p.arn));
  GEE_RETURN_IF_ERROR(p.description ? s.BindText(5, *p.description) : s.BindNull(5));
  GEE_RETURN_IF_ERROR(s.BindText(6, p.default_version));
  GEE_RETURN_IF_ERROR(s.BindInt64(7, p.next_version));
  GEE_RETURN_IF_ERROR(s.BindInt64(8, p.create_date_us));
  GEE_RETURN_IF_ERROR(s.BindInt64(9, p.update_date_us));
  GEE_RETURN_IF_ERROR(s.Run());
  return InsertVersion(p.id, {p.default_version, document, p.create_date_us});
}

Result<std::optional<PolicyRecord>> IamStore::FindPolicyByArn(std::string_view arn) {
  return One<PolicyRecord>(
      db_, std::string("SELECT ") + kPolicyColumns + " FROM iam_policies WHERE arn = ?", {arn},
      ReadPolicy);
}

Result<std::optional<PolicyRecord>> IamStore::FindPolicyByName(std::string_view name) {
  return One<PolicyRecord>(
      db_, std::string("SELECT ") + kPolicyColumns + " FROM iam_policies WHERE name = ?", {name},
      ReadPolicy);
}

Result<std::vector<PolicyRecord>> IamStore::ListPolicies(std::string_view path_prefix) {
  GEE_ASSIGN_OR_RETURN(auto policies,
                       Collect<PolicyRecord>(db_,
                                             std::string("SELECT ") + kPolicyColumns +
                                                 " FROM iam_policies WHERE path LIKE ? ESCAPE '\\'",
                                             {LikePrefix(path_prefix)}, ReadPolicy));
  std::erase_if(policies, [&](const PolicyRecord& p) { return !HasPrefix(p.path, path_prefix); });
  SortByName(policies);
  return policies;
}

Status IamStore::UpdatePolicy(const PolicyRecord& p) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("UPDATE iam_policies SET default_version = ?, next_version = ?, "
                                   "update_date_us = ? WHERE policy_id = ?"));
  GEE_RETURN_IF_ERROR(s.BindText(1, p.default_version));
  GEE_RETURN_IF_ERROR(s.BindInt64(2, p.next_version));
  GEE_RETURN_IF_ERROR(s.BindInt64(3, p.update_date_us));
  GEE_RETURN_IF_ERROR(s.BindText(4, p.id));
  return s.Run();
}

Status IamStore::DeletePolicy(std::string_view policy_id) {
  GEE_RETURN_IF_ERROR(DeleteEntityRows(EntityKind::kPolicy, policy_id));
  return Exec(db_, "DELETE FROM iam_policies WHERE policy_id = ?", {policy_id});
}

Status IamStore::InsertVersion(std::string_view policy_id, const PolicyVersionRecord& v) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("INSERT INTO iam_policy_versions(policy_id, version_id, "
                                   "document, create_date_us) VALUES(?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, policy_id));
  GEE_RETURN_IF_ERROR(s.BindText(2, v.version_id));
  GEE_RETURN_IF_ERROR(s.BindText(3, v.document));
  GEE_RETURN_IF_ERROR(s.BindInt64(4, v.create_date_us));
  return s.Run();
}

namespace {
PolicyVersionRecord ReadVersion(const store::Statement& s) {
  return {s.ColumnText(0), s.ColumnText(1), s.ColumnInt64(2)};
}
}  // namespace

Result<std::optional<PolicyVersionRecord>> IamStore::FindVersion(std::string_view policy_id,
                                                                 std::string_view version_id) {
  return One<PolicyVersionRecord>(db_,
                                  "SELECT version_id, document, create_date_us FROM "
                                  "iam_policy_versions WHERE policy_id = ? AND version_id = ?",
                                  {policy_id, version_id}, ReadVersion);
}

Result<std::vector<PolicyVersionRecord>> IamStore::ListVersions(std::string_view policy_id) {
  return Collect<PolicyVersionRecord>(db_,
                                      "SELECT version_id, document, create_date_us FROM "
                                      "iam_policy_versions WHERE policy_id = ? ORDER BY rowid DESC",
                                      {policy_id}, ReadVersion);
}

Status IamStore::DeleteVersion(std::string_view policy_id, std::string_view version_id) {
  return Exec(db_, "DELETE FROM iam_policy_versions WHERE policy_id = ? AND version_id = ?",
              {policy_id, version_id});
}

Result<std::optional<std::string>> IamStore::DefaultDocument(std::string_view arn) {
  return One<std::string>(db_,
                          "SELECT v.document FROM iam_policies p JOIN iam_policy_versions v ON "
                          "v.policy_id = p.policy_id AND v.version_id = p.default_version "
                          "WHERE p.arn = ?",
                          {arn}, [](const store::Statement& s) { return s.ColumnText(0); });
}

// ---- attachments ----

Result<bool> IamStore::Attach(EntityKind kind, std::string_view entity_id,
                              std::string_view policy_arn) {
  GEE_RETURN_IF_ERROR(Exec(db_,
                           "INSERT OR IGNORE INTO iam_attachments(entity_kind, entity_id, "
                           "policy_arn) VALUES(?, ?, ?)",
                           {EntityKindName(kind), entity_id, policy_arn}));
  return db_.Changes() > 0;
}

Result<bool> IamStore::Detach(EntityKind kind, std::string_view entity_id,
                              std::string_view policy_arn) {
  GEE_RETURN_IF_ERROR(Exec(db_,
                           "DELETE FROM iam_attachments WHERE entity_kind = ? AND entity_id = ? "
                           "AND policy_arn = ?",
                           {EntityKindName(kind), entity_id, policy_arn}));
  return db_.Changes() > 0;
}

Result<std::vector<std::string>> IamStore::AttachedPolicies(EntityKind kind,
                                                            std::string_view entity_id) {
  return Collect<std::string>(db_,
                              "SELECT policy_arn FROM iam_attachments WHERE entity_kind = ? AND "
                              "entity_id = ? ORDER BY rowid",
                              {EntityKindName(kind), entity_id},
                              [](const store::Statement& s) { return s.ColumnText(0); });
}

Result<int> IamStore::AttachmentCount(std::string_view policy_arn) {
  GEE_ASSIGN_OR_RETURN(auto n, One<int64_t>(db_,
                                            "SELECT COUNT(*) FROM iam_attachments WHERE policy_arn = ?",
                                            {policy_arn},
                                            [](const store::Statement& s) { return s.ColumnInt64(0); }));
  return static_cast<int>(n.value_or(0));
}

Result<int> IamStore::BoundaryUsageCount(std::string_view policy_arn) {
  GEE_ASSIGN_OR_RETURN(
      auto n, One<int64_t>(db_,
                           "SELECT (SELECT COUNT(*) FROM iam_users WHERE boundary_arn = ?1) + "
                           "(SELECT COUNT(*) FROM iam_roles WHERE boundary_arn = ?1)",
                           {policy_arn}, [](const store::Statement& s) { return s.ColumnInt64(0); }));
  return static_cast<int>(n.value_or(0));
}

Result<std::vector<std::pair<EntityKind, std::string>>> IamStore::AttachmentsOf(
    std::string_view policy_arn) {
  return Collect<std::pair<EntityKind, std::string>>(
      db_, "SELECT entity_kind, entity_id FROM iam_attachments WHERE policy_arn = ? ORDER BY rowid",
      {policy_arn}, [](const store::Statement& s) {
        std::string kind = s.ColumnText(0);
        EntityKind k = kind == "user" ? EntityKind::kUser
                       : kind == "group" ? EntityKind::kGroup
                                         : EntityKind::kRole;
        return std::make_pair(k, s.ColumnText(1));
      });
}

// ---- inline policies ----

Status IamStore::PutInline(EntityKind kind, std::string_view entity_id, std::string_view name,
                           std::string_view document) {
  return Exec(db_,
              "INSERT INTO iam_inline_policies(entity_kind, entity_id, name, document) "
              "VALUES(?, ?, ?, ?) ON CONFLICT(entity_kind, entity_id, name) DO UPDATE SET "
              "document = excluded.document",
              {EntityKindName(kind), entity_id, name, document});
}

Result<std::optional<std::string>> IamStore::GetInline(EntityKind kind, std::string_view entity_id,
                                                       std::string_view name) {
  return One<std::string>(db_,
                          "SELECT document FROM iam_inline_policies WHERE entity_kind = ? AND "
                          "entity_id = ? AND name = ?",
                          {EntityKindName(kind), entity_id, name},
                          [](const store::Statement& s) { return s.ColumnText(0); });
}

Result<std::vector<InlinePolicy>> IamStore::ListInline(EntityKind kind, std::string_view entity_id) {
  return Collect<InlinePolicy>(db_,
                               "SELECT name, document FROM iam_inline_policies WHERE entity_kind = "
                               "? AND entity_id = ? ORDER BY name",
                               {EntityKindName(kind), entity_id}, [](const store::Statement& s) {
                                 return InlinePolicy{s.ColumnText(0), s.ColumnText(1)};
                               });
}

Result<bool> IamStore::DeleteInline(EntityKind kind, std::string_view entity_id,
                                    std::string_view name) {
  GEE_RETURN_IF_ERROR(Exec(db_,
                           "DELETE FROM iam_inline_policies WHERE entity_kind = ? AND entity_id = "
                           "? AND name = ?",
                           {EntityKindName(kind), entity_id, name}));
  return db_.Changes() > 0;
}

// ---- access keys ----

Status IamStore::InsertAccessKey(const AccessKeyRecord& k) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("INSERT INTO iam_access_keys(access_key_id, user_id, status, "
                                   "create_date_us, sealed_secret) VALUES(?, ?, ?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, k.access_key_id));
  GEE_RETURN_IF_ERROR(s.BindText(2, k.user_id));
  GEE_RETURN_IF_ERROR(s.BindText(3, k.status));
  GEE_RETURN_IF_ERROR(s.BindInt64(4, k.create_date_us));
  GEE_RETURN_IF_ERROR(s.BindBlob(5, k.sealed_secret));
  return s.Run();
}

Result<std::optional<AccessKeyRecord>> IamStore::FindAccessKey(std::string_view access_key_id) {
  return One<AccessKeyRecord>(
      db_, std::string("SELECT ") + kKeyColumns + " FROM iam_access_keys WHERE access_key_id = ?",
      {access_key_id}, ReadKey);
}

Result<std::vector<AccessKeyRecord>> IamStore::ListAccessKeys(std::string_view user_id) {
  return Collect<AccessKeyRecord>(
      db_,
      std::string("SELECT ") + kKeyColumns + " FROM iam_access_keys WHERE user_id = ? ORDER BY rowid",
      {user_id}, ReadKey);
}

Status IamStore::SetAccessKeyStatus(std::string_view access_key_id, std::string_view status) {
  return Exec(db_, "UPDATE iam_access_keys SET status = ? WHERE access_key_id = ?",
              {status, access_key_id});
}

Status IamStore::SetAccessKeyLastUsed(std::string_view access_key_id, int64_t when_us,
                                      std::string_view service, std::string_view region) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("UPDATE iam_access_keys SET last_used_us = ?, "
                                   "last_used_service = ?, last_used_region = ? WHERE "
                                   "access_key_id = ?"));
  GEE_RETURN_IF_ERROR(s.BindInt64(1, when_us));
  GEE_RETURN_IF_ERROR(s.BindText(2, service));
  GEE_RETURN_IF_ERROR(s.BindText(3, region));
  GEE_RETURN_IF_ERROR(s.BindText(4, access_key_id));
  return s.Run();
}

Result<bool> IamStore::DeleteAccessKey(std::string_view access_key_id) {
  GEE_RETURN_IF_ERROR(Exec(db_, "DELETE FROM iam_access_keys WHERE access_key_id = ?",
                           {access_key_id}));
  return db_.Changes() > 0;
}

// ---- tags ----

Status IamStore::PutTags(EntityKind kind, std::string_view resource_id,
                         const std::vector<Tag>& tags) {
  for (const Tag& t : tags) {
    GEE_RETURN_IF_ERROR(Exec(db_,
                             "INSERT INTO iam_tags(resource_kind, resource_id, tag_key, tag_value) "
                             "VALUES(?, ?, ?, ?) ON CONFLICT(resource_kind, resource_id, tag_key) "
                             "DO UPDATE SET tag_key = excluded.tag_key, tag_value = excluded.tag_value",
                             {EntityKindName(kind), resource_id, t.key, t.value}));
  }
  return OkStatus();
}

Status IamStore::RemoveTags(EntityKind kind, std::string_view resource_id,
                            const std::vector<std::string>& keys) {
  for (const std::string& k : keys) {
    GEE_RETURN_IF_ERROR(Exec(db_,
                             "DELETE FROM iam_tags WHERE resource_kind = ? AND resource_id = ? AND "
                             "tag_key = ?",
                             {EntityKindName(kind), resource_id, k}));
  }
  return OkStatus();
}

Result<std::vector<Tag>> IamStore::ListTags(EntityKind kind, std::string_view resource_id) {
  return Collect<Tag>(db_,
                      "SELECT tag_key, tag_value FROM iam_tags WHERE resource_kind = ? AND "
                      "resource_id = ? ORDER BY rowid",
                      {EntityKindName(kind), resource_id}, [](const store::Statement& s) {
                        return Tag{s.ColumnText(0), s.ColumnText(1)};
                      });
}

Status IamStore::DeleteEntityRows(EntityKind kind, std::string_view entity_id) {
  const std::string_view k = EntityKindName(kind);
  GEE_RETURN_IF_ERROR(
      Exec(db_, "DELETE FROM iam_tags WHERE resource_kind = ? AND resource_id = ?", {k, entity_id}));
  GEE_RETURN_IF_ERROR(Exec(db_,
                           "DELETE FROM iam_inline_policies WHERE entity_kind = ? AND entity_id = ?",
                           {k, entity_id}));
  return Exec(db_, "DELETE FROM iam_attachments WHERE entity_kind = ? AND entity_id = ?",
              {k, entity_id});
}

}  // namespace gee::iam

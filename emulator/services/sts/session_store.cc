#include "services/sts/session_store.h"

#include <nlohmann/json.hpp>

namespace gee::sts {
namespace {

using Json = nlohmann::json;

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE sts_sessions(
  access_key_id TEXT PRIMARY KEY,
  sealed_secret BLOB NOT NULL,
  session_token TEXT NOT NULL,
  kind TEXT NOT NULL,
  account TEXT NOT NULL,
  role_id TEXT,
  role_name TEXT,
  role_arn TEXT,
  session_name TEXT,
  user_id TEXT,
  issued_us INTEGER NOT NULL,
  expiration_s INTEGER NOT NULL,
  session_policy TEXT,
  policy_arns TEXT NOT NULL,
  tags TEXT NOT NULL,
  transitive_tag_keys TEXT NOT NULL,
  source_identity TEXT,
  chained INTEGER NOT NULL);
CREATE INDEX sts_sessions_by_expiration ON sts_sessions(expiration_s);
)sql";

Status BindOpt(store::Statement& s, int i, const std::string& v) {
  return v.empty() ? s.BindNull(i) : s.BindText(i, v);
}

std::string Opt(const store::Statement& s, int col) {
  return s.ColumnIsNull(col) ? std::string() : s.ColumnText(col);
}

}  // namespace

std::vector<store::MigrationStep> StsMigrations() { return {{"sts", 1, kSchemaV1}}; }

Status SessionStore::Insert(const SessionRecord& r) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement s,
      db_.Prepare("INSERT INTO sts_sessions(access_key_id, sealed_secret, session_token, kind, "
                  "account, role_id, role_name, role_arn, session_name, user_id, issued_us, "
                  "expiration_s, session_policy, policy_arns, tags, transitive_tag_keys, "
                  "source_identity, chained) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?)"));
  GEE_RETURN_IF_ERROR(s.BindText(1, r.access_key_id));
  GEE_RETURN_IF_ERROR(s.BindBlob(2, r.sealed_secret));
  GEE_RETURN_IF_ERROR(s.BindText(3, r.session_token));
  GEE_RETURN_IF_ERROR(s.BindText(4, r.kind));
  GEE_RETURN_IF_ERROR(s.BindText(5, r.account));
  GEE_RETURN_IF_ERROR(BindOpt(s, 6, r.role_id));
  GEE_RETURN_IF_ERROR(BindOpt(s, 7, r.role_name));
  GEE_RETURN_IF_ERROR(BindOpt(s, 8, r.role_arn));
  GEE_RETURN_IF_ERROR(BindOpt(s, 9, r.session_name));
  GEE_RETURN_IF_ERROR(BindOpt(s, 10, r.user_id));
  GEE_RETURN_IF_ERROR(s.BindInt64(11, r.issued_us));
  GEE_RETURN_IF_ERROR(s.BindInt64(12, r.expiration_s));
  GEE_RETURN_IF_ERROR(BindOpt(s, 13, r.session_policy));
  GEE_RETURN_IF_ERROR(s.BindText(14, Json(r.policy_arns).dump()));
  GEE_RETURN_IF_ERROR(s.BindText(15, Json(r.tags).dump()));
  GEE_RETURN_IF_ERROR(s.BindText(16, Json(r.transitive_tag_keys).dump()));
  GEE_RETURN_IF_ERROR(BindOpt(s, 17, r.source_identity));
  GEE_RETURN_IF_ERROR(s.BindInt64(18, r.chained ? 1 : 0));
  return s.Run();
}

Result<std::optional<SessionRecord>> SessionStore::Find(std::string_view access_key_id) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement s,
      db_.Prepare("SELECT access_key_id, sealed_secret, session_token, kind, account, role_id, "
                  "role_name, role_arn, session_name, user_id, issued_us, expiration_s, "
                  "session_policy, policy_arns, tags, transitive_tag_keys, source_identity, "
                  "chained FROM sts_sessions WHERE access_key_id = ?"));
  GEE_RETURN_IF_ERROR(s.BindText(1, access_key_id));
  GEE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<SessionRecord>();
  SessionRecord r;
  r.access_key_id = s.ColumnText(0);
  r.sealed_secret = s.ColumnBlob(1);
  r.session_token = s.ColumnText(2);
  r.kind = s.ColumnText(3);
  r.account = s.ColumnText(4);
  r.role_id = Opt(s, 5);
  r.role_name = Opt(s, 6);
  r.role_arn = Opt(s, 7);
  r.session_name = Opt(s, 8);
  r.user_id = Opt(s, 9);
  r.issued_us = s.ColumnInt64(10);
  r.expiration_s = s.ColumnInt64(11);
  r.session_policy = Opt(s, 12);
  // The JSON columns are written only by Insert; a corrupt one reads as empty.
  Json arns = Json::parse(s.ColumnText(13), nullptr, false);
  if (arns.is_array()) {
    for (const Json& a : arns) {
      if (a.is_string()) r.policy_arns.push_back(a.get<std::string>());
    }
  }
  Json tags = Json::parse(s.ColumnText(14), nullptr, false);
  if (tags.is_object()) {
    for (auto it = tags.begin(); it != tags.end(); ++it) {
      if (it->is_string()) r.tags[it.key()] = it->get<std::string>();
    }
  }
  Json transitive = Json::parse(s.ColumnText(15), nullptr, false);
  if (transitive.is_array()) {
    for (const Json& k : transitive) {
      if (k.is_string()) r.transitive_tag_keys.push_back(k.get<std::string>());
    }
  }
  r.source_identity = Opt(s, 16);
  r.chained = s.ColumnInt64(17) != 0;
  return std::optional<SessionRecord>(std::move(r));
}

Status SessionStore::PurgeExpired(int64_t before_s) {
  GEE_ASSIGN_OR_RETURN(store::Statement s,
                       db_.Prepare("DELETE FROM sts_sessions WHERE expiration_s < ?"));
  GEE_RETURN_IF_ERROR(s.BindInt64(1, before_s));
  return s.Run();
}

}  // namespace gee::sts

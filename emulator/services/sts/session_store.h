// SessionStore: the temporary credentials STS issued (AssumeRole,
// GetSessionToken), with the principal each one authenticates as
// (component "sts", store/migrations.h).
//
// Schema, version 1 (StsMigrations()):
//
//   sts_sessions
//     access_key_id TEXT PK        "ASIA..." (20 chars)
//     sealed_secret BLOB           the secret access key, sealed under the root
//                                  key with label SecretLabel("sts-secret", {AKID})
//     session_token TEXT           the token clients send as x-amz-security-token
//     kind TEXT                    "assumed-role" | "session-token"
//     account TEXT                 the account of the principal
//     role_id, role_name, role_arn, session_name TEXT NULL   (assumed-role)
//     user_id TEXT NULL            session-token: the IAM user's id (NULL: root)
//     issued_us INTEGER            issue time, epoch microseconds
//     expiration_s INTEGER         expiry, epoch seconds
//     session_policy TEXT NULL     inline session policy, as sent
//     policy_arns TEXT             JSON array of managed session policy ARNs
//     tags TEXT                    JSON object of session tags
//     transitive_tag_keys TEXT     JSON array
//     source_identity TEXT NULL
//     chained INTEGER              1 when assumed with role-session credentials
//
// Rows are kept until a day after they expire (so expired credentials are
// answered ExpiredToken rather than "unknown"), then purged by
// PurgeExpired, which AssumeRole/GetSessionToken call.
//
// Thread-safety: as store::Database (hold the store mutex). Stateless view.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gee::sts {

std::vector<store::MigrationStep> StsMigrations();

struct SessionRecord {
  std::string access_key_id;
  std::string sealed_secret;
  std::string session_token;
  std::string kind;  // "assumed-role" | "session-token"
  std::string account;
  std::string role_id;
  std::string role_name;
  std::string role_arn;
  std::string session_name;
  std::string user_id;
  int64_t issued_us = 0;
  int64_t expiration_s = 0;
  std::string session_policy;
  std::vector<std::string> policy_arns;
  std::map<std::string, std::string> tags;
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  bool chained = false;
};

class SessionStore {
 public:
  explicit SessionStore(store::Database& db) : db_(db) {}

  Status Insert(const SessionRecord& session);
  Result<std::optional<SessionRecord>> Find(std::string_view access_key_id);
  // Deletes sessions that expired before `before_s` (epoch seconds).
  Status PurgeExpired(int64_t before_s);

 private:
  store::Database& db_;
};

}  // namespace gee::sts

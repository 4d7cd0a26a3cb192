// Create/Get/GetSecurityConfigurations/DeleteSecurityConfiguration (spec
// §5.4) and the typed lookup the job/crawler runtime uses.
#include <cctype>

#include "core/environment.h"
#include "services/glue/errors.h"
#include "services/glue/glue_service.h"
#include "store/database.h"

namespace gee::glue {

namespace {

// True for a KMS key ARN or alias ARN: arn:PARTITION:kms:REGION:ACCOUNT:key/ID
// or .../alias/NAME (KmsKeyArn's model pattern only checks the prefix).
bool IsKmsKeyOrAliasArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  std::string_view resource = arn.substr(start);
  if (parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 || parts[2] != "kms" ||
      parts[3].empty() || parts[4].size() != 12) {
    return false;
  }
  for (char c : parts[4]) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  for (std::string_view prefix : {std::string_view("key/"), std::string_view("alias/")}) {
    if (resource.size() > prefix.size() && resource.substr(0, prefix.size()) == prefix) {
      return true;
    }
  }
  return false;
}

// Validates one encryption member: `mode_member` must be present; a KMS mode
// (`kms_modes`) needs a key or alias ARN. Texts UNCONFIRMED.
Status CheckMode(const Json& settings, const char* structure, const char* mode_member,
                 std::initializer_list<std::string_view> kms_modes) {
  auto mode_it = settings.find(mode_member);
  if (mode_it == settings.end()) {
    return errors::InvalidInput(std::string(mode_member) + " is required in " + structure);
  }
  const std::string mode = mode_it->get<std::string>();
  const std::string key = settings.value("KmsKeyArn", "");
  bool kms_mode = false;
  for (std::string_view m : kms_modes) kms_mode = kms_mode || m == mode;
  if (kms_mode && key.empty()) {
    return errors::InvalidInput("KmsKeyArn is required when " + std::string(mode_member) +
                                " is " + mode);
  }
  if (!key.empty() && !IsKmsKeyOrAliasArn(key)) {
    return errors::InvalidInput("KmsKeyArn " + key +
                                " is not a valid KMS key ARN or alias ARN");
  }
  return OkStatus();
}

Result<Json> ValidatedConfiguration(const Json& input) {
  Json out = Json::object();
  if (auto it = input.find("S3Encryption"); it != input.end()) {
    if (it->size() > 1) {
      return errors::InvalidInput("S3Encryption accepts at most one S3 encryption setting");
    }
    for (const Json& s3 : *it) {
      GEE_RETURN_IF_ERROR(CheckMode(s3, "S3Encryption", "S3EncryptionMode", {"SSE-KMS"}));
    }
    out["S3Encryption"] = *it;
  }
  if (auto it = input.find("CloudWatchEncryption"); it != input.end()) {
    GEE_RETURN_IF_ERROR(
        CheckMode(*it, "CloudWatchEncryption", "CloudWatchEncryptionMode", {"SSE-KMS"}));
    out["CloudWatchEncryption"] = *it;
  }
  if (auto it = input.find("JobBookmarksEncryption"); it != input.end()) {
    GEE_RETURN_IF_ERROR(CheckMode(*it, "JobBookmarksEncryption", "JobBookmarksEncryptionMode",
                                  {"CSE-KMS"}));
    out["JobBookmarksEncryption"] = *it;
  }
  if (auto it = input.find("DataQualityEncryption"); it != input.end()) {
    GEE_RETURN_IF_ERROR(CheckMode(*it, "DataQualityEncryption", "DataQualityEncryptionMode",
                                  {"SSE-KMS"}));
    out["DataQualityEncryption"] = *it;
  }
  return out;
}

// The configuration as Get returns it: S3, CloudWatch and bookmark
// encryption default to DISABLED when they were not given (UNCONFIRMED).
Json OutputConfiguration(const Json& stored) {
  Json out = stored;
  if (!out.contains("S3Encryption")) {
    out["S3Encryption"] = Json::array({Json{{"S3EncryptionMode", "DISABLED"}}});
  }
  if (!out.contains("CloudWatchEncryption")) {
    out["CloudWatchEncryption"] = Json{{"CloudWatchEncryptionMode", "DISABLED"}};
  }
  if (!out.contains("JobBookmarksEncryption")) {
    out["JobBookmarksEncryption"] = Json{{"JobBookmarksEncryptionMode", "DISABLED"}};
  }
  return out;
}

struct StoredConfiguration {
  std::string name;
  int64_t created_micros = 0;
  Json configuration;
};

Result<std::optional<StoredConfiguration>> LoadConfiguration(store::Database& db,
                                                             const std::string& account,
                                                             const std::string& region,
                                                             std::string_view name) {
  GEE_ASSIGN_OR_RETURN(auto st, db.Prepare(
      "SELECT created_micros, configuration FROM glue_security_configurations"
      " WHERE account = ?1 AND region = ?2 AND name = ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  GEE_RETURN_IF_ERROR(st.BindText(2, region));
  GEE_RETURN_IF_ERROR(st.BindText(3, name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredConfiguration>();
  StoredConfiguration c;
  c.name = std::string(name);
  c.created_micros = st.ColumnInt64(0);
  c.configuration = Json::parse(st.ColumnText(1), nullptr, false);
  if (c.configuration.is_discarded()) {
    return AwsError("InternalFailure", "stored security configuration is unreadable", 500);
  }
  return std::optional<StoredConfiguration>(std::move(c));
}

double Seconds(int64_t micros) { return static_cast<double>(micros / 1000) / 1000.0; }

Json ConfigurationOutput(const StoredConfiguration& c) {
  return Json{{"Name", c.name},
              {"CreatedTimeStamp", Seconds(c.created_micros)},
              {"EncryptionConfiguration", OutputConfiguration(c.configuration)}};
}

}  // namespace

const SecurityConfiguration::S3& SecurityConfiguration::s3_encryption() const {
  static const S3 kDisabled;
  return s3.empty() ? kDisabled : s3.front();
}

Result<SecurityConfiguration> SecurityConfiguration::FromStored(std::string name,
                                                                int64_t created_micros,
                                                                const Json& configuration) {
  SecurityConfiguration c;
  c.name = std::move(name);
  c.created_micros = created_micros;
  if (auto it = configuration.find("S3Encryption"); it != configuration.end()) {
    for (const Json& s3 : *it) {
      c.s3.push_back(S3{s3.value("S3EncryptionMode", "DISABLED"), s3.value("KmsKeyArn", "")});
    }
  }
  const Json cw = configuration.value("CloudWatchEncryption", Json::object());
  c.cloudwatch = {cw.value("CloudWatchEncryptionMode", "DISABLED"), cw.value("KmsKeyArn", "")};
  const Json jb = configuration.value("JobBookmarksEncryption", Json::object());
  c.job_bookmarks = {jb.value("JobBookmarksEncryptionMode", "DISABLED"),
                     jb.value("KmsKeyArn", "")};
  const Json dq = configuration.value("DataQualityEncryption", Json::object());
  c.data_quality = {dq.value("DataQualityEncryptionMode", "DISABLED"), dq.value("KmsKeyArn", "")};
  return c;
}

Result<SecurityConfiguration> GlueService::FindSecurityConfiguration(const std::string& account,
                                                                     const std::string& region,
                                                                     std::string_view name) {
  GEE_ASSIGN_OR_RETURN(auto stored, LoadConfiguration(env().db(), account, region, name));
  if (!stored) return errors::SecurityConfigurationNotFound(name);
  return SecurityConfiguration::FromStored(stored->name, stored->created_micros,
                                           stored->configuration);
}

Result<Json> GlueService::CreateSecurityConfiguration(Call& call) {
  const std::string name = call.input.at("Name").get<std::string>();
  GEE_ASSIGN_OR_RETURN(Json configuration,
                       ValidatedConfiguration(call.input.at("EncryptionConfiguration")));
  GEE_ASSIGN_OR_RETURN(auto existing,
                       LoadConfiguration(env().db(), call.ctx.account, call.ctx.region, name));
  if (existing) {
    // UNCONFIRMED text.
    return errors::AlreadyExists("SecurityConfiguration " + name + " already exists");
  }
  const int64_t now = NowMicros();
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "INSERT INTO glue_security_configurations(account, region, name, created_micros,"
      " configuration) VALUES(?1, ?2, ?3, ?4, ?5)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, call.ctx.account));
  GEE_RETURN_IF_ERROR(st.BindText(2, call.ctx.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, name));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, now));
  GEE_RETURN_IF_ERROR(st.BindText(5, configuration.dump()));
  GEE_RETURN_IF_ERROR(st.Run());
  // Note the spelling: CreatedTimestamp here, CreatedTimeStamp in the structure.
  return Json{{"Name", name}, {"CreatedTimestamp", Seconds(now)}};
}

Result<Json> GlueService::GetSecurityConfiguration(Call& call) {
  const std::string name = call.input.at("Name").get<std::string>();
  GEE_ASSIGN_OR_RETURN(auto stored,
                       LoadConfiguration(env().db(), call.ctx.account, call.ctx.region, name));
  if (!stored) return errors::SecurityConfigurationNotFound(name);
  return Json{{"SecurityConfiguration", ConfigurationOutput(*stored)}};
}

Result<Json> GlueService::GetSecurityConfigurations(Call& call) {
  const int64_t limit = call.input.value("MaxResults", 1000);
  std::optional<std::string> after;
  if (auto it = call.input.find("NextToken"); it != call.input.end()) {
    GEE_ASSIGN_OR_RETURN(after, ParseNextToken(it->get<std::string>()));
  }
  std::string sql =
      "SELECT name, created_micros, configuration FROM glue_security_configurations"
      " WHERE account = ?1 AND region = ?2";
  if (after) sql += " AND name > ?4";
  sql += " ORDER BY name LIMIT ?3";
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(sql));
  GEE_RETURN_IF_ERROR(st.BindText(1, call.ctx.account));
  GEE_RETURN_IF_ERROR(st.BindText(2, call.ctx.region));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, limit + 1));
  if (after) GEE_RETURN_IF_ERROR(st.BindText(4, *after));
  Json list = Json::array();
  std::string last;
  bool more = false;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (static_cast<int64_t>(list.size()) == limit) {
      more = true;
      break;
    }
    StoredConfiguration c;
    c.name = st.ColumnText(0);
    c.created_micros = st.ColumnInt64(1);
    c.configuration = Json::parse(st.ColumnText(2), nullptr, false);
    if (c.configuration.is_discarded()) {
      return AwsError("InternalFailure", "stored security configuration is unreadable", 500);
    }
    last = c.name;
    list.push_back(ConfigurationOutput(c));
  }
  Json out{{"SecurityConfigurations", std::move(list)}};
  if (more) out["NextToken"] = MakeNextToken(last);
  return out;
}

Result<Json> GlueService::DeleteSecurityConfiguration(Call& call) {
  const std::string name = call.input.at("Name").get<std::string>();
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "DELETE FROM glue_security_configurations WHERE account = ?1 AND region = ?2"
      " AND name = ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, call.ctx.account));
  GEE_RETURN_IF_ERROR(st.BindText(2, call.ctx.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, name));
  GEE_RETURN_IF_ERROR(st.Run());
  if (env().db().Changes() == 0) return errors::SecurityConfigurationNotFound(name);
  return Json::object();
}

}  // namespace gee::glue

#include "services/glue/glue_service.h"

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/glue/catalog_inspector.h"
#include "services/glue/errors.h"
#include "store/database.h"

namespace gee::glue {

using G = GlueService;

const std::vector<OperationEntry<GlueService>>& GlueService::Table() {
  static const std::vector<OperationEntry<GlueService>> table = {
      // Data Catalog encryption settings (resource "*" for the caller's catalog).
      {"GetDataCatalogEncryptionSettings", &G::GetDataCatalogEncryptionSettings,
       "glue:GetDataCatalogEncryptionSettings", &G::CatalogSettingsResource, Access::kRead},
      {"PutDataCatalogEncryptionSettings", &G::PutDataCatalogEncryptionSettings,
       "glue:PutDataCatalogEncryptionSettings", &G::CatalogSettingsResource, Access::kWrite},
      // Security configurations (no resource ARN: "*").
      {"CreateSecurityConfiguration", &G::CreateSecurityConfiguration,
       "glue:CreateSecurityConfiguration", nullptr, Access::kWrite},
      {"GetSecurityConfiguration", &G::GetSecurityConfiguration, "glue:GetSecurityConfiguration",
       nullptr, Access::kRead},
      {"GetSecurityConfigurations", &G::GetSecurityConfigurations,
       "glue:GetSecurityConfigurations", nullptr, Access::kRead},
      {"DeleteSecurityConfiguration", &G::DeleteSecurityConfiguration,
       "glue:DeleteSecurityConfiguration", nullptr, Access::kWrite},
      // Databases: catalog here, database in the handler.
      {"CreateDatabase", &G::CreateDatabase, "glue:CreateDatabase", &G::CatalogResource,
       Access::kWrite},
      {"GetDatabase", &G::GetDatabase, "glue:GetDatabase", &G::CatalogResource, Access::kRead},
      {"GetDatabases", &G::GetDatabases, "glue:GetDatabases", &G::CatalogResource, Access::kRead},
      {"UpdateDatabase", &G::UpdateDatabase, "glue:UpdateDatabase", &G::CatalogResource,
       Access::kWrite},
      {"DeleteDatabase", &G::DeleteDatabase, "glue:DeleteDatabase", &G::CatalogResource,
       Access::kWrite},
      // Tables: catalog here, database and table in the handler.
      {"CreateTable", &G::CreateTable, "glue:CreateTable", &G::CatalogResource, Access::kWrite},
      {"GetTable", &G::GetTable, "glue:GetTable", &G::CatalogResource, Access::kRead},
      {"GetTables", &G::GetTables, "glue:GetTables", &G::CatalogResource, Access::kRead},
      {"UpdateTable", &G::UpdateTable, "glue:UpdateTable", &G::CatalogResource, Access::kWrite},
      {"DeleteTable", &G::DeleteTable, "glue:DeleteTable", &G::CatalogResource, Access::kWrite},
      {"BatchDeleteTable", &G::BatchDeleteTable, "glue:BatchDeleteTable", &G::CatalogResource,
       Access::kWrite},
      {"GetTableVersion", &G::GetTableVersion, "glue:GetTableVersion", &G::CatalogResource,
       Access::kRead},
      {"GetTableVersions", &G::GetTableVersions, "glue:GetTableVersions", &G::CatalogResource,
       Access::kRead},
      {"DeleteTableVersion", &G::DeleteTableVersion, "glue:DeleteTableVersion",
       &G::CatalogResource, Access::kWrite},
      {"BatchDeleteTableVersion", &G::BatchDeleteTableVersion, "glue:BatchDeleteTableVersion",
       &G::CatalogResource, Access::kWrite},
      // Partitions: catalog here, database and table in the handler.
      {"CreatePartition", &G::CreatePartition, "glue:CreatePartition", &G::CatalogResource,
       Access::kWrite},
      {"BatchCreatePartition", &G::BatchCreatePartition, "glue:BatchCreatePartition",
       &G::CatalogResource, Access::kWrite},
      {"GetPartition", &G::GetPartition, "glue:GetPartition", &G::CatalogResource, Access::kRead},
      {"GetPartitions", &G::GetPartitions, "glue:GetPartitions", &G::CatalogResource,
       Access::kRead},
      {"BatchGetPartition", &G::BatchGetPartition, "glue:BatchGetPartition", &G::CatalogResource,
       Access::kRead},
      {"UpdatePartition", &G::UpdatePartition, "glue:UpdatePartition", &G::CatalogResource,
       Access::kWrite},
      {"DeletePartition", &G::DeletePartition, "glue:DeletePartition", &G::CatalogResource,
       Access::kWrite},
      {"BatchDeletePartition", &G::BatchDeletePartition, "glue:BatchDeletePartition",
       &G::CatalogResource, Access::kWrite},
      // User-defined functions: catalog here, database and function in the handler.
      {"CreateUserDefinedFunction", &G::CreateUserDefinedFunction,
       "glue:CreateUserDefinedFunction", &G::CatalogResource, Access::kWrite},
      {"GetUserDefinedFunction", &G::GetUserDefinedFunction, "glue:GetUserDefinedFunction",
       &G::CatalogResource, Access::kRead},
      {"GetUserDefinedFunctions", &G::GetUserDefinedFunctions, "glue:GetUserDefinedFunctions",
       &G::CatalogResource, Access::kRead},
      {"UpdateUserDefinedFunction", &G::UpdateUserDefinedFunction,
       "glue:UpdateUserDefinedFunction", &G::CatalogResource, Access::kWrite},
      {"DeleteUserDefinedFunction", &G::DeleteUserDefinedFunction,
       "glue:DeleteUserDefinedFunction", &G::CatalogResource, Access::kWrite},
      // Connections: catalog here, connection in the handler.
      {"CreateConnection", &G::CreateConnection, "glue:CreateConnection", &G::CatalogResource,
       Access::kWrite},
      {"GetConnection", &G::GetConnection, "glue:GetConnection", &G::CatalogResource,
       Access::kRead},
      {"GetConnections", &G::GetConnections, "glue:GetConnections", &G::CatalogResource,
       Access::kRead},
      {"UpdateConnection", &G::UpdateConnection, "glue:UpdateConnection", &G::CatalogResource,
       Access::kWrite},
      {"DeleteConnection", &G::DeleteConnection, "glue:DeleteConnection", &G::CatalogResource,
       Access::kWrite},
      {"BatchDeleteConnection", &G::BatchDeleteConnection, "glue:BatchDeleteConnection",
       &G::CatalogResource, Access::kWrite},
      // The catalog resource policy ("*", as the Glue permissions reference lists).
      {"PutResourcePolicy", &G::PutResourcePolicy, "glue:PutResourcePolicy", nullptr,
       Access::kWrite},
      {"GetResourcePolicy", &G::GetResourcePolicy, "glue:GetResourcePolicy", nullptr,
       Access::kRead},
      {"DeleteResourcePolicy", &G::DeleteResourcePolicy, "glue:DeleteResourcePolicy", nullptr,
       Access::kWrite},
      {"GetResourcePolicies", &G::GetResourcePolicies, "glue:GetResourcePolicies", nullptr,
       Access::kRead},
      // Jobs.
      {"CreateJob", &G::CreateJob, "glue:CreateJob", &G::JobResource, Access::kWrite},
      {"GetJob", &G::GetJob, "glue:GetJob", &G::JobResource, Access::kRead},
      {"GetJobs", &G::GetJobs, "glue:GetJobs", nullptr, Access::kRead},
      {"ListJobs", &G::ListJobs, "glue:ListJobs", nullptr, Access::kRead},
      {"UpdateJob", &G::UpdateJob, "glue:UpdateJob", &G::JobResource, Access::kWrite},
      {"DeleteJob", &G::DeleteJob, "glue:DeleteJob", &G::JobResource, Access::kWrite},
      {"BatchGetJobs", &G::BatchGetJobs, "glue:BatchGetJobs", nullptr, Access::kRead},
      // Job runs and bookmarks: the job.
      {"StartJobRun", &G::StartJobRun, "glue:StartJobRun", &G::JobResource, Access::kWrite},
      {"GetJobRun", &G::GetJobRun, "glue:GetJobRun", &G::JobResource, Access::kRead},
      {"GetJobRuns", &G::GetJobRuns, "glue:GetJobRuns", &G::JobResource, Access::kRead},
      {"BatchStopJobRun", &G::BatchStopJobRun, "glue:BatchStopJobRun", &G::JobResource,
       Access::kWrite},
      {"GetJobBookmark", &G::GetJobBookmark, "glue:GetJobBookmark", &G::JobResource,
       Access::kRead},
      {"ResetJobBookmark", &G::ResetJobBookmark, "glue:ResetJobBookmark", &G::JobResource,
       Access::kWrite},
      // Crawlers.
      {"CreateCrawler", &G::CreateCrawler, "glue:CreateCrawler", &G::CrawlerResource,
       Access::kWrite},
      {"GetCrawler", &G::GetCrawler, "glue:GetCrawler", &G::CrawlerResource, Access::kRead},
      {"GetCrawlers", &G::GetCrawlers, "glue:GetCrawlers", nullptr, Access::kRead},
      {"ListCrawlers", &G::ListCrawlers, "glue:ListCrawlers", nullptr, Access::kRead},
      {"UpdateCrawler", &G::UpdateCrawler, "glue:UpdateCrawler", &G::CrawlerResource,
       Access::kWrite},
      {"DeleteCrawler", &G::DeleteCrawler, "glue:DeleteCrawler", &G::CrawlerResource,
       Access::kWrite},
      {"StartCrawler", &G::StartCrawler, "glue:StartCrawler", &G::CrawlerResource,
       Access::kWrite},
      {"StopCrawler", &G::StopCrawler, "glue:StopCrawler", &G::CrawlerResource, Access::kWrite},
      {"GetCrawlerMetrics", &G::GetCrawlerMetrics, "glue:GetCrawlerMetrics", nullptr,
       Access::kRead},
      // Tags: the tagged resource's ARN.
      {"TagResource", &G::TagResource, "glue:TagResource", &G::TaggedResource, Access::kWrite},
      {"UntagResource", &G::UntagResource, "glue:UntagResource", &G::TaggedResource,
       Access::kWrite},
      {"GetTags", &G::GetTags, "glue:GetTags", &G::TaggedResource, Access::kRead},
  };
  return table;
}

GlueService::GlueService(Environment& env)
    : GlueService(env, std::make_unique<InProcessGlueKms>(env)) {}

GlueService::GlueService(Environment& env, std::unique_ptr<GlueKms> kms)
    : TableService(env),
      kms_(std::move(kms)),
      crypto_(env, *kms_),
      store_(env.db()),
      inspector_(std::make_unique<CatalogInspector>(env, store_)),
      bookmark_inspector_(env) {
  env.RegisterInspector(inspector_.get());
  env.RegisterInspector(&bookmark_inspector_);
}

GlueService::~GlueService() { runtime_.Stop(); }

std::vector<store::MigrationStep> GlueService::Migrations() const {
  std::string schema =
      // DataCatalogEncryptionSettings as last put (key ids and modes only).
      "CREATE TABLE glue_catalog_settings("
      "  catalog_id TEXT NOT NULL,"
      "  region TEXT NOT NULL,"
      "  settings TEXT NOT NULL,"
      "  PRIMARY KEY(catalog_id, region));"
      // The catalog resource policy.
      "CREATE TABLE glue_resource_policies("
      "  catalog_id TEXT NOT NULL,"
      "  region TEXT NOT NULL,"
      "  policy TEXT NOT NULL,"
      "  policy_hash TEXT NOT NULL,"
      "  create_micros INTEGER NOT NULL,"
      "  update_micros INTEGER NOT NULL,"
      "  PRIMARY KEY(catalog_id, region));"
      // Security configurations (security_configuration.h).
      "CREATE TABLE glue_security_configurations("
      "  account TEXT NOT NULL,"
      "  region TEXT NOT NULL,"
      "  name TEXT NOT NULL,"
      "  created_micros INTEGER NOT NULL,"
      "  configuration TEXT NOT NULL,"
      "  PRIMARY KEY(account, region, name));"
      // Tags of any taggable Glue resource, by ARN.
      "CREATE TABLE glue_tags("
      "  resource_arn TEXT NOT NULL,"
      "  tag_key TEXT NOT NULL,"
      "  tag_value TEXT NOT NULL,"
      "  PRIMARY KEY(resource_arn, tag_key));";
  schema += GlueCrypto::kDefaultKeysSchema;
  schema += CatalogStore::kSchema;
  return {store::MigrationStep{"glue", 1, schema}, store::MigrationStep{"glue", 2, kJobsSchema}};
}

// ---------------------------------------------------------------------------
// Shared helpers

double GlueService::NowSeconds() {
  return static_cast<double>(NowMicros() / 1000) / 1000.0;
}

int64_t GlueService::NowMicros() { return env().clock().NowMicros(); }

Result<CatalogRef> GlueService::Catalog(const Call& call) const {
  CatalogRef ref;
  ref.region = call.ctx.region;
  auto it = call.input.find("CatalogId");
  ref.catalog_id = it != call.input.end() && it->is_string() ? it->get<std::string>()
                                                             : call.ctx.account;
  if (ref.catalog_id.empty()) return errors::InvalidInput("CatalogId is empty");
  return ref;
}

Result<std::optional<GlueService::StoredPolicy>> GlueService::LoadPolicy(const CatalogRef& ref) {
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "SELECT policy, policy_hash, create_micros, update_micros FROM glue_resource_policies"
      " WHERE catalog_id = ?1 AND region = ?2"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredPolicy>();
  StoredPolicy p;
  p.policy = st.ColumnText(0);
  p.hash = st.ColumnText(1);
  p.create_micros = st.ColumnInt64(2);
  p.update_micros = st.ColumnInt64(3);
  return std::optional<StoredPolicy>(std::move(p));
}

Result<AuthRequest> GlueService::CatalogRequest(const CatalogRef& ref, std::string arn) {
  AuthRequest request;
  request.resource = std::move(arn);
  request.resource_account = ref.catalog_id;
  GEE_ASSIGN_OR_RETURN(auto policy, LoadPolicy(ref));
  if (policy) {
    request.resource_policy_kind = ResourcePolicyKind::kStandard;
    request.resource_policy = std::move(policy->policy);
    request.resource_policy_name = "Glue catalog resource policy";
  }
  return request;
}

Result<AuthRequest> GlueService::CatalogResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  return CatalogRequest(ref, CatalogArn(ref));
}

Result<AuthRequest> GlueService::CatalogSettingsResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  if (ref.catalog_id == call.ctx.account) {
    AuthRequest request;
    request.resource = "*";
    return request;
  }
  return CatalogRequest(ref, CatalogArn(ref));
}

Status GlueService::AuthorizeAlso(Call& call, const CatalogRef& ref, std::string arn) {
  GEE_ASSIGN_OR_RETURN(AuthRequest request, CatalogRequest(ref, std::move(arn)));
  request.action = "glue:" + call.ctx.operation;
  return env().Authorize(call.ctx, request);
}

Result<bool> GlueService::MayRead(Call& call, const CatalogRef& ref, std::string arn) {
  GEE_ASSIGN_OR_RETURN(AuthRequest request, CatalogRequest(ref, std::move(arn)));
  request.action = "glue:" + call.ctx.operation;
  Status st = env().Authorize(call.ctx, request);
  if (st.ok()) return true;
  if (st.error().code == "AccessDeniedException") return false;
  return std::move(st).error();
}

Result<Json> GlueService::LoadSettings(const CatalogRef& ref) {
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "SELECT settings FROM glue_catalog_settings WHERE catalog_id = ?1 AND region = ?2"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Json::object();
  Json settings = Json::parse(st.ColumnText(0), nullptr, false);
  if (settings.is_discarded() || !settings.is_object()) {
    return AwsError("InternalFailure", "stored Glue catalog settings are unreadable", 500);
  }
  return settings;
}

Result<CatalogEncryption> GlueService::EncryptionFor(const CatalogRef& ref) {
  GEE_ASSIGN_OR_RETURN(Json settings, LoadSettings(ref));
  CatalogEncryption enc;
  const Json at_rest = settings.value("EncryptionAtRest", Json::object());
  const std::string mode = at_rest.value("CatalogEncryptionMode", "DISABLED");
  if (mode == "SSE-KMS") {
    enc.mode = CatalogEncryption::Mode::kSseKms;
  } else if (mode == "SSE-KMS-WITH-SERVICE-ROLE") {
    enc.mode = CatalogEncryption::Mode::kSseKmsWithServiceRole;
  }
  enc.key_id = at_rest.value("SseAwsKmsKeyId", "");
  if (enc.key_id.empty()) enc.key_id = "alias/aws/glue";
  enc.service_role_arn = at_rest.value("CatalogEncryptionServiceRole", "");
  return enc;
}

Result<SealedObject> GlueService::SealDocument(Call& call, const ObjectIdentity& id,
                                               const Json& document) {
  GEE_ASSIGN_OR_RETURN(CatalogEncryption enc, EncryptionFor(id.ref));
  return crypto_.Seal(call.ctx, enc, id, document.dump());
}

Result<Json> GlueService::OpenDocument(Call& call, const ObjectIdentity& id,
                                       const StoredObject& stored) {
  GEE_ASSIGN_OR_RETURN(CatalogEncryption enc, EncryptionFor(id.ref));
  GEE_ASSIGN_OR_RETURN(std::string text, crypto_.Open(call.ctx, enc, id, stored.document));
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return AwsError("InternalFailure", "stored Glue " + id.kind + " is unreadable", 500);
  }
  return doc;
}

Result<StoredObject> GlueService::RequireDatabase(const CatalogRef& ref,
                                                  const std::string& database) {
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(ObjectKey{ref, "database", database, "", database}));
  if (!found) return errors::DatabaseNotFound(database);
  return std::move(*found);
}

Result<StoredObject> GlueService::RequireTable(const CatalogRef& ref, const std::string& database,
                                               const std::string& table) {
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, database));
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(ObjectKey{ref, "table", database, "", table}));
  if (!found) return errors::TableNotFound(table);
  return std::move(*found);
}

Result<Json> GlueService::OpenTable(Call& call, const StoredObject& table) {
  ObjectIdentity id{table.key.ref, "table", table.key.database, "", table.key.name,
                    std::to_string(table.seq)};
  return OpenDocument(call, id, table);
}

// ---------------------------------------------------------------------------
// NextToken

std::string MakeNextToken(std::string_view last_key) {
  return crypto::Base64UrlEncode("gee1:" + std::string(last_key));
}

Result<std::string> ParseNextToken(std::string_view token) {
  auto decoded = crypto::Base64UrlDecode(token);
  if (!decoded.ok() || decoded->rfind("gee1:", 0) != 0) {
    return errors::InvalidInput("Invalid NextToken");
  }
  return decoded->substr(5);
}

}  // namespace gee::glue

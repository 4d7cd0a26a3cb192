// AWS Glue (JSON 1.1, `X-Amz-Target: AWSGlue.<Op>`, API 2017-03-31): the Data
// Catalog (databases, tables and table versions, partitions, user-defined
// functions, connections), Data Catalog encryption settings, connection
// password encryption, security configurations, the catalog resource policy
// and tags (spec §5.1–5.4).
//
// Layout (one file per area, all members of GlueService):
//   glue_service.cc              operation table, migrations, shared helpers
//   encryption_settings.cc       Get/PutDataCatalogEncryptionSettings
//   security_configurations.cc   Create/Get/Delete security configurations
//   catalog_databases.cc         databases
//   catalog_tables.cc            tables and table versions
//   catalog_partitions.cc        partitions
//   catalog_functions.cc         user-defined functions
//   connections.cc               connections (+ password encryption)
//   resource_policies.cc         the catalog resource policy
//   tags.cc                      TagResource / UntagResource / GetTags
//   glue_crypto.{h,cc}           sealing of catalog objects, passwords
//   catalog_inspector.{h,cc}     at-rest inspection of the catalog
//   glue_jobs.cc                 jobs, job runs (API), job bookmarks (API)
//   glue_job_run.cc              the emulated job run (DESIGN.md "Emulated Glue runtime")
//   glue_crawlers.cc             crawlers and the emulated crawl
//   glue_runtime.{h,cc}          run queue, bookmark inspector, job/crawler storage
// Jobs and crawlers authorize arn:aws:glue:REGION:ACCT:job/NAME and
// arn:aws:glue:REGION:ACCT:crawler/NAME; plural reads "*". Creating or
// updating a job or crawler with a role needs iam:PassRole on it.
//
// Authorization: each table line names the glue: action and resolves the
// primary resource. Catalog operations authorize, like AWS, every resource
// of the hierarchy (AWS Glue "Specifying AWS Glue resource ARNs"): the
// catalog by the table line (so a caller with no permission is told about
// the catalog, as AWS does), then the database, then the table / function /
// connection from the handler, all before any lookup (so a denied caller
// cannot learn what exists). Deletes of a database also need every table
// and function in it. Plural reads (GetDatabases, GetTables, ...) return only
// the items the caller may read (gee's choice; AWS's behaviour is not
// documented). The catalog resource policy (PutResourcePolicy) applies to
// every catalog resource as a standard resource policy; a CatalogId of
// another account is a cross-account request.
//
// Thread-safety: see TableService (operations serialise on the store lock).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/glue/catalog_ref.h"
#include "services/glue/catalog_store.h"
#include "services/glue/glue_crypto.h"
#include "services/glue/glue_kms.h"
#include "services/glue/glue_runtime.h"
#include "services/glue/security_configuration.h"
#include "services/service.h"

namespace gee::glue {

class CatalogInspector;

class GlueService final : public TableService<GlueService> {
 public:
  // Uses the emulator's KMS in process.
  explicit GlueService(Environment& env);
  // Uses `kms` (tests).
  GlueService(Environment& env, std::unique_ptr<GlueKms> kms);
  ~GlueService() override;

  std::string_view name() const override { return "glue"; }
  WireProtocol protocol() const override { return WireProtocol::kJson11; }
  std::vector<store::MigrationStep> Migrations() const override;
  static const std::vector<OperationEntry<GlueService>>& Table();

  // ---- For the job and crawler runtime ----
  // The security configuration `name` of `account` in `region`;
  // EntityNotFoundException when there is none.
  Result<SecurityConfiguration> FindSecurityConfiguration(const std::string& account,
                                                          const std::string& region,
                                                          std::string_view name);
  // Catalog encryption in effect for new writes to `ref`.
  Result<CatalogEncryption> EncryptionFor(const CatalogRef& ref);
  GlueCrypto& crypto() { return crypto_; }
  CatalogStore& catalog_store() { return store_; }
  // The at-rest inspector (registered with the Environment by the constructor).
  CatalogInspector& inspector() { return *inspector_; }

  // The queue running job runs and crawls off the request path.
  RunQueue& runtime() { return runtime_; }
  // Blocks until every started job run and crawl has finished (tests).
  void WaitForRuns() { runtime_.WaitIdle(); }

  // ---- Jobs ----
  Result<Json> CreateJob(Call& call);
  Result<Json> GetJob(Call& call);
  Result<Json> GetJobs(Call& call);
  Result<Json> ListJobs(Call& call);
  Result<Json> UpdateJob(Call& call);
  Result<Json> DeleteJob(Call& call);
  Result<Json> BatchGetJobs(Call& call);
  // ---- Job runs ----
  Result<Json> StartJobRun(Call& call);
  Result<Json> GetJobRun(Call& call);
  Result<Json> GetJobRuns(Call& call);
  Result<Json> BatchStopJobRun(Call& call);
  // ---- Job bookmarks ----
  Result<Json> GetJobBookmark(Call& call);
  Result<Json> ResetJobBookmark(Call& call);
  // ---- Crawlers ----
  Result<Json> CreateCrawler(Call& call);
  Result<Json> GetCrawler(Call& call);
  Result<Json> GetCrawlers(Call& call);
  Result<Json> ListCrawlers(Call& call);
  Result<Json> UpdateCrawler(Call& call);
  Result<Json> DeleteCrawler(Call& call);
  Result<Json> StartCrawler(Call& call);
  Result<Json> StopCrawler(Call& call);
  Result<Json> GetCrawlerMetrics(Call& call);

  // ---- Data Catalog encryption settings ----
  Result<Json> GetDataCatalogEncryptionSettings(Call& call);
  Result<Json> PutDataCatalogEncryptionSettings(Call& call);
  // ---- Security configurations ----
  Result<Json> CreateSecurityConfiguration(Call& call);
  Result<Json> GetSecurityConfiguration(Call& call);
  Result<Json> GetSecurityConfigurations(Call& call);
  Result<Json> DeleteSecurityConfiguration(Call& call);
  // ---- Databases ----
  Result<Json> CreateDatabase(Call& call);
  Result<Json> GetDatabase(Call& call);
  Result<Json> GetDatabases(Call& call);
  Result<Json> UpdateDatabase(Call& call);
  Result<Json> DeleteDatabase(Call& call);
  // ---- Tables and table versions ----
  Result<Json> CreateTable(Call& call);
  Result<Json> GetTable(Call& call);
  Result<Json> GetTables(Call& call);
  Result<Json> UpdateTable(Call& call);
  Result<Json> DeleteTable(Call& call);
  Result<Json> BatchDeleteTable(Call& call);
  Result<Json> GetTableVersion(Call& call);
  Result<Json> GetTableVersions(Call& call);
  Result<Json> DeleteTableVersion(Call& call);
  Result<Json> BatchDeleteTableVersion(Call& call);
  // ---- Partitions ----
  Result<Json> CreatePartition(Call& call);
  Result<Json> BatchCreatePartition(Call& call);
  Result<Json> GetPartition(Call& call);
  Result<Json> GetPartitions(Call& call);
  Result<Json> BatchGetPartition(Call& call);
  Result<Json> UpdatePartition(Call& call);
  Result<Json> DeletePartition(Call& call);
  Result<Json> BatchDeletePartition(Call& call);
  // ---- User-defined functions ----
  Result<Json> CreateUserDefinedFunction(Call& call);
  Result<Json> GetUserDefinedFunction(Call& call);
  Result<Json> GetUserDefinedFunctions(Call& call);
  Result<Json> UpdateUserDefinedFunction(Call& call);
  Result<Json> DeleteUserDefinedFunction(Call& call);
  // ---- Connections ----
  Result<Json> CreateConnection(Call& call);
  Result<Json> GetConnection(Call& call);
  Result<Json> GetConnections(Call& call);
  Result<Json> UpdateConnection(Call& call);
  Result<Json> DeleteConnection(Call& call);
  Result<Json> BatchDeleteConnection(Call& call);
  // ---- Resource policy ----
  Result<Json> PutResourcePolicy(Call& call);
  Result<Json> GetResourcePolicy(Call& call);
  Result<Json> DeleteResourcePolicy(Call& call);
  Result<Json> GetResourcePolicies(Call& call);
  // ---- Tags ----
  Result<Json> TagResource(Call& call);
  Result<Json> UntagResource(Call& call);
  Result<Json> GetTags(Call& call);

  // ---- Resource resolvers of the table lines ----
  // The catalog named by CatalogId (default: the caller's) with its resource policy.
  Result<AuthRequest> CatalogResource(Call& call);
  // "*" for the caller's own catalog; the catalog ARN (cross-account) otherwise.
  Result<AuthRequest> CatalogSettingsResource(Call& call);
  // arn:aws:glue:REGION:ACCT:job/<Name|JobName>.
  Result<AuthRequest> JobResource(Call& call);
  // arn:aws:glue:REGION:ACCT:crawler/<Name>.
  Result<AuthRequest> CrawlerResource(Call& call);
  // The ResourceArn member (tags), with aws:RequestTag / aws:TagKeys / aws:ResourceTag.
  Result<AuthRequest> TaggedResource(Call& call);

 private:
  // The catalog a request addresses (CatalogId or the caller's account).
  Result<CatalogRef> Catalog(const Call& call) const;
  // An AuthRequest on `arn` of catalog `ref`, carrying the catalog policy.
  Result<AuthRequest> CatalogRequest(const CatalogRef& ref, std::string arn);
  // Authorizes the operation's action on a further resource of the catalog.
  Status AuthorizeAlso(Call& call, const CatalogRef& ref, std::string arn);
  // Whether the caller may apply the operation's action to `arn` (plural reads).
  Result<bool> MayRead(Call& call, const CatalogRef& ref, std::string arn);

  // The table a partition operation addresses (DatabaseName, TableName):
  // the operation's action authorized on its database and table too, and the
  // table required to exist.
  struct PartitionTable {
    CatalogRef ref;
    std::string db;
    std::string table;
    StoredObject stored;  // the table
  };
  Result<PartitionTable> OpenPartitionTable(Call& call);

  // The stored resource policy of a catalog (nullopt when none).
  struct StoredPolicy {
    std::string policy;
    std::string hash;
    int64_t create_micros = 0;
    int64_t update_micros = 0;
  };
  Result<std::optional<StoredPolicy>> LoadPolicy(const CatalogRef& ref);
  // The stored DataCatalogEncryptionSettings JSON (defaults when never put).
  Result<Json> LoadSettings(const CatalogRef& ref);

  // Seals and stores / loads and opens catalog documents.
  Result<SealedObject> SealDocument(Call& call, const ObjectIdentity& id, const Json& document);
  Result<Json> OpenDocument(Call& call, const ObjectIdentity& id, const StoredObject& stored);
  // Looks up a database / table; not found errors as AWS words them.
  Result<StoredObject> RequireDatabase(const CatalogRef& ref, const std::string& database);
  Result<StoredObject> RequireTable(const CatalogRef& ref, const std::string& database,
                                    const std::string& table);
  Result<Json> OpenTable(Call& call, const StoredObject& table);

  // Partition helpers (catalog_partitions.cc).
  Result<Json> PartitionDocument(Call& call, const CatalogRef& ref, const Json& table,
                                 const Json& input);
  Status InsertPartition(Call& call, const CatalogRef& ref, const std::string& database,
                         const std::string& table, const Json& table_doc, const Json& input);

  // Connection helpers (connections.cc).
  Result<Json> ConnectionOutput(Call& call, const CatalogRef& ref, const StoredObject& stored,
                                bool hide_password);
  Result<Json> BuildConnection(Call& call, const CatalogRef& ref, const Json& input,
                               std::string* password_key_arn);

  // Tags (tags.cc).
  Result<bool> TaggableExists(const GlueArn& arn);
  Status SetTags(const std::string& arn, const Json& tags);
  Status DeleteTagsOf(const std::string& arn);

  // Jobs and crawlers (glue_jobs.cc, glue_crawlers.cc).
  // iam:PassRole on `role` (name or ARN) to glue.amazonaws.com; the role ARN.
  Result<std::string> PassRole(Call& call, const std::string& role);
  // What a run needs, snapshotted at StartJobRun.
  struct RunPlan {
    std::string account;
    std::string region;
    Json job;
    std::string run_id;
    Json arguments;
    std::string security_configuration;
    int64_t attempt = 0;  // 0 for the run StartJobRun made; n for its n-th retry
  };
  // ListJobs / ListCrawlers: names of `table` ("glue_jobs", "glue_crawlers")
  // in name order into `member`, filtered by the Tags of the input;
  // `type` is the ARN resource type ("job", "crawler").
  Result<Json> ListNames(Call& call, std::string_view table, std::string_view type,
                         std::string_view member);
  // The session of `role` that a job run or crawl acts as: glue.amazonaws.com
  // assumes it (trust policy checked) for `source_arn`. A refusal is a
  // "RunFailure" error quoting STS's error.
  Result<RequestContext> RuntimeSession(const std::string& account, const std::string& region,
                                        const std::string& role, const std::string& session_name,
                                        const std::string& source_arn,
                                        const std::string& operation);
  // Creates log group `group` (kept when it exists), associates it with
  // `kms_key_arn` (when not empty) and creates `stream`, as `ctx`.
  Status PrepareLogStream(const RequestContext& ctx, const std::string& group,
                          const std::string& kms_key_arn, const std::string& stream);
  // Runs the emulated job run (glue_job_run.cc) on the runtime thread.
  void ExecuteJobRun(const RunPlan& plan);
  // After run `plan` FAILED: while the job's MaxRetries allows, queues a new
  // run with the same arguments (Attempt + 1, PreviousRunId), as Glue does.
  void RetryJobRun(const RunPlan& plan);
  // Runs the emulated crawl on the runtime thread.
  void ExecuteCrawl(const std::string& account, const std::string& region,
                    const std::string& crawler);

  // Now as AWS timestamps (epoch seconds, millisecond precision) / micros.
  double NowSeconds();
  int64_t NowMicros();

  std::unique_ptr<GlueKms> kms_;
  GlueCrypto crypto_;
  CatalogStore store_;
  std::unique_ptr<CatalogInspector> inspector_;
  JobBookmarkInspector bookmark_inspector_;
  // Last: stopped (and joined) first on destruction.
  RunQueue runtime_;
};

// NextToken helpers shared by the listing operations: the token is an opaque
// base64url string holding the sort key of the last item returned.
std::string MakeNextToken(std::string_view last_key);
// Fails with InvalidInputException for a token gee did not issue.
Result<std::string> ParseNextToken(std::string_view token);

}  // namespace gee::glue

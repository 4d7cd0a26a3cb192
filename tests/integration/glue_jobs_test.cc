// Glue jobs, job runs, bookmarks and crawlers over HTTP (issue 7): a job with
// the seed's step-8 security configuration runs as its role session, writes
// SSE-KMS output, logs to a group associated with the CloudWatch key and
// saves a CSE-KMS bookmark; each missing permission fails the run with the
// AWS error in ErrorMessage. Runs are asynchronous: tests wait with
// GlueService::WaitForRuns (no sleeps).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "core/environment.h"
#include "core/inspection.h"
#include "crypto/encoding.h"
#include "emulator.h"
#include "services/glue/glue_service.h"
#include "tests/integration/iam_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gee::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using Json = nlohmann::json;

constexpr char kBucket[] = "etl-data";

class GlueJobsTest : public IamTest {
 protected:
  void SetUp() override {
    IamTest::SetUp();
    s3_key_ = CreateKey("");
    bookmark_key_ = CreateKey("");
    logs_key_ = CreateKey(LogsKeyPolicy());
    plain_logs_key_ = CreateKey("");
    ASSERT_THAT(Root().Rest("s3", "PUT", std::string("/") + kBucket, {}, ""), IsOk());
    PutInput("scripts/etl.py", "print('etl')\n");
    PutInput("input/a.csv", "customer,region,amount\nNorthwind Traders,north,1250\n");
    CreateSecurityConfiguration("sc", logs_key_);
    CreateRole("GlueJobRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
    PutRolePolicy("GlueJobRole", "runtime", RuntimePolicy());
    PutRolePolicy("GlueJobRole", "s3key", KmsPolicy({"kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"}, s3_key_));
    PutRolePolicy("GlueJobRole", "bookmark", KmsPolicy({"kms:Encrypt", "kms:Decrypt"}, bookmark_key_));
  }

  glue::GlueService& GlueService() {
    return *static_cast<glue::GlueService*>(emulator().env().FindService("glue"));
  }

  std::string CreateKey(const std::string& policy) {
    Json input = {{"Description", "glue jobs test"}};
    if (!policy.empty()) input["Policy"] = policy;
    auto r = Root().Json("kms", "CreateKey", input);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->json["KeyMetadata"]["Arn"].get<std::string>() : "";
  }

  static std::string LogsKeyPolicy() {
    return Json{{"Version", "2012-10-17"},
                {"Statement",
                 {{{"Sid", "Root"}, {"Effect", "Allow"},
                   {"Principal", {{"AWS", std::string("arn:aws:iam::") + kAccount + ":root"}}},
                   {"Action", "kms:*"}, {"Resource", "*"}},
                  {{"Sid", "Logs"}, {"Effect", "Allow"},
                   {"Principal", {{"Service", "logs.us-east-1.amazonaws.com"}}},
                   {"Action", {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                               "kms:GenerateDataKey*", "kms:Describe*"}},
                   {"Resource", "*"}}}}}
        .dump();
  }

  static std::string KmsPolicy(const std::vector<std::string>& actions, const std::string& key) {
    return Json{{"Version", "2012-10-17"},
                {"Statement", {{{"Effect", "Allow"}, {"Action", actions}, {"Resource", key}}}}}
        .dump();
  }

  static std::string RuntimePolicy() {
    const std::string b = kBucket;
    return Json{{"Version", "2012-10-17"},
                {"Statement",
                 {{{"Effect", "Allow"}, {"Action", {"s3:GetObject", "s3:ListBucket", "s3:PutObject"}},
                   {"Resource", {"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"}}},
                  {{"Effect", "Allow"},
                   {"Action", {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                               "logs:AssociateKmsKey"}},
                   {"Resource", "arn:aws:logs:*:*:log-group:/aws-glue/*"}}}}}
        .dump();
  }

  void PutInput(const std::string& key, const std::string& body) {
    ASSERT_THAT(Root().Rest("s3", "PUT", std::string("/") + kBucket + "/" + key, {}, body), IsOk());
  }

  void CreateSecurityConfiguration(const std::string& name, const std::string& logs_key) {
    ASSERT_THAT(Glue("CreateSecurityConfiguration",
                     {{"Name", name},
                      {"EncryptionConfiguration",
                       {{"S3Encryption", {{{"S3EncryptionMode", "SSE-KMS"}, {"KmsKeyArn", s3_key_}}}},
                        {"CloudWatchEncryption",
                         {{"CloudWatchEncryptionMode", "SSE-KMS"}, {"KmsKeyArn", logs_key}}},
                        {"JobBookmarksEncryption",
                         {{"JobBookmarksEncryptionMode", "CSE-KMS"}, {"KmsKeyArn", bookmark_key_}}}}}}),
                IsOk());
  }

  Result<harness::ApiResponse> Glue(const std::string& op, const Json& input) {
    return Root().Json("glue", op, input);
  }

  Json JobInput(const std::string& name, const std::string& role = "GlueJobRole",
                const std::string& sc = "sc") {
    Json job = {{"Name", name},
                {"Role", RoleArnOf(role)},
                {"GlueVersion", "4.0"},
                {"Command", {{"Name", "glueetl"},
                             {"ScriptLocation", std::string("s3://") + kBucket + "/scripts/etl.py"}}},
                {"DefaultArguments",
                 {{"--job-bookmark-option", "job-bookmark-enable"},
                  {"--input_path", std::string("s3://") + kBucket + "/input/"},
                  {"--output_path", std::string("s3://") + kBucket + "/output/" + name + "/"}}}};
    if (!sc.empty()) job["SecurityConfiguration"] = sc;
    return job;
  }

  // Starts a run of `job` and waits for it; returns the final JobRun.
  Json RunJob(const std::string& job) {
    auto started = Glue("StartJobRun", {{"JobName", job}});
    EXPECT_THAT(started, IsOk());
    if (!started.ok()) return Json();
    GlueService().WaitForRuns();
    auto got = Glue("GetJobRun", {{"JobName", job}, {"RunId", started->json["JobRunId"]}});
    EXPECT_THAT(got, IsOk());
    return got.ok() ? got->json["JobRun"] : Json();
  }

  Json S3(const std::string& op, const Json& input) {
    RequestContext ctx = emulator().env().NewContext(RootPrincipal(kAccount), "us-east-1");
    auto r = emulator().env().FindService("s3")->Invoke(ctx, op, input);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : Json();
  }

  std::vector<AtRestRecord> Inspect(const std::string& kind, const std::string& id,
                                    const std::string& probe) {
    std::lock_guard<std::recursive_mutex> lock(emulator().env().store_mutex());
    for (AtRestInspector* inspector : emulator().env().inspectors()) {
      for (const auto& k : inspector->Kinds()) {
        if (k != kind) continue;
        auto r = inspector->Inspect(kind, id, probe);
        EXPECT_THAT(r, IsOk());
        return r.ok() ? *r : std::vector<AtRestRecord>{};
      }
    }
    ADD_FAILURE() << "no inspector for " << kind;
    return {};
  }

  std::string s3_key_, bookmark_key_, logs_key_, plain_logs_key_;
};

TEST_F(GlueJobsTest, StartJobRunReturnsJrIdWith64HexDigits) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  auto started = Glue("StartJobRun", {{"JobName", "etl"}});
  ASSERT_THAT(started, IsOk());
  EXPECT_THAT(started->json["JobRunId"].get<std::string>(), MatchesRegex("jr_[0-9a-f]{64}"));
  GlueService().WaitForRuns();
}

TEST_F(GlueJobsTest, RunSucceedsWithSseKmsOutputEncryptedLogsAndBookmark) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  Json run = RunJob("etl");
  ASSERT_EQ(run["JobRunState"], "SUCCEEDED") << run.dump();
  EXPECT_EQ(run["SecurityConfiguration"], "sc");
  EXPECT_EQ(run["LogGroupName"], "/aws-glue/jobs/sc-role/GlueJobRole");
  const std::string run_id = run["Id"];

  Json listed = S3("ListObjectsV2", {{"Bucket", kBucket}, {"Prefix", "output/etl/"}});
  ASSERT_EQ(listed["KeyCount"], 1) << listed.dump();
  const std::string key = listed["Contents"][0]["Key"];
  Json head = S3("HeadObject", {{"Bucket", kBucket}, {"Key", key}});
  EXPECT_EQ(head["ServerSideEncryption"], "aws:kms");
  EXPECT_EQ(head["SSEKMSKeyId"], s3_key_);
  Json body = S3("GetObject", {{"Bucket", kBucket}, {"Key", key}});
  EXPECT_THAT(*crypto::Base64Decode(body["Body"].get<std::string>()), HasSubstr("Northwind Traders"));

  const std::string group = "/aws-glue/jobs/sc-role/GlueJobRole/output";
  auto groups = Root().Json("logs", "DescribeLogGroups", {{"logGroupNamePrefix", group}});
  ASSERT_THAT(groups, IsOk());
  ASSERT_EQ(groups->json["logGroups"].size(), 1u);
  EXPECT_EQ(groups->json["logGroups"][0]["kmsKeyId"], logs_key_);
  auto streams = Root().Json("logs", "DescribeLogStreams", {{"logGroupName", group}});
  ASSERT_THAT(streams, IsOk());
  ASSERT_EQ(streams->json["logStreams"].size(), 1u);
  EXPECT_EQ(streams->json["logStreams"][0]["logStreamName"], run_id);

  auto bookmark = Glue("GetJobBookmark", {{"JobName", "etl"}});
  ASSERT_THAT(bookmark, IsOk());
  EXPECT_EQ(bookmark->json["JobBookmarkEntry"]["RunId"], run_id);
  EXPECT_EQ(bookmark->json["JobBookmarkEntry"]["JobName"], "etl");
}

TEST_F(GlueJobsTest, RunFailsWhenRoleLacksKmsOnTheS3Key) {
  CreateRole("NoS3Key", Trust(R"({"Service":"glue.amazonaws.com"})"));
  PutRolePolicy("NoS3Key", "runtime", RuntimePolicy());
  PutRolePolicy("NoS3Key", "bookmark", KmsPolicy({"kms:Encrypt", "kms:Decrypt"}, bookmark_key_));
  ASSERT_THAT(Glue("CreateJob", JobInput("etl", "NoS3Key")), IsOk());
  Json run = RunJob("etl");
  EXPECT_EQ(run["JobRunState"], "FAILED");
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(),
              HasSubstr("User: arn:aws:sts::000000000000:assumed-role/NoS3Key/GlueJobRunnerSession "
                        "is not authorized to perform: kms:GenerateDataKey on resource: " + s3_key_));
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(), HasSubstr("Error Code: AccessDenied"));
  Json listed = S3("ListObjectsV2", {{"Bucket", kBucket}, {"Prefix", "output/etl/"}});
  EXPECT_EQ(listed["KeyCount"], 0);
}

TEST_F(GlueJobsTest, FailedRunIsRetriedUpToMaxRetriesWithPreviousRunId) {
  CreateRole("NoS3Key", Trust(R"({"Service":"glue.amazonaws.com"})"));
  PutRolePolicy("NoS3Key", "runtime", RuntimePolicy());
  Json job = JobInput("etl", "NoS3Key");
  job["MaxRetries"] = 2;
  ASSERT_THAT(Glue("CreateJob", job), IsOk());
  Json first = RunJob("etl");
  EXPECT_EQ(first["JobRunState"], "FAILED");
  EXPECT_EQ(first["Attempt"], 0);
  auto runs = Glue("GetJobRuns", {{"JobName", "etl"}});
  ASSERT_THAT(runs, IsOk());
  ASSERT_EQ(runs->json["JobRuns"].size(), 3u);
  std::map<std::string, Json> by_id;
  for (const Json& run : runs->json["JobRuns"]) by_id[run["Id"]] = run;
  // Follow the chain of retries from the first run.
  std::string previous = first["Id"];
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const Json* retry = nullptr;
    for (const auto& [id, run] : by_id) {
      if (run.value("PreviousRunId", "") == previous) retry = &run;
    }
    ASSERT_NE(retry, nullptr) << "no retry of " << previous;
    EXPECT_EQ((*retry)["Attempt"], attempt);
    EXPECT_EQ((*retry)["JobRunState"], "FAILED");
    EXPECT_THAT((*retry)["ErrorMessage"].get<std::string>(), HasSubstr("kms:GenerateDataKey"));
    previous = (*retry)["Id"];
  }
}

TEST_F(GlueJobsTest, SucceededRunIsNotRetried) {
  Json job = JobInput("etl");
  job["MaxRetries"] = 3;
  ASSERT_THAT(Glue("CreateJob", job), IsOk());
  EXPECT_EQ(RunJob("etl")["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(Glue("GetJobRuns", {{"JobName", "etl"}})->json["JobRuns"].size(), 1u);
}

TEST_F(GlueJobsTest, RunFailsWhenRoleLacksKmsEncryptOnTheBookmarkKey) {
  CreateRole("NoBookmarkKey", Trust(R"({"Service":"glue.amazonaws.com"})"));
  PutRolePolicy("NoBookmarkKey", "runtime", RuntimePolicy());
  PutRolePolicy("NoBookmarkKey", "s3key",
                KmsPolicy({"kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"}, s3_key_));
  PutRolePolicy("NoBookmarkKey", "bookmark", KmsPolicy({"kms:Decrypt"}, bookmark_key_));
  ASSERT_THAT(Glue("CreateJob", JobInput("etl", "NoBookmarkKey")), IsOk());
  Json run = RunJob("etl");
  EXPECT_EQ(run["JobRunState"], "FAILED");
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(),
              HasSubstr("is not authorized to perform: kms:Encrypt on resource: " + bookmark_key_));
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(),
              HasSubstr("(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException;"));
  EXPECT_THAT(Glue("GetJobBookmark", {{"JobName", "etl"}}), HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueJobsTest, RunFailsWhenTheLogsKeyPolicyLacksTheLogsPrincipal) {
  CreateSecurityConfiguration("sc-plain-logs-key", plain_logs_key_);
  ASSERT_THAT(Glue("CreateJob", JobInput("etl", "GlueJobRole", "sc-plain-logs-key")), IsOk());
  Json run = RunJob("etl");
  EXPECT_EQ(run["JobRunState"], "FAILED");
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(),
              HasSubstr("The specified KMS key does not exist or is not allowed to be used with Arn "
                        "'arn:aws:logs:us-east-1:000000000000:log-group:"
                        "/aws-glue/jobs/sc-plain-logs-key-role/GlueJobRole/output'"));
}

TEST_F(GlueJobsTest, RunFailsWhenTheRoleDoesNotTrustGlue) {
  CreateRole("LambdaRole", Trust(R"({"Service":"lambda.amazonaws.com"})"));
  ASSERT_THAT(Glue("CreateJob", JobInput("etl", "LambdaRole")), IsOk());
  Json run = RunJob("etl");
  EXPECT_EQ(run["JobRunState"], "FAILED");
  EXPECT_THAT(run["ErrorMessage"].get<std::string>(),
              HasSubstr("User: glue.amazonaws.com is not authorized to perform: sts:AssumeRole on "
                        "resource: " + RoleArnOf("LambdaRole")));
}

TEST_F(GlueJobsTest, CreateJobIsDeniedWithoutPassRole) {
  auto console = UserClient("console", {Allow("glue:*")});
  auto created = console->Json("glue", "CreateJob", JobInput("etl"));
  EXPECT_THAT(created, HasAwsErrorMessage(
                           "AccessDeniedException",
                           "User: " + UserArnOf("console") +
                               " is not authorized to perform: iam:PassRole on resource: " +
                               RoleArnOf("GlueJobRole") +
                               " because no identity-based policy allows the iam:PassRole action"));
  EXPECT_THAT(console->Json("glue", "GetJob", {{"JobName", "etl"}}),
              HasAwsError("EntityNotFoundException"));
  PutUserPolicy("console", "pass", Allow("iam:PassRole", RoleArnOf("GlueJobRole")));
  EXPECT_THAT(console->Json("glue", "CreateJob", JobInput("etl")), IsOk());
}

TEST_F(GlueJobsTest, SecondBookmarkedRunSkipsProcessedInput) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  Json first = RunJob("etl");
  ASSERT_EQ(first["JobRunState"], "SUCCEEDED") << first.dump();
  PutInput("input/b.csv", "customer,region,amount\nContoso Outdoor,south,830\n");
  Json second = RunJob("etl");
  ASSERT_EQ(second["JobRunState"], "SUCCEEDED") << second.dump();
  Json out = S3("GetObject", {{"Bucket", kBucket},
                              {"Key", "output/etl/run-" + second["Id"].get<std::string>() +
                                          "-part-r-00000"}});
  std::string rows = *crypto::Base64Decode(out["Body"].get<std::string>());
  EXPECT_THAT(rows, HasSubstr("Contoso Outdoor"));
  EXPECT_THAT(rows, ::testing::Not(HasSubstr("Northwind Traders")));
  auto bookmark = Glue("GetJobBookmark", {{"JobName", "etl"}});
  ASSERT_THAT(bookmark, IsOk());
  EXPECT_EQ(bookmark->json["JobBookmarkEntry"]["RunId"], second["Id"]);
  EXPECT_EQ(bookmark->json["JobBookmarkEntry"]["PreviousRunId"], first["Id"]);
  EXPECT_EQ(bookmark->json["JobBookmarkEntry"]["Run"], 2);
}

TEST_F(GlueJobsTest, ResetJobBookmarkMakesTheNextRunReadEverything) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  ASSERT_EQ(RunJob("etl")["JobRunState"], "SUCCEEDED");
  ASSERT_THAT(Glue("ResetJobBookmark", {{"JobName", "etl"}}), IsOk());
  EXPECT_THAT(Glue("GetJobBookmark", {{"JobName", "etl"}}), HasAwsError("EntityNotFoundException"));
  Json again = RunJob("etl");
  Json out = S3("GetObject", {{"Bucket", kBucket},
                              {"Key", "output/etl/run-" + again["Id"].get<std::string>() +
                                          "-part-r-00000"}});
  EXPECT_THAT(*crypto::Base64Decode(out["Body"].get<std::string>()), HasSubstr("Northwind Traders"));
}

TEST_F(GlueJobsTest, BookmarkOutputAndLogEventsAreCiphertextAtRest) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  Json run = RunJob("etl");
  ASSERT_EQ(run["JobRunState"], "SUCCEEDED");
  auto bookmark = Inspect("job-bookmark", "etl", "input/a.csv");
  ASSERT_EQ(bookmark.size(), 1u);
  EXPECT_EQ(bookmark[0].scheme, "CSE-KMS");
  EXPECT_EQ(bookmark[0].protected_by, bookmark_key_);
  EXPECT_FALSE(bookmark[0].probe_found);
  const std::string key = "output/etl/run-" + run["Id"].get<std::string>() + "-part-r-00000";
  for (const auto& r : Inspect("s3-object", std::string(kBucket) + "/" + key, "Northwind Traders")) {
    EXPECT_FALSE(r.probe_found) << r.part;
    EXPECT_EQ(r.protected_by, s3_key_) << r.part;
  }
  auto events = Inspect("log-events", "/aws-glue/jobs/sc-role/GlueJobRole/output",
                        run["Id"].get<std::string>());
  ASSERT_FALSE(events.empty());
  for (const auto& r : events) {
    EXPECT_FALSE(r.probe_found) << r.part;
    EXPECT_EQ(r.protected_by, logs_key_) << r.part;
  }
}

TEST_F(GlueJobsTest, RunWithoutSecurityConfigurationUsesPlainLogsAndARootKeyBookmark) {
  ASSERT_THAT(Glue("CreateJob", JobInput("plain", "GlueJobRole", "")), IsOk());
  Json run = RunJob("plain");
  ASSERT_EQ(run["JobRunState"], "SUCCEEDED") << run.dump();
  EXPECT_EQ(run["LogGroupName"], "/aws-glue/jobs");
  EXPECT_FALSE(run.contains("SecurityConfiguration"));
  Json head = S3("HeadObject", {{"Bucket", kBucket},
                                {"Key", "output/plain/run-" + run["Id"].get<std::string>() +
                                            "-part-r-00000"}});
  EXPECT_NE(head.value("ServerSideEncryption", ""), "aws:kms");
  auto streams = Root().Json("logs", "DescribeLogStreams", {{"logGroupName", "/aws-glue/jobs/output"}});
  ASSERT_THAT(streams, IsOk());
  ASSERT_EQ(streams->json["logStreams"].size(), 1u);
  EXPECT_EQ(streams->json["logStreams"][0]["logStreamName"], run["Id"]);
  auto bookmark = Glue("GetJobBookmark", {{"JobName", "plain"}});
  ASSERT_THAT(bookmark, IsOk());
  EXPECT_THAT(bookmark->json["JobBookmarkEntry"]["JobBookmark"].get<std::string>(),
              HasSubstr(std::string("s3://") + kBucket + "/input/a.csv"));
  auto records = Inspect("job-bookmark", "plain", "input/a.csv");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].scheme, "root-key");
  EXPECT_FALSE(records[0].probe_found);
}

TEST_F(GlueJobsTest, StartJobRunFailsWhenConcurrentRunsAreExceeded) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  GlueService().runtime().Hold(true);
  auto first = Glue("StartJobRun", {{"JobName", "etl"}});
  ASSERT_THAT(first, IsOk());
  auto got = Glue("GetJobRun", {{"JobName", "etl"}, {"RunId", first->json["JobRunId"]}});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->json["JobRun"]["JobRunState"], "STARTING");
  EXPECT_THAT(Glue("StartJobRun", {{"JobName", "etl"}}),
              HasAwsError("ConcurrentRunsExceededException"));
  GlueService().runtime().Hold(false);
  GlueService().WaitForRuns();
  EXPECT_THAT(Glue("StartJobRun", {{"JobName", "etl"}}), IsOk());
  GlueService().WaitForRuns();
}

TEST_F(GlueJobsTest, BatchStopJobRunStopsAStartingRun) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  GlueService().runtime().Hold(true);
  auto started = Glue("StartJobRun", {{"JobName", "etl"}});
  ASSERT_THAT(started, IsOk());
  auto stopped = Glue("BatchStopJobRun",
                      {{"JobName", "etl"}, {"JobRunIds", {started->json["JobRunId"]}}});
  ASSERT_THAT(stopped, IsOk());
  EXPECT_EQ(stopped->json["SuccessfulSubmissions"].size(), 1u);
  GlueService().runtime().Hold(false);
  GlueService().WaitForRuns();
  auto got = Glue("GetJobRun", {{"JobName", "etl"}, {"RunId", started->json["JobRunId"]}});
  EXPECT_EQ(got->json["JobRun"]["JobRunState"], "STOPPED");
}

TEST_F(GlueJobsTest, JobsAreListedUpdatedAndDeleted) {
  ASSERT_THAT(Glue("CreateJob", JobInput("a")), IsOk());
  ASSERT_THAT(Glue("CreateJob", JobInput("b")), IsOk());
  EXPECT_THAT(Glue("CreateJob", JobInput("a")), HasAwsError("AlreadyExistsException"));
  auto listed = Glue("ListJobs", Json::object());
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->json["JobNames"], Json::array({"a", "b"}));
  auto batch = Glue("BatchGetJobs", {{"JobNames", {"a", "zz"}}});
  ASSERT_THAT(batch, IsOk());
  EXPECT_EQ(batch->json["Jobs"].size(), 1u);
  EXPECT_EQ(batch->json["JobsNotFound"], Json::array({"zz"}));
  Json update = JobInput("a");
  update.erase("Name");
  update["Description"] = "updated";
  ASSERT_THAT(Glue("UpdateJob", {{"JobName", "a"}, {"JobUpdate", update}}), IsOk());
  auto got = Glue("GetJob", {{"JobName", "a"}});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->json["Job"]["Description"], "updated");
  ASSERT_THAT(Glue("DeleteJob", {{"JobName", "a"}}), IsOk());
  EXPECT_THAT(Glue("GetJob", {{"JobName", "a"}}), HasAwsError("EntityNotFoundException"));
  EXPECT_THAT(Glue("StartJobRun", {{"JobName", "a"}}), HasAwsError("EntityNotFoundException"));
}

// With a file-backed data directory: the rows the job wrote and the text of
// its driver log never appear in plaintext in any file gee keeps.
class GlueJobsOnDiskTest : public GlueJobsTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "data").string();
  }

  std::string RawFiles() {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  ScopedTempDir dir_;
};

TEST_F(GlueJobsOnDiskTest, OutputRowsAndLogTextAreNotStoredInPlaintext) {
  ASSERT_THAT(Glue("CreateJob", JobInput("etl")), IsOk());
  Json run = RunJob("etl");
  ASSERT_EQ(run["JobRunState"], "SUCCEEDED") << run.dump();
  auto events = Root().Json("logs", "GetLogEvents",
                            {{"logGroupName", "/aws-glue/jobs/sc-role/GlueJobRole/output"},
                             {"logStreamName", run["Id"]}, {"startFromHead", true}});
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(events->json.dump(), HasSubstr("new input objects"));
  std::string raw = RawFiles();
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(raw.find("Northwind Traders"), std::string::npos);
  EXPECT_EQ(raw.find("new input objects"), std::string::npos);
  EXPECT_EQ(raw.find("Saved the job bookmark"), std::string::npos);
}

// ---- Crawlers ----

class GlueCrawlerTest : public GlueJobsTest {
 protected:
  void SetUp() override {
    GlueJobsTest::SetUp();
    ASSERT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "sales"}}}}), IsOk());
    CreateRole("CrawlerRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
    PutRolePolicy("CrawlerRole", "runtime", RuntimePolicy());
    PutRolePolicy("CrawlerRole", "glue",
                  Policy("Allow", R"("Action":["glue:GetTable","glue:CreateTable","glue:UpdateTable"])", Resource("*")));
  }

  Json CrawlerInput(const std::string& name) {
    return {{"Name", name},
            {"Role", "CrawlerRole"},
            {"DatabaseName", "sales"},
            {"CrawlerSecurityConfiguration", "sc"},
            {"Targets", {{"S3Targets", {{{"Path", std::string("s3://") + kBucket + "/input/"}}}}}}};
  }
};

TEST_F(GlueCrawlerTest, CrawlCreatesTheTableFromCsvHeaders) {
  ASSERT_THAT(Glue("CreateCrawler", CrawlerInput("c")), IsOk());
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  GlueService().WaitForRuns();
  auto crawler = Glue("GetCrawler", {{"Name", "c"}});
  ASSERT_THAT(crawler, IsOk());
  EXPECT_EQ(crawler->json["Crawler"]["State"], "READY");
  EXPECT_EQ(crawler->json["Crawler"]["LastCrawl"]["Status"], "SUCCEEDED")
      << crawler->json.dump();
  EXPECT_EQ(crawler->json["Crawler"]["LastCrawl"]["LogGroup"], "/aws-glue/crawlers-role/CrawlerRole-sc");
  auto table = Glue("GetTable", {{"DatabaseName", "sales"}, {"Name", "input"}});
  ASSERT_THAT(table, IsOk());
  Json columns = table->json["Table"]["StorageDescriptor"]["Columns"];
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0]["Name"], "customer");
  EXPECT_EQ(columns[0]["Type"], "string");
  EXPECT_EQ(columns[2]["Name"], "amount");
  EXPECT_EQ(columns[2]["Type"], "bigint");
  EXPECT_EQ(table->json["Table"]["Parameters"]["classification"], "csv");
  auto groups = Root().Json("logs", "DescribeLogGroups",
                            {{"logGroupNamePrefix", "/aws-glue/crawlers-role/CrawlerRole-sc"}});
  ASSERT_THAT(groups, IsOk());
  ASSERT_EQ(groups->json["logGroups"].size(), 1u);
  EXPECT_EQ(groups->json["logGroups"][0]["kmsKeyId"], logs_key_);
  auto metrics = Glue("GetCrawlerMetrics", {{"CrawlerNameList", {"c"}}});
  ASSERT_THAT(metrics, IsOk());
  EXPECT_EQ(metrics->json["CrawlerMetricsList"][0]["TablesCreated"], 1);
}

TEST_F(GlueCrawlerTest, SecondCrawlUpdatesTheTableWithNewColumns) {
  ASSERT_THAT(Glue("CreateCrawler", CrawlerInput("c")), IsOk());
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  GlueService().WaitForRuns();
  PutInput("input/b.json", "{\"customer\":\"Contoso\",\"discount\":0.5}\n");
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  GlueService().WaitForRuns();
  auto table = Glue("GetTable", {{"DatabaseName", "sales"}, {"Name", "input"}});
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ(table->json["Table"]["StorageDescriptor"]["Columns"].size(), 4u);
  auto metrics = Glue("GetCrawlerMetrics", {{"CrawlerNameList", {"c"}}});
  EXPECT_EQ(metrics->json["CrawlerMetricsList"][0]["TablesUpdated"], 1);
}

TEST_F(GlueCrawlerTest, CrawlFailsWhenTheRoleMayNotCreateTables) {
  CreateRole("ReadOnlyCrawler", Trust(R"({"Service":"glue.amazonaws.com"})"));
  PutRolePolicy("ReadOnlyCrawler", "runtime", RuntimePolicy());
  PutRolePolicy("ReadOnlyCrawler", "glue", Allow("glue:GetTable"));
  Json input = CrawlerInput("c");
  input["Role"] = "ReadOnlyCrawler";
  ASSERT_THAT(Glue("CreateCrawler", input), IsOk());
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  GlueService().WaitForRuns();
  auto crawler = Glue("GetCrawler", {{"Name", "c"}});
  ASSERT_THAT(crawler, IsOk());
  EXPECT_EQ(crawler->json["Crawler"]["LastCrawl"]["Status"], "FAILED");
  EXPECT_THAT(crawler->json["Crawler"]["LastCrawl"]["ErrorMessage"].get<std::string>(),
              HasSubstr("is not authorized to perform: glue:CreateTable"));
}

TEST_F(GlueCrawlerTest, CrawlFailsForTargetsGeeDoesNotEmulate) {
  Json input = CrawlerInput("c");
  input["Targets"]["JdbcTargets"] = {{{"ConnectionName", "db"}, {"Path", "sales/%"}}};
  ASSERT_THAT(Glue("CreateCrawler", input), IsOk());
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  GlueService().WaitForRuns();
  auto crawler = Glue("GetCrawler", {{"Name", "c"}});
  ASSERT_THAT(crawler, IsOk());
  EXPECT_EQ(crawler->json["Crawler"]["LastCrawl"]["Status"], "FAILED");
  EXPECT_THAT(crawler->json["Crawler"]["LastCrawl"]["ErrorMessage"].get<std::string>(),
              HasSubstr("JdbcTargets are not supported"));
}

TEST_F(GlueCrawlerTest, StartCrawlerFailsWhileRunning) {
  ASSERT_THAT(Glue("CreateCrawler", CrawlerInput("c")), IsOk());
  GlueService().runtime().Hold(true);
  ASSERT_THAT(Glue("StartCrawler", {{"Name", "c"}}), IsOk());
  EXPECT_THAT(Glue("StartCrawler", {{"Name", "c"}}), HasAwsError("CrawlerRunningException"));
  EXPECT_THAT(Glue("DeleteCrawler", {{"Name", "c"}}), HasAwsError("CrawlerRunningException"));
  GlueService().runtime().Hold(false);
  GlueService().WaitForRuns();
  EXPECT_THAT(Glue("DeleteCrawler", {{"Name", "c"}}), IsOk());
  EXPECT_THAT(Glue("GetCrawler", {{"Name", "c"}}), HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueCrawlerTest, CrawlersAreListed) {
  ASSERT_THAT(Glue("CreateCrawler", CrawlerInput("c1")), IsOk());
  ASSERT_THAT(Glue("CreateCrawler", CrawlerInput("c2")), IsOk());
  EXPECT_THAT(Glue("CreateCrawler", CrawlerInput("c1")), HasAwsError("AlreadyExistsException"));
  auto listed = Glue("ListCrawlers", Json::object());
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->json["CrawlerNames"], Json::array({"c1", "c2"}));
  auto got = Glue("GetCrawlers", {{"MaxResults", 1}});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->json["Crawlers"].size(), 1u);
  EXPECT_TRUE(got->json.contains("NextToken"));
}

}  // namespace
}  // namespace gee::testing

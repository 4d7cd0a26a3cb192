// CloudWatch Logs over real HTTP: the JSON 1.1 wire format, the at-rest
// inspection endpoint, a file-backed data directory whose raw bytes must not
// contain any event text, and the in-process LogsClient.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/environment.h"
#include "services/logs/logs_client.h"
#include "tests/testing/emulator_fixture.h"
#include "tests/integration/logs_test_support.h"
#include "tests/testing/temp_dir.h"

namespace gee {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;

constexpr int64_t kNowMs = testing::kTestEpochSeconds * 1000;

class LogsHttpTest : public EmulatorTest {
 protected:
  void CreateGroupAndStream(const std::string& group, const std::string& stream) {
    ASSERT_THAT(Root().Json("logs", "CreateLogGroup", {{"logGroupName", group}}), IsOk());
    ASSERT_THAT(Root().Json("logs", "CreateLogStream",
                            {{"logGroupName", group}, {"logStreamName", stream}}),
                IsOk());
  }
  Result<harness::ApiResponse> Put(const std::string& group, const std::string& stream,
                                   const std::vector<std::string>& messages) {
    json events = json::array();
    for (size_t i = 0; i < messages.size(); ++i) {
      events.push_back({{"timestamp", kNowMs + static_cast<int64_t>(i)}, {"message", messages[i]}});
    }
    return Root().Json("logs", "PutLogEvents",
                       {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", events}});
  }
  Result<json> Inspect(const std::string& id, const std::string& probe) {
    return testing::InspectLogEvents(Root(), id, probe);
  }
};

TEST_F(LogsHttpTest, EventsRoundTripOverTheJsonProtocol) {
  CreateGroupAndStream("/app/web", "i-1");
  auto put = Put("/app/web", "i-1", {"GET /index 200", "GET /missing 404"});
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(put->json.at("nextSequenceToken").get<std::string>().size(), 56u);
  auto get = Root().Json("logs", "GetLogEvents", {{"logGroupName", "/app/web"},
                                                  {"logStreamName", "i-1"},
                                                  {"startFromHead", true}});
  ASSERT_THAT(get, IsOk());
  ASSERT_EQ(get->json.at("events").size(), 2u);
  EXPECT_EQ(get->json["events"][1]["message"], "GET /missing 404");
  EXPECT_EQ(get->json["events"][1]["timestamp"], kNowMs + 1);
  EXPECT_EQ(get->json["events"][1]["ingestionTime"], kNowMs);
}

TEST_F(LogsHttpTest, ErrorsCarryTypeAndLowerCaseMessageWithStatus400) {
  auto r = Root().Json("logs", "DeleteLogGroup", {{"logGroupName", "nope"}});
  EXPECT_THAT(r, HasAwsErrorMessage("ResourceNotFoundException",
                                    "The specified log group does not exist."));
  EXPECT_EQ(r->http.status, 400);
  EXPECT_EQ(r->json.at("__type"), "ResourceNotFoundException");
  EXPECT_EQ(r->json.at("message"), "The specified log group does not exist.");
}

TEST_F(LogsHttpTest, OverLongNameGetsTheLogsTextNotTheGenericValidationText) {
  auto r = Root().Json("logs", "CreateLogGroup", {{"logGroupName", std::string(600, 'x')}});
  EXPECT_THAT(r, HasAwsErrorMessage("InvalidParameterException",
                                    "Invalid LogGroup or LogStream, both must have length less "
                                    "than or equal to 512."));
}

TEST_F(LogsHttpTest, UnknownOperationIsUnknownOperationException) {
  auto r = Root().Json("logs", "NoSuchOperation", json::object());
  EXPECT_THAT(r, HasAwsError("UnknownOperationException"));
  EXPECT_EQ(r->http.status, 400);
}

TEST_F(LogsHttpTest, InspectEndpointReportsOneRecordPerBatchWithoutThePlaintext) {
  CreateGroupAndStream("/app/web", "i-1");
  ASSERT_THAT(Put("/app/web", "i-1", {"card=4111111111111111"}), IsOk());
  ASSERT_THAT(Put("/app/web", "i-1", {"second batch"}), IsOk());
  auto report = Inspect("/app/web/i-1", "card=4111111111111111");
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->at("records").size(), 2u);
  for (const json& record : report->at("records")) {
    EXPECT_EQ(record.at("scheme"), "root-key");
    EXPECT_EQ(record.at("probe_found"), false);
    EXPECT_GT(record.at("stored_bytes").get<int>(), 0);
  }
}

TEST_F(LogsHttpTest, LogsClientRunsOperationsAsTheGivenPrincipal) {
  Environment& env = emulator().env();
  logs::LogsClient client(env);
  RequestContext ctx = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  ASSERT_THAT(client.CreateLogGroup(ctx, "/aws-glue/jobs/output"), IsOk());
  EXPECT_THAT(client.CreateLogGroup(ctx, "/aws-glue/jobs/output"),
              HasAwsError("ResourceAlreadyExistsException"));
  ASSERT_THAT(client.CreateLogStream(ctx, "/aws-glue/jobs/output", "jr_1"), IsOk());
  std::vector<logs::InputLogEvent> events = {{kNowMs, "job started"}, {kNowMs + 1, "job done"}};
  auto put = client.PutLogEvents(ctx, "/aws-glue/jobs/output", "jr_1", events);
  ASSERT_THAT(put, IsOk());
  EXPECT_FALSE(put->too_new_start_index.has_value());
  auto got = client.GetLogEvents(ctx, "/aws-glue/jobs/output", "jr_1");
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->events.size(), 2u);
  EXPECT_EQ(got->events[1].message, "job done");
  auto info = client.DescribeLogGroup(ctx, "/aws-glue/jobs/output");
  ASSERT_THAT(info, IsOk());
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->arn, "arn:aws:logs:us-east-1:000000000000:log-group:/aws-glue/jobs/output");
  EXPECT_FALSE((*info)->kms_key_id.has_value());
  // The caller's context is not rewritten by the call.
  EXPECT_TRUE(ctx.service.empty());
}

// A data directory on disk: the raw database files must never hold event text.
class LogsDataDirTest : public LogsHttpTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "state").string();
  }

  // Every byte of every file in the data directory.
  std::string RawState() { return testing::RawDirectoryBytes(dir_.path() / "state"); }

  testing::ScopedTempDir dir_;
};

TEST_F(LogsDataDirTest, StoredFilesHoldNoEventPlaintext) {
  const std::vector<std::string> secrets = {"PLAINTEXT-ALPHA-7f3a91", "PLAINTEXT-BRAVO-2c8e04",
                                            "password=hunter2-PLAINTEXT-CHARLIE"};
  // The group name is stored in clear: it proves the scan reads the files.
  CreateGroupAndStream("visible-name-marker-51aa", "s");
  for (int i = 0; i < 20; ++i) ASSERT_THAT(Put("visible-name-marker-51aa", "s", secrets), IsOk());

  std::string raw = RawState();
  ASSERT_NE(raw.find("visible-name-marker-51aa"), std::string::npos);
  for (const std::string& secret : secrets) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret;
  }
  // And the events are still there for readers.
  auto get = Root().Json("logs", "GetLogEvents", {{"logGroupName", "visible-name-marker-51aa"},
                                                  {"logStreamName", "s"},
                                                  {"startFromHead", true}});
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->json.at("events").size(), 60u);
  auto report = Inspect("visible-name-marker-51aa", secrets[0]);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->at("records").size(), 20u);
  for (const json& record : report->at("records")) {
    EXPECT_EQ(record.at("scheme"), "root-key");
    EXPECT_EQ(record.at("probe_found"), false);
  }
}

}  // namespace
}  // namespace gee

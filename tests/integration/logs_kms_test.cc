// CloudWatch Logs with real KMS keys over HTTP: Logs uses the key as
// logs.REGION.amazonaws.com, so only the key policy decides (spec §6.2);
// events of keyed groups are sealed under KMS data keys and become
// unreadable when the key does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/testing/emulator_fixture.h"
#include "tests/integration/logs_test_support.h"
#include "tests/testing/temp_dir.h"

namespace gee {
namespace {

using nlohmann::json;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;

constexpr int64_t kNowMs = testing::kTestEpochSeconds * 1000;
constexpr char kRoot[] = R"({"Sid":"Root","Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"kms:*","Resource":"*"})";

std::string LogsStatement(const std::string& region, const std::string& condition = "") {
  return R"({"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logs.)" + region +
         R"(.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*",
         "kms:GenerateDataKey*","kms:Describe*"],"Resource":"*")" +
         (condition.empty() ? "" : ",\"Condition\":" + condition) + "}";
}

std::string Policy(const std::vector<std::string>& statements) {
  std::string out = R"({"Version":"2012-10-17","Statement":[)";
  for (size_t i = 0; i < statements.size(); ++i) out += (i ? "," : "") + statements[i];
  return out + "]}";
}

std::string Denied(const std::string& group) {
  return "The specified KMS key does not exist or is not allowed to be used with Arn "
         "'arn:aws:logs:us-east-1:000000000000:log-group:" +
         group + "'";
}

class LogsKmsTest : public EmulatorTest {
 protected:
  std::string CreateKey(const std::string& policy, const json& extra = json::object()) {
    json input = extra;
    input["Policy"] = policy;
    auto r = Root().Json("kms", "CreateKey", input);
    EXPECT_THAT(r, IsOk());
    return r.ok() && r->ok() ? r->json["KeyMetadata"]["Arn"].get<std::string>() : "";
  }
  std::string LogsKey() { return CreateKey(Policy({kRoot, LogsStatement("us-east-1")})); }

  Result<harness::ApiResponse> CreateGroup(const std::string& group, const std::string& key) {
    return Root().Json("logs", "CreateLogGroup", {{"logGroupName", group}, {"kmsKeyId", key}});
  }
  void CreateStream(const std::string& group, const std::string& stream) {
    ASSERT_THAT(Root().Json("logs", "CreateLogStream",
                            {{"logGroupName", group}, {"logStreamName", stream}}),
                IsOk());
  }
  Result<harness::ApiResponse> Put(const std::string& group, const std::string& stream,
                                   const std::vector<std::string>& messages, int64_t at = kNowMs) {
    json events = json::array();
    for (size_t i = 0; i < messages.size(); ++i) {
      events.push_back({{"timestamp", at + static_cast<int64_t>(i)}, {"message", messages[i]}});
    }
    return Root().Json("logs", "PutLogEvents",
                       {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", events}});
  }
  Result<harness::ApiResponse> Get(const std::string& group, const std::string& stream) {
    return Root().Json("logs", "GetLogEvents", {{"logGroupName", group},
                                                {"logStreamName", stream},
                                                {"startFromHead", true}});
  }
  static std::vector<std::string> Messages(const harness::ApiResponse& r) {
    std::vector<std::string> out;
    for (const json& e : r.json.at("events")) out.push_back(e.at("message"));
    return out;
  }
  Result<json> Inspect(const std::string& id, const std::string& probe) {
    return testing::InspectLogEvents(Root(), id, probe);
  }
};

TEST_F(LogsKmsTest, CreateLogGroupIsDeniedEvenToRootWhenTheKeyPolicyLacksTheLogsPrincipal) {
  std::string key = CreateKey(Policy({kRoot}));
  EXPECT_THAT(CreateGroup("secure", key),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  auto groups = Root().Json("logs", "DescribeLogGroups", json::object());
  EXPECT_TRUE(groups->json.at("logGroups").empty());
}

TEST_F(LogsKmsTest, CreateLogGroupIsDeniedWhenOnlyTheLogsPrincipalOfAnotherRegionIsAllowed) {
  std::string key = CreateKey(Policy({kRoot, LogsStatement("us-west-2")}));
  EXPECT_THAT(CreateGroup("secure", key),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
}

TEST_F(LogsKmsTest, KeyWithTheLogsPrincipalEncryptsEventsThatReadBack) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {"first secret", "second secret"}), IsOk());
  auto get = Get("secure", "s");
  ASSERT_THAT(get, IsOk());
  EXPECT_THAT(Messages(*get), ::testing::ElementsAre("first secret", "second secret"));
  auto filtered = Root().Json("logs", "FilterLogEvents",
                              {{"logGroupName", "secure"}, {"filterPattern", "second"}});
  ASSERT_THAT(filtered, IsOk());
  EXPECT_THAT(Messages(*filtered), ::testing::ElementsAre("second secret"));
  auto groups = Root().Json("logs", "DescribeLogGroups", json::object());
  EXPECT_EQ(groups->json["logGroups"][0]["kmsKeyId"], key);
  auto report = Inspect("secure/s", "first secret");
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->at("records").size(), 1u);
  EXPECT_EQ(report->at("records")[0]["scheme"], "SSE-KMS");
  EXPECT_EQ(report->at("records")[0]["protected_by"], key);
  EXPECT_EQ(report->at("records")[0]["probe_found"], false);
}

TEST_F(LogsKmsTest, EncryptionContextConditionLimitsTheKeyToOneLogGroup) {
  std::string condition =
      R"({"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:000000000000:log-group:allowed"}})";
  std::string key = CreateKey(Policy({kRoot, LogsStatement("us-east-1", condition)}));
  EXPECT_THAT(CreateGroup("allowed", key), IsOk());
  EXPECT_THAT(CreateGroup("other", key),
              HasAwsErrorMessage("AccessDeniedException", Denied("other")));
}

TEST_F(LogsKmsTest, AssociateKmsKeyIsDeniedForAKeyWithoutTheLogsPrincipal) {
  ASSERT_THAT(Root().Json("logs", "CreateLogGroup", {{"logGroupName", "secure"}}), IsOk());
  std::string key = CreateKey(Policy({kRoot}));
  EXPECT_THAT(Root().Json("logs", "AssociateKmsKey",
                          {{"logGroupName", "secure"}, {"kmsKeyId", key}}),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  EXPECT_THAT(Root().Json("logs", "AssociateKmsKey",
                          {{"logGroupName", "secure"}, {"kmsKeyId", LogsKey()}}),
              IsOk());
}

TEST_F(LogsKmsTest, KeyIdsAliasesAndAsymmetricKeysAreRefused) {
  std::string key = LogsKey();
  std::string key_id = key.substr(key.rfind('/') + 1);
  EXPECT_THAT(CreateGroup("secure", key_id),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  ASSERT_THAT(Root().Json("kms", "CreateAlias", {{"AliasName", "alias/logs"}, {"TargetKeyId", key}}),
              IsOk());
  EXPECT_THAT(CreateGroup("secure", "arn:aws:kms:us-east-1:000000000000:alias/logs"),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  std::string rsa = CreateKey(Policy({kRoot, LogsStatement("us-east-1")}),
                              {{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  EXPECT_THAT(CreateGroup("secure", rsa),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
}

TEST_F(LogsKmsTest, ReadsFailWhileTheKeyIsDisabledAndWorkAgainWhenEnabled) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {"kept"}), IsOk());
  ASSERT_THAT(Root().Json("kms", "DisableKey", {{"KeyId", key}}), IsOk());
  EXPECT_THAT(Get("secure", "s"), HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  EXPECT_THAT(Root().Json("logs", "FilterLogEvents", {{"logGroupName", "secure"}}),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
  ASSERT_THAT(Root().Json("kms", "EnableKey", {{"KeyId", key}}), IsOk());
  auto get = Get("secure", "s");
  ASSERT_THAT(get, IsOk());
  EXPECT_THAT(Messages(*get), ::testing::ElementsAre("kept"));
}

TEST_F(LogsKmsTest, ReadsFailOnceTheKeyIsPendingDeletion) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {"kept"}), IsOk());
  ASSERT_THAT(Root().Json("kms", "ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 7}}),
              IsOk());
  EXPECT_THAT(Get("secure", "s"), HasAwsError("AccessDeniedException"));
}

TEST_F(LogsKmsTest, ReadsFailWhenTheKeyPolicyDropsTheLogsPrincipal) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {"kept"}), IsOk());
  ASSERT_THAT(Root().Json("kms", "PutKeyPolicy",
                          {{"KeyId", key}, {"PolicyName", "default"}, {"Policy", Policy({kRoot})}}),
              IsOk());
  EXPECT_THAT(Get("secure", "s"), HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
}

TEST_F(LogsKmsTest, WritesUseTheCachedDataKeyUntilItExpiresThenFailForADisabledKey) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Root().Json("kms", "DisableKey", {{"KeyId", key}}), IsOk());
  // Within the data key's lifetime (documented: up to five minutes).
  EXPECT_THAT(Put("secure", "s", {"cached"}), IsOk());
  clock().AdvanceSeconds(300);
  EXPECT_THAT(Put("secure", "s", {"refused"}, kNowMs + 300000),
              HasAwsErrorMessage("AccessDeniedException", Denied("secure")));
}

TEST_F(LogsKmsTest, DisassociateKmsKeyKeepsOldEventsReadableAndEncryptsNewOnesByDefault) {
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("secure", key), IsOk());
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {"under kms"}), IsOk());
  ASSERT_THAT(Root().Json("logs", "DisassociateKmsKey", {{"logGroupName", "secure"}}), IsOk());
  ASSERT_THAT(Put("secure", "s", {"under default"}, kNowMs + 10), IsOk());
  auto get = Get("secure", "s");
  ASSERT_THAT(get, IsOk());
  EXPECT_THAT(Messages(*get), ::testing::ElementsAre("under kms", "under default"));
  auto report = Inspect("secure", "under");
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->at("records").size(), 2u);
  EXPECT_EQ(report->at("records")[0]["scheme"], "SSE-KMS");
  EXPECT_EQ(report->at("records")[1]["scheme"], "root-key");
  // Old events still need the key.
  ASSERT_THAT(Root().Json("kms", "DisableKey", {{"KeyId", key}}), IsOk());
  EXPECT_THAT(Get("secure", "s"), HasAwsError("AccessDeniedException"));
}

// A data directory on disk with a keyed group: no event text in any file.
class LogsKmsDataDirTest : public LogsKmsTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "state").string();
  }
  std::string RawState() { return testing::RawDirectoryBytes(dir_.path() / "state"); }
  testing::ScopedTempDir dir_;
};

TEST_F(LogsKmsDataDirTest, StoredFilesHoldNoEventPlaintextAndEveryBatchNamesItsKey) {
  const std::vector<std::string> secrets = {"KMS-PLAINTEXT-DELTA-90be11", "KMS-PLAINTEXT-ECHO-4d2f77"};
  std::string key = LogsKey();
  ASSERT_THAT(CreateGroup("visible-kms-group-marker", key), IsOk());
  CreateStream("visible-kms-group-marker", "s");
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(Put("visible-kms-group-marker", "s", secrets, kNowMs + i * 10), IsOk());
  }
  std::string raw = RawState();
  ASSERT_NE(raw.find("visible-kms-group-marker"), std::string::npos);
  for (const std::string& secret : secrets) EXPECT_EQ(raw.find(secret), std::string::npos) << secret;
  auto report = Inspect("visible-kms-group-marker", secrets[1]);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->at("records").size(), 10u);
  for (const json& record : report->at("records")) {
    EXPECT_EQ(record.at("scheme"), "SSE-KMS");
    EXPECT_EQ(record.at("protected_by"), key);
    EXPECT_EQ(record.at("probe_found"), false);
  }
}

}  // namespace
}  // namespace gee

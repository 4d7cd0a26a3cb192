// CloudWatch Logs encryption at rest against a recording fake KMS: Logs uses
// KMS as logs.REGION.amazonaws.com with the aws:logs:arn context, caches
// write data keys, decrypts on every read, and the inspector names each
// batch's protection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/logs_test_fixture.h"

namespace gee::logs::testing {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;

constexpr char kGroupArn[] = "arn:aws:logs:us-east-1:000000000000:log-group:secure";
constexpr char kDenied[] =
    "The specified KMS key does not exist or is not allowed to be used with Arn "
    "'arn:aws:logs:us-east-1:000000000000:log-group:secure'";

class LogsEncryptionTest : public LogsServiceTest {
 protected:
  void SetUp() override {
    LogsServiceTest::SetUp();
    kms_->AddKey(KeyArn(1), {kLogsPrincipal});
    kms_->AddKey(KeyArn(2), {kLogsPrincipal});
  }

  std::vector<AtRestRecord> Inspect(const std::string& id, const std::string& probe = "") {
    auto records = logs_->inspector()->Inspect("log-events", id, probe);
    EXPECT_THAT(records, IsOk());
    return records.ok() ? *records : std::vector<AtRestRecord>();
  }

  std::vector<std::string> ReadAll() {
    auto r = Call("GetLogEvents",
                  {{"logGroupName", "secure"}, {"logStreamName", "s"}, {"startFromHead", true}});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? Messages(*r) : std::vector<std::string>();
  }
};

TEST_F(LogsEncryptionTest, CreateLogGroupWithKeyAsksKmsAsTheLogsPrincipalWithTheGroupContext) {
  CreateGroup("secure", KeyArn(1));
  ASSERT_EQ(kms_->calls().size(), 1u);
  const FakeKms::Call& call = kms_->calls()[0];
  EXPECT_EQ(call.operation, "GenerateDataKey");
  EXPECT_EQ(call.principal, "logs.us-east-1.amazonaws.com");
  EXPECT_EQ(call.key_id, KeyArn(1));
  EXPECT_EQ(call.context, (kms::EncryptionContextMap{{"aws:logs:arn", kGroupArn}}));
  EXPECT_EQ(call.source_arn, kGroupArn);
  EXPECT_EQ(call.source_account, "000000000000");
  auto d = Call("DescribeLogGroups", Json::object());
  EXPECT_EQ(d->at("logGroups")[0].at("kmsKeyId"), KeyArn(1));
}

TEST_F(LogsEncryptionTest, CreateLogGroupFailsWhenKmsRefusesTheLogsPrincipal) {
  kms_->AddKey(KeyArn(3), {"arn:aws:iam::000000000000:root"});
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(3)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  EXPECT_TRUE(Call("DescribeLogGroups", Json::object())->at("logGroups").empty());
}

TEST_F(LogsEncryptionTest, CreateLogGroupFailsWhenOnlyTheLogsPrincipalOfAnotherRegionIsAllowed) {
  kms_->AddKey(KeyArn(3), {"logs.us-west-2.amazonaws.com"});
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(3)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
}

TEST_F(LogsEncryptionTest, CreateLogGroupFailsForMissingDisabledOrAsymmetricKeys) {
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(9)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  kms_->SetEnabled(KeyArn(2), false);
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(2)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  kms_->AddAsymmetricKey(KeyArn(4), {kLogsPrincipal});
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(4)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
}

TEST_F(LogsEncryptionTest, CreateLogGroupFailsWithoutAskingKmsWhenKeyIdIsNotAKeyArn) {
  for (const char* id : {"00000001-0000-4000-8000-000000000000", "alias/logs",
                         "arn:aws:kms:us-east-1:000000000000:alias/logs", ""}) {
    EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "secure"}, {"kmsKeyId", id}}),
                HasAwsErrorMessage("AccessDeniedException", kDenied))
        << id;
  }
  EXPECT_TRUE(kms_->calls().empty());
}

TEST_F(LogsEncryptionTest, AssociateKmsKeyChecksTheKeyAndFailsForAMissingGroup) {
  EXPECT_THAT(Call("AssociateKmsKey", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(1)}}),
              HasAwsErrorMessage("ResourceNotFoundException",
                                 "The specified log group does not exist."));
  CreateGroup("secure");
  kms_->AddKey(KeyArn(3), {});
  EXPECT_THAT(Call("AssociateKmsKey", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(3)}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  EXPECT_FALSE(Call("DescribeLogGroups", Json::object())->at("logGroups")[0].contains("kmsKeyId"));
}

TEST_F(LogsEncryptionTest, AssociateKmsKeyAcceptsTheGroupArnAsResourceIdentifier) {
  CreateGroup("secure");
  ASSERT_THAT(Call("AssociateKmsKey", {{"resourceIdentifier", kGroupArn}, {"kmsKeyId", KeyArn(1)}}),
              IsOk());
  EXPECT_EQ(Call("DescribeLogGroups", Json::object())->at("logGroups")[0].at("kmsKeyId"),
            KeyArn(1));
  EXPECT_THAT(Call("AssociateKmsKey", {{"logGroupName", "secure"},
                                       {"resourceIdentifier", kGroupArn},
                                       {"kmsKeyId", KeyArn(1)}}),
              HasAwsError("InvalidParameterException"));
  EXPECT_THAT(Call("AssociateKmsKey",
                   {{"resourceIdentifier", "arn:aws:logs:us-east-1:000000000000:query-result:*"},
                    {"kmsKeyId", KeyArn(1)}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsEncryptionTest, PutLogEventsReusesTheCachedDataKey) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(Put("secure", "s", {{NowMs(), "event " + std::to_string(i)}}), IsOk());
  }
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 1);
  EXPECT_EQ(Inspect("secure").size(), 100u);
}

TEST_F(LogsEncryptionTest, PutLogEventsAsksKmsForANewDataKeyWhenTheCachedOneExpires) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "a"}}), IsOk());
  clock_.AdvanceSeconds(299);
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "b"}}), IsOk());
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 1);
  clock_.AdvanceSeconds(1);
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "c"}}), IsOk());
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 2);
  EXPECT_THAT(ReadAll(), ElementsAre("a", "b", "c"));
}

TEST_F(LogsEncryptionTest, PutLogEventsFailsOnceTheKeyIsDisabledAndTheCacheExpired) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  kms_->SetEnabled(KeyArn(1), false);
  clock_.AdvanceSeconds(300);
  EXPECT_THAT(Put("secure", "s", {{NowMs(), "lost"}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  EXPECT_TRUE(Inspect("secure").empty());
}

TEST_F(LogsEncryptionTest, GetLogEventsDecryptsEachDataKeyOnceAsTheLogsPrincipal) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  for (int i = 0; i < 5; ++i) ASSERT_THAT(Put("secure", "s", {{NowMs(), "x"}}), IsOk());
  size_t before = kms_->calls().size();
  EXPECT_EQ(ReadAll().size(), 5u);
  ASSERT_EQ(kms_->calls().size(), before + 1);
  const FakeKms::Call& call = kms_->calls().back();
  EXPECT_EQ(call.operation, "Decrypt");
  EXPECT_EQ(call.principal, "logs.us-east-1.amazonaws.com");
  EXPECT_EQ(call.context, (kms::EncryptionContextMap{{"aws:logs:arn", kGroupArn}}));
}

TEST_F(LogsEncryptionTest, ReadsFailAtOnceWhenTheKeyBecomesUnusable) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "secret"}}), IsOk());
  kms_->SetEnabled(KeyArn(1), false);
  EXPECT_THAT(Call("GetLogEvents", {{"logGroupName", "secure"}, {"logStreamName", "s"}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  EXPECT_THAT(Call("FilterLogEvents", {{"logGroupName", "secure"}}),
              HasAwsErrorMessage("AccessDeniedException", kDenied));
  kms_->SetEnabled(KeyArn(1), true);
  EXPECT_THAT(ReadAll(), ElementsAre("secret"));
}

TEST_F(LogsEncryptionTest, ReadsFailWhenTheKeyPolicyNoLongerAllowsTheLogsPrincipal) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "secret"}}), IsOk());
  kms_->SetAllowed(KeyArn(1), {});
  EXPECT_THAT(Call("GetLogEvents", {{"logGroupName", "secure"}, {"logStreamName", "s"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(LogsEncryptionTest, DisassociateKmsKeyUsesDefaultEncryptionForNewEventsOnly) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "before"}}), IsOk());
  ASSERT_THAT(Call("DisassociateKmsKey", {{"logGroupName", "secure"}}), IsOk());
  ASSERT_THAT(Put("secure", "s", {{NowMs() + 1, "after"}}), IsOk());
  auto records = Inspect("secure");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].scheme, "SSE-KMS");
  EXPECT_EQ(records[0].protected_by, KeyArn(1));
  EXPECT_EQ(records[1].scheme, "root-key");
  EXPECT_THAT(ReadAll(), ElementsAre("before", "after"));
  EXPECT_FALSE(Call("DescribeLogGroups", Json::object())->at("logGroups")[0].contains("kmsKeyId"));
}

TEST_F(LogsEncryptionTest, AssociateKmsKeyReplacesTheKeyForNewEvents) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "one"}}), IsOk());
  ASSERT_THAT(Call("AssociateKmsKey", {{"logGroupName", "secure"}, {"kmsKeyId", KeyArn(2)}}),
              IsOk());
  ASSERT_THAT(Put("secure", "s", {{NowMs() + 1, "two"}}), IsOk());
  auto records = Inspect("secure/s");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].protected_by, KeyArn(1));
  EXPECT_EQ(records[1].protected_by, KeyArn(2));
  EXPECT_THAT(ReadAll(), ElementsAre("one", "two"));
}

TEST_F(LogsEncryptionTest, GroupsWithoutAKeyUseTheDefaultSchemeWithoutKms) {
  CreateGroup("plain");
  CreateStream("plain", "s");
  ASSERT_THAT(Put("plain", "s", {{NowMs(), "hello"}}), IsOk());
  EXPECT_TRUE(kms_->calls().empty());
  auto records = Inspect("plain", "hello");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].scheme, "root-key");
  EXPECT_FALSE(records[0].probe_found);
}

TEST_F(LogsEncryptionTest, InspectorReportsEachBatchAndNoProbeInItsBytes) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "known plaintext 1"}, {NowMs(), "two"}}), IsOk());
  auto records = Inspect("secure/s", "known plaintext 1");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, "log-events");
  EXPECT_EQ(records[0].scheme, "SSE-KMS");
  EXPECT_EQ(records[0].protected_by, KeyArn(1));
  EXPECT_FALSE(records[0].probe_found);
  EXPECT_GT(records[0].stored_bytes, 0u);
}

TEST_F(LogsEncryptionTest, InspectorFindsGroupsAndStreamsWithSlashesInTheirNames) {
  CreateGroup("/aws-glue/jobs/output", KeyArn(1));
  CreateStream("/aws-glue/jobs/output", "jr_1/driver");
  ASSERT_THAT(Put("/aws-glue/jobs/output", "jr_1/driver", {{NowMs(), "x"}}), IsOk());
  EXPECT_EQ(Inspect("/aws-glue/jobs/output").size(), 1u);
  EXPECT_EQ(Inspect("/aws-glue/jobs/output/jr_1/driver").size(), 1u);
  EXPECT_THAT(logs_->inspector()->Inspect("log-events", "/nothing/here", ""),
              HasAwsError("ResourceNotFoundException"));
}

TEST_F(LogsEncryptionTest, RecreatedGroupDoesNotReuseTheDeletedGroupsDataKey) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "old"}}), IsOk());
  ASSERT_THAT(Call("DeleteLogGroup", {{"logGroupName", "secure"}}), IsOk());
  CreateGroup("secure");
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "new"}}), IsOk());
  auto records = Inspect("secure");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].scheme, "root-key");
  EXPECT_THAT(ReadAll(), ElementsAre("new"));
}

class LogsEncryptionNoCacheTest : public LogsEncryptionTest {
 protected:
  LogsOptions Options() override {
    LogsOptions o;
    o.data_keys.max_events = 3;
    return o;
  }
};

TEST_F(LogsEncryptionNoCacheTest, PutLogEventsAsksKmsForANewDataKeyAfterMaxEvents) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "a"}, {NowMs(), "b"}}), IsOk());
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 1);
  ASSERT_THAT(Put("secure", "s", {{NowMs(), "c"}, {NowMs(), "d"}}), IsOk());
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 2);
  EXPECT_THAT(ReadAll(), ElementsAre("a", "b", "c", "d"));
  // Two data keys: reading decrypts each once.
  EXPECT_EQ(kms_->Count("Decrypt"), 2);
}

class LogsEncryptionKeyPerBatchTest : public LogsEncryptionTest {
 protected:
  LogsOptions Options() override {
    LogsOptions o;
    o.data_keys.max_events = 1;
    return o;
  }
};

TEST_F(LogsEncryptionKeyPerBatchTest, GetLogEventsDecryptsOnlyTheBatchesThePageNeeds) {
  CreateGroup("secure", KeyArn(1));
  CreateStream("secure", "s");
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(Put("secure", "s", {{NowMs() + i, "event " + std::to_string(i)}}), IsOk());
  }
  EXPECT_EQ(kms_->Count("GenerateDataKey"), 10);
  auto head = Call("GetLogEvents", {{"logGroupName", "secure"},
                                    {"logStreamName", "s"},
                                    {"startFromHead", true},
                                    {"limit", 1}});
  ASSERT_THAT(head, IsOk());
  EXPECT_THAT(Messages(*head), ElementsAre("event 0"));
  EXPECT_EQ(kms_->Count("Decrypt"), 1);
  auto tail = Call("GetLogEvents", {{"logGroupName", "secure"}, {"logStreamName", "s"}, {"limit", 2}});
  EXPECT_THAT(Messages(*tail), ElementsAre("event 8", "event 9"));
  EXPECT_EQ(kms_->Count("Decrypt"), 3);
}

}  // namespace
}  // namespace gee::logs::testing

// CloudWatch Logs streams and events: PutLogEvents batch rules,
// GetLogEvents tokens, FilterLogEvents, DescribeLogStreams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/logs_test_fixture.h"

namespace gee::logs::testing {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

class LogsEventsTest : public LogsServiceTest {
 protected:
  void SetUp() override {
    LogsServiceTest::SetUp();
    CreateGroup("app");
    CreateStream("app", "s1");
  }

  Result<Json> Get(Json input) {
    input["logGroupName"] = "app";
    if (!input.contains("logStreamName")) input["logStreamName"] = "s1";
    return Call("GetLogEvents", input);
  }

  // Puts one event per message, one millisecond apart, in one batch.
  void PutAll(const std::string& stream, const std::vector<std::string>& messages,
              int64_t first_ms) {
    std::vector<std::pair<int64_t, std::string>> events;
    for (size_t i = 0; i < messages.size(); ++i) events.emplace_back(first_ms + i, messages[i]);
    auto r = Put("app", stream, events);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
};

// ---- PutLogEvents ----

TEST_F(LogsEventsTest, PutLogEventsReturnsASequenceTokenAndStoresEvents) {
  auto r = Put("app", "s1", {{NowMs(), "one"}, {NowMs(), "two"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at("nextSequenceToken").get<std::string>().size(), 56u);
  EXPECT_FALSE(r->contains("rejectedLogEventsInfo"));
  auto g = Get({{"startFromHead", true}});
  EXPECT_THAT(Messages(*g), ElementsAre("one", "two"));
  EXPECT_EQ(g->at("events")[0].at("ingestionTime"), NowMs());
}

TEST_F(LogsEventsTest, PutLogEventsFailsForAMissingGroupOrStream) {
  EXPECT_THAT(Put("nope", "s1", {{NowMs(), "x"}}),
              HasAwsErrorMessage("ResourceNotFoundException",
                                 "The specified log group does not exist."));
  EXPECT_THAT(Put("app", "nope", {{NowMs(), "x"}}),
              HasAwsErrorMessage("ResourceNotFoundException",
                                 "The specified log stream does not exist."));
}

TEST_F(LogsEventsTest, PutLogEventsFailsWhenNotChronological) {
  EXPECT_THAT(Put("app", "s1", {{NowMs(), "b"}, {NowMs() - 1, "a"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "Log events in a single PutLogEvents request must be in "
                                 "chronological order."));
}

TEST_F(LogsEventsTest, PutLogEventsAcceptsExactlyOneMebibyteCountingTwentySixBytesPerEvent) {
  // 4 events: 4 * 26 + message bytes == 1048576.
  std::string big(1048576 / 4 - 26, 'x');
  EXPECT_THAT(Put("app", "s1", {{NowMs(), big}, {NowMs(), big}, {NowMs(), big}, {NowMs(), big}}),
              IsOk());
}

TEST_F(LogsEventsTest, PutLogEventsFailsOneByteOverTheBatchLimit) {
  std::string big(1048576 / 4 - 26, 'x');
  EXPECT_THAT(Put("app", "s1",
                  {{NowMs(), big}, {NowMs(), big}, {NowMs(), big}, {NowMs(), big + "y"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "Upload too large: 1048577 bytes exceeds limit of 1048576"));
}

TEST_F(LogsEventsTest, PutLogEventsFailsWhenTheBatchSpansMoreThanADay) {
  int64_t now = NowMs();
  EXPECT_THAT(Put("app", "s1", {{now - kDayMs - 1, "a"}, {now, "b"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "The batch of log events in a single PutLogEvents request "
                                 "cannot span more than 24 hours."));
  EXPECT_THAT(Put("app", "s1", {{now - kDayMs, "a"}, {now, "b"}}), IsOk());
}

TEST_F(LogsEventsTest, PutLogEventsFailsWithMoreThanTenThousandEvents) {
  std::vector<std::pair<int64_t, std::string>> events(10001, {NowMs(), "m"});
  EXPECT_THAT(Put("app", "s1", events), HasAwsError("InvalidParameterException"));
  events.pop_back();
  EXPECT_THAT(Put("app", "s1", events), IsOk());
}

TEST_F(LogsEventsTest, PutLogEventsRejectsTooNewEventsFromTheirFirstIndex) {
  int64_t now = NowMs();
  auto r = Put("app", "s1", {{now, "ok"}, {now + 2 * kHourMs, "edge"}, {now + 2 * kHourMs + 1, "new"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at("rejectedLogEventsInfo"), (Json{{"tooNewLogEventStartIndex", 2}}));
  EXPECT_THAT(Messages(*Get({{"startFromHead", true}})), ElementsAre("ok", "edge"));
}

TEST_F(LogsEventsTest, PutLogEventsRejectsTooOldEventsUpToAnExclusiveEndIndex) {
  int64_t now = NowMs();
  auto r = Put("app", "s1", {{now - 14 * kDayMs - 2, "old"}, {now - 14 * kDayMs - 1, "old"},
                             {now - 14 * kDayMs, "edge"}, {now - 14 * kDayMs + 5, "ok"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at("rejectedLogEventsInfo"), (Json{{"tooOldLogEventEndIndex", 2}}));
  EXPECT_THAT(Messages(*Get({{"startFromHead", true}})), ElementsAre("edge", "ok"));
}

TEST_F(LogsEventsTest, PutLogEventsRejectsEventsOlderThanTheRetention) {
  ASSERT_THAT(Call("PutRetentionPolicy", {{"logGroupName", "app"}, {"retentionInDays", 1}}),
              IsOk());
  int64_t now = NowMs();
  auto r = Put("app", "s1", {{now - kDayMs - 10, "expired"}, {now - 10, "fresh"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at("rejectedLogEventsInfo"), (Json{{"expiredLogEventEndIndex", 1}}));
  EXPECT_THAT(Messages(*Get({{"startFromHead", true}})), ElementsAre("fresh"));
}

TEST_F(LogsEventsTest, PutLogEventsWithEveryEventRejectedStoresNothing) {
  auto r = Put("app", "s1", {{NowMs() + 3 * kHourMs, "future"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at("rejectedLogEventsInfo"), (Json{{"tooNewLogEventStartIndex", 0}}));
  EXPECT_THAT(Get({{"startFromHead", true}})->at("events"), IsEmpty());
  auto d = Call("DescribeLogStreams", {{"logGroupName", "app"}});
  EXPECT_FALSE(d->at("logStreams")[0].contains("lastIngestionTime"));
}

TEST_F(LogsEventsTest, PutLogEventsUpdatesStreamAndGroupMetadata) {
  int64_t now = NowMs();
  ASSERT_THAT(Put("app", "s1", {{now - 5, "abc"}, {now, "de"}}), IsOk());
  clock_.AdvanceSeconds(1);
  ASSERT_THAT(Put("app", "s1", {{now - 10, "f"}}), IsOk());
  auto d = Call("DescribeLogStreams", {{"logGroupName", "app"}});
  const Json& s = d->at("logStreams")[0];
  EXPECT_EQ(s.at("firstEventTimestamp"), now - 10);
  EXPECT_EQ(s.at("lastEventTimestamp"), now);
  EXPECT_EQ(s.at("lastIngestionTime"), now + 1000);
  EXPECT_EQ(s.at("storedBytes"), 0);
  EXPECT_EQ(s.at("arn"), "arn:aws:logs:us-east-1:000000000000:log-group:app:log-stream:s1");
  auto g = Call("DescribeLogGroups", Json::object());
  EXPECT_EQ(g->at("logGroups")[0].at("storedBytes"), 6);
}

// ---- GetLogEvents ----

TEST_F(LogsEventsTest, GetLogEventsReturnsEventsInTimestampOrderAcrossBatches) {
  int64_t now = NowMs();
  ASSERT_THAT(Put("app", "s1", {{now - 1, "second"}, {now, "third"}}), IsOk());
  ASSERT_THAT(Put("app", "s1", {{now - 2, "first"}}), IsOk());
  EXPECT_THAT(Messages(*Get({{"startFromHead", true}})), ElementsAre("first", "second", "third"));
}

TEST_F(LogsEventsTest, GetLogEventsTailPicksTheLatestEventsAcrossOverlappingBatches) {
  int64_t t = NowMs() - 100;
  ASSERT_THAT(Put("app", "s1", {{t, "t+0"}, {t + 10, "t+10"}}), IsOk());
  ASSERT_THAT(Put("app", "s1", {{t + 5, "t+5"}}), IsOk());
  ASSERT_THAT(Put("app", "s1", {{t + 1, "t+1"}}), IsOk());
  EXPECT_THAT(Messages(*Get({{"limit", 2}})), ElementsAre("t+5", "t+10"));
  EXPECT_THAT(Messages(*Get({{"limit", 3}, {"startFromHead", true}})),
              ElementsAre("t+0", "t+1", "t+5"));
}

TEST_F(LogsEventsTest, GetLogEventsOrdersEqualTimestampsByIngestion) {
  int64_t t = NowMs() - 100;
  ASSERT_THAT(Put("app", "s1", {{t, "first"}, {t, "second"}}), IsOk());
  ASSERT_THAT(Put("app", "s1", {{t, "third"}}), IsOk());
  auto page = Get({{"limit", 2}, {"startFromHead", true}});
  EXPECT_THAT(Messages(*page), ElementsAre("first", "second"));
  EXPECT_THAT(Messages(*Get({{"nextToken", page->at("nextForwardToken")}})),
              ElementsAre("third"));
}

TEST_F(LogsEventsTest, GetLogEventsWithoutStartFromHeadReturnsTheLatestEvents) {
  PutAll("s1", {"a", "b", "c", "d", "e"}, NowMs() - 100);
  auto r = Get({{"limit", 2}});
  EXPECT_THAT(Messages(*r), ElementsAre("d", "e"));
}

TEST_F(LogsEventsTest, GetLogEventsForwardTokenPagesToTheEndThenRepeats) {
  PutAll("s1", {"a", "b", "c", "d", "e"}, NowMs() - 100);
  std::vector<std::string> seen;
  Json input = {{"startFromHead", true}, {"limit", 2}};
  std::string previous;
  for (int i = 0; i < 10; ++i) {
    auto r = Get(input);
    ASSERT_THAT(r, IsOk());
    for (auto& m : Messages(*r)) seen.push_back(m);
    std::string token = r->at("nextForwardToken");
    if (token == previous) {
      EXPECT_THAT(r->at("events"), IsEmpty());
      break;
    }
    previous = token;
    input["nextToken"] = token;
  }
  EXPECT_THAT(seen, ElementsAre("a", "b", "c", "d", "e"));
}

TEST_F(LogsEventsTest, GetLogEventsForwardTokenSeesEventsAddedLater) {
  PutAll("s1", {"a"}, NowMs() - 100);
  auto first = Get({{"startFromHead", true}});
  std::string token = first->at("nextForwardToken");
  PutAll("s1", {"b"}, NowMs() - 50);
  auto next = Get({{"nextToken", token}});
  EXPECT_THAT(Messages(*next), ElementsAre("b"));
}

TEST_F(LogsEventsTest, GetLogEventsBackwardTokenPagesTowardsTheStart) {
  PutAll("s1", {"a", "b", "c", "d", "e"}, NowMs() - 100);
  auto last = Get({{"limit", 2}});
  EXPECT_THAT(Messages(*last), ElementsAre("d", "e"));
  auto before = Get({{"limit", 2}, {"nextToken", last->at("nextBackwardToken")}});
  EXPECT_THAT(Messages(*before), ElementsAre("b", "c"));
  auto earliest = Get({{"limit", 2}, {"nextToken", before->at("nextBackwardToken")}});
  EXPECT_THAT(Messages(*earliest), ElementsAre("a"));
  auto beyond = Get({{"limit", 2}, {"nextToken", earliest->at("nextBackwardToken")}});
  EXPECT_THAT(beyond->at("events"), IsEmpty());
  EXPECT_EQ(beyond->at("nextBackwardToken"), earliest->at("nextBackwardToken"));
}

TEST_F(LogsEventsTest, GetLogEventsAppliesStartInclusiveAndEndExclusive) {
  int64_t t = NowMs() - 100;
  PutAll("s1", {"a", "b", "c", "d"}, t);
  auto r = Get({{"startFromHead", true}, {"startTime", t + 1}, {"endTime", t + 3}});
  EXPECT_THAT(Messages(*r), ElementsAre("b", "c"));
}

TEST_F(LogsEventsTest, GetLogEventsAcceptsALogGroupArnAsIdentifier) {
  PutAll("s1", {"a"}, NowMs());
  auto r = Call("GetLogEvents",
                {{"logGroupIdentifier", "arn:aws:logs:us-east-1:000000000000:log-group:app"},
                 {"logStreamName", "s1"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(Messages(*r), ElementsAre("a"));
}

TEST_F(LogsEventsTest, GetLogEventsFailsWithNameAndIdentifier) {
  EXPECT_THAT(Call("GetLogEvents", {{"logGroupName", "app"},
                                    {"logGroupIdentifier", "app"},
                                    {"logStreamName", "s1"}}),
              HasAwsErrorMessage("ValidationException",
                                 "LogGroup name and LogGroup ARN are mutually exclusive "
                                 "parameters."));
}

TEST_F(LogsEventsTest, GetLogEventsFailsWithAnInvalidToken) {
  EXPECT_THAT(Get({{"nextToken", "f/123"}}),
              HasAwsErrorMessage("InvalidParameterException", "The specified nextToken is invalid."));
}

TEST_F(LogsEventsTest, GetLogEventsFailsWithALimitOverTenThousand) {
  EXPECT_THAT(Get({{"limit", 10001}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "1 validation error detected: Value '10001' at 'limit' failed "
                                 "to satisfy constraint: Member must have value less than or "
                                 "equal to 10000"));
}

TEST_F(LogsEventsTest, GetLogEventsReturnsAtMostOneMebibyteOfEvents) {
  std::string big(1048576 / 4 - 26, 'x');
  int64_t now = NowMs();
  ASSERT_THAT(Put("app", "s1", {{now, big}, {now, big}, {now, big}, {now, big}}), IsOk());
  ASSERT_THAT(Put("app", "s1", {{now, "small"}}), IsOk());
  auto r = Get({{"startFromHead", true}});
  EXPECT_EQ(r->at("events").size(), 4u);
  auto rest = Get({{"nextToken", r->at("nextForwardToken")}});
  EXPECT_THAT(Messages(*rest), ElementsAre("small"));
}

// ---- FilterLogEvents ----

TEST_F(LogsEventsTest, FilterLogEventsInterleavesStreamsByTimestamp) {
  CreateStream("app", "s2");
  int64_t t = NowMs() - 100;
  ASSERT_THAT(Put("app", "s1", {{t, "s1 first"}, {t + 2, "s1 third"}}), IsOk());
  ASSERT_THAT(Put("app", "s2", {{t + 1, "s2 second"}}), IsOk());
  auto r = Call("FilterLogEvents", {{"logGroupName", "app"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(Messages(*r), ElementsAre("s1 first", "s2 second", "s1 third"));
  EXPECT_EQ(r->at("events")[1].at("logStreamName"), "s2");
  EXPECT_EQ(r->at("events")[1].at("eventId").get<std::string>().size(), 56u);
  EXPECT_THAT(r->at("searchedLogStreams"), IsEmpty());
  EXPECT_FALSE(r->contains("nextToken"));
}

TEST_F(LogsEventsTest, FilterLogEventsMatchesTermsAndPhrases) {
  PutAll("s1", {"ERROR disk full", "INFO all good", "ERROR Exiting", "WARN \"quoted\" thing"},
         NowMs() - 100);
  auto errors = Call("FilterLogEvents", {{"logGroupName", "app"}, {"filterPattern", "ERROR"}});
  EXPECT_THAT(Messages(*errors), ElementsAre("ERROR disk full", "ERROR Exiting"));
  auto phrase = Call("FilterLogEvents",
                     {{"logGroupName", "app"}, {"filterPattern", "\"disk full\""}});
  EXPECT_THAT(Messages(*phrase), ElementsAre("ERROR disk full"));
  auto excl = Call("FilterLogEvents",
                   {{"logGroupName", "app"}, {"filterPattern", "ERROR -Exiting"}});
  EXPECT_THAT(Messages(*excl), ElementsAre("ERROR disk full"));
  auto any = Call("FilterLogEvents", {{"logGroupName", "app"}, {"filterPattern", "?WARN ?INFO"}});
  EXPECT_THAT(Messages(*any), ElementsAre("INFO all good", "WARN \"quoted\" thing"));
}

TEST_F(LogsEventsTest, FilterLogEventsRefusesJsonPatterns) {
  EXPECT_THAT(Call("FilterLogEvents", {{"logGroupName", "app"}, {"filterPattern", "{ $.a = 1 }"}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsEventsTest, FilterLogEventsSelectsStreamsByNameOrPrefix) {
  CreateStream("app", "other");
  PutAll("s1", {"in s1"}, NowMs() - 10);
  PutAll("other", {"in other"}, NowMs() - 5);
  auto by_name = Call("FilterLogEvents", {{"logGroupName", "app"}, {"logStreamNames", {"other"}}});
  EXPECT_THAT(Messages(*by_name), ElementsAre("in other"));
  auto by_prefix = Call("FilterLogEvents", {{"logGroupName", "app"}, {"logStreamNamePrefix", "s"}});
  EXPECT_THAT(Messages(*by_prefix), ElementsAre("in s1"));
  EXPECT_THAT(Call("FilterLogEvents", {{"logGroupName", "app"},
                                       {"logStreamNames", {"s1"}},
                                       {"logStreamNamePrefix", "s"}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsEventsTest, FilterLogEventsTimeRangeIsInclusiveAtBothEnds) {
  int64_t t = NowMs() - 100;
  PutAll("s1", {"a", "b", "c", "d"}, t);
  auto r = Call("FilterLogEvents",
                {{"logGroupName", "app"}, {"startTime", t + 1}, {"endTime", t + 2}});
  EXPECT_THAT(Messages(*r), ElementsAre("b", "c"));
}

TEST_F(LogsEventsTest, FilterLogEventsPaginatesWithNextToken) {
  PutAll("s1", {"a", "b", "c", "d", "e"}, NowMs() - 100);
  std::vector<std::string> seen;
  Json input = {{"logGroupName", "app"}, {"limit", 2}};
  int pages = 0;
  while (true) {
    auto r = Call("FilterLogEvents", input);
    ASSERT_THAT(r, IsOk());
    ++pages;
    for (auto& m : Messages(*r)) seen.push_back(m);
    if (!r->contains("nextToken")) break;
    input["nextToken"] = r->at("nextToken");
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("a", "b", "c", "d", "e"));
}

TEST_F(LogsEventsTest, FilterLogEventsFailsWithAnInvalidToken) {
  EXPECT_THAT(Call("FilterLogEvents", {{"logGroupName", "app"}, {"nextToken", "bogus"}}),
              HasAwsErrorMessage("InvalidParameterException", "The specified nextToken is invalid."));
}

// ---- streams ----

TEST_F(LogsEventsTest, CreateLogStreamFailsWhenItExistsOrTheGroupIsMissing) {
  EXPECT_THAT(Call("CreateLogStream", {{"logGroupName", "app"}, {"logStreamName", "s1"}}),
              HasAwsErrorMessage("ResourceAlreadyExistsException",
                                 "The specified log stream already exists"));
  EXPECT_THAT(Call("CreateLogStream", {{"logGroupName", "nope"}, {"logStreamName", "s1"}}),
              HasAwsError("ResourceNotFoundException"));
}

TEST_F(LogsEventsTest, CreateLogStreamFailsForNamesWithColonOrStar) {
  EXPECT_THAT(Call("CreateLogStream", {{"logGroupName", "app"}, {"logStreamName", "a:b"}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsEventsTest, DeleteLogStreamRemovesItsEvents) {
  PutAll("s1", {"a"}, NowMs());
  ASSERT_THAT(Call("DeleteLogStream", {{"logGroupName", "app"}, {"logStreamName", "s1"}}), IsOk());
  CreateStream("app", "s1");
  EXPECT_THAT(Get({{"startFromHead", true}})->at("events"), IsEmpty());
  EXPECT_THAT(Call("DeleteLogStream", {{"logGroupName", "app"}, {"logStreamName", "zz"}}),
              HasAwsError("ResourceNotFoundException"));
}

TEST_F(LogsEventsTest, DescribeLogStreamsOrdersByNameAndPaginates) {
  for (const char* s : {"c", "a", "b"}) CreateStream("app", s);
  std::vector<std::string> seen;
  Json input = {{"logGroupName", "app"}, {"limit", 3}};
  while (true) {
    auto r = Call("DescribeLogStreams", input);
    ASSERT_THAT(r, IsOk());
    for (const Json& s : r->at("logStreams")) seen.push_back(s.at("logStreamName"));
    if (!r->contains("nextToken")) break;
    input["nextToken"] = r->at("nextToken");
  }
  EXPECT_THAT(seen, ElementsAre("a", "b", "c", "s1"));
}

TEST_F(LogsEventsTest, DescribeLogStreamsOrdersByLastEventTimeDescending) {
  CreateStream("app", "s2");
  CreateStream("app", "s3");
  PutAll("s2", {"x"}, NowMs() - 30);
  PutAll("s3", {"x"}, NowMs() - 10);
  PutAll("s1", {"x"}, NowMs() - 20);
  auto r = Call("DescribeLogStreams",
                {{"logGroupName", "app"}, {"orderBy", "LastEventTime"}, {"descending", true}});
  ASSERT_THAT(r, IsOk());
  std::vector<std::string> names;
  for (const Json& s : r->at("logStreams")) names.push_back(s.at("logStreamName"));
  EXPECT_THAT(names, ElementsAre("s3", "s1", "s2"));
}

TEST_F(LogsEventsTest, DescribeLogStreamsFiltersByPrefix) {
  CreateStream("app", "t1");
  auto r = Call("DescribeLogStreams", {{"logGroupName", "app"}, {"logStreamNamePrefix", "t"}});
  ASSERT_EQ(r->at("logStreams").size(), 1u);
  EXPECT_EQ(r->at("logStreams")[0].at("logStreamName"), "t1");
}

TEST_F(LogsEventsTest, DescribeLogStreamsFailsForLastEventTimeWithPrefix) {
  EXPECT_THAT(Call("DescribeLogStreams", {{"logGroupName", "app"},
                                          {"orderBy", "LastEventTime"},
                                          {"logStreamNamePrefix", "s"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "Cannot order by LastEventTime with a logStreamNamePrefix."));
}

TEST_F(LogsEventsTest, DescribeLogStreamsFailsWithNameAndIdentifier) {
  EXPECT_THAT(Call("DescribeLogStreams", {{"logGroupName", "app"}, {"logGroupIdentifier", "app"}}),
              HasAwsErrorMessage("ValidationException",
                                 "LogGroup name and LogGroup ARN are mutually exclusive "
                                 "parameters."));
}

TEST_F(LogsEventsTest, DescribeLogStreamsWithoutAnyGroupFails) {
  EXPECT_THAT(Call("DescribeLogStreams", Json::object()), HasAwsError("InvalidParameterException"));
}

// ---- authorization of stream-level actions ----

TEST_F(LogsEventsTest, PutLogEventsIsAuthorizedOnTheStreamArn) {
  CreateStream("app", "s2");
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:PutLogEvents",
      "Resource":"arn:aws:logs:us-east-1:000000000000:log-group:app:log-stream:s1"}]})");
  Json events = Json::array({{{"timestamp", NowMs()}, {"message", "m"}}});
  EXPECT_THAT(CallAs(alice, "PutLogEvents",
                     {{"logGroupName", "app"}, {"logStreamName", "s1"}, {"logEvents", events}}),
              IsOk());
  EXPECT_THAT(CallAs(alice, "PutLogEvents",
                     {{"logGroupName", "app"}, {"logStreamName", "s2"}, {"logEvents", events}}),
              HasAwsErrorMessage(
                  "AccessDeniedException",
                  "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
                  "logs:PutLogEvents on resource: arn:aws:logs:us-east-1:000000000000:"
                  "log-group:app:log-stream:s2 because no identity-based policy allows the "
                  "logs:PutLogEvents action"));
}

TEST_F(LogsEventsTest, CreateLogStreamIsAuthorizedOnTheNewStreamArn) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:CreateLogStream",
      "Resource":"arn:aws:logs:us-east-1:000000000000:log-group:app:log-stream:run-*"}]})");
  EXPECT_THAT(CallAs(alice, "CreateLogStream", {{"logGroupName", "app"}, {"logStreamName", "run-1"}}),
              IsOk());
  EXPECT_THAT(CallAs(alice, "CreateLogStream", {{"logGroupName", "app"}, {"logStreamName", "x"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(LogsEventsTest, FilterLogEventsIsAuthorizedOnTheGroupResource) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["logs:FilterLogEvents","logs:GetLogEvents"],
      "Resource":"arn:aws:logs:us-east-1:000000000000:log-group:app:*"}]})");
  EXPECT_THAT(CallAs(alice, "FilterLogEvents", {{"logGroupName", "app"}}), IsOk());
  EXPECT_THAT(CallAs(alice, "GetLogEvents", {{"logGroupName", "app"}, {"logStreamName", "s1"}}),
              IsOk());
  EXPECT_THAT(CallAs(alice, "FilterLogEvents", {{"logGroupName", "other"}}),
              HasAwsError("AccessDeniedException"));
}

}  // namespace
}  // namespace gee::logs::testing

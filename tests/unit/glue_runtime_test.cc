// The emulated Glue runtime's pieces without a server: S3 URIs, schema
// inference from CSV headers / JSON keys, row reading, and the run queue.
#include "services/glue/glue_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace gee::glue {
namespace {

using Columns = std::vector<std::pair<std::string, std::string>>;

TEST(GlueRuntimeTest, ParseS3UriSplitsBucketAndKey) {
  std::string bucket, key;
  ASSERT_TRUE(ParseS3Uri("s3://data/input/a.csv", &bucket, &key));
  EXPECT_EQ(bucket, "data");
  EXPECT_EQ(key, "input/a.csv");
  ASSERT_TRUE(ParseS3Uri("s3://data", &bucket, &key));
  EXPECT_EQ(key, "");
}

TEST(GlueRuntimeTest, ParseS3UriRejectsOtherSchemes) {
  std::string bucket, key;
  EXPECT_FALSE(ParseS3Uri("https://data/a.csv", &bucket, &key));
  EXPECT_FALSE(ParseS3Uri("s3:///a.csv", &bucket, &key));
}

TEST(GlueRuntimeTest, InferColumnsReadsCsvHeaderAndTypes) {
  Columns columns;
  std::string classification;
  ASSERT_TRUE(InferColumns("Customer,amount,rate,ok\nA,12,1.5,true\nB,13,2,false\n", &columns,
                           &classification));
  EXPECT_EQ(classification, "csv");
  EXPECT_EQ(columns, (Columns{{"customer", "string"}, {"amount", "bigint"}, {"rate", "double"},
                              {"ok", "boolean"}}));
}

TEST(GlueRuntimeTest, InferColumnsUnitesJsonKeys) {
  Columns columns;
  std::string classification;
  ASSERT_TRUE(InferColumns("{\"a\":1,\"b\":\"x\"}\n{\"a\":2.5,\"c\":true}\n", &columns,
                           &classification));
  EXPECT_EQ(classification, "json");
  EXPECT_EQ(columns, (Columns{{"a", "double"}, {"b", "string"}, {"c", "boolean"}}));
}

TEST(GlueRuntimeTest, InferColumnsFailsOnEmptyText) {
  Columns columns;
  std::string classification;
  EXPECT_FALSE(InferColumns("", &columns, &classification));
}

TEST(GlueRuntimeTest, ReadRowsHonoursQuotedCsvFields) {
  auto rows = ReadRows("name,city\n\"Doe, Jane\",\"say \"\"hi\"\"\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["name"], "Doe, Jane");
  EXPECT_EQ(rows[0]["city"], "say \"hi\"");
}

TEST(GlueRuntimeTest, ReadRowsSkipsMalformedJsonLines) {
  auto rows = ReadRows("{\"a\":1}\nnot json\n{\"a\":2}\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["a"], 2);
}

TEST(RunQueueTest, WaitIdleReturnsAfterEveryTaskRan) {
  RunQueue queue;
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) queue.Submit([&] { ++ran; });
  queue.WaitIdle();
  EXPECT_EQ(ran.load(), 5);
}

TEST(RunQueueTest, HeldQueueStartsNoTaskUntilReleased) {
  RunQueue queue;
  std::atomic<int> ran{0};
  queue.Hold(true);
  queue.Submit([&] { ++ran; });
  queue.WaitIdle();
  EXPECT_EQ(ran.load(), 0);
  queue.Hold(false);
  queue.WaitIdle();
  EXPECT_EQ(ran.load(), 1);
}

TEST(RunQueueTest, DiscardDropsQueuedTasks) {
  RunQueue queue;
  std::atomic<int> ran{0};
  queue.Hold(true);
  queue.Submit([&] { ++ran; });
  queue.Discard();
  queue.Hold(false);
  queue.WaitIdle();
  EXPECT_EQ(ran.load(), 0);
}

TEST(RunQueueTest, StopFinishesQueuedTasksAndSubmitRestarts) {
  RunQueue queue;
  std::atomic<int> ran{0};
  queue.Submit([&] { ++ran; });
  queue.Stop();
  EXPECT_EQ(ran.load(), 1);
  queue.Submit([&] { ++ran; });
  queue.WaitIdle();
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace gee::glue

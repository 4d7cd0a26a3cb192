// The sealed event batch: layout, AAD binding and tamper detection.
#include "services/logs/event_batch.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/random.h"
#include "tests/testing/matchers.h"

namespace gee::logs {
namespace {

using testing::HasAwsError;
using testing::IsOk;

class LogsEventBatchTest : public ::testing::Test {
 protected:
  LogsEventBatchTest()
      : random_(11), key_(crypto::SecretBytes::FromRandom(32, random_)) {}

  BatchBinding Binding(int64_t count) const {
    return BatchBinding{"arn:aws:logs:us-east-1:000000000000:log-group:g", "s", "ref1",
                        1767225600000000, count};
  }

  DeterministicRandom random_;
  crypto::SecretBytes key_;
  std::vector<LogEvent> events_ = {{1000, "first message"}, {1001, "second\nmessage"},
                                   {1001, std::string("nul\0inside", 10)}};
};

TEST_F(LogsEventBatchTest, EncodeBatchFollowsTheDocumentedLayout) {
  std::string bytes = EncodeBatch(std::vector<LogEvent>{{0x0102, "ab"}});
  std::string expected = std::string("\x01", 1) + std::string("\0\0\0\x01", 4) +
                         std::string("\0\0\0\0\0\0\x01\x02", 8) + std::string("\0\0\0\x02", 4) +
                         "ab";
  EXPECT_EQ(bytes, expected);
}

TEST_F(LogsEventBatchTest, DecodeBatchRoundTripsEvents) {
  auto decoded = DecodeBatch(EncodeBatch(events_));
  ASSERT_THAT(decoded, IsOk());
  ASSERT_EQ(decoded->size(), events_.size());
  for (size_t i = 0; i < events_.size(); ++i) {
    EXPECT_EQ((*decoded)[i].timestamp_ms, events_[i].timestamp_ms);
    EXPECT_EQ((*decoded)[i].message, events_[i].message);
  }
}

TEST_F(LogsEventBatchTest, DecodeBatchRejectsTruncatedAndTrailingBytes) {
  std::string bytes = EncodeBatch(events_);
  EXPECT_THAT(DecodeBatch(bytes.substr(0, bytes.size() - 1)), HasAwsError("InternalFailure"));
  EXPECT_THAT(DecodeBatch(bytes + "x"), HasAwsError("InternalFailure"));
  EXPECT_THAT(DecodeBatch(""), HasAwsError("InternalFailure"));
  std::string wrong_version = bytes;
  wrong_version[0] = 0x02;
  EXPECT_THAT(DecodeBatch(wrong_version), HasAwsError("InternalFailure"));
}

TEST_F(LogsEventBatchTest, DecodeBatchRejectsACountLargerThanTheInput) {
  std::string bytes = std::string("\x01", 1) + std::string("\xff\xff\xff\xff", 4);
  EXPECT_THAT(DecodeBatch(bytes), HasAwsError("InternalFailure"));
}

TEST_F(LogsEventBatchTest, SealedBatchDoesNotContainTheMessages) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_EQ(sealed->find("first message"), std::string::npos);
  EXPECT_EQ(sealed->find("second"), std::string::npos);
}

TEST_F(LogsEventBatchTest, OpenBatchRoundTripsWithTheSameBinding) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  auto opened = OpenBatch(key_, *sealed, Binding(3));
  ASSERT_THAT(opened, IsOk());
  ASSERT_EQ(opened->size(), 3u);
  EXPECT_EQ((*opened)[1].message, "second\nmessage");
}

TEST_F(LogsEventBatchTest, OpenBatchFailsWhenMovedToAnotherStream) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  BatchBinding other = Binding(3);
  other.log_stream_name = "t";
  EXPECT_THAT(OpenBatch(key_, *sealed, other), HasAwsError("InternalFailure"));
}

TEST_F(LogsEventBatchTest, OpenBatchFailsWhenTheGroupOrKeyReferenceDiffers) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  BatchBinding other_group = Binding(3);
  other_group.log_group_arn = "arn:aws:logs:us-east-1:000000000000:log-group:h";
  EXPECT_THAT(OpenBatch(key_, *sealed, other_group), HasAwsError("InternalFailure"));
  BatchBinding other_ref = Binding(3);
  other_ref.data_key_ref = "ref2";
  EXPECT_THAT(OpenBatch(key_, *sealed, other_ref), HasAwsError("InternalFailure"));
  BatchBinding other_time = Binding(3);
  other_time.ingestion_us += 1;
  EXPECT_THAT(OpenBatch(key_, *sealed, other_time), HasAwsError("InternalFailure"));
}

TEST_F(LogsEventBatchTest, OpenBatchFailsOnAnyFlippedBit) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  for (size_t i = 0; i < sealed->size(); i += 7) {
    std::string tampered = *sealed;
    tampered[i] ^= 0x01;
    EXPECT_THAT(OpenBatch(key_, tampered, Binding(3)), HasAwsError("InternalFailure")) << i;
  }
}

TEST_F(LogsEventBatchTest, OpenBatchFailsUnderAnotherKey) {
  auto sealed = SealBatch(key_, events_, Binding(3), random_);
  ASSERT_THAT(sealed, IsOk());
  crypto::SecretBytes other = crypto::SecretBytes::FromRandom(32, random_);
  EXPECT_THAT(OpenBatch(other, *sealed, Binding(3)), HasAwsError("InternalFailure"));
}

TEST_F(LogsEventBatchTest, SealBatchRefusesABindingWithAnotherCount) {
  EXPECT_THAT(SealBatch(key_, events_, Binding(2), random_), HasAwsError("InternalFailure"));
}

}  // namespace
}  // namespace gee::logs

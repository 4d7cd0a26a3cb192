// Event keys and the GetLogEvents / FilterLogEvents token forms.
#include "services/logs/event_position.h"

#include <gtest/gtest.h>

namespace gee::logs {
namespace {

TEST(LogsEventPositionTest, EncodeEventKeyGivesFiftySixDigits) {
  std::string digits = EncodeEventKey({1767225600000, 42, 7});
  EXPECT_EQ(digits.size(), 56u);
  EXPECT_EQ(digits, "00000001767225600000" "00000000000000000042" "0000000000000007");
}

TEST(LogsEventPositionTest, DecodeEventKeyRoundTripsExtremeValues) {
  EventKey key{INT64_MAX, INT64_MAX, 9999};
  auto decoded = DecodeEventKey(EncodeEventKey(key));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, key);
}

TEST(LogsEventPositionTest, DecodeEventKeyRejectsWrongLengthAndNonDigits) {
  EXPECT_FALSE(DecodeEventKey("123").has_value());
  std::string digits = EncodeEventKey({1, 2, 3});
  digits[10] = 'x';
  EXPECT_FALSE(DecodeEventKey(digits).has_value());
  // A 20-digit field above INT64_MAX.
  EXPECT_FALSE(DecodeEventKey(std::string(20, '9') + std::string(36, '0')).has_value());
}

TEST(LogsEventPositionTest, EventKeysOrderByTimestampThenBatchThenIndex) {
  EXPECT_LT((EventKey{1, 9, 9}), (EventKey{2, 0, 0}));
  EXPECT_LT((EventKey{1, 1, 9}), (EventKey{1, 2, 0}));
  EXPECT_LT((EventKey{1, 1, 1}), (EventKey{1, 1, 2}));
}

TEST(LogsEventPositionTest, StreamTokensCarryDirectionAndKey) {
  EventKey key{1767225600123, 5, 2};
  std::string forward = EncodeStreamToken(TokenDirection::kForward, key);
  EXPECT_EQ(forward.substr(0, 2), "f/");
  EXPECT_EQ(forward.substr(forward.size() - 2), "/s");
  auto f = DecodeStreamToken(forward);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->direction, TokenDirection::kForward);
  EXPECT_EQ(f->key, key);
  auto b = DecodeStreamToken(EncodeStreamToken(TokenDirection::kBackward, key));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->direction, TokenDirection::kBackward);
}

TEST(LogsEventPositionTest, DecodeStreamTokenAcceptsTheFormWithoutSuffix) {
  auto t = DecodeStreamToken("f/" + EncodeEventKey({3, 4, 5}));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->key, (EventKey{3, 4, 5}));
}

TEST(LogsEventPositionTest, DecodeStreamTokenRejectsForeignTokens) {
  EXPECT_FALSE(DecodeStreamToken("").has_value());
  EXPECT_FALSE(DecodeStreamToken("x/" + EncodeEventKey({1, 1, 1})).has_value());
  EXPECT_FALSE(DecodeStreamToken("f/123/s").has_value());
  EXPECT_FALSE(DecodeStreamToken("f/" + EncodeEventKey({1, 1, 1}) + "/x").has_value());
  EXPECT_FALSE(DecodeStreamToken("e/" + EncodeEventKey({1, 1, 1})).has_value());
}

TEST(LogsEventPositionTest, FilterTokensRoundTripAndRejectStreamTokens) {
  EventKey key{9, 8, 7};
  auto decoded = DecodeFilterToken(EncodeFilterToken(key));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, key);
  EXPECT_FALSE(DecodeFilterToken(EncodeStreamToken(TokenDirection::kForward, key)).has_value());
}

}  // namespace
}  // namespace gee::logs

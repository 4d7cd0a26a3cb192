#include "crypto/secret_bytes.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <utility>

#include "core/random.h"

namespace gee::crypto {
namespace {

static_assert(!std::is_convertible_v<SecretBytes, std::string>);
static_assert(!std::is_convertible_v<SecretBytes, std::string_view>);
static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);

TEST(SecretBytesTest, ConstructsZeroFilledBufferOfRequestedSize) {
  SecretBytes key(32);
  ASSERT_EQ(key.size(), 32u);
  for (uint8_t b : key.span()) EXPECT_EQ(b, 0);
}

TEST(SecretBytesTest, CopyOfHoldsTheSameBytes) {
  SecretBytes key = SecretBytes::CopyOf(std::string_view("abc"));
  EXPECT_EQ(key.AsStringView(), "abc");
}

TEST(SecretBytesTest, FromRandomDrawsFromTheInjectedSource) {
  DeterministicRandom a(7), b(7);
  SecretBytes x = SecretBytes::FromRandom(32, a);
  SecretBytes y = SecretBytes::CopyOf(b.Bytes(32));
  EXPECT_TRUE(x == y);
}

TEST(SecretBytesTest, MoveLeavesTheSourceEmpty) {
  SecretBytes a = SecretBytes::CopyOf(std::string_view("secret"));
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.AsStringView(), "secret");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking state
  EXPECT_EQ(a.data(), nullptr);
}

TEST(SecretBytesTest, MoveAssignmentReplacesTheTargetBytes) {
  SecretBytes a = SecretBytes::CopyOf(std::string_view("new"));
  SecretBytes b = SecretBytes::CopyOf(std::string_view("older"));
  b = std::move(a);
  EXPECT_EQ(b.AsStringView(), "new");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytesTest, ClearEmptiesTheBuffer) {
  SecretBytes a = SecretBytes::CopyOf(std::string_view("secret"));
  a.Clear();
  EXPECT_TRUE(a.empty());
}

TEST(SecretBytesTest, CloneIsAnIndependentCopy) {
  SecretBytes a = SecretBytes::CopyOf(std::string_view("secret"));
  SecretBytes b = a.Clone();
  b.data()[0] = 'S';
  EXPECT_EQ(a.AsStringView(), "secret");
  EXPECT_EQ(b.AsStringView(), "Secret");
}

TEST(SecretBytesTest, EqualsComparesContents) {
  EXPECT_TRUE(SecretBytes::CopyOf(std::string_view("k1")) ==
              SecretBytes::CopyOf(std::string_view("k1")));
  EXPECT_FALSE(SecretBytes::CopyOf(std::string_view("k1")) ==
               SecretBytes::CopyOf(std::string_view("k2")));
}

TEST(SecretBytesTest, EqualsIsFalseWhenSizesDiffer) {
  EXPECT_FALSE(SecretBytes::CopyOf(std::string_view("k")) ==
               SecretBytes::CopyOf(std::string_view("k1")));
  EXPECT_TRUE(SecretBytes() == SecretBytes());
}

}  // namespace
}  // namespace gee::crypto

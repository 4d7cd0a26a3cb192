#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/random.h"

namespace gee {
namespace {

bool AllIn(std::string_view text, std::string_view alphabet) {
  return text.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

TEST(IdsTest, NewUuidIsLowerCaseVersion4) {
  DeterministicRandom random(1);
  for (int i = 0; i < 100; ++i) {
    std::string id = NewUuid(random);
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_TRUE(AllIn(id, "0123456789abcdef-")) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
  }
}

TEST(IdsTest, NewUuidIsReproducibleFromTheSameSeed) {
  DeterministicRandom a(9), b(9);
  EXPECT_EQ(NewUuid(a), NewUuid(b));
}

TEST(IdsTest, NewUuidDiffersBetweenDraws) {
  DeterministicRandom random(1);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(NewUuid(random));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdsTest, IsUuidRejectsMalformedIds) {
  EXPECT_FALSE(IsUuid("1234abcd-12ab-34cd-56ef-1234567890a"));
  EXPECT_FALSE(IsUuid("1234abcd-12ab-34cd-56ef_1234567890ab"));
  EXPECT_FALSE(IsUuid("1234abcd-12ab-34cd-56ef-1234567890ag"));
  EXPECT_TRUE(IsUuid("1234abcd-12ab-34cd-56ef-1234567890ab"));
}

TEST(IdsTest, NewAwsIdUsesPrefixAndLengthOfEachKind) {
  DeterministicRandom random(2);
  struct Case { AwsIdKind kind; std::string_view prefix; size_t length; };
  for (Case c : {Case{AwsIdKind::kUser, "AIDA", 21}, Case{AwsIdKind::kRole, "AROA", 21},
                 Case{AwsIdKind::kPolicy, "ANPA", 21},
                 Case{AwsIdKind::kAccessKey, "AKIA", 20},
                 Case{AwsIdKind::kTemporaryAccessKey, "ASIA", 20}}) {
    std::string id = NewAwsId(c.kind, random);
    SCOPED_TRACE(id);
    EXPECT_EQ(id.size(), c.length);
    EXPECT_EQ(id.substr(0, 4), c.prefix);
    EXPECT_TRUE(AllIn(id.substr(4), kBase32));
  }
}

TEST(IdsTest, NewPrefixedIdUsesEveryBase32Symbol) {
  DeterministicRandom random(3);
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    for (char c : NewPrefixedId("", 16, random)) seen.insert(c);
  }
  EXPECT_EQ(seen.size(), kBase32.size());
}

TEST(IdsTest, NewSecretAccessKeyIs40CharsOfTheSecretAlphabet) {
  DeterministicRandom random(4);
  crypto::SecretBytes secret = NewSecretAccessKey(random);
  ASSERT_EQ(secret.size(), kSecretAccessKeyLength);
  EXPECT_TRUE(AllIn(secret.AsStringView(),
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"));
}

TEST(IdsTest, NewHexIdHasTwoLowerHexDigitsPerByte) {
  DeterministicRandom random(5);
  std::string id = NewHexId(16, random);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(AllIn(id, "0123456789abcdef"));
}

}  // namespace
}  // namespace gee

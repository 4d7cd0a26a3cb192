// JsonObject builds the same object as nlohmann's initializer list.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "services/service.h"

namespace gee {
namespace {

TEST(JsonObjectTest, MatchesTheInitializerListObject) {
  const std::string arn = "arn:aws:kms:us-east-1:000000000000:key/k";
  const std::string_view algorithm = "SYMMETRIC_DEFAULT";
  Json expected = {{"CiphertextBlob", "AAEC"}, {"KeyId", arn}, {"EncryptionAlgorithm", std::string(algorithm)}};
  EXPECT_EQ(JsonObject("CiphertextBlob", "AAEC", "KeyId", arn, "EncryptionAlgorithm", algorithm), expected);
  EXPECT_EQ(JsonObject("CiphertextBlob", "AAEC", "KeyId", arn, "EncryptionAlgorithm", algorithm).dump(),
            expected.dump());
}

TEST(JsonObjectTest, EmptyIsAnObject) {
  EXPECT_TRUE(JsonObject().is_object());
  EXPECT_TRUE(JsonObject().empty());
}

TEST(JsonObjectTest, RepeatedKeyKeepsTheFirstValueLikeTheInitializerList) {
  Json listed = {{"a", 1}, {"a", 2}};
  EXPECT_EQ(JsonObject("a", 1, "a", 2), listed);
  EXPECT_EQ(JsonObject("a", 1, "a", 2)["a"], 1);
}

TEST(JsonObjectTest, MovesValuesIn) {
  std::string big(4096, 'x');
  Json out = JsonObject("Plaintext", std::move(big));
  EXPECT_EQ(out["Plaintext"].get_ref<const std::string&>().size(), 4096u);
}

}  // namespace
}  // namespace gee

// The KMS service remembers key records, unsealed material, aliases, tags,
// grants and the key part of its authorization requests between requests.
// Every change must still take effect on the very next request: each test
// first makes the service remember a key (a successful request), then changes
// the key through another path and checks the next request sees the change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/kms/kms_client.h"
#include "tests/testing/in_process_kms.h"
#include "tests/testing/matchers.h"

namespace gee {
namespace {

using testing::HasAwsError;
using testing::IsOk;
using Json = nlohmann::json;

// Allows every principal kms:Encrypt when `condition` holds, and the account
// everything (so the root can keep managing the key).
std::string PolicyAllowingEncryptWhen(const Json& condition) {
  const std::string root = std::string("arn:aws:iam::") + testing::InProcessKmsTest::kAccount + ":root";
  Json policy = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Sid", "Root"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", root}}},
         {"Action", "kms:*"},
         {"Resource", "*"}},
        {{"Sid", "Encrypt"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", "*"}}},
         {"Action", "kms:Encrypt"},
         {"Resource", "*"},
         {"Condition", condition}}}}};
  return policy.dump();
}

class KmsMemoryTest : public testing::InProcessKmsTest {
 protected:
  Result<Json> Encrypt(const std::string& key, const Principal& principal = RootPrincipal(kAccount)) {
    return Call("Encrypt", {{"KeyId", key}, {"Plaintext", B64("secret")}}, principal);
  }
};

TEST_F(KmsMemoryTest, EncryptFailsWithDisabledExceptionRightAfterDisableKey) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Encrypt(arn), IsOk());
  ASSERT_THAT(Call("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Encrypt(arn), HasAwsError("DisabledException"));
  ASSERT_THAT(Call("EnableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Encrypt(arn), IsOk());
}

TEST_F(KmsMemoryTest, EncryptFailsRightAfterScheduleKeyDeletion) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Encrypt(arn), IsOk());
  ASSERT_THAT(Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}}), IsOk());
  EXPECT_THAT(Encrypt(arn), HasAwsError("KMSInvalidStateException"));
}

TEST_F(KmsMemoryTest, KeyIsGoneOnceItsDeletionDateHasPassed) {
  const std::string arn = CreateKey();
  auto blob = Encrypt(arn);
  ASSERT_THAT(blob, IsOk());
  ASSERT_THAT(Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}}), IsOk());
  clock_.AdvanceSeconds(7 * 86400 + 1);
  EXPECT_THAT(Encrypt(arn), HasAwsError("NotFoundException"));
  EXPECT_THAT(Call("Decrypt", {{"CiphertextBlob", (*blob)["CiphertextBlob"]}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(KmsMemoryTest, RotationTakesEffectAndOldCiphertextsStillDecrypt) {
  const std::string arn = CreateKey();
  auto before = Encrypt(arn);
  ASSERT_THAT(before, IsOk());
  auto described = Call("DescribeKey", {{"KeyId", arn}});
  ASSERT_THAT(described, IsOk());
  const std::string first_material = (*described)["KeyMetadata"]["CurrentKeyMaterialId"];

  ASSERT_THAT(Call("RotateKeyOnDemand", {{"KeyId", arn}}), IsOk());
  auto after = Encrypt(arn);
  ASSERT_THAT(after, IsOk());
  auto old_plain = Call("Decrypt", {{"CiphertextBlob", (*before)["CiphertextBlob"]}});
  auto new_plain = Call("Decrypt", {{"CiphertextBlob", (*after)["CiphertextBlob"]}});
  ASSERT_THAT(old_plain, IsOk());
  ASSERT_THAT(new_plain, IsOk());
  EXPECT_EQ((*old_plain)["Plaintext"], crypto::Base64Encode("secret"));
  EXPECT_EQ((*new_plain)["Plaintext"], crypto::Base64Encode("secret"));
  EXPECT_EQ((*old_plain)["KeyMaterialId"], first_material);
  EXPECT_NE((*new_plain)["KeyMaterialId"], first_material);
}

TEST_F(KmsMemoryTest, PutKeyPolicyTakesEffectOnTheNextRequest) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
  ASSERT_THAT(Call("PutKeyPolicy", {{"KeyId", arn},
                                    {"Policy", PolicyAllowingEncryptWhen(Json::object())}}),
              IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), IsOk());
  ASSERT_THAT(Call("PutKeyPolicy",
                   {{"KeyId", arn},
                    {"Policy", PolicyAllowingEncryptWhen(
                                   {{"StringEquals", {{"aws:PrincipalAccount", "111111111111"}}}})}}),
              IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsMemoryTest, TagChangesTakeEffectOnTheNextRequest) {
  const std::string arn = CreateKey(
      {{"Policy", PolicyAllowingEncryptWhen({{"StringEquals", {{"aws:ResourceTag/team", "blue"}}}})}});
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
  ASSERT_THAT(Call("TagResource", {{"KeyId", arn}, {"Tags", {{{"TagKey", "team"}, {"TagValue", "blue"}}}}}),
              IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), IsOk());
  ASSERT_THAT(Call("UntagResource", {{"KeyId", arn}, {"TagKeys", {"team"}}}), IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsMemoryTest, AliasChangesTakeEffectOnTheNextRequest) {
  const std::string arn = CreateKey({{"Policy", PolicyAllowingEncryptWhen(
                                                    {{"ForAnyValue:StringEquals",
                                                      {{"kms:ResourceAliases", "alias/blue"}}}})}});
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
  ASSERT_THAT(Call("CreateAlias", {{"AliasName", "alias/blue"}, {"TargetKeyId", arn}}), IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), IsOk());
  ASSERT_THAT(Call("DeleteAlias", {{"AliasName", "alias/blue"}}), IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsMemoryTest, RevokedGrantNoLongerAllows) {
  const std::string arn = CreateKey();
  auto grant = Call("CreateGrant", {{"KeyId", arn},
                                    {"GranteePrincipal", User("u").arn},
                                    {"Operations", {"Encrypt"}}});
  ASSERT_THAT(grant, IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), IsOk());
  ASSERT_THAT(Call("RevokeGrant", {{"KeyId", arn}, {"GrantId", (*grant)["GrantId"]}}), IsOk());
  EXPECT_THAT(Encrypt(arn, User("u")), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsMemoryTest, KmsClientCallsSeeKeyStateChangesMadeBetweenThem) {
  const std::string arn = CreateKey();
  kms::KmsClient client(emulator_->env());
  RequestContext ctx = emulator_->env().NewContext(RootPrincipal(kAccount), "us-east-1");
  ASSERT_THAT(client.Encrypt(ctx, arn, "secret", {}), IsOk());
  ASSERT_THAT(Call("DisableKey", {{"KeyId", arn}}), IsOk());
  RequestContext next = emulator_->env().NewContext(RootPrincipal(kAccount), "us-east-1");
  EXPECT_THAT(client.Encrypt(next, arn, "secret", {}), HasAwsError("DisabledException"));
}

TEST_F(KmsMemoryTest, ResetForgetsEveryKey) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Encrypt(arn), IsOk());
  ASSERT_THAT(emulator_->Reset(), IsOk());
  EXPECT_THAT(Encrypt(arn), HasAwsError("NotFoundException"));
}

}  // namespace
}  // namespace gee

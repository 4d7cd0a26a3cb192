// KMS over real HTTP: key lifecycle, identifiers and their NotFound texts,
// key states, scheduled deletion by the injected clock, tags and rotation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/kms_fixture.h"

namespace gee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using testing::kTestEpochSeconds;
using Json = nlohmann::json;

class KmsKeysTest : public testing::KmsTest {};

std::vector<std::string> MemberNames(const Json& object) {
  std::vector<std::string> names;
  for (auto it = object.begin(); it != object.end(); ++it) names.push_back(it.key());
  return names;
}

TEST_F(KmsKeysTest, CreateKeyReturnsTheRecordedMetadataOfASymmetricKey) {
  auto r = Kms("CreateKey", {{"Description", "test key 123"}});
  ASSERT_THAT(r, IsOk());
  const Json& m = r->json["KeyMetadata"];
  EXPECT_THAT(MemberNames(m),
              UnorderedElementsAreArray({"AWSAccountId", "Arn", "CreationDate", "CurrentKeyMaterialId",
                                         "CustomerMasterKeySpec", "Description", "Enabled",
                                         "EncryptionAlgorithms", "KeyId", "KeyManager", "KeySpec",
                                         "KeyState", "KeyUsage", "MultiRegion", "Origin"}));
  EXPECT_EQ(m["AWSAccountId"], "000000000000");
  EXPECT_EQ(m["Arn"], "arn:aws:kms:us-east-1:000000000000:key/" + m["KeyId"].get<std::string>());
  EXPECT_EQ(m["CreationDate"], kTestEpochSeconds);
  EXPECT_EQ(m["KeySpec"], "SYMMETRIC_DEFAULT");
  EXPECT_EQ(m["KeyUsage"], "ENCRYPT_DECRYPT");
  EXPECT_EQ(m["KeyState"], "Enabled");
  EXPECT_EQ(m["KeyManager"], "CUSTOMER");
  EXPECT_EQ(m["Origin"], "AWS_KMS");
  EXPECT_EQ(m["Enabled"], true);
  EXPECT_EQ(m["MultiRegion"], false);
  EXPECT_EQ(m["EncryptionAlgorithms"], Json::array({"SYMMETRIC_DEFAULT"}));
  EXPECT_EQ(m["CurrentKeyMaterialId"].get<std::string>().size(), 64u);
}

TEST_F(KmsKeysTest, CreateKeyOfAnHmacKeyListsMacAlgorithmsAndNoMaterialId) {
  auto r = Kms("CreateKey", {{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
  ASSERT_THAT(r, IsOk());
  const Json& m = r->json["KeyMetadata"];
  EXPECT_EQ(m["MacAlgorithms"], Json::array({"HMAC_SHA_256"}));
  EXPECT_FALSE(m.contains("EncryptionAlgorithms"));
  EXPECT_FALSE(m.contains("CurrentKeyMaterialId"));
}

TEST_F(KmsKeysTest, CreateKeySucceedsForEverySupportedSpecAndUsage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"}, {"HMAC_224", "GENERATE_VERIFY_MAC"},
      {"HMAC_384", "GENERATE_VERIFY_MAC"},      {"HMAC_512", "GENERATE_VERIFY_MAC"},
      {"RSA_2048", "ENCRYPT_DECRYPT"},          {"RSA_3072", "SIGN_VERIFY"},
      {"RSA_4096", "ENCRYPT_DECRYPT"},          {"ECC_NIST_P256", "SIGN_VERIFY"},
      {"ECC_NIST_P384", "KEY_AGREEMENT"},       {"ECC_NIST_P521", "SIGN_VERIFY"},
      {"ECC_SECG_P256K1", "SIGN_VERIFY"}};
  for (const auto& [spec, usage] : cases) {
    auto r = Kms("CreateKey", {{"KeySpec", spec}, {"KeyUsage", usage}});
    ASSERT_THAT(r, IsOk()) << spec << "/" << usage;
    EXPECT_EQ(r->json["KeyMetadata"]["KeySpec"], spec);
    EXPECT_EQ(r->json["KeyMetadata"]["KeyUsage"], usage);
  }
}

TEST_F(KmsKeysTest, CreateKeyFailsWhenANonSymmetricKeyHasNoKeyUsage) {
  EXPECT_THAT(Kms("CreateKey", {{"KeySpec", "HMAC_256"}}),
              HasAwsErrorMessage("ValidationException",
                                 "You must specify a KeyUsage value for all KMS keys except for "
                                 "symmetric encryption keys."));
}

TEST_F(KmsKeysTest, CreateKeyFailsWhenTheUsageDoesNotFitTheSpec) {
  EXPECT_THAT(Kms("CreateKey", {{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "ENCRYPT_DECRYPT"}}),
              HasAwsError("ValidationException"));
}

TEST_F(KmsKeysTest, CreateKeyFailsWithAnUnknownKeySpecEnumValue) {
  auto r = Kms("CreateKey", {{"KeySpec", "HMAC_random"}});
  EXPECT_THAT(r, HasAwsError("ValidationException"));
  EXPECT_THAT(r->error_message, HasSubstr("Value 'HMAC_random' at 'keySpec' failed to satisfy constraint"));
}

TEST_F(KmsKeysTest, CreateKeyFailsAsUnsupportedForImportedMaterialAndMultiRegion) {
  EXPECT_THAT(Kms("CreateKey", {{"Origin", "EXTERNAL"}}), HasAwsError("UnsupportedOperationException"));
  EXPECT_THAT(Kms("CreateKey", {{"MultiRegion", true}}), HasAwsError("UnsupportedOperationException"));
}

TEST_F(KmsKeysTest, DescribeKeyFindsTheKeyByIdArnAliasNameAndAliasArn) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/named"}, {"TargetKeyId", arn}}), IsOk());
  for (const std::string& id : {KeyIdOf(arn), arn, std::string("alias/named"),
                                std::string("arn:aws:kms:us-east-1:000000000000:alias/named")}) {
    auto r = Kms("DescribeKey", {{"KeyId", id}});
    ASSERT_THAT(r, IsOk()) << id;
    EXPECT_EQ(r->json["KeyMetadata"]["Arn"], arn) << id;
  }
}

TEST_F(KmsKeysTest, DescribeKeyFailsWithInvalidKeyIdForAMalformedId) {
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", "fake-key-id"}}),
              HasAwsErrorMessage("NotFoundException", "Invalid keyId 'fake-key-id'"));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", "mrk-fake-key-id"}}),
              HasAwsErrorMessage("NotFoundException", "Invalid keyId 'mrk-fake-key-id'"));
}

TEST_F(KmsKeysTest, DescribeKeyFailsWithKeyDoesNotExistForAnUnknownIdOrArn) {
  const std::string id = "1234abcd-12ab-34cd-56ef-1234567890ab";
  const std::string arn = "arn:aws:kms:us-east-1:000000000000:key/" + id;
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", id}}),
              HasAwsErrorMessage("NotFoundException", "Key '" + arn + "' does not exist"));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}),
              HasAwsErrorMessage("NotFoundException", "Key '" + arn + "' does not exist"));
  const std::string mrk = "mrk-d3b95762d3b95762d3b95762d3b95762";
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", mrk}}),
              HasAwsErrorMessage("NotFoundException",
                                 "Key 'arn:aws:kms:us-east-1:000000000000:key/" + mrk + "' does not exist"));
}

TEST_F(KmsKeysTest, DescribeKeyOfAKeyInAnotherRegionFailsByIdAndByArn) {
  auto west = ClientFor({"test", "test", ""}, "ap-southeast-1");
  auto created = west->Json("kms", "CreateKey", Json::object());
  ASSERT_THAT(created, IsOk());
  const std::string arn = created->json["KeyMetadata"]["Arn"];
  const std::string id = KeyIdOf(arn);
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", id}}),
              HasAwsErrorMessage("NotFoundException",
                                 "Key 'arn:aws:kms:us-east-1:000000000000:key/" + id + "' does not exist"));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}),
              HasAwsErrorMessage("NotFoundException", "Invalid arn ap-southeast-1"));
  EXPECT_THAT(west->Json("kms", "DescribeKey", {{"KeyId", id}}), IsOk());
}

TEST_F(KmsKeysTest, DescribeKeyFailsWithAliasNotFoundExpandingTheNameToItsArn) {
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", "alias/missing"}}),
              HasAwsErrorMessage("NotFoundException",
                                 "Alias arn:aws:kms:us-east-1:000000000000:alias/missing is not found."));
}

TEST_F(KmsKeysTest, ManagementOperationsRefuseAnAliasWhereOnlyKeysAreAccepted) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/mgmt"}, {"TargetKeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("DisableKey", {{"KeyId", "alias/mgmt"}}),
              HasAwsErrorMessage("NotFoundException", "Invalid keyId 'alias/mgmt'"));
}

TEST_F(KmsKeysTest, ListKeysPagesThroughEveryKeyWithMarkers) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(CreateKey());
  std::vector<std::string> seen;
  Json in = {{"Limit", 2}};
  for (int page = 0; page < 10; ++page) {
    auto r = Kms("ListKeys", in);
    ASSERT_THAT(r, IsOk());
    for (const Json& k : r->json["Keys"]) {
      seen.push_back(k["KeyArn"]);
      EXPECT_EQ(k["KeyArn"], "arn:aws:kms:us-east-1:000000000000:key/" + k["KeyId"].get<std::string>());
    }
    if (!r->json["Truncated"].get<bool>()) break;
    in["Marker"] = r->json["NextMarker"];
  }
  EXPECT_THAT(seen, UnorderedElementsAreArray(created));
}

TEST_F(KmsKeysTest, ListKeysFailsWithInvalidMarkerForAMarkerItDidNotIssue) {
  EXPECT_THAT(Kms("ListKeys", {{"Marker", "not-a-marker"}}), HasAwsError("InvalidMarkerException"));
}

TEST_F(KmsKeysTest, EncryptFailsWithDisabledExceptionAfterDisableKeyAndWorksAfterEnableKey) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("DisabledException", arn + " is disabled."));
  auto described = Kms("DescribeKey", {{"KeyId", arn}});
  EXPECT_EQ(described->json["KeyMetadata"]["KeyState"], "Disabled");
  EXPECT_EQ(described->json["KeyMetadata"]["Enabled"], false);
  ASSERT_THAT(Kms("EnableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}), IsOk());
}

TEST_F(KmsKeysTest, DecryptFailsWithDisabledExceptionWhenTheCiphertextsKeyIsDisabled) {
  const std::string arn = CreateKey();
  const std::string blob = Encrypt(arn, "secret");
  ASSERT_THAT(Kms("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Decrypt(blob), HasAwsErrorMessage("DisabledException", arn + " is disabled."));
}

TEST_F(KmsKeysTest, ScheduleKeyDeletionAnswersTheDateAndMakesTheKeyPendingDeletion) {
  const std::string arn = CreateKey();
  auto r = Kms("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["KeyId"], arn);
  EXPECT_EQ(r->json["KeyState"], "PendingDeletion");
  EXPECT_EQ(r->json["PendingWindowInDays"], 7);
  EXPECT_EQ(r->json["DeletionDate"], kTestEpochSeconds + 7 * 86400);
  auto m = Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"];
  EXPECT_EQ(m["KeyState"], "PendingDeletion");
  EXPECT_EQ(m["Enabled"], false);
  EXPECT_EQ(m["DeletionDate"], kTestEpochSeconds + 7 * 86400);
  EXPECT_EQ(m["PendingDeletionWindowInDays"], 7);
}

TEST_F(KmsKeysTest, ScheduleKeyDeletionDefaultsToThirtyDays) {
  const std::string arn = CreateKey();
  auto r = Kms("ScheduleKeyDeletion", {{"KeyId", arn}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["PendingWindowInDays"], 30);
}

TEST_F(KmsKeysTest, ScheduleKeyDeletionFailsOutsideSevenToThirtyDays) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 6}}),
              HasAwsErrorMessage("ValidationException",
                                 "PendingWindowInDays should be between 7 and 30, but it is 6"));
  EXPECT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 31}}),
              HasAwsError("ValidationException"));
}

TEST_F(KmsKeysTest, CryptoOperationsFailWithInvalidStateWhenTheKeyIsPendingDeletion) {
  const std::string arn = CreateKey();
  const std::string blob = Encrypt(arn, "secret");
  ASSERT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending deletion."));
  EXPECT_THAT(Decrypt(blob), HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending deletion."));
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 32}}),
              HasAwsError("KMSInvalidStateException"));
  EXPECT_THAT(Kms("EnableKey", {{"KeyId", arn}}),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending deletion."));
  EXPECT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}}), HasAwsError("KMSInvalidStateException"));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("GetKeyPolicy", {{"KeyId", arn}}), IsOk());
}

TEST_F(KmsKeysTest, CancelKeyDeletionLeavesTheKeyDisabled) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}}), IsOk());
  auto r = Kms("CancelKeyDeletion", {{"KeyId", arn}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["KeyId"], arn);
  auto m = Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"];
  EXPECT_EQ(m["KeyState"], "Disabled");
  EXPECT_FALSE(m.contains("DeletionDate"));
}

TEST_F(KmsKeysTest, CancelKeyDeletionFailsWhenTheKeyIsNotPendingDeletion) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("CancelKeyDeletion", {{"KeyId", arn}}),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is not pending deletion."));
}

TEST_F(KmsKeysTest, KeyIsDeletedWithItsAliasesWhenTheDeletionWindowHasPassed) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/doomed"}, {"TargetKeyId", arn}}), IsOk());
  const std::string blob = Encrypt(arn, "secret");
  ASSERT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}}), IsOk());
  clock().AdvanceSeconds(7 * 86400 - 1);
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}), IsOk());
  clock().AdvanceSeconds(1);
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}),
              HasAwsErrorMessage("NotFoundException", "Key '" + arn + "' does not exist"));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", "alias/doomed"}}), HasAwsError("NotFoundException"));
  auto listed = Kms("ListKeys", Json::object());
  EXPECT_TRUE(listed->json["Keys"].empty());
  EXPECT_THAT(Decrypt(blob),
              HasAwsErrorMessage("AccessDeniedException",
                                 "The ciphertext refers to a customer master key that does not exist, "
                                 "does not exist in this region, or you are not allowed to access."));
}

TEST_F(KmsKeysTest, UpdateKeyDescriptionChangesTheDescription) {
  const std::string arn = CreateKey({{"Description", "before"}});
  ASSERT_THAT(Kms("UpdateKeyDescription", {{"KeyId", arn}, {"Description", "after"}}), IsOk());
  EXPECT_EQ(Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"]["Description"], "after");
}

TEST_F(KmsKeysTest, TagResourceAddsAndUntagResourceRemovesTags) {
  const std::string arn = CreateKey({{"Tags", {{{"TagKey", "team"}, {"TagValue", "a"}}}}});
  ASSERT_THAT(Kms("TagResource", {{"KeyId", arn},
                                  {"Tags", {{{"TagKey", "env"}, {"TagValue", "dev"}},
                                            {{"TagKey", "team"}, {"TagValue", "b"}}}}}),
              IsOk());
  auto listed = Kms("ListResourceTags", {{"KeyId", arn}});
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->json["Tags"], Json::parse(R"([{"TagKey":"env","TagValue":"dev"},
                                                   {"TagKey":"team","TagValue":"b"}])"));
  ASSERT_THAT(Kms("UntagResource", {{"KeyId", arn}, {"TagKeys", {"team"}}}), IsOk());
  EXPECT_EQ(Kms("ListResourceTags", {{"KeyId", arn}})->json["Tags"].size(), 1u);
}

TEST_F(KmsKeysTest, TagResourceFailsForTheReservedAwsPrefix) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("TagResource", {{"KeyId", arn}, {"Tags", {{{"TagKey", "aws:x"}, {"TagValue", "v"}}}}}),
              HasAwsError("TagException"));
}

TEST_F(KmsKeysTest, RotateKeyOnDemandKeepsOldCiphertextsDecryptable) {
  const std::string arn = CreateKey();
  const std::string before = Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"]["CurrentKeyMaterialId"];
  const std::string old_blob = Encrypt(arn, "old secret");
  auto rotated = Kms("RotateKeyOnDemand", {{"KeyId", arn}});
  ASSERT_THAT(rotated, IsOk());
  EXPECT_EQ(rotated->json["KeyId"], arn);
  const std::string after = Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"]["CurrentKeyMaterialId"];
  EXPECT_NE(before, after);
  auto decrypted = Decrypt(old_blob);
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), "old secret");
  EXPECT_EQ(decrypted->json["KeyMaterialId"], before);
  const std::string new_blob = Encrypt(arn, "new secret");
  EXPECT_EQ(Decrypt(new_blob)->json["KeyMaterialId"], after);
}

TEST_F(KmsKeysTest, ListKeyRotationsListsOnDemandRotationsWithTheirMaterial) {
  const std::string arn = CreateKey();
  clock().AdvanceSeconds(60);
  ASSERT_THAT(Kms("RotateKeyOnDemand", {{"KeyId", arn}}), IsOk());
  auto r = Kms("ListKeyRotations", {{"KeyId", arn}});
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->json["Rotations"].size(), 1u);
  const Json& rotation = r->json["Rotations"][0];
  EXPECT_EQ(rotation["KeyId"], arn);
  EXPECT_EQ(rotation["RotationType"], "ON_DEMAND");
  EXPECT_EQ(rotation["RotationDate"], kTestEpochSeconds + 60);
  EXPECT_EQ(rotation["KeyMaterialId"],
            Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"]["CurrentKeyMaterialId"]);
  auto all = Kms("ListKeyRotations", {{"KeyId", arn}, {"IncludeKeyMaterial", "ALL_KEY_MATERIAL"}});
  EXPECT_EQ(all->json["Rotations"].size(), 2u);
}

TEST_F(KmsKeysTest, AutomaticRotationHappensWhenThePeriodHasPassed) {
  const std::string arn = CreateKey();
  const std::string old_blob = Encrypt(arn, "old");
  ASSERT_THAT(Kms("EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 90}}), IsOk());
  auto status = Kms("GetKeyRotationStatus", {{"KeyId", arn}});
  ASSERT_THAT(status, IsOk());
  EXPECT_EQ(status->json["KeyRotationEnabled"], true);
  EXPECT_EQ(status->json["RotationPeriodInDays"], 90);
  EXPECT_EQ(status->json["NextRotationDate"], kTestEpochSeconds + 90 * 86400);
  EXPECT_EQ(status->json["KeyId"], arn);
  clock().AdvanceSeconds(90 * 86400);
  auto rotations = Kms("ListKeyRotations", {{"KeyId", arn}});
  ASSERT_THAT(rotations, IsOk());
  ASSERT_EQ(rotations->json["Rotations"].size(), 1u);
  EXPECT_EQ(rotations->json["Rotations"][0]["RotationType"], "AUTOMATIC");
  EXPECT_EQ(rotations->json["Rotations"][0]["RotationDate"], kTestEpochSeconds + 90 * 86400);
  EXPECT_EQ(Kms("GetKeyRotationStatus", {{"KeyId", arn}})->json["NextRotationDate"],
            kTestEpochSeconds + 180 * 86400);
  EXPECT_EQ(Unb64(Decrypt(old_blob)->json["Plaintext"]), "old");
}

TEST_F(KmsKeysTest, DisableKeyRotationTurnsRotationOff) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("EnableKeyRotation", {{"KeyId", arn}}), IsOk());
  ASSERT_THAT(Kms("DisableKeyRotation", {{"KeyId", arn}}), IsOk());
  auto status = Kms("GetKeyRotationStatus", {{"KeyId", arn}});
  EXPECT_EQ(status->json["KeyRotationEnabled"], false);
  EXPECT_FALSE(status->json.contains("NextRotationDate"));
}

TEST_F(KmsKeysTest, EnableKeyRotationFailsWithDisabledExceptionForADisabledKey) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("EnableKeyRotation", {{"KeyId", arn}}),
              HasAwsErrorMessage("DisabledException", arn + " is disabled."));
  EXPECT_THAT(Kms("RotateKeyOnDemand", {{"KeyId", arn}}),
              HasAwsErrorMessage("DisabledException", arn + " is disabled."));
}

TEST_F(KmsKeysTest, RotationOperationsFailWithUnsupportedOperationForAsymmetricKeys) {
  const std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_THAT(Kms("RotateKeyOnDemand", {{"KeyId", arn}}),
              HasAwsErrorMessage("UnsupportedOperationException", ""));
  EXPECT_THAT(Kms("EnableKeyRotation", {{"KeyId", arn}}), HasAwsError("UnsupportedOperationException"));
}

TEST_F(KmsKeysTest, EnableKeyRotationFailsValidationForAPeriodUnderNinetyDays) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 89}}),
              HasAwsError("ValidationException"));
}

}  // namespace
}  // namespace gee

#include "services/kms/envelope.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/ids.h"
#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/root_key.h"
#include "tests/testing/matchers.h"
#include "tests/testing/kms_test_keys.h"

namespace gee::kms {
namespace {

using crypto::SecretBytes;
using ::gee::testing::CachedMaterial;
using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;

class EnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::OpenInMemory();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_, KmsMigrations()).ok());
    auto keyring = store::RootKeyring::Create(SecretBytes::FromRandom(32, random_), random_);
    ASSERT_TRUE(keyring.ok());
    keyring_ = std::move(*keyring);
    auto key_store = KeyStore::Create(*db_, *keyring_, random_);
    ASSERT_TRUE(key_store.ok());
    store_ = std::move(*key_store);
  }

  // Creates a key in the store and loads it as the operations see it.
  LoadedKey CreateKey(KeySpec spec = KeySpec::kSymmetricDefault,
                      KeyUsage usage = KeyUsage::kEncryptDecrypt, int instance = 0) {
    KeyRecord record;
    record.key_id = NewUuid(random_);
    record.arn = "arn:aws:kms:us-east-1:000000000000:key/" + record.key_id;
    record.account = "000000000000";
    record.region = "us-east-1";
    record.spec = spec;
    record.usage = usage;
    record.policy = "{}";
    auto material = CachedMaterial(spec, instance);
    EXPECT_TRUE(material);
    auto created = store_->CreateKey(record, *material);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return LoadedKey::FromStore(*store_, created.ok() ? *created : record);
  }

  // The key as a later request would load it (fresh record, empty cache).
  LoadedKey Reload(const std::string& key_id) {
    auto found = store_->FindKey(key_id);
    EXPECT_TRUE(found.ok() && found->has_value());
    return LoadedKey::FromStore(*store_, **found);
  }

  std::string UsageText(const LoadedKey& key, std::string_view usage,
                        std::string_view operation) {
    return key.record().arn + " key usage is " + std::string(usage) +
           " which is not valid for " + std::string(operation) + ".";
  }

  DeterministicRandom random_{321};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::RootKeyring> keyring_;
  std::unique_ptr<KeyStore> store_;
  const EncryptionContext context_ = {{"aws:logs:arn", "arn:aws:logs:us-east-1:0:log-group:g"}};
};

// ---- symmetric Encrypt / Decrypt ----

TEST_F(EnvelopeTest, DecryptRoundTripsWithEncryptionContext) {
  LoadedKey key = CreateKey();
  auto blob = Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, "log event", context_,
                      random_);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(blob->find("log event"), std::string::npos);
  auto plaintext = Decrypt(key, EncryptionAlgorithm::kSymmetricDefault, *blob, context_);
  ASSERT_TRUE(plaintext.ok()) << plaintext.error().message;
  EXPECT_EQ(plaintext->AsStringView(), "log event");
}

TEST_F(EnvelopeTest, DecryptWithoutKeyIdFindsTheKeyFromTheBlob) {
  LoadedKey key = CreateKey();
  CreateKey(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 1);  // another key
  auto blob = EncryptSymmetric(key, "secret", {}, random_);
  ASSERT_TRUE(blob.ok());
  auto key_id = PeekKeyId(*blob);
  ASSERT_TRUE(key_id.ok());
  LoadedKey found = Reload(*key_id);
  EXPECT_EQ(found.record().arn, key.record().arn);
  auto plaintext = DecryptSymmetric(found, *blob, {});
  ASSERT_TRUE(plaintext.ok());
  EXPECT_EQ(plaintext->AsStringView(), "secret");
}

TEST_F(EnvelopeTest, DecryptWithAnotherKeyFailsWithIncorrectKey) {
  LoadedKey key = CreateKey(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 0);
  LoadedKey other = CreateKey(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 1);
  auto blob = EncryptSymmetric(key, "secret", {}, random_);
  ASSERT_TRUE(blob.ok());
  EXPECT_THAT(Decrypt(other, EncryptionAlgorithm::kSymmetricDefault, *blob, {}),
              HasAwsErrorMessage("IncorrectKeyException",
                                 "The key ID in the request does not identify a CMK that "
                                 "can perform this operation."));
}

TEST_F(EnvelopeTest, DecryptFailsWithoutMessageWhenContextDiffers) {
  LoadedKey key = CreateKey();
  auto blob = EncryptSymmetric(key, "secret", context_, random_);
  ASSERT_TRUE(blob.ok());
  EXPECT_THAT(DecryptSymmetric(key, *blob, {}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
  EXPECT_THAT(DecryptSymmetric(key, *blob, {{"aws:logs:arn", "other"}}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(EnvelopeTest, DecryptOpensBlobsFromBeforeAndAfterRotation) {
  LoadedKey key = CreateKey(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 0);
  auto old_blob = EncryptSymmetric(key, "before rotation", context_, random_);
  ASSERT_TRUE(old_blob.ok());

  auto rotated = CachedMaterial(KeySpec::kSymmetricDefault, 1);
  ASSERT_TRUE(store_->AddMaterialVersion(key.record().key_id, *rotated, 2,
                                         RotationType::kAutomatic)
                  .ok());
  LoadedKey after = Reload(key.record().key_id);
  auto new_blob = EncryptSymmetric(after, "after rotation", context_, random_);
  ASSERT_TRUE(new_blob.ok());
  auto new_parsed = ParseCiphertextBlob(*new_blob);
  ASSERT_TRUE(new_parsed.ok());
  EXPECT_EQ(new_parsed->key_version, 2u);

  auto old_plaintext = DecryptSymmetric(after, *old_blob, context_);
  ASSERT_TRUE(old_plaintext.ok()) << old_plaintext.error().message;
  EXPECT_EQ(old_plaintext->AsStringView(), "before rotation");
  auto new_plaintext = DecryptSymmetric(after, *new_blob, context_);
  ASSERT_TRUE(new_plaintext.ok());
  EXPECT_EQ(new_plaintext->AsStringView(), "after rotation");
}

TEST_F(EnvelopeTest, DecryptOfBlobNamingAMissingVersionFailsWithoutMessage) {
  LoadedKey key = CreateKey();
  auto blob = EncryptSymmetric(key, "secret", {}, random_);
  ASSERT_TRUE(blob.ok());
  std::string forged = *blob;
  const size_t version_offset = 2 + key.record().key_id.size();
  forged[version_offset + 3] = 9;  // version 1 -> 9
  EXPECT_THAT(DecryptSymmetric(key, forged, {}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(EnvelopeTest, DecryptOfGarbageFailsWithoutMessage) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(Decrypt(key, EncryptionAlgorithm::kSymmetricDefault, "garbage", {}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(EnvelopeTest, EncryptWithSignVerifyKeyFailsWithUsageText) {
  LoadedKey key = CreateKey(KeySpec::kEccNistP256, KeyUsage::kSignVerify);
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, "x", {}, random_),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "SIGN_VERIFY", "Encrypt")));
}

TEST_F(EnvelopeTest, EncryptWithRsaKeyAndDefaultAlgorithmFailsWithRecordedText) {
  LoadedKey key = CreateKey(KeySpec::kRsa4096, KeyUsage::kEncryptDecrypt);
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, "x", {}, random_),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec "
                                 "RSA_4096."));
}

TEST_F(EnvelopeTest, EncryptWithSymmetricKeyAndOaepAlgorithmFails) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kRsaesOaepSha256, "x", {}, random_),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm RSAES_OAEP_SHA_256 is incompatible with key "
                                 "spec SYMMETRIC_DEFAULT."));
}

TEST_F(EnvelopeTest, EncryptOfMoreThan4096BytesFailsWithRecordedText) {
  LoadedKey key = CreateKey();
  EXPECT_TRUE(Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, std::string(4096, 'a'), {},
                      random_)
                  .ok());
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, std::string(4097, 'a'), {},
                      random_),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value at 'plaintext' failed "
                                 "to satisfy constraint: Member must have length less than "
                                 "or equal to 4096"));
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kSymmetricDefault, "", {}, random_),
              HasAwsError("ValidationException"));
}

// ---- RSA Encrypt / Decrypt ----

TEST_F(EnvelopeTest, RsaEncryptDecryptRoundTrips) {
  LoadedKey key = CreateKey(KeySpec::kRsa2048, KeyUsage::kEncryptDecrypt);
  auto ciphertext = Encrypt(key, EncryptionAlgorithm::kRsaesOaepSha1, "rsa secret", {}, random_);
  ASSERT_TRUE(ciphertext.ok()) << ciphertext.error().message;
  EXPECT_EQ(ciphertext->size(), 256u);
  auto plaintext = Decrypt(key, EncryptionAlgorithm::kRsaesOaepSha1, *ciphertext, {});
  ASSERT_TRUE(plaintext.ok());
  EXPECT_EQ(plaintext->AsStringView(), "rsa secret");
  EXPECT_THAT(Decrypt(key, EncryptionAlgorithm::kRsaesOaepSha256, *ciphertext, {}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(EnvelopeTest, RsaEncryptOverTheLimitFailsWithRecordedText) {
  LoadedKey key = CreateKey(KeySpec::kRsa2048, KeyUsage::kEncryptDecrypt);
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kRsaesOaepSha1, std::string(215, 'a'), {},
                      random_),
              HasAwsErrorMessage("ValidationException",
                                 "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot "
                                 "encrypt data larger than 214 bytes."));
}

TEST_F(EnvelopeTest, RsaEncryptWithEncryptionContextFails) {
  LoadedKey key = CreateKey(KeySpec::kRsa2048, KeyUsage::kEncryptDecrypt);
  EXPECT_THAT(Encrypt(key, EncryptionAlgorithm::kRsaesOaepSha256, "x", context_, random_),
              HasAwsError("ValidationException"));
}

// ---- data keys ----

TEST_F(EnvelopeTest, GenerateDataKeyBlobDecryptsToThePlaintextKey) {
  LoadedKey key = CreateKey();
  auto data_key = GenerateDataKey(key, 32, context_, random_);
  ASSERT_TRUE(data_key.ok()) << data_key.error().message;
  EXPECT_EQ(data_key->plaintext.size(), 32u);
  auto opened = DecryptSymmetric(key, data_key->ciphertext_blob, context_);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == data_key->plaintext);
  EXPECT_THAT(DecryptSymmetric(key, data_key->ciphertext_blob, {}),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(EnvelopeTest, GenerateDataKeyIsRefusedForAsymmetricAndSigningKeys) {
  LoadedKey rsa = CreateKey(KeySpec::kRsa2048, KeyUsage::kEncryptDecrypt);
  EXPECT_THAT(GenerateDataKey(rsa, 32, {}, random_),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 rsa.record().arn +
                                     " key KeySpec is RSA_2048 which is not valid for "
                                     "GenerateDataKey."));
  LoadedKey hmac = CreateKey(KeySpec::kHmac256, KeyUsage::kGenerateVerifyMac);
  EXPECT_THAT(GenerateDataKey(hmac, 32, {}, random_),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(hmac, "GENERATE_VERIFY_MAC", "GenerateDataKey")));
}

TEST_F(EnvelopeTest, ResolveDataKeyLengthAcceptsExactlyOneMember) {
  EXPECT_EQ(*ResolveDataKeyLength("AES_256", std::nullopt), 32u);
  EXPECT_EQ(*ResolveDataKeyLength("AES_128", std::nullopt), 16u);
  EXPECT_EQ(*ResolveDataKeyLength(std::nullopt, 1024), 1024u);
  EXPECT_THAT(ResolveDataKeyLength(std::nullopt, std::nullopt),
              HasAwsError("ValidationException"));
  EXPECT_THAT(ResolveDataKeyLength("AES_256", 32), HasAwsError("ValidationException"));
  EXPECT_THAT(ResolveDataKeyLength("AES_512", std::nullopt), HasAwsError("ValidationException"));
}

TEST_F(EnvelopeTest, ResolveDataKeyLengthOutOfRangeUsesRecordedTexts) {
  EXPECT_THAT(ResolveDataKeyLength(std::nullopt, 0),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value '0' at 'numberOfBytes' "
                                 "failed to satisfy constraint: Member must have value "
                                 "greater than or equal to 1"));
  EXPECT_THAT(ResolveDataKeyLength(std::nullopt, 1025),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value '1025' at "
                                 "'numberOfBytes' failed to satisfy constraint: Member must "
                                 "have value less than or equal to 1024"));
}

TEST_F(EnvelopeTest, GenerateDataKeyPairPrivateBlobDecryptsToThePrivateKey) {
  LoadedKey key = CreateKey();
  auto pair = GenerateDataKeyPair(key, KeySpec::kEccNistP256, context_, random_);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  auto opened = DecryptSymmetric(key, pair->private_key_ciphertext_blob, context_);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == pair->private_key_plaintext);
  auto loaded = KeyMaterial::Load(KeySpec::kEccNistP256, pair->private_key_plaintext.Clone());
  ASSERT_TRUE(loaded.ok());
  auto public_der = (*loaded)->PublicKeyDer();
  ASSERT_TRUE(public_der.ok());
  EXPECT_EQ(*public_der, pair->public_key);
}

TEST_F(EnvelopeTest, GenerateDataKeyPairRefusesNonPairAndUnsupportedSpecs) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(GenerateDataKeyPair(key, KeySpec::kHmac256, {}, random_),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value 'HMAC_256' at "
                                 "'keyPairSpec' failed to satisfy constraint: Member must "
                                 "satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, "
                                 "ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, "
                                 "ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519]"));
  EXPECT_THAT(GenerateDataKeyPair(key, KeySpec::kSm2, {}, random_),
              HasAwsError("UnsupportedOperationException"));
}

// ---- asymmetric keys: public key, Sign / Verify ----

TEST_F(EnvelopeTest, GetPublicKeyReturnsTheKeysSubjectPublicKeyInfo) {
  LoadedKey key = CreateKey(KeySpec::kEccNistP521, KeyUsage::kSignVerify);
  auto der = GetPublicKey(key);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*der, *CachedMaterial(KeySpec::kEccNistP521)->PublicKeyDer());
}

TEST_F(EnvelopeTest, GetPublicKeyFailsForSymmetricKey) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(GetPublicKey(key), HasAwsError("UnsupportedOperationException"));
}

TEST_F(EnvelopeTest, VerifyAcceptsOwnSignatureAndRejectsTamperingWithoutMessage) {
  for (auto [spec, algorithm] :
       {std::pair{KeySpec::kEccNistP256, SigningAlgorithm::kEcdsaSha256},
        std::pair{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPssSha256}}) {
    SCOPED_TRACE(Name(spec));
    LoadedKey key = CreateKey(spec, KeyUsage::kSignVerify);
    auto signature = Sign(key, algorithm, MessageType::kRaw, "payload");
    ASSERT_TRUE(signature.ok()) << signature.error().message;
    EXPECT_TRUE(Verify(key, algorithm, MessageType::kRaw, "payload", *signature).ok());
    EXPECT_THAT(Verify(key, algorithm, MessageType::kRaw, "payload!", *signature),
                HasAwsErrorMessage("KMSInvalidSignatureException", ""));
    std::string flipped = *signature;
    flipped.back() ^= 1;
    EXPECT_THAT(Verify(key, algorithm, MessageType::kRaw, "payload", flipped),
                HasAwsErrorMessage("KMSInvalidSignatureException", ""));
  }
}

TEST_F(EnvelopeTest, SignWithHmacKeyFailsWithRecordedUsageText) {
  LoadedKey key = CreateKey(KeySpec::kHmac256, KeyUsage::kGenerateVerifyMac);
  EXPECT_THAT(Sign(key, SigningAlgorithm::kEcdsaSha256, MessageType::kRaw, "m"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "GENERATE_VERIFY_MAC", "Sign")));
}

TEST_F(EnvelopeTest, VerifyWithEncryptionKeyFailsWithRecordedUsageText) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(Verify(key, SigningAlgorithm::kEcdsaSha256, MessageType::kRaw, "m", "sig"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "ENCRYPT_DECRYPT", "Verify")));
}

TEST_F(EnvelopeTest, SignWithRsaEncryptionKeyFailsWithUsageText) {
  LoadedKey key = CreateKey(KeySpec::kRsa2048, KeyUsage::kEncryptDecrypt);
  EXPECT_THAT(Sign(key, SigningAlgorithm::kRsassaPssSha256, MessageType::kRaw, "m"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "ENCRYPT_DECRYPT", "Sign")));
}

TEST_F(EnvelopeTest, SignDigestOfWrongLengthFailsWithRecordedText) {
  LoadedKey key = CreateKey(KeySpec::kEccSecgP256k1, KeyUsage::kSignVerify);
  EXPECT_THAT(Sign(key, SigningAlgorithm::kEcdsaSha256, MessageType::kDigest,
                   std::string(31, 'd')),
              HasAwsErrorMessage("ValidationException",
                                 "Digest is invalid length for algorithm ECDSA_SHA_256."));
  EXPECT_TRUE(Sign(key, SigningAlgorithm::kEcdsaSha256, MessageType::kDigest,
                   std::string(32, 'd'))
                  .ok());
}

// ---- HMAC keys ----

TEST_F(EnvelopeTest, VerifyMacAcceptsGeneratedMacAndRejectsOthersWithoutMessage) {
  LoadedKey key = CreateKey(KeySpec::kHmac384, KeyUsage::kGenerateVerifyMac);
  auto mac = GenerateMac(key, MacAlgorithm::kHmacSha384, "token");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(mac->size(), 48u);
  EXPECT_TRUE(VerifyMac(key, MacAlgorithm::kHmacSha384, "token", *mac).ok());
  std::string flipped = *mac;
  flipped[0] ^= 1;
  EXPECT_THAT(VerifyMac(key, MacAlgorithm::kHmacSha384, "token", flipped),
              HasAwsErrorMessage("KMSInvalidMacException", ""));
  EXPECT_THAT(VerifyMac(key, MacAlgorithm::kHmacSha384, "other token", *mac),
              HasAwsErrorMessage("KMSInvalidMacException", ""));
}

TEST_F(EnvelopeTest, GenerateMacWithEncryptionKeyFailsWithRecordedUsageText) {
  LoadedKey key = CreateKey();
  EXPECT_THAT(GenerateMac(key, MacAlgorithm::kHmacSha256, "m"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "ENCRYPT_DECRYPT", "GenerateMac")));
}

TEST_F(EnvelopeTest, VerifyMacWithAlgorithmOfAnotherLengthFailsWithRecordedText) {
  LoadedKey key = CreateKey(KeySpec::kHmac256, KeyUsage::kGenerateVerifyMac);
  EXPECT_THAT(VerifyMac(key, MacAlgorithm::kHmacSha512, "m", std::string(64, 'x')),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm HMAC_SHA_512 is incompatible with key spec "
                                 "HMAC_256."));
}

// ---- key agreement ----

TEST_F(EnvelopeTest, DeriveSharedSecretAgreesBetweenTwoKeyAgreementKeys) {
  LoadedKey alice = CreateKey(KeySpec::kEccNistP256, KeyUsage::kKeyAgreement, 0);
  LoadedKey bob = CreateKey(KeySpec::kEccNistP256, KeyUsage::kKeyAgreement, 1);
  auto alice_public = GetPublicKey(alice);
  auto bob_public = GetPublicKey(bob);
  ASSERT_TRUE(alice_public.ok() && bob_public.ok());
  auto a = DeriveSharedSecret(alice, KeyAgreementAlgorithm::kEcdh, *bob_public);
  auto b = DeriveSharedSecret(bob, KeyAgreementAlgorithm::kEcdh, *alice_public);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_TRUE(*a == *b);
}

TEST_F(EnvelopeTest, DeriveSharedSecretWithSigningKeyFailsWithUsageText) {
  LoadedKey key = CreateKey(KeySpec::kEccNistP256, KeyUsage::kSignVerify);
  auto peer = GetPublicKey(key);
  ASSERT_TRUE(peer.ok());
  EXPECT_THAT(DeriveSharedSecret(key, KeyAgreementAlgorithm::kEcdh, *peer),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 UsageText(key, "SIGN_VERIFY", "DeriveSharedSecret")));
}

// ---- LoadedKey ----

TEST(LoadedKeyTest, LoadsEachVersionOnceAndReportsMissingVersions) {
  KeyRecord record;
  record.key_id = "k";
  record.spec = KeySpec::kSymmetricDefault;
  record.current_version = 1;
  int loads = 0;
  LoadedKey key(record, [&loads](uint32_t version) -> Result<std::unique_ptr<KeyMaterial>> {
    ++loads;
    if (version != 1) return std::unique_ptr<KeyMaterial>();
    return CachedMaterial(KeySpec::kSymmetricDefault);
  });
  ASSERT_TRUE(key.CurrentMaterial().ok());
  ASSERT_TRUE(key.Material(1).ok());
  EXPECT_EQ(loads, 1);
  auto missing = key.Material(2);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, nullptr);
}

TEST(LoadedKeyTest, MaterialOfAnotherSpecIsAnInternalError) {
  KeyRecord record;
  record.spec = KeySpec::kSymmetricDefault;
  record.current_version = 1;
  LoadedKey key(record, [](uint32_t) -> Result<std::unique_ptr<KeyMaterial>> {
    return CachedMaterial(KeySpec::kHmac256);
  });
  EXPECT_THAT(key.CurrentMaterial(), HasAwsError("KMSInternalException"));
}

}  // namespace
}  // namespace gee::kms

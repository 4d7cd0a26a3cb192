// KMS cryptographic operations over real HTTP: round trips, encryption
// context, tampering, wrong keys, sizes, asymmetric and HMAC keys, DryRun.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/kms_fixture.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using Json = nlohmann::json;

class KmsCryptoTest : public testing::KmsTest {};

TEST_F(KmsCryptoTest, EncryptThenDecryptWithoutKeyIdRoundTripsWithEncryptionContext) {
  const std::string arn = CreateKey();
  auto encrypted = Kms("Encrypt", {{"KeyId", arn},
                                   {"Plaintext", B64("attack at dawn")},
                                   {"EncryptionContext", {{"purpose", "test"}, {"b", "2"}}}});
  ASSERT_THAT(encrypted, IsOk());
  EXPECT_EQ(encrypted->json["KeyId"], arn);
  EXPECT_EQ(encrypted->json["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
  auto decrypted = Decrypt(encrypted->json["CiphertextBlob"], {{"b", "2"}, {"purpose", "test"}});
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), "attack at dawn");
  EXPECT_EQ(decrypted->json["KeyId"], arn);
  EXPECT_EQ(decrypted->json["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
}

TEST_F(KmsCryptoTest, DecryptFailsWithInvalidCiphertextWithoutMessageWhenTheContextDiffers) {
  const std::string arn = CreateKey();
  const std::string blob = Encrypt(arn, "secret", {{"purpose", "test"}});
  for (const Json& wrong : {Json(), Json{{"purpose", "Test"}}, Json{{"purpose", "test"}, {"x", "y"}}}) {
    auto r = Decrypt(blob, wrong);
    EXPECT_THAT(r, HasAwsErrorMessage("InvalidCiphertextException", "")) << wrong.dump();
    EXPECT_FALSE(r->json.contains("message"));
  }
}

TEST_F(KmsCryptoTest, DecryptFailsWithInvalidCiphertextForEveryTamperedByte) {
  const std::string arn = CreateKey();
  const std::string blob = Unb64(Encrypt(arn, "secret"));
  ASSERT_FALSE(blob.empty());
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto r = Decrypt(B64(tampered));
    // Bytes of the key id may turn it into another (unknown) key's id.
    ASSERT_FALSE(r->ok()) << "byte " << i;
    EXPECT_TRUE(r->error_code == "InvalidCiphertextException" || r->error_code == "AccessDeniedException")
        << "byte " << i << ": " << r->error_code;
  }
  EXPECT_THAT(Decrypt(B64(blob.substr(0, blob.size() - 1))), HasAwsError("InvalidCiphertextException"));
  EXPECT_THAT(Decrypt(B64("not a kms blob at all")), HasAwsError("InvalidCiphertextException"));
}

TEST_F(KmsCryptoTest, DecryptFailsWithIncorrectKeyWhenKeyIdNamesAnotherKey) {
  const std::string a = CreateKey();
  const std::string b = CreateKey();
  const std::string blob = Encrypt(a, "secret");
  EXPECT_THAT(Kms("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", b}}),
              HasAwsErrorMessage("IncorrectKeyException",
                                 "The key ID in the request does not identify a CMK that can perform "
                                 "this operation."));
  EXPECT_THAT(Kms("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", a}}), IsOk());
}

TEST_F(KmsCryptoTest, DecryptWithoutKeyIdFailsForACiphertextOfAKeyInAnotherRegion) {
  auto west = ClientFor({"test", "test", ""}, "eu-west-1");
  auto created = west->Json("kms", "CreateKey", Json::object());
  ASSERT_THAT(created, IsOk());
  const std::string blob = Encrypt(created->json["KeyMetadata"]["Arn"], "secret", Json(), west.get());
  ASSERT_FALSE(blob.empty());
  EXPECT_THAT(Decrypt(blob), HasAwsErrorMessage("AccessDeniedException",
                                                "The ciphertext refers to a customer master key that "
                                                "does not exist, does not exist in this region, or you "
                                                "are not allowed to access."));
  EXPECT_THAT(Decrypt(blob, Json(), west.get()), IsOk());
}

TEST_F(KmsCryptoTest, EncryptFailsWithTheRecordedValidationTextOver4096Bytes) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64(std::string(4097, 'a'))}}),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value at 'plaintext' failed to satisfy "
                                 "constraint: Member must have length less than or equal to 4096"));
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64(std::string(4096, 'a'))}}), IsOk());
}

TEST_F(KmsCryptoTest, EncryptFailsWithInvalidKeyUsageForASigningKey) {
  const std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 arn + " key usage is SIGN_VERIFY which is not valid for Encrypt."));
}

TEST_F(KmsCryptoTest, GenerateDataKeyReturnsAPlaintextItsBlobDecryptsTo) {
  const std::string arn = CreateKey();
  auto r = Kms("GenerateDataKey", {{"KeyId", arn}, {"KeySpec", "AES_256"},
                                   {"EncryptionContext", {{"aws:s3:arn", "arn:aws:s3:::b/k"}}}});
  ASSERT_THAT(r, IsOk());
  const std::string plaintext = Unb64(r->json["Plaintext"]);
  EXPECT_EQ(plaintext.size(), 32u);
  EXPECT_EQ(r->json["KeyId"], arn);
  auto decrypted = Decrypt(r->json["CiphertextBlob"], {{"aws:s3:arn", "arn:aws:s3:::b/k"}});
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), plaintext);
  auto short_key = Kms("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 7}});
  EXPECT_EQ(Unb64(short_key->json["Plaintext"]).size(), 7u);
}

TEST_F(KmsCryptoTest, GenerateDataKeyWithoutPlaintextReturnsOnlyTheBlob) {
  const std::string arn = CreateKey();
  auto r = Kms("GenerateDataKeyWithoutPlaintext", {{"KeyId", arn}, {"KeySpec", "AES_128"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->json.contains("Plaintext"));
  auto decrypted = Decrypt(r->json["CiphertextBlob"]);
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]).size(), 16u);
}

TEST_F(KmsCryptoTest, GenerateDataKeyFailsWithNeitherOrBothLengthMembers) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}}), HasAwsError("ValidationException"));
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}, {"KeySpec", "AES_256"}, {"NumberOfBytes", 32}}),
              HasAwsError("ValidationException"));
}

TEST_F(KmsCryptoTest, GenerateDataKeyFailsWithTheRecordedTextForOver1024Bytes) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 1025}}),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value '1025' at 'numberOfBytes' failed "
                                 "to satisfy constraint: Member must have value less than or equal to 1024"));
}

TEST_F(KmsCryptoTest, GenerateDataKeyFailsWithInvalidKeyUsageForAnAsymmetricKey) {
  const std::string arn = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 32}}),
              HasAwsError("InvalidKeyUsageException"));
}

TEST_F(KmsCryptoTest, GenerateDataKeyPairEncryptsThePrivateKeyUnderTheKey) {
  const std::string arn = CreateKey();
  auto r = Kms("GenerateDataKeyPair", {{"KeyId", arn}, {"KeyPairSpec", "ECC_NIST_P256"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["KeyPairSpec"], "ECC_NIST_P256");
  EXPECT_FALSE(Unb64(r->json["PublicKey"]).empty());
  auto decrypted = Decrypt(r->json["PrivateKeyCiphertextBlob"]);
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(decrypted->json["Plaintext"], r->json["PrivateKeyPlaintext"]);
  auto without = Kms("GenerateDataKeyPairWithoutPlaintext",
                     {{"KeyId", arn}, {"KeyPairSpec", "ECC_SECG_P256K1"}});
  ASSERT_THAT(without, IsOk());
  EXPECT_FALSE(without->json.contains("PrivateKeyPlaintext"));
}

TEST_F(KmsCryptoTest, GenerateRandomReturnsTheRequestedNumberOfBytes) {
  auto r = Kms("GenerateRandom", {{"NumberOfBytes", 44}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(Unb64(r->json["Plaintext"]).size(), 44u);
}

TEST_F(KmsCryptoTest, GenerateRandomFailsWithTheRecordedTexts) {
  EXPECT_THAT(Kms("GenerateRandom", Json::object()),
              HasAwsErrorMessage("ValidationException", "NumberOfBytes is required."));
  EXPECT_THAT(Kms("GenerateRandom", {{"NumberOfBytes", 0}}),
              HasAwsErrorMessage("ValidationException",
                                 "1 validation error detected: Value '0' at 'numberOfBytes' failed to "
                                 "satisfy constraint: Member must have value greater than or equal to 1"));
}

TEST_F(KmsCryptoTest, ReEncryptMovesACiphertextToTheDestinationKeyAndContext) {
  const std::string source = CreateKey();
  const std::string destination = CreateKey();
  const std::string blob = Encrypt(source, "moving", {{"k", "1"}});
  auto r = Kms("ReEncrypt", {{"CiphertextBlob", blob},
                             {"SourceEncryptionContext", {{"k", "1"}}},
                             {"DestinationKeyId", destination},
                             {"DestinationEncryptionContext", {{"k", "2"}}}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["SourceKeyId"], source);
  EXPECT_EQ(r->json["KeyId"], destination);
  auto decrypted = Decrypt(r->json["CiphertextBlob"], {{"k", "2"}});
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(decrypted->json["KeyId"], destination);
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), "moving");
}

TEST_F(KmsCryptoTest, ReEncryptFailsWithIncorrectKeyForAWrongSourceKeyId) {
  const std::string source = CreateKey();
  const std::string other = CreateKey();
  const std::string blob = Encrypt(source, "x");
  EXPECT_THAT(Kms("ReEncrypt", {{"CiphertextBlob", blob}, {"SourceKeyId", other}, {"DestinationKeyId", other}}),
              HasAwsError("IncorrectKeyException"));
}

TEST_F(KmsCryptoTest, ReEncryptFailsWithNotFoundForAnUnknownDestination) {
  const std::string source = CreateKey();
  const std::string blob = Encrypt(source, "x");
  EXPECT_THAT(Kms("ReEncrypt", {{"CiphertextBlob", blob}, {"DestinationKeyId", "alias/none"}}),
              HasAwsError("NotFoundException"));
}

TEST_F(KmsCryptoTest, RsaKeyEncryptsAndDecryptsWithOaep) {
  const std::string arn = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  auto encrypted = Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("rsa secret")},
                                   {"EncryptionAlgorithm", "RSAES_OAEP_SHA_256"}});
  ASSERT_THAT(encrypted, IsOk());
  EXPECT_EQ(Unb64(encrypted->json["CiphertextBlob"]).size(), 256u);
  auto decrypted = Kms("Decrypt", {{"KeyId", arn}, {"CiphertextBlob", encrypted->json["CiphertextBlob"]},
                                   {"EncryptionAlgorithm", "RSAES_OAEP_SHA_256"}});
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), "rsa secret");
  EXPECT_EQ(decrypted->json["EncryptionAlgorithm"], "RSAES_OAEP_SHA_256");
}

TEST_F(KmsCryptoTest, RsaKeyRefusesSymmetricDefaultAndOversizedPlaintext) {
  const std::string arn = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."));
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64(std::string(215, 'a'))},
                              {"EncryptionAlgorithm", "RSAES_OAEP_SHA_1"}}),
              HasAwsErrorMessage("ValidationException",
                                 "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data "
                                 "larger than 214 bytes."));
}

TEST_F(KmsCryptoTest, SignAndVerifyWithEcdsaAndRsaPss) {
  for (const auto& [spec, algorithm] : std::vector<std::pair<std::string, std::string>>{
           {"ECC_NIST_P256", "ECDSA_SHA_256"}, {"RSA_2048", "RSASSA_PSS_SHA_256"}}) {
    const std::string arn = CreateKey({{"KeySpec", spec}, {"KeyUsage", "SIGN_VERIFY"}});
    auto signed_ = Kms("Sign", {{"KeyId", arn}, {"Message", B64("message")}, {"SigningAlgorithm", algorithm}});
    ASSERT_THAT(signed_, IsOk()) << spec;
    EXPECT_EQ(signed_->json["SigningAlgorithm"], algorithm);
    auto verified = Kms("Verify", {{"KeyId", arn}, {"Message", B64("message")},
                                   {"Signature", signed_->json["Signature"]}, {"SigningAlgorithm", algorithm}});
    ASSERT_THAT(verified, IsOk()) << spec;
    EXPECT_EQ(verified->json["SignatureValid"], true);
    auto forged = Kms("Verify", {{"KeyId", arn}, {"Message", B64("other message")},
                                 {"Signature", signed_->json["Signature"]}, {"SigningAlgorithm", algorithm}});
    EXPECT_THAT(forged, HasAwsErrorMessage("KMSInvalidSignatureException", "")) << spec;
  }
}

TEST_F(KmsCryptoTest, SignFailsForADigestOfTheWrongLength) {
  const std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_THAT(Kms("Sign", {{"KeyId", arn}, {"Message", B64("short")}, {"MessageType", "DIGEST"},
                           {"SigningAlgorithm", "ECDSA_SHA_256"}}),
              HasAwsErrorMessage("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256."));
}

TEST_F(KmsCryptoTest, GetPublicKeyReturnsTheDerKeyAndItsAlgorithms) {
  const std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P384"}, {"KeyUsage", "SIGN_VERIFY"}});
  auto r = Kms("GetPublicKey", {{"KeyId", arn}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["KeyId"], arn);
  EXPECT_EQ(r->json["KeySpec"], "ECC_NIST_P384");
  EXPECT_EQ(r->json["KeyUsage"], "SIGN_VERIFY");
  EXPECT_EQ(r->json["SigningAlgorithms"], Json::array({"ECDSA_SHA_384"}));
  const std::string der = Unb64(r->json["PublicKey"]);
  ASSERT_FALSE(der.empty());
  EXPECT_EQ(static_cast<unsigned char>(der[0]), 0x30);  // DER SEQUENCE
}

TEST_F(KmsCryptoTest, GetPublicKeyFailsForASymmetricKey) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("GetPublicKey", {{"KeyId", arn}}), HasAwsError("UnsupportedOperationException"));
}

TEST_F(KmsCryptoTest, GenerateMacAndVerifyMacRoundTrip) {
  const std::string arn = CreateKey({{"KeySpec", "HMAC_384"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
  auto mac = Kms("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")}, {"MacAlgorithm", "HMAC_SHA_384"}});
  ASSERT_THAT(mac, IsOk());
  EXPECT_EQ(Unb64(mac->json["Mac"]).size(), 48u);
  auto ok = Kms("VerifyMac", {{"KeyId", arn}, {"Message", B64("m")}, {"Mac", mac->json["Mac"]},
                              {"MacAlgorithm", "HMAC_SHA_384"}});
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->json["MacValid"], true);
  EXPECT_THAT(Kms("VerifyMac", {{"KeyId", arn}, {"Message", B64("n")}, {"Mac", mac->json["Mac"]},
                                {"MacAlgorithm", "HMAC_SHA_384"}}),
              HasAwsErrorMessage("KMSInvalidMacException", ""));
  EXPECT_THAT(Kms("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")}, {"MacAlgorithm", "HMAC_SHA_256"}}),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384."));
}

TEST_F(KmsCryptoTest, GenerateMacFailsWithInvalidKeyUsageForAnEncryptionKey) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")}, {"MacAlgorithm", "HMAC_SHA_256"}}),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 arn + " key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."));
}

TEST_F(KmsCryptoTest, DeriveSharedSecretAgreesWithThePeer) {
  const std::string a = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "KEY_AGREEMENT"}});
  const std::string b = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "KEY_AGREEMENT"}});
  const Json a_public = Kms("GetPublicKey", {{"KeyId", a}})->json["PublicKey"];
  const Json b_public = Kms("GetPublicKey", {{"KeyId", b}})->json["PublicKey"];
  auto ab = Kms("DeriveSharedSecret", {{"KeyId", a}, {"KeyAgreementAlgorithm", "ECDH"}, {"PublicKey", b_public}});
  auto ba = Kms("DeriveSharedSecret", {{"KeyId", b}, {"KeyAgreementAlgorithm", "ECDH"}, {"PublicKey", a_public}});
  ASSERT_THAT(ab, IsOk());
  ASSERT_THAT(ba, IsOk());
  EXPECT_EQ(ab->json["SharedSecret"], ba->json["SharedSecret"]);
  EXPECT_EQ(Unb64(ab->json["SharedSecret"]).size(), 32u);
  EXPECT_EQ(ab->json["KeyOrigin"], "AWS_KMS");
}

TEST_F(KmsCryptoTest, DryRunAnswersDryRunOperationAfterEveryCheck) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"DryRun", true}}),
              HasAwsErrorMessage("DryRunOperationException",
                                 "The request would have succeeded, but the DryRun option is set."));
  EXPECT_THAT(Kms("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 32}, {"DryRun", true}}),
              HasAwsError("DryRunOperationException"));
  const std::string blob = Encrypt(arn, "x", {{"a", "b"}});
  EXPECT_THAT(Kms("Decrypt", {{"CiphertextBlob", blob}, {"DryRun", true}}),
              HasAwsError("InvalidCiphertextException"));
  EXPECT_THAT(Kms("Decrypt", {{"CiphertextBlob", blob}, {"DryRun", true},
                              {"DryRunModifiers", {"IGNORE_CIPHERTEXT"}}}),
              HasAwsError("DryRunOperationException"));
  ASSERT_THAT(Kms("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"DryRun", true}}),
              HasAwsError("DisabledException"));
}

}  // namespace
}  // namespace gee

#include "services/kms/key_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "services/kms/errors.h"
#include "tests/testing/matchers.h"

namespace gee::kms {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(KmsKeySpecTest, NameParsesBackForEveryKeySpec) {
  ASSERT_EQ(AllKeySpecs().size(), 17u);
  for (KeySpec spec : AllKeySpecs()) {
    SCOPED_TRACE(Name(spec));
    EXPECT_FALSE(Name(spec).empty());
    EXPECT_EQ(ParseKeySpec(Name(spec)), spec);
  }
}

TEST(KmsKeySpecTest, NameParsesBackForEveryAlgorithmAndUsage) {
  for (KeyUsage usage : {KeyUsage::kEncryptDecrypt, KeyUsage::kSignVerify,
                         KeyUsage::kGenerateVerifyMac, KeyUsage::kKeyAgreement}) {
    EXPECT_EQ(ParseKeyUsage(Name(usage)), usage);
  }
  for (int i = 0; i <= static_cast<int>(SigningAlgorithm::kEd25519PhSha512); ++i) {
    const auto algorithm = static_cast<SigningAlgorithm>(i);
    EXPECT_EQ(ParseSigningAlgorithm(Name(algorithm)), algorithm);
  }
  for (int i = 0; i <= static_cast<int>(EncryptionAlgorithm::kSm2Pke); ++i) {
    const auto algorithm = static_cast<EncryptionAlgorithm>(i);
    EXPECT_EQ(ParseEncryptionAlgorithm(Name(algorithm)), algorithm);
  }
  for (int i = 0; i <= static_cast<int>(MacAlgorithm::kHmacSha512); ++i) {
    const auto algorithm = static_cast<MacAlgorithm>(i);
    EXPECT_EQ(ParseMacAlgorithm(Name(algorithm)), algorithm);
  }
  EXPECT_EQ(ParseKeyAgreementAlgorithm("ECDH"), KeyAgreementAlgorithm::kEcdh);
  EXPECT_EQ(ParseMessageType("DIGEST"), MessageType::kDigest);
}

TEST(KmsKeySpecTest, ParseRejectsUnknownAndWrongCaseNames) {
  EXPECT_EQ(ParseKeySpec("HMAC_random"), std::nullopt);
  EXPECT_EQ(ParseKeySpec("rsa_2048"), std::nullopt);
  EXPECT_EQ(ParseKeySpec(""), std::nullopt);
  EXPECT_EQ(ParseKeyUsage("RANDOM"), std::nullopt);
  EXPECT_EQ(ParseMacAlgorithm("INVALID"), std::nullopt);
  EXPECT_EQ(ParseSigningAlgorithm("ECDSA_SHA_256 "), std::nullopt);
}

TEST(KmsKeySpecTest, IsSupportedExactlyForImplementedSpecs) {
  std::vector<KeySpec> supported;
  for (KeySpec spec : AllKeySpecs()) {
    if (IsSupported(spec)) supported.push_back(spec);
  }
  EXPECT_THAT(supported,
              ElementsAre(KeySpec::kRsa2048, KeySpec::kRsa3072, KeySpec::kRsa4096,
                          KeySpec::kEccNistP256, KeySpec::kEccNistP384,
                          KeySpec::kEccNistP521, KeySpec::kEccSecgP256k1,
                          KeySpec::kSymmetricDefault, KeySpec::kHmac224, KeySpec::kHmac256,
                          KeySpec::kHmac384, KeySpec::kHmac512));
}

TEST(KmsKeySpecTest, CheckSupportedFailsWithUnsupportedOperationForKnownUnimplementedSpecs) {
  for (KeySpec spec : {KeySpec::kEccNistEdwards25519, KeySpec::kMlDsa44, KeySpec::kMlDsa65,
                       KeySpec::kMlDsa87, KeySpec::kSm2}) {
    SCOPED_TRACE(Name(spec));
    EXPECT_THAT(CheckSupported(spec), HasAwsError("UnsupportedOperationException"));
  }
  EXPECT_THAT(CheckSupported(KeySpec::kSm2),
              HasAwsErrorMessage("UnsupportedOperationException",
                                 "KeySpec SM2 is not supported in this Region"));
  EXPECT_TRUE(CheckSupported(KeySpec::kEccSecgP256k1).ok());
}

TEST(KmsKeySpecTest, ResolveDefaultsToSymmetricEncryptDecrypt) {
  auto resolved = ResolveSpecAndUsage(std::nullopt, std::nullopt);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->spec, KeySpec::kSymmetricDefault);
  EXPECT_EQ(resolved->usage, KeyUsage::kEncryptDecrypt);
}

TEST(KmsKeySpecTest, ResolveFailsWhenNonSymmetricSpecHasNoUsage) {
  for (KeySpec spec : {KeySpec::kHmac256, KeySpec::kRsa2048, KeySpec::kEccNistP256}) {
    SCOPED_TRACE(Name(spec));
    EXPECT_THAT(ResolveSpecAndUsage(spec, std::nullopt),
                HasAwsErrorMessage("ValidationException",
                                   "You must specify a KeyUsage value for all KMS keys "
                                   "except for symmetric encryption keys."));
  }
}

TEST(KmsKeySpecTest, ResolveFailsWithRecordedTextForSignVerifySymmetricKey) {
  EXPECT_THAT(ResolveSpecAndUsage(std::nullopt, KeyUsage::kSignVerify),
              HasAwsErrorMessage("ValidationException",
                                 "The operation failed because the KeyUsage value of the "
                                 "CMK is SIGN_VERIFY. To perform this operation, the "
                                 "KeyUsage value must be ENCRYPT_DECRYPT."));
}

// The usage matrix of spec §4.2, written out independently of the code.
TEST(KmsKeySpecTest, ResolveAcceptsExactlyTheDocumentedUsagePairs) {
  const KeyUsage E = KeyUsage::kEncryptDecrypt, S = KeyUsage::kSignVerify,
                 M = KeyUsage::kGenerateVerifyMac, A = KeyUsage::kKeyAgreement;
  const std::map<KeySpec, std::vector<KeyUsage>> expected = {
      {KeySpec::kSymmetricDefault, {E}},     {KeySpec::kHmac224, {M}},
      {KeySpec::kHmac256, {M}},              {KeySpec::kHmac384, {M}},
      {KeySpec::kHmac512, {M}},              {KeySpec::kRsa2048, {E, S}},
      {KeySpec::kRsa3072, {E, S}},           {KeySpec::kRsa4096, {E, S}},
      {KeySpec::kEccNistP256, {S, A}},       {KeySpec::kEccNistP384, {S, A}},
      {KeySpec::kEccNistP521, {S, A}},       {KeySpec::kEccSecgP256k1, {S}},
      {KeySpec::kEccNistEdwards25519, {S}},  {KeySpec::kMlDsa44, {S}},
      {KeySpec::kMlDsa65, {S}},              {KeySpec::kMlDsa87, {S}},
      {KeySpec::kSm2, {E, S, A}},
  };
  for (KeySpec spec : AllKeySpecs()) {
    for (KeyUsage usage : {E, S, M, A}) {
      SCOPED_TRACE(std::string(Name(spec)) + " + " + std::string(Name(usage)));
      const auto& allowed = expected.at(spec);
      const bool should_pass =
          std::find(allowed.begin(), allowed.end(), usage) != allowed.end();
      auto resolved = ResolveSpecAndUsage(spec, usage);
      if (should_pass) {
        ASSERT_TRUE(resolved.ok()) << resolved.error().message;
        EXPECT_EQ(resolved->spec, spec);
        EXPECT_EQ(resolved->usage, usage);
      } else {
        EXPECT_THAT(resolved, HasAwsError("ValidationException"));
      }
    }
  }
}

TEST(KmsKeySpecTest, DescribeKeyListsSymmetricDefaultForSymmetricKey) {
  EXPECT_THAT(EncryptionAlgorithms(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt),
              ElementsAre(EncryptionAlgorithm::kSymmetricDefault));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt),
              IsEmpty());
  EXPECT_THAT(MacAlgorithms(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt),
              IsEmpty());
}

TEST(KmsKeySpecTest, DescribeKeyListsOaepForRsaEncryptionKeyAndNoSigning) {
  EXPECT_THAT(EncryptionAlgorithms(KeySpec::kRsa3072, KeyUsage::kEncryptDecrypt),
              ElementsAre(EncryptionAlgorithm::kRsaesOaepSha1,
                          EncryptionAlgorithm::kRsaesOaepSha256));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kRsa3072, KeyUsage::kEncryptDecrypt), IsEmpty());
  EXPECT_THAT(EncryptionAlgorithms(KeySpec::kRsa3072, KeyUsage::kSignVerify), IsEmpty());
  EXPECT_EQ(SigningAlgorithms(KeySpec::kRsa3072, KeyUsage::kSignVerify).size(), 6u);
}

TEST(KmsKeySpecTest, DescribeKeyPairsEachCurveWithItsHash) {
  EXPECT_THAT(SigningAlgorithms(KeySpec::kEccNistP256, KeyUsage::kSignVerify),
              ElementsAre(SigningAlgorithm::kEcdsaSha256));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kEccNistP384, KeyUsage::kSignVerify),
              ElementsAre(SigningAlgorithm::kEcdsaSha384));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kEccNistP521, KeyUsage::kSignVerify),
              ElementsAre(SigningAlgorithm::kEcdsaSha512));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kEccSecgP256k1, KeyUsage::kSignVerify),
              ElementsAre(SigningAlgorithm::kEcdsaSha256));
}

TEST(KmsKeySpecTest, DescribeKeyListsEcdhOnlyForKeyAgreementKeys) {
  EXPECT_THAT(KeyAgreementAlgorithms(KeySpec::kEccNistP384, KeyUsage::kKeyAgreement),
              ElementsAre(KeyAgreementAlgorithm::kEcdh));
  EXPECT_THAT(SigningAlgorithms(KeySpec::kEccNistP384, KeyUsage::kKeyAgreement), IsEmpty());
  EXPECT_THAT(KeyAgreementAlgorithms(KeySpec::kEccNistP384, KeyUsage::kSignVerify),
              IsEmpty());
}

TEST(KmsKeySpecTest, DescribeKeyListsTheMatchingMacAlgorithmForEachHmacSpec) {
  EXPECT_THAT(MacAlgorithms(KeySpec::kHmac224, KeyUsage::kGenerateVerifyMac),
              ElementsAre(MacAlgorithm::kHmacSha224));
  EXPECT_THAT(MacAlgorithms(KeySpec::kHmac256, KeyUsage::kGenerateVerifyMac),
              ElementsAre(MacAlgorithm::kHmacSha256));
  EXPECT_THAT(MacAlgorithms(KeySpec::kHmac384, KeyUsage::kGenerateVerifyMac),
              ElementsAre(MacAlgorithm::kHmacSha384));
  EXPECT_THAT(MacAlgorithms(KeySpec::kHmac512, KeyUsage::kGenerateVerifyMac),
              ElementsAre(MacAlgorithm::kHmacSha512));
  EXPECT_THAT(EncryptionAlgorithms(KeySpec::kHmac512, KeyUsage::kGenerateVerifyMac),
              IsEmpty());
}

struct OaepLimit {
  KeySpec spec;
  EncryptionAlgorithm algorithm;
  size_t limit;
};

TEST(KmsKeySpecTest, RsaOaepMaxPlaintextMatchesPublishedLimits) {
  const OaepLimit limits[] = {
      {KeySpec::kRsa2048, EncryptionAlgorithm::kRsaesOaepSha1, 214},
      {KeySpec::kRsa2048, EncryptionAlgorithm::kRsaesOaepSha256, 190},
      {KeySpec::kRsa3072, EncryptionAlgorithm::kRsaesOaepSha1, 342},
      {KeySpec::kRsa3072, EncryptionAlgorithm::kRsaesOaepSha256, 318},
      {KeySpec::kRsa4096, EncryptionAlgorithm::kRsaesOaepSha1, 470},
      {KeySpec::kRsa4096, EncryptionAlgorithm::kRsaesOaepSha256, 446},
  };
  for (const OaepLimit& l : limits) {
    SCOPED_TRACE(std::string(Name(l.spec)) + " " + std::string(Name(l.algorithm)));
    EXPECT_EQ(RsaOaepMaxPlaintext(l.spec, l.algorithm), l.limit);
    EXPECT_TRUE(CheckRsaOaepPlaintextSize(l.spec, l.algorithm, l.limit).ok());
    EXPECT_THAT(CheckRsaOaepPlaintextSize(l.spec, l.algorithm, l.limit + 1),
                HasAwsError("ValidationException"));
  }
}

TEST(KmsKeySpecTest, CheckRsaOaepPlaintextSizeFailsWithRecordedText) {
  EXPECT_THAT(CheckRsaOaepPlaintextSize(KeySpec::kRsa2048,
                                        EncryptionAlgorithm::kRsaesOaepSha1, 215),
              HasAwsErrorMessage("ValidationException",
                                 "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot "
                                 "encrypt data larger than 214 bytes."));
}

TEST(KmsKeySpecTest, CheckEncryptionAlgorithmFailsForSymmetricDefaultOnRsa) {
  EXPECT_THAT(CheckEncryptionAlgorithm(KeySpec::kRsa4096,
                                       EncryptionAlgorithm::kSymmetricDefault),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm SYMMETRIC_DEFAULT is incompatible with key "
                                 "spec RSA_4096."));
  EXPECT_THAT(CheckEncryptionAlgorithm(KeySpec::kSymmetricDefault,
                                       EncryptionAlgorithm::kRsaesOaepSha256),
              HasAwsError("InvalidKeyUsageException"));
  EXPECT_TRUE(
      CheckEncryptionAlgorithm(KeySpec::kRsa4096, EncryptionAlgorithm::kRsaesOaepSha1).ok());
}

TEST(KmsKeySpecTest, CheckMacAlgorithmFailsWithRecordedTextForOtherLength) {
  EXPECT_THAT(CheckMacAlgorithm(KeySpec::kHmac224, MacAlgorithm::kHmacSha256),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm HMAC_SHA_256 is incompatible with key spec "
                                 "HMAC_224."));
  EXPECT_TRUE(CheckMacAlgorithm(KeySpec::kHmac224, MacAlgorithm::kHmacSha224).ok());
}

TEST(KmsKeySpecTest, CheckSigningAlgorithmRefusesCurveHashMismatch) {
  EXPECT_THAT(CheckSigningAlgorithm(KeySpec::kEccNistP256, SigningAlgorithm::kEcdsaSha384),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm ECDSA_SHA_384 is incompatible with key spec "
                                 "ECC_NIST_P256."));
  EXPECT_THAT(
      CheckSigningAlgorithm(KeySpec::kEccSecgP256k1, SigningAlgorithm::kEcdsaSha512),
      HasAwsError("InvalidKeyUsageException"));
  EXPECT_THAT(
      CheckSigningAlgorithm(KeySpec::kRsa2048, SigningAlgorithm::kEcdsaSha256),
      HasAwsError("InvalidKeyUsageException"));
  EXPECT_TRUE(
      CheckSigningAlgorithm(KeySpec::kEccNistP521, SigningAlgorithm::kEcdsaSha512).ok());
}

TEST(KmsKeySpecTest, HmacKeyBytesAreTheBitLengthInTheSpecName) {
  EXPECT_EQ(HmacKeyBytes(KeySpec::kHmac224), 224u / 8);
  EXPECT_EQ(HmacKeyBytes(KeySpec::kHmac256), 256u / 8);
  EXPECT_EQ(HmacKeyBytes(KeySpec::kHmac384), 384u / 8);
  EXPECT_EQ(HmacKeyBytes(KeySpec::kHmac512), 512u / 8);
  EXPECT_EQ(HmacKeyBytes(KeySpec::kSymmetricDefault), 0u);
}

TEST(KmsKeySpecTest, DigestSizeOfEachAlgorithmMatchesItsHash) {
  EXPECT_EQ(DigestSize(HashOf(SigningAlgorithm::kRsassaPssSha384)), 48u);
  EXPECT_EQ(DigestSize(HashOf(SigningAlgorithm::kEcdsaSha512)), 64u);
  EXPECT_EQ(DigestSize(HashOf(MacAlgorithm::kHmacSha224)), 28u);
  EXPECT_EQ(DigestSize(HashOf(EncryptionAlgorithm::kRsaesOaepSha1)), 20u);
}

TEST(KmsErrorsTest, InvalidKeyUsageNamesArnUsageAndOperation) {
  const std::string arn = "arn:aws:kms:us-east-1:000000000000:key/k";
  const AwsError error = errors::InvalidKeyUsage(arn, "SIGN_VERIFY", "Encrypt");
  EXPECT_EQ(error.code, "InvalidKeyUsageException");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.message, arn + " key usage is SIGN_VERIFY which is not valid for Encrypt.");
}

TEST(KmsErrorsTest, CryptoFailuresCarryNoMessage) {
  EXPECT_EQ(errors::InvalidCiphertext().code, "InvalidCiphertextException");
  EXPECT_EQ(errors::InvalidCiphertext().message, "");
  EXPECT_EQ(errors::InvalidSignature().code, "KMSInvalidSignatureException");
  EXPECT_EQ(errors::InvalidSignature().message, "");
  EXPECT_EQ(errors::InvalidMac().code, "KMSInvalidMacException");
  EXPECT_EQ(errors::InvalidMac().message, "");
}

TEST(KmsErrorsTest, IncorrectKeyHasRecordedText) {
  const AwsError error = errors::IncorrectKey();
  EXPECT_EQ(error.code, "IncorrectKeyException");
  EXPECT_EQ(error.message,
            "The key ID in the request does not identify a CMK that can perform this "
            "operation.");
}

TEST(KmsErrorsTest, MemberTooLongHasRecordedPlaintextText) {
  EXPECT_EQ(errors::MemberTooLong("plaintext", 4096).message,
            "1 validation error detected: Value at 'plaintext' failed to satisfy "
            "constraint: Member must have length less than or equal to 4096");
}

}  // namespace
}  // namespace gee::kms

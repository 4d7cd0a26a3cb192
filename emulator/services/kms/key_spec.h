// The KMS key-type tables: KeySpec, KeyUsage, the algorithm families, which
// usages each spec allows, which algorithms DescribeKey lists for a key, RSA
// OAEP plaintext limits, digest lengths, and the validation of
// (spec, usage, algorithm) combinations as the AWS errors of
// spec/aws-behaviour.md sections 4.2 and 4.8.
//
// Every enum has the AWS wire name (Name) and a strict, case-sensitive parser
// (Parse...) that returns nullopt for anything else; the codec turns nullopt
// into the model's enum ValidationException.
//
// Supported by gee: SYMMETRIC_DEFAULT, HMAC_224/256/384/512, RSA_2048/3072/4096,
// ECC_NIST_P256/P384/P521, ECC_SECG_P256K1. Known but not supported (so the
// service answers errors::UnsupportedKeySpec rather than "invalid enum"):
// ECC_NIST_EDWARDS25519, ML_DSA_44/65/87, SM2.
//
// Thread-safety: constant tables and free functions; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::kms {

enum class KeySpec {
  kSymmetricDefault,
  kHmac224,
  kHmac256,
  kHmac384,
  kHmac512,
  kRsa2048,
  kRsa3072,
  kRsa4096,
  kEccNistP256,
  kEccNistP384,
  kEccNistP521,
  kEccSecgP256k1,
  kEccNistEdwards25519,
  kMlDsa44,
  kMlDsa65,
  kMlDsa87,
  kSm2,
};

enum class KeyUsage {
  kEncryptDecrypt,
  kSignVerify,
  kGenerateVerifyMac,
  kKeyAgreement,
};

enum class EncryptionAlgorithm {
  kSymmetricDefault,
  kRsaesOaepSha1,
  kRsaesOaepSha256,
  kSm2Pke,
};

enum class SigningAlgorithm {
  kRsassaPssSha256,
  kRsassaPssSha384,
  kRsassaPssSha512,
  kRsassaPkcs1V15Sha256,
  kRsassaPkcs1V15Sha384,
  kRsassaPkcs1V15Sha512,
  kEcdsaSha256,
  kEcdsaSha384,
  kEcdsaSha512,
  kSm2Dsa,
  kMlDsaShake256,
  kEd25519Sha512,
  kEd25519PhSha512,
};

enum class MacAlgorithm {
  kHmacSha224,
  kHmacSha256,
  kHmacSha384,
  kHmacSha512,
};

enum class KeyAgreementAlgorithm { kEcdh };

// How Sign/Verify treat Message: RAW (KMS hashes it), DIGEST (already hashed),
// EXTERNAL_MU (ML-DSA only; never valid for a gee-supported spec).
enum class MessageType { kRaw, kDigest, kExternalMu };

// The hash inside an algorithm.
enum class HashFunction { kSha1, kSha224, kSha256, kSha384, kSha512 };

// Wire names ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", ...).
std::string_view Name(KeySpec spec);
std::string_view Name(KeyUsage usage);
std::string_view Name(EncryptionAlgorithm algorithm);
std::string_view Name(SigningAlgorithm algorithm);
std::string_view Name(MacAlgorithm algorithm);
std::string_view Name(KeyAgreementAlgorithm algorithm);
std::string_view Name(MessageType type);

std::optional<KeySpec> ParseKeySpec(std::string_view name);
std::optional<KeyUsage> ParseKeyUsage(std::string_view name);
std::optional<EncryptionAlgorithm> ParseEncryptionAlgorithm(std::string_view name);
std::optional<SigningAlgorithm> ParseSigningAlgorithm(std::string_view name);
std::optional<MacAlgorithm> ParseMacAlgorithm(std::string_view name);
std::optional<KeyAgreementAlgorithm> ParseKeyAgreementAlgorithm(std::string_view name);
std::optional<MessageType> ParseMessageType(std::string_view name);

// Every KeySpec in the model's order (for tests and enum error texts).
const std::vector<KeySpec>& AllKeySpecs();

// True for the specs gee can create material for.
bool IsSupported(KeySpec spec);
// OkStatus for supported specs, errors::UnsupportedKeySpec otherwise.
Status CheckSupported(KeySpec spec);

bool IsSymmetricEncryption(KeySpec spec);  // SYMMETRIC_DEFAULT
bool IsHmac(KeySpec spec);                 // HMAC_*
bool IsRsa(KeySpec spec);                  // RSA_*
bool IsEcc(KeySpec spec);                  // NIST and SECG Weierstrass curves
bool IsNistEcc(KeySpec spec);              // ECC_NIST_P256/P384/P521
bool IsAsymmetric(KeySpec spec);           // everything but symmetric and HMAC

// Usages CreateKey accepts with `spec`, in KeyUsage order (spec §4.2).
std::vector<KeyUsage> AllowedKeyUsages(KeySpec spec);

// CreateKey's resolution of the optional KeySpec and KeyUsage members:
// defaults (SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT), errors::KeyUsageRequired for
// a non-symmetric spec without a usage, errors::KeyUsageNotValidForSpec for a
// pair §4.2 refuses. Does not check IsSupported (call CheckSupported after,
// so an invalid pair is reported before a missing implementation).
struct SpecAndUsage {
  KeySpec spec;
  KeyUsage usage;
};
Result<SpecAndUsage> ResolveSpecAndUsage(std::optional<KeySpec> spec,
                                         std::optional<KeyUsage> usage);

// DescribeKey's algorithm lists for a key (empty when the member is absent):
//   SYMMETRIC_DEFAULT              EncryptionAlgorithms [SYMMETRIC_DEFAULT]
//   RSA + ENCRYPT_DECRYPT          EncryptionAlgorithms [RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256]
//   RSA + SIGN_VERIFY              SigningAlgorithms [RSASSA_PKCS1_V1_5_SHA_256/384/512,
//                                  RSASSA_PSS_SHA_256/384/512] (order: guess)
//   ECC_NIST_P256, ECC_SECG_P256K1 SigningAlgorithms [ECDSA_SHA_256]
//   ECC_NIST_P384                  SigningAlgorithms [ECDSA_SHA_384]
//   ECC_NIST_P521                  SigningAlgorithms [ECDSA_SHA_512]
//   ECC_NIST_* + KEY_AGREEMENT     KeyAgreementAlgorithms [ECDH]
//   HMAC_n                         MacAlgorithms [HMAC_SHA_n]
//   ECC_NIST_EDWARDS25519          SigningAlgorithms [ED25519_SHA_512, ED25519_PH_SHA_512]
//   ML_DSA_*                       SigningAlgorithms [ML_DSA_SHAKE_256]
//   SM2 + ENCRYPT_DECRYPT / SIGN_VERIFY   [SM2PKE] / [SM2DSA]
std::vector<EncryptionAlgorithm> EncryptionAlgorithms(KeySpec spec, KeyUsage usage);
std::vector<SigningAlgorithm> SigningAlgorithms(KeySpec spec, KeyUsage usage);
std::vector<MacAlgorithm> MacAlgorithms(KeySpec spec, KeyUsage usage);
std::vector<KeyAgreementAlgorithm> KeyAgreementAlgorithms(KeySpec spec, KeyUsage usage);

// The algorithm compatibility checks of the crypto operations; each returns
// errors::IncompatibleAlgorithm ("Algorithm X is incompatible with key spec
// Y.", InvalidKeyUsageException) when `algorithm` is not in the key's list.
// Usage is checked separately (errors::InvalidKeyUsage) by the caller.
Status CheckEncryptionAlgorithm(KeySpec spec, EncryptionAlgorithm algorithm);
Status CheckSigningAlgorithm(KeySpec spec, SigningAlgorithm algorithm);
Status CheckMacAlgorithm(KeySpec spec, MacAlgorithm algorithm);

// Largest plaintext RSAES-OAEP can encrypt: modulus bytes - 2 * hash bytes - 2
// (RSA_2048: SHA-1 214, SHA-256 190; RSA_3072: 342/318; RSA_4096: 470/446).
// 0 for non-RSA specs or non-OAEP algorithms.
size_t RsaOaepMaxPlaintext(KeySpec spec, EncryptionAlgorithm algorithm);
// OkStatus when `plaintext_size` fits, else errors::PlaintextTooLargeForAlgorithm.
Status CheckRsaOaepPlaintextSize(KeySpec spec, EncryptionAlgorithm algorithm,
                                 size_t plaintext_size);

// RSA modulus bits (2048/3072/4096), 0 otherwise.
int RsaModulusBits(KeySpec spec);
// OpenSSL group name of an ECC spec ("prime256v1", "secp384r1", "secp521r1",
// "secp256k1"); empty otherwise.
std::string_view EccGroupName(KeySpec spec);
// Bytes of key material of an HMAC spec: the key length in the spec's name
// (HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64); 0 otherwise.
size_t HmacKeyBytes(KeySpec spec);

// Hash of a signing, MAC or OAEP algorithm (OAEP uses it for MGF1 too).
HashFunction HashOf(SigningAlgorithm algorithm);
HashFunction HashOf(MacAlgorithm algorithm);
HashFunction HashOf(EncryptionAlgorithm algorithm);  // OAEP only; SHA-256 otherwise
size_t DigestSize(HashFunction hash);
// True for the RSASSA-PSS algorithms.
bool IsPss(SigningAlgorithm algorithm);
// True for RSASSA-PSS and RSASSA-PKCS1-v1_5 (any hash).
bool IsRsaSigning(SigningAlgorithm algorithm);
// True for ECDSA_SHA_256/384/512.
bool IsEcdsa(SigningAlgorithm algorithm);

// Limits of spec §4.11.
inline constexpr size_t kMaxPlaintextSize = 4096;
inline constexpr size_t kMaxCiphertextBlobSize = 6144;
inline constexpr size_t kMaxMessageSize = 4096;  // Sign/Verify/GenerateMac Message
inline constexpr size_t kMaxDataKeyBytes = 1024;

}  // namespace gee::kms

#include "services/kms/key_spec.h"

#include <algorithm>
#include <string>
#include <utility>

#include "services/kms/errors.h"

namespace gee::kms {
namespace {

template <typename E>
using NameTable = std::vector<std::pair<E, std::string_view>>;

const NameTable<KeySpec>& KeySpecNames() {
  // The model's enum order.
  static const NameTable<KeySpec> kTable = {
      {KeySpec::kRsa2048, "RSA_2048"},
      {KeySpec::kRsa3072, "RSA_3072"},
      {KeySpec::kRsa4096, "RSA_4096"},
      {KeySpec::kEccNistP256, "ECC_NIST_P256"},
      {KeySpec::kEccNistP384, "ECC_NIST_P384"},
      {KeySpec::kEccNistP521, "ECC_NIST_P521"},
      {KeySpec::kEccSecgP256k1, "ECC_SECG_P256K1"},
      {KeySpec::kSymmetricDefault, "SYMMETRIC_DEFAULT"},
      {KeySpec::kHmac224, "HMAC_224"},
      {KeySpec::kHmac256, "HMAC_256"},
      {KeySpec::kHmac384, "HMAC_384"},
      {KeySpec::kHmac512, "HMAC_512"},
      {KeySpec::kSm2, "SM2"},
      {KeySpec::kMlDsa44, "ML_DSA_44"},
      {KeySpec::kMlDsa65, "ML_DSA_65"},
      {KeySpec::kMlDsa87, "ML_DSA_87"},
      {KeySpec::kEccNistEdwards25519, "ECC_NIST_EDWARDS25519"},
  };
  return kTable;
}

const NameTable<KeyUsage>& KeyUsageNames() {
  static const NameTable<KeyUsage> kTable = {
      {KeyUsage::kEncryptDecrypt, "ENCRYPT_DECRYPT"},
      {KeyUsage::kSignVerify, "SIGN_VERIFY"},
      {KeyUsage::kGenerateVerifyMac, "GENERATE_VERIFY_MAC"},
      {KeyUsage::kKeyAgreement, "KEY_AGREEMENT"},
  };
  return kTable;
}

const NameTable<EncryptionAlgorithm>& EncryptionAlgorithmNames() {
  static const NameTable<EncryptionAlgorithm> kTable = {
      {EncryptionAlgorithm::kSymmetricDefault, "SYMMETRIC_DEFAULT"},
      {EncryptionAlgorithm::kRsaesOaepSha1, "RSAES_OAEP_SHA_1"},
      {EncryptionAlgorithm::kRsaesOaepSha256, "RSAES_OAEP_SHA_256"},
      {EncryptionAlgorithm::kSm2Pke, "SM2PKE"},
  };
  return kTable;
}

const NameTable<SigningAlgorithm>& SigningAlgorithmNames() {
  static const NameTable<SigningAlgorithm> kTable = {
      {SigningAlgorithm::kRsassaPssSha256, "RSASSA_PSS_SHA_256"},
      {SigningAlgorithm::kRsassaPssSha384, "RSASSA_PSS_SHA_384"},
      {SigningAlgorithm::kRsassaPssSha512, "RSASSA_PSS_SHA_512"},
      {SigningAlgorithm::kRsassaPkcs1V15Sha256, "RSASSA_PKCS1_V1_5_SHA_256"},
      {SigningAlgorithm::kRsassaPkcs1V15Sha384, "RSASSA_PKCS1_V1_5_SHA_384"},
      {SigningAlgorithm::kRsassaPkcs1V15Sha512, "RSASSA_PKCS1_V1_5_SHA_512"},
      {SigningAlgorithm::kEcdsaSha256, "ECDSA_SHA_256"},
      {SigningAlgorithm::kEcdsaSha384, "ECDSA_SHA_384"},
      {SigningAlgorithm::kEcdsaSha512, "ECDSA_SHA_512"},
      {SigningAlgorithm::kSm2Dsa, "SM2DSA"},
      {SigningAlgorithm::kMlDsaShake256, "ML_DSA_SHAKE_256"},
      {SigningAlgorithm::kEd25519Sha512, "ED25519_SHA_512"},
      {SigningAlgorithm::kEd25519PhSha512, "ED25519_PH_SHA_512"},
  };
  return kTable;
}

const NameTable<MacAlgorithm>& MacAlgorithmNames() {
  static const NameTable<MacAlgorithm> kTable = {
      {MacAlgorithm::kHmacSha224, "HMAC_SHA_224"},
      {MacAlgorithm::kHmacSha256, "HMAC_SHA_256"},
      {MacAlgorithm::kHmacSha384, "HMAC_SHA_384"},
      {MacAlgorithm::kHmacSha512, "HMAC_SHA_512"},
  };
  return kTable;
}

const NameTable<KeyAgreementAlgorithm>& KeyAgreementAlgorithmNames() {
  static const NameTable<KeyAgreementAlgorithm> kTable = {
      {KeyAgreementAlgorithm::kEcdh, "ECDH"},
  };
  return kTable;
}

const NameTable<MessageType>& MessageTypeNames() {
  static const NameTable<MessageType> kTable = {
      {MessageType::kRaw, "RAW"},
      {MessageType::kDigest, "DIGEST"},
      {MessageType::kExternalMu, "EXTERNAL_MU"},
  };
  return kTable;
}

template <typename E>
std::string_view NameIn(const NameTable<E>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}

template <typename E>
std::optional<E> ParseIn(const NameTable<E>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

template <typename E>
bool Contains(const std::vector<E>& values, E value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

std::string_view Name(KeySpec spec) { return NameIn(KeySpecNames(), spec); }
std::string_view Name(KeyUsage usage) { return NameIn(KeyUsageNames(), usage); }
std::string_view Name(EncryptionAlgorithm algorithm) {
  return NameIn(EncryptionAlgorithmNames(), algorithm);
}
std::string_view Name(SigningAlgorithm algorithm) {
  return NameIn(SigningAlgorithmNames(), algorithm);
}
std::string_view Name(MacAlgorithm algorithm) {
  return NameIn(MacAlgorithmNames(), algorithm);
}
std::string_view Name(KeyAgreementAlgorithm algorithm) {
  return NameIn(KeyAgreementAlgorithmNames(), algorithm);
}
std::string_view Name(MessageType type) { return NameIn(MessageTypeNames(), type); }

std::optional<KeySpec> ParseKeySpec(std::string_view name) {
  return ParseIn(KeySpecNames(), name);
}
std::optional<KeyUsage> ParseKeyUsage(std::string_view name) {
  return ParseIn(KeyUsageNames(), name);
}
std::optional<EncryptionAlgorithm> ParseEncryptionAlgorithm(std::string_view name) {
  return ParseIn(EncryptionAlgorithmNames(), name);
}
std::optional<SigningAlgorithm> ParseSigningAlgorithm(std::string_view name) {
  return ParseIn(SigningAlgorithmNames(), name);
}
std::optional<MacAlgorithm> ParseMacAlgorithm(std::string_view name) {
  return ParseIn(MacAlgorithmNames(), name);
}
std::optional<KeyAgreementAlgorithm> ParseKeyAgreementAlgorithm(std::string_view name) {
  return ParseIn(KeyAgreementAlgorithmNames(), name);
}
std::optional<MessageType> ParseMessageType(std::string_view name) {
  return ParseIn(MessageTypeNames(), name);
}

const std::vector<KeySpec>& AllKeySpecs() {
  static const std::vector<KeySpec> kAll = [] {
    std::vector<KeySpec> all;
    for (const auto& [spec, name] : KeySpecNames()) all.push_back(spec);
    return all;
  }();
  return kAll;
}

bool IsSymmetricEncryption(KeySpec spec) { return spec == KeySpec::kSymmetricDefault; }

bool IsHmac(KeySpec spec) {
  return spec == KeySpec::kHmac224 || spec == KeySpec::kHmac256 ||
         spec == KeySpec::kHmac384 || spec == KeySpec::kHmac512;
}

bool IsRsa(KeySpec spec) {
  return spec == KeySpec::kRsa2048 || spec == KeySpec::kRsa3072 ||
         spec == KeySpec::kRsa4096;
}

bool IsNistEcc(KeySpec spec) {
  return spec == KeySpec::kEccNistP256 || spec == KeySpec::kEccNistP384 ||
         spec == KeySpec::kEccNistP521;
}

bool IsEcc(KeySpec spec) { return IsNistEcc(spec) || spec == KeySpec::kEccSecgP256k1; }

bool IsAsymmetric(KeySpec spec) { return !IsSymmetricEncryption(spec) && !IsHmac(spec); }

bool IsSupported(KeySpec spec) {
  return IsSymmetricEncryption(spec) || IsHmac(spec) || IsRsa(spec) || IsEcc(spec);
}

Status CheckSupported(KeySpec spec) {
  if (IsSupported(spec)) return OkStatus();
  return errors::UnsupportedKeySpec(Name(spec));
}

std::vector<KeyUsage> AllowedKeyUsages(KeySpec spec) {
  if (IsSymmetricEncryption(spec)) return {KeyUsage::kEncryptDecrypt};
  if (IsHmac(spec)) return {KeyUsage::kGenerateVerifyMac};
  if (IsRsa(spec)) return {KeyUsage::kEncryptDecrypt, KeyUsage::kSignVerify};
  if (IsNistEcc(spec)) return {KeyUsage::kSignVerify, KeyUsage::kKeyAgreement};
  if (spec == KeySpec::kSm2) {
    return {KeyUsage::kEncryptDecrypt, KeyUsage::kSignVerify, KeyUsage::kKeyAgreement};
  }
  // ECC_SECG_P256K1, ECC_NIST_EDWARDS25519, ML_DSA_*.
  return {KeyUsage::kSignVerify};
}

Result<SpecAndUsage> ResolveSpecAndUsage(std::optional<KeySpec> spec,
                                         std::optional<KeyUsage> usage) {
  const KeySpec resolved_spec = spec.value_or(KeySpec::kSymmetricDefault);
  if (!usage.has_value()) {
    if (!IsSymmetricEncryption(resolved_spec)) return errors::KeyUsageRequired();
    return SpecAndUsage{resolved_spec, KeyUsage::kEncryptDecrypt};
  }
  const std::vector<KeyUsage> allowed = AllowedKeyUsages(resolved_spec);
  if (!Contains(allowed, *usage)) {
    std::string allowed_text;
    for (size_t i = 0; i < allowed.size(); ++i) {
      if (i > 0) allowed_text += " or ";
      allowed_text += Name(allowed[i]);
    }
    return errors::KeyUsageNotValidForSpec(Name(*usage), allowed_text);
  }
  return SpecAndUsage{resolved_spec, *usage};
}

std::vector<EncryptionAlgorithm> EncryptionAlgorithms(KeySpec spec, KeyUsage usage) {
  if (usage != KeyUsage::kEncryptDecrypt) return {};
  if (IsSymmetricEncryption(spec)) return {EncryptionAlgorithm::kSymmetricDefault};
  if (IsRsa(spec)) {
    return {EncryptionAlgorithm::kRsaesOaepSha1, EncryptionAlgorithm::kRsaesOaepSha256};
  }
  if (spec == KeySpec::kSm2) return {EncryptionAlgorithm::kSm2Pke};
  return {};
}

std::vector<SigningAlgorithm> SigningAlgorithms(KeySpec spec, KeyUsage usage) {
  if (usage != KeyUsage::kSignVerify) return {};
  if (IsRsa(spec)) {
    return {SigningAlgorithm::kRsassaPkcs1V15Sha256, SigningAlgorithm::kRsassaPkcs1V15Sha384,
            SigningAlgorithm::kRsassaPkcs1V15Sha512, SigningAlgorithm::kRsassaPssSha256,
            SigningAlgorithm::kRsassaPssSha384,      SigningAlgorithm::kRsassaPssSha512};
  }
  switch (spec) {
    case KeySpec::kEccNistP256:
    case KeySpec::kEccSecgP256k1:
      return {SigningAlgorithm::kEcdsaSha256};
    case KeySpec::kEccNistP384:
      return {SigningAlgorithm::kEcdsaSha384};
    case KeySpec::kEccNistP521:
      return {SigningAlgorithm::kEcdsaSha512};
    case KeySpec::kEccNistEdwards25519:
      return {SigningAlgorithm::kEd25519Sha512, SigningAlgorithm::kEd25519PhSha512};
    case KeySpec::kMlDsa44:
    case KeySpec::kMlDsa65:
    case KeySpec::kMlDsa87:
      return {SigningAlgorithm::kMlDsaShake256};
    case KeySpec::kSm2:
      return {SigningAlgorithm::kSm2Dsa};
    default:
      return {};
  }
}

std::vector<MacAlgorithm> MacAlgorithms(KeySpec spec, KeyUsage usage) {
  if (usage != KeyUsage::kGenerateVerifyMac) return {};
  switch (spec) {
    case KeySpec::kHmac224:
      return {MacAlgorithm::kHmacSha224};
    case KeySpec::kHmac256:
      return {MacAlgorithm::kHmacSha256};
    case KeySpec::kHmac384:
      return {MacAlgorithm::kHmacSha384};
    case KeySpec::kHmac512:
      return {MacAlgorithm::kHmacSha512};
    default:
      return {};
  }
}

std::vector<KeyAgreementAlgorithm> KeyAgreementAlgorithms(KeySpec spec, KeyUsage usage) {
  if (usage != KeyUsage::kKeyAgreement) return {};
  if (IsNistEcc(spec) || spec == KeySpec::kSm2) return {KeyAgreementAlgorithm::kEcdh};
  return {};
}

// The compatibility checks look at the spec's list for the usage that
// algorithm family needs, so "RSAES_OAEP_SHA_1 with an RSA SIGN_VERIFY key" is
// a usage error the caller reports first, and only spec mismatches land here.
Status CheckEncryptionAlgorithm(KeySpec spec, EncryptionAlgorithm algorithm) {
  if (Contains(EncryptionAlgorithms(spec, KeyUsage::kEncryptDecrypt), algorithm)) {
    return OkStatus();
  }
  return errors::IncompatibleAlgorithm(Name(algorithm), Name(spec));
}

Status CheckSigningAlgorithm(KeySpec spec, SigningAlgorithm algorithm) {
  if (Contains(SigningAlgorithms(spec, KeyUsage::kSignVerify), algorithm)) {
    return OkStatus();
  }
  return errors::IncompatibleAlgorithm(Name(algorithm), Name(spec));
}

Status CheckMacAlgorithm(KeySpec spec, MacAlgorithm algorithm) {
  if (Contains(MacAlgorithms(spec, KeyUsage::kGenerateVerifyMac), algorithm)) {
    return OkStatus();
  }
  return errors::IncompatibleAlgorithm(Name(algorithm), Name(spec));
}

int RsaModulusBits(KeySpec spec) {
  switch (spec) {
    case KeySpec::kRsa2048:
      return 2048;
    case KeySpec::kRsa3072:
      return 3072;
    case KeySpec::kRsa4096:
      return 4096;
    default:
      return 0;
  }
}

size_t RsaOaepMaxPlaintext(KeySpec spec, EncryptionAlgorithm algorithm) {
  const int bits = RsaModulusBits(spec);
  if (bits == 0) return 0;
  if (algorithm != EncryptionAlgorithm::kRsaesOaepSha1 &&
      algorithm != EncryptionAlgorithm::kRsaesOaepSha256) {
    return 0;
  }
  const size_t hash = DigestSize(HashOf(algorithm));
  return static_cast<size_t>(bits / 8) - 2 * hash - 2;
}

Status CheckRsaOaepPlaintextSize(KeySpec spec, EncryptionAlgorithm algorithm,
                                 size_t plaintext_size) {
  const size_t limit = RsaOaepMaxPlaintext(spec, algorithm);
  if (plaintext_size <= limit) return OkStatus();
  return errors::PlaintextTooLargeForAlgorithm(Name(algorithm), Name(spec), limit);
}

std::string_view EccGroupName(KeySpec spec) {
  switch (spec) {
    case KeySpec::kEccNistP256:
      return "prime256v1";
    case KeySpec::kEccNistP384:
      return "secp384r1";
    case KeySpec::kEccNistP521:
      return "secp521r1";
    case KeySpec::kEccSecgP256k1:
      return "secp256k1";
    default:
      return "";
  }
}

size_t HmacKeyBytes(KeySpec spec) {
  switch (spec) {
    case KeySpec::kHmac224:
      return 28;
    case KeySpec::kHmac256:
      return 32;
    case KeySpec::kHmac384:
      return 48;
    case KeySpec::kHmac512:
      return 64;
    default:
      return 0;
  }
}

HashFunction HashOf(SigningAlgorithm algorithm) {
  switch (algorithm) {
    case SigningAlgorithm::kRsassaPssSha384:
    case SigningAlgorithm::kRsassaPkcs1V15Sha384:
    case SigningAlgorithm::kEcdsaSha384:
      return HashFunction::kSha384;
    case SigningAlgorithm::kRsassaPssSha512:
    case SigningAlgorithm::kRsassaPkcs1V15Sha512:
    case SigningAlgorithm::kEcdsaSha512:
    case SigningAlgorithm::kEd25519Sha512:
    case SigningAlgorithm::kEd25519PhSha512:
      return HashFunction::kSha512;
    default:
      return HashFunction::kSha256;
  }
}

HashFunction HashOf(MacAlgorithm algorithm) {
  switch (algorithm) {
    case MacAlgorithm::kHmacSha224:
      return HashFunction::kSha224;
    case MacAlgorithm::kHmacSha256:
      return HashFunction::kSha256;
    case MacAlgorithm::kHmacSha384:
      return HashFunction::kSha384;
    case MacAlgorithm::kHmacSha512:
      return HashFunction::kSha512;
  }
  return HashFunction::kSha256;
}

HashFunction HashOf(EncryptionAlgorithm algorithm) {
  return algorithm == EncryptionAlgorithm::kRsaesOaepSha1 ? HashFunction::kSha1
                                                          : HashFunction::kSha256;
}

size_t DigestSize(HashFunction hash) {
  switch (hash) {
    case HashFunction::kSha1:
      return 20;
    case HashFunction::kSha224:
      return 28;
    case HashFunction::kSha256:
      return 32;
    case HashFunction::kSha384:
      return 48;
    case HashFunction::kSha512:
      return 64;
  }
  return 0;
}

bool IsPss(SigningAlgorithm algorithm) {
  return algorithm == SigningAlgorithm::kRsassaPssSha256 ||
         algorithm == SigningAlgorithm::kRsassaPssSha384 ||
         algorithm == SigningAlgorithm::kRsassaPssSha512;
}

bool IsRsaSigning(SigningAlgorithm algorithm) {
  return IsPss(algorithm) || algorithm == SigningAlgorithm::kRsassaPkcs1V15Sha256 ||
         algorithm == SigningAlgorithm::kRsassaPkcs1V15Sha384 ||
         algorithm == SigningAlgorithm::kRsassaPkcs1V15Sha512;
}

bool IsEcdsa(SigningAlgorithm algorithm) {
  return algorithm == SigningAlgorithm::kEcdsaSha256 ||
         algorithm == SigningAlgorithm::kEcdsaSha384 ||
         algorithm == SigningAlgorithm::kEcdsaSha512;
}

}  // namespace gee::kms

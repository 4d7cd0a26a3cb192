#include "services/kms/key_material.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <climits>
#include <cstring>
#include <utility>

#include "services/kms/errors.h"

namespace gee::kms {
namespace {

struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

struct LocalPkeyDeleter {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using LocalPkeyPtr = std::unique_ptr<EVP_PKEY, LocalPkeyDeleter>;

struct P8Deleter {
  void operator()(PKCS8_PRIV_KEY_INFO* p8) const { PKCS8_PRIV_KEY_INFO_free(p8); }
};
using P8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Deleter>;

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// OpenSSL failures leave entries on the thread's error queue; drop them so a
// later, unrelated check does not see them.
AwsError OpenSslError(std::string_view step) {
  ERR_clear_error();
  return errors::Internal(step);
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

const EVP_MD* Md(HashFunction hash) {
  switch (hash) {
    case HashFunction::kSha1:
      return EVP_sha1();
    case HashFunction::kSha224:
      return EVP_sha224();
    case HashFunction::kSha256:
      return EVP_sha256();
    case HashFunction::kSha384:
      return EVP_sha384();
    case HashFunction::kSha512:
      return EVP_sha512();
  }
  return nullptr;
}

const char* MdName(HashFunction hash) {
  switch (hash) {
    case HashFunction::kSha1:
      return "SHA1";
    case HashFunction::kSha224:
      return "SHA224";
    case HashFunction::kSha256:
      return "SHA256";
    case HashFunction::kSha384:
      return "SHA384";
    case HashFunction::kSha512:
      return "SHA512";
  }
  return "";
}

Result<LocalPkeyPtr> GenerateKeyPair(KeySpec spec) {
  const bool rsa = IsRsa(spec);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new_from_name");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_keygen_init");
  if (rsa) {
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), RsaModulusBits(spec)) != 1) {
      return OpenSslError("EVP_PKEY_CTX_set_rsa_keygen_bits");
    }
  } else {
    const std::string group(EccGroupName(spec));
    if (EVP_PKEY_CTX_set_group_name(ctx.get(), group.c_str()) != 1) {
      return OpenSslError("EVP_PKEY_CTX_set_group_name");
    }
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1 || raw == nullptr) {
    return OpenSslError("EVP_PKEY_generate");
  }
  return LocalPkeyPtr(raw);
}

// DER PKCS#8 PrivateKeyInfo of `pkey`, written straight into SecretBytes.
Result<crypto::SecretBytes> SerializePrivateKey(EVP_PKEY* pkey) {
  P8Ptr p8(EVP_PKEY2PKCS8(pkey));
  if (!p8) return OpenSslError("EVP_PKEY2PKCS8");
  const int length = i2d_PKCS8_PRIV_KEY_INFO(p8.get(), nullptr);
  if (length <= 0) return OpenSslError("i2d_PKCS8_PRIV_KEY_INFO(length)");
  crypto::SecretBytes out(static_cast<size_t>(length));
  unsigned char* cursor = out.data();
  if (i2d_PKCS8_PRIV_KEY_INFO(p8.get(), &cursor) != length) {
    return OpenSslError("i2d_PKCS8_PRIV_KEY_INFO");
  }
  return out;
}

Result<std::string> SerializePublicKey(EVP_PKEY* pkey) {
  const int length = i2d_PUBKEY(pkey, nullptr);
  if (length <= 0) return OpenSslError("i2d_PUBKEY(length)");
  std::string out(static_cast<size_t>(length), '\0');
  unsigned char* cursor = reinterpret_cast<unsigned char*>(out.data());
  if (i2d_PUBKEY(pkey, &cursor) != length) return OpenSslError("i2d_PUBKEY");
  return out;
}

// The OpenSSL group name of an EC key ("prime256v1", ...), empty on failure.
std::string GroupNameOf(const EVP_PKEY* pkey) {
  char name[64] = {0};
  size_t length = 0;
  if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &length) != 1) {
    ERR_clear_error();
    return "";
  }
  return std::string(name, length);
}

// True when `pkey` is the key type `spec` names (algorithm and size/curve).
bool MatchesSpec(const EVP_PKEY* pkey, KeySpec spec) {
  if (IsRsa(spec)) {
    return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
           EVP_PKEY_get_bits(pkey) == RsaModulusBits(spec);
  }
  if (IsEcc(spec)) {
    return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
           GroupNameOf(pkey) == EccGroupName(spec);
  }
  return false;
}

// Parses DER PKCS#8 that must be consumed exactly.
Result<LocalPkeyPtr> ParsePrivateKey(const crypto::SecretBytes& der) {
  if (der.size() == 0 || der.size() > static_cast<size_t>(LONG_MAX)) {
    return errors::Internal("stored key material: empty");
  }
  const unsigned char* cursor = der.data();
  P8Ptr p8(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size())));
  if (!p8) return OpenSslError("stored key material: d2i_PKCS8_PRIV_KEY_INFO");
  if (cursor != der.data() + der.size()) {
    return errors::Internal("stored key material: trailing bytes");
  }
  LocalPkeyPtr pkey(EVP_PKCS82PKEY(p8.get()));
  if (!pkey) return OpenSslError("stored key material: EVP_PKCS82PKEY");
  return pkey;
}

// Message as signed: the hash of a RAW message, or a DIGEST as given.
Result<std::string> SignedDigest(KeySpec spec, SigningAlgorithm algorithm,
                                 MessageType type, std::string_view message) {
  GEE_RETURN_IF_ERROR(CheckSigningAlgorithm(spec, algorithm));
  const HashFunction hash = HashOf(algorithm);
  switch (type) {
    case MessageType::kRaw:
      if (message.empty()) return errors::MemberTooShort("message", 1);
      if (message.size() > kMaxMessageSize) {
        return errors::MemberTooLong("message", kMaxMessageSize);
      }
      return ComputeDigest(hash, message);
    case MessageType::kDigest:
      if (message.size() != DigestSize(hash)) {
        return errors::DigestInvalidLength(Name(algorithm));
      }
      return std::string(message);
    case MessageType::kExternalMu:
      break;
  }
  return errors::MessageTypeIncompatible(Name(type), Name(spec));
}

// Sets padding and digest parameters of a sign/verify context.
Status ConfigureSignature(EVP_PKEY_CTX* ctx, SigningAlgorithm algorithm) {
  const EVP_MD* md = Md(HashOf(algorithm));
  if (IsRsaSigning(algorithm)) {
    if (IsPss(algorithm)) {
      if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1) {
        return OpenSslError("EVP_PKEY_CTX_set_rsa_padding(PSS)");
      }
      if (EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
        return OpenSslError("EVP_PKEY_CTX_set_rsa_pss_saltlen");
      }
      if (EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1) {
        return OpenSslError("EVP_PKEY_CTX_set_rsa_mgf1_md");
      }
    } else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1) {
      return OpenSslError("EVP_PKEY_CTX_set_rsa_padding(PKCS1)");
    }
  }
  if (EVP_PKEY_CTX_set_signature_md(ctx, md) != 1) {
    return OpenSslError("EVP_PKEY_CTX_set_signature_md");
  }
  return OkStatus();
}

Status ConfigureOaep(EVP_PKEY_CTX* ctx, EncryptionAlgorithm algorithm) {
  const EVP_MD* md = Md(HashOf(algorithm));
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1) {
    return OpenSslError("EVP_PKEY_CTX_set_rsa_padding(OAEP)");
  }
  if (EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) != 1) {
    return OpenSslError("EVP_PKEY_CTX_set_rsa_oaep_md");
  }
  if (EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1) {
    return OpenSslError("EVP_PKEY_CTX_set_rsa_mgf1_md");
  }
  return OkStatus();
}

Status CheckOaepAlgorithm(KeySpec spec, EncryptionAlgorithm algorithm) {
  if (!IsRsa(spec) || (algorithm != EncryptionAlgorithm::kRsaesOaepSha1 &&
                       algorithm != EncryptionAlgorithm::kRsaesOaepSha256)) {
    return errors::IncompatibleAlgorithm(Name(algorithm), Name(spec));
  }
  return OkStatus();
}

}  // namespace

void KeyMaterial::PkeyDeleter::operator()(evp_pkey_st* pkey) const { EVP_PKEY_free(pkey); }

KeyMaterial::KeyMaterial(KeySpec spec, crypto::SecretBytes serialized, PkeyPtr pkey)
    : spec_(spec), serialized_(std::move(serialized)), pkey_(std::move(pkey)) {}

KeyMaterial::~KeyMaterial() = default;

Result<std::unique_ptr<KeyMaterial>> KeyMaterial::Generate(KeySpec spec, Random& random) {
  GEE_RETURN_IF_ERROR(CheckSupported(spec));
  if (IsSymmetricEncryption(spec)) {
    return std::unique_ptr<KeyMaterial>(
        new KeyMaterial(spec, crypto::SecretBytes::FromRandom(32, random), nullptr));
  }
  if (IsHmac(spec)) {
    return std::unique_ptr<KeyMaterial>(new KeyMaterial(
        spec, crypto::SecretBytes::FromRandom(HmacKeyBytes(spec), random), nullptr));
  }
  GEE_ASSIGN_OR_RETURN(LocalPkeyPtr pkey, GenerateKeyPair(spec));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes serialized, SerializePrivateKey(pkey.get()));
  return std::unique_ptr<KeyMaterial>(
      new KeyMaterial(spec, std::move(serialized), PkeyPtr(pkey.release())));
}

Result<std::unique_ptr<KeyMaterial>> KeyMaterial::Load(KeySpec spec,
                                                       crypto::SecretBytes serialized) {
  GEE_RETURN_IF_ERROR(CheckSupported(spec));
  if (IsSymmetricEncryption(spec) || IsHmac(spec)) {
    const size_t expected = IsHmac(spec) ? HmacKeyBytes(spec) : 32;
    if (serialized.size() != expected) {
      return errors::Internal("stored key material: wrong length for " +
                              std::string(Name(spec)));
    }
    return std::unique_ptr<KeyMaterial>(new KeyMaterial(spec, std::move(serialized), nullptr));
  }
  GEE_ASSIGN_OR_RETURN(LocalPkeyPtr pkey, ParsePrivateKey(serialized));
  if (!MatchesSpec(pkey.get(), spec)) {
    return errors::Internal("stored key material: not a " + std::string(Name(spec)) + " key");
  }
  return std::unique_ptr<KeyMaterial>(
      new KeyMaterial(spec, std::move(serialized), PkeyPtr(pkey.release())));
}

Result<std::string> KeyMaterial::PublicKeyDer() const {
  if (!pkey_) return errors::Internal("PublicKeyDer on a key without a key pair");
  return SerializePublicKey(pkey_.get());
}

Result<std::string> KeyMaterial::Sign(SigningAlgorithm algorithm, MessageType type,
                                      std::string_view message) const {
  GEE_ASSIGN_OR_RETURN(std::string digest, SignedDigest(spec_, algorithm, type, message));
  if (!pkey_) return errors::Internal("Sign on a key without a key pair");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey_.get(), nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new(sign)");
  if (EVP_PKEY_sign_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_sign_init");
  GEE_RETURN_IF_ERROR(ConfigureSignature(ctx.get(), algorithm));
  size_t length = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &length, Bytes(digest), digest.size()) != 1) {
    return OpenSslError("EVP_PKEY_sign(length)");
  }
  std::string signature(length, '\0');
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                    Bytes(digest), digest.size()) != 1) {
    return OpenSslError("EVP_PKEY_sign");
  }
  signature.resize(length);
  return signature;
}

Result<bool> KeyMaterial::Verify(SigningAlgorithm algorithm, MessageType type,
                                 std::string_view message,
                                 std::string_view signature) const {
  GEE_ASSIGN_OR_RETURN(std::string digest, SignedDigest(spec_, algorithm, type, message));
  if (!pkey_) return errors::Internal("Verify on a key without a key pair");
  if (signature.empty()) return false;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey_.get(), nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new(verify)");
  if (EVP_PKEY_verify_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_verify_init");
  GEE_RETURN_IF_ERROR(ConfigureSignature(ctx.get(), algorithm));
  // 1 = valid; 0 = invalid; < 0 = malformed signature (or an internal
  // problem, indistinguishable here): both mean "not a valid signature".
  const int rc = EVP_PKEY_verify(ctx.get(), Bytes(signature), signature.size(),
                                 Bytes(digest), digest.size());
  if (rc != 1) ERR_clear_error();
  return rc == 1;
}

Result<std::string> KeyMaterial::RsaEncrypt(EncryptionAlgorithm algorithm,
                                            std::string_view plaintext) const {
  GEE_RETURN_IF_ERROR(CheckOaepAlgorithm(spec_, algorithm));
  if (plaintext.empty()) return errors::MemberTooShort("plaintext", 1);
  GEE_RETURN_IF_ERROR(CheckRsaOaepPlaintextSize(spec_, algorithm, plaintext.size()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey_.get(), nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new(encrypt)");
  if (EVP_PKEY_encrypt_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_encrypt_init");
  GEE_RETURN_IF_ERROR(ConfigureOaep(ctx.get(), algorithm));
  size_t length = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, Bytes(plaintext), plaintext.size()) !=
      1) {
    return OpenSslError("EVP_PKEY_encrypt(length)");
  }
  std::string ciphertext(length, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(ciphertext.data()),
                       &length, Bytes(plaintext), plaintext.size()) != 1) {
    return OpenSslError("EVP_PKEY_encrypt");
  }
  ciphertext.resize(length);
  return ciphertext;
}

Result<crypto::SecretBytes> KeyMaterial::RsaDecrypt(EncryptionAlgorithm algorithm,
                                                    std::string_view ciphertext) const {
  GEE_RETURN_IF_ERROR(CheckOaepAlgorithm(spec_, algorithm));
  const size_t modulus_bytes = static_cast<size_t>(RsaModulusBits(spec_) / 8);
  if (ciphertext.size() != modulus_bytes) return errors::InvalidCiphertext();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey_.get(), nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new(decrypt)");
  if (EVP_PKEY_decrypt_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_decrypt_init");
  GEE_RETURN_IF_ERROR(ConfigureOaep(ctx.get(), algorithm));
  crypto::SecretBytes buffer(modulus_bytes);
  size_t length = buffer.size();
  if (EVP_PKEY_decrypt(ctx.get(), buffer.data(), &length, Bytes(ciphertext),
                       ciphertext.size()) != 1) {
    ERR_clear_error();
    return errors::InvalidCiphertext();
  }
  // `buffer` wipes itself when it goes out of scope.
  return crypto::SecretBytes::CopyOf(buffer.span().first(length));
}

Result<std::string> KeyMaterial::ComputeMac(MacAlgorithm algorithm,
                                            std::string_view message) const {
  GEE_RETURN_IF_ERROR(CheckMacAlgorithm(spec_, algorithm));
  if (message.empty()) return errors::MemberTooShort("message", 1);
  if (message.size() > kMaxMessageSize) {
    return errors::MemberTooLong("message", kMaxMessageSize);
  }
  return ComputeHmac(HashOf(algorithm), serialized_, message);
}

Result<bool> KeyMaterial::VerifyMac(MacAlgorithm algorithm, std::string_view message,
                                    std::string_view mac) const {
  GEE_ASSIGN_OR_RETURN(std::string expected, ComputeMac(algorithm, message));
  if (mac.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), mac.data(), mac.size()) == 0;
}

Result<crypto::SecretBytes> KeyMaterial::DeriveSharedSecret(
    std::string_view peer_public_key_der) const {
  if (!IsNistEcc(spec_) || !pkey_) {
    return errors::Internal("DeriveSharedSecret on a key that is not NIST ECC");
  }
  const unsigned char* cursor = Bytes(peer_public_key_der);
  if (peer_public_key_der.empty() ||
      peer_public_key_der.size() > static_cast<size_t>(LONG_MAX)) {
    return errors::InvalidPeerPublicKey(Name(spec_));
  }
  LocalPkeyPtr peer(
      d2i_PUBKEY(nullptr, &cursor, static_cast<long>(peer_public_key_der.size())));
  if (!peer || cursor != Bytes(peer_public_key_der) + peer_public_key_der.size() ||
      !MatchesSpec(peer.get(), spec_)) {
    ERR_clear_error();
    return errors::InvalidPeerPublicKey(Name(spec_));
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey_.get(), nullptr));
  if (!ctx) return OpenSslError("EVP_PKEY_CTX_new(derive)");
  if (EVP_PKEY_derive_init(ctx.get()) != 1) return OpenSslError("EVP_PKEY_derive_init");
  // validate_peer = 1: OpenSSL checks the point is on the curve.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) != 1) {
    ERR_clear_error();
    return errors::InvalidPeerPublicKey(Name(spec_));
  }
  size_t length = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1) {
    return OpenSslError("EVP_PKEY_derive(length)");
  }
  crypto::SecretBytes secret(length);
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &length) != 1 || length != secret.size()) {
    return OpenSslError("EVP_PKEY_derive");
  }
  return secret;
}

Result<std::string> ComputeHmac(HashFunction hash, const crypto::SecretBytes& key,
                                std::string_view message) {
  std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return OpenSslError("EVP_MAC_fetch(HMAC)");
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return OpenSslError("EVP_MAC_CTX_new");
  char digest_name[16];
  std::strncpy(digest_name, MdName(hash), sizeof digest_name - 1);
  digest_name[sizeof digest_name - 1] = '\0';
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // HMAC accepts an empty key; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty[1] = {0};
  const unsigned char* key_bytes = key.empty() ? kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) != 1) {
    return OpenSslError("EVP_MAC_init");
  }
  if (EVP_MAC_update(ctx.get(), Bytes(message), message.size()) != 1) {
    return OpenSslError("EVP_MAC_update");
  }
  std::string out(DigestSize(hash), '\0');
  size_t length = 0;
  if (EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                    out.size()) != 1 ||
      length != out.size()) {
    return OpenSslError("EVP_MAC_final");
  }
  return out;
}

Result<std::string> ComputeDigest(HashFunction hash, std::string_view message) {
  std::string out(DigestSize(hash), '\0');
  unsigned int length = 0;
  if (EVP_Digest(message.data(), message.size(),
                 reinterpret_cast<unsigned char*>(out.data()), &length, Md(hash),
                 nullptr) != 1 ||
      length != out.size()) {
    return OpenSslError("EVP_Digest");
  }
  return out;
}

Result<DataKeyPair> GenerateDataKeyPairMaterial(KeySpec spec) {
  GEE_RETURN_IF_ERROR(CheckSupported(spec));
  if (!IsRsa(spec) && !IsEcc(spec)) {
    return errors::Internal("GenerateDataKeyPairMaterial for a spec without a key pair");
  }
  GEE_ASSIGN_OR_RETURN(LocalPkeyPtr pkey, GenerateKeyPair(spec));
  DataKeyPair pair;
  GEE_ASSIGN_OR_RETURN(pair.private_key_der, SerializePrivateKey(pkey.get()));
  GEE_ASSIGN_OR_RETURN(pair.public_key_der, SerializePublicKey(pkey.get()));
  return pair;
}

}  // namespace gee::kms

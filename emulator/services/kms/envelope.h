// The cryptographic bodies of the KMS operations, independent of HTTP and of
// authorization: given a loaded key (metadata + material by version) and the
// request's values, produce the response bytes or the exact AWS error.
//
// What the caller (the operation handler) has done before calling:
//   * resolved KeyId / alias to a key and loaded it (LoadedKey),
//   * authorized the caller against that key,
//   * gated the key state (Disabled / PendingDeletion / PendingImport),
//   * decoded the request's enum members (KeySpec, algorithms, MessageType)
//     and applied defaults (EncryptionAlgorithm SYMMETRIC_DEFAULT,
//     MessageType RAW).
// What these functions check, in AWS's order: member lengths of the model
// (plaintext/message 1..4096) first, then the key usage
// (errors::InvalidKeyUsage "<ARN> key usage is X which is not valid for Op."),
// then the algorithm against the key spec (errors::IncompatibleAlgorithm),
// then the operation's own limits (RSA OAEP sizes, digest lengths), then the
// cryptography (InvalidCiphertextException / KMSInvalidSignatureException /
// KMSInvalidMacException, all without message).
//
// Material versions: symmetric encryption uses the key's current version;
// decryption uses the version named in the blob (so blobs made before a
// rotation still decrypt). Asymmetric and HMAC keys have one version.
//
// Thread-safety: a LoadedKey is for one request (one thread). The free
// functions keep no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "services/kms/ciphertext_blob.h"
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "services/kms/key_store.h"

namespace gee::kms {

// Loads version `version` of a key's material; a null pointer when the key
// has no such version.
using MaterialLoader =
    std::function<Result<std::unique_ptr<KeyMaterial>>(uint32_t version)>;

// A key ready for the crypto operations: its record and its material by
// version, loaded on first use per version and kept for the rest of the
// request. Keys from the key store take material the store keeps unsealed
// (key_store.h), so a request after the first unseals nothing.
class LoadedKey {
 public:
  LoadedKey(KeyRecord record, MaterialLoader loader)
      : record_(std::make_shared<const KeyRecord>(std::move(record))), loader_(std::move(loader)) {}
  // A key whose material comes from `store` (which must outlive the LoadedKey).
  static LoadedKey FromStore(KeyStore& store, KeyRecord record);
  // The same without copying a record the caller already shares.
  static LoadedKey FromStore(KeyStore& store, std::shared_ptr<const KeyRecord> record);

  LoadedKey(LoadedKey&&) = default;
  LoadedKey& operator=(LoadedKey&&) = default;

  const KeyRecord& record() const { return *record_; }
  // Material of `version`, or nullptr when the key has none of that version.
  Result<const KeyMaterial*> Material(uint32_t version) const;
  // Material of record().current_version (KMSInternalException if missing).
  Result<const KeyMaterial*> CurrentMaterial() const;
  // The material id of `version` (CurrentKeyMaterialId form); nullopt when
  // the key has no such version, "" for a key built from a MaterialLoader.
  Result<std::optional<std::string>> MaterialId(uint32_t version) const;

 private:
  LoadedKey(KeyStore& store, std::shared_ptr<const KeyRecord> record)
      : record_(std::move(record)), store_(&store) {}
  // The material of `version` with its id (nullptr when absent), checked
  // against the record's spec.
  Result<const MaterialEntry*> Entry(uint32_t version) const;

  std::shared_ptr<const KeyRecord> record_;
  // Where material comes from: the store, else the loader.
  KeyStore* store_ = nullptr;
  MaterialLoader loader_;
  // The versions this request used (usually one), kept alive while it runs.
  mutable std::vector<std::pair<uint32_t, std::shared_ptr<const MaterialEntry>>> used_;
};

// ---- symmetric encryption (SYMMETRIC_DEFAULT keys) ----

// Seals `plaintext` under the key's current version as a ciphertext blob
// (ciphertext_blob.h). The key must be SYMMETRIC_DEFAULT (KMSInternalException
// otherwise: handlers reach this through Encrypt, which checks).
Result<std::string> EncryptSymmetric(const LoadedKey& key, std::string_view plaintext,
                                     const EncryptionContext& context, Random& random);

// Opens a blob made by EncryptSymmetric. errors::IncorrectKey when the blob
// names another key; errors::InvalidCiphertext when it is malformed, names a
// version the key does not have, or does not authenticate with `context`.
Result<crypto::SecretBytes> DecryptSymmetric(const LoadedKey& key, std::string_view blob,
                                             const EncryptionContext& context);

// ---- Encrypt / Decrypt (any ENCRYPT_DECRYPT key) ----

// SYMMETRIC_DEFAULT keys: a ciphertext blob. RSA keys: RSAES-OAEP ciphertext
// (modulus-size bytes); a non-empty context is errors::EncryptionContextNotSupported.
// `operation` names the AWS operation in usage errors ("Encrypt", "ReEncrypt").
Result<std::string> Encrypt(const LoadedKey& key, EncryptionAlgorithm algorithm,
                            std::string_view plaintext, const EncryptionContext& context,
                            Random& random, std::string_view operation = "Encrypt");
Result<crypto::SecretBytes> Decrypt(const LoadedKey& key, EncryptionAlgorithm algorithm,
                                    std::string_view ciphertext,
                                    const EncryptionContext& context,
                                    std::string_view operation = "Decrypt");

// ---- data keys ----

struct DataKey {
  crypto::SecretBytes plaintext;
  std::string ciphertext_blob;
};

// GenerateDataKey's length from its two optional members: exactly one of
// KeySpec ("AES_256" = 32, "AES_128" = 16) or NumberOfBytes (1..1024).
// Neither or both: errors::DataKeyLengthAmbiguous; out of range:
// errors::ValueTooSmall/ValueTooLarge("numberOfBytes"); another KeySpec
// string: the model's enum ValidationException.
Result<size_t> ResolveDataKeyLength(std::optional<std::string_view> key_spec,
                                    std::optional<int64_t> number_of_bytes);

// `number_of_bytes` random bytes and their blob under the key (symmetric
// ENCRYPT_DECRYPT keys only: a wrong usage is errors::InvalidKeyUsage, an
// asymmetric spec errors::InvalidKeySpecForOperation).
Result<DataKey> GenerateDataKey(const LoadedKey& key, size_t number_of_bytes,
                                const EncryptionContext& context, Random& random,
                                std::string_view operation = "GenerateDataKey");

struct DataKeyPairResult {
  crypto::SecretBytes private_key_plaintext;  // DER PKCS#8
  std::string private_key_ciphertext_blob;    // the PKCS#8 DER sealed under `key`
  std::string public_key;                     // DER SubjectPublicKeyInfo
};

// A fresh key pair of `pair_spec` whose private half is encrypted under the
// symmetric `key`. `pair_spec` outside DataKeyPairSpec (symmetric, HMAC,
// ML-DSA) is the model's enum ValidationException for 'keyPairSpec'; SM2 and
// ECC_NIST_EDWARDS25519 are errors::UnsupportedKeySpec.
Result<DataKeyPairResult> GenerateDataKeyPair(
    const LoadedKey& key, KeySpec pair_spec, const EncryptionContext& context,
    Random& random, std::string_view operation = "GenerateDataKeyPair");

// ---- asymmetric and HMAC operations ----

// DER SubjectPublicKeyInfo of an asymmetric key; errors::NoPublicKey for
// symmetric and HMAC keys.
Result<std::string> GetPublicKey(const LoadedKey& key);

Result<std::string> Sign(const LoadedKey& key, SigningAlgorithm algorithm,
                         MessageType type, std::string_view message);
// OkStatus when valid; errors::InvalidSignature() (no message) when not.
Status Verify(const LoadedKey& key, SigningAlgorithm algorithm, MessageType type,
              std::string_view message, std::string_view signature);

Result<std::string> GenerateMac(const LoadedKey& key, MacAlgorithm algorithm,
                                std::string_view message);
// OkStatus when valid; errors::InvalidMac() (no message) when not.
Status VerifyMac(const LoadedKey& key, MacAlgorithm algorithm, std::string_view message,
                 std::string_view mac);

// ECDH with a KEY_AGREEMENT NIST ECC key; the raw shared secret.
Result<crypto::SecretBytes> DeriveSharedSecret(const LoadedKey& key,
                                               KeyAgreementAlgorithm algorithm,
                                               std::string_view peer_public_key_der);

}  // namespace gee::kms

// AES-256-GCM authenticated encryption with associated data (AAD).
//
// This is the one AEAD of gee: KMS symmetric ciphertexts, secrets sealed under
// the root key (store/root_key.h), and each segment of a streaming object
// (crypto/streaming_aead.h) all use it.
//
// Sealed format produced by Seal() and consumed by Open():
//
//   offset  size  field
//   0       12    nonce: 96 random bits drawn from the caller's Random for
//                 every call (never reused under a key with overwhelming
//                 probability up to ~2^32 messages per key)
//   12      n     ciphertext: AES-256 in counter mode, n == plaintext size
//   12+n    16    GCM authentication tag over (aad, ciphertext)
//
// so a sealed message is exactly plaintext size + 28 bytes. The AAD is not
// stored; Open must be given the same AAD byte for byte.
//
// Errors:
//   * Open of anything that is not an authentic sealing under this key and AAD
//     (any flipped bit in nonce, ciphertext, tag or AAD; wrong key; input
//     shorter than 28 bytes) fails with AuthenticationFailedError(): code
//     "InvalidCiphertextException", status 400. IsAuthenticationFailure()
//     recognises it. This is the KMS code for the same condition; services
//     that open their own stored rows must turn it into "InternalFailure".
//     No plaintext is ever returned or left in memory for a failed Open.
//   * Misuse (key not 32 bytes, nonce not 12 bytes) and OpenSSL failures are
//     "InternalFailure" / 500 with a message that names the step, never a
//     byte of key or plaintext.
//
// Thread-safety: free functions; their only shared state is the AES-256-GCM
// cipher object, fetched once and immutable. Safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::crypto {

inline constexpr size_t kAes256KeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;
// Bytes Seal adds to a plaintext: nonce + tag.
inline constexpr size_t kAeadOverhead = kGcmNonceSize + kGcmTagSize;

// Encrypts and authenticates `plaintext` and authenticates `aad` under `key`
// (32 bytes) with a fresh nonce from `random`. Returns nonce || ciphertext || tag.
Result<std::string> Seal(const SecretBytes& key, std::string_view plaintext,
                         std::string_view aad, Random& random);

// Inverse of Seal. Fails with AuthenticationFailedError() on any tamper.
Result<std::string> Open(const SecretBytes& key, std::string_view sealed,
                         std::string_view aad);

// As Open, for plaintexts that are themselves key material.
Result<SecretBytes> OpenSecret(const SecretBytes& key, std::string_view sealed,
                               std::string_view aad);

// Low-level forms with a caller-chosen nonce and no nonce in the output
// (ciphertext || tag). For constructions that derive nonces themselves
// (streaming AEAD) and for known-answer tests. A (key, nonce) pair must never
// be used for two different messages: doing so reveals the XOR of the
// plaintexts and lets an attacker forge tags.
Result<std::string> SealWithNonce(const SecretBytes& key,
                                  std::span<const uint8_t> nonce,
                                  std::string_view plaintext,
                                  std::string_view aad);
Result<std::string> OpenWithNonce(const SecretBytes& key,
                                  std::span<const uint8_t> nonce,
                                  std::string_view ciphertext_and_tag,
                                  std::string_view aad);

// The error every failed authentication returns.
AwsError AuthenticationFailedError();
// True for errors made by AuthenticationFailedError().
bool IsAuthenticationFailure(const AwsError& error);

}  // namespace gee::crypto

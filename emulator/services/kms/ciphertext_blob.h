// The CiphertextBlob of symmetric KMS encryption (Encrypt, GenerateDataKey*,
// ReEncrypt with a SYMMETRIC_DEFAULT key): the opaque bytes a client stores
// and later hands to Decrypt, which needs nothing else to find the key.
//
// Layout, version 1 (all integers big-endian):
//
//   offset      size  field
//   0           1     format version, 0x01
//   1           1     L = length of the key id, 1..64
//   2           L     key id, ASCII [0-9A-Za-z-] (a UUID or "mrk-" + 32 hex)
//   2+L         4     backing-key version V, 1..2^32-1: which version of the
//                     key's material sealed this blob, so rotated keys still
//                     decrypt old ciphertexts
//   6+L         12    AES-256-GCM nonce, random per blob
//   18+L        n     AES-256-GCM ciphertext, n == plaintext size, 1..4096
//   18+L+n      16    GCM tag
//
// The header (bytes 0 .. 6+L) is everything before the nonce. A blob is
// plaintext + 34 + L bytes: 70 bytes of overhead with a 36-character key id,
// 4166 bytes for a 4096-byte plaintext (KMS allows up to 6144).
//
// Key and associated data: the GCM key is the 32-byte material of version V
// of the key (key_material.h). The AAD is
//
//   "gee-kms-blob-v1" || header || CanonicalEncryptionContext(context)
//
// so the key id, the version and every context pair are authenticated: a
// blob moved to another key id or version, or opened with any other context
// (a pair missing, added, renamed or changed) fails authentication.
//
// Canonical encryption context (CanonicalEncryptionContext):
//
//   4 bytes     number of pairs N
//   N times, in ascending byte order of the key:
//     4 bytes   length of the key,   then the key bytes (UTF-8 as sent)
//     4 bytes   length of the value, then the value bytes
//
// Sorting makes pair order irrelevant ({"a":"1","b":"2"} == {"b":"2","a":"1"});
// the length prefixes keep boundaries ({"a":"bc"} != {"ab":"c"}); the empty
// context is the 4 bytes 00 00 00 00.
//
// Errors: every blob that is not exactly this layout (empty, truncated at any
// byte, a version other than 0x01, L out of range, key id characters outside
// the set, V == 0, ciphertext outside 1..4096 bytes, over 6144 bytes in all)
// and every authentication failure is errors::InvalidCiphertext(): code
// InvalidCiphertextException with an EMPTY message, as real KMS. Parsing
// never reads outside the input and never crashes on arbitrary bytes.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::kms {

// An EncryptionContext: ordered by key, so iteration is canonical order.
using EncryptionContext = std::map<std::string, std::string>;

inline constexpr uint8_t kCiphertextBlobVersion = 0x01;
inline constexpr size_t kMaxBlobKeyIdLength = 64;
// Header without the key id: version + key id length + backing-key version.
inline constexpr size_t kBlobFixedHeaderSize = 1 + 1 + 4;
// Bytes a blob adds to its plaintext besides the key id: header, nonce, tag.
inline constexpr size_t kBlobFixedOverhead = kBlobFixedHeaderSize + 12 + 16;

// A blob split into its fields (views into the parsed input, which must
// outlive this struct).
struct ParsedCiphertextBlob {
  std::string_view key_id;
  uint32_t key_version = 0;
  // Header bytes (0 .. 6+L), authenticated as AAD.
  std::string_view header;
  // Nonce || ciphertext || tag.
  std::string_view sealed;
};

// The canonical byte form of `context` described above.
std::string CanonicalEncryptionContext(const EncryptionContext& context);

// Splits and validates the layout (not the authentication). Fails with
// errors::InvalidCiphertext() for anything malformed.
Result<ParsedCiphertextBlob> ParseCiphertextBlob(std::string_view blob);

// The key id a blob names, for Decrypt without KeyId: the caller loads and
// authorizes that key before anything is decrypted. Same errors as Parse.
Result<std::string> PeekKeyId(std::string_view blob);

// Seals `plaintext` (1..4096 bytes) under version `key_version` of key
// `key_id` whose material is `key` (32 bytes), binding `context`. A plaintext
// outside 1..4096 bytes or a malformed key id / version is KMSInternalException
// (callers validate request sizes first).
Result<std::string> SealCiphertextBlob(const crypto::SecretBytes& key,
                                       std::string_view key_id, uint32_t key_version,
                                       std::string_view plaintext,
                                       const EncryptionContext& context, Random& random);

// Opens a parsed blob with the material of its key version and the caller's
// context. errors::InvalidCiphertext() on any mismatch.
Result<crypto::SecretBytes> OpenCiphertextBlob(const crypto::SecretBytes& key,
                                               const ParsedCiphertextBlob& blob,
                                               const EncryptionContext& context);

}  // namespace gee::kms

// The root key and the RootKeyring (a.k.a. the Sealer) that protects small
// secrets at rest with it: KMS key material, IAM secret access keys, STS
// session secrets.
//
// Root key file (`root.key` in the data directory, store/data_dir.h):
//   exactly 32 raw bytes, the AES-256 root key, and nothing else. Mode 0600,
//   owned by the user running gee. Created once from the CSPRNG, written to a
//   temporary file in the same directory, fsync'ed, then published with
//   link(2) (atomic like rename(2), but it never replaces a key another
//   process published at the same moment; the loser loads the winner's key)
//   and the directory fsync'ed. A file of any other size, not a regular file,
//   owned by someone else, or with any group/other permission bit is refused:
//   gee does not start.
//
// Sealed secret (the BLOB a service stores in its row):
//
//   offset  size  field
//   0       1     format version, 0x01
//   1       12    AES-256-GCM nonce (random per seal)
//   13      n     ciphertext of the n-byte secret
//   13+n    16    GCM tag
//
//   GCM associated data = "gee-root-seal-v1:" || label, where the label names
//   what the secret is and whose it is, e.g.
//   "kms-key-material:1234abcd-12ab-34cd-56ef-1234567890ab:1" (SecretLabel
//   builds them). The label is not stored: the reader supplies it from the
//   row's own identity, so a sealed value copied into another row, another
//   key version or another kind of secret fails to open.
//
// Errors: Open of a value that does not authenticate under the root key and
// label is "InternalFailure" / 500 (stored data was modified, moved, or the
// root key file was replaced); the message names the label, never a byte of
// the secret.
//
// Thread-safety: RootKeyring is immutable after Create; Seal and Open may be
// called from any thread (the Random it borrows must be thread-safe, as
// every gee::Random is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::store {

inline constexpr size_t kRootKeySize = 32;
inline constexpr uint8_t kSealedSecretVersion = 0x01;
// Bytes a sealed secret adds to the secret: version + nonce + tag.
inline constexpr size_t kSealedSecretOverhead = 1 + 12 + 16;

// Reads and validates an existing root key file (see above).
Result<crypto::SecretBytes> LoadRootKeyFile(const std::filesystem::path& path);

// Loads the root key file, or creates it from `random` when it does not
// exist. The directory must exist.
Result<crypto::SecretBytes> LoadOrCreateRootKeyFile(const std::filesystem::path& path,
                                                    Random& random);

// "kind:part1:part2..." with '%' and ':' in parts escaped as %25 and %3A, so
// distinct (kind, parts) never produce the same label.
std::string SecretLabel(std::string_view kind,
                        std::initializer_list<std::string_view> parts);

class RootKeyring {
 public:
  // `root_key` must be kRootKeySize bytes. `random` (nonces) must outlive the
  // keyring.
  static Result<std::unique_ptr<RootKeyring>> Create(crypto::SecretBytes root_key,
                                                     Random& random);

  RootKeyring(const RootKeyring&) = delete;
  RootKeyring& operator=(const RootKeyring&) = delete;

  // Seals `secret` for the row identified by `label`.
  Result<std::string> Seal(std::string_view label,
                           const crypto::SecretBytes& secret) const;
  // Opens a value made by Seal with the same label.
  Result<crypto::SecretBytes> Open(std::string_view label,
                                   std::string_view sealed) const;

 private:
  RootKeyring(crypto::SecretBytes root_key, Random& random)
      : root_key_(std::move(root_key)), random_(&random) {}

  crypto::SecretBytes root_key_;
  Random* random_;
};

}  // namespace gee::store

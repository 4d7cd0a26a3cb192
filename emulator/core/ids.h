// Identifier generators: request ids and KMS key ids (UUID v4), IAM unique ids
// and access key ids, secret access keys, hex ids. Every generator draws from
// an injected gee::Random, so tests get reproducible ids.
//
// Formats (what AWS issues, checked against published examples):
//   * UUID v4: 36 lower-case chars "xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx",
//     Y in [89ab] (RFC 4122 version 4, variant 10).
//   * IAM unique ids: prefix + 17 chars of [A-Z2-7] (21 chars in all), e.g.
//     "AIDACKCEVSQ6C2EXAMPLE": AIDA user, AROA role, ANPA managed policy.
//   * Access key ids: prefix + 16 chars of [A-Z2-7] (20 chars in all), e.g.
//     "AKIAIOSFODNN7EXAMPLE": AKIA long-term, ASIA temporary (STS).
//   * Secret access keys: 40 chars of [A-Za-z0-9+/].
//   * Hex ids: 2 * n lower-case hex digits from n random bytes.
// Characters are drawn without modulo bias (the alphabets have 32 and 64
// symbols; one random byte masked to 5 or 6 bits per character).
//
// Thread-safety: free functions; as thread-safe as the Random passed in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/random.h"
#include "crypto/secret_bytes.h"

namespace gee {

enum class AwsIdKind {
  kUser,                // AIDA + 17
  kRole,                // AROA + 17
  kPolicy,              // ANPA + 17
  kAccessKey,           // AKIA + 16
  kTemporaryAccessKey,  // ASIA + 16
};

inline constexpr size_t kUuidLength = 36;
inline constexpr size_t kSecretAccessKeyLength = 40;

std::string NewUuid(Random& random);
// True for the UUID format above (any version digit, lower- or upper-case hex).
bool IsUuid(std::string_view text);

std::string NewAwsId(AwsIdKind kind, Random& random);
// `prefix` followed by `length` chars of [A-Z2-7].
std::string NewPrefixedId(std::string_view prefix, size_t length, Random& random);

// The secret half of an access key. It is key material: it lives in
// SecretBytes (the SigV4 signing key is derived from it) and is stored only
// sealed (store/root_key.h).
crypto::SecretBytes NewSecretAccessKey(Random& random);

std::string NewHexId(size_t random_bytes, Random& random);

}  // namespace gee

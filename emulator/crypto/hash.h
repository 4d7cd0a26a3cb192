// Message digests and MACs over OpenSSL EVP: SHA-256 and SHA-1 (one-shot and
// incremental), HMAC-SHA256, lower-case hex encoding and constant-time
// comparison. SigV4, the aws-chunked decoder, S3 checksums and KMS reuse these.
//
// Every OpenSSL return code is checked; a failure (which in practice means
// memory exhaustion or a broken provider) is reported as an AwsError
// "InternalFailure" / 500 whose message names the failing call and never any
// input bytes.
//
// Thread-safety: the free functions are safe to call from any thread. A Hasher
// is a single-owner object: use it from one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

// OpenSSL's digest context, kept opaque so that <openssl/*.h> stays in .cc files.
struct evp_md_ctx_st;

namespace gee::crypto {

inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kSha1Size = 20;

using Sha256Digest = std::array<uint8_t, kSha256Size>;

enum class HashAlgorithm {
  kSha1,
  kSha256,
};

// Digest length in bytes of `algorithm`.
size_t DigestSize(HashAlgorithm algorithm);

// Bytes of a string as an unsigned span (no copy).
inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// One-shot SHA-256 of `data`.
Result<Sha256Digest> Sha256(std::span<const uint8_t> data);
Result<Sha256Digest> Sha256(std::string_view data);
// Lower-case hex of SHA-256(`data`) (64 characters).
Result<std::string> Sha256Hex(std::string_view data);

// Incremental digest: Create → Update* → Finish. After Finish the hasher is
// spent until Reset. Move-only; the OpenSSL context is freed on destruction.
class Hasher {
 public:
  static Result<Hasher> Create(HashAlgorithm algorithm);
  static Result<Hasher> CreateSha256() { return Create(HashAlgorithm::kSha256); }

  Hasher(Hasher&& other) noexcept;
  Hasher& operator=(Hasher&& other) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  ~Hasher();

  Status Update(std::span<const uint8_t> data);
  Status Update(std::string_view data) { return Update(AsBytes(data)); }
  // Returns the digest (DigestSize(algorithm()) bytes). Fails if already finished.
  Result<std::vector<uint8_t>> Finish();
  // Starts a new digest with the same algorithm.
  Status Reset();

  HashAlgorithm algorithm() const { return algorithm_; }

 private:
  Hasher(HashAlgorithm algorithm, evp_md_ctx_st* ctx) : algorithm_(algorithm), ctx_(ctx) {}

  HashAlgorithm algorithm_;
  evp_md_ctx_st* ctx_ = nullptr;
  bool finished_ = false;
};

// HMAC-SHA256 of `data` under `key`, written to `out`. Writing into a caller
// buffer lets derived key material (SigV4 signing keys) live in storage that
// wipes itself; `out` may alias `key`.
Status HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data,
                  std::span<uint8_t, kSha256Size> out);
// Convenience form for MACs that are not secret (signatures).
Result<Sha256Digest> HmacSha256(std::span<const uint8_t> key, std::string_view data);

// An HMAC-SHA256 key whose inner and outer padded key blocks are hashed once
// (RFC 2104), for a key that authenticates many messages (a SigV4 signing
// key): each MAC then costs two digest finals instead of re-keying OpenSSL's
// HMAC. The pad states live in OpenSSL digest contexts, wiped when freed.
//
// Thread-safety: Mac() may run concurrently; the states are only read.
class HmacSha256Key {
 public:
  static Result<HmacSha256Key> Create(std::span<const uint8_t> key);
  HmacSha256Key(HmacSha256Key&& other) noexcept;
  HmacSha256Key& operator=(HmacSha256Key&& other) noexcept;
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;
  ~HmacSha256Key();

  // HMAC-SHA256 of `data` under this key.
  Result<Sha256Digest> Mac(std::string_view data) const;

 private:
  HmacSha256Key(evp_md_ctx_st* inner, evp_md_ctx_st* outer) : inner_(inner), outer_(outer) {}
  evp_md_ctx_st* inner_ = nullptr;
  evp_md_ctx_st* outer_ = nullptr;
};

// Lower-case hex of `bytes`.
std::string HexEncode(std::span<const uint8_t> bytes);
std::string HexEncode(std::string_view bytes);
// Decodes hex (either case). nullopt for odd length or a non-hex character.
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex);

// Equality in time independent of where the inputs differ (CRYPTO_memcmp).
// Inputs of different lengths are unequal; the length itself is not secret.
bool ConstantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gee::crypto

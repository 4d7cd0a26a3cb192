#include "crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <utility>

namespace gee::crypto {
namespace {

AwsError OpenSslFailure(const char* call) {
  // Names the failing call only: inputs may be secrets.
  return AwsError("InternalFailure", std::string("internal cryptographic error (") + call + ")",
                  500);
}

// Digests and the HMAC implementation are fetched from the default provider
// once: OpenSSL 3 otherwise performs an implicit (locked, allocating) fetch on
// every EVP_sha256()/EVP_Q_mac call, which dominated SigV4 verification.
const EVP_MD* Md(HashAlgorithm algorithm) {
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  switch (algorithm) {
    case HashAlgorithm::kSha1:
      return sha1;
    case HashAlgorithm::kSha256:
      return sha256;
  }
  return nullptr;
}

// One keyed-on-demand HMAC-SHA256 context per thread, re-initialised with the
// key of each call.
class ThreadHmac {
 public:
  ThreadHmac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return;
    ctx_ = EVP_MAC_CTX_new(mac);
    if (ctx_ == nullptr) return;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      ctx_ = nullptr;
    }
  }
  ~ThreadHmac() { EVP_MAC_CTX_free(ctx_); }
  EVP_MAC_CTX* get() { return ctx_; }

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
};

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

size_t DigestSize(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha1:
      return kSha1Size;
    case HashAlgorithm::kSha256:
      return kSha256Size;
  }
  return 0;
}

Result<Sha256Digest> Sha256(std::span<const uint8_t> data) {
  // One digest context per thread, reused: allocating a context per call
  // costs more than hashing a typical request body.
  struct ThreadDigest {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~ThreadDigest() { EVP_MD_CTX_free(ctx); }
  };
  thread_local ThreadDigest digest;
  Sha256Digest out{};
  unsigned int len = 0;
  if (digest.ctx == nullptr ||
      EVP_DigestInit_ex2(digest.ctx, Md(HashAlgorithm::kSha256), nullptr) != 1 ||
      EVP_DigestUpdate(digest.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(digest.ctx, out.data(), &len) != 1 || len != kSha256Size) {
    return OpenSslFailure("SHA-256");
  }
  return out;
}

Result<Sha256Digest> Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

Result<std::string> Sha256Hex(std::string_view data) {
  GEE_ASSIGN_OR_RETURN(Sha256Digest digest, Sha256(data));
  return HexEncode(digest);
}

// ---- Hasher ----

Result<Hasher> Hasher::Create(HashAlgorithm algorithm) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return OpenSslFailure("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx, Md(algorithm), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return OpenSslFailure("EVP_DigestInit_ex");
  }
  return Hasher(algorithm, ctx);
}

Hasher::Hasher(Hasher&& other) noexcept
    : algorithm_(other.algorithm_),
      ctx_(std::exchange(other.ctx_, nullptr)),
      finished_(other.finished_) {}

Hasher& Hasher::operator=(Hasher&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    algorithm_ = other.algorithm_;
    ctx_ = std::exchange(other.ctx_, nullptr);
    finished_ = other.finished_;
  }
  return *this;
}

Hasher::~Hasher() { EVP_MD_CTX_free(ctx_); }

Status Hasher::Update(std::span<const uint8_t> data) {
  if (ctx_ == nullptr || finished_) {
    return AwsError("InternalFailure", "hasher used after Finish", 500);
  }
  if (data.empty()) return OkStatus();
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) {
    return OpenSslFailure("EVP_DigestUpdate");
  }
  return OkStatus();
}

Result<std::vector<uint8_t>> Hasher::Finish() {
  if (ctx_ == nullptr || finished_) {
    return AwsError("InternalFailure", "hasher used after Finish", 500);
  }
  std::vector<uint8_t> out(DigestSize(algorithm_));
  unsigned int len = 0;
  finished_ = true;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1 || len != out.size()) {
    return OpenSslFailure("EVP_DigestFinal_ex");
  }
  return out;
}

Status Hasher::Reset() {
  if (ctx_ == nullptr) return AwsError("InternalFailure", "hasher moved from", 500);
  if (EVP_DigestInit_ex(ctx_, Md(algorithm_), nullptr) != 1) {
    return OpenSslFailure("EVP_DigestInit_ex");
  }
  finished_ = false;
  return OkStatus();
}

// ---- HMAC ----

Status HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data,
                  std::span<uint8_t, kSha256Size> out) {
  // The tag is computed into a local first, so `out` may alias `key` (used
  // when chaining SigV4 key derivation in place) and a failure leaves `out`
  // intact.
  uint8_t tag[kSha256Size];
  size_t tag_len = 0;
  // A zero-length key is legal HMAC; give OpenSSL a valid pointer regardless.
  static const uint8_t kEmpty = 0;
  const uint8_t* key_ptr = key.empty() ? &kEmpty : key.data();
  const uint8_t* data_ptr = data.empty() ? &kEmpty : data.data();
  thread_local ThreadHmac hmac;
  EVP_MAC_CTX* ctx = hmac.get();
  if (ctx == nullptr || EVP_MAC_init(ctx, key_ptr, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, data_ptr, data.size()) != 1 ||
      EVP_MAC_final(ctx, tag, &tag_len, sizeof tag) != 1 || tag_len != kSha256Size) {
    OPENSSL_cleanse(tag, sizeof tag);
    return OpenSslFailure("HMAC-SHA256");
  }
  std::memcpy(out.data(), tag, kSha256Size);
  OPENSSL_cleanse(tag, sizeof tag);
  return OkStatus();
}

Result<Sha256Digest> HmacSha256(std::span<const uint8_t> key, std::string_view data) {
  Sha256Digest out{};
  GEE_RETURN_IF_ERROR(HmacSha256(key, AsBytes(data), std::span<uint8_t, kSha256Size>(out)));
  return out;
}

// ---- HmacSha256Key ----

Result<HmacSha256Key> HmacSha256Key::Create(std::span<const uint8_t> key) {
  constexpr size_t kBlock = 64;  // SHA-256 block size
  // Keys longer than a block are replaced by their digest (RFC 2104).
  Sha256Digest hashed{};
  if (key.size() > kBlock) {
    GEE_ASSIGN_OR_RETURN(hashed, Sha256(key));
    key = hashed;
  }
  uint8_t inner_pad[kBlock];
  uint8_t outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    const uint8_t k = i < key.size() ? key[i] : 0;
    inner_pad[i] = k ^ 0x36;
    outer_pad[i] = k ^ 0x5c;
  }
  HmacSha256Key out(EVP_MD_CTX_new(), EVP_MD_CTX_new());
  const EVP_MD* md = Md(HashAlgorithm::kSha256);
  const bool ok = out.inner_ != nullptr && out.outer_ != nullptr &&
                  EVP_DigestInit_ex2(out.inner_, md, nullptr) == 1 &&
                  EVP_DigestUpdate(out.inner_, inner_pad, kBlock) == 1 &&
                  EVP_DigestInit_ex2(out.outer_, md, nullptr) == 1 &&
                  EVP_DigestUpdate(out.outer_, outer_pad, kBlock) == 1;
  OPENSSL_cleanse(inner_pad, kBlock);
  OPENSSL_cleanse(outer_pad, kBlock);
  OPENSSL_cleanse(hashed.data(), hashed.size());
  if (!ok) return OpenSslFailure("HMAC-SHA256 key");
  return out;
}

HmacSha256Key::HmacSha256Key(HmacSha256Key&& other) noexcept
    : inner_(std::exchange(other.inner_, nullptr)), outer_(std::exchange(other.outer_, nullptr)) {}

HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
    inner_ = std::exchange(other.inner_, nullptr);
    outer_ = std::exchange(other.outer_, nullptr);
  }
  return *this;
}

HmacSha256Key::~HmacSha256Key() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

Result<Sha256Digest> HmacSha256Key::Mac(std::string_view data) const {
  struct Scratch {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Scratch() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Scratch scratch;
  Sha256Digest inner_hash{};
  Sha256Digest out{};
  unsigned int len = 0;
  unsigned int outer_len = 0;
  const bool ok = inner_ != nullptr && scratch.ctx != nullptr &&
                  EVP_MD_CTX_copy_ex(scratch.ctx, inner_) == 1 &&
                  EVP_DigestUpdate(scratch.ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(scratch.ctx, inner_hash.data(), &len) == 1 &&
                  EVP_MD_CTX_copy_ex(scratch.ctx, outer_) == 1 &&
                  EVP_DigestUpdate(scratch.ctx, inner_hash.data(), inner_hash.size()) == 1 &&
                  EVP_DigestFinal_ex(scratch.ctx, out.data(), &outer_len) == 1 &&
                  len == kSha256Size && outer_len == kSha256Size;
  OPENSSL_cleanse(inner_hash.data(), inner_hash.size());
  if (!ok) return OpenSslFailure("HMAC-SHA256");
  return out;
}

// ---- Hex and comparison ----

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0f]);
  }
  return out;
}

std::string HexEncode(std::string_view bytes) { return HexEncode(AsBytes(bytes)); }

std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>((hi << 4) | lo));
  }
  return out;
}

bool ConstantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return ConstantTimeEquals(AsBytes(a), AsBytes(b));
}

}  // namespace gee::crypto

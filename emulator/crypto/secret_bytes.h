// SecretBytes: an owning, fixed-size buffer for key material (root key, KMS
// key material, data keys, secret access keys).
//
// The bytes are wiped with OPENSSL_cleanse when the buffer is destroyed, when
// it is move-assigned over, and by Clear(). Moving transfers the allocation
// (no copy of the bytes is left behind); copying is explicit (Clone()). There
// is deliberately no conversion to std::string: reading the bytes as a string
// view (AsStringView) is an explicit, greppable act, and the caller must not
// keep a copy in a std::string, a log line or an error message. Equality is
// constant-time (CRYPTO_memcmp) for equal sizes.
//
// Thread-safety: a plain value; const methods may be called concurrently,
// mutation needs external synchronisation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/random.h"

namespace gee::crypto {

class SecretBytes {
 public:
  // An empty buffer.
  SecretBytes() = default;
  // `size` zero bytes.
  explicit SecretBytes(size_t size);
  // `size` bytes drawn from `random`.
  static SecretBytes FromRandom(size_t size, Random& random);
  // A copy of `bytes`. The caller remains responsible for wiping its source.
  static SecretBytes CopyOf(std::string_view bytes);
  static SecretBytes CopyOf(std::span<const uint8_t> bytes);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  // An explicit copy of the bytes.
  SecretBytes Clone() const;

  // Wipes the bytes and releases the buffer; afterwards size() == 0.
  void Clear();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  std::span<const uint8_t> span() const { return {data_.get(), size_}; }
  std::span<uint8_t> mutable_span() { return {data_.get(), size_}; }

  // A view of the bytes for APIs that take std::string_view (base64 encoding
  // of a data key for a client, HMAC keys). Valid while *this is alive and
  // unmodified. Never copy the result into a std::string that outlives the
  // request, a log line or an error.
  std::string_view AsStringView() const {
    return {reinterpret_cast<const char*>(data_.get()), size_};
  }

  // Constant-time in the contents; sizes are compared first (not secret).
  bool Equals(const SecretBytes& other) const;
  friend bool operator==(const SecretBytes& a, const SecretBytes& b) {
    return a.Equals(b);
  }

 private:
  struct Deleter {
    size_t size;
    void operator()(uint8_t* p) const;
  };
  std::unique_ptr<uint8_t[], Deleter> data_{nullptr, Deleter{0}};
  size_t size_ = 0;
};

}  // namespace gee::crypto

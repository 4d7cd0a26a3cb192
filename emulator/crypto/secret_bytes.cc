#include "crypto/secret_bytes.h"

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

namespace gee::crypto {

void SecretBytes::Deleter::operator()(uint8_t* p) const {
  if (p == nullptr) return;
  OPENSSL_cleanse(p, size);
  delete[] p;
}

SecretBytes::SecretBytes(size_t size)
    : data_(size == 0 ? nullptr : new uint8_t[size](), Deleter{size}),
      size_(size) {}

SecretBytes SecretBytes::FromRandom(size_t size, Random& random) {
  SecretBytes out(size);
  if (size > 0) random.Fill(out.data(), size);
  return out;
}

SecretBytes SecretBytes::CopyOf(std::string_view bytes) {
  SecretBytes out(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

SecretBytes SecretBytes::CopyOf(std::span<const uint8_t> bytes) {
  SecretBytes out(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {
  other.data_ = {nullptr, Deleter{0}};
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    // unique_ptr's move assignment runs the deleter (which wipes) on our old
    // buffer before taking the other's.
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    other.data_ = {nullptr, Deleter{0}};
  }
  return *this;
}

SecretBytes::~SecretBytes() = default;

SecretBytes SecretBytes::Clone() const { return CopyOf(span()); }

void SecretBytes::Clear() {
  data_.reset();
  size_ = 0;
}

bool SecretBytes::Equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return CRYPTO_memcmp(data_.get(), other.data_.get(), size_) == 0;
}

}  // namespace gee::crypto

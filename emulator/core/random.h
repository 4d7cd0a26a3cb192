// Source of random bytes for ids, data keys, nonces and key material.
// Production uses OpenSSL's CSPRNG (crypto/openssl_random.h); tests may inject
// a DeterministicRandom so ids and ciphertexts are reproducible.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace gee {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out[0..n)` with random bytes. Never fails (a CSPRNG failure aborts).
  virtual void Fill(uint8_t* out, size_t n) = 0;

  std::string Bytes(size_t n) {
    std::string s(n, '\0');
    Fill(reinterpret_cast<uint8_t*>(s.data()), n);
    return s;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Fill(reinterpret_cast<uint8_t*>(&v), sizeof v);
    return v;
  }
};

// Reproducible stream (splitmix64). Not for production key material.
class DeterministicRandom final : public Random {
 public:
  explicit DeterministicRandom(uint64_t seed) : state_(seed) {}
  void Fill(uint8_t* out, size_t n) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < n; ++i) {
      if (i % 8 == 0) word_ = Next();
      out[i] = static_cast<uint8_t>(word_ >> ((i % 8) * 8));
    }
  }

 private:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::mutex mu_;
  uint64_t state_;
  uint64_t word_ = 0;
};

}  // namespace gee

// OpenSslRandom: the production gee::Random, backed by OpenSSL's CSPRNG
// (RAND_bytes, which seeds itself from the operating system).
//
// Failure policy: RAND_bytes failing means the process cannot produce keys,
// nonces or ids safely. Random::Fill has no error channel by design, so Fill
// prints a one-line reason (never any bytes) to stderr and calls std::abort().
// Continuing with weak randomness would be worse than stopping.
//
// Draws of up to 64 bytes are served from a per-thread block of 512 bytes of
// RAND_bytes output (each byte handed out once and wiped as it goes; a forked
// child discards its parent's block); larger draws call RAND_bytes directly.
//
// Thread-safety: safe to call from any thread (the block is per thread, and
// OpenSSL 3's default DRBG is per-thread).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/random.h"

namespace gee::crypto {

class OpenSslRandom final : public Random {
 public:
  // Aborts the process if the CSPRNG fails (see above).
  void Fill(uint8_t* out, size_t n) override;
};

}  // namespace gee::crypto

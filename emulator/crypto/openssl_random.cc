#include "crypto/openssl_random.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gee::crypto {
namespace {

// Bumped in the child after fork(): a child must never hand out bytes its
// parent also buffered.
std::atomic<uint64_t> fork_generation{0};

void DrawDirect(uint8_t* out, size_t n) {
  // RAND_bytes takes an int length; draw large requests in chunks.
  while (n > 0) {
    const size_t chunk = std::min<size_t>(n, INT_MAX);
    if (RAND_bytes(out, static_cast<int>(chunk)) != 1) {
      const unsigned long err = ERR_get_error();
      char reason[256] = "unknown error";
      if (err != 0) ERR_error_string_n(err, reason, sizeof reason);
      std::fprintf(stderr, "gee: fatal: OpenSSL RAND_bytes failed (%s); aborting\n",
                   reason);
      std::abort();
    }
    out += chunk;
    n -= chunk;
  }
}

// Small draws (request ids, nonces, ids) are served from a per-thread block
// of CSPRNG output: one RAND_bytes call costs about as much as AES-GCM over
// a kilobyte, whatever the size asked for. Served bytes are wiped from the
// block at once, so each byte is handed out once.
class ThreadPool {
 public:
  static constexpr size_t kBlock = 512;
  static constexpr size_t kLargestPooled = 64;

  ThreadPool() {
    static const bool registered = [] {
      pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
      return true;
    }();
    (void)registered;
  }
  ~ThreadPool() { OPENSSL_cleanse(block_, sizeof block_); }

  void Take(uint8_t* out, size_t n) {
    const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_ || left_ < n) {
      OPENSSL_cleanse(block_, sizeof block_);
      DrawDirect(block_, kBlock);
      left_ = kBlock;
      generation_ = generation;
    }
    uint8_t* from = block_ + (kBlock - left_);
    std::memcpy(out, from, n);
    OPENSSL_cleanse(from, n);
    left_ -= n;
  }

 private:
  uint8_t block_[kBlock] = {};
  size_t left_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace

void OpenSslRandom::Fill(uint8_t* out, size_t n) {
  if (n == 0) return;
  if (n > ThreadPool::kLargestPooled) return DrawDirect(out, n);
  thread_local ThreadPool pool;
  pool.Take(out, n);
}

}  // namespace gee::crypto

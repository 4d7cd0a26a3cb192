#include "crypto/openssl_random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace gee::crypto {

void OpenSslRandom::Fill(uint8_t* out, size_t n) {
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

}  // namespace gee::crypto

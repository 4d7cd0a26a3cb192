// Byte helpers for tests: hex literals for known-answer vectors and a Random
// that replays scripted bytes (to pin nonces in known-answer tests).
//
// Thread-safety: ScriptedRandom is for one test thread.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.h"

namespace gee::testing {

// Decodes a hex literal; a malformed literal fails the current test.
inline std::string Unhex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  if (hex.size() % 2 != 0) {
    ADD_FAILURE() << "odd-length hex literal";
    return out;
  }
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      ADD_FAILURE() << "bad hex digit in literal";
      return out;
    }
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

inline std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// Returns the scripted bytes in order; asking for more than scripted fails
// the test (and yields zeros).
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::string bytes) : bytes_(std::move(bytes)) {}
  void Fill(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      if (pos_ < bytes_.size()) {
        out[i] = static_cast<uint8_t>(bytes_[pos_++]);
      } else {
        ADD_FAILURE() << "ScriptedRandom ran out of bytes";
        out[i] = 0;
      }
    }
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

}  // namespace gee::testing

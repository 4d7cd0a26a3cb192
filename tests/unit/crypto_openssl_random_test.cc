#include "crypto/openssl_random.h"

#include <gtest/gtest.h>

#include <string>

namespace gee::crypto {
namespace {

TEST(OpenSslRandomTest, FillProducesDistinctDraws) {
  OpenSslRandom random;
  // Two 32-byte draws collide with probability 2^-256.
  EXPECT_NE(random.Bytes(32), random.Bytes(32));
}

TEST(OpenSslRandomTest, FillOverwritesBothEndsOfTheBuffer) {
  OpenSslRandom random;
  // 32 bytes left at 0xAA by a real draw: probability 2^-256.
  std::string buffer(4096, '\xAA');
  random.Fill(reinterpret_cast<uint8_t*>(buffer.data()), buffer.size());
  EXPECT_NE(buffer.substr(0, 32), std::string(32, '\xAA'));
  EXPECT_NE(buffer.substr(4096 - 32), std::string(32, '\xAA'));
}

}  // namespace
}  // namespace gee::crypto

#include "crypto/openssl_random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
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

TEST(OpenSslRandomTest, SmallDrawsAcrossBlockRefillsNeverRepeat) {
  OpenSslRandom random;
  // 12-byte draws (nonce-sized) through several 512-byte blocks: any repeat
  // would mean a byte range was handed out twice.
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(seen.insert(random.Bytes(12)).second) << i;
}

TEST(OpenSslRandomTest, ForkedChildDoesNotReuseTheParentsBufferedBytes) {
  OpenSslRandom random;
  (void)random.Bytes(12);  // the parent now holds a partly used block
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string child = random.Bytes(16);
    ::write(fds[1], child.data(), child.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  const std::string parent = random.Bytes(16);
  std::string child(16, '\0');
  ASSERT_EQ(::read(fds[0], child.data(), child.size()), 16);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_NE(child, parent);
}

}  // namespace
}  // namespace gee::crypto

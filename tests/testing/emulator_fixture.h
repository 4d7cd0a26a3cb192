// Integration-test fixture: a real gee Emulator on an ephemeral loopback port
// with in-memory state, a ManualClock and a DeterministicRandom, and signing
// clients that talk real HTTP to it.
//
//   class KmsApiTest : public gee::testing::EmulatorTest {};
//   TEST_F(KmsApiTest, CreateKeyReturnsArn) {
//     auto r = Root().Json("kms", "CreateKey", {});
//     ASSERT_THAT(r, IsOk());   // matchers from tests/testing/matchers.h
//   }
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/random.h"
#include "emulator.h"
#include "harness/client/aws_client.h"
#include "tests/testing/matchers.h"

namespace gee::testing {

// 2026-01-01T00:00:00Z: the time every integration test starts at.
inline constexpr int64_t kTestEpochSeconds = 1767225600;

class EmulatorTest : public ::testing::Test {
 protected:
  EmulatorTest();
  ~EmulatorTest() override;

  void SetUp() override;
  void TearDown() override;

  // Override to change the configuration before the emulator starts.
  virtual void Configure(Config& config) {}

  // A client signing as the account root (test/test).
  harness::AwsClient& Root();
  // A new client with other credentials (same endpoint and clock).
  std::unique_ptr<harness::AwsClient> ClientFor(harness::Credentials credentials,
                                                const std::string& region = "us-east-1",
                                                const Clock* clock = nullptr);

  Emulator& emulator() { return *emulator_; }
  ManualClock& clock() { return clock_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  ManualClock clock_;
  DeterministicRandom random_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<harness::AwsClient> root_;
  std::string endpoint_;
};

}  // namespace gee::testing

#include "tests/testing/emulator_fixture.h"

#include <cstdlib>

namespace gee::testing {

EmulatorTest::EmulatorTest() : clock_(kTestEpochSeconds * 1000000), random_(20260101) {}
EmulatorTest::~EmulatorTest() = default;

void EmulatorTest::SetUp() {
  EmulatorOptions options;
  options.config.ephemeral = true;
  options.config.server.port = 0;
  options.config.server.threads = 2;
  options.config.access_log = std::getenv("GEE_TEST_ACCESS_LOG") != nullptr;
  Configure(options.config);
  options.clock = &clock_;
  options.random = &random_;
  auto emulator = Emulator::Create(std::move(options));
  ASSERT_TRUE(emulator.ok()) << emulator.error().message;
  emulator_ = std::move(emulator).value();
  Status started = emulator_->Start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  endpoint_ = emulator_->endpoint();
  root_ = std::make_unique<harness::AwsClient>(endpoint_, harness::Credentials{"test", "test", ""},
                                               "us-east-1", &clock_);
}

void EmulatorTest::TearDown() {
  root_.reset();
  if (emulator_) emulator_->Stop();
  emulator_.reset();
}

harness::AwsClient& EmulatorTest::Root() { return *root_; }

std::unique_ptr<harness::AwsClient> EmulatorTest::ClientFor(harness::Credentials credentials,
                                                            const std::string& region,
                                                            const Clock* clock) {
  return std::make_unique<harness::AwsClient>(endpoint_, std::move(credentials), region,
                                              clock != nullptr ? clock : &clock_);
}

}  // namespace gee::testing

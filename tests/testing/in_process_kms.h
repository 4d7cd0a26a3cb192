// Fixture for in-process KMS tests: an ephemeral emulator with a manual clock
// and a deterministic random source, and Call(), which runs one operation as
// a principal through Service::Invoke (validation, resolver, authorization,
// handler; no HTTP) and records the authorization decisions it made.
//
// Thread-safety: one test thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/environment.h"
#include "core/random.h"
#include "crypto/encoding.h"
#include "emulator.h"
#include "services/service.h"

namespace gee::testing {

class InProcessKmsTest : public ::testing::Test {
 public:
  // The account of every principal the fixture makes.
  static constexpr char kAccount[] = "000000000000";

 protected:
  using Json = nlohmann::json;

  explicit InProcessKmsTest(uint64_t seed = 42) : clock_(1767225600LL * 1000000), random_(seed) {}

  void SetUp() override {
    EmulatorOptions options;
    options.config.ephemeral = true;
    options.config.access_log = false;
    options.clock = &clock_;
    options.random = &random_;
    auto emulator = Emulator::Create(std::move(options));
    ASSERT_TRUE(emulator.ok()) << emulator.error().message;
    emulator_ = std::move(emulator).value();
    kms_ = emulator_->env().FindService("kms");
    ASSERT_NE(kms_, nullptr);
  }

  // Runs `operation` as `principal`; decisions_ holds the decisions it made.
  Result<Json> Call(const std::string& operation, const Json& input,
                    const Principal& principal = RootPrincipal(kAccount)) {
    decisions_.clear();
    RequestContext ctx = emulator_->env().NewContext(principal, "us-east-1");
    ctx.decisions = &decisions_;
    return kms_->Invoke(ctx, operation, input);
  }

  // Creates a key as the root and returns its ARN ("" and a failure on error).
  std::string CreateKey(const Json& input = Json::object()) {
    auto r = Call("CreateKey", input);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? (*r)["KeyMetadata"]["Arn"].get<std::string>() : "";
  }

  // An IAM user of the account (no identity policies).
  static Principal User(const std::string& name) {
    Principal p;
    p.type = PrincipalType::kUser;
    p.account = kAccount;
    p.arn = std::string("arn:aws:iam::") + kAccount + ":user/" + name;
    p.name = name;
    return p;
  }

  static std::string B64(std::string_view s) { return crypto::Base64Encode(s); }

  ManualClock clock_;
  DeterministicRandom random_;
  std::unique_ptr<Emulator> emulator_;
  Service* kms_ = nullptr;
  std::vector<std::string> decisions_;
};

}  // namespace gee::testing

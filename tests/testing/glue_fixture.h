// In-process fixture for Glue tests: an Environment over an in-memory store
// with an InMemoryIdentityPolicyProvider (identity policies per user/role ARN,
// so authorization can be tested without the IAM service), a GlueService, and
// helpers to invoke operations as any principal through Service::Invoke (the
// same validation → authorization → handler path as HTTP requests).
//
// `FakeGlueKms` stands in for KMS in tests of GlueCrypto's own logic: it
// records the contexts of calls and can be told to fail. Tests of KMS
// authorization use the real KMS service.
//
// Thread-safety: one test thread.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "auth/policy/policy_cache.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/environment.h"
#include "core/random.h"
#include "services/glue/glue_kms.h"
#include "services/glue/glue_service.h"
#include "store/data_dir.h"

namespace gee::testing {

inline constexpr char kGlueTestAccount[] = "000000000000";
inline constexpr char kGlueTestRegion[] = "us-east-1";

class FakeGlueKms final : public glue::GlueKms {
 public:
  struct CallRecord {
    std::string operation;
    std::string key_id;
    std::string principal_arn;
    std::string via_service;
    std::vector<std::string> called_via;
  };

  explicit FakeGlueKms(Random& random) : random_(random) {}

  Result<kms::GeneratedDataKey> GenerateDataKey(RequestContext& ctx,
                                                std::string_view key_id) override;
  Result<kms::DecryptedData> Decrypt(RequestContext& ctx,
                                     std::string_view ciphertext_blob) override;
  Result<std::pair<std::string, std::string>> Encrypt(RequestContext& ctx,
                                                      std::string_view key_id,
                                                      std::string_view plaintext) override;

  // Every call fails with `error` from now on (nullopt: calls succeed).
  void FailWith(std::optional<AwsError> error) { error_ = std::move(error); }
  const std::vector<CallRecord>& calls() const { return calls_; }
  // The ARN the fake reports for `key_id` (aliases map to a fixed key).
  static std::string ArnFor(std::string_view key_id);

 private:
  Random& random_;
  std::optional<AwsError> error_;
  std::vector<CallRecord> calls_;
};

class GlueFixture : public ::testing::Test {
 protected:
  GlueFixture();
  ~GlueFixture() override;

  void SetUp() override;

  // A principal of the test account.
  static Principal User(const std::string& name);
  static Principal Session(const std::string& role, const std::string& session);
  // Gives `principal` (its role for sessions) these identity policy documents.
  void SetPolicies(const Principal& principal, const std::vector<std::string>& documents);

  // Invokes a Glue operation as `principal` (default: the account root).
  Result<nlohmann::json> Glue(const std::string& operation, const nlohmann::json& input);
  Result<nlohmann::json> GlueAs(const Principal& principal, const std::string& operation,
                                const nlohmann::json& input);
  // Invokes any registered service's operation as `principal`.
  Result<nlohmann::json> Call(const Principal& principal, const std::string& service,
                              const std::string& operation, const nlohmann::json& input);

  // Whether Glue uses the emulator's real KMS service (registered by SetUp)
  // instead of FakeGlueKms. Set in a subclass constructor.
  bool real_kms_ = false;

  Environment& env() { return *env_; }
  glue::GlueService& glue() { return *glue_; }
  // Null when real_kms_ is set.
  FakeGlueKms* fake_kms() { return fake_kms_; }
  store::Database& db() { return data_->database(); }
  ManualClock& clock() { return clock_; }
  Random& random() { return random_; }
 private:
  Config config_;
  ManualClock clock_;
  DeterministicRandom random_;
  std::unique_ptr<store::DataDir> data_;
  policy::PolicyCache cache_;
  InMemoryIdentityPolicyProvider provider_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<CredentialStore> credentials_;
  std::unique_ptr<Environment> env_;
  std::vector<std::unique_ptr<Service>> services_;
  std::unique_ptr<glue::GlueService> glue_;
  FakeGlueKms* fake_kms_ = nullptr;
};

}  // namespace gee::testing

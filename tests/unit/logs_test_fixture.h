// Fixture for the CloudWatch Logs unit tests: a LogsService on an in-memory
// store with a real Environment (authorizer with in-memory identity
// policies, ManualClock, DeterministicRandom) and a FakeKms that records
// every call Logs makes to KMS.
//
// FakeKms is a test double of the KMS side only: it gives the logs service
// principal data keys of a key when the test allowed that principal on that
// key, really encrypts the data key (AES-256-GCM bound to the encryption
// context), and fails like KMS for missing, disabled or asymmetric keys. The
// real KMS (key policies, grants) is exercised by the integration tests.
//
// Thread-safety: one test thread.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "auth/policy/policy_cache.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/environment.h"
#include "core/random.h"
#include "crypto/aead.h"
#include "services/logs/logs_service.h"
#include "store/data_dir.h"
#include "store/migrations.h"
#include "tests/testing/matchers.h"

namespace gee::logs::testing {

inline constexpr char kAccount[] = "000000000000";
inline constexpr char kRegion[] = "us-east-1";
// 2026-01-01T00:00:00Z
inline constexpr int64_t kStartMs = 1767225600000;

inline std::string KeyArn(int n) {
  return "arn:aws:kms:us-east-1:000000000000:key/0000000" + std::to_string(n) +
         "-0000-4000-8000-000000000000";
}

class FakeKms final : public KmsAccess {
 public:
  struct Call {
    std::string operation;
    std::string principal;
    std::string key_id;
    kms::EncryptionContextMap context;
    std::string source_arn;
    std::string source_account;
  };

  explicit FakeKms(Random& random) : random_(random) {}

  // A symmetric key usable by the principals in `allowed`.
  void AddKey(const std::string& arn, std::set<std::string> allowed) {
    Key k;
    k.material = crypto::SecretBytes::FromRandom(32, random_);
    k.allowed = std::move(allowed);
    keys_[arn] = std::move(k);
  }
  void AddAsymmetricKey(const std::string& arn, std::set<std::string> allowed) {
    AddKey(arn, std::move(allowed));
    keys_[arn].symmetric = false;
  }
  void SetEnabled(const std::string& arn, bool enabled) { keys_[arn].enabled = enabled; }
  void SetAllowed(const std::string& arn, std::set<std::string> allowed) {
    keys_[arn].allowed = std::move(allowed);
  }

  const std::vector<Call>& calls() const { return calls_; }
  int Count(const std::string& operation) const {
    int n = 0;
    for (const Call& c : calls_) n += c.operation == operation ? 1 : 0;
    return n;
  }

  Result<kms::GeneratedDataKey> GenerateDataKey(
      RequestContext& ctx, std::string_view key_id,
      const kms::EncryptionContextMap& context) override {
    Record("GenerateDataKey", ctx, key_id, context);
    GEE_ASSIGN_OR_RETURN(Key * key, Usable(ctx, key_id, "kms:GenerateDataKey"));
    kms::GeneratedDataKey out;
    out.key_arn = std::string(key_id);
    out.plaintext = crypto::SecretBytes::FromRandom(32, random_);
    GEE_ASSIGN_OR_RETURN(std::string sealed,
                         crypto::Seal(key->material, out.plaintext.AsStringView(), Aad(context),
                                      random_));
    out.ciphertext_blob = std::string(key_id) + "|" + sealed;
    return out;
  }

  Result<kms::DecryptedData> Decrypt(RequestContext& ctx, std::string_view ciphertext_blob,
                                     const kms::EncryptionContextMap& context,
                                     std::string_view key_id) override {
    Record("Decrypt", ctx, key_id, context);
    size_t bar = ciphertext_blob.find('|');
    if (bar == std::string_view::npos || ciphertext_blob.substr(0, bar) != key_id) {
      return AwsError("InvalidCiphertextException", "");
    }
    GEE_ASSIGN_OR_RETURN(Key * key, Usable(ctx, key_id, "kms:Decrypt"));
    auto plaintext =
        crypto::OpenSecret(key->material, ciphertext_blob.substr(bar + 1), Aad(context));
    if (!plaintext.ok()) return AwsError("InvalidCiphertextException", "");
    kms::DecryptedData out;
    out.key_arn = std::string(key_id);
    out.plaintext = std::move(plaintext).value();
    return out;
  }

 private:
  struct Key {
    crypto::SecretBytes material;
    std::set<std::string> allowed;
    bool enabled = true;
    bool symmetric = true;
  };

  static std::string Aad(const kms::EncryptionContextMap& context) {
    std::string aad;
    for (const auto& [k, v] : context) aad += k + "=" + v + ";";
    return aad;
  }

  void Record(const std::string& op, const RequestContext& ctx, std::string_view key_id,
              const kms::EncryptionContextMap& context) {
    calls_.push_back(Call{op, ctx.principal.arn, std::string(key_id), context, ctx.source_arn,
                          ctx.source_account});
  }

  Result<Key*> Usable(const RequestContext& ctx, std::string_view key_id,
                      const std::string& action) {
    auto it = keys_.find(std::string(key_id));
    if (it == keys_.end()) {
      return AwsError("NotFoundException", "Key '" + std::string(key_id) + "' does not exist");
    }
    if (it->second.allowed.count(ctx.principal.arn) == 0) {
      return AwsError("AccessDeniedException", "User: " + ctx.principal.arn +
                                                   " is not authorized to perform: " + action);
    }
    if (!it->second.enabled) {
      return AwsError("DisabledException", std::string(key_id) + " is disabled.");
    }
    if (!it->second.symmetric) return AwsError("InvalidKeyUsageException", "asymmetric");
    return &it->second;
  }

  Random& random_;
  std::map<std::string, Key> keys_;
  std::vector<Call> calls_;
};

inline Principal User(const std::string& name) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = kAccount;
  p.name = name;
  p.arn = std::string("arn:aws:iam::") + kAccount + ":user/" + name;
  p.user_id = "AIDA" + name + "EXAMPLE00000";
  return p;
}

class LogsServiceTest : public ::testing::Test {
 protected:
  static constexpr char kLogsPrincipal[] = "logs.us-east-1.amazonaws.com";

  LogsServiceTest() : clock_(kStartMs * 1000), random_(20260101) {}

  void SetUp() override {
    auto data = store::DataDir::OpenEphemeral(random_);
    ASSERT_TRUE(data.ok()) << data.error().message;
    data_ = std::move(data).value();
    authorizer_ = std::make_unique<Authorizer>(&policies_, &policy_cache_);
    credentials_ = std::make_unique<CredentialStore>(kAccount, "test", "test");
    env_ = std::make_unique<Environment>(config_, clock_, random_, data_->database(),
                                         data_->keyring(), *authorizer_, *credentials_);
    auto kms = std::make_unique<FakeKms>(random_);
    kms_ = kms.get();
    logs_ = std::make_unique<LogsService>(*env_, std::move(kms), Options());
    env_->Register(logs_.get());
    Status migrated = store::Migrate(data_->database(), logs_->Migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  virtual LogsOptions Options() { return {}; }

  // Invokes `operation` as the account root (or `principal`).
  Result<Json> Call(std::string_view operation, const Json& input) {
    return CallAs(RootPrincipal(kAccount), operation, input);
  }
  Result<Json> CallAs(const Principal& principal, std::string_view operation,
                      const Json& input, const std::string& region = kRegion) {
    RequestContext ctx = env_->NewContext(principal, region);
    return logs_->Invoke(ctx, operation, input);
  }

  // Verb helpers (fail the test on error).
  void CreateGroup(const std::string& name, const std::string& kms_key = "") {
    Json input = {{"logGroupName", name}};
    if (!kms_key.empty()) input["kmsKeyId"] = kms_key;
    auto r = Call("CreateLogGroup", input);
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  }
  void CreateStream(const std::string& group, const std::string& stream) {
    auto r = Call("CreateLogStream", {{"logGroupName", group}, {"logStreamName", stream}});
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  }
  Result<Json> Put(const std::string& group, const std::string& stream,
                   const std::vector<std::pair<int64_t, std::string>>& events) {
    Json list = Json::array();
    for (const auto& [ts, msg] : events) list.push_back({{"timestamp", ts}, {"message", msg}});
    return Call("PutLogEvents",
                {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", list}});
  }
  // Messages of a GetLogEvents response.
  static std::vector<std::string> Messages(const Json& response) {
    std::vector<std::string> out;
    for (const Json& e : response.at("events")) out.push_back(e.at("message").get<std::string>());
    return out;
  }
  void Allow(const Principal& who, const std::string& policy) {
    PrincipalPolicies p;
    p.identity.push_back({"user/" + who.name + " inline test", policy});
    policies_.Set(who.arn, std::move(p));
  }
  int64_t NowMs() const { return clock_.NowMillis(); }

  Config config_;
  ManualClock clock_;
  DeterministicRandom random_;
  std::unique_ptr<store::DataDir> data_;
  InMemoryIdentityPolicyProvider policies_;
  policy::PolicyCache policy_cache_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<CredentialStore> credentials_;
  std::unique_ptr<Environment> env_;
  FakeKms* kms_ = nullptr;
  std::unique_ptr<LogsService> logs_;
};

}  // namespace gee::logs::testing

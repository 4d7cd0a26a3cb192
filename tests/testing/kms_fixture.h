// Integration-test fixture for KMS: an EmulatorTest with verb helpers
// (CreateKey, Encrypt, Decrypt, ...) and extra signing identities.
//
// Extra identities: AddUser("alice") creates IAM user alice (so key
// policies may name her) and registers an access key that authenticates as
// arn:aws:iam::000000000000:user/alice; AddSession registers an assumed-role
// session. Neither has identity policies, so only key policies naming them,
// or grants, let them use a key.
//
// Thread-safety: one test thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "auth/credentials.h"
#include "core/environment.h"
#include "crypto/encoding.h"
#include "tests/testing/emulator_fixture.h"

namespace gee::testing {

inline constexpr char kAccount[] = "000000000000";
inline constexpr char kRegion[] = "us-east-1";

// Access keys for test principals (registered after the emulator starts,
// before any request uses them).
class TestCredentials final : public CredentialProvider {
 public:
  void Add(const std::string& access_key_id, Principal principal) {
    std::lock_guard<std::mutex> lock(mu_);
    principal.access_key_id = access_key_id;
    principals_[access_key_id] = std::move(principal);
  }
  Result<std::optional<CredentialRecord>> Lookup(std::string_view access_key_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = principals_.find(std::string(access_key_id));
    if (it == principals_.end()) return std::optional<CredentialRecord>();
    CredentialRecord record;
    record.access_key_id = it->first;
    record.secret = crypto::SecretBytes::CopyOf(std::string_view("test-secret"));
    record.principal = it->second;
    return std::optional<CredentialRecord>(std::move(record));
  }

 private:
  std::mutex mu_;
  std::map<std::string, Principal> principals_;
};

class KmsTest : public EmulatorTest {
 protected:
  using Json = nlohmann::json;

  void SetUp() override {
    EmulatorTest::SetUp();
    emulator().env().credentials().AddProvider(&credentials_);
  }

  static std::string UserArn(const std::string& name) {
    return std::string("arn:aws:iam::") + kAccount + ":user/" + name;
  }
  static std::string RoleArn(const std::string& name) {
    return std::string("arn:aws:iam::") + kAccount + ":role/" + name;
  }
  static std::string RootArn() { return std::string("arn:aws:iam::") + kAccount + ":root"; }

  // A client signing as IAM user `name`.
  std::unique_ptr<harness::AwsClient> AddUser(const std::string& name) {
    auto created = Root().Query("iam", "CreateUser", {{"UserName", name}});
    EXPECT_TRUE(created.ok() && created->ok()) << "CreateUser " << name << " failed";
    Principal p;
    p.type = PrincipalType::kUser;
    p.account = kAccount;
    p.arn = UserArn(name);
    p.name = name;
    p.user_id = "AIDATESTUSER" + std::to_string(name.size()) + "0000000";
    const std::string key = "AKIATEST" + std::to_string(++next_key_) + "0000000000";
    credentials_.Add(key, p);
    return ClientFor({key, "test-secret", ""});
  }

  // A client signing as session `session` of role `role`.
  std::unique_ptr<harness::AwsClient> AddSession(const std::string& role, const std::string& session) {
    Principal p;
    p.type = PrincipalType::kAssumedRole;
    p.account = kAccount;
    p.arn = std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + role + "/" + session;
    p.role_arn = RoleArn(role);
    p.role_id = "AROATESTROLE000000000";
    p.user_id = p.role_id + ":" + session;
    p.name = role;
    p.session_name = session;
    const std::string key = "ASIATEST" + std::to_string(++next_key_) + "0000000000";
    credentials_.Add(key, p);
    return ClientFor({key, "test-secret", ""});
  }

  Result<harness::ApiResponse> Kms(std::string_view operation, const Json& input) {
    return Root().Json("kms", operation, input);
  }

  // Creates a key as the root and returns its ARN ("" and a test failure on error).
  std::string CreateKey(const Json& input = Json::object()) {
    auto r = Kms("CreateKey", input);
    if (!r.ok() || !r->ok()) {
      ADD_FAILURE() << "CreateKey failed: " << (r.ok() ? r->error_code + " " + r->error_message
                                                       : r.error().message);
      return "";
    }
    return r->json["KeyMetadata"]["Arn"].get<std::string>();
  }
  static std::string KeyIdOf(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

  static std::string B64(std::string_view bytes) { return crypto::Base64Encode(bytes); }
  static std::string Unb64(const Json& value) {
    auto decoded = crypto::Base64Decode(value.get<std::string>());
    return decoded.ok() ? *decoded : std::string();
  }

  // Encrypts as `client` (root by default); returns the base64 blob or "".
  std::string Encrypt(const std::string& key, std::string_view plaintext,
                      const Json& context = Json(), harness::AwsClient* client = nullptr) {
    Json in = {{"KeyId", key}, {"Plaintext", B64(plaintext)}};
    if (!context.is_null()) in["EncryptionContext"] = context;
    auto r = (client != nullptr ? *client : Root()).Json("kms", "Encrypt", in);
    if (!r.ok() || !r->ok()) return "";
    return r->json["CiphertextBlob"].get<std::string>();
  }

  Result<harness::ApiResponse> Decrypt(const std::string& blob, const Json& context = Json(),
                                       harness::AwsClient* client = nullptr) {
    Json in = {{"CiphertextBlob", blob}};
    if (!context.is_null()) in["EncryptionContext"] = context;
    return (client != nullptr ? *client : Root()).Json("kms", "Decrypt", in);
  }

  // A policy document allowing `actions` to `principal` (an AWS principal
  // ARN) on the key, plus the root PutKeyPolicy so tests can change it back.
  static std::string PolicyFor(const std::string& principal, const Json& actions) {
    Json policy = {
        {"Version", "2012-10-17"},
        {"Statement",
         Json::array({{{"Sid", "Named"},
                       {"Effect", "Allow"},
                       {"Principal", {{"AWS", principal}}},
                       {"Action", actions},
                       {"Resource", "*"}}})}};
    return policy.dump();
  }

  TestCredentials credentials_;
  int next_key_ = 0;
};

}  // namespace gee::testing

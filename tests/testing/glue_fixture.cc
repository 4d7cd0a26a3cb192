#include "tests/testing/glue_fixture.h"

#include "crypto/hash.h"
#include "services/kms/kms_service.h"
#include "store/migrations.h"

namespace gee::testing {

namespace {

constexpr char kFakeBlobPrefix[] = "FAKEKMS1";

}  // namespace

std::string FakeGlueKms::ArnFor(std::string_view key_id) {
  std::string id(key_id);
  if (id.rfind("arn:", 0) == 0) return id;
  if (id.rfind("alias/", 0) == 0) id = "00000000-0000-4000-8000-" + std::string("a11a5") + "0000000";
  return std::string("arn:aws:kms:") + kGlueTestRegion + ":" + kGlueTestAccount + ":key/" + id;
}

Result<kms::GeneratedDataKey> FakeGlueKms::GenerateDataKey(RequestContext& ctx,
                                                           std::string_view key_id) {
  calls_.push_back({"GenerateDataKey", std::string(key_id), ctx.principal.arn, ctx.via_service,
                    ctx.called_via});
  if (error_) return *error_;
  kms::GeneratedDataKey key;
  key.key_arn = ArnFor(key_id);
  key.plaintext = crypto::SecretBytes::FromRandom(32, random_);
  // Fake "ciphertext": prefix, ARN length, ARN, the key in the clear (tests only).
  key.ciphertext_blob = kFakeBlobPrefix;
  key.ciphertext_blob.push_back(static_cast<char>(key.key_arn.size()));
  key.ciphertext_blob += key.key_arn;
  key.ciphertext_blob.append(key.plaintext.AsStringView());
  return key;
}

Result<kms::DecryptedData> FakeGlueKms::Decrypt(RequestContext& ctx,
                                                std::string_view blob) {
  calls_.push_back({"Decrypt", "", ctx.principal.arn, ctx.via_service, ctx.called_via});
  if (error_) return *error_;
  const size_t prefix = sizeof(kFakeBlobPrefix) - 1;
  if (blob.size() < prefix + 1 || blob.substr(0, prefix) != kFakeBlobPrefix) {
    return AwsError("InvalidCiphertextException", "", 400);
  }
  const size_t arn_size = static_cast<uint8_t>(blob[prefix]);
  if (blob.size() < prefix + 1 + arn_size) return AwsError("InvalidCiphertextException", "", 400);
  kms::DecryptedData out;
  out.key_arn = std::string(blob.substr(prefix + 1, arn_size));
  out.plaintext = crypto::SecretBytes::CopyOf(blob.substr(prefix + 1 + arn_size));
  return out;
}

Result<std::pair<std::string, std::string>> FakeGlueKms::Encrypt(RequestContext& ctx,
                                                                 std::string_view key_id,
                                                                 std::string_view plaintext) {
  calls_.push_back({"Encrypt", std::string(key_id), ctx.principal.arn, ctx.via_service,
                    ctx.called_via});
  if (error_) return *error_;
  std::string arn = ArnFor(key_id);
  std::string blob = kFakeBlobPrefix;
  blob.push_back(static_cast<char>(arn.size()));
  blob += arn;
  blob.append(plaintext);
  return std::make_pair(std::move(blob), std::move(arn));
}

GlueFixture::GlueFixture() : clock_(int64_t{1767225600} * 1000000), random_(20260101) {}
GlueFixture::~GlueFixture() = default;

void GlueFixture::SetUp() {
  config_.account_id = kGlueTestAccount;
  config_.access_log = false;
  auto data = store::DataDir::OpenEphemeral(random_);
  ASSERT_TRUE(data.ok()) << data.error().message;
  data_ = std::move(data).value();
  authorizer_ = std::make_unique<Authorizer>(&provider_, &cache_);
  credentials_ = std::make_unique<CredentialStore>(config_.account_id, "test", "test");
  env_ = std::make_unique<Environment>(config_, clock_, random_, data_->database(),
                                       data_->keyring(), *authorizer_, *credentials_);
  if (real_kms_) {
    services_.push_back(std::make_unique<kms::KmsService>(*env_));
    glue_ = std::make_unique<glue::GlueService>(*env_);
  } else {
    auto fake = std::make_unique<FakeGlueKms>(random_);
    fake_kms_ = fake.get();
    glue_ = std::make_unique<glue::GlueService>(*env_, std::move(fake));
  }
  env_->Register(glue_.get());
  for (auto& s : services_) env_->Register(s.get());
  std::vector<store::MigrationStep> steps = glue_->Migrations();
  for (auto& s : services_) {
    auto more = s->Migrations();
    steps.insert(steps.end(), more.begin(), more.end());
  }
  Status migrated = store::Migrate(data_->database(), steps);
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
}

Principal GlueFixture::User(const std::string& name) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = kGlueTestAccount;
  p.name = name;
  p.arn = std::string("arn:aws:iam::") + kGlueTestAccount + ":user/" + name;
  p.user_id = "AIDA" + name + "EXAMPLE";
  return p;
}

Principal GlueFixture::Session(const std::string& role, const std::string& session) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = kGlueTestAccount;
  p.name = role;
  p.session_name = session;
  p.role_arn = std::string("arn:aws:iam::") + kGlueTestAccount + ":role/" + role;
  p.arn = std::string("arn:aws:sts::") + kGlueTestAccount + ":assumed-role/" + role + "/" + session;
  p.role_id = "AROAEXAMPLEROLE00001";
  p.user_id = p.role_id + ":" + session;
  return p;
}

void GlueFixture::SetPolicies(const Principal& principal,
                              const std::vector<std::string>& documents) {
  PrincipalPolicies policies;
  int n = 0;
  for (const std::string& d : documents) {
    policies.identity.push_back({"inline-" + std::to_string(n++), d});
  }
  provider_.Set(principal.PrincipalArn(), std::move(policies));
}

Result<nlohmann::json> GlueFixture::Call(const Principal& principal, const std::string& service,
                                         const std::string& operation,
                                         const nlohmann::json& input) {
  Service* s = env_->FindService(service);
  if (s == nullptr) return AwsError("InternalFailure", "no service " + service, 500);
  RequestContext ctx = env_->NewContext(principal, kGlueTestRegion);
  return s->Invoke(ctx, operation, input);
}

Result<nlohmann::json> GlueFixture::GlueAs(const Principal& principal,
                                           const std::string& operation,
                                           const nlohmann::json& input) {
  return Call(principal, "glue", operation, input);
}

Result<nlohmann::json> GlueFixture::Glue(const std::string& operation,
                                         const nlohmann::json& input) {
  return GlueAs(RootPrincipal(kGlueTestAccount), operation, input);
}

}  // namespace gee::testing

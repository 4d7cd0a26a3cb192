#include "emulator.h"

#include <mutex>
#include <vector>

#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "auth/policy/policy_cache.h"
#include "core/environment.h"
#include "crypto/openssl_random.h"
#include "gateway.h"
#include "server/http_server.h"
#include "core/inspection.h"
#include "services/glue/glue_service.h"
#include "services/iam/iam_service.h"
#include "services/kms/kms_inspector.h"
#include "services/kms/kms_service.h"
#include "services/logs/logs_service.h"
#include "services/s3/s3_service.h"
#include "services/service.h"
#include "services/sts/sts_service.h"
#include "store/data_dir.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gee {

namespace {

// The Authorizer is built before the services; this forwards to the IAM
// service's provider (no policies at all before it is set, which only
// denies).
class IdentityPolicyForwarder final : public IdentityPolicyProvider {
 public:
  Result<PrincipalPoliciesPtr> PoliciesFor(const Principal& principal) override {
    if (target == nullptr) return std::make_shared<const PrincipalPolicies>();
    return target->PoliciesFor(principal);
  }
  IdentityPolicyProvider* target = nullptr;
};

}  // namespace

struct Emulator::Parts {
  Config config;
  SystemClock system_clock;
  crypto::OpenSslRandom system_random;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  std::unique_ptr<store::DataDir> data;
  policy::PolicyCache policy_cache;
  // The identity side of every decision: the IAM service's provider.
  IdentityPolicyForwarder identity_policies;
  iam::IamService* iam_service = nullptr;
  // Its job-run queue is stopped by Stop and emptied by Reset.
  glue::GlueService* glue_service = nullptr;
  std::unique_ptr<Authorizer> authorizer;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<Environment> env;
  std::vector<std::unique_ptr<Service>> services;
  std::vector<std::unique_ptr<AtRestInspector>> inspectors;
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<server::HttpServer> server;

  std::vector<store::MigrationStep> Migrations() const {
    std::vector<store::MigrationStep> steps;
    for (const auto& s : services) {
      auto more = s->Migrations();
      steps.insert(steps.end(), more.begin(), more.end());
    }
    return steps;
  }
};

Emulator::Emulator(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Emulator::~Emulator() { Stop(); }

Result<std::unique_ptr<Emulator>> Emulator::Create(EmulatorOptions options) {
  auto p = std::make_unique<Parts>();
  p->config = std::move(options.config);
  p->clock = options.clock != nullptr ? options.clock : &p->system_clock;
  p->random = options.random != nullptr ? options.random : &p->system_random;

  if (p->config.ephemeral) {
    GEE_ASSIGN_OR_RETURN(p->data, store::DataDir::OpenEphemeral(*p->random));
  } else {
    GEE_ASSIGN_OR_RETURN(p->data, store::DataDir::Open(p->config.data_dir, *p->random));
  }
  p->authorizer = std::make_unique<Authorizer>(&p->identity_policies, &p->policy_cache);
  p->credentials = std::make_unique<CredentialStore>(
      p->config.account_id, p->config.root_access_key_id, p->config.root_secret_access_key);
  p->env = std::make_unique<Environment>(p->config, *p->clock, *p->random, p->data->database(),
                                         p->data->keyring(), *p->authorizer, *p->credentials);

  auto iam_service = std::make_unique<iam::IamService>(*p->env);
  auto sts_service = std::make_unique<sts::StsService>(*p->env);
  p->iam_service = iam_service.get();
  p->identity_policies.target = &iam_service->identity_policies();
  p->credentials->AddProvider(&iam_service->access_keys());
  p->credentials->AddProvider(&sts_service->session_credentials());
  p->services.push_back(std::move(iam_service));
  p->services.push_back(std::move(sts_service));
  p->services.push_back(std::make_unique<kms::KmsService>(*p->env));
  auto s3 = std::make_unique<s3::S3Service>(*p->env);
  s3::S3Service* s3_service = s3.get();
  p->services.push_back(std::move(s3));
  {
    auto logs_service =
        std::make_unique<logs::LogsService>(*p->env, logs::NewKmsClientAccess(*p->env));
    p->env->RegisterInspector(logs_service->inspector());
    p->services.push_back(std::move(logs_service));
  }
  {
    auto glue_service = std::make_unique<glue::GlueService>(*p->env);
    p->glue_service = glue_service.get();
    p->services.push_back(std::move(glue_service));
  }
  for (auto& s : p->services) p->env->Register(s.get());
  p->inspectors.push_back(std::make_unique<kms::KmsKeyInspector>(*p->env));
  for (auto& i : p->inspectors) p->env->RegisterInspector(i.get());
  p->env->RegisterInspector(s3_service);

  GEE_RETURN_IF_ERROR(store::Migrate(p->data->database(), p->Migrations()));
  GEE_RETURN_IF_ERROR(s3_service->Recover());

  Parts* raw = p.get();
  auto emulator = std::unique_ptr<Emulator>(new Emulator(std::move(p)));
  Emulator* self = emulator.get();
  raw->gateway =
      std::make_unique<Gateway>(*raw->env, [self] { return self->Reset(); }, s3_service);
  return emulator;
}

Status Emulator::Start() {
  if (parts_->server) return OkStatus();
  GEE_ASSIGN_OR_RETURN(parts_->server,
                       server::HttpServer::Create(parts_->config.server, parts_->gateway.get()));
  parts_->server->Start();
  return OkStatus();
}

void Emulator::Stop() {
  if (parts_ && parts_->server) {
    parts_->server->Stop();
    parts_->server.reset();
  }
  if (parts_ && parts_->glue_service != nullptr) parts_->glue_service->runtime().Stop();
}

uint16_t Emulator::port() const { return parts_->server ? parts_->server->port() : 0; }

std::string Emulator::endpoint() const {
  return "http://" + parts_->config.server.host + ":" + std::to_string(port());
}

const Config& Emulator::config() const { return parts_->config; }
Environment& Emulator::env() { return *parts_->env; }
Gateway& Emulator::gateway() { return *parts_->gateway; }

Status Emulator::Reset() {
  // Queued job runs and crawls would act on the state being wiped.
  if (parts_->glue_service != nullptr) parts_->glue_service->runtime().Discard();
  std::lock_guard<std::recursive_mutex> lock(parts_->env->store_mutex());
  store::Database& db = parts_->data->database();
  // Drop every table, then recreate the schema from the migrations.
  std::vector<std::string> tables;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db.Prepare(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"));
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      tables.push_back(st.ColumnText(0));
    }
  }
  GEE_RETURN_IF_ERROR(db.Execute("PRAGMA foreign_keys=OFF"));
  for (const auto& t : tables) {
    std::string quoted = "\"";
    for (char c : t) {
      if (c == '"') quoted.push_back('"');
      quoted.push_back(c);
    }
    quoted.push_back('"');
    GEE_RETURN_IF_ERROR(db.Execute("DROP TABLE IF EXISTS " + quoted));
  }
  GEE_RETURN_IF_ERROR(db.Execute("PRAGMA foreign_keys=ON"));
  parts_->policy_cache.Clear();
  if (parts_->iam_service != nullptr) parts_->iam_service->InvalidateCaches();
  return store::Migrate(db, parts_->Migrations());
}

}  // namespace gee

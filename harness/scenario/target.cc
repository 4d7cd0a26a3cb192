#include "harness/scenario/target.h"

#include <nlohmann/json.hpp>

#include "emulator.h"
#include "harness/client/http_client.h"

namespace gee::scenario {

Target::~Target() {
  if (emulator_) emulator_->Stop();
}

Result<std::unique_ptr<Target>> Target::Open(const TargetOptions& options) {
  std::unique_ptr<Target> target(new Target());
  target->root_ = options.root;
  target->clock_ = options.clock;
  if (options.endpoint.empty()) {
    EmulatorOptions emulator_options;
    emulator_options.config.ephemeral = true;
    emulator_options.config.server.host = "127.0.0.1";
    emulator_options.config.server.port = 0;
    emulator_options.config.access_log = options.access_log;
    emulator_options.config.root_access_key_id = options.root.access_key_id;
    emulator_options.config.root_secret_access_key = options.root.secret_access_key;
    emulator_options.clock = options.clock;
    emulator_options.random = options.random;
    GEE_ASSIGN_OR_RETURN(target->emulator_, Emulator::Create(std::move(emulator_options)));
    GEE_RETURN_IF_ERROR(target->emulator_->Start());
    target->endpoint_ = target->emulator_->endpoint();
  } else {
    target->endpoint_ = options.endpoint;
    while (!target->endpoint_.empty() && target->endpoint_.back() == '/') target->endpoint_.pop_back();
  }
  GEE_RETURN_IF_ERROR(target->Probe());
  return target;
}

Status Target::Probe() {
  GEE_ASSIGN_OR_RETURN(auto http, harness::HttpClient::Create(endpoint_, std::chrono::milliseconds(10000)));
  auto health = http->Send("GET", "/_gee/health?operations=1", {}, "");
  if (!health.ok()) {
    return AwsError("ConnectionError", "cannot reach " + endpoint_ + ": " + health.error().message, 0);
  }
  nlohmann::json body;
  if (health->status == 200) body = nlohmann::json::parse(health->body, nullptr, false);
  is_gee_ = body.is_object() && body.contains("version") && body.contains("services") &&
            body.value("status", "") == "ok";
  if (!is_gee_) {
    description_ = endpoint_ + " (not gee: inspection steps are skipped)";
    return OkStatus();
  }
  std::string version = body.value("version", "");
  description_ = "gee " + version + (emulator_ ? " in-process at " : " at ") + endpoint_;
  if (body.contains("operations") && body["operations"].is_object()) {
    for (const auto& [service, ops] : body["operations"].items()) {
      if (!ops.is_array()) continue;
      for (const auto& op : ops) {
        if (!op.is_string()) continue;
        if (op == "*") {
          services_with_all_operations_.insert(service);
        } else {
          operations_.insert(service + ":" + op.get<std::string>());
        }
      }
    }
  } else {
    // A gee too old to list operations: assume everything.
    for (const auto& s : body["services"]) {
      if (s.is_string()) services_with_all_operations_.insert(s.get<std::string>());
    }
  }
  if (body.contains("inspect_kinds") && body["inspect_kinds"].is_array()) {
    for (const auto& k : body["inspect_kinds"]) {
      if (k.is_string()) inspect_kinds_.insert(k.get<std::string>());
    }
  }
  return OkStatus();
}

bool Target::HasOperation(const std::string& service_operation) const {
  if (!is_gee_) return true;
  if (operations_.count(service_operation)) return true;
  auto colon = service_operation.find(':');
  return services_with_all_operations_.count(service_operation.substr(0, colon)) > 0;
}

bool Target::HasInspectKind(const std::string& kind) const {
  return is_gee_ && inspect_kinds_.count(kind) > 0;
}

Status Target::Reset() {
  if (!is_gee_) return OkStatus();
  if (emulator_) return emulator_->Reset();
  harness::AwsClient client(endpoint_, root_, "us-east-1", clock_);
  GEE_ASSIGN_OR_RETURN(harness::HttpResult r, client.Signed("gee", "POST", "/_gee/reset", {}, ""));
  if (r.status != 200) {
    return AwsError("ResetFailed", "POST /_gee/reset answered HTTP " + std::to_string(r.status) + ": " + r.body, 0);
  }
  return OkStatus();
}

}  // namespace gee::scenario

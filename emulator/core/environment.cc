#include "core/environment.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "auth/authorizer.h"
#include "auth/denial_message.h"
#include "core/ids.h"
#include "protocol/timestamp.h"
#include "services/service.h"

namespace gee {

Environment::Environment(const Config& config, const Clock& clock, Random& random,
                         store::Database& db, const store::RootKeyring& keyring,
                         Authorizer& authorizer, CredentialStore& credentials)
    : config_(config),
      clock_(clock),
      random_(random),
      db_(db),
      keyring_(keyring),
      authorizer_(authorizer),
      credentials_(credentials) {}

void Environment::Register(Service* service) { services_.push_back(service); }

Service* Environment::FindService(std::string_view name) const {
  for (Service* s : services_) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

namespace {

std::string DescribeDecision(const AuthRequest& request, const Decision& decision) {
  std::string line = decision.allowed() ? "allow " : (decision.outcome == DecisionOutcome::kExplicitDeny
                                                          ? "explicit-deny "
                                                          : "implicit-deny ");
  line += request.action;
  line += " on ";
  line += request.resource;
  if (decision.deciding) {
    line += " by ";
    line += decision.deciding->policy_type;
    line += " policy ";
    line += decision.deciding->policy_name;
    if (!decision.deciding->sid.empty()) {
      line += " Sid ";
      line += decision.deciding->sid;
    }
  } else if (!decision.allowed() && !decision.denied_by.empty()) {
    line += " (no ";
    line += decision.denied_by;
    line += " policy allows)";
  }
  return line;
}

}  // namespace

AwsError Environment::AccessDenied(const RequestContext& ctx, std::string message) const {
  if (ctx.service == "iam" || ctx.service == "sts" || ctx.service == "s3") {
    return AwsError("AccessDenied", std::move(message), 403);
  }
  return AwsError("AccessDeniedException", std::move(message), 400);
}

Status Environment::Authorize(RequestContext& ctx, AuthRequest& request) {
  if (config_.auth_mode == AuthMode::kOff) return OkStatus();
  Decision decision = authorizer_.Authorize(ctx, request);
  std::string line = DescribeDecision(request, decision);
  if (ctx.decisions != nullptr) ctx.decisions->push_back(line);
  if (decision.allowed()) return OkStatus();
  if (config_.auth_mode == AuthMode::kSoft) {
    std::fprintf(stderr, "gee: soft-deny request_id=%s principal=%s %s\n", ctx.request_id.c_str(),
                 ctx.principal.arn.c_str(), line.c_str());
    if (ctx.decisions != nullptr) ctx.decisions->back() = "soft-" + line;
    return OkStatus();
  }
  DenialMessageOptions options;
  options.kms_phrase = config_.kms_denial_phrase;
  return AccessDenied(ctx, AccessDeniedMessage(ctx.principal, request, decision, options));
}

std::string Environment::NewRequestId() { return NewUuid(random_); }

RequestContext Environment::NewContext(const Principal& principal, const std::string& region) {
  RequestContext ctx;
  ctx.request_id = NewRequestId();
  ctx.region = region;
  ctx.principal = principal;
  ctx.account = principal.account.empty() ? config_.account_id : principal.account;
  ctx.clock = &clock_;
  ctx.random = &random_;
  return ctx;
}

void Environment::LogAccess(const RequestContext& ctx, int status, int64_t start_micros) const {
  if (!config_.access_log) return;
  int64_t now = clock_.NowMicros();
  nlohmann::json line = {
      {"time", protocol::FormatIso8601(static_cast<double>(now) / 1e6, true)},
      {"request_id", ctx.request_id},
      {"remote", ctx.source_ip},
      {"principal", ctx.principal.arn.empty() ? "anonymous" : ctx.principal.arn},
      {"service", ctx.service},
      {"operation", ctx.operation},
      {"status", status},
      {"latency_us", now - start_micros},
  };
  if (ctx.decisions != nullptr && !ctx.decisions->empty()) line["authorization"] = *ctx.decisions;
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace gee

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

// The decision log line: "allow kms:Encrypt on ARN by identity-based policy
// NAME Sid SID", "implicit-deny ... (no identity-based policy allows)".
std::string DescribeDecision(const AuthRequest& request, const Decision& decision) {
  const std::string_view verdict = decision.allowed() ? "allow "
                                   : decision.outcome == DecisionOutcome::kExplicitDeny
                                       ? "explicit-deny "
                                       : "implicit-deny ";
  const MatchedStatement* by = decision.deciding ? &*decision.deciding : nullptr;
  std::string line;
  line.reserve(verdict.size() + request.action.size() + request.resource.size() + 32 +
               (by != nullptr ? by->policy_type.size() + by->policy_name.size() + by->sid.size()
                              : decision.denied_by.size()));
  line.append(verdict).append(request.action).append(" on ").append(request.resource);
  if (by != nullptr) {
    line.append(" by ").append(by->policy_type).append(" policy ").append(by->policy_name);
    if (!by->sid.empty()) line.append(" Sid ").append(by->sid);
  } else if (!decision.allowed() && !decision.denied_by.empty()) {
    line.append(" (no ").append(decision.denied_by).append(" policy allows)");
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
  if (decision.allowed()) {
    if (ctx.decisions != nullptr) ctx.decisions->push_back(DescribeDecision(request, decision));
    return OkStatus();
  }
  std::string line = DescribeDecision(request, decision);
  if (config_.auth_mode == AuthMode::kSoft) {
    std::fprintf(stderr, "gee: soft-deny request_id=%s principal=%s %s\n", ctx.request_id.c_str(),
                 ctx.principal.arn.c_str(), line.c_str());
    if (ctx.decisions != nullptr) ctx.decisions->push_back("soft-" + line);
    return OkStatus();
  }
  if (ctx.decisions != nullptr) ctx.decisions->push_back(std::move(line));
  DenialMessageOptions options;
  options.kms_phrase = config_.kms_denial_phrase;
  return AccessDenied(ctx, AccessDeniedMessage(ctx.principal, request, decision, options));
}

std::string Environment::NewRequestId() {
  // Request ids only need to be unique, not secret: a random per-process base
  // mixed with a counter (splitmix64) formatted as a UUID v4, which avoids a
  // CSPRNG call per request. Deterministic under an injected Random.
  std::call_once(request_id_once_, [this] { request_id_base_ = random_.U64(); });
  uint64_t n = request_id_counter_.fetch_add(1, std::memory_order_relaxed);
  auto mix = [](uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  uint64_t hi = mix(request_id_base_ ^ (n * 2));
  uint64_t lo = mix(request_id_base_ ^ (n * 2 + 1));
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                           // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);            // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  int pos = 0;
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      id[pos++] = kHex[(v >> (i * 4)) & 0xF];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return id;
}

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

#include "gateway.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "auth/explain.h"
#include "auth/sigv4.h"
#include "auth/sigv4_errors.h"
#include "core/environment.h"
#include "core/inspection.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "protocol/form.h"
#include "protocol/json_codec.h"
#include "protocol/model.h"
#include "protocol/query_codec.h"
#include "protocol/s3_xml.h"
#include "services/service.h"

namespace gee {
namespace {

using server::HttpRequest;
using server::HttpResponse;

struct ServiceRoute {
  std::string_view name;
  WireProtocol protocol;
  std::string_view json_target_prefix;  // JSON 1.1 only
};

constexpr ServiceRoute kRoutes[] = {
    {"kms", WireProtocol::kJson11, "TrentService"},
    {"glue", WireProtocol::kJson11, "AWSGlue"},
    {"logs", WireProtocol::kJson11, "Logs_20140328"},
    {"iam", WireProtocol::kQuery, ""},
    {"sts", WireProtocol::kQuery, ""},
    {"s3", WireProtocol::kRestXml, ""},
};

const ServiceRoute* RouteByName(std::string_view name) {
  for (const auto& r : kRoutes) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const ServiceRoute* RouteByTargetPrefix(std::string_view target) {
  std::string_view prefix = target.substr(0, target.find('.'));
  for (const auto& r : kRoutes) {
    if (!r.json_target_prefix.empty() && r.json_target_prefix == prefix) return &r;
  }
  return nullptr;
}

// The service named in the SigV4 credential scope, if any (header
// `Credential=AKID/DATE/REGION/SERVICE/aws4_request` or the presigned
// `X-Amz-Credential` parameter). Only for routing: the full parse and its
// errors come from sigv4::ParseAuthentication.
std::string ScopeService(const HttpRequest& request) {
  std::string credential;
  std::string_view auth = request.Header("authorization");
  if (!auth.empty()) {
    auto pos = auth.find("Credential=");
    if (pos == std::string_view::npos) return {};
    pos += 11;
    auto end = auth.find_first_of(", ", pos);
    credential = std::string(auth.substr(pos, end == std::string_view::npos ? auth.npos : end - pos));
  } else {
    std::string_view query = request.Query();
    auto pos = query.find("X-Amz-Credential=");
    if (pos == std::string_view::npos) return {};
    pos += 17;
    auto end = query.find('&', pos);
    credential = sigv4::PercentDecode(
        query.substr(pos, end == std::string_view::npos ? query.npos : end - pos));
  }
  size_t start = 0;
  for (int i = 0; i < 3; ++i) {  // skip AKID/DATE/REGION/
    start = credential.find('/', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  auto end = credential.find('/', start);
  if (end == std::string::npos) return {};
  return credential.substr(start, end - start);
}

bool IsFormBody(const HttpRequest& request) {
  std::string_view ct = request.Header("content-type");
  return ct.substr(0, 33) == "application/x-www-form-urlencoded";
}

bool IsOperational(const HttpRequest& request) {
  return request.Path().substr(0, 6) == "/_gee/";
}

// The route of a request whose body has been read (JSON, Query, operational).
const ServiceRoute* RouteBuffered(const HttpRequest& request, std::string* scope_service) {
  *scope_service = ScopeService(request);
  if (!scope_service->empty()) return RouteByName(*scope_service);
  if (!request.Header("x-amz-target").empty()) {
    return RouteByTargetPrefix(request.Header("x-amz-target"));
  }
  if ((request.method == "POST" && IsFormBody(request)) ||
      request.Query().find("Action=") != std::string_view::npos) {
    return RouteByName("sts");
  }
  return RouteByName("s3");
}

// True for names shaped like AWS regions ("us-east-1", "eu-central-2").
bool LooksLikeRegion(std::string_view region) {
  if (region.size() < 5 || region.size() > 32) return false;
  bool has_dash = false;
  for (char c : region) {
    if (c == '-') {
      has_dash = true;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return has_dash && region.back() >= '0' && region.back() <= '9';
}

int64_t SkewFor(const Config& config, WireProtocol protocol) {
  switch (protocol) {
    case WireProtocol::kJson11: return config.json_skew.count();
    case WireProtocol::kQuery: return config.query_skew.count();
    case WireProtocol::kRestXml: return config.s3_skew.count();
  }
  return config.json_skew.count();
}

HttpResponse FromWire(protocol::WireReply reply) {
  HttpResponse r;
  r.status = reply.status;
  r.body = std::move(reply.body);
  r.headers.reserve(reply.headers.size() + 1);
  for (auto& [name, value] : reply.headers) r.headers.push_back({std::move(name), std::move(value)});
  return r;
}

// A response decided before the body is read (authentication failures of S3).
class FixedExchange final : public server::Exchange {
 public:
  explicit FixedExchange(HttpResponse response) : response_(std::move(response)) {}
  std::optional<HttpResponse> EarlyResponse() override { return std::move(response_); }
  HttpResponse Complete(HttpRequest&, const AwsError*) override { return std::move(response_); }

 private:
  HttpResponse response_;
};

// Adds x-gee-authorization (auth/explain.h) when the request carries a valid
// x-gee-explain token for its signature under the root secret.
void AttachExplanation(const Config& config, const HttpRequest& request,
                       const std::vector<std::string>& decisions, HttpResponse& response) {
  std::string_view token = request.Header(auth::kExplainRequestHeader);
  if (token.empty()) return;
  std::string_view signature = auth::RequestSignature(request.Header("authorization"), request.Query());
  if (!auth::ExplainTokenValid(config.root_secret_access_key, signature, token)) return;
  response.SetHeader(std::string(auth::kExplainResponseHeader), auth::EncodeDecisions(decisions));
}

// Wraps the S3 front end's exchange to attach the explanation (above) to its
// response. The decisions vector is handed to the front end in ctx.decisions.
class ExplainedExchange final : public server::Exchange {
 public:
  ExplainedExchange(const Config& config, const HttpRequest& head,
                    std::unique_ptr<std::vector<std::string>> decisions)
      : config_(config),
        authorization_(head.Header("authorization")),
        query_(head.Query()),
        token_(head.Header(auth::kExplainRequestHeader)),
        decisions_(std::move(decisions)) {}
  void set_inner(std::unique_ptr<server::Exchange> inner) { inner_ = std::move(inner); }

  std::optional<HttpResponse> EarlyResponse() override {
    auto response = inner_->EarlyResponse();
    if (response) Attach(*response);
    return response;
  }
  bool StreamBody() const override { return inner_->StreamBody(); }
  Status OnBodyData(std::string_view data) override { return inner_->OnBodyData(data); }
  HttpResponse Complete(HttpRequest& request, const AwsError* body_error) override {
    HttpResponse response = inner_->Complete(request, body_error);
    Attach(response);
    return response;
  }

 private:
  void Attach(HttpResponse& response) {
    std::string_view signature = auth::RequestSignature(authorization_, query_);
    if (!auth::ExplainTokenValid(config_.root_secret_access_key, signature, token_)) return;
    response.SetHeader(std::string(auth::kExplainResponseHeader), auth::EncodeDecisions(*decisions_));
  }

  const Config& config_;
  std::string authorization_;
  std::string query_;
  std::string token_;
  // Declared before inner_ so that it outlives the front end's exchange.
  std::unique_ptr<std::vector<std::string>> decisions_;
  std::unique_ptr<server::Exchange> inner_;
};

}  // namespace

// Buffers the body, then hands the whole request to Gateway::Handle.
class BufferedExchange final : public server::Exchange {
 public:
  explicit BufferedExchange(Gateway* gateway) : gateway_(gateway) {}
  HttpResponse Complete(HttpRequest& request, const AwsError* body_error) override {
    return gateway_->Handle(request, body_error);
  }

 private:
  Gateway* gateway_;
};

Gateway::Gateway(Environment& env, std::function<Status()> reset, RestFrontend* s3)
    : env_(env), reset_(std::move(reset)), s3_(s3), started_micros_(env.clock().NowMicros()) {}

Status Gateway::Authenticate(const HttpRequest& request, std::string_view service,
                             WireProtocol protocol, std::optional<std::string_view> body,
                             RequestContext& ctx, std::string* payload_hash) {
  const Config& config = env_.config();
  std::vector<sigv4::HeaderField> fields;
  fields.reserve(request.headers.size());
  for (const auto& h : request.headers) fields.emplace_back(h.name, h.value);
  sigv4::RequestView view{request.method, request.target, fields};
  sigv4::Dialect dialect = sigv4::DialectForService(service);
  auto fail = [&](const sigv4::Failure& f) -> Status { return sigv4::ToAwsError(f, protocol); };

  auto parsed = sigv4::ParseAuthentication(view, dialect);
  if (!parsed.ok()) return fail(parsed.failure());
  const sigv4::ParsedAuth& auth = parsed.value();
  if (!auth.authenticated()) {
    if (protocol == WireProtocol::kRestXml) {  // anonymous: bucket policies decide
      ctx.principal = Principal{};
      return OkStatus();
    }
    return fail(sigv4::MissingAuthentication());
  }
  if (auto st = sigv4::CheckService(auth, service); !st.ok()) return fail(st.failure());
  // IAM is global and signed for us-east-1; elsewhere any well-formed region
  // is served (one emulator answers for every region).
  std::string_view expected_region = auth.scope.region;
  if (service == "iam") expected_region = "us-east-1";
  if (!LooksLikeRegion(auth.scope.region)) expected_region = config.default_region;
  if (auto st = sigv4::CheckRegion(auth, expected_region); !st.ok()) return fail(st.failure());
  ctx.region = auth.scope.region;

  int64_t now = env_.clock().NowSeconds();
  if (auto st = sigv4::CheckRequestTime(auth, now, SkewFor(config, protocol)); !st.ok()) {
    return fail(st.failure());
  }

  std::optional<CredentialRecord> record;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(record, env_.credentials().Lookup(auth.access_key_id));
  }
  if (!record || !record->active) return fail(sigv4::UnknownAccessKey(auth));
  if (record->is_session()) {
    if (!auth.security_token ||
        !crypto::ConstantTimeEquals(*auth.security_token, record->session_token)) {
      return fail(sigv4::InvalidSessionToken(auth));
    }
    if (now >= record->expiration) return fail(sigv4::ExpiredSessionToken(auth));
  } else if (auth.security_token && !auth.security_token->empty()) {
    // A session token sent with a long-term key names no session.
    return fail(sigv4::InvalidSessionToken(auth));
  }

  if (config.verify_signatures) {
    sigv4::VerifyOptions options;
    options.dialect = dialect;
    options.body = body;
    GEE_ASSIGN_OR_RETURN(std::shared_ptr<const sigv4::SigningKey> key,
                         SigningKeyFor(auth, record->secret));
    auto verified = sigv4::VerifySignatureWithKey(view, auth, *key, options);
    if (!verified.ok()) return fail(verified.failure());
    if (payload_hash != nullptr) *payload_hash = verified->payload_hash;
  } else if (payload_hash != nullptr) {
    *payload_hash = auth.content_sha256.value_or(std::string(sigv4::kUnsignedPayload));
  }
  ctx.principal = std::move(record->principal);
  ctx.principal.access_key_id = auth.access_key_id;
  ctx.account = ctx.principal.account;
  env_.credentials().RecordUse(auth.access_key_id, service, ctx.region, env_.clock().NowMicros());
  return OkStatus();
}

Result<std::shared_ptr<const sigv4::SigningKey>> Gateway::SigningKeyFor(
    const sigv4::ParsedAuth& auth, const crypto::SecretBytes& secret) {
  // Keyed by access key and scope; the secret of an access key never changes
  // (a deleted key fails the credential lookup before reaching this cache).
  std::string cache_key = auth.access_key_id + '/' + auth.scope.ToString();
  {
    std::lock_guard<std::mutex> lock(keys_mu_);
    auto it = signing_keys_.find(cache_key);
    if (it != signing_keys_.end()) return it->second;
  }
  GEE_ASSIGN_OR_RETURN(sigv4::SigningKey key,
                       sigv4::SigningKey::Derive(secret.AsStringView(), auth.scope.date,
                                                 auth.scope.region, auth.scope.service));
  auto shared = std::make_shared<const sigv4::SigningKey>(std::move(key));
  std::lock_guard<std::mutex> lock(keys_mu_);
  if (signing_keys_.size() >= kMaxCachedSigningKeys) signing_keys_.clear();
  signing_keys_.emplace(std::move(cache_key), shared);
  return shared;
}

std::unique_ptr<server::Exchange> Gateway::Begin(HttpRequest& head) {
  if (s3_ == nullptr || IsOperational(head)) return std::make_unique<BufferedExchange>(this);
  std::string scope;
  const ServiceRoute* route = RouteBuffered(head, &scope);
  if (route == nullptr || route->protocol != WireProtocol::kRestXml) {
    return std::make_unique<BufferedExchange>(this);
  }
  // S3: authenticate on the head so uploads can stream (the signed
  // x-amz-content-sha256 is checked against the body as it arrives).
  int64_t start = env_.clock().NowMicros();
  RequestContext ctx = env_.NewContext(Principal{}, env_.config().default_region);
  ctx.service = "s3";
  ctx.source_ip = head.remote_ip;
  std::string payload_hash;
  Status st = Authenticate(head, "s3", WireProtocol::kRestXml, std::nullopt, ctx, &payload_hash);
  if (!st.ok()) {
    HttpResponse response = RenderError(WireProtocol::kRestXml, ctx, st.error(),
                                        head.method == "HEAD");
    env_.LogAccess(ctx, response.status, start);
    return std::make_unique<FixedExchange>(std::move(response));
  }
  if (head.Header(auth::kExplainRequestHeader).empty()) {
    return s3_->Begin(std::move(ctx), head, payload_hash);
  }
  auto decisions = std::make_unique<std::vector<std::string>>();
  ctx.decisions = decisions.get();
  auto explained = std::make_unique<ExplainedExchange>(env_.config(), head, std::move(decisions));
  explained->set_inner(s3_->Begin(std::move(ctx), head, payload_hash));
  return explained;
}

HttpResponse Gateway::Malformed(int status, std::string_view reason) {
  HttpResponse r;
  r.status = status;
  r.body = std::string(reason);
  r.SetHeader("Content-Type", "text/plain");
  r.close = true;
  return r;
}

HttpResponse Gateway::RenderError(WireProtocol protocol, const RequestContext& ctx,
                                  const AwsError& error, bool head_request) {
  protocol::WireReply reply;
  switch (protocol) {
    case WireProtocol::kJson11: {
      auto model = protocol::ServiceModel::Get(ctx.service.empty() ? "kms" : ctx.service);
      reply = protocol::RenderJsonError(model.ok() ? *model : nullptr, error, ctx.request_id);
      break;
    }
    case WireProtocol::kQuery: {
      auto model = protocol::ServiceModel::Get(ctx.service == "iam" ? "iam" : "sts");
      reply = protocol::RenderQueryError(**model, error, ctx.request_id);
      break;
    }
    case WireProtocol::kRestXml:
      reply = protocol::RenderS3Error(error, S3RequestId(ctx), S3HostId(ctx), head_request);
      break;
  }
  HttpResponse r = FromWire(std::move(reply));
  if (protocol == WireProtocol::kRestXml) {
    r.SetHeader("x-amz-request-id", S3RequestId(ctx));
    r.SetHeader("x-amz-id-2", S3HostId(ctx));
    r.head_request = head_request;
    if (head_request) r.content_length = 0;
  }
  return r;
}

std::string Gateway::S3RequestId(const RequestContext& ctx) {
  // S3 request ids are 16 upper-case hex characters: derived from the UUID.
  std::string id;
  for (char c : ctx.request_id) {
    if (c == '-') continue;
    id.push_back(static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c));
    if (id.size() == 16) break;
  }
  return id;
}

std::string Gateway::S3HostId(const RequestContext& ctx) {
  // x-amz-id-2: an opaque base64 token; derived from the request id.
  auto digest = crypto::Sha256(ctx.request_id);
  if (!digest.ok()) return {};
  return crypto::Base64Encode(
      std::string_view(reinterpret_cast<const char*>(digest->data()), digest->size()));
}

HttpResponse Gateway::Handle(HttpRequest& request, const AwsError* body_error) {
  int64_t start = env_.clock().NowMicros();
  RequestContext ctx = env_.NewContext(Principal{}, env_.config().default_region);
  ctx.source_ip = request.remote_ip;
  std::vector<std::string> decisions;
  ctx.decisions = &decisions;

  HttpResponse response;
  std::string scope_service;
  const ServiceRoute* route = IsOperational(request) ? nullptr : RouteBuffered(request, &scope_service);
  if (IsOperational(request)) {
    ctx.service = "gee";
    response = HandleOperational(request, ctx);
  } else if (route == nullptr) {
    // A credential scope naming a service gee does not emulate.
    ctx.service = scope_service;
    response = RenderError(WireProtocol::kJson11, ctx,
                           AwsError("UnrecognizedClientException",
                                    "The security token included in the request is invalid.", 400));
  } else {
    ctx.service = std::string(route->name);
    if (body_error != nullptr) {
      response = RenderError(route->protocol, ctx, *body_error);
      response.close = true;
    } else {
      switch (route->protocol) {
        case WireProtocol::kJson11: response = HandleJson(request, ctx); break;
        case WireProtocol::kQuery: response = HandleQuery(request, ctx); break;
        case WireProtocol::kRestXml:
          // Only reached when no S3 front end is registered.
          response = RenderError(WireProtocol::kRestXml, ctx,
                                 AwsError("NotImplemented",
                                          "A header you provided implies functionality that is "
                                          "not implemented",
                                          501),
                                 request.method == "HEAD");
          break;
      }
    }
  }
  env_.LogAccess(ctx, response.status, start);
  AttachExplanation(env_.config(), request, decisions, response);
  return response;
}

HttpResponse Gateway::HandleJson(HttpRequest& request, RequestContext& ctx) {
  Status st = Authenticate(request, ctx.service, WireProtocol::kJson11, request.body, ctx, nullptr);
  if (!st.ok()) return RenderError(WireProtocol::kJson11, ctx, st.error());

  auto model = protocol::ServiceModel::Get(ctx.service);
  if (!model.ok()) return RenderError(WireProtocol::kJson11, ctx, model.error());
  auto operation = protocol::ResolveJsonOperation(**model, request.Header("x-amz-target"));
  Service* service = env_.FindService(ctx.service);
  if (!operation.ok() || service == nullptr || !service->HasOperation((*operation)->name)) {
    return RenderError(WireProtocol::kJson11, ctx, AwsError("UnknownOperationException", "", 400));
  }
  ctx.operation = (*operation)->name;
  auto input = protocol::DecodeJsonInput(**operation, request.body);
  if (!input.ok()) return RenderError(WireProtocol::kJson11, ctx, input.error());

  auto output = service->Invoke(ctx, (*operation)->name, *input);
  if (!output.ok()) return RenderError(WireProtocol::kJson11, ctx, output.error());
  return FromWire(protocol::RenderJsonResponse(**operation, *output, ctx.request_id));
}

HttpResponse Gateway::HandleQuery(HttpRequest& request, RequestContext& ctx) {
  Status st = Authenticate(request, ctx.service, WireProtocol::kQuery, request.body, ctx, nullptr);
  if (!st.ok()) return RenderError(WireProtocol::kQuery, ctx, st.error());

  auto model = protocol::ServiceModel::Get(ctx.service);
  if (!model.ok()) return RenderError(WireProtocol::kQuery, ctx, model.error());
  std::string_view form = request.method == "POST" && IsFormBody(request)
                              ? std::string_view(request.body)
                              : request.Query();
  auto params = protocol::FormParams::Parse(form);
  if (!params.ok()) return RenderError(WireProtocol::kQuery, ctx, params.error());
  auto decoded = protocol::DecodeQueryRequest(**model, *params);
  if (!decoded.ok()) return RenderError(WireProtocol::kQuery, ctx, decoded.error());
  const protocol::Operation& operation = *decoded->operation;
  ctx.operation = operation.name;
  Service* service = env_.FindService(ctx.service);
  if (service == nullptr || !service->HasOperation(operation.name)) {
    return RenderError(WireProtocol::kQuery, ctx,
                       AwsError("InvalidAction",
                                "Could not find operation " + operation.name + " for version " +
                                    (*model)->api_version(),
                                400));
  }
  auto output = service->Invoke(ctx, operation.name, decoded->input);
  if (!output.ok()) return RenderError(WireProtocol::kQuery, ctx, output.error());
  return FromWire(protocol::RenderQueryResponse(**model, operation, *output, ctx.request_id));
}

HttpResponse Gateway::HandleOperational(HttpRequest& request, RequestContext& ctx) {
  std::string_view path = request.Path();
  auto json_reply = [&](int status, const nlohmann::json& body) {
    HttpResponse r;
    r.status = status;
    r.body = body.dump();
    r.SetHeader("Content-Type", "application/json");
    r.SetHeader("x-amzn-RequestId", ctx.request_id);
    return r;
  };
  auto error_reply = [&](const AwsError& e) {
    nlohmann::json body = {{"__type", e.code}};
    if (!e.message.empty()) body["message"] = e.message;
    return json_reply(e.http_status, body);
  };

  if (path == "/_gee/health") {
    if (request.method != "GET" && request.method != "HEAD") {
      return error_reply(AwsError("MethodNotAllowed", "use GET /_gee/health", 405));
    }
    ctx.operation = "Health";
    nlohmann::json services = nlohmann::json::array();
    for (Service* s : env_.services()) services.push_back(std::string(s->name()));
    if (s3_ != nullptr && env_.FindService("s3") == nullptr) services.push_back("s3");
    int64_t uptime_us = env_.clock().NowMicros() - started_micros_;
    nlohmann::json body = {{"status", "ok"},
                            {"version", GEE_VERSION},
                            {"services", services},
                            {"uptime_seconds", static_cast<double>(uptime_us) / 1e6},
                            {"auth_mode", env_.config().auth_mode == AuthMode::kEnforce ? "enforce"
                                          : env_.config().auth_mode == AuthMode::kSoft  ? "soft"
                                                                                       : "off"}};
    // `?operations=1`: the implemented operations of each service and the
    // at-rest inspection kinds (the scenario runner skips what is missing).
    auto params = protocol::FormParams::Parse(request.Query());
    if (params.ok() && params->First("operations").value_or("") == "1") {
      nlohmann::json operations = nlohmann::json::object();
      for (Service* s : env_.services()) {
        nlohmann::json names = nlohmann::json::array();
        auto model = protocol::ServiceModel::Get(s->name());
        if (model.ok()) {
          for (const protocol::Operation* op : (*model)->operations()) {
            if (s->HasOperation(op->name)) names.push_back(op->name);
          }
        }
        operations[std::string(s->name())] = std::move(names);
      }
      // The S3 front end does not list its operations: assume all.
      if (s3_ != nullptr && !operations.contains("s3")) operations["s3"] = nlohmann::json::array({"*"});
      body["operations"] = std::move(operations);
      nlohmann::json kinds = nlohmann::json::array();
      for (AtRestInspector* inspector : env_.inspectors()) {
        for (const std::string& kind : inspector->Kinds()) kinds.push_back(kind);
      }
      body["inspect_kinds"] = std::move(kinds);
    }
    return json_reply(200, body);
  }

  // Root only: the request must be signed with the root access key (any
  // service in the credential scope).
  auto authenticate_root = [&]() -> Status {
    std::string scope = ScopeService(request);
    GEE_RETURN_IF_ERROR(Authenticate(request, scope.empty() ? "gee" : scope,
                                     WireProtocol::kJson11, request.body, ctx, nullptr));
    if (ctx.principal.type != PrincipalType::kRoot) {
      return AwsError("AccessDeniedException",
                      "Only the account root may use the operational endpoints.", 403);
    }
    return OkStatus();
  };

  if (path == "/_gee/inspect") {
    ctx.operation = "Inspect";
    if (request.method != "GET") {
      return error_reply(AwsError("MethodNotAllowed", "use GET /_gee/inspect", 405));
    }
    if (Status st = authenticate_root(); !st.ok()) return error_reply(st.error());
    auto params = protocol::FormParams::Parse(request.Query());
    if (!params.ok()) return error_reply(params.error());
    std::string kind(params->First("kind").value_or(""));
    std::string id(params->First("id").value_or(""));
    std::string probe;
    if (auto p = params->First("probe")) {
      auto decoded = crypto::Base64Decode(*p);
      if (!decoded.ok()) {
        return error_reply(AwsError("ValidationException", "probe must be base64", 400));
      }
      probe = std::move(decoded).value();
    }
    for (AtRestInspector* inspector : env_.inspectors()) {
      auto kinds = inspector->Kinds();
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
      std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
      auto records = inspector->Inspect(kind, id, probe);
      if (!records.ok()) return error_reply(records.error());
      nlohmann::json out = {{"kind", kind}, {"id", id}, {"records", nlohmann::json::array()}};
      for (const AtRestRecord& r : *records) {
        out["records"].push_back({{"part", r.part},
                                  {"scheme", r.scheme},
                                  {"protected_by", r.protected_by},
                                  {"stored_bytes", r.stored_bytes},
                                  {"probe_found", r.probe_found}});
      }
      return json_reply(200, out);
    }
    return error_reply(AwsError("ValidationException", "unknown inspection kind '" + kind + "'", 400));
  }

  if (path == "/_gee/reset") {
    ctx.operation = "Reset";
    if (request.method != "POST") {
      return error_reply(AwsError("MethodNotAllowed", "use POST /_gee/reset", 405));
    }
    if (Status st = authenticate_root(); !st.ok()) return error_reply(st.error());
    Status reset = reset_ ? reset_() : OkStatus();
    if (!reset.ok()) return error_reply(reset.error());
    return json_reply(200, {{"reset", true}});
  }
  return error_reply(AwsError("NotFound", "unknown operational endpoint " + std::string(path), 404));
}


}  // namespace gee

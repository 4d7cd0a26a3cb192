// S3Service: the front end (exchange, body pipeline, dispatch), the steps
// every operation shares, start-up recovery and at-rest inspection. The
// handlers live in s3_buckets.cc, s3_objects.cc and s3_multipart.cc.
#include "services/s3/s3_service.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "auth/sigv4_errors.h"
#include "crypto/encoding.h"
#include "protocol/timestamp.h"
#include "services/s3/errors.h"
#include "services/s3/s3_internal.h"
#include "store/database.h"

namespace gee::s3 {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

bool IsIpLiteral(std::string_view host) {
  if (host.empty()) return true;
  if (host.find(':') != std::string_view::npos) return true;
  return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

std::vector<sigv4::HeaderField> Fields(const server::HttpRequest& r) {
  std::vector<sigv4::HeaderField> out;
  out.reserve(r.headers.size());
  for (const auto& h : r.headers) out.emplace_back(h.name, h.value);
  return out;
}

bool ExpectsContinue(const server::HttpRequest& r) {
  return Lower(r.Header("expect")) == "100-continue";
}

bool HasBody(const server::HttpRequest& r) { return r.chunked || r.content_length > 0; }

// Operations whose handler reads the request body.
bool UsesBody(S3Op op) {
  switch (op) {
    case S3Op::kCreateBucket:
    case S3Op::kPutBucketEncryption:
    case S3Op::kPutBucketPolicy:
    case S3Op::kDeleteObjects:
    case S3Op::kCompleteMultipartUpload:
    case S3Op::kPutObject:
    case S3Op::kUploadPart:
      return true;
    default:
      return false;
  }
}

bool IsUpload(S3Op op) { return op == S3Op::kPutObject || op == S3Op::kUploadPart; }

}  // namespace

// ---------------------------------------------------------------------------
// Response helpers
// ---------------------------------------------------------------------------

server::HttpResponse XmlResponse(int status, std::string xml) {
  server::HttpResponse r;
  r.status = status;
  r.body = std::move(xml);
  r.SetHeader("Content-Type", "application/xml");
  return r;
}

server::HttpResponse EmptyResponse(int status) {
  server::HttpResponse r;
  r.status = status;
  return r;
}

void AddSseHeaders(server::HttpResponse& r, const StoredSse& sse, bool with_context) {
  if (sse.algorithm.empty()) return;
  r.SetHeader("x-amz-server-side-encryption", sse.algorithm);
  if (sse.algorithm == kAwsKms) {
    r.SetHeader("x-amz-server-side-encryption-aws-kms-key-id", sse.kms_key_arn);
    if (sse.bucket_key) r.SetHeader("x-amz-server-side-encryption-bucket-key-enabled", "true");
    if (with_context && !sse.context_header.empty()) {
      r.SetHeader("x-amz-server-side-encryption-context",
                  crypto::Base64Encode(sse.kms_context));
    }
  }
}

std::string Quote(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

std::string Unquote(std::string_view etag) {
  while (!etag.empty() && (etag.front() == '"' || etag.front() == ' ')) etag.remove_prefix(1);
  while (!etag.empty() && (etag.back() == '"' || etag.back() == ' ')) etag.remove_suffix(1);
  return std::string(etag);
}

std::string HttpDate(int64_t micros) {
  return protocol::FormatRfc822(static_cast<double>(micros / 1000000));
}

std::string IsoTime(int64_t micros) {
  return protocol::FormatIso8601(static_cast<double>(micros / 1000) / 1000.0, true);
}

std::string CanonicalUserId(std::string_view account) {
  auto digest = crypto::Sha256("gee-s3-canonical-user:" + std::string(account));
  if (!digest.ok()) return std::string(64, '0');
  return crypto::HexEncode(std::span<const uint8_t>(digest->data(), digest->size()));
}

std::string UrlEncodeKey(std::string_view s) { return sigv4::UriEncode(s, /*keep_slash=*/true); }

Status CheckObjectAcl(const S3Call& call) {
  if (call.Has("x-amz-acl")) {
    std::string acl = Lower(call.Header("x-amz-acl"));
    if (acl != "private" && acl != "bucket-owner-full-control") return errors::AclNotSupported();
  }
  for (const auto& h : call.head.headers) {
    if (Lower(h.name).rfind("x-amz-grant-", 0) == 0) return errors::AclNotSupported();
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------
// BodyChecks
// ---------------------------------------------------------------------------

Result<BodyChecks> BodyChecks::FromHeaders(const server::HttpRequest& head) {
  GEE_ASSIGN_OR_RETURN(Md5 md5, Md5::Create());
  BodyChecks checks(std::move(md5));
  if (head.Has("content-md5")) {
    std::string sent(head.Header("content-md5"));
    auto decoded = crypto::Base64Decode(sent);
    if (!decoded.ok() || decoded->size() != kMd5Size) return errors::InvalidDigest(sent);
    checks.content_md5_ = sent;
  }
  for (const auto& h : head.headers) {
    std::optional<ChecksumKind> kind = ChecksumKindForHeader(h.name);
    if (!kind) continue;
    if (checks.kind_) return errors::MultipleChecksums();
    if (!IsValidChecksumValue(*kind, h.value)) return errors::InvalidChecksumValue(ChecksumHeader(*kind));
    checks.kind_ = kind;
    checks.expected_ = h.value;
  }
  if (!checks.kind_ && head.Has("x-amz-trailer")) {
    std::string_view trailer = head.Header("x-amz-trailer");
    if (auto kind = ChecksumKindForHeader(trailer)) {
      checks.kind_ = kind;
      checks.from_trailer_ = true;
    }
  }
  if (!checks.kind_ && head.Has("x-amz-sdk-checksum-algorithm")) {
    std::string_view name = head.Header("x-amz-sdk-checksum-algorithm");
    auto kind = ChecksumKindForAlgorithm(name);
    if (!kind) return errors::InvalidChecksumValue("x-amz-sdk-checksum-algorithm");
    checks.kind_ = kind;
  }
  if (checks.kind_) {
    GEE_ASSIGN_OR_RETURN(Checksum c, Checksum::Create(*checks.kind_));
    checks.checksum_.emplace(std::move(c));
  }
  return checks;
}

Status BodyChecks::Update(std::string_view data) {
  bytes_ += data.size();
  GEE_RETURN_IF_ERROR(md5_.Update(data));
  if (checksum_) GEE_RETURN_IF_ERROR(checksum_->Update(data));
  return OkStatus();
}

Status BodyChecks::Finish(const std::vector<sigv4::HeaderField>* trailers) {
  GEE_ASSIGN_OR_RETURN(md5_digest_, md5_.Finish());
  if (content_md5_) {
    std::string calculated = crypto::Base64Encode(Md5Bytes(md5_digest_));
    if (calculated != *content_md5_) return errors::BadDigest(*content_md5_, calculated);
  }
  if (checksum_) {
    GEE_ASSIGN_OR_RETURN(checksum_value_, checksum_->FinishBase64());
    std::optional<std::string> expected = expected_;
    if (from_trailer_ && trailers != nullptr) {
      for (const auto& [name, value] : *trailers) {
        if (Lower(name) == ChecksumHeader(*kind_)) expected = value;
      }
      if (!expected) return errors::InvalidRequest("The trailing checksum was not received.");
      if (!IsValidChecksumValue(*kind_, *expected)) {
        return errors::InvalidChecksumValue(ChecksumHeader(*kind_));
      }
    }
    if (expected && *expected != checksum_value_) {
      return errors::ChecksumMismatch(ChecksumAlgorithm(*kind_));
    }
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------
// BodyReceiver
// ---------------------------------------------------------------------------

Result<std::unique_ptr<BodyReceiver>> BodyReceiver::Create(const S3Call& call, Environment& env,
                                                           Sink sink) {
  GEE_ASSIGN_OR_RETURN(BodyChecks checks, BodyChecks::FromHeaders(call.head));
  auto receiver = std::unique_ptr<BodyReceiver>(new BodyReceiver(std::move(checks), std::move(sink)));
  const std::string& hash = call.payload_hash;
  std::vector<sigv4::HeaderField> fields = Fields(call.head);
  sigv4::RequestView view{call.head.method, call.head.target, fields};

  sigv4::AwsChunkedOptions options;
  if (call.Has("x-amz-decoded-content-length")) {
    std::string_view v = call.Header("x-amz-decoded-content-length");
    uint64_t n = 0;
    bool ok = !v.empty() && v.size() <= 19;
    for (char c : v) {
      if (c < '0' || c > '9') ok = false;
      else n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!ok) {
      return errors::InvalidArgument("x-amz-decoded-content-length is not a number",
                                     "x-amz-decoded-content-length", v);
    }
    options.decoded_content_length = n;
  }

  if (IsHex64(hash)) {
    GEE_ASSIGN_OR_RETURN(crypto::Hasher h, crypto::Hasher::CreateSha256());
    receiver->sha256_.emplace(std::move(h));
    receiver->expected_sha256_ = Lower(hash);
    auto parsed = sigv4::ParseAuthentication(view, sigv4::Dialect::kS3);
    if (parsed.ok()) receiver->auth_ = std::move(parsed).value();
  } else if (hash == sigv4::kStreamingSignedPayload) {
    auto parsed = sigv4::ParseAuthentication(view, sigv4::Dialect::kS3);
    if (!parsed.ok()) return sigv4::ToAwsError(parsed.failure(), WireProtocol::kRestXml);
    std::optional<CredentialRecord> record;
    {
      std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
      GEE_ASSIGN_OR_RETURN(record, env.credentials().Lookup(parsed->access_key_id));
    }
    if (!record) {
      return sigv4::ToAwsError(sigv4::UnknownAccessKey(*parsed), WireProtocol::kRestXml);
    }
    sigv4::VerifyOptions verify;
    verify.dialect = sigv4::Dialect::kS3;
    auto verified = sigv4::VerifySignature(view, *parsed, record->secret.AsStringView(), verify);
    if (!verified.ok()) return sigv4::ToAwsError(verified.failure(), WireProtocol::kRestXml);
    GEE_ASSIGN_OR_RETURN(receiver->chunked_,
                         sigv4::AwsChunkedDecoder::CreateSigned(
                             std::move(verified->signing_key), verified->amz_date,
                             verified->scope, verified->signature, options));
  } else if (hash == sigv4::kStreamingUnsignedPayloadTrailer) {
    std::string trailer(call.Header("x-amz-trailer"));
    if (!trailer.empty()) options.declared_trailers.push_back(trailer);
    GEE_ASSIGN_OR_RETURN(receiver->chunked_,
                         sigv4::AwsChunkedDecoder::CreateUnsignedTrailer(options));
  } else if (hash == sigv4::kStreamingSignedPayloadTrailer) {
    return errors::NotImplemented("x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
  }
  return receiver;
}

Status BodyReceiver::Deliver(std::string_view decoded) {
  if (decoded.empty()) return OkStatus();
  GEE_RETURN_IF_ERROR(checks_.Update(decoded));
  return sink_(decoded);
}

Status BodyReceiver::Feed(std::string_view raw) {
  if (sha256_) GEE_RETURN_IF_ERROR(sha256_->Update(raw));
  if (chunked_) {
    scratch_.clear();
    GEE_RETURN_IF_ERROR(chunked_->Feed(raw, &scratch_));
    return Deliver(scratch_);
  }
  return Deliver(raw);
}

Status BodyReceiver::Finish() {
  if (chunked_) GEE_RETURN_IF_ERROR(chunked_->Finish());
  if (sha256_) {
    GEE_ASSIGN_OR_RETURN(std::vector<uint8_t> digest, sha256_->Finish());
    std::string computed = crypto::HexEncode(std::span<const uint8_t>(digest));
    if (computed != expected_sha256_) {
      sigv4::ParsedAuth auth = auth_.value_or(sigv4::ParsedAuth{});
      auth.content_sha256 = expected_sha256_;
      sigv4::Failure f = sigv4::ContentSha256Mismatch(auth, computed);
      return sigv4::ToAwsError(f, WireProtocol::kRestXml);
    }
  }
  return checks_.Finish(chunked_ ? &chunked_->trailers() : nullptr);
}

// ---------------------------------------------------------------------------
// S3Exchange
// ---------------------------------------------------------------------------

class S3Exchange final : public server::Exchange {
 public:
  S3Exchange(S3Service& service, RequestContext ctx, const server::HttpRequest& head,
             std::string payload_hash)
      : service_(service) {
    call_.ctx = std::move(ctx);
    call_.ctx.service = "s3";
    call_.ctx.decisions = &call_.decisions;
    call_.start_micros = service_.env_.clock().NowMicros();
    call_.head.method = head.method;
    call_.head.target = head.target;
    call_.head.headers = head.headers;
    call_.head.remote_ip = head.remote_ip;
    call_.head.content_length = head.content_length;
    call_.head.chunked = head.chunked;
    call_.payload_hash = std::move(payload_hash);
  }

  ~S3Exchange() override {
    // A client that went away mid-body: the upload's writer (if any)
    // deletes its staging rows as call_ is destroyed.
    if (!logged_) service_.env_.LogAccess(call_.ctx, 499, call_.start_micros);
  }

  void set_error_sink(std::optional<AwsError>* sink) { error_sink_ = sink; }

  void Start() {
    Status st = Prepare();
    if (!st.ok()) error_ = std::move(st).error();
  }

  std::optional<server::HttpResponse> EarlyResponse() override {
    if (!error_) return std::nullopt;
    if (HasBody(call_.head) && !ExpectsContinue(call_.head)) {
      return std::nullopt;  // drain the body, answer at Complete (no reset)
    }
    return Finish(Render(*error_));
  }

  bool StreamBody() const override { return true; }

  Status OnBodyData(std::string_view data) override {
    if (error_) return OkStatus();  // draining
    if (!call_.receiver) return OkStatus();  // a body the operation ignores
    return call_.receiver->Feed(data);
  }

  server::HttpResponse Complete(server::HttpRequest& request, const AwsError* body_error) override {
    if (body_error != nullptr) {
      call_.upload.reset();
      return Finish(Render(*body_error));
    }
    if (error_) {
      call_.upload.reset();
      return Finish(Render(*error_));
    }
    if (call_.receiver) {
      Status st = call_.receiver->Finish();
      if (!st.ok()) {
        call_.upload.reset();
        return Finish(Render(st.error()));
      }
    }
    auto response = service_.Dispatch(call_);
    call_.upload.reset();
    if (!response.ok()) return Finish(Render(response.error()));
    server::HttpResponse r = std::move(response).value();
    r.SetHeader("x-amz-request-id", Gateway::S3RequestId(call_.ctx));
    r.SetHeader("x-amz-id-2", Gateway::S3HostId(call_.ctx));
    if (call_.head.method == "HEAD") {
      r.head_request = true;
      if (!r.content_length) r.content_length = r.body.size();
      r.body.clear();
      r.stream.reset();
    }
    return Finish(std::move(r));
  }

 private:
  Status Prepare() {
    std::string_view target = call_.head.target;
    auto [path, query] = sigv4::SplitTarget(target);
    call_.address = ResolveAddress(call_.head.Header("host"), path, service_.base_hosts_);
    call_.query = S3Query::Parse(query);
    GEE_ASSIGN_OR_RETURN(call_.op, ResolveOperation(call_.head.method, call_.address, call_.query,
                                                    call_.Has("x-amz-copy-source")));
    call_.ctx.operation = std::string(OperationName(call_.op));
    if (!call_.address.key.empty() && call_.address.key.size() > kMaxKeyLength) {
      return errors::KeyTooLong(call_.address.key.size());
    }
    if (IsUpload(call_.op)) {
      const bool aws_chunked = call_.payload_hash.rfind("STREAMING-", 0) == 0;
      if (call_.head.chunked && !aws_chunked) return errors::MissingContentLength();
      if (call_.op == S3Op::kPutObject) {
        GEE_RETURN_IF_ERROR(service_.BeginPutObject(call_));
      } else {
        GEE_RETURN_IF_ERROR(service_.BeginUploadPart(call_));
      }
      return OkStatus();
    }
    if (UsesBody(call_.op)) {
      const uint64_t limit = service_.env_.config().server.max_body_bytes;
      if (call_.head.content_length > limit) return errors::RequestTooBig(limit);
      GEE_ASSIGN_OR_RETURN(call_.receiver,
                           BodyReceiver::Create(call_, service_.env_, [this, limit](std::string_view d) -> Status {
                             if (call_.body.size() + d.size() > limit) return errors::RequestTooBig(limit);
                             call_.body.append(d);
                             return OkStatus();
                           }));
    }
    return OkStatus();
  }

  server::HttpResponse Render(const AwsError& error) {
    if (error_sink_ != nullptr) *error_sink_ = error;
    return Gateway::RenderError(WireProtocol::kRestXml, call_.ctx, error,
                                call_.head.method == "HEAD");
  }

  server::HttpResponse Finish(server::HttpResponse r) {
    logged_ = true;
    service_.env_.LogAccess(call_.ctx, r.status, call_.start_micros);
    return r;
  }

  S3Service& service_;
  S3Call call_;
  std::optional<AwsError> error_;
  std::optional<AwsError>* error_sink_ = nullptr;
  bool logged_ = false;
};

// ---------------------------------------------------------------------------
// S3Service
// ---------------------------------------------------------------------------

S3Service::S3Service(Environment& env) : env_(env), store_(env.db()), keys_(env, store_) {
  const std::string& host = env.config().server.host;
  if (!IsIpLiteral(host)) base_hosts_.push_back(host);
}

S3Service::~S3Service() = default;

bool S3Service::HasOperation(std::string_view operation) const {
  for (int i = 0; i <= static_cast<int>(S3Op::kListParts); ++i) {
    if (OperationName(static_cast<S3Op>(i)) == operation) return true;
  }
  return false;
}

std::vector<store::MigrationStep> S3Service::Migrations() const { return ObjectStore::Migrations(); }

std::unique_ptr<server::Exchange> S3Service::Begin(RequestContext ctx, server::HttpRequest& head,
                                                   const std::string& signed_payload_hash) {
  auto exchange = std::make_unique<S3Exchange>(*this, std::move(ctx), head, signed_payload_hash);
  exchange->Start();
  return exchange;
}

server::HttpResponse S3Service::Call(RequestContext ctx, server::HttpRequest request,
                                     std::optional<AwsError>* error_out) {
  if (!request.Has("host")) request.headers.push_back({"Host", "s3.amazonaws.com"});
  request.content_length = request.body.size();
  std::string payload_hash(sigv4::kUnsignedPayload);
  S3Exchange exchange(*this, std::move(ctx), request, payload_hash);
  exchange.set_error_sink(error_out);
  exchange.Start();
  if (auto early = exchange.EarlyResponse()) return std::move(*early);
  const AwsError* body_error = nullptr;
  Status fed = exchange.OnBodyData(request.body);
  std::optional<AwsError> error;
  if (!fed.ok()) {
    error = fed.error();
    body_error = &*error;
  }
  server::HttpResponse response = exchange.Complete(request, body_error);
  if (response.stream) {
    std::string body;
    std::vector<char> buf(64 * 1024);
    while (true) {
      auto n = response.stream->Read(buf.data(), buf.size());
      if (!n.ok()) {
        if (error_out != nullptr) *error_out = n.error();
        return Gateway::RenderError(WireProtocol::kRestXml, RequestContext{}, n.error());
      }
      if (*n == 0) break;
      body.append(buf.data(), *n);
    }
    response.stream.reset();
    response.body = std::move(body);
  }
  return response;
}

Status S3Service::Recover() {
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
  GEE_RETURN_IF_ERROR(store_.RemoveUnreferencedBlobs());
  return tx.Commit();
}

// ---- shared steps ----

Status S3Service::LoadBucket(S3Call& call, bool check_region) {
  std::optional<BucketRecord> bucket;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(bucket, store_.FindBucket(call.address.bucket));
  }
  if (!bucket) return errors::NoSuchBucket(call.address.bucket);
  if (check_region && !call.is_anonymous() && call.ctx.region != bucket->region) {
    return errors::WrongRegion(call.ctx.region, bucket->region);
  }
  if (call.Has("x-amz-expected-bucket-owner") &&
      call.Header("x-amz-expected-bucket-owner") != bucket->account) {
    return errors::ExpectedOwnerMismatch();
  }
  call.bucket = std::move(bucket);
  return OkStatus();
}

ConditionKeys S3Service::BaseKeys(const S3Call& call) const {
  ConditionKeys keys;
  if (!call.is_anonymous()) {
    const bool presigned = call.query.Has("X-Amz-Credential") || call.query.Has("X-Amz-Signature");
    keys.Set("s3:authType", presigned ? "REST-QUERY-STRING" : "REST-HEADER");
    keys.Set("s3:signatureversion", "AWS4-HMAC-SHA256");
  }
  if (call.Has("x-amz-content-sha256")) {
    keys.Set("s3:x-amz-content-sha256", std::string(call.Header("x-amz-content-sha256")));
  }
  return keys;
}

ConditionKeys S3Service::WriteKeys(const S3Call& call) const {
  ConditionKeys keys = BaseKeys(call);
  if (call.Has("x-amz-server-side-encryption")) {
    keys.Set("s3:x-amz-server-side-encryption",
             std::string(call.Header("x-amz-server-side-encryption")));
  }
  if (call.Has("x-amz-server-side-encryption-aws-kms-key-id")) {
    keys.Set("s3:x-amz-server-side-encryption-aws-kms-key-id",
             std::string(call.Header("x-amz-server-side-encryption-aws-kms-key-id")));
  }
  if (call.Has("x-amz-copy-source")) {
    keys.Set("s3:x-amz-copy-source", std::string(call.Header("x-amz-copy-source")));
  }
  if (call.Has("x-amz-metadata-directive")) {
    keys.Set("s3:x-amz-metadata-directive", std::string(call.Header("x-amz-metadata-directive")));
  }
  if (call.Has("x-amz-acl")) keys.Set("s3:x-amz-acl", std::string(call.Header("x-amz-acl")));
  if (call.Has("x-amz-storage-class")) {
    keys.Set("s3:x-amz-storage-class", std::string(call.Header("x-amz-storage-class")));
  }
  return keys;
}

Status S3Service::Authorize(S3Call& call, std::string_view action, const std::string& resource,
                            const BucketRecord* bucket, ConditionKeys keys) {
  AuthRequest request;
  request.action = std::string(action);
  request.resource = resource;
  if (bucket == nullptr && call.bucket) bucket = &*call.bucket;
  if (bucket != nullptr) {
    request.resource_account = bucket->account;
    const bool policy_action = action == "s3:PutBucketPolicy" || action == "s3:GetBucketPolicy" ||
                               action == "s3:DeleteBucketPolicy";
    // S3's lockout rule: the owning account's root can always manage the policy.
    const bool root_owner = call.ctx.principal.type == PrincipalType::kRoot &&
                            call.ctx.principal.account == bucket->account;
    if (bucket->policy && !(policy_action && root_owner)) {
      request.resource_policy_kind = ResourcePolicyKind::kStandard;
      request.resource_policy = *bucket->policy;
      request.resource_policy_name = "bucket policy of " + bucket->name;
    }
  }
  request.keys = std::move(keys);
  call.ctx.service = "s3";
  return env_.Authorize(call.ctx, request);
}

AwsError S3Service::MissingObject(S3Call& call, const BucketRecord& bucket, std::string_view key) {
  Status may_list = Authorize(call, "s3:ListBucket", BucketArn(bucket.name), &bucket, BaseKeys(call));
  if (!may_list.ok()) return std::move(may_list).error();
  return errors::NoSuchKey(key);
}

Result<server::HttpResponse> S3Service::Dispatch(S3Call& call) {
  switch (call.op) {
    case S3Op::kListBuckets: return ListBuckets(call);
    case S3Op::kCreateBucket: return CreateBucket(call);
    case S3Op::kDeleteBucket: return DeleteBucket(call);
    case S3Op::kHeadBucket: return HeadBucket(call);
    case S3Op::kGetBucketLocation: return GetBucketLocation(call);
    case S3Op::kGetBucketVersioning: return GetBucketVersioning(call);
    case S3Op::kPutBucketEncryption: return PutBucketEncryption(call);
    case S3Op::kGetBucketEncryption: return GetBucketEncryption(call);
    case S3Op::kDeleteBucketEncryption: return DeleteBucketEncryption(call);
    case S3Op::kPutBucketPolicy: return PutBucketPolicy(call);
    case S3Op::kGetBucketPolicy: return GetBucketPolicy(call);
    case S3Op::kDeleteBucketPolicy: return DeleteBucketPolicy(call);
    case S3Op::kListObjects: return ListObjects(call, false);
    case S3Op::kListObjectsV2: return ListObjects(call, true);
    case S3Op::kListMultipartUploads: return ListMultipartUploads(call);
    case S3Op::kDeleteObjects: return DeleteObjects(call);
    case S3Op::kPutObject: return FinishPutObject(call);
    case S3Op::kCopyObject: return CopyObject(call);
    case S3Op::kGetObject: return GetObject(call, false);
    case S3Op::kHeadObject: return GetObject(call, true);
    case S3Op::kDeleteObject: return DeleteObject(call);
    case S3Op::kCreateMultipartUpload: return CreateMultipartUpload(call);
    case S3Op::kUploadPart: return FinishUploadPart(call);
    case S3Op::kUploadPartCopy: return UploadPartCopy(call);
    case S3Op::kCompleteMultipartUpload: return CompleteMultipartUpload(call);
    case S3Op::kAbortMultipartUpload: return AbortMultipartUpload(call);
    case S3Op::kListParts: return ListParts(call);
  }
  return errors::Internal();
}

// ---- at-rest inspection ----

Result<std::vector<AtRestRecord>> S3Service::Inspect(std::string_view kind, std::string_view id,
                                                     std::string_view probe) {
  size_t slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= id.size()) {
    return AwsError("ValidationException", "an s3-object id is \"bucket/key\"", 400);
  }
  std::string bucket(id.substr(0, slash));
  std::string key(id.substr(slash + 1));
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_ASSIGN_OR_RETURN(std::optional<ObjectRecord> object, store_.FindObject(bucket, key));
  if (!object) return errors::NoSuchKey(key);

  const std::string scheme = KeyManager::SchemeName(object->sse);
  const std::string protected_by = KeyManager::ProtectedBy(object->sse);
  auto contains = [&](std::string_view haystack) {
    return !probe.empty() && haystack.find(probe) != std::string_view::npos;
  };
  std::vector<AtRestRecord> records;
  AtRestRecord data_key;
  data_key.kind = std::string(kind);
  data_key.id = std::string(id);
  data_key.part = "data key";
  data_key.scheme = scheme;
  data_key.protected_by = protected_by;
  data_key.stored_bytes = object->sse.wrapped_key.size();
  data_key.probe_found = contains(object->sse.wrapped_key);
  records.push_back(std::move(data_key));

  for (const Piece& piece : object->pieces) {
    GEE_ASSIGN_OR_RETURN(std::optional<BlobInfo> blob, store_.GetBlob(piece.blob_id));
    if (!blob) return AwsError("InternalError", "object data is missing", 500);
    GEE_ASSIGN_OR_RETURN(std::vector<std::string> segments, store_.ReadAllSegments(piece.blob_id));
    // A probe could straddle two rows: scan each row with the tail of the previous one.
    std::string tail = blob->header;
    const std::string prefix =
        object->parts_count > 0 ? "part " + std::to_string(piece.part_number) + " " : "";
    AtRestRecord header;
    header.kind = std::string(kind);
    header.id = std::string(id);
    header.part = prefix + "stream header";
    header.scheme = scheme;
    header.protected_by = protected_by;
    header.stored_bytes = blob->header.size();
    header.probe_found = contains(blob->header);
    records.push_back(std::move(header));
    for (size_t i = 0; i < segments.size(); ++i) {
      AtRestRecord r;
      r.kind = std::string(kind);
      r.id = std::string(id);
      r.part = prefix + "segment " + std::to_string(i);
      r.scheme = scheme;
      r.protected_by = protected_by;
      r.stored_bytes = segments[i].size();
      std::string window = tail + segments[i];
      r.probe_found = contains(window);
      size_t keep = probe.empty() ? 0 : std::min(probe.size() - 1, segments[i].size());
      tail = segments[i].substr(segments[i].size() - keep);
      records.push_back(std::move(r));
    }
  }
  return records;
}

}  // namespace gee::s3

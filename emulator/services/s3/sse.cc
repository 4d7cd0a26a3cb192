#include "services/s3/sse.h"

#include <cctype>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/environment.h"
#include "core/ids.h"
#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "services/kms/kms_client.h"
#include "services/s3/errors.h"
#include "store/database.h"
#include "store/root_key.h"

namespace gee::s3 {
namespace {

constexpr std::string_view kSseHeader = "x-amz-server-side-encryption";
constexpr std::string_view kKeyHeader = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr std::string_view kContextHeader = "x-amz-server-side-encryption-context";
constexpr std::string_view kBucketKeyHeader = "x-amz-server-side-encryption-bucket-key-enabled";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> Header(const std::vector<server::HttpHeader>& headers,
                                  std::string_view name) {
  for (const auto& h : headers) {
    if (Lower(h.name) == name) return h.value;
  }
  return std::nullopt;
}

bool HasSseCustomerHeaders(const std::vector<server::HttpHeader>& headers) {
  for (const auto& h : headers) {
    std::string n = Lower(h.name);
    if (n.rfind("x-amz-server-side-encryption-customer-", 0) == 0 ||
        n.rfind("x-amz-copy-source-server-side-encryption-customer-", 0) == 0) {
      return true;
    }
  }
  return false;
}

void AppendLengthPrefixed(std::string& out, std::string_view part) {
  uint32_t n = static_cast<uint32_t>(part.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(part);
}

std::string SseS3Aad(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string aad = "gee-s3-sse-s3-v1";
  AppendLengthPrefixed(aad, bucket);
  AppendLengthPrefixed(aad, key);
  AppendLengthPrefixed(aad, upload_id);
  return aad;
}

std::string MasterKeyLabel(std::string_view id) { return store::SecretLabel("s3-sse-key", {id}); }

Result<kms::EncryptionContextMap> ContextFromJson(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return errors::Internal();
  kms::EncryptionContextMap out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_string()) return errors::Internal();
    out[it.key()] = it->get<std::string>();
  }
  return out;
}

// The region of a KMS key ARN ("arn:aws:kms:REGION:..."), or "" for other forms.
std::string KeyArnRegion(std::string_view key_id) {
  if (key_id.rfind("arn:", 0) != 0) return "";
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    pos = key_id.find(':', pos);
    if (pos == std::string_view::npos) return "";
    ++pos;
  }
  size_t end = key_id.find(':', pos);
  if (end == std::string_view::npos) return "";
  return std::string(key_id.substr(pos, end - pos));
}

RequestContext ThroughS3(const RequestContext& ctx, const BucketRecord& bucket) {
  RequestContext k = ViaService(ctx, "s3." + bucket.region + ".amazonaws.com", "s3.amazonaws.com");
  k.region = bucket.region;
  return k;
}

}  // namespace

std::string BucketArn(std::string_view bucket) { return "arn:aws:s3:::" + std::string(bucket); }

std::string ObjectArn(std::string_view bucket, std::string_view key) {
  return "arn:aws:s3:::" + std::string(bucket) + "/" + std::string(key);
}

Result<SseRequest> ParseSseHeaders(const std::vector<server::HttpHeader>& headers) {
  if (HasSseCustomerHeaders(headers)) {
    return errors::NotImplemented("x-amz-server-side-encryption-customer-* (SSE-C)");
  }
  SseRequest r;
  r.algorithm = Header(headers, kSseHeader);
  r.kms_key_id = Header(headers, kKeyHeader);
  r.context = Header(headers, kContextHeader);
  std::optional<std::string> bucket_key = Header(headers, kBucketKeyHeader);

  if (r.algorithm) {
    if (*r.algorithm == "aws:kms:dsse") {
      return errors::NotImplemented("x-amz-server-side-encryption: aws:kms:dsse (DSSE-KMS)");
    }
    if (*r.algorithm != kAes256 && *r.algorithm != kAwsKms) {
      return errors::UnsupportedEncryptionMethod(*r.algorithm);
    }
  }
  const bool kms = r.algorithm && *r.algorithm == kAwsKms;
  if (r.kms_key_id && !kms) return errors::KmsKeyWithoutAwsKms(kKeyHeader, *r.kms_key_id);
  if (r.context && !kms) return errors::KmsKeyWithoutAwsKms(kContextHeader, *r.context);
  if (r.kms_key_id && r.kms_key_id->empty()) {
    return errors::InvalidArgument("KMS key id must not be empty", kKeyHeader, "");
  }
  if (r.context) {
    auto decoded = crypto::Base64Decode(*r.context);
    if (!decoded.ok()) return errors::InvalidEncryptionContext(*r.context);
    auto j = nlohmann::json::parse(*decoded, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return errors::InvalidEncryptionContext(*r.context);
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it->is_string()) return errors::InvalidEncryptionContext(*r.context);
      r.context_map[it.key()] = it->get<std::string>();
    }
  }
  if (bucket_key) {
    std::string v = Lower(*bucket_key);
    if (v == "true") {
      r.bucket_key = true;
    } else if (v == "false") {
      r.bucket_key = false;
    } else {
      return errors::InvalidArgument("Invalid value for header", kBucketKeyHeader, *bucket_key);
    }
  }
  return r;
}

Status RejectSseHeaders(const std::vector<server::HttpHeader>& headers) {
  if (HasSseCustomerHeaders(headers)) {
    return errors::NotImplemented("x-amz-server-side-encryption-customer-* (SSE-C)");
  }
  for (std::string_view name : {kSseHeader, kKeyHeader, kContextHeader, kBucketKeyHeader}) {
    if (auto v = Header(headers, name)) return errors::SseHeaderNotSupported(name, *v);
  }
  return OkStatus();
}

std::optional<BucketEncryption> ParseBucketEncryption(const std::optional<std::string>& stored) {
  if (!stored) return std::nullopt;
  auto j = nlohmann::json::parse(*stored, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  BucketEncryption rule;
  rule.algorithm = j.value("SSEAlgorithm", std::string(kAes256));
  rule.kms_master_key_id = j.value("KMSMasterKeyID", std::string());
  rule.bucket_key_enabled = j.value("BucketKeyEnabled", false);
  return rule;
}

std::string BucketEncryptionJson(const BucketEncryption& rule) {
  nlohmann::ordered_json j;
  j["SSEAlgorithm"] = rule.algorithm;
  if (!rule.kms_master_key_id.empty()) j["KMSMasterKeyID"] = rule.kms_master_key_id;
  j["BucketKeyEnabled"] = rule.bucket_key_enabled;
  return j.dump();
}

SsePlan PlanSse(const SseRequest& request, const std::optional<BucketEncryption>& rule) {
  SsePlan plan;
  const bool rule_kms = rule && rule->algorithm == kAwsKms;
  if (request.algorithm) {
    plan.algorithm = *request.algorithm;
    if (plan.algorithm == kAwsKms) {
      plan.kms_key_id = request.kms_key_id.value_or(kAwsManagedS3Key);
      plan.bucket_key = request.bucket_key.value_or(rule_kms && rule->bucket_key_enabled);
      plan.context_header = request.context.value_or("");
      plan.user_context = request.context_map;
    }
    return plan;
  }
  if (rule_kms) {
    plan.algorithm = kAwsKms;
    plan.kms_key_id = rule->kms_master_key_id.empty() ? kAwsManagedS3Key : rule->kms_master_key_id;
    plan.bucket_key = request.bucket_key.value_or(rule->bucket_key_enabled);
    return plan;
  }
  plan.algorithm = kAes256;
  return plan;
}

Result<DataKey> KeyManager::NewDataKey(RequestContext& ctx, const SsePlan& plan,
                                       const BucketRecord& bucket, std::string_view key,
                                       std::string_view upload_id) {
  DataKey out;
  out.stored.algorithm = plan.algorithm;
  if (plan.algorithm == kAwsKms) {
    std::string region = KeyArnRegion(plan.kms_key_id);
    if (!region.empty() && region != bucket.region) return errors::KmsKeyInOtherRegion(region);
    kms::EncryptionContextMap context = plan.user_context;
    const std::string arn = plan.bucket_key ? BucketArn(bucket.name) : ObjectArn(bucket.name, key);
    auto existing = context.find("aws:s3:arn");
    if (existing != context.end() && existing->second != arn) {
      return errors::InvalidArgument(
          "The encryption context key aws:s3:arn must name the object (or, with an S3 Bucket "
          "Key, the bucket)",
          "x-amz-server-side-encryption-context", plan.context_header);
    }
    context["aws:s3:arn"] = arn;
    RequestContext kctx = ThroughS3(ctx, bucket);
    kms::KmsClient client(env_);
    auto generated = client.GenerateDataKey(kctx, plan.kms_key_id, context, 32);
    if (!generated.ok()) return errors::FromKms(generated.error());
    out.key = std::move(generated->plaintext);
    out.stored.kms_key_arn = generated->key_arn;
    out.stored.bucket_key = plan.bucket_key;
    out.stored.context_header = plan.context_header;
    out.stored.kms_context = nlohmann::json(context).dump();
    out.stored.wrapped_key = std::move(generated->ciphertext_blob);
    return out;
  }
  GEE_ASSIGN_OR_RETURN(auto master, CurrentMasterKey());
  out.key = crypto::SecretBytes::FromRandom(32, env_.random());
  GEE_ASSIGN_OR_RETURN(out.stored.wrapped_key,
                       crypto::Seal(master.second, out.key.AsStringView(),
                                    SseS3Aad(bucket.name, key, upload_id), env_.random()));
  out.stored.sse_s3_key_id = master.first;
  return out;
}

Result<crypto::SecretBytes> KeyManager::OpenDataKey(RequestContext& ctx, const StoredSse& sse,
                                                    const BucketRecord& bucket,
                                                    std::string_view key,
                                                    std::string_view upload_id) {
  if (sse.algorithm == kAwsKms) {
    GEE_ASSIGN_OR_RETURN(kms::EncryptionContextMap context, ContextFromJson(sse.kms_context));
    RequestContext kctx = ThroughS3(ctx, bucket);
    kms::KmsClient client(env_);
    auto decrypted = client.Decrypt(kctx, sse.wrapped_key, context, sse.kms_key_arn);
    if (!decrypted.ok()) return errors::FromKms(decrypted.error());
    return std::move(decrypted->plaintext);
  }
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes master, MasterKey(sse.sse_s3_key_id));
  auto opened = crypto::OpenSecret(master, sse.wrapped_key, SseS3Aad(bucket.name, key, upload_id));
  if (!opened.ok()) {
    return AwsError("InternalError", "a stored SSE-S3 data key failed authentication", 500);
  }
  return std::move(opened).value();
}

Result<std::pair<std::string, crypto::SecretBytes>> KeyManager::CurrentMasterKey() {
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_ASSIGN_OR_RETURN(auto latest, store_.LatestSseKey());
  if (latest) {
    GEE_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                         env_.keyring().Open(MasterKeyLabel(latest->first), latest->second));
    return std::pair(latest->first, std::move(key));
  }
  std::string id = NewHexId(16, env_.random());
  crypto::SecretBytes key = crypto::SecretBytes::FromRandom(32, env_.random());
  GEE_ASSIGN_OR_RETURN(std::string sealed, env_.keyring().Seal(MasterKeyLabel(id), key));
  GEE_RETURN_IF_ERROR(store_.InsertSseKey(id, sealed, env_.clock().NowMicros()));
  return std::pair(id, std::move(key));
}

Result<crypto::SecretBytes> KeyManager::MasterKey(std::string_view id) {
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> sealed, store_.SseKey(id));
  if (!sealed) return AwsError("InternalError", "the SSE-S3 master key of an object is missing", 500);
  return env_.keyring().Open(MasterKeyLabel(id), *sealed);
}

std::string KeyManager::ProtectedBy(const StoredSse& sse) {
  if (sse.algorithm == kAwsKms) return sse.kms_key_arn;
  return "gee SSE-S3 master key " + sse.sse_s3_key_id + " (sealed under the root key)";
}

std::string KeyManager::SchemeName(const StoredSse& sse) {
  return sse.algorithm == kAwsKms ? "SSE-KMS" : "SSE-S3";
}

}  // namespace gee::s3

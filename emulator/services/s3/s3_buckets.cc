// S3 bucket-level operations: buckets, default encryption, bucket policies,
// listings and multi-object delete.
#include <algorithm>
#include <cctype>
#include <mutex>
#include <nlohmann/json.hpp>

#include "auth/policy/policy.h"
#include "crypto/encoding.h"
#include "protocol/model.h"
#include "protocol/s3_xml.h"
#include "services/s3/errors.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_service.h"
#include "store/database.h"

namespace gee::s3 {
namespace {

using OJson = nlohmann::ordered_json;

constexpr size_t kMaxBucketPolicyBytes = 20 * 1024;
constexpr int kDefaultMaxKeys = 1000;

Result<nlohmann::json> ParseBody(std::string_view body, std::string_view shape_name,
                                 std::string_view root) {
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get("s3"));
  const protocol::Shape* shape = model->FindShape(shape_name);
  if (shape == nullptr) return errors::Internal();
  return protocol::ParseXmlToShape(body, *shape, root);
}

OJson OwnerJson(std::string_view account) {
  OJson owner;
  owner["ID"] = CanonicalUserId(account);
  owner["DisplayName"] = std::string(account);
  return owner;
}

// S3's words for the shared parser's policy errors.
AwsError PolicyError(const AwsError& parse_error) {
  const std::string& m = parse_error.message;
  if (m == "This policy contains invalid Json") {
    return errors::MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (m == "Policy statement must contain actions.") {
    return errors::MalformedPolicy("Missing required field Action");
  }
  if (m == "Policy statement must contain resources.") {
    return errors::MalformedPolicy("Missing required field Resource");
  }
  if (m == "Syntax errors in policy.") return errors::MalformedPolicy("Invalid policy syntax.");
  return errors::MalformedPolicy(m);
}

// A bucket policy's resources must be this bucket or objects in it (the
// bucket part may use wildcards that match the bucket's name); its actions
// must be S3 actions.
Status CheckPolicyScope(const policy::Policy& p, std::string_view bucket) {
  for (const policy::Statement& st : p.statements()) {
    for (const policy::Glob& action : st.actions) {
      std::string a = action.ToString();
      if (a != "*" && a.rfind("s3:", 0) != 0) {
        return errors::MalformedPolicy("Policy has invalid action");
      }
    }
    for (const policy::PolicyString& r : st.resources) {
      std::string_view text = r.text();
      constexpr std::string_view kPrefix = "arn:aws:s3:::";
      if (text.substr(0, kPrefix.size()) != kPrefix) {
        return errors::MalformedPolicy("Policy has invalid resource");
      }
      std::string_view rest = text.substr(kPrefix.size());
      std::string_view bucket_part = rest.substr(0, rest.find('/'));
      if (bucket_part.find("${") == std::string_view::npos &&
          !policy::Glob::FromPattern(bucket_part).Matches(bucket)) {
        return errors::MalformedPolicy("Policy has invalid resource");
      }
    }
  }
  return OkStatus();
}

// One page of a listing: objects and common prefixes in key order.
struct Listing {
  std::vector<ObjectSummary> contents;
  std::vector<std::string> prefixes;
  bool truncated = false;
  // The last key or prefix returned (for markers and tokens), and which.
  std::string last;
  bool last_is_prefix = false;
};

std::optional<std::string> Successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

// Lists keys of `bucket` under `prefix` after `start` (exclusive; when
// `start_is_prefix`, after every key under that common prefix), grouping by
// `delimiter`, at most `max_keys` entries.
Result<Listing> ListKeys(ObjectStore& store, std::string_view bucket, std::string_view prefix,
                         std::string_view delimiter, std::string start, bool start_is_prefix,
                         int max_keys) {
  Listing out;
  std::string bound = std::move(start);
  bool inclusive = false;
  if (start_is_prefix) {
    auto next = Successor(bound);
    if (!next) return out;
    bound = *next;
    inclusive = true;
  }
  int count = 0;
  std::string last_prefix;
  while (true) {
    GEE_ASSIGN_OR_RETURN(std::vector<ObjectSummary> batch,
                         store.ScanObjects(bucket, prefix, bound, inclusive, 1000));
    if (batch.empty()) return out;
    bool restart = false;
    for (ObjectSummary& s : batch) {
      bound = s.key;
      inclusive = false;
      if (!delimiter.empty()) {
        size_t pos = s.key.find(delimiter, prefix.size());
        if (pos != std::string::npos) {
          std::string cp = s.key.substr(0, pos + delimiter.size());
          if (cp == last_prefix) continue;
          if (count == max_keys) {
            out.truncated = true;
            return out;
          }
          out.prefixes.push_back(cp);
          out.last = cp;
          out.last_is_prefix = true;
          last_prefix = cp;
          ++count;
          auto next = Successor(cp);
          if (!next) return out;
          bound = *next;
          inclusive = true;
          restart = true;
          break;
        }
      }
      if (count == max_keys) {
        out.truncated = true;
        return out;
      }
      out.last = s.key;
      out.last_is_prefix = false;
      out.contents.push_back(std::move(s));
      ++count;
    }
    if (!restart && batch.size() < 1000) return out;
  }
}

std::string EncodeToken(const Listing& l) {
  return crypto::Base64Encode((l.last_is_prefix ? "p:" : "k:") + l.last);
}

Result<std::pair<std::string, bool>> DecodeToken(std::string_view token) {
  auto invalid = [&] {
    return errors::InvalidArgument("The continuation token provided is incorrect",
                                   "continuation-token", token);
  };
  auto decoded = crypto::Base64Decode(token);
  if (!decoded.ok() || decoded->size() < 2 || (*decoded)[1] != ':') return invalid();
  char kind = (*decoded)[0];
  if (kind != 'k' && kind != 'p') return invalid();
  return std::pair(decoded->substr(2), kind == 'p');
}

Result<int> ParseMaxKeys(const S3Query& q, std::string_view name) {
  auto v = q.Get(name);
  if (!v) return kDefaultMaxKeys;
  if (!v->empty() && (*v)[0] == '-') {
    return errors::InvalidArgument("Argument maxKeys must be an integer between 0 and 2147483647",
                                   name, *v);
  }
  bool digits = !v->empty() && v->size() <= 10 &&
                std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
  int64_t n = digits ? std::stoll(*v) : -1;
  if (!digits || n > 2147483647) {
    return errors::InvalidArgument("Provided max-keys not an integer or within integer range",
                                   name, *v);
  }
  return static_cast<int>(std::min<int64_t>(n, kDefaultMaxKeys));
}

}  // namespace

// ---------------------------------------------------------------------------
// Buckets
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::ListBuckets(S3Call& call) {
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:ListAllMyBuckets", "*", nullptr, BaseKeys(call)));
  std::vector<BucketRecord> buckets;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(buckets, store_.ListBuckets(call.ctx.principal.account));
  }
  OJson list = OJson::array();
  for (const BucketRecord& b : buckets) {
    OJson entry;
    entry["Name"] = b.name;
    entry["CreationDate"] = IsoTime(b.created_micros);
    list.push_back(std::move(entry));
  }
  OJson doc;
  doc["Owner"] = OwnerJson(call.ctx.principal.account);
  doc["Buckets"] = OJson::object();
  doc["Buckets"]["Bucket"] = std::move(list);
  return XmlResponse(200, protocol::JsonToXml(doc, "ListAllMyBucketsResult"));
}

Result<server::HttpResponse> S3Service::CreateBucket(S3Call& call) {
  const std::string& name = call.address.bucket;
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:CreateBucket", BucketArn(name), nullptr, BaseKeys(call)));
  if (call.is_anonymous()) {
    return AwsError("AccessDenied", "Anonymous users cannot create buckets", 403);
  }
  if (!IsValidBucketName(name)) return errors::InvalidBucketName(name);
  // New buckets enforce bucket-owner object ownership: no ACLs but "private".
  if ((call.Has("x-amz-acl") && call.Header("x-amz-acl") != "private") ||
      std::any_of(call.head.headers.begin(), call.head.headers.end(), [](const auto& h) {
        std::string n = h.name;
        for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return n.rfind("x-amz-grant-", 0) == 0;
      })) {
    return errors::BucketAclWithOwnerEnforced();
  }

  std::string constraint;
  if (!call.body.empty()) {
    GEE_ASSIGN_OR_RETURN(nlohmann::json config,
                         ParseBody(call.body, "CreateBucketConfiguration", "CreateBucketConfiguration"));
    if (config.contains("LocationConstraint") && config["LocationConstraint"].is_string()) {
      constraint = config["LocationConstraint"].get<std::string>();
    }
  }
  const std::string& region = call.ctx.region;
  if (region == "us-east-1") {
    if (constraint == "us-east-1") return errors::InvalidLocationConstraint(constraint);
    if (!constraint.empty()) return errors::IllegalLocationConstraint(constraint);
  } else {
    if (constraint.empty()) return errors::IllegalLocationConstraint("");
    if (constraint != region) return errors::IllegalLocationConstraint(constraint);
  }

  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
  GEE_ASSIGN_OR_RETURN(std::optional<BucketRecord> existing, store_.FindBucket(name));
  if (existing) {
    if (existing->account != call.ctx.principal.account) return errors::BucketAlreadyExists(name);
    // us-east-1 answers a repeated CreateBucket by the owner with success.
    if (existing->region != "us-east-1" || region != "us-east-1") {
      return errors::BucketAlreadyOwnedByYou(name);
    }
  } else {
    BucketRecord bucket;
    bucket.name = name;
    bucket.account = call.ctx.principal.account;
    bucket.region = region;
    bucket.created_micros = env_.clock().NowMicros();
    GEE_RETURN_IF_ERROR(store_.InsertBucket(bucket));
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  server::HttpResponse r = EmptyResponse(200);
  r.SetHeader("Location", region == "us-east-1" ? "/" + name
                                                : "http://" + name + ".s3.amazonaws.com/");
  return r;
}

Result<server::HttpResponse> S3Service::DeleteBucket(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:DeleteBucket", BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(bool has_objects, store_.BucketHasObjects(call.bucket->name));
    if (has_objects) return errors::BucketNotEmpty(call.bucket->name);
    GEE_ASSIGN_OR_RETURN(garbage, store_.DeleteBucket(call.bucket->name));
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  (void)storage().Collect(garbage);
  return EmptyResponse(204);
}

Result<server::HttpResponse> S3Service::HeadBucket(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:ListBucket", BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  server::HttpResponse r = EmptyResponse(200);
  r.SetHeader("x-amz-bucket-region", call.bucket->region);
  r.content_length = 0;
  return r;
}

Result<server::HttpResponse> S3Service::GetBucketLocation(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call, /*check_region=*/false));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:GetBucketLocation", BucketArn(call.bucket->name), nullptr,
                                BaseKeys(call)));
  const std::string& region = call.bucket->region;
  std::string xml = std::string(protocol::kXmlDeclaration) +
                    "<LocationConstraint xmlns=\"" + protocol::kS3Namespace + "\">" +
                    (region == "us-east-1" ? "" : region) + "</LocationConstraint>";
  return XmlResponse(200, std::move(xml));
}

Result<server::HttpResponse> S3Service::GetBucketVersioning(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:GetBucketVersioning", BucketArn(call.bucket->name),
                                nullptr, BaseKeys(call)));
  return XmlResponse(200, protocol::JsonToXml(OJson::object(), "VersioningConfiguration"));
}

// ---------------------------------------------------------------------------
// Default encryption (spec §7.2)
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::PutBucketEncryption(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:PutEncryptionConfiguration",
                                BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  if (!call.receiver || (!call.receiver->checks().has_content_md5() &&
                         !call.receiver->checks().has_checksum_value())) {
    return errors::MissingContentMd5();
  }
  GEE_ASSIGN_OR_RETURN(nlohmann::json config,
                       ParseBody(call.body, "ServerSideEncryptionConfiguration",
                                 "ServerSideEncryptionConfiguration"));
  if (!config.contains("Rules") || !config["Rules"].is_array() || config["Rules"].size() != 1) {
    return errors::MalformedXml();
  }
  const nlohmann::json& rule = config["Rules"][0];
  BucketEncryption stored;
  if (rule.contains("ApplyServerSideEncryptionByDefault")) {
    const nlohmann::json& d = rule["ApplyServerSideEncryptionByDefault"];
    if (!d.contains("SSEAlgorithm") || !d["SSEAlgorithm"].is_string()) return errors::MalformedXml();
    std::string algorithm = d["SSEAlgorithm"].get<std::string>();
    if (algorithm == "aws:kms:dsse") {
      return errors::NotImplemented("SSEAlgorithm aws:kms:dsse (DSSE-KMS)");
    }
    if (algorithm != kAes256 && algorithm != kAwsKms) return errors::MalformedXml();
    std::string key_id;
    if (d.contains("KMSMasterKeyID") && d["KMSMasterKeyID"].is_string()) {
      key_id = d["KMSMasterKeyID"].get<std::string>();
      if (algorithm != kAwsKms) return errors::KmsMasterKeyNotApplicable();
    }
    stored.algorithm = algorithm;
    stored.kms_master_key_id = key_id;
  }
  if (rule.contains("BucketKeyEnabled") && rule["BucketKeyEnabled"].is_boolean()) {
    stored.bucket_key_enabled = rule["BucketKeyEnabled"].get<bool>();
  }
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_RETURN_IF_ERROR(store_.SetBucketEncryption(call.bucket->name, BucketEncryptionJson(stored)));
  }
  return EmptyResponse(200);
}

Result<server::HttpResponse> S3Service::GetBucketEncryption(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:GetEncryptionConfiguration",
                                BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  BucketEncryption rule = ParseBucketEncryption(call.bucket->encryption).value_or(BucketEncryption{});
  OJson by_default;
  by_default["SSEAlgorithm"] = rule.algorithm;
  if (!rule.kms_master_key_id.empty()) by_default["KMSMasterKeyID"] = rule.kms_master_key_id;
  OJson r;
  r["ApplyServerSideEncryptionByDefault"] = std::move(by_default);
  r["BucketKeyEnabled"] = rule.bucket_key_enabled;
  OJson doc;
  doc["Rule"] = std::move(r);
  return XmlResponse(200, protocol::JsonToXml(doc, "ServerSideEncryptionConfiguration"));
}

Result<server::HttpResponse> S3Service::DeleteBucketEncryption(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:PutEncryptionConfiguration",
                                BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_RETURN_IF_ERROR(store_.SetBucketEncryption(call.bucket->name, std::nullopt));
  return EmptyResponse(204);
}

// ---------------------------------------------------------------------------
// Bucket policies
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::PutBucketPolicy(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:PutBucketPolicy", BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  const std::string& text = call.body;
  if (text.empty() || text.front() != '{') {
    return errors::MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (text.size() > kMaxBucketPolicyBytes) {
    return errors::MalformedPolicy("Policy exceeds the maximum allowed document size.");
  }
  auto parsed = policy::ParseResourcePolicy(text);
  if (!parsed.ok()) return PolicyError(parsed.error());
  GEE_RETURN_IF_ERROR(CheckPolicyScope(**parsed, call.bucket->name));
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_RETURN_IF_ERROR(store_.SetBucketPolicy(call.bucket->name, text));
  return EmptyResponse(204);
}

Result<server::HttpResponse> S3Service::GetBucketPolicy(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:GetBucketPolicy", BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  if (!call.bucket->policy) return errors::NoSuchBucketPolicy(call.bucket->name);
  server::HttpResponse r = EmptyResponse(200);
  r.body = *call.bucket->policy;
  r.SetHeader("Content-Type", "application/json");
  return r;
}

Result<server::HttpResponse> S3Service::DeleteBucketPolicy(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:DeleteBucketPolicy", BucketArn(call.bucket->name),
                                nullptr, BaseKeys(call)));
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  GEE_RETURN_IF_ERROR(store_.SetBucketPolicy(call.bucket->name, std::nullopt));
  return EmptyResponse(204);
}

// ---------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::ListObjects(S3Call& call, bool v2) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string prefix = call.query.Get("prefix").value_or("");
  const std::string delimiter = call.query.Get("delimiter").value_or("");
  const std::optional<std::string> encoding = call.query.Get("encoding-type");
  if (encoding && *encoding != "url") {
    return errors::InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type",
                                   *encoding);
  }
  ConditionKeys keys = BaseKeys(call);
  if (call.query.Has("prefix")) keys.Set("s3:prefix", prefix);
  if (call.query.Has("delimiter")) keys.Set("s3:delimiter", delimiter);
  if (call.query.Has("max-keys")) keys.Set("s3:max-keys", *call.query.Get("max-keys"));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:ListBucket", BucketArn(call.bucket->name), nullptr, keys));
  GEE_ASSIGN_OR_RETURN(int max_keys, ParseMaxKeys(call.query, "max-keys"));

  std::string start;
  bool start_is_prefix = false;
  std::optional<std::string> token = v2 ? call.query.Get("continuation-token") : std::nullopt;
  const std::string start_after = call.query.Get(v2 ? "start-after" : "marker").value_or("");
  if (token) {
    GEE_ASSIGN_OR_RETURN(auto decoded, DecodeToken(*token));
    start = decoded.first;
    start_is_prefix = decoded.second;
  } else {
    start = start_after;
    // A v1 NextMarker that is a common prefix resumes after that prefix.
    const size_t cut = delimiter.empty() ? std::string::npos : start.find(delimiter, prefix.size());
    start_is_prefix = !v2 && cut != std::string::npos && start.size() > prefix.size() &&
                      start.compare(0, prefix.size(), prefix) == 0 &&
                      cut + delimiter.size() == start.size();
  }
  Listing listing;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(listing, ListKeys(store_, call.bucket->name, prefix, delimiter, start,
                                           start_is_prefix, max_keys));
  }
  const bool url = encoding.has_value();
  auto enc = [&](const std::string& s) { return url ? UrlEncodeKey(s) : s; };
  const bool fetch_owner = !v2 || call.query.Get("fetch-owner") == std::optional<std::string>("true");

  OJson doc;
  doc["Name"] = call.bucket->name;
  doc["Prefix"] = enc(prefix);
  if (v2) {
    if (token) doc["ContinuationToken"] = *token;
    if (listing.truncated) doc["NextContinuationToken"] = EncodeToken(listing);
    doc["KeyCount"] = listing.contents.size() + listing.prefixes.size();
  } else {
    doc["Marker"] = enc(start_after);
    if (listing.truncated && !delimiter.empty()) doc["NextMarker"] = enc(listing.last);
  }
  doc["MaxKeys"] = max_keys;
  if (!delimiter.empty()) doc["Delimiter"] = enc(delimiter);
  doc["IsTruncated"] = listing.truncated;
  if (v2 && !start_after.empty()) doc["StartAfter"] = enc(start_after);
  OJson contents = OJson::array();
  for (const ObjectSummary& s : listing.contents) {
    OJson c;
    c["Key"] = enc(s.key);
    c["LastModified"] = IsoTime(s.last_modified_micros);
    c["ETag"] = Quote(s.etag);
    if (!s.checksum_algorithm.empty()) c["ChecksumAlgorithm"] = s.checksum_algorithm;
    c["Size"] = s.size;
    if (fetch_owner) c["Owner"] = OwnerJson(s.owner);
    c["StorageClass"] = "STANDARD";
    contents.push_back(std::move(c));
  }
  doc["Contents"] = std::move(contents);
  OJson prefixes = OJson::array();
  for (const std::string& p : listing.prefixes) prefixes.push_back(OJson{{"Prefix", enc(p)}});
  doc["CommonPrefixes"] = std::move(prefixes);
  if (url) doc["EncodingType"] = "url";
  return XmlResponse(200, protocol::JsonToXml(doc, "ListBucketResult"));
}

Result<server::HttpResponse> S3Service::ListMultipartUploads(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:ListBucketMultipartUploads",
                                BucketArn(call.bucket->name), nullptr, BaseKeys(call)));
  const std::string prefix = call.query.Get("prefix").value_or("");
  const std::string delimiter = call.query.Get("delimiter").value_or("");
  const std::string key_marker = call.query.Get("key-marker").value_or("");
  const std::string upload_marker = call.query.Get("upload-id-marker").value_or("");
  const std::optional<std::string> encoding = call.query.Get("encoding-type");
  GEE_ASSIGN_OR_RETURN(int max_uploads, ParseMaxKeys(call.query, "max-uploads"));
  std::vector<UploadRecord> uploads;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(uploads, store_.ListUploads(call.bucket->name, prefix, key_marker,
                                                     upload_marker, 10000));
  }
  const bool url = encoding == std::optional<std::string>("url");
  auto enc = [&](const std::string& s) { return url ? UrlEncodeKey(s) : s; };
  OJson list = OJson::array();
  OJson prefixes = OJson::array();
  std::string last_prefix;
  bool truncated = false;
  std::string next_key, next_upload;
  int count = 0;
  for (const UploadRecord& u : uploads) {
    if (!delimiter.empty()) {
      size_t pos = u.key.find(delimiter, prefix.size());
      if (pos != std::string::npos) {
        std::string cp = u.key.substr(0, pos + delimiter.size());
        if (cp == last_prefix) continue;
        if (count == max_uploads) {
          truncated = true;
          break;
        }
        prefixes.push_back(OJson{{"Prefix", enc(cp)}});
        last_prefix = cp;
        next_key = u.key;
        next_upload = u.upload_id;
        ++count;
        continue;
      }
    }
    if (count == max_uploads) {
      truncated = true;
      break;
    }
    OJson e;
    e["Key"] = enc(u.key);
    e["UploadId"] = u.upload_id;
    e["Initiator"] = OJson{{"ID", u.initiator_arn}, {"DisplayName", u.initiator_arn}};
    e["Owner"] = OwnerJson(u.owner);
    e["StorageClass"] = "STANDARD";
    e["Initiated"] = IsoTime(u.initiated_micros);
    list.push_back(std::move(e));
    next_key = u.key;
    next_upload = u.upload_id;
    ++count;
  }
  OJson doc;
  doc["Bucket"] = call.bucket->name;
  doc["KeyMarker"] = enc(key_marker);
  doc["UploadIdMarker"] = upload_marker;
  if (truncated) {
    doc["NextKeyMarker"] = enc(next_key);
    doc["NextUploadIdMarker"] = next_upload;
  }
  if (!delimiter.empty()) doc["Delimiter"] = enc(delimiter);
  doc["Prefix"] = enc(prefix);
  doc["MaxUploads"] = max_uploads;
  doc["IsTruncated"] = truncated;
  doc["Upload"] = std::move(list);
  doc["CommonPrefixes"] = std::move(prefixes);
  if (url) doc["EncodingType"] = "url";
  return XmlResponse(200, protocol::JsonToXml(doc, "ListMultipartUploadsResult"));
}

// ---------------------------------------------------------------------------
// Multi-object delete
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::DeleteObjects(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  if (!call.receiver || (!call.receiver->checks().has_content_md5() &&
                         !call.receiver->checks().has_checksum_value())) {
    return errors::MissingContentMd5();
  }
  GEE_ASSIGN_OR_RETURN(nlohmann::json request, ParseBody(call.body, "Delete", "Delete"));
  if (!request.contains("Objects") || !request["Objects"].is_array() ||
      request["Objects"].empty() || request["Objects"].size() > 1000) {
    return errors::MalformedXml();
  }
  const bool quiet = request.value("Quiet", false);
  OJson deleted = OJson::array();
  OJson failed = OJson::array();
  for (const nlohmann::json& o : request["Objects"]) {
    if (!o.contains("Key") || !o["Key"].is_string()) return errors::MalformedXml();
    std::string key = o["Key"].get<std::string>();
    Status allowed = Authorize(call, "s3:DeleteObject", ObjectArn(call.bucket->name, key), nullptr,
                               BaseKeys(call));
    if (!allowed.ok()) {
      failed.push_back(OJson{{"Key", key}, {"Code", allowed.error().code},
                             {"Message", allowed.error().message}});
      continue;
    }
    std::vector<int64_t> garbage;
    {
      std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
      GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
      GEE_ASSIGN_OR_RETURN(garbage, store_.DeleteObject(call.bucket->name, key));
      GEE_RETURN_IF_ERROR(tx.Commit());
    }
    (void)storage().Collect(garbage);
    if (!quiet) deleted.push_back(OJson{{"Key", key}});
  }
  OJson doc;
  doc["Deleted"] = std::move(deleted);
  doc["Error"] = std::move(failed);
  return XmlResponse(200, protocol::JsonToXml(doc, "DeleteResult"));
}

}  // namespace gee::s3

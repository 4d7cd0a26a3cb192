#include "services/s3/s3_request.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
#include "services/s3/errors.h"

namespace gee::s3 {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool IsIpv4(std::string_view host) {
  int dots = 0;
  size_t digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

// Host without port, lower-cased; IPv6 literals keep their brackets.
std::string HostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return Lower(close == std::string_view::npos ? host : host.substr(0, close + 1));
  }
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  return Lower(host);
}

// Sub-resources of S3 features gee does not emulate.
constexpr std::string_view kUnsupportedBucketSubresources[] = {
    "accelerate", "acl", "analytics", "cors", "intelligent-tiering", "inventory", "lifecycle",
    "logging", "metrics", "notification", "object-lock", "ownershipControls", "policyStatus",
    "publicAccessBlock", "replication", "requestPayment", "tagging", "website", "versions",
    "metadataTable", "metadataConfiguration", "metadataInventoryTable", "metadataJournalTable",
    "abac", "session", "torrent", "restore", "select", "attributes", "retention", "legal-hold",
    "renameObject", "encryption", "policy", "uploads", "delete", "location", "versioning"};

constexpr std::string_view kUnsupportedObjectSubresources[] = {
    "acl", "tagging", "torrent", "restore", "select", "attributes", "retention", "legal-hold",
    "renameObject", "encryption", "policy", "location", "versioning", "versions", "lifecycle",
    "cors", "website", "logging", "notification", "replication", "delete"};

// The first query parameter that names an unsupported sub-resource.
std::optional<std::string> UnsupportedSubresource(const S3Query& q,
                                                  std::span<const std::string_view> names) {
  for (const auto& p : q.params()) {
    for (std::string_view n : names) {
      if (p.name == n) return p.name;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

// ---- S3Query ----

S3Query S3Query::Parse(std::string_view raw) {
  S3Query q;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    Param p;
    p.name = sigv4::PercentDecode(part.substr(0, eq));
    if (eq != std::string_view::npos) p.value = sigv4::PercentDecode(part.substr(eq + 1));
    q.params_.push_back(std::move(p));
  }
  return q;
}

bool S3Query::Has(std::string_view name) const {
  return std::any_of(params_.begin(), params_.end(), [&](const Param& p) { return p.name == name; });
}

std::optional<std::string> S3Query::Get(std::string_view name) const {
  for (const Param& p : params_) {
    if (p.name == name) return p.value;
  }
  return std::nullopt;
}

// ---- addressing ----

Address ResolveAddress(std::string_view host_header, std::string_view raw_path,
                       std::span<const std::string> base_hosts) {
  Address a;
  const std::string host = HostName(host_header);
  std::string bucket_from_host;
  if (!host.empty() && host.front() != '[' && !IsIpv4(host)) {
    // BUCKET.s3.REGION.amazonaws.com, BUCKET.s3-REGION..., BUCKET.s3.localhost...
    size_t s3 = host.find(".s3.");
    if (s3 == std::string::npos) s3 = host.find(".s3-");
    if (s3 != std::string::npos && s3 > 0) {
      bucket_from_host = host.substr(0, s3);
    } else {
      std::vector<std::string> bases = {"localhost.localstack.cloud", "localhost"};
      for (const std::string& b : base_hosts) bases.push_back(Lower(b));
      // Longest base first, so "x.localhost.localstack.cloud" is bucket "x".
      std::sort(bases.begin(), bases.end(),
                [](const std::string& l, const std::string& r) { return l.size() > r.size(); });
      for (const std::string& base : bases) {
        if (base.empty() || host == base) break;
        if (host.size() > base.size() + 1 && EndsWith(host, "." + base)) {
          bucket_from_host = host.substr(0, host.size() - base.size() - 1);
          break;
        }
      }
    }
  }
  std::string_view path = raw_path;
  if (!bucket_from_host.empty()) {
    a.virtual_host = true;
    a.bucket = bucket_from_host;
    if (StartsWith(path, "/")) path.remove_prefix(1);
    a.key = sigv4::PercentDecode(path);
    return a;
  }
  if (StartsWith(path, "/")) path.remove_prefix(1);
  size_t slash = path.find('/');
  a.bucket = sigv4::PercentDecode(path.substr(0, slash));
  if (slash != std::string_view::npos) a.key = sigv4::PercentDecode(path.substr(slash + 1));
  return a;
}

// ---- operations ----

std::string_view OperationName(S3Op op) {
  switch (op) {
    case S3Op::kListBuckets: return "ListBuckets";
    case S3Op::kCreateBucket: return "CreateBucket";
    case S3Op::kDeleteBucket: return "DeleteBucket";
    case S3Op::kHeadBucket: return "HeadBucket";
    case S3Op::kGetBucketLocation: return "GetBucketLocation";
    case S3Op::kGetBucketVersioning: return "GetBucketVersioning";
    case S3Op::kPutBucketEncryption: return "PutBucketEncryption";
    case S3Op::kGetBucketEncryption: return "GetBucketEncryption";
    case S3Op::kDeleteBucketEncryption: return "DeleteBucketEncryption";
    case S3Op::kPutBucketPolicy: return "PutBucketPolicy";
    case S3Op::kGetBucketPolicy: return "GetBucketPolicy";
    case S3Op::kDeleteBucketPolicy: return "DeleteBucketPolicy";
    case S3Op::kListObjects: return "ListObjects";
    case S3Op::kListObjectsV2: return "ListObjectsV2";
    case S3Op::kListMultipartUploads: return "ListMultipartUploads";
    case S3Op::kDeleteObjects: return "DeleteObjects";
    case S3Op::kPutObject: return "PutObject";
    case S3Op::kCopyObject: return "CopyObject";
    case S3Op::kGetObject: return "GetObject";
    case S3Op::kHeadObject: return "HeadObject";
    case S3Op::kDeleteObject: return "DeleteObject";
    case S3Op::kCreateMultipartUpload: return "CreateMultipartUpload";
    case S3Op::kUploadPart: return "UploadPart";
    case S3Op::kUploadPartCopy: return "UploadPartCopy";
    case S3Op::kCompleteMultipartUpload: return "CompleteMultipartUpload";
    case S3Op::kAbortMultipartUpload: return "AbortMultipartUpload";
    case S3Op::kListParts: return "ListParts";
  }
  return "Unknown";
}

Result<S3Op> ResolveOperation(std::string_view method, const Address& address, const S3Query& q,
                              bool has_copy_source) {
  if (address.bucket.empty()) {
    if (method == "GET") return S3Op::kListBuckets;
    return errors::MethodNotAllowed(method, "SERVICE");
  }
  if (address.key.empty()) {
    if (method == "PUT") {
      if (q.Has("encryption")) return S3Op::kPutBucketEncryption;
      if (q.Has("policy")) return S3Op::kPutBucketPolicy;
    } else if (method == "GET") {
      if (q.Has("encryption")) return S3Op::kGetBucketEncryption;
      if (q.Has("policy")) return S3Op::kGetBucketPolicy;
      if (q.Has("location")) return S3Op::kGetBucketLocation;
      if (q.Has("versioning")) return S3Op::kGetBucketVersioning;
      if (q.Has("uploads")) return S3Op::kListMultipartUploads;
    } else if (method == "DELETE") {
      if (q.Has("encryption")) return S3Op::kDeleteBucketEncryption;
      if (q.Has("policy")) return S3Op::kDeleteBucketPolicy;
    } else if (method == "POST") {
      if (q.Has("delete")) return S3Op::kDeleteObjects;
    }
    if (auto sub = UnsupportedSubresource(q, kUnsupportedBucketSubresources)) {
      return errors::NotImplemented("?" + *sub);
    }
    if (method == "PUT") return S3Op::kCreateBucket;
    if (method == "DELETE") return S3Op::kDeleteBucket;
    if (method == "HEAD") return S3Op::kHeadBucket;
    if (method == "GET") {
      return q.Get("list-type") == std::optional<std::string>("2") ? S3Op::kListObjectsV2
                                                                   : S3Op::kListObjects;
    }
    if (method == "POST") return errors::NotImplemented("POST Object (browser form upload)");
    return errors::MethodNotAllowed(method, "BUCKET");
  }
  if (auto sub = UnsupportedSubresource(q, kUnsupportedObjectSubresources)) {
    return errors::NotImplemented("?" + *sub);
  }
  const bool part = q.Has("partNumber") && q.Has("uploadId");
  if (method == "PUT") {
    if (part) return has_copy_source ? S3Op::kUploadPartCopy : S3Op::kUploadPart;
    if (has_copy_source) return S3Op::kCopyObject;
    return S3Op::kPutObject;
  }
  if (method == "GET") return q.Has("uploadId") ? S3Op::kListParts : S3Op::kGetObject;
  if (method == "HEAD") return S3Op::kHeadObject;
  if (method == "DELETE") {
    return q.Has("uploadId") ? S3Op::kAbortMultipartUpload : S3Op::kDeleteObject;
  }
  if (method == "POST") {
    if (q.Has("uploads")) return S3Op::kCreateMultipartUpload;
    if (q.Has("uploadId")) return S3Op::kCompleteMultipartUpload;
  }
  return errors::MethodNotAllowed(method, "OBJECT");
}

// ---- bucket names ----

bool IsValidBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  if (name.find("..") != std::string_view::npos) return false;
  if (name.find(".-") != std::string_view::npos || name.find("-.") != std::string_view::npos) {
    return false;
  }
  if (IsIpv4(name)) return false;
  for (std::string_view p : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (StartsWith(name, p)) return false;
  }
  for (std::string_view s : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (EndsWith(name, s)) return false;
  }
  return true;
}

// ---- ranges ----

Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size) {
  if (header.empty()) return std::optional<ByteRange>();
  if (!StartsWith(header, "bytes=")) return std::optional<ByteRange>();
  std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>();
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  std::string_view a = spec.substr(0, dash);
  std::string_view b = spec.substr(dash + 1);
  ByteRange r;
  if (a.empty()) {
    // Suffix range: the last N bytes.
    auto n = ParseUint(b);
    if (!n) return std::optional<ByteRange>();
    if (*n == 0 || size == 0) return errors::InvalidRange(header, size);
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
    return std::optional<ByteRange>(r);
  }
  auto first = ParseUint(a);
  if (!first) return std::optional<ByteRange>();
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    auto l = ParseUint(b);
    if (!l) return std::optional<ByteRange>();
    if (*l < *first) return std::optional<ByteRange>();  // syntactically invalid: ignored
    last = std::min<uint64_t>(*l, last);
  }
  if (*first >= size) return errors::InvalidRange(header, size);
  r.first = *first;
  r.last = last;
  return std::optional<ByteRange>(r);
}

Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size) {
  auto invalid = [&] {
    return errors::InvalidArgument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and "
        "last are the zero-based offsets of the first and last bytes to copy",
        "x-amz-copy-source-range", header);
  };
  if (!StartsWith(header, "bytes=")) return invalid();
  std::string_view spec = header.substr(6);
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return invalid();
  auto first = ParseUint(spec.substr(0, dash));
  auto last = ParseUint(spec.substr(dash + 1));
  if (!first || !last || *last < *first) return invalid();
  if (*last >= size) {
    return errors::InvalidRange(header, size);
  }
  return ByteRange{*first, *last};
}

// ---- metadata ----

Result<std::string> StoredMetadata(const std::vector<server::HttpHeader>& headers) {
  static constexpr std::string_view kSystem[] = {
      "content-type",  "content-encoding", "content-disposition", "content-language",
      "cache-control", "expires",          "x-amz-website-redirect-location"};
  nlohmann::json meta = nlohmann::json::object();
  size_t user_bytes = 0;
  for (const auto& h : headers) {
    std::string name = Lower(h.name);
    if (StartsWith(name, "x-amz-meta-")) {
      user_bytes += name.size() - 11 + h.value.size();
      auto it = meta.find(name);
      if (it != meta.end()) {
        *it = it->get<std::string>() + "," + h.value;  // repeated headers are joined
      } else {
        meta[name] = h.value;
      }
      continue;
    }
    for (std::string_view s : kSystem) {
      if (name != s) continue;
      std::string value = h.value;
      if (name == "content-encoding") {
        // aws-chunked describes the transfer, not the object.
        std::string kept;
        size_t pos = 0;
        while (pos <= value.size()) {
          size_t comma = value.find(',', pos);
          std::string token = value.substr(pos, comma == std::string::npos ? std::string::npos
                                                                           : comma - pos);
          while (!token.empty() && token.front() == ' ') token.erase(0, 1);
          while (!token.empty() && token.back() == ' ') token.pop_back();
          if (!token.empty() && Lower(token) != "aws-chunked") {
            if (!kept.empty()) kept += ",";
            kept += token;
          }
          if (comma == std::string::npos) break;
          pos = comma + 1;
        }
        if (kept.empty()) break;
        value = kept;
      }
      meta[name] = value;
      break;
    }
  }
  if (user_bytes > 2048) {
    return AwsError("MetadataTooLarge",
                    "Your metadata headers exceed the maximum allowed metadata size", 400)
        .With("Size", std::to_string(user_bytes))
        .With("MaxSizeAllowed", "2048");
  }
  return meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- copy source ----

Result<CopySource> ParseCopySource(std::string_view header) {
  std::string_view raw = header;
  std::string_view version;
  size_t q = raw.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = raw.substr(q + 1);
    raw = raw.substr(0, q);
    if (StartsWith(query, "versionId=")) version = query.substr(10);
  }
  std::string decoded = sigv4::PercentDecode(raw);
  std::string_view path = decoded;
  if (StartsWith(path, "/")) path.remove_prefix(1);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size()) {
    return errors::InvalidArgument("Invalid copy source object key", "x-amz-copy-source", header);
  }
  if (!version.empty() && version != "null") {
    return errors::InvalidArgument("Invalid version id specified", "x-amz-copy-source", header);
  }
  CopySource cs;
  cs.bucket = std::string(path.substr(0, slash));
  cs.key = std::string(path.substr(slash + 1));
  return cs;
}

}  // namespace gee::s3

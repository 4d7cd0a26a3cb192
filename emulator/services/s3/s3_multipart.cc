// S3 multipart uploads. One data key per upload, made at
// CreateMultipartUpload (SSE-KMS: kms:GenerateDataKey as the initiator) and
// unwrapped by every UploadPart / UploadPartCopy (SSE-KMS: kms:Decrypt as the
// uploader, which is why AWS documents that multipart SSE-KMS uploads need
// kms:Decrypt). Each part is its own encrypted stream with AAD naming the
// upload and part; CompleteMultipartUpload adopts the listed parts' streams
// as the object's pieces without re-encrypting them.
#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
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

// The request's partNumber (1..10000).
Result<int> PartNumber(const S3Call& call) {
  std::string v = call.query.Get("partNumber").value_or("");
  bool ok = !v.empty() && v.size() <= 5;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    n = n * 10 + (c - '0');
  }
  if (!ok || n < 1 || n > kMaxPartNumber) return errors::InvalidPartNumber(v);
  return n;
}

// The condition keys of a request that continues an upload: the SSE headers
// as sent to CreateMultipartUpload.
ConditionKeys ContinueKeys(ConditionKeys keys, const UploadRecord& upload) {
  keys.Erase("s3:x-amz-server-side-encryption");
  keys.Erase("s3:x-amz-server-side-encryption-aws-kms-key-id");
  if (upload.sse_header_present) keys.Set("s3:x-amz-server-side-encryption", upload.sse_header);
  if (upload.sse_key_header_present) {
    keys.Set("s3:x-amz-server-side-encryption-aws-kms-key-id", upload.sse_key_header);
  }
  return keys;
}

std::string NewUploadId(Random& random) { return crypto::Base64UrlEncode(random.Bytes(45)); }

}  // namespace

Result<UploadRecord> S3Service::LoadUpload(S3Call& call) {
  std::string upload_id = call.query.Get("uploadId").value_or("");
  std::optional<UploadRecord> upload;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(upload, store_.FindUpload(upload_id));
  }
  if (!upload || upload->bucket != call.bucket->name || upload->key != call.address.key) {
    return errors::NoSuchUpload(upload_id);
  }
  return std::move(*upload);
}

// ---------------------------------------------------------------------------
// CreateMultipartUpload
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::CreateMultipartUpload(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string& key = call.address.key;
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:PutObject", ObjectArn(call.bucket->name, key), nullptr, WriteKeys(call)));
  if (call.is_anonymous()) {
    return AwsError("AccessDenied",
                    "Anonymous users cannot initiate multipart uploads.  Please authenticate.", 403);
  }
  GEE_RETURN_IF_ERROR(CheckObjectAcl(call));
  GEE_ASSIGN_OR_RETURN(SseRequest sse, ParseSseHeaders(call.head.headers));
  GEE_ASSIGN_OR_RETURN(std::string metadata, StoredMetadata(call.head.headers));
  std::string checksum_algorithm;
  if (call.Has("x-amz-checksum-algorithm")) {
    auto kind = ChecksumKindForAlgorithm(call.Header("x-amz-checksum-algorithm"));
    if (!kind) return errors::InvalidChecksumValue("x-amz-checksum-algorithm");
    checksum_algorithm = std::string(ChecksumAlgorithm(*kind));
  }
  SsePlan plan = PlanSse(sse, ParseBucketEncryption(call.bucket->encryption));
  UploadRecord upload;
  upload.upload_id = NewUploadId(env_.random());
  GEE_ASSIGN_OR_RETURN(DataKey data_key,
                       keys_.NewDataKey(call.ctx, plan, *call.bucket, key, upload.upload_id));
  upload.bucket = call.bucket->name;
  upload.key = key;
  upload.initiated_micros = env_.clock().NowMicros();
  upload.initiator_arn = call.ctx.principal.arn;
  upload.initiator_id = call.ctx.principal.user_id;
  upload.owner = call.bucket->account;
  upload.metadata = std::move(metadata);
  upload.sse = std::move(data_key.stored);
  upload.sse_header_present = call.Has("x-amz-server-side-encryption");
  upload.sse_header = std::string(call.Header("x-amz-server-side-encryption"));
  upload.sse_key_header_present = call.Has("x-amz-server-side-encryption-aws-kms-key-id");
  upload.sse_key_header = std::string(call.Header("x-amz-server-side-encryption-aws-kms-key-id"));
  upload.checksum_algorithm = checksum_algorithm;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_RETURN_IF_ERROR(store_.InsertUpload(upload));
  }
  OJson doc;
  doc["Bucket"] = upload.bucket;
  doc["Key"] = upload.key;
  doc["UploadId"] = upload.upload_id;
  server::HttpResponse r = XmlResponse(200, protocol::JsonToXml(doc, "InitiateMultipartUploadResult"));
  AddSseHeaders(r, upload.sse, /*with_context=*/true);
  if (!checksum_algorithm.empty()) r.SetHeader("x-amz-checksum-algorithm", checksum_algorithm);
  return r;
}

// ---------------------------------------------------------------------------
// UploadPart (streamed)
// ---------------------------------------------------------------------------

Status S3Service::BeginUploadPart(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_ASSIGN_OR_RETURN(int part_number, PartNumber(call));
  GEE_ASSIGN_OR_RETURN(UploadRecord upload, LoadUpload(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:PutObject",
                                ObjectArn(call.bucket->name, call.address.key), nullptr,
                                ContinueKeys(WriteKeys(call), upload)));
  GEE_RETURN_IF_ERROR(RejectSseHeaders(call.head.headers));
  // The upload's data key, unwrapped as this uploader (SSE-KMS: kms:Decrypt).
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                       keys_.OpenDataKey(call.ctx, upload.sse, *call.bucket, upload.key,
                                         upload.upload_id));
  call.upload = std::make_unique<UploadState>();
  call.upload->sse = upload.sse;
  call.upload->part_number = part_number;
  std::string aad = PieceAad(upload.bucket, upload.key, upload.upload_id, part_number);
  call.upload->upload = std::move(upload);
  return PrepareUpload(call, key, std::move(aad));
}

Result<server::HttpResponse> S3Service::FinishUploadPart(S3Call& call) {
  UploadState& up = *call.upload;
  GEE_ASSIGN_OR_RETURN(BlobInfo blob, up.writer->Finish());
  const BodyChecks& checks = call.receiver->checks();
  PartRecord part;
  part.part_number = up.part_number;
  part.blob_id = blob.id;
  part.size = blob.plaintext_size;
  part.etag = Md5Hex(checks.md5());
  part.last_modified_micros = env_.clock().NowMicros();
  if (checks.checksum_kind()) part.checksum_value = checks.checksum_value();
  std::optional<int64_t> replaced;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(std::optional<UploadRecord> still, store_.FindUpload(up.upload->upload_id));
    if (!still) return errors::NoSuchUpload(up.upload->upload_id);
    GEE_ASSIGN_OR_RETURN(replaced, store_.PutPart(up.upload->upload_id, part));
    GEE_RETURN_IF_ERROR(tx.Commit());
    up.writer->Release();
  }
  if (replaced) (void)storage().Collect({*replaced});
  server::HttpResponse r = EmptyResponse(200);
  r.SetHeader("ETag", Quote(part.etag));
  AddSseHeaders(r, up.sse, /*with_context=*/false);
  if (checks.checksum_kind()) {
    r.SetHeader(std::string(ChecksumHeader(*checks.checksum_kind())), part.checksum_value);
  }
  return r;
}

// ---------------------------------------------------------------------------
// UploadPartCopy
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::UploadPartCopy(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_ASSIGN_OR_RETURN(int part_number, PartNumber(call));
  GEE_ASSIGN_OR_RETURN(UploadRecord upload, LoadUpload(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:PutObject",
                                ObjectArn(call.bucket->name, call.address.key), nullptr,
                                ContinueKeys(WriteKeys(call), upload)));
  GEE_RETURN_IF_ERROR(RejectSseHeaders(call.head.headers));
  GEE_ASSIGN_OR_RETURN(CopySource source_name, ParseCopySource(call.Header("x-amz-copy-source")));
  std::optional<BucketRecord> source_bucket;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(source_bucket, store_.FindBucket(source_name.bucket));
  }
  if (!source_bucket) return errors::NoSuchBucket(source_name.bucket);
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:GetObject",
                                ObjectArn(source_bucket->name, source_name.key), &*source_bucket,
                                BaseKeys(call)));
  std::optional<ObjectRecord> source;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(source, store_.FindObject(source_bucket->name, source_name.key));
  }
  if (!source) return MissingObject(call, *source_bucket, source_name.key);
  uint64_t first = 0;
  uint64_t length = source->size;
  if (call.Has("x-amz-copy-source-range")) {
    GEE_ASSIGN_OR_RETURN(ByteRange range,
                         ParseCopySourceRange(call.Header("x-amz-copy-source-range"), source->size));
    first = range.first;
    length = range.length();
  }
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                       keys_.OpenDataKey(call.ctx, upload.sse, *call.bucket, upload.key,
                                         upload.upload_id));
  GEE_ASSIGN_OR_RETURN(CopiedBlob copied,
                       CopyData(call, *source_bucket, *source, first, length, key,
                                PieceAad(upload.bucket, upload.key, upload.upload_id, part_number)));
  PartRecord part;
  part.part_number = part_number;
  part.blob_id = copied.blob.id;
  part.size = copied.blob.plaintext_size;
  part.etag = Md5Hex(copied.md5);
  part.last_modified_micros = env_.clock().NowMicros();
  std::optional<int64_t> replaced;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(std::optional<UploadRecord> still, store_.FindUpload(upload.upload_id));
    if (!still) return errors::NoSuchUpload(upload.upload_id);
    GEE_ASSIGN_OR_RETURN(replaced, store_.PutPart(upload.upload_id, part));
    GEE_RETURN_IF_ERROR(tx.Commit());
    copied.writer->Release();
  }
  if (replaced) (void)storage().Collect({*replaced});
  OJson doc;
  doc["ETag"] = Quote(part.etag);
  doc["LastModified"] = IsoTime(part.last_modified_micros);
  server::HttpResponse r = XmlResponse(200, protocol::JsonToXml(doc, "CopyPartResult"));
  AddSseHeaders(r, upload.sse, /*with_context=*/false);
  return r;
}

// ---------------------------------------------------------------------------
// CompleteMultipartUpload
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::CompleteMultipartUpload(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_ASSIGN_OR_RETURN(UploadRecord upload, LoadUpload(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:PutObject",
                                ObjectArn(call.bucket->name, call.address.key), nullptr,
                                ContinueKeys(WriteKeys(call), upload)));
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get("s3"));
  const protocol::Shape* shape = model->FindShape("CompletedMultipartUpload");
  if (shape == nullptr) return errors::Internal();
  GEE_ASSIGN_OR_RETURN(nlohmann::json request,
                       protocol::ParseXmlToShape(call.body, *shape, "CompleteMultipartUpload"));
  if (!request.contains("Parts") || !request["Parts"].is_array() || request["Parts"].empty()) {
    return errors::MalformedXml();
  }
  std::vector<PartRecord> stored;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(stored, store_.ListParts(upload.upload_id, 0, kMaxPartNumber));
  }
  std::map<int, const PartRecord*> by_number;
  for (const PartRecord& p : stored) by_number[p.part_number] = &p;

  // Validate the list: ascending numbers, parts that exist with these ETags,
  // every part but the last at least 5 MiB.
  std::vector<const PartRecord*> chosen;
  int previous = 0;
  for (const nlohmann::json& entry : request["Parts"]) {
    if (!entry.contains("PartNumber") || !entry["PartNumber"].is_number_integer()) {
      return errors::MalformedXml();
    }
    int number = entry["PartNumber"].get<int>();
    std::string etag = entry.contains("ETag") && entry["ETag"].is_string()
                           ? Unquote(entry["ETag"].get<std::string>())
                           : "";
    if (number <= previous) return errors::InvalidPartOrder(upload.upload_id);
    previous = number;
    auto it = by_number.find(number);
    if (it == by_number.end() || it->second->etag != etag) {
      return errors::InvalidPart(upload.upload_id, number, etag);
    }
    chosen.push_back(it->second);
  }
  for (size_t i = 0; i + 1 < chosen.size(); ++i) {
    if (chosen[i]->size < kMinPartSize) {
      return errors::EntityTooSmall(chosen[i]->size, kMinPartSize, chosen[i]->part_number,
                                    chosen[i]->etag);
    }
  }

  // ETag: MD5 of the parts' binary MD5s, "-N".
  std::string md5s;
  uint64_t size = 0;
  for (const PartRecord* p : chosen) {
    auto bytes = crypto::HexDecode(p->etag);
    if (bytes) md5s.append(bytes->begin(), bytes->end());
    size += p->size;
  }
  GEE_ASSIGN_OR_RETURN(Md5Digest digest, Md5Of(md5s));

  ObjectRecord object;
  object.bucket = upload.bucket;
  object.key = upload.key;
  object.size = size;
  object.etag = Md5Hex(digest) + "-" + std::to_string(chosen.size());
  object.last_modified_micros = env_.clock().NowMicros();
  object.owner = upload.owner;
  object.metadata = upload.metadata;
  object.sse = upload.sse;
  object.parts_count = static_cast<int>(chosen.size());
  object.upload_id = upload.upload_id;
  if (auto kind = ChecksumKindForAlgorithm(upload.checksum_algorithm)) {
    // Composite checksum: the checksum of the parts' checksums, "-N".
    bool all = std::all_of(chosen.begin(), chosen.end(),
                           [](const PartRecord* p) { return !p->checksum_value.empty(); });
    if (all) {
      GEE_ASSIGN_OR_RETURN(Checksum composite, Checksum::Create(*kind));
      for (const PartRecord* p : chosen) {
        auto raw = crypto::Base64Decode(p->checksum_value);
        if (raw.ok()) GEE_RETURN_IF_ERROR(composite.Update(*raw));
      }
      GEE_ASSIGN_OR_RETURN(std::string value, composite.FinishBase64());
      object.checksum_algorithm = upload.checksum_algorithm;
      object.checksum_value = value + "-" + std::to_string(chosen.size());
    }
  }
  for (const PartRecord* p : chosen) object.pieces.push_back(Piece{p->blob_id, p->part_number, p->size});
  std::vector<int64_t> unused;
  for (const PartRecord& p : stored) {
    if (std::none_of(chosen.begin(), chosen.end(),
                     [&](const PartRecord* c) { return c->part_number == p.part_number; })) {
      unused.push_back(p.blob_id);
    }
  }

  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(std::optional<UploadRecord> still, store_.FindUpload(upload.upload_id));
    if (!still) return errors::NoSuchUpload(upload.upload_id);
    GEE_ASSIGN_OR_RETURN(garbage, store_.ReplaceObject(object));
    GEE_RETURN_IF_ERROR(store_.ForgetParts(upload.upload_id));
    GEE_ASSIGN_OR_RETURN(std::vector<int64_t> none, store_.DeleteUpload(upload.upload_id));
    for (int64_t id : unused) GEE_RETURN_IF_ERROR(store_.SetBlobState(id, BlobState::kGarbage));
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  garbage.insert(garbage.end(), unused.begin(), unused.end());
  (void)storage().Collect(garbage);

  std::string host(call.Header("host"));
  OJson doc;
  doc["Location"] = "http://" + (host.empty() ? std::string("s3.amazonaws.com") : host) + "/" +
                    sigv4::UriEncode(object.bucket, false) + "/" +
                    sigv4::UriEncode(object.key, true);
  doc["Bucket"] = object.bucket;
  doc["Key"] = object.key;
  doc["ETag"] = Quote(object.etag);
  if (!object.checksum_algorithm.empty()) {
    doc["Checksum" + object.checksum_algorithm] = object.checksum_value;
  }
  server::HttpResponse r =
      XmlResponse(200, protocol::JsonToXml(doc, "CompleteMultipartUploadResult"));
  AddSseHeaders(r, object.sse, /*with_context=*/false);
  return r;
}

// ---------------------------------------------------------------------------
// AbortMultipartUpload, ListParts
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::AbortMultipartUpload(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_ASSIGN_OR_RETURN(UploadRecord upload, LoadUpload(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:AbortMultipartUpload",
                                ObjectArn(call.bucket->name, call.address.key), nullptr,
                                BaseKeys(call)));
  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(garbage, store_.DeleteUpload(upload.upload_id));
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  (void)storage().Collect(garbage);
  return EmptyResponse(204);
}

Result<server::HttpResponse> S3Service::ListParts(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  GEE_ASSIGN_OR_RETURN(UploadRecord upload, LoadUpload(call));
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:ListMultipartUploadParts",
                                ObjectArn(call.bucket->name, call.address.key), nullptr,
                                BaseKeys(call)));
  int marker = 0;
  if (auto m = call.query.Get("part-number-marker")) {
    bool ok = !m->empty() && m->size() <= 5 &&
              std::all_of(m->begin(), m->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      return errors::InvalidArgument("Provided part-number-marker not an integer or within "
                                     "integer range",
                                     "part-number-marker", *m);
    }
    marker = std::stoi(*m);
  }
  int max_parts = 1000;
  if (auto m = call.query.Get("max-parts")) {
    bool ok = !m->empty() && m->size() <= 9 &&
              std::all_of(m->begin(), m->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      return errors::InvalidArgument("Provided max-parts not an integer or within integer range",
                                     "max-parts", *m);
    }
    max_parts = std::min(1000, std::stoi(*m));
  }
  std::vector<PartRecord> parts;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(parts, store_.ListParts(upload.upload_id, marker,
                                                 static_cast<size_t>(max_parts) + 1));
  }
  const bool truncated = parts.size() > static_cast<size_t>(max_parts);
  if (truncated) parts.resize(max_parts);
  OJson list = OJson::array();
  for (const PartRecord& p : parts) {
    OJson e;
    e["PartNumber"] = p.part_number;
    e["LastModified"] = IsoTime(p.last_modified_micros);
    e["ETag"] = Quote(p.etag);
    if (!p.checksum_value.empty() && !upload.checksum_algorithm.empty()) {
      e["Checksum" + upload.checksum_algorithm] = p.checksum_value;
    }
    e["Size"] = p.size;
    list.push_back(std::move(e));
  }
  OJson doc;
  doc["Bucket"] = upload.bucket;
  doc["Key"] = upload.key;
  doc["UploadId"] = upload.upload_id;
  doc["PartNumberMarker"] = marker;
  if (!parts.empty()) doc["NextPartNumberMarker"] = parts.back().part_number;
  doc["MaxParts"] = max_parts;
  doc["IsTruncated"] = truncated;
  doc["Part"] = std::move(list);
  doc["Initiator"] = OJson{{"ID", upload.initiator_arn}, {"DisplayName", upload.initiator_arn}};
  doc["Owner"] = OJson{{"ID", CanonicalUserId(upload.owner)}, {"DisplayName", upload.owner}};
  doc["StorageClass"] = "STANDARD";
  if (!upload.checksum_algorithm.empty()) doc["ChecksumAlgorithm"] = upload.checksum_algorithm;
  return XmlResponse(200, protocol::JsonToXml(doc, "ListPartsResult"));
}

}  // namespace gee::s3

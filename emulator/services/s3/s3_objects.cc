// S3 object operations: PutObject (streamed), GetObject/HeadObject (streamed,
// ranges, conditionals), DeleteObject and CopyObject (re-encrypted for the
// destination).
#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "protocol/s3_xml.h"
#include "protocol/timestamp.h"
#include "services/s3/errors.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_service.h"
#include "store/database.h"

namespace gee::s3 {
namespace {

using OJson = nlohmann::ordered_json;

// "*" or a comma-separated list of (quoted) ETags containing `etag`.
bool EtagMatches(std::string_view header, std::string_view etag) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view item =
        header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    std::string value = Unquote(item);
    if (value == "*" || value == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

// Evaluates If-Match / If-None-Match / If-Modified-Since /
// If-Unmodified-Since (RFC 7232 precedence). Returns 0 to proceed, 304 or 412.
int EvaluateConditions(const S3Call& call, std::string_view prefix, std::string_view etag,
                       int64_t last_modified_micros) {
  auto header = [&](std::string_view name) -> std::optional<std::string> {
    std::string full = std::string(prefix) + std::string(name);
    if (!call.Has(full)) return std::nullopt;
    return std::string(call.Header(full));
  };
  const int64_t modified = last_modified_micros / 1000000;
  auto if_match = header("if-match");
  auto if_none_match = header("if-none-match");
  auto if_modified = header("if-modified-since");
  auto if_unmodified = header("if-unmodified-since");
  if (if_match) {
    if (!EtagMatches(*if_match, etag)) return 412;
  } else if (if_unmodified) {
    if (auto t = protocol::ParseRfc822(*if_unmodified); t && modified > static_cast<int64_t>(*t)) {
      return 412;
    }
  }
  if (if_none_match) {
    if (EtagMatches(*if_none_match, etag)) return 304;
  } else if (if_modified) {
    if (auto t = protocol::ParseRfc822(*if_modified); t && modified <= static_cast<int64_t>(*t)) {
      return 304;
    }
  }
  return 0;
}

// "content-type" → "Content-Type"; x-amz-* names stay lower-case as S3 sends them.
std::string HeaderCase(const std::string& name) {
  if (name.rfind("x-amz-", 0) == 0) return name;
  std::string out = name;
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == '-';
  }
  return out;
}

void AddStoredMetadata(server::HttpResponse& r, const std::string& metadata) {
  auto j = nlohmann::json::parse(metadata, nullptr, false);
  bool has_type = false;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it->is_string()) continue;
      if (it.key() == "content-type") has_type = true;
      r.SetHeader(HeaderCase(it.key()), it->get<std::string>());
    }
  }
  if (!has_type) r.SetHeader("Content-Type", "binary/octet-stream");
}

}  // namespace

// ---------------------------------------------------------------------------
// PutObject
// ---------------------------------------------------------------------------

Status S3Service::BeginPutObject(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string& key = call.address.key;
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:PutObject", ObjectArn(call.bucket->name, key), nullptr, WriteKeys(call)));
  GEE_RETURN_IF_ERROR(CheckObjectAcl(call));
  GEE_ASSIGN_OR_RETURN(SseRequest sse, ParseSseHeaders(call.head.headers));
  GEE_ASSIGN_OR_RETURN(std::string metadata, StoredMetadata(call.head.headers));
  SsePlan plan = PlanSse(sse, ParseBucketEncryption(call.bucket->encryption));
  GEE_ASSIGN_OR_RETURN(DataKey data_key, keys_.NewDataKey(call.ctx, plan, *call.bucket, key, ""));
  call.upload = std::make_unique<UploadState>();
  call.upload->sse = std::move(data_key.stored);
  call.upload->metadata = std::move(metadata);
  return PrepareUpload(call, data_key.key, PieceAad(call.bucket->name, key, "", 0));
}

Status S3Service::PrepareUpload(S3Call& call, const crypto::SecretBytes& key, std::string aad) {
  GEE_ASSIGN_OR_RETURN(call.upload->writer,
                       BlobWriter::Create(storage(), key, std::move(aad), env_.random(),
                                          env_.clock().NowMicros()));
  BlobWriter* writer = call.upload->writer.get();
  GEE_ASSIGN_OR_RETURN(call.receiver,
                       BodyReceiver::Create(call, env_, [writer](std::string_view data) {
                         return writer->Write(data);
                       }));
  return OkStatus();
}

Result<server::HttpResponse> S3Service::FinishPutObject(S3Call& call) {
  UploadState& up = *call.upload;
  GEE_ASSIGN_OR_RETURN(BlobInfo blob, up.writer->Finish());
  const BodyChecks& checks = call.receiver->checks();
  ObjectRecord object;
  object.bucket = call.bucket->name;
  object.key = call.address.key;
  object.size = blob.plaintext_size;
  object.etag = Md5Hex(checks.md5());
  object.last_modified_micros = env_.clock().NowMicros();
  object.owner = call.bucket->account;
  object.metadata = up.metadata;
  object.sse = up.sse;
  if (checks.checksum_kind()) {
    object.checksum_algorithm = std::string(ChecksumAlgorithm(*checks.checksum_kind()));
    object.checksum_value = checks.checksum_value();
  }
  object.pieces.push_back(Piece{blob.id, 0, blob.plaintext_size});

  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(std::optional<BucketRecord> still, store_.FindBucket(object.bucket));
    if (!still) return errors::NoSuchBucket(object.bucket);
    GEE_ASSIGN_OR_RETURN(garbage, store_.ReplaceObject(object));
    GEE_RETURN_IF_ERROR(tx.Commit());
    up.writer->Release();
  }
  (void)storage().Collect(garbage);

  server::HttpResponse r = EmptyResponse(200);
  r.SetHeader("ETag", Quote(object.etag));
  AddSseHeaders(r, object.sse, /*with_context=*/true);
  if (checks.checksum_kind()) {
    r.SetHeader(std::string(ChecksumHeader(*checks.checksum_kind())), object.checksum_value);
  }
  return r;
}

// ---------------------------------------------------------------------------
// GetObject / HeadObject
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::GetObject(S3Call& call, bool head) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string& key = call.address.key;
  GEE_RETURN_IF_ERROR(RejectSseHeaders(call.head.headers));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:GetObject", ObjectArn(call.bucket->name, key), nullptr, BaseKeys(call)));
  if (auto version = call.query.Get("versionId"); version && *version != "null") {
    return errors::InvalidArgument("Invalid version id specified", "versionId", *version);
  }
  std::optional<ObjectRecord> object;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(object, store_.FindObject(call.bucket->name, key));
  }
  if (!object) return MissingObject(call, *call.bucket, key);

  // The byte range: a part (partNumber), a Range header, or everything.
  uint64_t first = 0;
  uint64_t length = object->size;
  bool partial = false;
  std::optional<std::string> part_param = call.query.Get("partNumber");
  if (part_param) {
    int n = 0;
    bool ok = !part_param->empty() && part_param->size() <= 5;
    for (char c : *part_param) {
      if (c < '0' || c > '9') ok = false;
      else n = n * 10 + (c - '0');
    }
    if (!ok || n < 1 || n > kMaxPartNumber) return errors::InvalidPartNumber(*part_param);
    const size_t count = object->parts_count > 0 ? object->pieces.size() : 1;
    if (static_cast<size_t>(n) > count) {
      return AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416)
          .With("PartNumberRequested", *part_param)
          .With("ActualPartCount", std::to_string(count));
    }
    if (object->parts_count > 0) {
      for (int i = 0; i < n - 1; ++i) first += object->pieces[i].size;
      length = object->pieces[n - 1].size;
      partial = true;
    }
  } else if (call.Has("range")) {
    GEE_ASSIGN_OR_RETURN(std::optional<ByteRange> range,
                         ParseRange(call.Header("range"), object->size));
    if (range) {
      first = range->first;
      length = range->length();
      partial = true;
    }
  }

  const int condition = EvaluateConditions(call, "", object->etag, object->last_modified_micros);
  if (condition == 412) {
    return errors::PreconditionFailed(call.Has("if-match") ? "If-Match" : "If-Unmodified-Since");
  }
  if (condition == 304) {
    server::HttpResponse r = EmptyResponse(304);
    r.SetHeader("ETag", Quote(object->etag));
    r.SetHeader("Last-Modified", HttpDate(object->last_modified_micros));
    r.content_length = 0;
    return r;
  }

  server::HttpResponse r = EmptyResponse(partial ? 206 : 200);
  AddStoredMetadata(r, object->metadata);
  r.SetHeader("Last-Modified", HttpDate(object->last_modified_micros));
  r.SetHeader("ETag", Quote(object->etag));
  r.SetHeader("Accept-Ranges", "bytes");
  if (partial && length > 0) {
    r.SetHeader("Content-Range", "bytes " + std::to_string(first) + "-" +
                                     std::to_string(first + length - 1) + "/" +
                                     std::to_string(object->size));
  }
  if (part_param && object->parts_count > 0) {
    r.SetHeader("x-amz-mp-parts-count", std::to_string(object->parts_count));
  }
  AddSseHeaders(r, object->sse, /*with_context=*/false);
  if (!object->checksum_algorithm.empty() && !partial &&
      call.Header("x-amz-checksum-mode") == "ENABLED") {
    if (auto kind = ChecksumKindForAlgorithm(object->checksum_algorithm)) {
      r.SetHeader(std::string(ChecksumHeader(*kind)), object->checksum_value);
    }
  }
  // Response header overrides (signed requests only, as S3).
  static constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
      {"response-content-type", "Content-Type"},
      {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},
      {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"},
      {"response-content-encoding", "Content-Encoding"}};
  for (const auto& [param, header] : kOverrides) {
    if (auto v = call.query.Get(param)) {
      if (call.is_anonymous()) {
        return errors::InvalidRequest(
            "Request specific response headers cannot be used for anonymous GET requests.");
      }
      r.SetHeader(std::string(header), *v);
    }
  }
  r.content_length = length;
  if (head) return r;

  // GET: unwrap the data key as the requester (SSE-KMS: kms:Decrypt).
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes data_key,
                       keys_.OpenDataKey(call.ctx, object->sse, *call.bucket, key, object->upload_id));
  if (length == 0) return r;
  std::vector<ReadPiece> pieces;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    for (const Piece& p : object->pieces) {
      GEE_ASSIGN_OR_RETURN(std::optional<BlobInfo> blob, store_.GetBlob(p.blob_id));
      if (!blob) return AwsError("InternalError", "stored object data is missing", 500);
      pieces.push_back(ReadPiece{std::move(*blob),
                                 PieceAad(object->bucket, object->key, object->upload_id,
                                          p.part_number)});
    }
  }
  GEE_ASSIGN_OR_RETURN(auto reader, ObjectReader::Create(storage(), std::move(data_key),
                                                         std::move(pieces), first, length));
  r.stream = std::make_unique<ObjectBodySource>(std::move(reader));
  return r;
}

// ---------------------------------------------------------------------------
// DeleteObject
// ---------------------------------------------------------------------------

Result<server::HttpResponse> S3Service::DeleteObject(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string& key = call.address.key;
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:DeleteObject", ObjectArn(call.bucket->name, key), nullptr,
                                BaseKeys(call)));
  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(garbage, store_.DeleteObject(call.bucket->name, key));
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  (void)storage().Collect(garbage);
  return EmptyResponse(204);
}

// ---------------------------------------------------------------------------
// CopyObject
// ---------------------------------------------------------------------------

Result<S3Service::CopiedBlob> S3Service::CopyData(S3Call& call, const BucketRecord& source_bucket,
                                                  const ObjectRecord& source, uint64_t first,
                                                  uint64_t length, const crypto::SecretBytes& key,
                                                  std::string aad) {
  // Reading the source needs the source's data key, unwrapped as the caller.
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes source_key,
                       keys_.OpenDataKey(call.ctx, source.sse, source_bucket, source.key,
                                         source.upload_id));
  std::vector<ReadPiece> pieces;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    for (const Piece& p : source.pieces) {
      GEE_ASSIGN_OR_RETURN(std::optional<BlobInfo> blob, store_.GetBlob(p.blob_id));
      if (!blob) return AwsError("InternalError", "stored object data is missing", 500);
      pieces.push_back(ReadPiece{std::move(*blob),
                                 PieceAad(source.bucket, source.key, source.upload_id,
                                          p.part_number)});
    }
  }
  GEE_ASSIGN_OR_RETURN(auto reader, ObjectReader::Create(storage(), std::move(source_key),
                                                         std::move(pieces), first, length));
  CopiedBlob out;
  GEE_ASSIGN_OR_RETURN(out.writer, BlobWriter::Create(storage(), key, std::move(aad), env_.random(),
                                                      env_.clock().NowMicros()));
  GEE_ASSIGN_OR_RETURN(Md5 md5, Md5::Create());
  while (true) {
    GEE_ASSIGN_OR_RETURN(std::string_view chunk, reader->Next());
    if (chunk.empty()) break;
    GEE_RETURN_IF_ERROR(md5.Update(chunk));
    GEE_RETURN_IF_ERROR(out.writer->Write(chunk));
  }
  GEE_ASSIGN_OR_RETURN(out.blob, out.writer->Finish());
  GEE_ASSIGN_OR_RETURN(out.md5, md5.Finish());
  return out;
}

Result<server::HttpResponse> S3Service::CopyObject(S3Call& call) {
  GEE_RETURN_IF_ERROR(LoadBucket(call));
  const std::string& key = call.address.key;
  GEE_ASSIGN_OR_RETURN(CopySource source_name, ParseCopySource(call.Header("x-amz-copy-source")));
  std::optional<BucketRecord> source_bucket;
  if (source_name.bucket == call.bucket->name) {
    source_bucket = call.bucket;
  } else {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(source_bucket, store_.FindBucket(source_name.bucket));
  }
  if (!source_bucket) return errors::NoSuchBucket(source_name.bucket);
  GEE_RETURN_IF_ERROR(Authorize(call, "s3:GetObject",
                                ObjectArn(source_bucket->name, source_name.key), &*source_bucket,
                                BaseKeys(call)));
  GEE_RETURN_IF_ERROR(
      Authorize(call, "s3:PutObject", ObjectArn(call.bucket->name, key), nullptr, WriteKeys(call)));
  std::optional<ObjectRecord> source;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(source, store_.FindObject(source_bucket->name, source_name.key));
  }
  if (!source) return MissingObject(call, *source_bucket, source_name.key);

  std::string directive = call.Has("x-amz-metadata-directive")
                              ? std::string(call.Header("x-amz-metadata-directive"))
                              : "COPY";
  if (directive != "COPY" && directive != "REPLACE") {
    return errors::InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive",
                                   directive);
  }
  const int condition =
      EvaluateConditions(call, "x-amz-copy-source-", source->etag, source->last_modified_micros);
  if (condition != 0) {
    return errors::PreconditionFailed(call.Has("x-amz-copy-source-if-match")
                                          ? "x-amz-copy-source-If-Match"
                                          : call.Has("x-amz-copy-source-if-none-match")
                                                ? "x-amz-copy-source-If-None-Match"
                                                : "x-amz-copy-source-If-Modified-Since");
  }
  GEE_RETURN_IF_ERROR(CheckObjectAcl(call));
  GEE_ASSIGN_OR_RETURN(SseRequest sse, ParseSseHeaders(call.head.headers));
  const bool same_object = source_bucket->name == call.bucket->name && source->key == key;
  if (same_object && directive == "COPY" && !sse.algorithm && !call.Has("x-amz-storage-class") &&
      !call.Has("x-amz-website-redirect-location")) {
    return errors::CopyToItself();
  }
  std::string metadata = source->metadata;
  if (directive == "REPLACE") {
    GEE_ASSIGN_OR_RETURN(metadata, StoredMetadata(call.head.headers));
  }
  // The destination's encryption: the request's headers, else the
  // destination bucket's default (never the source's).
  SsePlan plan = PlanSse(sse, ParseBucketEncryption(call.bucket->encryption));
  GEE_ASSIGN_OR_RETURN(DataKey data_key, keys_.NewDataKey(call.ctx, plan, *call.bucket, key, ""));
  GEE_ASSIGN_OR_RETURN(CopiedBlob copied,
                       CopyData(call, *source_bucket, *source, 0, source->size, data_key.key,
                                PieceAad(call.bucket->name, key, "", 0)));

  ObjectRecord object;
  object.bucket = call.bucket->name;
  object.key = key;
  object.size = copied.blob.plaintext_size;
  object.etag = Md5Hex(copied.md5);
  object.last_modified_micros = env_.clock().NowMicros();
  object.owner = call.bucket->account;
  object.metadata = metadata;
  object.sse = std::move(data_key.stored);
  if (source->parts_count == 0) {
    // A whole-object checksum stays valid for the copied bytes.
    object.checksum_algorithm = source->checksum_algorithm;
    object.checksum_value = source->checksum_value;
  }
  object.pieces.push_back(Piece{copied.blob.id, 0, copied.blob.plaintext_size});
  std::vector<int64_t> garbage;
  {
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env_.db()));
    GEE_ASSIGN_OR_RETURN(std::optional<BucketRecord> still, store_.FindBucket(object.bucket));
    if (!still) return errors::NoSuchBucket(object.bucket);
    GEE_ASSIGN_OR_RETURN(garbage, store_.ReplaceObject(object));
    GEE_RETURN_IF_ERROR(tx.Commit());
    copied.writer->Release();
  }
  (void)storage().Collect(garbage);

  OJson doc;
  doc["ETag"] = Quote(object.etag);
  doc["LastModified"] = IsoTime(object.last_modified_micros);
  if (auto kind = ChecksumKindForAlgorithm(object.checksum_algorithm)) {
    doc[std::string("Checksum") + std::string(ChecksumAlgorithm(*kind))] = object.checksum_value;
  }
  server::HttpResponse r = XmlResponse(200, protocol::JsonToXml(doc, "CopyObjectResult"));
  AddSseHeaders(r, object.sse, /*with_context=*/true);
  return r;
}

}  // namespace gee::s3

// The S3 service: buckets, objects, multipart uploads, bucket policies and
// default encryption, with every object body encrypted at rest (SSE-S3 or
// SSE-KMS, spec §7) and every operation authorized through
// Environment::Authorize with the bucket policy as a kStandard resource
// policy (spec §3.2, §3.5).
//
// Request path. The gateway authenticates an S3 request on its head and
// hands it to Begin (RestFrontend), which resolves the addressing and the
// operation and returns an S3Exchange. Bodies always stream through the
// exchange: the raw bytes are hashed (the signed x-amz-content-sha256 is
// checked at the end), de-chunked (aws-chunked, signed or with trailers),
// checked against Content-MD5 / x-amz-checksum-*, and then
//   - PutObject / UploadPart: encrypted segment by segment into a staging
//     blob (body_io.h); authorization, SSE validation and the KMS data key
//     are done on the head, before the first body byte;
//   - configuration bodies (policies, encryption rules, multipart
//     completion, multi-object delete): buffered up to
//     Config::server.max_body_bytes, handled when complete;
//   - anything refused on the head: drained and answered (or, with
//     "Expect: 100-continue", answered at once without reading it).
// GetObject answers with a BodySource that decrypts one segment at a time.
//
// Operations, IAM actions (resource: B = arn:aws:s3:::BUCKET,
// O = arn:aws:s3:::BUCKET/KEY) and request condition keys:
//   ListBuckets s3:ListAllMyBuckets (*)          CreateBucket s3:CreateBucket (B)
//   DeleteBucket s3:DeleteBucket (B)             HeadBucket s3:ListBucket (B)
//   GetBucketLocation s3:GetBucketLocation (B)   GetBucketVersioning s3:GetBucketVersioning (B)
//   Put/DeleteBucketEncryption s3:PutEncryptionConfiguration (B)
//   GetBucketEncryption s3:GetEncryptionConfiguration (B)
//   Put/Get/DeleteBucketPolicy s3:Put/Get/DeleteBucketPolicy (B)
//   ListObjects(V2) s3:ListBucket (B)  + s3:prefix, s3:delimiter, s3:max-keys
//   ListMultipartUploads s3:ListBucketMultipartUploads (B)
//   PutObject, CopyObject (destination), CreateMultipartUpload, UploadPart,
//     UploadPartCopy, CompleteMultipartUpload s3:PutObject (O)
//     + s3:x-amz-server-side-encryption, s3:x-amz-server-side-encryption-aws-kms-key-id
//       (the headers as sent; for UploadPart and Complete, as sent to
//       CreateMultipartUpload), s3:x-amz-copy-source, s3:x-amz-metadata-directive
//   GetObject, HeadObject, copy sources s3:GetObject (O)
//   DeleteObject, each key of DeleteObjects s3:DeleteObject (O)
//   AbortMultipartUpload s3:AbortMultipartUpload (O)
//   ListParts s3:ListMultipartUploadParts (O)
// Every request also carries s3:authType, s3:signatureversion and
// s3:x-amz-content-sha256. A missing object is NoSuchKey only for callers
// allowed s3:ListBucket; others get AccessDenied (as S3 does). The account
// root may always read, replace and delete its bucket's policy (S3's lockout
// rule), whatever the policy says.
//
// Thread-safety: Begin and the exchanges run on the server's I/O threads;
// store access is serialised by Environment::store_mutex.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/environment.h"
#include "core/inspection.h"
#include "gateway.h"
#include "services/s3/body_io.h"
#include "services/s3/checksums.h"
#include "services/s3/object_store.h"
#include "services/s3/s3_request.h"
#include "services/s3/sse.h"
#include "services/service.h"

namespace gee::s3 {

struct S3Call;
class S3Exchange;

class S3Service final : public Service, public RestFrontend, public AtRestInspector {
 public:
  explicit S3Service(Environment& env);
  ~S3Service() override;

  // ---- Service ----
  std::string_view name() const override { return "s3"; }
  WireProtocol protocol() const override { return WireProtocol::kRestXml; }
  bool HasOperation(std::string_view operation) const override;
  // In-process call with botocore-shaped JSON input and output (see
  // s3_invoke.cc): the request is rendered to REST-XML and runs the same
  // path as an HTTP request. Blob members (Body) are base64.
  Result<Json> Invoke(RequestContext& ctx, std::string_view operation, const Json& input) override;
  std::vector<store::MigrationStep> Migrations() const override;

  // ---- RestFrontend ----
  std::unique_ptr<server::Exchange> Begin(RequestContext ctx, server::HttpRequest& head,
                                          const std::string& signed_payload_hash) override;

  // ---- AtRestInspector ----
  std::vector<std::string> Kinds() const override { return {"s3-object"}; }
  Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                            std::string_view probe) override;

  // Start-up recovery, after migrations: deletes staging and garbage blobs
  // left by a process that stopped mid-upload.
  Status Recover();

  // Runs a complete request in-process (body buffered in `request.body`),
  // exactly as over HTTP; a streamed response body is read into `body`.
  // `ctx` carries the caller's principal (e.g. a Glue job role session).
  // When the request fails and `error` is given, it receives the AwsError.
  server::HttpResponse Call(RequestContext ctx, server::HttpRequest request,
                            std::optional<AwsError>* error = nullptr);

 private:
  friend class S3Exchange;

  Storage storage() { return Storage{env_.store_mutex(), store_, pins_}; }

  // ---- shared steps ----
  // Loads call.bucket (NoSuchBucket) and checks the request's region.
  Status LoadBucket(S3Call& call, bool check_region = true);
  // Authorizes `action` on `resource` of call.bucket (or `bucket` when given).
  Status Authorize(S3Call& call, std::string_view action, const std::string& resource,
                   const BucketRecord* bucket, ConditionKeys keys);
  // The condition keys every S3 request carries, plus those of writes.
  ConditionKeys BaseKeys(const S3Call& call) const;
  ConditionKeys WriteKeys(const S3Call& call) const;
  // NoSuchKey, or AccessDenied when the caller may not list the bucket.
  AwsError MissingObject(S3Call& call, const BucketRecord& bucket, std::string_view key);

  // ---- pre-body stage of streamed uploads ----
  Status BeginPutObject(S3Call& call);
  Status BeginUploadPart(S3Call& call);
  // Shared by both: body checks (Content-MD5, checksums) and the blob writer.
  Status PrepareUpload(S3Call& call, const crypto::SecretBytes& key, std::string aad);

  // ---- handlers (body complete) ----
  Result<server::HttpResponse> Dispatch(S3Call& call);
  Result<server::HttpResponse> ListBuckets(S3Call& call);
  Result<server::HttpResponse> CreateBucket(S3Call& call);
  Result<server::HttpResponse> DeleteBucket(S3Call& call);
  Result<server::HttpResponse> HeadBucket(S3Call& call);
  Result<server::HttpResponse> GetBucketLocation(S3Call& call);
  Result<server::HttpResponse> GetBucketVersioning(S3Call& call);
  Result<server::HttpResponse> PutBucketEncryption(S3Call& call);
  Result<server::HttpResponse> GetBucketEncryption(S3Call& call);
  Result<server::HttpResponse> DeleteBucketEncryption(S3Call& call);
  Result<server::HttpResponse> PutBucketPolicy(S3Call& call);
  Result<server::HttpResponse> GetBucketPolicy(S3Call& call);
  Result<server::HttpResponse> DeleteBucketPolicy(S3Call& call);
  Result<server::HttpResponse> ListObjects(S3Call& call, bool v2);
  Result<server::HttpResponse> ListMultipartUploads(S3Call& call);
  Result<server::HttpResponse> DeleteObjects(S3Call& call);
  Result<server::HttpResponse> FinishPutObject(S3Call& call);
  Result<server::HttpResponse> CopyObject(S3Call& call);
  Result<server::HttpResponse> GetObject(S3Call& call, bool head);
  Result<server::HttpResponse> DeleteObject(S3Call& call);
  Result<server::HttpResponse> CreateMultipartUpload(S3Call& call);
  Result<server::HttpResponse> FinishUploadPart(S3Call& call);
  Result<server::HttpResponse> UploadPartCopy(S3Call& call);
  Result<server::HttpResponse> CompleteMultipartUpload(S3Call& call);
  Result<server::HttpResponse> AbortMultipartUpload(S3Call& call);
  Result<server::HttpResponse> ListParts(S3Call& call);

  // Copies plaintext [first, first + length) of `source` (readable by the
  // caller) into a new blob under `key` / `aad`; returns the blob and the
  // MD5 of what was copied.
  struct CopiedBlob {
    BlobInfo blob;
    Md5Digest md5{};
    std::unique_ptr<BlobWriter> writer;  // Release() once published
  };
  Result<CopiedBlob> CopyData(S3Call& call, const BucketRecord& source_bucket,
                              const ObjectRecord& source, uint64_t first, uint64_t length,
                              const crypto::SecretBytes& key, std::string aad);
  // The multipart upload named by the request (NoSuchUpload).
  Result<UploadRecord> LoadUpload(S3Call& call);

  Environment& env_;
  ObjectStore store_;
  BlobPins pins_;
  KeyManager keys_;
  // Host names under which BUCKET.<host> is virtual-host addressing.
  std::vector<std::string> base_hosts_;
};

}  // namespace gee::s3

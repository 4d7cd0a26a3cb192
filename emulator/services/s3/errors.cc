#include "services/s3/errors.h"

#include "protocol/s3_xml.h"

namespace gee::s3::errors {

AwsError NoSuchBucket(std::string_view bucket) {
  return AwsError("NoSuchBucket", "The specified bucket does not exist", 404)
      .With("BucketName", std::string(bucket));
}

AwsError NoSuchKey(std::string_view key) {
  return AwsError("NoSuchKey", "The specified key does not exist.", 404).With("Key", std::string(key));
}

AwsError NoSuchUpload(std::string_view upload_id) {
  return AwsError("NoSuchUpload",
                  "The specified upload does not exist. The upload ID may be invalid, or the "
                  "upload may have been aborted or completed.",
                  404)
      .With("UploadId", std::string(upload_id));
}

AwsError NoSuchBucketPolicy(std::string_view bucket) {
  return AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404)
      .With("BucketName", std::string(bucket));
}

AwsError BucketAlreadyExists(std::string_view bucket) {
  return AwsError("BucketAlreadyExists",
                  "The requested bucket name is not available. The bucket namespace is shared by "
                  "all users of the system. Please select a different name and try again.",
                  409)
      .With("BucketName", std::string(bucket));
}

AwsError BucketAlreadyOwnedByYou(std::string_view bucket) {
  return AwsError("BucketAlreadyOwnedByYou",
                  "Your previous request to create the named bucket succeeded and you already own it.",
                  409)
      .With("BucketName", std::string(bucket));
}

AwsError BucketNotEmpty(std::string_view bucket) {
  return AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409)
      .With("BucketName", std::string(bucket));
}

AwsError InvalidBucketName(std::string_view bucket) {
  return AwsError("InvalidBucketName", "The specified bucket is not valid.", 400)
      .With("BucketName", std::string(bucket));
}

AwsError InvalidLocationConstraint(std::string_view constraint) {
  return AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
      .With("LocationConstraint", std::string(constraint));
}

AwsError IllegalLocationConstraint(std::string_view constraint) {
  return AwsError("IllegalLocationConstraintException",
                  "The " + std::string(constraint.empty() ? "unspecified" : constraint) +
                      " location constraint is incompatible for the region specific endpoint this "
                      "request was sent to.",
                  400);
}

AwsError WrongRegion(std::string_view request_region, std::string_view bucket_region) {
  return AwsError("AuthorizationHeaderMalformed",
                  "The authorization header is malformed; the region '" + std::string(request_region) +
                      "' is wrong; expecting '" + std::string(bucket_region) + "'",
                  400)
      .With("Region", std::string(bucket_region));
}

AwsError InvalidArgument(std::string message, std::string_view name, std::string_view value) {
  return AwsError("InvalidArgument", std::move(message), 400)
      .With("ArgumentName", std::string(name))
      .With("ArgumentValue", std::string(value));
}

AwsError InvalidRequest(std::string message) {
  return AwsError("InvalidRequest", std::move(message), 400);
}

AwsError MalformedXml() { return protocol::MalformedXml(); }

AwsError MalformedPolicy(std::string message) {
  return AwsError("MalformedPolicy", std::move(message), 400);
}

AwsError RequestTooBig(uint64_t limit) {
  return AwsError("MaxMessageLengthExceeded", "Your request was too big.", 400)
      .With("MaxMessageLengthBytes", std::to_string(limit));
}

AwsError KeyTooLong(size_t size) {
  return AwsError("KeyTooLongError", "Your key is too long", 400)
      .With("Size", std::to_string(size))
      .With("MaxSizeAllowed", "1024");
}

AwsError MissingContentLength() {
  return AwsError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
}

AwsError IncompleteBody() {
  return AwsError("IncompleteBody",
                  "You did not provide the number of bytes specified by the Content-Length HTTP "
                  "header",
                  400);
}

AwsError InvalidRange(std::string_view range, uint64_t size) {
  return AwsError("InvalidRange", "The requested range is not satisfiable", 416)
      .With("RangeRequested", std::string(range))
      .With("ActualObjectSize", std::to_string(size));
}

AwsError InvalidDigest(std::string_view content_md5) {
  return AwsError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400)
      .With("Content-MD5", std::string(content_md5));
}

AwsError BadDigest(std::string_view expected, std::string_view calculated) {
  return AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400)
      .With("ExpectedDigest", std::string(expected))
      .With("CalculatedDigest", std::string(calculated));
}

AwsError ChecksumMismatch(std::string_view algorithm) {
  return AwsError("BadDigest",
                  "The " + std::string(algorithm) +
                      " you specified did not match the calculated checksum.",
                  400);
}

AwsError InvalidChecksumValue(std::string_view header) {
  return AwsError("InvalidRequest", "Value for " + std::string(header) + " header is invalid.", 400);
}

AwsError MultipleChecksums() {
  return AwsError("InvalidRequest",
                  "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                  "allowed.",
                  400);
}

AwsError MissingContentMd5() {
  return AwsError("InvalidRequest", "Missing required header for this request: Content-MD5", 400);
}

AwsError EntityTooSmall(uint64_t size, uint64_t min, int part_number, std::string_view etag) {
  return AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                  400)
      .With("ProposedSize", std::to_string(size))
      .With("MinSizeAllowed", std::to_string(min))
      .With("PartNumber", std::to_string(part_number))
      .With("ETag", std::string(etag));
}

AwsError EntityTooLarge(uint64_t size, uint64_t max) {
  return AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
      .With("ProposedSize", std::to_string(size))
      .With("MaxSizeAllowed", std::to_string(max));
}

AwsError InvalidPart(std::string_view upload_id, int part_number, std::string_view etag) {
  return AwsError("InvalidPart",
                  "One or more of the specified parts could not be found.  The part may not have "
                  "been uploaded, or the specified entity tag may not match the part's entity tag.",
                  400)
      .With("UploadId", std::string(upload_id))
      .With("PartNumber", std::to_string(part_number))
      .With("ETag", std::string(etag));
}

AwsError InvalidPartOrder(std::string_view upload_id) {
  return AwsError("InvalidPartOrder",
                  "The list of parts was not in ascending order. Parts must be ordered by part "
                  "number.",
                  400)
      .With("UploadId", std::string(upload_id));
}

AwsError InvalidPartNumber(std::string_view value) {
  return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                         "partNumber", value);
}

AwsError CopyToItself() {
  return InvalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without "
      "changing the object's metadata, storage class, website redirect location or encryption "
      "attributes.");
}

AwsError MethodNotAllowed(std::string_view method, std::string_view resource_type) {
  return AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.",
                  405)
      .With("Method", std::string(method))
      .With("ResourceType", std::string(resource_type));
}

AwsError NotImplemented(std::string_view what) {
  return AwsError("NotImplemented",
                  "A header you provided implies functionality that is not implemented", 501)
      .With("Header", std::string(what));
}

AwsError PreconditionFailed(std::string_view condition) {
  return AwsError("PreconditionFailed",
                  "At least one of the pre-conditions you specified did not hold", 412)
      .With("Condition", std::string(condition));
}

AwsError AclNotSupported() {
  return AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
}

AwsError BucketAclWithOwnerEnforced() {
  return AwsError("InvalidBucketAclWithObjectOwnership",
                  "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
                  400);
}

AwsError ExpectedOwnerMismatch() { return AwsError("AccessDenied", "Access Denied", 403); }

AwsError Internal() {
  return AwsError("InternalError", "We encountered an internal error. Please try again.", 500);
}

AwsError UnsupportedEncryptionMethod(std::string_view value) {
  return InvalidArgument("The encryption method specified is not supported",
                         "x-amz-server-side-encryption", value);
}

AwsError KmsKeyWithoutAwsKms(std::string_view header, std::string_view value) {
  return InvalidArgument(
      "Server Side Encryption with AWS KMS managed key requires HTTP header "
      "x-amz-server-side-encryption : aws:kms",
      header, value);
}

AwsError InvalidEncryptionContext(std::string_view value) {
  return InvalidArgument(
      "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string "
      "holding JSON which represents a string-string map",
      "x-amz-server-side-encryption-context", value);
}

AwsError SseHeaderNotSupported(std::string_view header, std::string_view value) {
  return InvalidArgument(std::string(header) + " header is not supported for this operation.",
                         header, value);
}

AwsError KmsKeyInOtherRegion(std::string_view region) {
  return AwsError("KMS.NotFoundException", "Invalid arn " + std::string(region), 400);
}

AwsError KmsMasterKeyNotApplicable() {
  return AwsError("InvalidArgument",
                  "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms "
                  "or aws:kms:dsse",
                  400)
      .With("ArgumentName", "ApplyServerSideEncryptionByDefault");
}

AwsError FromKms(const AwsError& kms_error) {
  if (kms_error.code == "AccessDeniedException" || kms_error.code == "AccessDenied") {
    return AwsError("AccessDenied", kms_error.message, 403);
  }
  return AwsError("KMS." + kms_error.code, kms_error.message,
                  kms_error.http_status >= 500 ? 500 : 400);
}

}  // namespace gee::s3::errors

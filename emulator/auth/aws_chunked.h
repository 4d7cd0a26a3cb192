// Incremental decoder (and, for clients and tests, encoder) of S3
// `Content-Encoding: aws-chunked` request bodies.
//
// Wire format, byte by byte (CRLF = "\r\n"):
//
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD (signed chunks):
//     hex(size) ";chunk-signature=" sig CRLF  data[size] CRLF     repeated
//     "0;chunk-signature=" sig CRLF CRLF                           last chunk
//   where sig = hex HMAC-SHA256(signing key, string to sign) and
//     string to sign = "AWS4-HMAC-SHA256-PAYLOAD\n" amz-date "\n" scope "\n"
//                      previous-sig "\n" hex(SHA256("")) "\n" hex(SHA256(data))
//   The first previous-sig is the request's own (seed) signature.
//
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER (unsigned chunks with trailer):
//     hex(size) [";" extensions] CRLF  data[size] CRLF             repeated
//     "0" CRLF  (name ":" value CRLF)*  CRLF                        last chunk, trailers
//   Trailers named by the x-amz-trailer header carry checksums of the decoded
//   payload: x-amz-checksum-{crc32,crc32c,sha1,sha256}: base64(digest), CRC
//   digests as 4 big-endian bytes.
//
// The decoder takes arbitrary slices (down to one byte) and appends decoded
// payload bytes to the caller's string as soon as they arrive. Memory is
// bounded: it holds at most one chunk-size or trailer line (max_line_length)
// and a few bytes of state, never a chunk. Consequently payload bytes of a
// chunk are emitted before that chunk's signature or the trailer checksum is
// checked: the caller must not commit anything until Finish() succeeds.
//
// Errors are S3's: IncompleteBody (malformed or truncated encoding, decoded
// length ≠ x-amz-decoded-content-length), SignatureDoesNotMatch (chunk
// signature), BadDigest (trailer checksum mismatch), InvalidRequest
// (undecodable checksum value), MalformedTrailerError (bad or missing
// trailer). After an error the decoder stays failed.
//
// Thread-safety: a decoder is used by one thread at a time; the free
// functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sigv4.h"
#include "core/result.h"
#include "crypto/hash.h"

namespace gee::sigv4 {

// x-amz-checksum-* algorithms S3 accepts in trailers and headers.
enum class ChecksumAlgorithm {
  kCrc32,
  kCrc32c,
  kSha1,
  kSha256,
};

// "x-amz-checksum-crc32" → kCrc32, ... (case-insensitive); nullopt otherwise.
std::optional<ChecksumAlgorithm> ChecksumAlgorithmForHeader(std::string_view header_name);
// "x-amz-checksum-crc32", ...
std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm);

// Incremental checksum of a payload, rendered as S3 does (base64 of the
// digest; CRCs as 4 big-endian bytes). Single owner.
class PayloadChecksum {
 public:
  static Result<PayloadChecksum> Create(ChecksumAlgorithm algorithm);
  PayloadChecksum(PayloadChecksum&&) noexcept = default;
  PayloadChecksum& operator=(PayloadChecksum&&) noexcept = default;

  Status Update(std::string_view data);
  // Base64 digest; the checksum is spent afterwards.
  Result<std::string> FinishBase64();
  ChecksumAlgorithm algorithm() const { return algorithm_; }

 private:
  PayloadChecksum(ChecksumAlgorithm algorithm, std::optional<crypto::Hasher> hasher)
      : algorithm_(algorithm), hasher_(std::move(hasher)) {}

  ChecksumAlgorithm algorithm_;
  std::optional<crypto::Hasher> hasher_;  // SHA variants
  uint32_t crc_ = 0xFFFFFFFFu;            // CRC variants: running (reflected) register
};

struct AwsChunkedOptions {
  // x-amz-decoded-content-length when sent: the decoded payload must have
  // exactly this many bytes. Default: not checked.
  std::optional<uint64_t> decoded_content_length;
  // Trailer names announced in x-amz-trailer (unsigned-trailer mode). A
  // checksum trailer is verified only if announced; an announced trailer must
  // arrive. Default: none.
  std::vector<std::string> declared_trailers;
  // Longest chunk-size or trailer line accepted, CRLF excluded. Default 4096.
  size_t max_line_length = 4096;
};

class AwsChunkedDecoder {
 public:
  // Signed chunks: `signing_key`, `amz_date` and `scope` of the request, whose
  // signature `seed_signature` starts the chain (see VerifiedRequest).
  static Result<std::unique_ptr<AwsChunkedDecoder>> CreateSigned(SigningKey signing_key,
                                                                 std::string amz_date,
                                                                 std::string scope,
                                                                 std::string seed_signature,
                                                                 AwsChunkedOptions options = {});
  // Unsigned chunks followed by trailers.
  static Result<std::unique_ptr<AwsChunkedDecoder>> CreateUnsignedTrailer(
      AwsChunkedOptions options = {});

  // Decodes `input` (any slice of the body, possibly empty) and appends the
  // payload bytes it contains to `*out`.
  Status Feed(std::string_view input, std::string* out);
  // Call once the whole body was fed: fails unless the encoding ended
  // properly and every check passed.
  Status Finish();

  // True once the final chunk and trailers were read.
  bool complete() const;
  uint64_t decoded_bytes() const { return decoded_bytes_; }
  // Trailers as received (unsigned-trailer mode), names as sent.
  const std::vector<HeaderField>& trailers() const { return trailers_; }

  ~AwsChunkedDecoder();

 private:
  enum class State { kSizeLine, kData, kDataCr, kDataLf, kTrailerLine, kDone, kFailed };
  struct SignedState;

  explicit AwsChunkedDecoder(AwsChunkedOptions options);

  Status Fail(AwsError error);
  Status OnSizeLine();
  Status OnChunkEnd();
  Status OnTrailerLine();
  Status OnEnd();

  AwsChunkedOptions options_;
  std::unique_ptr<SignedState> signed_;  // null in unsigned-trailer mode
  std::vector<PayloadChecksum> checksums_;
  State state_ = State::kSizeLine;
  std::string line_;
  bool line_cr_ = false;
  uint64_t chunk_remaining_ = 0;
  uint64_t chunk_size_ = 0;
  bool last_chunk_ = false;
  uint64_t decoded_bytes_ = 0;
  std::vector<HeaderField> trailers_;
  AwsError error_;
};

// ---- encoding (clients, tests) ----

// Signature of one chunk, chained on `previous_signature`.
Result<std::string> ChunkSignature(const SigningKey& key, std::string_view amz_date,
                                   std::string_view scope, std::string_view previous_signature,
                                   std::string_view chunk_data);

// The whole signed aws-chunked body of `payload` cut in `chunk_size` chunks
// (the last one shorter), chained from `seed_signature`.
Result<std::string> EncodeSignedChunks(const SigningKey& key, std::string_view amz_date,
                                       std::string_view scope, std::string_view seed_signature,
                                       std::string_view payload, size_t chunk_size);

// Unsigned aws-chunked body with one checksum trailer of `algorithm`
// (botocore's layout: "0\r\n<name>:<base64>\r\n\r\n").
Result<std::string> EncodeUnsignedChunksWithTrailer(std::string_view payload, size_t chunk_size,
                                                    ChecksumAlgorithm algorithm);

// Total body length of EncodeSignedChunks for a payload of `payload_size`
// bytes (the Content-Length such a request sends).
uint64_t SignedChunkedLength(uint64_t payload_size, uint64_t chunk_size);

}  // namespace gee::sigv4

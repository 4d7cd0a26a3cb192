// The digests S3 computes over object data: MD5 (ETags, Content-MD5) and the
// x-amz-checksum-* family (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), rendered
// as S3 renders them: MD5 as lower-case hex in ETags and base64 in
// Content-MD5, checksums as base64 of the big-endian digest.
//
// CRC64NVME is the Rocksoft/NVMe CRC-64 (reflected polynomial
// 0x9A6C9329AC4BC9B5, initial value and final XOR all ones), which newer AWS
// SDKs send by default; the other algorithms reuse auth/aws_chunked.h.
//
// Thread-safety: a Md5 or Checksum is used by one thread at a time; the free
// functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/aws_chunked.h"
#include "core/result.h"

struct evp_md_ctx_st;

namespace gee::s3 {

inline constexpr size_t kMd5Size = 16;
using Md5Digest = std::array<uint8_t, kMd5Size>;

// Incremental MD5 (OpenSSL EVP). Move-only.
class Md5 {
 public:
  static Result<Md5> Create();
  Md5(Md5&& other) noexcept;
  Md5& operator=(Md5&& other) noexcept;
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  ~Md5();

  Status Update(std::string_view data);
  // The digest; the hasher is spent afterwards.
  Result<Md5Digest> Finish();

 private:
  explicit Md5(evp_md_ctx_st* ctx) : ctx_(ctx) {}
  evp_md_ctx_st* ctx_ = nullptr;
};

// One-shot MD5.
Result<Md5Digest> Md5Of(std::string_view data);
std::string Md5Hex(const Md5Digest& digest);
std::string Md5Bytes(const Md5Digest& digest);

enum class ChecksumKind { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

// "x-amz-checksum-crc32" ... (case-insensitive) → kind.
std::optional<ChecksumKind> ChecksumKindForHeader(std::string_view header_name);
// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (case-insensitive) → kind.
std::optional<ChecksumKind> ChecksumKindForAlgorithm(std::string_view algorithm);
std::string_view ChecksumHeader(ChecksumKind kind);     // "x-amz-checksum-crc32"
std::string_view ChecksumAlgorithm(ChecksumKind kind);  // "CRC32"
// Digest length in bytes (4, 4, 8, 20, 32).
size_t ChecksumSize(ChecksumKind kind);
// True when `base64` is the base64 encoding of a digest of `kind`'s size.
bool IsValidChecksumValue(ChecksumKind kind, std::string_view base64);

// Incremental checksum of one algorithm. Move-only.
class Checksum {
 public:
  static Result<Checksum> Create(ChecksumKind kind);
  Checksum(Checksum&&) noexcept = default;
  Checksum& operator=(Checksum&&) noexcept = default;

  Status Update(std::string_view data);
  // Base64 of the digest; spent afterwards.
  Result<std::string> FinishBase64();
  ChecksumKind kind() const { return kind_; }

 private:
  Checksum(ChecksumKind kind, std::optional<sigv4::PayloadChecksum> inner)
      : kind_(kind), inner_(std::move(inner)) {}
  ChecksumKind kind_;
  std::optional<sigv4::PayloadChecksum> inner_;  // all but CRC64NVME
  uint64_t crc64_ = ~0ull;
};

}  // namespace gee::s3

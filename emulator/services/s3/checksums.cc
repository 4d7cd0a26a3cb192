#include "services/s3/checksums.h"

#include <openssl/evp.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace gee::s3 {
namespace {

AwsError Failure(std::string_view step) {
  return AwsError("InternalError", "MD5 failed in " + std::string(step), 500);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

constexpr ChecksumKind kAllKinds[] = {ChecksumKind::kCrc32, ChecksumKind::kCrc32c,
                                      ChecksumKind::kCrc64Nvme, ChecksumKind::kSha1,
                                      ChecksumKind::kSha256};

}  // namespace

Result<Md5> Md5::Create() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return Failure("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return Failure("EVP_DigestInit_ex");
  }
  return Md5(ctx);
}

Md5::Md5(Md5&& other) noexcept : ctx_(other.ctx_) { other.ctx_ = nullptr; }

Md5& Md5::operator=(Md5&& other) noexcept {
  if (this != &other) {
    if (ctx_ != nullptr) EVP_MD_CTX_free(ctx_);
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

Md5::~Md5() {
  if (ctx_ != nullptr) EVP_MD_CTX_free(ctx_);
}

Status Md5::Update(std::string_view data) {
  if (ctx_ == nullptr) return Failure("Update after Finish");
  if (data.empty()) return OkStatus();
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) return Failure("EVP_DigestUpdate");
  return OkStatus();
}

Result<Md5Digest> Md5::Finish() {
  if (ctx_ == nullptr) return Failure("Finish twice");
  Md5Digest out{};
  unsigned int len = 0;
  int rc = EVP_DigestFinal_ex(ctx_, out.data(), &len);
  EVP_MD_CTX_free(ctx_);
  ctx_ = nullptr;
  if (rc != 1 || len != kMd5Size) return Failure("EVP_DigestFinal_ex");
  return out;
}

Result<Md5Digest> Md5Of(std::string_view data) {
  GEE_ASSIGN_OR_RETURN(Md5 md5, Md5::Create());
  GEE_RETURN_IF_ERROR(md5.Update(data));
  return md5.Finish();
}

std::string Md5Hex(const Md5Digest& digest) {
  return crypto::HexEncode(std::span<const uint8_t>(digest.data(), digest.size()));
}

std::string Md5Bytes(const Md5Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::optional<ChecksumKind> ChecksumKindForHeader(std::string_view header_name) {
  for (ChecksumKind k : kAllKinds) {
    if (EqualsIgnoreCase(header_name, ChecksumHeader(k))) return k;
  }
  return std::nullopt;
}

std::optional<ChecksumKind> ChecksumKindForAlgorithm(std::string_view algorithm) {
  for (ChecksumKind k : kAllKinds) {
    if (EqualsIgnoreCase(algorithm, ChecksumAlgorithm(k))) return k;
  }
  return std::nullopt;
}

std::string_view ChecksumHeader(ChecksumKind kind) {
  switch (kind) {
    case ChecksumKind::kCrc32: return "x-amz-checksum-crc32";
    case ChecksumKind::kCrc32c: return "x-amz-checksum-crc32c";
    case ChecksumKind::kCrc64Nvme: return "x-amz-checksum-crc64nvme";
    case ChecksumKind::kSha1: return "x-amz-checksum-sha1";
    case ChecksumKind::kSha256: return "x-amz-checksum-sha256";
  }
  return "";
}

std::string_view ChecksumAlgorithm(ChecksumKind kind) {
  switch (kind) {
    case ChecksumKind::kCrc32: return "CRC32";
    case ChecksumKind::kCrc32c: return "CRC32C";
    case ChecksumKind::kCrc64Nvme: return "CRC64NVME";
    case ChecksumKind::kSha1: return "SHA1";
    case ChecksumKind::kSha256: return "SHA256";
  }
  return "";
}

size_t ChecksumSize(ChecksumKind kind) {
  switch (kind) {
    case ChecksumKind::kCrc32:
    case ChecksumKind::kCrc32c: return 4;
    case ChecksumKind::kCrc64Nvme: return 8;
    case ChecksumKind::kSha1: return 20;
    case ChecksumKind::kSha256: return 32;
  }
  return 0;
}

bool IsValidChecksumValue(ChecksumKind kind, std::string_view base64) {
  auto decoded = crypto::Base64Decode(base64);
  return decoded.ok() && decoded->size() == ChecksumSize(kind);
}

Result<Checksum> Checksum::Create(ChecksumKind kind) {
  std::optional<sigv4::ChecksumAlgorithm> algorithm;
  switch (kind) {
    case ChecksumKind::kCrc32: algorithm = sigv4::ChecksumAlgorithm::kCrc32; break;
    case ChecksumKind::kCrc32c: algorithm = sigv4::ChecksumAlgorithm::kCrc32c; break;
    case ChecksumKind::kSha1: algorithm = sigv4::ChecksumAlgorithm::kSha1; break;
    case ChecksumKind::kSha256: algorithm = sigv4::ChecksumAlgorithm::kSha256; break;
    case ChecksumKind::kCrc64Nvme: break;
  }
  if (!algorithm) return Checksum(kind, std::nullopt);
  GEE_ASSIGN_OR_RETURN(sigv4::PayloadChecksum inner, sigv4::PayloadChecksum::Create(*algorithm));
  return Checksum(kind, std::move(inner));
}

Status Checksum::Update(std::string_view data) {
  if (inner_) return inner_->Update(data);
  // Reflected table-driven CRC-64 over the running (not yet inverted) register.
  static const auto* table = [] {
    auto* t = new std::array<uint64_t, 256>();
    constexpr uint64_t kPoly = 0x9A6C9329AC4BC9B5ull;
    for (uint64_t i = 0; i < 256; ++i) {
      uint64_t r = i;
      for (int b = 0; b < 8; ++b) r = (r & 1) ? (r >> 1) ^ kPoly : r >> 1;
      (*t)[i] = r;
    }
    return t;
  }();
  uint64_t crc = crc64_;
  for (unsigned char c : data) crc = (*table)[(crc ^ c) & 0xFF] ^ (crc >> 8);
  crc64_ = crc;
  return OkStatus();
}

Result<std::string> Checksum::FinishBase64() {
  if (inner_) return inner_->FinishBase64();
  uint64_t value = ~crc64_;
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (56 - 8 * i)) & 0xFF);
  return crypto::Base64Encode(bytes);
}

}  // namespace gee::s3

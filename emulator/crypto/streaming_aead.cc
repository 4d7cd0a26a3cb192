#include "crypto/streaming_aead.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "crypto/aead.h"

namespace gee::crypto {
namespace {

constexpr char kHkdfInfoLabel[] = "gee streaming aead v1";
constexpr uint64_t kMaxSegments = uint64_t{1} << 32;

AwsError InternalError(std::string message) {
  return AwsError("InternalFailure", "streaming AEAD: " + std::move(message), 500);
}

bool ValidSegmentSize(uint32_t segment_size) {
  return segment_size >= 1 && segment_size <= kMaxSegmentSize;
}

uint64_t FullSegmentStoredSize(uint32_t segment_size) {
  return uint64_t{segment_size} + kStreamSegmentOverhead;
}

void PutU32(uint32_t v, uint8_t* out) {
  out[0] = static_cast<uint8_t>(v >> 24);
  out[1] = static_cast<uint8_t>(v >> 16);
  out[2] = static_cast<uint8_t>(v >> 8);
  out[3] = static_cast<uint8_t>(v);
}

uint32_t GetU32(const uint8_t* in) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) |
         (uint32_t{in[2]} << 8) | uint32_t{in[3]};
}

struct KdfDeleter {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

// K_s = HKDF-SHA256(ikm = key, salt = header[5, 21), info = label || header).
Result<SecretBytes> DeriveStreamKey(const SecretBytes& key,
                                    std::string_view header) {
  if (key.size() != kAes256KeySize) return InternalError("key must be 32 bytes");
  std::string info = kHkdfInfoLabel;
  info.append(header);
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return InternalError("EVP_KDF_fetch(HKDF) failed");
  std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return InternalError("EVP_KDF_CTX_new failed");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(key.data()), key.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, const_cast<char*>(header.data() + 5),
          kStreamSaltSize),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(),
                                        info.size()),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out(kAes256KeySize);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return InternalError("EVP_KDF_derive failed");
  }
  return out;
}

std::array<uint8_t, kGcmNonceSize> SegmentNonce(
    const uint8_t* nonce_prefix, uint64_t index, bool final) {
  std::array<uint8_t, kGcmNonceSize> nonce{};
  std::memcpy(nonce.data(), nonce_prefix, kStreamNoncePrefixSize);
  PutU32(static_cast<uint32_t>(index), nonce.data() + kStreamNoncePrefixSize);
  nonce[kGcmNonceSize - 1] = final ? 0x01 : 0x00;
  return nonce;
}

}  // namespace

uint64_t StreamSegmentCount(uint64_t plaintext_size, uint32_t segment_size) {
  if (plaintext_size == 0) return 1;
  return plaintext_size / segment_size + (plaintext_size % segment_size != 0);
}

uint64_t StreamCiphertextSize(uint64_t plaintext_size, uint32_t segment_size) {
  return kStreamHeaderSize + plaintext_size +
         StreamSegmentCount(plaintext_size, segment_size) * kStreamSegmentOverhead;
}

Result<uint64_t> StreamPlaintextSize(uint64_t ciphertext_size,
                                     uint32_t segment_size) {
  if (!ValidSegmentSize(segment_size)) return AuthenticationFailedError();
  if (ciphertext_size < kStreamHeaderSize + kStreamSegmentOverhead) {
    return AuthenticationFailedError();
  }
  const uint64_t body = ciphertext_size - kStreamHeaderSize;
  const uint64_t full = FullSegmentStoredSize(segment_size);
  const uint64_t full_segments = body / full;
  const uint64_t rest = body % full;
  if (rest == 0) {
    if (full_segments > kMaxSegments) return AuthenticationFailedError();
    return full_segments * segment_size;
  }
  // The remainder is a final segment shorter than a full one.
  if (rest < kStreamSegmentOverhead) return AuthenticationFailedError();
  // Only a stream with no other segment may end in an empty final segment.
  if (rest == kStreamSegmentOverhead && full_segments > 0) {
    return AuthenticationFailedError();
  }
  if (full_segments + 1 > kMaxSegments) return AuthenticationFailedError();
  return full_segments * segment_size + (rest - kStreamSegmentOverhead);
}

SegmentRange MapPlaintextRange(uint64_t plaintext_size, uint32_t segment_size,
                               uint64_t offset, uint64_t length) {
  SegmentRange range;
  if (segment_size == 0 || offset >= plaintext_size || length == 0) return range;
  const uint64_t end = offset + std::min(length, plaintext_size - offset);
  const uint64_t first = offset / segment_size;
  const uint64_t last = (end - 1) / segment_size;
  const uint64_t full = FullSegmentStoredSize(segment_size);
  const uint64_t final_index = StreamSegmentCount(plaintext_size, segment_size) - 1;
  const uint64_t last_stored =
      last == final_index
          ? plaintext_size - last * segment_size + kStreamSegmentOverhead
          : full;
  range.first_segment = first;
  range.segment_count = last - first + 1;
  range.skip = offset - first * segment_size;
  range.length = end - offset;
  range.ciphertext_offset = kStreamHeaderSize + first * full;
  range.ciphertext_length = (last - first) * full + last_stored;
  return range;
}

// ---- StreamingEncrypter ----

StreamingEncrypter::StreamingEncrypter(SecretBytes stream_key, std::string header,
                                       std::string aad, uint32_t segment_size)
    : stream_key_(std::move(stream_key)),
      header_(std::move(header)),
      aad_(std::move(aad)),
      segment_size_(segment_size) {
  buffer_.reserve(segment_size_);
}

StreamingEncrypter::~StreamingEncrypter() {
  // The buffer holds object plaintext; do not leave it in freed memory.
  OPENSSL_cleanse(buffer_.data(), buffer_.size());
}

Result<std::unique_ptr<StreamingEncrypter>> StreamingEncrypter::Create(
    const SecretBytes& key, std::string_view aad, Random& random,
    uint32_t segment_size) {
  if (!ValidSegmentSize(segment_size)) {
    return InternalError("segment size out of range");
  }
  std::string header(kStreamHeaderSize, '\0');
  uint8_t* h = reinterpret_cast<uint8_t*>(header.data());
  h[0] = kStreamVersion;
  PutU32(segment_size, h + 1);
  random.Fill(h + 5, kStreamSaltSize + kStreamNoncePrefixSize);
  GEE_ASSIGN_OR_RETURN(SecretBytes stream_key, DeriveStreamKey(key, header));
  return std::unique_ptr<StreamingEncrypter>(new StreamingEncrypter(
      std::move(stream_key), std::move(header), std::string(aad), segment_size));
}

Status StreamingEncrypter::EmitHeaderOnce(std::string* out) {
  if (!header_emitted_) {
    out->append(header_);
    header_emitted_ = true;
  }
  return OkStatus();
}

Status StreamingEncrypter::SealSegment(bool final, std::string* out) {
  if (next_index_ >= kMaxSegments) return InternalError("too many segments");
  const auto nonce = SegmentNonce(
      reinterpret_cast<const uint8_t*>(header_.data()) + 5 + kStreamSaltSize,
      next_index_, final);
  GEE_ASSIGN_OR_RETURN(std::string sealed,
                       SealWithNonce(stream_key_, nonce, buffer_, aad_));
  out->append(sealed);
  OPENSSL_cleanse(buffer_.data(), buffer_.size());
  buffer_.clear();
  ++next_index_;
  return OkStatus();
}

Status StreamingEncrypter::Update(std::string_view plaintext, std::string* out) {
  if (finished_) return InternalError("Update after Finish");
  GEE_RETURN_IF_ERROR(EmitHeaderOnce(out));
  while (!plaintext.empty()) {
    // A full buffer with more input to come is a non-final segment.
    if (buffer_.size() == segment_size_) {
      GEE_RETURN_IF_ERROR(SealSegment(false, out));
    }
    const size_t take = std::min<size_t>(plaintext.size(),
                                         segment_size_ - buffer_.size());
    buffer_.append(plaintext.substr(0, take));
    plaintext.remove_prefix(take);
  }
  return OkStatus();
}

Status StreamingEncrypter::Finish(std::string* out) {
  if (finished_) return InternalError("Finish called twice");
  GEE_RETURN_IF_ERROR(EmitHeaderOnce(out));
  GEE_RETURN_IF_ERROR(SealSegment(true, out));
  finished_ = true;
  return OkStatus();
}

// ---- StreamingDecrypter ----

StreamingDecrypter::StreamingDecrypter(
    SecretBytes stream_key,
    std::array<uint8_t, kStreamNoncePrefixSize> nonce_prefix, std::string aad,
    uint32_t segment_size)
    : stream_key_(std::move(stream_key)),
      nonce_prefix_(nonce_prefix),
      aad_(std::move(aad)),
      segment_size_(segment_size) {}

StreamingDecrypter::~StreamingDecrypter() = default;

Result<std::unique_ptr<StreamingDecrypter>> StreamingDecrypter::Create(
    const SecretBytes& key, std::string_view header, std::string_view aad) {
  if (header.size() < kStreamHeaderSize) return AuthenticationFailedError();
  header = header.substr(0, kStreamHeaderSize);
  const uint8_t* h = reinterpret_cast<const uint8_t*>(header.data());
  if (h[0] != kStreamVersion) return AuthenticationFailedError();
  const uint32_t segment_size = GetU32(h + 1);
  if (!ValidSegmentSize(segment_size)) return AuthenticationFailedError();
  GEE_ASSIGN_OR_RETURN(SecretBytes stream_key, DeriveStreamKey(key, header));
  std::array<uint8_t, kStreamNoncePrefixSize> prefix;
  std::memcpy(prefix.data(), h + 5 + kStreamSaltSize, prefix.size());
  return std::unique_ptr<StreamingDecrypter>(new StreamingDecrypter(
      std::move(stream_key), prefix, std::string(aad), segment_size));
}

Result<std::string> StreamingDecrypter::DecryptSegment(
    uint64_t index, bool is_final, std::string_view sealed_segment) const {
  if (index >= kMaxSegments) return AuthenticationFailedError();
  const uint64_t full = FullSegmentStoredSize(segment_size_);
  if (is_final ? (sealed_segment.size() < kStreamSegmentOverhead ||
                  sealed_segment.size() > full)
               : sealed_segment.size() != full) {
    return AuthenticationFailedError();
  }
  const auto nonce = SegmentNonce(nonce_prefix_.data(), index, is_final);
  return OpenWithNonce(stream_key_, nonce, sealed_segment, aad_);
}

Result<std::string> StreamingDecrypter::DecryptAll(std::string_view stream) const {
  GEE_ASSIGN_OR_RETURN(uint64_t plaintext_size,
                       StreamPlaintextSize(stream.size(), segment_size_));
  const uint64_t count = StreamSegmentCount(plaintext_size, segment_size_);
  const uint64_t full = FullSegmentStoredSize(segment_size_);
  std::string out;
  out.reserve(plaintext_size);
  std::string_view body = stream.substr(kStreamHeaderSize);
  for (uint64_t i = 0; i < count; ++i) {
    const bool final = i + 1 == count;
    std::string_view sealed = final ? body : body.substr(0, full);
    Result<std::string> segment = DecryptSegment(i, final, sealed);
    if (!segment.ok()) {
      OPENSSL_cleanse(out.data(), out.size());
      return std::move(segment).error();
    }
    out.append(*segment);
    OPENSSL_cleanse(segment->data(), segment->size());
    body.remove_prefix(sealed.size());
  }
  return out;
}

Result<std::string> StreamingDecrypter::DecryptRange(std::string_view stream,
                                                     uint64_t offset,
                                                     uint64_t length) const {
  GEE_ASSIGN_OR_RETURN(uint64_t plaintext_size,
                       StreamPlaintextSize(stream.size(), segment_size_));
  const uint64_t count = StreamSegmentCount(plaintext_size, segment_size_);
  const uint64_t full = FullSegmentStoredSize(segment_size_);
  const SegmentRange range =
      MapPlaintextRange(plaintext_size, segment_size_, offset, length);
  const uint64_t final_index = count - 1;
  auto stored = [&](uint64_t index) {
    const uint64_t start = kStreamHeaderSize + index * full;
    return stream.substr(start, index == final_index ? std::string_view::npos
                                                     : full);
  };
  // Authenticate the final segment so truncation is caught by range reads.
  if (range.segment_count == 0 ||
      range.first_segment + range.segment_count - 1 != final_index) {
    GEE_ASSIGN_OR_RETURN(std::string tail,
                         DecryptSegment(final_index, true, stored(final_index)));
    OPENSSL_cleanse(tail.data(), tail.size());
  }
  std::string joined;
  for (uint64_t i = 0; i < range.segment_count; ++i) {
    const uint64_t index = range.first_segment + i;
    Result<std::string> segment =
        DecryptSegment(index, index == final_index, stored(index));
    if (!segment.ok()) {
      OPENSSL_cleanse(joined.data(), joined.size());
      return std::move(segment).error();
    }
    joined.append(*segment);
    OPENSSL_cleanse(segment->data(), segment->size());
  }
  std::string out = joined.substr(range.skip, range.length);
  OPENSSL_cleanse(joined.data(), joined.size());
  return out;
}

Result<std::string> StreamingEncrypt(const SecretBytes& key,
                                     std::string_view plaintext,
                                     std::string_view aad, Random& random,
                                     uint32_t segment_size) {
  GEE_ASSIGN_OR_RETURN(auto encrypter, StreamingEncrypter::Create(
                                           key, aad, random, segment_size));
  std::string out;
  out.reserve(StreamCiphertextSize(plaintext.size(), segment_size));
  GEE_RETURN_IF_ERROR(encrypter->Update(plaintext, &out));
  GEE_RETURN_IF_ERROR(encrypter->Finish(&out));
  return out;
}

Result<std::string> StreamingDecrypt(const SecretBytes& key,
                                     std::string_view stream,
                                     std::string_view aad) {
  GEE_ASSIGN_OR_RETURN(auto decrypter, StreamingDecrypter::Create(key, stream, aad));
  return decrypter->DecryptAll(stream);
}

}  // namespace gee::crypto

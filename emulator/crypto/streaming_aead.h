// Segmented AES-256-GCM for large payloads (S3 object bodies), in the style
// of Tink's AES-GCM-HKDF streaming AEAD.
//
// The plaintext is cut into fixed-size segments; each segment is sealed on its
// own, so an encrypter needs only one segment of memory and a range read
// decrypts only the segments it touches. Truncation, reordering, splicing of
// segments from another stream and any modified byte are detected.
//
// Stream layout (all integers big-endian):
//
//   offset  size  field
//   0       1     version, 0x01
//   1       4     segment_size S: plaintext bytes in every segment but the
//                 last (1 <= S <= kMaxSegmentSize)
//   5       16    salt: random per stream
//   21      7     nonce_prefix: random per stream
//   28      ...   segments 0..n-1, each  ciphertext || tag(16)
//
//   * Header = bytes [0, 28). Segment i starts at 28 + i * (S + 16).
//   * Segments 0..n-2 hold exactly S plaintext bytes (S + 16 stored bytes).
//     Segment n-1 (the final one) holds 1..S bytes, or 0 bytes when the whole
//     plaintext is empty (an empty stream is the header plus one 16-byte
//     segment, so even "nothing" is authenticated). n >= 1, n <= 2^32.
//   * Stream key  K_s = HKDF-SHA256(ikm = key, salt = salt,
//                                   info = "gee streaming aead v1" || header)
//     32 bytes. Every header byte is bound through the key derivation: a
//     modified header makes every segment fail. A fresh salt per stream gives
//     every stream its own key, so nonces never repeat across streams that
//     share a master key (SSE-S3's emulator-owned key).
//   * Nonce of segment i = nonce_prefix(7) || uint32 i (4) || final flag (1:
//     0x01 for segment n-1, else 0x00). The index catches reordering and
//     splicing; the flag catches truncation at a segment boundary (the new
//     last segment was sealed as non-final) and appending.
//   * GCM associated data of every segment = the caller's AAD (e.g. the S3
//     object's identity), which is not stored.
//
// Errors: any stream that is not exactly what the encrypter produced under
// this key and AAD fails with crypto::AuthenticationFailedError() (see
// aead.h). Misuse (wrong key size, bad segment size, Update after Finish) is
// "InternalFailure".
//
// Thread-safety: a StreamingEncrypter is used by one thread at a time. A
// StreamingDecrypter is immutable after Create; its const methods may be
// called concurrently.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::crypto {

inline constexpr uint8_t kStreamVersion = 0x01;
inline constexpr size_t kStreamHeaderSize = 28;
inline constexpr size_t kStreamSaltSize = 16;
inline constexpr size_t kStreamNoncePrefixSize = 7;
inline constexpr size_t kStreamSegmentOverhead = 16;  // GCM tag
inline constexpr uint32_t kDefaultSegmentSize = 64 * 1024;
inline constexpr uint32_t kMaxSegmentSize = 16 * 1024 * 1024;

// Number of segments of a stream holding `plaintext_size` bytes (>= 1).
uint64_t StreamSegmentCount(uint64_t plaintext_size, uint32_t segment_size);
// Total stored size (header + segments) for `plaintext_size` bytes.
uint64_t StreamCiphertextSize(uint64_t plaintext_size, uint32_t segment_size);
// Inverse of StreamCiphertextSize; fails (AuthenticationFailedError) for a
// size no stream can have.
Result<uint64_t> StreamPlaintextSize(uint64_t ciphertext_size,
                                     uint32_t segment_size);

// Which stored bytes a plaintext range read needs.
struct SegmentRange {
  // Index of the first segment holding a requested byte.
  uint64_t first_segment = 0;
  // Number of consecutive segments to decrypt; 0 when the range is empty.
  uint64_t segment_count = 0;
  // Plaintext bytes to drop from the start of the first segment.
  uint64_t skip = 0;
  // Plaintext bytes to return after `skip` (clamped to the end of the stream).
  uint64_t length = 0;
  // Stored byte range [ciphertext_offset, ciphertext_offset +
  // ciphertext_length) of the stream holding those segments; offsets count
  // from the start of the stream, header included.
  uint64_t ciphertext_offset = 0;
  uint64_t ciphertext_length = 0;
};

// Maps the plaintext range [offset, offset + length) of a stream holding
// `plaintext_size` bytes to segments. The range is clamped to the plaintext;
// a range starting at or past the end is empty (segment_count == 0).
SegmentRange MapPlaintextRange(uint64_t plaintext_size, uint32_t segment_size,
                               uint64_t offset, uint64_t length);

// Incremental encrypter: feed slices of any size with Update, then Finish.
// The concatenation of everything appended to `out` is the stream.
class StreamingEncrypter {
 public:
  // `key` must be 32 bytes; `segment_size` in [1, kMaxSegmentSize].
  static Result<std::unique_ptr<StreamingEncrypter>> Create(
      const SecretBytes& key, std::string_view aad, Random& random,
      uint32_t segment_size = kDefaultSegmentSize);

  ~StreamingEncrypter();
  StreamingEncrypter(const StreamingEncrypter&) = delete;
  StreamingEncrypter& operator=(const StreamingEncrypter&) = delete;

  // Appends the header (first call only) and every segment completed by
  // `plaintext`. A full segment is held back until more input arrives or
  // Finish is called, because only then is it known whether it is final.
  Status Update(std::string_view plaintext, std::string* out);
  // Seals what is buffered as the final segment and appends it (and the
  // header if nothing was emitted yet). Update and Finish fail afterwards.
  Status Finish(std::string* out);

  uint32_t segment_size() const { return segment_size_; }

 private:
  StreamingEncrypter(SecretBytes stream_key, std::string header,
                     std::string aad, uint32_t segment_size);
  Status EmitHeaderOnce(std::string* out);
  Status SealSegment(bool final, std::string* out);

  SecretBytes stream_key_;
  std::string header_;
  std::string aad_;
  uint32_t segment_size_;
  std::string buffer_;  // plaintext of the segment being filled
  uint64_t next_index_ = 0;
  bool header_emitted_ = false;
  bool finished_ = false;
};

// Decrypts a stream, whole or one segment at a time (range reads).
class StreamingDecrypter {
 public:
  // `header` holds at least the first kStreamHeaderSize bytes of the stream
  // (extra bytes are ignored). Fails with AuthenticationFailedError() for a
  // header that is malformed or of an unknown version.
  static Result<std::unique_ptr<StreamingDecrypter>> Create(
      const SecretBytes& key, std::string_view header, std::string_view aad);

  ~StreamingDecrypter();
  StreamingDecrypter(const StreamingDecrypter&) = delete;
  StreamingDecrypter& operator=(const StreamingDecrypter&) = delete;

  uint32_t segment_size() const { return segment_size_; }

  // Opens segment `index` (ciphertext || tag, as stored). `is_final` must be
  // true exactly for the last segment of the stream, which the caller knows
  // from the stored size (StreamSegmentCount(StreamPlaintextSize(...))).
  Result<std::string> DecryptSegment(uint64_t index, bool is_final,
                                     std::string_view sealed_segment) const;

  // Decrypts a whole stream held in memory (header included).
  Result<std::string> DecryptAll(std::string_view stream) const;

  // Decrypts plaintext bytes [offset, offset + length) of a stream held in
  // memory (header included), opening only the segments that hold them plus
  // the final segment, so a truncated stream is detected even by a range
  // read. An empty or out-of-range request returns "".
  Result<std::string> DecryptRange(std::string_view stream, uint64_t offset,
                                   uint64_t length) const;

 private:
  StreamingDecrypter(SecretBytes stream_key,
                     std::array<uint8_t, kStreamNoncePrefixSize> nonce_prefix,
                     std::string aad, uint32_t segment_size);

  SecretBytes stream_key_;
  std::array<uint8_t, kStreamNoncePrefixSize> nonce_prefix_;
  std::string aad_;
  uint32_t segment_size_;
};

// One-shot helpers over the classes above.
Result<std::string> StreamingEncrypt(const SecretBytes& key,
                                     std::string_view plaintext,
                                     std::string_view aad, Random& random,
                                     uint32_t segment_size = kDefaultSegmentSize);
Result<std::string> StreamingDecrypt(const SecretBytes& key,
                                     std::string_view stream,
                                     std::string_view aad);

}  // namespace gee::crypto

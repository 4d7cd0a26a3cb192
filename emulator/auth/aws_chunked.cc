#include "auth/aws_chunked.h"

#include <algorithm>
#include <boost/crc.hpp>
#include "crypto/encoding.h"

namespace gee::sigv4 {
namespace {

using Crc32Reg = boost::crc_optimal<32, 0x04C11DB7, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;
using Crc32cReg = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

constexpr std::string_view kChunkSignaturePrefix = "chunk-signature=";

// ---- S3 errors of this module ----

AwsError Truncated() {
  return AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
}
AwsError LengthMismatch() {
  return AwsError("IncompleteBody",
                  "You did not provide the number of bytes specified by the Content-Length HTTP "
                  "header.",
                  400);
}
AwsError ChunkSignatureMismatch() {
  return AwsError("SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you provided. "
                  "Check your key and signing method.",
                  403);
}
AwsError MalformedTrailer() {
  return AwsError("MalformedTrailerError",
                  "The request contained trailing data that was not well-formed or did not "
                  "conform to our published schema.",
                  400);
}

std::string_view DisplayName(ChecksumAlgorithm a) {
  // [observed] "The CRC32 you specified ..." and "The sha256 you specified ...".
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return "CRC32";
    case ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case ChecksumAlgorithm::kSha1:
      return "sha1";
    case ChecksumAlgorithm::kSha256:
      return "sha256";
  }
  return "checksum";
}

AwsError BadDigest(ChecksumAlgorithm a) {
  return AwsError("BadDigest",
                  "The " + std::string(DisplayName(a)) + " you specified did not match the calculated checksum.",
                  400);
}
AwsError InvalidChecksumValue(ChecksumAlgorithm a) {
  // UNCONFIRMED wording.
  return AwsError("InvalidRequest",
                  "Value for " + std::string(ChecksumHeaderName(a)) + " trailing header is invalid.",
                  400);
}

// ---- helpers ----

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}


std::string ChunkStringToSign(std::string_view amz_date, std::string_view scope,
                              std::string_view previous, std::string_view chunk_hash_hex) {
  std::string s;
  s.append("AWS4-HMAC-SHA256-PAYLOAD\n");
  s.append(amz_date).push_back('\n');
  s.append(scope).push_back('\n');
  s.append(previous).push_back('\n');
  s.append(kEmptyPayloadHash).push_back('\n');
  s.append(chunk_hash_hex);
  return s;
}

std::string Hex(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.push_back(kDigits[v & 0xf]);
    v >>= 4;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Checksums
// ---------------------------------------------------------------------------

std::optional<ChecksumAlgorithm> ChecksumAlgorithmForHeader(std::string_view header_name) {
  std::string name = Lower(Trim(header_name));
  if (name == "x-amz-checksum-crc32") return ChecksumAlgorithm::kCrc32;
  if (name == "x-amz-checksum-crc32c") return ChecksumAlgorithm::kCrc32c;
  if (name == "x-amz-checksum-sha1") return ChecksumAlgorithm::kSha1;
  if (name == "x-amz-checksum-sha256") return ChecksumAlgorithm::kSha256;
  return std::nullopt;
}

std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "x-amz-checksum-crc32";
    case ChecksumAlgorithm::kCrc32c:
      return "x-amz-checksum-crc32c";
    case ChecksumAlgorithm::kSha1:
      return "x-amz-checksum-sha1";
    case ChecksumAlgorithm::kSha256:
      return "x-amz-checksum-sha256";
  }
  return "";
}

Result<PayloadChecksum> PayloadChecksum::Create(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
    case ChecksumAlgorithm::kCrc32c:
      return PayloadChecksum(algorithm, std::nullopt);
    case ChecksumAlgorithm::kSha1: {
      GEE_ASSIGN_OR_RETURN(crypto::Hasher h, crypto::Hasher::Create(crypto::HashAlgorithm::kSha1));
      return PayloadChecksum(algorithm, std::move(h));
    }
    case ChecksumAlgorithm::kSha256: {
      GEE_ASSIGN_OR_RETURN(crypto::Hasher h, crypto::Hasher::CreateSha256());
      return PayloadChecksum(algorithm, std::move(h));
    }
  }
  return AwsError("InternalFailure", "unknown checksum algorithm", 500);
}

Status PayloadChecksum::Update(std::string_view data) {
  if (hasher_) return hasher_->Update(data);
  // The register carries the running remainder between calls.
  if (algorithm_ == ChecksumAlgorithm::kCrc32) {
    Crc32Reg crc(crc_);
    crc.process_bytes(data.data(), data.size());
    crc_ = crc.get_interim_remainder();
  } else {
    Crc32cReg crc(crc_);
    crc.process_bytes(data.data(), data.size());
    crc_ = crc.get_interim_remainder();
  }
  return OkStatus();
}

Result<std::string> PayloadChecksum::FinishBase64() {
  if (hasher_) {
    GEE_ASSIGN_OR_RETURN(std::vector<uint8_t> digest, hasher_->Finish());
    return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
  uint32_t value = 0;
  if (algorithm_ == ChecksumAlgorithm::kCrc32) {
    value = Crc32Reg(crc_).checksum();
  } else {
    value = Crc32cReg(crc_).checksum();
  }
  const uint8_t be[4] = {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
                         static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(be), sizeof be));
}

// ---------------------------------------------------------------------------
// Decoder
// ---------------------------------------------------------------------------

struct AwsChunkedDecoder::SignedState {
  SigningKey key;
  std::string amz_date;
  std::string scope;
  std::string previous_signature;
  std::string expected_signature;  // of the chunk being read
  crypto::Hasher chunk_hash;
};

AwsChunkedDecoder::AwsChunkedDecoder(AwsChunkedOptions options) : options_(std::move(options)) {}

AwsChunkedDecoder::~AwsChunkedDecoder() = default;

Result<std::unique_ptr<AwsChunkedDecoder>> AwsChunkedDecoder::CreateSigned(
    SigningKey signing_key, std::string amz_date, std::string scope, std::string seed_signature,
    AwsChunkedOptions options) {
  if (!options.declared_trailers.empty()) {
    return AwsError("NotImplemented",
                    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER is not supported by this emulator.",
                    501);
  }
  GEE_ASSIGN_OR_RETURN(crypto::Hasher hasher, crypto::Hasher::CreateSha256());
  std::unique_ptr<AwsChunkedDecoder> d(new AwsChunkedDecoder(std::move(options)));
  d->signed_.reset(new SignedState{std::move(signing_key), std::move(amz_date), std::move(scope),
                                   std::move(seed_signature), std::string(), std::move(hasher)});
  return d;
}

Result<std::unique_ptr<AwsChunkedDecoder>> AwsChunkedDecoder::CreateUnsignedTrailer(
    AwsChunkedOptions options) {
  std::unique_ptr<AwsChunkedDecoder> d(new AwsChunkedDecoder(std::move(options)));
  // x-amz-trailer may list several names, comma-separated.
  std::vector<std::string> names;
  for (const std::string& entry : d->options_.declared_trailers) {
    size_t start = 0;
    while (start <= entry.size()) {
      size_t comma = entry.find(',', start);
      std::string_view name = Trim(std::string_view(entry).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!name.empty()) names.push_back(Lower(name));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  d->options_.declared_trailers = names;
  for (const std::string& name : names) {
    if (auto algorithm = ChecksumAlgorithmForHeader(name)) {
      GEE_ASSIGN_OR_RETURN(PayloadChecksum checksum, PayloadChecksum::Create(*algorithm));
      d->checksums_.push_back(std::move(checksum));
    }
  }
  return d;
}

bool AwsChunkedDecoder::complete() const { return state_ == State::kDone; }

Status AwsChunkedDecoder::Fail(AwsError error) {
  state_ = State::kFailed;
  error_ = std::move(error);
  return error_;
}

Status AwsChunkedDecoder::Feed(std::string_view input, std::string* out) {
  if (state_ == State::kFailed) return error_;
  size_t i = 0;
  while (i < input.size()) {
    switch (state_) {
      case State::kSizeLine:
      case State::kTrailerLine: {
        const char c = input[i++];
        if (line_cr_) {
          if (c != '\n') return Fail(state_ == State::kSizeLine ? Truncated() : MalformedTrailer());
          line_cr_ = false;
          Status s = state_ == State::kSizeLine ? OnSizeLine() : OnTrailerLine();
          line_.clear();
          if (!s.ok()) return s;
        } else if (c == '\r') {
          line_cr_ = true;
        } else if (c == '\n' || line_.size() >= options_.max_line_length) {
          return Fail(state_ == State::kSizeLine ? Truncated() : MalformedTrailer());
        } else {
          line_.push_back(c);
        }
        break;
      }
      case State::kData: {
        const size_t n = static_cast<size_t>(
            std::min<uint64_t>(chunk_remaining_, static_cast<uint64_t>(input.size() - i)));
        std::string_view piece = input.substr(i, n);
        i += n;
        chunk_remaining_ -= n;
        decoded_bytes_ += n;
        if (options_.decoded_content_length && decoded_bytes_ > *options_.decoded_content_length) {
          return Fail(LengthMismatch());
        }
        if (signed_) {
          Status s = signed_->chunk_hash.Update(piece);
          if (!s.ok()) return Fail(std::move(s).error());
        }
        for (PayloadChecksum& checksum : checksums_) {
          Status s = checksum.Update(piece);
          if (!s.ok()) return Fail(std::move(s).error());
        }
        out->append(piece);
        if (chunk_remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
        if (input[i++] != '\r') return Fail(Truncated());
        state_ = State::kDataLf;
        break;
      case State::kDataLf: {
        if (input[i++] != '\n') return Fail(Truncated());
        Status s = OnChunkEnd();
        if (!s.ok()) return s;
        state_ = State::kSizeLine;
        break;
      }
      case State::kDone:
        // Bytes after the end of the encoding.
        return Fail(Truncated());
      case State::kFailed:
        return error_;
    }
  }
  return OkStatus();
}

Status AwsChunkedDecoder::OnSizeLine() {
  std::string_view line = line_;
  size_t semicolon = line.find(';');
  std::string_view size_text = line.substr(0, semicolon);
  std::string_view extension =
      semicolon == std::string_view::npos ? std::string_view() : line.substr(semicolon + 1);
  if (size_text.empty() || size_text.size() > 15) return Fail(Truncated());
  uint64_t size = 0;
  for (char c : size_text) {
    int v = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (v < 0) return Fail(Truncated());
    size = size * 16 + static_cast<uint64_t>(v);
  }
  if (signed_) {
    if (extension.substr(0, kChunkSignaturePrefix.size()) != kChunkSignaturePrefix) {
      return Fail(Truncated());
    }
    signed_->expected_signature = std::string(extension.substr(kChunkSignaturePrefix.size()));
    Status s = signed_->chunk_hash.Reset();
    if (!s.ok()) return Fail(std::move(s).error());
  }
  chunk_size_ = size;
  chunk_remaining_ = size;
  if (size == 0) {
    // The final chunk: for signed bodies its (empty) signature is checked now;
    // then trailers (unsigned mode) or just the closing empty line.
    last_chunk_ = true;
    if (signed_) {
      Status s = OnChunkEnd();
      if (!s.ok()) return s;
    }
    state_ = State::kTrailerLine;
    return OkStatus();
  }
  state_ = State::kData;
  return OkStatus();
}

Status AwsChunkedDecoder::OnChunkEnd() {
  if (!signed_) return OkStatus();
  Result<std::vector<uint8_t>> digest = signed_->chunk_hash.Finish();
  if (!digest.ok()) return Fail(std::move(digest).error());
  std::string string_to_sign =
      ChunkStringToSign(signed_->amz_date, signed_->scope, signed_->previous_signature,
                        crypto::HexEncode(*digest));
  Result<std::string> signature = signed_->key.Sign(string_to_sign);
  if (!signature.ok()) return Fail(std::move(signature).error());
  if (!crypto::ConstantTimeEquals(*signature, signed_->expected_signature)) {
    return Fail(ChunkSignatureMismatch());
  }
  signed_->previous_signature = std::move(signature).value();
  return OkStatus();
}

Status AwsChunkedDecoder::OnTrailerLine() {
  if (line_.empty()) return OnEnd();
  if (signed_) return Fail(MalformedTrailer());  // signed chunks carry no trailers here
  std::string_view line = line_;
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return Fail(MalformedTrailer());
  std::string name(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  const std::string lower = Lower(name);
  if (auto algorithm = ChecksumAlgorithmForHeader(lower)) {
    auto it = std::find_if(checksums_.begin(), checksums_.end(),
                           [&](const PayloadChecksum& c) { return c.algorithm() == *algorithm; });
    if (it == checksums_.end()) return Fail(MalformedTrailer());  // not announced, or repeated
    Result<std::string> claimed = crypto::Base64Decode(value);
    Result<std::string> computed = it->FinishBase64();
    ChecksumAlgorithm a = *algorithm;
    checksums_.erase(it);
    if (!computed.ok()) return Fail(std::move(computed).error());
    Result<std::string> computed_bytes = crypto::Base64Decode(*computed);
    if (!claimed.ok() || !computed_bytes.ok() || claimed->size() != computed_bytes->size()) {
      return Fail(InvalidChecksumValue(a));
    }
    if (!crypto::ConstantTimeEquals(*claimed, *computed_bytes)) return Fail(BadDigest(a));
  } else if (std::find(options_.declared_trailers.begin(), options_.declared_trailers.end(),
                       lower) == options_.declared_trailers.end()) {
    return Fail(MalformedTrailer());
  }
  trailers_.emplace_back(std::move(name), std::move(value));
  return OkStatus();
}

Status AwsChunkedDecoder::OnEnd() {
  for (const std::string& declared : options_.declared_trailers) {
    bool seen = std::any_of(trailers_.begin(), trailers_.end(),
                            [&](const HeaderField& t) { return Lower(t.first) == declared; });
    if (!seen) return Fail(MalformedTrailer());
  }
  if (options_.decoded_content_length && decoded_bytes_ != *options_.decoded_content_length) {
    return Fail(LengthMismatch());
  }
  state_ = State::kDone;
  return OkStatus();
}

Status AwsChunkedDecoder::Finish() {
  if (state_ == State::kFailed) return error_;
  if (state_ != State::kDone) return Fail(Truncated());
  return OkStatus();
}

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

Result<std::string> ChunkSignature(const SigningKey& key, std::string_view amz_date,
                                   std::string_view scope, std::string_view previous_signature,
                                   std::string_view chunk_data) {
  GEE_ASSIGN_OR_RETURN(std::string hash, crypto::Sha256Hex(chunk_data));
  return key.Sign(ChunkStringToSign(amz_date, scope, previous_signature, hash));
}

Result<std::string> EncodeSignedChunks(const SigningKey& key, std::string_view amz_date,
                                       std::string_view scope, std::string_view seed_signature,
                                       std::string_view payload, size_t chunk_size) {
  if (chunk_size == 0) return AwsError("SigningError", "chunk size must be positive", 400);
  std::string out;
  std::string previous(seed_signature);
  size_t offset = 0;
  while (true) {
    std::string_view chunk = payload.substr(offset, std::min(chunk_size, payload.size() - offset));
    GEE_ASSIGN_OR_RETURN(std::string signature,
                         ChunkSignature(key, amz_date, scope, previous, chunk));
    out.append(Hex(chunk.size())).append(";").append(kChunkSignaturePrefix).append(signature);
    out.append("\r\n").append(chunk).append("\r\n");
    previous = std::move(signature);
    offset += chunk.size();
    if (chunk.empty()) break;
  }
  return out;
}

Result<std::string> EncodeUnsignedChunksWithTrailer(std::string_view payload, size_t chunk_size,
                                                    ChecksumAlgorithm algorithm) {
  if (chunk_size == 0) return AwsError("SigningError", "chunk size must be positive", 400);
  GEE_ASSIGN_OR_RETURN(PayloadChecksum checksum, PayloadChecksum::Create(algorithm));
  GEE_RETURN_IF_ERROR(checksum.Update(payload));
  GEE_ASSIGN_OR_RETURN(std::string value, checksum.FinishBase64());
  std::string out;
  for (size_t offset = 0; offset < payload.size(); offset += chunk_size) {
    std::string_view chunk = payload.substr(offset, std::min(chunk_size, payload.size() - offset));
    out.append(Hex(chunk.size())).append("\r\n").append(chunk).append("\r\n");
  }
  out.append("0\r\n").append(ChecksumHeaderName(algorithm)).append(":").append(value);
  out.append("\r\n\r\n");
  return out;
}

uint64_t SignedChunkedLength(uint64_t payload_size, uint64_t chunk_size) {
  // Per chunk: hex size + ";chunk-signature=" + 64 + CRLF + data + CRLF.
  const uint64_t overhead = 1 + kChunkSignaturePrefix.size() + 64 + 2 + 2;
  uint64_t total = 0;
  uint64_t remaining = payload_size;
  while (remaining > 0 && chunk_size > 0) {
    uint64_t n = std::min(chunk_size, remaining);
    total += Hex(n).size() + overhead + n;
    remaining -= n;
  }
  return total + 1 + overhead;  // final "0" chunk
}

}  // namespace gee::sigv4

#include "services/kms/ciphertext_blob.h"

#include "crypto/aead.h"
#include "services/kms/errors.h"
#include "services/kms/key_spec.h"

namespace gee::kms {
namespace {

constexpr std::string_view kAadLabel = "gee-kms-blob-v1";

void AppendU32(uint32_t value, std::string* out) {
  out->push_back(static_cast<char>(value >> 24));
  out->push_back(static_cast<char>(value >> 16));
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value));
}

uint32_t ReadU32(std::string_view bytes) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

void AppendLengthPrefixed(std::string_view bytes, std::string* out) {
  AppendU32(static_cast<uint32_t>(bytes.size()), out);
  out->append(bytes);
}

bool IsKeyIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '-';
}

bool IsValidKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > kMaxBlobKeyIdLength) return false;
  for (char c : key_id) {
    if (!IsKeyIdChar(c)) return false;
  }
  return true;
}

std::string Aad(std::string_view header, const EncryptionContext& context) {
  std::string aad(kAadLabel);
  aad.append(header);
  aad.append(CanonicalEncryptionContext(context));
  return aad;
}

}  // namespace

std::string CanonicalEncryptionContext(const EncryptionContext& context) {
  std::string out;
  AppendU32(static_cast<uint32_t>(context.size()), &out);
  // std::map iterates in ascending std::string order, i.e. unsigned byte
  // order (char_traits<char>::compare is memcmp-like), which is canonical.
  for (const auto& [key, value] : context) {
    AppendLengthPrefixed(key, &out);
    AppendLengthPrefixed(value, &out);
  }
  return out;
}

Result<ParsedCiphertextBlob> ParseCiphertextBlob(std::string_view blob) {
  if (blob.size() > kMaxCiphertextBlobSize || blob.size() < 2) {
    return errors::InvalidCiphertext();
  }
  if (static_cast<uint8_t>(blob[0]) != kCiphertextBlobVersion) {
    return errors::InvalidCiphertext();
  }
  const size_t key_id_length = static_cast<uint8_t>(blob[1]);
  const size_t header_size = kBlobFixedHeaderSize + key_id_length;
  // Header, nonce, at least one ciphertext byte, tag.
  if (blob.size() < header_size + crypto::kAeadOverhead + 1) {
    return errors::InvalidCiphertext();
  }
  ParsedCiphertextBlob parsed;
  parsed.key_id = blob.substr(2, key_id_length);
  if (!IsValidKeyId(parsed.key_id)) return errors::InvalidCiphertext();
  parsed.key_version = ReadU32(blob.substr(2 + key_id_length, 4));
  if (parsed.key_version == 0) return errors::InvalidCiphertext();
  parsed.header = blob.substr(0, header_size);
  parsed.sealed = blob.substr(header_size);
  if (parsed.sealed.size() - crypto::kAeadOverhead > kMaxPlaintextSize) {
    return errors::InvalidCiphertext();
  }
  return parsed;
}

Result<std::string> PeekKeyId(std::string_view blob) {
  GEE_ASSIGN_OR_RETURN(ParsedCiphertextBlob parsed, ParseCiphertextBlob(blob));
  return std::string(parsed.key_id);
}

Result<std::string> SealCiphertextBlob(const crypto::SecretBytes& key,
                                       std::string_view key_id, uint32_t key_version,
                                       std::string_view plaintext,
                                       const EncryptionContext& context, Random& random) {
  if (!IsValidKeyId(key_id) || key_version == 0) {
    return errors::Internal("SealCiphertextBlob: malformed key id or version");
  }
  if (plaintext.empty() || plaintext.size() > kMaxPlaintextSize) {
    return errors::Internal("SealCiphertextBlob: plaintext size outside 1..4096");
  }
  std::string blob;
  blob.reserve(kBlobFixedOverhead + key_id.size() + plaintext.size());
  blob.push_back(static_cast<char>(kCiphertextBlobVersion));
  blob.push_back(static_cast<char>(key_id.size()));
  blob.append(key_id);
  AppendU32(key_version, &blob);
  GEE_ASSIGN_OR_RETURN(std::string sealed,
                       crypto::Seal(key, plaintext, Aad(blob, context), random));
  blob.append(sealed);
  return blob;
}

Result<crypto::SecretBytes> OpenCiphertextBlob(const crypto::SecretBytes& key,
                                               const ParsedCiphertextBlob& blob,
                                               const EncryptionContext& context) {
  auto opened = crypto::OpenSecret(key, blob.sealed, Aad(blob.header, context));
  if (!opened.ok()) {
    // Authentication failures become KMS's message-less error; anything else
    // (OpenSSL failure, wrong key size) stays an internal error.
    if (crypto::IsAuthenticationFailure(opened.error())) return errors::InvalidCiphertext();
    return errors::Internal("OpenCiphertextBlob");
  }
  return std::move(opened).value();
}

}  // namespace gee::kms

#include "crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <memory>

namespace gee::crypto {
namespace {

constexpr char kAuthenticationFailedCode[] = "InvalidCiphertextException";

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

AwsError InternalError(std::string_view step) {
  return AwsError("InternalFailure",
                  "AES-256-GCM: " + std::string(step) + " failed", 500);
}

// AES-256-GCM from the default provider, fetched once: EVP_aes_256_gcm()
// would make every EVP_CipherInit_ex fetch it again (a provider lookup that
// costs several times the encryption of a small message). nullptr when the
// fetch fails; NewContext then falls back to EVP_aes_256_gcm().
const EVP_CIPHER* FetchedAes256Gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Creates a context for AES-256-GCM in the given direction with key and nonce.
Result<CipherCtxPtr> NewContext(const SecretBytes& key,
                                std::span<const uint8_t> nonce, bool encrypt) {
  if (key.size() != kAes256KeySize) return InternalError("key size check");
  if (nonce.size() != kGcmNonceSize) return InternalError("nonce size check");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return InternalError("EVP_CIPHER_CTX_new");
  const int enc = encrypt ? 1 : 0;
  const EVP_CIPHER* cipher = FetchedAes256Gcm();
  if (EVP_CipherInit_ex(ctx.get(), cipher != nullptr ? cipher : EVP_aes_256_gcm(), nullptr,
                        nullptr, nullptr, enc) != 1) {
    return InternalError("EVP_CipherInit_ex(cipher)");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN,
                          static_cast<int>(kGcmNonceSize), nullptr) != 1) {
    return InternalError("EVP_CTRL_GCM_SET_IVLEN");
  }
  if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data(),
                        enc) != 1) {
    return InternalError("EVP_CipherInit_ex(key)");
  }
  return ctx;
}

// Feeds `n` bytes to the context in int-sized chunks. `out == nullptr` feeds
// AAD; otherwise output is written to `out` (GCM is a stream mode, so output
// length equals input length).
Status Update(EVP_CIPHER_CTX* ctx, const uint8_t* in, size_t n, uint8_t* out) {
  while (n > 0) {
    const size_t chunk = std::min<size_t>(n, INT_MAX / 2);
    int written = 0;
    if (EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(chunk)) != 1) {
      return InternalError("EVP_CipherUpdate");
    }
    if (out != nullptr) {
      if (static_cast<size_t>(written) != chunk) {
        return InternalError("EVP_CipherUpdate length");
      }
      out += chunk;
    }
    in += chunk;
    n -= chunk;
  }
  return OkStatus();
}

// Writes ciphertext || tag (plaintext.size() + 16 bytes) to `out`.
Status SealInto(const SecretBytes& key, std::span<const uint8_t> nonce,
                std::string_view plaintext, std::string_view aad, uint8_t* out) {
  GEE_ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewContext(key, nonce, true));
  GEE_RETURN_IF_ERROR(Update(ctx.get(), Bytes(aad), aad.size(), nullptr));
  GEE_RETURN_IF_ERROR(Update(ctx.get(), Bytes(plaintext), plaintext.size(), out));
  int written = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out + plaintext.size(), &written) != 1 ||
      written != 0) {
    return InternalError("EVP_CipherFinal_ex");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG,
                          static_cast<int>(kGcmTagSize),
                          out + plaintext.size()) != 1) {
    return InternalError("EVP_CTRL_GCM_GET_TAG");
  }
  return OkStatus();
}

// Writes the plaintext (ciphertext_and_tag.size() - 16 bytes) to `out`. On
// failure `out` may hold unauthenticated bytes: the caller must wipe it.
Status OpenInto(const SecretBytes& key, std::span<const uint8_t> nonce,
                std::string_view ciphertext_and_tag, std::string_view aad,
                uint8_t* out) {
  if (ciphertext_and_tag.size() < kGcmTagSize) return AuthenticationFailedError();
  const size_t ciphertext_size = ciphertext_and_tag.size() - kGcmTagSize;
  std::array<uint8_t, kGcmTagSize> tag;
  std::memcpy(tag.data(), ciphertext_and_tag.data() + ciphertext_size, kGcmTagSize);

  GEE_ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewContext(key, nonce, false));
  GEE_RETURN_IF_ERROR(Update(ctx.get(), Bytes(aad), aad.size(), nullptr));
  GEE_RETURN_IF_ERROR(
      Update(ctx.get(), Bytes(ciphertext_and_tag), ciphertext_size, out));
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG,
                          static_cast<int>(kGcmTagSize), tag.data()) != 1) {
    return InternalError("EVP_CTRL_GCM_SET_TAG");
  }
  int written = 0;
  // Final fails exactly when the tag does not verify.
  if (EVP_CipherFinal_ex(ctx.get(), out + ciphertext_size, &written) != 1) {
    return AuthenticationFailedError();
  }
  return OkStatus();
}

std::span<const uint8_t> NonceOf(std::string_view sealed) {
  return {Bytes(sealed), kGcmNonceSize};
}

}  // namespace

Result<std::string> SealWithNonce(const SecretBytes& key,
                                  std::span<const uint8_t> nonce,
                                  std::string_view plaintext,
                                  std::string_view aad) {
  std::string out(plaintext.size() + kGcmTagSize, '\0');
  GEE_RETURN_IF_ERROR(SealInto(key, nonce, plaintext, aad,
                               reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Result<std::string> OpenWithNonce(const SecretBytes& key,
                                  std::span<const uint8_t> nonce,
                                  std::string_view ciphertext_and_tag,
                                  std::string_view aad) {
  if (ciphertext_and_tag.size() < kGcmTagSize) return AuthenticationFailedError();
  std::string out(ciphertext_and_tag.size() - kGcmTagSize, '\0');
  Status status = OpenInto(key, nonce, ciphertext_and_tag, aad,
                           reinterpret_cast<uint8_t*>(out.data()));
  if (!status.ok()) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::move(status).error();
  }
  return out;
}

Result<std::string> Seal(const SecretBytes& key, std::string_view plaintext,
                         std::string_view aad, Random& random) {
  std::string out(kGcmNonceSize + plaintext.size() + kGcmTagSize, '\0');
  uint8_t* bytes = reinterpret_cast<uint8_t*>(out.data());
  random.Fill(bytes, kGcmNonceSize);
  GEE_RETURN_IF_ERROR(SealInto(key, {bytes, kGcmNonceSize}, plaintext, aad,
                               bytes + kGcmNonceSize));
  return out;
}

Result<std::string> Open(const SecretBytes& key, std::string_view sealed,
                         std::string_view aad) {
  if (sealed.size() < kAeadOverhead) return AuthenticationFailedError();
  return OpenWithNonce(key, NonceOf(sealed), sealed.substr(kGcmNonceSize), aad);
}

Result<SecretBytes> OpenSecret(const SecretBytes& key, std::string_view sealed,
                               std::string_view aad) {
  if (sealed.size() < kAeadOverhead) return AuthenticationFailedError();
  SecretBytes out(sealed.size() - kAeadOverhead);
  // A failed open leaves `out` holding unauthenticated bytes; it wipes itself
  // when it goes out of scope here.
  GEE_RETURN_IF_ERROR(OpenInto(key, NonceOf(sealed), sealed.substr(kGcmNonceSize),
                               aad, out.data()));
  return out;
}

AwsError AuthenticationFailedError() {
  return AwsError(kAuthenticationFailedCode,
                  "The ciphertext failed authentication: it was modified, or "
                  "the key or associated data does not match.",
                  400);
}

bool IsAuthenticationFailure(const AwsError& error) {
  return error.code == kAuthenticationFailedCode;
}

}  // namespace gee::crypto

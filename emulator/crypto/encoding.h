// Strict base64 (RFC 4648 section 4, standard alphabet, '=' padding) and
// base64url (section 5, '-' and '_', padding omitted on output).
//
// Decoding is strict: it rejects characters outside the alphabet (including
// whitespace and line breaks), a length that is not a whole number of
// quanta, '=' anywhere but the last one or two positions, and non-canonical
// encodings whose unused trailing bits are not zero. So Encode(Decode(s)) == s
// for every accepted s. Errors are AwsError "ValidationException" / 400 with
// a message that never echoes the input (it may be a secret); callers that
// need another code (e.g. KMS's InvalidCiphertextException) map it, and
// callers that word the error themselves (the JSON protocol, see
// protocol/base64.h) ask FindBase64Flaw.
//
// This is gee's only base64 codec. It is table driven and decodes and
// validates in one pass: blobs of a few KiB cross it on every KMS request.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::crypto {

std::string Base64Encode(std::string_view bytes);
// Appends the encoding of `bytes` to `out`.
void AppendBase64(std::string_view bytes, std::string& out);
Result<std::string> Base64Decode(std::string_view text);
// For key material (KMS Plaintext fields): the decoded bytes never sit in a
// std::string.
Result<SecretBytes> Base64DecodeSecret(std::string_view text);

// The first reason strict decoding rejects `text`, checked in this order:
// the length, then each character left to right ('=' counts as padding only
// in the last one or two positions, and only when the last one is '='), then
// the unused bits of the last data character.
struct Base64Flaw {
  enum class Kind { kLength, kCharacter, kTrailingBits };
  Kind kind;
  size_t offset = 0;  // kCharacter: index of the first character outside the alphabet
};
// nullopt when `text` is strict base64.
std::optional<Base64Flaw> FindBase64Flaw(std::string_view text);

// Bytes that valid `text` decodes to (its length less padding, times 3/4).
size_t Base64DecodedLength(std::string_view text);

// URL-safe alphabet; Encode writes no padding. Decode accepts the input with
// or without padding (if present it must be correct) and rejects '+' and '/'.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace gee::crypto

#include "services/kms/handler_support.h"

#include <algorithm>
#include <cctype>

#include "crypto/encoding.h"
#include "services/kms/errors.h"

namespace gee::kms {

const std::string* StringMember(const Json& input, std::string_view member) {
  if (member.empty() || !input.is_object()) return nullptr;
  auto it = input.find(std::string(member));
  if (it == input.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

std::optional<int64_t> IntMember(const Json& input, std::string_view member) {
  if (!input.is_object()) return std::nullopt;
  auto it = input.find(std::string(member));
  if (it == input.end() || !it->is_number()) return std::nullopt;
  if (it->is_number_float()) return static_cast<int64_t>(it->get<double>());
  return it->get<int64_t>();
}

AwsError MemberNull(std::string_view member) {
  std::string path(member);
  if (!path.empty()) path[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(path[0])));
  return AwsError("ValidationException",
                  "1 validation error detected: Value null at '" + path +
                      "' failed to satisfy constraint: Member must not be null",
                  400);
}

Result<std::string> BlobMember(const Json& input, std::string_view member) {
  const std::string* text = StringMember(input, member);
  if (text == nullptr) return MemberNull(member);
  auto bytes = crypto::Base64Decode(*text);
  if (!bytes.ok()) {
    return AwsError("ValidationException", std::string(member) + " is not valid base64.", 400);
  }
  return std::move(bytes).value();
}

Result<crypto::SecretBytes> SecretBlobMember(const Json& input, std::string_view member) {
  const std::string* text = StringMember(input, member);
  if (text == nullptr) return MemberNull(member);
  auto bytes = crypto::Base64DecodeSecret(*text);
  if (!bytes.ok()) {
    return AwsError("ValidationException", std::string(member) + " is not valid base64.", 400);
  }
  return std::move(bytes).value();
}

std::string Blob(std::string_view bytes) { return crypto::Base64Encode(bytes); }

size_t PageLimit(const Json& input, size_t fallback, size_t max) {
  std::optional<int64_t> limit = IntMember(input, "Limit");
  if (!limit) return fallback;
  return static_cast<size_t>(std::clamp<int64_t>(*limit, 1, static_cast<int64_t>(max)));
}

std::string EncodeMarker(std::string_view kind, std::string_view position) {
  std::string plain(kind);
  plain.push_back('\n');
  plain.append(position);
  return crypto::Base64UrlEncode(plain);
}

Result<std::optional<std::string>> DecodeMarker(std::string_view kind, const Json& input) {
  const std::string* marker = StringMember(input, "Marker");
  if (marker == nullptr || marker->empty()) return std::optional<std::string>();
  auto plain = crypto::Base64UrlDecode(*marker);
  if (!plain.ok()) return errors::InvalidMarker();
  const size_t newline = plain->find('\n');
  if (newline == std::string::npos || std::string_view(*plain).substr(0, newline) != kind ||
      newline + 1 == plain->size()) {
    return errors::InvalidMarker();
  }
  return std::optional<std::string>(plain->substr(newline + 1));
}

}  // namespace gee::kms

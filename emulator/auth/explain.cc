#include "auth/explain.h"

#include <nlohmann/json.hpp>

#include "crypto/hash.h"

namespace gee::auth {
namespace {

constexpr std::string_view kTokenContext = "gee-explain\n";

// Value of `name=` in a list separated by any of `separators`.
std::string_view FindParam(std::string_view text, std::string_view name, std::string_view separators) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find_first_not_of(std::string(separators) + " ", pos);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(separators, start);
    std::string_view item = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (item.substr(0, name.size()) == name) return item.substr(name.size());
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return {};
}

}  // namespace

std::string ExplainToken(std::string_view root_secret, std::string_view signature) {
  std::string message(kTokenContext);
  message.append(signature);
  auto mac = crypto::HmacSha256(crypto::AsBytes(root_secret), message);
  if (!mac.ok()) return {};
  return crypto::HexEncode(std::span<const uint8_t>(mac->data(), mac->size()));
}

bool ExplainTokenValid(std::string_view root_secret, std::string_view signature,
                       std::string_view token) {
  if (signature.empty() || token.empty()) return false;
  std::string expected = ExplainToken(root_secret, signature);
  if (expected.empty()) return false;
  return crypto::ConstantTimeEquals(expected, token);
}

std::string_view RequestSignature(std::string_view authorization_header, std::string_view query) {
  if (!authorization_header.empty()) {
    return FindParam(authorization_header, "Signature=", ",");
  }
  return FindParam(query, "X-Amz-Signature=", "&");
}

std::string EncodeDecisions(const std::vector<std::string>& decisions) {
  nlohmann::json array = decisions;
  return array.dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> DecodeDecisions(std::string_view header_value) {
  nlohmann::json parsed = nlohmann::json::parse(header_value, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (!item.is_string()) return {};
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace gee::auth

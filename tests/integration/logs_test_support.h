// Helpers shared by the CloudWatch Logs integration tests: the root-only
// at-rest inspection endpoint and the raw bytes of a data directory.
//
// Thread-safety: one test thread.
#pragma once

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "harness/client/aws_client.h"

namespace gee::testing {

inline std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// GET /_gee/inspect?kind=log-events&id=ID&probe=BASE64(probe), signed by `client`.
inline Result<nlohmann::json> InspectLogEvents(harness::AwsClient& client, const std::string& id,
                                               const std::string& probe) {
  std::string target = "/_gee/inspect?kind=log-events&id=" + PercentEncode(id) +
                       "&probe=" + PercentEncode(crypto::Base64Encode(probe));
  GEE_ASSIGN_OR_RETURN(harness::HttpResult r, client.Signed("logs", "GET", target, {}, ""));
  if (r.status != 200) return AwsError("Inspect", r.body, r.status);
  return nlohmann::json::parse(r.body);
}

// Every byte of every file directly in `dir`.
inline std::string RawDirectoryBytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

}  // namespace gee::testing

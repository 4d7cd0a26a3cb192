// An HTTP response as a codec renders it: status, headers and body. The
// server layer copies it into its own response type; the codecs do not
// depend on the server.
//
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gee::protocol {

struct WireReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < n.size() && same; ++i) {
        char a = n[i], b = name[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
        same = a == b;
      }
      if (same) return v;
    }
    return {};
  }
};

}  // namespace gee::protocol

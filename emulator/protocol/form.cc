#include "protocol/form.h"

namespace gee::protocol {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

AwsError Malformed() {
  return AwsError("MalformedQueryString", "The query string contains a syntax error.", 404);
}

}  // namespace

Result<std::string> FormDecodeComponent(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < component.size() ? HexDigit(component[i + 1]) : -1;
      const int lo = i + 2 < component.size() ? HexDigit(component[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Malformed();
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<FormParams> FormParams::Parse(std::string_view encoded) {
  std::vector<Pair> pairs;
  size_t start = 0;
  while (start <= encoded.size()) {
    size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string_view segment = encoded.substr(start, end - start);
    if (!segment.empty()) {
      const size_t eq = segment.find('=');
      std::string_view raw_name = segment.substr(0, eq);
      std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
      GEE_ASSIGN_OR_RETURN(std::string name, FormDecodeComponent(raw_name));
      GEE_ASSIGN_OR_RETURN(std::string value, FormDecodeComponent(raw_value));
      pairs.emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return FormParams(std::move(pairs));
}

std::optional<std::string_view> FormParams::First(std::string_view name) const {
  for (const Pair& p : pairs_) {
    if (p.first == name) return std::string_view(p.second);
  }
  return std::nullopt;
}

std::vector<std::string_view> FormParams::All(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const Pair& p : pairs_) {
    if (p.first == name) values.emplace_back(p.second);
  }
  return values;
}

std::string FormEncode(const std::vector<FormParams::Pair>& pairs) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto encode = [](std::string_view s, std::string& out) {
    for (unsigned char c : s) {
      const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
      if (unreserved) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      }
    }
  };
  std::string out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out.push_back('&');
    encode(pairs[i].first, out);
    out.push_back('=');
    encode(pairs[i].second, out);
  }
  return out;
}

}  // namespace gee::protocol

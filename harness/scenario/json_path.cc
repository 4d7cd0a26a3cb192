#include "harness/scenario/json_path.h"

#include <cctype>

namespace gee::scenario {
namespace {

AwsError PathError(std::string_view text, size_t pos, std::string_view what) {
  return AwsError("InvalidJsonPath",
                  "bad JSON path \"" + std::string(text) + "\" at character " + std::to_string(pos + 1) +
                      ": " + std::string(what),
                  0);
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ':' || c == '@' ||
         c == '$';
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  JsonPath path;
  path.text_ = std::string(text);
  if (text.empty() || text[0] != '$') return PathError(text, 0, "a path starts with '$'");
  size_t i = 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '.') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        path.segments_.push_back(Segment{Segment::kWildcard, "", 0});
        path.has_wildcard_ = true;
        ++i;
        continue;
      }
      size_t start = i;
      while (i < text.size() && IsNameChar(text[i])) ++i;
      if (i == start) return PathError(text, start, "expected a member name after '.'");
      path.segments_.push_back(Segment{Segment::kMember, std::string(text.substr(start, i - start)), 0});
      continue;
    }
    if (c == '[') {
      ++i;
      if (i >= text.size()) return PathError(text, i, "unterminated '['");
      if (text[i] == '*') {
        if (i + 1 >= text.size() || text[i + 1] != ']') return PathError(text, i + 1, "expected ']'");
        path.segments_.push_back(Segment{Segment::kWildcard, "", 0});
        path.has_wildcard_ = true;
        i += 2;
        continue;
      }
      if (text[i] == '\'' || text[i] == '"') {
        char quote = text[i];
        size_t close = text.find(quote, i + 1);
        if (close == std::string_view::npos) return PathError(text, i, "unterminated quoted name");
        if (close + 1 >= text.size() || text[close + 1] != ']') {
          return PathError(text, close + 1, "expected ']' after the quoted name");
        }
        path.segments_.push_back(Segment{Segment::kMember, std::string(text.substr(i + 1, close - i - 1)), 0});
        i = close + 2;
        continue;
      }
      size_t start = i;
      if (text[i] == '-') ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      if (i == start || (i == start + 1 && text[start] == '-')) {
        return PathError(text, start, "expected an index, '*' or a quoted name");
      }
      if (i >= text.size() || text[i] != ']') return PathError(text, i, "expected ']'");
      long index = std::stol(std::string(text.substr(start, i - start)));
      path.segments_.push_back(Segment{Segment::kIndex, "", index});
      ++i;
      continue;
    }
    return PathError(text, i, "expected '.' or '['");
  }
  return path;
}

std::vector<const nlohmann::json*> JsonPath::Select(const nlohmann::json& root) const {
  std::vector<const nlohmann::json*> current = {&root};
  for (const Segment& s : segments_) {
    std::vector<const nlohmann::json*> next;
    for (const nlohmann::json* v : current) {
      switch (s.kind) {
        case Segment::kMember:
          if (v->is_object()) {
            auto it = v->find(s.name);
            if (it != v->end()) next.push_back(&*it);
          }
          break;
        case Segment::kIndex:
          if (v->is_array()) {
            long n = static_cast<long>(v->size());
            long index = s.index < 0 ? n + s.index : s.index;
            if (index >= 0 && index < n) next.push_back(&(*v)[static_cast<size_t>(index)]);
          }
          break;
        case Segment::kWildcard:
          if (v->is_array() || v->is_object()) {
            for (const auto& item : *v) next.push_back(&item);
          }
          break;
      }
    }
    current = std::move(next);
    if (current.empty()) break;
  }
  return current;
}

}  // namespace gee::scenario

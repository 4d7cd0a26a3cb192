#include "services/logs/filter_pattern.h"

#include "services/logs/errors.h"

namespace gee::logs {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

Result<FilterPattern> FilterPattern::Parse(std::string_view pattern) {
  FilterPattern result;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < pattern.size() && IsSpace(pattern[i])) ++i;
  };
  skip_spaces();
  if (i < pattern.size()) {
    char first = pattern[i];
    if (first == '{') return errors::UnsupportedFilterPattern("JSON filter patterns");
    if (first == '[') return errors::UnsupportedFilterPattern("space-delimited filter patterns");
    if (first == '%') return errors::UnsupportedFilterPattern("regular-expression filter patterns");
  }
  while (true) {
    skip_spaces();
    if (i >= pattern.size()) break;
    std::vector<std::string>* target = &result.required_;
    if (pattern[i] == '?') {
      target = &result.any_of_;
      ++i;
    } else if (pattern[i] == '-') {
      target = &result.excluded_;
      ++i;
    }
    if (i >= pattern.size() || IsSpace(pattern[i])) {
      return errors::UnsupportedFilterPattern("a '?' or '-' must be followed by a term");
    }
    std::string term;
    if (pattern[i] == '"') {
      ++i;
      bool closed = false;
      while (i < pattern.size()) {
        char c = pattern[i++];
        if (c == '\\' && i < pattern.size() && (pattern[i] == '"' || pattern[i] == '\\')) {
          term.push_back(pattern[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          term.push_back(c);
        }
      }
      if (!closed) return errors::UnsupportedFilterPattern("unterminated quoted phrase");
      if (i < pattern.size() && !IsSpace(pattern[i])) {
        return errors::UnsupportedFilterPattern("a quoted phrase must end a term");
      }
    } else {
      while (i < pattern.size() && !IsSpace(pattern[i])) term.push_back(pattern[i++]);
    }
    // An empty phrase ("") is contained in every message: it constrains nothing.
    if (term.empty()) {
      if (target == &result.excluded_) {
        // -"" excludes everything.
        result.excluded_.push_back(std::string());
      } else if (target == &result.any_of_) {
        result.any_of_.push_back(std::string());
      }
      continue;
    }
    target->push_back(std::move(term));
  }
  return result;
}

bool FilterPattern::Matches(std::string_view message) const {
  for (const std::string& term : required_) {
    if (message.find(term) == std::string_view::npos) return false;
  }
  if (!any_of_.empty()) {
    bool any = false;
    for (const std::string& term : any_of_) {
      if (message.find(term) != std::string_view::npos) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  for (const std::string& term : excluded_) {
    if (message.find(term) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace gee::logs

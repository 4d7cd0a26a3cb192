#include "auth/policy/glob.h"

namespace gee::policy {

Glob Glob::FromPattern(std::string_view pattern) {
  Glob g;
  for (char c : pattern) {
    if (c == '*') {
      g.AppendAnyRun();
    } else if (c == '?') {
      g.AppendAnyChar();
    } else {
      g.Push(c, kLit);
    }
  }
  return g;
}

Glob Glob::Literal(std::string_view text) {
  Glob g;
  g.AppendLiteral(text);
  return g;
}

void Glob::AppendLiteral(std::string_view text) {
  chars_.append(text);
  kinds_.append(text.size(), kLit);
}

void Glob::Push(char c, Kind kind) {
  if (kind != kLit && first_wildcard_ == std::string::npos) first_wildcard_ = kinds_.size();
  chars_.push_back(c);
  kinds_.push_back(kind);
}

void Glob::AppendAnyRun() { Push('*', kRun); }

void Glob::AppendAnyChar() { Push('?', kOne); }

void Glob::Append(const Glob& other) {
  if (first_wildcard_ == std::string::npos && other.first_wildcard_ != std::string::npos) {
    first_wildcard_ = kinds_.size() + other.first_wildcard_;
  }
  chars_.append(other.chars_);
  kinds_.append(other.kinds_);
}

bool Glob::MatchesEverything() const { return kinds_.size() == 1 && kinds_[0] == kRun; }

bool Glob::IsLiteral() const { return first_wildcard_ == std::string::npos; }

std::string_view Glob::LiteralPrefix() const {
  return std::string_view(chars_).substr(0, first_wildcard_);
}

bool Glob::Matches(std::string_view subject) const {
  if (IsLiteral()) return subject == std::string_view(chars_);
  // The literal prefix must match character for character.
  const size_t prefix = first_wildcard_;
  if (subject.size() < prefix || subject.substr(0, prefix) != std::string_view(chars_).substr(0, prefix)) {
    return false;
  }
  const size_t m = chars_.size();
  // "prefix*": any rest matches.
  if (prefix + 1 == m && kinds_[prefix] == kRun) return true;
  // Greedy matching with backtracking to the most recent '*'.
  const size_t n = subject.size();
  size_t p = prefix;
  size_t s = prefix;
  size_t star_p = std::string::npos;
  size_t star_s = 0;
  while (s < n) {
    if (p < m && (kinds_[p] == kOne || (kinds_[p] == kLit && chars_[p] == subject[s]))) {
      ++p;
      ++s;
    } else if (p < m && kinds_[p] == kRun) {
      star_p = p++;
      star_s = s;
    } else if (star_p != std::string::npos) {
      p = star_p + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < m && kinds_[p] == kRun) ++p;
  return p == m;
}

std::vector<Glob> Glob::SplitArnParts() const {
  std::vector<Glob> parts(1);
  for (size_t i = 0; i < chars_.size(); ++i) {
    if (kinds_[i] == kLit && chars_[i] == ':' && parts.size() < 6) {
      parts.emplace_back();
      continue;
    }
    parts.back().Push(chars_[i], static_cast<Kind>(kinds_[i]));
  }
  return parts;
}

std::string Glob::ToString() const {
  std::string out;
  for (size_t i = 0; i < chars_.size(); ++i) {
    if (kinds_[i] == kLit && (chars_[i] == '*' || chars_[i] == '?')) {
      out += "${";
      out += chars_[i];
      out += '}';
    } else {
      out += chars_[i];
    }
  }
  return out;
}

std::vector<std::string_view> SplitArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  return parts;
}

}  // namespace gee::policy

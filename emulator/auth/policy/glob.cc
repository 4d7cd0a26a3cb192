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
      g.chars_.push_back(c);
      g.kinds_.push_back(kLit);
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

void Glob::AppendAnyRun() {
  chars_.push_back('*');
  kinds_.push_back(kRun);
}

void Glob::AppendAnyChar() {
  chars_.push_back('?');
  kinds_.push_back(kOne);
}

void Glob::Append(const Glob& other) {
  chars_.append(other.chars_);
  kinds_.append(other.kinds_);
}

bool Glob::MatchesEverything() const { return kinds_.size() == 1 && kinds_[0] == kRun; }

bool Glob::IsLiteral() const { return kinds_.find_first_not_of(kLit) == std::string::npos; }

bool Glob::Matches(std::string_view subject) const {
  if (IsLiteral()) return subject == std::string_view(chars_);
  // Greedy matching with backtracking to the most recent '*'.
  const size_t m = chars_.size();
  const size_t n = subject.size();
  size_t p = 0;
  size_t s = 0;
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
    parts.back().chars_.push_back(chars_[i]);
    parts.back().kinds_.push_back(kinds_[i]);
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

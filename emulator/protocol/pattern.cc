#include "protocol/pattern.h"

#include <optional>

#include "protocol/utf8.h"

namespace gee::protocol {
namespace {

std::optional<unsigned> HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Reads `\uXXXX` at `p[i]` (i points at the backslash).
std::optional<char32_t> ReadUnicodeEscape(std::string_view p, size_t i) {
  if (i + 6 > p.size() || p[i] != '\\' || p[i + 1] != 'u') return std::nullopt;
  char32_t value = 0;
  for (size_t k = 2; k < 6; ++k) {
    auto digit = HexValue(p[i + k]);
    if (!digit) return std::nullopt;
    value = (value << 4) | *digit;
  }
  return value;
}

void AppendUnicodeEscape(char32_t cp, std::wstring& out) {
  if (cp > 0xFFFF) {
    // Not expressible as \uXXXX; a supplementary code point is never an
    // ECMAScript metacharacter, so the literal is safe in and out of classes.
    out.push_back(static_cast<wchar_t>(cp));
    return;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += L"\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 0xF]);
}

bool IsClassLetter(char c) {
  return c == 'w' || c == 'W' || c == 'd' || c == 'D' || c == 's' || c == 'S';
}

// True when the '-' at p[i] (inside a class) follows or precedes a class
// escape such as \w.
bool IsClassEscapeAround(std::string_view p, size_t i) {
  const bool after = i >= 2 && p[i - 2] == '\\' && IsClassLetter(p[i - 1]) &&
                     !(i >= 3 && p[i - 3] == '\\');
  const bool before = i + 2 < p.size() && p[i + 1] == '\\' && IsClassLetter(p[i + 2]);
  return after || before;
}

// Translates a Java pattern into an ECMAScript wide pattern; nullopt (and
// `why`) when it uses syntax without an ECMAScript equivalent.
std::optional<std::wstring> Translate(std::string_view p, std::string* why) {
  std::wstring out;
  bool in_class = false;
  size_t class_start = 0;
  const auto fail = [&](std::string reason) -> std::optional<std::wstring> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return fail("trailing backslash");
      const char e = p[i + 1];
      if (e == 'u') {
        auto cp = ReadUnicodeEscape(p, i);
        if (!cp) return fail("malformed \\u escape");
        i += 5;
        if (*cp >= 0xD800 && *cp <= 0xDBFF) {
          auto low = ReadUnicodeEscape(p, i + 1);
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        AppendUnicodeEscape(*cp, out);
        continue;
      }
      switch (e) {
        case 'p': case 'P': return fail("Unicode class \\p{...}");
        case 'Q': case 'E': return fail("quoting \\Q...\\E");
        case 'A': case 'Z': case 'z': case 'G': return fail("anchor \\" + std::string(1, e));
        case 'h': case 'H': case 'R': case 'X': case 'k': case 'N':
          return fail("Java-only escape \\" + std::string(1, e));
        case '0': return fail("octal escape");
        case 'a': out += L"\\x07"; ++i; continue;
        case 'e': out += L"\\x1B"; ++i; continue;
        case 'x':
          if (i + 2 < p.size() && p[i + 2] == '{') return fail("\\x{...} escape");
          break;
        default:
          break;
      }
      const bool letter_or_digit =
          (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9');
      if (letter_or_digit) {
        // \d \D \s \S \w \W \b \B \t \n \r \f \v \cX \xHH and back-references
        // mean the same in both dialects.
        out.push_back(L'\\');
        out.push_back(static_cast<wchar_t>(e));
      } else {
        // An escaped punctuation character is that literal character. Emit
        // it as \uXXXX: libstdc++ rejects some identity escapes (\' \/ \").
        AppendUnicodeEscape(static_cast<unsigned char>(e), out);
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == '[') return fail("nested character class");
      if (c == '-' && IsClassEscapeAround(p, i)) {
        // Java reads '-' next to \w, \d or \s as a literal; ECMAScript
        // would reject the "range".
        out += L"\\u002D";
        continue;
      }
      if (c == '&' && i + 1 < p.size() && p[i + 1] == '&') return fail("class intersection");
      if (c == ']' && i >= class_start) {
        in_class = false;
      }
      out.push_back(static_cast<unsigned char>(c));
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(L'[');
      // A ']' right after '[' or '[^' is a literal in Java.
      size_t j = i + 1;
      if (j < p.size() && p[j] == '^') {
        out.push_back(L'^');
        ++j;
      }
      if (j < p.size() && p[j] == ']') {
        out += L"\\]";
        ++j;
      }
      class_start = j;
      i = j - 1;
      continue;
    }
    if (c == '(' && i + 1 < p.size() && p[i + 1] == '?') {
      if (i + 2 < p.size() && (p[i + 2] == ':' || p[i + 2] == '=' || p[i + 2] == '!')) {
        out += L"(?";
        out.push_back(static_cast<wchar_t>(p[i + 2]));
        i += 2;
        continue;
      }
      return fail("Java-only group construct");
    }
    if (c == '+' && i > 0) {
      // Possessive quantifiers: X*+ X++ X?+ X{n}+.
      const char prev = p[i - 1];
      if (c == '+' && (prev == '*' || prev == '+' || prev == '?' || prev == '}') &&
          !(i >= 2 && p[i - 2] == '\\')) {
        return fail("possessive quantifier");
      }
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Raw UTF-8 in a pattern: decode the sequence to one code point.
      size_t end = i + 1;
      while (end < p.size() && (static_cast<unsigned char>(p[end]) & 0xC0) == 0x80) ++end;
      out += Utf8ToWide(p.substr(i, end - i));
      i = end - 1;
      continue;
    }
    out.push_back(static_cast<wchar_t>(c));
  }
  if (in_class) return fail("unterminated character class");
  return out;
}

}  // namespace

std::unique_ptr<JavaPattern> JavaPattern::Compile(std::string_view java_pattern,
                                                  std::string* why_not) {
  std::optional<std::wstring> translated = Translate(java_pattern, why_not);
  if (!translated) return nullptr;
  try {
    std::wregex regex(*translated, std::regex_constants::ECMAScript |
                                       std::regex_constants::optimize |
                                       std::regex_constants::__polynomial);
    return std::unique_ptr<JavaPattern>(new JavaPattern(std::string(java_pattern), std::move(regex)));
  } catch (const std::regex_error& e) {
    if (why_not) *why_not = std::string("std::regex rejected it: ") + e.what();
    return nullptr;
  }
}

bool JavaPattern::Matches(std::string_view utf8_value) const {
  const std::wstring wide = Utf8ToWide(utf8_value);
  try {
    return std::regex_match(wide, regex_);
  } catch (const std::regex_error&) {
    // Complexity limits: treat as a match rather than reject valid input.
    return true;
  }
}

}  // namespace gee::protocol

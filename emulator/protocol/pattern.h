// A botocore `pattern` constraint (a java.util.regex expression, matched
// against the whole value) compiled for std::regex.
//
// AWS validates patterns with Java's regex engine on the UTF-16 string; gee
// decodes the UTF-8 value to code points and runs an ECMAScript
// std::wregex (wchar_t is UTF-32 here). The translation keeps Java's meaning
// for everything the six models use:
//   - `\uXXXX` escapes (exactly four hex digits, like Java: `\u10000` is
//     U+1000 followed by '0'); a high+low surrogate escape pair such as
//     `\uD800\uDC00` is one supplementary code point (U+10000), as in Java;
//   - classes, ranges, groups, alternation, counted repetition, `(?!…)`.
// Patterns using Java-only syntax — `\p{…}` Unicode classes (IAM/STS tag
// keys, some Glue and Logs names), `\Q…\E`, possessive or atomic groups,
// lookbehind, class intersection `&&`, nested classes — are NOT compiled:
// `Compile` returns nullptr and the constraint is not enforced (a missing
// check is better than a wrong rejection).
//
// Matching uses libstdc++'s breadth-first executor
// (std::regex_constants::__polynomial, a libstdc++ extension): the default
// depth-first executor recurses once per input character and overflows the
// stack on long values (a 100 000-character Glue script against `.*\S.*`
// crashes it), while the BFS executor runs in bounded stack.
//
// Thread-safety: immutable after Compile; Matches may be called concurrently.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>

namespace gee::protocol {

class JavaPattern {
 public:
  // Compiles `java_pattern`; nullptr when it cannot be expressed (see above).
  // When `why_not` is given it receives the reason on failure.
  static std::unique_ptr<JavaPattern> Compile(std::string_view java_pattern,
                                              std::string* why_not = nullptr);

  // True when the whole of `utf8_value` matches.
  bool Matches(std::string_view utf8_value) const;

  // The pattern as written in the model (what AWS prints in messages).
  const std::string& source() const { return source_; }

 private:
  JavaPattern(std::string source, std::wregex regex)
      : source_(std::move(source)), regex_(std::move(regex)) {}

  std::string source_;
  std::wregex regex_;
};

}  // namespace gee::protocol

// A compiled IAM wildcard pattern: '*' matches any run of characters
// (including ':' and '/'), '?' matches exactly one character, everything
// else is literal. Used for Action, Resource, StringLike and ArnLike values.
//
// A Glob keeps, per character, whether it is a wildcard, so a policy value
// like "a${*}b" (a literal '*' produced by the `${*}` escape) can never act as
// a wildcard. Matching is case-sensitive; callers that need case-insensitive
// matching (actions) lower-case both pattern and subject.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gee::policy {

class Glob {
 public:
  Glob() = default;

  // '*' and '?' in `pattern` are wildcards; every other character is literal.
  static Glob FromPattern(std::string_view pattern);
  // Every character of `text` is literal.
  static Glob Literal(std::string_view text);

  void AppendLiteral(std::string_view text);
  void AppendAnyRun();   // '*'
  void AppendAnyChar();  // '?'
  void Append(const Glob& other);

  // True when the whole of `subject` matches the whole pattern.
  bool Matches(std::string_view subject) const;
  // True for the pattern "*" (matches every subject, including "").
  bool MatchesEverything() const;
  // True when the pattern has no wildcard (a plain string compare suffices).
  bool IsLiteral() const;
  // The characters before the first wildcard (all of them for a literal).
  std::string_view LiteralPrefix() const;

  // Splits the pattern at its first five literal ':' characters, giving the
  // six ARN parts (arn, partition, service, region, account, resource).
  // Returns fewer than six parts when the pattern has fewer colons.
  std::vector<Glob> SplitArnParts() const;

  // The pattern as written, wildcards as '*'/'?' and literal wildcard
  // characters escaped as "${*}"/"${?}" (for explanations and tests).
  std::string ToString() const;

  bool operator==(const Glob& other) const = default;

 private:
  enum Kind : char { kLit = 'L', kRun = '*', kOne = '?' };
  void Push(char c, Kind kind);

  std::string chars_;  // the characters; for wildcards the wildcard itself
  std::string kinds_;  // one Kind per character of chars_
  // Position of the first wildcard (npos: none). Matching compares the
  // literal prefix before it directly, which rejects most subjects at once.
  size_t first_wildcard_ = std::string::npos;
};

// Splits an ARN into its six colon-separated parts (the last part keeps any
// further colons). Returns fewer than six parts when `arn` is not an ARN.
std::vector<std::string_view> SplitArn(std::string_view arn);

}  // namespace gee::policy

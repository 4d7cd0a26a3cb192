// A string from a policy document (a Resource entry or a condition value),
// compiled once, that may contain policy variables.
//
// Syntax (Version 2012-10-17 only; with 2008-10-17 or no Version the text is
// taken literally, spec §3.1):
//   ${key}             the single value of request key `key` (case-insensitive)
//   ${key, 'default'}  the same, or `default` when the key is absent; a quote
//                      inside the default is written ''
//   ${*} ${?} ${$}     a literal '*', '?' or '$' (never a wildcard)
// A variable is unresolvable when its key is absent, multi-valued or empty and
// it has no default, or when the ${...} syntax is malformed; the policy
// element that contains it then does not match (spec §3.4). Substituted
// values are literal text: a '*' in a user name is not a wildcard.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "auth/policy/glob.h"

namespace gee::policy {

class PolicyString {
 public:
  PolicyString() = default;
  // Compiles `text`. With `variables_enabled` false, "${" has no meaning.
  static PolicyString Compile(std::string_view text, bool variables_enabled);

  // The text as written in the policy.
  const std::string& text() const { return text_; }
  bool has_variables() const { return has_variables_; }

  // The compiled glob when the string has no variables (no per-request
  // work needed); nullptr otherwise.
  const Glob* static_glob() const { return has_variables_ ? nullptr : &static_glob_; }

  // Resolves the variables against `keys`: unescaped '*' and '?' are
  // wildcards. nullopt when a variable cannot be resolved.
  std::optional<Glob> ResolveGlob(const ConditionKeyLookup& keys) const;
  // Resolves the variables against `keys` to plain text ('*' and '?' are
  // ordinary characters). nullopt when a variable cannot be resolved.
  std::optional<std::string> ResolveText(const ConditionKeyLookup& keys) const;

 private:
  struct Token {
    enum class Kind { kText, kVariable, kEscape, kMalformed };
    Kind kind = Kind::kText;
    std::string text;  // kText: the text; kEscape: the escaped character
    std::string key;   // kVariable: lower-cased key name
    std::optional<std::string> default_value;
  };
  // Value of a variable token, or nullopt.
  static std::optional<std::string> Lookup(const Token& token, const ConditionKeyLookup& keys);

  std::string text_;
  std::vector<Token> tokens_;
  bool has_variables_ = false;
  // Precomputed when there are no variables.
  Glob static_glob_;
};

}  // namespace gee::policy

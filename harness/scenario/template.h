// Variable substitution in scenario values and fixture files: `${...}`.
//
//   ${account}  ${region}  ${scenario}       built-ins (the account comes
//   ${partition}                              from sts:GetCallerIdentity)
//   ${now}  ${now_ms}                         the signing clock, in epoch
//                                             seconds / milliseconds
//   ${NAME}                                   a variable: declared under
//                                             "variables" or saved by an
//                                             earlier step ("save")
//   ${NAME.a.b}  ${NAME.list.0}               a member of a saved JSON value
//   ${key:NAME}  ${key:NAME.arn}              ARN of the scenario's key NAME
//   ${key:NAME.id}                            its key id
//   ${user:NAME}  ${role:NAME}                ARN of a declared user / role
//   ${session:ROLE}                           ARN of the role's session
//                                             (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION)
//   ${base64:TEXT}                            base64 of the literal TEXT
//   ${policy:PATH}                            a policy file (relative to the
//                                             scenario), its references
//                                             substituted, as compact JSON text
//   $${                                       a literal "${"
//
// IAM policy variables pass through untouched: a reference whose prefix
// (before ':') is not one of gee's (key, user, role, session, base64, policy), such as
// ${aws:username} or ${s3:prefix}, and the IAM escapes ${*} ${?} ${$}.
//
// A string that is exactly one reference becomes the referenced JSON value
// itself (a saved object stays an object, a number stays a number); inside
// longer text a reference must be a string, number or boolean. Object keys
// are substituted too (they are always text).
//
// Thread-safety: pure functions; the Resolver decides.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::scenario {

// One ${...} reference.
struct Reference {
  // The text between "${" and "}" ("key:catalog.id").
  std::string text;
  // "key", "user", "role", "session", "base64", "policy", or "" for a variable.
  std::string prefix;
  // The key/user/role name, or the variable name (up to the first '.').
  // For base64: the literal text; for policy: the path.
  std::string name;
  // What follows the name after a '.', e.g. "id" or "Connection.Name"; may be empty.
  std::string member;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // The value of `ref`. An unknown name is an error whose message is shown
  // to the scenario author.
  virtual Result<nlohmann::json> Resolve(const Reference& ref) const = 0;
};

// Whether `prefix` is one of gee's reference prefixes.
bool IsOwnPrefix(std::string_view prefix);

// `value` with every reference substituted.
Result<nlohmann::json> Substitute(const nlohmann::json& value, const Resolver& resolver);

// `text` with every reference substituted; the result is always text.
Result<std::string> SubstituteText(std::string_view text, const Resolver& resolver);

// The references in the strings (and object keys) of `value`, in order. Fails
// on an unterminated "${".
Result<std::vector<Reference>> FindReferences(const nlohmann::json& value);

// The element of `value` at a dotted path "a.b.0" (array indexes are
// numbers); nullptr when absent. An empty path is `value` itself.
const nlohmann::json* MemberAt(const nlohmann::json& value, std::string_view dotted_path);

}  // namespace gee::scenario

// Condition operators of the IAM policy language (spec §3.4) and their
// evaluation against the request's condition keys.
//
// A Condition is one (operator, key, values) triple of a statement's
// Condition block; a statement matches only when all of its Conditions are
// true. Semantics implemented here:
//   - several policy values for one key are OR-ed; for the negated operators
//     (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike,
//     NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals,
//     ArnNotLike) a list means "matches none of them";
//   - a key absent from the request makes the condition false, except for
//     negated operators (true), `...IfExists` (true), `ForAllValues:` (true)
//     and `ForAnyValue:` (false); an empty multi-valued key counts as absent;
//   - `Null: true` is true when the key is absent, `Null: false` when present;
//   - `ForAnyValue:` is true when some request value satisfies the operator,
//     `ForAllValues:` when every request value does; without a qualifier a
//     multi-valued request key behaves like `ForAnyValue:` for positive
//     operators and like "no request value matches" for negated ones;
//   - a policy value with an unresolvable variable makes the condition false.
//
// Thread-safety: immutable values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "auth/policy/policy_string.h"

namespace gee::policy {

enum class OperatorKind {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kNotIpAddress,
  kArnEquals,
  kArnLike,
  kArnNotEquals,
  kArnNotLike,
  kNull,
};

enum class SetQualifier { kNone, kForAnyValue, kForAllValues };

struct ConditionOperator {
  OperatorKind kind = OperatorKind::kStringEquals;
  SetQualifier qualifier = SetQualifier::kNone;
  bool if_exists = false;

  // True for the "Not" operators whose value list means "matches none".
  bool negated() const;
};

// An IPv4 or IPv6 network; a bare address is a /32 or /128 network.
struct IpNetwork {
  int family = 0;             // 4 or 6
  unsigned char bytes[16]{};  // network address (first 4 bytes for IPv4)
  int prefix_len = 0;
};

// Parses an operator name such as "ForAnyValue:StringLikeIfExists".
// Names are case-sensitive, as AWS writes them. nullopt for unknown names,
// `NullIfExists`, and set qualifiers on `Null`.
std::optional<ConditionOperator> ParseConditionOperator(std::string_view name);

// A policy value made ready for comparison by one operator family.
struct PreparedValue {
  // False when the value can never be compared (a Numeric operator with
  // "abc", Bool with "yes", a malformed CIDR, an ARN pattern without six
  // parts); the whole Condition is then false.
  bool valid = false;
  std::string text;             // String*, Bool (lower-cased for IgnoreCase/Bool)
  Glob glob;                    // StringLike / StringNotLike
  std::vector<Glob> arn_parts;  // Arn* (six parts)
  long double number = 0;       // Numeric*
  int64_t date_micros = 0;      // Date*
  IpNetwork network;            // IpAddress / NotIpAddress
  std::string bytes;            // BinaryEquals (decoded)
};

// One operator/key test of a Condition block.
struct Condition {
  ConditionOperator op;
  std::string operator_name;  // as written, e.g. "StringNotEqualsIfExists"
  std::string key;            // as written, e.g. "kms:EncryptionContext:aws:logs:arn"
  std::string key_lower;      // lookup key (condition key names are case-insensitive)
  std::vector<PolicyString> values;
  // values[i] prepared once when it has no variables; nullopt otherwise.
  std::vector<std::optional<PreparedValue>> prepared;

  // Builds a Condition, compiling and (where possible) preparing each value.
  static Condition Compile(const ConditionOperator& op, std::string operator_name, std::string key,
                           const std::vector<std::string>& raw_values, bool variables_enabled);
};

// Evaluates one Condition against the request keys.
bool EvaluateCondition(const Condition& condition, const ConditionKeyLookup& keys);

// ---- Value parsers (exposed for tests and the policy simulator) ----

// Parses a number as IAM numeric operators do (integer or decimal, optional sign).
std::optional<long double> ParseNumber(std::string_view text);
// Parses a date: ISO 8601 ("2024-05-01", "2024-05-01T10:00:00Z",
// "2024-05-01T10:00:00.5+02:00", "2024-05-01T10:00Z") or epoch seconds
// ("1714557600"). Returns microseconds since the Unix epoch (UTC).
std::optional<int64_t> ParseDateMicros(std::string_view text);
// Formats epoch microseconds as aws:CurrentTime does ("2024-05-01T10:00:00Z").
std::string FormatIso8601(int64_t epoch_micros);

std::optional<IpNetwork> ParseIpNetwork(std::string_view text);
// True when the address `ip` (no prefix) lies inside `network`.
bool IpInNetwork(std::string_view ip, const IpNetwork& network);

// Standard base64 (with or without padding) to bytes.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace gee::policy

#include "auth/policy/conditions.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace gee::policy {
namespace {

struct OperatorName {
  std::string_view name;
  OperatorKind kind;
};

constexpr std::array<OperatorName, 27> kOperators = {{
    {"StringEquals", OperatorKind::kStringEquals},
    {"StringNotEquals", OperatorKind::kStringNotEquals},
    {"StringEqualsIgnoreCase", OperatorKind::kStringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase", OperatorKind::kStringNotEqualsIgnoreCase},
    {"StringLike", OperatorKind::kStringLike},
    {"StringNotLike", OperatorKind::kStringNotLike},
    {"NumericEquals", OperatorKind::kNumericEquals},
    {"NumericNotEquals", OperatorKind::kNumericNotEquals},
    {"NumericLessThan", OperatorKind::kNumericLessThan},
    {"NumericLessThanEquals", OperatorKind::kNumericLessThanEquals},
    {"NumericGreaterThan", OperatorKind::kNumericGreaterThan},
    {"NumericGreaterThanEquals", OperatorKind::kNumericGreaterThanEquals},
    {"DateEquals", OperatorKind::kDateEquals},
    {"DateNotEquals", OperatorKind::kDateNotEquals},
    {"DateLessThan", OperatorKind::kDateLessThan},
    {"DateLessThanEquals", OperatorKind::kDateLessThanEquals},
    {"DateGreaterThan", OperatorKind::kDateGreaterThan},
    {"DateGreaterThanEquals", OperatorKind::kDateGreaterThanEquals},
    {"Bool", OperatorKind::kBool},
    {"BinaryEquals", OperatorKind::kBinaryEquals},
    {"IpAddress", OperatorKind::kIpAddress},
    {"NotIpAddress", OperatorKind::kNotIpAddress},
    {"ArnEquals", OperatorKind::kArnEquals},
    {"ArnLike", OperatorKind::kArnLike},
    {"ArnNotEquals", OperatorKind::kArnNotEquals},
    {"ArnNotLike", OperatorKind::kArnNotLike},
    {"Null", OperatorKind::kNull},
}};

enum class Family { kString, kStringIgnoreCase, kStringLike, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull };

Family FamilyOf(OperatorKind k) {
  switch (k) {
    case OperatorKind::kStringEquals:
    case OperatorKind::kStringNotEquals:
      return Family::kString;
    case OperatorKind::kStringEqualsIgnoreCase:
    case OperatorKind::kStringNotEqualsIgnoreCase:
      return Family::kStringIgnoreCase;
    case OperatorKind::kStringLike:
    case OperatorKind::kStringNotLike:
      return Family::kStringLike;
    case OperatorKind::kNumericEquals:
    case OperatorKind::kNumericNotEquals:
    case OperatorKind::kNumericLessThan:
    case OperatorKind::kNumericLessThanEquals:
    case OperatorKind::kNumericGreaterThan:
    case OperatorKind::kNumericGreaterThanEquals:
      return Family::kNumeric;
    case OperatorKind::kDateEquals:
    case OperatorKind::kDateNotEquals:
    case OperatorKind::kDateLessThan:
    case OperatorKind::kDateLessThanEquals:
    case OperatorKind::kDateGreaterThan:
    case OperatorKind::kDateGreaterThanEquals:
      return Family::kDate;
    case OperatorKind::kBool:
      return Family::kBool;
    case OperatorKind::kBinaryEquals:
      return Family::kBinary;
    case OperatorKind::kIpAddress:
    case OperatorKind::kNotIpAddress:
      return Family::kIp;
    case OperatorKind::kArnEquals:
    case OperatorKind::kArnLike:
    case OperatorKind::kArnNotEquals:
    case OperatorKind::kArnNotLike:
      return Family::kArn;
    case OperatorKind::kNull:
      return Family::kNull;
  }
  return Family::kString;
}

// Ordering relation an operator tests, for the Numeric and Date families.
enum class Relation { kEq, kLt, kLe, kGt, kGe };

Relation RelationOf(OperatorKind k) {
  switch (k) {
    case OperatorKind::kNumericLessThan:
    case OperatorKind::kDateLessThan:
      return Relation::kLt;
    case OperatorKind::kNumericLessThanEquals:
    case OperatorKind::kDateLessThanEquals:
      return Relation::kLe;
    case OperatorKind::kNumericGreaterThan:
    case OperatorKind::kDateGreaterThan:
      return Relation::kGt;
    case OperatorKind::kNumericGreaterThanEquals:
    case OperatorKind::kDateGreaterThanEquals:
      return Relation::kGe;
    default:
      return Relation::kEq;
  }
}

template <typename T>
bool Compare(const T& request, const T& policy, Relation r) {
  switch (r) {
    case Relation::kEq:
      return request == policy;
    case Relation::kLt:
      return request < policy;
    case Relation::kLe:
      return request <= policy;
    case Relation::kGt:
      return request > policy;
    case Relation::kGe:
      return request >= policy;
  }
  return false;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ReadFixedDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Turns a resolved policy value into the form its operator family compares.
PreparedValue Prepare(Family family, const std::string& text, const Glob* glob) {
  PreparedValue pv;
  switch (family) {
    case Family::kString:
      pv.text = text;
      pv.valid = true;
      break;
    case Family::kStringIgnoreCase:
      pv.text = AsciiLower(text);
      pv.valid = true;
      break;
    case Family::kStringLike:
      pv.glob = glob != nullptr ? *glob : Glob::FromPattern(text);
      pv.valid = true;
      break;
    case Family::kNumeric:
      if (auto n = ParseNumber(text)) {
        pv.number = *n;
        pv.valid = true;
      }
      break;
    case Family::kDate:
      if (auto d = ParseDateMicros(text)) {
        pv.date_micros = *d;
        pv.valid = true;
      }
      break;
    case Family::kBool:
      pv.text = AsciiLower(text);
      pv.valid = pv.text == "true" || pv.text == "false";
      break;
    case Family::kBinary:
      if (auto b = DecodeBase64(text)) {
        pv.bytes = std::move(*b);
        pv.valid = true;
      }
      break;
    case Family::kIp:
      if (auto n = ParseIpNetwork(text)) {
        pv.network = *n;
        pv.valid = true;
      }
      break;
    case Family::kArn: {
      Glob g = glob != nullptr ? *glob : Glob::FromPattern(text);
      pv.arn_parts = g.SplitArnParts();
      pv.valid = pv.arn_parts.size() == 6;
      break;
    }
    case Family::kNull:
      pv.text = AsciiLower(text);
      pv.valid = pv.text == "true" || pv.text == "false";
      break;
  }
  return pv;
}

// Does one request value satisfy the positive form of the operator for one
// prepared policy value?
bool ValueMatches(OperatorKind kind, Family family, const std::string& request,
                  const PreparedValue& pv) {
  switch (family) {
    case Family::kString:
      return request == pv.text;
    case Family::kStringIgnoreCase:
      return AsciiLower(request) == pv.text;
    case Family::kStringLike:
      return pv.glob.Matches(request);
    case Family::kNumeric: {
      auto n = ParseNumber(request);
      return n && Compare(*n, pv.number, RelationOf(kind));
    }
    case Family::kDate: {
      auto d = ParseDateMicros(request);
      return d && Compare(*d, pv.date_micros, RelationOf(kind));
    }
    case Family::kBool:
      return AsciiLower(request) == pv.text;
    case Family::kBinary: {
      auto b = DecodeBase64(request);
      return b && *b == pv.bytes;
    }
    case Family::kIp:
      return IpInNetwork(request, pv.network);
    case Family::kArn: {
      std::vector<std::string_view> parts = SplitArn(request);
      if (parts.size() != 6 || parts[0] != "arn") return false;
      for (size_t i = 0; i < 6; ++i) {
        if (!pv.arn_parts[i].Matches(parts[i])) return false;
      }
      return true;
    }
    case Family::kNull:
      return false;
  }
  return false;
}

}  // namespace

bool ConditionOperator::negated() const {
  switch (kind) {
    case OperatorKind::kStringNotEquals:
    case OperatorKind::kStringNotEqualsIgnoreCase:
    case OperatorKind::kStringNotLike:
    case OperatorKind::kNumericNotEquals:
    case OperatorKind::kDateNotEquals:
    case OperatorKind::kNotIpAddress:
    case OperatorKind::kArnNotEquals:
    case OperatorKind::kArnNotLike:
      return true;
    default:
      return false;
  }
}

std::optional<ConditionOperator> ParseConditionOperator(std::string_view name) {
  ConditionOperator op;
  constexpr std::string_view kAny = "ForAnyValue:";
  constexpr std::string_view kAll = "ForAllValues:";
  if (name.substr(0, kAny.size()) == kAny) {
    op.qualifier = SetQualifier::kForAnyValue;
    name.remove_prefix(kAny.size());
  } else if (name.substr(0, kAll.size()) == kAll) {
    op.qualifier = SetQualifier::kForAllValues;
    name.remove_prefix(kAll.size());
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (name.size() > kIfExists.size() && name.substr(name.size() - kIfExists.size()) == kIfExists) {
    op.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  for (const OperatorName& entry : kOperators) {
    if (entry.name == name) {
      op.kind = entry.kind;
      if (op.kind == OperatorKind::kNull &&
          (op.if_exists || op.qualifier != SetQualifier::kNone)) {
        return std::nullopt;
      }
      return op;
    }
  }
  return std::nullopt;
}

Condition Condition::Compile(const ConditionOperator& op, std::string operator_name,
                             std::string key, const std::vector<std::string>& raw_values,
                             bool variables_enabled) {
  Condition c;
  c.op = op;
  c.operator_name = std::move(operator_name);
  c.key_lower = AsciiLower(key);
  c.key = std::move(key);
  const Family family = FamilyOf(op.kind);
  // Null takes no policy variables.
  const bool vars = variables_enabled && family != Family::kNull;
  for (const std::string& raw : raw_values) {
    PolicyString ps = PolicyString::Compile(raw, vars);
    if (ps.has_variables()) {
      c.prepared.emplace_back(std::nullopt);
    } else {
      Glob glob = Glob::FromPattern(raw);
      c.prepared.emplace_back(Prepare(family, raw, &glob));
    }
    c.values.push_back(std::move(ps));
  }
  return c;
}

bool EvaluateCondition(const Condition& condition, const ConditionKeyLookup& keys) {
  const std::vector<std::string>* request_values = keys.Find(condition.key_lower);
  const bool present = request_values != nullptr && !request_values->empty();
  const ConditionOperator& op = condition.op;
  const Family family = FamilyOf(op.kind);

  if (family == Family::kNull) {
    for (const auto& pv : condition.prepared) {
      if (!pv || !pv->valid) return false;
    }
    for (const auto& pv : condition.prepared) {
      if ((pv->text == "true") == !present) return true;
    }
    return false;
  }

  if (!present) {
    if (op.qualifier == SetQualifier::kForAllValues) return true;
    if (op.qualifier == SetQualifier::kForAnyValue) return false;
    if (op.if_exists) return true;
    return op.negated();
  }

  // Resolve and prepare every policy value; any unusable value makes the
  // whole test false ("the element does not match"). Usually every value was
  // prepared at parse time and nothing needs resolving per request.
  bool all_prepared = true;
  for (const auto& pv : condition.prepared) {
    if (!pv) {
      all_prepared = false;
    } else if (!pv->valid) {
      return false;
    }
  }
  std::vector<const PreparedValue*> resolved;
  std::vector<PreparedValue> per_request;  // values that had variables
  if (!all_prepared) {
    resolved.reserve(condition.values.size());
    per_request.reserve(condition.values.size());
  }
  for (size_t i = 0; i < condition.values.size() && !all_prepared; ++i) {
    if (condition.prepared[i]) {
      if (!condition.prepared[i]->valid) return false;
      resolved.push_back(&*condition.prepared[i]);
      continue;
    }
    const PolicyString& ps = condition.values[i];
    PreparedValue pv;
    if (family == Family::kStringLike || family == Family::kArn) {
      std::optional<Glob> glob = ps.ResolveGlob(keys);
      if (!glob) return false;
      pv = Prepare(family, glob->ToString(), &*glob);
    } else {
      std::optional<std::string> text = ps.ResolveText(keys);
      if (!text) return false;
      pv = Prepare(family, *text, nullptr);
    }
    if (!pv.valid) return false;
    per_request.push_back(std::move(pv));
    resolved.push_back(&per_request.back());
  }

  auto matches_any_policy_value = [&](const std::string& request) {
    if (all_prepared) {
      for (const auto& pv : condition.prepared) {
        if (ValueMatches(op.kind, family, request, *pv)) return true;
      }
      return false;
    }
    for (const PreparedValue* pv : resolved) {
      if (ValueMatches(op.kind, family, request, *pv)) return true;
    }
    return false;
  };
  // Per request value: does it satisfy the operator (negation applied)?
  auto satisfies = [&](const std::string& request) {
    bool m = matches_any_policy_value(request);
    return op.negated() ? !m : m;
  };

  switch (op.qualifier) {
    case SetQualifier::kForAnyValue:
      return std::any_of(request_values->begin(), request_values->end(), satisfies);
    case SetQualifier::kForAllValues:
      return std::all_of(request_values->begin(), request_values->end(), satisfies);
    case SetQualifier::kNone:
      if (op.negated()) {
        return std::none_of(request_values->begin(), request_values->end(),
                            matches_any_policy_value);
      }
      return std::any_of(request_values->begin(), request_values->end(),
                         matches_any_policy_value);
  }
  return false;
}

std::optional<long double> ParseNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t int_digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    ++i;
    ++int_digits;
  }
  size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      ++frac_digits;
    }
  }
  if (i != text.size() || int_digits + frac_digits == 0) return std::nullopt;
  std::string copy(text);
  return std::strtold(copy.c_str(), nullptr);
}

std::optional<int64_t> ParseDateMicros(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // Epoch seconds, optionally with a fraction.
  {
    std::string_view t = text;
    bool neg = false;
    if (t.front() == '-') {
      neg = true;
      t.remove_prefix(1);
    }
    size_t dot = t.find('.');
    std::string_view whole = t.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
    if (AllDigits(whole) && whole.size() <= 12 &&
        (dot == std::string_view::npos || AllDigits(frac))) {
      int64_t secs = 0;
      for (char c : whole) secs = secs * 10 + (c - '0');
      int64_t micros = 0;
      for (size_t i = 0; i < 6; ++i) micros = micros * 10 + (i < frac.size() ? frac[i] - '0' : 0);
      int64_t v = secs * 1000000 + micros;
      return neg ? -v : v;
    }
  }
  // ISO 8601.
  int year = 0, month = 0, day = 0;
  if (!ReadFixedDigits(text, 0, 4, &year) || text.size() < 10 || text[4] != '-' ||
      !ReadFixedDigits(text, 5, 2, &month) || text[7] != '-' ||
      !ReadFixedDigits(text, 8, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  int64_t micros = 0;
  int64_t offset_seconds = 0;
  size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't') return std::nullopt;
    ++pos;
    if (!ReadFixedDigits(text, pos, 2, &hour) || pos + 2 >= text.size() ||
        text[pos + 2] != ':' || !ReadFixedDigits(text, pos + 3, 2, &minute)) {
      return std::nullopt;
    }
    pos += 5;
    if (pos < text.size() && text[pos] == ':') {
      if (!ReadFixedDigits(text, pos + 1, 2, &second)) return std::nullopt;
      pos += 3;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        size_t digits = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (digits < 6) micros = micros * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (size_t d = digits; d < 6; ++d) micros *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < text.size()) {
      char z = text[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        int oh = 0, om = 0;
        if (!ReadFixedDigits(text, pos + 1, 2, &oh)) return std::nullopt;
        size_t mpos = pos + 3;
        if (mpos < text.size() && text[mpos] == ':') ++mpos;
        if (!ReadFixedDigits(text, mpos, 2, &om)) return std::nullopt;
        offset_seconds = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
        pos = mpos + 2;
      } else {
        return std::nullopt;
      }
    }
    if (pos != text.size()) return std::nullopt;
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * 1000000 + micros;
}

std::string FormatIso8601(int64_t epoch_micros) {
  int64_t secs = epoch_micros / 1000000;
  if (epoch_micros < 0 && epoch_micros % 1000000 != 0) --secs;
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>((rem / 60) % 60), static_cast<long long>(rem % 60));
  return buf;
}

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  std::string_view addr = text;
  std::optional<int> prefix;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    if (!AllDigits(p) || p.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : p) v = v * 10 + (c - '0');
    prefix = v;
  }
  IpNetwork net;
  std::string a(addr);
  if (a.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, a.c_str(), net.bytes) != 1) return std::nullopt;
    net.family = 6;
    net.prefix_len = prefix.value_or(128);
    if (net.prefix_len > 128) return std::nullopt;
  } else {
    if (inet_pton(AF_INET, a.c_str(), net.bytes) != 1) return std::nullopt;
    net.family = 4;
    net.prefix_len = prefix.value_or(32);
    if (net.prefix_len > 32) return std::nullopt;
  }
  return net;
}

bool IpInNetwork(std::string_view ip, const IpNetwork& network) {
  if (ip.find('/') != std::string_view::npos) return false;
  std::optional<IpNetwork> addr = ParseIpNetwork(ip);
  if (!addr || addr->family != network.family) return false;
  int bits = network.prefix_len;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((addr->bytes[i] & mask) != (network.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace gee::policy

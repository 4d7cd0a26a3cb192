#include "protocol/validation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "protocol/base64.h"
#include "protocol/pattern.h"
#include "protocol/utf8.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;

constexpr char kRedacted[] = "*** Sensitive Data Redacted ***";
// Nesting deeper than this is not inspected (the codecs bound depth already;
// this keeps the validator's recursion bounded on its own).
constexpr int kMaxDepth = 64;

bool IsNumberShape(ShapeType t) {
  return t == ShapeType::kInteger || t == ShapeType::kLong || t == ShapeType::kFloat ||
         t == ShapeType::kDouble;
}

bool IsContainer(ShapeType t) {
  return t == ShapeType::kStructure || t == ShapeType::kList || t == ShapeType::kMap;
}

// True when the JSON value has the JSON type the shape expects.
bool TypeMatches(const Shape& shape, const Json& v) {
  if (shape.document) return true;
  switch (shape.type) {
    case ShapeType::kStructure:
    case ShapeType::kMap:
      return v.is_object();
    case ShapeType::kList:
      return v.is_array();
    case ShapeType::kString:
    case ShapeType::kBlob:
      return v.is_string();
    case ShapeType::kBoolean:
      return v.is_boolean();
    case ShapeType::kTimestamp:
      return v.is_number() || v.is_string();
    default:
      return v.is_number();
  }
}

std::string NumberText(const Shape& shape, const Json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  const double d = v.get<double>();
  if (shape.type == ShapeType::kInteger || shape.type == ShapeType::kLong) {
    return std::to_string(static_cast<int64_t>(std::floor(d)));
  }
  return JavaDoubleString(d);
}

// Length of a value for min/max: code points, decoded bytes, entries.
std::optional<double> LengthOf(const Shape& shape, const Json& v) {
  switch (shape.type) {
    case ShapeType::kString:
      return v.is_string() ? std::optional<double>(CodePointCount(v.get_ref<const std::string&>()))
                           : std::nullopt;
    case ShapeType::kBlob: {
      if (!v.is_string()) return std::nullopt;
      const std::string& text = v.get_ref<const std::string&>();
      auto decoded = Base64DecodedSize(text);
      return static_cast<double>(decoded.ok() ? *decoded : text.size());
    }
    case ShapeType::kList:
    case ShapeType::kMap:
      return v.is_array() || v.is_object() ? std::optional<double>(v.size()) : std::nullopt;
    default:
      return std::nullopt;
  }
}

// True when `length` breaks neither min nor max of the shape.
bool WithinLengthBounds(const Shape& shape, double length) {
  return !(shape.min && length < *shape.min) && !(shape.max && length > *shape.max);
}

// LengthOf, or a length with the same verdict against min and max. The exact
// length of a string (code points) or blob (decoded base64 bytes, or the text
// size when it is not base64) costs a scan of the text; the range it must lie
// in does not, and for the usual request the whole range is within bounds.
std::optional<double> LengthForBounds(const Shape& shape, const Json& v) {
  if (!v.is_string() || (shape.type != ShapeType::kString && shape.type != ShapeType::kBlob)) {
    return LengthOf(shape, v);
  }
  const std::string& text = v.get_ref<const std::string&>();
  const double high = static_cast<double>(text.size());
  double low = high;
  if (shape.type == ShapeType::kString) {
    // A code point takes 1 to 4 bytes (a malformed byte counts as one).
    low = static_cast<double>((text.size() + 3) / 4);
  } else if (text.size() % 4 == 0) {
    // What the text decodes to if it is valid base64 (Base64DecodedSize).
    size_t padding = 0;
    if (!text.empty() && text.back() == '=') ++padding;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
    low = static_cast<double>((text.size() - padding) * 3 / 4);
  }
  if (WithinLengthBounds(shape, low) && WithinLengthBounds(shape, high)) return high;
  return LengthOf(shape, v);
}

std::string EnumConstraint(const Shape& shape) {
  std::string text = "Member must satisfy enum value set: [";
  for (size_t i = 0; i < shape.enum_values.size(); ++i) {
    if (i > 0) text += ", ";
    text += shape.enum_values[i];
  }
  return text + "]";
}

std::string PatternConstraint(const Shape& shape) {
  return "Member must satisfy regular expression pattern: " + shape.pattern;
}

// The constraints `v` breaks, in reporting order: pattern, length, value, enum.
std::vector<std::string> BrokenConstraints(const Shape& shape, const Json& v) {
  std::vector<std::string> broken;
  if (!TypeMatches(shape, v) || shape.document) return broken;
  if (shape.type == ShapeType::kString && !shape.pattern.empty()) {
    const JavaPattern* pattern = shape.CompiledPattern();
    if (pattern != nullptr && !pattern->Matches(v.get_ref<const std::string&>())) {
      broken.push_back(PatternConstraint(shape));
    }
  }
  if (auto length = LengthForBounds(shape, v)) {
    if (shape.min && *length < *shape.min) {
      broken.push_back("Member must have length greater than or equal to " + shape.min_text);
    }
    if (shape.max && *length > *shape.max) {
      broken.push_back("Member must have length less than or equal to " + shape.max_text);
    }
  }
  if (IsNumberShape(shape.type) && v.is_number()) {
    const double value = v.get<double>();
    if (shape.min && value < *shape.min) {
      broken.push_back("Member must have value greater than or equal to " + shape.min_text);
    }
    if (shape.max && value > *shape.max) {
      broken.push_back("Member must have value less than or equal to " + shape.max_text);
    }
  }
  if (shape.type == ShapeType::kString && !shape.enum_values.empty()) {
    const std::string& s = v.get_ref<const std::string&>();
    bool found = false;
    for (const std::string& e : shape.enum_values) found = found || e == s;
    if (!found) broken.push_back(EnumConstraint(shape));
  }
  return broken;
}

bool HasConstraints(const Shape& shape) {
  return shape.min || shape.max || !shape.enum_values.empty() ||
         (!shape.pattern.empty() && shape.CompiledPattern() != nullptr);
}

// Every constraint of an element shape, as AWS lists them inside brackets.
std::string AllConstraints(const Shape& shape) {
  std::vector<std::string> parts;
  const bool is_length = shape.type == ShapeType::kString || shape.type == ShapeType::kBlob ||
                         shape.type == ShapeType::kList || shape.type == ShapeType::kMap;
  const std::string kind = is_length ? "length" : "value";
  if (shape.max) parts.push_back("Member must have " + kind + " less than or equal to " + shape.max_text);
  if (shape.min) parts.push_back("Member must have " + kind + " greater than or equal to " + shape.min_text);
  if (!shape.pattern.empty() && shape.CompiledPattern() != nullptr) parts.push_back(PatternConstraint(shape));
  if (!shape.enum_values.empty()) parts.push_back(EnumConstraint(shape));
  std::string text = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += ", ";
    text += parts[i];
  }
  return text + "]";
}

// Renders a value the way Java's toString prints it inside AWS messages.
std::string Render(const Shape& shape, const Json& v, int depth = 0) {
  if (v.is_null()) return "null";
  if (depth > kMaxDepth) return "...";
  if (shape.sensitive) return kRedacted;
  if (shape.document) return v.dump(-1, ' ', false, Json::error_handler_t::replace);
  switch (shape.type) {
    case ShapeType::kString:
      return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, Json::error_handler_t::replace);
    case ShapeType::kBlob: {
      auto length = LengthOf(shape, v).value_or(0);
      const std::string n = std::to_string(static_cast<uint64_t>(length));
      return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
    }
    case ShapeType::kBoolean:
      return v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                             : v.dump(-1, ' ', false, Json::error_handler_t::replace);
    case ShapeType::kList: {
      if (!v.is_array()) break;
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ", ";
        out += Render(*shape.member.shape, v[i], depth + 1);
      }
      return out + "]";
    }
    case ShapeType::kMap: {
      if (!v.is_object()) break;
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += it.key() + "=" + Render(*shape.value.shape, it.value(), depth + 1);
      }
      return out + "}";
    }
    case ShapeType::kStructure: {
      if (!v.is_object()) break;
      std::string out = shape.name + "(";
      for (size_t i = 0; i < shape.members.size(); ++i) {
        const MemberRef& m = shape.members[i];
        if (i > 0) out += ", ";
        auto it = v.find(m.name);
        out += LowerFirst(m.name) + "=" +
               (it == v.end() ? std::string("null") : Render(*m.shape, *it, depth + 1));
      }
      return out + ")";
    }
    default:
      if (v.is_number()) return NumberText(shape, v);
      break;
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A member's path, built only when a violation needs it: `prefix` joined
// with the member name (first letter lower-cased), or `prefix` alone when
// `member` is empty.
struct LazyPath {
  const std::string& prefix;
  std::string_view member;

  std::string Get() const {
    if (member.empty()) return prefix;
    std::string name = LowerFirst(member);
    return prefix.empty() ? name : prefix + "." + name;
  }
};

class Walker {
 public:
  explicit Walker(size_t limit) : limit_(limit) {}

  std::vector<Violation> Take() { return std::move(found_); }

  void Structure(const Shape& shape, const Json& object, const std::string& prefix, int depth) {
    if (!object.is_object() || depth > kMaxDepth) return;
    for (const MemberRef& m : shape.members) {
      if (Full()) return;
      const LazyPath path{prefix, m.name};
      auto it = object.find(m.name);
      if (it == object.end() || it->is_null()) {
        if (shape.IsRequired(m.name)) {
          Add(path.Get(), Violation::ValueForm::kNull, "", "Member must not be null");
        }
        continue;
      }
      Member(*m.shape, *it, path, depth);
    }
  }

 private:
  bool Full() const { return found_.size() >= limit_; }

  void Add(const std::string& path, Violation::ValueForm form, std::string value, std::string constraint) {
    if (Full()) return;
    found_.push_back(Violation{path, form, std::move(value), std::move(constraint)});
  }

  // A member value: its own constraints, then its contents.
  void Member(const Shape& shape, const Json& v, const LazyPath& path, int depth) {
    std::vector<std::string> broken = BrokenConstraints(shape, v);
    if (!broken.empty()) {
      const std::string full_path = path.Get();
      for (std::string& c : broken) {
        if (shape.sensitive || shape.type == ShapeType::kBlob) {
          Add(full_path, Violation::ValueForm::kHidden, "", std::move(c));
        } else {
          Add(full_path, Violation::ValueForm::kShown, Render(shape, v), std::move(c));
        }
      }
    }
    Contents(shape, v, path, depth);
  }

  // What is inside a container value (its own constraints already checked).
  void Contents(const Shape& shape, const Json& v, const LazyPath& path, int depth) {
    if (depth > kMaxDepth || shape.document || Full()) return;
    switch (shape.type) {
      case ShapeType::kStructure:
        Structure(shape, v, path.Get(), depth + 1);
        break;
      case ShapeType::kList: {
        if (!v.is_array()) return;
        const Shape& element = *shape.member.shape;
        if (HasConstraints(element)) {
          bool any = false;
          for (const Json& e : v) any = any || (!e.is_null() && !BrokenConstraints(element, e).empty());
          if (any) {
            Add(path.Get(), shape.sensitive ? Violation::ValueForm::kHidden : Violation::ValueForm::kShown,
                shape.sensitive ? "" : Render(shape, v),
                "Member must satisfy constraint: " + AllConstraints(element));
          }
        }
        if (!IsContainer(element.type)) return;
        const std::string list_path = path.Get();
        for (size_t i = 0; i < v.size() && !Full(); ++i) {
          if (v[i].is_null()) continue;
          const std::string element_path = list_path + "." + std::to_string(i + 1) + ".member";
          Contents(element, v[i], LazyPath{element_path, {}}, depth + 1);
        }
        break;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) return;
        const Shape& key = *shape.key.shape;
        const Shape& value = *shape.value.shape;
        const auto form = shape.sensitive ? Violation::ValueForm::kHidden : Violation::ValueForm::kShown;
        auto rendered = [&] { return shape.sensitive ? std::string() : Render(shape, v); };
        if (HasConstraints(key)) {
          bool any = false;
          for (auto it = v.begin(); it != v.end(); ++it) {
            any = any || !BrokenConstraints(key, Json(it.key())).empty();
          }
          if (any) Add(path.Get(), form, rendered(), "Map keys must satisfy constraint: " + AllConstraints(key));
        }
        if (HasConstraints(value)) {
          bool any = false;
          for (auto it = v.begin(); it != v.end(); ++it) {
            any = any || (!it.value().is_null() && !BrokenConstraints(value, it.value()).empty());
          }
          if (any) Add(path.Get(), form, rendered(), "Map value must satisfy constraint: " + AllConstraints(value));
        }
        if (!IsContainer(value.type)) return;
        const std::string map_path = path.Get();
        for (auto it = v.begin(); it != v.end() && !Full(); ++it) {
          if (it.value().is_null()) continue;
          const std::string value_path = map_path + "." + it.key() + ".member";
          Contents(value, it.value(), LazyPath{value_path, {}}, depth + 1);
        }
        break;
      }
      default:
        break;
    }
  }

  size_t limit_;
  std::vector<Violation> found_;
};

}  // namespace

const ValidationStyle& ValidationStyleFor(std::string_view service) {
  static const ValidationStyle kJson{"ValidationException", 400, "SerializationException"};
  static const ValidationStyle kLogs{"InvalidParameterException", 400, "SerializationException"};
  static const ValidationStyle kQuery{"ValidationError", 400, "MalformedInput"};
  static const ValidationStyle kS3{"InvalidArgument", 400, "MalformedXML"};
  if (service == "logs") return kLogs;
  if (service == "iam" || service == "sts") return kQuery;
  if (service == "s3") return kS3;
  return kJson;
}

std::string Violation::Describe() const {
  std::string text = "Value ";
  switch (form) {
    case ValueForm::kShown:
      text += "'" + value + "' ";
      break;
    case ValueForm::kNull:
      text += "null ";
      break;
    case ValueForm::kHidden:
      break;
  }
  return text + "at '" + path + "' failed to satisfy constraint: " + constraint;
}

std::vector<Violation> FindViolations(const Shape& shape, const Json& value, size_t limit) {
  Walker walker(limit);
  if (shape.type == ShapeType::kStructure) {
    static const Json kEmpty = Json::object();
    walker.Structure(shape, value.is_object() ? value : kEmpty, "", 0);
  }
  return walker.Take();
}

std::string FormatViolations(const std::vector<Violation>& violations) {
  std::string text = std::to_string(violations.size()) +
                     (violations.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) text += "; ";
    text += violations[i].Describe();
  }
  return text;
}

Status ValidateInput(const ServiceModel& model, const Operation& operation, const Json& input) {
  if (operation.input.shape == nullptr) return OkStatus();
  std::vector<Violation> violations;
  try {
    violations = FindViolations(*operation.input.shape, input);
  } catch (const std::exception& e) {
    // Defensive: the walker checks types before reading values.
    return AwsError("InternalFailure", std::string("validation failed: ") + e.what(), 500);
  }
  if (violations.empty()) return OkStatus();
  const ValidationStyle& style = ValidationStyleFor(model.service());
  return AwsError(style.error_code, FormatViolations(violations), style.http_status);
}

std::string JavaDoubleString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then Java's layout.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "-1.2345e+07"
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  const int exponent = std::atoi(sci.c_str() + e + 1);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());  // "12345"
  std::string out;
  const double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      std::string int_part = digits.substr(0, std::min<size_t>(digits.size(), exponent + 1));
      while (static_cast<int>(int_part.size()) < exponent + 1) int_part += '0';
      std::string frac = digits.size() > static_cast<size_t>(exponent + 1) ? digits.substr(exponent + 1) : "0";
      out = int_part + "." + frac;
    } else {
      out = "0." + std::string(-exponent - 1, '0') + digits;
    }
  } else {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
          std::to_string(exponent);
  }
  return negative ? "-" + out : out;
}

}  // namespace gee::protocol

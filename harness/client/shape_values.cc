#include "harness/client/shape_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "protocol/timestamp.h"

namespace gee::harness {

using protocol::ShapeType;
using protocol::TimestampFormat;

AwsError HarnessInputError(std::string message) {
  return AwsError("InvalidHarnessInput", std::move(message), 0);
}

namespace {

std::string NumberText(const nlohmann::json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  double d = value.get<double>();
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  return buf;
}

std::string FormatTimestamp(double epoch, TimestampFormat format) {
  switch (format) {
    case TimestampFormat::kRfc822: return protocol::FormatRfc822(epoch);
    case TimestampFormat::kUnixTimestamp: {
      nlohmann::json n = epoch;
      return NumberText(n);
    }
    default: return protocol::FormatIso8601(epoch);
  }
}

}  // namespace

Result<std::string> ScalarText(const protocol::Shape& shape, const nlohmann::json& value,
                               TimestampFormat format, std::string_view path) {
  auto type_error = [&](std::string_view expected) {
    return HarnessInputError("member " + std::string(path) + " must be " + std::string(expected) +
                             ", got " + value.dump());
  };
  if (shape.timestamp_format != TimestampFormat::kUnspecified) format = shape.timestamp_format;
  switch (shape.type) {
    case ShapeType::kBoolean:
      if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
      if (value.is_string() && (value == "true" || value == "false")) return value.get<std::string>();
      return type_error("a boolean");
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (value.is_number()) return NumberText(value);
      if (value.is_string()) return value.get<std::string>();
      return type_error("a number");
    case ShapeType::kTimestamp:
      if (value.is_number()) return FormatTimestamp(value.get<double>(), format);
      if (value.is_string()) {
        // Text already in some timestamp form: re-render it in the wire format.
        std::string text = value.get<std::string>();
        if (auto t = protocol::ParseIso8601(text)) return FormatTimestamp(*t, format);
        if (auto t = protocol::ParseRfc822(text)) return FormatTimestamp(*t, format);
        return text;
      }
      return type_error("a timestamp (epoch seconds or ISO-8601 text)");
    case ShapeType::kString:
    case ShapeType::kBlob:
      if (value.is_string()) return value.get<std::string>();
      if (value.is_number() || value.is_boolean()) return value.dump();
      return type_error("a string");
    default:
      return type_error("a scalar");
  }
}

nlohmann::json ScalarFromText(const protocol::Shape& shape, std::string_view text) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      if (text == "true") return true;
      if (text == "false") return false;
      break;
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) return v;
      break;
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      std::string copy(text);
      char* end = nullptr;
      double v = std::strtod(copy.c_str(), &end);
      if (end != nullptr && *end == '\0' && !copy.empty()) return v;
      break;
    }
    case ShapeType::kTimestamp: {
      if (auto t = protocol::ParseRfc822(text)) return *t;
      if (auto t = protocol::ParseIso8601(text)) return *t;
      break;
    }
    default:
      break;
  }
  return std::string(text);
}

}  // namespace gee::harness

#include "protocol/json_codec.h"

// RapidJSON's string and whitespace scanners use SSE2 when told they may;
// every x86-64 CPU has it. Only this file includes RapidJSON.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/reader.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "protocol/base64.h"
#include "protocol/timestamp.h"
#include "protocol/utf8.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 64;

constexpr char kBigNumber[] = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
constexpr char kBoolean[] = "class java.lang.Boolean";
constexpr char kString[] = "class java.lang.String";
constexpr char kListStart[] = "Start of list found where not expected";
constexpr char kMapStart[] = "Start of structure or map found where not expected.";

AwsError Serialization(std::string message = "") {
  return AwsError("SerializationException", std::move(message), 400);
}

// "Start of ..." for arrays/objects given where a scalar belongs.
std::optional<AwsError> ContainerWhereScalar(const Json& v) {
  if (v.is_array()) return Serialization(kListStart);
  if (v.is_object()) return Serialization(kMapStart);
  return std::nullopt;
}

std::string NumberTypeName(ShapeType t) {
  switch (t) {
    case ShapeType::kInteger: return "Integer";
    case ShapeType::kLong: return "Long";
    case ShapeType::kFloat: return "Float";
    default: return "Double";
  }
}

Result<Json> NormalizeNumber(const Shape& shape, const Json& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  const std::string target = NumberTypeName(shape.type);
  if (v.is_boolean()) return Serialization(std::string(kBoolean) + " can not be converted to an " + target);
  if (v.is_string()) return Serialization(std::string(kString) + " can not be converted to an " + target);
  if (shape.type == ShapeType::kFloat || shape.type == ShapeType::kDouble) return Json(v.get<double>());
  const double lo = shape.type == ShapeType::kInteger ? std::numeric_limits<int32_t>::min()
                                                      : static_cast<double>(std::numeric_limits<int64_t>::min());
  const double hi = shape.type == ShapeType::kInteger ? std::numeric_limits<int32_t>::max()
                                                      : static_cast<double>(std::numeric_limits<int64_t>::max());
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (shape.type == ShapeType::kInteger) {
      return Json(std::clamp<int64_t>(i, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    }
    return Json(i);
  }
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    const uint64_t max = shape.type == ShapeType::kInteger ? uint64_t{std::numeric_limits<int32_t>::max()}
                                                           : uint64_t{std::numeric_limits<int64_t>::max()};
    return Json(static_cast<int64_t>(std::min(u, max)));
  }
  const double d = std::floor(v.get<double>());
  if (!std::isfinite(d) || d >= hi) return Json(static_cast<int64_t>(hi));
  if (d <= lo) return Json(static_cast<int64_t>(lo));
  return Json(static_cast<int64_t>(d));
}

Result<Json> NormalizeBoolean(const Json& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_boolean()) return v;
  if (v.is_number()) return Serialization(std::string(kBigNumber) + " can not be converted to an Boolean");
  std::string upper = v.get<std::string>();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "TRUE" || upper == "YES" || upper == "1") return Json(true);
  if (upper == "FALSE" || upper == "NO" || upper == "0") return Json(false);
  return Serialization("'" + upper + "' can not be converted to an Boolean");
}

Result<Json> NormalizeString(Json&& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_boolean()) return Serialization(std::string(kBoolean) + " can not be converted to an String");
  if (v.is_number()) return Serialization(std::string(kBigNumber) + " can not be converted to an String");
  return std::move(v);
}

Result<Json> NormalizeBlob(Json&& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_boolean()) return Serialization(std::string(kBoolean) + " can not be converted to a Blob");
  if (v.is_number()) return Serialization(std::string(kBigNumber) + " can not be converted to a Blob");
  const std::string& text = v.get_ref<const std::string&>();
  auto size = Base64DecodedSize(text);  // checks without decoding: the handler decodes
  if (!size.ok()) return Serialization("'" + text + "' can not be converted to a Blob: " + size.error().message);
  return std::move(v);
}

Result<Json> NormalizeTimestamp(const Shape& shape, Json&& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_number()) return std::move(v);
  if (v.is_boolean()) {
    return Serialization(std::string(kBoolean) + " can not be converted to milliseconds since epoch");
  }
  if (shape.timestamp_format == TimestampFormat::kIso8601) {
    if (auto t = ParseIso8601(v.get<std::string>())) return Json(*t);
  }
  return Serialization(std::string(kString) + " can not be converted to milliseconds since epoch");
}

// Normalises `v` for `shape`, reusing its strings and containers: members
// and entries move into the result instead of being copied.
Result<Json> Normalize(const Shape& shape, Json&& v, int depth) {
  if (depth > kMaxDepth) return Serialization();
  if (shape.document) return std::move(v);
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (v.is_array()) return Serialization(kListStart);
      if (!v.is_object()) return Serialization("Expected null");
      Json out = Json::object();
      auto& given = v.get_ref<Json::object_t&>();
      auto& kept = out.get_ref<Json::object_t&>();
      // Members are read in model order so the first type error reported is
      // deterministic.
      for (const MemberRef& m : shape.members) {
        auto it = given.find(m.name);
        if (it == given.end() || it->second.is_null()) continue;
        GEE_ASSIGN_OR_RETURN(it->second, Normalize(*m.shape, std::move(it->second), depth + 1));
        kept.insert(given.extract(it));
      }
      return out;
    }
    case ShapeType::kList: {
      if (v.is_object()) return Serialization(kMapStart);
      if (!v.is_array()) return Serialization("Expected list or null");
      for (Json& item : v.get_ref<Json::array_t&>()) {
        if (item.is_null()) return Serialization();
        GEE_ASSIGN_OR_RETURN(item, Normalize(*shape.member.shape, std::move(item), depth + 1));
      }
      return std::move(v);
    }
    case ShapeType::kMap: {
      if (v.is_array()) return Serialization(kListStart);
      if (!v.is_object()) return Serialization("Expected map or null");
      auto& entries = v.get_ref<Json::object_t&>();
      for (auto it = entries.begin(); it != entries.end();) {
        if (it->second.is_null()) {
          it = entries.erase(it);
          continue;
        }
        GEE_ASSIGN_OR_RETURN(it->second, Normalize(*shape.value.shape, std::move(it->second), depth + 1));
        ++it;
      }
      return std::move(v);
    }
    case ShapeType::kString:
      return NormalizeString(std::move(v));
    case ShapeType::kBlob:
      return NormalizeBlob(std::move(v));
    case ShapeType::kBoolean:
      return NormalizeBoolean(v);
    case ShapeType::kTimestamp:
      return NormalizeTimestamp(shape, std::move(v));
    default:
      return NormalizeNumber(shape, v);
  }
}

// Normalize with the nlohmann exceptions kept inside the codec.
Result<Json> NormalizeOwned(const Shape& shape, Json&& value) {
  try {
    return Normalize(shape, std::move(value), 0);
  } catch (const Json::exception&) {
    return Serialization();  // defensive: types are checked before values are read
  }
}

// ---- bytes ----
//
// Strings of a few KiB (base64 blobs) cross the codec on every request, so
// FindSpecial looks at 16 bytes at a time where SSE2 is available (every
// x86-64 CPU); elsewhere it goes byte by byte.

// What FindSpecial stops at: non-ASCII bytes (0x80..0xFF) and/or the bytes
// a JSON string must escape (`"`, `\`, 0x00..0x1F).
template <bool kNonAscii, bool kEscapes>
bool IsSpecial(char c) {
  const auto u = static_cast<uint8_t>(c);
  return (kNonAscii && u >= 0x80) || (kEscapes && (u < 0x20 || c == '"' || c == '\\'));
}

#if defined(__SSE2__)
// Bit k set when byte k of `bytes` is special.
template <bool kNonAscii, bool kEscapes>
unsigned SpecialMask(__m128i bytes) {
  unsigned mask = 0;
  if constexpr (kNonAscii) mask |= static_cast<unsigned>(_mm_movemask_epi8(bytes));
  if constexpr (kEscapes) {
    const __m128i max_control = _mm_set1_epi8(0x1F);
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, max_control), max_control);  // unsigned <= 0x1F
    const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
    mask |= static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
  }
  return mask;
}
#endif

// Index of the first special byte of `s` at or after `i`, or s.size().
template <bool kNonAscii, bool kEscapes>
size_t FindSpecial(std::string_view s, size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const unsigned mask =
        SpecialMask<kNonAscii, kEscapes>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i)));
    if (mask != 0) return i + static_cast<size_t>(std::countr_zero(mask));
  }
  if (i < s.size()) {
    // The last few bytes, copied into a block that reading 16 cannot overrun.
    const size_t n = s.size() - i;
    alignas(16) char block[16] = {};
    std::memcpy(block, s.data() + i, n);
    const unsigned mask =
        SpecialMask<kNonAscii, kEscapes>(_mm_load_si128(reinterpret_cast<const __m128i*>(block))) & ((1u << n) - 1);
    if (mask != 0) return i + static_cast<size_t>(std::countr_zero(mask));
  }
  return s.size();
#else
  for (; i < s.size(); ++i) {
    if (IsSpecial<kNonAscii, kEscapes>(s[i])) return i;
  }
  return s.size();
#endif
}

// True when `s` has a byte 0x1A..0x1F. RapidJSON 1.1.0's SSE2 string
// scanner lets these through unescaped (it tests bytes for <= 0x19, not
// < 0x20); they are never valid in JSON text.
bool HasControlsRapidJsonMisses(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128i seen = _mm_setzero_si128();
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Shifted so that 0x1A becomes -128: one signed compare tests 0x1A..0x1F.
    const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(0x80 - 0x1A)));
    seen = _mm_or_si128(seen, _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 + 6))));
  }
  if (_mm_movemask_epi8(seen) != 0) return true;
#endif
  for (; i < s.size(); ++i) {
    const auto u = static_cast<uint8_t>(s[i]);
    if (u >= 0x1A && u <= 0x1F) return true;
  }
  return false;
}

// nlohmann::json accepts only well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF), raw or from \u escapes.
bool IsWellFormed(std::string_view s) {
  const size_t first = FindSpecial<true, false>(s, 0);
  return first == s.size() || IsValidUtf8(s.substr(first));
}

// ---- input ----

// The value nlohmann::json::parse makes of a JSON number: a non-negative
// integer that fits is unsigned, a negative one that fits signed; anything
// else (fractions, exponents, integers out of 64-bit range) a double, as
// strtod reads it. nullopt where nlohmann refuses the number (it overflows
// double).
std::optional<Json> NumberFromText(std::string_view text) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (text.find_first_of(".eE") == std::string_view::npos) {
    if (text.front() == '-') {
      int64_t i = 0;
      if (std::from_chars(first, last, i).ec == std::errc()) return Json(i);
    } else {
      uint64_t u = 0;
      if (std::from_chars(first, last, u).ec == std::errc()) return Json(u);
    }
  }
  double d = 0;
  if (std::from_chars(first, last, d).ec != std::errc()) {
    d = std::strtod(std::string(text).c_str(), nullptr);  // out of range: infinity, or an underflow strtod rounds
  }
  if (!std::isfinite(d)) return std::nullopt;
  return Json(d);
}

// Builds, from RapidJSON's parse events, the DOM nlohmann::json::parse builds:
// the last of duplicate keys wins, numbers as NumberFromText makes them.
// Containers open at any depth: the parse and this builder keep their own
// stacks, not the call stack. It stops the parse (returns false) at what
// nlohmann refuses and RapidJSON does not: ill-formed UTF-8 (RapidJSON
// copies raw bytes and lone \uDC00-\uDFFF escapes) and numbers beyond
// double's range.
class DomBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DomBuilder> {
 public:
  bool Null() { return Put(Json()); }
  bool Bool(bool b) { return Put(Json(b)); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    std::optional<Json> number = NumberFromText({text, length});
    return number && Put(std::move(*number));
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    const std::string_view s(text, length);
    return IsWellFormed(s) && Put(Json(std::string(s)));
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_.assign(text, length);
    return IsWellFormed(key_);
  }
  bool StartObject() { return Open(Json::object()); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(Json::array()); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  Json TakeRoot() { return std::move(root_); }

 private:
  // Where the next value goes: the root, the end of the open array, or the
  // last key of the open object.
  Json& Slot() {
    if (open_.empty()) return root_;
    Json& parent = *open_.back();
    if (parent.is_array()) return parent.get_ref<Json::array_t&>().emplace_back();
    // operator[] keeps the first position and the last value of a repeated key.
    return parent.get_ref<Json::object_t&>()[key_];
  }
  bool Put(Json value) {
    Slot() = std::move(value);
    return true;
  }
  // The open containers' addresses stay valid: only the innermost one grows.
  bool Open(Json empty) {
    Json& slot = Slot();
    slot = std::move(empty);
    open_.push_back(&slot);
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  Json root_;
  std::vector<Json*> open_;
  std::string key_;
};

// Parses `body` as nlohmann::json::parse(body) would; nullopt where it would
// fail. RapidJSON reads strictly (RFC 8259: no comments, trailing commas or
// non-finite numbers, control characters only escaped), iteratively, and
// like nlohmann takes a NUL byte outside strings for the end of the text.
// Where it refuses a body, nlohmann decides: a few number forms (0e400, a
// 309-digit integer) that RapidJSON's number reader refuses are valid to
// nlohmann, and malformed bodies are rare enough not to matter for speed.
std::optional<Json> ParseJson(std::string_view body) {
  std::string_view text = body;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // nlohmann skips a byte order mark
  // In-place parsing needs a writable, NUL-terminated copy; the padding keeps
  // the SSE2 scanners' 16-byte reads inside the buffer. The buffer is kept
  // per thread, so a request does not pay for its allocation, unless a
  // large body grew it.
  constexpr size_t kPadding = 16;
  constexpr size_t kKeptCapacity = 64 * 1024;
  thread_local std::string buffer;
  buffer.assign(text);
  buffer.append(kPadding, '\0');
  rapidjson::InsituStringStream stream(buffer.data());
  DomBuilder builder;
  rapidjson::Reader reader;
  constexpr unsigned kFlags =
      rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  const bool parsed = !HasControlsRapidJsonMisses(text) && !reader.Parse<kFlags>(stream, builder).IsError();
  if (buffer.capacity() > kKeptCapacity) std::string().swap(buffer);
  if (parsed) return builder.TakeRoot();
  Json fallback = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (fallback.is_discarded()) return std::nullopt;
  return fallback;
}

// ---- output ----
//
// The response is written straight into one string, byte for byte what
// nlohmann's dump(-1, ' ', false, error_handler_t::replace) printed for the
// same values in model order.

void AppendEscaped(char c, std::string& out) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      constexpr char kHex[] = "0123456789abcdef";
      const auto u = static_cast<uint8_t>(c);
      const char escape[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0x0F]};
      out.append(escape, sizeof escape);
    }
  }
}

// `s` as a JSON string: `"` `\` and control characters escaped (short forms
// where JSON has them, else \u00xx), everything else as is.
void AppendString(std::string_view s, std::string& out) {
  const size_t start = out.size();
  out.reserve(start + s.size() + 2);
  out += '"';
  size_t done = 0;  // s[0, done) is written
  bool checked_utf8 = false;
  const auto next = [&](size_t from) {
    return checked_utf8 ? FindSpecial<false, true>(s, from) : FindSpecial<true, true>(s, from);
  };
  for (size_t i = next(0); i < s.size(); i = next(i + 1)) {
    if (static_cast<uint8_t>(s[i]) >= 0x80) {
      // The first non-ASCII byte: the rest of `s` must be well-formed UTF-8.
      if (!IsValidUtf8(s.substr(i))) {
        // Rare: nlohmann's dump puts U+FFFD in place of ill-formed sequences.
        out.resize(start);
        out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
      }
      checked_utf8 = true;
      continue;
    }
    out.append(s.data() + done, i - done);
    AppendEscaped(s[i], out);
    done = i + 1;
  }
  out.append(s.data() + done, s.size() - done);
  out += '"';
}

void AppendInteger(int64_t i, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), i).ptr;
  out.append(digits, end);
}

// Doubles keep nlohmann's formatting (shortest round-trip digits, "1.0",
// "1e+300", null for non-finite values).
void AppendDouble(double d, std::string& out) { out += Json(d).dump(); }

void AppendScalar(const Json& v, std::string& out) {
  if (v.is_string()) {
    AppendString(v.get_ref<const std::string&>(), out);
  } else if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer()) {
    // Unsigned values too (is_number_integer includes them), read as int64_t
    // as the earlier encoder did.
    AppendInteger(v.get<int64_t>(), out);
  } else if (v.is_number_float()) {
    AppendDouble(v.get<double>(), out);
  } else {
    out += "null";
  }
}

// Appends `key` and the separators around it to an object being written.
void AppendKey(std::string_view key, bool& first, std::string& out) {
  if (!first) out += ',';
  first = false;
  AppendString(key, out);
  out += ':';
}

void AppendValue(const Shape& shape, const Json& v, int depth, std::string& out) {
  if (depth > kMaxDepth) {
    out += "null";
    return;
  }
  if (shape.document) {
    out += v.dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  switch (shape.type) {
    case ShapeType::kStructure: {
      out += '{';
      bool first = true;
      if (v.is_object()) {
        for (const MemberRef& m : shape.members) {
          auto it = v.find(m.name);
          if (it == v.end() || it->is_null()) continue;
          AppendKey(m.name, first, out);
          AppendValue(*m.shape, *it, depth + 1, out);
        }
      }
      out += '}';
      return;
    }
    case ShapeType::kList: {
      out += '[';
      bool first = true;
      if (v.is_array()) {
        for (const Json& item : v) {
          if (item.is_null()) continue;
          if (!first) out += ',';
          first = false;
          AppendValue(*shape.member.shape, item, depth + 1, out);
        }
      }
      out += ']';
      return;
    }
    case ShapeType::kMap: {
      out += '{';
      bool first = true;
      if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (it.value().is_null()) continue;
          AppendKey(it.key(), first, out);
          AppendValue(*shape.value.shape, it.value(), depth + 1, out);
        }
      }
      out += '}';
      return;
    }
    case ShapeType::kTimestamp: {
      if (shape.timestamp_format == TimestampFormat::kIso8601) {
        if (v.is_number()) return AppendString(FormatIso8601(v.get<double>()), out);
      } else if (v.is_string()) {
        if (auto t = ParseIso8601(v.get<std::string>())) return AppendDouble(*t, out);
      }
      break;
    }
    default:
      break;
  }
  // Scalars pass through (handlers already hold base64 text for blobs).
  AppendScalar(v, out);
}

// "message" or "Message", as the model's error shape spells it.
std::string MessageKey(const ServiceModel* model, std::string_view code) {
  if (model == nullptr) return "message";
  const Shape* shape = model->FindErrorShape(code);
  if (shape == nullptr) return "message";
  for (const MemberRef& m : shape->members) {
    if (m.name == "message" || m.name == "Message") return m.name;
  }
  return "message";
}

}  // namespace

Result<const Operation*> ResolveJsonOperation(const ServiceModel& model, std::string_view target) {
  const std::string prefix = model.target_prefix() + ".";
  if (target.size() > prefix.size() && target.substr(0, prefix.size()) == prefix) {
    if (const Operation* op = model.FindOperation(target.substr(prefix.size()))) return op;
  }
  return AwsError("UnknownOperationException", "", 400);
}

Result<Json> NormalizeJsonValue(const Shape& shape, const Json& value) {
  return NormalizeOwned(shape, Json(value));
}

Result<Json> DecodeJsonInput(const Operation& operation, std::string_view body) {
  const bool blank = std::all_of(body.begin(), body.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  std::optional<Json> parsed = blank ? Json::object() : ParseJson(body);
  if (!parsed) return Serialization();
  if (parsed->is_null()) *parsed = Json::object();
  if (parsed->is_array()) return Serialization(kListStart);
  if (!parsed->is_object()) return Serialization();
  if (operation.input.shape == nullptr) return Json::object();
  return NormalizeOwned(*operation.input.shape, std::move(*parsed));
}

std::string EncodeJsonOutput(const Operation& operation, const Json& output) {
  if (operation.output.shape == nullptr) return "{}";
  try {
    std::string out;
    AppendValue(*operation.output.shape, output, 0, out);
    return out;
  } catch (const Json::exception&) {
    return "{}";  // defensive: AppendValue checks types before it reads values
  }
}

WireReply RenderJsonResponse(const Operation& operation, const Json& output, std::string_view request_id) {
  WireReply reply;
  reply.status = 200;
  reply.headers = {{"Content-Type", kJsonContentType}, {"x-amzn-RequestId", std::string(request_id)}};
  reply.body = EncodeJsonOutput(operation, output);
  return reply;
}

WireReply RenderJsonError(const ServiceModel* model, const AwsError& error, std::string_view request_id) {
  std::string body = "{";
  bool first = true;
  AppendKey("__type", first, body);
  AppendString(error.code, body);
  if (!error.message.empty()) {
    AppendKey(MessageKey(model, error.code), first, body);
    AppendString(error.message, body);
  }
  body += '}';
  WireReply reply;
  reply.status = error.http_status;
  reply.headers = {{"Content-Type", kJsonContentType},
                   {"x-amzn-ErrorType", error.code},
                   {"x-amzn-RequestId", std::string(request_id)}};
  reply.body = std::move(body);
  return reply;
}

}  // namespace gee::protocol

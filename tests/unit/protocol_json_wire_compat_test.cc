// The JSON 1.1 codec parses with RapidJSON and writes responses itself; it
// must read and write exactly what the earlier nlohmann-only codec did. These
// tests hold it to nlohmann (kept here as the reference) over hand-picked and
// generated inputs: the same accepted bodies, the same values down to the
// number kinds and double bits, the same response bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "protocol/json_codec.h"
#include "protocol/timestamp.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// One operation whose input and output cover every shape kind; "Doc" is a
// document, so whatever the parser builds reaches the caller unchanged.
constexpr char kModel[] = R"({"metadata":{"targetPrefix":"T"},
  "operations":{"Op":{"name":"Op","input":{"shape":"All"},"output":{"shape":"All"},
                      "errors":[{"shape":"Bad"}]}},
  "shapes":{
    "All":{"type":"structure","members":{
      "Doc":{"shape":"Doc"},"S":{"shape":"S"},"B":{"shape":"B"},"I":{"shape":"I"},"L":{"shape":"L"},
      "D":{"shape":"D"},"F":{"shape":"F"},"Z":{"shape":"Z"},"T":{"shape":"T"},"Iso":{"shape":"Iso"},
      "List":{"shape":"List"},"Map":{"shape":"Map"},"Next":{"shape":"All"}}},
    "Doc":{"type":"structure","members":{},"document":true},
    "S":{"type":"string"},"B":{"type":"blob"},"I":{"type":"integer"},"L":{"type":"long"},
    "D":{"type":"double"},"F":{"type":"float"},"Z":{"type":"boolean"},"T":{"type":"timestamp"},
    "Iso":{"type":"timestamp","timestampFormat":"iso8601"},
    "List":{"type":"list","member":{"shape":"S"}},
    "Map":{"type":"map","key":{"shape":"S"},"value":{"shape":"All"}},
    "Bad":{"type":"structure","members":{"Message":{"shape":"S"}},"exception":true}}})";

const ServiceModel& TestModel() {
  static const auto* model = [] {
    auto parsed = ServiceModel::Parse("t", kModel);
    EXPECT_TRUE(parsed.ok());
    return parsed->release();
  }();
  return *model;
}

const Operation& TestOp() { return *TestModel().FindOperation("Op"); }

// ---- the reference: the nlohmann-only codec as it was ----

constexpr int kMaxDepth = 64;

Result<Json> ReferenceDecode(const Operation& operation, std::string_view body) {
  const bool blank = std::all_of(body.begin(), body.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  Json parsed = blank ? Json::object() : Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return AwsError("SerializationException", "", 400);
  if (parsed.is_null()) parsed = Json::object();
  if (parsed.is_array()) return AwsError("SerializationException", "Start of list found where not expected", 400);
  if (!parsed.is_object()) return AwsError("SerializationException", "", 400);
  return NormalizeJsonValue(*operation.input.shape, parsed);
}

OrderedJson ReferenceEncode(const Shape& shape, const Json& v, int depth) {
  if (depth > kMaxDepth) return OrderedJson();
  if (shape.document) return OrderedJson::parse(v.dump(-1, ' ', false, Json::error_handler_t::replace));
  switch (shape.type) {
    case ShapeType::kStructure: {
      OrderedJson out = OrderedJson::object();
      if (!v.is_object()) return out;
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        out[m.name] = ReferenceEncode(*m.shape, *it, depth + 1);
      }
      return out;
    }
    case ShapeType::kList: {
      OrderedJson out = OrderedJson::array();
      if (!v.is_array()) return out;
      for (const Json& item : v) {
        if (!item.is_null()) out.push_back(ReferenceEncode(*shape.member.shape, item, depth + 1));
      }
      return out;
    }
    case ShapeType::kMap: {
      OrderedJson out = OrderedJson::object();
      if (!v.is_object()) return out;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it.value().is_null()) out[it.key()] = ReferenceEncode(*shape.value.shape, it.value(), depth + 1);
      }
      return out;
    }
    case ShapeType::kTimestamp: {
      if (shape.timestamp_format == TimestampFormat::kIso8601) {
        if (v.is_number()) return FormatIso8601(v.get<double>());
      } else if (v.is_string()) {
        if (auto t = ParseIso8601(v.get<std::string>())) return *t;
      }
      break;
    }
    default:
      break;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_float()) return v.get<double>();
  return OrderedJson();
}

std::string ReferenceOutput(const Operation& operation, const Json& output) {
  return ReferenceEncode(*operation.output.shape, output, 0)
      .dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

// `v` with every number's kind and every double's bits spelled out, so two
// values compare equal only if they are the same down to the representation.
std::string Typed(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      std::string out = "{";
      for (auto it = v.begin(); it != v.end(); ++it) out += Json(it.key()).dump() + ":" + Typed(it.value()) + ",";
      return out + "}";
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (const Json& item : v) out += Typed(item) + ",";
      return out + "]";
    }
    case Json::value_t::number_integer: return "i" + std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned: return "u" + std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return "f" + std::to_string(bits);
    }
    default: return v.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

// Decodes `body` both ways and expects the same outcome.
void ExpectSameDecode(const Operation& op, std::string_view body) {
  std::string hex;
  for (char c : body) {
    const auto u = static_cast<uint8_t>(c);
    if (u >= 0x20 && u < 0x7F) hex += c; else { char b[8]; snprintf(b, sizeof b, "<%02x>", u); hex += b; }
  }
  SCOPED_TRACE(testing::Message() << "body: " << hex);
  Result<Json> expected = ReferenceDecode(op, body);
  Result<Json> actual = DecodeJsonInput(op, body);
  ASSERT_EQ(actual.ok(), expected.ok());
  if (expected.ok()) {
    EXPECT_EQ(Typed(*actual), Typed(*expected));
  } else {
    EXPECT_EQ(actual.error().code, expected.error().code);
    EXPECT_EQ(actual.error().message, expected.error().message);
    EXPECT_EQ(actual.error().http_status, expected.error().http_status);
  }
}

void ExpectSameDocument(std::string_view value) { ExpectSameDecode(TestOp(), R"({"Doc":)" + std::string(value) + "}"); }

TEST(JsonWireCompatTest, DecodeMatchesNlohmannOnWholeBodies) {
  const std::string cases[] = {
      "", " ", "\t\r\n ", "{}", "[]", "[1]", "null", "true", "false", "1", "-1", "1.5", "\"s\"", "{", "}", "[",
      "{}}", "{} {}", "{}x", "{} ", "{}\n", " {}", "{\"S\":\"a\"} \r\n\t", "nul", "nulll", "tru", "{\"S\":\"a\",}",
      "{'S':'a'}", "{\"S\" \"a\"}", "{\"S\":}", "{,}", "{\"S\":\"a\"\"B\":\"\"}", "\f{}", "\v{}", "{}\f",
      std::string("{}\0", 3), std::string("\0{}", 3), std::string("{\"S\":\"\0\"}", 9),
      std::string("{}\0garbage", 10), std::string("{}\0\x1F", 4), std::string("{\"S\":1\0}", 9), "{}\x1F", "\x1A{}",
      "\xEF\xBB\xBF{}", "\xEF\xBB\xBF", "\xEF\xBB\xBF  ", "\xEF\xBB{}", "\xEF{}", " \xEF\xBB\xBF{}",
      "\xEF\xBB\xBF\xEF\xBB\xBF{}", "\xEF\xBB\xBFnull", "\xEF\xBB\xBF[]",
      "/*c*/{}", "{}//c", "{\"S\":\"a\"}\x80", "\xC3\xA9", "{\"S\":\"a\"", "{\"S\":\"a}",
      "{\"S\":\"a\",\"S\":\"b\"}", "{\"Doc\":1,\"Doc\":{\"x\":[1]}}", "{\"List\":[\"a\",null]}",
      "{\"I\":1,\"I\":\"x\"}", "{\"Unknown\":[[[{}]]],\"S\":\"k\"}",
  };
  for (const std::string& body : cases) ExpectSameDecode(TestOp(), body);
}

TEST(JsonWireCompatTest, DecodeMatchesNlohmannOnNumbers) {
  for (const char* number :
       {"0", "-0", "0.0", "-0.0", "1", "-1", "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "1e-", "1E5", "1e5",
        "1e-5", "1.5e+3", "-1.5E-3", "1e308", "1e309", "-1e309", "1e-400", "-1e-400", "4.9e-324", "2.4703282292062328e-324",
        "2.2250738585072011e-308", "0.1", "0.30000000000000004", "1704067200.123456", "1478910250.94",
        "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "-18446744073709551616",
        "123456789012345678901234567890", "-123456789012345678901234567890", "1.7976931348623157e308",
        "1.7976931348623159e308", "0e0", "0E-0", "1e0000000000000000000001", "NaN", "Infinity", "-Infinity",
        "0x10", "1_000", "1 2", "--1", "1.2.3", "1e5e5"}) {
    ExpectSameDocument(number);
    ExpectSameDocument(std::string("[") + number + "]");
    ExpectSameDecode(TestOp(), std::string(R"({"I":)") + number + "}");
    ExpectSameDecode(TestOp(), std::string(R"({"L":)") + number + "}");
    ExpectSameDecode(TestOp(), std::string(R"({"D":)") + number + "}");
    ExpectSameDecode(TestOp(), std::string(R"({"T":)") + number + "}");
  }
}

TEST(JsonWireCompatTest, DecodeMatchesNlohmannOnStrings) {
  for (const std::string& text : std::vector<std::string>{
           R"("")", R"("a")", R"("\u0000")", R"("a\u0000b")", R"("\ud800")", R"("\udc00")", R"("\ud800\udc00")",
           R"("\uD83D\uDE00")", R"("\ud800\u0041")", R"("\ud800x")", R"("\udbff\udfff")", R"("\u00e9")",
           R"("\u20AC")", R"("\uFFFF")", R"("\uFFFE")", R"("\x")", R"("\u12")", R"("\u12G4")", R"("\/")", R"("\'")",
           R"("\"\\\/\b\f\n\r\t")", R"("\U0041")", "\"a\x01b\"", "\"a\tb\"", "\"a\nb\"", "\"\x1F\"", "\"\x7F\"",
           "\"\xC3\xA9\"", "\"\xE2\x82\xAC\"", "\"\xF0\x9F\x98\x80\"", "\"\xC0\xAF\"", "\"\xC1\xBF\"",
           "\"\xE0\x80\xAF\"", "\"\xE0\xA0\x80\"", "\"\xED\x9F\xBF\"", "\"\xED\xA0\x80\"", "\"\xED\xBF\xBF\"",
           "\"\xEE\x80\x80\"", "\"\xF0\x8F\xBF\xBF\"", "\"\xF0\x90\x80\x80\"", "\"\xF4\x8F\xBF\xBF\"",
           "\"\xF4\x90\x80\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xF8\x88\x80\x80\x80\"", "\"\xFF\"", "\"\x80\"",
           "\"\xBF\"", "\"\xE2\x82\"", "\"\xE2\"", "\"\xC3\"", "\"a\xC3\"", "\"\xF0\x9F\x98\"",
           "\"" + std::string(40, 'x') + "\xC3\xA9" + std::string(40, 'y') + "\"",
           "\"" + std::string(40, 'x') + "\xC3" + std::string(40, 'y') + "\"",
           "\"" + std::string(33, 'x') + "\\n" + std::string(33, 'y') + "\"",
           "\"" + std::string(31, 'x') + "\x01" + "\"", "\"" + std::string(1000, 'q') + "\"", "\"\x1A\"", "\"\x1F\"",
           "\"" + std::string(20, 'x') + "\x19" + std::string(20, 'y') + "\"",
           "\"" + std::string(20, 'x') + "\x1A" + std::string(20, 'y') + "\"",
           "\"" + std::string(20, 'x') + "\x1E" + std::string(20, 'y') + "\"",
           "\"" + std::string(17, 'x'), "\"abc"}) {
    ExpectSameDocument(text);
    ExpectSameDocument("{" + text + ":1}");
    ExpectSameDecode(TestOp(), R"({"S":)" + text + "}");
    ExpectSameDecode(TestOp(), R"({"B":)" + text + "}");
    ExpectSameDecode(TestOp(), R"({"Map":{)" + text + R"(:{}}})");
  }
}

TEST(JsonWireCompatTest, DecodeMatchesNlohmannOnStructure) {
  for (const std::string& doc : std::vector<std::string>{
           "{}", "[]", "[[]]", "{\"a\":{}}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a\":[2]}",
           "{\"a\":[1],\"a\":{\"x\":3},\"b\":null}", "{\"\":1}", "{\"\\u0061\":1,\"a\":2}", "[1,2,[3,[4,{}]]]",
           "{ \"a\" : [ 1 , 2 ] }", "[1,]", "[,1]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{1:2}", "{null:1}",
           "[true,false,null]", "[tRue]",
           // Deep, but within what the reference's recursive copy and
           // comparison can take on a sanitizer build's 8 MiB stack.
           std::string(2000, '[') + std::string(2000, ']'),
           std::string(2000, '[') + std::string(1999, ']'), std::string(1000, '[') + "{" + std::string(1000, ']')}) {
    ExpectSameDocument(doc);
  }
}

// Random documents, some of them with a few bytes changed: mostly invalid
// JSON near valid JSON, where parsers disagree if they do at all.
TEST(JsonWireCompatTest, DecodeMatchesNlohmannOnGeneratedBodies) {
  std::mt19937_64 rng(20240611);
  const auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  // Lengths from sizeof: the second part starts with a NUL byte.
  static constexpr char kAscii[] = "{}[]\",:\\ \t\r\n0123456789eE.+-truefalsnl/ubx\x7F\x01\x1F";
  static constexpr char kBytes[] = "\0\x80\xBF\xC3\xA9\xE2\x82\xAC\xED\xA0\xF0\x9F\xF4\xFF";
  const std::string alphabet =
      std::string(kAscii, sizeof kAscii - 1) + std::string(kBytes, sizeof kBytes - 1);
  std::function<Json(int)> value = [&](int depth) -> Json {
    switch (pick(depth > 3 ? 7 : 9)) {
      case 0: return nullptr;
      case 1: return pick(2) == 0;
      case 2: return static_cast<int64_t>(rng()) >> pick(64);
      case 3: return rng() >> pick(64);
      case 4: {
        const double d = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), static_cast<int>(pick(200)) - 100);
        return d;
      }
      case 5:
      case 6: {
        std::string s;
        const size_t n = pick(40);
        for (size_t i = 0; i < n; ++i) s += pick(4) == 0 ? alphabet[pick(alphabet.size())] : static_cast<char>('a' + pick(26));
        return s;
      }
      case 7: {
        Json a = Json::array();
        for (size_t i = pick(5); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (size_t i = pick(5); i > 0; --i) o[std::string(1, static_cast<char>('a' + pick(4)))] = value(depth + 1);
        return o;
      }
    }
  };
  for (int round = 0; round < 4000; ++round) {
    Json doc = {{"Doc", value(0)}, {"S", "s"}, {"List", {"a", "b"}}};
    std::string body = doc.dump(pick(3) == 0 ? 1 : -1, ' ', pick(2) == 0, Json::error_handler_t::replace);
    for (size_t edits = pick(4); edits > 0 && !body.empty(); --edits) {
      const size_t at = pick(body.size());
      switch (pick(3)) {
        case 0: body.insert(at, 1, alphabet[pick(alphabet.size())]); break;
        case 1: body.erase(at, 1); break;
        default: body[at] = alphabet[pick(alphabet.size())]; break;
      }
    }
    ExpectSameDecode(TestOp(), body);
    if (HasFailure()) return;
  }
}

// ---- output ----

std::string WeirdString(std::mt19937_64& rng) {
  static const std::vector<std::string> pieces = {
      "a", "Z", "0", "/", "\"", "\\", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x0B", "\x1F",
      "\x7F", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3", "\x80", "\xFF", "\xED\xA0\x80",
      "\xE2\x82", "\xF4\x90\x80\x80", "\xC0\xAF", "\xEF\xBF\xBD", "\xF0\x9F\x98", std::string(20, 'k')};
  std::string s;
  for (size_t n = rng() % 24; n > 0; --n) {
    // Mostly plain text, so the special bytes land at every offset of a block.
    s += rng() % 3 == 0 ? pieces[rng() % pieces.size()] : std::string(1, static_cast<char>('a' + rng() % 26));
  }
  return s;
}

Json WeirdNumber(std::mt19937_64& rng) {
  static const std::vector<double> doubles = {
      0.0, -0.0, 1.0, -1.0, 0.1, 1.5, 100.0, 1e7, 1e15, 1e16, 1e17, 1e21, 1e22, 1e-5, 1e-7, 1.7e9,
      1704067200.0, 1704067200.5, 1704067200.123, 1704067200.123456, 1478910250.94, 5e-324, 2.2250738585072014e-308,
      1.7976931348623157e308, 123456789.125, 0.30000000000000004, std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  switch (rng() % 5) {
    case 0: return doubles[rng() % doubles.size()];
    case 1: {
      double d;
      uint64_t bits = rng();
      std::memcpy(&d, &bits, sizeof d);
      return d;  // any bit pattern: NaNs, infinities, subnormals
    }
    case 2: return static_cast<double>(rng() % 2000000000) + static_cast<double>(rng() % 1000000) / 1e6;
    case 3: return static_cast<int64_t>(rng()) >> (rng() % 64);
    default: return rng() >> (rng() % 64);  // unsigned, some above INT64_MAX
  }
}

Json WeirdValue(std::mt19937_64& rng, int depth);

// A value for a member of "All": usually the member's type, sometimes not
// (handlers are not checked), sometimes null.
Json WeirdAll(std::mt19937_64& rng, int depth) {
  Json out = Json::object();
  const auto maybe = [&](const char* name, Json v) {
    if (rng() % 3 != 0) out[name] = std::move(v);
  };
  const bool wrong = rng() % 8 == 0;
  maybe("S", wrong ? WeirdNumber(rng) : Json(WeirdString(rng)));
  maybe("B", wrong ? Json::array() : Json(WeirdString(rng)));
  maybe("I", WeirdNumber(rng));
  maybe("L", WeirdNumber(rng));
  maybe("D", WeirdNumber(rng));
  maybe("F", wrong ? Json(WeirdString(rng)) : WeirdNumber(rng));
  maybe("Z", wrong ? Json(1) : Json(rng() % 2 == 0));
  maybe("T", rng() % 4 == 0 ? Json(rng() % 2 ? "2024-01-01T00:00:00.5Z" : "nope") : WeirdNumber(rng));
  maybe("Iso", rng() % 4 == 0 ? Json(WeirdString(rng)) : WeirdNumber(rng));
  maybe("Doc", WeirdValue(rng, depth + 1));
  maybe("Unknown", WeirdString(rng));
  maybe("Null", nullptr);
  if (rng() % 3 == 0) {
    Json list = Json::array();
    for (size_t n = rng() % 4; n > 0; --n) list.push_back(rng() % 5 == 0 ? Json() : Json(WeirdString(rng)));
    out["List"] = wrong ? Json(WeirdString(rng)) : list;
  }
  if (depth < 3 && rng() % 3 == 0) {
    Json map = Json::object();
    for (size_t n = rng() % 3; n > 0; --n) map[WeirdString(rng)] = rng() % 5 == 0 ? Json() : WeirdAll(rng, depth + 1);
    out["Map"] = map;
  }
  if (depth < 3 && rng() % 4 == 0) out["Next"] = wrong ? Json(WeirdString(rng)) : WeirdAll(rng, depth + 1);
  return out;
}

Json WeirdValue(std::mt19937_64& rng, int depth) {
  switch (rng() % (depth > 3 ? 4 : 6)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return WeirdNumber(rng);
    case 3: return WeirdString(rng);
    case 4: {
      Json a = Json::array();
      for (size_t n = rng() % 4; n > 0; --n) a.push_back(WeirdValue(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (size_t n = rng() % 4; n > 0; --n) o[WeirdString(rng)] = WeirdValue(rng, depth + 1);
      return o;
    }
  }
}

TEST(JsonWireCompatTest, EncodeMatchesNlohmannOnGeneratedOutputs) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 5000; ++round) {
    const Json output = WeirdAll(rng, 0);
    ASSERT_EQ(EncodeJsonOutput(TestOp(), output), ReferenceOutput(TestOp(), output)) << Typed(output);
  }
}

TEST(JsonWireCompatTest, EncodeMatchesNlohmannOnEveryByteAtEveryOffset) {
  // Each byte value alone, and in front of, inside and after blocks of plain text.
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t offset : {0, 1, 7, 15, 16, 17, 31, 32, 40}) {
      std::string s(48, 'p');
      s[offset] = static_cast<char>(byte);
      for (const std::string& text : {s, s.substr(0, offset + 1), std::string(1, static_cast<char>(byte))}) {
        const Json output = {{"S", text}, {"List", {text, text}}};
        ASSERT_EQ(EncodeJsonOutput(TestOp(), output), ReferenceOutput(TestOp(), output)) << byte << " " << offset;
      }
    }
  }
}

TEST(JsonWireCompatTest, EncodeMatchesNlohmannBeyondTheDepthBound) {
  Json output = Json::object();
  Json* at = &output;
  for (int i = 0; i < 80; ++i) {
    (*at)["S"] = "level " + std::to_string(i);
    at = &(*at)["Next"];
    *at = Json::object();
  }
  EXPECT_EQ(EncodeJsonOutput(TestOp(), output), ReferenceOutput(TestOp(), output));
}

TEST(JsonWireCompatTest, RenderErrorMatchesNlohmann) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 500; ++round) {
    const AwsError error(rng() % 2 ? "Bad" : WeirdString(rng), rng() % 4 == 0 ? "" : WeirdString(rng), 400);
    OrderedJson body = OrderedJson::object();
    body["__type"] = error.code;
    if (!error.message.empty()) body[error.code == "Bad" ? "Message" : "message"] = error.message;
    EXPECT_EQ(RenderJsonError(&TestModel(), error, "r").body,
              body.dump(-1, ' ', false, OrderedJson::error_handler_t::replace));
  }
}

}  // namespace
}  // namespace gee::protocol

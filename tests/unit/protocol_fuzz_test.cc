// Deterministic fuzz-style tests: random and half-valid inputs fed to every
// decoder and encoder of the protocol layer. They pass when nothing crashes,
// throws or hangs, and every failure is a well-formed AwsError.
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <random>
#include <string>

#include "protocol/base64.h"
#include "protocol/form.h"
#include "protocol/json_codec.h"
#include "protocol/model.h"
#include "protocol/pattern.h"
#include "protocol/query_codec.h"
#include "protocol/s3_xml.h"
#include "protocol/timestamp.h"
#include "protocol/validation.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;

constexpr uint32_t kSeed = 20240601;
constexpr int kRounds = 1500;

class Fuzzer {
 public:
  explicit Fuzzer(uint32_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool OneIn(size_t n) { return Below(n) == 0; }

  std::string Bytes(size_t max_len) {
    std::string s(Below(max_len + 1), '\0');
    for (char& c : s) c = static_cast<char>(Below(256));
    return s;
  }

  // Bytes drawn mostly from `alphabet`.
  std::string From(std::string_view alphabet, size_t max_len) {
    std::string s(Below(max_len + 1), '\0');
    for (char& c : s) c = OneIn(20) ? static_cast<char>(Below(256)) : alphabet[Below(alphabet.size())];
    return s;
  }

  // A value for `shape`: usually the right JSON type, sometimes not.
  Json ValueFor(const Shape& shape, int depth) {
    if (depth > 6 || OneIn(12)) return AnyScalar();
    switch (shape.type) {
      case ShapeType::kStructure: {
        Json o = Json::object();
        for (const MemberRef& m : shape.members) {
          if (OneIn(2)) o[m.name] = ValueFor(*m.shape, depth + 1);
        }
        if (OneIn(10)) o["Unknown" + std::to_string(Below(3))] = AnyScalar();
        return o;
      }
      case ShapeType::kList: {
        Json a = Json::array();
        for (size_t i = Below(4); i > 0; --i) a.push_back(ValueFor(*shape.member.shape, depth + 1));
        return a;
      }
      case ShapeType::kMap: {
        Json o = Json::object();
        for (size_t i = Below(3); i > 0; --i) o[From("abcXYZ:/ ", 6)] = ValueFor(*shape.value.shape, depth + 1);
        return o;
      }
      case ShapeType::kString:
        if (!shape.enum_values.empty() && OneIn(2)) return shape.enum_values[Below(shape.enum_values.size())];
        return From("abcdefXYZ0123456789-_./:@ \n\t\xC3\xA9", 40);
      case ShapeType::kBlob:
        return OneIn(3) ? Json(From("ABCabc+/=", 12)) : Json(Base64Encode(Bytes(20)));
      case ShapeType::kBoolean:
        return OneIn(4) ? Json("true") : Json(OneIn(2));
      case ShapeType::kTimestamp:
        return OneIn(4) ? Json("2024-01-01T00:00:00Z") : Json(static_cast<double>(Below(2000000000)));
      default:
        return OneIn(5) ? Json(static_cast<double>(Below(5000)) / 7.0) : Json(static_cast<int64_t>(Below(5000)) - 100);
    }
  }

  Json AnyScalar() {
    switch (Below(6)) {
      case 0: return nullptr;
      case 1: return OneIn(2);
      case 2: return static_cast<int64_t>(Below(100000)) - 50000;
      case 3: return 1e300;
      case 4: return Json::array({1, "x"});
      default: return From("abc{}[]\"\\", 10);
    }
  }

 private:
  std::mt19937 rng_;
};

const ServiceModel& Model(std::string_view service) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok());
  return **model;
}

void ExpectWellFormed(const AwsError& e) {
  EXPECT_FALSE(e.code.empty());
  EXPECT_GE(e.http_status, 300);
  EXPECT_LT(e.http_status, 600);
}

TEST(ProtocolFuzzTest, JsonDecodeValidateEncodeNeverCrash) {
  Fuzzer f(kSeed);
  for (const char* service : {"kms", "glue", "logs"}) {
    const ServiceModel& model = Model(service);
    const auto& ops = model.operations();
    for (int round = 0; round < kRounds; ++round) {
      const Operation& op = *ops[f.Below(ops.size())];
      std::string body;
      if (f.OneIn(4)) {
        body = f.Bytes(64);
      } else if (op.input.shape != nullptr) {
        body = f.ValueFor(*op.input.shape, 0).dump(-1, ' ', false, Json::error_handler_t::replace);
        if (f.OneIn(8) && !body.empty()) body.resize(f.Below(body.size()));  // truncate
      }
      auto decoded = DecodeJsonInput(op, body);
      if (!decoded.ok()) {
        ExpectWellFormed(decoded.error());
        EXPECT_EQ(decoded.error().code, "SerializationException");
        continue;
      }
      EXPECT_TRUE(decoded->is_object());
      Status valid = ValidateInput(model, op, *decoded);
      if (!valid.ok()) ExpectWellFormed(valid.error());
      if (op.output.shape != nullptr) {
        const std::string out = EncodeJsonOutput(op, f.ValueFor(*op.output.shape, 0));
        EXPECT_FALSE(Json::parse(out, nullptr, false).is_discarded());
      }
    }
  }
}

TEST(ProtocolFuzzTest, QueryDecodeValidateEncodeNeverCrash) {
  Fuzzer f(kSeed + 1);
  const std::string segments[] = {"Tags", "member", "1", "2", "0", "Key", "Value", "PolicyArns", "arn",
                                  "RoleName", "RoleArn", "DurationSeconds", "entry", "key", "value", "x", ""};
  for (const char* service : {"iam", "sts"}) {
    const ServiceModel& model = Model(service);
    const auto& ops = model.operations();
    for (int round = 0; round < kRounds; ++round) {
      std::string body;
      if (f.OneIn(4)) {
        body = f.Bytes(80);
      } else {
        const Operation& op = *ops[f.Below(ops.size())];
        std::vector<FormParams::Pair> pairs;
        if (!f.OneIn(10)) pairs.emplace_back("Action", f.OneIn(10) ? "Nope" : op.name);
        if (!f.OneIn(10)) pairs.emplace_back("Version", f.OneIn(10) ? "1999-01-01" : model.api_version());
        for (size_t i = f.Below(8); i > 0; --i) {
          std::string name;
          if (op.input.shape != nullptr && !op.input.shape->members.empty() && f.OneIn(2)) {
            name = op.input.shape->members[f.Below(op.input.shape->members.size())].name;
          } else {
            name = segments[f.Below(std::size(segments))];
          }
          for (size_t d = f.Below(4); d > 0; --d) name += "." + segments[f.Below(std::size(segments))];
          pairs.emplace_back(name, f.From("0123456789abc+-. ", 12));
        }
        body = FormEncode(pairs);
        if (f.OneIn(10)) body += "%";
      }
      auto params = FormParams::Parse(body);
      if (!params.ok()) {
        ExpectWellFormed(params.error());
        continue;
      }
      auto request = DecodeQueryRequest(model, *params);
      if (!request.ok()) {
        ExpectWellFormed(request.error());
        WireReply reply = RenderQueryError(model, request.error(), "rid");
        EXPECT_EQ(reply.status, request.error().http_status);
        continue;
      }
      Status valid = ValidateInput(model, *request->operation, request->input);
      if (!valid.ok()) {
        ExpectWellFormed(valid.error());
        WireReply reply = RenderQueryError(model, valid.error(), "rid");
        pugi::xml_document doc;
        EXPECT_TRUE(doc.load_string(reply.body.c_str())) << reply.body;
      }
      const Operation& op = *request->operation;
      if (op.output.shape != nullptr) {
        const std::string xml = EncodeQueryResponse(model, op, f.ValueFor(*op.output.shape, 0), "rid");
        pugi::xml_document doc;
        EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
      }
    }
  }
}

TEST(ProtocolFuzzTest, XmlParsersNeverCrash) {
  Fuzzer f(kSeed + 2);
  const Shape& config = *Model("s3").FindShape("ServerSideEncryptionConfiguration");
  const std::string tags[] = {"Rule", "ApplyServerSideEncryptionByDefault", "SSEAlgorithm", "KMSMasterKeyID",
                              "BucketKeyEnabled", "x"};
  for (int round = 0; round < kRounds; ++round) {
    std::string body;
    if (f.OneIn(3)) {
      body = f.Bytes(100);
    } else {
      for (size_t i = f.Below(10); i > 0; --i) {
        const std::string& t = tags[f.Below(std::size(tags))];
        body += f.OneIn(3) ? "</" + t + ">" : "<" + t + ">";
        if (f.OneIn(2)) body += f.From("true0123abc&;<", 6);
      }
    }
    auto generic = ParseXmlDocument(body);
    if (!generic.ok()) {
      EXPECT_EQ(generic.error().code, "MalformedXML");
    }
    auto typed = ParseXmlToShape(body, config);
    if (!typed.ok()) {
      EXPECT_EQ(typed.error().code, "MalformedXML");
    }
    const std::string out = ShapeToXml(config, f.ValueFor(config, 0), "ServerSideEncryptionConfiguration");
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(out.c_str())) << out;
  }
}

TEST(ProtocolFuzzTest, ScalarParsersNeverCrash) {
  Fuzzer f(kSeed + 3);
  for (int round = 0; round < kRounds * 4; ++round) {
    const std::string text = f.OneIn(2) ? f.Bytes(40) : f.From("0123456789-:TZ.+ ,GMTJanMon", 32);
    auto decoded = Base64Decode(text);
    if (decoded.ok()) {
      EXPECT_EQ(Base64Encode(*decoded), text);
    }
    if (auto t = ParseIso8601(text)) {
      EXPECT_TRUE(ParseIso8601(FormatIso8601(*t)).has_value());
    }
    (void)ParseRfc822(text);
    (void)FormDecodeComponent(text);
  }
}

TEST(ProtocolFuzzTest, ModelPatternsMatchRandomTextWithoutCrashing) {
  Fuzzer f(kSeed + 4);
  std::vector<const Shape*> patterned;
  for (const char* service : {"kms", "glue", "iam", "sts", "logs"}) {
    const ServiceModel& model = Model(service);
    for (const Operation* op : model.operations()) {
      if (op->input.shape == nullptr) continue;
      for (const MemberRef& m : op->input.shape->members) {
        if (!m.shape->pattern.empty()) patterned.push_back(m.shape);
      }
    }
  }
  ASSERT_FALSE(patterned.empty());
  for (int round = 0; round < kRounds; ++round) {
    const Shape& shape = *patterned[f.Below(patterned.size())];
    if (const JavaPattern* p = shape.CompiledPattern()) (void)p->Matches(f.Bytes(60));
  }
}

}  // namespace
}  // namespace gee::protocol

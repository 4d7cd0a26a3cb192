#include "protocol/json_codec.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "protocol/base64.h"
#include "protocol/timestamp.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

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

Result<Json> NormalizeString(const Json& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_boolean()) return Serialization(std::string(kBoolean) + " can not be converted to an String");
  if (v.is_number()) return Serialization(std::string(kBigNumber) + " can not be converted to an String");
  return v;
}

Result<Json> NormalizeBlob(const Json& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_boolean()) return Serialization(std::string(kBoolean) + " can not be converted to a Blob");
  if (v.is_number()) return Serialization(std::string(kBigNumber) + " can not be converted to a Blob");
  const std::string& text = v.get_ref<const std::string&>();
  auto decoded = Base64Decode(text);
  if (!decoded.ok()) return Serialization("'" + text + "' can not be converted to a Blob: " + decoded.error().message);
  return v;
}

Result<Json> NormalizeTimestamp(const Shape& shape, const Json& v) {
  if (auto e = ContainerWhereScalar(v)) return *e;
  if (v.is_number()) return v;
  if (v.is_boolean()) {
    return Serialization(std::string(kBoolean) + " can not be converted to milliseconds since epoch");
  }
  if (shape.timestamp_format == TimestampFormat::kIso8601) {
    if (auto t = ParseIso8601(v.get<std::string>())) return Json(*t);
  }
  return Serialization(std::string(kString) + " can not be converted to milliseconds since epoch");
}

Result<Json> Normalize(const Shape& shape, const Json& v, int depth) {
  if (depth > kMaxDepth) return Serialization();
  if (shape.document) return v;
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (v.is_array()) return Serialization(kListStart);
      if (!v.is_object()) return Serialization("Expected null");
      Json out = Json::object();
      // Members are read in model order so the first type error reported is
      // deterministic.
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        GEE_ASSIGN_OR_RETURN(Json value, Normalize(*m.shape, *it, depth + 1));
        out[m.name] = std::move(value);
      }
      return out;
    }
    case ShapeType::kList: {
      if (v.is_object()) return Serialization(kMapStart);
      if (!v.is_array()) return Serialization("Expected list or null");
      Json out = Json::array();
      for (const Json& item : v) {
        if (item.is_null()) return Serialization();
        GEE_ASSIGN_OR_RETURN(Json value, Normalize(*shape.member.shape, item, depth + 1));
        out.push_back(std::move(value));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (v.is_array()) return Serialization(kListStart);
      if (!v.is_object()) return Serialization("Expected map or null");
      Json out = Json::object();
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.value().is_null()) continue;
        GEE_ASSIGN_OR_RETURN(Json value, Normalize(*shape.value.shape, it.value(), depth + 1));
        out[it.key()] = std::move(value);
      }
      return out;
    }
    case ShapeType::kString:
      return NormalizeString(v);
    case ShapeType::kBlob:
      return NormalizeBlob(v);
    case ShapeType::kBoolean:
      return NormalizeBoolean(v);
    case ShapeType::kTimestamp:
      return NormalizeTimestamp(shape, v);
    default:
      return NormalizeNumber(shape, v);
  }
}

// ---- output ----

OrderedJson Encode(const Shape& shape, const Json& v, int depth) {
  if (depth > kMaxDepth) return OrderedJson();
  if (shape.document) return OrderedJson::parse(v.dump(-1, ' ', false, Json::error_handler_t::replace));
  switch (shape.type) {
    case ShapeType::kStructure: {
      OrderedJson out = OrderedJson::object();
      if (!v.is_object()) return out;
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        out[m.name] = Encode(*m.shape, *it, depth + 1);
      }
      return out;
    }
    case ShapeType::kList: {
      OrderedJson out = OrderedJson::array();
      if (!v.is_array()) return out;
      for (const Json& item : v) {
        if (!item.is_null()) out.push_back(Encode(*shape.member.shape, item, depth + 1));
      }
      return out;
    }
    case ShapeType::kMap: {
      OrderedJson out = OrderedJson::object();
      if (!v.is_object()) return out;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it.value().is_null()) out[it.key()] = Encode(*shape.value.shape, it.value(), depth + 1);
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
  // Scalars pass through (handlers already hold base64 text for blobs).
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_float()) return v.get<double>();
  return OrderedJson();
}

std::string Dump(const OrderedJson& j) { return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace); }

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
  try {
    return Normalize(shape, value, 0);
  } catch (const Json::exception&) {
    return Serialization();  // defensive: types are checked before values are read
  }
}

Result<Json> DecodeJsonInput(const Operation& operation, std::string_view body) {
  const bool blank = std::all_of(body.begin(), body.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  Json parsed = blank ? Json::object() : Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Serialization();
  if (parsed.is_null()) parsed = Json::object();
  if (parsed.is_array()) return Serialization(kListStart);
  if (!parsed.is_object()) return Serialization();
  if (operation.input.shape == nullptr) return Json::object();
  return NormalizeJsonValue(*operation.input.shape, parsed);
}

std::string EncodeJsonOutput(const Operation& operation, const Json& output) {
  if (operation.output.shape == nullptr) return "{}";
  try {
    return Dump(Encode(*operation.output.shape, output, 0));
  } catch (const OrderedJson::exception&) {
    return "{}";  // defensive: Encode checks types and dumps with replacement
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
  OrderedJson body = OrderedJson::object();
  body["__type"] = error.code;
  if (!error.message.empty()) body[MessageKey(model, error.code)] = error.message;
  WireReply reply;
  reply.status = error.http_status;
  reply.headers = {{"Content-Type", kJsonContentType},
                   {"x-amzn-ErrorType", error.code},
                   {"x-amzn-RequestId", std::string(request_id)}};
  reply.body = Dump(body);
  return reply;
}

}  // namespace gee::protocol

#include "protocol/query_codec.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include "protocol/timestamp.h"
#include "protocol/utf8.h"
#include "protocol/validation.h"
#include "protocol/xml_writer.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 32;

AwsError MalformedInput(std::string message = "") {
  return AwsError("MalformedInput", std::move(message), 400);
}

AwsError InvalidAction(std::string_view action, std::string_view version) {
  return AwsError("InvalidAction",
                  "Could not find operation " + std::string(action) + " for version " + std::string(version),
                  400);
}

// The parameters arranged as a tree of dotted name segments. The first value
// seen for a name wins.
struct Node {
  std::optional<std::string> value;
  std::map<std::string, Node, std::less<>> children;

  const Node* Child(std::string_view name) const {
    auto it = children.find(name);
    return it == children.end() ? nullptr : &it->second;
  }
};

// Names nested deeper than any model goes are ignored like unknown ones.
void Insert(Node& root, std::string_view name, const std::string& value) {
  if (std::count(name.begin(), name.end(), '.') > kMaxDepth) return;
  Node* node = &root;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const std::string_view segment = name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    node = &node->children[std::string(segment)];
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!node->value) node->value = value;
}

// Positive decimal index ("1", "12"); nullopt otherwise.
std::optional<size_t> Index(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return std::nullopt;
  size_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  return v;
}

// Children of `node` keyed by positive integers, in numeric order.
std::vector<const Node*> Indexed(const Node& node) {
  std::vector<std::pair<size_t, const Node*>> items;
  for (const auto& [key, child] : node.children) {
    if (auto i = Index(key)) items.emplace_back(*i, &child);
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Node*> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.second);
  return out;
}

Result<Json> ParseInteger(const std::string& text, ShapeType type) {
  if (text.empty()) return MalformedInput("missing value for decimal type");
  std::string_view digits = text;
  bool negative = false;
  if (digits[0] == '+' || digits[0] == '-') {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return MalformedInput();
  uint64_t magnitude = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return MalformedInput();
    if (magnitude > (std::numeric_limits<uint64_t>::max() - 9) / 10) return MalformedInput();
    magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  }
  const uint64_t limit = type == ShapeType::kInteger ? uint64_t{std::numeric_limits<int32_t>::max()}
                                                     : uint64_t{std::numeric_limits<int64_t>::max()};
  if (magnitude > limit + (negative ? 1 : 0)) return MalformedInput();
  if (negative) {
    if (magnitude == limit + 1) return Json(type == ShapeType::kInteger ? int64_t{std::numeric_limits<int32_t>::min()}
                                                                         : std::numeric_limits<int64_t>::min());
    return Json(-static_cast<int64_t>(magnitude));
  }
  return Json(static_cast<int64_t>(magnitude));
}

Result<Json> ParseScalar(const Shape& shape, const std::string& text) {
  switch (shape.type) {
    case ShapeType::kString:
    case ShapeType::kBlob:
      return Json(text);
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return ParseInteger(text, shape.type);
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      if (text.empty()) return MalformedInput("missing value for decimal type");
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !std::isfinite(d)) return MalformedInput();
      return Json(d);
    }
    case ShapeType::kBoolean: {
      std::string lower = text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") return Json(true);
      if (lower == "false") return Json(false);
      return MalformedInput();
    }
    case ShapeType::kTimestamp: {
      if (auto t = ParseIso8601(text)) return Json(*t);
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(d)) return Json(d);
      return MalformedInput();
    }
    default:
      return MalformedInput();
  }
}

// Decodes the value rooted at `node` for `ref`; nullopt when absent.
Result<std::optional<Json>> Decode(const MemberRef& ref, const Node& node, int depth);

Result<std::optional<Json>> DecodeStructure(const Shape& shape, const Node& node, int depth) {
  Json object = Json::object();
  for (const MemberRef& m : shape.members) {
    if (!m.location.empty() && m.location != "querystring") continue;
    const Node* child = node.Child(m.WireName());
    if (child == nullptr) continue;
    GEE_ASSIGN_OR_RETURN(std::optional<Json> value, Decode(m, *child, depth + 1));
    if (value) object[m.name] = std::move(*value);
  }
  if (object.empty() && !node.value && node.children.empty()) return std::optional<Json>();
  return std::optional<Json>(std::move(object));
}

Result<std::optional<Json>> Decode(const MemberRef& ref, const Node& node, int depth) {
  const Shape& shape = *ref.shape;
  if (depth > kMaxDepth) return std::optional<Json>();
  switch (shape.type) {
    case ShapeType::kStructure:
      if (node.children.empty()) return std::optional<Json>();
      return DecodeStructure(shape, node, depth);
    case ShapeType::kList: {
      if (node.children.empty()) {
        // "Name=" is how the SDKs send an empty list.
        if (node.value && node.value->empty()) return std::optional<Json>(Json::array());
        return std::optional<Json>();
      }
      const bool flattened = ref.flattened || shape.flattened;
      const Node* items = flattened ? &node : node.Child(shape.member.location_name.empty()
                                                             ? std::string_view("member")
                                                             : std::string_view(shape.member.location_name));
      Json list = Json::array();
      if (items == nullptr) return std::optional<Json>();
      for (const Node* item : Indexed(*items)) {
        GEE_ASSIGN_OR_RETURN(std::optional<Json> value, Decode(shape.member, *item, depth + 1));
        if (value) list.push_back(std::move(*value));
      }
      return std::optional<Json>(std::move(list));
    }
    case ShapeType::kMap: {
      const bool flattened = ref.flattened || shape.flattened;
      const Node* entries = flattened ? &node : node.Child("entry");
      if (entries == nullptr) return std::optional<Json>();
      const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      Json map = Json::object();
      for (const Node* entry : Indexed(*entries)) {
        const Node* key = entry->Child(key_name);
        if (key == nullptr || !key->value) continue;
        const Node* value_node = entry->Child(value_name);
        if (value_node == nullptr) continue;
        GEE_ASSIGN_OR_RETURN(std::optional<Json> value, Decode(shape.value, *value_node, depth + 1));
        if (value && !map.contains(*key->value)) map[*key->value] = std::move(*value);
      }
      return std::optional<Json>(std::move(map));
    }
    default: {
      if (!node.value) return std::optional<Json>();
      GEE_ASSIGN_OR_RETURN(Json value, ParseScalar(shape, *node.value));
      return std::optional<Json>(std::move(value));
    }
  }
}

// ---- XML output ----

// Output member order where AWS's documented/recorded order differs from the
// model's. Members not listed follow in model order.
struct OrderOverrideEntry {
  std::string_view service;
  std::string_view shape;
  std::array<std::string_view, 4> names;  // empty names end the list
};

const OrderOverrideEntry* OrderOverride(std::string_view service, std::string_view shape) {
  static constexpr OrderOverrideEntry kOverrides[] = {
      // Recorded from STS and shown in the API reference sample.
      {"sts", "GetCallerIdentityResponse", {"Arn", "UserId", "Account"}},
      // API reference sample order; STS recorded AssumedRoleUser before Credentials.
      {"sts", "AssumeRoleResponse", {"SourceIdentity", "AssumedRoleUser", "Credentials", "PackedPolicySize"}},
  };
  for (const OrderOverrideEntry& entry : kOverrides) {
    if (entry.service == service && entry.shape == shape) return &entry;
  }
  return nullptr;
}

std::string ScalarText(const Shape& shape, const Json& v) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
      break;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
      if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
      if (v.is_number()) return std::to_string(static_cast<int64_t>(std::floor(v.get<double>())));
      break;
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (v.is_number()) return JavaDoubleString(v.get<double>());
      break;
    case ShapeType::kTimestamp:
      if (v.is_number()) {
        const double t = v.get<double>();
        if (shape.timestamp_format == TimestampFormat::kUnixTimestamp) return JavaDoubleString(t);
        if (shape.timestamp_format == TimestampFormat::kRfc822) return FormatRfc822(t);
        return FormatIso8601(t);
      }
      break;
    default:
      break;
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void WriteValue(XmlStreamWriter& out, std::string_view name, const MemberRef& ref, const Json& v,
                std::string_view service, int depth);

void WriteMembers(XmlStreamWriter& out, const Shape& shape, const Json& v, std::string_view service,
                  int depth) {
  if (!v.is_object()) return;
  auto write = [&](const MemberRef& m) {
    if (!m.location.empty()) return;  // headers/status are not in the body
    auto it = v.find(m.name);
    if (it == v.end() || it->is_null()) return;
    WriteValue(out, m.WireName(), m, *it, service, depth + 1);
  };
  const OrderOverrideEntry* order = OrderOverride(service, shape.name);
  if (order == nullptr) {
    for (const MemberRef& m : shape.members) write(m);
    return;
  }
  std::array<const MemberRef*, std::tuple_size_v<decltype(order->names)>> first{};
  size_t listed = 0;
  for (std::string_view n : order->names) {
    if (n.empty()) break;
    if (const MemberRef* m = shape.FindMember(n)) first[listed++] = m;
  }
  for (size_t i = 0; i < listed; ++i) write(*first[i]);
  for (const MemberRef& m : shape.members) {
    if (std::find(first.begin(), first.begin() + listed, &m) == first.begin() + listed) write(m);
  }
}

void WriteValue(XmlStreamWriter& out, std::string_view name, const MemberRef& ref, const Json& v,
                std::string_view service, int depth) {
  if (depth > kMaxDepth || v.is_null()) return;
  const Shape& shape = *ref.shape;
  switch (shape.type) {
    case ShapeType::kStructure: {
      out.Open(name);
      WriteMembers(out, shape, v, service, depth);
      out.Close(name);
      return;
    }
    case ShapeType::kList: {
      if (!v.is_array()) return;
      const std::string_view item_name =
          shape.member.location_name.empty() ? std::string_view("member") : shape.member.location_name;
      if (ref.flattened || shape.flattened) {
        const std::string_view flat_name = shape.member.location_name.empty() ? name : item_name;
        for (const Json& item : v) WriteValue(out, flat_name, shape.member, item, service, depth + 1);
        return;
      }
      out.Open(name);
      for (const Json& item : v) WriteValue(out, item_name, shape.member, item, service, depth + 1);
      out.Close(name);
      return;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return;
      const std::string_view key_name =
          shape.key.location_name.empty() ? std::string_view("key") : shape.key.location_name;
      const std::string_view value_name =
          shape.value.location_name.empty() ? std::string_view("value") : shape.value.location_name;
      const bool flattened = ref.flattened || shape.flattened;
      const std::string_view entry_name = flattened ? name : std::string_view("entry");
      if (!flattened) out.Open(name);
      for (auto it = v.begin(); it != v.end(); ++it) {
        out.Open(entry_name);
        out.Element(key_name, it.key());
        WriteValue(out, value_name, shape.value, it.value(), service, depth + 1);
        out.Close(entry_name);
      }
      if (!flattened) out.Close(name);
      return;
    }
    default:
      // Strings go out as given, whatever the shape (as ScalarText would).
      if (v.is_string()) return out.Element(name, v.get_ref<const std::string&>());
      out.Element(name, ScalarText(shape, v));
      return;
  }
}

std::vector<std::pair<std::string, std::string>> Headers(std::string_view request_id) {
  return {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", std::string(request_id)}};
}

Result<Json> DecodeInputUnguarded(const Shape& shape, const FormParams& params) {
  Node root;
  for (const auto& [name, value] : params.pairs()) {
    if (name == "Action" || name == "Version") continue;
    Insert(root, name, value);
  }
  Json input = Json::object();
  for (const MemberRef& m : shape.members) {
    const Node* child = root.Child(m.WireName());
    if (child == nullptr) continue;
    GEE_ASSIGN_OR_RETURN(std::optional<Json> value, Decode(m, *child, 1));
    if (value) input[m.name] = std::move(*value);
  }
  return input;
}

}  // namespace

Result<Json> DecodeQueryInput(const Shape& shape, const FormParams& params) {
  try {
    return DecodeInputUnguarded(shape, params);
  } catch (const std::exception&) {
    return MalformedInput();  // defensive: values go through checked parsers
  }
}

Result<QueryRequest> DecodeQueryRequest(const ServiceModel& model, const FormParams& params) {
  std::optional<std::string_view> action = params.First("Action");
  if (!action) {
    AwsError redirect("MissingAction", "", 302);
    redirect.sender_fault = true;
    redirect.With("Location", kMissingActionLocation);
    return redirect;
  }
  std::optional<std::string_view> version = params.First("Version");
  if (!version) return InvalidAction(*action, "NO_VERSION_SPECIFIED");
  if (*version != model.api_version()) return InvalidAction(*action, *version);
  const Operation* operation = model.FindOperation(*action);
  if (operation == nullptr) return InvalidAction(*action, *version);
  QueryRequest request;
  request.operation = operation;
  if (operation->input.shape != nullptr) {
    GEE_ASSIGN_OR_RETURN(request.input, DecodeQueryInput(*operation->input.shape, params));
  }
  return request;
}

namespace {

// `prefix` + `suffix` ("GetCallerIdentity" + "Response"), kept on the stack
// when it fits: every Query response names its root and result this way.
class JoinedName {
 public:
  JoinedName(std::string_view prefix, std::string_view suffix) {
    if (prefix.size() + suffix.size() <= sizeof small_) {
      std::copy(prefix.begin(), prefix.end(), small_);
      std::copy(suffix.begin(), suffix.end(), small_ + prefix.size());
      view_ = std::string_view(small_, prefix.size() + suffix.size());
    } else {
      large_.reserve(prefix.size() + suffix.size());
      large_.append(prefix).append(suffix);
      view_ = large_;
    }
  }
  JoinedName(const JoinedName&) = delete;
  JoinedName& operator=(const JoinedName&) = delete;

  std::string_view view() const { return view_; }

 private:
  char small_[96];
  std::string large_;
  std::string_view view_;
};

}  // namespace

// Unguarded encoder; EncodeQueryResponse below adds the exception boundary.
static std::string EncodeResponseUnguarded(const ServiceModel& model, const Operation& operation,
                                           const Json& output, std::string_view request_id) {
  XmlStreamWriter out;
  const JoinedName root(operation.name, "Response");
  const std::string_view root_name = root.view();
  out.Open(root_name);
  out.Attribute("xmlns", model.xml_namespace());
  if (operation.output.shape != nullptr) {
    const JoinedName default_wrapper(operation.name, "Result");
    const std::string_view wrapper = operation.output.result_wrapper.empty()
                                         ? default_wrapper.view()
                                         : std::string_view(operation.output.result_wrapper);
    out.Open(wrapper);
    if (output.is_object()) WriteMembers(out, *operation.output.shape, output, model.service(), 0);
    out.Close(wrapper);
  }
  out.Open("ResponseMetadata");
  out.Element("RequestId", request_id);
  out.Close("ResponseMetadata");
  out.Close(root_name);
  return std::move(out).Take();
}

std::string EncodeQueryResponse(const ServiceModel& model, const Operation& operation, const Json& output,
                                std::string_view request_id) {
  try {
    return EncodeResponseUnguarded(model, operation, output, request_id);
  } catch (const std::exception&) {
    // Defensive: the writer checks types first. Answer without the members.
    return EncodeResponseUnguarded(model, operation, Json::object(), request_id);
  }
}

WireReply RenderQueryResponse(const ServiceModel& model, const Operation& operation, const Json& output,
                              std::string_view request_id) {
  WireReply reply;
  reply.status = 200;
  reply.headers = Headers(request_id);
  reply.body = EncodeQueryResponse(model, operation, output, request_id);
  return reply;
}

WireReply RenderQueryError(const ServiceModel& model, const AwsError& error, std::string_view request_id) {
  WireReply reply;
  reply.status = error.http_status;
  if (error.http_status >= 300 && error.http_status < 400) {
    for (const auto& [name, value] : error.extra) {
      if (name == "Location") reply.headers.emplace_back("Location", value);
    }
    reply.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
    return reply;
  }
  reply.headers = Headers(request_id);
  const bool framework_error = error.code == "InvalidAction" || error.code == "MissingAction";
  XmlStreamWriter out;
  out.Open("ErrorResponse");
  out.Attribute("xmlns", framework_error ? std::string_view(kAwsFaultNamespace) : model.xml_namespace());
  out.Open("Error");
  out.Element("Type", error.sender_fault ? "Sender" : "Receiver");
  out.Element("Code", error.code);
  if (!error.message.empty()) out.Element("Message", error.message);
  out.Close("Error");
  out.Element("RequestId", request_id);
  out.Close("ErrorResponse");
  reply.body = std::move(out).Take();
  return reply;
}

}  // namespace gee::protocol

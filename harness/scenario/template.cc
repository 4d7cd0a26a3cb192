#include "harness/scenario/template.h"

#include <charconv>
#include <functional>

#include "crypto/encoding.h"

namespace gee::scenario {
namespace {

using nlohmann::json;

AwsError TemplateError(std::string message) {
  return AwsError("ScenarioTemplateError", std::move(message), 0);
}

// One piece of a template string: literal text, or a reference.
struct Piece {
  bool is_reference = false;
  std::string literal;
  Reference reference;
};

Reference ParseReference(std::string_view content) {
  Reference ref;
  ref.text = std::string(content);
  auto colon = content.find(':');
  std::string_view rest = content;
  if (colon != std::string_view::npos) {
    ref.prefix = std::string(content.substr(0, colon));
    rest = content.substr(colon + 1);
  }
  if (ref.prefix == "base64" || ref.prefix == "policy") {
    ref.name = std::string(rest);
    return ref;
  }
  auto dot = rest.find('.');
  ref.name = std::string(rest.substr(0, dot));
  if (dot != std::string_view::npos) ref.member = std::string(rest.substr(dot + 1));
  return ref;
}

// True for ${...} contents gee leaves alone (IAM policy variables and escapes).
bool IsForeign(std::string_view content) {
  if (content == "*" || content == "?" || content == "$") return true;
  auto colon = content.find(':');
  return colon != std::string_view::npos && !IsOwnPrefix(content.substr(0, colon));
}

Result<std::vector<Piece>> Split(std::string_view text) {
  std::vector<Piece> pieces;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return TemplateError("unterminated \"${\" in \"" + std::string(text) + "\"");
      }
      std::string_view content = text.substr(i + 2, close - i - 2);
      if (IsForeign(content)) {
        literal.append(text.substr(i, close + 1 - i));
      } else {
        if (content.empty()) return TemplateError("empty \"${}\" in \"" + std::string(text) + "\"");
        if (!literal.empty()) {
          pieces.push_back(Piece{false, std::move(literal), {}});
          literal.clear();
        }
        pieces.push_back(Piece{true, "", ParseReference(content)});
      }
      i = close + 1;
      continue;
    }
    literal.push_back(text[i]);
    ++i;
  }
  if (!literal.empty() || pieces.empty()) pieces.push_back(Piece{false, std::move(literal), {}});
  return pieces;
}

Result<json> ResolveOne(const Reference& ref, const Resolver& resolver) {
  if (ref.prefix == "base64") return json(crypto::Base64Encode(ref.name));
  return resolver.Resolve(ref);
}

Result<json> SubstituteString(const std::string& text, const Resolver& resolver) {
  GEE_ASSIGN_OR_RETURN(std::vector<Piece> pieces, Split(text));
  if (pieces.size() == 1 && pieces[0].is_reference) return ResolveOne(pieces[0].reference, resolver);
  std::string out;
  for (const Piece& p : pieces) {
    if (!p.is_reference) {
      out += p.literal;
      continue;
    }
    GEE_ASSIGN_OR_RETURN(json value, ResolveOne(p.reference, resolver));
    if (value.is_string()) {
      out += value.get<std::string>();
    } else if (value.is_number() || value.is_boolean()) {
      out += value.dump();
    } else {
      return TemplateError("${" + p.reference.text + "} is " +
                           (value.is_null() ? std::string("null") : std::string("an object or array")) +
                           " and cannot be part of the text \"" + text + "\"");
    }
  }
  return json(std::move(out));
}

Status Collect(const json& value, std::vector<Reference>& out, int depth) {
  if (depth > 64) return TemplateError("value nested too deeply");
  auto scan = [&](const std::string& text) -> Status {
    GEE_ASSIGN_OR_RETURN(std::vector<Piece> pieces, Split(text));
    for (Piece& p : pieces) {
      if (p.is_reference) out.push_back(std::move(p.reference));
    }
    return OkStatus();
  };
  if (value.is_string()) return scan(value.get_ref<const std::string&>());
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      GEE_RETURN_IF_ERROR(scan(k));
      GEE_RETURN_IF_ERROR(Collect(v, out, depth + 1));
    }
  } else if (value.is_array()) {
    for (const auto& v : value) GEE_RETURN_IF_ERROR(Collect(v, out, depth + 1));
  }
  return OkStatus();
}

Result<json> SubstituteRec(const json& value, const Resolver& resolver, int depth) {
  if (depth > 64) return TemplateError("value nested too deeply");
  if (value.is_string()) return SubstituteString(value.get_ref<const std::string&>(), resolver);
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) {
      GEE_ASSIGN_OR_RETURN(std::string key, SubstituteText(k, resolver));
      GEE_ASSIGN_OR_RETURN(out[key], SubstituteRec(v, resolver, depth + 1));
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) {
      GEE_ASSIGN_OR_RETURN(json item, SubstituteRec(v, resolver, depth + 1));
      out.push_back(std::move(item));
    }
    return out;
  }
  return value;
}

}  // namespace

bool IsOwnPrefix(std::string_view prefix) {
  return prefix == "key" || prefix == "user" || prefix == "role" || prefix == "session" ||
         prefix == "base64" || prefix == "policy";
}

Result<json> Substitute(const json& value, const Resolver& resolver) {
  return SubstituteRec(value, resolver, 0);
}

Result<std::string> SubstituteText(std::string_view text, const Resolver& resolver) {
  GEE_ASSIGN_OR_RETURN(json value, SubstituteString(std::string(text), resolver));
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return TemplateError("\"" + std::string(text) + "\" must resolve to text");
}

Result<std::vector<Reference>> FindReferences(const json& value) {
  std::vector<Reference> out;
  GEE_RETURN_IF_ERROR(Collect(value, out, 0));
  return out;
}

const json* MemberAt(const json& value, std::string_view dotted_path) {
  const json* current = &value;
  while (!dotted_path.empty()) {
    auto dot = dotted_path.find('.');
    std::string_view part = dotted_path.substr(0, dot);
    dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
    if (current->is_object()) {
      auto it = current->find(std::string(part));
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || ptr != part.data() + part.size() || index >= current->size()) {
        return nullptr;
      }
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

}  // namespace gee::scenario

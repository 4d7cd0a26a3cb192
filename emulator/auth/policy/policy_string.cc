#include "auth/policy/policy_string.h"

#include <algorithm>
#include <cctype>

namespace gee::policy {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A condition key name: "vendor:name" made of the characters AWS keys use.
bool IsKeyName(std::string_view key) {
  if (key.empty() || key.find(':') == std::string_view::npos) return false;
  return std::all_of(key.begin(), key.end(), [](unsigned char c) {
    return std::isalnum(c) || c == ':' || c == '/' || c == '-' || c == '_' || c == '.' ||
           c == '@' || c == '+' || c == '=';
  });
}

}  // namespace

PolicyString PolicyString::Compile(std::string_view text, bool variables_enabled) {
  PolicyString ps;
  ps.text_ = std::string(text);
  auto append_text = [&ps](std::string_view t) {
    if (t.empty()) return;
    if (!ps.tokens_.empty() && ps.tokens_.back().kind == Token::Kind::kText) {
      ps.tokens_.back().text.append(t);
    } else {
      Token tok;
      tok.text = std::string(t);
      ps.tokens_.push_back(std::move(tok));
    }
  };

  size_t i = 0;
  while (i < text.size()) {
    size_t start = variables_enabled ? text.find("${", i) : std::string_view::npos;
    if (start == std::string_view::npos) {
      append_text(text.substr(i));
      break;
    }
    append_text(text.substr(i, start - i));
    // Find the closing brace, skipping over a quoted default value.
    size_t j = start + 2;
    bool in_quote = false;
    size_t close = std::string_view::npos;
    for (; j < text.size(); ++j) {
      char c = text[j];
      if (in_quote) {
        if (c == '\'') {
          if (j + 1 < text.size() && text[j + 1] == '\'') {
            ++j;  // doubled quote inside the default
          } else {
            in_quote = false;
          }
        }
      } else if (c == '\'') {
        in_quote = true;
      } else if (c == '}') {
        close = j;
        break;
      }
    }
    Token tok;
    ps.has_variables_ = true;
    if (close == std::string_view::npos) {
      tok.kind = Token::Kind::kMalformed;
      tok.text = std::string(text.substr(start));
      ps.tokens_.push_back(std::move(tok));
      break;
    }
    std::string_view body = text.substr(start + 2, close - start - 2);
    i = close + 1;
    if (body == "*" || body == "?" || body == "$") {
      tok.kind = Token::Kind::kEscape;
      tok.text = std::string(body);
      ps.tokens_.push_back(std::move(tok));
      continue;
    }
    size_t comma = body.find(',');
    std::string_view key = Trim(body.substr(0, comma));
    if (!IsKeyName(key)) {
      tok.kind = Token::Kind::kMalformed;
      tok.text = std::string(body);
      ps.tokens_.push_back(std::move(tok));
      continue;
    }
    tok.kind = Token::Kind::kVariable;
    tok.key = AsciiLower(key);
    if (comma != std::string_view::npos) {
      std::string_view def = Trim(body.substr(comma + 1));
      if (def.size() < 2 || def.front() != '\'' || def.back() != '\'') {
        tok.kind = Token::Kind::kMalformed;
        tok.text = std::string(body);
        ps.tokens_.push_back(std::move(tok));
        continue;
      }
      def = def.substr(1, def.size() - 2);
      std::string value;
      bool malformed = false;
      for (size_t k = 0; k < def.size(); ++k) {
        if (def[k] == '\'') {
          if (k + 1 < def.size() && def[k + 1] == '\'') {
            value.push_back('\'');
            ++k;
          } else {
            malformed = true;
            break;
          }
        } else {
          value.push_back(def[k]);
        }
      }
      if (malformed) {
        tok.kind = Token::Kind::kMalformed;
        tok.text = std::string(body);
        ps.tokens_.push_back(std::move(tok));
        continue;
      }
      tok.default_value = std::move(value);
    }
    ps.tokens_.push_back(std::move(tok));
  }

  if (!ps.has_variables_) ps.static_glob_ = Glob::FromPattern(text);
  return ps;
}

std::optional<std::string> PolicyString::Lookup(const Token& token, const ConditionKeyLookup& keys) {
  const std::vector<std::string>* values = keys.Find(token.key);
  if (values != nullptr && !keys.IsMultiValued(token.key) && values->size() == 1 &&
      !values->front().empty()) {
    return values->front();
  }
  return token.default_value;
}

std::optional<Glob> PolicyString::ResolveGlob(const ConditionKeyLookup& keys) const {
  if (!has_variables_) return static_glob_;
  Glob glob;
  for (const Token& tok : tokens_) {
    switch (tok.kind) {
      case Token::Kind::kText:
        glob.Append(Glob::FromPattern(tok.text));
        break;
      case Token::Kind::kEscape:
        glob.AppendLiteral(tok.text);
        break;
      case Token::Kind::kVariable: {
        std::optional<std::string> value = Lookup(tok, keys);
        if (!value) return std::nullopt;
        glob.AppendLiteral(*value);
        break;
      }
      case Token::Kind::kMalformed:
        return std::nullopt;
    }
  }
  return glob;
}

std::optional<std::string> PolicyString::ResolveText(const ConditionKeyLookup& keys) const {
  if (!has_variables_) return text_;
  std::string out;
  for (const Token& tok : tokens_) {
    switch (tok.kind) {
      case Token::Kind::kText:
      case Token::Kind::kEscape:
        out += tok.text;
        break;
      case Token::Kind::kVariable: {
        std::optional<std::string> value = Lookup(tok, keys);
        if (!value) return std::nullopt;
        out += *value;
        break;
      }
      case Token::Kind::kMalformed:
        return std::nullopt;
    }
  }
  return out;
}

}  // namespace gee::policy

#include "services/glue/partition_expression.h"

#include <cctype>
#include <cstdlib>
#include <optional>

#include "services/glue/catalog_ref.h"
#include "services/glue/errors.h"

namespace gee::glue {

namespace {

enum class TokenKind { kIdent, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  TokenKind kind;
  std::string text;  // identifiers lower-cased; keywords are identifiers
};

bool IsNumericType(const std::string& type) {
  for (std::string_view t : {"tinyint", "smallint", "int", "integer", "bigint", "float", "double",
                             "decimal", "real", "long"}) {
    if (type.rfind(t, 0) == 0) return true;
  }
  return false;
}

Result<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto fail = [&](const std::string& why) {
    return errors::InvalidInput("Unsupported expression: " + why);
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(') {
      out.push_back({TokenKind::kLParen, "("});
      ++i;
    } else if (c == ')') {
      out.push_back({TokenKind::kRParen, ")"});
      ++i;
    } else if (c == ',') {
      out.push_back({TokenKind::kComma, ","});
      ++i;
    } else if (c == '\'') {
      std::string text;
      ++i;
      while (true) {
        if (i >= s.size()) return fail("unterminated string literal");
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            text.push_back('\'');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text.push_back(s[i++]);
      }
      out.push_back({TokenKind::kString, std::move(text)});
    } else if (c == '`') {
      size_t end = s.find('`', i + 1);
      if (end == std::string_view::npos) return fail("unterminated quoted identifier");
      out.push_back({TokenKind::kIdent, FoldName(s.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t start = i++;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      out.push_back({TokenKind::kNumber, std::string(s.substr(start, i - start))});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i++;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      out.push_back({TokenKind::kIdent, FoldName(s.substr(start, i - start))});
    } else if (c == '=' ) {
      out.push_back({TokenKind::kOp, "="});
      ++i;
    } else if (c == '<' || c == '>' || c == '!') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op.push_back(s[++i]);
      ++i;
      if (op == "!") return fail("'!'");
      out.push_back({TokenKind::kOp, op == "!=" ? "<>" : op});
    } else {
      return fail(std::string("unexpected character '") + c + "'");
    }
  }
  out.push_back({TokenKind::kEnd, ""});
  return out;
}

}  // namespace

struct PartitionExpression::Node {
  enum class Kind { kAnd, kOr, kNot, kCompare, kLike, kIn, kBetween };
  Kind kind;
  std::unique_ptr<Node> left, right;
  size_t key = 0;
  std::string op;
  std::vector<std::string> literals;
};

namespace {

using Node = PartitionExpression::Node;

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<PartitionKey>& keys)
      : tokens_(std::move(tokens)), keys_(keys) {}

  Result<std::unique_ptr<Node>> ParseAll() {
    GEE_ASSIGN_OR_RETURN(auto node, Or());
    if (Peek().kind != TokenKind::kEnd) return Fail("unexpected '" + Peek().text + "'");
    return node;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  Token Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool IsKeyword(const char* word) const {
    return Peek().kind == TokenKind::kIdent && Peek().text == word;
  }
  AwsError Fail(const std::string& why) const {
    return errors::InvalidInput("Unsupported expression: " + why);
  }

  Result<std::unique_ptr<Node>> Or() {
    GEE_ASSIGN_OR_RETURN(auto left, And());
    while (IsKeyword("or")) {
      Next();
      GEE_ASSIGN_OR_RETURN(auto right, And());
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::kOr;
      n->left = std::move(left);
      n->right = std::move(right);
      left = std::move(n);
    }
    return left;
  }

  Result<std::unique_ptr<Node>> And() {
    GEE_ASSIGN_OR_RETURN(auto left, Not());
    while (IsKeyword("and")) {
      Next();
      GEE_ASSIGN_OR_RETURN(auto right, Not());
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::kAnd;
      n->left = std::move(left);
      n->right = std::move(right);
      left = std::move(n);
    }
    return left;
  }

  Result<std::unique_ptr<Node>> Not() {
    if (IsKeyword("not")) {
      Next();
      GEE_ASSIGN_OR_RETURN(auto inner, Not());
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::kNot;
      n->left = std::move(inner);
      return n;
    }
    return Primary();
  }

  Result<std::string> Literal() {
    Token t = Next();
    if (t.kind != TokenKind::kString && t.kind != TokenKind::kNumber) {
      return Fail("expected a literal, found '" + t.text + "'");
    }
    return t.text;
  }

  Result<std::unique_ptr<Node>> Primary() {
    if (Peek().kind == TokenKind::kLParen) {
      Next();
      GEE_ASSIGN_OR_RETURN(auto inner, Or());
      if (Next().kind != TokenKind::kRParen) return Fail("missing ')'");
      return inner;
    }
    Token ident = Next();
    if (ident.kind != TokenKind::kIdent) return Fail("expected a partition key");
    size_t key = keys_.size();
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i].name == ident.text) key = i;
    }
    if (key == keys_.size()) return Fail("unknown partition key " + ident.text);
    auto n = std::make_unique<Node>();
    n->key = key;
    bool negate = false;
    if (IsKeyword("not")) {
      Next();
      negate = true;
    }
    if (IsKeyword("like")) {
      Next();
      n->kind = Node::Kind::kLike;
      GEE_ASSIGN_OR_RETURN(std::string lit, Literal());
      n->literals.push_back(std::move(lit));
    } else if (IsKeyword("in")) {
      Next();
      n->kind = Node::Kind::kIn;
      if (Next().kind != TokenKind::kLParen) return Fail("expected '(' after IN");
      while (true) {
        GEE_ASSIGN_OR_RETURN(std::string lit, Literal());
        n->literals.push_back(std::move(lit));
        Token t = Next();
        if (t.kind == TokenKind::kRParen) break;
        if (t.kind != TokenKind::kComma) return Fail("expected ',' or ')' in IN list");
      }
    } else if (IsKeyword("between")) {
      Next();
      n->kind = Node::Kind::kBetween;
      GEE_ASSIGN_OR_RETURN(std::string low, Literal());
      if (!IsKeyword("and")) return Fail("expected AND in BETWEEN");
      Next();
      GEE_ASSIGN_OR_RETURN(std::string high, Literal());
      n->literals = {std::move(low), std::move(high)};
    } else if (!negate && Peek().kind == TokenKind::kOp) {
      n->kind = Node::Kind::kCompare;
      n->op = Next().text;
      GEE_ASSIGN_OR_RETURN(std::string lit, Literal());
      n->literals.push_back(std::move(lit));
    } else {
      return Fail("expected an operator after " + ident.text);
    }
    if (negate) {
      auto outer = std::make_unique<Node>();
      outer->kind = Node::Kind::kNot;
      outer->left = std::move(n);
      return outer;
    }
    return n;
  }

  std::vector<Token> tokens_;
  const std::vector<PartitionKey>& keys_;
  size_t pos_ = 0;
};

// -1, 0, 1 comparing a partition value with a literal by the key's type.
int Compare(const std::string& value, const std::string& literal, bool numeric) {
  if (numeric) {
    char* end_v = nullptr;
    char* end_l = nullptr;
    double v = std::strtod(value.c_str(), &end_v);
    double l = std::strtod(literal.c_str(), &end_l);
    if (*end_v == '\0' && *end_l == '\0' && !value.empty() && !literal.empty()) {
      return v < l ? -1 : (v > l ? 1 : 0);
    }
  }
  int c = value.compare(literal);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// SQL LIKE with % (any run) and _ (one character); greedy with backtracking
// to the last %, O(|value| * |pattern|) at worst.
bool Like(std::string_view value, std::string_view pattern) {
  size_t v = 0, p = 0;
  size_t star = std::string_view::npos, mark = 0;
  while (v < value.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == value[v])) {
      ++v;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

bool Eval(const Node& n, const std::vector<PartitionKey>& keys,
          const std::vector<std::string>& values) {
  switch (n.kind) {
    case Node::Kind::kAnd:
      return Eval(*n.left, keys, values) && Eval(*n.right, keys, values);
    case Node::Kind::kOr:
      return Eval(*n.left, keys, values) || Eval(*n.right, keys, values);
    case Node::Kind::kNot:
      return !Eval(*n.left, keys, values);
    default:
      break;
  }
  if (n.key >= values.size()) return false;
  const std::string& v = values[n.key];
  const bool numeric = IsNumericType(keys[n.key].type);
  switch (n.kind) {
    case Node::Kind::kCompare: {
      int c = Compare(v, n.literals[0], numeric);
      if (n.op == "=") return c == 0;
      if (n.op == "<>") return c != 0;
      if (n.op == "<") return c < 0;
      if (n.op == "<=") return c <= 0;
      if (n.op == ">") return c > 0;
      if (n.op == ">=") return c >= 0;
      return false;
    }
    case Node::Kind::kLike:
      return Like(v, n.literals[0]);
    case Node::Kind::kIn:
      for (const std::string& l : n.literals) {
        if (Compare(v, l, numeric) == 0) return true;
      }
      return false;
    case Node::Kind::kBetween:
      return Compare(v, n.literals[0], numeric) >= 0 && Compare(v, n.literals[1], numeric) <= 0;
    default:
      return false;
  }
}

}  // namespace

PartitionExpression::~PartitionExpression() = default;

Result<std::shared_ptr<const PartitionExpression>> PartitionExpression::Parse(
    std::string_view text, const std::vector<PartitionKey>& keys) {
  GEE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  std::shared_ptr<PartitionExpression> e(new PartitionExpression());
  e->keys_ = keys;
  Parser parser(std::move(tokens), e->keys_);
  GEE_ASSIGN_OR_RETURN(e->root_, parser.ParseAll());
  return std::shared_ptr<const PartitionExpression>(std::move(e));
}

bool PartitionExpression::Matches(const std::vector<std::string>& values) const {
  return Eval(*root_, keys_, values);
}

}  // namespace gee::glue

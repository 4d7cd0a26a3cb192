#include "harness/scenario/located_json.h"

#include <iterator>
#include <set>
#include <vector>

namespace gee::scenario {

std::string Diagnostic::ToString() const {
  if (line > 0) return file + ":" + std::to_string(line) + ": " + message;
  return file + ": " + message;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// Where the SAX parse is in the text.
struct Cursor {
  int line = 1;
  // Line of the last character read that is not blank.
  int token_line = 1;
};

// A forward iterator over the text that keeps `Cursor` up to date as
// nlohmann's input adapter consumes characters.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* p, Cursor* cursor) : p_(p), cursor_(cursor) {}

  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    char c = *p_;
    if (c == '\n') {
      ++cursor_->line;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      cursor_->token_line = cursor_->line;
    }
    ++p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator copy = *this;
    ++*this;
    return copy;
  }
  bool operator==(const CountingIterator& other) const { return p_ == other.p_; }
  bool operator!=(const CountingIterator& other) const { return p_ != other.p_; }

 private:
  const char* p_ = nullptr;
  Cursor* cursor_ = nullptr;
};

using Json = nlohmann::json;

// Records the line of every element, keyed by JSON pointer.
class LineRecorder {
 public:
  LineRecorder(const Cursor* cursor, std::map<std::string, int, std::less<>>* lines)
      : cursor_(cursor), lines_(lines) {}

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(Json::number_integer_t) { return Value(); }
  bool number_unsigned(Json::number_unsigned_t) { return Value(); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return Value(); }
  bool string(Json::string_t&) { return Value(); }
  bool binary(Json::binary_t&) { return Value(); }
  bool start_object(std::size_t) { return Open(false); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(true); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& name) {
    Frame& top = frames_.back();
    if (!top.keys.insert(name).second) {
      duplicate_ = name;
      duplicate_line_ = cursor_->token_line;
      return false;
    }
    top.key = name;
    key_line_ = cursor_->token_line;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_position_ = position;
    error_message_ = e.what();
    return false;
  }

  const std::string& duplicate() const { return duplicate_; }
  int duplicate_line() const { return duplicate_line_; }
  size_t error_position() const { return error_position_; }
  const std::string& error_message() const { return error_message_; }

 private:
  struct Frame {
    bool array = false;
    size_t index = 0;
    std::string key;
    std::set<std::string> keys;
    std::string pointer;
  };

  // The pointer and line of the element that starts now.
  std::string Place(int* line) {
    if (frames_.empty()) {
      *line = cursor_->token_line;
      return "";
    }
    Frame& top = frames_.back();
    if (top.array) {
      *line = cursor_->token_line;
      return top.pointer + "/" + std::to_string(top.index++);
    }
    *line = key_line_;
    return top.pointer + "/" + EscapePointerToken(top.key);
  }
  bool Value() {
    int line = 0;
    std::string pointer = Place(&line);
    (*lines_)[pointer] = line;
    return true;
  }
  bool Open(bool array) {
    int line = 0;
    std::string pointer = Place(&line);
    (*lines_)[pointer] = line;
    Frame frame;
    frame.array = array;
    frame.pointer = std::move(pointer);
    frames_.push_back(std::move(frame));
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }

  const Cursor* cursor_;
  std::map<std::string, int, std::less<>>* lines_;
  std::vector<Frame> frames_;
  int key_line_ = 1;
  std::string duplicate_;
  int duplicate_line_ = 0;
  size_t error_position_ = 0;
  std::string error_message_;
};

// Line (1-based) of byte offset `offset` of `text`.
int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

// nlohmann's parse-error text without its "[json.exception.parse_error.101] "
// prefix and position, e.g. "syntax error while parsing object - unexpected '}'".
std::string CleanParseMessage(const std::string& what) {
  std::string msg = what;
  auto bracket = msg.find("] ");
  if (bracket != std::string::npos) msg = msg.substr(bracket + 2);
  auto colon = msg.find(": ");
  if (msg.rfind("parse error", 0) == 0 && colon != std::string::npos) msg = msg.substr(colon + 2);
  return msg;
}

}  // namespace

Result<LocatedJson> LocatedJson::Parse(std::string_view text, std::string file, Diagnostic* error) {
  LocatedJson out;
  out.file_ = std::move(file);
  Cursor cursor;
  LineRecorder recorder(&cursor, &out.lines_);
  CountingIterator begin(text.data(), &cursor);
  CountingIterator end(text.data() + text.size(), &cursor);
  bool ok = false;
  try {
    ok = Json::sax_parse(begin, end, &recorder, nlohmann::json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/true);
  } catch (const std::exception& e) {
    ok = false;
  }
  if (!ok) {
    Diagnostic d;
    d.file = out.file_;
    if (!recorder.duplicate().empty()) {
      d.line = recorder.duplicate_line();
      d.message = "duplicate member \"" + recorder.duplicate() + "\"";
    } else {
      size_t position = recorder.error_position();
      d.line = LineAt(text, position > 0 ? position - 1 : 0);
      d.message = recorder.error_message().empty() ? "not valid JSON"
                                                   : CleanParseMessage(recorder.error_message());
    }
    if (error != nullptr) *error = d;
    return AwsError("ScenarioSyntaxError", d.ToString(), 0);
  }
  out.root_ = Json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (out.root_.is_discarded()) {
    Diagnostic d{out.file_, 0, "not valid JSON"};
    if (error != nullptr) *error = d;
    return AwsError("ScenarioSyntaxError", d.ToString(), 0);
  }
  return out;
}

int LocatedJson::LineOf(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    auto it = lines_.find(p);
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 1;
    auto slash = p.rfind('/');
    p = slash == std::string::npos ? "" : p.substr(0, slash);
  }
}

}  // namespace gee::scenario

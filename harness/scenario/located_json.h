// JSON with comments, parsed with the line of every element recorded, so a
// scenario loader can say "scenarios/x.jsonc:42: ..." about any element.
//
// nlohmann::json does not keep positions, so the text is parsed twice: once
// into a DOM (comments ignored), once through nlohmann's SAX interface fed by
// an iterator that counts lines. Each SAX event fires right after its token
// was read, so the line of the last non-blank character read is the line of
// the element. Lines are keyed by RFC 6901 JSON pointer ("/steps/3/expect");
// an object member is located at its key.
//
// Comments: `// ...` to the end of the line and `/* ... */`. Duplicate member
// names in one object are an error (a scenario must not say two things).
//
// Thread-safety: immutable after Parse.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::scenario {

// A problem in a scenario or fixture file, located at a line (0 = the file).
struct Diagnostic {
  std::string file;
  int line = 0;
  std::string message;

  // "file:line: message" (or "file: message" without a line).
  std::string ToString() const;
};

class LocatedJson {
 public:
  LocatedJson() = default;

  // Parses `text` (the contents of `file`). On a syntax error returns the
  // diagnostic with the line of the error.
  static Result<LocatedJson> Parse(std::string_view text, std::string file, Diagnostic* error);

  const nlohmann::json& root() const { return root_; }
  const std::string& file() const { return file_; }
  // Line of the element at `pointer`, or of its nearest recorded ancestor
  // (1 for the root).
  int LineOf(std::string_view pointer) const;
  // Number of elements with a recorded line (tests).
  size_t located_count() const { return lines_.size(); }

 private:
  nlohmann::json root_;
  std::string file_;
  std::map<std::string, int, std::less<>> lines_;
};

// RFC 6901 escaping of one reference token ("a/b" → "a~1b").
std::string EscapePointerToken(std::string_view token);

}  // namespace gee::scenario

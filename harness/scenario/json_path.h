// The small JSON-path dialect of scenario assertions and "save":
//
//   $                       the whole output
//   $.Name  $.a.b           object members (letters, digits, '_', '-', ':')
//   $['aws:s3:arn']         a member with any characters (single or double quotes)
//   $.list[0]  $.list[-1]   array elements (negative counts from the end)
//   $.list[*]  $.map.*      every element / every member value
//
// A path with a wildcard selects several values; an assertion on it passes
// when ANY selected value satisfies it (and "exists": false when none is
// selected), which is how scenarios say "some log group has this key".
//
// Thread-safety: a JsonPath is immutable after Parse.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::scenario {

class JsonPath {
 public:
  // Parses `text`; fails with a message naming the offending position.
  static Result<JsonPath> Parse(std::string_view text);

  // The values selected in `root` (empty when the path does not exist).
  std::vector<const nlohmann::json*> Select(const nlohmann::json& root) const;
  // True when the path has a wildcard (may select several values).
  bool has_wildcard() const { return has_wildcard_; }
  const std::string& text() const { return text_; }

 private:
  struct Segment {
    enum Kind { kMember, kIndex, kWildcard } kind = kMember;
    std::string name;
    long index = 0;
  };
  std::string text_;
  std::vector<Segment> segments_;
  bool has_wildcard_ = false;
};

}  // namespace gee::scenario

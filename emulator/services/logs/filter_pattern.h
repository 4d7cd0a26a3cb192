// The subset of CloudWatch Logs filter-pattern syntax gee evaluates for
// FilterLogEvents (unstructured-text matching):
//
//   (empty or blank)      matches every event
//   ERROR                 events containing the term ERROR
//   ERROR Exception       events containing both terms (AND)
//   "Internal Error"      events containing the exact phrase (quoted; \" and
//                         \\ escape a quote and a backslash inside)
//   ?ERROR ?WARN          events containing at least one of the ?-terms (OR)
//   ERROR -Exiting        events containing ERROR but not Exiting
//
// Matching is a case-sensitive substring search over the message, as AWS
// documents for terms. Combined, an event matches when it contains every
// plain term, at least one ?-term (if there are any) and none of the
// -terms.
//
// JSON patterns ({ $.field = ... }), space-delimited patterns ([a, b, ...])
// and regular expressions (%...%) are refused with InvalidParameterException:
// gee would rather fail than return a wrong selection (stricter than AWS,
// which evaluates them). A quoted phrase without its closing quote or a
// prefix without a term is refused the same way.
//
// Thread-safety: an immutable value once parsed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::logs {

class FilterPattern {
 public:
  static Result<FilterPattern> Parse(std::string_view pattern);

  bool Matches(std::string_view message) const;
  bool MatchesEverything() const {
    return required_.empty() && any_of_.empty() && excluded_.empty();
  }

 private:
  FilterPattern() = default;

  std::vector<std::string> required_;
  std::vector<std::string> any_of_;
  std::vector<std::string> excluded_;
};

}  // namespace gee::logs

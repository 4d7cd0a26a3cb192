// The `Expression` filter of GetPartitions: a SQL-like predicate over the
// partition keys (AWS Glue "GetPartitions ... Expression"), e.g.
//   year = '2024' AND month IN ('01', '02') AND NOT (day < 10)
//
// Supported: comparison operators = <> != < <= > >=, LIKE (% and _
// wildcards), IN (...), BETWEEN a AND b, AND, OR, NOT, parentheses; string
// literals in single quotes ('' escapes a quote), numbers, identifiers naming
// partition keys (case-insensitive, optionally in backquotes). A key whose
// type is numeric (tinyint, smallint, int, integer, bigint, float, double,
// decimal, ...) compares as a number, other keys as strings. Anything else is
// rejected with InvalidInputException (Glue rejects malformed expressions
// with InvalidInputException too; its exact texts are not reproduced).
//
// Thread-safety: an Expression is immutable after Parse.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::glue {

struct PartitionKey {
  std::string name;  // lower case
  std::string type;  // Hive type, lower case
};

class PartitionExpression {
 public:
  struct Node;
  // Parses `text` against the table's partition keys.
  static Result<std::shared_ptr<const PartitionExpression>> Parse(
      std::string_view text, const std::vector<PartitionKey>& keys);

  // Whether a partition with `values` (one per key, in key order) matches.
  bool Matches(const std::vector<std::string>& values) const;

  ~PartitionExpression();

 private:
  PartitionExpression() = default;
  std::vector<PartitionKey> keys_;
  std::unique_ptr<Node> root_;
};

}  // namespace gee::glue

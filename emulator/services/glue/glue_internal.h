// Helpers shared by the Glue handler files (not part of the public API).
//
// Thread-safety: free functions without state.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "services/glue/catalog_store.h"

namespace gee::glue::internal {

using Json = nlohmann::json;

// A member of a JSON object as a string ("" or `fallback` when absent or not a string).
std::string Str(const Json& object, std::string_view member, std::string fallback = "");
bool Bool(const Json& object, std::string_view member, bool fallback = false);
int64_t Int(const Json& object, std::string_view member, int64_t fallback);

// One page of a listing.
struct Page {
  Json items = Json::array();
  std::optional<std::string> next_token;
};

// Reads `fetch(after, n)` batches in sort order starting after `start_after`,
// keeps the items `accept` returns (nullopt skips the row), and stops after
// `limit` items; the NextToken then holds the sort key (`key_of`) of the last
// row looked at.
Result<Page> Paginate(
    const std::function<Result<std::vector<StoredObject>>(const std::optional<std::string>&,
                                                          size_t)>& fetch,
    const std::function<std::string(const StoredObject&)>& key_of,
    const std::function<Result<std::optional<Json>>(const StoredObject&)>& accept,
    size_t limit, std::optional<std::string> start_after);

// The NextToken of `input` decoded (nullopt when absent).
Result<std::optional<std::string>> StartAfter(const Json& input);

// "db\x01name": the sort key of rows listed by name across databases.
std::string NameKey(const StoredObject& row);

}  // namespace gee::glue::internal

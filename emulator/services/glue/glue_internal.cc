#include "services/glue/glue_internal.h"

#include "services/glue/glue_service.h"

namespace gee::glue::internal {

std::string Str(const Json& object, std::string_view member, std::string fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(member);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool Bool(const Json& object, std::string_view member, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(member);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

int64_t Int(const Json& object, std::string_view member, int64_t fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(member);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

Result<Page> Paginate(
    const std::function<Result<std::vector<StoredObject>>(const std::optional<std::string>&,
                                                          size_t)>& fetch,
    const std::function<std::string(const StoredObject&)>& key_of,
    const std::function<Result<std::optional<Json>>(const StoredObject&)>& accept,
    size_t limit, std::optional<std::string> start_after) {
  constexpr size_t kBatch = 128;
  Page page;
  std::optional<std::string> after = std::move(start_after);
  while (true) {
    GEE_ASSIGN_OR_RETURN(std::vector<StoredObject> batch, fetch(after, kBatch));
    for (const StoredObject& row : batch) {
      if (page.items.size() == limit) {
        if (after) page.next_token = MakeNextToken(*after);
        return page;
      }
      after = key_of(row);
      GEE_ASSIGN_OR_RETURN(std::optional<Json> item, accept(row));
      if (item) page.items.push_back(std::move(*item));
    }
    if (batch.size() < kBatch) return page;
  }
}

Result<std::optional<std::string>> StartAfter(const Json& input) {
  std::string token = Str(input, "NextToken");
  if (token.empty()) return std::optional<std::string>();
  GEE_ASSIGN_OR_RETURN(std::string key, ParseNextToken(token));
  return std::optional<std::string>(std::move(key));
}

std::string NameKey(const StoredObject& row) {
  return row.key.database + '\x01' + row.key.name;
}

}  // namespace gee::glue::internal

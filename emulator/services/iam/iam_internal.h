// Helpers shared by the IAM handler files (not part of the service's API):
// input access, the JSON shapes IAM returns, pagination, tags, policy size
// rules.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/iam/iam_store.h"
#include "services/service.h"

namespace gee::iam::internal {

// String member `key` of `in`, or `fallback` when absent or not a string.
std::string Str(const Json& in, std::string_view key, std::string_view fallback = "");
bool Has(const Json& in, std::string_view key);

// Epoch seconds for the JSON output (timestamps are numbers, rendered as
// ISO-8601 by the Query codec).
double Seconds(int64_t micros);

// RFC 3986 percent-encoding of a policy document, as IAM returns them.
std::string UrlEncodeDocument(std::string_view document);

// IAM counts policy sizes without whitespace.
size_t NonWhitespaceLength(std::string_view document);

// Slices `items` by the input's Marker/MaxItems (default 100) into `out`
// under `list_key`, adding IsTruncated and, when truncated, Marker. A marker
// this service did not issue is ValidationError.
Status Paginate(const Json& input, std::vector<Json> items, std::string_view list_key, Json* out);

// Tags of an input member ("Tags": [{"Key","Value"}]). Checks the count (at
// most 50 in all with `existing`) and case-insensitive duplicates, with IAM's
// errors.
Result<std::vector<Tag>> InputTags(const Json& input, const std::vector<Tag>& existing = {});
Json TagsJson(const std::vector<Tag>& tags);

// JSON shapes.
Json UserJson(const std::string& account, const UserRecord& user);
Json GroupJson(const std::string& account, const GroupRecord& group);
Json RoleJson(const std::string& account, const RoleRecord& role);
Json BoundaryJson(const std::string& boundary_arn);

}  // namespace gee::iam::internal

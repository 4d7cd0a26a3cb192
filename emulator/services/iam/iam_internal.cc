#include "services/iam/iam_internal.h"

#include <algorithm>
#include <cctype>

#include "auth/sigv4.h"
#include "crypto/encoding.h"
#include "services/iam/arns.h"
#include "services/iam/errors.h"

namespace gee::iam::internal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string Str(const Json& in, std::string_view key, std::string_view fallback) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return std::string(fallback);
  return it->get<std::string>();
}

bool Has(const Json& in, std::string_view key) { return in.contains(key); }

double Seconds(int64_t micros) { return static_cast<double>(micros / 1000) / 1000.0; }

std::string UrlEncodeDocument(std::string_view document) {
  return sigv4::UriEncode(document, /*keep_slash=*/false);
}

size_t NonWhitespaceLength(std::string_view document) {
  return static_cast<size_t>(std::count_if(document.begin(), document.end(), [](unsigned char c) {
    return !std::isspace(c);
  }));
}

Status Paginate(const Json& input, std::vector<Json> items, std::string_view list_key, Json* out) {
  size_t max_items = 100;
  if (auto it = input.find("MaxItems"); it != input.end() && it->is_number_integer()) {
    max_items = static_cast<size_t>(std::max<int64_t>(1, it->get<int64_t>()));
  }
  size_t start = 0;
  if (auto it = input.find("Marker"); it != input.end() && it->is_string()) {
    auto decoded = crypto::Base64UrlDecode(it->get<std::string>());
    bool ok = decoded.ok() && decoded->rfind("gee-iam:", 0) == 0;
    if (ok) {
      const std::string digits = decoded->substr(8);
      ok = !digits.empty() && digits.size() < 10 &&
           std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); });
      if (ok) start = static_cast<size_t>(std::stoul(digits));
    }
    if (!ok || start > items.size()) return errors::Validation("Invalid Marker.");
  }
  Json list = Json::array();
  size_t end = std::min(items.size(), start + max_items);
  for (size_t i = start; i < end; ++i) list.push_back(std::move(items[i]));
  (*out)[std::string(list_key)] = std::move(list);
  const bool truncated = end < items.size();
  (*out)["IsTruncated"] = truncated;
  if (truncated) (*out)["Marker"] = crypto::Base64UrlEncode("gee-iam:" + std::to_string(end));
  return OkStatus();
}

Result<std::vector<Tag>> InputTags(const Json& input, const std::vector<Tag>& existing) {
  std::vector<Tag> tags;
  auto it = input.find("Tags");
  if (it == input.end() || !it->is_array()) return tags;
  std::vector<std::string> seen;
  for (const Json& t : *it) {
    Tag tag{Str(t, "Key"), Str(t, "Value")};
    const std::string lower = Lower(tag.key);
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      return errors::InvalidInput(
          "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
    seen.push_back(lower);
    tags.push_back(std::move(tag));
  }
  size_t total = tags.size();
  for (const Tag& e : existing) {
    if (std::find(seen.begin(), seen.end(), Lower(e.key)) == seen.end()) ++total;
  }
  if (total > 50) return errors::QuotaExceeded("TagsPerEntity", 50);
  return tags;
}

Json TagsJson(const std::vector<Tag>& tags) {
  Json out = Json::array();
  for (const Tag& t : tags) out.push_back({{"Key", t.key}, {"Value", t.value}});
  return out;
}

Json BoundaryJson(const std::string& boundary_arn) {
  return {{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
          {"PermissionsBoundaryArn", boundary_arn}};
}

Json UserJson(const std::string& account, const UserRecord& u) {
  Json j = {{"Path", u.path},
            {"UserName", u.name},
            {"UserId", u.id},
            {"Arn", UserArn(account, u.path, u.name)},
            {"CreateDate", Seconds(u.create_date_us)}};
  if (!u.boundary_arn.empty()) j["PermissionsBoundary"] = BoundaryJson(u.boundary_arn);
  return j;
}

Json GroupJson(const std::string& account, const GroupRecord& g) {
  return {{"Path", g.path},
          {"GroupName", g.name},
          {"GroupId", g.id},
          {"Arn", GroupArn(account, g.path, g.name)},
          {"CreateDate", Seconds(g.create_date_us)}};
}

Json RoleJson(const std::string& account, const RoleRecord& r) {
  Json j = {{"Path", r.path},
            {"RoleName", r.name},
            {"RoleId", r.id},
            {"Arn", RoleArn(account, r.path, r.name)},
            {"CreateDate", Seconds(r.create_date_us)},
            {"AssumeRolePolicyDocument", UrlEncodeDocument(r.trust_policy)}};
  if (r.description) j["Description"] = *r.description;
  if (!r.boundary_arn.empty()) j["PermissionsBoundary"] = BoundaryJson(r.boundary_arn);
  return j;
}

}  // namespace gee::iam::internal

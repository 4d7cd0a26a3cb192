// TagResource / UntagResource / GetTags on taggable Glue resources, and the
// tags given at creation (CreateDatabase, CreateConnection). Tags are stored
// by resource ARN in glue_tags; authorization sees aws:RequestTag/<k>,
// aws:TagKeys and aws:ResourceTag/<k>.
//
// Taggable here: databases and connections (which this service stores).
// Jobs, crawlers, triggers and the other non-catalog resources are added by
// their owners in TaggableExists. Tables, functions and the catalog itself
// are not taggable (InvalidInputException).
#include "core/environment.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "store/database.h"

namespace gee::glue {

using internal::Str;

namespace {

constexpr size_t kMaxTags = 50;

Result<std::map<std::string, std::string>> LoadTags(store::Database& db, const std::string& arn) {
  GEE_ASSIGN_OR_RETURN(auto st, db.Prepare(
      "SELECT tag_key, tag_value FROM glue_tags WHERE resource_arn = ?1 ORDER BY tag_key"));
  GEE_RETURN_IF_ERROR(st.BindText(1, arn));
  std::map<std::string, std::string> tags;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    tags[st.ColumnText(0)] = st.ColumnText(1);
  }
  return tags;
}

}  // namespace

Result<bool> GlueService::TaggableExists(const GlueArn& arn) {
  if (arn.type == "database") {
    GEE_ASSIGN_OR_RETURN(auto found,
                         store_.Find(ObjectKey{arn.ref, "database", arn.path, "", arn.path}));
    return found.has_value();
  }
  if (arn.type == "connection") {
    GEE_ASSIGN_OR_RETURN(auto found, store_.Find(ObjectKey{arn.ref, "connection", "", "", arn.path}));
    return found.has_value();
  }
  if (arn.type == "table" || arn.type == "catalog" || arn.type == "userDefinedFunction") {
    return errors::InvalidInput("Resource type " + arn.type + " cannot be tagged");
  }
  if (arn.type == "job" || arn.type == "crawler") {
    GEE_ASSIGN_OR_RETURN(auto found,
                         LoadDocument(env(), arn.type == "job" ? "glue_jobs" : "glue_crawlers",
                                      arn.ref.catalog_id, arn.ref.region, arn.path));
    return found.has_value();
  }
  // Other Glue resource types live in services not built yet: nothing exists.
  return false;
}

Status GlueService::SetTags(const std::string& arn, const Json& tags) {
  GEE_ASSIGN_OR_RETURN(auto existing, LoadTags(env().db(), arn));
  size_t total = existing.size();
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    if (!existing.count(it.key())) ++total;
  }
  if (total > kMaxTags) {
    // UNCONFIRMED text.
    return errors::InvalidInput("A resource cannot have more than 50 tags");
  }
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "INSERT INTO glue_tags(resource_arn, tag_key, tag_value) VALUES(?1, ?2, ?3)"
      " ON CONFLICT(resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value"));
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    GEE_RETURN_IF_ERROR(st.Reset());
    GEE_RETURN_IF_ERROR(st.BindText(1, arn));
    GEE_RETURN_IF_ERROR(st.BindText(2, it.key()));
    GEE_RETURN_IF_ERROR(st.BindText(3, it.value().is_string() ? it.value().get<std::string>() : ""));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return OkStatus();
}

Status GlueService::DeleteTagsOf(const std::string& arn) {
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare("DELETE FROM glue_tags WHERE resource_arn = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, arn));
  return st.Run();
}

Result<AuthRequest> GlueService::TaggedResource(Call& call) {
  const std::string arn = Str(call.input, "ResourceArn");
  GEE_ASSIGN_OR_RETURN(GlueArn parsed, ParseGlueArn(arn));
  AuthRequest request;
  if (parsed.type == "catalog" || parsed.type == "database" || parsed.type == "table" ||
      parsed.type == "connection" || parsed.type == "userDefinedFunction") {
    GEE_ASSIGN_OR_RETURN(request, CatalogRequest(parsed.ref, arn));
  } else {
    request.resource = arn;
    request.resource_account = parsed.ref.catalog_id;
  }
  GEE_ASSIGN_OR_RETURN(auto existing, LoadTags(env().db(), arn));
  for (const auto& [k, v] : existing) request.keys.Set("aws:ResourceTag/" + k, v);
  std::vector<std::string> keys;
  if (auto add = call.input.find("TagsToAdd"); add != call.input.end()) {
    for (auto it = add->begin(); it != add->end(); ++it) {
      keys.push_back(it.key());
      request.keys.Set("aws:RequestTag/" + it.key(),
                       it.value().is_string() ? it.value().get<std::string>() : "");
    }
  }
  if (auto remove = call.input.find("TagsToRemove"); remove != call.input.end()) {
    for (const Json& k : *remove) keys.push_back(k.is_string() ? k.get<std::string>() : "");
  }
  if (!keys.empty()) request.keys.SetMulti("aws:TagKeys", std::move(keys));
  return request;
}

Result<Json> GlueService::TagResource(Call& call) {
  const std::string arn = Str(call.input, "ResourceArn");
  GEE_ASSIGN_OR_RETURN(GlueArn parsed, ParseGlueArn(arn));
  GEE_ASSIGN_OR_RETURN(bool exists, TaggableExists(parsed));
  if (!exists) return errors::EntityNotFound("Resource " + arn + " not found.");
  GEE_RETURN_IF_ERROR(SetTags(arn, call.input.at("TagsToAdd")));
  return Json::object();
}

Result<Json> GlueService::UntagResource(Call& call) {
  const std::string arn = Str(call.input, "ResourceArn");
  GEE_ASSIGN_OR_RETURN(GlueArn parsed, ParseGlueArn(arn));
  GEE_ASSIGN_OR_RETURN(bool exists, TaggableExists(parsed));
  if (!exists) return errors::EntityNotFound("Resource " + arn + " not found.");
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "DELETE FROM glue_tags WHERE resource_arn = ?1 AND tag_key = ?2"));
  for (const Json& k : call.input.at("TagsToRemove")) {
    GEE_RETURN_IF_ERROR(st.Reset());
    GEE_RETURN_IF_ERROR(st.BindText(1, arn));
    GEE_RETURN_IF_ERROR(st.BindText(2, k.is_string() ? k.get<std::string>() : ""));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return Json::object();
}

Result<Json> GlueService::GetTags(Call& call) {
  const std::string arn = Str(call.input, "ResourceArn");
  GEE_ASSIGN_OR_RETURN(GlueArn parsed, ParseGlueArn(arn));
  GEE_ASSIGN_OR_RETURN(bool exists, TaggableExists(parsed));
  if (!exists) return errors::EntityNotFound("Resource " + arn + " not found.");
  GEE_ASSIGN_OR_RETURN(auto tags, LoadTags(env().db(), arn));
  Json out = Json::object();
  for (const auto& [k, v] : tags) out[k] = v;
  return Json{{"Tags", std::move(out)}};
}

}  // namespace gee::glue

// User-defined functions. Authorization: the catalog (table line), then the
// database and the function (userDefinedFunction/DB/NAME).
#include "core/environment.h"
#include "protocol/pattern.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"

namespace gee::glue {

using internal::Str;

namespace {

ObjectIdentity FunctionIdentity(const CatalogRef& ref, const std::string& db,
                                const std::string& name) {
  return ObjectIdentity{ref, "function", db, "", name, ""};
}

ObjectKey FunctionKey(const CatalogRef& ref, const std::string& db, const std::string& name) {
  return ObjectKey{ref, "function", db, "", name};
}

Json FunctionDocument(const Json& input, const std::string& db, const CatalogRef& ref,
                      double create_time) {
  Json doc = input;
  doc["DatabaseName"] = db;
  doc["CatalogId"] = ref.catalog_id;
  doc["CreateTime"] = create_time;
  return doc;
}

}  // namespace

Result<Json> GlueService::CreateUserDefinedFunction(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const Json& input = call.input.at("FunctionInput");
  const std::string name = Str(input, "FunctionName");
  if (name.empty()) return errors::InvalidInput("FunctionName is required");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, FunctionArn(ref, db, name)));
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Find(FunctionKey(ref, db, name)));
  if (existing) return errors::AlreadyExists("Function already exists.");
  Json doc = FunctionDocument(input, db, ref, NowSeconds());
  GEE_ASSIGN_OR_RETURN(SealedObject sealed,
                       SealDocument(call, FunctionIdentity(ref, db, name), doc));
  GEE_RETURN_IF_ERROR(store_.Insert(FunctionKey(ref, db, name), 0, sealed));
  return Json::object();
}

Result<Json> GlueService::GetUserDefinedFunction(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = Str(call.input, "FunctionName");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, FunctionArn(ref, db, name)));
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(FunctionKey(ref, db, name)));
  if (!found) return errors::FunctionNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json doc, OpenDocument(call, FunctionIdentity(ref, db, name), *found));
  return Json{{"UserDefinedFunction", std::move(doc)}};
}

Result<Json> GlueService::GetUserDefinedFunctions(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  std::optional<std::string> db;
  if (std::string name = Str(call.input, "DatabaseName"); !name.empty()) {
    db = FoldName(name);
    GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, *db)));
    GEE_RETURN_IF_ERROR(RequireDatabase(ref, *db));
  }
  const std::string pattern_text = Str(call.input, "Pattern");
  std::unique_ptr<protocol::JavaPattern> pattern = protocol::JavaPattern::Compile(pattern_text);
  if (pattern == nullptr) {
    return errors::InvalidInput("Pattern is not a valid regular expression: " + pattern_text);
  }
  const std::string function_type = Str(call.input, "FunctionType");
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 100));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n) {
            return store_.List(ref, "function", db, "", ListOrder::kByName, after, std::nullopt,
                               n);
          },
          internal::NameKey,
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            if (!pattern->Matches(row.key.name)) return std::optional<Json>();
            if (!db) {
              GEE_ASSIGN_OR_RETURN(bool db_allowed,
                                   MayRead(call, ref, DatabaseArn(ref, row.key.database)));
              if (!db_allowed) return std::optional<Json>();
            }
            GEE_ASSIGN_OR_RETURN(bool allowed, MayRead(call, ref, FunctionArn(ref, row.key.database,
                                                                               row.key.name)));
            if (!allowed) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(
                Json doc,
                OpenDocument(call, FunctionIdentity(ref, row.key.database, row.key.name), row));
            if (!function_type.empty() && doc.value("FunctionType", "") != function_type) {
              return std::optional<Json>();
            }
            return std::optional<Json>(std::move(doc));
          },
          limit, start_after));
  Json out{{"UserDefinedFunctions", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::UpdateUserDefinedFunction(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = Str(call.input, "FunctionName");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, FunctionArn(ref, db, name)));
  const Json& input = call.input.at("FunctionInput");
  if (std::string new_name = Str(input, "FunctionName"); !new_name.empty() && new_name != name) {
    // Renaming is not emulated (UNCONFIRMED how AWS answers it).
    return errors::InvalidInput("Renaming a function is not supported");
  }
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(FunctionKey(ref, db, name)));
  if (!found) return errors::FunctionNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json old, OpenDocument(call, FunctionIdentity(ref, db, name), *found));
  Json doc = FunctionDocument(input, db, ref, old.value("CreateTime", NowSeconds()));
  doc["FunctionName"] = name;
  GEE_ASSIGN_OR_RETURN(SealedObject sealed,
                       SealDocument(call, FunctionIdentity(ref, db, name), doc));
  GEE_RETURN_IF_ERROR(store_.Replace(FunctionKey(ref, db, name), 0, sealed));
  return Json::object();
}

Result<Json> GlueService::DeleteUserDefinedFunction(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = Str(call.input, "FunctionName");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, FunctionArn(ref, db, name)));
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(FunctionKey(ref, db, name)));
  if (!deleted) return errors::FunctionNotFound(name);
  return Json::object();
}

}  // namespace gee::glue

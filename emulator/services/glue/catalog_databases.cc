// Databases: CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase,
// DeleteDatabase. Authorization: the catalog (table line), then the database
// (and, for DeleteDatabase, every table and function in it).
#include "core/environment.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"

namespace gee::glue {

using internal::Str;

namespace {

ObjectIdentity DatabaseIdentity(const CatalogRef& ref, const std::string& name) {
  return ObjectIdentity{ref, "database", name, "", name, ""};
}

ObjectKey DatabaseKey(const CatalogRef& ref, const std::string& name) {
  return ObjectKey{ref, "database", name, "", name};
}

// The stored Database object for a DatabaseInput.
Json DatabaseDocument(const Json& input, const std::string& name, const CatalogRef& ref,
                      double create_time) {
  Json doc = input;
  doc["Name"] = name;
  doc["CatalogId"] = ref.catalog_id;
  doc["CreateTime"] = create_time;
  if (!doc.contains("CreateTableDefaultPermissions")) {
    // What Glue records when Lake Formation is not in use (observed in
    // GetDatabase output).
    doc["CreateTableDefaultPermissions"] = Json::array(
        {Json{{"Principal", Json{{"DataLakePrincipalIdentifier", "IAM_ALLOWED_PRINCIPALS"}}},
              {"Permissions", Json::array({"ALL"})}}});
  }
  return doc;
}

}  // namespace

Result<Json> GlueService::CreateDatabase(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const Json& input = call.input.at("DatabaseInput");
  const std::string name = FoldName(Str(input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, name)));
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Find(DatabaseKey(ref, name)));
  if (existing) return errors::AlreadyExists("Database already exists.");
  Json doc = DatabaseDocument(input, name, ref, NowSeconds());
  GEE_ASSIGN_OR_RETURN(SealedObject sealed, SealDocument(call, DatabaseIdentity(ref, name), doc));
  GEE_RETURN_IF_ERROR(store_.Insert(DatabaseKey(ref, name), 0, sealed));
  if (auto tags = call.input.find("Tags"); tags != call.input.end()) {
    GEE_RETURN_IF_ERROR(SetTags(DatabaseArn(ref, name), *tags));
  }
  return Json::object();
}

Result<Json> GlueService::GetDatabase(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = FoldName(Str(call.input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject stored, RequireDatabase(ref, name));
  GEE_ASSIGN_OR_RETURN(Json doc, OpenDocument(call, DatabaseIdentity(ref, name), stored));
  return Json{{"Database", std::move(doc)}};
}

Result<Json> GlueService::GetDatabases(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  // Only this catalog's own databases exist here; nothing is shared with it.
  if (Str(call.input, "ResourceShareType") == "FOREIGN" ||
      Str(call.input, "ResourceShareType") == "FEDERATED") {
    return Json{{"DatabaseList", Json::array()}};
  }
  bool names_only = false;
  if (auto attrs = call.input.find("AttributesToGet"); attrs != call.input.end()) {
    bool has_name = false;
    for (const Json& a : *attrs) has_name = has_name || a == "NAME";
    if (!has_name) return errors::InvalidInput("AttributesToGet must include NAME");
    names_only = attrs->size() == 1;
  }
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 100));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n) {
            return store_.List(ref, "database", std::nullopt, "", ListOrder::kByName, after,
                               std::nullopt, n);
          },
          internal::NameKey,
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            GEE_ASSIGN_OR_RETURN(bool allowed, MayRead(call, ref, DatabaseArn(ref, row.key.name)));
            if (!allowed) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(Json doc,
                                 OpenDocument(call, DatabaseIdentity(ref, row.key.name), row));
            if (names_only) doc = Json{{"Name", doc.value("Name", "")}};
            return std::optional<Json>(std::move(doc));
          },
          limit, start_after));
  Json out{{"DatabaseList", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::UpdateDatabase(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = FoldName(Str(call.input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, name)));
  const Json& input = call.input.at("DatabaseInput");
  if (FoldName(Str(input, "Name")) != name) {
    // Renaming is not emulated (UNCONFIRMED how AWS answers it): refuse it
    // rather than store a database under a name it was not created with.
    return errors::InvalidInput("Renaming a database is not supported");
  }
  GEE_ASSIGN_OR_RETURN(StoredObject stored, RequireDatabase(ref, name));
  GEE_ASSIGN_OR_RETURN(Json old, OpenDocument(call, DatabaseIdentity(ref, name), stored));
  Json doc = DatabaseDocument(input, name, ref, old.value("CreateTime", NowSeconds()));
  GEE_ASSIGN_OR_RETURN(SealedObject sealed, SealDocument(call, DatabaseIdentity(ref, name), doc));
  GEE_RETURN_IF_ERROR(store_.Replace(DatabaseKey(ref, name), 0, sealed));
  return Json::object();
}

Result<Json> GlueService::DeleteDatabase(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = FoldName(Str(call.input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, name)));
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, name));
  // Deleting a database needs permission on every table and function in it.
  GEE_ASSIGN_OR_RETURN(auto tables, store_.List(ref, "table", name, "", ListOrder::kByName,
                                                std::nullopt, std::nullopt, 0));
  for (const StoredObject& t : tables) {
    GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, name, t.key.name)));
  }
  GEE_ASSIGN_OR_RETURN(auto functions, store_.List(ref, "function", name, "", ListOrder::kByName,
                                                   std::nullopt, std::nullopt, 0));
  for (const StoredObject& f : functions) {
    GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, FunctionArn(ref, name, f.key.name)));
  }
  for (const char* kind : {"table", "table-version", "partition", "function"}) {
    GEE_RETURN_IF_ERROR(store_.DeleteAll(ref, kind, name));
  }
  GEE_RETURN_IF_ERROR(store_.Delete(DatabaseKey(ref, name)));
  GEE_RETURN_IF_ERROR(DeleteTagsOf(DatabaseArn(ref, name)));
  return Json::object();
}

}  // namespace gee::glue

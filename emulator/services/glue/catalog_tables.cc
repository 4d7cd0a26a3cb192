// Tables and table versions. Authorization: the catalog (table line), then
// the database and the table, before any lookup.
//
// Versions: the table row holds the current version (VersionId "0" at
// CreateTable). UpdateTable archives the current version first (unless
// SkipArchive) by copying its sealed row byte for byte to a table-version row
// (the sealed BLOB is bound to (table, version), so no re-encryption and no
// KMS call is needed), then writes the new definition as version N+1.
// GetTableVersions lists the current version and the archived ones, newest
// first.
#include "core/environment.h"
#include "protocol/pattern.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"

namespace gee::glue {

using internal::Str;

namespace {

ObjectKey TableKey(const CatalogRef& ref, const std::string& db, const std::string& table) {
  return ObjectKey{ref, "table", db, "", table};
}

ObjectKey VersionKey(const CatalogRef& ref, const std::string& db, const std::string& table,
                     int64_t version) {
  return ObjectKey{ref, "table-version", db, table, std::to_string(version)};
}

ObjectIdentity TableIdentity(const CatalogRef& ref, const std::string& db,
                             const std::string& table, int64_t version) {
  return ObjectIdentity{ref, "table", db, "", table, std::to_string(version)};
}

// The stored Table object for a TableInput.
Json TableDocument(const Json& input, const std::string& db, const std::string& name,
                   const CatalogRef& ref, int64_t version) {
  Json doc = input;
  doc["Name"] = name;
  doc["DatabaseName"] = db;
  doc["CatalogId"] = ref.catalog_id;
  doc["VersionId"] = std::to_string(version);
  doc["IsRegisteredWithLakeFormation"] = false;
  if (!doc.contains("Retention")) doc["Retention"] = 0;
  if (!doc.contains("PartitionKeys")) doc["PartitionKeys"] = Json::array();
  return doc;
}

// Parses a VersionId; nullopt for anything that is not a version number.
std::optional<int64_t> ParseVersion(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

Result<Json> GlueService::CreateTable(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  auto input_it = call.input.find("TableInput");
  if (input_it == call.input.end()) {
    // Open table format (Iceberg) creation without a TableInput is not emulated.
    return errors::InvalidInput("TableInput is required");
  }
  const Json& input = *input_it;
  const std::string name = FoldName(Str(input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Find(TableKey(ref, db, name)));
  if (existing) return errors::AlreadyExists("Table already exists.");
  Json doc = TableDocument(input, db, name, ref, 0);
  const double now = NowSeconds();
  doc["CreateTime"] = now;
  doc["UpdateTime"] = now;
  doc["CreatedBy"] = call.ctx.principal.arn;
  GEE_ASSIGN_OR_RETURN(SealedObject sealed,
                       SealDocument(call, TableIdentity(ref, db, name, 0), doc));
  GEE_RETURN_IF_ERROR(store_.Insert(TableKey(ref, db, name), 0, sealed));
  return Json::object();
}

Result<Json> GlueService::GetTable(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject stored, RequireTable(ref, db, name));
  GEE_ASSIGN_OR_RETURN(Json doc, OpenTable(call, stored));
  return Json{{"Table", std::move(doc)}};
}

Result<Json> GlueService::GetTables(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  std::unique_ptr<protocol::JavaPattern> expression;
  if (std::string text = Str(call.input, "Expression"); !text.empty()) {
    expression = protocol::JavaPattern::Compile(text);
    if (expression == nullptr) {
      return errors::InvalidInput("Expression is not a valid regular expression: " + text);
    }
  }
  bool names_only = false;
  bool with_type = false;
  if (auto attrs = call.input.find("AttributesToGet"); attrs != call.input.end()) {
    bool has_name = false;
    for (const Json& a : *attrs) {
      has_name = has_name || a == "NAME";
      with_type = with_type || a == "TABLE_TYPE";
    }
    if (!has_name) return errors::InvalidInput("AttributesToGet must include NAME");
    names_only = true;
  }
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 100));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n) {
            return store_.List(ref, "table", db, "", ListOrder::kByName, after, std::nullopt, n);
          },
          internal::NameKey,
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            if (expression && !expression->Matches(row.key.name)) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(bool allowed, MayRead(call, ref, TableArn(ref, db, row.key.name)));
            if (!allowed) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(Json doc, OpenTable(call, row));
            if (names_only) {
              Json slim{{"Name", doc.value("Name", "")}};
              if (with_type && doc.contains("TableType")) slim["TableType"] = doc["TableType"];
              doc = std::move(slim);
            }
            return std::optional<Json>(std::move(doc));
          },
          limit, start_after));
  Json out{{"TableList", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::UpdateTable(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  auto input_it = call.input.find("TableInput");
  if (input_it == call.input.end()) return errors::InvalidInput("TableInput is required");
  const Json& input = *input_it;
  const std::string name = FoldName(Str(input, "Name", Str(call.input, "Name")));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject current, RequireTable(ref, db, name));
  if (std::string expected = Str(call.input, "VersionId");
      !expected.empty() && expected != std::to_string(current.seq)) {
    // UNCONFIRMED text.
    return AwsError("ConcurrentModificationException",
                    "Update table failed due to concurrent modifications.", 400);
  }
  // The old definition (needed for CreateTime/CreatedBy; decrypting it also
  // requires the caller's kms:Decrypt when it is catalog-encrypted).
  GEE_ASSIGN_OR_RETURN(Json old, OpenTable(call, current));
  GEE_ASSIGN_OR_RETURN(int64_t newest_archived, store_.MaxSeq(ref, "table-version", db, name));
  const int64_t version = std::max(current.seq, newest_archived) + 1;
  if (!internal::Bool(call.input, "SkipArchive")) {
    GEE_RETURN_IF_ERROR(store_.Copy(current, VersionKey(ref, db, name, current.seq), current.seq));
  }
  Json doc = TableDocument(input, db, name, ref, version);
  doc["CreateTime"] = old.value("CreateTime", NowSeconds());
  if (old.contains("CreatedBy")) doc["CreatedBy"] = old["CreatedBy"];
  doc["UpdateTime"] = NowSeconds();
  GEE_ASSIGN_OR_RETURN(SealedObject sealed,
                       SealDocument(call, TableIdentity(ref, db, name, version), doc));
  GEE_RETURN_IF_ERROR(store_.Replace(TableKey(ref, db, name), version, sealed));
  return Json::object();
}

Result<Json> GlueService::DeleteTable(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "Name"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_RETURN_IF_ERROR(RequireTable(ref, db, name));
  GEE_RETURN_IF_ERROR(store_.DeleteAll(ref, "table-version", db, name));
  GEE_RETURN_IF_ERROR(store_.DeleteAll(ref, "partition", db, name));
  GEE_RETURN_IF_ERROR(store_.Delete(TableKey(ref, db, name)));
  return Json::object();
}

Result<Json> GlueService::BatchDeleteTable(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  std::vector<std::string> names;
  for (const Json& n : call.input.at("TablesToDelete")) names.push_back(FoldName(n.get<std::string>()));
  // Every deletion must be authorized, or none happens.
  for (const std::string& name : names) {
    GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  }
  GEE_RETURN_IF_ERROR(RequireDatabase(ref, db));
  Json errors_out = Json::array();
  for (const std::string& name : names) {
    GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(TableKey(ref, db, name)));
    if (!deleted) {
      AwsError e = errors::TableNotFound(name);
      errors_out.push_back(
          Json{{"TableName", name},
               {"ErrorDetail", Json{{"ErrorCode", e.code}, {"ErrorMessage", e.message}}}});
      continue;
    }
    GEE_RETURN_IF_ERROR(store_.DeleteAll(ref, "table-version", db, name));
    GEE_RETURN_IF_ERROR(store_.DeleteAll(ref, "partition", db, name));
  }
  Json out = Json::object();
  if (!errors_out.empty()) out["Errors"] = std::move(errors_out);
  return out;
}

Result<Json> GlueService::GetTableVersion(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "TableName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject current, RequireTable(ref, db, name));
  std::string requested = Str(call.input, "VersionId", std::to_string(current.seq));
  std::optional<int64_t> version = ParseVersion(requested);
  if (!version) return errors::TableVersionNotFound(name, requested);
  StoredObject row = current;
  if (*version != current.seq) {
    GEE_ASSIGN_OR_RETURN(auto archived, store_.Find(VersionKey(ref, db, name, *version)));
    if (!archived) return errors::TableVersionNotFound(name, requested);
    row = std::move(*archived);
  }
  GEE_ASSIGN_OR_RETURN(Json doc,
                       OpenDocument(call, TableIdentity(ref, db, name, *version), row));
  return Json{{"TableVersion",
               Json{{"Table", std::move(doc)}, {"VersionId", std::to_string(*version)}}}};
}

Result<Json> GlueService::GetTableVersions(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "TableName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject current, RequireTable(ref, db, name));
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  std::optional<int64_t> after_version;
  if (start_after) {
    after_version = ParseVersion(*start_after);
    if (!after_version) return errors::InvalidInput("Invalid NextToken");
  }
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 100));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n)
              -> Result<std::vector<StoredObject>> {
            std::optional<int64_t> after_seq;
            if (after) after_seq = ParseVersion(*after);
            std::vector<StoredObject> rows;
            // The current version first (it is the newest).
            if (!after_seq) {
              StoredObject head = current;
              rows.push_back(head);
              after_seq = current.seq;
            }
            GEE_ASSIGN_OR_RETURN(auto archived,
                                 store_.List(ref, "table-version", db, name,
                                             ListOrder::kBySeqDescending, std::nullopt, after_seq,
                                             n));
            for (auto& r : archived) rows.push_back(std::move(r));
            return rows;
          },
          [](const StoredObject& row) { return std::to_string(row.seq); },
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            GEE_ASSIGN_OR_RETURN(Json doc,
                                 OpenDocument(call, TableIdentity(ref, db, name, row.seq), row));
            return std::optional<Json>(
                Json{{"Table", std::move(doc)}, {"VersionId", std::to_string(row.seq)}});
          },
          limit, start_after));
  Json out{{"TableVersions", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::DeleteTableVersion(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "TableName"));
  const std::string requested = Str(call.input, "VersionId");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject current, RequireTable(ref, db, name));
  std::optional<int64_t> version = ParseVersion(requested);
  if (version && *version == current.seq) {
    // UNCONFIRMED text; deleting the current definition would leave the table empty.
    return errors::InvalidInput("Cannot delete the current version of table " + name + ".");
  }
  if (!version) return errors::TableVersionNotFound(name, requested);
  GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(VersionKey(ref, db, name, *version)));
  if (!deleted) return errors::TableVersionNotFound(name, requested);
  return Json::object();
}

Result<Json> GlueService::BatchDeleteTableVersion(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string db = FoldName(Str(call.input, "DatabaseName"));
  const std::string name = FoldName(Str(call.input, "TableName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, DatabaseArn(ref, db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, TableArn(ref, db, name)));
  GEE_ASSIGN_OR_RETURN(StoredObject current, RequireTable(ref, db, name));
  Json errors_out = Json::array();
  for (const Json& v : call.input.at("VersionIds")) {
    const std::string requested = v.get<std::string>();
    std::optional<int64_t> version = ParseVersion(requested);
    AwsError failure;
    bool failed = false;
    if (version && *version == current.seq) {
      failure = errors::InvalidInput("Cannot delete the current version of table " + name + ".");
      failed = true;
    } else if (!version) {
      failure = errors::TableVersionNotFound(name, requested);
      failed = true;
    } else {
      GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(VersionKey(ref, db, name, *version)));
      if (!deleted) {
        failure = errors::TableVersionNotFound(name, requested);
        failed = true;
      }
    }
    if (failed) {
      errors_out.push_back(Json{
          {"TableName", name},
          {"VersionId", requested},
          {"ErrorDetail", Json{{"ErrorCode", failure.code}, {"ErrorMessage", failure.message}}}});
    }
  }
  Json out = Json::object();
  if (!errors_out.empty()) out["Errors"] = std::move(errors_out);
  return out;
}

}  // namespace gee::glue

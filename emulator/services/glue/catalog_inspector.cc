#include "services/glue/catalog_inspector.h"

#include "core/environment.h"
#include "services/glue/catalog_ref.h"
#include "services/glue/errors.h"
#include "store/database.h"

namespace gee::glue {

namespace {

std::string SchemeName(uint8_t scheme) {
  return scheme == kSchemeCatalogKms ? "catalog SSE-KMS" : "glue-default";
}

std::string ProtectedBy(const StoredObject& row) {
  if (row.scheme == kSchemeCatalogKms) return row.key_arn;
  return "gee glue-default key of catalog " + row.key.ref.catalog_id + " in " +
         row.key.ref.region + " (sealed under the root key)";
}

AtRestRecord Record(std::string_view kind, std::string_view id, std::string part,
                    const StoredObject& row, std::string_view probe) {
  AtRestRecord r;
  r.kind = std::string(kind);
  r.id = std::string(id);
  r.part = std::move(part);
  r.scheme = SchemeName(row.scheme);
  r.protected_by = ProtectedBy(row);
  r.stored_bytes = row.document.size();
  r.probe_found = !probe.empty() && row.document.find(probe) != std::string::npos;
  return r;
}

std::string Where(const CatalogRef& ref) {
  return " (catalog " + ref.catalog_id + ", " + ref.region + ")";
}

}  // namespace

std::vector<std::string> CatalogInspector::Kinds() const {
  return {"catalog-database", "catalog-table", "catalog-connection", "connection-password"};
}

Result<std::vector<CatalogRef>> CatalogInspector::Catalogs() {
  GEE_ASSIGN_OR_RETURN(auto st, env_.db().Prepare(
      "SELECT DISTINCT catalog_id, region FROM glue_catalog_objects ORDER BY catalog_id, region"));
  std::vector<CatalogRef> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(CatalogRef{st.ColumnText(0), st.ColumnText(1)});
  }
  return out;
}

Result<std::vector<AtRestRecord>> CatalogInspector::Inspect(std::string_view kind,
                                                            std::string_view id,
                                                            std::string_view probe) {
  GEE_ASSIGN_OR_RETURN(std::vector<CatalogRef> catalogs, Catalogs());
  std::vector<AtRestRecord> records;
  for (const CatalogRef& ref : catalogs) {
    if (kind == "catalog-database") {
      const std::string db = FoldName(id);
      GEE_ASSIGN_OR_RETURN(auto row, store_.Find(ObjectKey{ref, "database", db, "", db}));
      if (row) records.push_back(Record(kind, id, "database" + Where(ref), *row, probe));
    } else if (kind == "catalog-table") {
      const size_t slash = id.find('/');
      if (slash == std::string_view::npos) {
        return errors::InvalidInput("catalog-table ids are \"database/table\"");
      }
      const std::string db = FoldName(id.substr(0, slash));
      const std::string table = FoldName(id.substr(slash + 1));
      GEE_ASSIGN_OR_RETURN(auto row, store_.Find(ObjectKey{ref, "table", db, "", table}));
      if (!row) continue;
      records.push_back(Record(kind, id, "table version " + std::to_string(row->seq) +
                                             " (current)" + Where(ref),
                               *row, probe));
      GEE_ASSIGN_OR_RETURN(auto versions,
                           store_.List(ref, "table-version", db, table, ListOrder::kBySeqDescending,
                                       std::nullopt, std::nullopt, 0));
      for (const StoredObject& v : versions) {
        records.push_back(
            Record(kind, id, "table version " + std::to_string(v.seq) + Where(ref), v, probe));
      }
      GEE_ASSIGN_OR_RETURN(auto partitions,
                           store_.List(ref, "partition", db, table, ListOrder::kBySeq,
                                       std::nullopt, std::nullopt, 0));
      for (const StoredObject& p : partitions) {
        records.push_back(
            Record(kind, id, "partition " + std::to_string(p.seq) + Where(ref), p, probe));
      }
    } else if (kind == "catalog-connection" || kind == "connection-password") {
      GEE_ASSIGN_OR_RETURN(auto row,
                           store_.Find(ObjectKey{ref, "connection", "", "", std::string(id)}));
      if (!row) continue;
      if (kind == "catalog-connection") {
        records.push_back(Record(kind, id, "connection" + Where(ref), *row, probe));
      } else if (!row->password_key_arn.empty()) {
        AtRestRecord r = Record(kind, id, "ENCRYPTED_PASSWORD" + Where(ref), *row, probe);
        r.scheme = "password SSE-KMS";
        r.protected_by = row->password_key_arn;
        records.push_back(std::move(r));
      } else {
        records.push_back(Record(kind, id,
                                 "PASSWORD inside the connection object (no password "
                                 "encryption)" + Where(ref),
                                 *row, probe));
      }
    } else {
      return errors::InvalidInput("unknown inspection kind " + std::string(kind));
    }
  }
  if (records.empty()) {
    return errors::EntityNotFound("No stored " + std::string(kind) + " " + std::string(id));
  }
  return records;
}

}  // namespace gee::glue

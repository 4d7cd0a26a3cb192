#include "services/glue/catalog_store.h"

namespace gee::glue {

const char CatalogStore::kSchema[] =
    "CREATE TABLE glue_catalog_objects("
    "  catalog_id TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  database_name TEXT NOT NULL,"
    "  parent_name TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  scheme INTEGER NOT NULL,"
    "  key_arn TEXT NOT NULL,"
    "  password_key_arn TEXT NOT NULL,"
    "  document BLOB NOT NULL,"
    "  PRIMARY KEY(catalog_id, region, kind, database_name, parent_name, name));"
    "CREATE INDEX glue_catalog_objects_seq ON glue_catalog_objects("
    "  catalog_id, region, kind, database_name, parent_name, seq);";

namespace {

constexpr char kColumns[] =
    "database_name, parent_name, name, seq, scheme, key_arn, password_key_arn, document";

StoredObject ReadRow(const store::Statement& st, const CatalogRef& ref, const std::string& kind) {
  StoredObject o;
  o.key.ref = ref;
  o.key.kind = kind;
  o.key.database = st.ColumnText(0);
  o.key.parent = st.ColumnText(1);
  o.key.name = st.ColumnText(2);
  o.seq = st.ColumnInt64(3);
  o.scheme = static_cast<uint8_t>(st.ColumnInt64(4));
  o.key_arn = st.ColumnText(5);
  o.password_key_arn = st.ColumnText(6);
  o.document = st.ColumnBlob(7);
  return o;
}

Status BindKey(store::Statement& st, const ObjectKey& key) {
  GEE_RETURN_IF_ERROR(st.BindText(":catalog", key.ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(":region", key.ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(":kind", key.kind));
  GEE_RETURN_IF_ERROR(st.BindText(":database", key.database));
  GEE_RETURN_IF_ERROR(st.BindText(":parent", key.parent));
  return st.BindText(":name", key.name);
}

constexpr char kKeyMatch[] =
    " WHERE catalog_id = :catalog AND region = :region AND kind = :kind"
    " AND database_name = :database AND parent_name = :parent AND name = :name";

}  // namespace

Result<std::optional<StoredObject>> CatalogStore::Find(const ObjectKey& key) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string("SELECT ") + kColumns +
                                            " FROM glue_catalog_objects" + kKeyMatch));
  GEE_RETURN_IF_ERROR(BindKey(st, key));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredObject>();
  return std::optional<StoredObject>(ReadRow(st, key.ref, key.kind));
}

Status CatalogStore::Insert(const ObjectKey& key, int64_t seq, const SealedObject& sealed,
                            const std::string& password_key_arn) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(
      "INSERT INTO glue_catalog_objects(catalog_id, region, kind, database_name, parent_name,"
      " name, seq, scheme, key_arn, password_key_arn, document) VALUES(:catalog, :region, :kind,"
      " :database, :parent, :name, :seq, :scheme, :key_arn, :password_key_arn, :document)"));
  GEE_RETURN_IF_ERROR(BindKey(st, key));
  GEE_RETURN_IF_ERROR(st.BindInt64(":seq", seq));
  GEE_RETURN_IF_ERROR(st.BindInt64(":scheme", sealed.scheme));
  GEE_RETURN_IF_ERROR(st.BindText(":key_arn", sealed.key_arn));
  GEE_RETURN_IF_ERROR(st.BindText(":password_key_arn", password_key_arn));
  GEE_RETURN_IF_ERROR(st.BindBlob(":document", sealed.bytes));
  return st.Run();
}

Status CatalogStore::Replace(const ObjectKey& key, int64_t seq, const SealedObject& sealed,
                             const std::string& password_key_arn) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(
      std::string("UPDATE glue_catalog_objects SET seq = :seq, scheme = :scheme,"
                  " key_arn = :key_arn, password_key_arn = :password_key_arn,"
                  " document = :document") + kKeyMatch));
  GEE_RETURN_IF_ERROR(BindKey(st, key));
  GEE_RETURN_IF_ERROR(st.BindInt64(":seq", seq));
  GEE_RETURN_IF_ERROR(st.BindInt64(":scheme", sealed.scheme));
  GEE_RETURN_IF_ERROR(st.BindText(":key_arn", sealed.key_arn));
  GEE_RETURN_IF_ERROR(st.BindText(":password_key_arn", password_key_arn));
  GEE_RETURN_IF_ERROR(st.BindBlob(":document", sealed.bytes));
  GEE_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() != 1) {
    return AwsError("InternalFailure", "Glue catalog row to replace is missing", 500);
  }
  return OkStatus();
}

Status CatalogStore::Copy(const StoredObject& from, const ObjectKey& to, int64_t seq) {
  SealedObject sealed;
  sealed.scheme = from.scheme;
  sealed.key_arn = from.key_arn;
  sealed.bytes = from.document;
  return Insert(to, seq, sealed, from.password_key_arn);
}

Result<bool> CatalogStore::Delete(const ObjectKey& key) {
  GEE_ASSIGN_OR_RETURN(auto st,
                       db_.Prepare(std::string("DELETE FROM glue_catalog_objects") + kKeyMatch));
  GEE_RETURN_IF_ERROR(BindKey(st, key));
  GEE_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Status CatalogStore::DeleteAll(const CatalogRef& ref, const std::string& kind,
                               const std::string& database,
                               const std::optional<std::string>& parent) {
  std::string sql =
      "DELETE FROM glue_catalog_objects WHERE catalog_id = :catalog AND region = :region"
      " AND kind = :kind AND database_name = :database";
  if (parent) sql += " AND parent_name = :parent";
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
  GEE_RETURN_IF_ERROR(st.BindText(":catalog", ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(":region", ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(":kind", kind));
  GEE_RETURN_IF_ERROR(st.BindText(":database", database));
  if (parent) GEE_RETURN_IF_ERROR(st.BindText(":parent", *parent));
  return st.Run();
}

Result<std::vector<StoredObject>> CatalogStore::List(
    const CatalogRef& ref, const std::string& kind, const std::optional<std::string>& database,
    const std::string& parent, ListOrder order, const std::optional<std::string>& after_name,
    std::optional<int64_t> after_seq, size_t limit) {
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM glue_catalog_objects WHERE catalog_id = :catalog AND region = :region"
                    " AND kind = :kind AND parent_name = :parent";
  if (database) sql += " AND database_name = :database";
  switch (order) {
    case ListOrder::kByName:
      if (after_name) sql += " AND (database_name || char(1) || name) > :after_name";
      sql += " ORDER BY database_name, name";
      break;
    case ListOrder::kBySeq:
      if (after_seq) sql += " AND seq > :after_seq";
      sql += " ORDER BY seq";
      break;
    case ListOrder::kBySeqDescending:
      if (after_seq) sql += " AND seq < :after_seq";
      sql += " ORDER BY seq DESC";
      break;
  }
  if (limit > 0) sql += " LIMIT :limit";
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
  GEE_RETURN_IF_ERROR(st.BindText(":catalog", ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(":region", ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(":kind", kind));
  GEE_RETURN_IF_ERROR(st.BindText(":parent", parent));
  if (database) GEE_RETURN_IF_ERROR(st.BindText(":database", *database));
  if (order == ListOrder::kByName && after_name) {
    GEE_RETURN_IF_ERROR(st.BindText(":after_name", *after_name));
  }
  if (order != ListOrder::kByName && after_seq) {
    GEE_RETURN_IF_ERROR(st.BindInt64(":after_seq", *after_seq));
  }
  if (limit > 0) GEE_RETURN_IF_ERROR(st.BindInt64(":limit", static_cast<int64_t>(limit)));
  std::vector<StoredObject> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadRow(st, ref, kind));
  }
  return out;
}

Result<int64_t> CatalogStore::MaxSeq(const CatalogRef& ref, const std::string& kind,
                                     const std::string& database, const std::string& parent) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(
      "SELECT COALESCE(MAX(seq), 0) FROM glue_catalog_objects WHERE catalog_id = ?1 AND"
      " region = ?2 AND kind = ?3 AND database_name = ?4 AND parent_name = ?5"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, kind));
  GEE_RETURN_IF_ERROR(st.BindText(4, database));
  GEE_RETURN_IF_ERROR(st.BindText(5, parent));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt64(0) : int64_t{0};
}

Result<int64_t> CatalogStore::Count(const CatalogRef& ref, const std::string& kind) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(
      "SELECT COUNT(*) FROM glue_catalog_objects WHERE catalog_id = ?1 AND region = ?2"
      " AND kind = ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, kind));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt64(0) : int64_t{0};
}

}  // namespace gee::glue

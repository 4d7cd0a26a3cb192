// CatalogStore: the SQLite rows of the Glue Data Catalog. Every object is a
// sealed BLOB (glue_crypto.h); the row key holds only names (database, table,
// function and connection names appear in resource ARNs anyway) and, for
// partitions, a keyed hash of the values (GlueCrypto::PartitionId).
//
//   CREATE TABLE glue_catalog_objects(
//     catalog_id       TEXT NOT NULL,     -- owning account
//     region           TEXT NOT NULL,
//     kind             TEXT NOT NULL,     -- database | table | table-version |
//                                         -- partition | function | connection
//     database_name    TEXT NOT NULL,     -- '' for connections
//     parent_name      TEXT NOT NULL,     -- table of a partition / table version
//     name             TEXT NOT NULL,     -- object name; version id; partition id
//     seq              INTEGER NOT NULL,  -- tables and versions: version number;
//                                         -- partitions: creation order
//     scheme           INTEGER NOT NULL,  -- GlueCrypto scheme byte
//     key_arn          TEXT NOT NULL,     -- catalog key ARN ('' for glue-default)
//     password_key_arn TEXT NOT NULL,     -- connections: key of ENCRYPTED_PASSWORD
//     document         BLOB NOT NULL,     -- sealed object (glue_crypto.h)
//     PRIMARY KEY(catalog_id, region, kind, database_name, parent_name, name));
//
// Thread-safety: use with Environment::store_mutex held.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "services/glue/catalog_ref.h"
#include "services/glue/glue_crypto.h"
#include "store/database.h"

namespace gee::glue {

struct ObjectKey {
  CatalogRef ref;
  std::string kind;
  std::string database;
  std::string parent;
  std::string name;
};

struct StoredObject {
  ObjectKey key;
  int64_t seq = 0;
  uint8_t scheme = 0;
  std::string key_arn;
  std::string password_key_arn;
  std::string document;  // sealed
};

// Sort order of a listing.
enum class ListOrder { kByName, kBySeq, kBySeqDescending };

class CatalogStore {
 public:
  explicit CatalogStore(store::Database& db) : db_(db) {}

  static const char kSchema[];

  Result<std::optional<StoredObject>> Find(const ObjectKey& key);
  // Inserts a new row; the caller has checked it does not exist.
  Status Insert(const ObjectKey& key, int64_t seq, const SealedObject& sealed,
                const std::string& password_key_arn = "");
  // Replaces the row's contents (the row must exist).
  Status Replace(const ObjectKey& key, int64_t seq, const SealedObject& sealed,
                 const std::string& password_key_arn = "");
  // Copies the stored row of `from` to a new row `to` byte for byte.
  Status Copy(const StoredObject& from, const ObjectKey& to, int64_t seq);
  // True when a row was deleted.
  Result<bool> Delete(const ObjectKey& key);
  // Deletes every row of `kind` in `database` (and, when `parent` is given,
  // under that parent).
  Status DeleteAll(const CatalogRef& ref, const std::string& kind, const std::string& database,
                   const std::optional<std::string>& parent = std::nullopt);

  // Rows of `kind` in `database` (`database` nullopt = every database) under
  // `parent`, ordered by `order`, strictly after `after_name` / `after_seq`
  // in that order, at most `limit` (0 = no limit).
  Result<std::vector<StoredObject>> List(const CatalogRef& ref, const std::string& kind,
                                         const std::optional<std::string>& database,
                                         const std::string& parent, ListOrder order,
                                         const std::optional<std::string>& after_name,
                                         std::optional<int64_t> after_seq, size_t limit);
  // Highest seq of `kind` rows under (database, parent); 0 when none.
  Result<int64_t> MaxSeq(const CatalogRef& ref, const std::string& kind,
                         const std::string& database, const std::string& parent);
  // Number of rows of `kind` in the catalog.
  Result<int64_t> Count(const CatalogRef& ref, const std::string& kind);

 private:
  store::Database& db_;
};

}  // namespace gee::glue

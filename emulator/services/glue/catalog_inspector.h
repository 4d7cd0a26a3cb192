// At-rest inspection of the Glue Data Catalog (core/inspection.h): for a
// stored catalog item, which key protects each stored record and whether the
// raw stored bytes contain a probe.
//
// Kinds and ids:
//   catalog-database     "database"        the database row
//   catalog-table        "database/table"  the current table row, archived
//                                          versions and partitions
//   catalog-connection   "connection"      the connection row
//   connection-password  "connection"      the connection's password
// Ids name the object in every catalog (account and region) that has it; one
// record per stored row, its `part` naming the catalog.
//
// Schemes reported:
//   "catalog SSE-KMS"   sealed under a data key of the catalog key
//                       (protected_by = the catalog key ARN)
//   "glue-default"      sealed under the catalog's emulator-owned key, itself
//                       sealed under the root key (catalog encryption off)
//   "password SSE-KMS"  connection-password: ENCRYPTED_PASSWORD, KMS
//                       ciphertext under the password key (protected_by = its
//                       ARN), inside the sealed connection object
// A connection-password record of a connection stored without
// ENCRYPTED_PASSWORD reports the connection object's own scheme: its password
// (if any) is protected only by that.
//
// Thread-safety: called with Environment::store_mutex held.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/inspection.h"
#include "services/glue/catalog_store.h"

namespace gee {
class Environment;
}

namespace gee::glue {

class CatalogInspector final : public AtRestInspector {
 public:
  CatalogInspector(Environment& env, CatalogStore& store) : env_(env), store_(store) {}

  std::vector<std::string> Kinds() const override;
  Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                            std::string_view probe) override;

 private:
  // Every catalog (catalog id, region) that has rows.
  Result<std::vector<CatalogRef>> Catalogs();

  Environment& env_;
  CatalogStore& store_;
};

}  // namespace gee::glue

// Which Data Catalog a Glue request addresses, and the ARNs of its resources
// (spec §5; AWS Glue "Specifying AWS Glue resource ARNs"):
//
//   catalog                arn:aws:glue:REGION:CATALOG:catalog
//   database               arn:aws:glue:REGION:CATALOG:database/DB
//   table                  arn:aws:glue:REGION:CATALOG:table/DB/TABLE
//   user-defined function  arn:aws:glue:REGION:CATALOG:userDefinedFunction/DB/FUNCTION
//   connection             arn:aws:glue:REGION:CATALOG:connection/NAME
//
// CATALOG is the catalog id, which is the owning account's 12-digit id (one
// catalog per account and region). Database and table names are folded to
// lower case, as Glue stores them ("For Hive compatibility, this is folded to
// lowercase when it is stored").
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::glue {

struct CatalogRef {
  // Catalog id = owning account id.
  std::string catalog_id;
  std::string region;
};

std::string CatalogArn(const CatalogRef& ref);
std::string DatabaseArn(const CatalogRef& ref, std::string_view database);
std::string TableArn(const CatalogRef& ref, std::string_view database, std::string_view table);
std::string FunctionArn(const CatalogRef& ref, std::string_view database,
                        std::string_view function);
std::string ConnectionArn(const CatalogRef& ref, std::string_view connection);

// ASCII lower case, how Glue stores database and table names.
std::string FoldName(std::string_view name);

// A Glue resource ARN taken apart: "arn:aws:glue:us-east-1:123456789012:table/db/t"
// → {ref {123456789012, us-east-1}, type "table", path "db/t"}.
struct GlueArn {
  CatalogRef ref;
  std::string type;  // "catalog", "database", "table", "connection", "job", ...
  std::string path;  // everything after "type/" (empty for the catalog)
};

// Fails with InvalidInputException when `arn` is not a Glue ARN.
Result<GlueArn> ParseGlueArn(std::string_view arn);

}  // namespace gee::glue

#include "services/glue/catalog_ref.h"

#include <vector>

#include "services/glue/errors.h"

namespace gee::glue {

namespace {

std::string Prefix(const CatalogRef& ref) {
  return "arn:aws:glue:" + ref.region + ":" + ref.catalog_id + ":";
}

}  // namespace

std::string CatalogArn(const CatalogRef& ref) { return Prefix(ref) + "catalog"; }

std::string DatabaseArn(const CatalogRef& ref, std::string_view database) {
  return Prefix(ref) + "database/" + std::string(database);
}

std::string TableArn(const CatalogRef& ref, std::string_view database, std::string_view table) {
  return Prefix(ref) + "table/" + std::string(database) + "/" + std::string(table);
}

std::string FunctionArn(const CatalogRef& ref, std::string_view database,
                        std::string_view function) {
  return Prefix(ref) + "userDefinedFunction/" + std::string(database) + "/" +
         std::string(function);
}

std::string ConnectionArn(const CatalogRef& ref, std::string_view connection) {
  return Prefix(ref) + "connection/" + std::string(connection);
}

std::string FoldName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<GlueArn> ParseGlueArn(std::string_view arn) {
  // arn:PARTITION:glue:REGION:ACCOUNT:RESOURCE
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  auto invalid = [&] {
    return errors::InvalidInput("Invalid ARN: " + std::string(arn));
  };
  if (parts.size() != 5 || parts[0] != "arn" || parts[2] != "glue" || parts[3].empty() ||
      parts[4].empty()) {
    return invalid();
  }
  std::string_view resource = arn.substr(start);
  if (resource.empty()) return invalid();
  GlueArn out;
  out.ref.region = std::string(parts[3]);
  out.ref.catalog_id = std::string(parts[4]);
  size_t slash = resource.find('/');
  out.type = std::string(resource.substr(0, slash));
  if (slash != std::string_view::npos) out.path = std::string(resource.substr(slash + 1));
  if (out.type.empty()) return invalid();
  return out;
}

}  // namespace gee::glue

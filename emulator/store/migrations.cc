#include "store/migrations.h"

#include <map>

namespace gee::store {
namespace {

constexpr char kCreateVersionsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_versions("
    "component TEXT PRIMARY KEY, version INTEGER NOT NULL)";

AwsError MigrationError(std::string message) {
  return AwsError("InternalFailure", "Schema migration: " + std::move(message), 500);
}

// Steps grouped by component, ordered by version; checks they are 1..N.
Result<std::map<std::string, std::vector<const MigrationStep*>>> GroupSteps(
    const std::vector<MigrationStep>& steps) {
  std::map<std::string, std::map<int, const MigrationStep*>> by_version;
  for (const MigrationStep& step : steps) {
    if (step.component.empty()) return MigrationError("a step has no component");
    if (!by_version[step.component].emplace(step.version, &step).second) {
      return MigrationError("component '" + step.component +
                            "' has two steps numbered " +
                            std::to_string(step.version));
    }
  }
  std::map<std::string, std::vector<const MigrationStep*>> grouped;
  for (const auto& [component, versions] : by_version) {
    int expected = 1;
    for (const auto& [version, step] : versions) {
      if (version != expected) {
        return MigrationError("component '" + component + "' has step " +
                              std::to_string(version) + " where " +
                              std::to_string(expected) + " was expected");
      }
      grouped[component].push_back(step);
      ++expected;
    }
  }
  return grouped;
}

Result<int> ReadVersion(Database& db, const std::string& component) {
  GEE_ASSIGN_OR_RETURN(Statement select,
                       db.Prepare("SELECT version FROM schema_versions "
                                  "WHERE component = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, component));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? static_cast<int>(select.ColumnInt64(0)) : 0;
}

}  // namespace

Result<int> SchemaVersion(Database& db, const std::string& component) {
  GEE_ASSIGN_OR_RETURN(Statement exists,
                       db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'schema_versions'"));
  GEE_ASSIGN_OR_RETURN(bool has_table, exists.Step());
  if (!has_table) return 0;
  return ReadVersion(db, component);
}

Status Migrate(Database& db, const std::vector<MigrationStep>& steps) {
  GEE_ASSIGN_OR_RETURN(auto grouped, GroupSteps(steps));
  GEE_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db));
  GEE_RETURN_IF_ERROR(db.Execute(kCreateVersionsTable));
  // Check every component before changing anything.
  std::map<std::string, int> current;
  for (const auto& [component, component_steps] : grouped) {
    GEE_ASSIGN_OR_RETURN(int version, ReadVersion(db, component));
    const int known = static_cast<int>(component_steps.size());
    if (version > known) {
      return MigrationError(
          "the database schema of component '" + component + "' is version " +
          std::to_string(version) + " but this gee knows versions up to " +
          std::to_string(known) +
          "; it was written by a newer gee, refusing to use it");
    }
    current[component] = version;
  }
  for (const auto& [component, component_steps] : grouped) {
    const int from = current[component];
    if (from == static_cast<int>(component_steps.size())) continue;
    for (size_t i = static_cast<size_t>(from); i < component_steps.size(); ++i) {
      Status applied = db.Execute(component_steps[i]->sql);
      if (!applied.ok()) {
        return MigrationError("component '" + component + "' step " +
                              std::to_string(component_steps[i]->version) +
                              " failed: " + applied.error().message);
      }
    }
    GEE_ASSIGN_OR_RETURN(Statement upsert,
                         db.Prepare("INSERT INTO schema_versions(component, version) "
                                    "VALUES (?1, ?2) ON CONFLICT(component) "
                                    "DO UPDATE SET version = excluded.version"));
    GEE_RETURN_IF_ERROR(upsert.BindText(1, component));
    GEE_RETURN_IF_ERROR(upsert.BindInt64(2, static_cast<int64_t>(component_steps.size())));
    GEE_RETURN_IF_ERROR(upsert.Run());
  }
  return transaction.Commit();
}

}  // namespace gee::store

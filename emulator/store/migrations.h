// Versioned schema migrations, per component.
//
// Each service owns a component name ("kms", "iam", "s3", ...) and a list of
// steps numbered 1, 2, 3, ... without gaps. A step's SQL runs exactly once per
// database; the version reached is recorded in
//
//   CREATE TABLE schema_versions(component TEXT PRIMARY KEY,
//                                version   INTEGER NOT NULL)
//
// (one row per component that has had at least one step applied). Migrate
// applies the missing steps of every component in one transaction: either all
// of them apply or none does. A database whose recorded version for a
// component is newer than the newest step this build knows was written by a
// newer gee; Migrate refuses it (nothing is changed) rather than run code that
// does not understand the schema. Components in the database that the steps
// do not mention are left alone.
//
// Thread-safety: as Database (one thread at a time).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gee::store {

struct MigrationStep {
  // Owner of the tables the step touches, e.g. "kms".
  std::string component;
  // 1 for the first step of the component, then 2, 3, ...
  int version = 0;
  // One or more SQL statements; no BEGIN/COMMIT.
  std::string sql;
};

// Brings every component in `steps` to its newest version. Fails with
// "InternalFailure" when the steps are malformed (versions not 1..N), when
// the database is newer than the steps (the message names the component and
// both versions), or on a storage error.
Status Migrate(Database& db, const std::vector<MigrationStep>& steps);

// Version recorded for `component`; 0 when none.
Result<int> SchemaVersion(Database& db, const std::string& component);

}  // namespace gee::store

// DataDir: gee's persistent state, opened once at start-up.
//
// Layout of the directory (default ./.gee, chosen by the caller):
//
//   <dir>/            mode 0700 when gee creates it
//   <dir>/root.key    32-byte root key, mode 0600 (format: store/root_key.h)
//   <dir>/gee.db      SQLite database, mode 0600 (WAL mode, store/database.h)
//   <dir>/gee.db-wal, gee.db-shm
//                     SQLite's WAL and index; SQLite gives them gee.db's mode
//
// Opening, in order:
//   1. Create the directory with mode 0700 if missing (its parent must exist
//      or is created with default permissions).
//   2. Load root.key, or create it if missing. If root.key is missing but
//      gee.db already holds data, refuse: a new key could not open the
//      secrets sealed under the lost one, and silently starting over would
//      look like data loss later.
//   3. Create gee.db with mode 0600 before SQLite writes a byte (open with
//      O_CREAT|O_EXCL at 0600, then fchmod to exactly 0600, then verify with
//      fstat). An existing gee.db, -wal or -shm with any group/other
//      permission bit is refused with a message naming the chmod to run.
//   4. Open the database (Database::Open).
// Every refusal is an "InternalFailure" AwsError whose message says which file
// and why; the caller prints it and exits.
//
// Ephemeral mode (--ephemeral): an in-memory database and a root key drawn
// from the random source that is never written anywhere; nothing touches the
// file system and everything is gone when the process exits.
//
// Thread-safety: DataDir is created and destroyed by one thread. database()
// follows Database's rules (hold its mutex()); keyring() is thread-safe.
#pragma once

#include <filesystem>
#include <memory>

#include "core/random.h"
#include "core/result.h"
#include "store/database.h"
#include "store/root_key.h"

namespace gee::store {

inline constexpr char kDefaultDataDir[] = ".gee";
inline constexpr char kDatabaseFileName[] = "gee.db";
inline constexpr char kRootKeyFileName[] = "root.key";

class DataDir {
 public:
  // Opens (creating as needed) the data directory `dir`. `random` creates the
  // root key on first use and draws nonces for the keyring; it must outlive
  // the DataDir.
  static Result<std::unique_ptr<DataDir>> Open(const std::filesystem::path& dir,
                                               Random& random,
                                               const DatabaseOptions& options = {});
  // In-memory state with a never-written random root key.
  static Result<std::unique_ptr<DataDir>> OpenEphemeral(
      Random& random, const DatabaseOptions& options = {});

  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  Database& database() { return *database_; }
  const RootKeyring& keyring() const { return *keyring_; }
  bool ephemeral() const { return path_.empty(); }
  // The directory; empty in ephemeral mode.
  const std::filesystem::path& path() const { return path_; }

 private:
  DataDir(std::filesystem::path path, std::unique_ptr<Database> database,
          std::unique_ptr<RootKeyring> keyring)
      : path_(std::move(path)),
        database_(std::move(database)),
        keyring_(std::move(keyring)) {}

  std::filesystem::path path_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<RootKeyring> keyring_;
};

}  // namespace gee::store

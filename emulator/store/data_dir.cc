#include "store/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace gee::store {
namespace {

AwsError DataDirError(const std::filesystem::path& path, std::string_view problem) {
  return AwsError("InternalFailure",
                  "Data directory: " + path.string() + ": " + std::string(problem), 500);
}

std::string Errno(std::string_view call) {
  return std::string(call) + " failed: " + std::strerror(errno);
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Status EnsureDirectory(const std::filesystem::path& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return DataDirError(dir, "exists and is not a directory");
    return OkStatus();
  }
  if (errno != ENOENT) return DataDirError(dir, Errno("stat"));
  const std::filesystem::path parent = dir.parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return DataDirError(parent, "cannot create: " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return DataDirError(dir, Errno("mkdir"));
  }
  // The umask may have removed bits; make it exactly 0700.
  if (::chmod(dir.c_str(), 0700) != 0) return DataDirError(dir, Errno("chmod"));
  return OkStatus();
}

// Refuses a file that group or others may access. Missing files are fine.
Status CheckPrivateIfPresent(const std::filesystem::path& file) {
  struct stat st;
  if (::lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return OkStatus();
    return DataDirError(file, Errno("lstat"));
  }
  if (!S_ISREG(st.st_mode)) return DataDirError(file, "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return DataDirError(file, "has mode " + OctalMode(st.st_mode) +
                                  " (accessible by group or others); refusing to "
                                  "use it. Run: chmod 600 " + file.string());
  }
  return OkStatus();
}

// True when the database file exists and is not empty.
Result<bool> DatabaseHasData(const std::filesystem::path& db_path) {
  struct stat st;
  if (::lstat(db_path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return DataDirError(db_path, Errno("lstat"));
  }
  return st.st_size > 0;
}

// Creates gee.db with mode 0600 before SQLite opens it.
Status CreatePrivateFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(),
                        O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return OkStatus();  // checked by CheckPrivateIfPresent
    return DataDirError(file, Errno("open"));
  }
  Status status = OkStatus();
  struct stat st;
  if (::fchmod(fd, 0600) != 0) {
    status = DataDirError(file, Errno("fchmod"));
  } else if (::fstat(fd, &st) != 0) {
    status = DataDirError(file, Errno("fstat"));
  } else if ((st.st_mode & 07777) != 0600) {
    status = DataDirError(file, "mode is " + OctalMode(st.st_mode) +
                                    " after chmod 600");
  }
  if (::close(fd) != 0 && status.ok()) status = DataDirError(file, Errno("close"));
  return status;
}

}  // namespace

Result<std::unique_ptr<DataDir>> DataDir::Open(const std::filesystem::path& dir,
                                               Random& random,
                                               const DatabaseOptions& options) {
  if (dir.empty()) return DataDirError(dir, "no directory given");
  GEE_RETURN_IF_ERROR(EnsureDirectory(dir));
  const std::filesystem::path key_path = dir / kRootKeyFileName;
  const std::filesystem::path db_path = dir / kDatabaseFileName;

  struct stat st;
  const bool key_exists = ::lstat(key_path.c_str(), &st) == 0;
  if (!key_exists) {
    if (errno != ENOENT) return DataDirError(key_path, Errno("lstat"));
    GEE_ASSIGN_OR_RETURN(bool has_data, DatabaseHasData(db_path));
    if (has_data) {
      return DataDirError(key_path,
                          "is missing but " + db_path.string() +
                              " holds data sealed under it; refusing to create a "
                              "new root key. Restore root.key, or move the data "
                              "directory away to start empty");
    }
  }
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes root_key,
                       LoadOrCreateRootKeyFile(key_path, random));

  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::path file = db_path;
    file += suffix;
    GEE_RETURN_IF_ERROR(CheckPrivateIfPresent(file));
  }
  GEE_RETURN_IF_ERROR(CreatePrivateFile(db_path));
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<Database> database,
                       Database::Open(db_path, options));
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<RootKeyring> keyring,
                       RootKeyring::Create(std::move(root_key), random));
  return std::unique_ptr<DataDir>(
      new DataDir(dir, std::move(database), std::move(keyring)));
}

Result<std::unique_ptr<DataDir>> DataDir::OpenEphemeral(Random& random,
                                                        const DatabaseOptions& options) {
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<Database> database,
                       Database::OpenInMemory(options));
  GEE_ASSIGN_OR_RETURN(
      std::unique_ptr<RootKeyring> keyring,
      RootKeyring::Create(crypto::SecretBytes::FromRandom(kRootKeySize, random),
                          random));
  return std::unique_ptr<DataDir>(
      new DataDir(std::filesystem::path(), std::move(database), std::move(keyring)));
}

}  // namespace gee::store

#include "store/root_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "core/ids.h"
#include "crypto/aead.h"

namespace gee::store {
namespace {

constexpr char kAadPrefix[] = "gee-root-seal-v1:";

AwsError RootKeyError(const std::filesystem::path& path, std::string_view problem) {
  return AwsError("InternalFailure",
                  "Root key file " + path.string() + ": " + std::string(problem), 500);
}

std::string Errno(std::string_view call) {
  return std::string(call) + " failed: " + std::strerror(errno);
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Closes a file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the result (a failed close can mean lost writes).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

Status FsyncDirectory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return RootKeyError(dir, Errno("open(directory)"));
  if (::fsync(fd.get()) != 0) return RootKeyError(dir, Errno("fsync(directory)"));
  if (fd.Close() != 0) return RootKeyError(dir, Errno("close(directory)"));
  return OkStatus();
}

// Writes a new key to a temporary file and publishes it at `path` unless a
// key already exists there. Returns true when this call published the key.
Result<bool> PublishNewKey(const std::filesystem::path& path,
                           const crypto::SecretBytes& key, Random& random) {
  std::filesystem::path temp = path;
  temp += ".tmp-" + NewHexId(8, random);
  FileDescriptor fd(::open(temp.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return RootKeyError(temp, Errno("open"));
  auto fail = [&](std::string problem) -> Result<bool> {
    ::unlink(temp.c_str());
    return RootKeyError(temp, problem);
  };
  // The umask can only remove bits; set exactly 0600 before any byte is written.
  if (::fchmod(fd.get(), 0600) != 0) return fail(Errno("fchmod"));
  size_t written = 0;
  while (written < key.size()) {
    const ssize_t n = ::write(fd.get(), key.data() + written, key.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(Errno("write"));
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail(Errno("fsync"));
  if (fd.Close() != 0) return fail(Errno("close"));
  const bool published = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!published && link_errno != EEXIST) {
    errno = link_errno;
    return RootKeyError(path, Errno("link"));
  }
  GEE_RETURN_IF_ERROR(FsyncDirectory(path.parent_path().empty()
                                         ? std::filesystem::path(".")
                                         : path.parent_path()));
  return published;
}

std::string Aad(std::string_view label) {
  std::string aad = kAadPrefix;
  aad.append(label);
  return aad;
}

void AppendEscaped(std::string_view part, std::string* out) {
  for (char c : part) {
    if (c == '%') {
      out->append("%25");
    } else if (c == ':') {
      out->append("%3A");
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace

Result<crypto::SecretBytes> LoadRootKeyFile(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return RootKeyError(path, Errno("open"));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return RootKeyError(path, Errno("fstat"));
  if (!S_ISREG(st.st_mode)) return RootKeyError(path, "is not a regular file");
  if (st.st_uid != ::geteuid()) {
    return RootKeyError(path, "is owned by uid " + std::to_string(st.st_uid) +
                                  ", not by the user running gee; refusing to use it");
  }
  if ((st.st_mode & 077) != 0) {
    return RootKeyError(path, "has mode " + OctalMode(st.st_mode) +
                                  " (readable or writable by group or others); "
                                  "refusing to use it. Run: chmod 600 " +
                                  path.string());
  }
  if (st.st_size != static_cast<off_t>(kRootKeySize)) {
    return RootKeyError(path, "has " + std::to_string(st.st_size) +
                                  " bytes, expected exactly " +
                                  std::to_string(kRootKeySize) +
                                  "; refusing to start with a damaged root key");
  }
  crypto::SecretBytes key(kRootKeySize);
  size_t done = 0;
  while (done < key.size()) {
    const ssize_t n = ::read(fd.get(), key.data() + done, key.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return RootKeyError(path, Errno("read"));
    if (n == 0) return RootKeyError(path, "shrank while being read");
    done += static_cast<size_t>(n);
  }
  return key;
}

Result<crypto::SecretBytes> LoadOrCreateRootKeyFile(const std::filesystem::path& path,
                                                    Random& random) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return LoadRootKeyFile(path);
  if (errno != ENOENT) return RootKeyError(path, Errno("lstat"));
  crypto::SecretBytes key = crypto::SecretBytes::FromRandom(kRootKeySize, random);
  GEE_ASSIGN_OR_RETURN(bool published, PublishNewKey(path, key, random));
  if (!published) return LoadRootKeyFile(path);  // another process won the race
  return key;
}

std::string SecretLabel(std::string_view kind,
                        std::initializer_list<std::string_view> parts) {
  std::string label;
  AppendEscaped(kind, &label);
  for (std::string_view part : parts) {
    label.push_back(':');
    AppendEscaped(part, &label);
  }
  return label;
}

Result<std::unique_ptr<RootKeyring>> RootKeyring::Create(crypto::SecretBytes root_key,
                                                         Random& random) {
  if (root_key.size() != kRootKeySize) {
    return AwsError("InternalFailure", "Root key must be 32 bytes", 500);
  }
  return std::unique_ptr<RootKeyring>(new RootKeyring(std::move(root_key), random));
}

Result<std::string> RootKeyring::Seal(std::string_view label,
                                      const crypto::SecretBytes& secret) const {
  GEE_ASSIGN_OR_RETURN(std::string sealed, crypto::Seal(root_key_, secret.AsStringView(),
                                                        Aad(label), *random_));
  std::string out(1, static_cast<char>(kSealedSecretVersion));
  out.append(sealed);
  return out;
}

Result<crypto::SecretBytes> RootKeyring::Open(std::string_view label,
                                              std::string_view sealed) const {
  if (sealed.empty() || static_cast<uint8_t>(sealed[0]) != kSealedSecretVersion) {
    return AwsError("InternalFailure",
                    "Sealed secret '" + std::string(label) +
                        "' has an unknown format version",
                    500);
  }
  Result<crypto::SecretBytes> opened =
      crypto::OpenSecret(root_key_, sealed.substr(1), Aad(label));
  if (!opened.ok()) {
    if (!crypto::IsAuthenticationFailure(opened.error())) return opened;
    return AwsError("InternalFailure",
                    "Sealed secret '" + std::string(label) +
                        "' failed authentication under the root key (the stored "
                        "row was modified or moved, or root.key was replaced)",
                    500);
  }
  return opened;
}

}  // namespace gee::store

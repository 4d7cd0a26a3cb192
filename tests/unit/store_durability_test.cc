// Crash durability: every transaction acknowledged before the process is
// killed is in the database afterwards.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/random.h"
#include "store/data_dir.h"
#include "store/database.h"
#include "tests/testing/temp_dir.h"

namespace gee::store {
namespace {

// More rows than the child can write before it is killed.
constexpr int64_t kRowLimit = 10'000'000;
// Acknowledgements the parent waits for before killing the child.
constexpr int64_t kAcksBeforeKill = 300;

std::string Payload(int64_t id) {
  DeterministicRandom random(static_cast<uint64_t>(id));
  return NewHexId(48, random);
}

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = DataDir::Open(temp_.path(), random_);
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    ASSERT_TRUE((*dir)->database()
                    .Execute("CREATE TABLE acked(id INTEGER PRIMARY KEY, "
                             "payload TEXT NOT NULL)")
                    .ok());
    // Closed before fork: the child and the parent never share a connection.
  }

  // Child body: one transaction per row, then report the id. Never returns.
  [[noreturn]] void WriteRowsUntilKilled(int ack_fd) {
    DeterministicRandom random(1);
    auto dir = DataDir::Open(temp_.path(), random);
    if (!dir.ok()) _exit(2);
    Database& db = (*dir)->database();
    for (int64_t id = 1; id <= kRowLimit; ++id) {
      auto transaction = Transaction::Begin(db);
      if (!transaction.ok()) _exit(3);
      auto insert = db.Prepare("INSERT INTO acked(id, payload) VALUES (?1, ?2)");
      if (!insert.ok() || !insert->BindInt64(1, id).ok() ||
          !insert->BindText(2, Payload(id)).ok() || !insert->Run().ok()) {
        _exit(4);
      }
      if (!transaction->Commit().ok()) _exit(5);
      if (::write(ack_fd, &id, sizeof id) != sizeof id) _exit(6);
    }
    _exit(7);  // the parent should have killed us long before
  }

  // Reads one acknowledgement; false at end of stream.
  static bool ReadAck(int fd, int64_t* id) {
    size_t got = 0;
    char* out = reinterpret_cast<char*>(id);
    while (got < sizeof *id) {
      const ssize_t n = ::read(fd, out + got, sizeof *id - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    return true;
  }

  gee::testing::ScopedTempDir temp_;
  DeterministicRandom random_{3};
};

TEST_F(DurabilityTest, EveryAcknowledgedRowSurvivesSigkill) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    WriteRowsUntilKilled(fds[1]);
  }
  ::close(fds[1]);

  std::vector<int64_t> acked;
  int64_t id = 0;
  while (static_cast<int64_t>(acked.size()) < kAcksBeforeKill && ReadAck(fds[0], &id)) {
    acked.push_back(id);
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  // Acknowledgements already in the pipe count too; EOF once the child is gone.
  while (ReadAck(fds[0], &id)) acked.push_back(id);
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with status "
                                   << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(static_cast<int64_t>(acked.size()), kAcksBeforeKill);

  auto dir = DataDir::Open(temp_.path(), random_);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  Database& db = (*dir)->database();
  auto check = db.Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(check->Step().ok());
  EXPECT_EQ(check->ColumnText(0), "ok");
  auto select = db.Prepare("SELECT payload FROM acked WHERE id = ?1");
  ASSERT_TRUE(select.ok());
  for (int64_t acked_id : acked) {
    SCOPED_TRACE(acked_id);
    ASSERT_TRUE(select->BindInt64(1, acked_id).ok());
    auto row = select->Step();
    ASSERT_TRUE(row.ok());
    ASSERT_TRUE(*row) << "acknowledged row is missing";
    EXPECT_EQ(select->ColumnText(0), Payload(acked_id));
    ASSERT_TRUE(select->Reset().ok());
  }
}

}  // namespace
}  // namespace gee::store

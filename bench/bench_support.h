// Helpers for the hand-run benchmarks in bench/: start a real `gee serve`
// child process, drive it over HTTP with the harness client, and read the
// child's CPU time and memory from /proc. Not used by tests.
//
// Thread-safety: one ServerProcess per benchmark thread of control.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness/client/aws_client.h"

namespace gee::bench {

inline double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The gee binary built next to the benchmarks (overridable with GEE_BINARY).
inline std::string GeeBinary() {
  if (const char* env = std::getenv("GEE_BINARY")) return env;
  return GEE_BINARY_PATH;
}

class ServerProcess {
 public:
  // Starts `gee serve --ephemeral --port 0 --no-access-log <extra>` and waits
  // until it listens; with `ephemeral` false, state goes to a data directory
  // under the process's temporary directory instead of memory. Returns
  // nullptr (after printing why) on failure.
  static std::unique_ptr<ServerProcess> Start(std::vector<std::string> extra = {},
                                              bool ephemeral = true) {
    auto dir = std::filesystem::temp_directory_path() /
               ("gee-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir);
    std::string port_file = (dir / "port").string();
    std::vector<std::string> args = {GeeBinary(), "serve", "--port", "0",
                                     "--port-file", port_file, "--no-access-log"};
    if (ephemeral) {
      args.push_back("--ephemeral");
    } else {
      args.push_back("--data-dir");
      args.push_back((dir / "data").string());
    }
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = std::unique_ptr<ServerProcess>(new ServerProcess());
    p->dir_ = dir;
    p->start_wall_ = WallSeconds();
    p->pid_ = ::fork();
    if (p->pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 20000; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        p->port_ = port;
        p->endpoint_ = "http://127.0.0.1:" + std::to_string(port);
        return p;
      }
      int status = 0;
      if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
        std::fprintf(stderr, "gee exited during startup\n");
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    std::fprintf(stderr, "gee did not start\n");
    return nullptr;
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::string& endpoint() const { return endpoint_; }
  pid_t pid() const { return pid_; }
  double start_wall() const { return start_wall_; }

  // User + system CPU seconds the server has used so far.
  double CpuSeconds() const {
    auto [user, system] = CpuSplit();
    return user + system;
  }

  // User and system CPU seconds the server has used so far, separately.
  std::pair<double, double> CpuSplit() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = content.rfind(')');
    std::istringstream fields(content.substr(close + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
      if (i == 14) utime = std::stoull(f);
      if (i == 15) stime = std::stoull(f);
    }
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    return {static_cast<double>(utime) / tick, static_cast<double>(stime) / tick};
  }

  // CPU nanoseconds all the server's threads have run so far, from the
  // scheduler's own accounting (/proc/PID/task/*/schedstat). Exact, where
  // /proc/PID/stat's utime and stime move in whole clock ticks (10 ms).
  double CpuNanos() const {
    double total = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator(
             "/proc/" + std::to_string(pid_) + "/task", ec)) {
      std::ifstream in(task.path() / "schedstat");
      double ns = 0;
      if (in >> ns) total += ns;
    }
    return total;
  }

  // Resident set size and its peak (VmRSS / VmHWM), in KiB.
  long RssKiB() const { return StatusField("VmRSS:"); }
  long PeakRssKiB() const { return StatusField("VmHWM:"); }

 private:
  ServerProcess() = default;
  long StatusField(const std::string& name) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(name, 0) == 0) return std::atol(line.c_str() + name.size());
    }
    return -1;
  }
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string endpoint_;
  double start_wall_ = 0;
};

// Runs `fn` `n` times, in `rounds` equal rounds, and prints requests/s and
// the server's CPU per call: the median round, with the best and worst
// rounds beside it. This machine's speed drifts (other tenants), so a single
// figure can be off by half; the spread shows how far. The user/system split
// is over all rounds. `fn` gets the call's index, 0..n-1.
template <typename Fn>
void Measure(const char* name, ServerProcess& server, int n, Fn&& fn, int rounds = 5) {
  for (int i = 0; i < n / 10 + 1; ++i) fn(i);  // warm up
  const auto [user0, system0] = server.CpuSplit();
  std::vector<double> per_round;
  const int per = std::max(1, n / rounds);
  int done = 0;
  double t0 = WallSeconds();
  while (done < n) {
    const int count = std::min(per, n - done);
    const double cpu0 = server.CpuNanos();
    for (int i = 0; i < count; ++i) fn(done + i);
    per_round.push_back((server.CpuNanos() - cpu0) / 1e3 / count);
    done += count;
  }
  double wall = WallSeconds() - t0;
  const auto [user1, system1] = server.CpuSplit();
  const double user = user1 - user0, system = system1 - system0;
  const double user_share = user + system > 0 ? user / (user + system) : 0;
  std::sort(per_round.begin(), per_round.end());
  const double median = per_round[per_round.size() / 2];
  std::printf("%-44s %8d req  %9.0f req/s  %7.1f us server CPU/req (median of %zu rounds; "
              "best %.1f, worst %.1f; %.0f%% user)\n",
              name, n, n / wall, median, per_round.size(), per_round.front(), per_round.back(),
              user_share * 100);
}

}  // namespace gee::bench

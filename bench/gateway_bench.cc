// Foundation benchmark (issue 2): startup time to the first answered request,
// idle RSS, and GetCallerIdentity requests/s with server CPU per request.
// Run by hand: ./build/gateway_bench [requests]
#include <fcntl.h>

#include <cstdio>
#include <cstdlib>

#include "bench/bench_support.h"

using gee::bench::ServerProcess;

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;

  // Startup: from fork/exec to the first successful GetCallerIdentity.
  double best_startup = 1e9;
  for (int round = 0; round < 5; ++round) {
    auto server = ServerProcess::Start();
    if (!server) return 1;
    gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");
    auto r = client.Query("sts", "GetCallerIdentity", {});
    double startup = gee::bench::WallSeconds() - server->start_wall();
    if (!r.ok() || !r->ok()) {
      std::fprintf(stderr, "GetCallerIdentity failed\n");
      return 1;
    }
    if (startup < best_startup) best_startup = startup;
  }
  std::printf("startup to first answered request: %.1f ms (best of 5)\n", best_startup * 1e3);

  auto server = ServerProcess::Start();
  if (!server) return 1;
  gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");
  if (auto r = client.Query("sts", "GetCallerIdentity", {}); !r.ok() || !r->ok()) return 1;
  std::printf("idle RSS after startup and one request: %.1f MiB\n", server->RssKiB() / 1024.0);

  gee::bench::Measure("sts:GetCallerIdentity (1 keep-alive client)", *server, n, [&](int) {
    auto r = client.Query("sts", "GetCallerIdentity", {});
    if (!r.ok() || !r->ok()) std::abort();
  });
  std::printf("peak RSS: %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return 0;
}

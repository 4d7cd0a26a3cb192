// KMS benchmark (issue 3): Encrypt of 1 KiB, Decrypt of that ciphertext and
// GenerateDataKey (AES_256) against a `gee serve` child, with requests/s and
// the server's CPU time per request (target: under 30 us per Encrypt).
// Run by hand: ./build/kms_bench [requests]
#include <cstdio>
#include <cstdlib>
#include <string>

#include <time.h>

#include "bench/bench_support.h"
#include "core/environment.h"
#include "crypto/encoding.h"
#include "emulator.h"
#include "services/service.h"

using gee::bench::ServerProcess;
using Json = nlohmann::json;

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The KMS service alone: Service::Invoke in this process (validation,
// resolver, authorization, handler; no HTTP, SigV4 or JSON codec), CPU time
// of this thread per call.
template <typename Fn>
void MeasureInProcess(const char* name, int n, Fn&& fn) {
  for (int i = 0; i < n / 10 + 1; ++i) fn();
  const double cpu0 = ThreadCpuSeconds();
  for (int i = 0; i < n; ++i) fn();
  const double cpu = ThreadCpuSeconds() - cpu0;
  std::printf("%-44s %8d calls %7.1f us CPU/call\n", name, n, cpu * 1e6 / n);
}

int InProcess(int n) {
  gee::EmulatorOptions options;
  options.config.ephemeral = true;
  options.config.access_log = false;
  auto emulator = gee::Emulator::Create(std::move(options));
  if (!emulator.ok()) return 1;
  gee::Environment& env = (*emulator)->env();
  gee::Service* kms = env.FindService("kms");
  gee::RequestContext ctx = env.NewContext(gee::RootPrincipal("000000000000"), "us-east-1");
  auto created = kms->Invoke(ctx, "CreateKey", Json::object());
  if (!created.ok()) return 1;
  const Json encrypt = {{"KeyId", (*created)["KeyMetadata"]["Arn"]},
                        {"Plaintext", gee::crypto::Base64Encode(std::string(1024, 'p'))},
                        {"EncryptionContext", {{"purpose", "bench"}}}};
  auto blob = kms->Invoke(ctx, "Encrypt", encrypt);
  if (!blob.ok()) return 1;
  const Json decrypt = {{"CiphertextBlob", (*blob)["CiphertextBlob"]},
                        {"EncryptionContext", {{"purpose", "bench"}}}};
  MeasureInProcess("in-process kms:Encrypt 1 KiB", n, [&] {
    gee::RequestContext c = ctx;
    if (!kms->Invoke(c, "Encrypt", encrypt).ok()) std::abort();
  });
  MeasureInProcess("in-process kms:Decrypt 1 KiB", n, [&] {
    gee::RequestContext c = ctx;
    if (!kms->Invoke(c, "Decrypt", decrypt).ok()) std::abort();
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  auto server = ServerProcess::Start();
  if (!server) return 1;
  gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");
  auto created = client.Json("kms", "CreateKey", Json::object());
  if (!created.ok() || !created->ok()) {
    std::fprintf(stderr, "CreateKey failed\n");
    return 1;
  }
  const std::string key = created->json["KeyMetadata"]["Arn"];
  const std::string plaintext = gee::crypto::Base64Encode(std::string(1024, 'p'));
  const Json encrypt = {{"KeyId", key}, {"Plaintext", plaintext},
                        {"EncryptionContext", {{"purpose", "bench"}}}};
  auto first = client.Json("kms", "Encrypt", encrypt);
  if (!first.ok() || !first->ok()) {
    std::fprintf(stderr, "Encrypt failed\n");
    return 1;
  }
  const Json decrypt = {{"CiphertextBlob", first->json["CiphertextBlob"]},
                        {"EncryptionContext", {{"purpose", "bench"}}}};
  const Json data_key = {{"KeyId", key}, {"KeySpec", "AES_256"}};

  gee::bench::Measure("kms:Encrypt 1 KiB (1 keep-alive client)", *server, n, [&](int) {
    auto r = client.Json("kms", "Encrypt", encrypt);
    if (!r.ok() || !r->ok()) std::abort();
  });
  gee::bench::Measure("kms:Decrypt 1 KiB (1 keep-alive client)", *server, n, [&](int) {
    auto r = client.Json("kms", "Decrypt", decrypt);
    if (!r.ok() || !r->ok()) std::abort();
  });
  gee::bench::Measure("kms:GenerateDataKey AES_256 (1 keep-alive client)", *server, n, [&](int) {
    auto r = client.Json("kms", "GenerateDataKey", data_key);
    if (!r.ok() || !r->ok()) std::abort();
  });
  std::printf("peak RSS: %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return InProcess(n);
}

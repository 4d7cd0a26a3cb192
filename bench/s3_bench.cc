// S3 benchmark (issue 5): PutObject / GetObject of 64 KiB objects with
// SSE-KMS (requests/s and server CPU per request, one keep-alive client),
// and the peak RSS of the server while a 1 GiB object is uploaded through
// multipart (8 MiB parts, 4 concurrent uploaders, file-backed state) and
// read back. Run by hand: ./build/s3_bench [requests] [multipart MiB]
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"

using gee::bench::ServerProcess;
using gee::harness::AwsClient;

namespace {

std::string Body(size_t n, char seed) {
  std::string s(n, '\0');
  uint32_t x = static_cast<uint32_t>(seed) * 2654435761u;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

bool Ok(const gee::Result<gee::harness::ApiResponse>& r, const char* what) {
  if (r.ok() && r->ok()) return true;
  std::fprintf(stderr, "%s failed: %s %s\n", what, r.ok() ? r->error_code.c_str() : "transport",
               r.ok() ? r->error_message.c_str() : r.error().message.c_str());
  return false;
}

std::string XmlValue(const std::string& xml, const std::string& name) {
  size_t a = xml.find("<" + name + ">");
  if (a == std::string::npos) return "";
  a += name.size() + 2;
  return xml.substr(a, xml.find("</" + name + ">", a) - a);
}

int SseKmsRequests(int n) {
  auto server = ServerProcess::Start();
  if (!server) return 1;
  AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");
  if (!Ok(client.Rest("s3", "PUT", "/bench-bucket", {}, ""), "CreateBucket")) return 1;
  auto key = client.Json("kms", "CreateKey", {{"Description", "s3 bench"}});
  if (!Ok(key, "CreateKey")) return 1;
  std::string key_id = key->json["KeyMetadata"]["KeyId"];
  const std::string body = Body(64 * 1024, 'k');
  std::vector<gee::harness::Header> sse = {{"x-amz-server-side-encryption", "aws:kms"},
                                           {"x-amz-server-side-encryption-aws-kms-key-id", key_id}};
  gee::bench::Measure("s3:PutObject 64 KiB SSE-KMS", *server, n, [&](int i) {
    auto r = client.Rest("s3", "PUT", "/bench-bucket/obj-" + std::to_string(i % 1000), sse, body);
    if (!Ok(r, "PutObject")) std::abort();
  });
  gee::bench::Measure("s3:GetObject 64 KiB SSE-KMS", *server, n, [&](int i) {
    auto r = client.Rest("s3", "GET", "/bench-bucket/obj-" + std::to_string(i % 1000), {}, "");
    if (!Ok(r, "GetObject") || r->http.body.size() != body.size()) std::abort();
  });
  gee::bench::Measure("s3:PutObject 64 KiB SSE-S3", *server, n, [&](int i) {
    auto r = client.Rest("s3", "PUT", "/bench-bucket/s3-" + std::to_string(i % 1000), {}, body);
    if (!Ok(r, "PutObject")) std::abort();
  });
  gee::bench::Measure("s3:GetObject 64 KiB SSE-S3", *server, n, [&](int i) {
    auto r = client.Rest("s3", "GET", "/bench-bucket/s3-" + std::to_string(i % 1000), {}, "");
    if (!Ok(r, "GetObject")) std::abort();
  });
  std::printf("peak RSS (64 KiB runs, ephemeral): %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return 0;
}

int LargeMultipart(int mib) {
  auto server = ServerProcess::Start({}, /*ephemeral=*/false);
  if (!server) return 1;
  AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");
  if (!Ok(client.Rest("s3", "PUT", "/big-bucket", {}, ""), "CreateBucket")) return 1;
  auto key = client.Json("kms", "CreateKey", {{"Description", "s3 bench"}});
  if (!Ok(key, "CreateKey")) return 1;
  std::string key_id = key->json["KeyMetadata"]["KeyId"];
  auto start = client.Rest("s3", "POST", "/big-bucket/big.bin?uploads",
                           {{"x-amz-server-side-encryption", "aws:kms"},
                            {"x-amz-server-side-encryption-aws-kms-key-id", key_id}},
                           "");
  if (!Ok(start, "CreateMultipartUpload")) return 1;
  const std::string upload = XmlValue(start->http.body, "UploadId");
  std::printf("server RSS before the upload: %.1f MiB\n", server->RssKiB() / 1024.0);

  const int part_mib = 8;
  const int parts = mib / part_mib;
  const std::string part = Body(part_mib * 1024 * 1024, 'p');
  std::vector<std::string> etags(parts);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  double cpu0 = server->CpuSeconds();
  double t0 = gee::bench::WallSeconds();
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      AwsClient c(server->endpoint(), {"test", "test", ""}, "us-east-1");
      for (int i = next++; i < parts && !failed; i = next++) {
        auto r = c.Rest("s3", "PUT",
                        "/big-bucket/big.bin?partNumber=" + std::to_string(i + 1) + "&uploadId=" + upload,
                        {}, part, /*unsigned_payload=*/true);
        if (!Ok(r, "UploadPart")) {
          failed = true;
          return;
        }
        etags[i] = std::string(r->http.Header("ETag"));
      }
    });
  }
  for (auto& t : workers) t.join();
  if (failed) return 1;
  std::string xml = "<CompleteMultipartUpload>";
  for (int i = 0; i < parts; ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] +
           "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  if (!Ok(client.Rest("s3", "POST", "/big-bucket/big.bin?uploadId=" + upload, {}, xml),
          "CompleteMultipartUpload")) {
    return 1;
  }
  double wall = gee::bench::WallSeconds() - t0;
  double cpu = server->CpuSeconds() - cpu0;
  std::printf("multipart upload of %d MiB SSE-KMS (%d x %d MiB parts, 4 clients): %.1f s, "
              "%.0f MiB/s, server CPU %.1f s\n",
              mib, parts, part_mib, wall, mib / wall, cpu);
  std::printf("server peak RSS during the upload (VmHWM): %.1f MiB\n",
              server->PeakRssKiB() / 1024.0);

  // Read it back as one streamed GET (the client holds it; the server must not).
  t0 = gee::bench::WallSeconds();
  auto get = client.Rest("s3", "GET", "/big-bucket/big.bin", {}, "");
  if (!Ok(get, "GetObject") || get->http.body.size() != static_cast<size_t>(parts) * part.size()) {
    std::fprintf(stderr, "GetObject returned %zu bytes\n", get.ok() ? get->http.body.size() : 0);
    return 1;
  }
  wall = gee::bench::WallSeconds() - t0;
  std::printf("streamed GET of %d MiB: %.1f s, %.0f MiB/s; server peak RSS now %.1f MiB\n", mib,
              wall, mib / wall, server->PeakRssKiB() / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  int mib = argc > 2 ? std::atoi(argv[2]) : 1024;
  if (int rc = SseKmsRequests(n); rc != 0) return rc;
  return LargeMultipart(mib);
}

// CloudWatch Logs benchmark (issue 5): PutLogEvents requests/s and server CPU
// per request, batches of 1 and of 100 events, for a log group with a KMS
// key (events sealed under a cached KMS data key) and one without (Logs'
// default encryption). Run by hand: ./build/logs_bench [requests]
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/bench_support.h"

using gee::bench::ServerProcess;
using nlohmann::json;

namespace {

constexpr char kKeyPolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Root", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
     "Action": "kms:*", "Resource": "*"},
    {"Sid": "Logs", "Effect": "Allow",
     "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:Describe*"],
     "Resource": "*"}
  ]
})";

void Check(const gee::Result<gee::harness::ApiResponse>& r, const char* what) {
  if (!r.ok() || !r->ok()) {
    std::fprintf(stderr, "%s failed: %s %s\n", what, r.ok() ? r->error_code.c_str() : "",
                 r.ok() ? r->error_message.c_str() : r.error().message.c_str());
    std::exit(1);
  }
}

json Events(int count, int request) {
  long long now = static_cast<long long>(gee::bench::WallSeconds() * 1000);
  json events = json::array();
  for (int i = 0; i < count; ++i) {
    events.push_back({{"timestamp", now},
                      {"message", "request " + std::to_string(request) + " event " +
                                      std::to_string(i) +
                                      " GET /api/orders/12345 200 17ms user=alice"}});
  }
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  auto server = ServerProcess::Start();
  if (!server) return 1;
  gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");

  auto key = client.Json("kms", "CreateKey", {{"Policy", kKeyPolicy}});
  Check(key, "kms:CreateKey");
  std::string key_arn = key->json["KeyMetadata"]["Arn"];
  Check(client.Json("logs", "CreateLogGroup", {{"logGroupName", "/bench/kms"}, {"kmsKeyId", key_arn}}),
        "CreateLogGroup with key");
  Check(client.Json("logs", "CreateLogGroup", {{"logGroupName", "/bench/default"}}),
        "CreateLogGroup");
  for (const char* group : {"/bench/kms", "/bench/default"}) {
    Check(client.Json("logs", "CreateLogStream", {{"logGroupName", group}, {"logStreamName", "s"}}),
          "CreateLogStream");
  }

  for (int batch : {1, 100}) {
    for (const char* group : {"/bench/default", "/bench/kms"}) {
      std::string name = std::string("PutLogEvents ") + std::to_string(batch) + " event" +
                         (batch > 1 ? "s" : "") +
                         (std::string(group) == "/bench/kms" ? ", KMS key" : ", default key");
      int requests = batch == 1 ? n : n / 5;
      gee::bench::Measure(name.c_str(), *server, requests, [&](int i) {
        auto r = client.Json("logs", "PutLogEvents", {{"logGroupName", group},
                                                      {"logStreamName", "s"},
                                                      {"logEvents", Events(batch, i)}});
        if (!r.ok() || !r->ok()) std::abort();
      });
    }
  }
  // A read for scale: the last 100 events of the KMS group (one KMS Decrypt per
  // data key touched).
  gee::bench::Measure("GetLogEvents limit 100, KMS key", *server, n / 10, [&](int) {
    auto r = client.Json("logs", "GetLogEvents",
                         {{"logGroupName", "/bench/kms"}, {"logStreamName", "s"}, {"limit", 100}});
    if (!r.ok() || !r->ok()) std::abort();
  });
  std::printf("peak RSS: %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return 0;
}

// Glue Data Catalog benchmark (issue 6): CreateTable and GetTable
// requests/s and server CPU per request with catalog encryption off
// (glue-default sealing, no KMS call) and on (SSE-KMS with a customer key:
// one GenerateDataKey per write, one Decrypt per read, as the caller via
// Glue), over one keep-alive client against a `gee serve` child.
// Run by hand: ./build/glue_catalog_bench [requests]
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"

using gee::bench::ServerProcess;
using Json = nlohmann::json;

namespace {

Json Call(gee::harness::AwsClient& client, const char* service, const char* op, const Json& input) {
  auto r = client.Json(service, op, input);
  if (!r.ok() || !r->ok()) {
    std::fprintf(stderr, "%s failed: %s\n", op,
                 r.ok() ? (r->error_code + " " + r->error_message).c_str() : r.error().message.c_str());
    std::abort();
  }
  return r->json;
}

Json TableInput(const std::string& name) {
  Json columns = Json::array();
  for (int c = 0; c < 12; ++c) {
    columns.push_back({{"Name", "column_" + std::to_string(c)}, {"Type", c % 2 ? "string" : "bigint"}});
  }
  return {{"Name", name},
          {"StorageDescriptor",
           {{"Columns", columns},
            {"Location", "s3://bench-bucket/" + name + "/"},
            {"InputFormat", "org.apache.hadoop.mapred.TextInputFormat"},
            {"OutputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"},
            {"SerdeInfo", {{"SerializationLibrary", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}}}}},
          {"PartitionKeys", Json::array({{{"Name", "dt"}, {"Type", "string"}}})},
          {"Parameters", {{"classification", "csv"}, {"delimiter", ","}}}};
}

void Run(const char* label, ServerProcess& server, gee::harness::AwsClient& client,
         const std::string& db, int n) {
  Call(client, "glue", "CreateDatabase", {{"DatabaseInput", {{"Name", db}}}});
  int created = 0;  // Measure also runs a warm-up: every call needs a new name
  std::string create = std::string("glue:CreateTable, ") + label;
  gee::bench::Measure(create.c_str(), server, n, [&](int) {
    Call(client, "glue", "CreateTable",
         {{"DatabaseName", db}, {"TableInput", TableInput("t" + std::to_string(created++))}});
  });
  std::string get = std::string("glue:GetTable, ") + label;
  gee::bench::Measure(get.c_str(), server, n, [&](int i) {
    Call(client, "glue", "GetTable", {{"DatabaseName", db}, {"Name", "t" + std::to_string(i % created)}});
  });
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  auto server = ServerProcess::Start();
  if (!server) return 1;
  gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");

  Run("catalog encryption off", *server, client, "plain", n);

  const std::string key = Call(client, "kms", "CreateKey", Json::object())["KeyMetadata"]["Arn"];
  Call(client, "glue", "PutDataCatalogEncryptionSettings",
       {{"DataCatalogEncryptionSettings",
         {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS"}, {"SseAwsKmsKeyId", key}}}}}});
  Run("SSE-KMS customer key", *server, client, "encrypted", n);

  Call(client, "glue", "PutDataCatalogEncryptionSettings",
       {{"DataCatalogEncryptionSettings", {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS"}}}}}});
  Run("SSE-KMS aws/glue", *server, client, "managed", n);

  std::printf("peak RSS: %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return 0;
}

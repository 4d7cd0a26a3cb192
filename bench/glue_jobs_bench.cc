// Glue job run benchmark (issue 7): time from StartJobRun to SUCCEEDED for a
// run over 100 input objects (CSV, ~60 bytes each) with the seed's security
// configuration (SSE-KMS output, KMS-encrypted logs, CSE-KMS bookmark, the
// bookmark reset before each run so every run reads all 100 objects), and the
// server's CPU per run. The client polls GetJobRun every 1 ms, so the CPU
// figure includes the polls (reported). Run by hand:
//   ./build/glue_jobs_bench [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"

using gee::bench::ServerProcess;
using nlohmann::json;

namespace {

constexpr char kAccount[] = "000000000000";
constexpr char kBucket[] = "bench-data";

void Check(const gee::Result<gee::harness::ApiResponse>& r, const char* what) {
  if (!r.ok() || !r->ok()) {
    std::fprintf(stderr, "%s failed: %s %s\n", what, r.ok() ? r->error_code.c_str() : "",
                 r.ok() ? r->error_message.c_str() : r.error().message.c_str());
    std::exit(1);
  }
}

std::string Policy(const json& statements) {
  return json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 20;
  auto server = ServerProcess::Start();
  if (!server) return 1;
  gee::harness::AwsClient client(server->endpoint(), {"test", "test", ""}, "us-east-1");

  auto key = [&](const std::string& policy) {
    json input = json::object();
    if (!policy.empty()) input["Policy"] = policy;
    auto r = client.Json("kms", "CreateKey", input);
    Check(r, "kms:CreateKey");
    return r->json["KeyMetadata"]["Arn"].get<std::string>();
  };
  std::string s3_key = key("");
  std::string bookmark_key = key("");
  std::string logs_key = key(Policy(json::array(
      {{{"Effect", "Allow"}, {"Principal", {{"AWS", std::string("arn:aws:iam::") + kAccount + ":root"}}},
        {"Action", "kms:*"}, {"Resource", "*"}},
       {{"Effect", "Allow"}, {"Principal", {{"Service", "logs.us-east-1.amazonaws.com"}}},
        {"Action", {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                    "kms:Describe*"}},
        {"Resource", "*"}}})));

  Check(client.Query("iam", "CreateRole",
                     {{"RoleName", "GlueJobRole"},
                      {"AssumeRolePolicyDocument",
                       Policy(json::array({{{"Effect", "Allow"},
                                            {"Principal", {{"Service", "glue.amazonaws.com"}}},
                                            {"Action", "sts:AssumeRole"}}}))}}),
        "iam:CreateRole");
  std::string b = kBucket;
  Check(client.Query("iam", "PutRolePolicy",
                     {{"RoleName", "GlueJobRole"},
                      {"PolicyName", "runtime"},
                      {"PolicyDocument",
                       Policy(json::array(
                           {{{"Effect", "Allow"},
                             {"Action", {"s3:GetObject", "s3:ListBucket", "s3:PutObject"}},
                             {"Resource", {"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"}}},
                            {{"Effect", "Allow"},
                             {"Action", {"logs:CreateLogGroup", "logs:CreateLogStream",
                                         "logs:PutLogEvents", "logs:AssociateKmsKey"}},
                             {"Resource", "arn:aws:logs:*:*:log-group:/aws-glue/*"}},
                            {{"Effect", "Allow"},
                             {"Action", {"kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"}},
                             {"Resource", {s3_key, bookmark_key}}}}))}}),
        "iam:PutRolePolicy");

  Check(client.Rest("s3", "PUT", "/" + b, {}, ""), "s3:CreateBucket");
  Check(client.Rest("s3", "PUT", "/" + b + "/scripts/etl.py", {}, "print('etl')\n"),
        "s3:PutObject script");
  for (int i = 0; i < 100; ++i) {
    std::string body = "customer,region,amount\ncustomer-" + std::to_string(i) + ",north," +
                       std::to_string(1000 + i) + "\n";
    Check(client.Rest("s3", "PUT", "/" + b + "/input/part-" + std::to_string(i) + ".csv", {}, body),
          "s3:PutObject input");
  }
  Check(client.Json("glue", "CreateSecurityConfiguration",
                    {{"Name", "sc"},
                     {"EncryptionConfiguration",
                      {{"S3Encryption", {{{"S3EncryptionMode", "SSE-KMS"}, {"KmsKeyArn", s3_key}}}},
                       {"CloudWatchEncryption",
                        {{"CloudWatchEncryptionMode", "SSE-KMS"}, {"KmsKeyArn", logs_key}}},
                       {"JobBookmarksEncryption",
                        {{"JobBookmarksEncryptionMode", "CSE-KMS"}, {"KmsKeyArn", bookmark_key}}}}}}),
        "glue:CreateSecurityConfiguration");
  Check(client.Json("glue", "CreateJob",
                    {{"Name", "etl"},
                     {"Role", "GlueJobRole"},
                     {"GlueVersion", "4.0"},
                     {"SecurityConfiguration", "sc"},
                     {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://" + b + "/scripts/etl.py"}}},
                     {"DefaultArguments", {{"--job-bookmark-option", "job-bookmark-enable"},
                                           {"--input_path", "s3://" + b + "/input/"},
                                           {"--output_path", "s3://" + b + "/output/"}}}}),
        "glue:CreateJob");

  std::vector<double> times;
  double cpu_total = 0;
  int polls = 0;
  for (int r = 0; r < runs; ++r) {
    if (r > 0) Check(client.Json("glue", "ResetJobBookmark", {{"JobName", "etl"}}), "ResetJobBookmark");
    double cpu0 = server->CpuSeconds();
    double t0 = gee::bench::WallSeconds();
    auto started = client.Json("glue", "StartJobRun", {{"JobName", "etl"}});
    Check(started, "glue:StartJobRun");
    std::string run_id = started->json["JobRunId"];
    while (true) {
      auto got = client.Json("glue", "GetJobRun", {{"JobName", "etl"}, {"RunId", run_id}});
      Check(got, "glue:GetJobRun");
      ++polls;
      std::string state = got->json["JobRun"]["JobRunState"];
      if (state == "SUCCEEDED") break;
      if (state == "FAILED" || state == "STOPPED") {
        std::fprintf(stderr, "run %s: %s\n", state.c_str(),
                     got->json["JobRun"].value("ErrorMessage", "").c_str());
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    times.push_back(gee::bench::WallSeconds() - t0);
    cpu_total += server->CpuSeconds() - cpu0;
  }
  std::sort(times.begin(), times.end());
  double sum = 0;
  for (double t : times) sum += t;
  std::printf("StartJobRun -> SUCCEEDED, 100 input objects, SSE-KMS + KMS logs + CSE-KMS bookmark\n");
  std::printf("  runs: %d  mean: %.1f ms  median: %.1f ms  min: %.1f ms  max: %.1f ms\n", runs,
              1000 * sum / runs, 1000 * times[times.size() / 2], 1000 * times.front(),
              1000 * times.back());
  std::printf("  server CPU per run: %.1f ms (includes %.1f GetJobRun polls per run)\n",
              1000 * cpu_total / runs, static_cast<double>(polls) / runs);
  std::printf("peak RSS: %.1f MiB\n", server->PeakRssKiB() / 1024.0);
  return 0;
}

// Authorization benchmark (issue 4). Run by hand:
//   ./build/authz_bench [decisions] [requests]
// (requests = 0 skips the HTTP part, e.g. under callgrind).
//
// 1. In-process: an IAM user with 10 attached customer managed policies of
//    10 statements each (the requested action matches only the last
//    statement of the last policy, so every statement is examined), decided
//    through
//      - policy::Evaluate over pre-parsed policies (the evaluator alone),
//      - Authorizer::Authorize with the IAM-backed provider (cached policy
//        set + the global condition keys policies ask for + evaluation: what
//        every request pays),
//      - Environment::Authorize (the above plus the decision log line),
//    for an IAM-only action and for kms:Encrypt against a key policy that
//    delegates to the account. Prints decisions/s and microseconds each.
// 2. Over HTTP against `gee serve`: server CPU per KMS Encrypt as the root
//    (no policies to fetch) and as that user, and per GetCallerIdentity
//    (never authorized) as a floor.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "auth/policy/evaluator.h"
#include "auth/policy/policy.h"
#include "auth/policy/policy_cache.h"
#include "auth/request_keys.h"
#include "bench/bench_support.h"
#include "core/environment.h"
#include "emulator.h"
#include "services/service.h"

namespace {

using gee::Json;

constexpr char kAccount[] = "000000000000";

// Policy `p` of 10: statements for other actions, resources and conditions,
// and (in the last policy only) the final statement allows the measured
// actions.
std::string BenchPolicy(int p) {
  Json statements = Json::array();
  for (int s = 0; s < 10; ++s) {
    const bool last = p == 9 && s == 9;
    Json st = {{"Sid", "S" + std::to_string(p) + "x" + std::to_string(s)}, {"Effect", "Allow"}};
    if (last) {
      st["Action"] = Json::array({"iam:ListRoles", "kms:Encrypt"});
      st["Resource"] = "*";
      st["Condition"] = {{"StringEquals", {{"aws:PrincipalTag/team", "bench"}}}};
    } else if (s % 3 == 0) {
      st["Action"] = Json::array({"s3:GetObject", "s3:PutObject"});
      st["Resource"] = "arn:aws:s3:::bucket-" + std::to_string(p) + "-" + std::to_string(s) + "/*";
    } else if (s % 3 == 1) {
      st["Action"] = "dynamodb:Query";
      st["Resource"] = "arn:aws:dynamodb:us-east-1:" + std::string(kAccount) + ":table/t" +
                       std::to_string(s);
      st["Condition"] = {{"StringLike", {{"aws:userid", "AIDA*"}}}};
    } else {
      st["Action"] = "glue:Get*";
      st["Resource"] = "arn:aws:glue:us-east-1:" + std::string(kAccount) + ":table/db/t" +
                       std::to_string(s);
    }
    statements.push_back(st);
  }
  return Json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

Json MustInvoke(gee::Environment& env, gee::RequestContext& ctx, const char* service,
                const char* op, const Json& input) {
  auto r = env.FindService(service)->Invoke(ctx, op, input);
  if (!r.ok()) {
    std::fprintf(stderr, "%s %s failed: %s %s\n", service, op, r.error().code.c_str(),
                 r.error().message.c_str());
    std::exit(1);
  }
  return *r;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Reports thread CPU time per call (the machine may be shared, so wall time
// is printed too but CPU time is the figure that matters). Not inlined, so
// callgrind reports each measurement as its own function.
template <typename Fn>
[[gnu::noinline]] void Time(const char* name, int n, Fn&& fn) {
  for (int i = 0; i < n / 10 + 1; ++i) fn();
  auto t0 = std::chrono::steady_clock::now();
  double c0 = ThreadCpuSeconds();
  for (int i = 0; i < n; ++i) fn();
  double cpu = ThreadCpuSeconds() - c0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-60s %9.0f decisions/s (CPU) %7.2f us CPU each (%.2f us wall)\n", name, n / cpu,
              cpu * 1e6 / n, wall * 1e6 / n);
}

void InProcess(int n) {
  gee::EmulatorOptions options;
  options.config.ephemeral = true;
  options.config.access_log = false;
  auto emulator = gee::Emulator::Create(std::move(options));
  if (!emulator.ok()) std::exit(1);
  gee::Environment& env = (*emulator)->env();
  gee::RequestContext root = env.NewContext(gee::RootPrincipal(kAccount), "us-east-1");

  MustInvoke(env, root, "iam", "CreateUser",
             {{"UserName", "bench"}, {"Tags", Json::array({{{"Key", "team"}, {"Value", "bench"}}})}});
  for (int p = 0; p < 10; ++p) {
    Json created = MustInvoke(env, root, "iam", "CreatePolicy",
                              {{"PolicyName", "bench" + std::to_string(p)},
                               {"PolicyDocument", BenchPolicy(p)}});
    MustInvoke(env, root, "iam", "AttachUserPolicy",
               {{"UserName", "bench"}, {"PolicyArn", created["Policy"]["Arn"]}});
  }
  Json key = MustInvoke(env, root, "iam", "CreateAccessKey", {{"UserName", "bench"}});
  auto record = env.credentials().Lookup(key["AccessKey"]["AccessKeyId"].get<std::string>());
  if (!record.ok() || !record->has_value()) std::exit(1);
  gee::RequestContext ctx = env.NewContext((*record)->principal, "us-east-1");
  ctx.service = "iam";

  gee::AuthRequest list;
  list.action = "iam:ListRoles";
  list.resource = "arn:aws:iam::000000000000:role/";
  gee::AuthRequest encrypt;
  encrypt.action = "kms:Encrypt";
  encrypt.resource = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  encrypt.resource_policy_kind = gee::ResourcePolicyKind::kKeyPolicy;
  encrypt.resource_policy_name = "key policy";
  encrypt.resource_policy =
      R"({"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"kms:*","Resource":"*"}]})";
  encrypt.keys.Set("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
  encrypt.keys.Set("kms:EncryptionContext:purpose", "bench");
  encrypt.keys.SetMulti("kms:EncryptionContextKeys", {"purpose"});

  gee::Authorizer& authorizer = env.authorizer();
  if (!authorizer.Authorize(ctx, list).allowed() || !authorizer.Authorize(ctx, encrypt).allowed()) {
    std::fprintf(stderr, "the bench user is not allowed: %s\n",
                 authorizer.Authorize(ctx, list).explanation.c_str());
    std::exit(1);
  }

  // The evaluator alone, over already parsed policies and prepared keys.
  std::vector<std::string> names;  // NamedPolicy borrows its name
  for (int p = 0; p < 10; ++p) names.push_back("bench" + std::to_string(p));
  std::vector<gee::policy::NamedPolicy> parsed;
  for (int p = 0; p < 10; ++p) {
    parsed.push_back({names[p], *gee::policy::ParseManagedPolicy(BenchPolicy(p))});
  }
  gee::ConditionKeys keys = gee::Authorizer::GlobalKeys(ctx, list.action);
  gee::policy::EvaluationInput in;
  in.principal = &ctx.principal;
  in.action = list.action;
  in.resource = list.resource;
  in.identity_policies = parsed;
  in.keys = &keys;
  std::printf("policy set: 10 attached managed policies x 10 statements (match in statement 100)\n");
  Time("policy::Evaluate (pre-parsed, IAM action)", n, [&] {
    if (!gee::policy::Evaluate(in).allowed()) std::abort();
  });
  Time("Authorizer::Authorize, IAM provider (iam:ListRoles)", n, [&] {
    if (!authorizer.Authorize(ctx, list).allowed()) std::abort();
  });
  Time("Authorizer::Authorize, IAM provider + key policy (kms:Encrypt)", n, [&] {
    if (!authorizer.Authorize(ctx, encrypt).allowed()) std::abort();
  });
  std::vector<std::string> decisions;
  ctx.decisions = &decisions;
  Time("Environment::Authorize (+ decision log line, kms:Encrypt)", n, [&] {
    decisions.clear();
    if (!env.Authorize(ctx, encrypt).ok()) std::abort();
  });
  Time("  part: Authorizer::GlobalKeys (all derived, eagerly)", n, [&] {
    if (gee::Authorizer::GlobalKeys(ctx, encrypt.action).Names().empty()) std::abort();
  });
  Time("  part: RequestKeys (what Authorize derives: one tag key)", n, [&] {
    gee::RequestKeys request_keys(&ctx, encrypt.action, {&encrypt.keys, nullptr});
    if (request_keys.Find("aws:PrincipalTag/team") == nullptr) std::abort();
  });
  gee::policy::PolicyCache policy_cache;
  Time("  part: PolicyCache::Get (key policy)", n, [&] {
    if (!policy_cache.Get(encrypt.resource_policy, gee::policy::PolicyKind::kKeyPolicy).ok()) std::abort();
  });
  gee::RequestContext root_ctx = env.NewContext(gee::RootPrincipal(kAccount), "us-east-1");
  root_ctx.service = "kms";
  Time("Authorizer::Authorize as root (kms:Encrypt)", n, [&] {
    if (!authorizer.Authorize(root_ctx, encrypt).allowed()) std::abort();
  });
}

void OverHttp(int n) {
  auto server = gee::bench::ServerProcess::Start();
  if (!server) std::exit(1);
  gee::harness::AwsClient root(server->endpoint(), {"test", "test", ""}, "us-east-1");
  auto q = [&](const char* op, std::vector<std::pair<std::string, std::string>> params) {
    auto r = root.Query("iam", op, params);
    if (!r.ok() || !r->ok()) {
      std::fprintf(stderr, "%s failed: %s\n", op, r.ok() ? r->error_message.c_str() : "transport");
      std::exit(1);
    }
    return *r;
  };
  q("CreateUser", {{"UserName", "bench"}, {"Tags.member.1.Key", "team"}, {"Tags.member.1.Value", "bench"}});
  for (int p = 0; p < 10; ++p) {
    std::string name = "bench" + std::to_string(p);
    q("CreatePolicy", {{"PolicyName", name}, {"PolicyDocument", BenchPolicy(p)}});
    q("AttachUserPolicy", {{"UserName", "bench"}, {"PolicyArn", "arn:aws:iam::000000000000:policy/" + name}});
  }
  auto key_response = q("CreateAccessKey", {{"UserName", "bench"}});
  auto between = [](const std::string& body, const std::string& tag) {
    auto a = body.find("<" + tag + ">");
    auto b = body.find("</" + tag + ">");
    return body.substr(a + tag.size() + 2, b - a - tag.size() - 2);
  };
  gee::harness::AwsClient user(server->endpoint(),
                               {between(key_response.http.body, "AccessKeyId"),
                                between(key_response.http.body, "SecretAccessKey"), ""},
                               "us-east-1");
  auto created = root.Json("kms", "CreateKey", Json::object());
  if (!created.ok() || !created->ok()) std::exit(1);
  const std::string key_id = created->json["KeyMetadata"]["KeyId"];
  const Json encrypt = {{"KeyId", key_id}, {"Plaintext", "aGVsbG8="},
                        {"EncryptionContext", {{"purpose", "bench"}}}};
  auto check = [&](gee::harness::AwsClient& c) {
    auto r = c.Json("kms", "Encrypt", encrypt);
    if (!r.ok() || !r->ok()) {
      std::fprintf(stderr, "Encrypt failed: %s\n", r.ok() ? r->error_message.c_str() : "transport");
      std::exit(1);
    }
  };
  check(user);
  gee::bench::Measure("sts:GetCallerIdentity as user (floor)", *server, n, [&](int) {
    auto r = user.Query("sts", "GetCallerIdentity", {});
    if (!r.ok() || !r->ok()) std::abort();
  });
  gee::bench::Measure("kms:Encrypt as root", *server, n, [&](int) { check(root); });
  gee::bench::Measure("kms:Encrypt as user with 10x10 policies", *server, n, [&](int) { check(user); });
}

}  // namespace

int main(int argc, char** argv) {
  const int decisions = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int requests = argc > 2 ? std::atoi(argv[2]) : 5000;
  InProcess(decisions);
  if (requests > 0) OverHttp(requests);
  return 0;
}

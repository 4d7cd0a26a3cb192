// Crawlers: CreateCrawler, GetCrawler, GetCrawlers, ListCrawlers,
// UpdateCrawler, DeleteCrawler, StartCrawler, StopCrawler, GetCrawlerMetrics,
// and the emulated crawl (DESIGN.md "Emulated Glue runtime"): as the crawler
// role session (assumed as glue.amazonaws.com), list each S3 target, infer
// the columns of its objects (CSV header / JSON keys), create or update one
// table per target in DatabaseName through the catalog operations (so the
// role needs glue:GetTable/CreateTable/UpdateTable and catalog encryption
// applies as the role), and log to /aws-glue/crawlers-role/<RoleName>-<SC>
// associated with the configuration's CloudWatch key (plain
// /aws-glue/crawlers without CloudWatch encryption), stream = crawler name.
// The outcome is LastCrawl {Status, ErrorMessage, LogGroup, LogStream,
// MessagePrefix, StartTime}.
#include <mutex>

#include "core/environment.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "services/logs/logs_client.h"

namespace gee::glue {

using internal::Int;
using internal::Str;

namespace {

constexpr size_t kDefaultPage = 100;

std::string CrawlerArn(const std::string& region, const std::string& account,
                       const std::string& name) {
  return "arn:aws:glue:" + region + ":" + account + ":crawler/" + name;
}

AwsError CrawlerNotFound(const std::string& name) {
  return errors::EntityNotFound("Crawler entry with name " + name + " does not exist");
}

AwsError CrawlerRunning(const std::string& name) {
  // Text UNCONFIRMED.
  return AwsError("CrawlerRunningException", "Crawler with name " + name + " has already started",
                  400);
}

// The stored crawler `name`; EntityNotFoundException when there is none.
Result<Json> RequireCrawler(Environment& env, const std::string& account,
                            const std::string& region, const std::string& name) {
  GEE_ASSIGN_OR_RETURN(auto crawler, LoadDocument(env, "glue_crawlers", account, region, name));
  if (!crawler) return CrawlerNotFound(name);
  return std::move(*crawler);
}

// The Crawler as the API returns it (without gee's "Metrics").
Json Output(Json crawler) {
  crawler.erase("Metrics");
  return crawler;
}

// A table name for the target folder `prefix` of `bucket` (Glue names the
// table after the folder, in lower case, other characters as '_').
std::string TableNameFor(const std::string& bucket, std::string prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  size_t slash = prefix.rfind('/');
  std::string base = prefix.empty() ? bucket
                                    : (slash == std::string::npos ? prefix : prefix.substr(slash + 1));
  std::string name;
  for (char c : base) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    name.push_back(ok ? c : '_');
  }
  return name;
}

}  // namespace

Result<AuthRequest> GlueService::CrawlerResource(Call& call) {
  AuthRequest request;
  request.resource = CrawlerArn(call.ctx.region, call.ctx.account, Str(call.input, "Name"));
  request.resource_account = call.ctx.account;
  return request;
}

Result<Json> GlueService::CreateCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_RETURN_IF_ERROR(PassRole(call, Str(call.input, "Role")));
  GEE_ASSIGN_OR_RETURN(auto existing, LoadDocument(env(), "glue_crawlers", account, region, name));
  if (existing) {
    return errors::AlreadyExists("Crawler with name " + name + " has already been created");
  }
  if (std::string sc = Str(call.input, "CrawlerSecurityConfiguration"); !sc.empty()) {
    GEE_RETURN_IF_ERROR(FindSecurityConfiguration(account, region, sc));
  }
  Json crawler = Json::object();
  for (auto it = call.input.begin(); it != call.input.end(); ++it) {
    if (it.key() != "Tags") crawler[it.key()] = it.value();
  }
  double now = NowSeconds();
  crawler["State"] = "READY";
  crawler["CreationTime"] = now;
  crawler["LastUpdated"] = now;
  crawler["Version"] = 1;
  crawler["CrawlElapsedTime"] = 0;
  if (!crawler.contains("SchemaChangePolicy")) {
    crawler["SchemaChangePolicy"] = {{"UpdateBehavior", "UPDATE_IN_DATABASE"},
                                     {"DeleteBehavior", "DEPRECATE_IN_DATABASE"}};
  }
  if (!crawler.contains("RecrawlPolicy")) {
    crawler["RecrawlPolicy"] = {{"RecrawlBehavior", "CRAWL_EVERYTHING"}};
  }
  crawler["Metrics"] = {{"TablesCreated", 0}, {"TablesUpdated", 0}, {"TablesDeleted", 0},
                        {"LastRuntimeSeconds", 0}, {"MedianRuntimeSeconds", 0}};
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_crawlers", account, region, name, crawler));
  if (auto tags = call.input.find("Tags"); tags != call.input.end()) {
    GEE_RETURN_IF_ERROR(SetTags(CrawlerArn(region, account, name), *tags));
  }
  return Json::object();
}

Result<Json> GlueService::GetCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  GEE_ASSIGN_OR_RETURN(auto crawler, LoadDocument(env(), "glue_crawlers", call.ctx.account,
                                                  call.ctx.region, name));
  if (!crawler) return CrawlerNotFound(name);
  return Json{{"Crawler", Output(*crawler)}};
}

Result<Json> GlueService::GetCrawlers(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto after, internal::StartAfter(call.input));
  size_t limit = static_cast<size_t>(Int(call.input, "MaxResults", kDefaultPage));
  GEE_ASSIGN_OR_RETURN(auto rows, ListDocuments(env(), "glue_crawlers", call.ctx.account,
                                                call.ctx.region, after.value_or(""), limit + 1));
  Json out = {{"Crawlers", Json::array()}};
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    out["Crawlers"].push_back(Output(rows[i].second));
  }
  if (rows.size() > limit) out["NextToken"] = MakeNextToken(rows[limit - 1].first);
  return out;
}

Result<Json> GlueService::ListCrawlers(Call& call) {
  return ListNames(call, "glue_crawlers", "crawler", "CrawlerNames");
}

Result<Json> GlueService::UpdateCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(Json crawler, RequireCrawler(env(), account, region, name));
  if (Str(crawler, "State") != "READY") return CrawlerRunning(name);
  if (call.input.contains("Role")) {
    GEE_RETURN_IF_ERROR(PassRole(call, Str(call.input, "Role")));
  }
  if (std::string sc = Str(call.input, "CrawlerSecurityConfiguration"); !sc.empty()) {
    GEE_RETURN_IF_ERROR(FindSecurityConfiguration(account, region, sc));
  }
  for (auto it = call.input.begin(); it != call.input.end(); ++it) crawler[it.key()] = it.value();
  crawler["LastUpdated"] = NowSeconds();
  crawler["Version"] = Int(crawler, "Version", 1) + 1;
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_crawlers", account, region, name, crawler));
  return Json::object();
}

Result<Json> GlueService::DeleteCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(Json crawler, RequireCrawler(env(), account, region, name));
  if (Str(crawler, "State") != "READY") return CrawlerRunning(name);
  GEE_RETURN_IF_ERROR(DeleteDocument(env(), "glue_crawlers", account, region, name));
  GEE_RETURN_IF_ERROR(DeleteTagsOf(CrawlerArn(region, account, name)));
  return Json::object();
}

Result<Json> GlueService::StartCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(Json crawler, RequireCrawler(env(), account, region, name));
  if (Str(crawler, "State") != "READY") return CrawlerRunning(name);
  crawler["State"] = "RUNNING";
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_crawlers", account, region, name, crawler));
  runtime_.Submit([this, account, region, name] { ExecuteCrawl(account, region, name); });
  return Json::object();
}

Result<Json> GlueService::StopCrawler(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(Json crawler, RequireCrawler(env(), account, region, name));
  if (Str(crawler, "State") != "RUNNING") {
    // Text UNCONFIRMED.
    return AwsError("CrawlerNotRunningException", "Crawler with name " + name + " is not running",
                    400);
  }
  crawler["State"] = "STOPPING";
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_crawlers", account, region, name, crawler));
  return Json::object();
}

Result<Json> GlueService::GetCrawlerMetrics(Call& call) {
  Json out = {{"CrawlerMetricsList", Json::array()}};
  std::vector<std::pair<std::string, Json>> rows;
  if (call.input.contains("CrawlerNameList")) {
    for (const auto& n : call.input["CrawlerNameList"]) {
      GEE_ASSIGN_OR_RETURN(auto crawler, LoadDocument(env(), "glue_crawlers", call.ctx.account,
                                                      call.ctx.region, n.get<std::string>()));
      if (crawler) rows.emplace_back(n.get<std::string>(), std::move(*crawler));
    }
  } else {
    GEE_ASSIGN_OR_RETURN(rows, ListDocuments(env(), "glue_crawlers", call.ctx.account,
                                             call.ctx.region, "", 1000));
  }
  for (const auto& [name, crawler] : rows) {
    Json m = crawler.value("Metrics", Json::object());
    m["CrawlerName"] = name;
    m["StillEstimating"] = false;
    m["TimeLeftSeconds"] = 0;
    out["CrawlerMetricsList"].push_back(m);
  }
  return out;
}

// ---------------------------------------------------------------------------
// The crawl

void GlueService::ExecuteCrawl(const std::string& account, const std::string& region,
                               const std::string& name) {
  Environment& e = env();
  Json crawler;
  {
    std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
    auto loaded = LoadDocument(e, "glue_crawlers", account, region, name);
    if (!loaded.ok() || !*loaded) return;
    crawler = **loaded;
  }
  const int64_t started = e.clock().NowMicros();
  const std::string message_prefix = NewUuid(e.random());
  const std::string sc_name = Str(crawler, "CrawlerSecurityConfiguration");
  std::string group = "/aws-glue/crawlers";
  int64_t created = 0, updated = 0;
  std::vector<logs::InputLogEvent> lines;
  auto log = [&](const std::string& line) {
    lines.push_back({e.clock().NowMicros() / 1000, "[" + message_prefix + "] " + line});
  };
  auto sdk = [&](const AwsError& error, std::string_view service) {
    return errors::GlueEncryption(error, e.NewRequestId(), service).message;
  };

  auto result = [&]() -> Result<bool> {
    GEE_ASSIGN_OR_RETURN(RequestContext ctx,
                         RuntimeSession(account, region, Str(crawler, "Role"), "AWS-Crawler",
                                        CrawlerArn(region, account, name), "StartCrawler"));

    std::optional<SecurityConfiguration> sc;
    if (!sc_name.empty()) {
      std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
      auto found = FindSecurityConfiguration(account, region, sc_name);
      if (!found.ok()) {
        return AwsError("RunFailure", found.error().code + ": " + found.error().message);
      }
      sc = std::move(found).value();
      if (sc->cloudwatch_kms()) {
        group = "/aws-glue/crawlers-role/" + RoleNameOf(Str(crawler, "Role")) + "-" + sc_name;
      }
    }
    log("BENCHMARK : Running Start Crawl for Crawler " + name);
    const std::string database = Str(crawler, "DatabaseName");
    if (database.empty()) return AwsError("RunFailure", "The crawler has no DatabaseName");
    Service* s3 = e.FindService("s3");
    if (s3 == nullptr) return AwsError("InternalFailure", "S3 is not available", 500);
    const bool update_tables = Str(crawler.value("SchemaChangePolicy", Json::object()),
                                   "UpdateBehavior", "UPDATE_IN_DATABASE") == "UPDATE_IN_DATABASE";
    const std::string table_prefix = Str(crawler, "TablePrefix");
    const Json targets = crawler.value("Targets", Json::object());
    for (auto it = targets.begin(); it != targets.end(); ++it) {
      if (it.key() != "S3Targets" && it.value().is_array() && !it.value().empty()) {
        // Nothing is crawled rather than a success that did nothing.
        return AwsError("RunFailure", "gee emulates crawls of S3 targets only; " + it.key() +
                                           " are not supported");
      }
    }
    for (const auto& target : crawler.value("Targets", Json::object()).value("S3Targets",
                                                                              Json::array())) {
      const std::string path = Str(target, "Path");
      std::string bucket, prefix;
      if (!ParseS3Uri(path, &bucket, &prefix)) {
        return AwsError("RunFailure", "Invalid S3 target path: " + path);
      }
      std::vector<std::pair<std::string, std::string>> columns;
      std::string classification;
      std::string token;
      do {
        Json list = {{"Bucket", bucket}, {"Prefix", prefix}};
        if (!token.empty()) list["ContinuationToken"] = token;
        RequestContext call_ctx = ctx;
        auto page = s3->Invoke(call_ctx, "ListObjectsV2", list);
        if (!page.ok()) {
          return AwsError("RunFailure", "Could not list " + path + ": " +
                                             sdk(page.error(), "Amazon S3"));
        }
        for (const auto& c : page->value("Contents", Json::array())) {
          const std::string key = Str(c, "Key");
          if (key.empty() || key.back() == '/') continue;
          RequestContext get_ctx = ctx;
          auto got = s3->Invoke(get_ctx, "GetObject", {{"Bucket", bucket}, {"Key", key}});
          if (!got.ok()) {
            return AwsError("RunFailure", "Could not read s3://" + bucket + "/" + key + ": " +
                                               sdk(got.error(), "Amazon S3"));
          }
          auto body = crypto::Base64Decode(Str(*got, "Body"));
          if (!body.ok()) return std::move(body).error();
          std::string kind;
          InferColumns(*body, &columns, &kind);
          if (classification.empty()) classification = kind;
        }
        token = page->value("IsTruncated", false) ? Str(*page, "NextContinuationToken") : "";
      } while (!token.empty());
      if (columns.empty()) {
        log("No data found under " + path);
        continue;
      }
      const std::string table = table_prefix + TableNameFor(bucket, prefix);
      Json cols = Json::array();
      for (const auto& [n, t] : columns) cols.push_back({{"Name", n}, {"Type", t}});
      std::string location = "s3://" + bucket + "/" + prefix;
      const bool csv = classification == "csv";
      Json table_input = {
          {"Name", table},
          {"TableType", "EXTERNAL_TABLE"},
          {"Parameters", {{"classification", classification}, {"UPDATED_BY_CRAWLER", name}}},
          {"StorageDescriptor",
           {{"Columns", cols},
            {"Location", location},
            {"InputFormat", "org.apache.hadoop.mapred.TextInputFormat"},
            {"OutputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"},
            {"SerdeInfo",
             csv ? Json{{"SerializationLibrary",
                         "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
                        {"Parameters", {{"field.delim", ","}}}}
                 : Json{{"SerializationLibrary", "org.openx.data.jsonserde.JsonSerDe"}}}}}};
      if (csv) table_input["Parameters"]["skip.header.line.count"] = "1";
      RequestContext glue_call = ctx;
      auto existing = Invoke(glue_call, "GetTable", {{"DatabaseName", database}, {"Name", table}});
      const bool exists = existing.ok();
      if (!existing.ok() && existing.error().code != "EntityNotFoundException") {
        return AwsError("RunFailure", "Could not read table " + database + "." + table + ": " +
                                           sdk(existing.error(), "AWSGlue"));
      }
      if (!exists || update_tables) {
        RequestContext write_ctx = ctx;
        auto wrote = Invoke(write_ctx, exists ? "UpdateTable" : "CreateTable",
                            {{"DatabaseName", database}, {"TableInput", table_input}});
        if (!wrote.ok()) {
          return AwsError("RunFailure", "Could not " + std::string(exists ? "update" : "create") +
                                             " table " + database + "." + table + ": " +
                                             sdk(wrote.error(), "AWSGlue"));
        }
        (exists ? updated : created) += 1;
        log((exists ? "Updated table " : "Created table ") + table + " in database " + database);
      }
    }
    // Logs.
    logs::LogsClient logs(e);
    auto logs_failure = [&](const AwsError& error) {
      return AwsError("RunFailure", "Could not write the crawler log to " + group + ": " +
                                         sdk(error, "AWSLogs"));
    };
    if (Status st = PrepareLogStream(ctx, group, sc && sc->cloudwatch_kms()
                                                     ? sc->cloudwatch.kms_key_arn : "",
                                     name);
        !st.ok()) {
      return logs_failure(st.error());
    }
    log("BENCHMARK : Crawler has finished running and is in state READY");
    auto put = logs.PutLogEvents(ctx, group, name, lines);
    if (!put.ok()) return logs_failure(put.error());
    return true;
  }();

  std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
  auto loaded = LoadDocument(e, "glue_crawlers", account, region, name);
  if (!loaded.ok() || !*loaded) return;
  Json doc = **loaded;
  const bool stopped = Str(doc, "State") == "STOPPING";
  Json last = {{"Status", stopped ? "CANCELLED" : (result.ok() ? "SUCCEEDED" : "FAILED")},
               {"LogGroup", group},
               {"LogStream", name},
               {"MessagePrefix", message_prefix},
               {"StartTime", static_cast<double>(started / 1000) / 1000.0}};
  if (!result.ok() && !stopped) {
    last["ErrorMessage"] = result.error().code == "RunFailure"
                               ? result.error().message
                               : result.error().code + ": " + result.error().message;
  }
  double runtime = static_cast<double>(e.clock().NowMicros() - started) / 1e6;
  doc["LastCrawl"] = last;
  doc["State"] = "READY";
  doc["CrawlElapsedTime"] = 0;
  doc["Metrics"] = {{"TablesCreated", created}, {"TablesUpdated", updated}, {"TablesDeleted", 0},
                    {"LastRuntimeSeconds", runtime}, {"MedianRuntimeSeconds", runtime}};
  (void)StoreDocument(e, "glue_crawlers", account, region, name, doc);
}

}  // namespace gee::glue

// The emulated job run (DESIGN.md "Emulated Glue runtime", spec §5.6), on the
// runtime thread. Every step acts as the job role session
// arn:aws:sts::ACCT:assumed-role/ROLE/GlueJobRunnerSession through the
// in-process services, i.e. with full authorization:
//   1. assume the role as glue.amazonaws.com; read Command.ScriptLocation;
//   2. read the objects under --input_path (skipping bookmarked ones);
//   3. write run-<JobRunId>-part-r-00000 under --output_path with the
//      configuration's S3 encryption;
//   4. write the driver log to the stream <JobRunId> of the job's group,
//      associated with the CloudWatch key when that encryption is on;
//   5. save the bookmark (CSE-KMS: kms:Encrypt as the role).
// A failure ends the run FAILED with ErrorMessage quoting the AWS error as
// the AWS SDK for Java renders it inside Glue:
//   "<what failed>: <message> (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: <id>; Proxy: null)"
// The store lock is taken per step (each in-process call takes it), never
// for the whole run, so requests are served while a run proceeds.
#include <algorithm>
#include <mutex>
#include <set>

#include "core/environment.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "services/kms/kms_client.h"
#include "services/logs/logs_client.h"
#include "services/sts/sts_client.h"
#include "store/root_key.h"

namespace gee::glue {

using internal::Str;

namespace {

// The message of `error` as the AWS SDK inside Glue reports it.
std::string SdkMessage(Environment& env, const AwsError& error, std::string_view service) {
  return errors::GlueEncryption(error, env.NewRequestId(), service).message;
}

// Why a run stops early.
struct RunFailure {
  std::string message;
};

}  // namespace

Result<RequestContext> GlueService::RuntimeSession(const std::string& account,
                                                  const std::string& region,
                                                  const std::string& role,
                                                  const std::string& session_name,
                                                  const std::string& source_arn,
                                                  const std::string& operation) {
  Environment& e = env();
  RequestContext glue_ctx = e.NewContext(ServicePrincipal("glue.amazonaws.com"), region);
  glue_ctx.account = account;
  glue_ctx.service = "glue";
  glue_ctx.operation = operation;
  sts::ServiceAssumeRole assume;
  assume.service_principal = "glue.amazonaws.com";
  assume.role = role;
  assume.session_name = session_name;
  assume.source_arn = source_arn;
  assume.source_account = account;
  auto session = sts::AssumeRoleAsService(e, glue_ctx, assume);
  if (!session.ok()) {
    if (session.error().code == "InternalFailure") return std::move(session).error();
    return AwsError("RunFailure", "Could not assume the role " + role + ": " +
                                       SdkMessage(e, session.error(), "AWSSecurityTokenService"));
  }
  RequestContext ctx = glue_ctx;
  ctx.principal = std::move(session).value();
  ctx.account = ctx.principal.account;
  return ctx;
}

Status GlueService::PrepareLogStream(const RequestContext& ctx, const std::string& group,
                                     const std::string& kms_key_arn, const std::string& stream) {
  logs::LogsClient logs(env());
  if (Status st = logs.CreateLogGroup(ctx, group);
      !st.ok() && st.error().code != "ResourceAlreadyExistsException") {
    return st;
  }
  if (!kms_key_arn.empty()) GEE_RETURN_IF_ERROR(logs.AssociateKmsKey(ctx, group, kms_key_arn));
  if (Status st = logs.CreateLogStream(ctx, group, stream);
      !st.ok() && st.error().code != "ResourceAlreadyExistsException") {
    return st;
  }
  return OkStatus();
}

void GlueService::ExecuteJobRun(const RunPlan& plan) {
  Environment& e = env();
  const std::string job_name = Str(plan.job, "Name");
  const int64_t started_micros = e.clock().NowMicros();
  std::vector<logs::InputLogEvent> log_lines;
  auto log = [&](std::string line) {
    log_lines.push_back({e.clock().NowMicros() / 1000, std::move(line)});
  };

  // Moves the run to `state` (with `error` for FAILED); false when the run
  // was asked to stop (then it ends STOPPED) or has vanished (reset, deleted).
  auto set_state = [&](const std::string& state, const std::string& error) -> bool {
    std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
    auto run = LoadRun(e, plan.account, plan.region, job_name, plan.run_id);
    if (!run.ok() || !*run) return false;
    Json doc = **run;
    std::string now_state = Str(doc, "JobRunState");
    bool stop = now_state == "STOPPING";
    std::string next = stop ? "STOPPED" : state;
    doc["JobRunState"] = next;
    doc["LastModifiedOn"] = NowSeconds();
    if (next == "FAILED") doc["ErrorMessage"] = error;
    if (next != "RUNNING") {
      doc["CompletedOn"] = NowSeconds();
      doc["ExecutionTime"] = (e.clock().NowMicros() - started_micros) / 1000000;
    }
    (void)StoreRun(e, plan.account, plan.region, job_name, doc);
    return !stop;
  };

  if (!set_state("RUNNING", "")) return;

  auto result = [&]() -> Result<bool> {
    // 1. The role session.
    GEE_ASSIGN_OR_RETURN(
        RequestContext ctx,
        RuntimeSession(plan.account, plan.region, Str(plan.job, "Role"), "GlueJobRunnerSession",
                       "arn:aws:glue:" + plan.region + ":" + plan.account + ":job/" + job_name,
                       "StartJobRun"));

    std::optional<SecurityConfiguration> sc;
    if (!plan.security_configuration.empty()) {
      std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
      auto found = FindSecurityConfiguration(plan.account, plan.region, plan.security_configuration);
      if (!found.ok()) {
        return AwsError("RunFailure", found.error().code + ": " + found.error().message);
      }
      sc = std::move(found).value();
    }

    Service* s3 = e.FindService("s3");
    if (s3 == nullptr) return AwsError("InternalFailure", "S3 is not available", 500);
    auto s3_call = [&](const std::string& op, const Json& input, const std::string& what)
        -> Result<Json> {
      RequestContext call_ctx = ctx;
      auto r = s3->Invoke(call_ctx, op, input);
      if (!r.ok()) {
        if (r.error().code == "InternalFailure") return std::move(r).error();
        return AwsError("RunFailure", what + ": " + SdkMessage(e, r.error(), "Amazon S3"));
      }
      return r;
    };

    log("Job run " + plan.run_id + " of job " + job_name + " started as " + ctx.principal.arn);
    // 1b. The script.
    std::string script_bucket, script_key;
    const std::string script = Str(plan.job.value("Command", Json::object()), "ScriptLocation");
    if (!ParseS3Uri(script, &script_bucket, &script_key) || script_key.empty()) {
      return AwsError("RunFailure", "Invalid ScriptLocation: " + script);
    }
    GEE_RETURN_IF_ERROR(s3_call("GetObject", {{"Bucket", script_bucket}, {"Key", script_key}},
                                "Could not read the script " + script));
    if (!set_state("RUNNING", "")) return false;

    // 2. Input, and the bookmark.
    const std::string option = Str(plan.arguments, "--job-bookmark-option", "job-bookmark-disable");
    const bool use_bookmark = option == "job-bookmark-enable" || option == "job-bookmark-pause";
    std::set<std::string> processed;
    std::optional<StoredBookmark> previous;
    if (use_bookmark) {
      {
        std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
        GEE_ASSIGN_OR_RETURN(previous, LoadBookmark(e, plan.account, plan.region, job_name));
      }
      if (previous) {
        std::string text;
        if (previous->scheme == "CSE-KMS") {
          kms::KmsClient kms(e);
          RequestContext kctx = ctx;
          auto opened = kms.Decrypt(kctx, previous->state, {});
          if (!opened.ok()) {
            return AwsError("RunFailure", "Could not decrypt the job bookmark: " +
                                               SdkMessage(e, opened.error(), "AWSKMS"));
          }
          text = std::string(opened->plaintext.AsStringView());
        } else {
          auto opened = e.keyring().Open(BookmarkLabel(plan.account, plan.region, job_name),
                                         previous->state);
          if (!opened.ok()) return std::move(opened).error();
          text = std::string(opened->AsStringView());
        }
        Json state = Json::parse(text, nullptr, false);
        if (state.is_object() && state.contains("processed")) {
          for (const auto& k : state["processed"]) processed.insert(k.get<std::string>());
        }
      }
    }
    std::vector<Json> rows;
    std::vector<std::string> consumed;
    const std::string input_path = Str(plan.arguments, "--input_path");
    if (!input_path.empty()) {
      std::string bucket, prefix;
      if (!ParseS3Uri(input_path, &bucket, &prefix)) {
        return AwsError("RunFailure", "Invalid --input_path: " + input_path);
      }
      std::string token;
      std::vector<std::string> keys;
      do {
        Json list = {{"Bucket", bucket}, {"Prefix", prefix}};
        if (!token.empty()) list["ContinuationToken"] = token;
        GEE_ASSIGN_OR_RETURN(Json page, s3_call("ListObjectsV2", list,
                                                "Could not list " + input_path));
        for (const auto& c : page.value("Contents", Json::array())) {
          keys.push_back(Str(c, "Key"));
        }
        token = page.value("IsTruncated", false) ? Str(page, "NextContinuationToken") : "";
      } while (!token.empty());
      for (const std::string& key : keys) {
        if (key.empty() || key.back() == '/') continue;
        const std::string uri = "s3://" + bucket + "/" + key;
        if (processed.count(uri) > 0) continue;
        GEE_ASSIGN_OR_RETURN(Json got, s3_call("GetObject", {{"Bucket", bucket}, {"Key", key}},
                                               "Could not read " + uri));
        auto body = crypto::Base64Decode(Str(got, "Body"));
        if (!body.ok()) return std::move(body).error();
        for (Json& row : ReadRows(*body)) rows.push_back(std::move(row));
        consumed.push_back(uri);
      }
      log("Read " + std::to_string(consumed.size()) + " new input objects (" +
          std::to_string(rows.size()) + " rows) from " + input_path);
    }
    if (!set_state("RUNNING", "")) return false;

    // 3. Output.
    const std::string output_path = Str(plan.arguments, "--output_path");
    if (!output_path.empty()) {
      std::string bucket, prefix;
      if (!ParseS3Uri(output_path, &bucket, &prefix)) {
        return AwsError("RunFailure", "Invalid --output_path: " + output_path);
      }
      if (!prefix.empty() && prefix.back() != '/') prefix += "/";
      std::string body;
      if (rows.empty()) {
        body = Json{{"JobName", job_name}, {"JobRunId", plan.run_id}, {"InputObjects", 0},
                    {"Rows", 0}}.dump() + "\n";
      } else {
        for (const Json& row : rows) body += row.dump() + "\n";
      }
      const std::string key = prefix + "run-" + plan.run_id + "-part-r-00000";
      Json put = {{"Bucket", bucket}, {"Key", key}, {"Body", crypto::Base64Encode(body)}};
      if (sc && sc->s3_kms()) {
        put["ServerSideEncryption"] = "aws:kms";
        put["SSEKMSKeyId"] = sc->s3_encryption().kms_key_arn;
      } else if (sc && sc->s3_encryption().mode == "SSE-S3") {
        put["ServerSideEncryption"] = "AES256";
      }
      GEE_RETURN_IF_ERROR(s3_call("PutObject", put,
                                  "Could not write s3://" + bucket + "/" + key));
      log("Wrote " + std::to_string(rows.size()) + " rows to s3://" + bucket + "/" + key);
    }
    if (!set_state("RUNNING", "")) return false;

    // 4. Driver logs.
    std::string group = "/aws-glue/jobs/output";
    if (sc && sc->cloudwatch_kms()) {
      group = "/aws-glue/jobs/" + plan.security_configuration + "-role/" +
              RoleNameOf(Str(plan.job, "Role")) + "/output";
    }
    logs::LogsClient logs(e);
    auto logs_failure = [&](const AwsError& error) {
      return AwsError("RunFailure", "Could not write the driver log to " + group + ": " +
                                         SdkMessage(e, error, "AWSLogs"));
    };
    if (Status st = PrepareLogStream(ctx, group, sc && sc->cloudwatch_kms()
                                                     ? sc->cloudwatch.kms_key_arn : "",
                                     plan.run_id);
        !st.ok()) {
      return logs_failure(st.error());
    }

    // 5. The bookmark.
    if (option == "job-bookmark-enable") {
      Json state = {{"processed", Json::array()}};
      for (const auto& k : processed) state["processed"].push_back(k);
      for (const auto& k : consumed) state["processed"].push_back(k);
      StoredBookmark b;
      b.version = previous ? previous->version + 1 : 1;
      b.run = previous ? previous->run + 1 : 1;
      b.attempt = 0;
      b.run_id = plan.run_id;
      b.previous_run_id = previous ? previous->run_id : "";
      if (sc && sc->job_bookmarks_kms()) {
        kms::KmsClient kms(e);
        RequestContext kctx = ctx;
        auto sealed = kms.Encrypt(kctx, sc->job_bookmarks.kms_key_arn, state.dump(), {});
        if (!sealed.ok()) {
          std::string message = "Could not encrypt the job bookmark: " +
                                SdkMessage(e, sealed.error(), "AWSKMS");
          log(message);
          (void)logs.PutLogEvents(ctx, group, plan.run_id, log_lines);
          return AwsError("RunFailure", message);
        }
        b.scheme = "CSE-KMS";
        b.key_arn = sealed->second;
        b.state = std::move(sealed->first);
      } else {
        GEE_ASSIGN_OR_RETURN(b.state, e.keyring().Seal(
            BookmarkLabel(plan.account, plan.region, job_name),
            crypto::SecretBytes::CopyOf(state.dump())));
        b.scheme = "root-key";
      }
      std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
      GEE_RETURN_IF_ERROR(StoreBookmark(e, plan.account, plan.region, job_name, b));
      log("Saved the job bookmark (" + std::to_string(state["processed"].size()) +
          " processed objects)");
    }
    log("Job run " + plan.run_id + " succeeded");
    auto put = logs.PutLogEvents(ctx, group, plan.run_id, log_lines);
    if (!put.ok()) return logs_failure(put.error());
    return true;
  }();

  if (!result.ok()) {
    const AwsError& error = result.error();
    if (set_state("FAILED", error.code == "RunFailure" ? error.message
                                                       : error.code + ": " + error.message)) {
      RetryJobRun(plan);
    }
    return;
  }
  if (*result) set_state("SUCCEEDED", "");
}

void GlueService::RetryJobRun(const RunPlan& plan) {
  if (plan.attempt >= internal::Int(plan.job, "MaxRetries", 0)) return;
  Environment& e = env();
  std::lock_guard<std::recursive_mutex> lock(e.store_mutex());
  const std::string job_name = Str(plan.job, "Name");
  auto failed = LoadRun(e, plan.account, plan.region, job_name, plan.run_id);
  if (!failed.ok() || !*failed) return;  // reset or deleted meanwhile
  RunPlan next = plan;
  next.run_id = "jr_" + NewHexId(32, e.random());
  next.attempt = plan.attempt + 1;
  Json run = **failed;
  const double now = NowSeconds();
  run["Id"] = next.run_id;
  run["Attempt"] = next.attempt;
  run["PreviousRunId"] = plan.run_id;
  run["StartedOn"] = now;
  run["LastModifiedOn"] = now;
  run["JobRunState"] = "STARTING";
  run["ExecutionTime"] = 0;
  run.erase("ErrorMessage");
  run.erase("CompletedOn");
  if (!StoreRun(e, plan.account, plan.region, job_name, run).ok()) return;
  runtime_.Submit([this, next] { ExecuteJobRun(next); });
}

}  // namespace gee::glue

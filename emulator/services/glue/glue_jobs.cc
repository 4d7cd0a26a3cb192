// Jobs (CreateJob, GetJob, GetJobs, ListJobs, UpdateJob, DeleteJob,
// BatchGetJobs), job runs (StartJobRun, GetJobRun, GetJobRuns,
// BatchStopJobRun) and job bookmarks (GetJobBookmark, ResetJobBookmark);
// spec §5.5. The run itself is glue_job_run.cc.
#include "core/environment.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "services/iam/iam_api.h"
#include "store/root_key.h"

namespace gee::glue {

using internal::Int;
using internal::Str;

namespace {

constexpr size_t kDefaultPage = 100;

std::string JobArn(const std::string& region, const std::string& account,
                   const std::string& name) {
  return "arn:aws:glue:" + region + ":" + account + ":job/" + name;
}

AwsError JobNotFound(const std::string& name) {
  // Text UNCONFIRMED (gee's wording, in the style of the other not-found errors).
  return errors::EntityNotFound("Job " + name + " not found");
}

AwsError BookmarkNotFound(const std::string& name) {
  return errors::EntityNotFound("Continuation for job " + name + " not found");
}

// Default Timeout (minutes) of a Glue version (spec §5.5).
int64_t DefaultTimeout(const std::string& glue_version) {
  double v = std::atof(glue_version.c_str());
  return v >= 5.0 ? 480 : 2880;
}

// The stored Job for a CreateJob input or a JobUpdate.
Json JobDocument(const Json& input, const std::string& name, double created, double modified) {
  Json job = Json::object();
  for (auto it = input.begin(); it != input.end(); ++it) {
    if (it.key() == "Tags" || it.key() == "Name" || it.key() == "JobName") continue;
    job[it.key()] = it.value();
  }
  job["Name"] = name;
  job["CreatedOn"] = created;
  job["LastModifiedOn"] = modified;
  if (!job.contains("GlueVersion")) job["GlueVersion"] = "5.1";
  if (!job.contains("ExecutionProperty")) job["ExecutionProperty"] = {{"MaxConcurrentRuns", 1}};
  if (!job.contains("MaxRetries")) job["MaxRetries"] = 0;
  if (!job.contains("Timeout")) job["Timeout"] = DefaultTimeout(job["GlueVersion"]);
  if (!job.contains("ExecutionClass")) job["ExecutionClass"] = "STANDARD";
  if (job.contains("Command") && job["Command"].is_object() &&
      !job["Command"].contains("PythonVersion") && Str(job["Command"], "Name") != "glueray") {
    job["Command"]["PythonVersion"] = "3";
  }
  if (!job.contains("WorkerType") && !job.contains("MaxCapacity")) {
    job["WorkerType"] = "G.1X";
    job["NumberOfWorkers"] = 10;
  }
  if (job.contains("NumberOfWorkers") && !job.contains("MaxCapacity")) {
    job["MaxCapacity"] = job["NumberOfWorkers"].get<double>() *
                         (Str(job, "WorkerType") == "G.2X" ? 2.0 : 1.0);
  }
  return job;
}

}  // namespace

Result<AuthRequest> GlueService::JobResource(Call& call) {
  std::string name = Str(call.input, "JobName", Str(call.input, "Name"));
  AuthRequest request;
  request.resource = JobArn(call.ctx.region, call.ctx.account, name);
  request.resource_account = call.ctx.account;
  return request;
}

Result<std::string> GlueService::PassRole(Call& call, const std::string& role) {
  GEE_ASSIGN_OR_RETURN(auto found, iam::FindRole(env(), role));
  std::string arn = role.rfind("arn:", 0) == 0 ? role
                                               : "arn:aws:iam::" + call.ctx.account + ":role/" + role;
  if (found) arn = found->arn;
  AuthRequest request = iam::PassRoleRequest(arn, "glue.amazonaws.com");
  GEE_RETURN_IF_ERROR(env().Authorize(call.ctx, request));
  if (!found) {
    // gee refuses a role that does not exist (stricter; AWS's check is UNCONFIRMED).
    return errors::InvalidInput("Role " + arn + " does not exist");
  }
  return arn;
}

// ---------------------------------------------------------------------------
// Jobs

Result<Json> GlueService::CreateJob(Call& call) {
  const std::string name = Str(call.input, "Name");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_RETURN_IF_ERROR(PassRole(call, Str(call.input, "Role")));
  GEE_ASSIGN_OR_RETURN(auto existing, LoadDocument(env(), "glue_jobs", account, region, name));
  if (existing) return errors::AlreadyExists("Job " + name + " already exists.");
  if (std::string sc = Str(call.input, "SecurityConfiguration"); !sc.empty()) {
    GEE_RETURN_IF_ERROR(FindSecurityConfiguration(account, region, sc));
  }
  double now = NowSeconds();
  Json job = JobDocument(call.input, name, now, now);
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_jobs", account, region, name, job, NowMicros()));
  if (auto tags = call.input.find("Tags"); tags != call.input.end()) {
    GEE_RETURN_IF_ERROR(SetTags(JobArn(region, account, name), *tags));
  }
  return Json{{"Name", name}};
}

Result<Json> GlueService::GetJob(Call& call) {
  const std::string name = Str(call.input, "JobName");
  GEE_ASSIGN_OR_RETURN(auto job,
                       LoadDocument(env(), "glue_jobs", call.ctx.account, call.ctx.region, name));
  if (!job) return JobNotFound(name);
  return Json{{"Job", *job}};
}

Result<Json> GlueService::GetJobs(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto after, internal::StartAfter(call.input));
  size_t limit = static_cast<size_t>(Int(call.input, "MaxResults", kDefaultPage));
  GEE_ASSIGN_OR_RETURN(auto rows, ListDocuments(env(), "glue_jobs", call.ctx.account,
                                                call.ctx.region, after.value_or(""), limit + 1));
  Json out = {{"Jobs", Json::array()}};
  for (size_t i = 0; i < rows.size() && i < limit; ++i) out["Jobs"].push_back(rows[i].second);
  if (rows.size() > limit) out["NextToken"] = MakeNextToken(rows[limit - 1].first);
  return out;
}

Result<Json> GlueService::ListJobs(Call& call) {
  return ListNames(call, "glue_jobs", "job", "JobNames");
}

Result<Json> GlueService::ListNames(Call& call, std::string_view table, std::string_view type,
                                    std::string_view member) {
  GEE_ASSIGN_OR_RETURN(auto after, internal::StartAfter(call.input));
  size_t limit = static_cast<size_t>(Int(call.input, "MaxResults", kDefaultPage));
  const Json tags = call.input.value("Tags", Json::object());
  const std::string key(member);
  Json out = {{key, Json::array()}};
  std::string cursor = after.value_or("");
  while (true) {
    GEE_ASSIGN_OR_RETURN(auto rows, ListDocuments(env(), table, call.ctx.account, call.ctx.region,
                                                  cursor, kDefaultPage));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      const std::string& name = row.first;
      cursor = name;
      if (!tags.empty()) {
        const Json tag_input = {{"ResourceArn", "arn:aws:glue:" + call.ctx.region + ":" +
                                                    call.ctx.account + ":" + std::string(type) +
                                                    "/" + name}};
        Call tag_call{call.ctx, tag_input};
        GEE_ASSIGN_OR_RETURN(Json have, GetTags(tag_call));
        bool match = true;
        for (auto it = tags.begin(); it != tags.end(); ++it) {
          if (have["Tags"].value(it.key(), std::string("\x01")) != it.value()) match = false;
        }
        if (!match) continue;
      }
      if (out[key].size() == limit) {
        out["NextToken"] = MakeNextToken(out[key].back().get<std::string>());
        return out;
      }
      out[key].push_back(name);
    }
  }
  return out;
}

Result<Json> GlueService::UpdateJob(Call& call) {
  const std::string name = Str(call.input, "JobName");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(auto job, LoadDocument(env(), "glue_jobs", account, region, name));
  if (!job) return JobNotFound(name);
  Json update = call.input.at("JobUpdate");
  // JobUpdate overwrites the definition; Role and Command stay when omitted.
  // A Role in the update is passed again (iam:PassRole), even when unchanged
  // (gee's stricter choice; when AWS checks is UNCONFIRMED).
  if (update.contains("Role")) {
    GEE_RETURN_IF_ERROR(PassRole(call, update["Role"].get<std::string>()));
  } else {
    update["Role"] = (*job)["Role"];
  }
  if (!update.contains("Command")) update["Command"] = (*job)["Command"];
  if (std::string sc = Str(update, "SecurityConfiguration"); !sc.empty()) {
    GEE_RETURN_IF_ERROR(FindSecurityConfiguration(account, region, sc));
  }
  Json doc = JobDocument(update, name, (*job).value("CreatedOn", NowSeconds()), NowSeconds());
  GEE_RETURN_IF_ERROR(StoreDocument(env(), "glue_jobs", account, region, name, doc));
  return Json{{"JobName", name}};
}

Result<Json> GlueService::DeleteJob(Call& call) {
  const std::string name = Str(call.input, "JobName");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  // AWS: no exception when the job does not exist.
  GEE_RETURN_IF_ERROR(DeleteDocument(env(), "glue_jobs", account, region, name));
  GEE_RETURN_IF_ERROR(DeleteBookmark(env(), account, region, name));
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "DELETE FROM glue_job_runs WHERE account = ?1 AND region = ?2 AND job_name = ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  GEE_RETURN_IF_ERROR(st.BindText(2, region));
  GEE_RETURN_IF_ERROR(st.BindText(3, name));
  GEE_RETURN_IF_ERROR(st.Run());
  GEE_RETURN_IF_ERROR(DeleteTagsOf(JobArn(region, account, name)));
  return Json{{"JobName", name}};
}

Result<Json> GlueService::BatchGetJobs(Call& call) {
  Json out = {{"Jobs", Json::array()}, {"JobsNotFound", Json::array()}};
  for (const auto& name_json : call.input.at("JobNames")) {
    std::string name = name_json.get<std::string>();
    GEE_ASSIGN_OR_RETURN(auto job, LoadDocument(env(), "glue_jobs", call.ctx.account,
                                                call.ctx.region, name));
    if (job) {
      out["Jobs"].push_back(*job);
    } else {
      out["JobsNotFound"].push_back(name);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Job runs

Result<Json> GlueService::StartJobRun(Call& call) {
  const std::string name = Str(call.input, "JobName");
  const std::string& account = call.ctx.account;
  const std::string& region = call.ctx.region;
  GEE_ASSIGN_OR_RETURN(auto job, LoadDocument(env(), "glue_jobs", account, region, name));
  if (!job) return JobNotFound(name);
  int64_t max_runs = Int((*job).value("ExecutionProperty", Json::object()), "MaxConcurrentRuns", 1);
  GEE_ASSIGN_OR_RETURN(int64_t active, ActiveRuns(env(), account, region, name));
  if (active >= max_runs) {
    // Text UNCONFIRMED.
    return AwsError("ConcurrentRunsExceededException",
                    "Concurrent runs exceeded for " + name, 400);
  }
  std::string security_configuration =
      Str(call.input, "SecurityConfiguration", Str(*job, "SecurityConfiguration"));
  std::string log_group = "/aws-glue/jobs";
  if (!security_configuration.empty()) {
    GEE_ASSIGN_OR_RETURN(SecurityConfiguration sc,
                         FindSecurityConfiguration(account, region, security_configuration));
    if (sc.cloudwatch_kms()) {
      log_group = "/aws-glue/jobs/" + security_configuration + "-role/" +
                  RoleNameOf(Str(*job, "Role"));
    }
  }
  Json arguments = (*job).value("DefaultArguments", Json::object());
  const Json given = call.input.value("Arguments", Json::object());
  for (auto it = given.begin(); it != given.end(); ++it) arguments[it.key()] = it.value();
  const Json fixed = (*job).value("NonOverridableArguments", Json::object());
  for (auto it = fixed.begin(); it != fixed.end(); ++it) arguments[it.key()] = it.value();

  std::string run_id = "jr_" + NewHexId(32, env().random());
  double now = NowSeconds();
  Json run = {{"Id", run_id},
              {"Attempt", 0},
              {"JobName", name},
              {"JobMode", (*job).value("JobMode", "SCRIPT")},
              {"StartedOn", now},
              {"LastModifiedOn", now},
              {"JobRunState", "STARTING"},
              {"Arguments", given},
              {"PredecessorRuns", Json::array()},
              {"ExecutionTime", 0},
              {"Timeout", Int(call.input, "Timeout", Int(*job, "Timeout", 2880))},
              {"LogGroupName", log_group},
              {"GlueVersion", (*job).value("GlueVersion", "5.1")},
              {"ExecutionClass", (*job).value("ExecutionClass", "STANDARD")}};
  for (const char* member : {"WorkerType", "NumberOfWorkers", "MaxCapacity"}) {
    if (call.input.contains(member)) {
      run[member] = call.input[member];
    } else if (job->contains(member)) {
      run[member] = (*job)[member];
    }
  }
  if (!security_configuration.empty()) run["SecurityConfiguration"] = security_configuration;
  GEE_RETURN_IF_ERROR(StoreRun(env(), account, region, name, run));

  RunPlan plan{account, region, *job, run_id, arguments, security_configuration};
  runtime_.Submit([this, plan] { ExecuteJobRun(plan); });
  return Json{{"JobRunId", run_id}};
}

Result<Json> GlueService::GetJobRun(Call& call) {
  const std::string name = Str(call.input, "JobName");
  const std::string run_id = Str(call.input, "RunId");
  GEE_ASSIGN_OR_RETURN(auto run, LoadRun(env(), call.ctx.account, call.ctx.region, name, run_id));
  if (!run) return errors::EntityNotFound("Job Run " + run_id + " not found");
  return Json{{"JobRun", *run}};
}

Result<Json> GlueService::GetJobRuns(Call& call) {
  const std::string name = Str(call.input, "JobName");
  GEE_ASSIGN_OR_RETURN(auto job,
                       LoadDocument(env(), "glue_jobs", call.ctx.account, call.ctx.region, name));
  if (!job) return JobNotFound(name);
  GEE_ASSIGN_OR_RETURN(auto after, internal::StartAfter(call.input));
  size_t limit = static_cast<size_t>(Int(call.input, "MaxResults", kDefaultPage));
  GEE_ASSIGN_OR_RETURN(auto runs, ListRuns(env(), call.ctx.account, call.ctx.region, name));
  size_t start = 0;
  if (after) {
    for (size_t i = 0; i < runs.size(); ++i) {
      if (Str(runs[i], "Id") == *after) start = i + 1;
    }
  }
  Json out = {{"JobRuns", Json::array()}};
  for (size_t i = start; i < runs.size(); ++i) {
    if (out["JobRuns"].size() == limit) {
      out["NextToken"] = MakeNextToken(Str(runs[i - 1], "Id"));
      break;
    }
    out["JobRuns"].push_back(runs[i]);
  }
  return out;
}

Result<Json> GlueService::BatchStopJobRun(Call& call) {
  const std::string name = Str(call.input, "JobName");
  Json out = {{"SuccessfulSubmissions", Json::array()}, {"Errors", Json::array()}};
  for (const auto& id_json : call.input.at("JobRunIds")) {
    std::string run_id = id_json.get<std::string>();
    GEE_ASSIGN_OR_RETURN(auto run,
                         LoadRun(env(), call.ctx.account, call.ctx.region, name, run_id));
    std::string state = run ? Str(*run, "JobRunState") : "";
    if (!run) {
      out["Errors"].push_back({{"JobName", name}, {"JobRunId", run_id},
                               {"ErrorDetail", {{"ErrorCode", "EntityNotFoundException"},
                                                {"ErrorMessage", "Job Run " + run_id + " not found"}}}});
    } else if (state != "STARTING" && state != "RUNNING" && state != "WAITING") {
      // Wording UNCONFIRMED.
      out["Errors"].push_back({{"JobName", name}, {"JobRunId", run_id},
                               {"ErrorDetail", {{"ErrorCode", "InvalidInputException"},
                                                {"ErrorMessage", "Job Run " + run_id +
                                                                     " is in state " + state +
                                                                     " and cannot be stopped"}}}});
    } else {
      (*run)["JobRunState"] = "STOPPING";
      (*run)["LastModifiedOn"] = NowSeconds();
      GEE_RETURN_IF_ERROR(StoreRun(env(), call.ctx.account, call.ctx.region, name, *run));
      out["SuccessfulSubmissions"].push_back({{"JobName", name}, {"JobRunId", run_id}});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Job bookmarks

namespace {

Result<Json> BookmarkEntry(Environment& env, const std::string& account, const std::string& region,
                           const std::string& name, const StoredBookmark& b) {
  Json entry = {{"JobName", name},         {"Version", b.version},
                {"Run", b.run},            {"Attempt", b.attempt},
                {"RunId", b.run_id},       {"PreviousRunId", b.previous_run_id}};
  if (b.scheme == "CSE-KMS") {
    // Client-side encrypted by the job role: Glue holds only ciphertext
    // (gee returns it base64-encoded; AWS's rendering is UNCONFIRMED).
    entry["JobBookmark"] = crypto::Base64Encode(b.state);
  } else {
    GEE_ASSIGN_OR_RETURN(crypto::SecretBytes plain,
                         env.keyring().Open(BookmarkLabel(account, region, name), b.state));
    entry["JobBookmark"] = std::string(plain.AsStringView());
  }
  return entry;
}

}  // namespace

Result<Json> GlueService::GetJobBookmark(Call& call) {
  const std::string name = Str(call.input, "JobName");
  GEE_ASSIGN_OR_RETURN(auto b, LoadBookmark(env(), call.ctx.account, call.ctx.region, name));
  if (!b) return BookmarkNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json entry,
                       BookmarkEntry(env(), call.ctx.account, call.ctx.region, name, *b));
  return Json{{"JobBookmarkEntry", entry}};
}

Result<Json> GlueService::ResetJobBookmark(Call& call) {
  const std::string name = Str(call.input, "JobName");
  GEE_ASSIGN_OR_RETURN(auto b, LoadBookmark(env(), call.ctx.account, call.ctx.region, name));
  if (!b) return BookmarkNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json entry,
                       BookmarkEntry(env(), call.ctx.account, call.ctx.region, name, *b));
  GEE_RETURN_IF_ERROR(DeleteBookmark(env(), call.ctx.account, call.ctx.region, name));
  return Json{{"JobBookmarkEntry", entry}};
}

}  // namespace gee::glue

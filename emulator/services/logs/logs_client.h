// The in-process CloudWatch Logs API other services use: the emulated Glue
// job and crawler runtime writes its driver logs through it as the job role
// session, the scenario runner reads them back.
//
// Every call runs the real Logs operation through Service::Invoke — model
// validation, authorization of the logs: action for `ctx.principal`, and for
// keyed groups the KMS checks Logs makes as logs.REGION.amazonaws.com — on a
// copy of `ctx` (so the caller's context keeps its own service/operation;
// authorization decisions are still appended to ctx.decisions). Errors are
// the Logs AwsErrors a client would get (ResourceNotFoundException,
// ResourceAlreadyExistsException, AccessDeniedException, ...).
//
//   logs::LogsClient logs(env);
//   RequestContext job = ...;   // the job role session, region of the job
//   auto st = logs.CreateLogGroup(job, "/aws-glue/jobs/output");
//   if (!st.ok() && st.error().code != "ResourceAlreadyExistsException") ...
//   logs.CreateLogStream(job, "/aws-glue/jobs/output", run_id);
//   logs.PutLogEvents(job, "/aws-glue/jobs/output", run_id, {{now_ms, "line"}});
//
// Thread-safety: safe from any thread (Invoke serialises on the store lock).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/request_context.h"
#include "core/result.h"

namespace gee {
class Environment;
}

namespace gee::logs {

struct CreateLogGroupOptions {
  // ARN of a symmetric KMS key (empty: Logs default encryption).
  std::string kms_key_id;
  std::map<std::string, std::string> tags;
  // "STANDARD" (default), "INFREQUENT_ACCESS" or "DELIVERY"; empty: the default.
  std::string log_group_class;
};

struct InputLogEvent {
  int64_t timestamp_ms = 0;
  std::string message;
};

struct PutLogEventsResult {
  std::string next_sequence_token;
  std::optional<int64_t> too_new_start_index;
  std::optional<int64_t> too_old_end_index;
  std::optional<int64_t> expired_end_index;
};

struct OutputLogEvent {
  int64_t timestamp_ms = 0;
  std::string message;
  int64_t ingestion_time_ms = 0;
};

struct GetLogEventsResult {
  std::vector<OutputLogEvent> events;
  std::string next_forward_token;
  std::string next_backward_token;
};

struct LogGroupInfo {
  std::string name;
  std::string arn;  // without ":*"
  std::optional<std::string> kms_key_id;
  std::optional<int64_t> retention_in_days;
  int64_t creation_time_ms = 0;
};

class LogsClient {
 public:
  explicit LogsClient(Environment& env) : env_(env) {}

  Status CreateLogGroup(const RequestContext& ctx, std::string_view log_group_name,
                        const CreateLogGroupOptions& options = {});
  Status AssociateKmsKey(const RequestContext& ctx, std::string_view log_group_name,
                         std::string_view kms_key_arn);
  Status DisassociateKmsKey(const RequestContext& ctx, std::string_view log_group_name);
  Status CreateLogStream(const RequestContext& ctx, std::string_view log_group_name,
                         std::string_view log_stream_name);
  Result<PutLogEventsResult> PutLogEvents(const RequestContext& ctx,
                                          std::string_view log_group_name,
                                          std::string_view log_stream_name,
                                          std::span<const InputLogEvent> events);
  // One page of GetLogEvents (startFromHead = true unless `next_token` says otherwise).
  Result<GetLogEventsResult> GetLogEvents(const RequestContext& ctx,
                                          std::string_view log_group_name,
                                          std::string_view log_stream_name,
                                          std::optional<std::string> next_token = std::nullopt);
  // The group named exactly `log_group_name`, or nullopt (DescribeLogGroups
  // with that name as prefix).
  Result<std::optional<LogGroupInfo>> DescribeLogGroup(const RequestContext& ctx,
                                                       std::string_view log_group_name);

 private:
  Result<nlohmann::json> Call(const RequestContext& ctx, std::string_view operation,
                              const nlohmann::json& input);

  Environment& env_;
};

}  // namespace gee::logs

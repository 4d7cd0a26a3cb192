#include "services/logs/logs_client.h"

#include "core/environment.h"
#include "services/service.h"

namespace gee::logs {

Result<nlohmann::json> LogsClient::Call(const RequestContext& ctx, std::string_view operation,
                                        const nlohmann::json& input) {
  Service* logs = env_.FindService("logs");
  if (logs == nullptr) {
    return AwsError("InternalFailure", "the CloudWatch Logs service is not running", 500);
  }
  RequestContext call_ctx = ctx;
  call_ctx.depth = ctx.depth + 1;
  return logs->Invoke(call_ctx, operation, input);
}

Status LogsClient::CreateLogGroup(const RequestContext& ctx, std::string_view log_group_name,
                                  const CreateLogGroupOptions& options) {
  nlohmann::json input = {{"logGroupName", log_group_name}};
  if (!options.kms_key_id.empty()) input["kmsKeyId"] = options.kms_key_id;
  if (!options.tags.empty()) input["tags"] = options.tags;
  if (!options.log_group_class.empty()) input["logGroupClass"] = options.log_group_class;
  GEE_RETURN_IF_ERROR(Call(ctx, "CreateLogGroup", input));
  return OkStatus();
}

Status LogsClient::AssociateKmsKey(const RequestContext& ctx, std::string_view log_group_name,
                                   std::string_view kms_key_arn) {
  GEE_RETURN_IF_ERROR(Call(ctx, "AssociateKmsKey",
                           {{"logGroupName", log_group_name}, {"kmsKeyId", kms_key_arn}}));
  return OkStatus();
}

Status LogsClient::DisassociateKmsKey(const RequestContext& ctx,
                                      std::string_view log_group_name) {
  GEE_RETURN_IF_ERROR(Call(ctx, "DisassociateKmsKey", {{"logGroupName", log_group_name}}));
  return OkStatus();
}

Status LogsClient::CreateLogStream(const RequestContext& ctx, std::string_view log_group_name,
                                   std::string_view log_stream_name) {
  GEE_RETURN_IF_ERROR(Call(ctx, "CreateLogStream",
                           {{"logGroupName", log_group_name},
                            {"logStreamName", log_stream_name}}));
  return OkStatus();
}

Result<PutLogEventsResult> LogsClient::PutLogEvents(const RequestContext& ctx,
                                                    std::string_view log_group_name,
                                                    std::string_view log_stream_name,
                                                    std::span<const InputLogEvent> events) {
  nlohmann::json list = nlohmann::json::array();
  for (const InputLogEvent& e : events) {
    list.push_back({{"timestamp", e.timestamp_ms}, {"message", e.message}});
  }
  GEE_ASSIGN_OR_RETURN(nlohmann::json out,
                       Call(ctx, "PutLogEvents",
                            {{"logGroupName", log_group_name},
                             {"logStreamName", log_stream_name},
                             {"logEvents", std::move(list)}}));
  PutLogEventsResult result;
  result.next_sequence_token = out.value("nextSequenceToken", "");
  if (auto it = out.find("rejectedLogEventsInfo"); it != out.end()) {
    auto index = [&](const char* name) -> std::optional<int64_t> {
      auto f = it->find(name);
      if (f == it->end()) return std::nullopt;
      return f->get<int64_t>();
    };
    result.too_new_start_index = index("tooNewLogEventStartIndex");
    result.too_old_end_index = index("tooOldLogEventEndIndex");
    result.expired_end_index = index("expiredLogEventEndIndex");
  }
  return result;
}

Result<GetLogEventsResult> LogsClient::GetLogEvents(const RequestContext& ctx,
                                                    std::string_view log_group_name,
                                                    std::string_view log_stream_name,
                                                    std::optional<std::string> next_token) {
  nlohmann::json input = {{"logGroupName", log_group_name},
                          {"logStreamName", log_stream_name},
                          {"startFromHead", true}};
  if (next_token) input["nextToken"] = *next_token;
  GEE_ASSIGN_OR_RETURN(nlohmann::json out, Call(ctx, "GetLogEvents", input));
  GetLogEventsResult result;
  for (const auto& e : out.value("events", nlohmann::json::array())) {
    result.events.push_back({e.value("timestamp", int64_t{0}), e.value("message", ""),
                             e.value("ingestionTime", int64_t{0})});
  }
  result.next_forward_token = out.value("nextForwardToken", "");
  result.next_backward_token = out.value("nextBackwardToken", "");
  return result;
}

Result<std::optional<LogGroupInfo>> LogsClient::DescribeLogGroup(
    const RequestContext& ctx, std::string_view log_group_name) {
  std::optional<std::string> token;
  while (true) {
    nlohmann::json input = {{"logGroupNamePrefix", log_group_name}};
    if (token) input["nextToken"] = *token;
    GEE_ASSIGN_OR_RETURN(nlohmann::json out, Call(ctx, "DescribeLogGroups", input));
    for (const auto& g : out.value("logGroups", nlohmann::json::array())) {
      if (g.value("logGroupName", "") != log_group_name) continue;
      LogGroupInfo info;
      info.name = g.value("logGroupName", "");
      info.arn = g.value("logGroupArn", "");
      if (g.contains("kmsKeyId")) info.kms_key_id = g["kmsKeyId"].get<std::string>();
      if (g.contains("retentionInDays")) info.retention_in_days = g["retentionInDays"].get<int64_t>();
      info.creation_time_ms = g.value("creationTime", int64_t{0});
      return std::optional<LogGroupInfo>(std::move(info));
    }
    if (!out.contains("nextToken")) return std::optional<LogGroupInfo>();
    token = out["nextToken"].get<std::string>();
  }
}

}  // namespace gee::logs

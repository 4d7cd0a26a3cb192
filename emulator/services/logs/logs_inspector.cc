// LogsService's at-rest inspector (kind "log-events"). See logs_service.h.
#include <map>

#include "services/logs/logs_service.h"

namespace gee::logs {

namespace {

constexpr char kKind[] = "log-events";
constexpr char kDefaultScheme[] = "root-key";
constexpr char kDefaultProtector[] =
    "gee CloudWatch Logs default encryption (data key sealed under the gee root key)";

}  // namespace

class LogsService::Inspector final : public AtRestInspector {
 public:
  explicit Inspector(LogStore& store) : store_(store) {}

  std::vector<std::string> Kinds() const override { return {kKind}; }

  Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                            std::string_view probe) override {
    // (group, stream id or 0 for the whole group)
    std::vector<std::pair<GroupRow, int64_t>> targets;
    GEE_ASSIGN_OR_RETURN(std::vector<GroupRow> groups, store_.FindGroupsNamed(id));
    for (GroupRow& g : groups) targets.emplace_back(std::move(g), 0);
    if (targets.empty()) {
      for (size_t slash = id.find('/'); slash != std::string_view::npos;
           slash = id.find('/', slash + 1)) {
        std::string_view group_name = id.substr(0, slash);
        std::string_view stream_name = id.substr(slash + 1);
        if (group_name.empty() || stream_name.empty()) continue;
        GEE_ASSIGN_OR_RETURN(std::vector<GroupRow> named, store_.FindGroupsNamed(group_name));
        for (GroupRow& g : named) {
          GEE_ASSIGN_OR_RETURN(std::optional<StreamRow> stream,
                               store_.FindStream(g.group_id, stream_name));
          if (stream) targets.emplace_back(std::move(g), stream->stream_id);
        }
      }
    }
    if (targets.empty()) {
      return AwsError("ResourceNotFoundException",
                      "No log group or log stream named '" + std::string(id) + "' is stored.",
                      404);
    }

    std::vector<AtRestRecord> records;
    std::map<int64_t, std::optional<std::string>> key_of_data_key;
    for (const auto& [group, stream_id] : targets) {
      std::vector<BatchRow> batches;
      if (stream_id != 0) {
        GEE_ASSIGN_OR_RETURN(batches, store_.StreamBatches(stream_id, TimeWindow{}));
      } else {
        GEE_ASSIGN_OR_RETURN(batches, store_.GroupBatches(group.group_id, TimeWindow{}));
      }
      for (const BatchRow& batch : batches) {
        auto it = key_of_data_key.find(batch.data_key_id);
        if (it == key_of_data_key.end()) {
          GEE_ASSIGN_OR_RETURN(std::optional<DataKeyRow> row,
                               store_.FindDataKey(batch.data_key_id));
          if (!row) return AwsError("InternalFailure", "A stored log data key is missing.", 500);
          it = key_of_data_key.emplace(batch.data_key_id, row->kms_key_arn).first;
        }
        AtRestRecord record;
        record.kind = std::string(kind);
        record.id = std::string(id);
        record.part = group.Arn() + " stream " + batch.stream_name + " batch " +
                      std::to_string(batch.batch_id) + " (" +
                      std::to_string(batch.event_count) + " events)";
        if (it->second) {
          record.scheme = "SSE-KMS";
          record.protected_by = *it->second;
        } else {
          record.scheme = kDefaultScheme;
          record.protected_by = kDefaultProtector;
        }
        record.stored_bytes = batch.sealed.size();
        record.probe_found =
            !probe.empty() && batch.sealed.find(probe) != std::string::npos;
        records.push_back(std::move(record));
      }
    }
    return records;
  }

 private:
  LogStore& store_;
};

LogsService::~LogsService() = default;

AtRestInspector* LogsService::inspector() {
  if (!inspector_) inspector_ = std::make_unique<Inspector>(store_);
  return inspector_.get();
}

}  // namespace gee::logs

// LogsService: log streams and log events (PutLogEvents, GetLogEvents,
// FilterLogEvents). See logs_service.h.
#include <algorithm>
#include <limits>
#include <functional>
#include <map>
#include <queue>
#include <tuple>
#include <set>

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/logs/errors.h"
#include "services/logs/event_batch.h"
#include "services/logs/event_position.h"
#include "services/logs/filter_pattern.h"
#include "services/logs/logs_service.h"

namespace gee::logs {

namespace {

constexpr int64_t kDefaultDescribeLimit = 50;
constexpr int64_t kDefaultEventsLimit = 10000;
// PutLogEvents: batch size limit and per-event overhead (spec §6.1).
constexpr size_t kMaxBatchBytes = 1048576;
constexpr size_t kEventOverheadBytes = 26;
// Responses of GetLogEvents/FilterLogEvents hold at most 1 MB of events,
// counted the same way.
constexpr size_t kMaxResponseBytes = 1048576;
constexpr int64_t kMaxBatchSpanMs = 24LL * 3600 * 1000;
constexpr int64_t kMaxFutureMs = 2LL * 3600 * 1000;
constexpr int64_t kMaxAgeMs = 14LL * 24 * 3600 * 1000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::string Text(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return std::string();
  return it->get<std::string>();
}

std::optional<int64_t> OptionalInt(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_number()) return std::nullopt;
  return it->get<int64_t>();
}

// The 56-digit sequence token of a stream's n-th upload.
std::string SequenceToken(int64_t uploads) {
  std::string digits = std::to_string(uploads);
  return std::string(56 - std::min<size_t>(56, digits.size()), '0') + digits;
}

Json StreamJson(const GroupRow& group, const StreamRow& s) {
  Json entry = {
      {"logStreamName", s.name},
      {"creationTime", s.creation_us / 1000},
      {"arn", LogStreamArn(group.region, group.account, group.name, s.name)},
      // Always zero for streams since 2019 (API reference).
      {"storedBytes", 0},
  };
  if (s.first_event_ms) entry["firstEventTimestamp"] = *s.first_event_ms;
  if (s.last_event_ms) entry["lastEventTimestamp"] = *s.last_event_ms;
  if (s.last_ingestion_us) entry["lastIngestionTime"] = *s.last_ingestion_us / 1000;
  if (s.upload_sequence > 0) entry["uploadSequenceToken"] = SequenceToken(s.upload_sequence);
  return entry;
}

size_t EventBytes(const LogEvent& e) { return e.message.size() + kEventOverheadBytes; }

}  // namespace

Result<std::vector<LogsService::StoredEvent>> LogsService::CollectEvents(
    const RequestContext& ctx, const GroupRow& group, std::vector<BatchRow> batches,
    bool forward, size_t want, const std::function<bool(const StoredEvent&)>& keep) {
  std::sort(batches.begin(), batches.end(), [forward](const BatchRow& a, const BatchRow& b) {
    if (forward) {
      return std::tie(a.first_event_ms, a.batch_id) < std::tie(b.first_event_ms, b.batch_id);
    }
    return std::tie(b.last_event_ms, b.batch_id) < std::tie(a.last_event_ms, a.batch_id);
  });
  // The `want` best keys so far: the smallest (max-heap) going forward, the
  // largest (min-heap) going backward; its top is the worst of them.
  std::priority_queue<EventKey> smallest;
  std::priority_queue<EventKey, std::vector<EventKey>, std::greater<EventKey>> largest;
  auto heap_size = [&] { return forward ? smallest.size() : largest.size(); };
  auto note = [&](const EventKey& key) {
    if (forward) {
      smallest.push(key);
      if (smallest.size() > want) smallest.pop();
    } else {
      largest.push(key);
      if (largest.size() > want) largest.pop();
    }
  };

  const std::string group_arn = group.Arn();
  std::map<int64_t, std::pair<DataKeyRow, crypto::SecretBytes>> keys;
  std::vector<StoredEvent> events;
  for (const BatchRow& batch : batches) {
    // Every event of this and the remaining batches lies beyond the worst
    // of the `want` best keys: nothing left can enter the page.
    if (want > 0 && heap_size() >= want) {
      if (forward && smallest.top().timestamp_ms < batch.first_event_ms) break;
      if (!forward && largest.top().timestamp_ms > batch.last_event_ms) break;
    }
    auto it = keys.find(batch.data_key_id);
    if (it == keys.end()) {
      GEE_ASSIGN_OR_RETURN(std::optional<DataKeyRow> row, store_.FindDataKey(batch.data_key_id));
      if (!row) return AwsError("InternalFailure", "A stored log data key is missing.", 500);
      GEE_ASSIGN_OR_RETURN(crypto::SecretBytes key, data_keys_.ForRead(ctx, group, *row));
      it = keys.emplace(batch.data_key_id, std::make_pair(std::move(*row), std::move(key))).first;
    }
    std::string sealed = batch.sealed;
    if (sealed.empty()) {
      GEE_ASSIGN_OR_RETURN(sealed, store_.BatchSealed(batch.batch_id));
    }
    BatchBinding binding{group_arn, batch.stream_name, it->second.first.key_ref,
                         batch.ingestion_us, batch.event_count};
    GEE_ASSIGN_OR_RETURN(std::vector<LogEvent> opened,
                         OpenBatch(it->second.second, sealed, binding));
    for (size_t i = 0; i < opened.size(); ++i) {
      StoredEvent e;
      e.key = EventKey{opened[i].timestamp_ms, batch.batch_id, static_cast<int64_t>(i)};
      e.event = std::move(opened[i]);
      e.ingestion_ms = batch.ingestion_us / 1000;
      e.stream_name = batch.stream_name;
      if (!keep(e)) continue;
      note(e.key);
      events.push_back(std::move(e));
    }
  }
  return events;
}

// ---- streams ----

Result<Json> LogsService::CreateLogStream(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  const std::string name = Text(call.input, "logStreamName");
  GEE_ASSIGN_OR_RETURN(std::optional<StreamRow> existing, store_.FindStream(group.group_id, name));
  if (existing) return errors::LogStreamAlreadyExists();
  StreamRow stream;
  stream.group_id = group.group_id;
  stream.name = name;
  stream.creation_us = env().clock().NowMicros();
  GEE_RETURN_IF_ERROR(store_.InsertStream(std::move(stream)));
  return Json::object();
}

Result<Json> LogsService::DeleteLogStream(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_ASSIGN_OR_RETURN(StreamRow stream, LoadStream(group, Text(call.input, "logStreamName")));
  GEE_RETURN_IF_ERROR(store_.DeleteStream(stream.stream_id));
  return Json::object();
}

Result<Json> LogsService::DescribeLogStreams(Call& call) {
  const Json& in = call.input;
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, GroupRefOf(call.ctx, in));
  const std::string order_by = in.contains("orderBy") ? Text(in, "orderBy") : "LogStreamName";
  const bool by_time = order_by == "LastEventTime";
  const bool has_prefix = in.contains("logStreamNamePrefix");
  if (by_time && has_prefix) return errors::OrderByLastEventTimeWithPrefix();
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  const std::string prefix = Text(in, "logStreamNamePrefix");
  const bool descending = in.value("descending", false);
  const int64_t limit = in.value("limit", kDefaultDescribeLimit);

  // Sort key: (last event time or 0 when ordering by time, name); names are unique.
  using SortKey = std::pair<int64_t, std::string>;
  auto key_of = [&](const StreamRow& s) {
    return SortKey{by_time ? s.last_event_ms.value_or(0) : 0, s.name};
  };
  std::optional<SortKey> after;
  if (in.contains("nextToken")) {
    auto decoded = crypto::Base64UrlDecode(Text(in, "nextToken"));
    if (!decoded.ok()) return errors::InvalidNextToken();
    const std::string& text = *decoded;
    size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0) return errors::InvalidNextToken();
    int64_t time = 0;
    for (char c : text.substr(0, colon)) {
      if (c < '0' || c > '9' || time > (std::numeric_limits<int64_t>::max() - 9) / 10) {
        return errors::InvalidNextToken();
      }
      time = time * 10 + (c - '0');
    }
    after = SortKey{time, text.substr(colon + 1)};
  }

  GEE_ASSIGN_OR_RETURN(std::vector<StreamRow> streams, store_.ListStreams(group.group_id));
  std::vector<StreamRow> selected;
  for (StreamRow& s : streams) {
    if (has_prefix && s.name.compare(0, prefix.size(), prefix) != 0) continue;
    selected.push_back(std::move(s));
  }
  std::sort(selected.begin(), selected.end(), [&](const StreamRow& a, const StreamRow& b) {
    return descending ? key_of(b) < key_of(a) : key_of(a) < key_of(b);
  });
  Json out = Json::array();
  bool more = false;
  SortKey last;
  for (const StreamRow& s : selected) {
    SortKey k = key_of(s);
    if (after && (descending ? !(k < *after) : !(*after < k))) continue;
    if (static_cast<int64_t>(out.size()) == limit) {
      more = true;
      break;
    }
    out.push_back(StreamJson(group, s));
    last = k;
  }
  Json result = {{"logStreams", std::move(out)}};
  if (more) {
    result["nextToken"] =
        crypto::Base64UrlEncode(std::to_string(last.first) + ":" + last.second);
  }
  return result;
}

// ---- events ----

Result<Json> LogsService::PutLogEvents(Call& call) {
  RequestContext& ctx = call.ctx;
  const Json& input_events = call.input.at("logEvents");
  std::vector<LogEvent> events;
  events.reserve(input_events.size());
  size_t batch_bytes = 0;
  for (const Json& e : input_events) {
    LogEvent event;
    event.timestamp_ms = e.at("timestamp").get<int64_t>();
    event.message = e.at("message").get<std::string>();
    batch_bytes += EventBytes(event);
    events.push_back(std::move(event));
  }
  if (batch_bytes > kMaxBatchBytes) return errors::UploadTooLarge(batch_bytes, kMaxBatchBytes);
  for (size_t i = 1; i < events.size(); ++i) {
    if (events[i].timestamp_ms < events[i - 1].timestamp_ms) return errors::NotChronological();
  }
  if (events.back().timestamp_ms - events.front().timestamp_ms > kMaxBatchSpanMs) {
    return errors::BatchSpanTooLong();
  }

  LogGroupRef ref{ctx.region, ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(ctx, ref));
  GEE_ASSIGN_OR_RETURN(StreamRow stream, LoadStream(group, Text(call.input, "logStreamName")));

  // Per-event acceptance against the injected clock. Events are in
  // chronological order, so too-old and expired events form a prefix and
  // too-new events a suffix.
  const int64_t now_us = env().clock().NowMicros();
  const int64_t now_ms = now_us / 1000;
  size_t too_old_end = 0;
  size_t expired_end = 0;
  size_t too_new_start = events.size();
  for (size_t i = 0; i < events.size(); ++i) {
    int64_t ts = events[i].timestamp_ms;
    if (ts < now_ms - kMaxAgeMs) too_old_end = i + 1;
    if (group.retention_days && ts < now_ms - *group.retention_days * kDayMs) {
      expired_end = i + 1;
    }
    if (ts > now_ms + kMaxFutureMs && too_new_start == events.size()) too_new_start = i;
  }
  size_t begin = std::max(too_old_end, expired_end);
  size_t end = std::max(begin, too_new_start);

  int64_t uploads = stream.upload_sequence;
  if (begin < end) {
    std::span<const LogEvent> accepted(events.data() + begin, end - begin);
    const int64_t count = static_cast<int64_t>(accepted.size());
    GEE_ASSIGN_OR_RETURN(const WriteKey* key, data_keys_.ForWrite(ctx, group, count));
    const std::string group_arn = group.Arn();
    BatchBinding binding{group_arn, stream.name, key->key_ref, now_us, count};
    GEE_ASSIGN_OR_RETURN(std::string sealed,
                         SealBatch(key->key, accepted, binding, env().random()));
    BatchRow row;
    row.stream_id = stream.stream_id;
    row.data_key_id = key->data_key_id;
    row.first_event_ms = accepted.front().timestamp_ms;
    row.last_event_ms = accepted.back().timestamp_ms;
    row.ingestion_us = now_us;
    row.event_count = count;
    row.sealed = std::move(sealed);
    GEE_RETURN_IF_ERROR(store_.InsertBatch(std::move(row)));
    GEE_RETURN_IF_ERROR(store_.RecordUpload(stream.stream_id, accepted.front().timestamp_ms,
                                            accepted.back().timestamp_ms, now_us));
    int64_t stored = 0;
    for (const LogEvent& e : accepted) stored += static_cast<int64_t>(e.message.size());
    GEE_RETURN_IF_ERROR(store_.AddStoredBytes(group.group_id, stored));
    ++uploads;
  }

  Json result = {{"nextSequenceToken", SequenceToken(uploads)}};
  Json rejected = Json::object();
  if (too_new_start < events.size()) rejected["tooNewLogEventStartIndex"] = too_new_start;
  if (too_old_end > 0) rejected["tooOldLogEventEndIndex"] = too_old_end;
  if (expired_end > 0) rejected["expiredLogEventEndIndex"] = expired_end;
  if (!rejected.empty()) result["rejectedLogEventsInfo"] = std::move(rejected);
  return result;
}

Result<Json> LogsService::GetLogEvents(Call& call) {
  const Json& in = call.input;
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, GroupRefOf(call.ctx, in));
  std::optional<StreamToken> token;
  if (in.contains("nextToken")) {
    token = DecodeStreamToken(Text(in, "nextToken"));
    if (!token) return errors::InvalidNextToken();
  }
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_ASSIGN_OR_RETURN(StreamRow stream, LoadStream(group, Text(in, "logStreamName")));

  // startTime inclusive, endTime exclusive (API reference).
  TimeWindow window;
  if (auto start = OptionalInt(in, "startTime")) window.from_ms = *start;
  if (auto end_time = OptionalInt(in, "endTime")) {
    window.to_ms = *end_time == std::numeric_limits<int64_t>::min() ? *end_time : *end_time - 1;
  }
  if (token) {
    if (token->direction == TokenDirection::kForward) {
      window.from_ms = std::max(window.from_ms, token->key.timestamp_ms);
    } else {
      window.to_ms = std::min(window.to_ms, token->key.timestamp_ms);
    }
  }
  const bool forward = token ? token->direction == TokenDirection::kForward
                             : in.value("startFromHead", false);
  const size_t limit = static_cast<size_t>(in.value("limit", kDefaultEventsLimit));
  auto keep = [&](const StoredEvent& e) {
    if (e.key.timestamp_ms < window.from_ms || e.key.timestamp_ms > window.to_ms) return false;
    if (token) {
      return token->direction == TokenDirection::kForward ? token->key < e.key
                                                          : e.key < token->key;
    }
    return true;
  };
  std::vector<StoredEvent> events;
  if (window.from_ms <= window.to_ms) {
    GEE_ASSIGN_OR_RETURN(std::vector<BatchRow> batches,
                         store_.StreamBatches(stream.stream_id, window, /*with_sealed=*/false));
    GEE_ASSIGN_OR_RETURN(events,
                         CollectEvents(call.ctx, group, std::move(batches), forward, limit, keep));
  }
  std::sort(events.begin(), events.end(),
            [](const StoredEvent& a, const StoredEvent& b) { return a.key < b.key; });

  size_t first = 0;
  size_t last = 0;  // [first, last)
  size_t bytes = 0;
  if (forward) {
    while (last < events.size() && last - first < limit &&
           bytes + EventBytes(events[last].event) <= kMaxResponseBytes) {
      bytes += EventBytes(events[last].event);
      ++last;
    }
  } else {
    first = last = events.size();
    while (first > 0 && last - first < limit &&
           bytes + EventBytes(events[first - 1].event) <= kMaxResponseBytes) {
      bytes += EventBytes(events[first - 1].event);
      --first;
    }
  }

  Json out = Json::array();
  for (size_t i = first; i < last; ++i) {
    out.push_back({{"timestamp", events[i].key.timestamp_ms},
                   {"message", std::move(events[i].event.message)},
                   {"ingestionTime", events[i].ingestion_ms}});
  }
  EventKey forward_key, backward_key;
  if (first < last) {
    forward_key = events[last - 1].key;
    backward_key = events[first].key;
  } else if (token) {
    // At either end, the same token comes back (clients stop paging on it).
    forward_key = backward_key = token->key;
  }
  return Json{{"events", std::move(out)},
              {"nextForwardToken", EncodeStreamToken(TokenDirection::kForward, forward_key)},
              {"nextBackwardToken", EncodeStreamToken(TokenDirection::kBackward, backward_key)}};
}

Result<Json> LogsService::FilterLogEvents(Call& call) {
  const Json& in = call.input;
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, GroupRefOf(call.ctx, in));
  const bool has_names = in.contains("logStreamNames");
  const bool has_prefix = in.contains("logStreamNamePrefix");
  if (has_names && has_prefix) return errors::StreamNamesAndPrefixExclusive();
  GEE_ASSIGN_OR_RETURN(FilterPattern pattern, FilterPattern::Parse(Text(in, "filterPattern")));
  std::optional<EventKey> after;
  if (in.contains("nextToken")) {
    after = DecodeFilterToken(Text(in, "nextToken"));
    if (!after) return errors::InvalidNextToken();
  }
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));

  std::set<std::string> names;
  if (has_names) {
    for (const Json& n : in.at("logStreamNames")) names.insert(n.get<std::string>());
  }
  const std::string prefix = Text(in, "logStreamNamePrefix");
  // startTime and endTime are both inclusive here (API reference).
  TimeWindow window;
  if (auto start = OptionalInt(in, "startTime")) window.from_ms = *start;
  if (auto end_time = OptionalInt(in, "endTime")) window.to_ms = *end_time;
  if (after) window.from_ms = std::max(window.from_ms, after->timestamp_ms);

  const size_t limit = static_cast<size_t>(in.value("limit", kDefaultEventsLimit));
  auto keep = [&](const StoredEvent& e) {
    if (e.key.timestamp_ms < window.from_ms || e.key.timestamp_ms > window.to_ms) return false;
    if (after && !(*after < e.key)) return false;
    return pattern.Matches(e.event.message);
  };
  std::vector<StoredEvent> events;
  if (window.from_ms <= window.to_ms) {
    GEE_ASSIGN_OR_RETURN(std::vector<BatchRow> batches,
                         store_.GroupBatches(group.group_id, window, /*with_sealed=*/false));
    std::erase_if(batches, [&](const BatchRow& b) {
      if (has_names) return names.count(b.stream_name) == 0;
      if (has_prefix) return b.stream_name.compare(0, prefix.size(), prefix) != 0;
      return false;
    });
    // One event beyond the page tells whether a nextToken is due.
    GEE_ASSIGN_OR_RETURN(events, CollectEvents(call.ctx, group, std::move(batches),
                                               /*forward=*/true, limit + 1, keep));
  }
  std::sort(events.begin(), events.end(),
            [](const StoredEvent& a, const StoredEvent& b) { return a.key < b.key; });

  Json out = Json::array();
  size_t bytes = 0;
  size_t taken = 0;
  while (taken < events.size() && taken < limit &&
         bytes + EventBytes(events[taken].event) <= kMaxResponseBytes) {
    StoredEvent& e = events[taken];
    bytes += EventBytes(e.event);
    out.push_back({{"logStreamName", e.stream_name},
                   {"timestamp", e.key.timestamp_ms},
                   {"message", std::move(e.event.message)},
                   {"ingestionTime", e.ingestion_ms},
                   {"eventId", EncodeEventKey(e.key)}});
    ++taken;
  }
  // searchedLogStreams: "no longer supported ... returns an empty list" (API reference).
  Json result = {{"events", std::move(out)}, {"searchedLogStreams", Json::array()}};
  if (taken > 0 && taken < events.size()) result["nextToken"] = EncodeFilterToken(events[taken - 1].key);
  return result;
}

}  // namespace gee::logs

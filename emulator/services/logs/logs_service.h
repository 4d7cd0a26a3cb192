// Amazon CloudWatch Logs (JSON 1.1, target prefix Logs_20140328): log groups
// with real encryption at rest, log streams, events, retention and tags.
//
// Operations: CreateLogGroup, DeleteLogGroup, DescribeLogGroups,
// AssociateKmsKey, DisassociateKmsKey, PutRetentionPolicy,
// DeleteRetentionPolicy, CreateLogStream, DeleteLogStream,
// DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents,
// TagLogGroup, UntagLogGroup, ListTagsLogGroup, TagResource, UntagResource,
// ListTagsForResource. Each declares its logs: action and the resource ARN AWS
// authorizes it on (services/logs/arns.h); denials are AccessDeniedException
// (HTTP 400) from Environment::Authorize. Texts: services/logs/errors.h.
//
// Encryption at rest: every accepted PutLogEvents batch is stored as one
// AES-256-GCM sealed batch (services/logs/event_batch.h) under a data key of
// the group (services/logs/data_keys.h): from KMS, obtained as the logs
// service principal, when the group has a kmsKeyId; otherwise Logs' default
// key sealed under the root key. Reads decrypt data keys through KMS as the
// logs principal. CreateLogGroup with kmsKeyId and AssociateKmsKey first check
// that KMS gives the logs principal a data key for the group (spec §6.2).
//
// Batch rules of PutLogEvents (spec §6.1, checked in this order): at most
// 1,048,576 bytes counting 26 bytes per event, chronological order, at most
// 24 hours between first and last event; then, per event against the
// injected clock, more than 2 hours in the future (tooNew), more than 14
// days old (tooOld) or older than the group's retention (expired) events are
// rejected and reported by index (tooNew: first index, inclusive; tooOld and
// expired: end index, exclusive), the rest stored.
//
// The at-rest inspector (kind "log-events", id "GROUP" or "GROUP/STREAM";
// names may themselves contain '/': the whole id is tried as a group first,
// then every split into an existing group and stream) reports one record
// per stored batch: scheme "SSE-KMS" with the key ARN, or "root-key" for
// Logs' default encryption; and whether the probe occurs in its raw bytes.
//
// Thread-safety: see TableService (operations serialise on the store lock);
// the data-key cache is only touched under that lock.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/inspection.h"
#include "services/logs/arns.h"
#include "services/logs/data_keys.h"
#include "services/logs/event_batch.h"
#include "services/logs/event_position.h"
#include "services/logs/kms_access.h"
#include "services/logs/log_store.h"
#include "services/service.h"

namespace gee::logs {

struct LogsOptions {
  // How long / for how many events one data key seals new events of a group.
  DataKeyCacheOptions data_keys;
};

class LogsService final : public TableService<LogsService> {
 public:
  // `kms` is how Logs reaches KMS (NewKmsClientAccess(env) in production).
  LogsService(Environment& env, std::unique_ptr<KmsAccess> kms, LogsOptions options = {});
  ~LogsService() override;

  std::string_view name() const override { return "logs"; }
  WireProtocol protocol() const override { return WireProtocol::kJson11; }
  std::vector<store::MigrationStep> Migrations() const override;
  static const std::vector<OperationEntry<LogsService>>& Table();

  // Answers over-long names with Logs' own text before the model validator
  // (AWS reports them as "Invalid LogGroup or LogStream, both must have length
  // less than or equal to 512."), then runs the table.
  Result<Json> Invoke(RequestContext& ctx, std::string_view operation,
                      const Json& input) override;

  // The at-rest inspector of kind "log-events" (register with the Environment).
  AtRestInspector* inspector();

  // ---- handlers (named after the AWS operations) ----
  Result<Json> CreateLogGroup(Call& call);
  Result<Json> DeleteLogGroup(Call& call);
  Result<Json> DescribeLogGroups(Call& call);
  Result<Json> AssociateKmsKey(Call& call);
  Result<Json> DisassociateKmsKey(Call& call);
  Result<Json> PutRetentionPolicy(Call& call);
  Result<Json> DeleteRetentionPolicy(Call& call);
  Result<Json> CreateLogStream(Call& call);
  Result<Json> DeleteLogStream(Call& call);
  Result<Json> DescribeLogStreams(Call& call);
  Result<Json> PutLogEvents(Call& call);
  Result<Json> GetLogEvents(Call& call);
  Result<Json> FilterLogEvents(Call& call);
  Result<Json> TagLogGroup(Call& call);
  Result<Json> UntagLogGroup(Call& call);
  Result<Json> ListTagsLogGroup(Call& call);
  Result<Json> TagResource(Call& call);
  Result<Json> UntagResource(Call& call);
  Result<Json> ListTagsForResource(Call& call);

  // ---- resource resolvers (IAM resource ARN and condition keys) ----
  // DescribeLogGroups: arn:aws:logs:R:A:log-group::log-stream:
  Result<AuthRequest> AccountResource(Call& call);
  // logGroupName: arn:aws:logs:R:A:log-group:NAME:log-stream:
  Result<AuthRequest> GroupResource(Call& call);
  // logGroupName or logGroupIdentifier (exactly one), group form.
  Result<AuthRequest> GroupOrIdentifierResource(Call& call);
  // logGroupName or resourceIdentifier (exactly one), group form.
  Result<AuthRequest> KmsAssociationResource(Call& call);
  // logGroupName (or logGroupIdentifier) + logStreamName: the stream ARN.
  Result<AuthRequest> StreamResource(Call& call);
  // resourceArn as a log group ARN (TagResource, UntagResource, ListTagsForResource).
  Result<AuthRequest> TaggedResource(Call& call);

  LogStore& store() { return store_; }

 private:
  class Inspector;
  // One decrypted event with its place in the group's order.
  struct StoredEvent {
    EventKey key;
    LogEvent event;
    int64_t ingestion_ms = 0;
    std::string stream_name;
  };

  // The group named by logGroupName / logGroupIdentifier of `input`.
  Result<LogGroupRef> GroupRefOf(const RequestContext& ctx, const Json& input) const;
  // The group `ref` in the caller's account and region, or LogGroupNotFound.
  Result<GroupRow> LoadGroup(const RequestContext& ctx, const LogGroupRef& ref);
  Result<StreamRow> LoadStream(const GroupRow& group, std::string_view name);
  // A group-form AuthRequest for `ref` with its aws:ResourceTag/* keys.
  Result<AuthRequest> GroupAuth(const RequestContext& ctx, const LogGroupRef& ref,
                                std::string resource);
  // Decrypts batches of `group` (metadata rows; sealed bytes are loaded on
  // demand) from one end of the event order — the earliest when `forward`,
  // else the latest — until the first `want` events in that direction that
  // pass `keep` are certain, then stops. Returns every kept event it
  // decrypted (unsorted; at least those `want`). One data-key decryption per
  // distinct data key.
  Result<std::vector<StoredEvent>> CollectEvents(
      const RequestContext& ctx, const GroupRow& group, std::vector<BatchRow> batches,
      bool forward, size_t want, const std::function<bool(const StoredEvent&)>& keep);
  Status TagGroup(const RequestContext& ctx, const GroupRow& group, const Json& tags);

  LogStore store_;
  std::unique_ptr<KmsAccess> kms_;
  DataKeys data_keys_;
  std::unique_ptr<AtRestInspector> inspector_;
};

}  // namespace gee::logs

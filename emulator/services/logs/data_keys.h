// DataKeys: the data keys that protect a log group's stored events, and the
// cache that lets PutLogEvents reuse one data key for many batches instead of
// calling KMS for every request.
//
// Two schemes, chosen by the log group's kmsKeyId at ingestion time:
//   SSE-KMS   A 32-byte data key from KMS GenerateDataKey under the group's
//             key, called as logs.REGION.amazonaws.com with encryption context
//             {"aws:logs:arn": "arn:aws:logs:REGION:ACCT:log-group:NAME"} and
//             aws:SourceArn = that ARN. Stored: the KMS ciphertext blob.
//             Reading calls KMS Decrypt the same way (once per distinct data
//             key per request; reads are never cached, so a key that becomes
//             unusable stops reads at once).
//   default   Logs' own encryption for groups without a key: 32 random bytes
//             sealed under the gee root key (store/root_key.h) with the label
//             SecretLabel("logs-data-key", {log group ARN, key_ref}).
// Either way the plaintext data key exists only in memory (SecretBytes).
//
// Write cache: per log group, the current data key is reused while it was
// made for the group's current key (or scheme), is younger than
// max_age_seconds and has sealed fewer than max_events events. AWS documents
// that key association changes take "up to five minutes"; gee applies
// association changes at once (the cache is dropped) but a key disabled, or a
// key policy changed, after the data key was made is noticed only when the
// cached data key expires (at most max_age_seconds) [guess at AWS's
// caching]. A cached key is used only after checking that its row still
// exists unchanged (a rolled-back transaction or a reset cannot leave the
// cache pointing at another row).
//
// Failures to obtain or open a KMS data key (key missing, disabled, pending
// deletion, not symmetric, or not allowed to the logs principal) are Logs'
// AccessDeniedException (errors::KmsKeyNotUsable). A default-scheme key that
// does not unseal is InternalFailure.
//
// Thread-safety: not thread-safe; used under the store lock (every Logs
// operation holds it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "core/request_context.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "services/kms/kms_client.h"
#include "services/logs/kms_access.h"
#include "services/logs/log_store.h"
#include "store/root_key.h"

namespace gee::logs {

struct DataKeyCacheOptions {
  // Longest time one data key seals new events of a group. Default 300 s.
  int64_t max_age_seconds = 300;
  // Most events one data key seals. Default 1,000,000.
  int64_t max_events = 1000000;
};

// A data key ready to seal batches.
struct WriteKey {
  int64_t data_key_id = 0;
  std::string key_ref;
  std::optional<std::string> kms_key_arn;
  crypto::SecretBytes key;
};

// The context Logs uses for KMS calls about `group_arn` (in `region`/`account`).
RequestContext LogsPrincipalContext(const RequestContext& caller, std::string_view region,
                                    std::string_view account, const std::string& group_arn);

// {"aws:logs:arn": group_arn}
kms::EncryptionContextMap LogsEncryptionContext(const std::string& group_arn);

class DataKeys {
 public:
  DataKeys(LogStore& store, KmsAccess& kms, const store::RootKeyring& keyring, Random& random,
           const Clock& clock, DataKeyCacheOptions options)
      : store_(store),
        kms_(kms),
        keyring_(keyring),
        random_(random),
        clock_(clock),
        options_(options) {}

  // Checks that Logs may use `kms_key_arn` for the log group `group_arn`
  // (CreateLogGroup with kmsKeyId, AssociateKmsKey): `kms_key_arn` must be a
  // key ARN and KMS must generate a data key for the logs principal. Returns
  // that data key (to Adopt once the group exists).
  Result<kms::GeneratedDataKey> CheckKmsKey(const RequestContext& caller,
                                            std::string_view region, std::string_view account,
                                            const std::string& group_arn,
                                            std::string_view kms_key_arn);

  // Stores `generated` as a data key of `group` (whose kms_key_arn must be
  // the key that made it) and caches it as the group's write key.
  Status Adopt(const GroupRow& group, kms::GeneratedDataKey generated);

  // The data key that seals the next batch of `events` events of `group`.
  // The pointer is valid until the next call on this object.
  Result<const WriteKey*> ForWrite(const RequestContext& caller, const GroupRow& group,
                                   int64_t events);

  // Opens a stored data key of `group` for reading.
  Result<crypto::SecretBytes> ForRead(const RequestContext& caller, const GroupRow& group,
                                      const DataKeyRow& row);

  // Drops the cached write key of a group (key association changed, group deleted).
  void Forget(int64_t group_id) { cache_.erase(group_id); }
  // Drops every cached key (state reset).
  void Clear() { cache_.clear(); }

  // The root-key label of a default-scheme data key.
  static std::string DefaultKeyLabel(std::string_view group_arn, std::string_view key_ref);

 private:
  struct CacheEntry {
    WriteKey write_key;
    int64_t created_us = 0;
    int64_t events = 0;
  };

  Result<bool> StillValid(const GroupRow& group, const CacheEntry& entry, int64_t events);
  Result<WriteKey> NewKmsKey(const RequestContext& caller, const GroupRow& group);
  Result<WriteKey> NewDefaultKey(const GroupRow& group);
  Result<WriteKey> Store(const GroupRow& group, std::optional<std::string> kms_key_arn,
                         std::string wrapped, crypto::SecretBytes key);

  LogStore& store_;
  KmsAccess& kms_;
  const store::RootKeyring& keyring_;
  Random& random_;
  const Clock& clock_;
  DataKeyCacheOptions options_;
  std::map<int64_t, CacheEntry> cache_;
};

}  // namespace gee::logs

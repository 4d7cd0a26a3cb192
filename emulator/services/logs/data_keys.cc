#include "services/logs/data_keys.h"

#include "core/ids.h"
#include "crypto/aead.h"
#include "services/logs/arns.h"
#include "services/logs/errors.h"

namespace gee::logs {

namespace {

constexpr char kContextKey[] = "aws:logs:arn";

AwsError BadStoredKey() {
  return AwsError("InternalFailure", "A stored log data key is corrupt.", 500);
}

}  // namespace

RequestContext LogsPrincipalContext(const RequestContext& caller, std::string_view region,
                                    std::string_view account, const std::string& group_arn) {
  return AsServicePrincipal(caller, LogsServicePrincipal(region), group_arn,
                            std::string(account));
}

kms::EncryptionContextMap LogsEncryptionContext(const std::string& group_arn) {
  return {{kContextKey, group_arn}};
}

std::string DataKeys::DefaultKeyLabel(std::string_view group_arn, std::string_view key_ref) {
  return store::SecretLabel("logs-data-key", {group_arn, key_ref});
}

Result<kms::GeneratedDataKey> DataKeys::CheckKmsKey(const RequestContext& caller,
                                                    std::string_view region,
                                                    std::string_view account,
                                                    const std::string& group_arn,
                                                    std::string_view kms_key_arn) {
  if (!IsKmsKeyArn(kms_key_arn)) return errors::KmsKeyNotUsable(group_arn);
  RequestContext ctx = LogsPrincipalContext(caller, region, account, group_arn);
  auto generated = kms_.GenerateDataKey(ctx, kms_key_arn, LogsEncryptionContext(group_arn));
  if (!generated.ok() || generated->plaintext.size() != crypto::kAes256KeySize) {
    return errors::KmsKeyNotUsable(group_arn);
  }
  return generated;
}

Status DataKeys::Adopt(const GroupRow& group, kms::GeneratedDataKey generated) {
  if (!group.kms_key_arn) {
    return AwsError("InternalFailure", "adopting a KMS data key for a group without a key", 500);
  }
  GEE_ASSIGN_OR_RETURN(WriteKey key, Store(group, group.kms_key_arn,
                                           std::move(generated.ciphertext_blob),
                                           std::move(generated.plaintext)));
  CacheEntry entry;
  entry.write_key = std::move(key);
  entry.created_us = clock_.NowMicros();
  cache_[group.group_id] = std::move(entry);
  return OkStatus();
}

Result<bool> DataKeys::StillValid(const GroupRow& group, const CacheEntry& entry,
                                  int64_t events) {
  if (entry.write_key.kms_key_arn != group.kms_key_arn) return false;
  if (clock_.NowMicros() - entry.created_us >= options_.max_age_seconds * 1000000) return false;
  if (entry.events + events > options_.max_events) return false;
  GEE_ASSIGN_OR_RETURN(std::optional<DataKeyRow> row,
                       store_.FindDataKey(entry.write_key.data_key_id));
  return row && row->group_id == group.group_id && row->key_ref == entry.write_key.key_ref &&
         row->kms_key_arn == entry.write_key.kms_key_arn;
}

Result<const WriteKey*> DataKeys::ForWrite(const RequestContext& caller, const GroupRow& group,
                                           int64_t events) {
  auto it = cache_.find(group.group_id);
  if (it != cache_.end()) {
    GEE_ASSIGN_OR_RETURN(bool valid, StillValid(group, it->second, events));
    if (!valid) {
      cache_.erase(it);
      it = cache_.end();
    }
  }
  if (it == cache_.end()) {
    WriteKey key;
    if (group.kms_key_arn) {
      GEE_ASSIGN_OR_RETURN(key, NewKmsKey(caller, group));
    } else {
      GEE_ASSIGN_OR_RETURN(key, NewDefaultKey(group));
    }
    CacheEntry entry;
    entry.write_key = std::move(key);
    entry.created_us = clock_.NowMicros();
    it = cache_.emplace(group.group_id, std::move(entry)).first;
  }
  it->second.events += events;
  return &it->second.write_key;
}

Result<WriteKey> DataKeys::NewKmsKey(const RequestContext& caller, const GroupRow& group) {
  const std::string group_arn = group.Arn();
  RequestContext ctx = LogsPrincipalContext(caller, group.region, group.account, group_arn);
  auto generated =
      kms_.GenerateDataKey(ctx, *group.kms_key_arn, LogsEncryptionContext(group_arn));
  if (!generated.ok() || generated->plaintext.size() != crypto::kAes256KeySize) {
    return errors::KmsKeyNotUsable(group_arn);
  }
  return Store(group, group.kms_key_arn, std::move(generated->ciphertext_blob),
               std::move(generated->plaintext));
}

Result<WriteKey> DataKeys::NewDefaultKey(const GroupRow& group) {
  crypto::SecretBytes key = crypto::SecretBytes::FromRandom(crypto::kAes256KeySize, random_);
  std::string key_ref = NewHexId(16, random_);
  GEE_ASSIGN_OR_RETURN(std::string sealed,
                       keyring_.Seal(DefaultKeyLabel(group.Arn(), key_ref), key));
  DataKeyRow row;
  row.group_id = group.group_id;
  row.key_ref = std::move(key_ref);
  row.wrapped = std::move(sealed);
  row.created_us = clock_.NowMicros();
  GEE_ASSIGN_OR_RETURN(DataKeyRow stored, store_.InsertDataKey(std::move(row)));
  WriteKey write_key;
  write_key.data_key_id = stored.data_key_id;
  write_key.key_ref = stored.key_ref;
  write_key.key = std::move(key);
  return write_key;
}

Result<WriteKey> DataKeys::Store(const GroupRow& group, std::optional<std::string> kms_key_arn,
                                 std::string wrapped, crypto::SecretBytes key) {
  DataKeyRow row;
  row.group_id = group.group_id;
  row.kms_key_arn = std::move(kms_key_arn);
  row.key_ref = NewHexId(16, random_);
  row.wrapped = std::move(wrapped);
  row.created_us = clock_.NowMicros();
  GEE_ASSIGN_OR_RETURN(DataKeyRow stored, store_.InsertDataKey(std::move(row)));
  WriteKey write_key;
  write_key.data_key_id = stored.data_key_id;
  write_key.key_ref = stored.key_ref;
  write_key.kms_key_arn = stored.kms_key_arn;
  write_key.key = std::move(key);
  return write_key;
}

Result<crypto::SecretBytes> DataKeys::ForRead(const RequestContext& caller,
                                              const GroupRow& group, const DataKeyRow& row) {
  if (row.group_id != group.group_id) return BadStoredKey();
  const std::string group_arn = group.Arn();
  if (!row.kms_key_arn) {
    auto key = keyring_.Open(DefaultKeyLabel(group_arn, row.key_ref), row.wrapped);
    if (!key.ok() || key->size() != crypto::kAes256KeySize) return BadStoredKey();
    return key;
  }
  RequestContext ctx = LogsPrincipalContext(caller, group.region, group.account, group_arn);
  auto decrypted =
      kms_.Decrypt(ctx, row.wrapped, LogsEncryptionContext(group_arn), *row.kms_key_arn);
  if (!decrypted.ok() || decrypted->plaintext.size() != crypto::kAes256KeySize) {
    return errors::KmsKeyNotUsable(group_arn);
  }
  return std::move(decrypted->plaintext);
}

}  // namespace gee::logs

// KMS key lifecycle handlers: CreateKey, DescribeKey, ListKeys, Enable/
// DisableKey, Schedule/CancelKeyDeletion, UpdateKeyDescription, tags and
// rotation (spec §4.2, §4.7, §4.8).
#include <algorithm>
#include <set>

#include "core/environment.h"
#include "core/ids.h"
#include "services/kms/errors.h"
#include "services/kms/handler_support.h"
#include "services/kms/key_policies.h"
#include "services/kms/key_ref.h"
#include "services/kms/kms_service.h"

namespace gee::kms {
namespace {

constexpr double kDay = 86400.0;
constexpr size_t kMaxTagsPerKey = 50;
constexpr size_t kMaxOnDemandRotations = 25;

Result<std::vector<Tag>> TagsFrom(const Json& input) {
  std::vector<Tag> tags;
  auto it = input.find("Tags");
  if (it == input.end() || !it->is_array()) return tags;
  for (const Json& t : *it) {
    Tag tag{t.value("TagKey", ""), t.value("TagValue", "")};
    if (tag.key.rfind("aws:", 0) == 0) return errors::ReservedTagKey(tag.key);
    // A key given twice: the last value wins (as PutTags upserts).
    auto same = std::find_if(tags.begin(), tags.end(), [&](const Tag& x) { return x.key == tag.key; });
    if (same != tags.end()) {
      same->value = tag.value;
    } else {
      tags.push_back(std::move(tag));
    }
  }
  return tags;
}

bool CanRotate(const KeyRecord& key) {
  return IsSymmetricEncryption(key.spec) && key.origin == KeyOrigin::kAwsKms;
}

}  // namespace

Result<Json> KmsService::CreateKey(Call& call) {
  const Json& in = call.input;
  const RequestContext& ctx = call.ctx;
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  if (const std::string* origin = StringMember(in, "Origin"); origin && *origin != "AWS_KMS") {
    return errors::NotEmulated("Key origin " + *origin);
  }
  if (StringMember(in, "CustomKeyStoreId") != nullptr || StringMember(in, "XksKeyId") != nullptr) {
    return errors::NotEmulated("Custom key stores");
  }
  if (in.value("MultiRegion", false)) return errors::NotEmulated("Multi-Region keys");
  const std::string* spec_text = StringMember(in, "KeySpec");
  const std::string* legacy_spec = StringMember(in, "CustomerMasterKeySpec");
  if (spec_text != nullptr && legacy_spec != nullptr) return errors::BothKeySpecs();
  if (spec_text == nullptr) spec_text = legacy_spec;
  std::optional<KeySpec> spec;
  if (spec_text != nullptr) {
    spec = ParseKeySpec(*spec_text);
    if (!spec) return errors::Internal("KeySpec outside the model's enum");
  }
  std::optional<KeyUsage> usage;
  if (const std::string* usage_text = StringMember(in, "KeyUsage")) {
    usage = ParseKeyUsage(*usage_text);
    if (!usage) return errors::Internal("KeyUsage outside the model's enum");
  }
  GEE_ASSIGN_OR_RETURN(SpecAndUsage resolved, ResolveSpecAndUsage(spec, usage));
  GEE_RETURN_IF_ERROR(CheckSupported(resolved.spec));
  GEE_ASSIGN_OR_RETURN(std::vector<Tag> tags, TagsFrom(in));
  if (tags.size() > kMaxTagsPerKey) return errors::TooManyTags("the new key");

  KeyRecord record;
  record.key_id = NewUuid(env().random());
  record.account = ctx.account;
  record.region = ctx.region;
  record.arn = KeyArn(record.region, record.account, record.key_id);
  record.spec = resolved.spec;
  record.usage = resolved.usage;
  record.state = KeyState::kEnabled;
  record.description = in.value("Description", "");
  record.creation_date = env().clock().NowEpochSecondsFractional();
  record.key_manager = KeyManager::kCustomer;
  record.origin = KeyOrigin::kAwsKms;
  if (const std::string* policy = StringMember(in, "Policy")) {
    GEE_RETURN_IF_ERROR(ValidateKeyPolicy(ctx, *policy, record.arn, record.account,
                                          in.value("BypassPolicyLockoutSafetyCheck", false)));
    record.policy = *policy;
  } else {
    record.policy = DefaultKeyPolicy(record.account);
  }
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<KeyMaterial> material,
                       KeyMaterial::Generate(record.spec, env().random()));
  GEE_ASSIGN_OR_RETURN(KeyRecord stored, store->CreateKey(record, *material));
  if (!tags.empty()) GEE_RETURN_IF_ERROR(store->PutTags(stored.key_id, tags));
  return Json{{"KeyMetadata", KeyMetadataJson(stored)}};
}

Result<Json> KmsService::DescribeKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  return Json{{"KeyMetadata", KeyMetadataJson(*key)}};
}

Result<Json> KmsService::ListKeys(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  PageRequest page;
  page.limit = PageLimit(call.input, 100, 1000);
  if (const std::string* marker = StringMember(call.input, "Marker")) page.marker = *marker;
  GEE_ASSIGN_OR_RETURN(Page<KeyRecord> keys,
                       store->ListKeys(call.ctx.account, call.ctx.region, page));
  Json list = Json::array();
  for (const KeyRecord& k : keys.items) list.push_back({{"KeyId", k.key_id}, {"KeyArn", k.arn}});
  Json out = {{"Keys", list}, {"Truncated", keys.truncated()}};
  if (keys.truncated()) out["NextMarker"] = keys.next_marker;
  return out;
}

Result<Json> KmsService::EnableKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:EnableKey"));
  KeyRecord key = *found;
  if (key.state == KeyState::kDisabled) {
    key.state = KeyState::kEnabled;
    GEE_RETURN_IF_ERROR(SaveKey(key));
  }
  return Json::object();
}

Result<Json> KmsService::DisableKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:DisableKey"));
  KeyRecord key = *found;
  if (key.state == KeyState::kEnabled) {
    key.state = KeyState::kDisabled;
    GEE_RETURN_IF_ERROR(SaveKey(key));
  }
  return Json::object();
}

Result<Json> KmsService::ScheduleKeyDeletion(Call& call) {
  const int64_t window = IntMember(call.input, "PendingWindowInDays").value_or(30);
  if (window < 7 || window > 30) return errors::PendingWindowOutOfRange(window);
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:ScheduleKeyDeletion"));
  KeyRecord key = *found;
  key.state = KeyState::kPendingDeletion;
  key.deletion_date = env().clock().NowEpochSecondsFractional() + static_cast<double>(window) * kDay;
  key.pending_window_days = static_cast<int>(window);
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json{{"KeyId", key.arn},
              {"DeletionDate", *key.deletion_date},
              {"KeyState", std::string(Name(key.state))},
              {"PendingWindowInDays", window}};
}

Result<Json> KmsService::CancelKeyDeletion(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:CancelKeyDeletion"));
  KeyRecord key = *found;
  // A cancelled deletion leaves the key Disabled, not Enabled (spec §4.7).
  key.state = KeyState::kDisabled;
  key.deletion_date.reset();
  key.pending_window_days.reset();
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json{{"KeyId", key.arn}};
}

Result<Json> KmsService::UpdateKeyDescription(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:UpdateKeyDescription"));
  KeyRecord key = *found;
  key.description = call.input.value("Description", "");
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json::object();
}

// ---- tags ----

Result<Json> KmsService::TagResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *key, "kms:TagResource"));
  GEE_ASSIGN_OR_RETURN(std::vector<Tag> tags, TagsFrom(call.input));
  GEE_ASSIGN_OR_RETURN(std::vector<Tag> existing, store->AllTags(key->key_id));
  std::set<std::string> keys;
  for (const Tag& t : existing) keys.insert(t.key);
  for (const Tag& t : tags) keys.insert(t.key);
  if (keys.size() > kMaxTagsPerKey) return errors::TooManyTags(key->arn);
  GEE_RETURN_IF_ERROR(store->PutTags(key->key_id, tags));
  return Json::object();
}

Result<Json> KmsService::UntagResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *key, "kms:UntagResource"));
  std::vector<std::string> tag_keys;
  if (auto it = call.input.find("TagKeys"); it != call.input.end() && it->is_array()) {
    for (const Json& k : *it) {
      if (k.is_string()) tag_keys.push_back(k.get<std::string>());
    }
  }
  GEE_RETURN_IF_ERROR(store->RemoveTags(key->key_id, tag_keys));
  return Json::object();
}

Result<Json> KmsService::ListResourceTags(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  PageRequest page;
  page.limit = PageLimit(call.input, 50, 50);
  if (const std::string* marker = StringMember(call.input, "Marker")) page.marker = *marker;
  GEE_ASSIGN_OR_RETURN(Page<Tag> tags, store->ListTags(key->key_id, page));
  Json list = Json::array();
  for (const Tag& t : tags.items) list.push_back({{"TagKey", t.key}, {"TagValue", t.value}});
  Json out = {{"Tags", list}, {"Truncated", tags.truncated()}};
  if (tags.truncated()) out["NextMarker"] = tags.next_marker;
  return out;
}

// ---- rotation ----

Result<Json> KmsService::EnableKeyRotation(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:EnableKeyRotation"));
  if (!CanRotate(*found)) return errors::RotationUnsupported();
  KeyRecord key = *found;
  const int period = static_cast<int>(IntMember(call.input, "RotationPeriodInDays").value_or(365));
  const double now = env().clock().NowEpochSecondsFractional();
  if (key.rotation_enabled) {
    // A new period counts from the last rotation (or the creation).
    double base = key.creation_date;
    GEE_ASSIGN_OR_RETURN(std::vector<MaterialVersion> versions,
                         store->ListMaterialVersions(key.key_id));
    if (!versions.empty()) base = std::max(base, versions.back().creation_date);
    key.next_rotation_date = std::max(base + period * kDay, now);
  } else {
    key.next_rotation_date = now + period * kDay;
  }
  key.rotation_enabled = true;
  key.rotation_period_days = period;
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json::object();
}

Result<Json> KmsService::DisableKeyRotation(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:DisableKeyRotation"));
  if (!CanRotate(*found)) return errors::RotationUnsupported();
  KeyRecord key = *found;
  key.rotation_enabled = false;
  key.rotation_period_days.reset();
  key.next_rotation_date.reset();
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json::object();
}

Result<Json> KmsService::GetKeyRotationStatus(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  if (!CanRotate(*key)) return errors::RotationUnsupported();
  Json out = {{"KeyRotationEnabled", key->rotation_enabled}, {"KeyId", key->arn}};
  if (key->rotation_enabled) {
    if (key->rotation_period_days) out["RotationPeriodInDays"] = *key->rotation_period_days;
    if (key->next_rotation_date) out["NextRotationDate"] = *key->next_rotation_date;
  }
  return out;
}

Result<Json> KmsService::RotateKeyOnDemand(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:RotateKeyOnDemand"));
  if (found->origin != KeyOrigin::kAwsKms && IsSymmetricEncryption(found->spec)) {
    return errors::OriginNotValid(found->arn, Name(found->origin));
  }
  if (!CanRotate(*found)) return errors::RotationUnsupported();
  GEE_ASSIGN_OR_RETURN(size_t done, store->CountRotations(found->key_id, RotationType::kOnDemand));
  if (done >= kMaxOnDemandRotations) return errors::TooManyOnDemandRotations(found->arn);
  KeyRecord key = *found;
  GEE_RETURN_IF_ERROR(Rotate(key, env().clock().NowEpochSecondsFractional(),
                             RotationType::kOnDemand));
  return Json{{"KeyId", key.arn}};
}

Result<Json> KmsService::ListKeyRotations(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  if (!CanRotate(*key)) return errors::RotationUnsupported();
  const std::string* include = StringMember(call.input, "IncludeKeyMaterial");
  const bool all_material = include != nullptr && *include == "ALL_KEY_MATERIAL";

  // Every entry in order: the initial material (ALL_KEY_MATERIAL only), then
  // each rotation.
  std::vector<Json> entries;
  auto state_of = [&](const std::string& material_id) {
    return material_id == key->current_material_id ? "CURRENT" : "NON_CURRENT";
  };
  if (all_material) {
    GEE_ASSIGN_OR_RETURN(std::vector<MaterialVersion> versions,
                         store->ListMaterialVersions(key->key_id));
    if (!versions.empty()) {
      entries.push_back({{"KeyId", key->arn},
                         {"KeyMaterialId", versions.front().material_id},
                         {"KeyMaterialState", state_of(versions.front().material_id)}});
    }
  }
  PageRequest all;
  all.limit = 1000;
  while (true) {
    GEE_ASSIGN_OR_RETURN(Page<RotationRecord> page, store->ListRotations(key->key_id, all));
    for (const RotationRecord& r : page.items) {
      entries.push_back({{"KeyId", key->arn},
                         {"KeyMaterialId", r.material_id},
                         {"KeyMaterialState", state_of(r.material_id)},
                         {"RotationDate", r.rotation_date},
                         {"RotationType", std::string(Name(r.type))}});
    }
    if (!page.truncated()) break;
    all.marker = page.next_marker;
  }
  const size_t limit = PageLimit(call.input, 100, 1000);
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> position, DecodeMarker("rotations", call.input));
  size_t start = 0;
  if (position) {
    char* end = nullptr;
    start = std::strtoul(position->c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || start > entries.size()) return errors::InvalidMarker();
  }
  Json list = Json::array();
  for (size_t i = start; i < entries.size() && i < start + limit; ++i) list.push_back(entries[i]);
  const bool truncated = start + limit < entries.size();
  Json out = {{"Rotations", list}, {"Truncated", truncated}};
  if (truncated) out["NextMarker"] = EncodeMarker("rotations", std::to_string(start + limit));
  return out;
}

}  // namespace gee::kms

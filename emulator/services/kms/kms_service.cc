#include "services/kms/kms_service.h"

#include <algorithm>
#include <utility>

#include "auth/authorizer.h"
#include "auth/denial_message.h"
#include "auth/policy/evaluator.h"
#include "auth/policy/policy.h"
#include "core/ids.h"
#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/kms/errors.h"
#include "services/kms/grants.h"
#include "services/kms/handler_support.h"
#include "services/kms/key_policies.h"
#include "services/kms/key_ref.h"
#include "store/database.h"

namespace gee::kms {
namespace {

using Entry = OperationEntry<KmsService>;
using Handler = Result<Json> (KmsService::*)(Call&);
using Resolver = Result<AuthRequest> (KmsService::*)(Call&);

Entry Line(std::string_view name, Handler handler, Resolver resolver, Access access) {
  const OperationSpec* spec = FindOperationSpec(name);
  return Entry{name, handler, spec != nullptr ? spec->action : std::string_view("kms:Unknown"),
               resolver, access};
}

void SetTagKeys(const Json& input, AuthRequest& request, bool with_values) {
  std::vector<std::string> keys;
  if (with_values) {
    auto tags = input.find("Tags");
    if (tags == input.end() || !tags->is_array()) return;
    for (const Json& tag : *tags) {
      const std::string key = tag.value("TagKey", "");
      request.keys.Set("aws:RequestTag/" + key, tag.value("TagValue", ""));
      keys.push_back(key);
    }
  } else {
    auto tag_keys = input.find("TagKeys");
    if (tag_keys == input.end() || !tag_keys->is_array()) return;
    for (const Json& k : *tag_keys) {
      if (k.is_string()) keys.push_back(k.get<std::string>());
    }
  }
  if (!keys.empty()) request.keys.SetMulti("aws:TagKeys", std::move(keys));
}

void SetContextKeys(const EncryptionContext& context, AuthRequest& request) {
  if (context.empty()) return;
  std::vector<std::string> names;
  for (const auto& [k, v] : context) {
    request.keys.Set("kms:EncryptionContext:" + k, v);
    names.push_back(k);
  }
  request.keys.SetMulti("kms:EncryptionContextKeys", std::move(names));
}

}  // namespace

EncryptionContext ContextFrom(const Json& input, std::string_view member) {
  EncryptionContext context;
  auto it = input.find(std::string(member));
  if (it == input.end() || !it->is_object()) return context;
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (e->is_string()) context.emplace(e.key(), e->get<std::string>());
  }
  return context;
}

Json KeyMetadataJson(const KeyRecord& key) {
  Json m = {
      {"AWSAccountId", key.account},
      {"KeyId", key.key_id},
      {"Arn", key.arn},
      {"CreationDate", key.creation_date},
      {"Enabled", key.state == KeyState::kEnabled},
      {"Description", key.description},
      {"KeyUsage", Name(key.usage)},
      {"KeyState", Name(key.state)},
      {"Origin", Name(key.origin)},
      {"KeyManager", Name(key.key_manager)},
      {"CustomerMasterKeySpec", Name(key.spec)},
      {"KeySpec", Name(key.spec)},
      {"MultiRegion", key.multi_region},
  };
  if (key.state == KeyState::kPendingDeletion && key.deletion_date) {
    m["DeletionDate"] = *key.deletion_date;
    if (key.pending_window_days) m["PendingDeletionWindowInDays"] = *key.pending_window_days;
  }
  auto names = [](const auto& list) {
    Json out = Json::array();
    for (auto v : list) out.push_back(std::string(Name(v)));
    return out;
  };
  if (auto l = EncryptionAlgorithms(key.spec, key.usage); !l.empty()) {
    m["EncryptionAlgorithms"] = names(l);
  }
  if (auto l = SigningAlgorithms(key.spec, key.usage); !l.empty()) {
    m["SigningAlgorithms"] = names(l);
  }
  if (auto l = MacAlgorithms(key.spec, key.usage); !l.empty()) m["MacAlgorithms"] = names(l);
  if (auto l = KeyAgreementAlgorithms(key.spec, key.usage); !l.empty()) {
    m["KeyAgreementAlgorithms"] = names(l);
  }
  if (IsSymmetricEncryption(key.spec) && !key.current_material_id.empty()) {
    m["CurrentKeyMaterialId"] = key.current_material_id;
  }
  return m;
}

KmsService::KmsService(Environment& env) : TableService(env) {}
KmsService::~KmsService() = default;

std::vector<store::MigrationStep> KmsService::Migrations() const { return KmsMigrations(); }

Result<KeyStore*> KmsService::Store() {
  if (!store_) {
    GEE_ASSIGN_OR_RETURN(store_, KeyStore::Create(env().db(), env().keyring(), env().random()));
  }
  return store_.get();
}

const std::vector<OperationEntry<KmsService>>& KmsService::Table() {
  using K = KmsService;
  static const std::vector<Entry> table = {
      Line("CancelKeyDeletion", &K::CancelKeyDeletion, &K::KeyResource, Access::kWrite),
      Line("CreateAlias", &K::CreateAlias, &K::AliasResource, Access::kWrite),
      Line("CreateGrant", &K::CreateGrant, &K::KeyResource, Access::kWrite),
      Line("CreateKey", &K::CreateKey, &K::AccountResource, Access::kWrite),
      Line("Decrypt", &K::Decrypt, &K::CiphertextKeyResource, Access::kRead),
      Line("DeleteAlias", &K::DeleteAlias, &K::AliasResource, Access::kWrite),
      Line("DeriveSharedSecret", &K::DeriveSharedSecret, &K::KeyResource, Access::kRead),
      Line("DescribeKey", &K::DescribeKey, &K::KeyResource, Access::kRead),
      Line("DisableKey", &K::DisableKey, &K::KeyResource, Access::kWrite),
      Line("DisableKeyRotation", &K::DisableKeyRotation, &K::KeyResource, Access::kWrite),
      Line("EnableKey", &K::EnableKey, &K::KeyResource, Access::kWrite),
      Line("EnableKeyRotation", &K::EnableKeyRotation, &K::KeyResource, Access::kWrite),
      Line("Encrypt", &K::Encrypt, &K::KeyResource, Access::kRead),
      Line("GenerateDataKey", &K::GenerateDataKey, &K::KeyResource, Access::kRead),
      Line("GenerateDataKeyPair", &K::GenerateDataKeyPair, &K::KeyResource, Access::kRead),
      Line("GenerateDataKeyPairWithoutPlaintext", &K::GenerateDataKeyPairWithoutPlaintext,
           &K::KeyResource, Access::kRead),
      Line("GenerateDataKeyWithoutPlaintext", &K::GenerateDataKeyWithoutPlaintext,
           &K::KeyResource, Access::kRead),
      Line("GenerateMac", &K::GenerateMac, &K::KeyResource, Access::kRead),
      Line("GenerateRandom", &K::GenerateRandom, &K::AccountResource, Access::kRead),
      Line("GetKeyPolicy", &K::GetKeyPolicy, &K::KeyResource, Access::kRead),
      Line("GetKeyRotationStatus", &K::GetKeyRotationStatus, &K::KeyResource, Access::kRead),
      Line("GetPublicKey", &K::GetPublicKey, &K::KeyResource, Access::kRead),
      Line("ListAliases", &K::ListAliases, &K::AccountResource, Access::kRead),
      Line("ListGrants", &K::ListGrants, &K::KeyResource, Access::kRead),
      Line("ListKeyPolicies", &K::ListKeyPolicies, &K::KeyResource, Access::kRead),
      Line("ListKeyRotations", &K::ListKeyRotations, &K::KeyResource, Access::kRead),
      Line("ListKeys", &K::ListKeys, &K::AccountResource, Access::kRead),
      Line("ListResourceTags", &K::ListResourceTags, &K::KeyResource, Access::kRead),
      Line("ListRetirableGrants", &K::ListRetirableGrants, &K::AccountResource, Access::kRead),
      Line("PutKeyPolicy", &K::PutKeyPolicy, &K::KeyResource, Access::kWrite),
      Line("ReEncrypt", &K::ReEncrypt, &K::CiphertextKeyResource, Access::kRead),
      Line("RetireGrant", &K::RetireGrant, &K::GrantResource, Access::kWrite),
      Line("RevokeGrant", &K::RevokeGrant, &K::KeyResource, Access::kWrite),
      Line("RotateKeyOnDemand", &K::RotateKeyOnDemand, &K::KeyResource, Access::kWrite),
      Line("ScheduleKeyDeletion", &K::ScheduleKeyDeletion, &K::KeyResource, Access::kWrite),
      Line("Sign", &K::Sign, &K::KeyResource, Access::kRead),
      Line("TagResource", &K::TagResource, &K::KeyResource, Access::kWrite),
      Line("UntagResource", &K::UntagResource, &K::KeyResource, Access::kWrite),
      Line("UpdateAlias", &K::UpdateAlias, &K::AliasResource, Access::kWrite),
      Line("UpdateKeyDescription", &K::UpdateKeyDescription, &K::KeyResource, Access::kWrite),
      Line("Verify", &K::Verify, &K::KeyResource, Access::kRead),
      Line("VerifyMac", &K::VerifyMac, &K::KeyResource, Access::kRead),
  };
  return table;
}

// ---- clock-driven work ----

Status KmsService::Sweep(const RequestContext& ctx) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const double now = env().clock().NowEpochSecondsFractional();
  GEE_ASSIGN_OR_RETURN(bool anything_due, store->AnythingDue(now));
  if (!anything_due) return OkStatus();
  GEE_ASSIGN_OR_RETURN(std::vector<std::string> expired, store->KeysDueForDeletion(now));
  for (const std::string& key_id : expired) {
    GEE_RETURN_IF_ERROR(store->DeleteKey(key_id));
  }
  GEE_ASSIGN_OR_RETURN(std::vector<std::string> due, store->KeysDueForRotation(now));
  for (const std::string& key_id : due) {
    GEE_ASSIGN_OR_RETURN(std::optional<KeyRecord> key, store->FindKey(key_id));
    if (!key || !key->next_rotation_date) continue;
    const int period = key->rotation_period_days.value_or(365);
    // One rotation per elapsed period, each dated when it was due (bounded,
    // so a clock moved by centuries cannot stall a request).
    for (int i = 0; i < 64 && *key->next_rotation_date <= now; ++i) {
      GEE_RETURN_IF_ERROR(Rotate(*key, *key->next_rotation_date, RotationType::kAutomatic));
      key->next_rotation_date = *key->next_rotation_date + period * 86400.0;
    }
    while (*key->next_rotation_date <= now) key->next_rotation_date = now + period * 86400.0;
    GEE_RETURN_IF_ERROR(SaveKey(*key));
  }
  return OkStatus();
}

Status KmsService::Rotate(KeyRecord& key, double when, RotationType type) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<KeyMaterial> material,
                       KeyMaterial::Generate(key.spec, env().random()));
  GEE_ASSIGN_OR_RETURN(uint32_t version, store->AddMaterialVersion(key.key_id, *material, when, type));
  key.current_version = version;
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> id, store->MaterialId(key.key_id, version));
  if (id) key.current_material_id = *id;
  return OkStatus();
}

Status KmsService::SaveKey(const KeyRecord& key) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  return store->UpdateKey(key);
}

// ---- key resolution ----

Result<std::shared_ptr<const KeyRecord>> KmsService::EnsureManagedKey(
    std::string_view account, std::string_view region, std::string_view alias_name) {
  const ManagedKeyService* service = FindManagedKeyService(alias_name);
  if (service == nullptr) return std::shared_ptr<const KeyRecord>();
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::optional<AliasRecord> existing,
                       store->FindAlias(account, region, alias_name));
  if (existing) return store->FindKeyShared(existing->target_key_id);

  const double now = env().clock().NowEpochSecondsFractional();
  KeyRecord record;
  record.key_id = NewUuid(env().random());
  record.arn = KeyArn(region, account, record.key_id);
  record.account = std::string(account);
  record.region = std::string(region);
  record.spec = KeySpec::kSymmetricDefault;
  record.usage = KeyUsage::kEncryptDecrypt;
  record.state = KeyState::kEnabled;
  record.description = std::string(service->description);
  record.creation_date = now;
  record.key_manager = KeyManager::kAws;
  record.origin = KeyOrigin::kAwsKms;
  record.policy = ManagedKeyPolicy(*service, account, region);
  // AWS managed keys rotate every year (spec §4.4).
  record.rotation_enabled = true;
  record.rotation_period_days = 365;
  record.next_rotation_date = now + 365 * 86400.0;
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<KeyMaterial> material,
                       KeyMaterial::Generate(record.spec, env().random()));
  GEE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(env().db()));
  GEE_ASSIGN_OR_RETURN(KeyRecord stored, store->CreateKey(record, *material));
  GEE_RETURN_IF_ERROR(store->CreateAlias(
      AliasRecord{std::string(account), std::string(region), std::string(alias_name),
                  stored.key_id, now, now}));
  GEE_RETURN_IF_ERROR(tx.Commit());
  return std::make_shared<const KeyRecord>(std::move(stored));
}

Result<std::shared_ptr<const KeyRecord>> KmsService::ResolveKey(const RequestContext& ctx,
                                                                std::string_view text,
                                                                bool allow_alias,
                                                                std::string* request_alias) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(KeyRef ref, ParseKeyRef(text, ctx.account, ctx.region, allow_alias));
  std::string key_id = ref.key_id;
  if (ref.is_alias()) {
    GEE_ASSIGN_OR_RETURN(std::optional<AliasRecord> alias,
                         store->FindAlias(ref.account, ref.region, ref.alias_name));
    if (!alias) {
      std::shared_ptr<const KeyRecord> managed;
      // AWS creates a managed key the first time its alias is referenced in
      // the account that would own it.
      if (ref.account == ctx.account) {
        GEE_ASSIGN_OR_RETURN(managed, EnsureManagedKey(ref.account, ref.region, ref.alias_name));
      }
      if (!managed) return errors::AliasNotFound(ref.AliasArn());
      if (request_alias != nullptr) *request_alias = ref.alias_name;
      return managed;
    }
    if (request_alias != nullptr) *request_alias = ref.alias_name;
    key_id = alias->target_key_id;
  }
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, store->FindKeyShared(key_id));
  if (!key || key->account != ref.account || key->region != ref.region) {
    return errors::KeyNotFound(KeyArn(ref.region, ref.account, key_id));
  }
  return key;
}

// ---- authorization requests ----

Result<AuthRequest> KmsService::KeyAuthRequest(const RequestContext& ctx, const KeyRecord& key,
                                               std::string_view action,
                                               std::string_view grant_operation,
                                               const EncryptionContext* context,
                                               std::string_view request_alias) {
  GEE_ASSIGN_OR_RETURN(const AuthRequest* key_part, KeyPartOfAuthRequest(key));
  AuthRequest r = *key_part;
  r.action = std::string(action);
  if (!request_alias.empty()) r.keys.Set("kms:RequestAlias", std::string(request_alias));
  if (context != nullptr) SetContextKeys(*context, r);
  if (!grant_operation.empty()) {
    static const EncryptionContext kEmpty;
    GEE_ASSIGN_OR_RETURN(std::optional<GrantRecord> grant,
                         FindAllowingGrant(ctx, key, grant_operation,
                                           context != nullptr ? *context : kEmpty, nullptr,
                                           nullptr));
    if (grant) {
      r.allowed_by_grant = true;
      r.grant_id = grant->grant_id;
    }
  }
  return r;
}

Result<const AuthRequest*> KmsService::KeyPartOfAuthRequest(const KeyRecord& key) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const uint64_t generation = store->Generation();
  if (generation != key_parts_generation_) {
    key_parts_.clear();
    key_parts_generation_ = generation;
  }
  // The policy is the one part of a key record that changes; a record read
  // before the last write is not mixed with parts of the current one.
  if (auto it = key_parts_.find(key.key_id);
      it != key_parts_.end() && it->second.resource_policy == key.policy) {
    return &it->second;
  }
  AuthRequest r;
  r.resource = key.arn;
  r.resource_account = key.account;
  r.resource_policy_kind = ResourcePolicyKind::kKeyPolicy;
  r.resource_policy = key.policy;
  r.resource_policy_name = "key policy";
  r.keys.Set("kms:KeySpec", std::string(Name(key.spec)));
  r.keys.Set("kms:KeyUsage", std::string(Name(key.usage)));
  r.keys.Set("kms:KeyOrigin", std::string(Name(key.origin)));
  r.keys.Set("kms:MultiRegion", key.multi_region ? "true" : "false");
  GEE_ASSIGN_OR_RETURN(std::vector<std::string> aliases, store->AliasNamesOf(key.key_id));
  if (!aliases.empty()) r.keys.SetMulti("kms:ResourceAliases", std::move(aliases));
  GEE_ASSIGN_OR_RETURN(std::vector<Tag> tags, store->AllTags(key.key_id));
  for (const Tag& tag : tags) r.keys.Set("aws:ResourceTag/" + tag.key, tag.value);
  if (key_parts_.size() >= KeyStore::kMaxCachedKeys) key_parts_.clear();
  AuthRequest& kept = key_parts_[key.key_id];
  kept = std::move(r);
  return &kept;
}

Result<std::optional<GrantRecord>> KmsService::FindAllowingGrant(
    const RequestContext& ctx, const KeyRecord& key, std::string_view grant_operation,
    const EncryptionContext& context, const std::vector<std::string>* child_operations,
    const std::string* child_constraints_json) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::vector<GrantRecord> grants, store->AllGrants(key.key_id));
  for (GrantRecord& grant : grants) {
    if (!GranteeMatches(grant.grantee_principal, ctx.principal)) continue;
    if (std::find(grant.operations.begin(), grant.operations.end(), grant_operation) ==
        grant.operations.end()) {
      continue;
    }
    GrantConstraints constraints;
    if (grant.constraints_json) {
      GEE_ASSIGN_OR_RETURN(constraints, ParseConstraints(*grant.constraints_json));
    }
    if (child_operations != nullptr) {
      GrantConstraints child;
      if (child_constraints_json != nullptr && !child_constraints_json->empty()) {
        GEE_ASSIGN_OR_RETURN(child, ParseConstraints(*child_constraints_json));
      }
      if (!ChildGrantWithinParent(grant.operations, constraints, *child_operations, child)) {
        continue;
      }
    } else if (!ConstraintsAdmit(constraints, grant_operation, context)) {
      continue;
    }
    return std::optional<GrantRecord>(std::move(grant));
  }
  return std::optional<GrantRecord>();
}

Status KmsService::AddRequestKeys(Call& call, AuthRequest& r) {
  const Json& in = call.input;
  const std::string& op = call.ctx.operation;
  // Grant tokens must be tokens gee issued (they add nothing else: gee's
  // grants are effective immediately).
  if (auto tokens = in.find("GrantTokens"); tokens != in.end() && tokens->is_array()) {
    for (const Json& t : *tokens) {
      if (!t.is_string()) return errors::InvalidGrantToken();
      GEE_RETURN_IF_ERROR(ParseGrantToken(t.get<std::string>()));
    }
  }
  auto bypass = [&] {
    if (auto it = in.find("BypassPolicyLockoutSafetyCheck"); it != in.end() && it->is_boolean()) {
      r.keys.Set("kms:BypassPolicyLockoutSafetyCheck", it->get<bool>() ? "true" : "false");
    }
  };
  auto algorithm = [&](std::string_view member) {
    const std::string* a = StringMember(in, member);
    r.keys.Set("kms:EncryptionAlgorithm", a != nullptr ? *a : "SYMMETRIC_DEFAULT");
  };
  if (op == "CreateKey") {
    const std::string* spec = StringMember(in, "KeySpec");
    if (spec == nullptr) spec = StringMember(in, "CustomerMasterKeySpec");
    const std::string spec_name = spec != nullptr ? *spec : "SYMMETRIC_DEFAULT";
    r.keys.Set("kms:KeySpec", spec_name);
    if (const std::string* usage = StringMember(in, "KeyUsage")) {
      r.keys.Set("kms:KeyUsage", *usage);
    } else if (spec_name == "SYMMETRIC_DEFAULT") {
      r.keys.Set("kms:KeyUsage", "ENCRYPT_DECRYPT");
    }
    const std::string* origin = StringMember(in, "Origin");
    r.keys.Set("kms:KeyOrigin", origin != nullptr ? *origin : "AWS_KMS");
    r.keys.Set("kms:MultiRegion", in.value("MultiRegion", false) ? "true" : "false");
    bypass();
    SetTagKeys(in, r, true);
  } else if (op == "PutKeyPolicy") {
    bypass();
  } else if (op == "TagResource") {
    SetTagKeys(in, r, true);
  } else if (op == "UntagResource") {
    SetTagKeys(in, r, false);
  } else if (op == "Encrypt" || op == "Decrypt") {
    algorithm("EncryptionAlgorithm");
  } else if (op == "ReEncrypt") {
    algorithm("SourceEncryptionAlgorithm");
  } else if (op == "GenerateDataKey" || op == "GenerateDataKeyWithoutPlaintext") {
    r.keys.Set("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
  } else if (op == "GenerateDataKeyPair" || op == "GenerateDataKeyPairWithoutPlaintext") {
    r.keys.Set("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    if (const std::string* s = StringMember(in, "KeyPairSpec")) r.keys.Set("kms:DataKeyPairSpec", *s);
  } else if (op == "Sign" || op == "Verify") {
    if (const std::string* s = StringMember(in, "SigningAlgorithm")) r.keys.Set("kms:SigningAlgorithm", *s);
    const std::string* m = StringMember(in, "MessageType");
    r.keys.Set("kms:MessageType", m != nullptr ? *m : "RAW");
  } else if (op == "GenerateMac" || op == "VerifyMac") {
    if (const std::string* s = StringMember(in, "MacAlgorithm")) r.keys.Set("kms:MacAlgorithm", *s);
  } else if (op == "DeriveSharedSecret") {
    if (const std::string* s = StringMember(in, "KeyAgreementAlgorithm")) {
      r.keys.Set("kms:KeyAgreementAlgorithm", *s);
    }
  } else if (op == "ScheduleKeyDeletion") {
    r.keys.Set("kms:ScheduleKeyDeletionPendingWindowInDays",
               std::to_string(in.value("PendingWindowInDays", 30)));
  } else if (op == "EnableKeyRotation") {
    r.keys.Set("kms:RotationPeriodInDays", std::to_string(in.value("RotationPeriodInDays", 365)));
  } else if (op == "CreateGrant") {
    std::vector<std::string> ops;
    if (auto it = in.find("Operations"); it != in.end() && it->is_array()) {
      for (const Json& o : *it) {
        if (o.is_string()) ops.push_back(o.get<std::string>());
      }
    }
    if (!ops.empty()) r.keys.SetMulti("kms:GrantOperations", std::move(ops));
    if (const std::string* g = StringMember(in, "GranteePrincipal")) r.keys.Set("kms:GranteePrincipal", *g);
    if (const std::string* g = StringMember(in, "RetiringPrincipal")) r.keys.Set("kms:RetiringPrincipal", *g);
    r.keys.Set("kms:GrantIsForAWSResource", call.ctx.via_service.empty() ? "false" : "true");
    if (auto c = in.find("Constraints"); c != in.end() && c->is_object()) {
      for (const char* kind : {"EncryptionContextEquals", "EncryptionContextSubset"}) {
        if (c->contains(kind)) {
          r.keys.Set("kms:GrantConstraintType", kind);
          SetContextKeys(ContextFrom(*c, kind), r);
        }
      }
    }
  }
  return OkStatus();
}

// ---- resolvers ----

Status KmsService::BeginResolve(Call& call) {
  resolved_ = Resolved{};
  resolved_.ctx = &call.ctx;
  return Sweep(call.ctx);
}

Result<KmsService::Resolved*> KmsService::TakeResolved(Call& call) {
  if (resolved_.ctx != &call.ctx) return errors::Internal("kms: handler without its resolver");
  return &resolved_;
}

Result<std::string> KmsService::TakeCiphertextBlob(Call& call) {
  GEE_ASSIGN_OR_RETURN(Resolved * r, TakeResolved(call));
  if (r->ciphertext_blob) return *std::exchange(r->ciphertext_blob, std::nullopt);
  return BlobMember(call.input, "CiphertextBlob");
}

Result<std::shared_ptr<const KeyRecord>> KmsService::GetUsableKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(Resolved * r, TakeResolved(call));
  const OperationSpec* spec = FindOperationSpec(call.ctx.operation);
  if (!r->key || spec == nullptr) return errors::Internal("kms: operation without a key");
  GEE_RETURN_IF_ERROR(GateKeyState(*r->key, spec->state));
  return r->key;
}

Result<AuthRequest> KmsService::AccountResource(Call& call) {
  GEE_RETURN_IF_ERROR(BeginResolve(call));
  AuthRequest r;
  r.resource = "*";
  GEE_RETURN_IF_ERROR(AddRequestKeys(call, r));
  return r;
}

Result<AuthRequest> KmsService::KeyResource(Call& call) {
  GEE_RETURN_IF_ERROR(BeginResolve(call));
  const OperationSpec* spec = FindOperationSpec(call.ctx.operation);
  if (spec == nullptr) return errors::Internal("kms: operation without a spec");
  const std::string* key_text = StringMember(call.input, spec->key_member);
  if (key_text == nullptr) return MemberNull(spec->key_member);
  std::string request_alias;
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key,
                       ResolveKey(call.ctx, *key_text, spec->key_form == KeyIdForm::kKeyOrAlias,
                                  &request_alias));
  const bool takes_context = GrantOperationTakesContext(spec->grant_operation);
  const EncryptionContext context = ContextFrom(call.input, "EncryptionContext");
  const bool create_grant = spec->name == "CreateGrant";
  GEE_ASSIGN_OR_RETURN(
      AuthRequest r,
      KeyAuthRequest(call.ctx, *key, spec->action, create_grant ? "" : spec->grant_operation,
                     takes_context ? &context : nullptr, request_alias));
  if (create_grant) {
    // A grant's CreateGrant permission covers only grants within it.
    std::vector<std::string> child_ops;
    if (auto it = call.input.find("Operations"); it != call.input.end() && it->is_array()) {
      for (const Json& o : *it) {
        if (o.is_string()) child_ops.push_back(o.get<std::string>());
      }
    }
    std::string child_constraints;
    if (auto c = call.input.find("Constraints"); c != call.input.end() && c->is_object()) {
      GrantConstraints gc;
      if (c->contains("EncryptionContextEquals")) gc.equals = ContextFrom(*c, "EncryptionContextEquals");
      if (c->contains("EncryptionContextSubset")) gc.subset = ContextFrom(*c, "EncryptionContextSubset");
      child_constraints = SerializeConstraints(gc);
    }
    GEE_ASSIGN_OR_RETURN(std::optional<GrantRecord> grant,
                         FindAllowingGrant(call.ctx, *key, "CreateGrant", EncryptionContext{},
                                           &child_ops, &child_constraints));
    if (grant) {
      r.allowed_by_grant = true;
      r.grant_id = grant->grant_id;
    }
  }
  GEE_RETURN_IF_ERROR(AddRequestKeys(call, r));
  resolved_.key = std::move(key);
  resolved_.request_alias = std::move(request_alias);
  return r;
}

Result<AuthRequest> KmsService::CiphertextKeyResource(Call& call) {
  GEE_RETURN_IF_ERROR(BeginResolve(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const OperationSpec* spec = FindOperationSpec(call.ctx.operation);
  if (spec == nullptr) return errors::Internal("kms: operation without a spec");
  const bool reencrypt = spec->name == "ReEncrypt";
  const std::string* blob_text = StringMember(call.input, "CiphertextBlob");
  if (blob_text == nullptr) return MemberNull("CiphertextBlob");

  std::string request_alias;
  std::shared_ptr<const KeyRecord> key;
  if (const std::string* key_text = StringMember(call.input, spec->key_member)) {
    GEE_ASSIGN_OR_RETURN(key, ResolveKey(call.ctx, *key_text, true, &request_alias));
  } else {
    auto blob = crypto::Base64Decode(*blob_text);
    if (!blob.ok()) return errors::InvalidCiphertext();
    GEE_ASSIGN_OR_RETURN(std::string key_id, PeekKeyId(*blob));
    resolved_.ciphertext_blob = std::move(blob).value();
    GEE_ASSIGN_OR_RETURN(key, store->FindKeyShared(key_id));
    // The blob carries only the key id: the key must be one of the caller's
    // account and region (spec §3.5).
    if (!key || key->account != call.ctx.account || key->region != call.ctx.region) {
      return errors::CiphertextKeyUnavailable();
    }
  }
  if (reencrypt) {
    const std::string* destination = StringMember(call.input, "DestinationKeyId");
    if (destination == nullptr) return MemberNull("DestinationKeyId");
    GEE_ASSIGN_OR_RETURN(resolved_.second_key,
                         ResolveKey(call.ctx, *destination, true, &resolved_.second_alias));
  }
  const EncryptionContext context =
      ContextFrom(call.input, reencrypt ? "SourceEncryptionContext" : "EncryptionContext");
  GEE_ASSIGN_OR_RETURN(AuthRequest r, KeyAuthRequest(call.ctx, *key, spec->action,
                                                     spec->grant_operation, &context,
                                                     request_alias));
  GEE_RETURN_IF_ERROR(AddRequestKeys(call, r));
  resolved_.key = std::move(key);
  resolved_.request_alias = std::move(request_alias);
  return r;
}

Result<AuthRequest> KmsService::AliasResource(Call& call) {
  GEE_RETURN_IF_ERROR(BeginResolve(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const std::string& op = call.ctx.operation;
  const std::string* name = StringMember(call.input, "AliasName");
  if (name == nullptr) return MemberNull("AliasName");
  if (name->rfind("alias/", 0) != 0) return errors::AliasPrefixRequired();
  if (op == "CreateAlias" && (name->find(':') != std::string::npos || name->size() == 6)) {
    return errors::AliasInvalidCharacters(*name);
  }
  const std::string alias_arn = AliasArn(call.ctx.region, call.ctx.account, *name);
  AuthRequest r;
  r.resource = alias_arn;
  // The alias/aws/ prefix belongs to AWS managed keys: no caller may create,
  // re-point or delete such an alias (the exact AWS error is UNCONFIRMED;
  // gee answers the AccessDenied no policy can lift).
  if (name->rfind("alias/aws/", 0) == 0) {
    r.action = std::string(FindOperationSpec(op)->action);
    Decision d;
    d.outcome = DecisionOutcome::kImplicitDeny;
    d.denied_by = policy::kResourceBased;
    DenialMessageOptions options;
    options.kms_phrase = env().config().kms_denial_phrase;
    return env().AccessDenied(call.ctx, AccessDeniedMessage(call.ctx.principal, r, d, options));
  }
  resolved_.alias_name = *name;
  if (op == "CreateAlias" || op == "UpdateAlias") {
    const std::string* target = StringMember(call.input, "TargetKeyId");
    if (target == nullptr) return MemberNull("TargetKeyId");
    GEE_ASSIGN_OR_RETURN(resolved_.key, ResolveKey(call.ctx, *target, false, nullptr));
  }
  if (op == "UpdateAlias" || op == "DeleteAlias") {
    GEE_ASSIGN_OR_RETURN(std::optional<AliasRecord> alias,
                         store->FindAlias(call.ctx.account, call.ctx.region, *name));
    if (!alias) return errors::AliasNotFound(alias_arn);
    GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> current,
                         store->FindKeyShared(alias->target_key_id));
    if (!current) return errors::AliasNotFound(alias_arn);
    if (op == "DeleteAlias") {
      resolved_.key = std::move(current);
    } else {
      resolved_.second_key = std::move(current);
    }
    resolved_.alias = std::move(alias);
  }
  GEE_RETURN_IF_ERROR(AddRequestKeys(call, r));
  return r;
}

Result<AuthRequest> KmsService::GrantResource(Call& call) {
  GEE_RETURN_IF_ERROR(BeginResolve(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const std::string* token = StringMember(call.input, "GrantToken");
  const std::string* key_text = StringMember(call.input, "KeyId");
  const std::string* grant_id = StringMember(call.input, "GrantId");
  std::shared_ptr<const KeyRecord> named_key;
  if (key_text != nullptr) {
    GEE_ASSIGN_OR_RETURN(named_key, ResolveKey(call.ctx, *key_text, false, nullptr));
  }
  std::optional<GrantRecord> grant;
  if (token != nullptr) {
    GEE_ASSIGN_OR_RETURN(std::string id, ParseGrantToken(*token));
    GEE_ASSIGN_OR_RETURN(grant, store->FindGrant(id));
    if (!grant) return errors::InvalidGrantToken();
  } else if (named_key && grant_id != nullptr) {
    if (!IsGrantId(*grant_id)) return errors::InvalidGrantId();
    GEE_ASSIGN_OR_RETURN(grant, store->FindGrant(*grant_id));
    if (!grant) return AwsError("NotFoundException", "Grant ID " + *grant_id + " not found", 400);
  } else {
    return errors::RetireGrantTarget();
  }
  if (named_key && grant->key_id != named_key->key_id) return errors::InvalidGrantId();
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, store->FindKeyShared(grant->key_id));
  if (!key) return errors::Internal("kms: grant without its key");
  GEE_ASSIGN_OR_RETURN(AuthRequest r, KeyAuthRequest(call.ctx, *key, "kms:RetireGrant", "",
                                                     nullptr, ""));
  // Only the grant decides (spec §4.6): no policy can allow RetireGrant, so
  // the key policy is not consulted; IAM denies still apply.
  r.resource_policy.clear();
  const Principal& p = call.ctx.principal;
  const bool retiring = grant->retiring_principal && GranteeMatches(*grant->retiring_principal, p);
  const bool grantee = GranteeMatches(grant->grantee_principal, p) &&
                       std::find(grant->operations.begin(), grant->operations.end(),
                                 "RetireGrant") != grant->operations.end();
  const bool owner = p.type == PrincipalType::kRoot && p.account == key->account;
  if (retiring || grantee || owner) {
    r.allowed_by_grant = true;
    r.grant_id = grant->grant_id;
  }
  GEE_RETURN_IF_ERROR(AddRequestKeys(call, r));
  resolved_.key = std::move(key);
  resolved_.grant = std::move(grant);
  return r;
}

// ---- guards ----

Status KmsService::RefuseManagedKeyChange(const RequestContext& ctx, const KeyRecord& key,
                                          std::string_view action) {
  if (key.key_manager != KeyManager::kAws) return OkStatus();
  AuthRequest r;
  r.action = std::string(action);
  r.resource = key.arn;
  Decision d;
  d.outcome = DecisionOutcome::kImplicitDeny;
  d.denied_by = policy::kResourceBased;
  DenialMessageOptions options;
  options.kms_phrase = env().config().kms_denial_phrase;
  return env().AccessDenied(ctx, AccessDeniedMessage(ctx.principal, r, d, options));
}

bool KmsService::IsDryRun(const Call& call) {
  auto it = call.input.find("DryRun");
  return it != call.input.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace gee::kms

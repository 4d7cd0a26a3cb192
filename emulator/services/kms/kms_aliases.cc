// KMS alias handlers (spec §4.5). The resolver (AliasResource) has checked
// the name, refused the reserved alias/aws/ prefix, found the alias and the
// key(s) and authorized the action on the alias ARN (IAM only); the handler
// authorizes the same action on each key against its key policy, then
// gates and acts.
//
// ListAliases also shows the predefined alias/aws/<service> aliases of the
// AWS managed keys gee knows before their keys exist, without TargetKeyId
// (spec §4.4). Its markers are in-memory markers over alias names.
#include <algorithm>

#include "core/environment.h"
#include "services/kms/errors.h"
#include "services/kms/handler_support.h"
#include "services/kms/key_policies.h"
#include "services/kms/key_ref.h"
#include "services/kms/kms_service.h"

namespace gee::kms {
namespace {

constexpr size_t kMaxAliasesPerKey = 50;

bool SameKind(const KeyRecord& a, const KeyRecord& b) {
  auto family = [](KeySpec s) { return IsSymmetricEncryption(s) ? 0 : IsHmac(s) ? 1 : 2; };
  return family(a.spec) == family(b.spec) && a.usage == b.usage;
}

}  // namespace

Result<Json> KmsService::CreateAlias(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(Resolved * resolved, TakeResolved(call));
  if (!resolved->key) return errors::Internal("CreateAlias without its key");
  GEE_ASSIGN_OR_RETURN(AuthRequest key_side, KeyAuthRequest(call.ctx, *resolved->key,
                                                            "kms:CreateAlias", "", nullptr, ""));
  GEE_RETURN_IF_ERROR(env().Authorize(call.ctx, key_side));
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *key, "kms:CreateAlias"));
  const std::string& name = resolved->alias_name;
  GEE_ASSIGN_OR_RETURN(std::optional<AliasRecord> existing,
                       store->FindAlias(call.ctx.account, call.ctx.region, name));
  if (existing) return errors::AliasAlreadyExists(AliasArn(call.ctx.region, call.ctx.account, name));
  GEE_ASSIGN_OR_RETURN(size_t count, store->CountAliases(key->key_id));
  if (count >= kMaxAliasesPerKey) return errors::TooManyAliases(key->arn);
  const double now = env().clock().NowEpochSecondsFractional();
  GEE_RETURN_IF_ERROR(store->CreateAlias(
      AliasRecord{call.ctx.account, call.ctx.region, name, key->key_id, now, now}));
  return Json::object();
}

Result<Json> KmsService::UpdateAlias(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(Resolved * resolved, TakeResolved(call));
  if (!resolved->key || !resolved->second_key) return errors::Internal("UpdateAlias without keys");
  // The current target, then the new one (both need kms:UpdateAlias).
  for (const KeyRecord* k : {&*resolved->second_key, &*resolved->key}) {
    GEE_ASSIGN_OR_RETURN(AuthRequest key_side,
                         KeyAuthRequest(call.ctx, *k, "kms:UpdateAlias", "", nullptr, ""));
    GEE_RETURN_IF_ERROR(env().Authorize(call.ctx, key_side));
  }
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> target, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *target, "kms:UpdateAlias"));
  if (!SameKind(*resolved->second_key, *target)) {
    return errors::AliasTargetTypeMismatch(resolved->alias_name);
  }
  GEE_ASSIGN_OR_RETURN(size_t count, store->CountAliases(target->key_id));
  if (target->key_id != resolved->second_key->key_id && count >= kMaxAliasesPerKey) {
    return errors::TooManyAliases(target->arn);
  }
  GEE_RETURN_IF_ERROR(store->UpdateAlias(call.ctx.account, call.ctx.region, resolved->alias_name,
                                         target->key_id,
                                         env().clock().NowEpochSecondsFractional()));
  return Json::object();
}

Result<Json> KmsService::DeleteAlias(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(Resolved * resolved, TakeResolved(call));
  if (!resolved->key) return errors::Internal("DeleteAlias without its key");
  GEE_ASSIGN_OR_RETURN(AuthRequest key_side, KeyAuthRequest(call.ctx, *resolved->key,
                                                            "kms:DeleteAlias", "", nullptr, ""));
  GEE_RETURN_IF_ERROR(env().Authorize(call.ctx, key_side));
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  (void)key;
  GEE_RETURN_IF_ERROR(store->DeleteAlias(call.ctx.account, call.ctx.region, resolved->alias_name));
  return Json::object();
}

Result<Json> KmsService::ListAliases(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const RequestContext& ctx = call.ctx;
  std::optional<std::string> key_id;
  if (const std::string* text = StringMember(call.input, "KeyId")) {
    GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key,
                         ResolveKey(ctx, *text, false, nullptr));
    key_id = key->key_id;
  }
  // Every alias of the account and region (few), then the page.
  std::vector<AliasRecord> aliases;
  PageRequest all;
  all.limit = 1000;
  while (true) {
    GEE_ASSIGN_OR_RETURN(Page<AliasRecord> page,
                         store->ListAliases(ctx.account, ctx.region,
                                            key_id ? std::optional<std::string_view>(*key_id)
                                                   : std::nullopt,
                                            all));
    aliases.insert(aliases.end(), page.items.begin(), page.items.end());
    if (!page.truncated()) break;
    all.marker = page.next_marker;
  }
  if (!key_id) {
    for (const ManagedKeyService& managed : ManagedKeyServices()) {
      const bool exists = std::any_of(aliases.begin(), aliases.end(), [&](const AliasRecord& a) {
        return a.alias_name == managed.alias_name;
      });
      if (!exists) {
        AliasRecord predefined;
        predefined.alias_name = std::string(managed.alias_name);
        aliases.push_back(std::move(predefined));
      }
    }
    std::sort(aliases.begin(), aliases.end(), [](const AliasRecord& a, const AliasRecord& b) {
      return a.alias_name < b.alias_name;
    });
  }
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> after, DecodeMarker("aliases", call.input));
  const size_t limit = PageLimit(call.input, 100, 1000);
  Json list = Json::array();
  bool truncated = false;
  std::string last;
  for (const AliasRecord& a : aliases) {
    if (after && a.alias_name <= *after) continue;
    if (list.size() == limit) {
      truncated = true;
      break;
    }
    Json entry = {{"AliasName", a.alias_name},
                  {"AliasArn", AliasArn(ctx.region, ctx.account, a.alias_name)}};
    if (!a.target_key_id.empty()) {
      entry["TargetKeyId"] = a.target_key_id;
      entry["CreationDate"] = a.creation_date;
      entry["LastUpdatedDate"] = a.last_updated_date;
    }
    list.push_back(std::move(entry));
    last = a.alias_name;
  }
  Json out = {{"Aliases", list}, {"Truncated", truncated}};
  if (truncated) out["NextMarker"] = EncodeMarker("aliases", last);
  return out;
}

}  // namespace gee::kms

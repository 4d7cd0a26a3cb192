#include "services/iam/access_key_provider.h"

#include "services/iam/arns.h"
#include "services/iam/iam_store.h"
#include "store/root_key.h"

namespace gee::iam {

Result<std::optional<CredentialRecord>> IamAccessKeyProvider::Lookup(
    std::string_view access_key_id) {
  if (access_key_id.substr(0, 4) != "AKIA") return std::optional<CredentialRecord>();
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  IamStore store(env_.db());
  GEE_ASSIGN_OR_RETURN(std::optional<AccessKeyRecord> key, store.FindAccessKey(access_key_id));
  if (!key) return std::optional<CredentialRecord>();
  GEE_ASSIGN_OR_RETURN(std::optional<UserRecord> user, store.FindUserById(key->user_id));
  if (!user) return std::optional<CredentialRecord>();
  CredentialRecord record;
  record.access_key_id = key->access_key_id;
  GEE_ASSIGN_OR_RETURN(record.secret,
                       env_.keyring().Open(store::SecretLabel("iam-secret", {key->access_key_id}),
                                           key->sealed_secret));
  record.active = key->status == "Active";
  Principal& p = record.principal;
  p.type = PrincipalType::kUser;
  p.account = env_.config().account_id;
  p.arn = UserArn(p.account, user->path, user->name);
  p.user_id = user->id;
  p.name = user->name;
  GEE_ASSIGN_OR_RETURN(std::vector<Tag> tags, store.ListTags(EntityKind::kUser, user->id));
  for (const Tag& t : tags) p.tags[t.key] = t.value;
  return std::optional<CredentialRecord>(std::move(record));
}

void IamAccessKeyProvider::RecordUse(std::string_view access_key_id, std::string_view service,
                                     std::string_view region, int64_t now_micros) {
  if (access_key_id.substr(0, 4) != "AKIA") return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    LastUse& last = last_recorded_[std::string(access_key_id)];
    if (last.service == service && last.region == region &&
        now_micros - last.micros < int64_t{60} * 1000000 && now_micros >= last.micros) {
      return;
    }
    last = LastUse{now_micros, std::string(service), std::string(region)};
  }
  std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
  // Best effort: bookkeeping never fails a request.
  (void)IamStore(env_.db()).SetAccessKeyLastUsed(access_key_id, now_micros, service, region);
}

}  // namespace gee::iam

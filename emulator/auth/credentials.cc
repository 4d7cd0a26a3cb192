#include "auth/credentials.h"

namespace gee {

CredentialStore::CredentialStore(std::string account_id, std::string root_access_key_id,
                                 std::string_view root_secret)
    : account_id_(std::move(account_id)),
      root_access_key_id_(std::move(root_access_key_id)),
      root_secret_(crypto::SecretBytes::CopyOf(root_secret)) {}

void CredentialStore::AddProvider(CredentialProvider* provider) {
  providers_.push_back(provider);
}

Result<std::optional<CredentialRecord>> CredentialStore::Lookup(std::string_view access_key_id) {
  if (access_key_id == root_access_key_id_) {
    CredentialRecord record;
    record.access_key_id = root_access_key_id_;
    record.secret = root_secret_.Clone();
    record.principal = RootPrincipal(account_id_);
    record.principal.access_key_id = root_access_key_id_;
    return std::optional<CredentialRecord>(std::move(record));
  }
  for (CredentialProvider* provider : providers_) {
    GEE_ASSIGN_OR_RETURN(auto found, provider->Lookup(access_key_id));
    if (found) return found;
  }
  return std::optional<CredentialRecord>();
}

void CredentialStore::RecordUse(std::string_view access_key_id, std::string_view service,
                                std::string_view region, int64_t now_micros) {
  if (access_key_id == root_access_key_id_) return;
  for (CredentialProvider* provider : providers_) {
    provider->RecordUse(access_key_id, service, region, now_micros);
  }
}

}  // namespace gee

// Access keys gee accepts, and the principal each one authenticates as.
//
// The account root's key comes from the configuration (`test`/`test` by
// default). IAM users' access keys and STS session credentials are owned by
// the IAM and STS services, which register themselves as providers. SigV4
// verification asks the store for the secret of the request's access key id.
//
// Thread-safety: Lookup may be called from any thread; providers are
// registered before the server starts. Providers that read the database are
// called with Environment::store_mutex held by the caller.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee {

struct CredentialRecord {
  std::string access_key_id;
  crypto::SecretBytes secret;
  // Who the key authenticates as.
  Principal principal;
  // Session credentials only: the token that must accompany the key, and the
  // expiry (epoch seconds).
  std::string session_token;
  int64_t expiration = 0;
  // IAM keys can be made Inactive; an inactive key is treated as unknown.
  bool active = true;
  bool is_session() const { return !session_token.empty(); }
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // The record for `access_key_id`, nullopt when this provider does not know it.
  virtual Result<std::optional<CredentialRecord>> Lookup(std::string_view access_key_id) = 0;
  // Called after a request signed with `access_key_id` authenticated, for
  // "last used" bookkeeping (IAM GetAccessKeyLastUsed). Default: nothing.
  virtual void RecordUse(std::string_view access_key_id, std::string_view service,
                         std::string_view region, int64_t now_micros) {}
};

class CredentialStore {
 public:
  CredentialStore(std::string account_id, std::string root_access_key_id,
                  std::string_view root_secret);

  void AddProvider(CredentialProvider* provider);
  Result<std::optional<CredentialRecord>> Lookup(std::string_view access_key_id);
  // Passes a successful authentication to every provider (CredentialProvider::RecordUse).
  void RecordUse(std::string_view access_key_id, std::string_view service,
                 std::string_view region, int64_t now_micros);

  const std::string& account_id() const { return account_id_; }
  const std::string& root_access_key_id() const { return root_access_key_id_; }

 private:
  std::string account_id_;
  std::string root_access_key_id_;
  crypto::SecretBytes root_secret_;
  std::vector<CredentialProvider*> providers_;
};

}  // namespace gee

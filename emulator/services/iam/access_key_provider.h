// The CredentialProvider for IAM users' long-term access keys (AKIA...):
// SigV4 verification asks it for the secret of a request's access key id.
//
// An Inactive key is reported with `active = false`, which the gateway
// treats exactly like an unknown key (InvalidClientTokenId /
// UnrecognizedClientException / InvalidAccessKeyId). The principal carries
// the user's ARN, unique id, name and tags (aws:PrincipalTag/*), read at each
// lookup so that tag changes apply at once.
//
// RecordUse stores the key's last use (time, service, region) for
// GetAccessKeyLastUsed, at most once a minute per key and service/region
// pair, so authentication does not turn every request into a write.
//
// Thread-safety: Lookup and RecordUse may be called from any thread; they
// take the environment's store mutex.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/credentials.h"
#include "core/environment.h"

namespace gee::iam {

class IamAccessKeyProvider final : public CredentialProvider {
 public:
  explicit IamAccessKeyProvider(Environment& env) : env_(env) {}

  Result<std::optional<CredentialRecord>> Lookup(std::string_view access_key_id) override;
  void RecordUse(std::string_view access_key_id, std::string_view service,
                 std::string_view region, int64_t now_micros) override;

 private:
  struct LastUse {
    int64_t micros = 0;
    std::string service;
    std::string region;
  };
  Environment& env_;
  std::mutex mu_;
  std::unordered_map<std::string, LastUse> last_recorded_;
};

}  // namespace gee::iam

// The condition keys one authorization decision sees: the keys a service (or
// the policy simulator) set explicitly, over the global keys derived from the
// RequestContext (aws:PrincipalArn, aws:CurrentTime, kms:ViaService, ...;
// spec §3.4, §4.10).
//
// Global keys are derived on first lookup and remembered, because a request
// is usually decided by policies that read none or one of them; building all
// of them per request was most of the cost of an authorization. Which global
// keys exist and their values are defined once, in DeriveGlobalKey, for both
// this lazy view and the eager Authorizer::GlobalKeys.
//
// Thread-safety: not thread-safe (lookups memoise); one decision, one thread.
// Borrows the context and layers, which must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/authz.h"
#include "core/request_context.h"

namespace gee {

// The global condition keys gee derives, in the spelling AWS documents.
enum class GlobalKey : uint8_t {
  kPrincipalType,
  kUsername,
  kTokenIssueTime,
  kMultiFactorAuthPresent,
  kPrincipalServiceName,
  kPrincipalArn,
  kPrincipalAccount,
  kUserid,
  kPrincipalIsAwsService,
  kSecureTransport,
  kSourceIp,
  kCurrentTime,
  kEpochTime,
  kRequestedRegion,
  kSourceArn,
  kSourceAccount,
  kViaAwsService,
  kCalledVia,
  kCalledViaFirst,
  kCalledViaLast,
  kKmsCallerAccount,
  kKmsViaService,
};
inline constexpr size_t kGlobalKeyCount = static_cast<size_t>(GlobalKey::kKmsViaService) + 1;

// "aws:PrincipalType", ... (indexed by GlobalKey).
std::string_view GlobalKeyName(GlobalKey key);
// The prefix of the aws:PrincipalTag/<tag> keys.
inline constexpr std::string_view kPrincipalTagPrefix = "aws:PrincipalTag/";

// The value(s) of `key` for a request in `ctx` asking for `action`, appended to
// `out`; false when the request has no such key. `now_micros` is read from the
// context's clock on first need and reused, so aws:CurrentTime and
// aws:EpochTime always agree. Only aws:CalledVia is multi-valued.
bool DeriveGlobalKey(GlobalKey key, const RequestContext& ctx, std::string_view action,
                     std::optional<int64_t>* now_micros, std::vector<std::string>* out);

// Whether `ctx.principal`'s tags are global keys (IAM principals only).
bool HasPrincipalTagKeys(const RequestContext& ctx);

class RequestKeys final : public ConditionKeyLookup {
 public:
  // `ctx` null: no global keys (SimulateCustomPolicy). `layers`: explicit
  // keys, highest precedence first; null entries are skipped.
  RequestKeys(const RequestContext* ctx, std::string_view action,
              std::array<const ConditionKeys*, 2> layers);

  const std::vector<std::string>* Find(std::string_view key) const override;
  bool IsMultiValued(std::string_view key) const override;

 private:
  // The layer holding `key`, or null.
  const ConditionKeys* Layer(std::string_view key) const;
  const std::vector<std::string>* FindGlobal(std::string_view key) const;
  const std::vector<std::string>* FindPrincipalTag(std::string_view tag) const;

  const RequestContext* ctx_;
  std::string_view action_;
  std::array<const ConditionKeys*, 2> layers_;
  enum class State : uint8_t { kUnknown, kPresent, kAbsent };
  mutable std::array<State, kGlobalKeyCount> state_{};
  mutable std::array<std::vector<std::string>, kGlobalKeyCount> values_;
  mutable std::optional<int64_t> now_micros_;
  // Principal tag values looked up so far (a list: returned pointers stay
  // valid, and an empty list allocates nothing).
  mutable std::list<std::pair<const std::string*, std::vector<std::string>>> tags_;
};

}  // namespace gee

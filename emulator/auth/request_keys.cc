#include "auth/request_keys.h"

#include "auth/policy/conditions.h"

namespace gee {
namespace {

constexpr std::array<std::string_view, kGlobalKeyCount> kNames = {
    "aws:PrincipalType",     "aws:username",         "aws:TokenIssueTime",
    "aws:MultiFactorAuthPresent", "aws:PrincipalServiceName", "aws:PrincipalArn",
    "aws:PrincipalAccount",  "aws:userid",           "aws:PrincipalIsAWSService",
    "aws:SecureTransport",   "aws:SourceIp",         "aws:CurrentTime",
    "aws:EpochTime",         "aws:RequestedRegion",  "aws:SourceArn",
    "aws:SourceAccount",     "aws:ViaAWSService",    "aws:CalledVia",
    "aws:CalledViaFirst",    "aws:CalledViaLast",    "kms:CallerAccount",
    "kms:ViaService",
};

bool IsIamPrincipal(const Principal& p) {
  return p.type == PrincipalType::kRoot || p.type == PrincipalType::kUser ||
         p.type == PrincipalType::kAssumedRole;
}

bool ActionIsKms(std::string_view action) {
  return action.size() > 4 && (action.substr(0, 4) == "kms:" || action.substr(0, 4) == "KMS:");
}

const char* PrincipalTypeName(PrincipalType type) {
  switch (type) {
    case PrincipalType::kRoot:
      return "Account";
    case PrincipalType::kUser:
      return "User";
    case PrincipalType::kAssumedRole:
      return "AssumedRole";
    case PrincipalType::kAnonymous:
      return "Anonymous";
    case PrincipalType::kService:
      return nullptr;  // service principals have aws:PrincipalServiceName instead
  }
  return nullptr;
}

}  // namespace

std::string_view GlobalKeyName(GlobalKey key) { return kNames[static_cast<size_t>(key)]; }

bool HasPrincipalTagKeys(const RequestContext& ctx) { return IsIamPrincipal(ctx.principal); }

bool DeriveGlobalKey(GlobalKey key, const RequestContext& ctx, std::string_view action,
                     std::optional<int64_t>* now_micros, std::vector<std::string>* out) {
  const Principal& p = ctx.principal;
  const bool iam = IsIamPrincipal(p);
  auto put = [out](bool present, std::string_view value) {
    if (present) out->emplace_back(value);
    return present;
  };
  auto now = [&]() -> int64_t {
    if (!*now_micros) *now_micros = ctx.clock->NowMicros();
    return **now_micros;
  };
  switch (key) {
    case GlobalKey::kPrincipalType: {
      const char* name = PrincipalTypeName(p.type);
      return put(name != nullptr, name != nullptr ? name : "");
    }
    case GlobalKey::kUsername:
      return put(p.type == PrincipalType::kUser && !p.name.empty(), p.name);
    case GlobalKey::kTokenIssueTime:
      if (p.type != PrincipalType::kAssumedRole || p.token_issue_time <= 0) return false;
      out->push_back(policy::FormatIso8601(p.token_issue_time * 1000000));
      return true;
    case GlobalKey::kMultiFactorAuthPresent:
      // Temporary credentials issued without MFA.
      return put(p.type == PrincipalType::kAssumedRole, "false");
    case GlobalKey::kPrincipalServiceName:
      return put(p.type == PrincipalType::kService, p.arn);
    case GlobalKey::kPrincipalArn:
      return put(iam && !p.PrincipalArn().empty(), p.PrincipalArn());
    case GlobalKey::kPrincipalAccount:
      return put(iam && !p.account.empty(), p.account);
    case GlobalKey::kUserid:
      return put(iam && !p.user_id.empty(), p.user_id);
    case GlobalKey::kPrincipalIsAwsService:
      return put(true, p.type == PrincipalType::kService ? "true" : "false");
    case GlobalKey::kSecureTransport:
      return put(true, ctx.secure_transport ? "true" : "false");
    case GlobalKey::kSourceIp:
      return put(!ctx.source_ip.empty(), ctx.source_ip);
    case GlobalKey::kCurrentTime:
      if (ctx.clock == nullptr) return false;
      out->push_back(policy::FormatIso8601(now()));
      return true;
    case GlobalKey::kEpochTime:
      if (ctx.clock == nullptr) return false;
      out->push_back(std::to_string(now() / 1000000));
      return true;
    case GlobalKey::kRequestedRegion:
      return put(!ctx.region.empty(), ctx.region);
    case GlobalKey::kSourceArn:
      return put(!ctx.source_arn.empty(), ctx.source_arn);
    case GlobalKey::kSourceAccount:
      return put(!ctx.source_account.empty(), ctx.source_account);
    case GlobalKey::kViaAwsService:
      return put(true, !ctx.via_service.empty() || !ctx.called_via.empty() ? "true" : "false");
    case GlobalKey::kCalledVia:
      if (ctx.called_via.empty()) return false;
      out->insert(out->end(), ctx.called_via.begin(), ctx.called_via.end());
      return true;
    case GlobalKey::kCalledViaFirst:
      return put(!ctx.called_via.empty(), ctx.called_via.empty() ? "" : ctx.called_via.front());
    case GlobalKey::kCalledViaLast:
      return put(!ctx.called_via.empty(), ctx.called_via.empty() ? "" : ctx.called_via.back());
    case GlobalKey::kKmsCallerAccount:
      return put(ActionIsKms(action) && iam && !p.account.empty(), p.account);
    case GlobalKey::kKmsViaService:
      return put(ActionIsKms(action) && !ctx.via_service.empty(), ctx.via_service);
  }
  return false;
}

RequestKeys::RequestKeys(const RequestContext* ctx, std::string_view action,
                         std::array<const ConditionKeys*, 2> layers)
    : ctx_(ctx), action_(action), layers_(layers) {}

const ConditionKeys* RequestKeys::Layer(std::string_view key) const {
  for (const ConditionKeys* layer : layers_) {
    if (layer != nullptr && layer->Find(key) != nullptr) return layer;
  }
  return nullptr;
}

const std::vector<std::string>* RequestKeys::Find(std::string_view key) const {
  for (const ConditionKeys* layer : layers_) {
    if (layer == nullptr) continue;
    if (const std::vector<std::string>* values = layer->Find(key)) return values;
  }
  return ctx_ == nullptr ? nullptr : FindGlobal(key);
}

bool RequestKeys::IsMultiValued(std::string_view key) const {
  if (const ConditionKeys* layer = Layer(key)) return layer->IsMultiValued(key);
  return KeyNameEquals(key, GlobalKeyName(GlobalKey::kCalledVia)) && Find(key) != nullptr;
}

const std::vector<std::string>* RequestKeys::FindGlobal(std::string_view key) const {
  if (key.size() >= kPrincipalTagPrefix.size() &&
      KeyNameEquals(key.substr(0, kPrincipalTagPrefix.size()), kPrincipalTagPrefix)) {
    return FindPrincipalTag(key.substr(kPrincipalTagPrefix.size()));
  }
  for (size_t i = 0; i < kGlobalKeyCount; ++i) {
    if (!KeyNameEquals(key, kNames[i])) continue;
    if (state_[i] == State::kUnknown) {
      const bool present =
          DeriveGlobalKey(static_cast<GlobalKey>(i), *ctx_, action_, &now_micros_, &values_[i]);
      state_[i] = present ? State::kPresent : State::kAbsent;
    }
    return state_[i] == State::kPresent ? &values_[i] : nullptr;
  }
  return nullptr;
}

const std::vector<std::string>* RequestKeys::FindPrincipalTag(std::string_view tag) const {
  if (!HasPrincipalTagKeys(*ctx_)) return nullptr;
  // Tag keys are matched without regard to case; should two tags differ only
  // in case, the last in the map's order wins (as when all are set in order).
  const std::string* found = nullptr;
  const std::string* value = nullptr;
  for (const auto& [k, v] : ctx_->principal.tags) {
    if (KeyNameEquals(k, tag)) {
      found = &k;
      value = &v;
    }
  }
  if (found == nullptr) return nullptr;
  for (const auto& [k, values] : tags_) {
    if (k == found) return &values;
  }
  tags_.emplace_back(found, std::vector<std::string>{*value});
  return &tags_.back().second;
}

}  // namespace gee

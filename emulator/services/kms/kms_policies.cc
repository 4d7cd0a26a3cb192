// KMS key policy handlers (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies) and
// the validation CreateKey and PutKeyPolicy apply to a new policy (spec §4.2):
//   1. size (32 KB → LimitExceededException) and grammar
//      (MalformedPolicyDocumentException with the parser's AWS text);
//   2. every IAM user, role or role-session principal must exist: asked of
//      the IAM service through the in-process path when it is registered
//      (as the root of the principal's account); without an IAM service gee
//      cannot tell and accepts well-formed principals;
//   3. the lockout safety check, unless BypassPolicyLockoutSafetyCheck: the
//      caller must be allowed kms:PutKeyPolicy on the key under the new
//      policy (with its own IAM policies) — evaluated by the authorizer.
//      Skipped with --auth off, where no permission is evaluated.
#include "auth/authorizer.h"
#include "auth/policy/policy.h"
#include "core/environment.h"
#include "services/kms/errors.h"
#include "services/kms/handler_support.h"
#include "services/kms/kms_service.h"

namespace gee::kms {
namespace {

constexpr std::string_view kDefaultPolicyName = "default";

// The IAM entity an ARN names: {"user"|"role", account, name, full ARN to
// compare}. Empty kind for anything else (roots, service principals, ids).
struct IamEntity {
  std::string kind;
  std::string account;
  std::string name;
  std::string arn;  // the user/role ARN whose existence decides
};

IamEntity EntityOf(std::string_view arn) {
  IamEntity e;
  auto take = [](std::string_view& rest) {
    const size_t colon = rest.find(':');
    std::string_view part = rest.substr(0, colon);
    rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    return part;
  };
  std::string_view rest = arn;
  if (take(rest) != "arn") return e;
  take(rest);  // partition
  std::string_view service = take(rest);
  take(rest);  // region
  std::string_view account = take(rest);
  std::string_view resource = rest;
  if (service == "iam") {
    if (resource.rfind("user/", 0) == 0 || resource.rfind("role/", 0) == 0) {
      e.kind = std::string(resource.substr(0, 4));
      e.account = std::string(account);
      e.name = std::string(resource.substr(resource.rfind('/') + 1));
      e.arn = std::string(arn);
    }
  } else if (service == "sts" && resource.rfind("assumed-role/", 0) == 0) {
    std::string_view role = resource.substr(13);
    role = role.substr(0, role.find('/'));
    e.kind = "role";
    e.account = std::string(account);
    e.name = std::string(role);
  }
  return e;
}

}  // namespace

Result<bool> KmsService::PrincipalExists(const RequestContext& ctx, std::string_view arn) {
  IamEntity entity = EntityOf(arn);
  if (entity.kind.empty()) return true;
  Service* iam = env().FindService("iam");
  if (iam == nullptr) return true;
  RequestContext lookup = env().NewContext(RootPrincipal(entity.account), ctx.region);
  lookup.depth = ctx.depth + 1;
  const bool user = entity.kind == "user";
  Result<Json> found = iam->Invoke(lookup, user ? "GetUser" : "GetRole",
                                   Json{{user ? "UserName" : "RoleName", entity.name}});
  if (!found.ok()) {
    if (found.error().code == "NoSuchEntity") return false;
    return errors::Internal("principal lookup in IAM (" + found.error().code + ")");
  }
  const Json& body = found->contains(user ? "User" : "Role") ? (*found)[user ? "User" : "Role"] : *found;
  if (body.contains("Arn") && body["Arn"].is_string()) {
    const std::string found_arn = body["Arn"].get<std::string>();
    // A user or role ARN must match with its path; a session's role must be
    // the role of the session's account.
    if (!entity.arn.empty()) return found_arn == entity.arn;
    return EntityOf(found_arn).account == entity.account;
  }
  return true;
}

Status KmsService::ValidateKeyPolicy(const RequestContext& ctx, std::string_view policy_text,
                                     std::string_view key_arn, std::string_view key_account,
                                     bool bypass_lockout_check) {
  Result<policy::PolicyPtr> parsed = policy::ParseKeyPolicy(policy_text);
  if (!parsed.ok()) {
    if (parsed.error().code == policy::kPolicyTooLargeCode) {
      return errors::PolicyTooLarge(parsed.error().message);
    }
    return errors::MalformedPolicy(parsed.error().message);
  }
  for (const policy::Statement& statement : (*parsed)->statements()) {
    for (const std::string& principal : statement.principals.aws) {
      GEE_ASSIGN_OR_RETURN(bool exists, PrincipalExists(ctx, principal));
      if (!exists) return errors::PolicyInvalidPrincipals();
    }
  }
  if (bypass_lockout_check || env().config().auth_mode == AuthMode::kOff) return OkStatus();
  AuthRequest request;
  request.action = "kms:PutKeyPolicy";
  request.resource = std::string(key_arn);
  request.resource_account = std::string(key_account);
  request.resource_policy_kind = ResourcePolicyKind::kKeyPolicy;
  request.resource_policy = std::string(policy_text);
  request.resource_policy_name = "new key policy";
  Decision decision = env().authorizer().Authorize(ctx, request);
  if (!decision.allowed()) return errors::PolicyLockout();
  return OkStatus();
}

Result<Json> KmsService::GetKeyPolicy(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  const std::string* name = StringMember(call.input, "PolicyName");
  if (name != nullptr && *name != kDefaultPolicyName) return errors::NoSuchPolicy();
  return Json{{"Policy", key->policy}, {"PolicyName", std::string(kDefaultPolicyName)}};
}

Result<Json> KmsService::PutKeyPolicy(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> found, GetUsableKey(call));
  GEE_RETURN_IF_ERROR(RefuseManagedKeyChange(call.ctx, *found, "kms:PutKeyPolicy"));
  const std::string* name = StringMember(call.input, "PolicyName");
  if (name != nullptr && *name != kDefaultPolicyName) return errors::OnlyDefaultPolicy();
  const std::string* policy = StringMember(call.input, "Policy");
  if (policy == nullptr) return MemberNull("Policy");
  GEE_RETURN_IF_ERROR(ValidateKeyPolicy(call.ctx, *policy, found->arn, found->account,
                                        call.input.value("BypassPolicyLockoutSafetyCheck", false)));
  KeyRecord key = *found;
  key.policy = *policy;
  GEE_RETURN_IF_ERROR(SaveKey(key));
  return Json::object();
}

Result<Json> KmsService::ListKeyPolicies(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  (void)key;
  return Json{{"PolicyNames", Json::array({std::string(kDefaultPolicyName)})},
              {"Truncated", false}};
}

}  // namespace gee::kms

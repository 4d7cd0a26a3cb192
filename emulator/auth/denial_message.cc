#include "auth/denial_message.h"

#include <string_view>

namespace gee {
namespace {

std::string_view ServicePrefix(std::string_view action) {
  size_t colon = action.find(':');
  return colon == std::string_view::npos ? std::string_view() : action.substr(0, colon);
}

}  // namespace

std::string AccessDeniedMessage(const Principal& principal, const AuthRequest& request,
                                const Decision& decision, const DenialMessageOptions& options) {
  if (decision.allowed()) return "";
  const std::string service = AsciiLower(ServicePrefix(request.action));
  const bool explicit_deny = decision.outcome == DecisionOutcome::kExplicitDeny;

  if (service == "s3") {
    const bool cross_account = !request.resource_account.empty() &&
                               request.resource_account != principal.account;
    if (principal.type == PrincipalType::kAnonymous || cross_account) return "Access Denied";
  }

  std::string who = principal.type == PrincipalType::kAnonymous ? "anonymous" : principal.DisplayArn();
  std::string resource = request.resource;
  if (service == "s3") resource = "\"" + resource + "\"";
  std::string message = "User: " + who + " is not authorized to perform: " + request.action +
                        " on resource: " + resource;

  if (service == "sts" && AsciiLower(request.action) == "sts:assumerole") return message;

  std::string type = decision.denied_by.empty() ? "identity-based" : decision.denied_by;
  if (service == "kms" && !explicit_deny &&
      (type == "identity-based" || type == "resource-based")) {
    if (options.kms_phrase == KmsDenialPhrase::kAlwaysIdentityBased) type = "identity-based";
    if (options.kms_phrase == KmsDenialPhrase::kAlwaysResourceBased) type = "resource-based";
  }
  // AWS writes "a permissions boundary" without "policy", and "an" before
  // "identity-based" [observed in real AccessDenied messages].
  const std::string what = type == "permissions boundary" ? type : type + " policy";
  if (explicit_deny) {
    const char* article = type == "identity-based" ? " with an explicit deny in an "
                                                   : " with an explicit deny in a ";
    return message + article + what;
  }
  return message + " because no " + what + " allows the " + request.action + " action";
}

}  // namespace gee

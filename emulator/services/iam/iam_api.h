// What other services use from IAM, in-process:
//
//   iam::PassRoleRequest(role_arn, service)  the AuthRequest for iam:PassRole
//       (Glue CreateJob/CreateCrawler check it with env.Authorize(ctx, req));
//   iam::FindRole(env, name_or_arn)          a role of the emulated account by
//       name ("MyRole") or ARN ("arn:aws:iam::ACCT:role/path/MyRole"), as Glue's
//       Role parameters accept both.
//
// Thread-safety: FindRole takes the environment's store mutex (re-entrant),
// so it may be called from inside an operation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/authz.h"
#include "core/environment.h"
#include "core/result.h"
#include "services/iam/iam_store.h"

namespace gee::iam {

// The iam:PassRole check for passing `role_arn` to `passed_to_service`
// ("glue.amazonaws.com"): resource = the role ARN, condition key
// iam:PassedToService (and iam:AssociatedResourceArn when given). Denied
// requests read "User: X is not authorized to perform: iam:PassRole on
// resource: <role ARN> because no identity-based policy allows the
// iam:PassRole action".
AuthRequest PassRoleRequest(const std::string& role_arn, const std::string& passed_to_service = "",
                            const std::string& associated_resource_arn = "");

struct RoleInfo {
  RoleRecord record;
  std::string arn;  // arn:aws:iam::ACCT:role/PATH/NAME
};

// The role named by `name_or_arn`, or nullopt when there is none (an ARN of
// another account, a malformed ARN, or an ARN whose path differs from the
// role's, finds nothing).
Result<std::optional<RoleInfo>> FindRole(Environment& env, std::string_view name_or_arn);

}  // namespace gee::iam

#include "services/iam/iam_api.h"

#include <mutex>

#include "services/iam/arns.h"

namespace gee::iam {

AuthRequest PassRoleRequest(const std::string& role_arn, const std::string& passed_to_service,
                            const std::string& associated_resource_arn) {
  AuthRequest request;
  request.action = "iam:PassRole";
  request.resource = role_arn;
  if (!passed_to_service.empty()) request.keys.Set("iam:PassedToService", passed_to_service);
  if (!associated_resource_arn.empty()) {
    request.keys.Set("iam:AssociatedResourceArn", associated_resource_arn);
  }
  return request;
}

Result<std::optional<RoleInfo>> FindRole(Environment& env, std::string_view name_or_arn) {
  const std::string& account = env.config().account_id;
  std::string name(name_or_arn);
  std::optional<std::string> path;
  if (name_or_arn.substr(0, 4) == "arn:") {
    std::optional<EntityArn> arn = ParseEntityArn(name_or_arn, "role");
    if (!arn || arn->account != account) return std::optional<RoleInfo>();
    name = arn->name;
    path = arn->path;
  }
  std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
  IamStore store(env.db());
  GEE_ASSIGN_OR_RETURN(std::optional<RoleRecord> role, store.FindRole(name));
  if (!role || (path && *path != role->path)) return std::optional<RoleInfo>();
  std::string arn = RoleArn(account, role->path, role->name);
  return std::optional<RoleInfo>(RoleInfo{std::move(*role), std::move(arn)});
}

}  // namespace gee::iam

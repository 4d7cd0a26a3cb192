#include "services/iam/arns.h"

namespace gee::iam {
namespace {

std::string Build(std::string_view service, std::string_view account, std::string_view type,
                  std::string_view path, std::string_view name) {
  std::string arn = "arn:aws:";
  arn += service;
  arn += "::";
  arn += account;
  arn += ':';
  arn += type;
  arn += path.empty() ? std::string_view("/") : path;
  arn += name;
  return arn;
}

}  // namespace

std::string UserArn(std::string_view account, std::string_view path, std::string_view name) {
  return Build("iam", account, "user", path, name);
}
std::string GroupArn(std::string_view account, std::string_view path, std::string_view name) {
  return Build("iam", account, "group", path, name);
}
std::string RoleArn(std::string_view account, std::string_view path, std::string_view name) {
  return Build("iam", account, "role", path, name);
}
std::string PolicyArn(std::string_view account, std::string_view path, std::string_view name) {
  return Build("iam", account, "policy", path, name);
}
std::string SessionArn(std::string_view account, std::string_view role_name,
                       std::string_view session_name) {
  std::string arn = "arn:aws:sts::";
  arn += account;
  arn += ":assumed-role/";
  arn += role_name;
  arn += '/';
  arn += session_name;
  return arn;
}

std::optional<Arn> ParseArn(std::string_view text) {
  if (text.substr(0, 4) != "arn:") return std::nullopt;
  std::string_view rest = text.substr(4);
  std::string_view parts[4];
  for (auto& part : parts) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  if (parts[0].empty() || parts[1].empty() || rest.empty()) return std::nullopt;
  return Arn{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
             std::string(parts[3]), std::string(rest)};
}

std::optional<EntityArn> ParseEntityArn(std::string_view text, std::string_view type) {
  std::optional<Arn> arn = ParseArn(text);
  if (!arn || arn->partition != "aws" || arn->service != "iam" || !arn->region.empty()) {
    return std::nullopt;
  }
  std::string_view resource = arn->resource;
  if (resource.size() <= type.size() + 1 || resource.substr(0, type.size()) != type ||
      resource[type.size()] != '/') {
    return std::nullopt;
  }
  std::string_view path_and_name = resource.substr(type.size());  // "/a/b/NAME"
  size_t last = path_and_name.rfind('/');
  std::string_view name = path_and_name.substr(last + 1);
  if (name.empty()) return std::nullopt;
  return EntityArn{arn->account, std::string(path_and_name.substr(0, last + 1)), std::string(name)};
}

}  // namespace gee::iam

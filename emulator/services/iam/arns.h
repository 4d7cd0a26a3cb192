// IAM and STS ARNs: building them the way AWS prints them, and taking them
// apart.
//
//   user     arn:aws:iam::ACCT:user/PATH/NAME      (PATH "/" → user/NAME)
//   group    arn:aws:iam::ACCT:group/PATH/NAME
//   role     arn:aws:iam::ACCT:role/PATH/NAME
//   policy   arn:aws:iam::ACCT:policy/PATH/NAME    (AWS managed: ACCT = "aws")
//   session  arn:aws:sts::ACCT:assumed-role/ROLE/SESSION (no role path)
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gee::iam {

// Paths begin and end with "/" ("/", "/division_abc/").
std::string UserArn(std::string_view account, std::string_view path, std::string_view name);
std::string GroupArn(std::string_view account, std::string_view path, std::string_view name);
std::string RoleArn(std::string_view account, std::string_view path, std::string_view name);
std::string PolicyArn(std::string_view account, std::string_view path, std::string_view name);
std::string SessionArn(std::string_view account, std::string_view role_name,
                       std::string_view session_name);

// The six parts of an ARN; the resource keeps its colons and slashes.
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

// nullopt unless `text` is "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
// with non-empty partition, service and resource.
std::optional<Arn> ParseArn(std::string_view text);

// An IAM entity ARN split into account, path and name: "role/a/b/R" with
// type "role" gives path "/a/b/", name "R".
struct EntityArn {
  std::string account;
  std::string path;
  std::string name;
};

// nullopt unless `text` is an arn:aws:iam ARN whose resource is
// "<type>/...NAME" with a non-empty name.
std::optional<EntityArn> ParseEntityArn(std::string_view text, std::string_view type);

}  // namespace gee::iam

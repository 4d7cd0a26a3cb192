// The AWS managed policies gee knows (arn:aws:iam::aws:policy/...): the few
// that setups for this emulator attach (administrator, power user, IAM, S3,
// KMS, Logs and the Glue service role). Their documents are reproduced from
// AWS's published versions as gee's authors know them; an AWS managed policy
// that is not in this table does not exist for gee (attaching it answers
// NoSuchEntity), which is the safe failure: nothing is granted that AWS
// would not grant through a policy gee cannot show.
//
// Thread-safety: immutable static data.
#pragma once

#include <string_view>
#include <vector>

namespace gee::iam {

struct AwsManagedPolicy {
  std::string_view name;
  std::string_view path;  // "/" or "/service-role/"
  std::string_view arn;
  std::string_view policy_id;
  std::string_view description;
  std::string_view default_version;
  std::string_view document;
};

const std::vector<AwsManagedPolicy>& AwsManagedPolicies();
// nullptr when `arn` names no AWS managed policy gee knows.
const AwsManagedPolicy* FindAwsManagedPolicy(std::string_view arn);

}  // namespace gee::iam

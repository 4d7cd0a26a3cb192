#include "services/iam/errors.h"

namespace gee::iam::errors {
namespace {

std::string S(std::string_view v) { return std::string(v); }

AwsError NoSuchEntity(std::string message) { return AwsError("NoSuchEntity", std::move(message), 404); }
AwsError DeleteConflict(std::string message) {
  return AwsError("DeleteConflict", std::move(message), 409);
}
AwsError LimitExceeded(std::string message) {
  return AwsError("LimitExceeded", std::move(message), 409);
}

}  // namespace

AwsError NoSuchUser(std::string_view name) {
  return NoSuchEntity("The user with name " + S(name) + " cannot be found.");
}
AwsError NoSuchRole(std::string_view name) {
  return NoSuchEntity("The role with name " + S(name) + " cannot be found.");
}
AwsError NoSuchGroup(std::string_view name) {
  return NoSuchEntity("The group with name " + S(name) + " cannot be found.");
}
AwsError NoSuchInlinePolicy(std::string_view kind, std::string_view name) {
  return NoSuchEntity("The " + S(kind) + " policy with name " + S(name) + " cannot be found.");
}
AwsError PolicyNotAttachable(std::string_view arn) {
  return NoSuchEntity("Policy " + S(arn) + " does not exist or is not attachable.");
}
AwsError PolicyNotFound(std::string_view arn) {
  return NoSuchEntity("Policy " + S(arn) + " was not found.");
}
AwsError NoSuchPolicyVersion(std::string_view arn, std::string_view version_id) {
  return NoSuchEntity("Policy " + S(arn) + " version " + S(version_id) +
                      " does not exist or is not attachable.");
}
AwsError BoundaryNotAttachable(std::string_view arn) {
  return NoSuchEntity("Scope ARN: " + S(arn) + " does not exist or is not attachable.");
}
AwsError NoSuchAccessKey(std::string_view access_key_id) {
  return NoSuchEntity("The Access Key with id " + S(access_key_id) + " cannot be found.");
}
AwsError UserNotInGroup(std::string_view user, std::string_view group) {
  return NoSuchEntity("The user with name " + S(user) + " is not in group " + S(group) + ".");
}

AwsError EntityAlreadyExists(std::string_view kind_capitalised, std::string_view name) {
  return AwsError("EntityAlreadyExists",
                  S(kind_capitalised) + " with name " + S(name) + " already exists.", 409);
}
AwsError PolicyAlreadyExists(std::string_view name) {
  return AwsError("EntityAlreadyExists",
                  "A policy called " + S(name) + " already exists. Duplicate names are not allowed.",
                  409);
}

AwsError MustDetachPolicies() {
  return DeleteConflict("Cannot delete entity, must detach all policies first.");
}
AwsError MustDeleteInlinePolicies() {
  return DeleteConflict("Cannot delete entity, must delete policies first.");
}
AwsError MustDeleteAccessKeys() {
  return DeleteConflict("Cannot delete entity, must delete access keys first.");
}
AwsError MustRemoveUsersFromGroup() {
  return DeleteConflict("Cannot delete entity, must remove users from group first.");
}
AwsError MustRemoveUserFromGroups() {
  return DeleteConflict("Cannot delete entity, must remove user from all groups first.");
}
AwsError PolicyAttached() { return DeleteConflict("Cannot delete a policy attached to entities."); }
AwsError PolicyHasVersions() {
  return DeleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the "
      "policy's versions. The default version is deleted with the policy.");
}
AwsError CannotDeleteDefaultVersion() {
  return DeleteConflict("Cannot delete the default version of a policy.");
}

AwsError TooManyPolicyVersions() {
  return LimitExceeded(
      "A managed policy can have up to 5 versions. Before you create a new version, you must "
      "delete an existing version.");
}
AwsError QuotaExceeded(std::string_view quota, int limit) {
  return LimitExceeded("Cannot exceed quota for " + S(quota) + ": " + std::to_string(limit));
}
AwsError InlinePolicySizeExceeded(int limit, std::string_view kind, std::string_view name) {
  return LimitExceeded("Maximum policy size of " + std::to_string(limit) + " bytes exceeded for " +
                       S(kind) + " " + S(name));
}

AwsError MalformedPolicyDocument(std::string message) {
  return AwsError("MalformedPolicyDocument", std::move(message), 400);
}
AwsError InvalidArn(std::string_view value) {
  return AwsError("ValidationError", "ARN " + S(value) + " is not valid.", 400);
}
AwsError MustSpecifyUserName() {
  return AwsError("ValidationError", "Must specify userName when calling with non-User credentials",
                  400);
}
AwsError InvalidInput(std::string message) {
  return AwsError("InvalidInput", std::move(message), 400);
}
AwsError Validation(std::string message) {
  return AwsError("ValidationError", std::move(message), 400);
}

}  // namespace gee::iam::errors

namespace gee::sts::errors {

AwsError DurationExceedsRoleMaximum() {
  return AwsError("ValidationError",
                  "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                  400);
}
AwsError DurationExceedsChainingLimit() {
  return AwsError("ValidationError",
                  "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                  "assumed by role chaining.",
                  400);
}
AwsError InvalidRoleArn(std::string_view value) {
  return AwsError("ValidationError", std::string(value) + " is invalid", 400);
}
AwsError MalformedPolicyDocument(std::string message) {
  return AwsError("MalformedPolicyDocument", std::move(message), 400);
}
AwsError PackedPolicyTooLarge(int percent) {
  return AwsError("PackedPolicyTooLarge",
                  "Packed policy consumes " + std::to_string(percent) +
                      "% of allotted space, please use smaller policy for full session policy.",
                  400);
}
AwsError SessionCredentialsCannotGetSessionToken() {
  return AwsError("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
}
AwsError Validation(std::string message) {
  return AwsError("ValidationError", std::move(message), 400);
}

}  // namespace gee::sts::errors

// Factories for the AWS errors the IAM and STS services answer (Query
// protocol: the <Code> is the modelled error code, not the shape name), so
// every call site produces the same code, HTTP status and text.
//
// Texts marked [recorded] are verbatim from real IAM/STS responses (spec
// §1.3, §8, with their sources); [observed] texts were quoted from real
// responses in public reports; [guess] texts are not confirmed and follow the
// nearest recorded pattern. Messages name entities and numbers only, never
// secrets.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::iam::errors {

// ---- NoSuchEntity (404) ----
// "The user with name NAME cannot be found." [recorded]
AwsError NoSuchUser(std::string_view name);
// "The role with name NAME cannot be found." [recorded]
AwsError NoSuchRole(std::string_view name);
// "The group with name NAME cannot be found." [recorded]
AwsError NoSuchGroup(std::string_view name);
// "The <kind> policy with name NAME cannot be found." (kind user/role/group)
// [recorded for role; user and group follow it]
AwsError NoSuchInlinePolicy(std::string_view kind, std::string_view name);
// "Policy ARN does not exist or is not attachable." [recorded]
AwsError PolicyNotAttachable(std::string_view arn);
// "Policy ARN was not found." [recorded]
AwsError PolicyNotFound(std::string_view arn);
// "Policy ARN version V does not exist or is not attachable." [guess]
AwsError NoSuchPolicyVersion(std::string_view arn, std::string_view version_id);
// "Scope ARN: ARN does not exist or is not attachable." (permissions
// boundary naming a missing policy) [observed]
AwsError BoundaryNotAttachable(std::string_view arn);
// "The Access Key with id AKID cannot be found." [guess]
AwsError NoSuchAccessKey(std::string_view access_key_id);
// "The user with name NAME is not in group GROUP." [guess] — RemoveUserFromGroup.
AwsError UserNotInGroup(std::string_view user, std::string_view group);

// ---- EntityAlreadyExists (409) ----
// "User with name NAME already exists." / "Role with name NAME already exists." [recorded]
// "Group with name NAME already exists." [guess, same pattern]
AwsError EntityAlreadyExists(std::string_view kind_capitalised, std::string_view name);
// "A policy called NAME already exists. Duplicate names are not allowed." [recorded]
AwsError PolicyAlreadyExists(std::string_view name);

// ---- DeleteConflict (409) ----
// "Cannot delete entity, must detach all policies first." [recorded]
AwsError MustDetachPolicies();
// "Cannot delete entity, must delete policies first." [recorded]
AwsError MustDeleteInlinePolicies();
// "Cannot delete entity, must delete access keys first." [guess]
AwsError MustDeleteAccessKeys();
// "Cannot delete entity, must remove users from group first." [guess]
AwsError MustRemoveUsersFromGroup();
// "Cannot delete entity, must remove user from all groups first." [guess]
AwsError MustRemoveUserFromGroups();
// "Cannot delete a policy attached to entities." [guess]
AwsError PolicyAttached();
// "This policy has more than one version. Before you delete a policy, you
// must delete the policy's versions. The default version is deleted with the
// policy." [guess, from the API reference wording]
AwsError PolicyHasVersions();
// "Cannot delete the default version of a policy." [guess]
AwsError CannotDeleteDefaultVersion();
// "Cannot delete entity, must delete the permissions boundary usage first." —
// not used: AWS lets a boundary policy be deleted only when unused; gee
// answers PolicyAttached() for both.

// ---- LimitExceeded (409) ----
// "A managed policy can have up to 5 versions. Before you create a new
// version, you must delete an existing version." [observed]
AwsError TooManyPolicyVersions();
// "Cannot exceed quota for QUOTA: N" (AccessKeysPerUser: 2, PoliciesPerRole:
// 10, PolicySize: 6144, ACLSizePerRole: 2048, ...) [observed]
AwsError QuotaExceeded(std::string_view quota, int limit);
// "Maximum policy size of N bytes exceeded for KIND NAME" (inline policies:
// user 2048, role 10240, group 5120) [observed]
AwsError InlinePolicySizeExceeded(int limit, std::string_view kind, std::string_view name);

// ---- 400 ----
// MalformedPolicyDocument with the parser's text [recorded texts, see policy.h].
AwsError MalformedPolicyDocument(std::string message);
// ValidationError "ARN VALUE is not valid." [recorded]
AwsError InvalidArn(std::string_view value);
// ValidationError "Must specify userName when calling with non-User credentials" [observed]
AwsError MustSpecifyUserName();
// InvalidInput with `message` (400).
AwsError InvalidInput(std::string message);
// ValidationError with `message` (400).
AwsError Validation(std::string message);

}  // namespace gee::iam::errors

namespace gee::sts::errors {

// ValidationError "The requested DurationSeconds exceeds the MaxSessionDuration
// set for this role." [observed]
AwsError DurationExceedsRoleMaximum();
// ValidationError "The requested DurationSeconds exceeds the 1 hour session
// limit for roles assumed by role chaining." [observed]
AwsError DurationExceedsChainingLimit();
// ValidationError "<value> is invalid" (malformed RoleArn) [recorded]
AwsError InvalidRoleArn(std::string_view value);
// MalformedPolicyDocument (400) with the parser's text.
AwsError MalformedPolicyDocument(std::string message);
// PackedPolicyTooLarge (400) "Packed policy consumes N% of allotted space,
// please use smaller policy for full session policy." [observed]
AwsError PackedPolicyTooLarge(int percent);
// AccessDenied (403) "Cannot call GetSessionToken with session credentials" [observed]
AwsError SessionCredentialsCannotGetSessionToken();
// ValidationError with `message` (400).
AwsError Validation(std::string message);

}  // namespace gee::sts::errors

// Who is making a request, as authentication established it.
//
// A Principal is built by SigV4 verification (root, IAM user, assumed-role
// session) or by a service acting on its own behalf (the CloudWatch Logs
// service principal). The policy evaluator matches it against `Principal`
// elements of resource policies and derives the global condition keys
// (aws:PrincipalArn, aws:userid, ...) from it.
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gee {

enum class PrincipalType {
  kAnonymous,    // unsigned request (S3 only)
  kRoot,         // arn:aws:iam::ACCT:root
  kUser,         // arn:aws:iam::ACCT:user/PATH/NAME
  kAssumedRole,  // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
  kService,      // a service principal such as logs.us-east-1.amazonaws.com
};

struct Principal {
  PrincipalType type = PrincipalType::kAnonymous;
  // Account the principal belongs to (empty for anonymous and service principals).
  std::string account;
  // Root ARN, user ARN or session ARN; for kService the service name
  // ("logs.us-east-1.amazonaws.com", "glue.amazonaws.com").
  std::string arn;
  // aws:userid: AIDA... for users, AROA...:SESSION for sessions, the account id for root.
  std::string user_id;
  // User name (kUser) or role name (kAssumedRole).
  std::string name;
  // kAssumedRole: the role's ARN (aws:PrincipalArn) and unique id (AROA...).
  std::string role_arn;
  std::string role_id;
  std::string session_name;
  // Access key used to sign the request (empty for in-process service calls).
  std::string access_key_id;
  // kAssumedRole: epoch seconds when the session was issued, and when it expires.
  int64_t token_issue_time = 0;
  int64_t expiration = 0;
  // kAssumedRole: inline session policy document and managed session policy ARNs.
  std::string session_policy;
  std::vector<std::string> session_policy_arns;
  // aws:PrincipalTag/<k> values (user/role tags merged with session tags).
  std::map<std::string, std::string> tags;

  // The ARN that AWS puts in access-denied sentences.
  const std::string& DisplayArn() const { return arn; }
  // aws:PrincipalArn: the role ARN for sessions, otherwise the principal's ARN.
  const std::string& PrincipalArn() const {
    return type == PrincipalType::kAssumedRole ? role_arn : arn;
  }
  bool IsService() const { return type == PrincipalType::kService; }
};

// Builds the root principal of `account`.
inline Principal RootPrincipal(const std::string& account) {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account = account;
  p.arn = "arn:aws:iam::" + account + ":root";
  p.user_id = account;
  return p;
}

// Builds a service principal, e.g. ServicePrincipal("logs.us-east-1.amazonaws.com").
inline Principal ServicePrincipal(const std::string& service_name) {
  Principal p;
  p.type = PrincipalType::kService;
  p.arn = service_name;
  return p;
}

}  // namespace gee

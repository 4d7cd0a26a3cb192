// In-process STS for the rest of gee (the Glue job and crawler runtime):
// assume a role as a service principal, evaluating the role's trust policy
// exactly as the AssumeRole operation does, and get the session Principal
// without HTTP or credentials.
//
//   sts::ServiceAssumeRole req;
//   req.service_principal = "glue.amazonaws.com";
//   req.role = "MyGlueRole";                 // name or ARN
//   req.session_name = "GlueJobRunnerSession";
//   GEE_ASSIGN_OR_RETURN(Principal p, sts::AssumeRoleAsService(env, ctx, req));
//   RequestContext job = ctx; job.principal = p; job.account = p.account;
//
// The returned principal is arn:aws:sts::ACCT:assumed-role/ROLE/SESSION with
// the role's id, ARN and tags; identity policies come from the IAM provider
// like any other session's. A refusal (missing role, trust policy not naming
// the service, explicit deny) is STS's AccessDenied (403):
// "User: glue.amazonaws.com is not authorized to perform: sts:AssumeRole on
// resource: arn:aws:iam::ACCT:role/NAME".
//
// Also the pieces AssumeRole itself uses, so both paths are one:
// TrustRequest (the sts:AssumeRole AuthRequest) and SessionPrincipal.
//
// Thread-safety: call with or without the store mutex held (it is taken,
// re-entrantly).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "auth/principal.h"
#include "core/environment.h"
#include "core/request_context.h"
#include "core/result.h"
#include "services/iam/iam_api.h"

namespace gee::sts {

struct ServiceAssumeRole {
  // The service principal assuming the role ("glue.amazonaws.com").
  std::string service_principal;
  // Role name or ARN.
  std::string role;
  // RoleSessionName of the session (2-64 chars of [\w+=,.@-]).
  std::string session_name;
  // Session lifetime; capped at the role's MaxSessionDuration.
  int duration_seconds = 3600;
  // aws:SourceArn / aws:SourceAccount of the request (the Glue job ARN and
  // its account), for trust policies with confused-deputy conditions.
  std::string source_arn;
  std::string source_account;
};

Result<Principal> AssumeRoleAsService(Environment& env, const RequestContext& caller,
                                      const ServiceAssumeRole& request);

// Request facts that become sts:/aws: condition keys of sts:AssumeRole.
struct AssumeRoleKeys {
  std::string session_name;
  std::string external_id;
  std::string source_identity;
  std::map<std::string, std::string> tags;  // session tags (request)
  std::vector<std::string> transitive_tag_keys;
};

struct TrustCheck {
  AuthRequest request;                 // action sts:AssumeRole, kind kTrustPolicy
  std::optional<iam::RoleInfo> role;   // nullopt: no such role (still authorized: denied)
};

// The sts:AssumeRole AuthRequest for `role_arn` as the caller wrote it. A
// value that is not an ARN at all is ValidationError "<value> is invalid".
Result<TrustCheck> TrustRequest(Environment& env, std::string_view role_arn,
                                const AssumeRoleKeys& keys);

// The principal of a session of `role`: ARN, user id, role id/ARN, tags (the
// role's, overlaid with `session_tags`), issue time and expiry, session
// policies.
Principal SessionPrincipal(Environment& env, const iam::RoleRecord& role,
                           const std::string& role_arn, const std::string& session_name,
                           int64_t issued_s, int64_t expiration_s,
                           const std::map<std::string, std::string>& session_tags,
                           const std::string& session_policy,
                           const std::vector<std::string>& session_policy_arns);

}  // namespace gee::sts

// The text AWS puts in an AccessDenied error for a denied request (spec §3.5):
//
//   User: <principal ARN> is not authorized to perform: <action> on resource:
//   <resource> because no <type> policy allows the <action> action
//   User: ... on resource: <resource> with an explicit deny in a <type> policy
//
// Per service: S3 quotes the resource ARN and answers plain "Access Denied"
// to anonymous and cross-account callers; sts:AssumeRole has no "because"
// suffix; KMS picks "identity-based" or "resource-based" by the evaluator's
// heuristic (key policy delegates to the account but IAM does not allow →
// identity-based; key policy neither allows nor delegates → resource-based),
// which is UNCONFIRMED and therefore overridable.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "auth/authz.h"
#include "auth/principal.h"

namespace gee {

enum class KmsDenialPhrase {
  kFromDecision,          // use Decision::denied_by (the heuristic above)
  kAlwaysIdentityBased,   // implicit KMS denials always say "identity-based"
  kAlwaysResourceBased,   // implicit KMS denials always say "resource-based"
};

struct DenialMessageOptions {
  // How implicit KMS denials name the policy type. Default: the heuristic.
  KmsDenialPhrase kms_phrase = KmsDenialPhrase::kFromDecision;
};

// The message for `decision` (which must be a denial) of `request` made by
// `principal`. Returns "" for an allowed decision.
std::string AccessDeniedMessage(const Principal& principal, const AuthRequest& request,
                                const Decision& decision,
                                const DenialMessageOptions& options = {});

}  // namespace gee

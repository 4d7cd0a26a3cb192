// AWS STS (Query protocol, 2011-06-15): GetCallerIdentity, AssumeRole and
// GetSessionToken, with temporary credentials stored by SessionStore and
// served to SigV4 verification by SessionCredentialProvider.
//
// AssumeRole is authorized as sts:AssumeRole on the role ARN with the role's
// trust policy as a ResourcePolicyKind::kTrustPolicy resource policy, through
// the shared Authorizer (spec §3.2, §8): the trust policy must allow the
// caller itself or its account (then an identity policy must allow too). A
// role that does not exist is refused with the same AccessDenied as one whose
// trust policy does not name the caller. Passing session tags also needs
// sts:TagSession, a SourceIdentity sts:SetSourceIdentity, both on the trust
// policy. Condition keys: sts:RoleSessionName, sts:ExternalId,
// sts:SourceIdentity, sts:TransitiveTagKeys, aws:RequestTag/*, aws:TagKeys,
// aws:ResourceTag/* (role tags).
//
// Durations: 900..43200 s (model), at most the role's MaxSessionDuration,
// and at most 3600 s when the caller is itself a role session (role
// chaining). Session policies: the inline `Policy` (identity-policy grammar)
// and up to 10 `PolicyArns`; their plain-text size (whitespace not counted),
// together with session tags, must fit 2048 characters (PackedPolicySize is
// that percentage).
//
// Session principal: arn:aws:sts::ACCT:assumed-role/ROLE/SESSION, user id
// "AROA...:SESSION", aws:PrincipalArn the role ARN, principal tags = role
// tags overlaid with session tags (transitive tags of a chaining caller are
// inherited and cannot be changed).
//
// Thread-safety: as TableService.
#pragma once

#include <memory>
#include <vector>

#include "auth/credentials.h"
#include "services/service.h"

namespace gee::sts {

class SessionCredentialProvider;

class StsService final : public TableService<StsService> {
 public:
  explicit StsService(Environment& env);
  ~StsService() override;

  std::string_view name() const override { return "sts"; }
  WireProtocol protocol() const override { return WireProtocol::kQuery; }
  std::vector<store::MigrationStep> Migrations() const override;
  static const std::vector<OperationEntry<StsService>>& Table();

  // The CredentialProvider for the temporary credentials this service issued.
  CredentialProvider& session_credentials();

  // Who the caller is. Never authorized: AWS answers it even when every
  // action is denied (spec §8).
  Result<Json> GetCallerIdentity(Call& call);
  Result<Json> AssumeRole(Call& call);
  Result<Json> GetSessionToken(Call& call);

  // Resolver: the role ARN with its trust policy and the request's keys.
  Result<AuthRequest> AssumeRoleResource(Call& call);

 private:
  std::unique_ptr<SessionCredentialProvider> session_credentials_;
};

}  // namespace gee::sts

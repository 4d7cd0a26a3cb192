// KMS grants as the authorizer sees them: which grant operations a key can
// carry, whether a grant names a caller, whether its encryption-context
// constraint admits a request, whether a grant created through a grant's
// CreateGrant permission stays within it, and the grant token format
// (spec §4.6; KMS developer guide "Grants in AWS KMS").
//
// Rules implemented:
//   * Grantee: the grant's GranteePrincipal equals the caller's ARN (user,
//     exact session, service principal, root), or the role ARN of an
//     assumed-role session. A grant to an account's root ARN names only the
//     root user (gee does not delegate grants to IAM identities: stricter).
//   * Constraints apply to the operations that take an encryption context
//     (Encrypt, Decrypt, ReEncryptFrom/To, GenerateDataKey*,
//     GenerateDataKeyPair*): EncryptionContextEquals needs the request's whole
//     context to be equal (case-sensitive), EncryptionContextSubset needs every
//     constrained pair present in it. They do not apply to DescribeKey and
//     RetireGrant (the grant allows those regardless).
//   * CreateGrant through a grant: the new grant's operations must all be in
//     the parent's, and its constraint at least as strict (Equals of the same
//     map; Subset or Equals containing every pair of a parent Subset).
//
// Grant ids are 64 lower-case hex digits. A grant token is
//   base64url( "gee-grant-token:v1:" || grant id || ":" || 32 hex nonce )
// so CreateGrant returns a different token on every call, even when a Name
// makes it return the same grant; ParseGrantToken recovers the grant id.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "core/random.h"
#include "core/result.h"
#include "services/kms/ciphertext_blob.h"
#include "services/kms/key_spec.h"

namespace gee::kms {

// A grant's encryption-context constraint (at most one kind is set).
struct GrantConstraints {
  std::optional<EncryptionContext> equals;
  std::optional<EncryptionContext> subset;
  bool empty() const { return !equals && !subset; }
};

// The GrantOperation names of the model, in its order.
const std::vector<std::string_view>& AllGrantOperations();
// The grant operations a key of this spec and usage can perform (plus
// CreateGrant, RetireGrant and DescribeKey, which every key has).
std::vector<std::string_view> GrantOperationsFor(KeySpec spec, KeyUsage usage);
// True for the grant operations that take an encryption context.
bool GrantOperationTakesContext(std::string_view grant_operation);

// Whether `grantee` (a GranteePrincipal) names `principal`.
bool GranteeMatches(std::string_view grantee, const Principal& principal);

// The stored/JSON form of constraints ({"EncryptionContextEquals": {...}} or
// {"EncryptionContextSubset": {...}}) and back. Parse fails with
// KMSInternalException for text gee did not write.
std::string SerializeConstraints(const GrantConstraints& constraints);
Result<GrantConstraints> ParseConstraints(std::string_view json_text);

// Whether `constraints` admit a request with `context` for `grant_operation`.
bool ConstraintsAdmit(const GrantConstraints& constraints, std::string_view grant_operation,
                      const EncryptionContext& context);

// Whether a grant with `child_operations` / `child` may be created by a
// grantee whose grant has `parent_operations` / `parent`.
bool ChildGrantWithinParent(const std::vector<std::string>& parent_operations,
                            const GrantConstraints& parent,
                            const std::vector<std::string>& child_operations,
                            const GrantConstraints& child);

// A new grant id (64 hex) and a new token for `grant_id`.
std::string NewGrantId(Random& random);
std::string NewGrantToken(std::string_view grant_id, Random& random);
// The grant id a token names; InvalidGrantTokenException for anything else.
Result<std::string> ParseGrantToken(std::string_view token);
// True for a well-formed grant id (64 lower-case hex digits).
bool IsGrantId(std::string_view grant_id);

}  // namespace gee::kms

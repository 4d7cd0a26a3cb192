// Factories for the AWS errors the KMS service answers, one function per
// error shape, so every call site produces the same code, status and text.
//
// Texts marked [recorded] are verbatim from real KMS responses (see
// spec/aws-behaviour.md section 4 for the sources); texts marked [guess] are
// not confirmed and follow the nearest recorded pattern. Messages never carry
// key material, plaintext or ciphertext bytes: only ARNs, names and numbers.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::kms::errors {

// InvalidCiphertextException with NO message [recorded]: corrupt, truncated
// or foreign ciphertext, wrong or missing encryption context.
AwsError InvalidCiphertext();

// KMSInvalidSignatureException with no message [recorded]: Verify failed.
AwsError InvalidSignature();

// KMSInvalidMacException with no message [recorded]: VerifyMac failed.
AwsError InvalidMac();

// IncorrectKeyException [recorded]: the KeyId of a Decrypt/ReEncrypt request
// is not the key that made the ciphertext.
// "The key ID in the request does not identify a CMK that can perform this operation."
AwsError IncorrectKey();

// InvalidKeyUsageException [recorded]:
// "<key ARN> key usage is <USAGE> which is not valid for <Operation>."
AwsError InvalidKeyUsage(std::string_view key_arn, std::string_view key_usage,
                         std::string_view operation);

// InvalidKeyUsageException [guess, the form local-kms uses] for a key whose
// usage fits but whose spec cannot do the operation (GenerateDataKey with an
// RSA ENCRYPT_DECRYPT key):
// "<key ARN> key KeySpec is <SPEC> which is not valid for <Operation>."
AwsError InvalidKeySpecForOperation(std::string_view key_arn,
                                    std::string_view key_spec,
                                    std::string_view operation);

// InvalidKeyUsageException [recorded]:
// "Algorithm <ALGORITHM> is incompatible with key spec <SPEC>."
AwsError IncompatibleAlgorithm(std::string_view algorithm, std::string_view key_spec);

// ValidationException [recorded]:
// "Algorithm <ALGORITHM> and key spec <SPEC> cannot encrypt data larger than <N> bytes."
AwsError PlaintextTooLargeForAlgorithm(std::string_view algorithm,
                                       std::string_view key_spec, size_t limit);

// ValidationException [recorded]: "Digest is invalid length for algorithm <ALGORITHM>."
AwsError DigestInvalidLength(std::string_view algorithm);

// ValidationException [guess, the pattern other emulators verified]:
// "Message type <TYPE> is incompatible with key spec <SPEC>."
AwsError MessageTypeIncompatible(std::string_view message_type, std::string_view key_spec);

// ValidationException for a blob/string member over its maximum length
// [recorded for 'plaintext']; the value is never echoed:
// "1 validation error detected: Value at '<member>' failed to satisfy
// constraint: Member must have length less than or equal to <max>"
AwsError MemberTooLong(std::string_view member, size_t max);
// Same for under the minimum [guess, same pattern]:
// "... Member must have length greater than or equal to <min>"
AwsError MemberTooShort(std::string_view member, size_t min);

// ValidationException for a number out of range [recorded for numberOfBytes]:
// "1 validation error detected: Value '<n>' at '<member>' failed to satisfy
// constraint: Member must have value less than or equal to <max>" (or
// "greater than or equal to <min>").
AwsError ValueTooLarge(std::string_view member, long long value, long long max);
AwsError ValueTooSmall(std::string_view member, long long value, long long min);

// ValidationException [guess, moto's text] for GenerateDataKey with neither
// or both of KeySpec and NumberOfBytes.
AwsError DataKeyLengthAmbiguous();

// ValidationException [recorded]: CreateKey with a non-symmetric KeySpec and
// no KeyUsage.
// "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
AwsError KeyUsageRequired();

// ValidationException for a KeySpec/KeyUsage pair AWS refuses. The form
// "The operation failed because the KeyUsage value of the CMK is <USAGE>. To
// perform this operation, the KeyUsage value must be <ALLOWED>." is recorded
// for SIGN_VERIFY with SYMMETRIC_DEFAULT (aws/aws-sdk-go-v2#1426); other pairs
// reuse it [guess], `allowed` listing the usages joined with " or ".
AwsError KeyUsageNotValidForSpec(std::string_view key_usage, std::string_view allowed);

// UnsupportedOperationException for a KeySpec AWS knows but gee does not
// implement. SM2 gets AWS's own text for non-China regions
// ("KeySpec SM2 is not supported in this Region", reported in
// floci-io/floci#3026); the others say plainly that gee lacks them.
AwsError UnsupportedKeySpec(std::string_view key_spec);

// ValidationException [guess]: an EncryptionContext with an asymmetric key
// (AWS does not bind contexts to RSA ciphertexts; the code is UNCONFIRMED).
AwsError EncryptionContextNotSupported(std::string_view key_spec);

// ValidationException [guess]: DeriveSharedSecret's PublicKey is not a DER
// SubjectPublicKeyInfo on the key's curve.
AwsError InvalidPeerPublicKey(std::string_view key_spec);

// UnsupportedOperationException [guess]: GetPublicKey on a key without a
// public half (symmetric and HMAC keys).
AwsError NoPublicKey(std::string_view key_arn, std::string_view key_spec);

// InvalidMarkerException [guess: the model's description of the error] for a
// pagination Marker this list did not issue.
AwsError InvalidMarker();

// ---- key identification (spec §4.1) ----

// NotFoundException [recorded]: a KeyId that is neither a key id (UUID or
// "mrk-" + 32 hex), a key ARN, nor (where accepted) an alias.
// "Invalid keyId '<value>'"
AwsError InvalidKeyId(std::string_view value);

// NotFoundException [recorded]: a well-formed key id or key ARN naming no
// key of the request's account and region. "Key '<key ARN>' does not exist"
AwsError KeyNotFound(std::string_view key_arn);

// NotFoundException [recorded]: a key or alias ARN of another region.
// "Invalid arn <region>"
AwsError InvalidArnRegion(std::string_view region);

// NotFoundException [recorded]: an alias name or alias ARN naming no alias.
// "Alias <alias ARN> is not found."
AwsError AliasNotFound(std::string_view alias_arn);

// AccessDeniedException [recorded]: Decrypt/ReEncrypt of a ciphertext whose
// key does not exist, is in another region or account.
// "The ciphertext refers to a customer master key that does not exist, does
// not exist in this region, or you are not allowed to access."
AwsError CiphertextKeyUnavailable();

// ---- key states (spec §4.7) ----

// DisabledException [recorded]: "<key ARN> is disabled."
AwsError Disabled(std::string_view key_arn);
// KMSInvalidStateException [recorded]: "<key ARN> is pending deletion."
AwsError PendingDeletion(std::string_view key_arn);
// KMSInvalidStateException [recorded]: "<key ARN> is pending import."
AwsError PendingImport(std::string_view key_arn);
// KMSInvalidStateException [doc]: "<key ARN> is not pending deletion."
AwsError NotPendingDeletion(std::string_view key_arn);
// KMSInvalidStateException [guess, same pattern] for the other states
// (Creating, Unavailable, ...): "<key ARN> is <state>."
AwsError InvalidKeyState(std::string_view key_arn, std::string_view state);

// ---- aliases (spec §4.5) ----

// ValidationException [recorded]: an alias name without the "alias/" prefix.
AwsError AliasPrefixRequired();
// ValidationException [observed, terraform-provider-aws#12891]: an alias
// name with characters the console refuses although the model pattern
// admits them (':'). "<alias name> contains invalid characters for an alias"
AwsError AliasInvalidCharacters(std::string_view alias_name);
// AlreadyExistsException [moto's text, spec §4.5]:
// "An alias with the name <alias ARN> already exists"
AwsError AliasAlreadyExists(std::string_view alias_arn);
// LimitExceededException [guess]: a key already has 50 aliases.
AwsError TooManyAliases(std::string_view key_arn);
// ValidationException [guess]: UpdateAlias to a key of another type or usage.
AwsError AliasTargetTypeMismatch(std::string_view alias_name);

// ---- key policies (spec §4.2) ----

// MalformedPolicyDocumentException [recorded]:
// "The new key policy will not allow you to update the key policy in the future."
AwsError PolicyLockout();
// MalformedPolicyDocumentException [recorded]:
// "Policy contains a statement with one or more invalid principals."
AwsError PolicyInvalidPrincipals();
// MalformedPolicyDocumentException with the parser's text (auth/policy).
AwsError MalformedPolicy(std::string message);
// LimitExceededException with the parser's text for a policy over 32 KB.
AwsError PolicyTooLarge(std::string message);
// NotFoundException [guess, LocalStack's text]: GetKeyPolicy of a PolicyName
// other than "default". "No such policy exists"
AwsError NoSuchPolicy();
// UnsupportedOperationException [guess, LocalStack's text]: PutKeyPolicy of a
// PolicyName other than "default". "Only default policy is supported"
AwsError OnlyDefaultPolicy();

// ---- key lifecycle ----

// ValidationException [guess, LocalStack's text]: ScheduleKeyDeletion window
// outside 7..30. "PendingWindowInDays should be between 7 and 30, but it is <n>"
AwsError PendingWindowOutOfRange(long long days);
// ValidationException [recorded]: GenerateRandom without NumberOfBytes.
// "NumberOfBytes is required."
AwsError NumberOfBytesRequired();
// UnsupportedOperationException with no message [recorded for
// RotateKeyOnDemand on an asymmetric key]: rotation operations on keys that
// cannot rotate (asymmetric, HMAC).
AwsError RotationUnsupported();
// UnsupportedOperationException [recorded]:
// "<key ARN> origin is <ORIGIN> which is not valid for this operation."
AwsError OriginNotValid(std::string_view key_arn, std::string_view origin);
// LimitExceededException [guess]: more than 25 on-demand rotations of a key.
AwsError TooManyOnDemandRotations(std::string_view key_arn);
// UnsupportedOperationException: a feature gee does not emulate (custom key
// stores, imported key material, multi-Region keys, attested recipients).
// The message says plainly that gee lacks it.
AwsError NotEmulated(std::string_view feature);
// ValidationException [guess]: CreateKey with both KeySpec and the
// deprecated CustomerMasterKeySpec.
AwsError BothKeySpecs();

// ---- tags ----

// TagException [guess]: a tag key with the reserved "aws:" prefix.
AwsError ReservedTagKey(std::string_view tag_key);
// LimitExceededException [guess]: more than 50 tags on a key.
AwsError TooManyTags(std::string_view key_arn);

// ---- grants (spec §4.6) ----

// ValidationException [observed, ansible#31960]:
// "Grants must not contain only the CreateGrant operation."
AwsError GrantOnlyCreateGrant();
// ValidationException [observed, aws-sdk-java#328]: both constraint kinds.
// "More than one constraint supplied"
AwsError GrantMoreThanOneConstraint();
// ValidationException [guess; the doc says "ValidationError exception"]:
// grant operations the key cannot perform.
AwsError GrantOperationsInvalid(std::string_view key_arn, std::string_view operations);
// ValidationException [guess]: an encryption-context constraint on a key
// whose operations take no encryption context (asymmetric, HMAC).
AwsError GrantConstraintsNotSupported(std::string_view key_spec);
// ValidationException [guess]: a grant created with a grant's CreateGrant
// permission that is broader than its parent (operations or constraints).
AwsError GrantBroaderThanParent();
// ValidationException [guess]: CreateGrant without operations.
AwsError GrantOperationsRequired();
// InvalidArnException [guess]: a GranteePrincipal/RetiringPrincipal that is
// neither an IAM ARN nor a service principal.
AwsError InvalidGrantPrincipal(std::string_view principal);
// InvalidGrantTokenException [the model's description]: a grant token gee
// did not issue.
AwsError InvalidGrantToken();
// InvalidGrantIdException [the model's description]: an unknown or
// malformed grant id.
AwsError InvalidGrantId();
// ValidationException [guess, LocalStack's text]: RetireGrant with neither a
// token nor a key id and grant id.
// "Grant token OR (grant ID, key ID) must be specified"
AwsError RetireGrantTarget();
// LimitExceededException [guess]: 50,000 grants on a key.
AwsError TooManyGrants(std::string_view key_arn);

// DryRunOperationException [recorded]:
// "The request would have succeeded, but the DryRun option is set."
AwsError DryRun();

// KMSInternalException / 500 naming the failed step (an OpenSSL call, a
// corrupt stored key). Never carries secret bytes.
AwsError Internal(std::string_view step);

}  // namespace gee::kms::errors

#include "services/kms/errors.h"

namespace gee::kms::errors {
namespace {

std::string Str(std::string_view s) { return std::string(s); }

AwsError Validation(std::string message) {
  return AwsError("ValidationException", std::move(message), 400);
}

AwsError KeyUsage(std::string message) {
  return AwsError("InvalidKeyUsageException", std::move(message), 400);
}

}  // namespace

AwsError InvalidCiphertext() { return AwsError("InvalidCiphertextException", "", 400); }

AwsError InvalidSignature() { return AwsError("KMSInvalidSignatureException", "", 400); }

AwsError InvalidMac() { return AwsError("KMSInvalidMacException", "", 400); }

AwsError IncorrectKey() {
  return AwsError("IncorrectKeyException",
                  "The key ID in the request does not identify a CMK that can "
                  "perform this operation.",
                  400);
}

AwsError InvalidKeyUsage(std::string_view key_arn, std::string_view key_usage,
                         std::string_view operation) {
  return KeyUsage(Str(key_arn) + " key usage is " + Str(key_usage) +
                  " which is not valid for " + Str(operation) + ".");
}

AwsError InvalidKeySpecForOperation(std::string_view key_arn, std::string_view key_spec,
                                    std::string_view operation) {
  return KeyUsage(Str(key_arn) + " key KeySpec is " + Str(key_spec) +
                  " which is not valid for " + Str(operation) + ".");
}

AwsError IncompatibleAlgorithm(std::string_view algorithm, std::string_view key_spec) {
  return KeyUsage("Algorithm " + Str(algorithm) + " is incompatible with key spec " +
                  Str(key_spec) + ".");
}

AwsError PlaintextTooLargeForAlgorithm(std::string_view algorithm,
                                       std::string_view key_spec, size_t limit) {
  return Validation("Algorithm " + Str(algorithm) + " and key spec " + Str(key_spec) +
                    " cannot encrypt data larger than " + std::to_string(limit) +
                    " bytes.");
}

AwsError DigestInvalidLength(std::string_view algorithm) {
  return Validation("Digest is invalid length for algorithm " + Str(algorithm) + ".");
}

AwsError MessageTypeIncompatible(std::string_view message_type, std::string_view key_spec) {
  return Validation("Message type " + Str(message_type) +
                    " is incompatible with key spec " + Str(key_spec) + ".");
}

AwsError MemberTooLong(std::string_view member, size_t max) {
  return Validation("1 validation error detected: Value at '" + Str(member) +
                    "' failed to satisfy constraint: Member must have length less "
                    "than or equal to " +
                    std::to_string(max));
}

AwsError MemberTooShort(std::string_view member, size_t min) {
  return Validation("1 validation error detected: Value at '" + Str(member) +
                    "' failed to satisfy constraint: Member must have length "
                    "greater than or equal to " +
                    std::to_string(min));
}

AwsError ValueTooLarge(std::string_view member, long long value, long long max) {
  return Validation("1 validation error detected: Value '" + std::to_string(value) +
                    "' at '" + Str(member) +
                    "' failed to satisfy constraint: Member must have value less "
                    "than or equal to " +
                    std::to_string(max));
}

AwsError ValueTooSmall(std::string_view member, long long value, long long min) {
  return Validation("1 validation error detected: Value '" + std::to_string(value) +
                    "' at '" + Str(member) +
                    "' failed to satisfy constraint: Member must have value greater "
                    "than or equal to " +
                    std::to_string(min));
}

AwsError DataKeyLengthAmbiguous() {
  return Validation("Please specify either number of bytes or key spec.");
}

AwsError KeyUsageRequired() {
  return Validation(
      "You must specify a KeyUsage value for all KMS keys except for symmetric "
      "encryption keys.");
}

AwsError KeyUsageNotValidForSpec(std::string_view key_usage, std::string_view allowed) {
  return Validation("The operation failed because the KeyUsage value of the CMK is " +
                    Str(key_usage) +
                    ". To perform this operation, the KeyUsage value must be " +
                    Str(allowed) + ".");
}

AwsError UnsupportedKeySpec(std::string_view key_spec) {
  if (key_spec == "SM2") {
    return AwsError("UnsupportedOperationException",
                    "KeySpec SM2 is not supported in this Region", 400);
  }
  return AwsError("UnsupportedOperationException",
                  "KeySpec " + Str(key_spec) + " is not supported by gee (the emulator).",
                  400);
}

AwsError EncryptionContextNotSupported(std::string_view key_spec) {
  return Validation("EncryptionContext is not supported with key spec " + Str(key_spec) +
                    ".");
}

AwsError InvalidPeerPublicKey(std::string_view key_spec) {
  return Validation("PublicKey is not a valid DER-encoded SubjectPublicKeyInfo for key spec " +
                    Str(key_spec) + ".");
}

AwsError NoPublicKey(std::string_view key_arn, std::string_view key_spec) {
  return AwsError("UnsupportedOperationException",
                  Str(key_arn) + " key KeySpec is " + Str(key_spec) +
                      " which is not valid for GetPublicKey.",
                  400);
}

AwsError InvalidMarker() {
  return AwsError("InvalidMarkerException",
                  "The request was rejected because the marker that specifies where "
                  "pagination should next begin is not valid.",
                  400);
}

AwsError InvalidKeyId(std::string_view value) {
  return AwsError("NotFoundException", "Invalid keyId '" + Str(value) + "'", 400);
}

AwsError KeyNotFound(std::string_view key_arn) {
  return AwsError("NotFoundException", "Key '" + Str(key_arn) + "' does not exist", 400);
}

AwsError InvalidArnRegion(std::string_view region) {
  return AwsError("NotFoundException", "Invalid arn " + Str(region), 400);
}

AwsError AliasNotFound(std::string_view alias_arn) {
  return AwsError("NotFoundException", "Alias " + Str(alias_arn) + " is not found.", 400);
}

AwsError CiphertextKeyUnavailable() {
  return AwsError("AccessDeniedException",
                  "The ciphertext refers to a customer master key that does not exist, "
                  "does not exist in this region, or you are not allowed to access.",
                  400);
}

AwsError Disabled(std::string_view key_arn) {
  return AwsError("DisabledException", Str(key_arn) + " is disabled.", 400);
}

AwsError PendingDeletion(std::string_view key_arn) {
  return AwsError("KMSInvalidStateException", Str(key_arn) + " is pending deletion.", 400);
}

AwsError PendingImport(std::string_view key_arn) {
  return AwsError("KMSInvalidStateException", Str(key_arn) + " is pending import.", 400);
}

AwsError NotPendingDeletion(std::string_view key_arn) {
  return AwsError("KMSInvalidStateException", Str(key_arn) + " is not pending deletion.",
                  400);
}

AwsError InvalidKeyState(std::string_view key_arn, std::string_view state) {
  return AwsError("KMSInvalidStateException", Str(key_arn) + " is " + Str(state) + ".", 400);
}

AwsError AliasPrefixRequired() {
  return Validation(
      "Alias must start with the prefix \"alias/\". Please see "
      "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
}

AwsError AliasInvalidCharacters(std::string_view alias_name) {
  return Validation(Str(alias_name) + " contains invalid characters for an alias");
}

AwsError AliasAlreadyExists(std::string_view alias_arn) {
  return AwsError("AlreadyExistsException",
                  "An alias with the name " + Str(alias_arn) + " already exists", 400);
}

AwsError TooManyAliases(std::string_view key_arn) {
  return AwsError("LimitExceededException",
                  "The request was rejected because " + Str(key_arn) +
                      " already has the maximum number of aliases (50).",
                  400);
}

AwsError AliasTargetTypeMismatch(std::string_view alias_name) {
  return Validation("Cannot update alias " + Str(alias_name) +
                    ": the current and the new KMS key must have the same key type and "
                    "key usage.");
}

AwsError PolicyLockout() {
  return AwsError("MalformedPolicyDocumentException",
                  "The new key policy will not allow you to update the key policy in the "
                  "future.",
                  400);
}

AwsError PolicyInvalidPrincipals() {
  return AwsError("MalformedPolicyDocumentException",
                  "Policy contains a statement with one or more invalid principals.", 400);
}

AwsError MalformedPolicy(std::string message) {
  return AwsError("MalformedPolicyDocumentException", std::move(message), 400);
}

AwsError PolicyTooLarge(std::string message) {
  return AwsError("LimitExceededException", std::move(message), 400);
}

AwsError NoSuchPolicy() { return AwsError("NotFoundException", "No such policy exists", 400); }

AwsError OnlyDefaultPolicy() {
  return AwsError("UnsupportedOperationException", "Only default policy is supported", 400);
}

AwsError PendingWindowOutOfRange(long long days) {
  return Validation("PendingWindowInDays should be between 7 and 30, but it is " +
                    std::to_string(days));
}

AwsError NumberOfBytesRequired() { return Validation("NumberOfBytes is required."); }

AwsError RotationUnsupported() { return AwsError("UnsupportedOperationException", "", 400); }

AwsError OriginNotValid(std::string_view key_arn, std::string_view origin) {
  return AwsError("UnsupportedOperationException",
                  Str(key_arn) + " origin is " + Str(origin) +
                      " which is not valid for this operation.",
                  400);
}

AwsError TooManyOnDemandRotations(std::string_view key_arn) {
  return AwsError("LimitExceededException",
                  "The request was rejected because " + Str(key_arn) +
                      " reached the maximum number of on-demand rotations (25).",
                  400);
}

AwsError NotEmulated(std::string_view feature) {
  return AwsError("UnsupportedOperationException",
                  Str(feature) + " is not supported by gee (the emulator).", 400);
}

AwsError BothKeySpecs() {
  return Validation(
      "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
      "CustomerMasterKeySpec parameter is deprecated.");
}

AwsError ReservedTagKey(std::string_view tag_key) {
  return AwsError("TagException",
                  "Tag keys beginning with aws: are reserved for AWS use (" + Str(tag_key) +
                      ").",
                  400);
}

AwsError TooManyTags(std::string_view key_arn) {
  return AwsError("LimitExceededException",
                  "The request was rejected because " + Str(key_arn) +
                      " would have more than 50 tags.",
                  400);
}

AwsError GrantOnlyCreateGrant() {
  return Validation("Grants must not contain only the CreateGrant operation.");
}

AwsError GrantMoreThanOneConstraint() { return Validation("More than one constraint supplied"); }

AwsError GrantOperationsInvalid(std::string_view key_arn, std::string_view operations) {
  return Validation("Grant operations [" + Str(operations) + "] are not valid for " +
                    Str(key_arn) + ".");
}

AwsError GrantConstraintsNotSupported(std::string_view key_spec) {
  return Validation("Encryption context grant constraints are not supported for key spec " +
                    Str(key_spec) + ".");
}

AwsError GrantBroaderThanParent() {
  return Validation(
      "A grant created with a grant's CreateGrant permission cannot allow more operations "
      "or have a weaker encryption context constraint than that grant.");
}

AwsError GrantOperationsRequired() {
  return Validation("Grant operations must not be empty.");
}

AwsError InvalidGrantPrincipal(std::string_view principal) {
  return AwsError("InvalidArnException", "Invalid principal " + Str(principal), 400);
}

AwsError InvalidGrantToken() {
  return AwsError("InvalidGrantTokenException",
                  "The request was rejected because the specified grant token is not valid.",
                  400);
}

AwsError InvalidGrantId() {
  return AwsError("InvalidGrantIdException",
                  "The request was rejected because the specified GrantId is not valid.",
                  400);
}

AwsError RetireGrantTarget() {
  return Validation("Grant token OR (grant ID, key ID) must be specified");
}

AwsError TooManyGrants(std::string_view key_arn) {
  return AwsError("LimitExceededException",
                  "The request was rejected because " + Str(key_arn) +
                      " has the maximum number of grants (50000).",
                  400);
}

AwsError DryRun() {
  return AwsError("DryRunOperationException",
                  "The request would have succeeded, but the DryRun option is set.", 400);
}

AwsError Internal(std::string_view step) {
  return AwsError("KMSInternalException", "KMS: " + Str(step) + " failed", 500);
}

}  // namespace gee::kms::errors

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

AwsError Internal(std::string_view step) {
  return AwsError("KMSInternalException", "KMS: " + Str(step) + " failed", 500);
}

}  // namespace gee::kms::errors

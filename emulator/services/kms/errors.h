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

// KMSInternalException / 500 naming the failed step (an OpenSSL call, a
// corrupt stored key). Never carries secret bytes.
AwsError Internal(std::string_view step);

}  // namespace gee::kms::errors

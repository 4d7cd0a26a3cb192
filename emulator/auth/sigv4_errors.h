// Renders a SigV4 verification Failure as the AwsError each wire protocol
// returns (spec §2.2): code, message, HTTP status and, for S3, the extra
// elements of the <Error> document (AWSAccessKeyId, StringToSign,
// SignatureProvided, StringToSignBytes, CanonicalRequest,
// CanonicalRequestBytes, RequestTime, ServerTime, MaxAllowedSkewMilliseconds,
// Region, HeadersNotSigned, X-Amz-Expires, Expires, Token-0, ...).
//
// JSON 1.1 services (KMS, Glue, Logs) answer authentication failures with
// HTTP 400; Query services (IAM, STS) with 403 (400 for IncompleteSignature);
// S3 mostly 403, 400 for malformed authorization. Texts marked UNCONFIRMED in
// sigv4_errors.cc are best guesses (spec §10).
//
// No message or element ever contains the secret access key or the signing
// key: a Failure does not hold them. The session token is echoed only where
// S3 itself echoes it (<Token-0>), and the canonical request in S3's
// SignatureDoesNotMatch contains the signed headers as sent, as AWS's does.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "core/result.h"
#include "core/wire_protocol.h"

namespace gee::sigv4 {

// The AWS error for `failure` in `protocol`.
AwsError ToAwsError(const Failure& failure, WireProtocol protocol);

// Bytes as space-separated two-digit lower-case hex ("41 57 53 34"), the form
// of S3's StringToSignBytes and CanonicalRequestBytes.
std::string SpacedHexBytes(std::string_view bytes);

}  // namespace gee::sigv4

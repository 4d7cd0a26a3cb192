// Small helpers shared by the KMS handler files (kms_*.cc): reading input
// members, blobs in and out, pagination of lists built in memory.
//
// In-memory pagination markers are base64url("<list kind>\n<position>") —
// opaque to clients; a marker of another list or a malformed one is
// InvalidMarkerException (the same rule as the key store's markers).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::kms {

using Json = nlohmann::json;

// A string member, or nullptr when absent.
const std::string* StringMember(const Json& input, std::string_view member);
// An integer member, or nullopt when absent.
std::optional<int64_t> IntMember(const Json& input, std::string_view member);
// ValidationException "1 validation error detected: Value null at '<member>'
// failed to satisfy constraint: Member must not be null" (first letter of
// the member lower-cased, as AWS prints paths).
AwsError MemberNull(std::string_view member);

// A blob member (base64 in the handler's JSON). A value that is not base64
// (only possible for in-process callers) is a ValidationException.
Result<std::string> BlobMember(const Json& input, std::string_view member);
Result<crypto::SecretBytes> SecretBlobMember(const Json& input, std::string_view member);
// Bytes as a JSON blob value (base64).
std::string Blob(std::string_view bytes);

// The Limit member clamped to [1, max], `fallback` when absent.
size_t PageLimit(const Json& input, size_t fallback, size_t max);
// In-memory pagination (see above).
std::string EncodeMarker(std::string_view kind, std::string_view position);
// The position of `marker` (empty marker: nullopt).
Result<std::optional<std::string>> DecodeMarker(std::string_view kind, const Json& input);

}  // namespace gee::kms

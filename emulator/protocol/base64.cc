#include "protocol/base64.h"

namespace gee::protocol {
namespace {

AwsError Describe(std::string_view text, const crypto::Base64Flaw& flaw) {
  std::string reason;
  switch (flaw.kind) {
    case crypto::Base64Flaw::Kind::kLength:
      reason = "Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(text.size());
      break;
    case crypto::Base64Flaw::Kind::kCharacter:
      reason = std::string("Invalid Base64 character: '") + text[flaw.offset] + "'";
      break;
    default:
      reason = "Invalid last non-pad Base64 character dectected";
      break;
  }
  return AwsError("SerializationException", std::move(reason), 400);
}

}  // namespace

Result<std::string> Base64Decode(std::string_view text) {
  auto decoded = crypto::Base64Decode(text);
  if (!decoded.ok()) return Describe(text, *crypto::FindBase64Flaw(text));
  return std::move(decoded).value();
}

Result<size_t> Base64DecodedSize(std::string_view text) {
  if (auto flaw = crypto::FindBase64Flaw(text)) return Describe(text, *flaw);
  return crypto::Base64DecodedLength(text);
}

}  // namespace gee::protocol

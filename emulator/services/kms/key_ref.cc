#include "services/kms/key_ref.h"

#include <algorithm>

#include "core/ids.h"
#include "services/kms/errors.h"

namespace gee::kms {
namespace {

bool IsAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string KeyArn(std::string_view region, std::string_view account, std::string_view key_id) {
  return "arn:aws:kms:" + std::string(region) + ":" + std::string(account) + ":key/" +
         std::string(key_id);
}

std::string AliasArn(std::string_view region, std::string_view account,
                     std::string_view alias_name) {
  return "arn:aws:kms:" + std::string(region) + ":" + std::string(account) + ":" +
         std::string(alias_name);
}

std::string KeyRef::KeyArn() const { return kms::KeyArn(region, account, key_id); }
std::string KeyRef::AliasArn() const { return kms::AliasArn(region, account, alias_name); }

bool IsKeyId(std::string_view text) {
  if (IsUuid(text)) return true;
  if (text.size() != 36 || text.substr(0, 4) != "mrk-") return false;
  return std::all_of(text.begin() + 4, text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<KeyRef> ParseKeyRef(std::string_view text, std::string_view account,
                           std::string_view region, bool allow_alias) {
  KeyRef ref;
  ref.account = std::string(account);
  ref.region = std::string(region);
  if (text.substr(0, 4) == "arn:") {
    // arn:PARTITION:kms:REGION:ACCOUNT:RESOURCE (the resource may hold ':').
    std::string_view parts[5];
    std::string_view rest = text;
    for (int i = 0; i < 5; ++i) {
      const size_t colon = rest.find(':');
      if (colon == std::string_view::npos) return errors::InvalidKeyId(text);
      parts[i] = rest.substr(0, colon);
      rest.remove_prefix(colon + 1);
    }
    if (parts[1] != "aws" || parts[2] != "kms" || !IsAccountId(parts[4])) {
      return errors::InvalidKeyId(text);
    }
    if (parts[3] != region) return errors::InvalidArnRegion(parts[3]);
    ref.account = std::string(parts[4]);
    ref.region = std::string(parts[3]);
    if (rest.substr(0, 4) == "key/") {
      std::string_view id = rest.substr(4);
      if (!IsKeyId(id)) return errors::InvalidKeyId(id);
      ref.kind = KeyRef::Kind::kKeyArn;
      ref.key_id = std::string(id);
      return ref;
    }
    if (rest.substr(0, 6) == "alias/" && rest.size() > 6 && allow_alias) {
      ref.kind = KeyRef::Kind::kAliasArn;
      ref.alias_name = std::string(rest);
      return ref;
    }
    return errors::InvalidKeyId(text);
  }
  if (text.substr(0, 6) == "alias/") {
    if (!allow_alias || text.size() == 6) return errors::InvalidKeyId(text);
    ref.kind = KeyRef::Kind::kAliasName;
    ref.alias_name = std::string(text);
    return ref;
  }
  if (!IsKeyId(text)) return errors::InvalidKeyId(text);
  ref.kind = KeyRef::Kind::kKeyId;
  ref.key_id = std::string(text);
  return ref;
}

}  // namespace gee::kms

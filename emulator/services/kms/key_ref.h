// KeyRef: what a KeyId-style request member names, parsed without touching
// the store (spec §4.1).
//
//   "1234abcd-12ab-34cd-56ef-1234567890ab"            key id (UUID)
//   "mrk-0123456789abcdef0123456789abcdef"            key id (multi-Region form)
//   "arn:aws:kms:REGION:ACCT:key/ID"                  key ARN
//   "alias/NAME"                                      alias name
//   "arn:aws:kms:REGION:ACCT:alias/NAME"              alias ARN
//
// Bare ids and alias names belong to the request's account and region; ARNs
// carry their own. Errors, in AWS's words (NotFoundException):
//   * an ARN naming another region than the request's: "Invalid arn <region>";
//   * anything else that is not one of the forms above (or an alias where
//     only keys are accepted): "Invalid keyId '<value>'".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::kms {

struct KeyRef {
  enum class Kind { kKeyId, kKeyArn, kAliasName, kAliasArn };
  Kind kind = Kind::kKeyId;
  std::string account;
  std::string region;
  std::string key_id;      // key forms
  std::string alias_name;  // alias forms: "alias/NAME"

  bool is_alias() const { return kind == Kind::kAliasName || kind == Kind::kAliasArn; }
  // "arn:aws:kms:REGION:ACCT:key/ID" / "arn:aws:kms:REGION:ACCT:alias/NAME".
  std::string KeyArn() const;
  std::string AliasArn() const;
};

// True for a key id: a UUID or "mrk-" followed by 32 lower-case hex digits.
bool IsKeyId(std::string_view text);

// Parses `text` for a request in `account`/`region`. `allow_alias` is false
// for members that take only key ids and key ARNs.
Result<KeyRef> ParseKeyRef(std::string_view text, std::string_view account,
                           std::string_view region, bool allow_alias);

std::string KeyArn(std::string_view region, std::string_view account, std::string_view key_id);
std::string AliasArn(std::string_view region, std::string_view account,
                     std::string_view alias_name);

}  // namespace gee::kms

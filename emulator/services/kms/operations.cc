#include "services/kms/operations.h"

#include "services/kms/errors.h"
#include "services/kms/key_store.h"

namespace gee::kms {

const std::vector<OperationSpec>& OperationSpecs() {
  using R = ResourceKind;
  using F = KeyIdForm;
  using S = StateRule;
  // clang-format off
  static const std::vector<OperationSpec> kSpecs = {
    // name                              action                                    resource          key member      key form        grant operation                        state                  dry run
    {"CancelKeyDeletion",                "kms:CancelKeyDeletion",                  R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kPendingDeletion,   false},
    {"CreateAlias",                      "kms:CreateAlias",                        R::kAlias,        "TargetKeyId",  F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"CreateGrant",                      "kms:CreateGrant",                        R::kKey,          "KeyId",        F::kKeyOnly,    "CreateGrant",                         S::kUsable,            true},
    {"CreateKey",                        "kms:CreateKey",                          R::kAll,          "",             F::kNone,       "",                                    S::kNone,              false},
    {"Decrypt",                          "kms:Decrypt",                            R::kCiphertextKey, "KeyId",       F::kKeyOrAlias, "Decrypt",                             S::kUsable,            true},
    {"DeleteAlias",                      "kms:DeleteAlias",                        R::kAlias,        "",             F::kNone,       "",                                    S::kAny,               false},
    {"DeriveSharedSecret",               "kms:DeriveSharedSecret",                 R::kKey,          "KeyId",        F::kKeyOrAlias, "DeriveSharedSecret",                  S::kUsable,            true},
    {"DescribeKey",                      "kms:DescribeKey",                        R::kKey,          "KeyId",        F::kKeyOrAlias, "DescribeKey",                         S::kAny,               false},
    {"DisableKey",                       "kms:DisableKey",                         R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"DisableKeyRotation",               "kms:DisableKeyRotation",                 R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kUsable,            false},
    {"EnableKey",                        "kms:EnableKey",                          R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"EnableKeyRotation",                "kms:EnableKeyRotation",                  R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kUsable,            false},
    {"Encrypt",                          "kms:Encrypt",                            R::kKey,          "KeyId",        F::kKeyOrAlias, "Encrypt",                             S::kUsable,            true},
    {"GenerateDataKey",                  "kms:GenerateDataKey",                    R::kKey,          "KeyId",        F::kKeyOrAlias, "GenerateDataKey",                     S::kUsable,            true},
    {"GenerateDataKeyPair",              "kms:GenerateDataKeyPair",                R::kKey,          "KeyId",        F::kKeyOrAlias, "GenerateDataKeyPair",                 S::kUsable,            true},
    {"GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyPairWithoutPlaintext", R::kKey,      "KeyId",        F::kKeyOrAlias, "GenerateDataKeyPairWithoutPlaintext", S::kUsable,            true},
    {"GenerateDataKeyWithoutPlaintext",  "kms:GenerateDataKeyWithoutPlaintext",    R::kKey,          "KeyId",        F::kKeyOrAlias, "GenerateDataKeyWithoutPlaintext",     S::kUsable,            true},
    {"GenerateMac",                      "kms:GenerateMac",                        R::kKey,          "KeyId",        F::kKeyOrAlias, "GenerateMac",                         S::kUsable,            true},
    {"GenerateRandom",                   "kms:GenerateRandom",                     R::kAll,          "",             F::kNone,       "",                                    S::kNone,              false},
    {"GetKeyPolicy",                     "kms:GetKeyPolicy",                       R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"GetKeyRotationStatus",             "kms:GetKeyRotationStatus",               R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"GetPublicKey",                     "kms:GetPublicKey",                       R::kKey,          "KeyId",        F::kKeyOrAlias, "GetPublicKey",                        S::kUsableOrDisabled,  false},
    {"ListAliases",                      "kms:ListAliases",                        R::kAll,          "",             F::kNone,       "",                                    S::kNone,              false},
    {"ListGrants",                       "kms:ListGrants",                         R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"ListKeyPolicies",                  "kms:ListKeyPolicies",                    R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"ListKeyRotations",                 "kms:ListKeyRotations",                   R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"ListKeys",                         "kms:ListKeys",                           R::kAll,          "",             F::kNone,       "",                                    S::kNone,              false},
    {"ListResourceTags",                 "kms:ListResourceTags",                   R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"ListRetirableGrants",              "kms:ListRetirableGrants",                R::kAll,          "",             F::kNone,       "",                                    S::kNone,              false},
    {"PutKeyPolicy",                     "kms:PutKeyPolicy",                       R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               false},
    {"ReEncrypt",                        "kms:ReEncryptFrom",                      R::kCiphertextKey, "SourceKeyId", F::kKeyOrAlias, "ReEncryptFrom",                       S::kUsable,            true},
    {"RetireGrant",                      "kms:RetireGrant",                        R::kGrant,        "KeyId",        F::kKeyOnly,    "RetireGrant",                         S::kAny,               true},
    {"RevokeGrant",                      "kms:RevokeGrant",                        R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kAny,               true},
    {"RotateKeyOnDemand",                "kms:RotateKeyOnDemand",                  R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kUsable,            false},
    {"ScheduleKeyDeletion",              "kms:ScheduleKeyDeletion",                R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"Sign",                             "kms:Sign",                               R::kKey,          "KeyId",        F::kKeyOrAlias, "Sign",                                S::kUsable,            true},
    {"TagResource",                      "kms:TagResource",                        R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"UntagResource",                    "kms:UntagResource",                      R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"UpdateAlias",                      "kms:UpdateAlias",                        R::kAlias,        "TargetKeyId",  F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"UpdateKeyDescription",             "kms:UpdateKeyDescription",               R::kKey,          "KeyId",        F::kKeyOnly,    "",                                    S::kNotPendingDeletion, false},
    {"Verify",                           "kms:Verify",                             R::kKey,          "KeyId",        F::kKeyOrAlias, "Verify",                              S::kUsable,            true},
    {"VerifyMac",                        "kms:VerifyMac",                          R::kKey,          "KeyId",        F::kKeyOrAlias, "VerifyMac",                           S::kUsable,            true},
  };
  // clang-format on
  return kSpecs;
}

const OperationSpec* FindOperationSpec(std::string_view operation) {
  for (const OperationSpec& spec : OperationSpecs()) {
    if (spec.name == operation) return &spec;
  }
  return nullptr;
}

namespace {

AwsError WrongState(const KeyRecord& key) {
  switch (key.state) {
    case KeyState::kDisabled:
      return errors::Disabled(key.arn);
    case KeyState::kPendingDeletion:
      return errors::PendingDeletion(key.arn);
    case KeyState::kPendingImport:
      return errors::PendingImport(key.arn);
    default:
      break;
  }
  // "Creating", "Unavailable", ...: the state name in lower-case words.
  std::string words;
  for (char c : Name(key.state)) {
    if (c >= 'A' && c <= 'Z') {
      if (!words.empty()) words.push_back(' ');
      words.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      words.push_back(c);
    }
  }
  return errors::InvalidKeyState(key.arn, words);
}

}  // namespace

Status GateKeyState(const KeyRecord& key, StateRule rule) {
  switch (rule) {
    case StateRule::kNone:
    case StateRule::kAny:
      return OkStatus();
    case StateRule::kUsable:
      if (key.state == KeyState::kEnabled) return OkStatus();
      return WrongState(key);
    case StateRule::kUsableOrDisabled:
      if (key.state == KeyState::kEnabled || key.state == KeyState::kDisabled) return OkStatus();
      return WrongState(key);
    case StateRule::kNotPendingDeletion:
      if (key.state != KeyState::kPendingDeletion) return OkStatus();
      return errors::PendingDeletion(key.arn);
    case StateRule::kPendingDeletion:
      if (key.state == KeyState::kPendingDeletion) return OkStatus();
      return errors::NotPendingDeletion(key.arn);
  }
  return errors::Internal("unknown key state rule");
}

}  // namespace gee::kms

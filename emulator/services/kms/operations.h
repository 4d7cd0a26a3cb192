// The KMS authorization table: for every operation gee serves, the IAM
// action checked before its handler runs, what resource that action is on,
// which input member names the key (and whether aliases are accepted there),
// the grant operation that can allow it, and which key states it accepts
// (spec §3.3, §4.7, §4.10).
//
// The KMS service builds its TableService lines from this table and its one
// key-state gate (GateKeyState) reads the StateRule from here, so every
// operation answers Disabled / PendingDeletion the same way.
//
//   resource kAll           IAM-only actions (CreateKey, ListKeys, ListAliases,
//                           ListRetirableGrants, GenerateRandom): resource "*",
//                           no key policy.
//   resource kKey           the key named by `key_member`; the key policy
//                           decides together with IAM and grants (§3.3).
//   resource kCiphertextKey Decrypt and ReEncrypt: the key named by `key_member`
//                           when given, else the key the ciphertext blob names.
//   resource kAlias         CreateAlias/UpdateAlias/DeleteAlias: the alias ARN,
//                           IAM only; the handler checks the same action on the
//                           key(s) against their key policies.
//   resource kGrant         RetireGrant: the grant's key; only the grant itself
//                           (retiring principal, grantee with RetireGrant, the
//                           key's account) allows, never a policy (§4.6).
//
// Thread-safety: constant data.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::kms {

struct KeyRecord;

enum class ResourceKind { kAll, kKey, kCiphertextKey, kAlias, kGrant };

// Which identifiers the key member accepts (spec §4.1).
enum class KeyIdForm {
  kNone,        // the operation names no key
  kKeyOnly,     // key id or key ARN
  kKeyOrAlias,  // key id, key ARN, alias name or alias ARN
};

// The key states an operation accepts (spec §4.7).
enum class StateRule {
  kNone,                // the operation acts on no key
  kAny,                 // every state
  kUsable,              // Enabled only: Disabled → DisabledException, PendingDeletion /
                        // PendingImport / others → KMSInvalidStateException
  kUsableOrDisabled,    // Enabled or Disabled (GetPublicKey answers for disabled keys)
  kNotPendingDeletion,  // every state but PendingDeletion
  kPendingDeletion,     // only PendingDeletion (CancelKeyDeletion)
};

struct OperationSpec {
  std::string_view name;        // AWS operation name
  std::string_view action;      // IAM action checked before the handler
  ResourceKind resource;
  std::string_view key_member;  // input member naming the key ("" when none)
  KeyIdForm key_form;
  // The GrantOperation a grant must list to allow `action` ("" = grants never do).
  std::string_view grant_operation;
  StateRule state;
  // The operation has a DryRun member (authorise and validate, then answer
  // DryRunOperationException).
  bool dry_run;
};

// Every operation gee's KMS serves, in the model's order.
const std::vector<OperationSpec>& OperationSpecs();
// The spec of `operation`, or nullptr.
const OperationSpec* FindOperationSpec(std::string_view operation);

// The one key-state gate: OkStatus when `rule` accepts the key's state, else
// the AWS error of spec §4.7 ("<ARN> is disabled." / "... is pending
// deletion." / "... is not pending deletion." / "... is pending import.").
Status GateKeyState(const KeyRecord& key, StateRule rule);

}  // namespace gee::kms

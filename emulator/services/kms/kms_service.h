// AWS KMS (JSON 1.1, target prefix TrentService): keys of every spec gee
// supports, every cryptographic operation, aliases (with the AWS managed
// aws/glue and aws/s3 keys), key policies, grants, tags, rotation and
// scheduled deletion, with AWS's authorization and errors (spec §3.3, §3.5,
// §4).
//
// How an operation runs (services/service.h): model validation → resolver
// (finds the key, answers NotFoundException before authorization, builds the
// AuthRequest: key ARN, key policy, kms:* condition keys, grants) →
// Environment::Authorize → handler (the key-state gate GateKeyState, then
// the operation). The resolver keeps what it found for the handler in
// `resolved_` (one KMS operation runs at a time: every operation holds the
// store lock, and KMS never calls itself).
//
// Clock-driven work (the injected Clock, no timers): before every operation,
// keys whose deletion date has passed are deleted with their material,
// aliases and grants, and keys whose automatic-rotation date has passed get
// new material (old material is kept, so old ciphertexts still decrypt).
//
// Handlers live in several files by operation group: kms_service.cc (table,
// resolvers, shared helpers), kms_keys.cc (key lifecycle, tags, rotation),
// kms_crypto.cc (cryptographic operations), kms_policies.cc (key policies),
// kms_aliases.cc (aliases, AWS managed keys), kms_grants.cc (grants).
//
// Thread-safety: as every TableService; operations serialise on the store lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/kms/ciphertext_blob.h"
#include "services/kms/key_store.h"
#include "services/kms/operations.h"
#include "services/service.h"

namespace gee::kms {

class KmsService final : public TableService<KmsService> {
 public:
  explicit KmsService(Environment& env);
  ~KmsService() override;

  std::string_view name() const override { return "kms"; }
  WireProtocol protocol() const override { return WireProtocol::kJson11; }
  std::vector<store::MigrationStep> Migrations() const override;
  static const std::vector<OperationEntry<KmsService>>& Table();

  // The key store (created on first use, after migrations have run).
  Result<KeyStore*> Store();

  // ---- keys (kms_keys.cc) ----
  Result<Json> CreateKey(Call& call);
  Result<Json> DescribeKey(Call& call);
  Result<Json> ListKeys(Call& call);
  Result<Json> EnableKey(Call& call);
  Result<Json> DisableKey(Call& call);
  Result<Json> ScheduleKeyDeletion(Call& call);
  Result<Json> CancelKeyDeletion(Call& call);
  Result<Json> UpdateKeyDescription(Call& call);
  Result<Json> TagResource(Call& call);
  Result<Json> UntagResource(Call& call);
  Result<Json> ListResourceTags(Call& call);
  Result<Json> EnableKeyRotation(Call& call);
  Result<Json> DisableKeyRotation(Call& call);
  Result<Json> GetKeyRotationStatus(Call& call);
  Result<Json> RotateKeyOnDemand(Call& call);
  Result<Json> ListKeyRotations(Call& call);

  // ---- cryptographic operations (kms_crypto.cc) ----
  Result<Json> Encrypt(Call& call);
  Result<Json> Decrypt(Call& call);
  Result<Json> ReEncrypt(Call& call);
  Result<Json> GenerateDataKey(Call& call);
  Result<Json> GenerateDataKeyWithoutPlaintext(Call& call);
  Result<Json> GenerateDataKeyPair(Call& call);
  Result<Json> GenerateDataKeyPairWithoutPlaintext(Call& call);
  Result<Json> GenerateRandom(Call& call);
  Result<Json> Sign(Call& call);
  Result<Json> Verify(Call& call);
  Result<Json> GetPublicKey(Call& call);
  Result<Json> GenerateMac(Call& call);
  Result<Json> VerifyMac(Call& call);
  Result<Json> DeriveSharedSecret(Call& call);

  // ---- key policies (kms_policies.cc) ----
  Result<Json> GetKeyPolicy(Call& call);
  Result<Json> PutKeyPolicy(Call& call);
  Result<Json> ListKeyPolicies(Call& call);

  // ---- aliases (kms_aliases.cc) ----
  Result<Json> CreateAlias(Call& call);
  Result<Json> UpdateAlias(Call& call);
  Result<Json> DeleteAlias(Call& call);
  Result<Json> ListAliases(Call& call);

  // ---- grants (kms_grants.cc) ----
  Result<Json> CreateGrant(Call& call);
  Result<Json> ListGrants(Call& call);
  Result<Json> ListRetirableGrants(Call& call);
  Result<Json> RetireGrant(Call& call);
  Result<Json> RevokeGrant(Call& call);

  // ---- resolvers (kms_service.cc) ----
  // IAM-only actions: resource "*", with CreateKey's request keys.
  Result<AuthRequest> AccountResource(Call& call);
  // The key named by the operation's key member.
  Result<AuthRequest> KeyResource(Call& call);
  // Decrypt / ReEncrypt: the key named by KeyId/SourceKeyId or by the blob.
  Result<AuthRequest> CiphertextKeyResource(Call& call);
  // Create/Update/DeleteAlias: the alias ARN (IAM only).
  Result<AuthRequest> AliasResource(Call& call);
  // RetireGrant: the grant's key, allowed only through the grant.
  Result<AuthRequest> GrantResource(Call& call);

 private:
  // What the resolver of the operation in progress found.
  struct Resolved {
    const RequestContext* ctx = nullptr;
    std::shared_ptr<const KeyRecord> key;  // the key of the table line's action
    std::string request_alias;             // alias name when the request named one
    // ReEncrypt destination, UpdateAlias current target.
    std::shared_ptr<const KeyRecord> second_key;
    std::string second_alias;
    // Decrypt / ReEncrypt without a key id: the CiphertextBlob the resolver
    // decoded to find the key, for the handler to take instead of decoding it
    // again.
    std::optional<std::string> ciphertext_blob;
    std::optional<AliasRecord> alias;     // UpdateAlias / DeleteAlias
    std::string alias_name;               // Create/Update/DeleteAlias
    std::optional<GrantRecord> grant;     // RetireGrant
  };

  // ---- shared helpers (kms_service.cc) ----
  // Deletes keys whose deletion window has passed and rotates keys whose
  // automatic rotation is due (by the injected clock).
  Status Sweep(const RequestContext& ctx);
  // Resolves a KeyId-style value to a key of the caller's view (spec §4.1),
  // creating an AWS managed key on first reference to its alias.
  // Never null on success.
  Result<std::shared_ptr<const KeyRecord>> ResolveKey(const RequestContext& ctx,
                                                      std::string_view text, bool allow_alias,
                                                      std::string* request_alias);
  // The AWS managed key behind `alias_name` in account/region, created now
  // when it does not exist yet; nullptr when `alias_name` is no managed alias.
  Result<std::shared_ptr<const KeyRecord>> EnsureManagedKey(std::string_view account,
                                                            std::string_view region,
                                                            std::string_view alias_name);
  // The AuthRequest for `action` on `key`: key ARN, key policy, kms:KeySpec,
  // kms:KeyUsage, kms:KeyOrigin, kms:RequestAlias, kms:ResourceAliases,
  // aws:ResourceTag/*, the encryption-context keys, and a grant allowing
  // `grant_operation` for the caller (with its constraints checked).
  Result<AuthRequest> KeyAuthRequest(const RequestContext& ctx, const KeyRecord& key,
                                     std::string_view action, std::string_view grant_operation,
                                     const EncryptionContext* context,
                                     std::string_view request_alias);
  // What every AuthRequest on `key` shares: key ARN, account, key policy,
  // kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion,
  // kms:ResourceAliases and aws:ResourceTag/*. Built once per key and kept
  // while the key store's Generation() holds (any KMS write, rollback or
  // reset moves it); valid until the next call.
  Result<const AuthRequest*> KeyPartOfAuthRequest(const KeyRecord& key);
  // The grant (if any) that lets the caller perform `grant_operation` on `key`
  // with `context`; for CreateGrant, `child_*` describe the grant requested.
  Result<std::optional<GrantRecord>> FindAllowingGrant(
      const RequestContext& ctx, const KeyRecord& key, std::string_view grant_operation,
      const EncryptionContext& context, const std::vector<std::string>* child_operations,
      const std::string* child_constraints_json);
  // The operation's own condition keys and grant-token checks.
  Status AddRequestKeys(Call& call, AuthRequest& request);
  // Starts a new resolution for `call` (and sweeps).
  Status BeginResolve(Call& call);
  // What this operation's resolver found; KMSInternalException when none.
  Result<Resolved*> TakeResolved(Call& call);
  // The decoded CiphertextBlob member (BlobMember's errors), taken from the
  // resolution when the resolver decoded it already.
  Result<std::string> TakeCiphertextBlob(Call& call);
  // The resolved key after the one key-state gate of the operation's spec.
  Result<std::shared_ptr<const KeyRecord>> GetUsableKey(Call& call);
  // Writes `key` back (its mutable fields).
  Status SaveKey(const KeyRecord& key);
  // AccessDenied for a write to an AWS managed key, in every auth mode: no
  // policy can let a user change one (spec §4.4).
  Status RefuseManagedKeyChange(const RequestContext& ctx, const KeyRecord& key,
                                std::string_view action);
  // Key policy checks of CreateKey/PutKeyPolicy: size, grammar, principals
  // that must exist, and the lockout safety check.
  Status ValidateKeyPolicy(const RequestContext& ctx, std::string_view policy,
                           std::string_view key_arn, std::string_view key_account,
                           bool bypass_lockout_check);
  // Whether the IAM user/role an ARN names exists (true when IAM is absent
  // or the ARN names no user or role).
  Result<bool> PrincipalExists(const RequestContext& ctx, std::string_view arn);
  // New material version for `key` (rotation).
  Status Rotate(KeyRecord& key, double when, RotationType type);
  // The operation's DryRun flag.
  static bool IsDryRun(const Call& call);

  std::unique_ptr<KeyStore> store_;
  Resolved resolved_;
  // KeyPartOfAuthRequest's memory, by key id, for one store generation.
  std::unordered_map<std::string, AuthRequest> key_parts_;
  uint64_t key_parts_generation_ = 0;
};

// KeyMetadata of DescribeKey/CreateKey (spec §4.2).
Json KeyMetadataJson(const KeyRecord& key);
// An EncryptionContext member of an input ({} when absent).
EncryptionContext ContextFrom(const Json& input, std::string_view member);

}  // namespace gee::kms

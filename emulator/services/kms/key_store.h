// KeyStore: SQLite persistence of KMS keys, their material versions, aliases,
// grants, tags and rotation history (component "kms", store/migrations.h).
//
// Key material is only ever stored sealed under the root key
// (store::RootKeyring::Seal) with the label
//   SecretLabel("kms-key-material", {key_id, decimal version})
//   e.g. "kms-key-material:1234abcd-12ab-34cd-56ef-1234567890ab:1"
// so a sealed value copied to another key or version does not open.
//
// Schema, version 1 (KmsMigrations()). Timestamps are stored as INTEGER
// microseconds since the Unix epoch (columns ending in _us; the store
// wrappers bind integers, and integers keep AWS's millisecond precision
// exactly) and exposed as double epoch seconds.
//
//   kms_keys           one row per key
//     key_id TEXT PK, arn TEXT UNIQUE, account, region,
//     key_spec, key_usage, key_state      (AWS enum names)
//     description TEXT, creation_date_us, deletion_date_us NULL,
//     pending_window_days NULL, key_manager (CUSTOMER|AWS), origin (AWS_KMS|...),
//     policy TEXT (the key policy document as sent),
//     rotation_enabled 0/1, rotation_period_days NULL, next_rotation_date_us NULL,
//     multi_region 0/1, current_version (newest material version)
//   kms_key_materials  one row per backing-key version
//     key_id FK CASCADE, version >= 1, material_id TEXT (the opaque
//     CurrentKeyMaterialId, 64 hex), sealed BLOB, creation_date_us;
//     PK (key_id, version)
//   kms_rotations      one row per rotation (versions 2, 3, ...)
//     key_id FK CASCADE, version, rotation_date_us, rotation_type
//     (AUTOMATIC|ON_DEMAND); PK (key_id, version)
//   kms_aliases        account, region, alias_name ("alias/..."), target_key_id
//     FK CASCADE, creation_date_us, last_updated_date_us;
//     PK (account, region, alias_name)
//   kms_grants         seq INTEGER PK AUTOINCREMENT (listing order),
//     grant_id UNIQUE, key_id FK CASCADE, grant_token UNIQUE, name,
//     grantee_principal, retiring_principal NULL, issuing_account,
//     operations (JSON array of GrantOperation names),
//     constraints NULL (JSON GrantConstraints as sent), creation_date_us
//   kms_tags           key_id FK CASCADE, tag_key, tag_value; PK (key_id, tag_key)
//
// Version 2 adds partial indexes for the clock-driven sweeps:
//   kms_keys_by_deletion  kms_keys(deletion_date_us) WHERE deletion_date_us IS NOT NULL
//   kms_keys_by_rotation  kms_keys(next_rotation_date_us) WHERE rotation_enabled = 1
//
// Deleting a key deletes its materials, rotations, aliases, grants and tags.
//
// Pagination: list functions take a PageRequest {marker, limit 1..1000} and
// return at most `limit` items plus next_marker (empty when there are no
// more). Markers are opaque (base64url of the list kind and the last item's
// sort key); a marker that is not one this list issued is
// InvalidMarkerException.
//
// Errors: SQLite failures are InternalFailure (store/database.h); corrupt
// rows (unknown enum names, material that does not unseal or load) are
// KMSInternalException. "Not found" is not an error here: Find* return
// nullopt and Delete* return false, so the service builds AWS's own
// NotFoundException texts.
//
// Memory (what the store remembers between calls): FindKeyShared, FindKey,
// AliasNamesOf, AllTags, AllGrants and FindMaterial keep what they read per
// key id (at most kMaxCachedKeys keys) and answer from memory until anything
// may have changed it:
//   * every write method of this store forgets everything before it writes
//     (keys, material versions, aliases, grants, tags, rotations);
//   * a move of the database's cache_epoch (store/database.h: any rollback of
//     a transaction or savepoint, the reset that drops every table,
//     migrations) forgets everything on the next call;
//   * a store opened again (a new KeyStore) starts empty.
// So every write to the kms_* tables must go through this class (nothing else
// in gee writes them; tests that corrupt rows on purpose read with the
// uncached LoadMaterial). Generation() moves whenever the memory is forgotten,
// for callers that keep their own derived per-key state. Unsealed material in
// memory lives in KeyMaterial (SecretBytes, wiped when forgotten), never in a
// std::string or a log line.
//
// Thread-safety: as store::Database: one thread at a time, holding the
// database mutex (the memory has its own mutex as well). Multi-statement
// writes run in their own (nested) Transaction, so each method is atomic on
// its own and inside a request's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/random.h"
#include "core/result.h"
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/root_key.h"

namespace gee::kms {

enum class KeyState {
  kCreating,
  kEnabled,
  kDisabled,
  kPendingDeletion,
  kPendingImport,
  kPendingReplicaDeletion,
  kUnavailable,
  kUpdating,
};
enum class KeyManager { kCustomer, kAws };
enum class KeyOrigin { kAwsKms, kExternal, kAwsCloudHsm, kExternalKeyStore };
enum class RotationType { kAutomatic, kOnDemand };

std::string_view Name(KeyState state);
std::string_view Name(KeyManager manager);
std::string_view Name(KeyOrigin origin);
std::string_view Name(RotationType type);
std::optional<KeyState> ParseKeyState(std::string_view name);
std::optional<KeyManager> ParseKeyManager(std::string_view name);
std::optional<KeyOrigin> ParseKeyOrigin(std::string_view name);
std::optional<RotationType> ParseRotationType(std::string_view name);

// The "kms" component's schema steps.
std::vector<store::MigrationStep> KmsMigrations();

// A key's metadata (a kms_keys row).
struct KeyRecord {
  std::string key_id;
  std::string arn;
  std::string account;
  std::string region;
  KeySpec spec = KeySpec::kSymmetricDefault;
  KeyUsage usage = KeyUsage::kEncryptDecrypt;
  KeyState state = KeyState::kEnabled;
  std::string description;
  double creation_date = 0;
  std::optional<double> deletion_date;
  std::optional<int> pending_window_days;
  KeyManager key_manager = KeyManager::kCustomer;
  KeyOrigin origin = KeyOrigin::kAwsKms;
  std::string policy;
  bool rotation_enabled = false;
  std::optional<int> rotation_period_days;
  std::optional<double> next_rotation_date;
  bool multi_region = false;
  // Maintained by the store: the newest material version and its id.
  uint32_t current_version = 0;
  std::string current_material_id;
};

struct Tag {
  std::string key;
  std::string value;
  friend bool operator==(const Tag&, const Tag&) = default;
};

struct AliasRecord {
  std::string account;
  std::string region;
  std::string alias_name;  // "alias/..."
  std::string target_key_id;
  double creation_date = 0;
  double last_updated_date = 0;
};

struct GrantRecord {
  std::string grant_id;
  std::string key_id;
  std::string grant_token;
  std::string name;  // empty when none was given
  std::string grantee_principal;
  std::optional<std::string> retiring_principal;
  std::string issuing_account;  // e.g. "arn:aws:iam::000000000000:root"
  std::vector<std::string> operations;
  std::optional<std::string> constraints_json;
  double creation_date = 0;
};

struct MaterialVersion {
  uint32_t version = 0;
  std::string material_id;
  double creation_date = 0;
};

struct RotationRecord {
  uint32_t version = 0;  // the material version the rotation created
  std::string material_id;
  double rotation_date = 0;
  RotationType type = RotationType::kAutomatic;
};

// One unsealed material version of a key, as FindMaterial keeps it.
struct MaterialEntry {
  std::unique_ptr<const KeyMaterial> material;
  std::string material_id;  // CurrentKeyMaterialId form (64 hex)
};

struct PageRequest {
  std::string marker;  // empty: from the start
  size_t limit = 100;  // 1..1000
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_marker;  // empty: no more items
  bool truncated() const { return !next_marker.empty(); }
};

class KeyStore {
 public:
  // `db` must already be migrated with KmsMigrations(). `db`, `keyring` and
  // `random` (material ids) must outlive the store.
  static Result<std::unique_ptr<KeyStore>> Create(store::Database& db,
                                                  const store::RootKeyring& keyring,
                                                  Random& random);

  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  // ---- keys ----
  // Inserts `record` with `material` as version 1 (created at
  // record.creation_date). record.current_version and current_material_id are
  // ignored; the stored row has version 1 and a new material id. Returns the
  // record as stored. `material.spec()` must equal `record.spec`.
  Result<KeyRecord> CreateKey(const KeyRecord& record, const KeyMaterial& material);
  Result<std::optional<KeyRecord>> FindKey(std::string_view key_id);
  // As FindKey, without copying the remembered record; nullptr when absent.
  Result<std::shared_ptr<const KeyRecord>> FindKeyShared(std::string_view key_id);
  // Writes the mutable fields of `record` (state, description, deletion date,
  // pending window, policy, rotation settings). KMSInternalException when the
  // key does not exist.
  Status UpdateKey(const KeyRecord& record);
  // Deletes the key and everything that belongs to it. False when absent.
  Result<bool> DeleteKey(std::string_view key_id);
  // Keys of one account and region, ordered by key id.
  Result<Page<KeyRecord>> ListKeys(std::string_view account, std::string_view region,
                                   const PageRequest& page);
  // Ids of keys whose deletion date is at or before `now` (epoch seconds).
  Result<std::vector<std::string>> KeysDueForDeletion(double now);
  // Ids of Enabled keys with automatic rotation on whose next rotation date
  // is at or before `now`.
  Result<std::vector<std::string>> KeysDueForRotation(double now);
  // Whether KeysDueForDeletion or KeysDueForRotation at `now` could return a
  // key. The earliest such date is remembered with the rest of the memory
  // (see the top of this file), so a request that finds nothing due costs no
  // query.
  Result<bool> AnythingDue(double now);

  // ---- material ----
  // Version `version` of the key's material, unsealed and loaded; nullptr when
  // the key has no such version. Always reads the row (never from memory).
  Result<std::unique_ptr<KeyMaterial>> LoadMaterial(std::string_view key_id,
                                                    uint32_t version);
  // As LoadMaterial, with the version's material id, kept in memory (see
  // the top of this file); nullptr when the key has no such version.
  Result<std::shared_ptr<const MaterialEntry>> FindMaterial(std::string_view key_id,
                                                            uint32_t version);
  // Adds `material` as the next version (rotation), makes it current and
  // records the rotation. Returns the new version.
  Result<uint32_t> AddMaterialVersion(std::string_view key_id, const KeyMaterial& material,
                                      double now, RotationType type);
  Result<std::vector<MaterialVersion>> ListMaterialVersions(std::string_view key_id);
  // The material id (CurrentKeyMaterialId form) of one version; nullopt when
  // the key has no such version.
  Result<std::optional<std::string>> MaterialId(std::string_view key_id, uint32_t version);
  // Number of rotations of `type` the key has had.
  Result<size_t> CountRotations(std::string_view key_id, RotationType type);
  // Rotations (not the initial material), oldest first.
  Result<Page<RotationRecord>> ListRotations(std::string_view key_id,
                                             const PageRequest& page);

  // ---- aliases ----
  // Inserts; the caller checks FindAlias first (a duplicate is InternalFailure).
  Status CreateAlias(const AliasRecord& alias);
  Result<std::optional<AliasRecord>> FindAlias(std::string_view account,
                                               std::string_view region,
                                               std::string_view alias_name);
  // Re-points an alias; false when it does not exist.
  Result<bool> UpdateAlias(std::string_view account, std::string_view region,
                           std::string_view alias_name, std::string_view target_key_id,
                           double now);
  Result<bool> DeleteAlias(std::string_view account, std::string_view region,
                           std::string_view alias_name);
  // Aliases of one account and region by name; only those of `key_id` when set.
  Result<Page<AliasRecord>> ListAliases(std::string_view account, std::string_view region,
                                        std::optional<std::string_view> key_id,
                                        const PageRequest& page);
  Result<size_t> CountAliases(std::string_view key_id);
  // Names of the aliases that point at `key_id`, by name (kms:ResourceAliases).
  Result<std::vector<std::string>> AliasNamesOf(std::string_view key_id);

  // ---- grants ----
  Status CreateGrant(const GrantRecord& grant);
  Result<std::optional<GrantRecord>> FindGrant(std::string_view grant_id);
  Result<std::optional<GrantRecord>> FindGrantByToken(std::string_view grant_token);
  // The grant of `key_id` created with Name `name` (CreateGrant idempotency).
  Result<std::optional<GrantRecord>> FindGrantByName(std::string_view key_id,
                                                     std::string_view name);
  Result<bool> DeleteGrant(std::string_view grant_id);
  // Grants of a key in creation order, optionally only one grant id and/or
  // one grantee principal (ListGrants' filters).
  Result<Page<GrantRecord>> ListGrants(std::string_view key_id, const PageRequest& page,
                                       std::optional<std::string_view> grant_id = {},
                                       std::optional<std::string_view> grantee = {});
  // Grants that name `retiring_principal` (ListRetirableGrants), creation order.
  Result<Page<GrantRecord>> ListRetirableGrants(std::string_view retiring_principal,
                                                const PageRequest& page);
  // The same, limited to grants on keys of one account and region.
  Result<Page<GrantRecord>> ListRetirableGrants(std::string_view retiring_principal,
                                                std::string_view account,
                                                std::string_view region,
                                                const PageRequest& page);
  // Every grant of a key (for authorization), creation order.
  Result<std::vector<GrantRecord>> AllGrants(std::string_view key_id);
  Result<size_t> CountGrants(std::string_view key_id);

  // ---- tags ----
  // Adds or overwrites tags by key.
  Status PutTags(std::string_view key_id, const std::vector<Tag>& tags);
  // Removes tags by key; absent keys are ignored.
  Status RemoveTags(std::string_view key_id, const std::vector<std::string>& tag_keys);
  // Tags ordered by key.
  Result<Page<Tag>> ListTags(std::string_view key_id, const PageRequest& page);
  // Every tag of a key, ordered by key (aws:ResourceTag/<k>).
  Result<std::vector<Tag>> AllTags(std::string_view key_id);

  // ---- memory ----
  // Moves whenever the remembered reads are forgotten (see the top of this
  // file); equal values mean every answer the store gave since is current.
  uint64_t Generation();

  // Keys remembered at most; one more forgets them all.
  static constexpr size_t kMaxCachedKeys = 1024;

 private:
  KeyStore(store::Database& db, const store::RootKeyring& keyring, Random& random)
      : db_(db), keyring_(keyring), random_(random) {}

  Status InsertMaterial(std::string_view key_id, uint32_t version,
                        const std::string& material_id, const KeyMaterial& material,
                        double created);

  // What the store remembers about one key; unset members are not loaded.
  struct CachedKey {
    std::shared_ptr<const KeyRecord> record;
    std::optional<std::vector<std::string>> alias_names;
    std::optional<std::vector<Tag>> tags;
    std::optional<std::vector<GrantRecord>> grants;
    std::map<uint32_t, std::shared_ptr<const MaterialEntry>> materials;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  // Forgets everything remembered; every write method calls it first.
  void Forget();
  // Forgets everything when the database's cache epoch moved. Caller holds
  // memory_mutex_.
  void SyncWithDatabaseLocked();
  // The remembered `slot` of `key_id`, or `load()` remembered there unless
  // the memory was forgotten meanwhile.
  template <typename V, typename Load>
  Result<V> Remembered(std::string_view key_id, std::optional<V> CachedKey::*slot, Load load);
  // Makes room for one more key. Caller holds memory_mutex_.
  CachedKey& EntryLocked(std::string_view key_id);

  store::Database& db_;
  const store::RootKeyring& keyring_;
  Random& random_;

  std::mutex memory_mutex_;
  uint64_t generation_ = 0;
  // The database cache epoch the memory reflects.
  uint64_t seen_epoch_ = 0;
  std::unordered_map<std::string, CachedKey, StringHash, std::equal_to<>> keys_;
  // AnythingDue's memory: the earliest deletion or rotation date (micros;
  // INT64_MAX when none).
  std::optional<int64_t> next_due_us_;
};

}  // namespace gee::kms

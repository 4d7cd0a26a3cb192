#include "services/kms/key_store.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <utility>

#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/kms/errors.h"

namespace gee::kms {
namespace {

constexpr char kMaterialLabelKind[] = "kms-key-material";
constexpr size_t kMaxPageLimit = 1000;

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE kms_keys(
  key_id                TEXT PRIMARY KEY,
  arn                   TEXT NOT NULL UNIQUE,
  account               TEXT NOT NULL,
  region                TEXT NOT NULL,
  key_spec              TEXT NOT NULL,
  key_usage             TEXT NOT NULL,
  key_state             TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  creation_date_us      INTEGER NOT NULL,
  deletion_date_us      INTEGER,
  pending_window_days   INTEGER,
  key_manager           TEXT NOT NULL,
  origin                TEXT NOT NULL,
  policy                TEXT NOT NULL,
  rotation_enabled      INTEGER NOT NULL DEFAULT 0 CHECK(rotation_enabled IN (0, 1)),
  rotation_period_days  INTEGER,
  next_rotation_date_us INTEGER,
  multi_region          INTEGER NOT NULL DEFAULT 0 CHECK(multi_region IN (0, 1)),
  current_version       INTEGER NOT NULL CHECK(current_version >= 1)
);
CREATE INDEX kms_keys_by_owner ON kms_keys(account, region, key_id);

CREATE TABLE kms_key_materials(
  key_id           TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  version          INTEGER NOT NULL CHECK(version >= 1),
  material_id      TEXT NOT NULL,
  sealed           BLOB NOT NULL,
  creation_date_us INTEGER NOT NULL,
  PRIMARY KEY(key_id, version)
);

CREATE TABLE kms_rotations(
  key_id           TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  version          INTEGER NOT NULL,
  rotation_date_us INTEGER NOT NULL,
  rotation_type    TEXT NOT NULL,
  PRIMARY KEY(key_id, version)
);

CREATE TABLE kms_aliases(
  account              TEXT NOT NULL,
  region               TEXT NOT NULL,
  alias_name           TEXT NOT NULL,
  target_key_id        TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  creation_date_us     INTEGER NOT NULL,
  last_updated_date_us INTEGER NOT NULL,
  PRIMARY KEY(account, region, alias_name)
);
CREATE INDEX kms_aliases_by_key ON kms_aliases(target_key_id);

CREATE TABLE kms_grants(
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  grant_id           TEXT NOT NULL UNIQUE,
  key_id             TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  grant_token        TEXT NOT NULL UNIQUE,
  name               TEXT NOT NULL DEFAULT '',
  grantee_principal  TEXT NOT NULL,
  retiring_principal TEXT,
  issuing_account    TEXT NOT NULL,
  operations         TEXT NOT NULL,
  constraints        TEXT,
  creation_date_us   INTEGER NOT NULL
);
CREATE INDEX kms_grants_by_key ON kms_grants(key_id, seq);
CREATE INDEX kms_grants_by_retiring ON kms_grants(retiring_principal, seq);

CREATE TABLE kms_tags(
  key_id    TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY(key_id, tag_key)
);
)sql";

constexpr char kSchemaV2[] = R"sql(
CREATE INDEX kms_keys_by_deletion ON kms_keys(deletion_date_us)
  WHERE deletion_date_us IS NOT NULL;
CREATE INDEX kms_keys_by_rotation ON kms_keys(next_rotation_date_us)
  WHERE rotation_enabled = 1;
)sql";

constexpr char kSelectKey[] =
    "SELECT k.key_id, k.arn, k.account, k.region, k.key_spec, k.key_usage, "
    "k.key_state, k.description, k.creation_date_us, k.deletion_date_us, "
    "k.pending_window_days, k.key_manager, k.origin, k.policy, k.rotation_enabled, "
    "k.rotation_period_days, k.next_rotation_date_us, k.multi_region, "
    "k.current_version, m.material_id "
    "FROM kms_keys k JOIN kms_key_materials m "
    "ON m.key_id = k.key_id AND m.version = k.current_version ";

constexpr char kSelectGrant[] =
    "SELECT seq, grant_id, key_id, grant_token, name, grantee_principal, "
    "retiring_principal, issuing_account, operations, constraints, creation_date_us "
    "FROM kms_grants ";

constexpr char kSelectAlias[] =
    "SELECT account, region, alias_name, target_key_id, creation_date_us, "
    "last_updated_date_us FROM kms_aliases ";

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

constexpr EnumName<KeyState> kKeyStates[] = {
    {KeyState::kCreating, "Creating"},
    {KeyState::kEnabled, "Enabled"},
    {KeyState::kDisabled, "Disabled"},
    {KeyState::kPendingDeletion, "PendingDeletion"},
    {KeyState::kPendingImport, "PendingImport"},
    {KeyState::kPendingReplicaDeletion, "PendingReplicaDeletion"},
    {KeyState::kUnavailable, "Unavailable"},
    {KeyState::kUpdating, "Updating"},
};
constexpr EnumName<KeyManager> kKeyManagers[] = {
    {KeyManager::kCustomer, "CUSTOMER"},
    {KeyManager::kAws, "AWS"},
};
constexpr EnumName<KeyOrigin> kKeyOrigins[] = {
    {KeyOrigin::kAwsKms, "AWS_KMS"},
    {KeyOrigin::kExternal, "EXTERNAL"},
    {KeyOrigin::kAwsCloudHsm, "AWS_CLOUDHSM"},
    {KeyOrigin::kExternalKeyStore, "EXTERNAL_KEY_STORE"},
};
constexpr EnumName<RotationType> kRotationTypes[] = {
    {RotationType::kAutomatic, "AUTOMATIC"},
    {RotationType::kOnDemand, "ON_DEMAND"},
};

template <typename E, size_t N>
std::string_view NameIn(const EnumName<E> (&table)[N], E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const EnumName<E> (&table)[N], std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

AwsError CorruptRow(std::string_view what) {
  return errors::Internal("kms store: corrupt row (" + std::string(what) + ")");
}

int64_t ToMicros(double seconds) { return std::llround(seconds * 1e6); }
double FromMicros(int64_t micros) { return static_cast<double>(micros) / 1e6; }

Status BindOptionalMicros(store::Statement& s, int index, const std::optional<double>& v) {
  return v ? s.BindInt64(index, ToMicros(*v)) : s.BindNull(index);
}
Status BindOptionalInt(store::Statement& s, int index, const std::optional<int>& v) {
  return v ? s.BindInt64(index, *v) : s.BindNull(index);
}
Status BindOptionalText(store::Statement& s, int index,
                        const std::optional<std::string>& v) {
  return v ? s.BindText(index, *v) : s.BindNull(index);
}
std::optional<double> OptionalMicros(const store::Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return FromMicros(s.ColumnInt64(column));
}
std::optional<int> OptionalInt(const store::Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return static_cast<int>(s.ColumnInt64(column));
}
std::optional<std::string> OptionalText(const store::Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return s.ColumnText(column);
}

std::string MaterialLabel(std::string_view key_id, uint32_t version) {
  const std::string version_text = std::to_string(version);
  return store::SecretLabel(kMaterialLabelKind, {key_id, version_text});
}

// ---- markers ----

std::string EncodeMarker(std::string_view kind, std::string_view position) {
  std::string plain(kind);
  plain.push_back('\n');
  plain.append(position);
  return crypto::Base64UrlEncode(plain);
}

// The position a marker of `kind` carries; "" for an empty marker.
Result<std::string> DecodeMarker(std::string_view kind, std::string_view marker) {
  if (marker.empty()) return std::string();
  auto plain = crypto::Base64UrlDecode(marker);
  if (!plain.ok()) return errors::InvalidMarker();
  const size_t newline = plain->find('\n');
  if (newline == std::string::npos || std::string_view(*plain).substr(0, newline) != kind) {
    return errors::InvalidMarker();
  }
  std::string position = plain->substr(newline + 1);
  if (position.empty()) return errors::InvalidMarker();
  return position;
}

Result<int64_t> DecodeNumericMarker(std::string_view kind, std::string_view marker) {
  GEE_ASSIGN_OR_RETURN(std::string position, DecodeMarker(kind, marker));
  if (position.empty()) return int64_t{0};
  int64_t value = 0;
  for (char c : position) {
    if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) return errors::InvalidMarker();
    value = value * 10 + (c - '0');
  }
  return value;
}

Status CheckLimit(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    return errors::Internal("kms store: page limit outside 1..1000");
  }
  return OkStatus();
}

// Reads up to limit + 1 rows with `read`; the extra row only signals that
// the page is truncated. `position` gives the marker position of an item.
template <typename T, typename ReadFn, typename PositionFn>
Result<Page<T>> ReadPage(store::Statement& select, size_t limit, std::string_view kind,
                         ReadFn read, PositionFn position) {
  Page<T> page;
  std::string last_position;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    if (page.items.size() == limit) {
      page.next_marker = EncodeMarker(kind, last_position);
      break;
    }
    last_position = position(select);
    GEE_ASSIGN_OR_RETURN(T item, read(select));
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<KeyRecord> ReadKey(const store::Statement& s) {
  KeyRecord r;
  r.key_id = s.ColumnText(0);
  r.arn = s.ColumnText(1);
  r.account = s.ColumnText(2);
  r.region = s.ColumnText(3);
  auto spec = ParseKeySpec(s.ColumnText(4));
  auto usage = ParseKeyUsage(s.ColumnText(5));
  auto state = ParseKeyState(s.ColumnText(6));
  auto manager = ParseKeyManager(s.ColumnText(11));
  auto origin = ParseKeyOrigin(s.ColumnText(12));
  if (!spec || !usage || !state || !manager || !origin) return CorruptRow("kms_keys enum");
  r.spec = *spec;
  r.usage = *usage;
  r.state = *state;
  r.description = s.ColumnText(7);
  r.creation_date = FromMicros(s.ColumnInt64(8));
  r.deletion_date = OptionalMicros(s, 9);
  r.pending_window_days = OptionalInt(s, 10);
  r.key_manager = *manager;
  r.origin = *origin;
  r.policy = s.ColumnText(13);
  r.rotation_enabled = s.ColumnInt64(14) != 0;
  r.rotation_period_days = OptionalInt(s, 15);
  r.next_rotation_date = OptionalMicros(s, 16);
  r.multi_region = s.ColumnInt64(17) != 0;
  const int64_t version = s.ColumnInt64(18);
  if (version < 1 || version > UINT32_MAX) return CorruptRow("kms_keys.current_version");
  r.current_version = static_cast<uint32_t>(version);
  r.current_material_id = s.ColumnText(19);
  return r;
}

Result<GrantRecord> ReadGrant(const store::Statement& s) {
  GrantRecord g;
  g.grant_id = s.ColumnText(1);
  g.key_id = s.ColumnText(2);
  g.grant_token = s.ColumnText(3);
  g.name = s.ColumnText(4);
  g.grantee_principal = s.ColumnText(5);
  g.retiring_principal = OptionalText(s, 6);
  g.issuing_account = s.ColumnText(7);
  nlohmann::json operations =
      nlohmann::json::parse(s.ColumnText(8), nullptr, /*allow_exceptions=*/false);
  if (!operations.is_array()) return CorruptRow("kms_grants.operations");
  for (const auto& op : operations) {
    if (!op.is_string()) return CorruptRow("kms_grants.operations");
    g.operations.push_back(op.get<std::string>());
  }
  g.constraints_json = OptionalText(s, 9);
  g.creation_date = FromMicros(s.ColumnInt64(10));
  return g;
}

Result<AliasRecord> ReadAlias(const store::Statement& s) {
  AliasRecord a;
  a.account = s.ColumnText(0);
  a.region = s.ColumnText(1);
  a.alias_name = s.ColumnText(2);
  a.target_key_id = s.ColumnText(3);
  a.creation_date = FromMicros(s.ColumnInt64(4));
  a.last_updated_date = FromMicros(s.ColumnInt64(5));
  return a;
}

}  // namespace

std::string_view Name(KeyState state) { return NameIn(kKeyStates, state); }
std::string_view Name(KeyManager manager) { return NameIn(kKeyManagers, manager); }
std::string_view Name(KeyOrigin origin) { return NameIn(kKeyOrigins, origin); }
std::string_view Name(RotationType type) { return NameIn(kRotationTypes, type); }
std::optional<KeyState> ParseKeyState(std::string_view name) {
  return ParseIn(kKeyStates, name);
}
std::optional<KeyManager> ParseKeyManager(std::string_view name) {
  return ParseIn(kKeyManagers, name);
}
std::optional<KeyOrigin> ParseKeyOrigin(std::string_view name) {
  return ParseIn(kKeyOrigins, name);
}
std::optional<RotationType> ParseRotationType(std::string_view name) {
  return ParseIn(kRotationTypes, name);
}

std::vector<store::MigrationStep> KmsMigrations() {
  return {{"kms", 1, kSchemaV1}, {"kms", 2, kSchemaV2}};
}

Result<std::unique_ptr<KeyStore>> KeyStore::Create(store::Database& db,
                                                   const store::RootKeyring& keyring,
                                                   Random& random) {
  GEE_ASSIGN_OR_RETURN(int version, store::SchemaVersion(db, "kms"));
  if (version < 1) {
    return errors::Internal("kms store: database not migrated (run KmsMigrations)");
  }
  return std::unique_ptr<KeyStore>(new KeyStore(db, keyring, random));
}

// ---- keys ----

Status KeyStore::InsertMaterial(std::string_view key_id, uint32_t version,
                                const std::string& material_id,
                                const KeyMaterial& material, double created) {
  GEE_ASSIGN_OR_RETURN(std::string sealed,
                       keyring_.Seal(MaterialLabel(key_id, version), material.serialized()));
  GEE_ASSIGN_OR_RETURN(store::Statement insert,
                       db_.Prepare("INSERT INTO kms_key_materials(key_id, version, "
                                   "material_id, sealed, creation_date_us) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)"));
  GEE_RETURN_IF_ERROR(insert.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(insert.BindInt64(2, version));
  GEE_RETURN_IF_ERROR(insert.BindText(3, material_id));
  GEE_RETURN_IF_ERROR(insert.BindBlob(4, sealed));
  GEE_RETURN_IF_ERROR(insert.BindInt64(5, ToMicros(created)));
  return insert.Run();
}

Result<KeyRecord> KeyStore::CreateKey(const KeyRecord& record, const KeyMaterial& material) {
  Forget();
  if (material.spec() != record.spec) {
    return errors::Internal("kms store: material spec differs from the key's");
  }
  GEE_ASSIGN_OR_RETURN(store::Transaction transaction, store::Transaction::Begin(db_));
  {
    GEE_ASSIGN_OR_RETURN(
        store::Statement insert,
        db_.Prepare("INSERT INTO kms_keys(key_id, arn, account, region, key_spec, "
                    "key_usage, key_state, description, creation_date_us, "
                    "deletion_date_us, pending_window_days, key_manager, origin, policy, "
                    "rotation_enabled, rotation_period_days, next_rotation_date_us, "
                    "multi_region, current_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1)"));
    GEE_RETURN_IF_ERROR(insert.BindText(1, record.key_id));
    GEE_RETURN_IF_ERROR(insert.BindText(2, record.arn));
    GEE_RETURN_IF_ERROR(insert.BindText(3, record.account));
    GEE_RETURN_IF_ERROR(insert.BindText(4, record.region));
    GEE_RETURN_IF_ERROR(insert.BindText(5, Name(record.spec)));
    GEE_RETURN_IF_ERROR(insert.BindText(6, Name(record.usage)));
    GEE_RETURN_IF_ERROR(insert.BindText(7, Name(record.state)));
    GEE_RETURN_IF_ERROR(insert.BindText(8, record.description));
    GEE_RETURN_IF_ERROR(insert.BindInt64(9, ToMicros(record.creation_date)));
    GEE_RETURN_IF_ERROR(BindOptionalMicros(insert, 10, record.deletion_date));
    GEE_RETURN_IF_ERROR(BindOptionalInt(insert, 11, record.pending_window_days));
    GEE_RETURN_IF_ERROR(insert.BindText(12, Name(record.key_manager)));
    GEE_RETURN_IF_ERROR(insert.BindText(13, Name(record.origin)));
    GEE_RETURN_IF_ERROR(insert.BindText(14, record.policy));
    GEE_RETURN_IF_ERROR(insert.BindInt64(15, record.rotation_enabled ? 1 : 0));
    GEE_RETURN_IF_ERROR(BindOptionalInt(insert, 16, record.rotation_period_days));
    GEE_RETURN_IF_ERROR(BindOptionalMicros(insert, 17, record.next_rotation_date));
    GEE_RETURN_IF_ERROR(insert.BindInt64(18, record.multi_region ? 1 : 0));
    GEE_RETURN_IF_ERROR(insert.Run());
  }
  KeyRecord stored = record;
  stored.current_version = 1;
  stored.current_material_id = NewHexId(32, random_);
  GEE_RETURN_IF_ERROR(InsertMaterial(record.key_id, 1, stored.current_material_id, material,
                                     record.creation_date));
  GEE_RETURN_IF_ERROR(transaction.Commit());
  return stored;
}

Result<std::optional<KeyRecord>> KeyStore::FindKey(std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> record, FindKeyShared(key_id));
  if (record == nullptr) return std::optional<KeyRecord>();
  return std::optional<KeyRecord>(*record);
}

Result<std::shared_ptr<const KeyRecord>> KeyStore::FindKeyShared(std::string_view key_id) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    SyncWithDatabaseLocked();
    auto it = keys_.find(key_id);
    if (it != keys_.end() && it->second.record != nullptr) return it->second.record;
    generation = generation_;
  }
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       db_.Prepare(std::string(kSelectKey) + "WHERE k.key_id = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  // Absent keys are not remembered: a request for one is rare and cheap.
  if (!row) return std::shared_ptr<const KeyRecord>();
  GEE_ASSIGN_OR_RETURN(KeyRecord read, ReadKey(select));
  auto record = std::make_shared<const KeyRecord>(std::move(read));
  std::lock_guard<std::mutex> lock(memory_mutex_);
  SyncWithDatabaseLocked();
  if (generation_ == generation) EntryLocked(key_id).record = record;
  return record;
}

Status KeyStore::UpdateKey(const KeyRecord& record) {
  Forget();
  GEE_ASSIGN_OR_RETURN(
      store::Statement update,
      db_.Prepare("UPDATE kms_keys SET key_state = ?2, description = ?3, "
                  "deletion_date_us = ?4, pending_window_days = ?5, policy = ?6, "
                  "rotation_enabled = ?7, rotation_period_days = ?8, "
                  "next_rotation_date_us = ?9 WHERE key_id = ?1"));
  GEE_RETURN_IF_ERROR(update.BindText(1, record.key_id));
  GEE_RETURN_IF_ERROR(update.BindText(2, Name(record.state)));
  GEE_RETURN_IF_ERROR(update.BindText(3, record.description));
  GEE_RETURN_IF_ERROR(BindOptionalMicros(update, 4, record.deletion_date));
  GEE_RETURN_IF_ERROR(BindOptionalInt(update, 5, record.pending_window_days));
  GEE_RETURN_IF_ERROR(update.BindText(6, record.policy));
  GEE_RETURN_IF_ERROR(update.BindInt64(7, record.rotation_enabled ? 1 : 0));
  GEE_RETURN_IF_ERROR(BindOptionalInt(update, 8, record.rotation_period_days));
  GEE_RETURN_IF_ERROR(BindOptionalMicros(update, 9, record.next_rotation_date));
  GEE_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() != 1) return errors::Internal("kms store: UpdateKey of a missing key");
  return OkStatus();
}

Result<bool> KeyStore::DeleteKey(std::string_view key_id) {
  Forget();
  GEE_ASSIGN_OR_RETURN(store::Statement remove,
                       db_.Prepare("DELETE FROM kms_keys WHERE key_id = ?1"));
  GEE_RETURN_IF_ERROR(remove.BindText(1, key_id));
  // ON DELETE CASCADE removes materials, rotations, aliases, grants, tags in
  // the same statement (atomic on its own).
  GEE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

Result<Page<KeyRecord>> KeyStore::ListKeys(std::string_view account, std::string_view region,
                                           const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(std::string after, DecodeMarker("keys", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare(std::string(kSelectKey) +
                  "WHERE k.account = ?1 AND k.region = ?2 AND k.key_id > ?3 "
                  "ORDER BY k.key_id LIMIT ?4"));
  GEE_RETURN_IF_ERROR(select.BindText(1, account));
  GEE_RETURN_IF_ERROR(select.BindText(2, region));
  GEE_RETURN_IF_ERROR(select.BindText(3, after));
  GEE_RETURN_IF_ERROR(select.BindInt64(4, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<KeyRecord>(select, page.limit, "keys", ReadKey,
                             [](const store::Statement& s) { return s.ColumnText(0); });
}

Result<std::vector<std::string>> KeyStore::KeysDueForDeletion(double now) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT key_id FROM kms_keys WHERE deletion_date_us IS NOT NULL "
                  "AND deletion_date_us <= ?1 ORDER BY deletion_date_us"));
  GEE_RETURN_IF_ERROR(select.BindInt64(1, ToMicros(now)));
  std::vector<std::string> ids;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ids.push_back(select.ColumnText(0));
  }
  return ids;
}

Result<std::vector<std::string>> KeyStore::KeysDueForRotation(double now) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT key_id FROM kms_keys WHERE rotation_enabled = 1 "
                  "AND next_rotation_date_us IS NOT NULL AND next_rotation_date_us <= ?1 "
                  "AND key_state = 'Enabled' ORDER BY next_rotation_date_us"));
  GEE_RETURN_IF_ERROR(select.BindInt64(1, ToMicros(now)));
  std::vector<std::string> ids;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ids.push_back(select.ColumnText(0));
  }
  return ids;
}

// ---- material ----

Result<bool> KeyStore::AnythingDue(double now) {
  const int64_t now_us = ToMicros(now);
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    SyncWithDatabaseLocked();
    if (next_due_us_) return now_us >= *next_due_us_;
    generation = generation_;
  }
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT MIN(due) FROM ("
                  "SELECT MIN(deletion_date_us) AS due FROM kms_keys "
                  "WHERE deletion_date_us IS NOT NULL UNION ALL "
                  "SELECT MIN(next_rotation_date_us) FROM kms_keys WHERE rotation_enabled = 1 "
                  "AND next_rotation_date_us IS NOT NULL AND key_state = 'Enabled')"));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  const int64_t next = row && !select.ColumnIsNull(0) ? select.ColumnInt64(0)
                                                      : std::numeric_limits<int64_t>::max();
  {
    // A key written meanwhile may be due earlier: keep nothing then.
    std::lock_guard<std::mutex> lock(memory_mutex_);
    SyncWithDatabaseLocked();
    if (generation_ == generation) next_due_us_ = next;
  }
  return now_us >= next;
}

// ---- memory ----

void KeyStore::Forget() {
  std::lock_guard<std::mutex> lock(memory_mutex_);
  ++generation_;
  keys_.clear();
  next_due_us_.reset();
}

void KeyStore::SyncWithDatabaseLocked() {
  const uint64_t epoch = db_.cache_epoch();
  if (epoch == seen_epoch_) return;
  seen_epoch_ = epoch;
  ++generation_;
  keys_.clear();
  next_due_us_.reset();
}

uint64_t KeyStore::Generation() {
  std::lock_guard<std::mutex> lock(memory_mutex_);
  SyncWithDatabaseLocked();
  return generation_;
}

KeyStore::CachedKey& KeyStore::EntryLocked(std::string_view key_id) {
  auto it = keys_.find(key_id);
  if (it != keys_.end()) return it->second;
  if (keys_.size() >= kMaxCachedKeys) keys_.clear();
  return keys_.emplace(std::string(key_id), CachedKey{}).first->second;
}

template <typename V, typename Load>
Result<V> KeyStore::Remembered(std::string_view key_id, std::optional<V> CachedKey::*slot,
                               Load load) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    SyncWithDatabaseLocked();
    auto it = keys_.find(key_id);
    if (it != keys_.end() && (it->second.*slot).has_value()) return *(it->second.*slot);
    generation = generation_;
  }
  GEE_ASSIGN_OR_RETURN(V value, load());
  std::lock_guard<std::mutex> lock(memory_mutex_);
  SyncWithDatabaseLocked();
  if (generation_ == generation) EntryLocked(key_id).*slot = value;
  return value;
}

Result<std::unique_ptr<KeyMaterial>> KeyStore::LoadMaterial(std::string_view key_id,
                                                            uint32_t version) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT k.key_spec, m.sealed FROM kms_key_materials m "
                  "JOIN kms_keys k ON k.key_id = m.key_id "
                  "WHERE m.key_id = ?1 AND m.version = ?2"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindInt64(2, version));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::unique_ptr<KeyMaterial>();
  auto spec = ParseKeySpec(select.ColumnText(0));
  if (!spec) return CorruptRow("kms_keys.key_spec");
  auto serialized = keyring_.Open(MaterialLabel(key_id, version), select.ColumnBlobView(1));
  if (!serialized.ok()) return CorruptRow("kms_key_materials.sealed does not unseal");
  return KeyMaterial::Load(*spec, std::move(serialized).value());
}

Result<std::shared_ptr<const MaterialEntry>> KeyStore::FindMaterial(std::string_view key_id,
                                                                    uint32_t version) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    SyncWithDatabaseLocked();
    auto it = keys_.find(key_id);
    if (it != keys_.end()) {
      auto found = it->second.materials.find(version);
      if (found != it->second.materials.end()) return found->second;
    }
    generation = generation_;
  }
  GEE_ASSIGN_OR_RETURN(std::unique_ptr<KeyMaterial> material, LoadMaterial(key_id, version));
  if (material == nullptr) return std::shared_ptr<const MaterialEntry>();
  GEE_ASSIGN_OR_RETURN(std::optional<std::string> material_id, MaterialId(key_id, version));
  if (!material_id) return CorruptRow("kms_key_materials.material_id");
  auto entry = std::make_shared<const MaterialEntry>(
      MaterialEntry{std::move(material), std::move(*material_id)});
  std::lock_guard<std::mutex> lock(memory_mutex_);
  SyncWithDatabaseLocked();
  if (generation_ == generation) EntryLocked(key_id).materials.emplace(version, entry);
  return entry;
}

Result<uint32_t> KeyStore::AddMaterialVersion(std::string_view key_id,
                                              const KeyMaterial& material, double now,
                                              RotationType type) {
  Forget();
  GEE_ASSIGN_OR_RETURN(store::Transaction transaction, store::Transaction::Begin(db_));
  uint32_t version = 0;
  {
    GEE_ASSIGN_OR_RETURN(
        store::Statement select,
        db_.Prepare("SELECT key_spec, current_version FROM kms_keys WHERE key_id = ?1"));
    GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return errors::Internal("kms store: AddMaterialVersion of a missing key");
    if (ParseKeySpec(select.ColumnText(0)) != material.spec()) {
      return errors::Internal("kms store: material spec differs from the key's");
    }
    const int64_t current = select.ColumnInt64(1);
    if (current < 1 || current >= UINT32_MAX) return CorruptRow("kms_keys.current_version");
    version = static_cast<uint32_t>(current + 1);
  }
  GEE_RETURN_IF_ERROR(InsertMaterial(key_id, version, NewHexId(32, random_), material, now));
  {
    GEE_ASSIGN_OR_RETURN(
        store::Statement update,
        db_.Prepare("UPDATE kms_keys SET current_version = ?2 WHERE key_id = ?1"));
    GEE_RETURN_IF_ERROR(update.BindText(1, key_id));
    GEE_RETURN_IF_ERROR(update.BindInt64(2, version));
    GEE_RETURN_IF_ERROR(update.Run());
  }
  {
    GEE_ASSIGN_OR_RETURN(
        store::Statement insert,
        db_.Prepare("INSERT INTO kms_rotations(key_id, version, rotation_date_us, "
                    "rotation_type) VALUES (?1, ?2, ?3, ?4)"));
    GEE_RETURN_IF_ERROR(insert.BindText(1, key_id));
    GEE_RETURN_IF_ERROR(insert.BindInt64(2, version));
    GEE_RETURN_IF_ERROR(insert.BindInt64(3, ToMicros(now)));
    GEE_RETURN_IF_ERROR(insert.BindText(4, Name(type)));
    GEE_RETURN_IF_ERROR(insert.Run());
  }
  GEE_RETURN_IF_ERROR(transaction.Commit());
  return version;
}

Result<std::vector<MaterialVersion>> KeyStore::ListMaterialVersions(std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT version, material_id, creation_date_us FROM kms_key_materials "
                  "WHERE key_id = ?1 ORDER BY version"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  std::vector<MaterialVersion> versions;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    versions.push_back({static_cast<uint32_t>(select.ColumnInt64(0)), select.ColumnText(1),
                        FromMicros(select.ColumnInt64(2))});
  }
  return versions;
}

Result<std::optional<std::string>> KeyStore::MaterialId(std::string_view key_id,
                                                       uint32_t version) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT material_id FROM kms_key_materials WHERE key_id = ?1 AND version = ?2"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindInt64(2, version));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(select.ColumnText(0));
}

Result<size_t> KeyStore::CountRotations(std::string_view key_id, RotationType type) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT COUNT(*) FROM kms_rotations WHERE key_id = ?1 AND rotation_type = ?2"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindText(2, Name(type)));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return errors::Internal("kms store: COUNT returned no row");
  return static_cast<size_t>(select.ColumnInt64(0));
}

Result<Page<RotationRecord>> KeyStore::ListRotations(std::string_view key_id,
                                                     const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(int64_t after, DecodeNumericMarker("rotations", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT r.version, m.material_id, r.rotation_date_us, r.rotation_type "
                  "FROM kms_rotations r JOIN kms_key_materials m "
                  "ON m.key_id = r.key_id AND m.version = r.version "
                  "WHERE r.key_id = ?1 AND r.version > ?2 ORDER BY r.version LIMIT ?3"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindInt64(2, after));
  GEE_RETURN_IF_ERROR(select.BindInt64(3, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<RotationRecord>(
      select, page.limit, "rotations",
      [](const store::Statement& s) -> Result<RotationRecord> {
        auto type = ParseRotationType(s.ColumnText(3));
        if (!type) return CorruptRow("kms_rotations.rotation_type");
        return RotationRecord{static_cast<uint32_t>(s.ColumnInt64(0)), s.ColumnText(1),
                              FromMicros(s.ColumnInt64(2)), *type};
      },
      [](const store::Statement& s) { return std::to_string(s.ColumnInt64(0)); });
}

// ---- aliases ----

Status KeyStore::CreateAlias(const AliasRecord& alias) {
  Forget();
  GEE_ASSIGN_OR_RETURN(
      store::Statement insert,
      db_.Prepare("INSERT INTO kms_aliases(account, region, alias_name, target_key_id, "
                  "creation_date_us, last_updated_date_us) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  GEE_RETURN_IF_ERROR(insert.BindText(1, alias.account));
  GEE_RETURN_IF_ERROR(insert.BindText(2, alias.region));
  GEE_RETURN_IF_ERROR(insert.BindText(3, alias.alias_name));
  GEE_RETURN_IF_ERROR(insert.BindText(4, alias.target_key_id));
  GEE_RETURN_IF_ERROR(insert.BindInt64(5, ToMicros(alias.creation_date)));
  GEE_RETURN_IF_ERROR(insert.BindInt64(6, ToMicros(alias.last_updated_date)));
  return insert.Run();
}

Result<std::optional<AliasRecord>> KeyStore::FindAlias(std::string_view account,
                                                       std::string_view region,
                                                       std::string_view alias_name) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare(std::string(kSelectAlias) +
                  "WHERE account = ?1 AND region = ?2 AND alias_name = ?3"));
  GEE_RETURN_IF_ERROR(select.BindText(1, account));
  GEE_RETURN_IF_ERROR(select.BindText(2, region));
  GEE_RETURN_IF_ERROR(select.BindText(3, alias_name));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<AliasRecord>();
  GEE_ASSIGN_OR_RETURN(AliasRecord alias, ReadAlias(select));
  return std::optional<AliasRecord>(std::move(alias));
}

Result<bool> KeyStore::UpdateAlias(std::string_view account, std::string_view region,
                                   std::string_view alias_name,
                                   std::string_view target_key_id, double now) {
  Forget();
  GEE_ASSIGN_OR_RETURN(
      store::Statement update,
      db_.Prepare("UPDATE kms_aliases SET target_key_id = ?4, last_updated_date_us = ?5 "
                  "WHERE account = ?1 AND region = ?2 AND alias_name = ?3"));
  GEE_RETURN_IF_ERROR(update.BindText(1, account));
  GEE_RETURN_IF_ERROR(update.BindText(2, region));
  GEE_RETURN_IF_ERROR(update.BindText(3, alias_name));
  GEE_RETURN_IF_ERROR(update.BindText(4, target_key_id));
  GEE_RETURN_IF_ERROR(update.BindInt64(5, ToMicros(now)));
  GEE_RETURN_IF_ERROR(update.Run());
  return db_.Changes() > 0;
}

Result<bool> KeyStore::DeleteAlias(std::string_view account, std::string_view region,
                                   std::string_view alias_name) {
  Forget();
  GEE_ASSIGN_OR_RETURN(
      store::Statement remove,
      db_.Prepare("DELETE FROM kms_aliases "
                  "WHERE account = ?1 AND region = ?2 AND alias_name = ?3"));
  GEE_RETURN_IF_ERROR(remove.BindText(1, account));
  GEE_RETURN_IF_ERROR(remove.BindText(2, region));
  GEE_RETURN_IF_ERROR(remove.BindText(3, alias_name));
  GEE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

Result<Page<AliasRecord>> KeyStore::ListAliases(std::string_view account,
                                                std::string_view region,
                                                std::optional<std::string_view> key_id,
                                                const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(std::string after, DecodeMarker("aliases", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare(std::string(kSelectAlias) +
                  "WHERE account = ?1 AND region = ?2 AND alias_name > ?3 "
                  "AND (?4 IS NULL OR target_key_id = ?4) ORDER BY alias_name LIMIT ?5"));
  GEE_RETURN_IF_ERROR(select.BindText(1, account));
  GEE_RETURN_IF_ERROR(select.BindText(2, region));
  GEE_RETURN_IF_ERROR(select.BindText(3, after));
  GEE_RETURN_IF_ERROR(key_id ? select.BindText(4, *key_id) : select.BindNull(4));
  GEE_RETURN_IF_ERROR(select.BindInt64(5, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<AliasRecord>(select, page.limit, "aliases", ReadAlias,
                               [](const store::Statement& s) { return s.ColumnText(2); });
}

Result<size_t> KeyStore::CountAliases(std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT COUNT(*) FROM kms_aliases WHERE target_key_id = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return errors::Internal("kms store: COUNT returned no row");
  return static_cast<size_t>(select.ColumnInt64(0));
}

Result<std::vector<std::string>> KeyStore::AliasNamesOf(std::string_view key_id) {
  return Remembered(key_id, &CachedKey::alias_names, [&]() -> Result<std::vector<std::string>> {
    GEE_ASSIGN_OR_RETURN(
        store::Statement select,
        db_.Prepare("SELECT alias_name FROM kms_aliases WHERE target_key_id = ?1 "
                    "ORDER BY alias_name"));
    GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
    std::vector<std::string> names;
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      names.push_back(select.ColumnText(0));
    }
    return names;
  });
}

// ---- grants ----

Status KeyStore::CreateGrant(const GrantRecord& grant) {
  Forget();
  const std::string operations = nlohmann::json(grant.operations).dump();
  GEE_ASSIGN_OR_RETURN(
      store::Statement insert,
      db_.Prepare("INSERT INTO kms_grants(grant_id, key_id, grant_token, name, "
                  "grantee_principal, retiring_principal, issuing_account, operations, "
                  "constraints, creation_date_us) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  GEE_RETURN_IF_ERROR(insert.BindText(1, grant.grant_id));
  GEE_RETURN_IF_ERROR(insert.BindText(2, grant.key_id));
  GEE_RETURN_IF_ERROR(insert.BindText(3, grant.grant_token));
  GEE_RETURN_IF_ERROR(insert.BindText(4, grant.name));
  GEE_RETURN_IF_ERROR(insert.BindText(5, grant.grantee_principal));
  GEE_RETURN_IF_ERROR(BindOptionalText(insert, 6, grant.retiring_principal));
  GEE_RETURN_IF_ERROR(insert.BindText(7, grant.issuing_account));
  GEE_RETURN_IF_ERROR(insert.BindText(8, operations));
  GEE_RETURN_IF_ERROR(BindOptionalText(insert, 9, grant.constraints_json));
  GEE_RETURN_IF_ERROR(insert.BindInt64(10, ToMicros(grant.creation_date)));
  return insert.Run();
}

Result<std::optional<GrantRecord>> KeyStore::FindGrant(std::string_view grant_id) {
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       db_.Prepare(std::string(kSelectGrant) + "WHERE grant_id = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, grant_id));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<GrantRecord>();
  GEE_ASSIGN_OR_RETURN(GrantRecord grant, ReadGrant(select));
  return std::optional<GrantRecord>(std::move(grant));
}

Result<std::optional<GrantRecord>> KeyStore::FindGrantByToken(std::string_view grant_token) {
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       db_.Prepare(std::string(kSelectGrant) + "WHERE grant_token = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, grant_token));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<GrantRecord>();
  GEE_ASSIGN_OR_RETURN(GrantRecord grant, ReadGrant(select));
  return std::optional<GrantRecord>(std::move(grant));
}

Result<std::optional<GrantRecord>> KeyStore::FindGrantByName(std::string_view key_id,
                                                             std::string_view name) {
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       db_.Prepare(std::string(kSelectGrant) +
                                   "WHERE key_id = ?1 AND name = ?2 ORDER BY seq LIMIT 1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindText(2, name));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<GrantRecord>();
  GEE_ASSIGN_OR_RETURN(GrantRecord grant, ReadGrant(select));
  return std::optional<GrantRecord>(std::move(grant));
}

Result<bool> KeyStore::DeleteGrant(std::string_view grant_id) {
  Forget();
  GEE_ASSIGN_OR_RETURN(store::Statement remove,
                       db_.Prepare("DELETE FROM kms_grants WHERE grant_id = ?1"));
  GEE_RETURN_IF_ERROR(remove.BindText(1, grant_id));
  GEE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

Result<Page<GrantRecord>> KeyStore::ListGrants(std::string_view key_id,
                                               const PageRequest& page,
                                               std::optional<std::string_view> grant_id,
                                               std::optional<std::string_view> grantee) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(int64_t after, DecodeNumericMarker("grants", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare(std::string(kSelectGrant) +
                  "WHERE key_id = ?1 AND seq > ?2 AND (?3 IS NULL OR grant_id = ?3) "
                  "AND (?4 IS NULL OR grantee_principal = ?4) ORDER BY seq LIMIT ?5"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindInt64(2, after));
  GEE_RETURN_IF_ERROR(grant_id ? select.BindText(3, *grant_id) : select.BindNull(3));
  GEE_RETURN_IF_ERROR(grantee ? select.BindText(4, *grantee) : select.BindNull(4));
  GEE_RETURN_IF_ERROR(select.BindInt64(5, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<GrantRecord>(
      select, page.limit, "grants", ReadGrant,
      [](const store::Statement& s) { return std::to_string(s.ColumnInt64(0)); });
}

Result<Page<GrantRecord>> KeyStore::ListRetirableGrants(std::string_view retiring_principal,
                                                        const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(int64_t after, DecodeNumericMarker("retirable", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare(std::string(kSelectGrant) +
                  "WHERE retiring_principal = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  GEE_RETURN_IF_ERROR(select.BindText(1, retiring_principal));
  GEE_RETURN_IF_ERROR(select.BindInt64(2, after));
  GEE_RETURN_IF_ERROR(select.BindInt64(3, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<GrantRecord>(
      select, page.limit, "retirable", ReadGrant,
      [](const store::Statement& s) { return std::to_string(s.ColumnInt64(0)); });
}

Result<Page<GrantRecord>> KeyStore::ListRetirableGrants(std::string_view retiring_principal,
                                                        std::string_view account,
                                                        std::string_view region,
                                                        const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(int64_t after, DecodeNumericMarker("retirable", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT g.seq, g.grant_id, g.key_id, g.grant_token, g.name, "
                  "g.grantee_principal, g.retiring_principal, g.issuing_account, "
                  "g.operations, g.constraints, g.creation_date_us "
                  "FROM kms_grants g JOIN kms_keys k ON k.key_id = g.key_id "
                  "WHERE g.retiring_principal = ?1 AND k.account = ?2 AND k.region = ?3 "
                  "AND g.seq > ?4 ORDER BY g.seq LIMIT ?5"));
  GEE_RETURN_IF_ERROR(select.BindText(1, retiring_principal));
  GEE_RETURN_IF_ERROR(select.BindText(2, account));
  GEE_RETURN_IF_ERROR(select.BindText(3, region));
  GEE_RETURN_IF_ERROR(select.BindInt64(4, after));
  GEE_RETURN_IF_ERROR(select.BindInt64(5, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<GrantRecord>(
      select, page.limit, "retirable", ReadGrant,
      [](const store::Statement& s) { return std::to_string(s.ColumnInt64(0)); });
}

Result<std::vector<GrantRecord>> KeyStore::AllGrants(std::string_view key_id) {
  return Remembered(key_id, &CachedKey::grants, [&]() -> Result<std::vector<GrantRecord>> {
    GEE_ASSIGN_OR_RETURN(store::Statement select,
                         db_.Prepare(std::string(kSelectGrant) +
                                     "WHERE key_id = ?1 ORDER BY seq"));
    GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
    std::vector<GrantRecord> grants;
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      GEE_ASSIGN_OR_RETURN(GrantRecord grant, ReadGrant(select));
      grants.push_back(std::move(grant));
    }
    return grants;
  });
}

Result<size_t> KeyStore::CountGrants(std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       db_.Prepare("SELECT COUNT(*) FROM kms_grants WHERE key_id = ?1"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return errors::Internal("kms store: COUNT returned no row");
  return static_cast<size_t>(select.ColumnInt64(0));
}

// ---- tags ----

Status KeyStore::PutTags(std::string_view key_id, const std::vector<Tag>& tags) {
  Forget();
  GEE_ASSIGN_OR_RETURN(store::Transaction transaction, store::Transaction::Begin(db_));
  for (const Tag& tag : tags) {
    GEE_ASSIGN_OR_RETURN(
        store::Statement upsert,
        db_.Prepare("INSERT INTO kms_tags(key_id, tag_key, tag_value) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT(key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value"));
    GEE_RETURN_IF_ERROR(upsert.BindText(1, key_id));
    GEE_RETURN_IF_ERROR(upsert.BindText(2, tag.key));
    GEE_RETURN_IF_ERROR(upsert.BindText(3, tag.value));
    GEE_RETURN_IF_ERROR(upsert.Run());
  }
  return transaction.Commit();
}

Status KeyStore::RemoveTags(std::string_view key_id,
                            const std::vector<std::string>& tag_keys) {
  Forget();
  GEE_ASSIGN_OR_RETURN(store::Transaction transaction, store::Transaction::Begin(db_));
  for (const std::string& tag_key : tag_keys) {
    GEE_ASSIGN_OR_RETURN(
        store::Statement remove,
        db_.Prepare("DELETE FROM kms_tags WHERE key_id = ?1 AND tag_key = ?2"));
    GEE_RETURN_IF_ERROR(remove.BindText(1, key_id));
    GEE_RETURN_IF_ERROR(remove.BindText(2, tag_key));
    GEE_RETURN_IF_ERROR(remove.Run());
  }
  return transaction.Commit();
}

Result<Page<Tag>> KeyStore::ListTags(std::string_view key_id, const PageRequest& page) {
  GEE_RETURN_IF_ERROR(CheckLimit(page));
  GEE_ASSIGN_OR_RETURN(std::string after, DecodeMarker("tags", page.marker));
  GEE_ASSIGN_OR_RETURN(
      store::Statement select,
      db_.Prepare("SELECT tag_key, tag_value FROM kms_tags "
                  "WHERE key_id = ?1 AND tag_key > ?2 ORDER BY tag_key LIMIT ?3"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  GEE_RETURN_IF_ERROR(select.BindText(2, after));
  GEE_RETURN_IF_ERROR(select.BindInt64(3, static_cast<int64_t>(page.limit) + 1));
  return ReadPage<Tag>(
      select, page.limit, "tags",
      [](const store::Statement& s) -> Result<Tag> {
        return Tag{s.ColumnText(0), s.ColumnText(1)};
      },
      [](const store::Statement& s) { return s.ColumnText(0); });
}

Result<std::vector<Tag>> KeyStore::AllTags(std::string_view key_id) {
  return Remembered(key_id, &CachedKey::tags, [&]() -> Result<std::vector<Tag>> {
    GEE_ASSIGN_OR_RETURN(
        store::Statement select,
        db_.Prepare("SELECT tag_key, tag_value FROM kms_tags WHERE key_id = ?1 ORDER BY tag_key"));
    GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
    std::vector<Tag> tags;
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      tags.push_back(Tag{select.ColumnText(0), select.ColumnText(1)});
    }
    return tags;
  });
}

}  // namespace gee::kms

#include "services/kms/key_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "store/data_dir.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/root_key.h"
#include "tests/testing/matchers.h"
#include "tests/testing/kms_test_keys.h"
#include "tests/testing/temp_dir.h"

namespace gee::kms {
namespace {

using crypto::SecretBytes;
using ::gee::testing::CachedMaterial;
using ::gee::testing::HasAwsError;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kAccount[] = "000000000000";
constexpr char kRegion[] = "us-east-1";

std::string KeyIdFor(int n) {
  char id[37];
  std::snprintf(id, sizeof id, "%08d-0000-4000-8000-000000000000", n);
  return id;
}

KeyRecord NewRecord(const std::string& key_id, KeySpec spec = KeySpec::kSymmetricDefault,
                    KeyUsage usage = KeyUsage::kEncryptDecrypt,
                    const std::string& account = kAccount,
                    const std::string& region = kRegion) {
  KeyRecord r;
  r.key_id = key_id;
  r.arn = "arn:aws:kms:" + region + ":" + account + ":key/" + key_id;
  r.account = account;
  r.region = region;
  r.spec = spec;
  r.usage = usage;
  r.description = "test key";
  r.creation_date = 1748371316.734;
  r.policy = R"({"Version":"2012-10-17","Statement":[]})";
  return r;
}

class KeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::OpenInMemory();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_, KmsMigrations()).ok());
    auto keyring = store::RootKeyring::Create(SecretBytes::FromRandom(32, random_), random_);
    ASSERT_TRUE(keyring.ok());
    keyring_ = std::move(*keyring);
    auto key_store = KeyStore::Create(*db_, *keyring_, random_);
    ASSERT_TRUE(key_store.ok()) << key_store.error().message;
    store_ = std::move(*key_store);
  }

  KeyRecord CreateKey(const std::string& key_id, KeySpec spec = KeySpec::kSymmetricDefault,
                      KeyUsage usage = KeyUsage::kEncryptDecrypt, int instance = 0,
                      const std::string& account = kAccount,
                      const std::string& region = kRegion) {
    auto material = CachedMaterial(spec, instance);
    EXPECT_TRUE(material);
    if (!material) return {};
    auto created = store_->CreateKey(NewRecord(key_id, spec, usage, account, region), *material);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? *created : KeyRecord{};
  }

  int64_t CountRows(const std::string& table, const std::string& key_column,
                    const std::string& key_id) {
    auto select = db_->Prepare("SELECT COUNT(*) FROM " + table + " WHERE " + key_column +
                               " = ?1");
    EXPECT_TRUE(select.ok());
    EXPECT_TRUE(select->BindText(1, key_id).ok());
    EXPECT_TRUE(select->Step().ok());
    return select->ColumnInt64(0);
  }

  GrantRecord NewGrant(const std::string& grant_id, const std::string& key_id,
                       const std::string& grantee) {
    GrantRecord g;
    g.grant_id = grant_id;
    g.key_id = key_id;
    g.grant_token = "token-" + grant_id;
    g.grantee_principal = grantee;
    g.issuing_account = "arn:aws:iam::000000000000:root";
    g.operations = {"Decrypt", "GenerateDataKey"};
    g.creation_date = 1700000000.5;
    return g;
  }

  DeterministicRandom random_{99};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::RootKeyring> keyring_;
  std::unique_ptr<KeyStore> store_;
};

TEST(KeyStoreCreateTest, CreateFailsWhenDatabaseIsNotMigrated) {
  DeterministicRandom random(1);
  auto db = store::Database::OpenInMemory();
  ASSERT_TRUE(db.ok());
  auto keyring = store::RootKeyring::Create(SecretBytes::FromRandom(32, random), random);
  ASSERT_TRUE(keyring.ok());
  EXPECT_THAT(KeyStore::Create(**db, **keyring, random), HasAwsError("KMSInternalException"));
}

TEST_F(KeyStoreTest, MigrationsRecordVersionTwoAndRunOnce) {
  auto version = store::SchemaVersion(*db_, "kms");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(store::Migrate(*db_, KmsMigrations()).ok());
}

TEST_F(KeyStoreTest, CreateKeyThenFindKeyRoundTripsEveryField) {
  KeyRecord record = NewRecord(KeyIdFor(1), KeySpec::kEccNistP384, KeyUsage::kKeyAgreement);
  record.state = KeyState::kPendingDeletion;
  record.deletion_date = 1750000000.125;
  record.pending_window_days = 7;
  record.key_manager = KeyManager::kAws;
  record.origin = KeyOrigin::kExternal;
  record.rotation_enabled = true;
  record.rotation_period_days = 90;
  record.next_rotation_date = 1760000000.001;
  record.multi_region = true;
  auto material = CachedMaterial(KeySpec::kEccNistP384);
  ASSERT_TRUE(material);
  auto created = store_->CreateKey(record, *material);
  ASSERT_TRUE(created.ok()) << created.error().message;

  auto found = store_->FindKey(record.key_id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const KeyRecord& r = **found;
  EXPECT_EQ(r.key_id, record.key_id);
  EXPECT_EQ(r.arn, record.arn);
  EXPECT_EQ(r.account, record.account);
  EXPECT_EQ(r.region, record.region);
  EXPECT_EQ(r.spec, KeySpec::kEccNistP384);
  EXPECT_EQ(r.usage, KeyUsage::kKeyAgreement);
  EXPECT_EQ(r.state, KeyState::kPendingDeletion);
  EXPECT_EQ(r.description, "test key");
  EXPECT_DOUBLE_EQ(r.creation_date, 1748371316.734);
  EXPECT_EQ(r.deletion_date, std::optional<double>(1750000000.125));
  EXPECT_EQ(r.pending_window_days, std::optional<int>(7));
  EXPECT_EQ(r.key_manager, KeyManager::kAws);
  EXPECT_EQ(r.origin, KeyOrigin::kExternal);
  EXPECT_EQ(r.policy, record.policy);
  EXPECT_TRUE(r.rotation_enabled);
  EXPECT_EQ(r.rotation_period_days, std::optional<int>(90));
  EXPECT_EQ(r.next_rotation_date, std::optional<double>(1760000000.001));
  EXPECT_TRUE(r.multi_region);
  EXPECT_EQ(r.current_version, 1u);
  EXPECT_EQ(r.current_material_id, created->current_material_id);
}

TEST_F(KeyStoreTest, AnythingDueFollowsDeletionAndRotationDatesAcrossKeyWrites) {
  ASSERT_THAT(store_->AnythingDue(1e12), IsOk());
  EXPECT_FALSE(*store_->AnythingDue(1e12));  // no keys

  KeyRecord key = CreateKey("k1");
  EXPECT_FALSE(*store_->AnythingDue(1e12));  // a key with no dates
  key.state = KeyState::kPendingDeletion;
  key.deletion_date = 2000.0;
  ASSERT_THAT(store_->UpdateKey(key), IsOk());
  EXPECT_FALSE(*store_->AnythingDue(1999.0));
  EXPECT_TRUE(*store_->AnythingDue(2000.0));  // remembered date, no new write

  key.state = KeyState::kEnabled;
  key.deletion_date.reset();
  key.rotation_enabled = true;
  key.next_rotation_date = 3000.0;
  ASSERT_THAT(store_->UpdateKey(key), IsOk());
  EXPECT_FALSE(*store_->AnythingDue(2500.0));  // the deletion date was forgotten
  EXPECT_TRUE(*store_->AnythingDue(3000.0));

  KeyRecord other = NewRecord("k2", KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt,
                              kAccount, kRegion);
  other.rotation_enabled = true;
  other.next_rotation_date = 2100.0;
  ASSERT_THAT(store_->CreateKey(other, *CachedMaterial(KeySpec::kSymmetricDefault, 0)), IsOk());
  EXPECT_TRUE(*store_->AnythingDue(2100.0));  // the new key's earlier date counts
  ASSERT_THAT(store_->DeleteKey("k2"), IsOk());
  EXPECT_FALSE(*store_->AnythingDue(2100.0));
}

// ---- memory (reads answered from memory until a write, rollback or reset) ----

TEST_F(KeyStoreTest, FindKeyAnswersFromMemoryUntilTheNextWrite) {
  KeyRecord record = CreateKey(KeyIdFor(1));
  auto first = store_->FindKeyShared(KeyIdFor(1));
  ASSERT_THAT(first, IsOk());
  auto again = store_->FindKeyShared(KeyIdFor(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(first->get(), again->get());  // the same remembered record

  record.state = KeyState::kDisabled;
  ASSERT_THAT(store_->UpdateKey(record), IsOk());
  auto after = store_->FindKeyShared(KeyIdFor(1));
  ASSERT_THAT(after, IsOk());
  ASSERT_NE(*after, nullptr);
  EXPECT_EQ((*after)->state, KeyState::kDisabled);
}

TEST_F(KeyStoreTest, EveryWriteMovesTheGeneration) {
  KeyRecord record = CreateKey(KeyIdFor(1));
  auto moved = [&](auto write) {
    const uint64_t before = store_->Generation();
    write();
    return store_->Generation() != before;
  };
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->UpdateKey(record), IsOk()); }));
  EXPECT_TRUE(moved([&] {
    ASSERT_THAT(store_->AddMaterialVersion(KeyIdFor(1), *CachedMaterial(KeySpec::kSymmetricDefault, 1),
                                           1760000000.0, RotationType::kOnDemand),
                IsOk());
  }));
  EXPECT_TRUE(moved([&] {
    ASSERT_THAT(store_->CreateAlias({kAccount, kRegion, "alias/a", KeyIdFor(1), 1.0, 1.0}), IsOk());
  }));
  EXPECT_TRUE(moved([&] {
    ASSERT_THAT(store_->UpdateAlias(kAccount, kRegion, "alias/a", KeyIdFor(1), 2.0), IsOk());
  }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->DeleteAlias(kAccount, kRegion, "alias/a"), IsOk()); }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->CreateGrant(NewGrant("g1", KeyIdFor(1), "u")), IsOk()); }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->DeleteGrant("g1"), IsOk()); }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->PutTags(KeyIdFor(1), {{"t", "v"}}), IsOk()); }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->RemoveTags(KeyIdFor(1), {"t"}), IsOk()); }));
  EXPECT_TRUE(moved([&] { ASSERT_THAT(store_->DeleteKey(KeyIdFor(1)), IsOk()); }));
  EXPECT_FALSE(moved([&] { ASSERT_THAT(store_->FindKey(KeyIdFor(2)), IsOk()); }));
}

TEST_F(KeyStoreTest, ReadsFollowAliasTagAndGrantWrites) {
  CreateKey(KeyIdFor(1));
  ASSERT_THAT(store_->AliasNamesOf(KeyIdFor(1)), IsOk());
  ASSERT_THAT(store_->AllTags(KeyIdFor(1)), IsOk());
  ASSERT_THAT(store_->AllGrants(KeyIdFor(1)), IsOk());
  ASSERT_THAT(store_->CreateAlias({kAccount, kRegion, "alias/a", KeyIdFor(1), 1.0, 1.0}), IsOk());
  ASSERT_THAT(store_->PutTags(KeyIdFor(1), {{"team", "blue"}}), IsOk());
  ASSERT_THAT(store_->CreateGrant(NewGrant("g1", KeyIdFor(1), "u")), IsOk());
  EXPECT_THAT(*store_->AliasNamesOf(KeyIdFor(1)), ElementsAre("alias/a"));
  EXPECT_THAT(*store_->AllTags(KeyIdFor(1)), ElementsAre(Tag{"team", "blue"}));
  ASSERT_EQ(store_->AllGrants(KeyIdFor(1))->size(), 1u);
  EXPECT_EQ(store_->AllGrants(KeyIdFor(1))->front().grant_id, "g1");
}

TEST_F(KeyStoreTest, FindKeyForgetsWhatARolledBackTransactionWrote) {
  KeyRecord record = CreateKey(KeyIdFor(1));
  {
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_THAT(tx, IsOk());
    record.state = KeyState::kDisabled;
    ASSERT_THAT(store_->UpdateKey(record), IsOk());
    // Read (and remembered) inside the transaction...
    EXPECT_EQ((*store_->FindKey(KeyIdFor(1)))->state, KeyState::kDisabled);
    ASSERT_THAT(tx->Rollback(), IsOk());
  }
  // ...but the write was undone.
  EXPECT_EQ((*store_->FindKey(KeyIdFor(1)))->state, KeyState::kEnabled);
}

TEST_F(KeyStoreTest, FindKeyForgetsKeysDroppedByARawStatement) {
  CreateKey(KeyIdFor(1));
  ASSERT_TRUE(store_->FindKey(KeyIdFor(1))->has_value());
  ASSERT_TRUE(store_->FindMaterial(KeyIdFor(1), 1).ok());
  // What /_gee/reset does: SQL run outside the store (here, emptying the tables).
  ASSERT_THAT(db_->Execute("DELETE FROM kms_key_materials; DELETE FROM kms_keys"), IsOk());
  EXPECT_FALSE(store_->FindKey(KeyIdFor(1))->has_value());
  auto material = store_->FindMaterial(KeyIdFor(1), 1);
  ASSERT_THAT(material, IsOk());
  EXPECT_EQ(*material, nullptr);
}

TEST_F(KeyStoreTest, FindMaterialReturnsEachVersionWithItsMaterialId) {
  const KeyRecord created = CreateKey(KeyIdFor(1));
  auto rotated = CachedMaterial(KeySpec::kSymmetricDefault, 1);
  ASSERT_THAT(store_->AddMaterialVersion(KeyIdFor(1), *rotated, 1760000000.0,
                                         RotationType::kOnDemand),
              IsOk());
  auto v1 = store_->FindMaterial(KeyIdFor(1), 1);
  auto v2 = store_->FindMaterial(KeyIdFor(1), 2);
  ASSERT_TRUE(v1.ok() && v2.ok() && *v1 && *v2);
  EXPECT_EQ((*v1)->material_id, created.current_material_id);
  EXPECT_EQ((*v2)->material_id, *(*store_->MaterialId(KeyIdFor(1), 2)));
  EXPECT_TRUE((*v1)->material->serialized() ==
              CachedMaterial(KeySpec::kSymmetricDefault, 0)->serialized());
  EXPECT_TRUE((*v2)->material->serialized() == rotated->serialized());
  auto missing = store_->FindMaterial(KeyIdFor(1), 3);
  ASSERT_THAT(missing, IsOk());
  EXPECT_EQ(*missing, nullptr);
}

TEST_F(KeyStoreTest, CreateKeyAssignsVersionOneAndAHexMaterialId) {
  const KeyRecord created = CreateKey(KeyIdFor(1));
  EXPECT_EQ(created.current_version, 1u);
  ASSERT_EQ(created.current_material_id.size(), 64u);
  EXPECT_EQ(created.current_material_id.find_first_not_of("0123456789abcdef"),
            std::string::npos);
}

TEST_F(KeyStoreTest, CreateKeyRefusesMaterialOfAnotherSpec) {
  auto material = CachedMaterial(KeySpec::kHmac256);
  ASSERT_TRUE(material);
  EXPECT_THAT(store_->CreateKey(NewRecord(KeyIdFor(1)), *material),
              HasAwsError("KMSInternalException"));
  auto found = store_->FindKey(KeyIdFor(1));
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(KeyStoreTest, FindKeyReturnsNothingForUnknownId) {
  auto found = store_->FindKey(KeyIdFor(404));
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(KeyStoreTest, LoadMaterialReturnsTheStoredMaterialForEverySpec) {
  int n = 0;
  for (KeySpec spec : ::gee::testing::SupportedKeySpecs()) {
    SCOPED_TRACE(Name(spec));
    const std::string key_id = KeyIdFor(++n);
    const KeyUsage usage = AllowedKeyUsages(spec).front();
    CreateKey(key_id, spec, usage);
    auto loaded = store_->LoadMaterial(key_id, 1);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_NE(*loaded, nullptr);
    EXPECT_EQ((*loaded)->spec(), spec);
    EXPECT_TRUE((*loaded)->serialized() == CachedMaterial(spec)->serialized());
  }
}

TEST_F(KeyStoreTest, LoadMaterialReturnsNullForMissingVersionOrKey) {
  CreateKey(KeyIdFor(1));
  auto missing_version = store_->LoadMaterial(KeyIdFor(1), 2);
  ASSERT_TRUE(missing_version.ok());
  EXPECT_EQ(*missing_version, nullptr);
  auto missing_key = store_->LoadMaterial(KeyIdFor(2), 1);
  ASSERT_TRUE(missing_key.ok());
  EXPECT_EQ(*missing_key, nullptr);
}

TEST_F(KeyStoreTest, StoredMaterialColumnIsSealedNotPlaintext) {
  CreateKey(KeyIdFor(1), KeySpec::kHmac512, KeyUsage::kGenerateVerifyMac);
  auto select = db_->Prepare("SELECT sealed FROM kms_key_materials WHERE key_id = ?1");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(select->BindText(1, KeyIdFor(1)).ok());
  ASSERT_TRUE(*select->Step());
  const std::string sealed = select->ColumnBlob(0);
  auto material = CachedMaterial(KeySpec::kHmac512);
  ASSERT_TRUE(material);
  const std::string_view raw = material->serialized().AsStringView();
  EXPECT_EQ(sealed.size(), raw.size() + store::kSealedSecretOverhead);
  EXPECT_EQ(sealed.find(raw), std::string::npos);
}

TEST_F(KeyStoreTest, SealedMaterialMovedToAnotherKeyDoesNotOpen) {
  CreateKey(KeyIdFor(1), KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 0);
  CreateKey(KeyIdFor(2), KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 1);
  auto copy = db_->Prepare(
      "UPDATE kms_key_materials SET sealed = (SELECT sealed FROM kms_key_materials "
      "WHERE key_id = ?1) WHERE key_id = ?2");
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copy->BindText(1, KeyIdFor(1)).ok());
  ASSERT_TRUE(copy->BindText(2, KeyIdFor(2)).ok());
  ASSERT_TRUE(copy->Run().ok());
  EXPECT_THAT(store_->LoadMaterial(KeyIdFor(2), 1), HasAwsError("KMSInternalException"));
  EXPECT_TRUE(store_->LoadMaterial(KeyIdFor(1), 1).ok());
}

TEST_F(KeyStoreTest, AddMaterialVersionMakesItCurrentAndKeepsOldVersions) {
  const KeyRecord created = CreateKey(KeyIdFor(1), KeySpec::kSymmetricDefault,
                                      KeyUsage::kEncryptDecrypt, 0);
  auto rotated = CachedMaterial(KeySpec::kSymmetricDefault, 1);
  ASSERT_TRUE(rotated);
  auto version =
      store_->AddMaterialVersion(KeyIdFor(1), *rotated, 1760000000.0, RotationType::kOnDemand);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 2u);

  auto found = store_->FindKey(KeyIdFor(1));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->current_version, 2u);
  EXPECT_NE((*found)->current_material_id, created.current_material_id);

  auto v1 = store_->LoadMaterial(KeyIdFor(1), 1);
  auto v2 = store_->LoadMaterial(KeyIdFor(1), 2);
  ASSERT_TRUE(v1.ok() && v2.ok() && *v1 && *v2);
  EXPECT_TRUE((*v1)->serialized() == CachedMaterial(KeySpec::kSymmetricDefault, 0)->serialized());
  EXPECT_TRUE((*v2)->serialized() == rotated->serialized());

  auto versions = store_->ListMaterialVersions(KeyIdFor(1));
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].material_id, (*found)->current_material_id);

  auto rotations = store_->ListRotations(KeyIdFor(1), {});
  ASSERT_TRUE(rotations.ok());
  ASSERT_EQ(rotations->items.size(), 1u);
  EXPECT_EQ(rotations->items[0].version, 2u);
  EXPECT_EQ(rotations->items[0].type, RotationType::kOnDemand);
  EXPECT_DOUBLE_EQ(rotations->items[0].rotation_date, 1760000000.0);
  EXPECT_EQ(rotations->items[0].material_id, (*found)->current_material_id);
}

TEST_F(KeyStoreTest, AddMaterialVersionFailsForMissingKeyOrOtherSpec) {
  CreateKey(KeyIdFor(1));
  auto hmac = CachedMaterial(KeySpec::kHmac256);
  ASSERT_TRUE(hmac);
  EXPECT_THAT(store_->AddMaterialVersion(KeyIdFor(1), *hmac, 1, RotationType::kAutomatic),
              HasAwsError("KMSInternalException"));
  auto symmetric = CachedMaterial(KeySpec::kSymmetricDefault);
  EXPECT_THAT(store_->AddMaterialVersion(KeyIdFor(2), *symmetric, 1, RotationType::kAutomatic),
              HasAwsError("KMSInternalException"));
  auto versions = store_->ListMaterialVersions(KeyIdFor(1));
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 1u);
}

TEST_F(KeyStoreTest, UpdateKeyWritesTheMutableFields) {
  KeyRecord record = CreateKey(KeyIdFor(1));
  record.state = KeyState::kDisabled;
  record.description = "changed";
  record.policy = "{}";
  record.rotation_enabled = true;
  record.rotation_period_days = 365;
  record.next_rotation_date = 1790000000.0;
  ASSERT_TRUE(store_->UpdateKey(record).ok());
  auto found = store_->FindKey(KeyIdFor(1));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->state, KeyState::kDisabled);
  EXPECT_EQ((*found)->description, "changed");
  EXPECT_EQ((*found)->policy, "{}");
  EXPECT_TRUE((*found)->rotation_enabled);
  EXPECT_EQ((*found)->rotation_period_days, std::optional<int>(365));
  EXPECT_EQ((*found)->next_rotation_date, std::optional<double>(1790000000.0));
}

TEST_F(KeyStoreTest, UpdateKeyFailsForMissingKey) {
  EXPECT_THAT(store_->UpdateKey(NewRecord(KeyIdFor(9))), HasAwsError("KMSInternalException"));
}

TEST_F(KeyStoreTest, DeleteKeyRemovesEverythingItOwns) {
  CreateKey(KeyIdFor(1));
  auto rotated = CachedMaterial(KeySpec::kSymmetricDefault, 1);
  ASSERT_TRUE(store_->AddMaterialVersion(KeyIdFor(1), *rotated, 2, RotationType::kAutomatic).ok());
  ASSERT_TRUE(store_->CreateAlias({kAccount, kRegion, "alias/one", KeyIdFor(1), 1, 1}).ok());
  ASSERT_TRUE(store_->CreateGrant(NewGrant("g1", KeyIdFor(1), "arn:aws:iam::0:role/r")).ok());
  ASSERT_TRUE(store_->PutTags(KeyIdFor(1), {{"team", "data"}}).ok());
  CreateKey(KeyIdFor(2));  // a bystander that must survive

  auto deleted = store_->DeleteKey(KeyIdFor(1));
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(CountRows("kms_keys", "key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_key_materials", "key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_rotations", "key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_aliases", "target_key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_grants", "key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_tags", "key_id", KeyIdFor(1)), 0);
  EXPECT_EQ(CountRows("kms_keys", "key_id", KeyIdFor(2)), 1);
  auto again = store_->DeleteKey(KeyIdFor(1));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST_F(KeyStoreTest, ListKeysPagesInKeyIdOrderWithinAccountAndRegion) {
  for (int n : {5, 3, 1, 4, 2}) CreateKey(KeyIdFor(n));
  CreateKey(KeyIdFor(6), KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 0,
            "111111111111", kRegion);
  CreateKey(KeyIdFor(7), KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt, 0, kAccount,
            "eu-west-1");

  std::vector<std::string> seen;
  PageRequest request{"", 2};
  int pages = 0;
  while (true) {
    auto page = store_->ListKeys(kAccount, kRegion, request);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ++pages;
    EXPECT_LE(page->items.size(), 2u);
    for (const KeyRecord& key : page->items) seen.push_back(key.key_id);
    if (!page->truncated()) break;
    request.marker = page->next_marker;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre(KeyIdFor(1), KeyIdFor(2), KeyIdFor(3), KeyIdFor(4),
                                KeyIdFor(5)));
}

TEST_F(KeyStoreTest, ListKeysWithExactLimitIsNotTruncated) {
  CreateKey(KeyIdFor(1));
  CreateKey(KeyIdFor(2));
  auto page = store_->ListKeys(kAccount, kRegion, {"", 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_FALSE(page->truncated());
}

TEST_F(KeyStoreTest, ListRejectsMalformedAndForeignMarkers) {
  CreateKey(KeyIdFor(1));
  CreateKey(KeyIdFor(2));
  ASSERT_TRUE(store_->PutTags(KeyIdFor(1), {{"a", "1"}, {"b", "2"}}).ok());
  auto tags = store_->ListTags(KeyIdFor(1), {"", 1});
  ASSERT_TRUE(tags.ok());
  ASSERT_TRUE(tags->truncated());
  EXPECT_THAT(store_->ListKeys(kAccount, kRegion, {tags->next_marker, 10}),
              HasAwsError("InvalidMarkerException"));
  EXPECT_THAT(store_->ListKeys(kAccount, kRegion, {"!!not base64!!", 10}),
              HasAwsError("InvalidMarkerException"));
  EXPECT_THAT(store_->ListGrants(KeyIdFor(1), {"Z3JhbnRzCmFiYw", 10}),  // "grants\nabc"
              HasAwsError("InvalidMarkerException"));
}

TEST_F(KeyStoreTest, AliasesCreateFindUpdateListAndDelete) {
  CreateKey(KeyIdFor(1));
  CreateKey(KeyIdFor(2));
  ASSERT_TRUE(store_->CreateAlias({kAccount, kRegion, "alias/b", KeyIdFor(1), 10, 10}).ok());
  ASSERT_TRUE(store_->CreateAlias({kAccount, kRegion, "alias/a", KeyIdFor(2), 11, 11}).ok());
  ASSERT_TRUE(store_->CreateAlias({kAccount, kRegion, "alias/c", KeyIdFor(1), 12, 12}).ok());

  auto found = store_->FindAlias(kAccount, kRegion, "alias/b");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->target_key_id, KeyIdFor(1));
  auto other_region = store_->FindAlias(kAccount, "eu-west-1", "alias/b");
  ASSERT_TRUE(other_region.ok());
  EXPECT_FALSE(other_region->has_value());

  auto all = store_->ListAliases(kAccount, kRegion, std::nullopt, {});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> names;
  for (const AliasRecord& a : all->items) names.push_back(a.alias_name);
  EXPECT_THAT(names, ElementsAre("alias/a", "alias/b", "alias/c"));

  auto of_key = store_->ListAliases(kAccount, kRegion, KeyIdFor(1), {"", 1});
  ASSERT_TRUE(of_key.ok());
  ASSERT_EQ(of_key->items.size(), 1u);
  EXPECT_EQ(of_key->items[0].alias_name, "alias/b");
  auto next = store_->ListAliases(kAccount, kRegion, KeyIdFor(1), {of_key->next_marker, 1});
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].alias_name, "alias/c");
  EXPECT_FALSE(next->truncated());

  auto count = store_->CountAliases(KeyIdFor(1));
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);

  auto updated = store_->UpdateAlias(kAccount, kRegion, "alias/b", KeyIdFor(2), 20);
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(*updated);
  found = store_->FindAlias(kAccount, kRegion, "alias/b");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->target_key_id, KeyIdFor(2));
  EXPECT_DOUBLE_EQ((*found)->creation_date, 10);
  EXPECT_DOUBLE_EQ((*found)->last_updated_date, 20);

  auto removed = store_->DeleteAlias(kAccount, kRegion, "alias/b");
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  removed = store_->DeleteAlias(kAccount, kRegion, "alias/b");
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);
  auto missing = store_->UpdateAlias(kAccount, kRegion, "alias/b", KeyIdFor(1), 30);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

TEST_F(KeyStoreTest, GrantsRoundTripAndListWithFilters) {
  CreateKey(KeyIdFor(1));
  CreateKey(KeyIdFor(2));
  GrantRecord first = NewGrant("g1", KeyIdFor(1), "arn:aws:iam::0:role/a");
  first.name = "first";
  first.retiring_principal = "arn:aws:iam::0:role/retirer";
  first.constraints_json = R"({"EncryptionContextSubset":{"dept":"it"}})";
  ASSERT_TRUE(store_->CreateGrant(first).ok());
  ASSERT_TRUE(store_->CreateGrant(NewGrant("g2", KeyIdFor(1), "arn:aws:iam::0:role/b")).ok());
  ASSERT_TRUE(store_->CreateGrant(NewGrant("g3", KeyIdFor(1), "arn:aws:iam::0:role/a")).ok());
  ASSERT_TRUE(store_->CreateGrant(NewGrant("g4", KeyIdFor(2), "arn:aws:iam::0:role/a")).ok());

  auto found = store_->FindGrant("g1");
  ASSERT_TRUE(found.ok() && found->has_value());
  const GrantRecord& g = **found;
  EXPECT_EQ(g.key_id, KeyIdFor(1));
  EXPECT_EQ(g.name, "first");
  EXPECT_EQ(g.grant_token, "token-g1");
  EXPECT_EQ(g.grantee_principal, "arn:aws:iam::0:role/a");
  EXPECT_EQ(g.retiring_principal, std::optional<std::string>("arn:aws:iam::0:role/retirer"));
  EXPECT_EQ(g.issuing_account, "arn:aws:iam::000000000000:root");
  EXPECT_THAT(g.operations, ElementsAre("Decrypt", "GenerateDataKey"));
  EXPECT_EQ(g.constraints_json, first.constraints_json);
  EXPECT_DOUBLE_EQ(g.creation_date, 1700000000.5);

  auto by_token = store_->FindGrantByToken("token-g3");
  ASSERT_TRUE(by_token.ok() && by_token->has_value());
  EXPECT_EQ((*by_token)->grant_id, "g3");

  auto page1 = store_->ListGrants(KeyIdFor(1), {"", 2});
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->items.size(), 2u);
  EXPECT_EQ(page1->items[0].grant_id, "g1");
  EXPECT_EQ(page1->items[1].grant_id, "g2");
  auto page2 = store_->ListGrants(KeyIdFor(1), {page1->next_marker, 2});
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].grant_id, "g3");
  EXPECT_FALSE(page2->truncated());

  auto by_grantee = store_->ListGrants(KeyIdFor(1), {}, std::nullopt, "arn:aws:iam::0:role/a");
  ASSERT_TRUE(by_grantee.ok());
  ASSERT_EQ(by_grantee->items.size(), 2u);
  EXPECT_EQ(by_grantee->items[1].grant_id, "g3");
  auto by_id = store_->ListGrants(KeyIdFor(1), {}, "g2");
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->items.size(), 1u);

  auto retirable = store_->ListRetirableGrants("arn:aws:iam::0:role/retirer", {});
  ASSERT_TRUE(retirable.ok());
  ASSERT_EQ(retirable->items.size(), 1u);
  EXPECT_EQ(retirable->items[0].grant_id, "g1");

  auto all = store_->AllGrants(KeyIdFor(1));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  auto count = store_->CountGrants(KeyIdFor(2));
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);

  auto deleted = store_->DeleteGrant("g2");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  auto gone = store_->FindGrant("g2");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST_F(KeyStoreTest, TagsOverwriteByKeyRemoveAndListInKeyOrder) {
  CreateKey(KeyIdFor(1));
  ASSERT_TRUE(store_->PutTags(KeyIdFor(1), {{"team", "data"}, {"env", "dev"}}).ok());
  ASSERT_TRUE(store_->PutTags(KeyIdFor(1), {{"env", "prod"}, {"cost", ""}}).ok());
  auto page = store_->ListTags(KeyIdFor(1), {"", 2});
  ASSERT_TRUE(page.ok());
  auto rest = store_->ListTags(KeyIdFor(1), {page->next_marker, 2});
  ASSERT_TRUE(rest.ok());
  EXPECT_THAT(page->items, ElementsAre(Tag{"cost", ""}, Tag{"env", "prod"}));
  EXPECT_THAT(rest->items, ElementsAre(Tag{"team", "data"}));
  EXPECT_FALSE(rest->truncated());

  ASSERT_TRUE(store_->RemoveTags(KeyIdFor(1), {"env", "absent"}).ok());
  auto after = store_->ListTags(KeyIdFor(1), {});
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(after->items, ElementsAre(Tag{"cost", ""}, Tag{"team", "data"}));
}

TEST_F(KeyStoreTest, PageLimitOutsideOneToThousandIsRefused) {
  EXPECT_THAT(store_->ListKeys(kAccount, kRegion, {"", 0}), HasAwsError("KMSInternalException"));
  EXPECT_THAT(store_->ListKeys(kAccount, kRegion, {"", 1001}),
              HasAwsError("KMSInternalException"));
}

// ---- file-backed: durability and the at-rest guarantee ----

class KeyStoreFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Dir() const { return temp_.path() / "state"; }

  void Open() {
    auto dir = store::DataDir::Open(Dir(), random_);
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    data_dir_ = std::move(*dir);
    ASSERT_TRUE(store::Migrate(data_dir_->database(), KmsMigrations()).ok());
    auto key_store = KeyStore::Create(data_dir_->database(), data_dir_->keyring(), random_);
    ASSERT_TRUE(key_store.ok());
    store_ = std::move(*key_store);
  }
  void Close() {
    store_.reset();
    data_dir_.reset();
  }
  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // Every 16-byte window of `secret` at 8-byte steps (the whole secret when
  // shorter): finding any of them in a file means key bytes leaked.
  static std::vector<std::string> Needles(std::string_view secret) {
    std::vector<std::string> needles;
    if (secret.size() <= 16) return {std::string(secret)};
    for (size_t offset = 0; offset + 16 <= secret.size(); offset += 8) {
      needles.emplace_back(secret.substr(offset, 16));
    }
    return needles;
  }

  gee::testing::ScopedTempDir temp_;
  DeterministicRandom random_{5};
  std::unique_ptr<store::DataDir> data_dir_;
  std::unique_ptr<KeyStore> store_;
};

TEST_F(KeyStoreFileTest, ReopenKeepsKeysAndMaterial) {
  Open();
  auto material = CachedMaterial(KeySpec::kRsa2048);
  ASSERT_TRUE(material);
  ASSERT_TRUE(store_->CreateKey(NewRecord(KeyIdFor(1), KeySpec::kRsa2048,
                                          KeyUsage::kSignVerify),
                                *material)
                  .ok());
  Close();
  Open();
  auto found = store_->FindKey(KeyIdFor(1));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->spec, KeySpec::kRsa2048);
  auto loaded = store_->LoadMaterial(KeyIdFor(1), 1);
  ASSERT_TRUE(loaded.ok() && *loaded);
  EXPECT_TRUE((*loaded)->serialized() == material->serialized());
}

TEST_F(KeyStoreFileTest, DatabaseFilesNeverContainRawKeyMaterial) {
  Open();
  std::vector<std::string> needles;
  std::string symmetric_id;
  int n = 0;
  for (KeySpec spec : ::gee::testing::SupportedKeySpecs()) {
    auto material = CachedMaterial(spec);
    ASSERT_TRUE(material);
    const std::string key_id = KeyIdFor(++n);
    if (spec == KeySpec::kSymmetricDefault) symmetric_id = key_id;
    ASSERT_TRUE(store_->CreateKey(NewRecord(key_id, spec, AllowedKeyUsages(spec).front()),
                                  *material)
                    .ok());
    for (auto& needle : Needles(material->serialized().AsStringView())) {
      needles.push_back(std::move(needle));
    }
  }
  // A rotated symmetric key: its second version must not leak either.
  auto rotated = CachedMaterial(KeySpec::kSymmetricDefault, 1);
  ASSERT_TRUE(rotated);
  ASSERT_TRUE(store_->AddMaterialVersion(symmetric_id, *rotated, 1, RotationType::kOnDemand)
                  .ok());
  for (auto& needle : Needles(rotated->serialized().AsStringView())) {
    needles.push_back(std::move(needle));
  }
  ASSERT_GT(needles.size(), 500u);

  std::filesystem::path db_path = Dir() / store::kDatabaseFileName;
  std::filesystem::path wal_path = db_path;
  wal_path += "-wal";
  const std::string wal = ReadFile(wal_path);
  ASSERT_FALSE(wal.empty()) << "expected the writes to be in the WAL while open";
  Close();
  const std::string db = ReadFile(db_path);
  ASSERT_GT(db.size(), 4096u);
  // Sanity check of the scan itself: key ids (stored in plaintext) are found.
  ASSERT_NE(db.find(KeyIdFor(1)), std::string::npos);

  size_t in_wal = 0;
  size_t in_db = 0;
  for (const std::string& needle : needles) {
    if (wal.find(needle) != std::string::npos) ++in_wal;
    if (db.find(needle) != std::string::npos) ++in_db;
  }
  EXPECT_EQ(in_wal, 0u) << "windows of raw key material found in gee.db-wal";
  EXPECT_EQ(in_db, 0u) << "windows of raw key material found in gee.db";
}

}  // namespace
}  // namespace gee::kms

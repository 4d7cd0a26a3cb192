#include "store/root_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <string>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "tests/testing/temp_dir.h"

namespace gee::store {
namespace {

using crypto::SecretBytes;

class RootKeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keyring = RootKeyring::Create(SecretBytes::FromRandom(kRootKeySize, random_),
                                       random_);
    ASSERT_TRUE(keyring.ok());
    keyring_ = std::move(*keyring);
  }
  std::string SealOrDie(std::string_view label, const SecretBytes& secret) {
    auto sealed = keyring_->Seal(label, secret);
    EXPECT_TRUE(sealed.ok());
    return sealed.ok() ? *sealed : std::string();
  }

  DeterministicRandom random_{11};
  std::unique_ptr<RootKeyring> keyring_;
  SecretBytes secret_ = SecretBytes::CopyOf(std::string_view("0123456789abcdef0123456789abcdef"));
  std::string label_ = SecretLabel("kms-key-material", {"1234abcd-12ab-34cd-56ef-1234567890ab", "1"});
};

TEST_F(RootKeyringTest, SealedSecretHasTheDocumentedLayout) {
  std::string sealed = SealOrDie(label_, secret_);
  EXPECT_EQ(sealed.size(), secret_.size() + kSealedSecretOverhead);
  EXPECT_EQ(static_cast<uint8_t>(sealed[0]), kSealedSecretVersion);
  EXPECT_EQ(sealed.find(secret_.AsStringView()), std::string::npos);
}

TEST_F(RootKeyringTest, OpenRoundTripsWithTheSameLabel) {
  auto opened = keyring_->Open(label_, SealOrDie(label_, secret_));
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == secret_);
}

TEST_F(RootKeyringTest, OpenFailsWhenTheRowIsSwappedToAnotherLabel) {
  std::string sealed = SealOrDie(label_, secret_);
  auto opened = keyring_->Open(
      SecretLabel("kms-key-material", {"1234abcd-12ab-34cd-56ef-1234567890ab", "2"}),
      sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "InternalFailure");
  EXPECT_EQ(opened.error().http_status, 500);
}

TEST_F(RootKeyringTest, OpenFailsWhenASealedByteIsFlipped) {
  std::string sealed = SealOrDie(label_, secret_);
  for (size_t i = 1; i < sealed.size(); ++i) {
    SCOPED_TRACE(i);
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x80);
    EXPECT_FALSE(keyring_->Open(label_, tampered).ok());
  }
}

TEST_F(RootKeyringTest, OpenFailsOnAnUnknownVersion) {
  std::string sealed = SealOrDie(label_, secret_);
  sealed[0] = 0x02;
  auto opened = keyring_->Open(label_, sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("format version"), std::string::npos);
}

TEST_F(RootKeyringTest, OpenFailsUnderAnotherRootKey) {
  std::string sealed = SealOrDie(label_, secret_);
  auto other = RootKeyring::Create(SecretBytes::FromRandom(kRootKeySize, random_), random_);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)->Open(label_, sealed).ok());
}

TEST_F(RootKeyringTest, OpenErrorDoesNotRevealTheSecret) {
  std::string sealed = SealOrDie(label_, secret_);
  sealed.back() = static_cast<char>(sealed.back() ^ 1);
  auto opened = keyring_->Open(label_, sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().message.find(secret_.AsStringView()), std::string::npos);
}

TEST_F(RootKeyringTest, CreateFailsWhenRootKeyIsNot32Bytes) {
  EXPECT_FALSE(RootKeyring::Create(SecretBytes(16), random_).ok());
}

TEST(SecretLabelTest, JoinsKindAndPartsWithColons) {
  EXPECT_EQ(SecretLabel("iam-secret-access-key", {"AKIAIOSFODNN7EXAMPLE"}),
            "iam-secret-access-key:AKIAIOSFODNN7EXAMPLE");
}

TEST(SecretLabelTest, EscapesSeparatorsSoDistinctPartsNeverCollide) {
  EXPECT_NE(SecretLabel("k", {"a:b", "c"}), SecretLabel("k", {"a", "b:c"}));
  EXPECT_EQ(SecretLabel("k", {"a:b%"}), "k:a%3Ab%25");
}

class RootKeyFileTest : public ::testing::Test {
 protected:
  std::filesystem::path KeyPath() const { return dir_.path() / "root.key"; }
  void WriteKeyFile(const std::string& bytes, mode_t mode) {
    { std::ofstream(KeyPath(), std::ios::binary) << bytes; }
    ASSERT_EQ(::chmod(KeyPath().c_str(), mode), 0);
  }
  std::string ReadKeyFile() const {
    std::ifstream in(KeyPath(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  mode_t KeyFileMode() const {
    struct stat st {};
    EXPECT_EQ(::stat(KeyPath().c_str(), &st), 0);
    return st.st_mode & 07777;
  }

  gee::testing::ScopedTempDir dir_;
  DeterministicRandom random_{5};
};

TEST_F(RootKeyFileTest, CreatesA32ByteFileWithMode0600) {
  auto key = LoadOrCreateRootKeyFile(KeyPath(), random_);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(KeyFileMode(), 0600u);
  EXPECT_EQ(ReadKeyFile(), key->AsStringView());
  EXPECT_EQ(key->size(), kRootKeySize);
}

TEST_F(RootKeyFileTest, LeavesNoTemporaryFileBehind) {
  ASSERT_TRUE(LoadOrCreateRootKeyFile(KeyPath(), random_).ok());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(RootKeyFileTest, LoadsTheExistingKeyInsteadOfCreatingOne) {
  const std::string existing(32, '\x5a');
  WriteKeyFile(existing, 0600);
  auto key = LoadOrCreateRootKeyFile(KeyPath(), random_);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->AsStringView(), existing);
}

TEST_F(RootKeyFileTest, RefusesAKeyFileOfTheWrongSize) {
  WriteKeyFile(std::string(31, 'k'), 0600);
  auto key = LoadRootKeyFile(KeyPath());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, "InternalFailure");
  EXPECT_NE(key.error().message.find("31 bytes"), std::string::npos) << key.error().message;
}

TEST_F(RootKeyFileTest, RefusesAGroupReadableKeyFile) {
  WriteKeyFile(std::string(32, 'k'), 0640);
  auto key = LoadRootKeyFile(KeyPath());
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("0640"), std::string::npos) << key.error().message;
}

TEST_F(RootKeyFileTest, RefusesAWorldReadableKeyFile) {
  WriteKeyFile(std::string(32, 'k'), 0604);
  EXPECT_FALSE(LoadOrCreateRootKeyFile(KeyPath(), random_).ok());
}

TEST_F(RootKeyFileTest, RefusesASymlinkedKeyFile) {
  const std::filesystem::path target = dir_.path() / "elsewhere";
  { std::ofstream(target, std::ios::binary) << std::string(32, 'k'); }
  ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
  std::filesystem::create_symlink(target, KeyPath());
  EXPECT_FALSE(LoadOrCreateRootKeyFile(KeyPath(), random_).ok());
}

}  // namespace
}  // namespace gee::store

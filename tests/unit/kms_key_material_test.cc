#include "services/kms/key_material.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/random.h"
#include "tests/testing/matchers.h"
#include "tests/testing/kms_test_keys.h"
#include "tests/testing/test_bytes.h"

namespace gee::kms {
namespace {

using crypto::SecretBytes;
using ::gee::testing::CachedMaterial;
using ::gee::testing::CachedSerializedMaterial;
using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::Hex;
using ::gee::testing::Unhex;

// ---- independent OpenSSL helpers (the code under test is not used here) ----

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Pkey PublicFromDer(std::string_view der) {
  const unsigned char* p = U(der);
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_TRUE(key) << "d2i_PUBKEY failed";
  EXPECT_EQ(p, U(der) + der.size()) << "trailing bytes after SubjectPublicKeyInfo";
  return key;
}

// d2i_AutoPrivateKey: a different decoding path from the code under test.
Pkey PrivateFromDer(const SecretBytes& der) {
  const unsigned char* p = der.data();
  Pkey key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_TRUE(key) << "d2i_AutoPrivateKey failed";
  return key;
}

struct AlgorithmParams {
  const EVP_MD* md;
  int padding;  // 0 for ECDSA
  int salt_length;
};

AlgorithmParams ParamsFor(SigningAlgorithm algorithm) {
  const std::string name(Name(algorithm));
  const EVP_MD* md = name.ends_with("_256") ? EVP_sha256()
                     : name.ends_with("_384") ? EVP_sha384()
                                              : EVP_sha512();
  const int digest = EVP_MD_get_size(md);
  if (name.starts_with("RSASSA_PSS")) return {md, RSA_PKCS1_PSS_PADDING, digest};
  if (name.starts_with("RSASSA_PKCS1")) return {md, RSA_PKCS1_PADDING, 0};
  return {md, 0, 0};
}

void ConfigureRsa(EVP_PKEY_CTX* ctx, const AlgorithmParams& params) {
  if (params.padding == 0) return;
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, params.padding), 1);
  if (params.padding == RSA_PKCS1_PSS_PADDING) {
    // An explicit salt length: OpenSSL then requires exactly this length.
    ASSERT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, params.salt_length), 1);
  }
}

bool OpenSslVerify(EVP_PKEY* key, SigningAlgorithm algorithm, std::string_view message,
                   std::string_view signature) {
  const AlgorithmParams params = ParamsFor(algorithm);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestVerifyInit(ctx.get(), &pctx, params.md, nullptr, key), 1);
  ConfigureRsa(pctx, params);
  return EVP_DigestVerify(ctx.get(), U(signature), signature.size(), U(message),
                          message.size()) == 1;
}

std::string OpenSslSign(EVP_PKEY* key, SigningAlgorithm algorithm, std::string_view message) {
  const AlgorithmParams params = ParamsFor(algorithm);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, params.md, nullptr, key), 1);
  ConfigureRsa(pctx, params);
  size_t length = 0;
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &length, U(message), message.size()), 1);
  std::string signature(length, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
                           &length, U(message), message.size()),
            1);
  signature.resize(length);
  return signature;
}

std::string Sha(const EVP_MD* md, std::string_view message) {
  std::string out(EVP_MD_get_size(md), '\0');
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(message.data(), message.size(),
                       reinterpret_cast<unsigned char*>(out.data()), &length, md, nullptr),
            1);
  return out;
}

// ---- generation and serialisation ----

TEST(KeyMaterialTest, GenerateSymmetricDrawsThirtyTwoBytesFromInjectedRandom) {
  DeterministicRandom random(7);
  DeterministicRandom same(7);
  auto material = KeyMaterial::Generate(KeySpec::kSymmetricDefault, random);
  ASSERT_TRUE(material.ok()) << material.error().message;
  EXPECT_EQ((*material)->serialized().size(), 32u);
  EXPECT_TRUE((*material)->serialized() == SecretBytes::FromRandom(32, same));
}

TEST(KeyMaterialTest, GenerateHmacDrawsTheSpecKeyLength) {
  const std::pair<KeySpec, size_t> cases[] = {{KeySpec::kHmac224, 28},
                                              {KeySpec::kHmac256, 32},
                                              {KeySpec::kHmac384, 48},
                                              {KeySpec::kHmac512, 64}};
  for (const auto& [spec, bytes] : cases) {
    SCOPED_TRACE(Name(spec));
    DeterministicRandom random(11);
    DeterministicRandom same(11);
    auto material = KeyMaterial::Generate(spec, random);
    ASSERT_TRUE(material.ok());
    EXPECT_TRUE((*material)->serialized() == SecretBytes::FromRandom(bytes, same));
  }
}

TEST(KeyMaterialTest, GenerateFailsForUnsupportedSpecs) {
  DeterministicRandom random(1);
  for (KeySpec spec : {KeySpec::kSm2, KeySpec::kEccNistEdwards25519, KeySpec::kMlDsa65}) {
    EXPECT_THAT(KeyMaterial::Generate(spec, random),
                HasAwsError("UnsupportedOperationException"));
  }
}

TEST(KeyMaterialTest, GenerateTwiceGivesDifferentKeyPairs) {
  DeterministicRandom random(1);
  auto a = KeyMaterial::Generate(KeySpec::kEccNistP256, random);
  auto b = KeyMaterial::Generate(KeySpec::kEccNistP256, random);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE((*a)->serialized() == (*b)->serialized());
}

struct PairSpec {
  KeySpec spec;
  int base_id;
  int bits;          // RSA modulus bits or 0
  const char* group; // EC group or nullptr
};

const PairSpec kPairSpecs[] = {
    {KeySpec::kRsa2048, EVP_PKEY_RSA, 2048, nullptr},
    {KeySpec::kRsa3072, EVP_PKEY_RSA, 3072, nullptr},
    {KeySpec::kRsa4096, EVP_PKEY_RSA, 4096, nullptr},
    {KeySpec::kEccNistP256, EVP_PKEY_EC, 0, "prime256v1"},
    {KeySpec::kEccNistP384, EVP_PKEY_EC, 0, "secp384r1"},
    {KeySpec::kEccNistP521, EVP_PKEY_EC, 0, "secp521r1"},
    {KeySpec::kEccSecgP256k1, EVP_PKEY_EC, 0, "secp256k1"},
};

TEST(KeyMaterialTest, SerializedKeyPairIsPkcs8OfTheSpecAlgorithm) {
  for (const PairSpec& p : kPairSpecs) {
    SCOPED_TRACE(Name(p.spec));
    SecretBytes der = CachedSerializedMaterial(p.spec);
    const unsigned char* cursor = der.data();
    PKCS8_PRIV_KEY_INFO* p8 =
        d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size()));
    ASSERT_NE(p8, nullptr) << "not PKCS#8 PrivateKeyInfo";
    EXPECT_EQ(cursor, der.data() + der.size());
    PKCS8_PRIV_KEY_INFO_free(p8);
    Pkey key = PrivateFromDer(der);
    ASSERT_TRUE(key);
    EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), p.base_id);
    if (p.bits != 0) {
      EXPECT_EQ(EVP_PKEY_get_bits(key.get()), p.bits);
    }
    if (p.group != nullptr) {
      char group[64] = {0};
      size_t length = 0;
      ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof group, &length), 1);
      EXPECT_STREQ(group, p.group);
    }
  }
}

TEST(KeyMaterialTest, LoadRoundTripsEverySupportedSpec) {
  for (KeySpec spec : ::gee::testing::SupportedKeySpecs()) {
    SCOPED_TRACE(Name(spec));
    SecretBytes serialized = CachedSerializedMaterial(spec);
    auto material = KeyMaterial::Load(spec, serialized.Clone());
    ASSERT_TRUE(material.ok()) << material.error().message;
    EXPECT_EQ((*material)->spec(), spec);
    EXPECT_TRUE((*material)->serialized() == serialized);
  }
}

TEST(KeyMaterialTest, LoadRejectsSymmetricMaterialOfWrongLength) {
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kSymmetricDefault, SecretBytes(31)),
              HasAwsError("KMSInternalException"));
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kHmac256, SecretBytes(28)),
              HasAwsError("KMSInternalException"));
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kHmac224, SecretBytes(0)),
              HasAwsError("KMSInternalException"));
}

TEST(KeyMaterialTest, LoadRejectsGarbageAndTrailingBytes) {
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kEccNistP256, SecretBytes::CopyOf("not der")),
              HasAwsError("KMSInternalException"));
  SecretBytes valid = CachedSerializedMaterial(KeySpec::kEccNistP256);
  SecretBytes longer(valid.size() + 1);
  std::copy(valid.span().begin(), valid.span().end(), longer.data());
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kEccNistP256, std::move(longer)),
              HasAwsError("KMSInternalException"));
}

TEST(KeyMaterialTest, LoadRejectsKeyOfAnotherSpec) {
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kEccNistP384,
                                CachedSerializedMaterial(KeySpec::kEccNistP256)),
              HasAwsError("KMSInternalException"));
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kRsa3072, CachedSerializedMaterial(KeySpec::kRsa2048)),
              HasAwsError("KMSInternalException"));
  EXPECT_THAT(KeyMaterial::Load(KeySpec::kEccSecgP256k1,
                                CachedSerializedMaterial(KeySpec::kRsa2048)),
              HasAwsError("KMSInternalException"));
}

TEST(KeyMaterialTest, PublicKeyDerIsSubjectPublicKeyInfoOfThePrivateKey) {
  for (const PairSpec& p : kPairSpecs) {
    SCOPED_TRACE(Name(p.spec));
    auto material = CachedMaterial(p.spec);
    ASSERT_TRUE(material);
    auto der = material->PublicKeyDer();
    ASSERT_TRUE(der.ok());
    Pkey pub = PublicFromDer(*der);
    Pkey priv = PrivateFromDer(material->serialized());
    ASSERT_TRUE(pub && priv);
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), priv.get()), 1);
  }
}

TEST(KeyMaterialTest, PublicKeyDerFailsForSymmetricKey) {
  auto material = CachedMaterial(KeySpec::kSymmetricDefault);
  ASSERT_TRUE(material);
  EXPECT_THAT(material->PublicKeyDer(), HasAwsError("KMSInternalException"));
}

// ---- signatures, cross-checked against OpenSSL ----

struct SignCase {
  KeySpec spec;
  SigningAlgorithm algorithm;
};

void PrintTo(const SignCase& c, std::ostream* os) {
  *os << Name(c.spec) << "/" << Name(c.algorithm);
}

std::string PrintSignCase(const ::testing::TestParamInfo<SignCase>& info) {
  return std::string(Name(info.param.spec)) + "_" + std::string(Name(info.param.algorithm));
}

class KeyMaterialSignTest : public ::testing::TestWithParam<SignCase> {
 protected:
  void SetUp() override {
    material_ = CachedMaterial(GetParam().spec);
    ASSERT_TRUE(material_);
    auto der = material_->PublicKeyDer();
    ASSERT_TRUE(der.ok());
    public_key_ = PublicFromDer(*der);
    private_key_ = PrivateFromDer(material_->serialized());
    ASSERT_TRUE(public_key_ && private_key_);
  }
  SigningAlgorithm algorithm() const { return GetParam().algorithm; }
  std::string DigestOf(std::string_view message) const {
    return Sha(ParamsFor(algorithm()).md, message);
  }

  const std::string message_ = "The quick brown fox jumps over the lazy dog";
  std::unique_ptr<KeyMaterial> material_;
  Pkey public_key_;
  Pkey private_key_;
};

TEST_P(KeyMaterialSignTest, RawSignatureVerifiesWithOpenSsl) {
  auto signature = material_->Sign(algorithm(), MessageType::kRaw, message_);
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_TRUE(OpenSslVerify(public_key_.get(), algorithm(), message_, *signature));
  EXPECT_FALSE(OpenSslVerify(public_key_.get(), algorithm(), message_ + ".", *signature));
}

TEST_P(KeyMaterialSignTest, DigestSignatureVerifiesWithOpenSslOverTheMessage) {
  auto signature = material_->Sign(algorithm(), MessageType::kDigest, DigestOf(message_));
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_TRUE(OpenSslVerify(public_key_.get(), algorithm(), message_, *signature));
}

TEST_P(KeyMaterialSignTest, VerifyAcceptsOpenSslSignatureInBothMessageTypes) {
  const std::string signature = OpenSslSign(private_key_.get(), algorithm(), message_);
  auto raw = material_->Verify(algorithm(), MessageType::kRaw, message_, signature);
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_TRUE(*raw);
  auto digest =
      material_->Verify(algorithm(), MessageType::kDigest, DigestOf(message_), signature);
  ASSERT_TRUE(digest.ok());
  EXPECT_TRUE(*digest);
}

TEST_P(KeyMaterialSignTest, VerifyRejectsOtherMessageAndFlippedSignature) {
  auto signature = material_->Sign(algorithm(), MessageType::kRaw, message_);
  ASSERT_TRUE(signature.ok());
  auto other = material_->Verify(algorithm(), MessageType::kRaw, message_ + "!", *signature);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  for (size_t i : {size_t{0}, signature->size() / 2, signature->size() - 1}) {
    std::string flipped = *signature;
    flipped[i] ^= 0x01;
    auto result = material_->Verify(algorithm(), MessageType::kRaw, message_, flipped);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(*result) << "flipped byte " << i;
  }
  auto truncated = material_->Verify(algorithm(), MessageType::kRaw, message_,
                                     signature->substr(0, signature->size() - 1));
  ASSERT_TRUE(truncated.ok());
  EXPECT_FALSE(*truncated);
}

TEST_P(KeyMaterialSignTest, DigestOfWrongLengthFailsWithRecordedText) {
  const std::string digest = DigestOf(message_);
  const std::string expected =
      "Digest is invalid length for algorithm " + std::string(Name(algorithm())) + ".";
  EXPECT_THAT(material_->Sign(algorithm(), MessageType::kDigest, digest.substr(1)),
              HasAwsErrorMessage("ValidationException", expected));
  EXPECT_THAT(material_->Sign(algorithm(), MessageType::kDigest, digest + "x"),
              HasAwsErrorMessage("ValidationException", expected));
  EXPECT_THAT(material_->Verify(algorithm(), MessageType::kDigest, digest.substr(1), "sig"),
              HasAwsErrorMessage("ValidationException", expected));
}

TEST_P(KeyMaterialSignTest, RawMessageOverFourKilobytesFails) {
  EXPECT_TRUE(material_->Sign(algorithm(), MessageType::kRaw, std::string(4096, 'm')).ok());
  EXPECT_THAT(material_->Sign(algorithm(), MessageType::kRaw, std::string(4097, 'm')),
              HasAwsError("ValidationException"));
}

INSTANTIATE_TEST_SUITE_P(
    AllPairs, KeyMaterialSignTest,
    ::testing::Values(
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPssSha256},
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPssSha384},
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPssSha512},
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPkcs1V15Sha256},
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPkcs1V15Sha384},
        SignCase{KeySpec::kRsa2048, SigningAlgorithm::kRsassaPkcs1V15Sha512},
        SignCase{KeySpec::kRsa3072, SigningAlgorithm::kRsassaPssSha384},
        SignCase{KeySpec::kRsa3072, SigningAlgorithm::kRsassaPkcs1V15Sha256},
        SignCase{KeySpec::kRsa4096, SigningAlgorithm::kRsassaPssSha512},
        SignCase{KeySpec::kRsa4096, SigningAlgorithm::kRsassaPkcs1V15Sha512},
        SignCase{KeySpec::kEccNistP256, SigningAlgorithm::kEcdsaSha256},
        SignCase{KeySpec::kEccNistP384, SigningAlgorithm::kEcdsaSha384},
        SignCase{KeySpec::kEccNistP521, SigningAlgorithm::kEcdsaSha512},
        SignCase{KeySpec::kEccSecgP256k1, SigningAlgorithm::kEcdsaSha256}),
    PrintSignCase);

TEST(KeyMaterialTest, EcdsaSignatureIsDerEncoded) {
  auto material = CachedMaterial(KeySpec::kEccNistP384);
  ASSERT_TRUE(material);
  auto signature = material->Sign(SigningAlgorithm::kEcdsaSha384, MessageType::kRaw, "m");
  ASSERT_TRUE(signature.ok());
  const unsigned char* p = U(*signature);
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature->size()));
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(p, U(*signature) + signature->size());
  ECDSA_SIG_free(sig);
}

TEST(KeyMaterialTest, SignRefusesCurveHashMismatchAndHmacKeys) {
  auto p256 = CachedMaterial(KeySpec::kEccNistP256);
  ASSERT_TRUE(p256);
  EXPECT_THAT(p256->Sign(SigningAlgorithm::kEcdsaSha384, MessageType::kRaw, "m"),
              HasAwsError("InvalidKeyUsageException"));
  auto hmac = CachedMaterial(KeySpec::kHmac256);
  ASSERT_TRUE(hmac);
  EXPECT_THAT(hmac->Sign(SigningAlgorithm::kEcdsaSha256, MessageType::kRaw, "m"),
              HasAwsError("InvalidKeyUsageException"));
}

TEST(KeyMaterialTest, ExternalMuMessageTypeIsRefused) {
  auto material = CachedMaterial(KeySpec::kEccNistP256);
  ASSERT_TRUE(material);
  EXPECT_THAT(material->Sign(SigningAlgorithm::kEcdsaSha256, MessageType::kExternalMu,
                             std::string(64, 'x')),
              HasAwsErrorMessage("ValidationException",
                                 "Message type EXTERNAL_MU is incompatible with key spec "
                                 "ECC_NIST_P256."));
}

// ---- RSA OAEP ----

struct OaepCase {
  KeySpec spec;
  EncryptionAlgorithm algorithm;
};

void PrintTo(const OaepCase& c, std::ostream* os) {
  *os << Name(c.spec) << "/" << Name(c.algorithm);
}

class KeyMaterialOaepTest : public ::testing::TestWithParam<OaepCase> {
 protected:
  void SetUp() override {
    material_ = CachedMaterial(GetParam().spec);
    ASSERT_TRUE(material_);
    auto der = material_->PublicKeyDer();
    ASSERT_TRUE(der.ok());
    public_key_ = PublicFromDer(*der);
    private_key_ = PrivateFromDer(material_->serialized());
  }
  EncryptionAlgorithm algorithm() const { return GetParam().algorithm; }
  const EVP_MD* Md() const {
    return algorithm() == EncryptionAlgorithm::kRsaesOaepSha1 ? EVP_sha1() : EVP_sha256();
  }
  size_t Limit() const {
    // k - 2 hLen - 2, from the modulus of the key and the hash.
    return static_cast<size_t>(EVP_PKEY_get_size(public_key_.get())) -
           2 * static_cast<size_t>(EVP_MD_get_size(Md())) - 2;
  }
  // OpenSSL OAEP with an explicit MGF1 hash.
  bool OpenSslDecrypt(std::string_view ciphertext, const EVP_MD* mgf1, std::string* out) {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
        EVP_PKEY_CTX_new(private_key_.get(), nullptr));
    EXPECT_EQ(EVP_PKEY_decrypt_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), Md()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), mgf1), 1);
    size_t length = ciphertext.size();
    out->assign(length, '\0');
    if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out->data()), &length,
                         U(ciphertext), ciphertext.size()) != 1) {
      return false;
    }
    out->resize(length);
    return true;
  }
  std::string OpenSslEncrypt(std::string_view plaintext) {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
        EVP_PKEY_CTX_new(public_key_.get(), nullptr));
    EXPECT_EQ(EVP_PKEY_encrypt_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), Md()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), Md()), 1);
    size_t length = 0;
    EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), nullptr, &length, U(plaintext), plaintext.size()),
              1);
    std::string out(length, '\0');
    EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()),
                               &length, U(plaintext), plaintext.size()),
              1);
    out.resize(length);
    return out;
  }

  std::unique_ptr<KeyMaterial> material_;
  Pkey public_key_;
  Pkey private_key_;
};

TEST_P(KeyMaterialOaepTest, RoundTripsPlaintextOfExactlyTheLimit) {
  const std::string plaintext(Limit(), 'p');
  auto ciphertext = material_->RsaEncrypt(algorithm(), plaintext);
  ASSERT_TRUE(ciphertext.ok()) << ciphertext.error().message;
  EXPECT_EQ(ciphertext->size(), static_cast<size_t>(EVP_PKEY_get_size(public_key_.get())));
  auto decrypted = material_->RsaDecrypt(algorithm(), *ciphertext);
  ASSERT_TRUE(decrypted.ok());
  EXPECT_EQ(decrypted->AsStringView(), plaintext);
}

TEST_P(KeyMaterialOaepTest, EncryptOverTheLimitFailsWithRecordedText) {
  EXPECT_THAT(material_->RsaEncrypt(algorithm(), std::string(Limit() + 1, 'p')),
              HasAwsErrorMessage("ValidationException",
                                 "Algorithm " + std::string(Name(algorithm())) +
                                     " and key spec " + std::string(Name(GetParam().spec)) +
                                     " cannot encrypt data larger than " +
                                     std::to_string(Limit()) + " bytes."));
}

TEST_P(KeyMaterialOaepTest, OpenSslDecryptsOurCiphertextOnlyWithMgf1OfTheSameHash) {
  auto ciphertext = material_->RsaEncrypt(algorithm(), "data key bytes");
  ASSERT_TRUE(ciphertext.ok());
  std::string plaintext;
  ASSERT_TRUE(OpenSslDecrypt(*ciphertext, Md(), &plaintext));
  EXPECT_EQ(plaintext, "data key bytes");
  const EVP_MD* other = Md() == EVP_sha1() ? EVP_sha256() : EVP_sha1();
  EXPECT_FALSE(OpenSslDecrypt(*ciphertext, other, &plaintext));
}

TEST_P(KeyMaterialOaepTest, DecryptsOpenSslCiphertext) {
  auto decrypted = material_->RsaDecrypt(algorithm(), OpenSslEncrypt("from openssl"));
  ASSERT_TRUE(decrypted.ok()) << decrypted.error().message;
  EXPECT_EQ(decrypted->AsStringView(), "from openssl");
}

TEST_P(KeyMaterialOaepTest, DecryptOfTamperedOrMisSizedCiphertextFailsWithoutMessage) {
  auto ciphertext = material_->RsaEncrypt(algorithm(), "secret");
  ASSERT_TRUE(ciphertext.ok());
  std::string flipped = *ciphertext;
  flipped[flipped.size() / 2] ^= 0x40;
  EXPECT_THAT(material_->RsaDecrypt(algorithm(), flipped),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
  EXPECT_THAT(material_->RsaDecrypt(algorithm(), ciphertext->substr(1)),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
  EXPECT_THAT(material_->RsaDecrypt(algorithm(), *ciphertext + "x"),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
  const EncryptionAlgorithm other = algorithm() == EncryptionAlgorithm::kRsaesOaepSha1
                                        ? EncryptionAlgorithm::kRsaesOaepSha256
                                        : EncryptionAlgorithm::kRsaesOaepSha1;
  EXPECT_THAT(material_->RsaDecrypt(other, *ciphertext),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

INSTANTIATE_TEST_SUITE_P(
    AllRsa, KeyMaterialOaepTest,
    ::testing::Values(OaepCase{KeySpec::kRsa2048, EncryptionAlgorithm::kRsaesOaepSha1},
                      OaepCase{KeySpec::kRsa2048, EncryptionAlgorithm::kRsaesOaepSha256},
                      OaepCase{KeySpec::kRsa3072, EncryptionAlgorithm::kRsaesOaepSha1},
                      OaepCase{KeySpec::kRsa3072, EncryptionAlgorithm::kRsaesOaepSha256},
                      OaepCase{KeySpec::kRsa4096, EncryptionAlgorithm::kRsaesOaepSha1},
                      OaepCase{KeySpec::kRsa4096, EncryptionAlgorithm::kRsaesOaepSha256}),
    [](const ::testing::TestParamInfo<OaepCase>& info) {
      return std::string(Name(info.param.spec)) + "_" +
             std::string(Name(info.param.algorithm));
    });

TEST(KeyMaterialTest, RsaDecryptWithAnotherKeyFailsWithoutMessage) {
  auto a = CachedMaterial(KeySpec::kRsa2048, 0);
  auto b = CachedMaterial(KeySpec::kRsa2048, 1);
  ASSERT_TRUE(a && b);
  auto ciphertext = a->RsaEncrypt(EncryptionAlgorithm::kRsaesOaepSha256, "secret");
  ASSERT_TRUE(ciphertext.ok());
  EXPECT_THAT(b->RsaDecrypt(EncryptionAlgorithm::kRsaesOaepSha256, *ciphertext),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST(KeyMaterialTest, RsaEncryptRefusesSymmetricDefaultAlgorithm) {
  auto material = CachedMaterial(KeySpec::kRsa2048);
  ASSERT_TRUE(material);
  EXPECT_THAT(material->RsaEncrypt(EncryptionAlgorithm::kSymmetricDefault, "x"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm SYMMETRIC_DEFAULT is incompatible with key "
                                 "spec RSA_2048."));
}

// ---- HMAC ----

struct HmacVector {
  const char* name;
  std::string key;
  std::string data;
  // HMAC-SHA-224/256/384/512; case 5 gives only the first 128 bits.
  const char* expected[4];
};

// RFC 4231 section 4, test cases 1-7.
std::vector<HmacVector> Rfc4231Vectors() {
  const std::string block_key(131, '\xaa');
  return {
      {"Case1", std::string(20, '\x0b'), "Hi There",
       {"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
        "faea9ea9076ede7f4af152e8b2fa9cb6",
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"}},
      {"Case2", "Jefe", "what do ya want for nothing?",
       {"a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
        "8e2240ca5e69e2c78b3239ecfab21649",
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"}},
      {"Case3", std::string(20, '\xaa'), std::string(50, '\xdd'),
       {"7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea",
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
        "2a5ab39dc13814b94e3ab6e101a34f27",
        "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
        "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"}},
      {"Case4", Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
       std::string(50, '\xcd'),
       {"6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a",
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
        "6801dd23c4a7d679ccf8a386c674cffb",
        "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
        "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"}},
      {"Case5Truncated", std::string(20, '\x0c'), "Test With Truncation",
       {"0e2aea68a90c8d37c988bcdb9fca6fa8", "a3b6167473100ee06e0c796c2955552b",
        "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"}},
      {"Case6", block_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       {"95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
        "0c2ef6ab4030fe8296248df163f44952",
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
        "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"}},
      {"Case7", block_key,
       "This is a test using a larger than block-size key and a larger than block-size "
       "data. The key needs to be hashed before being used by the HMAC algorithm.",
       {"3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
        "a678cc31e799176d3860e6110c46523e",
        "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
        "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"}},
  };
}

void PrintTo(const HmacVector& v, std::ostream* os) { *os << v.name; }

class HmacKnownAnswerTest : public ::testing::TestWithParam<HmacVector> {};

TEST_P(HmacKnownAnswerTest, ComputeHmacMatchesRfc4231) {
  const HmacVector& v = GetParam();
  const HashFunction hashes[] = {HashFunction::kSha224, HashFunction::kSha256,
                                 HashFunction::kSha384, HashFunction::kSha512};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    auto mac = ComputeHmac(hashes[i], SecretBytes::CopyOf(v.key), v.data);
    ASSERT_TRUE(mac.ok()) << mac.error().message;
    const std::string expected = v.expected[i];
    EXPECT_EQ(Hex(*mac).substr(0, expected.size()), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc4231, HmacKnownAnswerTest, ::testing::ValuesIn(Rfc4231Vectors()),
                         [](const ::testing::TestParamInfo<HmacVector>& info) {
                           return std::string(info.param.name);
                         });

TEST(KeyMaterialTest, ComputeMacEqualsOpenSslHmacUnderTheKeyBytes) {
  const std::pair<KeySpec, MacAlgorithm> cases[] = {
      {KeySpec::kHmac224, MacAlgorithm::kHmacSha224},
      {KeySpec::kHmac256, MacAlgorithm::kHmacSha256},
      {KeySpec::kHmac384, MacAlgorithm::kHmacSha384},
      {KeySpec::kHmac512, MacAlgorithm::kHmacSha512}};
  const EVP_MD* mds[] = {EVP_sha224(), EVP_sha256(), EVP_sha384(), EVP_sha512()};
  for (int i = 0; i < 4; ++i) {
    const auto& [spec, algorithm] = cases[i];
    SCOPED_TRACE(Name(spec));
    auto material = CachedMaterial(spec);
    ASSERT_TRUE(material);
    auto mac = material->ComputeMac(algorithm, "message to authenticate");
    ASSERT_TRUE(mac.ok());
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const std::string message = "message to authenticate";
    ASSERT_NE(HMAC(mds[i], material->serialized().data(),
                   static_cast<int>(material->serialized().size()), U(message),
                   message.size(), expected, &length),
              nullptr);
    EXPECT_EQ(*mac, std::string(reinterpret_cast<char*>(expected), length));
  }
}

TEST(KeyMaterialTest, VerifyMacRejectsEveryFlippedByteAndTruncation) {
  auto material = CachedMaterial(KeySpec::kHmac256);
  ASSERT_TRUE(material);
  auto mac = material->ComputeMac(MacAlgorithm::kHmacSha256, "msg");
  ASSERT_TRUE(mac.ok());
  auto valid = material->VerifyMac(MacAlgorithm::kHmacSha256, "msg", *mac);
  ASSERT_TRUE(valid.ok());
  EXPECT_TRUE(*valid);
  for (size_t i = 0; i < mac->size(); ++i) {
    std::string flipped = *mac;
    flipped[i] ^= 0x80;
    auto result = material->VerifyMac(MacAlgorithm::kHmacSha256, "msg", flipped);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(*result) << "byte " << i;
  }
  auto truncated =
      material->VerifyMac(MacAlgorithm::kHmacSha256, "msg", mac->substr(0, mac->size() - 1));
  ASSERT_TRUE(truncated.ok());
  EXPECT_FALSE(*truncated);
  auto other_message = material->VerifyMac(MacAlgorithm::kHmacSha256, "msg2", *mac);
  ASSERT_TRUE(other_message.ok());
  EXPECT_FALSE(*other_message);
}

TEST(KeyMaterialTest, ComputeMacRefusesAlgorithmOfAnotherLength) {
  auto material = CachedMaterial(KeySpec::kHmac224);
  ASSERT_TRUE(material);
  EXPECT_THAT(material->ComputeMac(MacAlgorithm::kHmacSha256, "m"),
              HasAwsErrorMessage("InvalidKeyUsageException",
                                 "Algorithm HMAC_SHA_256 is incompatible with key spec "
                                 "HMAC_224."));
}

// ---- ECDH ----

std::string OpenSslDerive(EVP_PKEY* mine, EVP_PKEY* peer) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(mine, nullptr));
  EXPECT_EQ(EVP_PKEY_derive_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_derive_set_peer(ctx.get(), peer), 1);
  size_t length = 0;
  EXPECT_EQ(EVP_PKEY_derive(ctx.get(), nullptr, &length), 1);
  std::string out(length, '\0');
  EXPECT_EQ(EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length),
            1);
  out.resize(length);
  return out;
}

TEST(KeyMaterialTest, DeriveSharedSecretAgreesBothWaysAndWithOpenSsl) {
  for (KeySpec spec : {KeySpec::kEccNistP256, KeySpec::kEccNistP384, KeySpec::kEccNistP521}) {
    SCOPED_TRACE(Name(spec));
    auto alice = CachedMaterial(spec, 0);
    auto bob = CachedMaterial(spec, 1);
    ASSERT_TRUE(alice && bob);
    auto alice_public = alice->PublicKeyDer();
    auto bob_public = bob->PublicKeyDer();
    ASSERT_TRUE(alice_public.ok() && bob_public.ok());
    auto from_alice = alice->DeriveSharedSecret(*bob_public);
    auto from_bob = bob->DeriveSharedSecret(*alice_public);
    ASSERT_TRUE(from_alice.ok()) << from_alice.error().message;
    ASSERT_TRUE(from_bob.ok());
    EXPECT_TRUE(*from_alice == *from_bob);
    Pkey alice_private = PrivateFromDer(alice->serialized());
    Pkey bob_pub = PublicFromDer(*bob_public);
    EXPECT_EQ(from_alice->AsStringView(), OpenSslDerive(alice_private.get(), bob_pub.get()));
  }
}

TEST(KeyMaterialTest, DeriveSharedSecretRejectsPeerKeyOnAnotherCurveOrMalformed) {
  auto p256 = CachedMaterial(KeySpec::kEccNistP256);
  auto p384 = CachedMaterial(KeySpec::kEccNistP384);
  ASSERT_TRUE(p256 && p384);
  auto p384_public = p384->PublicKeyDer();
  ASSERT_TRUE(p384_public.ok());
  EXPECT_THAT(p256->DeriveSharedSecret(*p384_public), HasAwsError("ValidationException"));
  EXPECT_THAT(p256->DeriveSharedSecret("garbage"), HasAwsError("ValidationException"));
  auto own_public = p256->PublicKeyDer();
  ASSERT_TRUE(own_public.ok());
  EXPECT_THAT(p256->DeriveSharedSecret(*own_public + "x"), HasAwsError("ValidationException"));
  EXPECT_THAT(p256->DeriveSharedSecret(""), HasAwsError("ValidationException"));
}

// ---- data key pairs ----

TEST(KeyMaterialTest, DataKeyPairPrivateAndPublicHalvesMatch) {
  for (KeySpec spec : {KeySpec::kRsa2048, KeySpec::kEccNistP256, KeySpec::kEccNistP384,
                       KeySpec::kEccNistP521, KeySpec::kEccSecgP256k1}) {
    SCOPED_TRACE(Name(spec));
    auto pair = GenerateDataKeyPairMaterial(spec);
    ASSERT_TRUE(pair.ok()) << pair.error().message;
    Pkey priv = PrivateFromDer(pair->private_key_der);
    Pkey pub = PublicFromDer(pair->public_key_der);
    ASSERT_TRUE(priv && pub);
    EXPECT_EQ(EVP_PKEY_eq(priv.get(), pub.get()), 1);
    auto loaded = KeyMaterial::Load(spec, pair->private_key_der.Clone());
    EXPECT_TRUE(loaded.ok()) << "private half is not the spec's PKCS#8";
  }
}

TEST(KeyMaterialTest, DataKeyPairFailsForUnsupportedSpecs) {
  EXPECT_THAT(GenerateDataKeyPairMaterial(KeySpec::kSm2),
              HasAwsError("UnsupportedOperationException"));
  EXPECT_THAT(GenerateDataKeyPairMaterial(KeySpec::kEccNistEdwards25519),
              HasAwsError("UnsupportedOperationException"));
  EXPECT_THAT(GenerateDataKeyPairMaterial(KeySpec::kHmac256),
              HasAwsError("KMSInternalException"));
}

}  // namespace
}  // namespace gee::kms

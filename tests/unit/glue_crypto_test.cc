#include "services/glue/glue_crypto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "services/glue/errors.h"
#include "tests/testing/glue_fixture.h"
#include "tests/testing/matchers.h"

namespace gee::glue {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDocument[] = R"({"Name":"t","Columns":[{"Name":"ssn"}]})";

class GlueCryptoTest : public testing::GlueFixture {
 protected:
  GlueCrypto& crypto() { return glue().crypto(); }
  RequestContext Caller() { return env().NewContext(User("alice"), "us-east-1"); }
  static ObjectIdentity Id(const std::string& name = "t", const std::string& version = "0") {
    return ObjectIdentity{CatalogRef{"000000000000", "us-east-1"}, "table", "db", "", name,
                          version};
  }
  static CatalogEncryption Kms(const std::string& key = "alias/aws/glue") {
    CatalogEncryption e;
    e.mode = CatalogEncryption::Mode::kSseKms;
    e.key_id = key;
    return e;
  }
  static CatalogEncryption Disabled() { return CatalogEncryption{}; }
};

TEST_F(GlueCryptoTest, SealRoundTripsWithGlueDefaultKeyWithoutKms) {
  auto sealed = crypto().Seal(Caller(), Disabled(), Id(), kDocument);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_EQ(sealed->scheme, kSchemeGlueDefault);
  EXPECT_TRUE(sealed->key_arn.empty());
  EXPECT_EQ(sealed->bytes.find("ssn"), std::string::npos);
  auto opened = crypto().Open(Caller(), Disabled(), Id(), sealed->bytes);
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(*opened, kDocument);
  EXPECT_TRUE(fake_kms()->calls().empty());
}

TEST_F(GlueCryptoTest, SealUsesDataKeyRequestedAsCallerViaGlue) {
  auto sealed = crypto().Seal(Caller(), Kms("alias/my-key"), Id(), kDocument);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_EQ(sealed->scheme, kSchemeCatalogKms);
  EXPECT_EQ(sealed->key_arn, testing::FakeGlueKms::ArnFor("alias/my-key"));
  ASSERT_EQ(fake_kms()->calls().size(), 1u);
  const auto& call = fake_kms()->calls()[0];
  EXPECT_EQ(call.operation, "GenerateDataKey");
  EXPECT_EQ(call.key_id, "alias/my-key");
  EXPECT_EQ(call.principal_arn, User("alice").arn);
  EXPECT_EQ(call.via_service, "glue.us-east-1.amazonaws.com");
  EXPECT_THAT(call.called_via, ElementsAre("glue.amazonaws.com"));
}

TEST_F(GlueCryptoTest, OpenDecryptsKmsSealedObjectAsCallerEvenWhenEncryptionIsNowDisabled) {
  auto sealed = crypto().Seal(Caller(), Kms(), Id(), kDocument);
  ASSERT_THAT(sealed, IsOk());
  auto opened = crypto().Open(Caller(), Disabled(), Id(), sealed->bytes);
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(*opened, kDocument);
  ASSERT_EQ(fake_kms()->calls().size(), 2u);
  EXPECT_EQ(fake_kms()->calls()[1].operation, "Decrypt");
  EXPECT_EQ(fake_kms()->calls()[1].via_service, "glue.us-east-1.amazonaws.com");
}

TEST_F(GlueCryptoTest, OpenFailsWhenBlobIsMovedToAnotherRow) {
  auto sealed = crypto().Seal(Caller(), Disabled(), Id("t"), kDocument);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_THAT(crypto().Open(Caller(), Disabled(), Id("other"), sealed->bytes),
              HasAwsError("InternalFailure"));
  EXPECT_THAT(crypto().Open(Caller(), Disabled(), Id("t", "1"), sealed->bytes),
              HasAwsError("InternalFailure"));
}

TEST_F(GlueCryptoTest, OpenFailsWhenAnyStoredByteIsFlipped) {
  auto sealed = crypto().Seal(Caller(), Kms(), Id(), kDocument);
  ASSERT_THAT(sealed, IsOk());
  for (size_t i : {size_t{1}, size_t{5}, sealed->bytes.size() / 2, sealed->bytes.size() - 1}) {
    std::string tampered = sealed->bytes;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_THAT(crypto().Open(Caller(), Disabled(), Id(), tampered), Not(IsOk())) << i;
  }
}

TEST_F(GlueCryptoTest, SealWrapsKmsDenialInGlueEncryptionExceptionWithSdkSuffix) {
  const std::string denial =
      "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
      "kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:000000000000:key/k because no "
      "identity-based policy allows the kms:GenerateDataKey action";
  fake_kms()->FailWith(AwsError("AccessDeniedException", denial, 400));
  auto sealed = crypto().Seal(Caller(), Kms(), Id(), kDocument);
  ASSERT_THAT(sealed, HasAwsError("GlueEncryptionException"));
  const std::string& message = sealed.error().message;
  EXPECT_EQ(message.rfind(denial + " (Service: AWSKMS; Status Code: 400; Error Code: "
                                   "AccessDeniedException; Request ID: ",
                          0),
            0u)
      << message;
  EXPECT_THAT(message, ::testing::EndsWith("; Proxy: null)"));
  EXPECT_EQ(sealed.error().http_status, 400);
}

TEST_F(GlueCryptoTest, OpenWrapsKmsDisabledKeyInGlueEncryptionException) {
  auto sealed = crypto().Seal(Caller(), Kms(), Id(), kDocument);
  ASSERT_THAT(sealed, IsOk());
  fake_kms()->FailWith(AwsError("DisabledException", "arn:aws:kms:us-east-1:0:key/k is disabled.", 400));
  auto opened = crypto().Open(Caller(), Kms(), Id(), sealed->bytes);
  ASSERT_THAT(opened, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(opened.error().message, HasSubstr("Error Code: DisabledException;"));
}

TEST_F(GlueCryptoTest, ServiceRoleModeNeverFallsBackToTheCaller) {
  // No such role here (no IAM service in this fixture): the role cannot be
  // assumed, and Glue must not use the caller's identity instead.
  CatalogEncryption e = Kms();
  e.mode = CatalogEncryption::Mode::kSseKmsWithServiceRole;
  e.service_role_arn = "arn:aws:iam::000000000000:role/catalog";
  EXPECT_THAT(crypto().Seal(Caller(), e, Id(), kDocument), Not(IsOk()));
  EXPECT_TRUE(fake_kms()->calls().empty());
}

TEST_F(GlueCryptoTest, EncryptPasswordReturnsBase64KmsCiphertextMadeAsCaller) {
  auto encrypted = crypto().EncryptPassword(Caller(), "alias/pw", "hunter2");
  ASSERT_THAT(encrypted, IsOk());
  auto blob = crypto::Base64Decode(encrypted->base64_ciphertext);
  ASSERT_THAT(blob, IsOk());
  EXPECT_EQ(encrypted->key_arn, testing::FakeGlueKms::ArnFor("alias/pw"));
  ASSERT_EQ(fake_kms()->calls().size(), 1u);
  EXPECT_EQ(fake_kms()->calls()[0].operation, "Encrypt");
  EXPECT_EQ(fake_kms()->calls()[0].via_service, "glue.us-east-1.amazonaws.com");
  auto decrypted = crypto().DecryptPassword(Caller(), encrypted->base64_ciphertext);
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(*decrypted, "hunter2");
}

TEST_F(GlueCryptoTest, PartitionIdIsDeterministicAndHidesValues) {
  CatalogRef ref{"000000000000", "us-east-1"};
  auto a = crypto().PartitionId(ref, {"2024", "01"});
  auto b = crypto().PartitionId(ref, {"2024", "01"});
  auto c = crypto().PartitionId(ref, {"2024", "02"});
  auto d = crypto().PartitionId(ref, {"202401"});
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(a->find("2024"), std::string::npos);
}

TEST_F(GlueCryptoTest, PartitionIdDiffersBetweenCatalogs) {
  auto a = crypto().PartitionId(CatalogRef{"000000000000", "us-east-1"}, {"x"});
  auto b = crypto().PartitionId(CatalogRef{"000000000000", "eu-west-1"}, {"x"});
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(*a, *b);
}

TEST_F(GlueCryptoTest, ReadHeaderRejectsUnknownFormat) {
  EXPECT_THAT(GlueCrypto::ReadHeader(""), HasAwsError("InternalFailure"));
  EXPECT_THAT(GlueCrypto::ReadHeader(std::string("\x02\x02\x00\x00", 4) + std::string(40, 'x')),
              HasAwsError("InternalFailure"));
}

TEST(GlueErrorsTest, GlueEncryptionKeepsKmsMessageAndStatus) {
  AwsError e = errors::GlueEncryption(AwsError("KMSInvalidStateException", "k is pending deletion.", 400),
                                      "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(e.code, "GlueEncryptionException");
  EXPECT_EQ(e.message,
            "k is pending deletion. (Service: AWSKMS; Status Code: 400; Error Code: "
            "KMSInvalidStateException; Request ID: 11111111-2222-4333-8444-555555555555; Proxy: "
            "null)");
}

}  // namespace
}  // namespace gee::glue

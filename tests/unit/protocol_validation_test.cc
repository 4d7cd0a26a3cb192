#include "protocol/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "protocol/base64.h"
#include "protocol/model.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Validates `input` for service/operation and returns the error (or an
// AwsError with an empty code when validation passed).
AwsError Validate(std::string_view service, std::string_view operation, const Json& input) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok());
  const Operation* op = (*model)->FindOperation(operation);
  EXPECT_NE(op, nullptr) << operation;
  Status status = ValidateInput(**model, *op, input);
  if (status.ok()) return AwsError("", "", 0);
  return status.error();
}

std::string Bytes(size_t n) { return Base64Encode(std::string(n, 'x')); }

// ---- KMS ----

TEST(ValidationTest, EncryptFailsWhenKeyIdIsMissing) {
  AwsError e = Validate("kms", "Encrypt", {{"Plaintext", Bytes(3)}});
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.message,
            "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(ValidationTest, EncryptTreatsJsonNullAsMissing) {
  AwsError e = Validate("kms", "Encrypt", {{"KeyId", nullptr}, {"Plaintext", Bytes(3)}});
  EXPECT_THAT(e.message, HasSubstr("Value null at 'keyId'"));
}

TEST(ValidationTest, EncryptReportsEveryMissingRequiredMemberInModelOrder) {
  AwsError e = Validate("kms", "Encrypt", Json::object());
  EXPECT_EQ(e.message,
            "2 validation errors detected: "
            "Value null at 'keyId' failed to satisfy constraint: Member must not be null; "
            "Value null at 'plaintext' failed to satisfy constraint: Member must not be null");
}

TEST(ValidationTest, EncryptHidesAnOverlongPlaintext) {
  AwsError e = Validate("kms", "Encrypt", {{"KeyId", "alias/x"}, {"Plaintext", Bytes(4097)}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
            "Member must have length less than or equal to 4096");
}

TEST(ValidationTest, EncryptMeasuresPlaintextOnDecodedBytes) {
  // 4096 bytes are 5464 base64 characters: the limit applies to the bytes.
  AwsError e = Validate("kms", "Encrypt", {{"KeyId", "alias/x"}, {"Plaintext", Bytes(4096)}});
  EXPECT_EQ(e.code, "");
}

TEST(ValidationTest, EncryptMeasuresAPlaintextThatIsNotBase64ByItsCharacters) {
  // 5200 characters in whole quanta would decode to 3900 bytes if they were
  // base64; they are not, so their length is 5200.
  AwsError e = Validate("kms", "Encrypt", {{"KeyId", "alias/x"}, {"Plaintext", std::string(5200, '!')}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
            "Member must have length less than or equal to 4096");
  EXPECT_EQ(Validate("kms", "Encrypt", {{"KeyId", "alias/x"}, {"Plaintext", std::string(4096, '!')}}).code,
            "");
}

TEST(ValidationTest, DecryptHidesAnEmptyCiphertextBlob) {
  AwsError e = Validate("kms", "Decrypt", {{"CiphertextBlob", ""}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(ValidationTest, GenerateRandomRejectsZeroBytes) {
  AwsError e = Validate("kms", "GenerateRandom", {{"NumberOfBytes", 0}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
}

TEST(ValidationTest, GenerateRandomRejectsMoreThan1024Bytes) {
  AwsError e = Validate("kms", "GenerateRandom", {{"NumberOfBytes", 1025}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy "
            "constraint: Member must have value less than or equal to 1024");
}

TEST(ValidationTest, GenerateRandomAcceptsTheBounds) {
  EXPECT_EQ(Validate("kms", "GenerateRandom", {{"NumberOfBytes", 1}}).code, "");
  EXPECT_EQ(Validate("kms", "GenerateRandom", {{"NumberOfBytes", 1024}}).code, "");
}

TEST(ValidationTest, CreateKeyListsTheWholeKeySpecEnum) {
  AwsError e = Validate("kms", "CreateKey", {{"KeySpec", "AES_999"}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'AES_999' at 'keySpec' failed to satisfy constraint: "
            "Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, "
            "ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, "
            "HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]");
}

TEST(ValidationTest, CreateKeyNamesNestedTagMembersByIndex) {
  Json input = {{"Tags", Json::array({{{"TagKey", "ok"}, {"TagValue", "v"}},
                                      {{"TagKey", ""}, {"TagValue", "v"}},
                                      {{"TagKey", "k"}}})}};
  AwsError e = Validate("kms", "CreateKey", input);
  EXPECT_EQ(e.message,
            "2 validation errors detected: "
            "Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1; "
            "Value null at 'tags.3.member.tagValue' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(ValidationTest, EncryptReportsAnOverlongListWithItsValue) {
  Json tokens = Json::array();
  for (int i = 0; i < 11; ++i) tokens.push_back("t" + std::to_string(i));
  AwsError e = Validate("kms", "Encrypt", {{"KeyId", "k"}, {"Plaintext", Bytes(1)}, {"GrantTokens", tokens}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '[t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10]' at "
            "'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10");
}

TEST(ValidationTest, EncryptReportsAConstrainedListElementOnTheList) {
  AwsError e = Validate("kms", "Encrypt",
                        {{"KeyId", "k"}, {"Plaintext", Bytes(1)}, {"GrantTokens", {"a", ""}}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '[a, ]' at 'grantTokens' failed to satisfy "
            "constraint: Member must satisfy constraint: [Member must have length less than or "
            "equal to 8192, Member must have length greater than or equal to 1]");
}

TEST(ValidationTest, FindViolationsStopsAtTenAsAwsDoes) {
  Json tags = Json::array();
  for (int i = 0; i < 15; ++i) tags.push_back({{"TagValue", "v"}});
  AwsError e = Validate("kms", "CreateKey", {{"Tags", tags}});
  EXPECT_THAT(e.message, StartsWith("10 validation errors detected: "));
  EXPECT_THAT(e.message, HasSubstr("'tags.10.member.tagKey'"));
  EXPECT_THAT(e.message, ::testing::Not(HasSubstr("'tags.11.member.tagKey'")));
}

// ---- Glue ----

TEST(ValidationTest, CreateDatabaseFailsWhenDatabaseInputIsMissing) {
  AwsError e = Validate("glue", "CreateDatabase", Json::object());
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message,
            "1 validation error detected: Value null at 'databaseInput' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ValidationTest, CreateDatabaseChecksNestedNamePatternBeforeLength) {
  AwsError e = Validate("glue", "CreateDatabase", {{"DatabaseInput", {{"Name", std::string(256, '\n')}}}});
  EXPECT_EQ(e.message,
            "2 validation errors detected: Value '" + std::string(256, '\n') +
                "' at 'databaseInput.name' failed to satisfy constraint: Member must satisfy regular "
                "expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*; "
                "Value '" + std::string(256, '\n') +
                "' at 'databaseInput.name' failed to satisfy constraint: Member must have length "
                "less than or equal to 255");
}

TEST(ValidationTest, CreateTableNamesDeepListPaths) {
  Json columns = Json::array();
  for (int i = 0; i < 4; ++i) columns.push_back({{"Name", "c" + std::to_string(i)}});
  columns.push_back({{"Name", "c4"}, {"Comment", "line\nbreak"}});
  Json input = {{"DatabaseName", "db"},
                {"TableInput", {{"Name", "t"}, {"StorageDescriptor", {{"Columns", columns}}}}}};
  AwsError e = Validate("glue", "CreateTable", input);
  EXPECT_THAT(e.message, StartsWith("1 validation error detected: Value 'line\nbreak' at "
                                    "'tableInput.storageDescriptor.columns.5.member.comment' failed "
                                    "to satisfy constraint: Member must satisfy regular expression pattern: "));
}

TEST(ValidationTest, CreateDatabaseReportsBadMapKeysOnTheMap) {
  AwsError e = Validate("glue", "CreateDatabase", {{"DatabaseInput", {{"Name", "db"}}}, {"Tags", {{"", "v"}}}});
  EXPECT_THAT(e.message, StartsWith("1 validation error detected: Value '{=v}' at 'tags' failed to "
                                    "satisfy constraint: Map keys must satisfy constraint: [Member "
                                    "must have length less than or equal to 128, Member must have "
                                    "length greater than or equal to 1"));
}

// ---- CloudWatch Logs ----

TEST(ValidationTest, CreateLogGroupUsesInvalidParameterException) {
  AwsError e = Validate("logs", "CreateLogGroup", {{"logGroupName", "testServiceName:latest-metrics"}});
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'testServiceName:latest-metrics' at 'logGroupName' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "[\\.\\-_/#A-Za-z0-9]+");
}

TEST(ValidationTest, DescribeLogGroupsReportsPatternThenLengthForAnEmptyPrefix) {
  // Text recorded from CloudWatch Logs (fluent-plugin-cloudwatch-logs#223).
  AwsError e = Validate("logs", "DescribeLogGroups", {{"logGroupNamePrefix", ""}});
  EXPECT_EQ(e.message,
            "2 validation errors detected: Value '' at 'logGroupNamePrefix' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; "
            "Value '' at 'logGroupNamePrefix' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1");
}

// ---- STS (the Query codec feeds the same validator) ----

TEST(ValidationTest, AssumeRoleReportsPatternThenMinLengthForAnEmptyRoleArn) {
  AwsError e = Validate("sts", "AssumeRole", {{"RoleArn", ""}, {"RoleSessionName", "s1"}});
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message,
            "2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: "
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+; "
            "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater "
            "than or equal to 20");
}

TEST(ValidationTest, AssumeRoleCountsLengthInCodePoints) {
  std::string bmp;
  for (int i = 0; i < 2048; ++i) bmp += "\xC3\xA9";  // é, 2 bytes each
  EXPECT_EQ(Validate("sts", "AssumeRole", {{"RoleArn", bmp}, {"RoleSessionName", "s1"}}).code, "");
  AwsError e = Validate("sts", "AssumeRole", {{"RoleArn", bmp + "\xC3\xA9"}, {"RoleSessionName", "s1"}});
  EXPECT_THAT(e.message, HasSubstr("Member must have length less than or equal to 2048"));
}

TEST(ValidationTest, AssumeRoleRejectsASessionNameOutsideThePattern) {
  AwsError e = Validate("sts", "AssumeRole",
                        {{"RoleArn", "arn:aws:iam::123456789012:role/r"}, {"RoleSessionName", "bad/name"}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}

TEST(ValidationTest, AssumeRoleRejectsAShortDuration) {
  AwsError e = Validate("sts", "AssumeRole",
                        {{"RoleArn", "arn:aws:iam::123456789012:role/r"}, {"RoleSessionName", "s1"},
                         {"DurationSeconds", 899}});
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
            "constraint: Member must have value greater than or equal to 900");
}

// ---- robustness and helpers ----

TEST(ValidationTest, FindViolationsSkipsValuesOfTheWrongType) {
  auto model = ServiceModel::Get("kms");
  ASSERT_TRUE(model.ok());
  const Shape& input = *(*model)->FindOperation("Encrypt")->input.shape;
  for (const Json& weird : {Json(42), Json("s"), Json::array({1, 2}), Json(nullptr)}) {
    std::vector<Violation> v = FindViolations(input, {{"KeyId", weird}, {"Plaintext", weird},
                                                      {"EncryptionContext", weird},
                                                      {"GrantTokens", weird}});
    for (const Violation& x : v) EXPECT_EQ(x.constraint, "Member must not be null") << x.Describe();
  }
}

TEST(ValidationTest, DescribeFormatsTheThreeValueForms) {
  EXPECT_EQ((Violation{"a", Violation::ValueForm::kShown, "v", "C"}).Describe(),
            "Value 'v' at 'a' failed to satisfy constraint: C");
  EXPECT_EQ((Violation{"a", Violation::ValueForm::kHidden, "v", "C"}).Describe(),
            "Value at 'a' failed to satisfy constraint: C");
  EXPECT_EQ((Violation{"a", Violation::ValueForm::kNull, "", "C"}).Describe(),
            "Value null at 'a' failed to satisfy constraint: C");
}

TEST(ValidationTest, ValidationStyleForNamesEachServicesCode) {
  EXPECT_EQ(ValidationStyleFor("kms").error_code, "ValidationException");
  EXPECT_EQ(ValidationStyleFor("glue").error_code, "ValidationException");
  EXPECT_EQ(ValidationStyleFor("logs").error_code, "InvalidParameterException");
  EXPECT_EQ(ValidationStyleFor("iam").error_code, "ValidationError");
  EXPECT_EQ(ValidationStyleFor("sts").error_code, "ValidationError");
  EXPECT_EQ(ValidationStyleFor("kms").serialization_error_code, "SerializationException");
  EXPECT_EQ(ValidationStyleFor("iam").serialization_error_code, "MalformedInput");
}

TEST(ValidationTest, JavaDoubleStringFollowsJavaLayout) {
  EXPECT_EQ(JavaDoubleString(1.0), "1.0");
  EXPECT_EQ(JavaDoubleString(100), "100.0");
  EXPECT_EQ(JavaDoubleString(123.456), "123.456");
  EXPECT_EQ(JavaDoubleString(0.001), "0.001");
  EXPECT_EQ(JavaDoubleString(1e7), "1.0E7");
  EXPECT_EQ(JavaDoubleString(1.5e-4), "1.5E-4");
  EXPECT_EQ(JavaDoubleString(-2.5), "-2.5");
  EXPECT_EQ(JavaDoubleString(0.0), "0.0");
}

}  // namespace
}  // namespace gee::protocol

namespace gee::protocol {
namespace {

TEST(ProtocolBase64Test, DecodeRoundTripsEveryLengthAndDecodedSizeAgrees) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    const std::string text = Base64Encode(bytes);
    auto decoded = Base64Decode(text);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(*decoded, bytes);
    auto size = Base64DecodedSize(text);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, bytes.size());
    bytes.push_back(static_cast<char>(n * 37 + 200));
  }
}

TEST(ProtocolBase64Test, DecodedSizeRejectsWhatDecodeRejects) {
  for (const char* text : {"abcde", "aGl=", "aG==x===", "a!==", "aQ==", "aR==", "aGk="}) {
    EXPECT_EQ(Base64Decode(text).ok(), Base64DecodedSize(text).ok()) << text;
  }
  EXPECT_FALSE(Base64Decode("aR==").ok());   // unused bits set
  EXPECT_TRUE(Base64Decode("aQ==").ok());
  EXPECT_EQ(*Base64Decode("aGk="), "hi");
}

}  // namespace
}  // namespace gee::protocol

#include "protocol/json_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/validation.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;

const ServiceModel& Model(std::string_view service) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok());
  return **model;
}

const Operation& Op(std::string_view service, std::string_view name) {
  const Operation* op = Model(service).FindOperation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

AwsError DecodeError(std::string_view service, std::string_view op, std::string_view body) {
  auto r = DecodeJsonInput(Op(service, op), body);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? AwsError() : r.error();
}

TEST(JsonCodecTest, ResolveFindsTheOperationFromTheTarget) {
  auto op = ResolveJsonOperation(Model("kms"), "TrentService.GenerateDataKey");
  ASSERT_TRUE(op.ok());
  EXPECT_EQ((*op)->name, "GenerateDataKey");
  auto logs = ResolveJsonOperation(Model("logs"), "Logs_20140328.PutLogEvents");
  ASSERT_TRUE(logs.ok());
}

TEST(JsonCodecTest, ResolveFailsWithUnknownOperationException) {
  for (const char* target : {"TrentService.Nope", "AWSGlue.CreateTable", "", "TrentService.", "Encrypt"}) {
    auto op = ResolveJsonOperation(Model("kms"), target);
    ASSERT_FALSE(op.ok()) << target;
    EXPECT_EQ(op.error().code, "UnknownOperationException");
    EXPECT_EQ(op.error().message, "");
    EXPECT_EQ(op.error().http_status, 400);
  }
}

TEST(JsonCodecTest, RenderUnknownOperationHasNoMessage) {
  WireReply reply = RenderJsonError(&Model("logs"), AwsError("UnknownOperationException", "", 400), "rid");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, R"({"__type":"UnknownOperationException"})");
  EXPECT_EQ(reply.Header("x-amzn-ErrorType"), "UnknownOperationException");
  EXPECT_EQ(reply.Header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(reply.Header("x-amzn-RequestId"), "rid");
}

TEST(JsonCodecTest, DecodeReadsAnEmptyBodyAsAnEmptyObject) {
  for (const char* body : {"", "  \n", "{}", "null"}) {
    auto r = DecodeJsonInput(Op("kms", "ListKeys"), body);
    ASSERT_TRUE(r.ok()) << body;
    EXPECT_EQ(*r, Json::object());
  }
}

TEST(JsonCodecTest, DecodeDropsUnknownMembersAndNulls) {
  auto r = DecodeJsonInput(Op("kms", "Encrypt"), R"({"KeyId":"k","Plaintext":"aGk=","Bogus":1,"GrantTokens":null})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Json::parse(R"({"KeyId":"k","Plaintext":"aGk="})"));
}

TEST(JsonCodecTest, DecodeFailsOnMalformedJsonWithABareSerializationException) {
  for (const char* body : {"{", "{\"KeyId\":}", "nope", "{\"a\":\"\xff\"}", "{}{}"}) {
    AwsError e = DecodeError("kms", "Encrypt", body);
    EXPECT_EQ(e.code, "SerializationException") << body;
    EXPECT_EQ(e.message, "") << body;
    EXPECT_EQ(e.http_status, 400);
  }
}

TEST(JsonCodecTest, DecodeRejectsANonObjectBody) {
  EXPECT_EQ(DecodeError("kms", "Encrypt", "[1]").message, "Start of list found where not expected");
  EXPECT_EQ(DecodeError("kms", "Encrypt", "42").code, "SerializationException");
  EXPECT_EQ(DecodeError("kms", "Encrypt", "\"s\"").code, "SerializationException");
}

TEST(JsonCodecTest, DecodeRejectsANumberWhereAStringBelongs) {
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":1})").message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":true})").message,
            "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":{}})").message,
            "Start of structure or map found where not expected.");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":[]})").message, "Start of list found where not expected");
}

TEST(JsonCodecTest, DecodeRejectsAStringWhereANumberBelongs) {
  EXPECT_EQ(DecodeError("kms", "GenerateRandom", R"({"NumberOfBytes":"32"})").message,
            "class java.lang.String can not be converted to an Integer");
  EXPECT_EQ(DecodeError("kms", "GenerateRandom", R"({"NumberOfBytes":false})").message,
            "class java.lang.Boolean can not be converted to an Integer");
  EXPECT_EQ(DecodeError("logs", "GetLogEvents", R"({"logStreamName":"s","startTime":"x"})").message,
            "class java.lang.String can not be converted to an Long");
}

TEST(JsonCodecTest, DecodeTruncatesFractionalAndClampsHugeIntegers) {
  auto r = DecodeJsonInput(Op("kms", "GenerateRandom"), R"({"NumberOfBytes":32.9})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["NumberOfBytes"], 32);
  auto big = DecodeJsonInput(Op("kms", "GenerateRandom"), R"({"NumberOfBytes":1e300})");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ((*big)["NumberOfBytes"], 2147483647);
  Status s = ValidateInput(Model("kms"), Op("kms", "GenerateRandom"), *big);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("Value '2147483647' at 'numberOfBytes'"));
}

TEST(JsonCodecTest, DecodeChecksBooleans) {
  auto ok = DecodeJsonInput(Op("kms", "CreateKey"), R"({"BypassPolicyLockoutSafetyCheck":"yes"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["BypassPolicyLockoutSafetyCheck"], true);
  EXPECT_EQ(DecodeError("kms", "CreateKey", R"({"BypassPolicyLockoutSafetyCheck":"maybe"})").message,
            "'MAYBE' can not be converted to an Boolean");
  EXPECT_EQ(DecodeError("kms", "CreateKey", R"({"BypassPolicyLockoutSafetyCheck":1})").message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean");
}

TEST(JsonCodecTest, DecodeChecksBase64Blobs) {
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":"k","Plaintext":"abcde"})").message,
            "'abcde' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":"k","Plaintext":"ab!d"})").message,
            "'ab!d' can not be converted to a Blob: Invalid Base64 character: '!'");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":"k","Plaintext":"aGl="})").message,
            "'aGl=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"KeyId":"k","Plaintext":7})").message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
}

TEST(JsonCodecTest, DecodeChecksContainersAndNestedMembers) {
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"GrantTokens":"t"})").message, "Expected list or null");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"GrantTokens":{}})").message,
            "Start of structure or map found where not expected.");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"EncryptionContext":"c"})").message, "Expected map or null");
  EXPECT_EQ(DecodeError("kms", "Encrypt", R"({"EncryptionContext":{"k":1}})").message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
  EXPECT_EQ(DecodeError("kms", "CreateKey", R"({"Tags":[{"TagKey":5}]})").message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
  EXPECT_EQ(DecodeError("kms", "CreateKey", R"({"Tags":["x"]})").message, "Expected null");
  EXPECT_EQ(DecodeError("kms", "CreateKey", R"({"Tags":[null]})").code, "SerializationException");
}

TEST(JsonCodecTest, DecodeChecksTimestamps) {
  auto ok = DecodeJsonInput(Op("kms", "ListKeyRotations"), R"({"KeyId":"k"})");
  ASSERT_TRUE(ok.ok());
  // Glue GetJobRuns has no timestamp input; use a synthetic model for both formats.
  auto model = ServiceModel::Parse("t", R"({"metadata":{},"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},
      "shapes":{"In":{"type":"structure","members":{"A":{"shape":"Epoch"},"B":{"shape":"Iso"}}},
      "Epoch":{"type":"timestamp"},"Iso":{"type":"timestamp","timestampFormat":"iso8601"}}})");
  ASSERT_TRUE(model.ok());
  const Operation& op = *(*model)->FindOperation("Op");
  auto r = DecodeJsonInput(op, R"({"A":1478910250.94,"B":"2024-01-01T00:00:00Z"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["A"], 1478910250.94);
  EXPECT_EQ((*r)["B"], 1704067200.0);
  auto bad = DecodeJsonInput(op, R"({"A":"2024-01-01T00:00:00Z"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "class java.lang.String can not be converted to milliseconds since epoch");
}

TEST(JsonCodecTest, DecodeIgnoresDeeplyNestedUnknownMembers) {
  std::string deep = R"({"KeyId":"k","Unknown":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
  auto r = DecodeJsonInput(Op("kms", "Encrypt"), deep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Json::parse(R"({"KeyId":"k"})"));
}

TEST(JsonCodecTest, DecodeRejectsNestingBeyondTheDepthBound) {
  auto model = ServiceModel::Parse("t", R"({"metadata":{},"operations":{"Op":{"name":"Op","input":{"shape":"Node"}}},
      "shapes":{"Node":{"type":"structure","members":{"Child":{"shape":"Node"}}}}})");
  ASSERT_TRUE(model.ok());
  const Operation& op = *(*model)->FindOperation("Op");
  std::string shallow, deep;
  for (int i = 0; i < 10; ++i) shallow += R"({"Child":)";
  shallow += "{}" + std::string(10, '}');
  EXPECT_TRUE(DecodeJsonInput(op, shallow).ok());
  for (int i = 0; i < 100; ++i) deep += R"({"Child":)";
  deep += "{}" + std::string(100, '}');
  auto r = DecodeJsonInput(op, deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_EQ(r.error().message, "");
}

TEST(JsonCodecTest, EncodeWritesModelMembersInOrderAndDropsTheRest) {
  Json output = {{"Plaintext", "cGxhaW4="}, {"KeyId", "arn:aws:kms:us-east-1:111122223333:key/k"},
                 {"CiphertextBlob", "Y2lwaGVy"}, {"Extra", 1}, {"CiphertextForRecipient", nullptr}};
  EXPECT_EQ(EncodeJsonOutput(Op("kms", "GenerateDataKey"), output),
            R"({"CiphertextBlob":"Y2lwaGVy","Plaintext":"cGxhaW4=","KeyId":"arn:aws:kms:us-east-1:111122223333:key/k"})");
}

TEST(JsonCodecTest, EncodeKeepsEpochTimestampsAsNumbers) {
  Json output = {{"KeyMetadata", {{"KeyId", "k"}, {"CreationDate", 1704067200.5}, {"Enabled", true}}}};
  EXPECT_EQ(EncodeJsonOutput(Op("kms", "DescribeKey"), output),
            R"({"KeyMetadata":{"KeyId":"k","CreationDate":1704067200.5,"Enabled":true}})");
}

TEST(JsonCodecTest, EncodeVoidOperationIsAnEmptyObject) {
  EXPECT_EQ(EncodeJsonOutput(Op("logs", "CreateLogGroup"), Json::object()), "{}");
  WireReply reply = RenderJsonResponse(Op("logs", "CreateLogGroup"), Json::object(), "rid");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("Content-Type"), "application/x-amz-json-1.1");
}

TEST(JsonCodecTest, RenderErrorUsesTheModelsMessageKey) {
  WireReply kms = RenderJsonError(&Model("kms"), AwsError("NotFoundException", "Key 'x' does not exist", 400), "r");
  EXPECT_EQ(kms.body, R"({"__type":"NotFoundException","message":"Key 'x' does not exist"})");
  WireReply glue = RenderJsonError(&Model("glue"), AwsError("EntityNotFoundException", "Database db not found.", 400), "r");
  EXPECT_EQ(glue.body, R"({"__type":"EntityNotFoundException","Message":"Database db not found."})");
  WireReply bare = RenderJsonError(&Model("kms"), AwsError("InvalidCiphertextException", "", 400), "r");
  EXPECT_EQ(bare.body, R"({"__type":"InvalidCiphertextException"})");
  WireReply fault = RenderJsonError(nullptr, AwsError("KMSInternalException", "boom", 500), "r");
  EXPECT_EQ(fault.status, 500);
  EXPECT_EQ(fault.body, R"({"__type":"KMSInternalException","message":"boom"})");
}

}  // namespace
}  // namespace gee::protocol

namespace gee::protocol {
namespace {

TEST(JsonCodecTest, DecodeClampsNumbersBeyondDoubleRange) {
  auto model = ServiceModel::Get("kms");
  ASSERT_TRUE(model.ok());
  for (const char* body : {R"({"NumberOfBytes":1e999})", R"({"NumberOfBytes":-1e999})",
                           R"({"NumberOfBytes":123456789012345678901234567890})"}) {
    auto r = DecodeJsonInput(*(*model)->FindOperation("GenerateRandom"), body);
    if (r.ok()) {
      EXPECT_TRUE((*r)["NumberOfBytes"].is_number_integer()) << body;
    } else {
      EXPECT_EQ(r.error().code, "SerializationException") << body;
    }
  }
}

}  // namespace
}  // namespace gee::protocol

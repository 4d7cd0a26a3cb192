// The harness's S3 REST-XML serialisation, per the botocore s3 model.
#include "harness/client/rest_serializer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace gee::harness {
namespace {

using nlohmann::json;
using protocol::ServiceModel;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

const protocol::Operation& Op(const std::string& name) {
  auto model = ServiceModel::Get("s3");
  EXPECT_TRUE(model.ok());
  const protocol::Operation* op = (*model)->FindOperation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

TEST(RestSerializerTest, PutObjectPutsTheKeyInThePathAndSseInHeaders) {
  auto r = EncodeRestInput(Op("PutObject"), {{"Bucket", "data"},
                                             {"Key", "output/run 1/part-0.json"},
                                             {"Body", "hello"},
                                             {"ServerSideEncryption", "aws:kms"},
                                             {"SSEKMSKeyId", "arn:aws:kms:us-east-1:000000000000:key/k"},
                                             {"BucketKeyEnabled", false},
                                             {"Metadata", {{"owner", "etl"}}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->method, "PUT");
  EXPECT_EQ(r->target, "/data/output/run%201/part-0.json");
  EXPECT_EQ(r->body, "hello");
  EXPECT_THAT(r->headers, Contains(Pair("x-amz-server-side-encryption", "aws:kms")));
  EXPECT_THAT(r->headers, Contains(Pair("x-amz-server-side-encryption-aws-kms-key-id",
                                        "arn:aws:kms:us-east-1:000000000000:key/k")));
  EXPECT_THAT(r->headers, Contains(Pair("x-amz-server-side-encryption-bucket-key-enabled", "false")));
  EXPECT_THAT(r->headers, Contains(Pair("x-amz-meta-owner", "etl")));
}

TEST(RestSerializerTest, BinaryBodiesAreGivenAsBase64) {
  auto r = EncodeRestInput(Op("PutObject"), {{"Bucket", "b"}, {"Key", "k"}, {"Body", {{"base64", "AAEC/w=="}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, std::string("\x00\x01\x02\xff", 4));
}

TEST(RestSerializerTest, SubresourceAndQueryMembersFormTheQueryString) {
  auto list = EncodeRestInput(Op("ListObjectsV2"), {{"Bucket", "b"}, {"Prefix", "output/"}, {"MaxKeys", 5}});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->method, "GET");
  EXPECT_EQ(list->target, "/b?list-type=2&max-keys=5&prefix=output%2F");
  auto enc = EncodeRestInput(Op("GetBucketEncryption"), {{"Bucket", "b"}});
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(enc->target, "/b?encryption");
  EXPECT_TRUE(enc->body.empty());
}

TEST(RestSerializerTest, StructurePayloadIsXmlWithItsNamespaceAndAContentMd5) {
  auto r = EncodeRestInput(
      Op("PutBucketEncryption"),
      {{"Bucket", "b"},
       {"ServerSideEncryptionConfiguration",
        {{"Rules", {{{"ApplyServerSideEncryptionByDefault", {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", "k"}}},
                     {"BucketKeyEnabled", true}}}}}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->target, "/b?encryption");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r->body.c_str())) << r->body;
  pugi::xml_node root = doc.child("ServerSideEncryptionConfiguration");
  ASSERT_TRUE(root) << r->body;
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  pugi::xml_node rule = root.child("Rule");
  ASSERT_TRUE(rule) << r->body;  // the list is flattened as <Rule> elements
  EXPECT_STREQ(rule.child("ApplyServerSideEncryptionByDefault").child_value("SSEAlgorithm"), "aws:kms");
  EXPECT_STREQ(rule.child_value("BucketKeyEnabled"), "true");
  bool md5 = false;
  for (const auto& [n, v] : r->headers) md5 = md5 || (n == "Content-MD5" && v.size() == 24);
  EXPECT_TRUE(md5);
}

TEST(RestSerializerTest, ContentMd5IsTheBase64Md5OfTheBody) {
  auto r = EncodeRestInput(Op("PutBucketPolicy"), {{"Bucket", "b"}, {"Policy", "hello"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "hello");
  EXPECT_THAT(r->headers, Contains(Pair("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==")));
}

TEST(RestSerializerTest, CreateBucketOutsideUsEast1CarriesItsLocationConstraint) {
  auto r = EncodeRestInput(Op("CreateBucket"),
                           {{"Bucket", "b"}, {"CreateBucketConfiguration", {{"LocationConstraint", "eu-west-1"}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->target, "/b");
  EXPECT_THAT(r->body, HasSubstr("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                 "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"));
}

TEST(RestSerializerTest, BucketNamesAreFullyEncodedButKeysKeepTheirSlashes) {
  auto r = EncodeRestInput(Op("DeleteObject"), {{"Bucket", "b"}, {"Key", "a/b+c~d"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, "DELETE");
  EXPECT_EQ(r->target, "/b/a/b%2Bc~d");
}

TEST(RestSerializerTest, MissingUriMemberIsAnError) {
  auto r = EncodeRestInput(Op("GetObject"), {{"Bucket", "b"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidHarnessInput");
  EXPECT_THAT(r.error().message, HasSubstr("Key"));
}

TEST(RestSerializerTest, UnknownMemberIsAnError) {
  auto r = EncodeRestInput(Op("HeadObject"), {{"Bucket", "b"}, {"Key", "k"}, {"Kye", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("Kye"));
}

TEST(RestSerializerTest, HeadObjectOutputComesFromTypedHeaders) {
  HttpResult response;
  response.status = 200;
  response.headers = {{"x-amz-server-side-encryption", "aws:kms"},
                      {"x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:000000000000:key/k"},
                      {"X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true"},
                      {"Content-Length", "42"},
                      {"Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT"},
                      {"ETag", "\"abc\""},
                      {"x-amz-meta-owner", "etl"}};
  auto out = DecodeRestOutput(Op("HeadObject"), response);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["ServerSideEncryption"], "aws:kms");
  EXPECT_EQ((*out)["SSEKMSKeyId"], "arn:aws:kms:us-east-1:000000000000:key/k");
  EXPECT_EQ((*out)["BucketKeyEnabled"], true);
  EXPECT_EQ((*out)["ContentLength"], 42);
  EXPECT_EQ((*out)["LastModified"], 1767225600.0);
  EXPECT_EQ((*out)["ETag"], "\"abc\"");
  EXPECT_EQ((*out)["Metadata"], (json{{"owner", "etl"}}));
  EXPECT_FALSE(out->contains("VersionId"));
}

TEST(RestSerializerTest, GetObjectBodyIsTextOrBase64) {
  HttpResult text;
  text.status = 200;
  text.body = "Northwind Traders";
  auto out = DecodeRestOutput(Op("GetObject"), text);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["Body"], "Northwind Traders");
  HttpResult binary;
  binary.status = 200;
  binary.body = std::string("\xff\xfe\x00", 3);
  out = DecodeRestOutput(Op("GetObject"), binary);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["Body"], (json{{"base64", "//4A"}}));
}

TEST(RestSerializerTest, ListObjectsV2BodyIsReadAgainstTheOutputShape) {
  HttpResult response;
  response.status = 200;
  response.body = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>output/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>output/a.json</Key><Size>10</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents><Contents><Key>output/b.json</Key><Size>12</Size></Contents></ListBucketResult>)";
  auto out = DecodeRestOutput(Op("ListObjectsV2"), response);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["KeyCount"], 2);
  EXPECT_EQ((*out)["IsTruncated"], false);
  ASSERT_EQ((*out)["Contents"].size(), 2u);
  EXPECT_EQ((*out)["Contents"][1]["Key"], "output/b.json");
  EXPECT_EQ((*out)["Contents"][0]["LastModified"], 1767225600.0);
}

TEST(RestSerializerTest, StructurePayloadOutputIsReadFromTheBody) {
  HttpResult response;
  response.status = 200;
  response.body = R"(<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>)";
  auto out = DecodeRestOutput(Op("GetBucketEncryption"), response);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"],
            "k");
  EXPECT_EQ((*out)["ServerSideEncryptionConfiguration"]["Rules"][0]["BucketKeyEnabled"], false);
}

TEST(RestSerializerTest, PutObjectWithoutOptionalHeadersSendsNone) {
  auto r = EncodeRestInput(Op("PutObject"), {{"Bucket", "b"}, {"Key", "k"}, {"Body", ""}});
  ASSERT_TRUE(r.ok());
  for (const auto& [n, v] : r->headers) EXPECT_THAT(n, Not(HasSubstr("server-side-encryption")));
}

}  // namespace
}  // namespace gee::harness

#include "protocol/s3_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "protocol/xml_writer.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using ::testing::HasSubstr;

const Shape& S3Shape(std::string_view name) {
  auto model = ServiceModel::Get("s3");
  EXPECT_TRUE(model.ok());
  const Shape* shape = (*model)->FindShape(name);
  EXPECT_NE(shape, nullptr) << name;
  return *shape;
}

TEST(S3XmlTest, RenderS3ErrorWritesTheErrorDocumentWithExtras) {
  AwsError error("NoSuchKey", "The specified key does not exist.", 404);
  error.With("Key", "a&b.txt");
  WireReply reply = RenderS3Error(error, "4442587FB7D0A2F9", "host/id=");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.Header("Content-Type"), "application/xml");
  EXPECT_EQ(reply.Header("x-amz-request-id"), "4442587FB7D0A2F9");
  EXPECT_EQ(reply.Header("x-amz-id-2"), "host/id=");
  EXPECT_EQ(reply.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
            "<Key>a&amp;b.txt</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>host/id=</HostId></Error>");
}

TEST(S3XmlTest, RenderS3ErrorSendsNoBodyForHead) {
  WireReply reply = RenderS3Error(AwsError("NoSuchBucket", "The specified bucket does not exist", 404), "r", "h",
                                  /*head_request=*/true);
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, "");
}

TEST(S3XmlTest, JsonToXmlWritesOrderedElementsRepeatsArraysAndDeclaresTheNamespace) {
  OrderedJson value = {{"Rule", OrderedJson::array({{{"ApplyServerSideEncryptionByDefault",
                                                      {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", "k"}}},
                                                     {"BucketKeyEnabled", false}}})},
                       {"Skipped", nullptr}};
  EXPECT_EQ(JsonToXml(value, "ServerSideEncryptionConfiguration"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
            "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k"
            "</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
            "</Rule></ServerSideEncryptionConfiguration>");
}

TEST(S3XmlTest, JsonToXmlWritesAttributesAndEmptyElements) {
  OrderedJson value = {{"@id", "1"}, {"Empty", OrderedJson::object()}, {"Text", ""}};
  EXPECT_EQ(JsonToXml(value, "Root", ""),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Root id=\"1\"><Empty/><Text></Text></Root>");
}

TEST(S3XmlTest, ShapeToXmlFollowsTheModel) {
  Json value = {{"Rules", {{{"ApplyServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}},
                            {"BucketKeyEnabled", true}}}}};
  EXPECT_EQ(ShapeToXml(S3Shape("ServerSideEncryptionConfiguration"), value, "ServerSideEncryptionConfiguration"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
            "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
            "</ServerSideEncryptionConfiguration>");
}

TEST(S3XmlTest, ShapeToXmlWritesFlattenedListsAndMillisecondTimestamps) {
  Json value = {{"Name", "b"},
                {"IsTruncated", false},
                {"KeyCount", 2},
                {"Contents", {{{"Key", "a"}, {"LastModified", 1704067200}, {"Size", 3}},
                              {{"Key", "b"}, {"LastModified", 1704067200.25}, {"Size", 4}}}},
                {"RequestCharged", "requester"}};
  const std::string xml = ShapeToXml(S3Shape("ListObjectsV2Output"), value, "ListBucketResult");
  EXPECT_THAT(xml, HasSubstr("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                             "<IsTruncated>false</IsTruncated><Contents><Key>a</Key>"
                             "<LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>3</Size></Contents>"
                             "<Contents><Key>b</Key><LastModified>2024-01-01T00:00:00.250Z</LastModified>"));
  EXPECT_THAT(xml, ::testing::Not(HasSubstr("requester")));  // a header member
}

TEST(S3XmlTest, ShapeToXmlDeclaresTheGranteeXsiNamespace) {
  Json value = {{"Type", "CanonicalUser"}, {"ID", "abc"}};
  EXPECT_EQ(ShapeToXml(S3Shape("Grant"), {{"Grantee", value}, {"Permission", "FULL_CONTROL"}}, "Grant", ""),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
            "<ID>abc</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>");
}

TEST(S3XmlTest, ParseXmlToShapeReadsAPutBucketEncryptionBody) {
  const char* body =
      "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
      "<KMSMasterKeyID>arn:aws:kms:us-east-1:111122223333:key/k</KMSMasterKeyID>"
      "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
      "<Unknown>x</Unknown></ServerSideEncryptionConfiguration>";
  auto parsed = ParseXmlToShape(body, S3Shape("ServerSideEncryptionConfiguration"),
                                "ServerSideEncryptionConfiguration");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, Json::parse(R"({"Rules":[{"ApplyServerSideEncryptionByDefault":
      {"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:us-east-1:111122223333:key/k"},
      "BucketKeyEnabled":true}]})"));
}

TEST(S3XmlTest, ParseXmlToShapeReadsACreateBucketConfiguration) {
  auto parsed = ParseXmlToShape(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
      S3Shape("CreateBucketConfiguration"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, Json::parse(R"({"LocationConstraint":"eu-west-1"})"));
}

TEST(S3XmlTest, ParseXmlToShapeRejectsAWrongRootAndBadValues) {
  const Shape& config = S3Shape("ServerSideEncryptionConfiguration");
  auto wrong_root = ParseXmlToShape("<Other/>", config, "ServerSideEncryptionConfiguration");
  ASSERT_FALSE(wrong_root.ok());
  EXPECT_EQ(wrong_root.error().code, "MalformedXML");
  auto bad_bool = ParseXmlToShape("<C><Rule><BucketKeyEnabled>yes</BucketKeyEnabled></Rule></C>", config);
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_EQ(bad_bool.error().code, "MalformedXML");
}

TEST(S3XmlTest, ParseXmlDocumentTurnsRepeatedElementsIntoArrays) {
  auto parsed = ParseXmlDocument("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>"
                                 "<Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>c</Key><Value/></Tag>"
                                 "</TagSet></Tagging>");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, Json::parse(R"({"Tagging":{"TagSet":{"Tag":[{"Key":"a","Value":"1"},
      {"Key":"b","Value":"2"},{"Key":"c","Value":""}]}}})"));
}

TEST(S3XmlTest, ParseFailsWithMalformedXml) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  for (const std::string& body : {std::string(""), std::string("not xml"), std::string("<a>"),
                                  std::string("<a></b>"), std::string("<?xml version=\"1.0\"?>"), deep}) {
    auto parsed = ParseXmlDocument(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, "MalformedXML");
    EXPECT_EQ(parsed.error().http_status, 400);
    EXPECT_EQ(parsed.error().message,
              "The XML you provided was not well-formed or did not validate against our published schema");
  }
}

TEST(S3XmlTest, ParseDoesNotExpandExternalEntities) {
  auto parsed = ParseXmlDocument(
      "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
  if (parsed.ok()) {
    EXPECT_EQ((*parsed)["r"].get<std::string>().find("root:"), std::string::npos);
  }
}

TEST(XmlWriterTest, WriteXmlIndentsAndEscapes) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("R");
  root.append_attribute("a").set_value("x\"<>&");
  root.append_child("Empty");
  root.append_child("T").append_child(pugi::node_pcdata).set_value("1 < 2 & 3 > \"q\"");
  EXPECT_EQ(WriteXml(doc, XmlWriteOptions{}),
            "<R a=\"x&quot;&lt;&gt;&amp;\">\n  <Empty/>\n  <T>1 &lt; 2 &amp; 3 &gt; \"q\"</T>\n</R>\n");
}

}  // namespace
}  // namespace gee::protocol

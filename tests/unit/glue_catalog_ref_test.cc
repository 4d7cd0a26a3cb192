#include "services/glue/catalog_ref.h"

#include <gtest/gtest.h>

#include "tests/testing/matchers.h"

namespace gee::glue {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::IsOk;

const CatalogRef kRef{"123456789012", "us-east-1"};

TEST(GlueArnTest, ArnsFollowTheDocumentedFormats) {
  EXPECT_EQ(CatalogArn(kRef), "arn:aws:glue:us-east-1:123456789012:catalog");
  EXPECT_EQ(DatabaseArn(kRef, "db1"), "arn:aws:glue:us-east-1:123456789012:database/db1");
  EXPECT_EQ(TableArn(kRef, "db1", "tbl1"), "arn:aws:glue:us-east-1:123456789012:table/db1/tbl1");
  EXPECT_EQ(FunctionArn(kRef, "db1", "func1"),
            "arn:aws:glue:us-east-1:123456789012:userDefinedFunction/db1/func1");
  EXPECT_EQ(ConnectionArn(kRef, "connection1"),
            "arn:aws:glue:us-east-1:123456789012:connection/connection1");
}

TEST(GlueArnTest, FoldNameLowersAsciiOnly) {
  EXPECT_EQ(FoldName("MyDB_1"), "mydb_1");
  EXPECT_EQ(FoldName("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9");
}

TEST(GlueArnTest, ParseGlueArnSplitsTypeAndPath) {
  auto arn = ParseGlueArn("arn:aws:glue:eu-west-1:123456789012:table/db/t");
  ASSERT_THAT(arn, IsOk());
  EXPECT_EQ(arn->ref.catalog_id, "123456789012");
  EXPECT_EQ(arn->ref.region, "eu-west-1");
  EXPECT_EQ(arn->type, "table");
  EXPECT_EQ(arn->path, "db/t");
  auto catalog = ParseGlueArn("arn:aws:glue:eu-west-1:123456789012:catalog");
  ASSERT_THAT(catalog, IsOk());
  EXPECT_EQ(catalog->type, "catalog");
  EXPECT_EQ(catalog->path, "");
}

TEST(GlueArnTest, ParseGlueArnRejectsOtherServicesAndGarbage) {
  EXPECT_THAT(ParseGlueArn("arn:aws:kms:us-east-1:123456789012:key/k"),
              HasAwsError("InvalidInputException"));
  EXPECT_THAT(ParseGlueArn("not-an-arn"), HasAwsError("InvalidInputException"));
  EXPECT_THAT(ParseGlueArn("arn:aws:glue:us-east-1:123456789012:"),
              HasAwsError("InvalidInputException"));
}

}  // namespace
}  // namespace gee::glue

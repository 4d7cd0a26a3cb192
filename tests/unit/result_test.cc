#include "core/result.h"

#include <gtest/gtest.h>

namespace gee {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return AwsError("ValidationException", "odd", 400);
  return v / 2;
}

Result<int> Quarter(int v) {
  GEE_ASSIGN_OR_RETURN(int h, Half(v));
  GEE_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ValidationException");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST(ResultTest, AssignOrReturnYieldsTheValueOnSuccess) {
  auto r = Quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
}

TEST(ResultTest, ServerFaultsAreReceiverErrors) {
  AwsError e("KMSInternalException", "boom", 500);
  EXPECT_FALSE(e.sender_fault);
  EXPECT_TRUE(AwsError("X", "y").sender_fault);
}

}  // namespace
}  // namespace gee

#include "auth/denial_message.h"

#include <gtest/gtest.h>

#include <string>

namespace gee {
namespace {

constexpr char kKeyArn[] = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-0000-0000-00000000000a";

Principal Session() {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = "111122223333";
  p.arn = "arn:aws:sts::111122223333:assumed-role/R/S";
  p.role_arn = "arn:aws:iam::111122223333:role/R";
  return p;
}

AuthRequest Request(const std::string& action, const std::string& resource) {
  AuthRequest r;
  r.action = action;
  r.resource = resource;
  return r;
}

Decision Denied(DecisionOutcome outcome, const std::string& type) {
  Decision d;
  d.outcome = outcome;
  d.denied_by = type;
  return d;
}

TEST(DenialMessageTest, ImplicitDenyNamesThePolicyTypeThatDidNotAllow) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("glue:GetDatabase", "arn:aws:glue:us-east-1:111122223333:database/default"),
                                Denied(DecisionOutcome::kImplicitDeny, "identity-based")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: glue:GetDatabase "
            "on resource: arn:aws:glue:us-east-1:111122223333:database/default because no identity-based "
            "policy allows the glue:GetDatabase action");
}

TEST(DenialMessageTest, ExplicitDenyNamesThePolicyTypeThatDenied) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("kms:Decrypt", kKeyArn),
                                Denied(DecisionOutcome::kExplicitDeny, "resource-based")),
            std::string("User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: kms:Decrypt "
                        "on resource: ") +
                kKeyArn + " with an explicit deny in a resource-based policy");
}

TEST(DenialMessageTest, ExplicitDenyInAnIdentityPolicyTakesTheArticleAn) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("s3:GetObject", "arn:aws:s3:::b/k"),
                                Denied(DecisionOutcome::kExplicitDeny, "identity-based")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: "
            "s3:GetObject on resource: \"arn:aws:s3:::b/k\" with an explicit deny in an "
            "identity-based policy");
}

TEST(DenialMessageTest, ExplicitDenyInABoundaryNamesNoPolicyWord) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("iam:ListUsers", "arn:aws:iam::111122223333:user/"),
                                Denied(DecisionOutcome::kExplicitDeny, "permissions boundary")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: "
            "iam:ListUsers on resource: arn:aws:iam::111122223333:user/ with an explicit deny in a "
            "permissions boundary");
}

TEST(DenialMessageTest, BoundaryAndSessionTypesAreNamed) {
  AuthRequest r = Request("s3:GetObject", "arn:aws:s3:::b/k");
  EXPECT_NE(AccessDeniedMessage(Session(), r, Denied(DecisionOutcome::kImplicitDeny, "permissions boundary"))
                .find("because no permissions boundary allows the s3:GetObject action"),
            std::string::npos);
  EXPECT_NE(AccessDeniedMessage(Session(), r, Denied(DecisionOutcome::kImplicitDeny, "session"))
                .find("because no session policy allows the s3:GetObject action"),
            std::string::npos);
}

TEST(DenialMessageTest, S3QuotesTheResourceArn) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("s3:GetObject", "arn:aws:s3:::BUCKET/KEY"),
                                Denied(DecisionOutcome::kImplicitDeny, "identity-based")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: s3:GetObject "
            "on resource: \"arn:aws:s3:::BUCKET/KEY\" because no identity-based policy allows the "
            "s3:GetObject action");
}

TEST(DenialMessageTest, S3ExplicitDenyQuotesTheBucketArn) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("s3:ListBucket", "arn:aws:s3:::BUCKET"),
                                Denied(DecisionOutcome::kExplicitDeny, "resource-based")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: s3:ListBucket "
            "on resource: \"arn:aws:s3:::BUCKET\" with an explicit deny in a resource-based policy");
}

TEST(DenialMessageTest, S3AnonymousCallerGetsPlainAccessDenied) {
  EXPECT_EQ(AccessDeniedMessage(Principal{}, Request("s3:GetObject", "arn:aws:s3:::b/k"),
                                Denied(DecisionOutcome::kImplicitDeny, "resource-based")),
            "Access Denied");
}

TEST(DenialMessageTest, S3CrossAccountCallerGetsPlainAccessDenied) {
  AuthRequest r = Request("s3:GetObject", "arn:aws:s3:::b/k");
  r.resource_account = "444455556666";
  EXPECT_EQ(AccessDeniedMessage(Session(), r, Denied(DecisionOutcome::kImplicitDeny, "resource-based")),
            "Access Denied");
}

TEST(DenialMessageTest, AssumeRoleHasNoBecauseSuffix) {
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("sts:AssumeRole", "arn:aws:iam::111122223333:role/NAME"),
                                Denied(DecisionOutcome::kImplicitDeny, "resource-based")),
            "User: arn:aws:sts::111122223333:assumed-role/R/S is not authorized to perform: sts:AssumeRole "
            "on resource: arn:aws:iam::111122223333:role/NAME");
}

TEST(DenialMessageTest, RootPrintsTheAccountRootArn) {
  EXPECT_EQ(AccessDeniedMessage(RootPrincipal("111122223333"), Request("kms:PutKeyPolicy", kKeyArn),
                                Denied(DecisionOutcome::kImplicitDeny, "resource-based")),
            std::string("User: arn:aws:iam::111122223333:root is not authorized to perform: kms:PutKeyPolicy "
                        "on resource: ") +
                kKeyArn + " because no resource-based policy allows the kms:PutKeyPolicy action");
}

TEST(DenialMessageTest, KmsPhraseUsesTheDecisionByDefault) {
  std::string m = AccessDeniedMessage(Session(), Request("kms:DescribeKey", kKeyArn),
                                      Denied(DecisionOutcome::kImplicitDeny, "resource-based"));
  EXPECT_NE(m.find("because no resource-based policy allows the kms:DescribeKey action"), std::string::npos);
}

TEST(DenialMessageTest, KmsPhraseCanBeForcedToIdentityBased) {
  DenialMessageOptions options;
  options.kms_phrase = KmsDenialPhrase::kAlwaysIdentityBased;
  std::string m = AccessDeniedMessage(Session(), Request("kms:DescribeKey", kKeyArn),
                                      Denied(DecisionOutcome::kImplicitDeny, "resource-based"), options);
  EXPECT_NE(m.find("because no identity-based policy allows"), std::string::npos);
}

TEST(DenialMessageTest, KmsPhraseCanBeForcedToResourceBased) {
  DenialMessageOptions options;
  options.kms_phrase = KmsDenialPhrase::kAlwaysResourceBased;
  std::string m = AccessDeniedMessage(Session(), Request("kms:Decrypt", kKeyArn),
                                      Denied(DecisionOutcome::kImplicitDeny, "identity-based"), options);
  EXPECT_NE(m.find("because no resource-based policy allows"), std::string::npos);
}

TEST(DenialMessageTest, KmsPhraseOverrideLeavesBoundaryDenialsAlone) {
  DenialMessageOptions options;
  options.kms_phrase = KmsDenialPhrase::kAlwaysResourceBased;
  std::string m = AccessDeniedMessage(Session(), Request("kms:Decrypt", kKeyArn),
                                      Denied(DecisionOutcome::kImplicitDeny, "permissions boundary"), options);
  EXPECT_NE(m.find("because no permissions boundary allows"), std::string::npos);
}

TEST(DenialMessageTest, AllowedDecisionHasNoMessage) {
  Decision d;
  d.outcome = DecisionOutcome::kAllow;
  EXPECT_EQ(AccessDeniedMessage(Session(), Request("s3:GetObject", "arn:aws:s3:::b/k"), d), "");
}

}  // namespace
}  // namespace gee

#include "auth/authorizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "auth/policy/policy_cache.h"
#include "auth/request_keys.h"
#include "core/clock.h"
#include "core/request_context.h"

namespace gee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pointee;

constexpr char kAccount[] = "111122223333";
constexpr char kKeyArn[] = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-0000-0000-00000000000a";
constexpr int64_t kNowMicros = int64_t{1717243200} * 1000000;  // 2024-06-01T12:00:00Z

Principal User(const std::string& name) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = kAccount;
  p.name = name;
  p.arn = std::string("arn:aws:iam::") + kAccount + ":user/" + name;
  p.user_id = "AIDA" + name + "EXAMPLE00000";
  return p;
}

Principal Session(const std::string& role, const std::string& session) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = kAccount;
  p.name = role;
  p.session_name = session;
  p.role_arn = std::string("arn:aws:iam::") + kAccount + ":role/" + role;
  p.arn = std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + role + "/" + session;
  p.role_id = "AROAEXAMPLEROLE00001";
  p.user_id = p.role_id + ":" + session;
  p.token_issue_time = 1717239600;  // 11:00:00Z
  p.tags["project"] = "alpha";
  return p;
}

class AuthorizerTest : public ::testing::Test {
 protected:
  RequestContext Context(const Principal& p) {
    RequestContext ctx;
    ctx.principal = p;
    ctx.account = p.account;
    ctx.region = "us-east-1";
    ctx.source_ip = "203.0.113.10";
    ctx.secure_transport = true;
    ctx.clock = &clock_;
    return ctx;
  }

  // Every context shape the Authorizer meets (defined below).
  std::vector<RequestContext> EveryContextShape();

  static AuthRequest Request(const std::string& action, const std::string& resource) {
    AuthRequest r;
    r.action = action;
    r.resource = resource;
    return r;
  }

  static PolicyDocument Allow(const std::string& name, const std::string& action) {
    return {name, R"({"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":")" +
                      action + R"(","Resource":"*"}]})"};
  }

  ManualClock clock_{kNowMicros};
  policy::PolicyCache cache_;
  InMemoryIdentityPolicyProvider provider_;
  Authorizer authorizer_{&provider_, &cache_};
};

TEST_F(AuthorizerTest, GlobalKeysDescribeAnIamUser) {
  ConditionKeys keys = Authorizer::GlobalKeys(Context(User("alice")), "s3:GetObject");
  EXPECT_THAT(keys.Find("aws:PrincipalArn"), Pointee(ElementsAre("arn:aws:iam::111122223333:user/alice")));
  EXPECT_THAT(keys.Find("aws:PrincipalAccount"), Pointee(ElementsAre(kAccount)));
  EXPECT_THAT(keys.Find("aws:PrincipalType"), Pointee(ElementsAre("User")));
  EXPECT_THAT(keys.Find("aws:username"), Pointee(ElementsAre("alice")));
  EXPECT_THAT(keys.Find("aws:userid"), Pointee(ElementsAre("AIDAaliceEXAMPLE00000")));
  EXPECT_THAT(keys.Find("aws:PrincipalIsAWSService"), Pointee(ElementsAre("false")));
  EXPECT_EQ(keys.Find("aws:TokenIssueTime"), nullptr);
  EXPECT_EQ(keys.Find("aws:MultiFactorAuthPresent"), nullptr);
}

TEST_F(AuthorizerTest, GlobalKeysDescribeARoleSession) {
  ConditionKeys keys = Authorizer::GlobalKeys(Context(Session("dev", "s1")), "s3:GetObject");
  EXPECT_THAT(keys.Find("aws:PrincipalArn"), Pointee(ElementsAre("arn:aws:iam::111122223333:role/dev")));
  EXPECT_THAT(keys.Find("aws:PrincipalType"), Pointee(ElementsAre("AssumedRole")));
  EXPECT_THAT(keys.Find("aws:userid"), Pointee(ElementsAre("AROAEXAMPLEROLE00001:s1")));
  EXPECT_THAT(keys.Find("aws:TokenIssueTime"), Pointee(ElementsAre("2024-06-01T11:00:00Z")));
  EXPECT_THAT(keys.Find("aws:MultiFactorAuthPresent"), Pointee(ElementsAre("false")));
  EXPECT_THAT(keys.Find("aws:PrincipalTag/project"), Pointee(ElementsAre("alpha")));
  EXPECT_EQ(keys.Find("aws:username"), nullptr);
}

TEST_F(AuthorizerTest, GlobalKeysDescribeRootAsAccount) {
  ConditionKeys keys = Authorizer::GlobalKeys(Context(RootPrincipal(kAccount)), "s3:GetObject");
  EXPECT_THAT(keys.Find("aws:PrincipalType"), Pointee(ElementsAre("Account")));
  EXPECT_THAT(keys.Find("aws:PrincipalArn"), Pointee(ElementsAre("arn:aws:iam::111122223333:root")));
  EXPECT_THAT(keys.Find("aws:userid"), Pointee(ElementsAre(kAccount)));
}

TEST_F(AuthorizerTest, GlobalKeysDescribeAServicePrincipal) {
  RequestContext ctx = Context(ServicePrincipal("logs.us-east-1.amazonaws.com"));
  ctx.source_arn = "arn:aws:logs:us-east-1:111122223333:log-group:/aws-glue/jobs/output";
  ctx.source_account = kAccount;
  ConditionKeys keys = Authorizer::GlobalKeys(ctx, "kms:GenerateDataKey");
  EXPECT_THAT(keys.Find("aws:PrincipalIsAWSService"), Pointee(ElementsAre("true")));
  EXPECT_THAT(keys.Find("aws:PrincipalServiceName"), Pointee(ElementsAre("logs.us-east-1.amazonaws.com")));
  EXPECT_THAT(keys.Find("aws:SourceArn"), Pointee(ElementsAre(ctx.source_arn)));
  EXPECT_THAT(keys.Find("aws:SourceAccount"), Pointee(ElementsAre(kAccount)));
  EXPECT_EQ(keys.Find("aws:PrincipalArn"), nullptr);
  EXPECT_EQ(keys.Find("kms:CallerAccount"), nullptr);
}

TEST_F(AuthorizerTest, GlobalKeysCarryTransportTimeAndRegion) {
  ConditionKeys keys = Authorizer::GlobalKeys(Context(User("alice")), "glue:GetTable");
  EXPECT_THAT(keys.Find("aws:SecureTransport"), Pointee(ElementsAre("true")));
  EXPECT_THAT(keys.Find("aws:SourceIp"), Pointee(ElementsAre("203.0.113.10")));
  EXPECT_THAT(keys.Find("aws:CurrentTime"), Pointee(ElementsAre("2024-06-01T12:00:00Z")));
  EXPECT_THAT(keys.Find("aws:EpochTime"), Pointee(ElementsAre("1717243200")));
  EXPECT_THAT(keys.Find("aws:RequestedRegion"), Pointee(ElementsAre("us-east-1")));
  EXPECT_THAT(keys.Find("aws:ViaAWSService"), Pointee(ElementsAre("false")));
}

TEST_F(AuthorizerTest, GlobalKeysFollowTheInjectedClock) {
  clock_.AdvanceSeconds(3600);
  ConditionKeys keys = Authorizer::GlobalKeys(Context(User("alice")), "glue:GetTable");
  EXPECT_THAT(keys.Find("aws:CurrentTime"), Pointee(ElementsAre("2024-06-01T13:00:00Z")));
}

TEST_F(AuthorizerTest, GlobalKeysCarryTheServiceChain) {
  RequestContext ctx = Context(User("alice"));
  ctx.via_service = "glue.us-east-1.amazonaws.com";
  ctx.called_via = {"athena.amazonaws.com", "glue.amazonaws.com"};
  ConditionKeys keys = Authorizer::GlobalKeys(ctx, "kms:Decrypt");
  EXPECT_THAT(keys.Find("aws:ViaAWSService"), Pointee(ElementsAre("true")));
  EXPECT_TRUE(keys.IsMultiValued("aws:CalledVia"));
  EXPECT_THAT(keys.Find("aws:CalledVia"), Pointee(ElementsAre("athena.amazonaws.com", "glue.amazonaws.com")));
  EXPECT_THAT(keys.Find("aws:CalledViaFirst"), Pointee(ElementsAre("athena.amazonaws.com")));
  EXPECT_THAT(keys.Find("aws:CalledViaLast"), Pointee(ElementsAre("glue.amazonaws.com")));
  EXPECT_THAT(keys.Find("kms:ViaService"), Pointee(ElementsAre("glue.us-east-1.amazonaws.com")));
  EXPECT_THAT(keys.Find("kms:CallerAccount"), Pointee(ElementsAre(kAccount)));
}

TEST_F(AuthorizerTest, KmsKeysAreOnlyAddedForKmsActions) {
  RequestContext ctx = Context(User("alice"));
  ctx.via_service = "glue.us-east-1.amazonaws.com";
  ConditionKeys keys = Authorizer::GlobalKeys(ctx, "s3:GetObject");
  EXPECT_EQ(keys.Find("kms:ViaService"), nullptr);
  EXPECT_EQ(keys.Find("kms:CallerAccount"), nullptr);
}

// A clock that moves one second forward every time it is read.
class TickingClock final : public Clock {
 public:
  int64_t NowMicros() const override { return kNowMicros + 999999 + 1000000 * reads_++; }
  int reads() const { return reads_; }

 private:
  mutable std::atomic<int> reads_{0};
};

Principal TaggedUser() {
  Principal p = User("alice");
  p.tags["Team"] = "blue";
  p.tags["cost-center"] = "42";
  return p;
}

std::vector<RequestContext> AuthorizerTest::EveryContextShape() {
  std::vector<RequestContext> out;
  out.push_back(Context(TaggedUser()));
  RequestContext via = Context(Session("dev", "s1"));
  via.via_service = "glue.us-east-1.amazonaws.com";
  via.called_via = {"athena.amazonaws.com", "glue.amazonaws.com"};
  out.push_back(via);
  out.push_back(Context(RootPrincipal(kAccount)));
  RequestContext service = Context(ServicePrincipal("logs.us-east-1.amazonaws.com"));
  service.source_arn = "arn:aws:logs:us-east-1:111122223333:log-group:g";
  service.source_account = kAccount;
  out.push_back(service);
  RequestContext anonymous = Context(Principal{});
  anonymous.secure_transport = false;
  out.push_back(anonymous);
  RequestContext bare;  // no clock, region or address
  bare.principal = TaggedUser();
  out.push_back(bare);
  return out;
}

TEST_F(AuthorizerTest, RequestKeysLookupsAgreeWithTheEagerGlobalKeys) {
  for (const RequestContext& ctx : EveryContextShape()) {
    for (const char* action : {"kms:Encrypt", "s3:GetObject"}) {
      SCOPED_TRACE(ctx.principal.arn + " " + action);
      ConditionKeys eager = Authorizer::GlobalKeys(ctx, action);
      RequestKeys lazy(&ctx, action, {nullptr, nullptr});
      std::vector<std::string> probes = eager.Names();
      for (size_t i = 0; i < kGlobalKeyCount; ++i) {
        probes.emplace_back(GlobalKeyName(static_cast<GlobalKey>(i)));
      }
      probes.push_back("aws:PrincipalTag/missing");
      probes.push_back("aws:PrincipalTag/");
      for (const std::string& name : probes) {
        const std::vector<std::string>* want = eager.Find(name);
        const std::vector<std::string>* got = lazy.Find(name);
        ASSERT_EQ(got == nullptr, want == nullptr) << name;
        if (want != nullptr) EXPECT_EQ(*got, *want) << name;
        EXPECT_EQ(lazy.IsMultiValued(name), eager.IsMultiValued(name)) << name;
      }
    }
  }
}

TEST_F(AuthorizerTest, RequestKeysPrincipalTagNamesIgnoreCase) {
  RequestContext ctx = Context(TaggedUser());
  RequestKeys keys(&ctx, "s3:GetObject", {nullptr, nullptr});
  EXPECT_THAT(keys.Find("AWS:PRINCIPALTAG/team"), Pointee(ElementsAre("blue")));
  EXPECT_THAT(keys.Find("aws:principaltag/Cost-Center"), Pointee(ElementsAre("42")));
}

TEST_F(AuthorizerTest, RequestKeysServiceKeysOverrideDerivedKeys) {
  RequestContext ctx = Context(TaggedUser());
  ConditionKeys service;
  service.Set("aws:SourceIp", "198.51.100.7");
  service.SetMulti("aws:PrincipalTag/Team", {"red", "green"});
  RequestKeys keys(&ctx, "s3:GetObject", {&service, nullptr});
  EXPECT_THAT(keys.Find("aws:sourceip"), Pointee(ElementsAre("198.51.100.7")));
  EXPECT_THAT(keys.Find("aws:PrincipalTag/Team"), Pointee(ElementsAre("red", "green")));
  EXPECT_TRUE(keys.IsMultiValued("aws:PrincipalTag/Team"));
  EXPECT_THAT(keys.Find("aws:username"), Pointee(ElementsAre("alice")));
}

TEST_F(AuthorizerTest, RequestKeysFirstLayerWins) {
  RequestContext ctx = Context(TaggedUser());
  ConditionKeys entries;
  entries.Set("s3:prefix", "from-entries");
  ConditionKeys request;
  request.Set("s3:prefix", "from-request");
  request.Set("s3:delimiter", "/");
  RequestKeys keys(&ctx, "s3:ListBucket", {&entries, &request});
  EXPECT_THAT(keys.Find("s3:prefix"), Pointee(ElementsAre("from-entries")));
  EXPECT_THAT(keys.Find("s3:delimiter"), Pointee(ElementsAre("/")));
}

TEST_F(AuthorizerTest, RequestKeysWithoutAContextOnlyGivenKeysExist) {
  ConditionKeys request;
  request.Set("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
  RequestKeys keys(nullptr, "kms:Encrypt", {&request, nullptr});
  EXPECT_THAT(keys.Find("kms:EncryptionAlgorithm"), Pointee(ElementsAre("SYMMETRIC_DEFAULT")));
  EXPECT_EQ(keys.Find("aws:SecureTransport"), nullptr);
  EXPECT_FALSE(keys.IsMultiValued("aws:CalledVia"));
}

TEST_F(AuthorizerTest, RequestKeysReadTheClockOnlyForTimeKeysAndOnlyOnce) {
  TickingClock ticking;
  RequestContext ctx = Context(TaggedUser());
  ctx.clock = &ticking;
  RequestKeys keys(&ctx, "s3:GetObject", {nullptr, nullptr});
  EXPECT_THAT(keys.Find("aws:username"), Pointee(ElementsAre("alice")));
  EXPECT_EQ(ticking.reads(), 0);
  // Both time keys come from one reading, so they agree.
  EXPECT_THAT(keys.Find("aws:EpochTime"), Pointee(ElementsAre("1717243200")));
  EXPECT_THAT(keys.Find("aws:CurrentTime"), Pointee(ElementsAre("2024-06-01T12:00:00Z")));
  EXPECT_EQ(ticking.reads(), 1);
}

TEST_F(AuthorizerTest, RequestKeysReturnedValuesStayValidAcrossLaterLookups) {
  RequestContext ctx = Context(TaggedUser());
  RequestKeys keys(&ctx, "s3:GetObject", {nullptr, nullptr});
  const std::vector<std::string>* team = keys.Find("aws:PrincipalTag/Team");
  const std::vector<std::string>* arn = keys.Find("aws:PrincipalArn");
  (void)keys.Find("aws:PrincipalTag/cost-center");
  for (size_t i = 0; i < kGlobalKeyCount; ++i) (void)keys.Find(GlobalKeyName(static_cast<GlobalKey>(i)));
  EXPECT_EQ(keys.Find("aws:principaltag/team"), team);
  EXPECT_THAT(team, Pointee(ElementsAre("blue")));
  EXPECT_THAT(arn, Pointee(ElementsAre("arn:aws:iam::111122223333:user/alice")));
}

TEST(ConditionKeysTest, NamesAreLowerCasedSortedAndUnique) {
  ConditionKeys keys;
  keys.Set("s3:Prefix", "a");
  keys.Set("aws:SourceIp", "203.0.113.10");
  keys.Set("S3:PREFIX", "b");
  keys.SetMulti("kms:EncryptionContextKeys", {"x", "y"});
  EXPECT_THAT(keys.Names(), ElementsAre("aws:sourceip", "kms:encryptioncontextkeys", "s3:prefix"));
  EXPECT_THAT(keys.Find("s3:prefix"), Pointee(ElementsAre("b")));
  EXPECT_TRUE(keys.IsMultiValued("KMS:EncryptionContextKeys"));
  EXPECT_FALSE(keys.IsMultiValued("s3:prefix"));
}

TEST(ConditionKeysTest, EraseRemovesAKeyInAnyCase) {
  ConditionKeys keys;
  keys.Set("s3:prefix", "a");
  keys.Set("s3:delimiter", "/");
  keys.Erase("S3:Prefix");
  EXPECT_EQ(keys.Find("s3:prefix"), nullptr);
  EXPECT_THAT(keys.Names(), ElementsAre("s3:delimiter"));
  keys.Erase("s3:absent");
  EXPECT_THAT(keys.Names(), ElementsAre("s3:delimiter"));
}

TEST_F(AuthorizerTest, AuthorizeUsesTheProvidersPoliciesForTheRoleOfASession) {
  PrincipalPolicies policies;
  policies.identity.push_back(Allow("role/dev inline glue", "glue:GetTable"));
  provider_.Set("arn:aws:iam::111122223333:role/dev", policies);
  Decision d = authorizer_.Authorize(Context(Session("dev", "s1")),
                                     Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t"));
  EXPECT_TRUE(d.allowed()) << d.explanation;
  ASSERT_TRUE(d.deciding);
  EXPECT_EQ(d.deciding->policy_name, "role/dev inline glue");
}

TEST_F(AuthorizerTest, InlineSessionPolicyOfThePrincipalLimitsTheSession) {
  PrincipalPolicies policies;
  policies.identity.push_back(Allow("admin", "*"));
  provider_.Set("arn:aws:iam::111122223333:role/dev", policies);
  Principal s = Session("dev", "s1");
  s.session_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  Decision d = authorizer_.Authorize(Context(s), Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t"));
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
  EXPECT_EQ(d.denied_by, "session");
}

TEST_F(AuthorizerTest, RequestKeysFromTheServiceReachConditions) {
  PrincipalPolicies policies;
  policies.identity.push_back(
      {"ctx", R"({"Version":"2012-10-17","Statement":[{"Sid":"Ctx","Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
                  "Condition":{"StringEquals":{"kms:EncryptionContext:purpose":"bookmarks"}}}]})"});
  provider_.Set("arn:aws:iam::111122223333:user/alice", policies);
  AuthRequest r = Request("kms:Decrypt", kKeyArn);
  r.resource_policy_kind = ResourcePolicyKind::kKeyPolicy;
  r.resource_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}]})";
  EXPECT_FALSE(authorizer_.Authorize(Context(User("alice")), r).allowed());
  r.keys.Set("kms:EncryptionContext:purpose", "bookmarks");
  EXPECT_TRUE(authorizer_.Authorize(Context(User("alice")), r).allowed());
}

TEST_F(AuthorizerTest, UnparseableIdentityPolicyFailsClosed) {
  PrincipalPolicies policies;
  policies.identity.push_back(Allow("good", "*"));
  policies.identity.push_back({"broken", "{not json"});
  provider_.Set("arn:aws:iam::111122223333:user/alice", policies);
  Decision d = authorizer_.Authorize(Context(User("alice")), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
  EXPECT_EQ(d.denied_by, "identity-based");
  EXPECT_THAT(d.explanation, HasSubstr("broken"));
}

TEST_F(AuthorizerTest, UnparseableResourcePolicyFailsClosed) {
  AuthRequest r = Request("kms:Decrypt", kKeyArn);
  r.resource_policy_kind = ResourcePolicyKind::kKeyPolicy;
  r.resource_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]})";
  Decision d = authorizer_.Authorize(Context(RootPrincipal(kAccount)), r);
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
  EXPECT_EQ(d.denied_by, "resource-based");
}

class FailingProvider final : public IdentityPolicyProvider {
 public:
  Result<PrincipalPoliciesPtr> PoliciesFor(const Principal&) override {
    return AwsError("ServiceFailure", "store unavailable", 500);
  }
};

TEST_F(AuthorizerTest, ProviderErrorFailsClosed) {
  FailingProvider failing;
  Authorizer authorizer(&failing, &cache_);
  Decision d = authorizer.Authorize(Context(User("alice")), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
  EXPECT_THAT(d.explanation, HasSubstr("store unavailable"));
}

TEST_F(AuthorizerTest, ProviderIsNotAskedForRootOrServicePrincipals) {
  FailingProvider failing;
  Authorizer authorizer(&failing, &cache_);
  Decision d = authorizer.Authorize(Context(RootPrincipal(kAccount)), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_TRUE(d.allowed()) << d.explanation;
}

TEST_F(AuthorizerTest, EmptyProviderGivesNoPermissions) {
  EmptyIdentityPolicyProvider empty;
  Authorizer authorizer(&empty, &cache_);
  Decision d = authorizer.Authorize(Context(User("alice")), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
  EXPECT_EQ(d.denied_by, "identity-based");
}

TEST_F(AuthorizerTest, SimulateUsesGivenPoliciesInsteadOfProvider) {
  WhatIf what_if;
  what_if.policies.identity.push_back(Allow("simulated", "glue:GetTable"));
  Decision d = authorizer_.Simulate(Context(User("alice")),
                                    Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t"), what_if);
  EXPECT_TRUE(d.allowed()) << d.explanation;
  EXPECT_FALSE(authorizer_.Authorize(Context(User("alice")),
                                     Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t"))
                   .allowed());
}

TEST_F(AuthorizerTest, SimulateContextEntriesOverrideDerivedKeys) {
  WhatIf what_if;
  what_if.policies.identity.push_back(
      {"office", R"({"Version":"2012-10-17","Statement":[{"Sid":"Office","Effect":"Allow","Action":"glue:*","Resource":"*",
                     "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})"});
  AuthRequest r = Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t");
  EXPECT_FALSE(authorizer_.Simulate(Context(User("alice")), r, what_if).allowed());
  what_if.context_entries.Set("aws:SourceIp", "10.1.2.3");
  EXPECT_TRUE(authorizer_.Simulate(Context(User("alice")), r, what_if).allowed());
}

TEST_F(AuthorizerTest, SimulateWithoutDerivedKeysSeesOnlyGivenKeys) {
  WhatIf what_if;
  what_if.derive_global_keys = false;
  what_if.policies.identity.push_back(
      {"tls", R"({"Version":"2012-10-17","Statement":[{"Sid":"Tls","Effect":"Allow","Action":"glue:*","Resource":"*",
                  "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]})"});
  AuthRequest r = Request("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t");
  EXPECT_FALSE(authorizer_.Simulate(Context(User("alice")), r, what_if).allowed());
  what_if.context_entries.Set("aws:SecureTransport", "true");
  EXPECT_TRUE(authorizer_.Simulate(Context(User("alice")), r, what_if).allowed());
}

TEST_F(AuthorizerTest, RepeatedRequestsParseEachDocumentOnce) {
  PrincipalPolicies policies;
  policies.identity.push_back(Allow("p", "s3:GetObject"));
  provider_.Set("arn:aws:iam::111122223333:user/alice", policies);
  for (int i = 0; i < 5; ++i) {
    authorizer_.Authorize(Context(User("alice")), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  }
  EXPECT_EQ(cache_.parses(), 1u);
}

TEST_F(AuthorizerTest, MatchedStatementsListEveryMatchingStatement) {
  PrincipalPolicies policies;
  policies.identity.push_back(Allow("one", "s3:*"));
  policies.identity.push_back(Allow("two", "s3:GetObject"));
  policies.identity.push_back(Allow("three", "glue:*"));
  provider_.Set("arn:aws:iam::111122223333:user/alice", policies);
  Decision d = authorizer_.Authorize(Context(User("alice")), Request("s3:GetObject", "arn:aws:s3:::b/k"));
  ASSERT_EQ(d.matched.size(), 2u);
  EXPECT_EQ(d.matched[0].policy_name, "one");
  EXPECT_EQ(d.matched[1].policy_name, "two");
  EXPECT_EQ(d.matched[0].policy_type, "identity-based");
}

}  // namespace
}  // namespace gee

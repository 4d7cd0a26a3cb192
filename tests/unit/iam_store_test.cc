// IamStore on an in-memory database, the IAM ARN helpers, the shared IAM
// handler helpers and the STS session store.
#include "services/iam/iam_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "services/iam/arns.h"
#include "services/iam/iam_internal.h"
#include "services/sts/session_store.h"
#include "store/database.h"
#include "tests/testing/matchers.h"

namespace gee::iam {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;

class IamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::OpenInMemory();
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    auto steps = IamMigrations();
    auto sts = sts::StsMigrations();
    steps.insert(steps.end(), sts.begin(), sts.end());
    ASSERT_TRUE(store::Migrate(*db_, steps).ok());
  }
  UserRecord User(const std::string& id, const std::string& name, const std::string& path = "/") {
    return UserRecord{id, name, path, 1, ""};
  }
  std::unique_ptr<store::Database> db_;
};

TEST_F(IamStoreTest, FindUserIgnoresTheCaseOfTheName) {
  IamStore s(*db_);
  ASSERT_THAT(s.InsertUser(User("AIDA1", "Alice")), IsOk());
  auto found = s.FindUser("alice");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->name, "Alice");
}

TEST_F(IamStoreTest, InsertUserFailsForTheSameNameInAnotherCase) {
  IamStore s(*db_);
  ASSERT_THAT(s.InsertUser(User("AIDA1", "alice")), IsOk());
  EXPECT_FALSE(s.InsertUser(User("AIDA2", "ALICE")).ok());
}

TEST_F(IamStoreTest, ListUsersMatchesThePathPrefixCaseSensitively) {
  IamStore s(*db_);
  ASSERT_THAT(s.InsertUser(User("AIDA1", "b", "/Eng/")), IsOk());
  ASSERT_THAT(s.InsertUser(User("AIDA2", "a", "/eng/")), IsOk());
  ASSERT_THAT(s.InsertUser(User("AIDA3", "c", "/eng_x/")), IsOk());
  auto users = s.ListUsers("/eng/");
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].name, "a");
}

TEST_F(IamStoreTest, DeleteUserRemovesItsTagsInlinePoliciesAndAttachments) {
  IamStore s(*db_);
  ASSERT_THAT(s.InsertUser(User("AIDA1", "alice")), IsOk());
  ASSERT_THAT(s.PutTags(EntityKind::kUser, "AIDA1", {{"k", "v"}}), IsOk());
  ASSERT_THAT(s.PutInline(EntityKind::kUser, "AIDA1", "p", "{}"), IsOk());
  ASSERT_TRUE(s.Attach(EntityKind::kUser, "AIDA1", "arn:aws:iam::aws:policy/X").ok());
  ASSERT_THAT(s.DeleteUser("AIDA1"), IsOk());
  ASSERT_THAT(s.InsertUser(User("AIDA1", "alice")), IsOk());
  EXPECT_TRUE(s.ListTags(EntityKind::kUser, "AIDA1")->empty());
  EXPECT_TRUE(s.ListInline(EntityKind::kUser, "AIDA1")->empty());
  EXPECT_EQ(*s.AttachmentCount("arn:aws:iam::aws:policy/X"), 0);
}

TEST_F(IamStoreTest, PutTagsReplacesAValueWhateverTheKeyCase) {
  IamStore s(*db_);
  ASSERT_THAT(s.PutTags(EntityKind::kRole, "AROA1", {{"Team", "blue"}}), IsOk());
  ASSERT_THAT(s.PutTags(EntityKind::kRole, "AROA1", {{"team", "red"}}), IsOk());
  auto tags = s.ListTags(EntityKind::kRole, "AROA1");
  ASSERT_TRUE(tags.ok());
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].key, "team");
  EXPECT_EQ((*tags)[0].value, "red");
}

TEST_F(IamStoreTest, AttachIsIdempotentAndDetachReportsWhetherItWasAttached) {
  IamStore s(*db_);
  EXPECT_TRUE(*s.Attach(EntityKind::kRole, "AROA1", "arn:p"));
  EXPECT_FALSE(*s.Attach(EntityKind::kRole, "AROA1", "arn:p"));
  EXPECT_EQ(*s.AttachmentCount("arn:p"), 1);
  EXPECT_TRUE(*s.Detach(EntityKind::kRole, "AROA1", "arn:p"));
  EXPECT_FALSE(*s.Detach(EntityKind::kRole, "AROA1", "arn:p"));
}

TEST_F(IamStoreTest, DefaultDocumentFollowsTheDefaultVersion) {
  IamStore s(*db_);
  PolicyRecord p{"ANPA1", "p", "/", "arn:aws:iam::000000000000:policy/p", std::nullopt, "v1", 2, 1, 1};
  ASSERT_THAT(s.InsertPolicy(p, "doc1"), IsOk());
  ASSERT_THAT(s.InsertVersion("ANPA1", {"v2", "doc2", 2}), IsOk());
  EXPECT_EQ(**s.DefaultDocument(p.arn), "doc1");
  p.default_version = "v2";
  ASSERT_THAT(s.UpdatePolicy(p), IsOk());
  EXPECT_EQ(**s.DefaultDocument(p.arn), "doc2");
  auto versions = s.ListVersions("ANPA1");
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version_id, "v2");  // newest first
}

TEST_F(IamStoreTest, BoundaryUsageCountsUsersAndRoles) {
  IamStore s(*db_);
  UserRecord u = User("AIDA1", "alice");
  u.boundary_arn = "arn:b";
  ASSERT_THAT(s.InsertUser(u), IsOk());
  RoleRecord r;
  r.id = "AROA1";
  r.name = "r";
  r.path = "/";
  r.trust_policy = "{}";
  r.boundary_arn = "arn:b";
  ASSERT_THAT(s.InsertRole(r), IsOk());
  EXPECT_EQ(*s.BoundaryUsageCount("arn:b"), 2);
}

TEST_F(IamStoreTest, SessionStoreRoundTripsASessionAndPurgesExpiredOnes) {
  sts::SessionStore sessions(*db_);
  sts::SessionRecord r;
  r.access_key_id = "ASIA1";
  r.sealed_secret = std::string("\x01sealed", 7);
  r.session_token = "tok";
  r.kind = "assumed-role";
  r.account = "000000000000";
  r.role_id = "AROA1";
  r.expiration_s = 100;
  r.policy_arns = {"arn:a", "arn:b"};
  r.tags = {{"k", "v"}};
  r.transitive_tag_keys = {"k"};
  r.chained = true;
  ASSERT_THAT(sessions.Insert(r), IsOk());
  auto found = sessions.Find("ASIA1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->sealed_secret, r.sealed_secret);
  EXPECT_THAT((*found)->policy_arns, ElementsAre("arn:a", "arn:b"));
  EXPECT_EQ((*found)->tags.at("k"), "v");
  EXPECT_TRUE((*found)->chained);
  ASSERT_THAT(sessions.PurgeExpired(100), IsOk());
  EXPECT_TRUE(sessions.Find("ASIA1")->has_value());
  ASSERT_THAT(sessions.PurgeExpired(101), IsOk());
  EXPECT_FALSE(sessions.Find("ASIA1")->has_value());
}

// ---- ARNs ----

TEST(IamArnsTest, EntityArnsPutThePathBetweenTypeAndName) {
  EXPECT_EQ(UserArn("1", "/", "a"), "arn:aws:iam::1:user/a");
  EXPECT_EQ(RoleArn("1", "/x/y/", "r"), "arn:aws:iam::1:role/x/y/r");
  EXPECT_EQ(SessionArn("1", "r", "s"), "arn:aws:sts::1:assumed-role/r/s");
}

TEST(IamArnsTest, ParseEntityArnSplitsPathAndName) {
  auto arn = ParseEntityArn("arn:aws:iam::123456789012:role/a/b/R", "role");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->path, "/a/b/");
  EXPECT_EQ(arn->name, "R");
}

TEST(IamArnsTest, ParseEntityArnRejectsOtherTypesAndMalformedText) {
  EXPECT_FALSE(ParseEntityArn("arn:aws:iam::1:user/a", "role").has_value());
  EXPECT_FALSE(ParseEntityArn("arn:aws:iam::1:role/", "role").has_value());
  EXPECT_FALSE(ParseEntityArn("arn:aws:sts::1:role/a", "role").has_value());
  EXPECT_FALSE(ParseEntityArn("arn:aws:iam::1:rolex/a", "role").has_value());
  EXPECT_FALSE(ParseArn("not-an-arn").has_value());
  EXPECT_FALSE(ParseArn("arn:aws:iam::1").has_value());
}

// ---- handler helpers ----

TEST(IamInternalTest, PolicyDocumentsAreUrlEncodedPerRfc3986) {
  EXPECT_EQ(internal::UrlEncodeDocument(R"({"A": "b/c*"})"), "%7B%22A%22%3A%20%22b%2Fc%2A%22%7D");
}

TEST(IamInternalTest, PolicySizeIgnoresWhitespace) {
  EXPECT_EQ(internal::NonWhitespaceLength("{ \"a\" :\n\t1 }"), 7u);
}

TEST(IamInternalTest, PaginateIssuesAMarkerOnlyWhenTruncated) {
  Json out = Json::object();
  ASSERT_THAT(internal::Paginate({{"MaxItems", 2}}, {1, 2, 3}, "Items", &out), IsOk());
  EXPECT_EQ(out["Items"], Json({1, 2}));
  EXPECT_TRUE(out["IsTruncated"].get<bool>());
  Json next = Json::object();
  ASSERT_THAT(internal::Paginate({{"Marker", out["Marker"]}}, {1, 2, 3}, "Items", &next), IsOk());
  EXPECT_EQ(next["Items"], Json({3}));
  EXPECT_FALSE(next["IsTruncated"].get<bool>());
  EXPECT_FALSE(next.contains("Marker"));
}

TEST(IamInternalTest, PaginateRejectsAMarkerBeyondTheList) {
  Json out = Json::object();
  ASSERT_THAT(internal::Paginate({{"MaxItems", 1}}, {1, 2}, "Items", &out), IsOk());
  Json again = Json::object();
  EXPECT_THAT(internal::Paginate({{"Marker", out["Marker"]}}, {}, "Items", &again),
              HasAwsError("ValidationError"));
}

TEST(IamInternalTest, InputTagsRefuseCaseInsensitiveDuplicates) {
  Json in = {{"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "A"}, {"Value", "2"}}}}};
  EXPECT_THAT(internal::InputTags(in), HasAwsError("InvalidInput"));
}

TEST(IamInternalTest, InputTagsCountTheExistingTags) {
  std::vector<Tag> existing;
  for (int i = 0; i < 50; ++i) existing.push_back({"k" + std::to_string(i), "v"});
  EXPECT_THAT(internal::InputTags({{"Tags", {{{"Key", "k1"}, {"Value", "x"}}}}}, existing), IsOk());
  EXPECT_THAT(internal::InputTags({{"Tags", {{{"Key", "new"}, {"Value", "x"}}}}}, existing),
              HasAwsError("LimitExceeded"));
}

}  // namespace
}  // namespace gee::iam

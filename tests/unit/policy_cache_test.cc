#include "auth/policy/policy_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace gee::policy {
namespace {

constexpr char kDoc[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";

TEST(PolicyCacheTest, SameTextAndKindIsParsedOnce) {
  PolicyCache cache;
  auto a = cache.Get(kDoc, PolicyKind::kIdentity);
  auto b = cache.Get(kDoc, PolicyKind::kIdentity);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.parses(), 1u);
}

TEST(PolicyCacheTest, SameTextUnderAnotherKindIsParsedSeparately) {
  PolicyCache cache;
  auto identity = cache.Get(kDoc, PolicyKind::kIdentity);
  auto key = cache.Get(kDoc, PolicyKind::kKeyPolicy);
  EXPECT_TRUE(identity.ok());
  EXPECT_FALSE(key.ok());  // a key policy statement needs a principal
  EXPECT_EQ(cache.parses(), 2u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(PolicyCacheTest, ParseFailuresAreCachedToo) {
  PolicyCache cache;
  EXPECT_FALSE(cache.Get("{bad", PolicyKind::kIdentity).ok());
  auto again = cache.Get("{bad", PolicyKind::kIdentity);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "This policy contains invalid Json");
  EXPECT_EQ(cache.parses(), 1u);
}

TEST(PolicyCacheTest, OldestEntryIsEvictedAtCapacity) {
  PolicyCache cache(2);
  std::string d1 = kDoc;
  std::string d2 = std::string(kDoc) + " ";
  std::string d3 = std::string(kDoc) + "  ";
  (void)cache.Get(d1, PolicyKind::kIdentity);
  (void)cache.Get(d2, PolicyKind::kIdentity);
  (void)cache.Get(d3, PolicyKind::kIdentity);
  EXPECT_EQ(cache.size(), 2u);
  (void)cache.Get(d1, PolicyKind::kIdentity);  // evicted, parsed again
  EXPECT_EQ(cache.parses(), 4u);
}

TEST(PolicyCacheTest, ConcurrentLookupsAgree) {
  PolicyCache cache;
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache, &ok, t] {
      for (int i = 0; i < 200; ++i) ok[t] += cache.Get(kDoc, PolicyKind::kIdentity).ok() ? 1 : 0;
    });
  }
  for (std::thread& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 200);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(PolicyCacheTest, ClearForgetsEverything) {
  PolicyCache cache;
  (void)cache.Get(kDoc, PolicyKind::kIdentity);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  (void)cache.Get(kDoc, PolicyKind::kIdentity);
  EXPECT_EQ(cache.parses(), 2u);
}

}  // namespace
}  // namespace gee::policy

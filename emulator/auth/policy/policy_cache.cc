#include "auth/policy/policy_cache.h"

#include <openssl/sha.h>

#include <utility>

namespace gee::policy {

PolicyCache::PolicyCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

Result<PolicyPtr> PolicyCache::Get(std::string_view text, PolicyKind kind) {
  Key key{kind, {}};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), key.digest.data());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  Result<PolicyPtr> parsed = Policy::Parse(text, kind);
  std::lock_guard<std::mutex> lock(mu_);
  ++parses_;
  auto [it, inserted] = entries_.emplace(key, parsed);
  if (inserted) {
    order_.push_back(key);
    while (entries_.size() > capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }
  return parsed;
}

size_t PolicyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

size_t PolicyCache::parses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return parses_;
}

void PolicyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  order_.clear();
}

}  // namespace gee::policy

#include "auth/policy/policy_cache.h"

#include <utility>

namespace gee::policy {

PolicyCache::PolicyCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

Result<PolicyPtr> PolicyCache::Get(std::string_view text, PolicyKind kind) {
  Entries& entries = entries_[static_cast<size_t>(kind)];
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries.find(text);
    if (it != entries.end()) return it->second;
  }
  Result<PolicyPtr> parsed = Policy::Parse(text, kind);
  std::lock_guard<std::mutex> lock(mu_);
  ++parses_;
  auto [it, inserted] = entries.emplace(std::string(text), parsed);
  if (inserted) {
    ++size_;
    order_.emplace_back(kind, &it->first);
    while (size_ > capacity_) {
      auto [oldest_kind, oldest_text] = order_.front();
      Entries& from = entries_[static_cast<size_t>(oldest_kind)];
      from.erase(from.find(*oldest_text));
      order_.pop_front();
      --size_;
    }
  }
  return parsed;
}

size_t PolicyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

size_t PolicyCache::parses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return parses_;
}

void PolicyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  for (Entries& entries : entries_) entries.clear();
  order_.clear();
  size_ = 0;
}

}  // namespace gee::policy

// A cache of parsed policies keyed by (policy kind, SHA-256 of the document
// text), so a document that is evaluated on every request is parsed once.
// Parse failures are cached too (the same text fails the same way).
//
// When the cache holds `capacity` entries, the oldest entry is evicted.
//
// Thread-safety: every method may be called from any thread. Parsing runs
// outside the lock, so two threads may parse the same new text once each;
// both get an equivalent result.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string_view>

#include "auth/policy/policy.h"
#include "core/result.h"

namespace gee::policy {

class PolicyCache {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  explicit PolicyCache(size_t capacity = kDefaultCapacity);
  PolicyCache(const PolicyCache&) = delete;
  PolicyCache& operator=(const PolicyCache&) = delete;

  // The parsed policy for `text` as a policy of `kind`, parsing on a miss.
  Result<PolicyPtr> Get(std::string_view text, PolicyKind kind);

  size_t size() const;
  // Number of Get calls that had to parse (for tests and metrics).
  size_t parses() const;
  void Clear();

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Key {
    PolicyKind kind;
    Digest digest;
    bool operator<(const Key& o) const {
      return kind != o.kind ? kind < o.kind : digest < o.digest;
    }
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::map<Key, Result<PolicyPtr>> entries_;
  std::deque<Key> order_;  // insertion order, oldest first
  size_t parses_ = 0;
};

}  // namespace gee::policy

// A cache of parsed policies keyed by (policy kind, document text), so a
// document that is evaluated on every request is parsed once. A hit costs one
// hash of the text, one comparison with the stored copy and the lock; no
// digest. Parse failures are cached too (the same text fails the same way).
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
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

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
  // std::hash over strings that also accepts std::string_view lookups.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // One map per kind, from document text to its parse result.
  using Entries = std::unordered_map<std::string, Result<PolicyPtr>, TextHash, std::equal_to<>>;
  static constexpr size_t kKinds = static_cast<size_t>(PolicyKind::kResource) + 1;

  const size_t capacity_;
  mutable std::mutex mu_;
  std::array<Entries, kKinds> entries_;
  size_t size_ = 0;
  // Insertion order, oldest first: the kind and the entry's key (owned by the map).
  std::deque<std::pair<PolicyKind, const std::string*>> order_;
  size_t parses_ = 0;
};

}  // namespace gee::policy

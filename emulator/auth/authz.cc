#include "auth/authz.h"

#include <algorithm>

namespace gee {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Compares lower-cased `stored` with `key` lower-cased on the fly (no copy).
int CompareLowered(std::string_view stored, std::string_view key) {
  const size_t n = std::min(stored.size(), key.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char a = static_cast<unsigned char>(stored[i]);
    const unsigned char b = static_cast<unsigned char>(LowerAscii(key[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  return stored.size() == key.size() ? 0 : (stored.size() < key.size() ? -1 : 1);
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool KeyNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::vector<ConditionKeys::Entry>::const_iterator ConditionKeys::LowerBound(
    std::string_view key) const {
  return std::lower_bound(entries_.begin(), entries_.end(), key,
                          [](const Entry& e, std::string_view k) { return CompareLowered(e.name, k) < 0; });
}

const ConditionKeys::Entry* ConditionKeys::FindEntry(std::string_view key) const {
  auto it = LowerBound(key);
  return it != entries_.end() && CompareLowered(it->name, key) == 0 ? &*it : nullptr;
}

void ConditionKeys::Put(std::string_view key, std::vector<std::string> values, bool multi) {
  auto it = entries_.begin() + (LowerBound(key) - entries_.cbegin());
  if (it != entries_.end() && CompareLowered(it->name, key) == 0) {
    it->values = std::move(values);
    it->multi = multi;
    return;
  }
  Entry e{std::string(key), std::move(values), multi};
  std::transform(e.name.begin(), e.name.end(), e.name.begin(), LowerAscii);
  entries_.insert(it, std::move(e));
}

void ConditionKeys::Set(std::string_view key, std::string value) {
  std::vector<std::string> values;
  values.push_back(std::move(value));
  Put(key, std::move(values), false);
}

void ConditionKeys::SetMulti(std::string_view key, std::vector<std::string> values) {
  Put(key, std::move(values), true);
}

void ConditionKeys::Erase(std::string_view key) {
  if (const Entry* e = FindEntry(key)) entries_.erase(entries_.begin() + (e - entries_.data()));
}

const std::vector<std::string>* ConditionKeys::Find(std::string_view key) const {
  const Entry* e = FindEntry(key);
  return e == nullptr ? nullptr : &e->values;
}

bool ConditionKeys::IsMultiValued(std::string_view key) const {
  const Entry* e = FindEntry(key);
  return e != nullptr && e->multi;
}

std::vector<std::string> ConditionKeys::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const Entry& e : entries_) names.push_back(e.name);
  return names;
}

}  // namespace gee

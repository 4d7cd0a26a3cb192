#include "auth/authz.h"

#include <algorithm>
#include <cctype>

namespace gee {
namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

void ConditionKeys::Set(std::string_view key, std::string value) {
  entries_[Lower(key)] = Entry{{std::move(value)}, false};
}

void ConditionKeys::SetMulti(std::string_view key, std::vector<std::string> values) {
  entries_[Lower(key)] = Entry{std::move(values), true};
}

void ConditionKeys::Erase(std::string_view key) { entries_.erase(Lower(key)); }

const std::vector<std::string>* ConditionKeys::Find(std::string_view key) const {
  auto it = entries_.find(Lower(key));
  return it == entries_.end() ? nullptr : &it->second.values;
}

bool ConditionKeys::IsMultiValued(std::string_view key) const {
  auto it = entries_.find(Lower(key));
  return it != entries_.end() && it->second.multi;
}

std::vector<std::string> ConditionKeys::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [k, v] : entries_) names.push_back(k);
  return names;
}

}  // namespace gee

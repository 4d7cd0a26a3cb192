#include "auth/policy/policy.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace gee::policy {
namespace {

using Json = nlohmann::json;

// Error texts. IAM texts are from spec §1.3 or observed AWS responses; the
// KMS and S3 principal texts from spec §4.2 and observed responses. Where a
// service's text for a generic syntax problem is not known, IAM's is used.
constexpr char kInvalidJson[] = "This policy contains invalid Json";
constexpr char kSyntaxErrors[] = "Syntax errors in policy.";
constexpr char kMissingActions[] = "Policy statement must contain actions.";
constexpr char kMissingResources[] = "Policy statement must contain resources.";
constexpr char kVersionTooOld[] = "Policy document must be version 2012-10-17 or greater.";
constexpr char kVendorPrefix[] =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
constexpr char kIdentityHasPrincipal[] = "Policy document should not specify a principal.";
constexpr char kSidNotAlphanumeric[] =
    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
    "expression [0-9A-Za-z]*";
constexpr char kSidNotUnique[] = "Statement IDs (SID) in a single policy must be unique.";
constexpr char kTrustOnlyAssumeRole[] = "AssumeRole policy may only specify STS AssumeRole actions.";
constexpr char kTrustNoPrincipal[] =
    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in "
    "policy has a statement with no principals!";
constexpr char kKeyPolicyInvalidPrincipal[] =
    "Policy contains a statement with one or more invalid principals.";
constexpr char kS3MissingPrincipal[] = "Missing required field Principal";
constexpr char kS3InvalidPrincipal[] = "Invalid principal in policy";
constexpr char kS3InvalidResource[] = "Policy has invalid resource";
constexpr char kS3InvalidAction[] = "Policy has invalid action";
// UNCONFIRMED text (the code, LimitExceededException, is documented).
constexpr char kKeyPolicyTooLarge[] = "Policy exceeds the maximum key policy size of 32768 bytes.";

AwsError Malformed(std::string message) { return AwsError(kMalformedPolicyCode, std::move(message), 400); }

bool IsIdentityKind(PolicyKind k) {
  return k == PolicyKind::kIdentity || k == PolicyKind::kManagedIdentity;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool IsAccountId(std::string_view s) { return s.size() == 12 && AllDigits(s); }

// "vendor:name" with a plain vendor prefix, or "*".
bool IsActionSyntax(std::string_view a) {
  if (a == "*") return true;
  size_t colon = a.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= a.size()) return false;
  std::string_view vendor = a.substr(0, colon);
  std::string_view name = a.substr(colon + 1);
  bool vendor_ok = std::all_of(vendor.begin(), vendor.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-';
  });
  bool name_ok = std::none_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isspace(c) || c == ':';
  });
  return vendor_ok && name_ok;
}

// A trust-policy action must be one of the STS actions a trust policy can
// grant; a wildcard is accepted only when it cannot reach any other action.
bool IsTrustAction(std::string_view action) {
  static const std::set<std::string, std::less<>> kAllowed = {
      "sts:assumerole",      "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
      "sts:tagsession",      "sts:setsourceidentity",  "sts:setcontext",
  };
  std::string a = AsciiLower(action);
  if (kAllowed.count(a) > 0) return true;
  size_t wild = a.find_first_of("*?");
  if (wild == std::string::npos) return false;
  return a.substr(0, wild).rfind("sts:assumerole", 0) == 0;
}

// "*" or an ARN with its six colon-separated parts.
bool IsResourceSyntax(std::string_view r) {
  if (r == "*") return true;
  if (r.rfind("arn:", 0) != 0) return false;
  return SplitArn(r).size() == 6;
}

bool IsUniqueId(std::string_view s) {
  if (s.size() < 16 || s.size() > 128) return false;
  if (s.rfind("AIDA", 0) != 0 && s.rfind("AROA", 0) != 0) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isupper(c) || std::isdigit(c);
  });
}

// Validates and normalises one {"AWS": value} entry. Empty when invalid.
std::string NormaliseAwsPrincipal(std::string_view v) {
  if (IsAccountId(v)) return "arn:aws:iam::" + std::string(v) + ":root";
  if (IsUniqueId(v)) return std::string(v);
  if (v.find_first_of("*?") != std::string_view::npos) return "";
  std::vector<std::string_view> parts = SplitArn(v);
  if (parts.size() != 6 || parts[0] != "arn") return "";
  if (parts[1] != "aws" && parts[1] != "aws-cn" && parts[1] != "aws-us-gov") return "";
  if (!parts[3].empty() || !IsAccountId(parts[4])) return "";
  std::string_view res = parts[5];
  if (parts[2] == "iam") {
    if (res == "root") return std::string(v);
    if ((res.rfind("user/", 0) == 0 && res.size() > 5) ||
        (res.rfind("role/", 0) == 0 && res.size() > 5)) {
      return std::string(v);
    }
    return "";
  }
  if (parts[2] == "sts") {
    if (res.rfind("assumed-role/", 0) == 0) {
      std::string_view rest = res.substr(13);
      size_t slash = rest.find('/');
      if (slash != std::string_view::npos && slash > 0 && slash + 1 < rest.size()) {
        return std::string(v);
      }
      return "";
    }
    if (res.rfind("federated-user/", 0) == 0 && res.size() > 15) return std::string(v);
  }
  return "";
}

bool IsServiceName(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-';
  });
}

// Reads a string-or-array-of-strings element. False on any other shape
// (including an empty array).
bool ReadStringList(const Json& j, std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get<std::string>());
    return true;
  }
  if (!j.is_array() || j.empty()) return false;
  for (const Json& e : j) {
    if (!e.is_string()) return false;
    out->push_back(e.get<std::string>());
  }
  return true;
}

// A scalar condition value as text: strings as-is, numbers and booleans as
// JSON writes them.
bool ScalarToText(const Json& j, std::string* out) {
  if (j.is_string()) {
    *out = j.get<std::string>();
  } else if (j.is_boolean()) {
    *out = j.get<bool>() ? "true" : "false";
  } else if (j.is_number()) {
    *out = j.dump();
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string_view PolicyKindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
      return "identity";
    case PolicyKind::kManagedIdentity:
      return "managed identity";
    case PolicyKind::kTrust:
      return "trust";
    case PolicyKind::kKeyPolicy:
      return "key";
    case PolicyKind::kResource:
      return "resource";
  }
  return "unknown";
}

// Builds a Policy from JSON; one instance per parse.
class PolicyParser {
 public:
  explicit PolicyParser(PolicyKind kind) : kind_(kind) {}

  Result<PolicyPtr> Parse(std::string_view text) {
    if (kind_ == PolicyKind::kKeyPolicy && text.size() > kMaxKeyPolicyBytes) {
      return AwsError(kPolicyTooLargeCode, kKeyPolicyTooLarge, 400);
    }
    // Duplicate member names are refused: JSON parsers disagree on which one
    // wins, and {"Effect":"Deny","Effect":"Allow"} must not become an Allow.
    std::vector<std::set<std::string>> open_objects;
    bool duplicate_key = false;
    Json::parser_callback_t check_duplicates = [&](int, Json::parse_event_t event, Json& parsed) {
      switch (event) {
        case Json::parse_event_t::object_start:
          open_objects.emplace_back();
          break;
        case Json::parse_event_t::object_end:
          if (!open_objects.empty()) open_objects.pop_back();
          break;
        case Json::parse_event_t::key:
          if (!open_objects.empty() && parsed.is_string() &&
              !open_objects.back().insert(parsed.get<std::string>()).second) {
            duplicate_key = true;
          }
          break;
        default:
          break;
      }
      return true;
    };
    Json doc = Json::parse(text.begin(), text.end(), check_duplicates, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Malformed(kInvalidJson);
    if (duplicate_key) return Malformed(kSyntaxErrors);
    if (!doc.is_object()) return Malformed(kSyntaxErrors);

    std::shared_ptr<Policy> policy(new Policy());
    policy->kind_ = kind_;
    const Json* statements = nullptr;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const std::string& key = it.key();
      if (key == "Version") {
        if (!it->is_string()) return Malformed(kSyntaxErrors);
        policy->version_ = it->get<std::string>();
      } else if (key == "Id") {
        if (!it->is_string()) return Malformed(kSyntaxErrors);
        policy->id_ = it->get<std::string>();
      } else if (key == "Statement") {
        statements = &*it;
      } else {
        return Malformed(kSyntaxErrors);
      }
    }
    const std::string& version = policy->version_;
    if (kind_ == PolicyKind::kManagedIdentity && version != "2012-10-17") {
      return Malformed(kVersionTooOld);
    }
    if (!version.empty() && version != "2012-10-17" && version != "2008-10-17") {
      return Malformed(kSyntaxErrors);
    }
    if (statements == nullptr) return Malformed(kSyntaxErrors);
    variables_ = policy->variables_enabled();

    std::vector<const Json*> list;
    if (statements->is_object()) {
      list.push_back(statements);
    } else if (statements->is_array()) {
      for (const Json& s : *statements) list.push_back(&s);
    } else {
      return Malformed(kSyntaxErrors);
    }
    std::set<std::string> sids;
    for (size_t i = 0; i < list.size(); ++i) {
      GEE_ASSIGN_OR_RETURN(Statement st, ParseStatement(*list[i], i));
      if (IsIdentityKind(kind_) && !st.sid.empty() && !sids.insert(st.sid).second) {
        return Malformed(kSidNotUnique);
      }
      policy->statements_.push_back(std::move(st));
    }
    policy->IndexActions();
    return PolicyPtr(std::move(policy));
  }

 private:
  Result<Statement> ParseStatement(const Json& j, size_t index) {
    if (!j.is_object()) return Malformed(kSyntaxErrors);
    Statement st;
    st.index = index;
    const Json* effect = nullptr;
    const Json* principal = nullptr;
    const Json* not_principal = nullptr;
    const Json* action = nullptr;
    const Json* not_action = nullptr;
    const Json* resource = nullptr;
    const Json* not_resource = nullptr;
    const Json* condition = nullptr;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      if (key == "Sid") {
        if (!it->is_string()) return Malformed(kSyntaxErrors);
        st.sid = it->get<std::string>();
      } else if (key == "Effect") {
        effect = &*it;
      } else if (key == "Principal") {
        principal = &*it;
      } else if (key == "NotPrincipal") {
        not_principal = &*it;
      } else if (key == "Action") {
        action = &*it;
      } else if (key == "NotAction") {
        not_action = &*it;
      } else if (key == "Resource") {
        resource = &*it;
      } else if (key == "NotResource") {
        not_resource = &*it;
      } else if (key == "Condition") {
        condition = &*it;
      } else {
        return Malformed(kSyntaxErrors);
      }
    }

    if (IsIdentityKind(kind_) &&
        !std::all_of(st.sid.begin(), st.sid.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0; })) {
      return Malformed(kSidNotAlphanumeric);
    }

    // Effect.
    if (effect == nullptr || !effect->is_string()) return Malformed(kSyntaxErrors);
    const std::string effect_text = effect->get<std::string>();
    if (effect_text == "Allow") {
      st.effect = Effect::kAllow;
    } else if (effect_text == "Deny") {
      st.effect = Effect::kDeny;
    } else {
      return Malformed(kSyntaxErrors);
    }

    // A trust policy names no resource (the role is the resource).
    if (kind_ == PolicyKind::kTrust) {
      if (resource != nullptr) return Malformed("Has prohibited field Resource");
      if (not_resource != nullptr) return Malformed("Has prohibited field NotResource");
    }

    // Principal / NotPrincipal.
    if (principal != nullptr && not_principal != nullptr) return Malformed(kSyntaxErrors);
    if (IsIdentityKind(kind_)) {
      if (principal != nullptr || not_principal != nullptr) {
        return Malformed(kIdentityHasPrincipal);
      }
    } else {
      // NotPrincipal is not supported in trust policies.
      if (kind_ == PolicyKind::kTrust && not_principal != nullptr) return Malformed(kSyntaxErrors);
      if (principal == nullptr && not_principal == nullptr) return Malformed(MissingPrincipalText());
      if (not_principal != nullptr && st.effect == Effect::kAllow) return Malformed(kSyntaxErrors);
      st.principal_mode = principal != nullptr ? PrincipalMode::kPrincipal
                                               : PrincipalMode::kNotPrincipal;
      GEE_RETURN_IF_ERROR(ParsePrincipal(principal != nullptr ? *principal : *not_principal,
                                         &st.principals));
    }

    // Action / NotAction.
    if (action != nullptr && not_action != nullptr) return Malformed(kSyntaxErrors);
    if (action == nullptr && not_action == nullptr) {
      if (kind_ != PolicyKind::kKeyPolicy) return Malformed(kMissingActions);
      st.action_mode = ElementMode::kInert;
    } else {
      st.action_mode = action != nullptr ? ElementMode::kList : ElementMode::kNotList;
      std::vector<std::string> raw;
      if (!ReadStringList(action != nullptr ? *action : *not_action, &raw)) {
        if (kind_ == PolicyKind::kKeyPolicy || kind_ == PolicyKind::kResource) {
          return Malformed(kSyntaxErrors);
        }
        return Malformed(kMissingActions);
      }
      for (const std::string& a : raw) {
        if (!IsActionSyntax(a)) {
          return Malformed(kind_ == PolicyKind::kResource ? kS3InvalidAction : kVendorPrefix);
        }
        if (kind_ == PolicyKind::kTrust &&
            (st.action_mode == ElementMode::kNotList || !IsTrustAction(a))) {
          return Malformed(kTrustOnlyAssumeRole);
        }
        st.actions.push_back(Glob::FromPattern(AsciiLower(a)));
      }
    }

    // Resource / NotResource.
    if (kind_ == PolicyKind::kTrust) {
      st.resource_mode = ElementMode::kImplicitAll;
    } else if (resource != nullptr && not_resource != nullptr) {
      return Malformed(kSyntaxErrors);
    } else if (resource == nullptr && not_resource == nullptr) {
      if (kind_ != PolicyKind::kKeyPolicy) return Malformed(kMissingResources);
      st.resource_mode = ElementMode::kInert;
    } else {
      st.resource_mode = resource != nullptr ? ElementMode::kList : ElementMode::kNotList;
      std::vector<std::string> raw;
      if (!ReadStringList(resource != nullptr ? *resource : *not_resource, &raw)) {
        if (kind_ == PolicyKind::kKeyPolicy || kind_ == PolicyKind::kResource) {
          return Malformed(kSyntaxErrors);
        }
        return Malformed(kMissingResources);
      }
      for (const std::string& r : raw) {
        if (IsIdentityKind(kind_) && !IsResourceSyntax(r)) {
          return Malformed("Resource " + r + " must be in ARN format or \"*\".");
        }
        if (kind_ == PolicyKind::kResource && !IsResourceSyntax(r)) {
          return Malformed(kS3InvalidResource);
        }
        st.resources.push_back(PolicyString::Compile(r, variables_));
      }
    }

    if (condition != nullptr) GEE_RETURN_IF_ERROR(ParseConditions(*condition, &st.conditions));
    return st;
  }

  std::string MissingPrincipalText() const {
    switch (kind_) {
      case PolicyKind::kTrust:
        return kTrustNoPrincipal;
      case PolicyKind::kKeyPolicy:
        return kKeyPolicyInvalidPrincipal;
      default:
        return kS3MissingPrincipal;
    }
  }

  AwsError InvalidPrincipal(std::string_view type, std::string_view value) const {
    switch (kind_) {
      case PolicyKind::kTrust:
        if (type.empty()) return Malformed("Invalid principal in policy");
        return Malformed("Invalid principal in policy: \"" + std::string(type) + "\":\"" +
                         std::string(value) + "\"");
      case PolicyKind::kKeyPolicy:
        return Malformed(kKeyPolicyInvalidPrincipal);
      default:
        return Malformed(kS3InvalidPrincipal);
    }
  }

  Status ParsePrincipal(const Json& j, PrincipalSet* out) {
    if (j.is_string()) {
      if (j.get<std::string>() != "*") return InvalidPrincipal("", "");
      out->any = true;
      return OkStatus();
    }
    if (!j.is_object() || j.empty()) return InvalidPrincipal("", "");
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& type = it.key();
      std::vector<std::string> values;
      if (!ReadStringList(*it, &values)) return InvalidPrincipal(type, it->dump());
      for (const std::string& v : values) {
        if (type == "AWS") {
          if (v == "*") {
            out->any = true;
            continue;
          }
          std::string norm = NormaliseAwsPrincipal(v);
          if (norm.empty()) return InvalidPrincipal(type, v);
          out->aws.push_back(std::move(norm));
        } else if (type == "Service") {
          if (!IsServiceName(v)) return InvalidPrincipal(type, v);
          out->services.push_back(AsciiLower(v));
        } else if (type == "Federated") {
          if (v.empty() || v.find('*') != std::string::npos) return InvalidPrincipal(type, v);
          out->federated.push_back(v);
        } else if (type == "CanonicalUser" && kind_ == PolicyKind::kResource) {
          if (v.empty()) return InvalidPrincipal(type, v);
          out->canonical_users.push_back(v);
        } else {
          return InvalidPrincipal(type, v);
        }
      }
    }
    return OkStatus();
  }

  Status ParseConditions(const Json& j, std::vector<Condition>* out) {
    if (!j.is_object()) return Malformed(kSyntaxErrors);
    for (auto op_it = j.begin(); op_it != j.end(); ++op_it) {
      std::optional<ConditionOperator> op = ParseConditionOperator(op_it.key());
      if (!op) return Malformed(kSyntaxErrors);
      if (!op_it->is_object() || op_it->empty()) return Malformed(kSyntaxErrors);
      for (auto key_it = op_it->begin(); key_it != op_it->end(); ++key_it) {
        const std::string& key = key_it.key();
        size_t colon = key.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) {
          return Malformed(kVendorPrefix);
        }
        std::vector<std::string> values;
        std::string text;
        if (key_it->is_array()) {
          if (key_it->empty()) return Malformed(kSyntaxErrors);
          for (const Json& v : *key_it) {
            if (!ScalarToText(v, &text)) return Malformed(kSyntaxErrors);
            values.push_back(text);
          }
        } else if (ScalarToText(*key_it, &text)) {
          values.push_back(text);
        } else {
          return Malformed(kSyntaxErrors);
        }
        if (op->kind == OperatorKind::kNull) {
          for (const std::string& v : values) {
            std::string l = AsciiLower(v);
            if (l != "true" && l != "false") return Malformed(kSyntaxErrors);
          }
        }
        out->push_back(Condition::Compile(*op, op_it.key(), key, values, variables_));
      }
    }
    return OkStatus();
  }

  PolicyKind kind_;
  bool variables_ = false;
};

bool Statement::MatchesAction(std::string_view action_lower) const {
  auto hit = [&](const Glob& g) { return g.Matches(action_lower); };
  switch (action_mode) {
    case ElementMode::kList:
      return std::any_of(actions.begin(), actions.end(), hit);
    case ElementMode::kNotList:
      return std::none_of(actions.begin(), actions.end(), hit);
    case ElementMode::kImplicitAll:
      return true;
    case ElementMode::kInert:
      return false;
  }
  return false;
}

namespace {

// The service a lower-cased Action pattern is limited to ("kms" for
// "kms:encrypt" and "kms:*"), or "" when a wildcard comes before the first
// ':' (or there is none) so the pattern may match any service.
std::string_view PatternService(const Glob& pattern) {
  std::string_view prefix = pattern.LiteralPrefix();
  size_t colon = prefix.find(':');
  return colon == std::string_view::npos ? std::string_view() : prefix.substr(0, colon);
}

}  // namespace

void Policy::IndexActions() {
  // Services of each statement; empty for statements that may match any action.
  std::vector<std::vector<std::string_view>> services(statements_.size());
  std::vector<std::string_view> all;
  for (size_t i = 0; i < statements_.size(); ++i) {
    const Statement& st = statements_[i];
    if (st.action_mode != ElementMode::kList) continue;
    bool any = false;
    for (const Glob& g : st.actions) {
      std::string_view service = PatternService(g);
      if (service.empty()) any = true;
      if (std::find(services[i].begin(), services[i].end(), service) == services[i].end()) {
        services[i].push_back(service);
      }
    }
    if (any || st.actions.empty()) {
      services[i].clear();
      continue;
    }
    for (std::string_view s : services[i]) {
      if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
    }
  }
  by_service_.clear();
  any_service_.clear();
  for (std::string_view s : all) by_service_.push_back({std::string(s), {}});
  for (size_t i = 0; i < statements_.size(); ++i) {
    const uint32_t id = static_cast<uint32_t>(i);
    if (services[i].empty()) {
      any_service_.push_back(id);
      for (ServiceStatements& e : by_service_) e.statements.push_back(id);
      continue;
    }
    for (ServiceStatements& e : by_service_) {
      if (std::find(services[i].begin(), services[i].end(), e.service) != services[i].end()) {
        e.statements.push_back(id);
      }
    }
  }
}

std::span<const uint32_t> Policy::CandidateStatements(std::string_view action_lower) const {
  const size_t colon = action_lower.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view service = action_lower.substr(0, colon);
    for (const ServiceStatements& e : by_service_) {
      if (e.service == service) return e.statements;
    }
  }
  return any_service_;
}

Result<PolicyPtr> Policy::Parse(std::string_view text, PolicyKind kind) {
  try {
    return PolicyParser(kind).Parse(text);
  } catch (const nlohmann::json::exception&) {
    return Malformed(kInvalidJson);
  }
}

Result<PolicyPtr> ParseIdentityPolicy(std::string_view text) {
  return Policy::Parse(text, PolicyKind::kIdentity);
}
Result<PolicyPtr> ParseManagedPolicy(std::string_view text) {
  return Policy::Parse(text, PolicyKind::kManagedIdentity);
}
Result<PolicyPtr> ParseTrustPolicy(std::string_view text) {
  return Policy::Parse(text, PolicyKind::kTrust);
}
Result<PolicyPtr> ParseKeyPolicy(std::string_view text) {
  return Policy::Parse(text, PolicyKind::kKeyPolicy);
}
Result<PolicyPtr> ParseResourcePolicy(std::string_view text) {
  return Policy::Parse(text, PolicyKind::kResource);
}

}  // namespace gee::policy

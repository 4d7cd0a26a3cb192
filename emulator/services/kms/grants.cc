#include "services/kms/grants.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/kms/errors.h"

namespace gee::kms {
namespace {

constexpr std::string_view kTokenPrefix = "gee-grant-token:v1:";

bool IsLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Every pair of `inner` is in `outer`.
bool PairsWithin(const EncryptionContext& inner, const EncryptionContext& outer) {
  for (const auto& [k, v] : inner) {
    auto it = outer.find(k);
    if (it == outer.end() || it->second != v) return false;
  }
  return true;
}

Result<EncryptionContext> ContextFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return errors::Internal("kms grant constraints: not a map");
  EncryptionContext out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_string()) return errors::Internal("kms grant constraints: non-string value");
    out.emplace(it.key(), it->get<std::string>());
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& AllGrantOperations() {
  static const std::vector<std::string_view> kOps = {
      "Decrypt",       "Encrypt",        "GenerateDataKey",     "GenerateDataKeyWithoutPlaintext",
      "ReEncryptFrom", "ReEncryptTo",    "Sign",                "Verify",
      "GetPublicKey",  "CreateGrant",    "RetireGrant",         "DescribeKey",
      "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
      "DeriveSharedSecret"};
  return kOps;
}

std::vector<std::string_view> GrantOperationsFor(KeySpec spec, KeyUsage usage) {
  std::vector<std::string_view> ops = {"CreateGrant", "RetireGrant", "DescribeKey"};
  switch (usage) {
    case KeyUsage::kEncryptDecrypt:
      ops.insert(ops.end(), {"Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo"});
      if (IsSymmetricEncryption(spec)) {
        ops.insert(ops.end(), {"GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
                               "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"});
      } else {
        ops.push_back("GetPublicKey");
      }
      break;
    case KeyUsage::kSignVerify:
      ops.insert(ops.end(), {"Sign", "Verify", "GetPublicKey"});
      break;
    case KeyUsage::kGenerateVerifyMac:
      ops.insert(ops.end(), {"GenerateMac", "VerifyMac"});
      break;
    case KeyUsage::kKeyAgreement:
      ops.insert(ops.end(), {"DeriveSharedSecret", "GetPublicKey"});
      break;
  }
  return ops;
}

bool GrantOperationTakesContext(std::string_view op) {
  return op == "Encrypt" || op == "Decrypt" || op == "ReEncryptFrom" || op == "ReEncryptTo" ||
         op == "GenerateDataKey" || op == "GenerateDataKeyWithoutPlaintext" ||
         op == "GenerateDataKeyPair" || op == "GenerateDataKeyPairWithoutPlaintext";
}

bool GranteeMatches(std::string_view grantee, const Principal& principal) {
  if (grantee.empty()) return false;
  switch (principal.type) {
    case PrincipalType::kAnonymous:
      return false;
    case PrincipalType::kService:
      // Service principal names are case-insensitive.
      if (grantee.size() != principal.arn.size()) return false;
      for (size_t i = 0; i < grantee.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(grantee[i])) !=
            std::tolower(static_cast<unsigned char>(principal.arn[i]))) {
          return false;
        }
      }
      return true;
    case PrincipalType::kAssumedRole:
      return grantee == principal.arn || (!principal.role_arn.empty() && grantee == principal.role_arn);
    case PrincipalType::kRoot:
    case PrincipalType::kUser:
      return grantee == principal.arn;
  }
  return false;
}

std::string SerializeConstraints(const GrantConstraints& constraints) {
  nlohmann::json j = nlohmann::json::object();
  if (constraints.equals) j["EncryptionContextEquals"] = *constraints.equals;
  if (constraints.subset) j["EncryptionContextSubset"] = *constraints.subset;
  return j.dump();
}

Result<GrantConstraints> ParseConstraints(std::string_view json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return errors::Internal("kms grant constraints: not an object");
  GrantConstraints out;
  if (auto it = j.find("EncryptionContextEquals"); it != j.end()) {
    GEE_ASSIGN_OR_RETURN(EncryptionContext c, ContextFromJson(*it));
    out.equals = std::move(c);
  }
  if (auto it = j.find("EncryptionContextSubset"); it != j.end()) {
    GEE_ASSIGN_OR_RETURN(EncryptionContext c, ContextFromJson(*it));
    out.subset = std::move(c);
  }
  return out;
}

bool ConstraintsAdmit(const GrantConstraints& constraints, std::string_view grant_operation,
                      const EncryptionContext& context) {
  if (constraints.empty()) return true;
  if (!GrantOperationTakesContext(grant_operation)) {
    // DescribeKey and RetireGrant ignore the constraint (documented). Other
    // operations without a context cannot be constrained; gee refuses such
    // grants at creation, and would not let one allow anything here.
    return grant_operation == "DescribeKey" || grant_operation == "RetireGrant";
  }
  if (constraints.equals) return *constraints.equals == context;
  return PairsWithin(*constraints.subset, context);
}

bool ChildGrantWithinParent(const std::vector<std::string>& parent_operations,
                            const GrantConstraints& parent,
                            const std::vector<std::string>& child_operations,
                            const GrantConstraints& child) {
  for (const std::string& op : child_operations) {
    if (!Contains(parent_operations, op)) return false;
  }
  if (parent.equals) return child.equals && *child.equals == *parent.equals;
  if (parent.subset) {
    if (child.equals) return PairsWithin(*parent.subset, *child.equals);
    if (child.subset) return PairsWithin(*parent.subset, *child.subset);
    return false;
  }
  return true;
}

std::string NewGrantId(Random& random) { return NewHexId(32, random); }

std::string NewGrantToken(std::string_view grant_id, Random& random) {
  std::string plain(kTokenPrefix);
  plain.append(grant_id);
  plain.push_back(':');
  plain.append(NewHexId(16, random));
  return crypto::Base64UrlEncode(plain);
}

Result<std::string> ParseGrantToken(std::string_view token) {
  auto plain = crypto::Base64UrlDecode(token);
  if (!plain.ok()) return errors::InvalidGrantToken();
  std::string_view view(*plain);
  if (view.substr(0, kTokenPrefix.size()) != kTokenPrefix) return errors::InvalidGrantToken();
  view.remove_prefix(kTokenPrefix.size());
  const size_t colon = view.find(':');
  if (colon == std::string_view::npos) return errors::InvalidGrantToken();
  std::string_view id = view.substr(0, colon);
  std::string_view nonce = view.substr(colon + 1);
  if (!IsGrantId(id) || !IsLowerHex(nonce, 32)) return errors::InvalidGrantToken();
  return std::string(id);
}

bool IsGrantId(std::string_view grant_id) { return IsLowerHex(grant_id, 64); }

}  // namespace gee::kms

#include "services/kms/key_policies.h"

namespace gee::kms {
namespace {

using OJson = nlohmann::ordered_json;

void Indent(std::string& out, int level) { out.append(static_cast<size_t>(level) * 2, ' '); }

void Print(const OJson& v, int level, std::string& out) {
  if (v.is_object()) {
    if (v.empty()) {
      out += "{ }";
      return;
    }
    out += "{\n";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ",\n";
      first = false;
      Indent(out, level + 1);
      out += OJson(it.key()).dump(-1, ' ', false, OJson::error_handler_t::replace);
      out += " : ";
      Print(*it, level + 1, out);
    }
    out += "\n";
    Indent(out, level);
    out += "}";
    return;
  }
  if (v.is_array()) {
    if (v.empty()) {
      out += "[ ]";
      return;
    }
    out += "[ ";
    bool first = true;
    for (const auto& e : v) {
      if (!first) out += ", ";
      first = false;
      Print(e, level, out);
    }
    out += " ]";
    return;
  }
  out += v.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

std::string RootArn(std::string_view account) {
  return "arn:aws:iam::" + std::string(account) + ":root";
}

}  // namespace

std::string JacksonPretty(const nlohmann::ordered_json& value) {
  std::string out;
  Print(value, 0, out);
  return out;
}

std::string DefaultKeyPolicy(std::string_view account) {
  OJson statement = OJson::object();
  statement["Sid"] = "Enable IAM User Permissions";
  statement["Effect"] = "Allow";
  statement["Principal"] = OJson{{"AWS", RootArn(account)}};
  statement["Action"] = "kms:*";
  statement["Resource"] = "*";
  OJson policy = OJson::object();
  policy["Version"] = "2012-10-17";
  policy["Id"] = "key-default-1";
  policy["Statement"] = OJson::array({statement});
  return JacksonPretty(policy);
}

const std::vector<ManagedKeyService>& ManagedKeyServices() {
  static const std::vector<ManagedKeyService> kServices = {
      {"glue", "alias/aws/glue", "Default key that protects my Glue data when no other key is defined"},
      {"s3", "alias/aws/s3", "Default key that protects my S3 objects when no other key is defined"},
  };
  return kServices;
}

const ManagedKeyService* FindManagedKeyService(std::string_view alias_name) {
  for (const ManagedKeyService& s : ManagedKeyServices()) {
    if (s.alias_name == alias_name) return &s;
  }
  return nullptr;
}

std::string ManagedKeyPolicy(const ManagedKeyService& service, std::string_view account,
                             std::string_view region) {
  const std::string via = std::string(service.service) + "." + std::string(region) + ".amazonaws.com";
  OJson use = OJson::object();
  OJson metadata = OJson::object();
  OJson policy = OJson::object();
  policy["Version"] = "2012-10-17";
  if (service.service == "glue") {
    policy["Id"] = "auto-glue-1";
    use["Sid"] = "Allow access through Glue for all principals in the account that are authorized to use Glue";
    use["Effect"] = "Allow";
    use["Principal"] = OJson{{"AWS", "*"}};
    use["Action"] = OJson::array({"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                  "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"});
    use["Resource"] = "*";
    OJson equals = OJson::object();
    equals["kms:ViaService"] = via;
    equals["kms:CallerAccount"] = std::string(account);
    use["Condition"] = OJson{{"StringEquals", equals}};
    metadata["Action"] = OJson::array({"kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"});
  } else {
    policy["Id"] = "auto-s3-2";
    use["Sid"] = "Allow access through S3 for all principals in the account that are authorized to use S3";
    use["Effect"] = "Allow";
    use["Principal"] = OJson{{"AWS", "*"}};
    use["Action"] = OJson::array({"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                  "kms:GenerateDataKey*", "kms:DescribeKey"});
    use["Resource"] = "*";
    OJson equals = OJson::object();
    equals["kms:CallerAccount"] = std::string(account);
    equals["kms:ViaService"] = via;
    use["Condition"] = OJson{{"StringEquals", equals}};
    metadata["Action"] = OJson::array({"kms:Describe*", "kms:Get*", "kms:List*"});
  }
  OJson meta = OJson::object();
  meta["Sid"] = "Allow direct access to key metadata to the account";
  meta["Effect"] = "Allow";
  meta["Principal"] = OJson{{"AWS", RootArn(account)}};
  meta["Action"] = metadata["Action"];
  meta["Resource"] = "*";
  policy["Statement"] = OJson::array({use, meta});
  return JacksonPretty(policy);
}

}  // namespace gee::kms

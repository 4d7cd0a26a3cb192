// KMS grant handlers: CreateGrant, ListGrants, ListRetirableGrants,
// RetireGrant, RevokeGrant (spec §4.6). How grants allow operations is in
// grants.h and KmsService::FindAllowingGrant.
#include <algorithm>
#include <set>

#include "core/environment.h"
#include "services/kms/errors.h"
#include "services/kms/grants.h"
#include "services/kms/handler_support.h"
#include "services/kms/key_ref.h"
#include "services/kms/kms_service.h"

namespace gee::kms {
namespace {

constexpr size_t kMaxGrantsPerKey = 50000;

// An IAM principal ARN or a service principal name.
bool IsGrantPrincipal(std::string_view p) {
  if (p.rfind("arn:aws:iam::", 0) == 0 || p.rfind("arn:aws:sts::", 0) == 0) return true;
  const std::string_view suffix = ".amazonaws.com";
  return p.size() > suffix.size() && p.substr(p.size() - suffix.size()) == suffix &&
         p.find(':') == std::string_view::npos;
}

Json GrantJson(const GrantRecord& g, const std::string& key_arn) {
  Json j = {{"KeyId", key_arn},
            {"GrantId", g.grant_id},
            {"CreationDate", g.creation_date},
            {"GranteePrincipal", g.grantee_principal},
            {"IssuingAccount", g.issuing_account},
            {"Operations", g.operations}};
  if (!g.name.empty()) j["Name"] = g.name;
  if (g.retiring_principal) j["RetiringPrincipal"] = *g.retiring_principal;
  if (g.constraints_json) {
    Json c = Json::parse(*g.constraints_json, nullptr, /*allow_exceptions=*/false);
    if (c.is_object() && !c.empty()) j["Constraints"] = c;
  }
  return j;
}

}  // namespace

Result<Json> KmsService::CreateGrant(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  const Json& in = call.input;
  std::vector<std::string> operations;
  if (auto it = in.find("Operations"); it != in.end() && it->is_array()) {
    for (const Json& o : *it) {
      if (o.is_string() && std::find(operations.begin(), operations.end(), o.get<std::string>()) ==
                               operations.end()) {
        operations.push_back(o.get<std::string>());
      }
    }
  }
  if (operations.empty()) return errors::GrantOperationsRequired();
  if (operations.size() == 1 && operations[0] == "CreateGrant") return errors::GrantOnlyCreateGrant();
  const std::vector<std::string_view> valid = GrantOperationsFor(key->spec, key->usage);
  std::string invalid;
  for (const std::string& op : operations) {
    if (std::find(valid.begin(), valid.end(), op) == valid.end()) {
      if (!invalid.empty()) invalid += ", ";
      invalid += op;
    }
  }
  if (!invalid.empty()) return errors::GrantOperationsInvalid(key->arn, invalid);

  GrantConstraints constraints;
  if (auto c = in.find("Constraints"); c != in.end() && c->is_object()) {
    if (c->contains("EncryptionContextEquals")) constraints.equals = ContextFrom(*c, "EncryptionContextEquals");
    if (c->contains("EncryptionContextSubset")) constraints.subset = ContextFrom(*c, "EncryptionContextSubset");
  }
  if (constraints.equals && constraints.subset) return errors::GrantMoreThanOneConstraint();
  if (!constraints.empty() && !IsSymmetricEncryption(key->spec)) {
    return errors::GrantConstraintsNotSupported(Name(key->spec));
  }
  const std::string grantee = in.value("GranteePrincipal", "");
  if (!IsGrantPrincipal(grantee)) return errors::InvalidGrantPrincipal(grantee);
  std::optional<std::string> retiring;
  if (const std::string* r = StringMember(in, "RetiringPrincipal")) {
    if (!IsGrantPrincipal(*r)) return errors::InvalidGrantPrincipal(*r);
    retiring = *r;
  }
  const std::string name = in.value("Name", "");
  std::optional<std::string> constraints_json;
  if (!constraints.empty()) constraints_json = SerializeConstraints(constraints);

  if (IsDryRun(call)) return errors::DryRun();

  if (!name.empty()) {
    GEE_ASSIGN_OR_RETURN(std::optional<GrantRecord> same, store->FindGrantByName(key->key_id, name));
    if (same) {
      std::set<std::string> a(same->operations.begin(), same->operations.end());
      std::set<std::string> b(operations.begin(), operations.end());
      if (same->grantee_principal == grantee && same->retiring_principal == retiring && a == b &&
          same->constraints_json == constraints_json) {
        // Idempotent retry: the same grant, a new token.
        return Json{{"GrantToken", NewGrantToken(same->grant_id, env().random())},
                    {"GrantId", same->grant_id}};
      }
    }
  }
  GEE_ASSIGN_OR_RETURN(size_t count, store->CountGrants(key->key_id));
  if (count >= kMaxGrantsPerKey) return errors::TooManyGrants(key->arn);

  GrantRecord grant;
  grant.grant_id = NewGrantId(env().random());
  grant.key_id = key->key_id;
  grant.grant_token = NewGrantToken(grant.grant_id, env().random());
  grant.name = name;
  grant.grantee_principal = grantee;
  grant.retiring_principal = retiring;
  grant.issuing_account = "arn:aws:iam::" + call.ctx.account + ":root";
  grant.operations = operations;
  grant.constraints_json = constraints_json;
  grant.creation_date = env().clock().NowEpochSecondsFractional();
  GEE_RETURN_IF_ERROR(store->CreateGrant(grant));
  return Json{{"GrantToken", grant.grant_token}, {"GrantId", grant.grant_id}};
}

Result<Json> KmsService::ListGrants(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  PageRequest page;
  page.limit = PageLimit(call.input, 50, 100);
  if (const std::string* marker = StringMember(call.input, "Marker")) page.marker = *marker;
  std::optional<std::string_view> grant_id;
  if (const std::string* id = StringMember(call.input, "GrantId")) {
    if (!IsGrantId(*id)) return errors::InvalidGrantId();
    grant_id = *id;
  }
  std::optional<std::string_view> grantee;
  if (const std::string* g = StringMember(call.input, "GranteePrincipal")) grantee = *g;
  GEE_ASSIGN_OR_RETURN(Page<GrantRecord> grants, store->ListGrants(key->key_id, page, grant_id, grantee));
  Json list = Json::array();
  for (const GrantRecord& g : grants.items) list.push_back(GrantJson(g, key->arn));
  Json out = {{"Grants", list}, {"Truncated", grants.truncated()}};
  if (grants.truncated()) out["NextMarker"] = grants.next_marker;
  return out;
}

Result<Json> KmsService::ListRetirableGrants(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  const std::string* retiring = StringMember(call.input, "RetiringPrincipal");
  if (retiring == nullptr) return MemberNull("RetiringPrincipal");
  PageRequest page;
  page.limit = PageLimit(call.input, 50, 100);
  if (const std::string* marker = StringMember(call.input, "Marker")) page.marker = *marker;
  GEE_ASSIGN_OR_RETURN(Page<GrantRecord> grants,
                       store->ListRetirableGrants(*retiring, call.ctx.account, call.ctx.region, page));
  Json list = Json::array();
  for (const GrantRecord& g : grants.items) {
    list.push_back(GrantJson(g, KeyArn(call.ctx.region, call.ctx.account, g.key_id)));
  }
  Json out = {{"Grants", list}, {"Truncated", grants.truncated()}};
  if (grants.truncated()) out["NextMarker"] = grants.next_marker;
  return out;
}

Result<Json> KmsService::RetireGrant(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(Resolved * resolved, TakeResolved(call));
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  (void)key;
  if (!resolved->grant) return errors::Internal("RetireGrant without its grant");
  if (IsDryRun(call)) return errors::DryRun();
  GEE_RETURN_IF_ERROR(store->DeleteGrant(resolved->grant->grant_id));
  return Json::object();
}

Result<Json> KmsService::RevokeGrant(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  const std::string* grant_id = StringMember(call.input, "GrantId");
  if (grant_id == nullptr) return MemberNull("GrantId");
  if (!IsGrantId(*grant_id)) return errors::InvalidGrantId();
  GEE_ASSIGN_OR_RETURN(std::optional<GrantRecord> grant, store->FindGrant(*grant_id));
  if (!grant || grant->key_id != key->key_id) {
    return AwsError("NotFoundException", "Grant ID " + *grant_id + " not found", 400);
  }
  if (IsDryRun(call)) return errors::DryRun();
  GEE_RETURN_IF_ERROR(store->DeleteGrant(grant->grant_id));
  return Json::object();
}

}  // namespace gee::kms

// The Data Catalog resource policy: PutResourcePolicy, GetResourcePolicy,
// DeleteResourcePolicy, GetResourcePolicies. The stored policy is applied by
// the shared evaluator as a standard resource policy on every catalog
// resource (GlueService::CatalogRequest).
#include "auth/policy/policy.h"
#include "core/environment.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "store/database.h"

namespace gee::glue {

using internal::Str;

namespace {

// The catalog a resource-policy call addresses: ResourceArn (only the
// caller's own catalog in this region may carry a policy) or the caller's.
Result<CatalogRef> PolicyCatalog(const Call& call) {
  CatalogRef own{call.ctx.account, call.ctx.region};
  std::string arn = Str(call.input, "ResourceArn");
  if (arn.empty()) return own;
  GEE_ASSIGN_OR_RETURN(GlueArn parsed, ParseGlueArn(arn));
  if (parsed.type != "catalog" || !parsed.path.empty()) {
    // UNCONFIRMED text; ResourceArn is documented "for internal use only".
    return errors::InvalidInput("Resource policies can only be set on the Data Catalog");
  }
  if (parsed.ref.catalog_id != own.catalog_id || parsed.ref.region != own.region) {
    return errors::EntityNotFound("Catalog " + arn + " not found.");
  }
  return own;
}

std::string PolicyHash(std::string_view policy) {
  auto digest = crypto::Sha256(policy);
  return digest.ok() ? crypto::Base64Encode(std::string_view(
                           reinterpret_cast<const char*>(digest->data()), digest->size()))
                     : std::string();
}

double Seconds(int64_t micros) { return static_cast<double>(micros / 1000) / 1000.0; }

}  // namespace

Result<Json> GlueService::PutResourcePolicy(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, PolicyCatalog(call));
  const std::string text = Str(call.input, "PolicyInJson");
  auto parsed = policy::ParseResourcePolicy(text);
  if (!parsed.ok()) return errors::InvalidInput(parsed.error().message);
  GEE_ASSIGN_OR_RETURN(auto existing, LoadPolicy(ref));
  const std::string exists_condition = Str(call.input, "PolicyExistsCondition", "NONE");
  if (exists_condition == "MUST_EXIST" && !existing) {
    return errors::ConditionCheckFailure("The resource policy does not exist.");
  }
  if (exists_condition == "NOT_EXIST" && existing) {
    return errors::ConditionCheckFailure("The resource policy already exists.");
  }
  if (std::string expected = Str(call.input, "PolicyHashCondition"); !expected.empty()) {
    if (!existing || existing->hash != expected) {
      return errors::ConditionCheckFailure("The policy hash condition does not match.");
    }
  }
  const std::string hash = PolicyHash(text);
  const int64_t now = NowMicros();
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "INSERT INTO glue_resource_policies(catalog_id, region, policy, policy_hash,"
      " create_micros, update_micros) VALUES(?1, ?2, ?3, ?4, ?5, ?5)"
      " ON CONFLICT(catalog_id, region) DO UPDATE SET policy = excluded.policy,"
      " policy_hash = excluded.policy_hash, update_micros = excluded.update_micros"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, text));
  GEE_RETURN_IF_ERROR(st.BindText(4, hash));
  GEE_RETURN_IF_ERROR(st.BindInt64(5, now));
  GEE_RETURN_IF_ERROR(st.Run());
  return Json{{"PolicyHash", hash}};
}

Result<Json> GlueService::GetResourcePolicy(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, PolicyCatalog(call));
  GEE_ASSIGN_OR_RETURN(auto existing, LoadPolicy(ref));
  if (!existing) return errors::EntityNotFound("Policy not found.");
  return Json{{"PolicyInJson", existing->policy},
              {"PolicyHash", existing->hash},
              {"CreateTime", Seconds(existing->create_micros)},
              {"UpdateTime", Seconds(existing->update_micros)}};
}

Result<Json> GlueService::DeleteResourcePolicy(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, PolicyCatalog(call));
  GEE_ASSIGN_OR_RETURN(auto existing, LoadPolicy(ref));
  if (!existing) return errors::EntityNotFound("Policy not found.");
  if (std::string expected = Str(call.input, "PolicyHashCondition");
      !expected.empty() && expected != existing->hash) {
    return errors::ConditionCheckFailure("The policy hash condition does not match.");
  }
  GEE_ASSIGN_OR_RETURN(auto st, env().db().Prepare(
      "DELETE FROM glue_resource_policies WHERE catalog_id = ?1 AND region = ?2"));
  GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
  GEE_RETURN_IF_ERROR(st.Run());
  return Json::object();
}

Result<Json> GlueService::GetResourcePolicies(Call& call) {
  CatalogRef ref{call.ctx.account, call.ctx.region};
  GEE_ASSIGN_OR_RETURN(auto existing, LoadPolicy(ref));
  Json list = Json::array();
  if (existing) {
    list.push_back(Json{{"PolicyInJson", existing->policy},
                        {"PolicyHash", existing->hash},
                        {"CreateTime", Seconds(existing->create_micros)},
                        {"UpdateTime", Seconds(existing->update_micros)}});
  }
  return Json{{"GetResourcePoliciesResponseList", std::move(list)}};
}

}  // namespace gee::glue

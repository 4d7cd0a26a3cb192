#include "services/sts/sts_service.h"

namespace gee::sts {

const std::vector<OperationEntry<StsService>>& StsService::Table() {
  static const std::vector<OperationEntry<StsService>> table = {
      {"GetCallerIdentity", &StsService::GetCallerIdentity, "", nullptr, Access::kNone},
  };
  return table;
}

Result<Json> StsService::GetCallerIdentity(Call& call) {
  const Principal& p = call.ctx.principal;
  return Json{{"UserId", p.user_id}, {"Account", p.account}, {"Arn", p.arn}};
}

}  // namespace gee::sts

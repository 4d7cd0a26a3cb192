// AWS STS (Query protocol, 2011-06-15). This issue implements
// GetCallerIdentity; the IAM/STS issue adds AssumeRole and sessions.
//
// Thread-safety: see TableService (operations serialise on the store lock).
#pragma once

#include <vector>

#include "services/service.h"

namespace gee::sts {

class StsService final : public TableService<StsService> {
 public:
  explicit StsService(Environment& env) : TableService(env) {}

  std::string_view name() const override { return "sts"; }
  WireProtocol protocol() const override { return WireProtocol::kQuery; }
  static const std::vector<OperationEntry<StsService>>& Table();

  // Who the caller is. Never authorized: AWS answers it even when every
  // action is denied (spec §8).
  Result<Json> GetCallerIdentity(Call& call);
};

}  // namespace gee::sts

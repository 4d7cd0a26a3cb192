// At-rest inspection of KMS keys (core/inspection.h, kind "kms-key"): for a
// key id or key ARN, one record per stored material version, showing that
// the row holds the material sealed under the data directory's root key
// (scheme "root-key") and whether a probe (e.g. the raw key bytes) occurs in
// the stored bytes. A key with no stored material is NotFoundException.
//
// Thread-safety: Inspect runs with Environment::store_mutex held.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/inspection.h"

namespace gee {
class Environment;
}

namespace gee::kms {

class KmsKeyInspector final : public AtRestInspector {
 public:
  explicit KmsKeyInspector(Environment& env) : env_(env) {}

  std::vector<std::string> Kinds() const override { return {"kms-key"}; }
  Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                            std::string_view probe) override;

 private:
  Environment& env_;
};

}  // namespace gee::kms

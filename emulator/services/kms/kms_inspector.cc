#include "services/kms/kms_inspector.h"

#include "core/environment.h"
#include "store/database.h"

namespace gee::kms {

Result<std::vector<AtRestRecord>> KmsKeyInspector::Inspect(std::string_view kind,
                                                           std::string_view id,
                                                           std::string_view probe) {
  // A key ARN names its key id after "key/".
  std::string_view key_id = id;
  if (const size_t slash = id.rfind(":key/"); slash != std::string_view::npos) {
    key_id = id.substr(slash + 5);
  }
  GEE_ASSIGN_OR_RETURN(store::Statement select,
                       env_.db().Prepare("SELECT version, sealed FROM kms_key_materials "
                                         "WHERE key_id = ?1 ORDER BY version"));
  GEE_RETURN_IF_ERROR(select.BindText(1, key_id));
  std::vector<AtRestRecord> records;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    const int64_t version = select.ColumnInt64(0);
    std::string_view sealed = select.ColumnBlobView(1);
    AtRestRecord r;
    r.kind = std::string(kind);
    r.id = std::string(id);
    r.part = "key material version " + std::to_string(version);
    r.scheme = "root-key";
    r.protected_by = "gee root key (AES-256-GCM, label kms-key-material:" + std::string(key_id) +
                     ":" + std::to_string(version) + ")";
    r.stored_bytes = sealed.size();
    r.probe_found = !probe.empty() && sealed.find(probe) != std::string_view::npos;
    records.push_back(std::move(r));
  }
  if (records.empty()) {
    return AwsError("NotFoundException", "Key '" + std::string(id) + "' does not exist", 404);
  }
  return records;
}

}  // namespace gee::kms

// At-rest inspection: how an operator (and the scenario runner) proves that
// what gee stores is ciphertext and which key protects it.
//
// Each service that stores customer data registers an AtRestInspector with
// the Environment. The root-only endpoint `GET /_gee/inspect?kind=K&id=I
// [&probe=BASE64]` asks the inspector owning kind K for the stored item I and
// reports, for every stored record of it, the key that protects it and
// whether the raw stored bytes contain the probe (a known plaintext).
//
// Kinds (id format):
//   s3-object            "bucket/key"
//   log-events           "log-group-name" or "log-group-name/log-stream-name"
//   catalog-database     "database"            (Glue Data Catalog)
//   catalog-table        "database/table"
//   catalog-connection   "connection"          (the whole connection object)
//   connection-password  "connection"          (the ENCRYPTED_PASSWORD value)
//   job-bookmark         "job-name"
//   kms-key              "key-id"              (key material rows)
//
// Thread-safety: Inspect is called with Environment::store_mutex held.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee {

struct AtRestRecord {
  // The kind and id asked for, and which stored piece this record describes
  // (e.g. "body", "metadata", "event 3", "part 2").
  std::string kind;
  std::string id;
  std::string part;
  // How it is protected: "SSE-KMS", "SSE-S3", "CSE-KMS", "catalog SSE-KMS",
  // "root-key", or "none" when stored in plaintext.
  std::string scheme;
  // ARN of the KMS key whose data key (or direct encryption) protects it; for
  // SSE-S3 and root-key sealing, a description of the emulator-owned key.
  std::string protected_by;
  // Size of the stored bytes.
  size_t stored_bytes = 0;
  // True when the probe occurs in the raw stored bytes (false without a probe).
  bool probe_found = false;
};

class AtRestInspector {
 public:
  virtual ~AtRestInspector() = default;
  // The kinds this inspector answers ("s3-object", ...).
  virtual std::vector<std::string> Kinds() const = 0;
  // Records for `id` of `kind`. `probe` is the plaintext to look for in the raw
  // stored bytes (may be empty). A missing item is a NotFound-style AwsError.
  virtual Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                                    std::string_view probe) = 0;
};

}  // namespace gee

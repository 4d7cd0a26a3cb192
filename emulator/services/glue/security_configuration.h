// A Glue security configuration (CreateSecurityConfiguration), as the job and
// crawler runtime reads it: which encryption applies to the S3 output, the
// CloudWatch logs, the job bookmarks and data quality results, with which
// KMS key (spec §5.4, §5.6).
//
// Stored as the EncryptionConfiguration JSON the client sent (mode strings
// and key ARNs only; no customer data) in
//
//   CREATE TABLE glue_security_configurations(
//     account        TEXT NOT NULL,
//     region         TEXT NOT NULL,
//     name           TEXT NOT NULL,
//     created_micros INTEGER NOT NULL,
//     configuration  TEXT NOT NULL,   -- EncryptionConfiguration JSON
//     PRIMARY KEY(account, region, name));
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace gee::glue {

struct SecurityConfiguration {
  struct S3 {
    std::string mode = "DISABLED";  // DISABLED | SSE-KMS | SSE-S3
    std::string kms_key_arn;        // SSE-KMS: key or alias ARN
  };
  struct CloudWatch {
    std::string mode = "DISABLED";  // DISABLED | SSE-KMS
    std::string kms_key_arn;
  };
  struct JobBookmarks {
    std::string mode = "DISABLED";  // DISABLED | CSE-KMS
    std::string kms_key_arn;
  };
  struct DataQuality {
    std::string mode = "DISABLED";  // DISABLED | SSE-KMS
    std::string kms_key_arn;
  };

  std::string name;
  int64_t created_micros = 0;
  // Zero or one element (gee refuses more; AWS's limit is UNCONFIRMED).
  std::vector<S3> s3;
  CloudWatch cloudwatch;
  JobBookmarks job_bookmarks;
  DataQuality data_quality;

  // S3 output encryption in effect ("DISABLED" when the list is empty).
  const S3& s3_encryption() const;
  bool s3_kms() const { return !s3.empty() && s3.front().mode == "SSE-KMS"; }
  bool cloudwatch_kms() const { return cloudwatch.mode == "SSE-KMS"; }
  bool job_bookmarks_kms() const { return job_bookmarks.mode == "CSE-KMS"; }

  // From the stored EncryptionConfiguration JSON.
  static Result<SecurityConfiguration> FromStored(std::string name, int64_t created_micros,
                                                  const nlohmann::json& configuration);
};

}  // namespace gee::glue

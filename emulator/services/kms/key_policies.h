// The key policies KMS writes itself and the AWS managed keys gee knows.
//
// Text format: AWS returns the policies it generates pretty-printed by
// Jackson's default printer, which gee reproduces byte for byte:
//   * objects: "{" newline, members as `"name" : value` separated by ","
//     newline, indented two spaces per enclosing OBJECT (arrays do not
//     indent), newline, "}"; an empty object is "{ }";
//   * arrays on one line: "[ " elements separated by ", " " ]" (an element
//     that is an object starts on the same line: `[ {` ... `}, {` ... `} ]");
//     an empty array is "[ ]";
//   * strings escaped as JSON, non-ASCII kept as UTF-8.
// Example (spec §4.3, the default policy of an API-created key):
//   {
//     "Version" : "2012-10-17",
//     "Id" : "key-default-1",
//     "Statement" : [ {
//       "Sid" : "Enable IAM User Permissions",
//       ...
//     } ]
//   }
//
// AWS managed keys (spec §4.4): alias/aws/glue and alias/aws/s3, created on
// first reference to their alias. Their policies are the published ones
// (statement 1: any principal of the account through the service, i.e.
// kms:ViaService + kms:CallerAccount; statement 2: the account root may read
// metadata), with the Ids auto-glue-1 and auto-s3-2. Descriptions:
//   s3    "Default key that protects my S3 objects when no other key is defined"
//         [recorded, 2026]
//   glue  "Default key that protects my Glue data when no other key is defined"
//         [inferred: older captures read "Default master key that protects my
//         Glue data ..." and AWS dropped "master" from these descriptions, as
//         the S3 one shows]
//
// Thread-safety: pure functions and constant data.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gee::kms {

// `value` printed as AWS prints generated policies (see above).
std::string JacksonPretty(const nlohmann::ordered_json& value);

// The default key policy of an API-created key of `account` (spec §4.3).
std::string DefaultKeyPolicy(std::string_view account);

struct ManagedKeyService {
  std::string_view service;      // "glue", "s3"
  std::string_view alias_name;   // "alias/aws/glue"
  std::string_view description;
};

// The AWS managed keys gee creates, by alias name ("alias/aws/s3").
const std::vector<ManagedKeyService>& ManagedKeyServices();
const ManagedKeyService* FindManagedKeyService(std::string_view alias_name);

// The key policy of the AWS managed key of `service` in `account`/`region`.
std::string ManagedKeyPolicy(const ManagedKeyService& service, std::string_view account,
                             std::string_view region);

}  // namespace gee::kms

// The three AWS wire protocols gee speaks. Errors are rendered differently in
// each (spec §1): JSON 1.1 (`__type`), Query (`ErrorResponse` XML) and
// REST-XML (the S3 `Error` document).
#pragma once

namespace gee {

enum class WireProtocol {
  kJson11,   // KMS, Glue, CloudWatch Logs
  kQuery,    // IAM, STS
  kRestXml,  // S3
};

}  // namespace gee

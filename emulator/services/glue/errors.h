// Error factories of the Glue service (JSON 1.1, `{"__type":..., "Message":...}`).
//
// Every Glue handler builds its errors here, with the most specific code the
// Glue model lists for the operation and AWS's text where it is known
// (spec §3.5, §5). Texts marked UNCONFIRMED in the spec are gee's choice and
// are kept in one place so they can be corrected together.
//
// Thread-safety: free functions without state.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::glue::errors {

// 400 EntityNotFoundException with `message` ("Database db1 not found.").
AwsError EntityNotFound(std::string message);
// 400 AlreadyExistsException ("Database already exists.").
AwsError AlreadyExists(std::string message);
// 400 InvalidInputException.
AwsError InvalidInput(std::string message);
// 400 ResourceNumberLimitExceededException.
AwsError ResourceNumberLimitExceeded(std::string message);
// 400 ConditionCheckFailureException (resource policy hash / existence conditions).
AwsError ConditionCheckFailure(std::string message);
// 500 InternalServiceException.
AwsError InternalService(std::string message);

// 400 GlueEncryptionException wrapping the error KMS returned to a call Glue
// made on the caller's behalf. The message is KMS's message followed by the
// AWS SDK's service-exception suffix, exactly as Glue relays it (spec §3.5):
//   <KMS message> (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: <uuid>; Proxy: null)
// `kms_request_id` is the id of the KMS request (a UUID). `service` names the
// service whose call failed as the AWS SDK does ("AWSKMS"; "AWSSecurityTokenService"
// when Glue could not assume the catalog encryption service role).
AwsError GlueEncryption(const AwsError& kms_error, std::string_view kms_request_id,
                        std::string_view service = "AWSKMS");

// Not-found texts of catalog entities.
AwsError DatabaseNotFound(std::string_view database);
AwsError TableNotFound(std::string_view table);
AwsError PartitionNotFound();
AwsError FunctionNotFound(std::string_view function);
AwsError ConnectionNotFound(std::string_view connection);
AwsError TableVersionNotFound(std::string_view table, std::string_view version);
AwsError SecurityConfigurationNotFound(std::string_view name);

}  // namespace gee::glue::errors

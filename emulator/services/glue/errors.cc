#include "services/glue/errors.h"

namespace gee::glue::errors {

AwsError EntityNotFound(std::string message) {
  return AwsError("EntityNotFoundException", std::move(message), 400);
}

AwsError AlreadyExists(std::string message) {
  return AwsError("AlreadyExistsException", std::move(message), 400);
}

AwsError InvalidInput(std::string message) {
  return AwsError("InvalidInputException", std::move(message), 400);
}

AwsError ResourceNumberLimitExceeded(std::string message) {
  return AwsError("ResourceNumberLimitExceededException", std::move(message), 400);
}

AwsError ConditionCheckFailure(std::string message) {
  return AwsError("ConditionCheckFailureException", std::move(message), 400);
}

AwsError InternalService(std::string message) {
  return AwsError("InternalServiceException", std::move(message), 500);
}

AwsError GlueEncryption(const AwsError& kms_error, std::string_view kms_request_id,
                        std::string_view service) {
  std::string message = kms_error.message;
  if (!message.empty()) message += " ";
  message += "(Service: ";
  message += service;
  message += "; Status Code: ";
  message += std::to_string(kms_error.http_status);
  message += "; Error Code: ";
  message += kms_error.code;
  message += "; Request ID: ";
  message += kms_request_id;
  message += "; Proxy: null)";
  return AwsError("GlueEncryptionException", std::move(message), 400);
}

// Observed: "Database <name> not found." and "Table <name> not found."
// (EntityNotFoundException of GetDatabase / GetTable / GetPartitionIndexes).
AwsError DatabaseNotFound(std::string_view database) {
  return EntityNotFound("Database " + std::string(database) + " not found.");
}

AwsError TableNotFound(std::string_view table) {
  return EntityNotFound("Table " + std::string(table) + " not found.");
}

// Observed in Athena/Glue logs: "Cannot find partition."
AwsError PartitionNotFound() { return EntityNotFound("Cannot find partition."); }

// UNCONFIRMED texts, built like the database and table ones.
AwsError FunctionNotFound(std::string_view function) {
  return EntityNotFound("Function " + std::string(function) + " not found.");
}

AwsError ConnectionNotFound(std::string_view connection) {
  return EntityNotFound("Connection " + std::string(connection) + " not found.");
}

AwsError TableVersionNotFound(std::string_view table, std::string_view version) {
  return EntityNotFound("Version " + std::string(version) + " of table " + std::string(table) +
                        " not found.");
}

AwsError SecurityConfigurationNotFound(std::string_view name) {
  return EntityNotFound("SecurityConfiguration " + std::string(name) + " not found");
}

}  // namespace gee::glue::errors

#include "services/logs/errors.h"

#include <string>

namespace gee::logs::errors {

namespace {

constexpr char kInvalidParameter[] = "InvalidParameterException";

}  // namespace

AwsError LogGroupNotFound() {
  return AwsError("ResourceNotFoundException", "The specified log group does not exist.");
}

AwsError LogStreamNotFound() {
  return AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
}

AwsError ResourceNotFound() {
  return AwsError("ResourceNotFoundException", "The specified resource does not exist.");
}

AwsError LogGroupAlreadyExists() {
  return AwsError("ResourceAlreadyExistsException", "The specified log group already exists");
}

AwsError LogStreamAlreadyExists() {
  return AwsError("ResourceAlreadyExistsException", "The specified log stream already exists");
}

AwsError InvalidParameter(std::string message) {
  return AwsError(kInvalidParameter, std::move(message));
}

AwsError NameTooLong() {
  return InvalidParameter(
      "Invalid LogGroup or LogStream, both must have length less than or equal to 512.");
}

AwsError ReservedLogGroupName() {
  return InvalidParameter("Log groups starting with AWS/ are reserved for AWS.");
}

AwsError InvalidNextToken() { return InvalidParameter("The specified nextToken is invalid."); }

AwsError PrefixAndPatternExclusive() {
  return InvalidParameter(
      "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
}

AwsError NameAndIdentifierExclusive() {
  return AwsError("ValidationException",
                  "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
}

AwsError NameOrIdentifierRequired() {
  return InvalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
}

AwsError NameXorResourceIdentifier() {
  return InvalidParameter(
      "Exactly one of logGroupName and resourceIdentifier must be specified.");
}

AwsError OrderByLastEventTimeWithPrefix() {
  return InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
}

AwsError StreamNamesAndPrefixExclusive() {
  return InvalidParameter(
      "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
}

AwsError InvalidRetention(int64_t days) {
  return InvalidParameter(
      "1 validation error detected: Value '" + std::to_string(days) +
      "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value "
      "set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "
      "2557, 2922, 3288, 3653]");
}

AwsError UnsupportedFilterPattern(std::string_view detail) {
  return InvalidParameter("Invalid filter pattern: gee supports terms, quoted phrases, ?term "
                          "and -term only (" +
                          std::string(detail) + ").");
}

AwsError UnsupportedResourceIdentifier() {
  return InvalidParameter(
      "gee supports only log group ARNs as resourceIdentifier (CloudWatch Logs Insights query "
      "results are not emulated).");
}

AwsError NotChronological() {
  return InvalidParameter(
      "Log events in a single PutLogEvents request must be in chronological order.");
}

AwsError UploadTooLarge(size_t bytes, size_t limit) {
  return InvalidParameter("Upload too large: " + std::to_string(bytes) +
                          " bytes exceeds limit of " + std::to_string(limit));
}

AwsError BatchSpanTooLong() {
  return InvalidParameter(
      "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
}

AwsError KmsKeyNotUsable(std::string_view log_group_arn) {
  return AwsError("AccessDeniedException",
                  "The specified KMS key does not exist or is not allowed to be used with Arn '" +
                      std::string(log_group_arn) + "'");
}

AwsError CreateLogGroupWithTagsDenied(std::string_view account) {
  return AwsError("AccessDeniedException",
                  "User with accountId: " + std::string(account) +
                      " is not authorized to perform CreateLogGroup with Tags. An additional "
                      "permission \"logs:TagResource\" is required.");
}

AwsError TooManyTags() {
  return AwsError("TooManyTagsException", "A resource can have no more than 50 tags.");
}

}  // namespace gee::logs::errors

// Factories for the AWS errors the CloudWatch Logs service answers, one per
// situation, so every call site produces the same code, HTTP status and text.
//
// Logs answers every client error with HTTP 400 (AccessDeniedException too).
// Texts marked [recorded] are verbatim from real AWS responses (sources in
// spec/aws-behaviour.md §6 and in the comment); texts marked [guess] are not
// confirmed: the nearest recorded wording, and the stricter behaviour.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::logs::errors {

// ResourceNotFoundException "The specified log group does not exist." [recorded]
AwsError LogGroupNotFound();
// ResourceNotFoundException "The specified log stream does not exist." [recorded]
AwsError LogStreamNotFound();
// ResourceNotFoundException for a TagResource/ListTagsForResource ARN that
// names no log group resource gee knows [guess]:
// "The specified resource does not exist."
AwsError ResourceNotFound();
// ResourceAlreadyExistsException "The specified log group already exists"
// (no final period) [recorded].
AwsError LogGroupAlreadyExists();
// ResourceAlreadyExistsException "The specified log stream already exists" [recorded].
AwsError LogStreamAlreadyExists();

// InvalidParameterException carrying `message`.
AwsError InvalidParameter(std::string message);
// InvalidParameterException "Invalid LogGroup or LogStream, both must have
// length less than or equal to 512." [recorded, CreateLogGroup with 513 chars]
AwsError NameTooLong();
// InvalidParameterException "Log groups starting with AWS/ are reserved for AWS."
// [observed: GH/hashicorp/terraform/issues/10739 , GH/aws-observability/aws-otel-collector/issues/353]
AwsError ReservedLogGroupName();
// InvalidParameterException "The specified nextToken is invalid." [recorded]
AwsError InvalidNextToken();
// InvalidParameterException "LogGroup name prefix and LogGroup name pattern are
// mutually exclusive parameters." [recorded]
AwsError PrefixAndPatternExclusive();
// ValidationException "LogGroup name and LogGroup ARN are mutually exclusive
// parameters." [recorded for DescribeLogStreams; the API reference says
// InvalidParameterException for every operation, the recording shows
// ValidationException, which gee uses everywhere].
AwsError NameAndIdentifierExclusive();
// InvalidParameterException when neither logGroupName nor logGroupIdentifier
// is given [guess]: "Either logGroupName or logGroupIdentifier must be specified."
AwsError NameOrIdentifierRequired();
// InvalidParameterException for AssociateKmsKey/DisassociateKmsKey with both
// or neither of logGroupName and resourceIdentifier [guess]:
// "Exactly one of logGroupName and resourceIdentifier must be specified."
AwsError NameXorResourceIdentifier();
// InvalidParameterException "Cannot order by LastEventTime with a
// logStreamNamePrefix." [observed: SDK users quoting AWS; moto]
AwsError OrderByLastEventTimeWithPrefix();
// InvalidParameterException for FilterLogEvents with both logStreamNames and
// logStreamNamePrefix [guess; the API reference says both is an error]:
// "logStreamNames and logStreamNamePrefix are mutually exclusive parameters."
AwsError StreamNamesAndPrefixExclusive();
// InvalidParameterException for a retentionInDays outside AWS's set, in the
// model-validation form [guess]: "1 validation error detected: Value 'N' at
// 'retentionInDays' failed to satisfy constraint: Member must satisfy enum
// value set: [1, 3, 5, ...]"
AwsError InvalidRetention(int64_t days);
// InvalidParameterException for a filterPattern gee cannot evaluate (JSON,
// space-delimited and regular-expression patterns), with `detail` [gee's own
// text: AWS accepts these patterns; gee refuses rather than match wrongly].
AwsError UnsupportedFilterPattern(std::string_view detail);
// InvalidParameterException for an AssociateKmsKey/DisassociateKmsKey
// resourceIdentifier that is not a log group ARN (query-result ARNs: Logs
// Insights is not emulated) [gee's own text].
AwsError UnsupportedResourceIdentifier();

// PutLogEvents batch rules.
// InvalidParameterException "Log events in a single PutLogEvents request must
// be in chronological order." [recorded]
AwsError NotChronological();
// InvalidParameterException "Upload too large: N bytes exceeds limit of 1048576"
// [observed: GH/nhs-england-tools/terraform-aws-opennext/issues/27 , GH/cloudstax/firecamp/issues/82]
AwsError UploadTooLarge(size_t bytes, size_t limit);
// InvalidParameterException "The batch of log events in a single PutLogEvents
// request cannot span more than 24 hours." [observed: GH/aws/amazon-cloudwatch-logs-for-fluent-bit/issues/29 ,
// GH/aws-greengrass/aws-greengrass-log-manager/issues/59]
AwsError BatchSpanTooLong();

// AccessDeniedException (400) "The specified KMS key does not exist or is not
// allowed to be used with Arn '<log group ARN>'" [recorded for CreateLogGroup
// and AssociateKmsKey, spec §6.2]. gee also answers it when stored events of
// a group cannot be decrypted because their key became unusable [guess: the
// error AWS gives then is unknown].
AwsError KmsKeyNotUsable(std::string_view log_group_arn);
// AccessDeniedException "User with accountId: ACCT is not authorized to
// perform CreateLogGroup with Tags. An additional permission
// "logs:TagResource" is required." [observed: GH/DataDog/cloudformation-template/pull/61 (2023)]
AwsError CreateLogGroupWithTagsDenied(std::string_view account);
// TooManyTagsException when a group would carry more than 50 tags [guess]:
// "A resource can have no more than 50 tags."
AwsError TooManyTags();

}  // namespace gee::logs::errors

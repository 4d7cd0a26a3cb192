// Names and ARNs of CloudWatch Logs resources, and the resource ARNs Logs
// authorizes its IAM actions on.
//
// Resource forms (all in partition "aws"):
//   log group        arn:aws:logs:REGION:ACCT:log-group:NAME
//   (DescribeLogGroups "arn" member: the same followed by ":*")
//   log stream       arn:aws:logs:REGION:ACCT:log-group:NAME:log-stream:STREAM
//
// IAM resource of each action (what the policy evaluator matches and what
// AccessDenied sentences print). Real denials print group-level actions on
// the stream form with an EMPTY stream name, and DescribeLogGroups with an
// empty group name too, so a policy Resource "...:log-group:NAME" (without
// ":*") does not match them, while "...:log-group:NAME:*" does:
//   logs:CreateLogGroup        ...:log-group:NAME:log-stream:        [observed]
//   logs:DescribeLogGroups     ...:log-group::log-stream:            [observed]
//   logs:DescribeLogStreams    ...:log-group:NAME:log-stream:        [observed]
//   logs:CreateLogStream       ...:log-group:NAME:log-stream:STREAM  [observed]
//   logs:PutLogEvents          ...:log-group:NAME:log-stream:STREAM  [observed]
//   logs:DescribeMetricFilters ...:log-group:NAME:log-stream:        [observed, not emulated]
//   logs:ListTagsForResource   ...:log-group:NAME (the ARN passed)   [observed]
// Sources: GH/elastic/apm-aws-lambda/issues/526 , GH/vectordotdev/vector/issues/714 ,
// GH/hashicorp/terraform-provider-aws/issues/8804 , GH/prowler-cloud/prowler/pull/37 ,
// GH/ministryofjustice/modernisation-platform/pull/7184 , GH/NOAA-OWP/hydrovis/issues/1035.
// The other group-level actions (DeleteLogGroup, Put/DeleteRetentionPolicy,
// Associate/DisassociateKmsKey, FilterLogEvents, Tag/Untag/ListTagsLogGroup)
// follow the group form and the other stream-level ones (DeleteLogStream,
// GetLogEvents) the stream form [guess, consistent with the observed ones];
// TagResource/UntagResource take the ARN passed, like ListTagsForResource.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gee::logs {

struct LogGroupRef {
  std::string region;
  std::string account;
  std::string name;
};

// arn:aws:logs:REGION:ACCT:log-group:NAME
std::string LogGroupArn(std::string_view region, std::string_view account,
                        std::string_view name);
// arn:aws:logs:REGION:ACCT:log-group:NAME:log-stream:STREAM
std::string LogStreamArn(std::string_view region, std::string_view account,
                         std::string_view group, std::string_view stream);
// The IAM resource of group-level actions: the stream form with an empty stream.
std::string GroupActionResource(std::string_view region, std::string_view account,
                                std::string_view group);
// The IAM resource of DescribeLogGroups: arn:aws:logs:REGION:ACCT:log-group::log-stream:
std::string AccountActionResource(std::string_view region, std::string_view account);

// Parses a log group ARN "arn:aws:logs:REGION:ACCT:log-group:NAME", also with
// a trailing ":*". Nullopt for anything else (other resource types, other
// services, malformed).
std::optional<LogGroupRef> ParseLogGroupArn(std::string_view arn);

// A log group identifier (logGroupIdentifier members): a log group ARN as
// above, or else a plain name in `region`/`account`.
LogGroupRef ResolveLogGroupIdentifier(std::string_view identifier, std::string_view region,
                                      std::string_view account);

// True for a KMS key ARN "arn:aws:kms:REGION:ACCT:key/KEYID" (12-digit
// account, non-empty region and key id without '/' or ':'). Alias ARNs, key
// ids and alias names are not key ARNs.
bool IsKmsKeyArn(std::string_view text);

// The service principal Logs uses KMS as: "logs.REGION.amazonaws.com".
std::string LogsServicePrincipal(std::string_view region);

// True when `name` starts with "aws/" in any letter case (reserved by AWS).
bool IsReservedLogGroupName(std::string_view name);

// Number of Unicode code points of UTF-8 `text` (how AWS counts lengths).
size_t CodePointLength(std::string_view text);

}  // namespace gee::logs

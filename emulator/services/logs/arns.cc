#include "services/logs/arns.h"

#include <cctype>
#include <string>

namespace gee::logs {

namespace {

constexpr std::string_view kGroupPrefix = "log-group:";

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Splits "arn:aws:SERVICE:REGION:ACCT:REST" into its parts; REST keeps its colons.
struct ArnParts {
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view rest;
};

std::optional<ArnParts> SplitArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view s = arn.substr(kPrefix.size());
  ArnParts parts;
  std::string_view* fields[] = {&parts.service, &parts.region, &parts.account};
  for (std::string_view* field : fields) {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    *field = s.substr(0, colon);
    s = s.substr(colon + 1);
  }
  parts.rest = s;
  return parts;
}

}  // namespace

std::string LogGroupArn(std::string_view region, std::string_view account,
                        std::string_view name) {
  std::string arn = "arn:aws:logs:";
  arn.append(region).append(":").append(account).append(":log-group:").append(name);
  return arn;
}

std::string LogStreamArn(std::string_view region, std::string_view account,
                         std::string_view group, std::string_view stream) {
  std::string arn = LogGroupArn(region, account, group);
  arn.append(":log-stream:").append(stream);
  return arn;
}

std::string GroupActionResource(std::string_view region, std::string_view account,
                                std::string_view group) {
  return LogStreamArn(region, account, group, "");
}

std::string AccountActionResource(std::string_view region, std::string_view account) {
  return LogStreamArn(region, account, "", "");
}

std::optional<LogGroupRef> ParseLogGroupArn(std::string_view arn) {
  auto parts = SplitArn(arn);
  if (!parts || parts->service != "logs" || parts->region.empty() ||
      parts->account.size() != 12 || !IsAllDigits(parts->account)) {
    return std::nullopt;
  }
  std::string_view rest = parts->rest;
  if (rest.substr(0, kGroupPrefix.size()) != kGroupPrefix) return std::nullopt;
  std::string_view name = rest.substr(kGroupPrefix.size());
  if (name.size() >= 2 && name.substr(name.size() - 2) == ":*") {
    name.remove_suffix(2);
  }
  // Log group names have no ':' (model pattern [\.\-_/#A-Za-z0-9]+); a colon
  // here means a stream ARN or another sub-resource.
  if (name.empty() || name.find(':') != std::string_view::npos) return std::nullopt;
  return LogGroupRef{std::string(parts->region), std::string(parts->account),
                     std::string(name)};
}

LogGroupRef ResolveLogGroupIdentifier(std::string_view identifier, std::string_view region,
                                      std::string_view account) {
  if (auto ref = ParseLogGroupArn(identifier)) return *ref;
  return LogGroupRef{std::string(region), std::string(account), std::string(identifier)};
}

bool IsKmsKeyArn(std::string_view text) {
  auto parts = SplitArn(text);
  if (!parts || parts->service != "kms" || parts->region.empty() ||
      parts->account.size() != 12 || !IsAllDigits(parts->account)) {
    return false;
  }
  constexpr std::string_view kKeyPrefix = "key/";
  if (parts->rest.substr(0, kKeyPrefix.size()) != kKeyPrefix) return false;
  std::string_view id = parts->rest.substr(kKeyPrefix.size());
  return !id.empty() && id.find_first_of("/:") == std::string_view::npos;
}

std::string LogsServicePrincipal(std::string_view region) {
  std::string principal = "logs.";
  principal.append(region).append(".amazonaws.com");
  return principal;
}

bool IsReservedLogGroupName(std::string_view name) {
  if (name.size() < 4) return false;
  return std::tolower(static_cast<unsigned char>(name[0])) == 'a' &&
         std::tolower(static_cast<unsigned char>(name[1])) == 'w' &&
         std::tolower(static_cast<unsigned char>(name[2])) == 's' && name[3] == '/';
}

size_t CodePointLength(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace gee::logs

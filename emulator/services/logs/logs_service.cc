#include "services/logs/logs_service.h"

#include <algorithm>
#include <set>

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/logs/errors.h"
#include "store/database.h"

namespace gee::logs {

namespace {

constexpr size_t kMaxNameLength = 512;
constexpr size_t kMaxTags = 50;
constexpr int64_t kDefaultDescribeLimit = 50;

// The retention periods AWS accepts (days).
constexpr int64_t kRetentionDays[] = {1,   3,   5,   7,   14,  30,   60,   90,   120,  150,  180,
                                      365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

std::string Text(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return std::string();
  return it->get<std::string>();
}

bool Has(const Json& input, const char* member) { return input.contains(member); }

// Request tags as condition keys: aws:RequestTag/<k> and aws:TagKeys.
void AddRequestTagKeys(AuthRequest& request, const Json& tags) {
  std::vector<std::string> keys;
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    keys.push_back(it.key());
    request.keys.Set("aws:RequestTag/" + it.key(), it.value().get<std::string>());
  }
  request.keys.SetMulti("aws:TagKeys", std::move(keys));
}

void AddTagKeyList(AuthRequest& request, const Json& keys) {
  std::vector<std::string> values;
  for (const Json& k : keys) values.push_back(k.get<std::string>());
  request.keys.SetMulti("aws:TagKeys", std::move(values));
}

Json TagsJson(const std::map<std::string, std::string>& tags) {
  Json out = Json::object();
  for (const auto& [k, v] : tags) out[k] = v;
  return out;
}

}  // namespace

// ---- construction and table ----

LogsService::LogsService(Environment& env, std::unique_ptr<KmsAccess> kms, LogsOptions options)
    : TableService(env),
      store_(env.db()),
      kms_(std::move(kms)),
      data_keys_(store_, *kms_, env.keyring(), env.random(), env.clock(), options.data_keys) {}

std::vector<store::MigrationStep> LogsService::Migrations() const {
  return LogStore::Migrations();
}

const std::vector<OperationEntry<LogsService>>& LogsService::Table() {
  using S = LogsService;
  static const std::vector<OperationEntry<LogsService>> table = {
      {"CreateLogGroup", &S::CreateLogGroup, "logs:CreateLogGroup", &S::GroupResource,
       Access::kWrite},
      {"DeleteLogGroup", &S::DeleteLogGroup, "logs:DeleteLogGroup", &S::GroupResource,
       Access::kWrite},
      {"DescribeLogGroups", &S::DescribeLogGroups, "logs:DescribeLogGroups",
       &S::AccountResource, Access::kRead},
      {"AssociateKmsKey", &S::AssociateKmsKey, "logs:AssociateKmsKey",
       &S::KmsAssociationResource, Access::kWrite},
      {"DisassociateKmsKey", &S::DisassociateKmsKey, "logs:DisassociateKmsKey",
       &S::KmsAssociationResource, Access::kWrite},
      {"PutRetentionPolicy", &S::PutRetentionPolicy, "logs:PutRetentionPolicy",
       &S::GroupResource, Access::kWrite},
      {"DeleteRetentionPolicy", &S::DeleteRetentionPolicy, "logs:DeleteRetentionPolicy",
       &S::GroupResource, Access::kWrite},
      {"CreateLogStream", &S::CreateLogStream, "logs:CreateLogStream", &S::StreamResource,
       Access::kWrite},
      {"DeleteLogStream", &S::DeleteLogStream, "logs:DeleteLogStream", &S::StreamResource,
       Access::kWrite},
      {"DescribeLogStreams", &S::DescribeLogStreams, "logs:DescribeLogStreams",
       &S::GroupOrIdentifierResource, Access::kRead},
      {"PutLogEvents", &S::PutLogEvents, "logs:PutLogEvents", &S::StreamResource,
       Access::kWrite},
      {"GetLogEvents", &S::GetLogEvents, "logs:GetLogEvents", &S::StreamResource, Access::kRead},
      {"FilterLogEvents", &S::FilterLogEvents, "logs:FilterLogEvents",
       &S::GroupOrIdentifierResource, Access::kRead},
      {"TagLogGroup", &S::TagLogGroup, "logs:TagLogGroup", &S::GroupResource, Access::kWrite},
      {"UntagLogGroup", &S::UntagLogGroup, "logs:UntagLogGroup", &S::GroupResource,
       Access::kWrite},
      {"ListTagsLogGroup", &S::ListTagsLogGroup, "logs:ListTagsLogGroup", &S::GroupResource,
       Access::kRead},
      {"TagResource", &S::TagResource, "logs:TagResource", &S::TaggedResource, Access::kWrite},
      {"UntagResource", &S::UntagResource, "logs:UntagResource", &S::TaggedResource,
       Access::kWrite},
      {"ListTagsForResource", &S::ListTagsForResource, "logs:ListTagsForResource",
       &S::TaggedResource, Access::kRead},
  };
  return table;
}

Result<Json> LogsService::Invoke(RequestContext& ctx, std::string_view operation,
                                 const Json& input) {
  if (input.is_object() && HasOperation(operation)) {
    for (const char* member : {"logGroupName", "logStreamName"}) {
      auto it = input.find(member);
      if (it != input.end() && it->is_string() &&
          CodePointLength(it->get_ref<const std::string&>()) > kMaxNameLength) {
        return errors::NameTooLong();
      }
    }
  }
  return TableService::Invoke(ctx, operation, input);
}

// ---- shared helpers ----

Result<LogGroupRef> LogsService::GroupRefOf(const RequestContext& ctx, const Json& input) const {
  bool has_name = Has(input, "logGroupName");
  bool has_identifier = Has(input, "logGroupIdentifier");
  if (has_name && has_identifier) return errors::NameAndIdentifierExclusive();
  if (has_name) return LogGroupRef{ctx.region, ctx.account, Text(input, "logGroupName")};
  if (has_identifier) {
    return ResolveLogGroupIdentifier(Text(input, "logGroupIdentifier"), ctx.region,
                                     ctx.account);
  }
  return errors::NameOrIdentifierRequired();
}

Result<GroupRow> LogsService::LoadGroup(const RequestContext& ctx, const LogGroupRef& ref) {
  // No cross-account or cross-region access: an ARN elsewhere names nothing here.
  if (ref.account != ctx.account || ref.region != ctx.region) return errors::LogGroupNotFound();
  GEE_ASSIGN_OR_RETURN(std::optional<GroupRow> group,
                       store_.FindGroup(ref.account, ref.region, ref.name));
  if (!group) return errors::LogGroupNotFound();
  return std::move(*group);
}

Result<StreamRow> LogsService::LoadStream(const GroupRow& group, std::string_view name) {
  GEE_ASSIGN_OR_RETURN(std::optional<StreamRow> stream, store_.FindStream(group.group_id, name));
  if (!stream) return errors::LogStreamNotFound();
  return std::move(*stream);
}

Result<AuthRequest> LogsService::GroupAuth(const RequestContext& ctx, const LogGroupRef& ref,
                                           std::string resource) {
  AuthRequest request;
  request.resource = std::move(resource);
  request.resource_account = ref.account;
  GEE_ASSIGN_OR_RETURN(std::optional<GroupRow> group,
                       store_.FindGroup(ref.account, ref.region, ref.name));
  if (group) {
    GEE_ASSIGN_OR_RETURN(auto tags, store_.Tags(group->group_id));
    for (const auto& [k, v] : tags) request.keys.Set("aws:ResourceTag/" + k, v);
  }
  return request;
}

Status LogsService::TagGroup(const RequestContext& ctx, const GroupRow& group, const Json& tags) {
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Tags(group.group_id));
  std::map<std::string, std::string> add;
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    add[it.key()] = it.value().get<std::string>();
    existing[it.key()] = it.value().get<std::string>();
  }
  if (existing.size() > kMaxTags) return errors::TooManyTags();
  return store_.PutTags(group.group_id, add);
}

// ---- resolvers ----

Result<AuthRequest> LogsService::AccountResource(Call& call) {
  AuthRequest request;
  request.resource = AccountActionResource(call.ctx.region, call.ctx.account);
  return request;
}

Result<AuthRequest> LogsService::GroupResource(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(AuthRequest request,
                       GroupAuth(call.ctx, ref, GroupActionResource(ref.region, ref.account,
                                                                    ref.name)));
  if (call.ctx.operation == "CreateLogGroup" || call.ctx.operation == "TagLogGroup") {
    if (auto it = call.input.find("tags"); it != call.input.end()) {
      AddRequestTagKeys(request, *it);
    }
  } else if (call.ctx.operation == "UntagLogGroup") {
    if (auto it = call.input.find("tags"); it != call.input.end()) AddTagKeyList(request, *it);
  }
  return request;
}

Result<AuthRequest> LogsService::GroupOrIdentifierResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, GroupRefOf(call.ctx, call.input));
  return GroupAuth(call.ctx, ref, GroupActionResource(ref.region, ref.account, ref.name));
}

Result<AuthRequest> LogsService::KmsAssociationResource(Call& call) {
  bool has_name = Has(call.input, "logGroupName");
  bool has_resource = Has(call.input, "resourceIdentifier");
  if (has_name == has_resource) return errors::NameXorResourceIdentifier();
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  if (has_resource) {
    auto parsed = ParseLogGroupArn(Text(call.input, "resourceIdentifier"));
    if (!parsed) return errors::UnsupportedResourceIdentifier();
    ref = *parsed;
  }
  return GroupAuth(call.ctx, ref, GroupActionResource(ref.region, ref.account, ref.name));
}

Result<AuthRequest> LogsService::StreamResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, GroupRefOf(call.ctx, call.input));
  return GroupAuth(call.ctx, ref,
                   LogStreamArn(ref.region, ref.account, ref.name,
                                Text(call.input, "logStreamName")));
}

Result<AuthRequest> LogsService::TaggedResource(Call& call) {
  std::string arn = Text(call.input, "resourceArn");
  auto parsed = ParseLogGroupArn(arn);
  AuthRequest request;
  if (!parsed) {
    request.resource = arn;
  } else {
    GEE_ASSIGN_OR_RETURN(request,
                         GroupAuth(call.ctx, *parsed,
                                   LogGroupArn(parsed->region, parsed->account, parsed->name)));
  }
  if (call.ctx.operation == "TagResource") {
    if (auto it = call.input.find("tags"); it != call.input.end()) {
      AddRequestTagKeys(request, *it);
    }
  } else if (call.ctx.operation == "UntagResource") {
    if (auto it = call.input.find("tagKeys"); it != call.input.end()) {
      AddTagKeyList(request, *it);
    }
  }
  return request;
}

// ---- log groups ----

Result<Json> LogsService::CreateLogGroup(Call& call) {
  RequestContext& ctx = call.ctx;
  const std::string name = Text(call.input, "logGroupName");
  if (IsReservedLogGroupName(name)) return errors::ReservedLogGroupName();
  GEE_ASSIGN_OR_RETURN(std::optional<GroupRow> existing,
                       store_.FindGroup(ctx.account, ctx.region, name));
  if (existing) return errors::LogGroupAlreadyExists();
  const std::string arn = LogGroupArn(ctx.region, ctx.account, name);

  // Tags on creation need logs:TagResource as well (AWS's own message).
  const Json* tags = nullptr;
  if (auto it = call.input.find("tags"); it != call.input.end() && !it->empty()) {
    tags = &*it;
    AuthRequest tag_request;
    tag_request.action = "logs:TagResource";
    tag_request.resource = arn;
    AddRequestTagKeys(tag_request, *tags);
    if (!env().Authorize(ctx, tag_request).ok()) {
      return errors::CreateLogGroupWithTagsDenied(ctx.account);
    }
  }

  std::optional<kms::GeneratedDataKey> generated;
  if (Has(call.input, "kmsKeyId")) {
    GEE_ASSIGN_OR_RETURN(kms::GeneratedDataKey key,
                         data_keys_.CheckKmsKey(ctx, ctx.region, ctx.account, arn,
                                                Text(call.input, "kmsKeyId")));
    generated = std::move(key);
  }

  GroupRow group;
  group.account = ctx.account;
  group.region = ctx.region;
  group.name = name;
  group.creation_us = env().clock().NowMicros();
  if (Has(call.input, "kmsKeyId")) group.kms_key_arn = Text(call.input, "kmsKeyId");
  if (Has(call.input, "logGroupClass")) group.log_group_class = Text(call.input, "logGroupClass");
  if (auto it = call.input.find("deletionProtectionEnabled");
      it != call.input.end() && it->is_boolean()) {
    group.deletion_protection = it->get<bool>();
  }
  GEE_ASSIGN_OR_RETURN(group, store_.InsertGroup(std::move(group)));
  data_keys_.Forget(group.group_id);
  if (tags != nullptr) GEE_RETURN_IF_ERROR(TagGroup(ctx, group, *tags));
  if (generated) GEE_RETURN_IF_ERROR(data_keys_.Adopt(group, std::move(*generated)));
  return Json::object();
}

Result<Json> LogsService::DeleteLogGroup(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  if (group.deletion_protection) {
    // [guess] AWS lists ValidationException for DeleteLogGroup; its text is unknown.
    return AwsError("ValidationException",
                    "Log group " + group.name + " has deletion protection enabled.");
  }
  data_keys_.Forget(group.group_id);
  GEE_RETURN_IF_ERROR(store_.DeleteGroup(group.group_id));
  return Json::object();
}

Result<Json> LogsService::DescribeLogGroups(Call& call) {
  const RequestContext& ctx = call.ctx;
  const Json& in = call.input;
  bool has_prefix = Has(in, "logGroupNamePrefix");
  bool has_pattern = Has(in, "logGroupNamePattern");
  if (has_prefix && has_pattern) return errors::PrefixAndPatternExclusive();
  const std::string prefix = Text(in, "logGroupNamePrefix");
  const std::string pattern = Text(in, "logGroupNamePattern");
  const std::string group_class = Text(in, "logGroupClass");
  std::set<std::string> identifiers;
  if (auto it = in.find("logGroupIdentifiers"); it != in.end()) {
    for (const Json& id : *it) {
      LogGroupRef ref = ResolveLogGroupIdentifier(id.get<std::string>(), ctx.region, ctx.account);
      if (ref.account == ctx.account && ref.region == ctx.region) identifiers.insert(ref.name);
    }
    if (identifiers.empty()) return Json{{"logGroups", Json::array()}};
  }
  int64_t limit = in.value("limit", kDefaultDescribeLimit);

  std::string after;
  if (Has(in, "nextToken")) {
    auto decoded = crypto::Base64UrlDecode(Text(in, "nextToken"));
    if (!decoded.ok() || decoded->empty()) return errors::InvalidNextToken();
    after = std::move(decoded).value();
  }
  GEE_ASSIGN_OR_RETURN(std::vector<GroupRow> groups,
                       store_.ListGroups(ctx.account, ctx.region, after));
  Json out = Json::array();
  std::string last;
  bool more = false;
  for (const GroupRow& g : groups) {
    if (has_prefix && g.name.compare(0, prefix.size(), prefix) != 0) continue;
    if (has_pattern && g.name.find(pattern) == std::string::npos) continue;
    if (!group_class.empty() && g.log_group_class != group_class) continue;
    if (!identifiers.empty() && identifiers.count(g.name) == 0) continue;
    if (static_cast<int64_t>(out.size()) == limit) {
      more = true;
      break;
    }
    Json entry = {
        {"logGroupName", g.name},
        {"creationTime", g.creation_us / 1000},
        {"metricFilterCount", 0},
        {"arn", g.Arn() + ":*"},
        {"logGroupClass", g.log_group_class},
        {"logGroupArn", g.Arn()},
    };
    if (g.retention_days) entry["retentionInDays"] = *g.retention_days;
    if (g.kms_key_arn) entry["kmsKeyId"] = *g.kms_key_arn;
    // Recorded: entries found by logGroupNamePattern lack these two members.
    if (!has_pattern) {
      entry["storedBytes"] = g.stored_bytes;
      entry["deletionProtectionEnabled"] = g.deletion_protection;
    }
    out.push_back(std::move(entry));
    last = g.name;
  }
  Json result = {{"logGroups", std::move(out)}};
  if (more) result["nextToken"] = crypto::Base64UrlEncode(last);
  return result;
}

Result<Json> LogsService::AssociateKmsKey(Call& call) {
  RequestContext& ctx = call.ctx;
  LogGroupRef ref{ctx.region, ctx.account, Text(call.input, "logGroupName")};
  if (Has(call.input, "resourceIdentifier")) {
    auto parsed = ParseLogGroupArn(Text(call.input, "resourceIdentifier"));
    if (!parsed) return errors::UnsupportedResourceIdentifier();
    ref = *parsed;
  }
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(ctx, ref));
  const std::string key_arn = Text(call.input, "kmsKeyId");
  GEE_ASSIGN_OR_RETURN(kms::GeneratedDataKey generated,
                       data_keys_.CheckKmsKey(ctx, group.region, group.account, group.Arn(),
                                              key_arn));
  GEE_RETURN_IF_ERROR(store_.SetKmsKey(group.group_id, key_arn));
  group.kms_key_arn = key_arn;
  data_keys_.Forget(group.group_id);
  GEE_RETURN_IF_ERROR(data_keys_.Adopt(group, std::move(generated)));
  return Json::object();
}

Result<Json> LogsService::DisassociateKmsKey(Call& call) {
  RequestContext& ctx = call.ctx;
  LogGroupRef ref{ctx.region, ctx.account, Text(call.input, "logGroupName")};
  if (Has(call.input, "resourceIdentifier")) {
    auto parsed = ParseLogGroupArn(Text(call.input, "resourceIdentifier"));
    if (!parsed) return errors::UnsupportedResourceIdentifier();
    ref = *parsed;
  }
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(ctx, ref));
  GEE_RETURN_IF_ERROR(store_.SetKmsKey(group.group_id, std::nullopt));
  data_keys_.Forget(group.group_id);
  return Json::object();
}

Result<Json> LogsService::PutRetentionPolicy(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  int64_t days = call.input.value("retentionInDays", int64_t{0});
  if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), days) ==
      std::end(kRetentionDays)) {
    return errors::InvalidRetention(days);
  }
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_RETURN_IF_ERROR(store_.SetRetention(group.group_id, days));
  return Json::object();
}

Result<Json> LogsService::DeleteRetentionPolicy(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_RETURN_IF_ERROR(store_.SetRetention(group.group_id, std::nullopt));
  return Json::object();
}

// ---- tags ----

Result<Json> LogsService::TagLogGroup(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_RETURN_IF_ERROR(TagGroup(call.ctx, group, call.input.at("tags")));
  return Json::object();
}

Result<Json> LogsService::UntagLogGroup(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  std::vector<std::string> keys;
  for (const Json& k : call.input.at("tags")) keys.push_back(k.get<std::string>());
  GEE_RETURN_IF_ERROR(store_.RemoveTags(group.group_id, keys));
  return Json::object();
}

Result<Json> LogsService::ListTagsLogGroup(Call& call) {
  LogGroupRef ref{call.ctx.region, call.ctx.account, Text(call.input, "logGroupName")};
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_ASSIGN_OR_RETURN(auto tags, store_.Tags(group.group_id));
  return Json{{"tags", TagsJson(tags)}};
}

namespace {

Result<LogGroupRef> TaggedGroupRef(const Json& input) {
  auto parsed = ParseLogGroupArn(Text(input, "resourceArn"));
  if (!parsed) return errors::ResourceNotFound();
  return *parsed;
}

}  // namespace

Result<Json> LogsService::TagResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, TaggedGroupRef(call.input));
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_RETURN_IF_ERROR(TagGroup(call.ctx, group, call.input.at("tags")));
  return Json::object();
}

Result<Json> LogsService::UntagResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, TaggedGroupRef(call.input));
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  std::vector<std::string> keys;
  for (const Json& k : call.input.at("tagKeys")) keys.push_back(k.get<std::string>());
  GEE_RETURN_IF_ERROR(store_.RemoveTags(group.group_id, keys));
  return Json::object();
}

Result<Json> LogsService::ListTagsForResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(LogGroupRef ref, TaggedGroupRef(call.input));
  GEE_ASSIGN_OR_RETURN(GroupRow group, LoadGroup(call.ctx, ref));
  GEE_ASSIGN_OR_RETURN(auto tags, store_.Tags(group.group_id));
  return Json{{"tags", TagsJson(tags)}};
}

}  // namespace gee::logs

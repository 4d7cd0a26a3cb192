#include "services/sts/sts_service.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>

#include "auth/policy/policy.h"
#include "core/environment.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "services/iam/arns.h"
#include "services/iam/errors.h"
#include "services/iam/iam_store.h"
#include "services/sts/session_store.h"
#include "services/sts/sts_client.h"
#include "store/root_key.h"

namespace gee::sts {

// Serves the temporary credentials in sts_sessions to SigV4 verification.
// Session-token credentials authenticate as their user (or root); role
// sessions as the session principal, with the role's current tags.
class SessionCredentialProvider final : public CredentialProvider {
 public:
  explicit SessionCredentialProvider(Environment& env) : env_(env) {}

  Result<std::optional<CredentialRecord>> Lookup(std::string_view access_key_id) override {
    if (access_key_id.substr(0, 4) != "ASIA") return std::optional<CredentialRecord>();
    std::lock_guard<std::recursive_mutex> lock(env_.store_mutex());
    GEE_ASSIGN_OR_RETURN(std::optional<SessionRecord> s,
                         SessionStore(env_.db()).Find(access_key_id));
    if (!s) return std::optional<CredentialRecord>();
    CredentialRecord record;
    record.access_key_id = s->access_key_id;
    GEE_ASSIGN_OR_RETURN(record.secret,
                         env_.keyring().Open(store::SecretLabel("sts-secret", {s->access_key_id}),
                                             s->sealed_secret));
    record.session_token = s->session_token;
    record.expiration = s->expiration_s;
    iam::IamStore iam(env_.db());
    if (s->kind == "assumed-role") {
      // The role may have been deleted since: the session keeps its identity
      // but the IAM provider finds no policies for it (every request denied).
      GEE_ASSIGN_OR_RETURN(std::optional<iam::RoleRecord> role, iam.FindRoleById(s->role_id));
      iam::RoleRecord r = role ? *role : iam::RoleRecord{};
      if (!role) {
        r.id = s->role_id;
        r.name = s->role_name;
      }
      record.principal = SessionPrincipal(env_, r, s->role_arn, s->session_name,
                                          s->issued_us / 1000000, s->expiration_s, s->tags,
                                          s->session_policy, s->policy_arns);
    } else if (s->user_id.empty()) {
      record.principal = RootPrincipal(s->account);
    } else {
      GEE_ASSIGN_OR_RETURN(std::optional<iam::UserRecord> user, iam.FindUserById(s->user_id));
      if (!user) return std::optional<CredentialRecord>();
      Principal& p = record.principal;
      p.type = PrincipalType::kUser;
      p.account = s->account;
      p.arn = iam::UserArn(p.account, user->path, user->name);
      p.user_id = user->id;
      p.name = user->name;
      GEE_ASSIGN_OR_RETURN(auto tags, iam.ListTags(iam::EntityKind::kUser, user->id));
      for (const iam::Tag& t : tags) p.tags[t.key] = t.value;
    }
    return std::optional<CredentialRecord>(std::move(record));
  }

 private:
  Environment& env_;
};

namespace {

using S = StsService;

std::string Str(const Json& in, std::string_view key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t NonWhitespaceLength(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return !std::isspace(c); }));
}

// Session tags of the request, refusing case-insensitive duplicates.
Result<std::map<std::string, std::string>> RequestTags(const Json& in) {
  std::map<std::string, std::string> tags;
  std::vector<std::string> seen;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array()) {
    for (const Json& t : *it) {
      const std::string key = Str(t, "Key");
      if (std::find(seen.begin(), seen.end(), Lower(key)) != seen.end()) {
        return errors::Validation(
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
      }
      seen.push_back(Lower(key));
      tags[key] = Str(t, "Value");
    }
  }
  return tags;
}

std::vector<std::string> StringList(const Json& in, std::string_view key) {
  std::vector<std::string> out;
  if (auto it = in.find(key); it != in.end() && it->is_array()) {
    for (const Json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// The session the caller is in, when it called with role-session credentials.
Result<std::optional<SessionRecord>> CallerSession(Environment& env, const Principal& p) {
  if (p.access_key_id.substr(0, 4) != "ASIA") return std::optional<SessionRecord>();
  return SessionStore(env.db()).Find(p.access_key_id);
}

struct IssuedCredentials {
  std::string access_key_id;
  std::string secret;
  std::string session_token;
};

// Mints credentials for `session` (filling its key, secret and token) and stores it.
Result<IssuedCredentials> Issue(Environment& env, SessionRecord& session) {
  IssuedCredentials out;
  out.access_key_id = NewAwsId(AwsIdKind::kTemporaryAccessKey, env.random());
  crypto::SecretBytes secret = NewSecretAccessKey(env.random());
  out.secret = std::string(secret.AsStringView());
  std::string token_bytes(160, '\0');
  env.random().Fill(reinterpret_cast<uint8_t*>(token_bytes.data()), token_bytes.size());
  out.session_token = "IQoJb3JpZ2luX2VjE" + crypto::Base64Encode(token_bytes);
  session.access_key_id = out.access_key_id;
  session.session_token = out.session_token;
  GEE_ASSIGN_OR_RETURN(session.sealed_secret,
                       env.keyring().Seal(store::SecretLabel("sts-secret", {out.access_key_id}),
                                          secret));
  SessionStore store(env.db());
  GEE_RETURN_IF_ERROR(store.PurgeExpired(env.clock().NowSeconds() - 86400));
  GEE_RETURN_IF_ERROR(store.Insert(session));
  return out;
}

Json CredentialsJson(const IssuedCredentials& c, int64_t expiration_s) {
  return {{"AccessKeyId", c.access_key_id},
          {"SecretAccessKey", c.secret},
          {"SessionToken", c.session_token},
          {"Expiration", static_cast<double>(expiration_s)}};
}

AssumeRoleKeys KeysOf(const Call& call, const std::map<std::string, std::string>& tags) {
  AssumeRoleKeys keys;
  keys.session_name = Str(call.input, "RoleSessionName");
  keys.external_id = Str(call.input, "ExternalId");
  keys.source_identity = Str(call.input, "SourceIdentity");
  keys.tags = tags;
  keys.transitive_tag_keys = StringList(call.input, "TransitiveTagKeys");
  return keys;
}

}  // namespace

StsService::StsService(Environment& env)
    : TableService(env), session_credentials_(std::make_unique<SessionCredentialProvider>(env)) {}

StsService::~StsService() = default;

std::vector<store::MigrationStep> StsService::Migrations() const { return StsMigrations(); }

CredentialProvider& StsService::session_credentials() { return *session_credentials_; }

const std::vector<OperationEntry<StsService>>& StsService::Table() {
  static const std::vector<OperationEntry<StsService>> table = {
      {"GetCallerIdentity", &S::GetCallerIdentity, "", nullptr, Access::kNone},
      {"AssumeRole", &S::AssumeRole, "sts:AssumeRole", &S::AssumeRoleResource, Access::kWrite},
      // Needs no permission (AWS: "No permissions are required").
      {"GetSessionToken", &S::GetSessionToken, "", nullptr, Access::kWrite},
  };
  return table;
}

Result<Json> StsService::GetCallerIdentity(Call& call) {
  const Principal& p = call.ctx.principal;
  return JsonObject("UserId", p.user_id, "Account", p.account, "Arn", p.arn);
}

Result<AuthRequest> StsService::AssumeRoleResource(Call& call) {
  GEE_ASSIGN_OR_RETURN(auto tags, RequestTags(call.input));
  GEE_ASSIGN_OR_RETURN(TrustCheck check,
                       TrustRequest(env(), Str(call.input, "RoleArn"), KeysOf(call, tags)));
  return std::move(check.request);
}

Result<Json> StsService::AssumeRole(Call& call) {
  RequestContext& ctx = call.ctx;
  const std::string role_arn = Str(call.input, "RoleArn");
  const std::string session_name = Str(call.input, "RoleSessionName");
  GEE_ASSIGN_OR_RETURN(auto request_tags, RequestTags(call.input));
  const AssumeRoleKeys keys = KeysOf(call, request_tags);
  GEE_ASSIGN_OR_RETURN(TrustCheck check, TrustRequest(env(), role_arn, keys));
  if (!check.role) {
    // Authorization already refused this unless it is off or soft; a role
    // that does not exist is never assumed.
    return env().AccessDenied(ctx, "User: " + ctx.principal.DisplayArn() +
                                       " is not authorized to perform: sts:AssumeRole on "
                                       "resource: " + role_arn);
  }
  // Session tags and source identity need their own trust-policy permissions.
  if (!keys.tags.empty() || !keys.transitive_tag_keys.empty()) {
    AuthRequest tag_session = check.request;
    tag_session.action = "sts:TagSession";
    GEE_RETURN_IF_ERROR(env().Authorize(ctx, tag_session));
  }
  if (!keys.source_identity.empty()) {
    AuthRequest source = check.request;
    source.action = "sts:SetSourceIdentity";
    GEE_RETURN_IF_ERROR(env().Authorize(ctx, source));
  }

  GEE_ASSIGN_OR_RETURN(std::optional<SessionRecord> caller_session,
                       CallerSession(env(), ctx.principal));
  const bool chained = ctx.principal.type == PrincipalType::kAssumedRole;
  int duration = 3600;
  if (auto it = call.input.find("DurationSeconds"); it != call.input.end() && it->is_number()) {
    duration = it->get<int>();
  }
  if (chained && duration > 3600) return errors::DurationExceedsChainingLimit();
  if (duration > check.role->record.max_session_duration) {
    return errors::DurationExceedsRoleMaximum();
  }

  // Session policies.
  const std::string policy = Str(call.input, "Policy");
  if (!policy.empty()) {
    Result<policy::PolicyPtr> parsed = policy::ParseIdentityPolicy(policy);
    if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.error().message);
  }
  std::vector<std::string> policy_arns;
  if (auto it = call.input.find("PolicyArns"); it != call.input.end() && it->is_array()) {
    for (const Json& d : *it) policy_arns.push_back(Str(d, "arn"));
  }
  if (policy_arns.size() > 10) {
    return errors::Validation("1 validation error detected: Value at 'policyArns' failed to "
                              "satisfy constraint: Member must have length less than or equal to 10");
  }
  for (const std::string& arn : policy_arns) {
    if (!iam::ParseEntityArn(arn, "policy")) return errors::Validation(arn + " is invalid");
  }

  // Tags: inherited transitive tags of a chaining caller come first and stay.
  std::map<std::string, std::string> tags = request_tags;
  std::vector<std::string> transitive = keys.transitive_tag_keys;
  for (const std::string& k : transitive) {
    if (tags.count(k) == 0) {
      return errors::Validation("The specified transitive tag key " + k +
                                " must be included in the requested tags.");
    }
  }
  std::string source_identity = keys.source_identity;
  if (caller_session) {
    for (const std::string& k : caller_session->transitive_tag_keys) {
      auto inherited = caller_session->tags.find(k);
      if (inherited == caller_session->tags.end()) continue;
      for (const auto& [req_key, v] : request_tags) {
        if (Lower(req_key) == Lower(k)) {
          return errors::Validation("Cannot override transitive tag " + k +
                                    " set by the calling session.");
        }
      }
      tags[k] = inherited->second;
      transitive.push_back(k);
    }
    if (!caller_session->source_identity.empty()) {
      if (!source_identity.empty() && source_identity != caller_session->source_identity) {
        return errors::Validation("SourceIdentity cannot be changed in a role-chaining session.");
      }
      source_identity = caller_session->source_identity;
    }
  }

  // Packed size of session policies and tags against the 2048-character budget.
  const bool packed = !policy.empty() || !policy_arns.empty() || !tags.empty();
  size_t packed_chars = NonWhitespaceLength(policy);
  for (const std::string& arn : policy_arns) packed_chars += arn.size();
  for (const auto& [k, v] : tags) packed_chars += k.size() + v.size();
  const int percent = static_cast<int>((packed_chars * 100 + 2047) / 2048);
  if (percent > 100) return errors::PackedPolicyTooLarge(percent);

  const int64_t now_us = env().clock().NowMicros();
  const int64_t now_s = now_us / 1000000;
  SessionRecord session;
  session.kind = "assumed-role";
  session.account = env().config().account_id;
  session.role_id = check.role->record.id;
  session.role_name = check.role->record.name;
  session.role_arn = check.role->arn;
  session.session_name = session_name;
  session.issued_us = now_us;
  session.expiration_s = now_s + duration;
  session.session_policy = policy;
  session.policy_arns = policy_arns;
  session.tags = tags;
  session.transitive_tag_keys = transitive;
  session.source_identity = source_identity;
  session.chained = chained;
  GEE_ASSIGN_OR_RETURN(IssuedCredentials creds, Issue(env(), session));

  // RoleLastUsed.
  {
    iam::IamStore iam(env().db());
    iam::RoleRecord role = check.role->record;
    role.last_used_us = now_us;
    role.last_used_region = ctx.region;
    GEE_RETURN_IF_ERROR(iam.UpdateRole(role));
  }

  Json out = {{"Credentials", CredentialsJson(creds, session.expiration_s)},
              {"AssumedRoleUser",
               {{"AssumedRoleId", check.role->record.id + ":" + session_name},
                {"Arn", iam::SessionArn(session.account, check.role->record.name, session_name)}}}};
  if (packed) out["PackedPolicySize"] = percent;
  if (!source_identity.empty()) out["SourceIdentity"] = source_identity;
  return out;
}

Result<Json> StsService::GetSessionToken(Call& call) {
  const Principal& p = call.ctx.principal;
  if (p.access_key_id.substr(0, 4) == "ASIA" || p.type == PrincipalType::kAssumedRole) {
    return errors::SessionCredentialsCannotGetSessionToken();
  }
  if (p.type != PrincipalType::kUser && p.type != PrincipalType::kRoot) {
    return errors::SessionCredentialsCannotGetSessionToken();
  }
  int duration = 43200;
  if (auto it = call.input.find("DurationSeconds"); it != call.input.end() && it->is_number()) {
    duration = it->get<int>();
  }
  // The root user's sessions last at most an hour.
  if (p.type == PrincipalType::kRoot) duration = std::min(duration, 3600);
  const int64_t now_us = env().clock().NowMicros();
  SessionRecord session;
  session.kind = "session-token";
  session.account = p.account;
  session.user_id = p.type == PrincipalType::kUser ? p.user_id : "";
  session.issued_us = now_us;
  session.expiration_s = now_us / 1000000 + duration;
  GEE_ASSIGN_OR_RETURN(IssuedCredentials creds, Issue(env(), session));
  return Json{{"Credentials", CredentialsJson(creds, session.expiration_s)}};
}

}  // namespace gee::sts

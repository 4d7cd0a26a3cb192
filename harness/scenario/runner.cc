#include "harness/scenario/runner.h"

#include <chrono>
#include <map>
#include <regex>
#include <thread>

#include "auth/sigv4.h"
#include "crypto/encoding.h"
#include "harness/client/api_client.h"
#include "harness/scenario/json_path.h"
#include "harness/scenario/template.h"

namespace gee::scenario {
namespace {

using nlohmann::json;
using Steady = std::chrono::steady_clock;  // step durations in reports

double MillisSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

// Short JSON text of a value for messages (strings unquoted when alone).
std::string Show(const json& v) {
  std::string text = v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
  if (text.size() > 300) text = text.substr(0, 297) + "...";
  return text;
}

std::string Describe(const harness::CallResult& r) {
  if (r.ok) return "success (HTTP " + std::to_string(r.http_status) + ")";
  std::string text = r.error_code;
  if (!r.error_message.empty()) text += ": " + r.error_message;
  text += " (HTTP " + std::to_string(r.http_status) + ")";
  return text;
}

bool IsFailureState(const std::string& state) {
  return state == "FAILED" || state == "ERROR" || state == "TIMEOUT" || state == "STOPPED" ||
         state == "EXPIRED" || state == "CANCELLED";
}

struct KeyState {
  std::string id;
  std::string arn;
};

struct UserState {
  std::string arn;
  harness::Credentials credentials;
  bool has_access_key = false;
};

struct SessionState {
  std::string arn;
  harness::Credentials credentials;
};

// Everything ${...} can refer to during one scenario run.
class Context final : public Resolver {
 public:
  explicit Context(const Scenario& scenario) : scenario_(scenario) {}

  Result<json> Resolve(const Reference& ref) const override {
    auto missing = [&](const std::string& what) {
      return AwsError("ScenarioReferenceError", "${" + ref.text + "}: " + what, 0);
    };
    if (ref.prefix == "key") {
      auto it = keys.find(ref.name);
      if (it == keys.end()) return missing("key \"" + ref.name + "\" was not created");
      if (ref.member == "id") return json(it->second.id);
      return json(it->second.arn);
    }
    if (ref.prefix == "user") {
      if (scenario_.FindUser(ref.name) == nullptr) return missing("no such user");
      return json("arn:aws:iam::" + account + ":user/" + ref.name);
    }
    if (ref.prefix == "role") {
      if (scenario_.FindRole(ref.name) == nullptr) return missing("no such role");
      return json("arn:aws:iam::" + account + ":role/" + ref.name);
    }
    if (ref.prefix == "session") {
      const RoleDecl* role = scenario_.FindRole(ref.name);
      if (role == nullptr) return missing("no such role");
      return json("arn:aws:sts::" + account + ":assumed-role/" + ref.name + "/" + role->session_name);
    }
    if (ref.prefix == "policy") {
      auto it = scenario_.documents.find(ref.name);
      if (it == scenario_.documents.end()) return missing("the policy file was not loaded");
      auto document = Substitute(it->second.document, *this);
      if (!document.ok()) return document.error();
      return json(document->dump());
    }
    if (!ref.prefix.empty()) return missing("unknown prefix");
    const json* value = nullptr;
    json builtin;
    if (ref.name == "account") {
      builtin = account;
    } else if (ref.name == "region") {
      builtin = region;
    } else if (ref.name == "scenario") {
      builtin = scenario_.name;
    } else if (ref.name == "partition") {
      builtin = "aws";
    } else if (ref.name == "now" || ref.name == "now_ms") {
      SystemClock system;
      int64_t micros = (clock != nullptr ? clock : &system)->NowMicros();
      builtin = ref.name == "now" ? micros / 1000000 : micros / 1000;
    }
    if (!builtin.is_null()) {
      value = &builtin;
    } else {
      auto it = variables.find(ref.name);
      if (it == variables.end()) return missing("the variable is not set (was the step that saves it run?)");
      value = &it->second;
    }
    const json* member = MemberAt(*value, ref.member);
    if (member == nullptr) return missing("\"" + ref.member + "\" is not in " + Show(*value));
    return *member;
  }

  std::string account;
  std::string region;
  // The clock requests are signed with (null: the system clock).
  const Clock* clock = nullptr;
  std::map<std::string, json> variables;
  std::map<std::string, KeyState> keys;
  std::map<std::string, UserState> users;
  std::map<std::string, SessionState> sessions;

 private:
  const Scenario& scenario_;
};

class Execution {
 public:
  Execution(Target& target, const RunnerOptions& options, ProgressListener* listener, const Scenario& scenario,
            const std::string& region)
      : target_(target),
        options_(options),
        listener_(listener),
        scenario_(scenario),
        context_(scenario),
        api_(target.endpoint(), region, target.clock()) {
    context_.region = region;
    context_.clock = target.clock();
    if (target.is_gee() && options.explain_decisions) api_.set_explain_secret(target.root().secret_access_key);
  }

  ScenarioResult Run(std::string* account) {
    Steady::time_point start = Steady::now();
    result_.name = scenario_.name;
    result_.file = scenario_.file;
    result_.description = scenario_.description;
    bool setup_ok = Setup();
    *account = context_.account;
    if (!setup_ok) {
      result_.outcome = Outcome::kFailed;
      if (result_.reason.empty()) result_.reason = "setup failed; no step was run";
    } else if (!result_.reason.empty()) {
      result_.outcome = options_.strict ? Outcome::kFailed : Outcome::kSkipped;
    } else {
      RunSteps();
      int passed = result_.Count(Outcome::kPassed);
      int failed = result_.Count(Outcome::kFailed);
      result_.outcome = failed > 0 ? Outcome::kFailed : passed > 0 ? Outcome::kPassed : Outcome::kSkipped;
    }
    result_.duration_ms = MillisSince(start);
    return std::move(result_);
  }

 private:
  // ---- setup -------------------------------------------------------------

  // Missing operations among `ops`, as text ("" when all are implemented).
  std::string Missing(const std::vector<std::string>& ops) const {
    std::string missing;
    for (const auto& op : ops) {
      if (target_.HasOperation(op)) continue;
      if (!missing.empty()) missing += ", ";
      missing += op;
    }
    return missing;
  }

  void Record(StepResult step) {
    if (listener_ != nullptr) listener_->OnStep(step);
    if (step.setup) {
      result_.setup.push_back(std::move(step));
    } else {
      result_.steps.push_back(std::move(step));
    }
  }

  // One setup call as root; records it. Returns the output on success.
  std::optional<json> SetupCall(const std::string& name, const std::string& service, const std::string& operation,
                                const json& input, int line) {
    StepResult step;
    step.setup = true;
    step.name = name;
    step.action = service + ":" + operation;
    step.as = "root";
    step.line = line;
    step.expected = "success";
    Steady::time_point start = Steady::now();
    auto r = api_.Call(target_.root(), service, operation, input);
    step.duration_ms = MillisSince(start);
    std::optional<json> output;
    if (!r.ok()) {
      step.outcome = Outcome::kFailed;
      step.actual = r.error().code + ": " + r.error().message;
      step.failures.push_back("could not call " + step.action + ": " + r.error().message);
    } else {
      step.actual = Describe(*r);
      step.decisions = r->decisions;
      step.request_id = r->request_id;
      if (r->ok) {
        output = r->output;
      } else {
        step.outcome = Outcome::kFailed;
        step.failures.push_back(step.action + " failed: " + step.actual);
      }
    }
    Record(std::move(step));
    return output;
  }

  void SetupFailure(const std::string& name, int line, const std::string& message) {
    StepResult step;
    step.setup = true;
    step.name = name;
    step.line = line;
    step.outcome = Outcome::kFailed;
    step.failures.push_back(message);
    Record(std::move(step));
  }

  // A policy document with references substituted, as compact JSON text.
  std::optional<std::string> PolicyText(const PolicyFile& policy) {
    auto doc = Substitute(policy.document, context_);
    if (!doc.ok()) {
      SetupFailure("prepare policy " + policy.path, policy.line, doc.error().message);
      return std::nullopt;
    }
    return doc->dump();
  }

  bool Setup() {
    if (options_.reset) {
      Steady::time_point start = Steady::now();
      Status reset = target_.Reset();
      if (!reset.ok()) {
        SetupFailure("reset gee's state", 0, reset.error().message);
        return false;
      }
      if (target_.is_gee()) {
        StepResult step;
        step.setup = true;
        step.name = "reset gee's state";
        step.action = "POST /_gee/reset";
        step.as = "root";
        step.duration_ms = MillisSince(start);
        Record(std::move(step));
      }
    }
    std::string missing = Missing(SetupOperations(scenario_));
    if (!missing.empty()) {
      result_.reason = "setup waits for operations this endpoint does not implement yet: " + missing;
      return true;
    }
    auto identity = SetupCall("learn the account", "sts", "GetCallerIdentity", json::object(), 0);
    if (!identity) return false;
    context_.account = identity->value("Account", "");
    if (context_.account.empty()) {
      SetupFailure("learn the account", 0, "GetCallerIdentity returned no Account");
      return false;
    }
    for (const auto& [name, value] : scenario_.variables) {
      auto resolved = Substitute(value, context_);
      if (!resolved.ok()) {
        SetupFailure("variable " + name, 0, resolved.error().message);
        return false;
      }
      context_.variables[name] = std::move(resolved).value();
    }
    // 1. principals
    for (const UserDecl& u : scenario_.users) {
      auto out = SetupCall("create user " + u.name, "iam", "CreateUser", {{"UserName", u.name}}, u.line);
      if (!out) return false;
      UserState state;
      const json* arn = MemberAt(*out, "User.Arn");
      state.arn = arn != nullptr && arn->is_string() ? arn->get<std::string>()
                                                     : "arn:aws:iam::" + context_.account + ":user/" + u.name;
      context_.users[u.name] = state;
    }
    for (const RoleDecl& r : scenario_.roles) {
      auto trust = PolicyText(r.trust_policy);
      if (!trust) return false;
      if (!SetupCall("create role " + r.name, "iam", "CreateRole",
                     {{"RoleName", r.name}, {"AssumeRolePolicyDocument", *trust}}, r.line)) {
        return false;
      }
    }
    // 2. keys
    for (const KeyDecl& k : scenario_.keys) {
      json input = {{"KeySpec", k.key_spec}, {"KeyUsage", k.key_usage}};
      input["Description"] = k.description.empty() ? "gee scenario " + scenario_.name + " key " + k.name : k.description;
      auto out = SetupCall("create key " + k.name, "kms", "CreateKey", input, k.line);
      if (!out) return false;
      const json* id = MemberAt(*out, "KeyMetadata.KeyId");
      const json* arn = MemberAt(*out, "KeyMetadata.Arn");
      if (id == nullptr || arn == nullptr || !id->is_string() || !arn->is_string()) {
        SetupFailure("create key " + k.name, k.line, "CreateKey returned no KeyMetadata.KeyId/Arn");
        return false;
      }
      context_.keys[k.name] = KeyState{id->get<std::string>(), arn->get<std::string>()};
    }
    // 3. key policies and aliases
    for (const KeyDecl& k : scenario_.keys) {
      const KeyState& key = context_.keys[k.name];
      if (k.policy) {
        auto text = PolicyText(*k.policy);
        if (!text) return false;
        json input = {{"KeyId", key.id}, {"PolicyName", "default"}, {"Policy", *text}};
        if (k.bypass_policy_lockout_safety_check) input["BypassPolicyLockoutSafetyCheck"] = true;
        if (!SetupCall("put key policy of " + k.name + " (" + k.policy->path + ")", "kms", "PutKeyPolicy", input,
                       k.policy->line)) {
          return false;
        }
      }
      for (const auto& alias : k.aliases) {
        if (!SetupCall("create " + alias + " for key " + k.name, "kms", "CreateAlias",
                       {{"AliasName", alias}, {"TargetKeyId", key.id}}, k.line)) {
          return false;
        }
      }
    }
    // 4. identity policies
    for (const UserDecl& u : scenario_.users) {
      for (const PolicyFile& p : u.policies) {
        auto text = PolicyText(p);
        if (!text) return false;
        if (!SetupCall("attach " + p.path + " to user " + u.name, "iam", "PutUserPolicy",
                       {{"UserName", u.name}, {"PolicyName", p.name}, {"PolicyDocument", *text}}, p.line)) {
          return false;
        }
      }
    }
    for (const RoleDecl& r : scenario_.roles) {
      for (const PolicyFile& p : r.policies) {
        auto text = PolicyText(p);
        if (!text) return false;
        if (!SetupCall("attach " + p.path + " to role " + r.name, "iam", "PutRolePolicy",
                       {{"RoleName", r.name}, {"PolicyName", p.name}, {"PolicyDocument", *text}}, p.line)) {
          return false;
        }
      }
    }
    // 5. access keys, disabled keys
    for (const UserDecl& u : scenario_.users) {
      auto out = SetupCall("create an access key for " + u.name, "iam", "CreateAccessKey", {{"UserName", u.name}},
                           u.line);
      if (!out) return false;
      const json* id = MemberAt(*out, "AccessKey.AccessKeyId");
      const json* secret = MemberAt(*out, "AccessKey.SecretAccessKey");
      if (id == nullptr || secret == nullptr || !id->is_string() || !secret->is_string()) {
        SetupFailure("create an access key for " + u.name, u.line, "CreateAccessKey returned no AccessKey");
        return false;
      }
      UserState& state = context_.users[u.name];
      state.credentials = harness::Credentials{id->get<std::string>(), secret->get<std::string>(), ""};
      state.has_access_key = true;
    }
    for (const KeyDecl& k : scenario_.keys) {
      if (k.enabled) continue;
      if (!SetupCall("disable key " + k.name, "kms", "DisableKey", {{"KeyId", context_.keys[k.name].id}}, k.line)) {
        return false;
      }
    }
    return true;
  }

  // ---- principals ----------------------------------------------------------

  // Credentials for `as`; `label` names the principal for reports.
  Result<harness::Credentials> CredentialsFor(const std::string& as, std::string* label,
                                              std::vector<std::string>* decisions) {
    *label = as;
    if (as == "root") return target_.root();
    auto colon = as.find(':');
    std::string kind = as.substr(0, colon);
    std::string name = colon == std::string::npos ? "" : as.substr(colon + 1);
    if (kind == "user") {
      *label = "user/" + name;
      auto it = context_.users.find(name);
      if (it == context_.users.end() || !it->second.has_access_key) {
        return AwsError("ScenarioError", "user " + name + " has no access key", 0);
      }
      return it->second.credentials;
    }
    if (kind == "role") {
      const RoleDecl* role = scenario_.FindRole(name);
      if (role == nullptr) return AwsError("ScenarioError", "no role " + name, 0);
      *label = "role/" + name + " (session " + role->session_name + ")";
      if (auto it = context_.sessions.find(name); it != context_.sessions.end()) return it->second.credentials;
      std::string by = role->assumed_by.substr(role->assumed_by.find(':') + 1);
      auto user = context_.users.find(by);
      if (user == context_.users.end() || !user->second.has_access_key) {
        return AwsError("ScenarioError", "user " + by + " (assumed_by) has no access key", 0);
      }
      json input = {{"RoleArn", "arn:aws:iam::" + context_.account + ":role/" + name},
                    {"RoleSessionName", role->session_name}};
      auto r = api_.Call(user->second.credentials, "sts", "AssumeRole", input);
      if (!r.ok()) return AwsError("ScenarioError", "sts:AssumeRole as user/" + by + ": " + r.error().message, 0);
      for (const auto& d : r->decisions) decisions->push_back(d);
      if (!r->ok) {
        return AwsError("ScenarioError", "user/" + by + " could not assume role " + name + ": " + Describe(*r), 0);
      }
      const json* c = MemberAt(r->output, "Credentials");
      if (c == nullptr || !c->is_object()) return AwsError("ScenarioError", "AssumeRole returned no Credentials", 0);
      SessionState session;
      session.credentials = harness::Credentials{c->value("AccessKeyId", ""), c->value("SecretAccessKey", ""),
                                                 c->value("SessionToken", "")};
      const json* arn = MemberAt(r->output, "AssumedRoleUser.Arn");
      if (arn != nullptr && arn->is_string()) session.arn = arn->get<std::string>();
      context_.sessions[name] = session;
      return session.credentials;
    }
    if (kind == "credentials") {
      *label = "credentials ${" + name + "}";
      auto it = context_.variables.find(name);
      if (it == context_.variables.end()) return AwsError("ScenarioError", "variable " + name + " is not set", 0);
      const json* c = &it->second;
      if (c->contains("Credentials")) c = &(*c)["Credentials"];
      if (!c->is_object() || !c->contains("AccessKeyId") || !c->contains("SecretAccessKey")) {
        return AwsError("ScenarioError", "${" + name + "} holds no AccessKeyId/SecretAccessKey", 0);
      }
      return harness::Credentials{c->value("AccessKeyId", ""), c->value("SecretAccessKey", ""),
                                  c->value("SessionToken", "")};
    }
    return AwsError("ScenarioError", "cannot act as \"" + as + "\"", 0);
  }

  // ---- checks ----------------------------------------------------------------

  std::string ExpectedText(const Expectation& x, bool inverted) {
    if (x.success || inverted) {
      std::string text = inverted && !x.success ? "success (inverted from " + x.error + ")" : "success";
      if (!x.output.empty()) text += " with " + std::to_string(x.output.size()) + " output check(s)";
      return text;
    }
    std::string text = x.error;
    auto sub = [&](const std::optional<std::string>& v) {
      auto r = SubstituteText(*v, context_);
      return r.ok() ? *r : *v;
    };
    if (x.message) text += ": " + sub(x.message);
    if (x.message_contains) text += ": ...\"" + sub(x.message_contains) + "\"...";
    if (x.message_matches) text += ": matching /" + sub(x.message_matches) + "/";
    if (x.status) text += " (HTTP " + std::to_string(*x.status) + ")";
    return text;
  }

  std::optional<std::string> CheckOutput(const OutputCheck& c, const json& output) {
    auto path = JsonPath::Parse(c.path);
    if (!path.ok()) return path.error().message;
    auto expected = Substitute(c.value, context_);
    if (!expected.ok()) return expected.error().message;
    std::vector<const json*> found = path->Select(output);
    auto where = [&]() { return c.path + (path->has_wildcard() ? " (any)" : ""); };
    auto got = [&]() {
      if (found.size() == 1) return Show(*found[0]);
      json all = json::array();
      for (const json* f : found) all.push_back(*f);
      return Show(all);
    };
    switch (c.op) {
      case OutputCheck::Op::kExists: {
        bool want = expected->is_boolean() && expected->get<bool>();
        if (want && found.empty()) return where() + ": expected to exist, but the output has no such value";
        if (!want && !found.empty()) return where() + ": expected not to exist, but found " + got();
        return std::nullopt;
      }
      case OutputCheck::Op::kEquals:
        if (found.empty()) return where() + ": not in the output (expected " + Show(*expected) + ")";
        for (const json* f : found) {
          if (*f == *expected) return std::nullopt;
        }
        return where() + ": expected " + Show(*expected) + ", got " + got();
      case OutputCheck::Op::kMatches: {
        if (found.empty()) return where() + ": not in the output (expected to match /" + expected->dump() + "/)";
        if (!expected->is_string()) return where() + ": \"matches\" needs a string pattern";
        try {
          std::regex re(expected->get<std::string>(), std::regex::ECMAScript);
          for (const json* f : found) {
            std::string text = f->is_string() ? f->get<std::string>() : f->dump();
            if (std::regex_match(text, re)) return std::nullopt;
          }
        } catch (const std::regex_error& e) {
          return where() + ": bad regular expression: " + e.what();
        }
        return where() + ": " + got() + " does not match /" + expected->get<std::string>() + "/";
      }
      case OutputCheck::Op::kContains:
        if (found.empty()) return where() + ": not in the output";
        for (const json* f : found) {
          if (f->is_string() && expected->is_string() &&
              f->get<std::string>().find(expected->get<std::string>()) != std::string::npos) {
            return std::nullopt;
          }
          if (f->is_array()) {
            for (const auto& item : *f) {
              if (item == *expected) return std::nullopt;
            }
          }
          if (f->is_object() && expected->is_string() && f->contains(expected->get<std::string>())) {
            return std::nullopt;
          }
        }
        return where() + ": " + got() + " does not contain " + Show(*expected);
      case OutputCheck::Op::kLength:
        if (found.empty()) return where() + ": not in the output";
        for (const json* f : found) {
          size_t n = f->is_string() ? f->get<std::string>().size() : f->size();
          if (expected->is_number_integer() && n == expected->get<size_t>()) return std::nullopt;
        }
        return where() + ": expected length " + expected->dump() + ", got " + got();
    }
    return std::nullopt;
  }

  // Compares `r` with the expectation; fills expected/actual/failures.
  // Returns true when the call succeeded and success was expected (so its
  // output may be checked and saved).
  bool Evaluate(const Expectation& x, const harness::CallResult& r, StepResult& step) {
    bool inverted = options_.invert_expectations && !x.success;
    bool want_success = x.success || inverted;
    step.expected = ExpectedText(x, inverted);
    step.actual = Describe(r);
    if (want_success) {
      if (!r.ok) {
        step.failures.push_back("expected success, got " + Describe(r));
        return false;
      }
      return true;
    }
    if (r.ok) {
      step.failures.push_back("expected " + x.error + ", but the call succeeded");
      return false;
    }
    if (r.error_code != x.error) step.failures.push_back("expected error " + x.error + ", got " + r.error_code);
    auto sub = [&](const std::string& v) -> std::string {
      auto s = SubstituteText(v, context_);
      if (!s.ok()) {
        step.failures.push_back(s.error().message);
        return v;
      }
      return *s;
    };
    if (x.message) {
      std::string want = sub(*x.message);
      if (r.error_message != want) {
        step.failures.push_back("expected the message \"" + want + "\", got \"" + r.error_message + "\"");
      }
    }
    if (x.message_contains) {
      std::string want = sub(*x.message_contains);
      if (r.error_message.find(want) == std::string::npos) {
        step.failures.push_back("expected the message to contain \"" + want + "\", got \"" + r.error_message + "\"");
      }
    }
    if (x.message_matches) {
      std::string want = sub(*x.message_matches);
      try {
        if (!std::regex_match(r.error_message, std::regex(want, std::regex::ECMAScript))) {
          step.failures.push_back("expected the message to match /" + want + "/, got \"" + r.error_message + "\"");
        }
      } catch (const std::regex_error& e) {
        step.failures.push_back("bad regular expression /" + want + "/: " + e.what());
      }
    }
    if (x.status && r.http_status != *x.status) {
      step.failures.push_back("expected HTTP " + std::to_string(*x.status) + ", got " + std::to_string(r.http_status));
    }
    return false;
  }

  void CheckAndSave(const Step& spec, const json& output, StepResult& step) {
    bool inverted = options_.invert_expectations && !spec.expect.success;
    if (!inverted) {
      for (const OutputCheck& c : spec.expect.output) {
        if (auto failure = CheckOutput(c, output)) step.failures.push_back(*failure);
      }
    }
    for (const auto& [name, path_text] : spec.save) {
      auto path = JsonPath::Parse(path_text);
      if (!path.ok()) {
        step.failures.push_back(path.error().message);
        continue;
      }
      auto found = path->Select(output);
      if (found.empty()) {
        step.failures.push_back("cannot save " + name + ": " + path_text + " selects nothing in the output");
        continue;
      }
      context_.variables[name] = *found[0];
      step.notes.push_back("saved " + name + " = " + Show(*found[0]));
    }
  }

  // ---- steps -----------------------------------------------------------------

  void RunSteps() {
    bool stop = false;
    std::string stop_reason;
    for (const Step& spec : scenario_.steps) {
      StepResult step;
      step.index = spec.index;
      step.name = spec.name;
      step.guide_step = spec.guide_step;
      auto explain = SubstituteText(spec.explain, context_);
      step.explain = explain.ok() ? *explain : spec.explain;
      step.line = spec.line;
      step.action = ActionLabel(spec);
      if (stop) {
        step.outcome = options_.strict ? Outcome::kFailed : Outcome::kSkipped;
        step.skip_reason = stop_reason;
        if (options_.strict) step.failures.push_back(stop_reason);
        Record(std::move(step));
        continue;
      }
      std::string missing = Missing(StepOperations(spec));
      if (!missing.empty()) {
        stop = true;
        stop_reason = "waits for " + missing + " (not implemented by this endpoint yet)";
        step.outcome = options_.strict ? Outcome::kFailed : Outcome::kSkipped;
        step.skip_reason = stop_reason;
        if (options_.strict) step.failures.push_back(stop_reason);
        Record(std::move(step));
        continue;
      }
      Steady::time_point start = Steady::now();
      switch (spec.kind) {
        case StepKind::kCall: RunCall(spec, step); break;
        case StepKind::kWait: RunWait(spec, step); break;
        case StepKind::kEncryptedAtRest: RunAtRest(spec, step); break;
        case StepKind::kDecryptsTo: RunDecrypt(spec, step); break;
      }
      step.duration_ms = MillisSince(start);
      if (step.outcome != Outcome::kSkipped) {
        step.outcome = step.failures.empty() ? Outcome::kPassed : Outcome::kFailed;
      } else if (options_.strict) {
        step.outcome = Outcome::kFailed;
        step.failures.push_back(step.skip_reason);
      }
      Record(std::move(step));
    }
  }

  static std::string ActionLabel(const Step& s) {
    switch (s.kind) {
      case StepKind::kCall: return s.service + ":" + s.operation;
      case StepKind::kWait:
        return s.wait.what == WaitSpec::For::kJobRun ? "wait for the job run (glue:GetJobRun)"
                                                     : "wait for the crawler (glue:GetCrawler)";
      case StepKind::kEncryptedAtRest: return "encrypted at rest (gee inspection)";
      case StepKind::kDecryptsTo: return "decrypts to (kms:Decrypt)";
    }
    return "";
  }

  bool Act(const Step& spec, StepResult& step, harness::Credentials* credentials) {
    auto c = CredentialsFor(spec.as, &step.as, &step.decisions);
    if (!c.ok()) {
      step.failures.push_back("cannot act as " + spec.as + ": " + c.error().message);
      return false;
    }
    *credentials = std::move(c).value();
    return true;
  }

  void RunCall(const Step& spec, StepResult& step) {
    harness::Credentials credentials;
    if (!Act(spec, step, &credentials)) return;
    auto input = Substitute(spec.input, context_);
    if (!input.ok()) {
      step.failures.push_back(input.error().message);
      return;
    }
    auto r = api_.Call(credentials, spec.service, spec.operation, *input);
    if (!r.ok()) {
      step.failures.push_back("could not call " + step.action + ": " + r.error().message);
      return;
    }
    step.request_id = r->request_id;
    step.decisions.insert(step.decisions.end(), r->decisions.begin(), r->decisions.end());
    if (Evaluate(spec.expect, *r, step)) CheckAndSave(spec, r->output, step);
  }

  void RunWait(const Step& spec, StepResult& step) {
    harness::Credentials credentials;
    if (!Act(spec, step, &credentials)) return;
    const WaitSpec& w = spec.wait;
    bool job = w.what == WaitSpec::For::kJobRun;
    std::string until = w.until;
    std::optional<std::string> last_crawl = w.last_crawl;
    bool inverted = false;
    if (options_.invert_expectations) {
      if (job && IsFailureState(until)) {
        until = "SUCCEEDED";
        inverted = true;
      }
      if (!job && last_crawl && IsFailureState(*last_crawl)) {
        last_crawl = "SUCCEEDED";
        inverted = true;
      }
    }
    json input;
    if (job) {
      auto name = Substitute(w.job, context_);
      auto run_id = Substitute(w.run_id, context_);
      if (!name.ok() || !run_id.ok()) {
        step.failures.push_back(!name.ok() ? name.error().message : run_id.error().message);
        return;
      }
      input = {{"JobName", *name}, {"RunId", *run_id}};
    } else {
      auto name = Substitute(w.crawler, context_);
      if (!name.ok()) {
        step.failures.push_back(name.error().message);
        return;
      }
      input = {{"Name", *name}};
    }
    int attempts = w.attempts.value_or(options_.poll_attempts);
    std::chrono::milliseconds interval =
        w.interval_ms ? std::chrono::milliseconds(*w.interval_ms) : options_.poll_interval;
    std::string wanted = until + (last_crawl ? " with last crawl " + *last_crawl : "");
    step.expected = "state " + wanted + (inverted ? " (inverted)" : "");
    std::string state;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      auto r = api_.Call(credentials, "glue", job ? "GetJobRun" : "GetCrawler", input);
      if (!r.ok()) {
        step.failures.push_back("could not poll: " + r.error().message);
        return;
      }
      step.request_id = r->request_id;
      if (attempt == 1) step.decisions = r->decisions;
      if (!r->ok) {
        // An error while polling is the step's answer.
        Evaluate(spec.expect, *r, step);
        return;
      }
      const json& out = r->output;
      const json* s = MemberAt(out, job ? "JobRun.JobRunState" : "Crawler.State");
      state = s != nullptr && s->is_string() ? s->get<std::string>() : "";
      std::string detail;
      if (job) {
        const json* message = MemberAt(out, "JobRun.ErrorMessage");
        if (message != nullptr && message->is_string()) detail = ": " + message->get<std::string>();
      }
      std::string crawl_status;
      if (!job) {
        const json* lc = MemberAt(out, "Crawler.LastCrawl.Status");
        if (lc != nullptr && lc->is_string()) crawl_status = lc->get<std::string>();
        const json* message = MemberAt(out, "Crawler.LastCrawl.ErrorMessage");
        if (message != nullptr && message->is_string()) detail = ": " + message->get<std::string>();
      }
      bool reached = state == until && (!last_crawl || crawl_status == *last_crawl);
      if (reached) {
        step.actual = "state " + state + (crawl_status.empty() ? "" : " (last crawl " + crawl_status + ")") + detail +
                      " after " + std::to_string(attempt) + " poll(s)";
        step.notes.push_back("reached " + wanted + " after " + std::to_string(attempt) + " poll(s)");
        if (Evaluate(spec.expect, *r, step)) CheckAndSave(spec, out, step);
        return;
      }
      bool settled = job ? (IsFailureState(state) || state == "SUCCEEDED")
                         : (state == "READY" && !crawl_status.empty() && last_crawl.has_value());
      if (settled) {
        step.actual = "state " + state + (crawl_status.empty() ? "" : " (last crawl " + crawl_status + ")") + detail;
        step.failures.push_back((job ? "the job run ended " : "the crawler ended ") + state +
                                (crawl_status.empty() ? "" : " with last crawl " + crawl_status) + detail +
                                " (expected " + wanted + ")");
        return;
      }
      if (attempt < attempts) Sleep(interval);
    }
    step.actual = "state " + (state.empty() ? std::string("unknown") : state);
    step.failures.push_back("still " + (state.empty() ? std::string("in an unknown state") : state) + " after " +
                            std::to_string(attempts) + " poll(s) " + std::to_string(interval.count()) +
                            " ms apart (expected " + wanted + ")");
  }

  void Sleep(std::chrono::milliseconds d) {
    if (options_.sleep) {
      options_.sleep(d);
    } else if (d.count() > 0) {
      std::this_thread::sleep_for(d);
    }
  }

  void RunAtRest(const Step& spec, StepResult& step) {
    step.as = "root";
    if (!target_.is_gee()) {
      step.outcome = Outcome::kSkipped;
      step.skip_reason = "needs gee's at-rest inspection (GET /_gee/inspect); this endpoint is not gee";
      return;
    }
    auto text = [&](const json& v, std::string* out) -> bool {
      if (v.is_null()) return true;
      auto r = Substitute(v, context_);
      if (!r.ok()) {
        step.failures.push_back(r.error().message);
        return false;
      }
      if (!r->is_string()) {
        step.failures.push_back("expected text, got " + Show(*r));
        return false;
      }
      *out = r->get<std::string>();
      return true;
    };
    std::string kind, id, plaintext, key, scheme;
    if (!text(spec.at_rest.kind, &kind) || !text(spec.at_rest.id, &id) || !text(spec.at_rest.plaintext, &plaintext) ||
        !text(spec.at_rest.key, &key) || !text(spec.at_rest.scheme, &scheme)) {
      return;
    }
    step.action = "encrypted at rest: " + kind + " " + id;
    if (!target_.HasInspectKind(kind)) {
      step.outcome = Outcome::kSkipped;
      step.skip_reason = "gee cannot inspect \"" + kind + "\" yet (no inspector registered)";
      return;
    }
    step.expected = "stored encrypted" + (key.empty() ? std::string() : " under " + key) +
                    (scheme.empty() ? std::string() : " (" + scheme + ")") + ", without the plaintext";
    std::string target = "/_gee/inspect?kind=" + sigv4::UriEncode(kind, false) + "&id=" + sigv4::UriEncode(id, false) +
                         "&probe=" + sigv4::UriEncode(crypto::Base64Encode(plaintext), false);
    auto r = api_.Operational(target_.root(), "GET", target);
    if (!r.ok()) {
      step.failures.push_back("could not inspect: " + r.error().message);
      return;
    }
    json body = json::parse(r->body, nullptr, false);
    if (r->status != 200) {
      std::string error = body.is_object() ? body.value("__type", "") + ": " + body.value("message", "") : r->body;
      step.actual = "inspection failed: " + error;
      step.failures.push_back("the inspection of " + kind + " " + id + " failed: " + error);
      return;
    }
    if (!body.is_object() || !body.contains("records") || !body["records"].is_array()) {
      step.failures.push_back("the inspection answer has no records");
      return;
    }
    const json& records = body["records"];
    if (records.empty()) {
      step.actual = "nothing stored";
      step.failures.push_back("gee stores nothing for " + kind + " " + id);
      return;
    }
    bool key_found = key.empty();
    bool scheme_found = scheme.empty();
    std::vector<std::string> keys;
    for (const json& rec : records) {
      std::string part = rec.value("part", "");
      std::string rec_scheme = rec.value("scheme", "");
      std::string by = rec.value("protected_by", "");
      bool probe_found = rec.value("probe_found", false);
      size_t bytes = rec.value("stored_bytes", size_t{0});
      step.notes.push_back(part + ": " + rec_scheme + (by.empty() ? "" : " under " + by) + ", " +
                           std::to_string(bytes) + " stored bytes, plaintext " +
                           (probe_found ? "FOUND" : "not found"));
      keys.push_back(by);
      if (probe_found) step.failures.push_back("the stored bytes of " + part + " contain the plaintext");
      if (rec_scheme == "none" || rec_scheme.empty()) step.failures.push_back(part + " is stored unencrypted");
      if (!key.empty() && by == key) key_found = true;
      if (!scheme.empty() && rec_scheme == scheme) scheme_found = true;
    }
    if (!key_found) {
      std::string list;
      for (const auto& k : keys) list += (list.empty() ? "" : ", ") + (k.empty() ? std::string("(none)") : k);
      step.failures.push_back("no stored part is protected by " + key + " (protected by: " + list + ")");
    }
    if (!scheme_found) step.failures.push_back("no stored part uses " + scheme);
    std::string summary;
    for (const json& rec : records) {
      if (!summary.empty()) summary += "; ";
      summary += rec.value("part", "") + " " + rec.value("scheme", "") + " under " + rec.value("protected_by", "");
    }
    step.actual = "stored " + summary;
  }

  void RunDecrypt(const Step& spec, StepResult& step) {
    harness::Credentials credentials;
    if (!Act(spec, step, &credentials)) return;
    auto ciphertext = Substitute(spec.decrypt.ciphertext, context_);
    auto plaintext = Substitute(spec.decrypt.plaintext, context_);
    if (!ciphertext.ok() || !plaintext.ok()) {
      step.failures.push_back(!ciphertext.ok() ? ciphertext.error().message : plaintext.error().message);
      return;
    }
    if (!ciphertext->is_string() || !plaintext->is_string()) {
      step.failures.push_back("\"ciphertext\" and \"plaintext\" must resolve to text");
      return;
    }
    json input = {{"CiphertextBlob", *ciphertext}};
    if (!spec.decrypt.encryption_context.is_null()) {
      auto context = Substitute(spec.decrypt.encryption_context, context_);
      if (!context.ok()) {
        step.failures.push_back(context.error().message);
        return;
      }
      input["EncryptionContext"] = *context;
    }
    if (!spec.decrypt.key_id.is_null()) {
      auto key = Substitute(spec.decrypt.key_id, context_);
      if (!key.ok()) {
        step.failures.push_back(key.error().message);
        return;
      }
      input["KeyId"] = *key;
    }
    auto r = api_.Call(credentials, "kms", "Decrypt", input);
    if (!r.ok()) {
      step.failures.push_back("could not call kms:Decrypt: " + r.error().message);
      return;
    }
    step.request_id = r->request_id;
    step.decisions.insert(step.decisions.end(), r->decisions.begin(), r->decisions.end());
    bool inverted = options_.invert_expectations && !spec.expect.success;
    if (!Evaluate(spec.expect, *r, step)) return;
    std::string want = plaintext->get<std::string>();
    step.expected = "plaintext \"" + want + "\"" + (inverted ? " (inverted from " + spec.expect.error + ")" : "");
    const json* got = MemberAt(r->output, "Plaintext");
    if (got == nullptr || !got->is_string()) {
      step.failures.push_back("kms:Decrypt returned no Plaintext");
      return;
    }
    auto decoded = crypto::Base64Decode(got->get<std::string>());
    if (!decoded.ok()) {
      step.failures.push_back("kms:Decrypt returned a Plaintext that is not base64");
      return;
    }
    const json* key = MemberAt(r->output, "KeyId");
    step.actual = "plaintext \"" + *decoded + "\"" +
                  (key != nullptr && key->is_string() ? " under " + key->get<std::string>() : std::string());
    if (*decoded != want) step.failures.push_back("decrypted to \"" + *decoded + "\", expected \"" + want + "\"");
    CheckAndSave(spec, r->output, step);
  }

  Target& target_;
  const RunnerOptions& options_;
  ProgressListener* listener_;
  const Scenario& scenario_;
  Context context_;
  harness::ApiClient api_;
  ScenarioResult result_;
};

}  // namespace

Runner::Runner(Target& target, RunnerOptions options, ProgressListener* listener)
    : target_(target), options_(std::move(options)), listener_(listener) {}

ScenarioResult Runner::Run(const Scenario& scenario) {
  std::string region = options_.region.empty() ? scenario.region : options_.region;
  Execution execution(target_, options_, listener_, scenario, region);
  ScenarioResult result = execution.Run(&account_);
  if (listener_ != nullptr) listener_->OnScenarioDone(result);
  return result;
}

}  // namespace gee::scenario

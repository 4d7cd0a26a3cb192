#include "harness/scenario/scenario.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "harness/scenario/json_path.h"
#include "harness/scenario/template.h"
#include "protocol/model.h"

namespace gee::scenario {

const UserDecl* Scenario::FindUser(std::string_view name) const {
  for (const auto& u : users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

const RoleDecl* Scenario::FindRole(std::string_view name) const {
  for (const auto& r : roles) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const KeyDecl* Scenario::FindKey(std::string_view name) const {
  for (const auto& k : keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::set<std::string> kBuiltins = {"account", "region", "scenario", "partition", "now", "now_ms"};

// Edit distance, for "did you mean" hints.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& c : candidates) {
    size_t d = Distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

class Loader {
 public:
  Loader(const LocatedJson& source, std::string directory, std::vector<Diagnostic>* diagnostics)
      : source_(source), directory_(std::move(directory)), diagnostics_(diagnostics) {}

  Scenario Load() {
    Scenario s;
    s.file = source_.file();
    const json& root = source_.root();
    if (!root.is_object()) {
      Error("", "a scenario is a JSON object");
      return s;
    }
    Members(root, "", {"name", "description", "region", "tags", "variables", "principals", "keys", "steps"});
    s.name = String(root, "", "name", true);
    s.description = String(root, "", "description", false);
    if (root.contains("region")) s.region = String(root, "", "region", true);
    if (auto it = root.find("tags"); it != root.end()) {
      if (!it->is_array()) {
        Error("/tags", "\"tags\" must be an array of strings");
      } else {
        for (size_t i = 0; i < it->size(); ++i) {
          if (!(*it)[i].is_string()) {
            Error("/tags/" + std::to_string(i), "a tag must be a string");
          } else {
            s.tags.push_back((*it)[i]);
          }
        }
      }
    }
    if (auto it = root.find("variables"); it != root.end()) {
      if (!it->is_object()) {
        Error("/variables", "\"variables\" must be an object of name: value");
      } else {
        // In file order (a variable may use the ones above it).
        std::vector<std::pair<int, std::string>> order;
        for (const auto& [k, v] : it->items()) order.emplace_back(Line("/variables/" + Esc(k)), k);
        std::sort(order.begin(), order.end());
        for (const auto& [line, k] : order) {
          if (!ValidName(k)) {
            Error("/variables/" + Esc(k), "variable names are letters, digits, '_' and '-': \"" + k + "\"");
          }
          if (kBuiltins.count(k)) Error("/variables/" + Esc(k), "\"" + k + "\" is a built-in variable");
          s.variables.emplace_back(k, (*it)[k]);
        }
      }
    }
    if (auto it = root.find("principals"); it != root.end()) LoadPrincipals(*it, s);
    if (auto it = root.find("keys"); it != root.end()) LoadKeys(*it, s);
    if (auto it = root.find("steps"); it != root.end()) {
      if (!it->is_array()) {
        Error("/steps", "\"steps\" must be an array");
      } else {
        for (size_t i = 0; i < it->size(); ++i) {
          s.steps.push_back(LoadStep((*it)[i], "/steps/" + std::to_string(i), static_cast<int>(i) + 1));
        }
      }
    } else {
      Error("", "a scenario needs \"steps\"");
    }
    LoadStepDocuments(s);
    CheckReferences(s);
    return s;
  }

 private:
  static std::string Esc(std::string_view token) { return EscapePointerToken(token); }
  int Line(const std::string& pointer) const { return source_.LineOf(pointer); }

  void Error(const std::string& pointer, std::string message) {
    diagnostics_->push_back(Diagnostic{source_.file(), Line(pointer), std::move(message)});
  }
  void ErrorAt(int line, std::string message) {
    diagnostics_->push_back(Diagnostic{source_.file(), line, std::move(message)});
  }

  static bool ValidName(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    }
    return true;
  }

  // Reports members of `object` not in `allowed`.
  void Members(const json& object, const std::string& pointer, const std::vector<std::string>& allowed) {
    for (const auto& [k, v] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        Error(pointer + "/" + Esc(k), "unknown member \"" + k + "\"" + Suggest(k, allowed));
      }
    }
  }

  std::string String(const json& object, const std::string& pointer, const std::string& key, bool required) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) Error(pointer, "missing \"" + key + "\"");
      return "";
    }
    if (!it->is_string()) {
      Error(pointer + "/" + Esc(key), "\"" + key + "\" must be a string, not " + TypeName(*it));
      return "";
    }
    return it->get<std::string>();
  }

  std::optional<int> Int(const json& object, const std::string& pointer, const std::string& key) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (!it->is_number_integer()) {
      Error(pointer + "/" + Esc(key), "\"" + key + "\" must be an integer");
      return std::nullopt;
    }
    return it->get<int>();
  }

  bool Bool(const json& object, const std::string& pointer, const std::string& key, bool fallback) {
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_boolean()) {
      Error(pointer + "/" + Esc(key), "\"" + key + "\" must be true or false");
      return fallback;
    }
    return it->get<bool>();
  }

  // A policy reference: "path" or {"file": "path", "name": "..."}.
  std::optional<PolicyFile> Policy(const json& value, const std::string& pointer) {
    PolicyFile p;
    p.line = Line(pointer);
    if (value.is_string()) {
      p.path = value.get<std::string>();
    } else if (value.is_object()) {
      Members(value, pointer, {"file", "name"});
      p.path = String(value, pointer, "file", true);
      p.name = String(value, pointer, "name", false);
    } else {
      Error(pointer, "a policy is a file path or {\"file\": ..., \"name\": ...}");
      return std::nullopt;
    }
    if (p.path.empty()) return std::nullopt;
    fs::path resolved = fs::path(p.path).is_absolute() ? fs::path(p.path) : fs::path(directory_) / p.path;
    p.resolved_path = resolved.lexically_normal().string();
    if (p.name.empty()) p.name = fs::path(p.path).stem().string();
    std::ifstream in(p.resolved_path, std::ios::binary);
    if (!in) {
      Error(pointer, "cannot read policy file " + p.path + " (looked for " + p.resolved_path + ")");
      return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    Diagnostic syntax;
    auto parsed = LocatedJson::Parse(text.str(), p.resolved_path, &syntax);
    if (!parsed.ok()) {
      diagnostics_->push_back(syntax);
      ErrorAt(p.line, "policy file " + p.path + " is not valid JSON (see above)");
      return std::nullopt;
    }
    if (!parsed->root().is_object()) {
      Error(pointer, "policy file " + p.path + " must hold a JSON object");
      return std::nullopt;
    }
    p.document = parsed->root();
    p.source = std::make_shared<const LocatedJson>(std::move(parsed).value());
    return p;
  }

  void LoadPrincipals(const json& value, Scenario& s) {
    if (!value.is_object()) {
      Error("/principals", "\"principals\" must be an object with \"users\" and \"roles\"");
      return;
    }
    Members(value, "/principals", {"users", "roles"});
    std::set<std::string> names;
    if (auto it = value.find("users"); it != value.end()) {
      if (!it->is_array()) {
        Error("/principals/users", "\"users\" must be an array");
      } else {
        for (size_t i = 0; i < it->size(); ++i) {
          std::string p = "/principals/users/" + std::to_string(i);
          const json& u = (*it)[i];
          if (!u.is_object()) {
            Error(p, "a user is an object");
            continue;
          }
          Members(u, p, {"name", "policies"});
          UserDecl d;
          d.line = Line(p);
          d.name = String(u, p, "name", true);
          if (!d.name.empty() && !names.insert("user:" + d.name).second) {
            Error(p, "user \"" + d.name + "\" is declared twice");
          }
          d.policies = Policies(u, p);
          s.users.push_back(std::move(d));
        }
      }
    }
    if (auto it = value.find("roles"); it != value.end()) {
      if (!it->is_array()) {
        Error("/principals/roles", "\"roles\" must be an array");
      } else {
        for (size_t i = 0; i < it->size(); ++i) {
          std::string p = "/principals/roles/" + std::to_string(i);
          const json& r = (*it)[i];
          if (!r.is_object()) {
            Error(p, "a role is an object");
            continue;
          }
          Members(r, p, {"name", "trust_policy", "policies", "assumed_by", "session_name"});
          RoleDecl d;
          d.line = Line(p);
          d.name = String(r, p, "name", true);
          if (!d.name.empty() && !names.insert("role:" + d.name).second) {
            Error(p, "role \"" + d.name + "\" is declared twice");
          }
          if (auto t = r.find("trust_policy"); t != r.end()) {
            if (auto policy = Policy(*t, p + "/trust_policy")) d.trust_policy = std::move(*policy);
          } else {
            Error(p, "missing \"trust_policy\" (the role's AssumeRolePolicyDocument)");
          }
          d.policies = Policies(r, p);
          d.assumed_by = String(r, p, "assumed_by", false);
          if (!d.assumed_by.empty() && d.assumed_by.rfind("user:", 0) != 0) {
            Error(p + "/assumed_by", "\"assumed_by\" must be \"user:NAME\"");
          }
          if (r.contains("session_name")) d.session_name = String(r, p, "session_name", true);
          s.roles.push_back(std::move(d));
        }
      }
    }
  }

  std::vector<PolicyFile> Policies(const json& owner, const std::string& pointer) {
    std::vector<PolicyFile> out;
    auto it = owner.find("policies");
    if (it == owner.end()) return out;
    if (!it->is_array()) {
      Error(pointer + "/policies", "\"policies\" must be an array of policy files");
      return out;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < it->size(); ++i) {
      std::string p = pointer + "/policies/" + std::to_string(i);
      if (auto policy = Policy((*it)[i], p)) {
        if (!names.insert(policy->name).second) {
          Error(p, "two policies named \"" + policy->name + "\" (give one a \"name\")");
        }
        out.push_back(std::move(*policy));
      }
    }
    return out;
  }

  void LoadKeys(const json& value, Scenario& s) {
    if (!value.is_array()) {
      Error("/keys", "\"keys\" must be an array");
      return;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string p = "/keys/" + std::to_string(i);
      const json& k = value[i];
      if (!k.is_object()) {
        Error(p, "a key is an object");
        continue;
      }
      Members(k, p, {"name", "description", "key_spec", "key_usage", "policy",
                     "bypass_policy_lockout_safety_check", "aliases", "enabled"});
      KeyDecl d;
      d.line = Line(p);
      d.name = String(k, p, "name", true);
      if (!d.name.empty() && !ValidName(d.name)) {
        Error(p + "/name", "key names are letters, digits, '_' and '-'");
      }
      if (!d.name.empty() && !names.insert(d.name).second) Error(p, "key \"" + d.name + "\" is declared twice");
      d.description = String(k, p, "description", false);
      if (k.contains("key_spec")) d.key_spec = String(k, p, "key_spec", true);
      if (k.contains("key_usage")) d.key_usage = String(k, p, "key_usage", true);
      if (auto it = k.find("policy"); it != k.end()) d.policy = Policy(*it, p + "/policy");
      d.bypass_policy_lockout_safety_check = Bool(k, p, "bypass_policy_lockout_safety_check", false);
      d.enabled = Bool(k, p, "enabled", true);
      if (auto it = k.find("aliases"); it != k.end()) {
        if (!it->is_array()) {
          Error(p + "/aliases", "\"aliases\" must be an array of \"alias/NAME\"");
        } else {
          for (size_t j = 0; j < it->size(); ++j) {
            const json& a = (*it)[j];
            if (!a.is_string() || a.get<std::string>().rfind("alias/", 0) != 0) {
              Error(p + "/aliases/" + std::to_string(j), "an alias is a string \"alias/NAME\"");
            } else {
              d.aliases.push_back(a);
            }
          }
        }
      }
      s.keys.push_back(std::move(d));
    }
  }

  Step LoadStep(const json& value, const std::string& p, int index) {
    Step step;
    step.index = index;
    step.line = Line(p);
    if (!value.is_object()) {
      Error(p, "a step is an object");
      return step;
    }
    Members(value, p, {"name", "guide_step", "explain", "as", "call", "input", "wait", "encrypted_at_rest",
                       "decrypts_to", "expect", "save"});
    step.name = String(value, p, "name", true);
    if (auto g = Int(value, p, "guide_step")) {
      if (*g < 1 || *g > 11) Error(p + "/guide_step", "\"guide_step\" is a step of the guide, 1 to 11");
      step.guide_step = g;
    }
    step.explain = String(value, p, "explain", false);
    if (value.contains("as")) step.as = String(value, p, "as", true);

    int actions = 0;
    for (const char* a : {"call", "wait", "encrypted_at_rest", "decrypts_to"}) actions += value.contains(a) ? 1 : 0;
    if (actions != 1) {
      Error(p, "a step has exactly one of \"call\", \"wait\", \"encrypted_at_rest\", \"decrypts_to\"");
    }
    if (value.contains("input") && !value.contains("call")) Error(p + "/input", "\"input\" belongs to a \"call\" step");
    if (auto it = value.find("call"); it != value.end()) {
      step.kind = StepKind::kCall;
      LoadCall(value, *it, p, step);
    } else if (auto w = value.find("wait"); w != value.end()) {
      step.kind = StepKind::kWait;
      LoadWait(*w, p + "/wait", step);
    } else if (auto e = value.find("encrypted_at_rest"); e != value.end()) {
      step.kind = StepKind::kEncryptedAtRest;
      LoadAtRest(*e, p + "/encrypted_at_rest", step);
    } else if (auto d = value.find("decrypts_to"); d != value.end()) {
      step.kind = StepKind::kDecryptsTo;
      LoadDecrypt(*d, p + "/decrypts_to", step);
    }
    if (auto it = value.find("expect"); it != value.end()) step.expect = LoadExpect(*it, p + "/expect");
    if (step.kind == StepKind::kEncryptedAtRest && !step.expect.success) {
      Error(p + "/expect", "an \"encrypted_at_rest\" step cannot expect an error");
    }
    if (auto it = value.find("save"); it != value.end()) {
      if (!it->is_object()) {
        Error(p + "/save", "\"save\" maps variable names to JSON paths");
      } else {
        for (const auto& [name, path] : it->items()) {
          std::string sp = p + "/save/" + Esc(name);
          if (!ValidName(name)) Error(sp, "variable names are letters, digits, '_' and '-': \"" + name + "\"");
          if (kBuiltins.count(name)) Error(sp, "\"" + name + "\" is a built-in variable");
          if (!path.is_string()) {
            Error(sp, "a saved value is named by a JSON path string (\"$.Name\")");
            continue;
          }
          if (auto parsed = JsonPath::Parse(path.get<std::string>()); !parsed.ok()) {
            Error(sp, parsed.error().message);
          }
          step.save.emplace_back(name, path.get<std::string>());
        }
        if (!step.expect.success) Error(p + "/save", "a step that expects an error has no output to save");
      }
    }
    return step;
  }

  void LoadCall(const json& step_json, const json& call, const std::string& p, Step& step) {
    if (!call.is_string()) {
      Error(p + "/call", "\"call\" is \"service:Operation\", e.g. \"kms:Encrypt\"");
      return;
    }
    std::string text = call.get<std::string>();
    auto colon = text.find(':');
    if (colon == std::string::npos) {
      Error(p + "/call", "\"call\" is \"service:Operation\", e.g. \"kms:Encrypt\", not \"" + text + "\"");
      return;
    }
    step.service = text.substr(0, colon);
    step.operation = text.substr(colon + 1);
    auto model = protocol::ServiceModel::Get(step.service);
    if (!model.ok()) {
      Error(p + "/call", "unknown service \"" + step.service + "\" (kms, glue, logs, iam, sts, s3)");
      return;
    }
    const protocol::Operation* op = (*model)->FindOperation(step.operation);
    if (op == nullptr) {
      std::vector<std::string> names;
      for (const auto* o : (*model)->operations()) names.push_back(o->name);
      Error(p + "/call", step.service + " has no operation \"" + step.operation + "\"" + Suggest(step.operation, names));
      return;
    }
    if (auto it = step_json.find("input"); it != step_json.end()) {
      if (!it->is_object()) {
        Error(p + "/input", "\"input\" must be an object");
        return;
      }
      step.input = *it;
      if (op->input.shape == nullptr) {
        if (!it->empty()) Error(p + "/input", step.service + ":" + step.operation + " takes no input");
      } else {
        CheckShape(*op->input.shape, *it, p + "/input", step.service == "s3", 0);
      }
    }
  }

  // Member names of `value` against `shape` (types are checked when the call is made).
  void CheckShape(const protocol::Shape& shape, const json& value, const std::string& p, bool rest, int depth) {
    if (depth > 20) return;
    using protocol::ShapeType;
    if (value.is_string()) return;  // a whole-value ${...} reference, or a scalar checked later
    switch (shape.type) {
      case ShapeType::kStructure: {
        if (shape.document) return;
        if (!value.is_object()) {
          Error(p, "must be an object (shape " + shape.name + ")");
          return;
        }
        std::vector<std::string> names;
        for (const auto& m : shape.members) names.push_back(m.name);
        for (const auto& [k, v] : value.items()) {
          const protocol::MemberRef* m = shape.FindMember(k);
          if (m == nullptr) {
            Error(p + "/" + Esc(k), "shape " + shape.name + " has no member \"" + k + "\"" + Suggest(k, names));
            continue;
          }
          if (rest && m->shape->type == ShapeType::kBlob && v.is_object()) continue;  // {"base64": ...}
          CheckShape(*m->shape, v, p + "/" + Esc(k), rest, depth + 1);
        }
        return;
      }
      case ShapeType::kList:
        if (!value.is_array()) {
          Error(p, "must be an array (shape " + shape.name + ")");
          return;
        }
        for (size_t i = 0; i < value.size(); ++i) {
          CheckShape(*shape.member.shape, value[i], p + "/" + std::to_string(i), rest, depth + 1);
        }
        return;
      case ShapeType::kMap:
        if (!value.is_object()) {
          Error(p, "must be an object (map shape " + shape.name + ")");
          return;
        }
        for (const auto& [k, v] : value.items()) {
          CheckShape(*shape.value.shape, v, p + "/" + Esc(k), rest, depth + 1);
        }
        return;
      default:
        if (value.is_object() || value.is_array()) Error(p, "must be a single value (shape " + shape.name + ")");
        return;
    }
  }

  void LoadWait(const json& w, const std::string& p, Step& step) {
    if (!w.is_object()) {
      Error(p, "\"wait\" is {\"job\", \"run_id\", \"until\"} or {\"crawler\", \"until\"}");
      return;
    }
    Members(w, p, {"job", "run_id", "crawler", "until", "last_crawl", "attempts", "interval_ms"});
    if (w.contains("crawler")) {
      step.wait.what = WaitSpec::For::kCrawler;
      step.wait.crawler = w["crawler"];
      if (w.contains("job") || w.contains("run_id")) Error(p, "wait for a job run or for a crawler, not both");
      step.wait.until = w.contains("until") ? String(w, p, "until", true) : "READY";
      if (step.wait.until != "READY" && step.wait.until != "RUNNING" && step.wait.until != "STOPPING") {
        Error(p + "/until", "a crawler's state is READY, RUNNING or STOPPING");
      }
      if (w.contains("last_crawl")) {
        step.wait.last_crawl = String(w, p, "last_crawl", true);
        static const std::vector<std::string> kStatus = {"SUCCEEDED", "CANCELLED", "FAILED"};
        if (std::find(kStatus.begin(), kStatus.end(), *step.wait.last_crawl) == kStatus.end()) {
          Error(p + "/last_crawl", "LastCrawl.Status is SUCCEEDED, CANCELLED or FAILED");
        }
      }
    } else {
      step.wait.what = WaitSpec::For::kJobRun;
      if (!w.contains("job")) Error(p, "missing \"job\" (the job name)");
      if (!w.contains("run_id")) Error(p, "missing \"run_id\" (e.g. \"${run_id}\" saved from glue:StartJobRun)");
      step.wait.job = w.value("job", json());
      step.wait.run_id = w.value("run_id", json());
      step.wait.until = String(w, p, "until", true);
      static const std::vector<std::string> kStates = {"STARTING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED",
                                                       "FAILED", "TIMEOUT", "ERROR", "WAITING", "EXPIRED"};
      if (!step.wait.until.empty() &&
          std::find(kStates.begin(), kStates.end(), step.wait.until) == kStates.end()) {
        Error(p + "/until", "unknown job run state \"" + step.wait.until + "\"" + Suggest(step.wait.until, kStates));
      }
      if (w.contains("last_crawl")) Error(p + "/last_crawl", "\"last_crawl\" is for crawlers");
    }
    step.wait.attempts = Int(w, p, "attempts");
    if (step.wait.attempts && *step.wait.attempts < 1) Error(p + "/attempts", "\"attempts\" must be at least 1");
    step.wait.interval_ms = Int(w, p, "interval_ms");
    if (step.wait.interval_ms && *step.wait.interval_ms < 0) Error(p + "/interval_ms", "\"interval_ms\" must be >= 0");
  }

  void LoadAtRest(const json& e, const std::string& p, Step& step) {
    if (!e.is_object()) {
      Error(p, "\"encrypted_at_rest\" is {\"kind\", \"id\", \"plaintext\", \"key\"}");
      return;
    }
    Members(e, p, {"kind", "id", "plaintext", "key", "scheme"});
    static const std::vector<std::string> kKinds = {"s3-object", "log-events", "catalog-database",
                                                    "catalog-table", "catalog-connection",
                                                    "connection-password", "job-bookmark", "kms-key"};
    if (!e.contains("kind")) {
      Error(p, "missing \"kind\" (" + std::string("s3-object, log-events, catalog-database, catalog-table, "
                                                  "catalog-connection, connection-password, job-bookmark)"));
    } else if (!e["kind"].is_string()) {
      Error(p + "/kind", "\"kind\" must be a string");
    } else if (std::find(kKinds.begin(), kKinds.end(), e["kind"].get<std::string>()) == kKinds.end()) {
      Error(p + "/kind", "unknown inspection kind \"" + e["kind"].get<std::string>() + "\"" +
                             Suggest(e["kind"].get<std::string>(), kKinds));
    }
    if (!e.contains("id")) Error(p, "missing \"id\" (the stored item, e.g. \"bucket/key\")");
    if (!e.contains("plaintext")) Error(p, "missing \"plaintext\" (text that must not be stored as is)");
    step.at_rest.kind = e.value("kind", json());
    step.at_rest.id = e.value("id", json());
    step.at_rest.plaintext = e.value("plaintext", json());
    step.at_rest.key = e.value("key", json());
    step.at_rest.scheme = e.value("scheme", json());
  }

  void LoadDecrypt(const json& d, const std::string& p, Step& step) {
    if (!d.is_object()) {
      Error(p, "\"decrypts_to\" is {\"ciphertext\", \"plaintext\"}");
      return;
    }
    Members(d, p, {"ciphertext", "plaintext", "encryption_context", "key_id"});
    if (!d.contains("ciphertext")) Error(p, "missing \"ciphertext\" (base64 KMS ciphertext blob)");
    if (!d.contains("plaintext")) Error(p, "missing \"plaintext\" (the expected text)");
    step.decrypt.ciphertext = d.value("ciphertext", json());
    step.decrypt.plaintext = d.value("plaintext", json());
    step.decrypt.encryption_context = d.value("encryption_context", json());
    step.decrypt.key_id = d.value("key_id", json());
    if (!step.decrypt.encryption_context.is_null() && !step.decrypt.encryption_context.is_object() &&
        !step.decrypt.encryption_context.is_string()) {
      Error(p + "/encryption_context", "\"encryption_context\" must be an object");
    }
  }

  Expectation LoadExpect(const json& e, const std::string& p) {
    Expectation x;
    x.line = Line(p);
    if (e.is_string() && e == "success") return x;
    if (!e.is_object()) {
      Error(p, "\"expect\" is \"success\" or an object");
      return x;
    }
    Members(e, p, {"error", "message", "message_contains", "message_matches", "status", "output"});
    if (e.contains("error")) {
      x.success = false;
      x.error = String(e, p, "error", true);
    }
    for (const char* m : {"message", "message_contains", "message_matches"}) {
      if (!e.contains(m)) continue;
      if (!e.contains("error")) Error(p + "/" + m, std::string("\"") + m + "\" needs \"error\" (the AWS error code)");
      std::string v = String(e, p, m, true);
      if (std::string(m) == "message") x.message = v;
      if (std::string(m) == "message_contains") x.message_contains = v;
      if (std::string(m) == "message_matches") {
        x.message_matches = v;
        CheckRegex(v, p + "/message_matches");
      }
    }
    x.status = Int(e, p, "status");
    if (auto it = e.find("output"); it != e.end()) {
      if (e.contains("error")) Error(p + "/output", "a step that expects an error has no output");
      x.output = LoadOutputChecks(*it, p + "/output");
    }
    return x;
  }

  void CheckRegex(const std::string& pattern, const std::string& p) {
    // References are substituted first; check the pattern only when it has none.
    if (pattern.find("${") != std::string::npos) return;
    try {
      std::regex re(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      Error(p, std::string("not a valid regular expression: ") + e.what());
    }
  }

  std::vector<OutputCheck> LoadOutputChecks(const json& value, const std::string& p) {
    std::vector<OutputCheck> out;
    auto path_ok = [&](const std::string& path, const std::string& pointer) {
      auto parsed = JsonPath::Parse(path);
      if (!parsed.ok()) Error(pointer, parsed.error().message);
    };
    if (value.is_object()) {
      // Shorthand: {"$.path": expected} means equals.
      for (const auto& [path, expected] : value.items()) {
        std::string cp = p + "/" + Esc(path);
        path_ok(path, cp);
        out.push_back(OutputCheck{path, OutputCheck::Op::kEquals, expected, Line(cp), cp});
      }
      return out;
    }
    if (!value.is_array()) {
      Error(p, "\"output\" is an array of {\"path\", \"equals\"|\"exists\"|\"matches\"|\"contains\"|\"length\"}");
      return out;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      std::string cp = p + "/" + std::to_string(i);
      const json& c = value[i];
      if (!c.is_object()) {
        Error(cp, "an output check is an object");
        continue;
      }
      Members(c, cp, {"path", "equals", "exists", "matches", "contains", "length"});
      OutputCheck check;
      check.line = Line(cp);
      check.pointer = cp;
      check.path = String(c, cp, "path", true);
      if (!check.path.empty()) path_ok(check.path, cp + "/path");
      int ops = 0;
      if (c.contains("equals")) {
        ++ops;
        check.pointer = cp + "/equals";
        check.op = OutputCheck::Op::kEquals;
        check.value = c["equals"];
      }
      if (c.contains("exists")) {
        ++ops;
        check.pointer = cp + "/exists";
        check.op = OutputCheck::Op::kExists;
        if (!c["exists"].is_boolean()) Error(cp + "/exists", "\"exists\" must be true or false");
        check.value = c["exists"];
      }
      if (c.contains("matches")) {
        ++ops;
        check.pointer = cp + "/matches";
        check.op = OutputCheck::Op::kMatches;
        if (!c["matches"].is_string()) {
          Error(cp + "/matches", "\"matches\" must be a regular expression string");
        } else {
          CheckRegex(c["matches"], cp + "/matches");
        }
        check.value = c["matches"];
      }
      if (c.contains("contains")) {
        ++ops;
        check.pointer = cp + "/contains";
        check.op = OutputCheck::Op::kContains;
        check.value = c["contains"];
      }
      if (c.contains("length")) {
        ++ops;
        check.pointer = cp + "/length";
        check.op = OutputCheck::Op::kLength;
        if (!c["length"].is_number_integer()) Error(cp + "/length", "\"length\" must be an integer");
        check.value = c["length"];
      }
      if (ops != 1) Error(cp, "an output check has exactly one of equals, exists, matches, contains, length");
      out.push_back(std::move(check));
    }
    return out;
  }

  // Loads the policy files named by ${policy:PATH} in the steps.
  void LoadStepDocuments(Scenario& s) {
    for (size_t i = 0; i < s.steps.size(); ++i) {
      std::string p = "/steps/" + std::to_string(i);
      const json* step_json = nullptr;
      if (source_.root().contains("steps") && source_.root()["steps"].is_array() &&
          i < source_.root()["steps"].size()) {
        step_json = &source_.root()["steps"][i];
      }
      if (step_json == nullptr) continue;
      auto refs = FindReferences(*step_json);
      if (!refs.ok()) continue;  // reported by CheckReferences
      for (const Reference& r : *refs) {
        if (r.prefix != "policy" || s.documents.count(r.name)) continue;
        if (auto policy = Policy(json(r.name), p)) s.documents.emplace(r.name, std::move(*policy));
      }
    }
  }

  // --- references -------------------------------------------------------

  struct Scope {
    std::set<std::string> variables;  // declared + saved so far
  };

  // Checks the references in the strings and keys of `value` (at `pointer`
  // of `src`); problems are reported at the line of the string holding them.
  void CheckValueReferences(const json& value, const std::string& pointer, const LocatedJson& src,
                            const Scenario& s, const Scope& scope, const std::string& suffix, int depth = 0) {
    if (depth > 64) return;
    auto check_text = [&](const std::string& text, const std::string& at) {
      auto refs = FindReferences(json(text));
      if (!refs.ok()) {
        diagnostics_->push_back(Diagnostic{src.file(), src.LineOf(at), refs.error().message + suffix});
        return;
      }
      for (const Reference& r : *refs) {
        std::string problem = ReferenceProblem(r, s, scope);
        if (!problem.empty()) {
          diagnostics_->push_back(Diagnostic{src.file(), src.LineOf(at), "${" + r.text + "}: " + problem + suffix});
        }
      }
    };
    if (value.is_string()) {
      check_text(value.get<std::string>(), pointer);
    } else if (value.is_object()) {
      for (const auto& [k, v] : value.items()) {
        std::string child = pointer + "/" + Esc(k);
        check_text(k, child);
        CheckValueReferences(v, child, src, s, scope, suffix, depth + 1);
      }
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        CheckValueReferences(value[i], pointer + "/" + std::to_string(i), src, s, scope, suffix, depth + 1);
      }
    }
  }

  std::string ReferenceProblem(const Reference& r, const Scenario& s, const Scope& scope) {
    if (r.prefix == "key") {
      if (s.FindKey(r.name) == nullptr) return "no key named \"" + r.name + "\" is declared under \"keys\"";
      if (!r.member.empty() && r.member != "arn" && r.member != "id") {
        return "a key reference is ${key:NAME}, ${key:NAME.arn} or ${key:NAME.id}";
      }
    } else if (r.prefix == "user") {
      if (s.FindUser(r.name) == nullptr) return "no user named \"" + r.name + "\" is declared";
    } else if (r.prefix == "role" || r.prefix == "session") {
      if (s.FindRole(r.name) == nullptr) return "no role named \"" + r.name + "\" is declared";
    } else if (r.prefix == "policy") {
      if (!s.documents.count(r.name)) return "the policy file could not be loaded";
    } else if (r.prefix.empty()) {
      if (!kBuiltins.count(r.name) && !scope.variables.count(r.name)) {
        std::vector<std::string> known(scope.variables.begin(), scope.variables.end());
        known.insert(known.end(), kBuiltins.begin(), kBuiltins.end());
        return "\"" + r.name + "\" is not a declared variable nor saved by an earlier step" + Suggest(r.name, known);
      }
    }
    return "";
  }

  void CheckPolicyReferences(const PolicyFile& p, const Scenario& s, const Scope& scope) {
    if (!p.source) return;
    CheckValueReferences(p.document, "", *p.source, s, scope,
                         " (policy file used at " + source_.file() + ":" + std::to_string(p.line) + ")");
  }

  void CheckAs(const Step& step, const Scenario& s, const Scope& scope) {
    const std::string& as = step.as;
    if (as == "root") return;
    auto colon = as.find(':');
    std::string kind = as.substr(0, colon);
    std::string name = colon == std::string::npos ? "" : as.substr(colon + 1);
    int line = source_.LineOf("/steps/" + std::to_string(step.index - 1) + "/as");
    if (kind == "user" && !name.empty()) {
      if (s.FindUser(name) == nullptr) ErrorAt(line, "\"as\": no user named \"" + name + "\" is declared");
    } else if (kind == "role" && !name.empty()) {
      const RoleDecl* role = s.FindRole(name);
      if (role == nullptr) {
        ErrorAt(line, "\"as\": no role named \"" + name + "\" is declared");
      } else if (role->assumed_by.empty()) {
        ErrorAt(line, "\"as\": role \"" + name + "\" has no \"assumed_by\" user to assume it");
      }
    } else if (kind == "credentials" && !name.empty()) {
      if (!scope.variables.count(name)) {
        ErrorAt(line, "\"as\": \"" + name + "\" is not a variable saved by an earlier step");
      }
    } else {
      ErrorAt(line, "\"as\" is \"root\", \"user:NAME\", \"role:NAME\" or \"credentials:VARIABLE\", not \"" + as + "\"");
    }
  }

  void CheckReferences(const Scenario& s) {
    Scope scope;
    for (const auto& [name, value] : s.variables) {
      CheckValueReferences(value, "/variables/" + Esc(name), source_, s, scope, "");
      scope.variables.insert(name);
    }
    // Fixture documents may use everything declared (setup runs after the
    // variables are resolved).
    for (const auto& u : s.users) {
      for (const auto& p : u.policies) CheckPolicyReferences(p, s, scope);
    }
    for (const auto& r : s.roles) {
      if (!r.trust_policy.path.empty()) CheckPolicyReferences(r.trust_policy, s, scope);
      for (const auto& p : r.policies) CheckPolicyReferences(p, s, scope);
      if (!r.assumed_by.empty() && r.assumed_by.rfind("user:", 0) == 0 &&
          s.FindUser(r.assumed_by.substr(5)) == nullptr) {
        ErrorAt(r.line, "\"assumed_by\": no user named \"" + r.assumed_by.substr(5) + "\" is declared");
      }
    }
    for (const auto& k : s.keys) {
      if (k.policy) CheckPolicyReferences(*k.policy, s, scope);
    }
    // Step documents may use what is declared (not saved variables: checked at run time).
    for (const auto& [path, doc] : s.documents) CheckPolicyReferences(doc, s, scope);
    for (const Step& step : s.steps) {
      std::string p = "/steps/" + std::to_string(step.index - 1);
      CheckAs(step, s, scope);
      auto check = [&](const json& v, const std::string& pointer) {
        if (!v.is_null()) CheckValueReferences(v, pointer, source_, s, scope, "");
      };
      check(step.input, p + "/input");
      check(step.wait.job, p + "/wait/job");
      check(step.wait.run_id, p + "/wait/run_id");
      check(step.wait.crawler, p + "/wait/crawler");
      check(step.at_rest.kind, p + "/encrypted_at_rest/kind");
      check(step.at_rest.id, p + "/encrypted_at_rest/id");
      check(step.at_rest.plaintext, p + "/encrypted_at_rest/plaintext");
      check(step.at_rest.key, p + "/encrypted_at_rest/key");
      check(step.at_rest.scheme, p + "/encrypted_at_rest/scheme");
      check(step.decrypt.ciphertext, p + "/decrypts_to/ciphertext");
      check(step.decrypt.plaintext, p + "/decrypts_to/plaintext");
      check(step.decrypt.encryption_context, p + "/decrypts_to/encryption_context");
      check(step.decrypt.key_id, p + "/decrypts_to/key_id");
      if (step.expect.message) check(json(*step.expect.message), p + "/expect/message");
      if (step.expect.message_contains) check(json(*step.expect.message_contains), p + "/expect/message_contains");
      if (step.expect.message_matches) check(json(*step.expect.message_matches), p + "/expect/message_matches");
      for (const auto& c : step.expect.output) {
        if (!c.value.is_null()) CheckValueReferences(c.value, c.pointer, source_, s, scope, "");
      }
      for (const auto& [name, path] : step.save) scope.variables.insert(name);
    }
  }

  const LocatedJson& source_;
  std::string directory_;
  std::vector<Diagnostic>* diagnostics_;
};

}  // namespace

Result<Scenario> ParseScenario(std::string_view text, const std::string& file, const std::string& directory,
                               std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> local;
  std::vector<Diagnostic>* out = diagnostics != nullptr ? diagnostics : &local;
  size_t before = out->size();
  Diagnostic syntax;
  auto source = LocatedJson::Parse(text, file, &syntax);
  if (!source.ok()) {
    out->push_back(syntax);
    return AwsError("InvalidScenario", syntax.ToString(), 0);
  }
  Loader loader(*source, directory, out);
  Scenario scenario = loader.Load();
  if (out->size() > before) return AwsError("InvalidScenario", (*out)[before].ToString(), 0);
  return scenario;
}

Result<Scenario> LoadScenario(const std::string& path, std::vector<Diagnostic>* diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d{path, 0, "cannot read the file"};
    if (diagnostics != nullptr) diagnostics->push_back(d);
    return AwsError("InvalidScenario", d.ToString(), 0);
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string directory = fs::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  return ParseScenario(text.str(), path, directory, diagnostics);
}

std::vector<std::string> SetupOperations(const Scenario& s) {
  std::vector<std::string> ops = {"sts:GetCallerIdentity"};
  if (!s.users.empty()) ops.insert(ops.end(), {"iam:CreateUser", "iam:CreateAccessKey"});
  bool user_policies = std::any_of(s.users.begin(), s.users.end(), [](const UserDecl& u) { return !u.policies.empty(); });
  if (user_policies) ops.push_back("iam:PutUserPolicy");
  if (!s.roles.empty()) ops.push_back("iam:CreateRole");
  bool role_policies = std::any_of(s.roles.begin(), s.roles.end(), [](const RoleDecl& r) { return !r.policies.empty(); });
  if (role_policies) ops.push_back("iam:PutRolePolicy");
  if (!s.keys.empty()) ops.push_back("kms:CreateKey");
  for (const auto& k : s.keys) {
    if (k.policy) ops.push_back("kms:PutKeyPolicy");
    if (!k.aliases.empty()) ops.push_back("kms:CreateAlias");
    if (!k.enabled) ops.push_back("kms:DisableKey");
  }
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  return ops;
}

std::vector<std::string> StepOperations(const Step& step) {
  std::vector<std::string> ops;
  if (step.as.rfind("role:", 0) == 0) ops.push_back("sts:AssumeRole");
  switch (step.kind) {
    case StepKind::kCall: ops.push_back(step.service + ":" + step.operation); break;
    case StepKind::kWait:
      ops.push_back(step.wait.what == WaitSpec::For::kJobRun ? "glue:GetJobRun" : "glue:GetCrawler");
      break;
    case StepKind::kDecryptsTo: ops.push_back("kms:Decrypt"); break;
    case StepKind::kEncryptedAtRest: break;
  }
  return ops;
}

}  // namespace gee::scenario

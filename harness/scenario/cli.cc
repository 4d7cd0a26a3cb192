#include "harness/scenario/cli.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <optional>

#include "harness/scenario/report.h"
#include "harness/scenario/runner.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/target.h"

namespace gee::scenario {

namespace fs = std::filesystem;

std::vector<std::string> ExpandScenarioPaths(const std::vector<std::string>& paths,
                                             std::vector<std::string>* missing) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".jsonc") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else if (missing != nullptr) {
      missing->push_back(p);
    }
  }
  return files;
}

bool MatchesFilter(const std::string& filter, const std::string& name) {
  if (filter.empty()) return true;
  if (filter.find_first_of("*?[") == std::string::npos) return name.find(filter) != std::string::npos;
  return fnmatch(filter.c_str(), name.c_str(), 0) == 0;
}

int ValidateScenarioCommand(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err) {
  std::vector<std::string> missing;
  std::vector<std::string> files = ExpandScenarioPaths(paths, &missing);
  for (const auto& m : missing) err << m << ": no such file or directory\n";
  if (files.empty()) {
    err << "gee scenario validate: no scenario files given\n";
    return 2;
  }
  int invalid = 0;
  for (const auto& file : files) {
    std::vector<Diagnostic> diagnostics;
    auto scenario = LoadScenario(file, &diagnostics);
    if (!scenario.ok()) {
      ++invalid;
      for (const auto& d : diagnostics) err << d.ToString() << "\n";
      continue;
    }
    out << "ok   " << file << "  (" << scenario->name << ": " << scenario->users.size() << " user(s), "
        << scenario->roles.size() << " role(s), " << scenario->keys.size() << " key(s), " << scenario->steps.size()
        << " step(s))\n";
  }
  out << files.size() - invalid << " of " << files.size() << " scenario file(s) valid\n";
  return invalid == 0 && missing.empty() ? 0 : 1;
}

int RunScenarioCommand(const RunCommand& command, std::ostream& out, std::ostream& err) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> missing;
  std::vector<std::string> paths = command.paths.empty() ? std::vector<std::string>{"scenarios"} : command.paths;
  std::vector<std::string> files = ExpandScenarioPaths(paths, &missing);
  for (const auto& m : missing) err << m << ": no such file or directory\n";
  if (!missing.empty()) return 2;

  // Load everything first: invalid files are reported as failed scenarios.
  struct Entry {
    std::string file;
    std::optional<Scenario> scenario;
    std::vector<Diagnostic> diagnostics;
  };
  std::vector<Entry> entries;
  for (const auto& file : files) {
    Entry e;
    e.file = file;
    auto loaded = LoadScenario(file, &e.diagnostics);
    if (loaded.ok()) e.scenario = std::move(loaded).value();
    std::string name = e.scenario ? e.scenario->name : fs::path(file).stem().string();
    if (!MatchesFilter(command.filter, name) && !MatchesFilter(command.filter, fs::path(file).stem().string())) {
      continue;
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty()) {
    err << "gee scenario run: no scenario matches" << (command.filter.empty() ? "" : " --filter " + command.filter)
        << "\n";
    return 2;
  }

  TargetOptions target_options;
  target_options.endpoint = command.endpoint;
  target_options.root = harness::Credentials{command.access_key_id, command.secret_access_key, command.session_token};
  target_options.access_log = command.access_log;
  auto target = Target::Open(target_options);
  if (!target.ok()) {
    err << "gee scenario run: " << target.error().message << "\n";
    return 2;
  }

  HumanReport human(out, HumanReportOptions{command.explain, command.verbose});
  RunnerOptions options;
  options.region = command.region;
  options.reset = !command.no_reset;
  options.strict = command.strict;
  options.invert_expectations = command.invert_expectations;
  options.poll_attempts = command.poll_attempts;
  options.poll_interval = std::chrono::milliseconds(command.poll_interval_ms);
  Runner runner(**target, options, &human);

  RunReport report;
  report.target = (*target)->description();
  report.strict = command.strict;
  human.OnRunStart(report.target, entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    if (!e.scenario) {
      human.OnScenarioStart(i + 1, entries.size(), fs::path(e.file).stem().string(), e.file, "");
      ScenarioResult invalid;
      invalid.name = fs::path(e.file).stem().string();
      invalid.file = e.file;
      invalid.outcome = Outcome::kFailed;
      invalid.reason = "the scenario file is invalid";
      invalid.load_errors = e.diagnostics;
      human.OnScenarioDone(invalid);
      report.scenarios.push_back(std::move(invalid));
      continue;
    }
    human.OnScenarioStart(i + 1, entries.size(), e.scenario->name, e.file, e.scenario->description);
    report.scenarios.push_back(runner.Run(*e.scenario));
    if (!runner.account().empty()) report.account = runner.account();
  }
  report.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  human.OnRunDone(report);

  int code = report.ExitCode();
  if (!command.junit_file.empty()) {
    std::ofstream junit(command.junit_file);
    WriteJUnit(report, junit);
    if (!junit) {
      err << "gee scenario run: cannot write " << command.junit_file << "\n";
      code = 2;
    }
  }
  if (!command.json_file.empty()) {
    std::ofstream json_out(command.json_file);
    json_out << ToJson(report).dump(2) << "\n";
    if (!json_out) {
      err << "gee scenario run: cannot write " << command.json_file << "\n";
      code = 2;
    }
  }
  return code;
}

}  // namespace gee::scenario

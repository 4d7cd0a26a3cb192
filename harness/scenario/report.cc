#include "harness/scenario/report.h"

#include <cstdio>
#include <pugixml.hpp>
#include <sstream>

namespace gee::scenario {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "passed";
    case Outcome::kFailed: return "failed";
    case Outcome::kSkipped: return "skipped";
  }
  return "failed";
}

int ScenarioResult::Count(Outcome o) const {
  int n = 0;
  for (const auto& s : steps) n += s.outcome == o ? 1 : 0;
  // A failed setup action is a failure of the scenario too.
  if (o == Outcome::kFailed) {
    for (const auto& s : setup) n += s.outcome == Outcome::kFailed ? 1 : 0;
  }
  return n;
}

int RunReport::Count(Outcome o) const {
  int n = 0;
  for (const auto& s : scenarios) n += s.outcome == o ? 1 : 0;
  return n;
}

int RunReport::ExitCode() const {
  if (Count(Outcome::kFailed) > 0) return 1;
  if (strict) {
    for (const auto& s : scenarios) {
      if (s.outcome == Outcome::kSkipped || s.Count(Outcome::kSkipped) > 0) return 1;
    }
  }
  return 0;
}

namespace {

std::string Millis(double ms) {
  char buf[32];
  if (ms >= 1000) {
    std::snprintf(buf, sizeof(buf), "%.2f s", ms / 1000);
  } else if (ms >= 10) {
    std::snprintf(buf, sizeof(buf), "%.0f ms", ms);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f ms", ms);
  }
  return buf;
}

std::string Seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", ms / 1000);
  return buf;
}

std::string_view Tag(Outcome o) {
  switch (o) {
    case Outcome::kPassed: return "PASS";
    case Outcome::kFailed: return "FAIL";
    case Outcome::kSkipped: return "SKIP";
  }
  return "FAIL";
}

// Writes `text` wrapped at ~96 columns, every line after the first indented by `indent`.
void Wrapped(std::ostream& out, const std::string& text, const std::string& indent) {
  const size_t width = 96;
  size_t column = indent.size();
  std::istringstream words(text);
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > width) {
      out << "\n" << indent;
      column = indent.size();
    } else if (!first) {
      out << ' ';
      ++column;
    }
    out << word;
    column += word.size();
    first = false;
  }
  out << "\n";
}

std::string StepTitle(const StepResult& s) {
  std::string title;
  if (s.guide_step) title += "[guide " + std::to_string(*s.guide_step) + "] ";
  title += s.name;
  return title;
}

std::string StepWhat(const StepResult& s) {
  std::string what = s.action;
  if (!s.as.empty()) what += " as " + s.as;
  return what;
}

}  // namespace

std::string NarrateDecision(const std::string& decision) {
  struct Prefix {
    std::string_view text;
    std::string_view words;
  };
  static constexpr Prefix kPrefixes[] = {
      {"soft-implicit-deny ", "would be denied (soft mode let it through): "},
      {"soft-explicit-deny ", "would be denied explicitly (soft mode let it through): "},
      {"implicit-deny ", "denied "},
      {"explicit-deny ", "denied explicitly "},
      {"allow ", "allowed "},
  };
  for (const auto& p : kPrefixes) {
    if (decision.rfind(p.text, 0) == 0) {
      std::string rest = decision.substr(p.text.size());
      // "(no identity-based policy allows)" → ": no identity-based policy allows it"
      auto paren = rest.rfind(" (no ");
      if (paren != std::string::npos && rest.back() == ')') {
        rest = rest.substr(0, paren) + ": " + rest.substr(paren + 2, rest.size() - paren - 3) + " it";
      }
      return std::string(p.words) + rest;
    }
  }
  return decision;
}

void HumanReport::OnRunStart(const std::string& target, size_t scenario_count) {
  out_ << "gee scenario run: " << scenario_count << " scenario" << (scenario_count == 1 ? "" : "s")
       << " against " << target << "\n";
  out_.flush();
}

void HumanReport::OnScenarioStart(size_t position, size_t count, const std::string& name,
                                  const std::string& file, const std::string& description) {
  out_ << "\n[" << position << "/" << count << "] " << name << "  (" << file << ")\n";
  if (!description.empty()) {
    out_ << "      ";
    Wrapped(out_, description, "      ");
  }
  pending_setup_.clear();
  setup_shown_ = false;
  last_skip_reason_.clear();
  out_.flush();
}

void HumanReport::WriteStep(const StepResult& s) {
  const std::string indent = "          ";
  char head[32];
  std::snprintf(head, sizeof(head), "  %s %3d  ", std::string(Tag(s.outcome)).c_str(), s.index);
  out_ << head << StepTitle(s) << "  (" << StepWhat(s) << ", " << Millis(s.duration_ms) << ")\n";
  if (options_.explain) {
    if (!s.explain.empty()) {
      out_ << indent << "what:     ";
      Wrapped(out_, s.explain, indent + "          ");
    }
    if (!s.decisions.empty()) {
      bool first = true;
      for (const auto& d : s.decisions) {
        out_ << indent << (first ? "gee:      " : "          ");
        Wrapped(out_, NarrateDecision(d), indent + "          ");
        first = false;
      }
    }
    if (s.outcome == Outcome::kPassed) {
      out_ << indent << "outcome:  ";
      Wrapped(out_, s.actual.empty() ? std::string("as expected") : s.actual + " (as expected)", indent + "          ");
    }
    for (const auto& n : s.notes) {
      out_ << indent << "note:     ";
      Wrapped(out_, n, indent + "          ");
    }
  }
  if (s.outcome == Outcome::kFailed) {
    if (!s.expected.empty()) {
      out_ << indent << "expected: ";
      Wrapped(out_, s.expected, indent + "          ");
    }
    if (!s.actual.empty()) {
      out_ << indent << "actual:   ";
      Wrapped(out_, s.actual, indent + "          ");
    }
    for (const auto& f : s.failures) {
      out_ << indent << "failure:  ";
      Wrapped(out_, f, indent + "          ");
    }
    if (!options_.explain) {
      // The deciding statements explain a wrong denial or a wrong allow.
      for (const auto& d : s.decisions) {
        out_ << indent << "why:      ";
        Wrapped(out_, NarrateDecision(d), indent + "          ");
      }
      for (const auto& n : s.notes) {
        out_ << indent << "note:     ";
        Wrapped(out_, n, indent + "          ");
      }
    }
    if (s.line > 0) out_ << indent << "at line:  " << s.line << "\n";
    if (!s.request_id.empty()) out_ << indent << "request:  " << s.request_id << "\n";
  } else if (s.outcome == Outcome::kSkipped && !s.skip_reason.empty()) {
    // A run of skips for one reason shows it once.
    if (s.skip_reason != last_skip_reason_) {
      out_ << indent << "skipped:  ";
      Wrapped(out_, s.skip_reason, indent + "          ");
    }
  }
  last_skip_reason_ = s.outcome == Outcome::kSkipped ? s.skip_reason : "";
}

void HumanReport::OnStep(const StepResult& step) {
  if (step.setup) {
    pending_setup_.push_back(step);
    if (step.outcome == Outcome::kFailed || options_.verbose || options_.explain) {
      if (!setup_shown_) out_ << "  setup:\n";
      setup_shown_ = true;
      char head[32];
      std::snprintf(head, sizeof(head), "    %s  ", std::string(Tag(step.outcome)).c_str());
      out_ << head << step.name << "  (" << StepWhat(step) << ")\n";
      if (step.outcome == Outcome::kFailed) {
        for (const auto& f : step.failures) {
          out_ << "          failure:  ";
          Wrapped(out_, f, "                    ");
        }
        for (const auto& d : step.decisions) {
          out_ << "          why:      ";
          Wrapped(out_, NarrateDecision(d), "                    ");
        }
        if (step.line > 0) out_ << "          at line:  " << step.line << "\n";
      }
    }
    out_.flush();
    return;
  }
  if (!pending_setup_.empty() && !setup_shown_) {
    double ms = 0;
    for (const auto& s : pending_setup_) ms += s.duration_ms;
    out_ << "  setup: " << pending_setup_.size() << " action" << (pending_setup_.size() == 1 ? "" : "s")
         << " done (" << Millis(ms) << ")\n";
    setup_shown_ = true;
  }
  WriteStep(step);
  out_.flush();
}

void HumanReport::OnScenarioDone(const ScenarioResult& r) {
  for (const auto& d : r.load_errors) out_ << "  INVALID " << d.ToString() << "\n";
  if (!r.reason.empty() && r.outcome != Outcome::kPassed) out_ << "  " << Tag(r.outcome) << "  " << r.reason << "\n";
  out_ << "  => " << OutcomeName(r.outcome) << ": " << r.Count(Outcome::kPassed) << " passed, "
       << r.Count(Outcome::kFailed) << " failed, " << r.Count(Outcome::kSkipped) << " skipped ("
       << Millis(r.duration_ms) << ")\n";
  out_.flush();
}

void HumanReport::OnRunDone(const RunReport& report) {
  int steps[3] = {0, 0, 0};
  for (const auto& s : report.scenarios) {
    steps[0] += s.Count(Outcome::kPassed);
    steps[1] += s.Count(Outcome::kFailed);
    steps[2] += s.Count(Outcome::kSkipped);
  }
  out_ << "\nSummary: " << report.scenarios.size() << " scenario" << (report.scenarios.size() == 1 ? "" : "s")
       << ": " << report.Count(Outcome::kPassed) << " passed, " << report.Count(Outcome::kFailed) << " failed, "
       << report.Count(Outcome::kSkipped) << " skipped; steps: " << steps[0] << " passed, " << steps[1]
       << " failed, " << steps[2] << " skipped (" << Millis(report.duration_ms) << ")\n";
  bool header = false;
  for (const auto& s : report.scenarios) {
    if (s.outcome != Outcome::kFailed) continue;
    if (!header) out_ << "Failed:\n";
    header = true;
    bool any = false;
    for (const auto& step : s.setup) {
      if (step.outcome != Outcome::kFailed) continue;
      out_ << "  " << s.name << ": setup " << step.name << " (" << s.file << ":" << step.line << ")\n";
      any = true;
    }
    for (const auto& step : s.steps) {
      if (step.outcome != Outcome::kFailed) continue;
      out_ << "  " << s.name << ": step " << step.index << " \"" << step.name << "\" (" << s.file << ":"
           << step.line << ")\n";
      any = true;
    }
    if (!any) out_ << "  " << s.name << ": " << (s.reason.empty() ? "invalid scenario" : s.reason) << " (" << s.file << ")\n";
  }
  bool skipped_header = false;
  for (const auto& s : report.scenarios) {
    std::string reason = s.reason;
    if (s.outcome != Outcome::kSkipped) {
      for (const auto& step : s.steps) {
        if (step.outcome == Outcome::kSkipped && !step.skip_reason.empty()) {
          reason = "from step " + std::to_string(step.index) + ": " + step.skip_reason;
          break;
        }
      }
    }
    if (reason.empty() || (s.outcome != Outcome::kSkipped && s.Count(Outcome::kSkipped) == 0)) continue;
    if (!skipped_header) out_ << "Skipped" << (report.strict ? " (failures under --strict)" : "") << ":\n";
    skipped_header = true;
    out_ << "  " << s.name << ": " << reason << "\n";
  }
  out_ << (report.ExitCode() == 0 ? "OK" : "FAILED") << "\n";
  out_.flush();
}

void WriteJUnit(const RunReport& report, std::ostream& out) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "gee scenarios";
  int tests = 0, failures = 0, skipped = 0;
  for (const auto& s : report.scenarios) {
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = s.name.c_str();
    suite.append_attribute("file") = s.file.c_str();
    int suite_tests = 0, suite_failures = 0, suite_skipped = 0;
    auto add_case = [&](const std::string& name, double ms, Outcome outcome, const std::string& message,
                        const std::string& detail, int line) {
      pugi::xml_node tc = suite.append_child("testcase");
      tc.append_attribute("classname") = s.name.c_str();
      tc.append_attribute("name") = name.c_str();
      tc.append_attribute("time") = Seconds(ms).c_str();
      if (!s.file.empty()) tc.append_attribute("file") = s.file.c_str();
      if (line > 0) tc.append_attribute("line") = line;
      ++suite_tests;
      if (outcome == Outcome::kFailed) {
        ++suite_failures;
        pugi::xml_node f = tc.append_child("failure");
        f.append_attribute("message") = message.c_str();
        f.append_attribute("type") = "ScenarioFailure";
        f.text().set(detail.c_str());
      } else if (outcome == Outcome::kSkipped) {
        ++suite_skipped;
        tc.append_child("skipped").append_attribute("message") = message.c_str();
      }
    };
    if (!s.load_errors.empty()) {
      std::string detail;
      for (const auto& d : s.load_errors) detail += d.ToString() + "\n";
      add_case("load", 0, Outcome::kFailed, s.load_errors.front().ToString(), detail, s.load_errors.front().line);
    }
    std::vector<const StepResult*> failed_setup;
    double setup_ms = 0;
    for (const auto& st : s.setup) {
      setup_ms += st.duration_ms;
      if (st.outcome == Outcome::kFailed) failed_setup.push_back(&st);
    }
    if (!s.setup.empty()) {
      std::string detail;
      for (const auto* st : failed_setup) {
        detail += st->name + " (" + StepWhat(*st) + ")\n";
        for (const auto& f : st->failures) detail += "  " + f + "\n";
        for (const auto& d : st->decisions) detail += "  why: " + NarrateDecision(d) + "\n";
      }
      add_case("setup", setup_ms, failed_setup.empty() ? Outcome::kPassed : Outcome::kFailed,
               failed_setup.empty() ? "" : "setup failed: " + failed_setup.front()->name, detail,
               failed_setup.empty() ? 0 : failed_setup.front()->line);
    }
    if (s.outcome == Outcome::kSkipped && s.steps.empty() && s.load_errors.empty()) {
      add_case("scenario", 0, Outcome::kSkipped, s.reason, "", 0);
    }
    for (const auto& st : s.steps) {
      char index[16];
      std::snprintf(index, sizeof(index), "%02d ", st.index);
      std::string detail;
      if (!st.expected.empty()) detail += "expected: " + st.expected + "\n";
      if (!st.actual.empty()) detail += "actual:   " + st.actual + "\n";
      for (const auto& f : st.failures) detail += "failure:  " + f + "\n";
      for (const auto& d : st.decisions) detail += "why:      " + NarrateDecision(d) + "\n";
      if (!st.request_id.empty()) detail += "request:  " + st.request_id + "\n";
      std::string message = st.outcome == Outcome::kSkipped ? st.skip_reason
                            : st.failures.empty()            ? ""
                                                             : st.failures.front();
      add_case(index + StepTitle(st), st.duration_ms, st.outcome, message, detail, st.line);
    }
    suite.append_attribute("tests") = suite_tests;
    suite.append_attribute("failures") = suite_failures;
    suite.append_attribute("errors") = 0;
    suite.append_attribute("skipped") = suite_skipped;
    suite.append_attribute("time") = Seconds(s.duration_ms).c_str();
    tests += suite_tests;
    failures += suite_failures;
    skipped += suite_skipped;
  }
  suites.append_attribute("tests") = tests;
  suites.append_attribute("failures") = failures;
  suites.append_attribute("errors") = 0;
  suites.append_attribute("skipped") = skipped;
  suites.append_attribute("time") = Seconds(report.duration_ms).c_str();
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
}

namespace {

nlohmann::json StepJson(const StepResult& s) {
  nlohmann::json j = {{"index", s.index},
                      {"name", s.name},
                      {"action", s.action},
                      {"as", s.as},
                      {"outcome", OutcomeName(s.outcome)},
                      {"duration_ms", s.duration_ms},
                      {"line", s.line}};
  if (s.guide_step) j["guide_step"] = *s.guide_step;
  if (!s.expected.empty()) j["expected"] = s.expected;
  if (!s.actual.empty()) j["actual"] = s.actual;
  if (!s.failures.empty()) j["failures"] = s.failures;
  if (!s.skip_reason.empty()) j["skip_reason"] = s.skip_reason;
  if (!s.decisions.empty()) j["authorization"] = s.decisions;
  if (!s.notes.empty()) j["notes"] = s.notes;
  if (!s.request_id.empty()) j["request_id"] = s.request_id;
  return j;
}

}  // namespace

nlohmann::json ToJson(const RunReport& report) {
  nlohmann::json scenarios = nlohmann::json::array();
  int steps[3] = {0, 0, 0};
  for (const auto& s : report.scenarios) {
    nlohmann::json j = {{"name", s.name},
                        {"file", s.file},
                        {"outcome", OutcomeName(s.outcome)},
                        {"duration_ms", s.duration_ms},
                        {"passed", s.Count(Outcome::kPassed)},
                        {"failed", s.Count(Outcome::kFailed)},
                        {"skipped", s.Count(Outcome::kSkipped)},
                        {"setup", nlohmann::json::array()},
                        {"steps", nlohmann::json::array()}};
    if (!s.description.empty()) j["description"] = s.description;
    if (!s.reason.empty()) j["reason"] = s.reason;
    if (!s.load_errors.empty()) {
      j["errors"] = nlohmann::json::array();
      for (const auto& d : s.load_errors) j["errors"].push_back({{"file", d.file}, {"line", d.line}, {"message", d.message}});
    }
    for (const auto& st : s.setup) j["setup"].push_back(StepJson(st));
    for (const auto& st : s.steps) j["steps"].push_back(StepJson(st));
    steps[0] += s.Count(Outcome::kPassed);
    steps[1] += s.Count(Outcome::kFailed);
    steps[2] += s.Count(Outcome::kSkipped);
    scenarios.push_back(std::move(j));
  }
  return {{"target", report.target},
          {"account", report.account},
          {"duration_ms", report.duration_ms},
          {"exit_code", report.ExitCode()},
          {"summary",
           {{"scenarios",
             {{"total", report.scenarios.size()},
              {"passed", report.Count(Outcome::kPassed)},
              {"failed", report.Count(Outcome::kFailed)},
              {"skipped", report.Count(Outcome::kSkipped)}}},
            {"steps", {{"passed", steps[0]}, {"failed", steps[1]}, {"skipped", steps[2]}}}}},
          {"scenarios", scenarios}};
}

}  // namespace gee::scenario

// gee: the Glue Encryption Emulator command line.
//
//   gee serve [options]              run the emulator until SIGINT/SIGTERM
//   gee scenario run [PATH...]       replay scenarios (harness/scenario/cli.h)
//   gee scenario validate FILE...    check scenarios without running them
//   gee version                      print the version
//
// Command-line parsing: CLI11 (Debian libcli11-dev), header-only and
// well-kept, with subcommands and typed options.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <string>

#include "core/config.h"
#include "emulator.h"
#include "harness/scenario/cli.h"

namespace {

int Serve(const gee::Config& config, const std::string& port_file) {
  // Block the shutdown signals in every thread; this thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  gee::EmulatorOptions options;
  options.config = config;
  auto emulator = gee::Emulator::Create(std::move(options));
  if (!emulator.ok()) {
    std::fprintf(stderr, "gee: cannot start: %s\n", emulator.error().message.c_str());
    return 1;
  }
  gee::Status started = (*emulator)->Start();
  if (!started.ok()) {
    std::fprintf(stderr, "gee: %s\n", started.error().message.c_str());
    return 1;
  }
  std::printf("gee %s listening on %s (%s, account %s)\n", GEE_VERSION,
              (*emulator)->endpoint().c_str(),
              config.ephemeral ? "ephemeral state" : ("state in " + config.data_dir).c_str(),
              config.account_id.c_str());
  std::fflush(stdout);
  if (!port_file.empty()) {
    std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << (*emulator)->port() << "\n";
    }
    std::rename(tmp.c_str(), port_file.c_str());
  }

  int sig = 0;
  sigwait(&signals, &sig);
  std::printf("gee: %s received, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  (*emulator)->Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gee: the Glue Encryption Emulator (Glue, KMS, IAM, STS, S3, CloudWatch Logs)"};
  app.require_subcommand(1);

  gee::Config config;
  std::string port_file;
  std::string auth_mode = "enforce";
  bool no_verify = false;
  bool no_access_log = false;
  int64_t idle_timeout_ms = config.server.idle_timeout.count();
  int64_t io_timeout_ms = config.server.io_timeout.count();

  CLI::App* serve = app.add_subcommand("serve", "Run the emulator until SIGINT/SIGTERM");
  serve->add_option("--host", config.server.host, "Address to bind")->capture_default_str();
  serve->add_option("--port", config.server.port, "TCP port (0 = any free port)")
      ->capture_default_str();
  serve->add_option("--data-dir", config.data_dir, "Directory for gee.db and root.key")
      ->capture_default_str();
  serve->add_flag("--ephemeral", config.ephemeral, "Keep all state in memory");
  serve->add_option("--account-id", config.account_id, "Account of the root credentials")
      ->capture_default_str();
  serve->add_option("--root-access-key-id", config.root_access_key_id,
                    "Access key id of the account root")
      ->capture_default_str();
  serve->add_option("--root-secret-access-key", config.root_secret_access_key,
                    "Secret access key of the account root (default: test)");
  serve->add_option("--region", config.default_region,
                    "Region for requests that carry none")
      ->capture_default_str();
  serve->add_option("--auth", auth_mode, "Policy enforcement: enforce, soft (log denials), off")
      ->check(CLI::IsMember({"enforce", "soft", "off"}))
      ->capture_default_str();
  serve->add_flag("--no-verify-signatures", no_verify,
                  "Accept requests without checking SigV4 signatures (access keys must still exist)");
  serve->add_option("--threads", config.server.threads, "I/O threads")->capture_default_str();
  serve->add_option("--max-header-bytes", config.server.max_header_bytes,
                    "Largest request head accepted (larger: 431)")
      ->capture_default_str();
  serve->add_option("--max-body-bytes", config.server.max_body_bytes,
                    "Largest buffered request body (JSON, Query, S3 configuration)")
      ->capture_default_str();
  serve->add_option("--max-object-bytes", config.server.max_stream_body_bytes,
                    "Largest streamed request body (S3 object or part)")
      ->capture_default_str();
  serve->add_option("--idle-timeout-ms", idle_timeout_ms,
                    "Close keep-alive connections idle this long")
      ->capture_default_str();
  serve->add_option("--io-timeout-ms", io_timeout_ms,
                    "Time allowed for each body read or response write")
      ->capture_default_str();
  serve->add_flag("--no-access-log", no_access_log, "Do not write access-log lines to stderr");
  serve->add_option("--port-file", port_file, "Write the bound port to this file once listening");

  gee::scenario::RunCommand run;
  std::vector<std::string> validate_paths;
  CLI::App* scenario = app.add_subcommand("scenario", "Replay and check scenarios (docs/SCENARIOS.md)");
  scenario->require_subcommand(1);
  CLI::App* scenario_run = scenario->add_subcommand(
      "run", "Run scenarios (files or directories of *.jsonc; default: scenarios/)");
  scenario_run->add_option("paths", run.paths, "Scenario files or directories");
  scenario_run->add_option("--endpoint", run.endpoint,
                           "AWS-compatible endpoint (default: an in-process ephemeral gee)");
  scenario_run->add_option("--access-key-id", run.access_key_id, "Root access key id")->capture_default_str();
  scenario_run->add_option("--secret-access-key", run.secret_access_key, "Root secret access key (default: test)");
  scenario_run->add_option("--session-token", run.session_token, "Session token of the root credentials");
  scenario_run->add_option("--region", run.region, "Region for every scenario (default: each scenario's)");
  scenario_run->add_option("--filter", run.filter,
                           "Only scenarios whose name or file name matches (glob, or substring)");
  scenario_run->add_flag("--explain", run.explain, "Narrate every step: what it does and why it is allowed or denied");
  scenario_run->add_flag("--verbose", run.verbose, "List setup actions one by one");
  scenario_run->add_option("--junit", run.junit_file, "Write a JUnit XML report to this file");
  scenario_run->add_option("--json", run.json_file, "Write a JSON report to this file");
  scenario_run->add_flag("--strict", run.strict, "Skipped steps (operations not implemented yet) are failures");
  scenario_run->add_flag("--no-reset", run.no_reset, "Keep gee's state between scenarios");
  scenario_run->add_option("--poll-interval-ms", run.poll_interval_ms, "Pause between polls of wait steps")
      ->capture_default_str();
  scenario_run->add_option("--poll-attempts", run.poll_attempts, "Polls before a wait step gives up")
      ->capture_default_str();
  scenario_run->add_flag("--invert-expectations", run.invert_expectations,
                         "Expect success where errors are expected (a negative scenario must then fail)");
  scenario_run->add_flag("--access-log", run.access_log, "In-process gee: write its access log to stderr");
  CLI::App* scenario_validate = scenario->add_subcommand("validate", "Check scenario files without running them");
  scenario_validate->add_option("paths", validate_paths, "Scenario files or directories")->required();

  app.add_subcommand("version", "Print the version")->callback([] {
    std::printf("gee %s\n", GEE_VERSION);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (serve->parsed()) {
    config.auth_mode = auth_mode == "soft"  ? gee::AuthMode::kSoft
                       : auth_mode == "off" ? gee::AuthMode::kOff
                                            : gee::AuthMode::kEnforce;
    config.verify_signatures = !no_verify;
    config.access_log = !no_access_log;
    config.server.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
    config.server.io_timeout = std::chrono::milliseconds(io_timeout_ms);
    return Serve(config, port_file);
  }
  if (scenario_run->parsed()) {
    std::signal(SIGPIPE, SIG_IGN);
    return gee::scenario::RunScenarioCommand(run, std::cout, std::cerr);
  }
  if (scenario_validate->parsed()) return gee::scenario::ValidateScenarioCommand(validate_paths, std::cout, std::cerr);
  return 0;
}

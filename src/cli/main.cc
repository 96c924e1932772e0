// The `markaz` command: one binary for set-up (init, token), serving (serve, demo) and
// checking (audit verify). Each subcommand lives in its own cmd_*.cc.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Keep freed heap up to 8 MiB instead of handing it back to the kernel at once: language
  // detection (CLD2) allocates and frees ~160 KB per call, and glibc's default trimming made
  // each call pay ~40 µs of page faults (measured, src/text/README.md).
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
  CLI::App app{"markaz: a joint information centre server", "markaz"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "markaz 0.1.0");
  int exit_code = markaz::cli::kExitOk;
  markaz::cli::AddInitCommand(app, exit_code);
  markaz::cli::AddTokenCommand(app, exit_code);
  markaz::cli::AddServeCommand(app, exit_code);
  markaz::cli::AddAuditCommand(app, exit_code);
  markaz::cli::AddDemoCommand(app, exit_code);
  markaz::cli::AddGenCommand(app, exit_code);
  markaz::cli::AddIngestCommand(app, exit_code);
  markaz::cli::AddAnalyseCommand(app, exit_code);
  markaz::cli::AddSearchCommand(app, exit_code);
  markaz::cli::AddConfigCommand(app, exit_code);
  markaz::cli::AddBackupCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 returns 0 for --help/--version and its own codes otherwise; usage errors are 2.
    int code = app.exit(e);
    return code == 0 ? markaz::cli::kExitOk : markaz::cli::kExitUsage;
  }
  return exit_code;
}

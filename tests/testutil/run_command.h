// Runs a program as a user would type it, capturing its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace markaz::testutil {

struct CommandResult {
  int exit_code = -1;   // the exit status, or 128+signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the arguments, no shell involved; optional `stdin_text` is fed to
// its standard input. Waits for it to end.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// RunCommand({MARKAZ_BINARY, args...}).
CommandResult RunMarkaz(const std::vector<std::string>& args);

}  // namespace markaz::testutil

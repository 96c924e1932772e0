// markaz init --data DIR --charter FILE
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/charter_file.h"
#include "cli/commands.h"
#include "cli/open_centre.h"

namespace markaz::cli {

void AddInitCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "Create a centre in a data directory from a charter");
  auto data = std::make_shared<std::string>();
  auto charter_path = std::make_shared<std::string>();
  cmd->add_option("--data", *data, "Data directory to create (must not hold a centre)")->required();
  cmd->add_option("--charter", *charter_path, "The charter (TOML)")->required();
  cmd->callback([&exit_code, data, charter_path] {
    // The charter is read and validated before anything is created: a bad charter creates nothing.
    auto charter = LoadCharterFile(*charter_path);
    if (!charter.ok()) {
      exit_code = Fail(charter.status());
      return;
    }
    auto centre = CreateCentre(*data, *charter);
    if (!centre.ok()) {
      exit_code = Fail(centre.status());
      return;
    }
    std::fprintf(stderr, "markaz: created centre \"%s\" in %s\n", charter->name.c_str(),
                 data->c_str());
    exit_code = kExitOk;
  });
}

}  // namespace markaz::cli

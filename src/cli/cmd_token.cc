// markaz token create --data DIR --org ORG --role analyst|releaser|admin [--name NAME]
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/open_centre.h"

namespace markaz::cli {

void AddTokenCommand(CLI::App& app, int& exit_code) {
  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand(
      "create", "Create a token; prints the token alone on stdout (it is shown only once)");
  struct Args {
    std::string data, org, role, name;
  };
  auto args = std::make_shared<Args>();
  create->add_option("--data", args->data, "Data directory of the centre")->required();
  create->add_option("--org", args->org, "Org the token acts for")->required();
  create->add_option("--role", args->role, "analyst, releaser or admin")->required();
  create->add_option("--name", args->name, "A label for the token (who or what uses it)");
  create->callback([&exit_code, args] {
    auto role = core::ParseRole(args->role);
    if (!role) {
      exit_code = Fail(core::Status::InvalidArgument(
          "bad_role", "--role \"" + args->role + "\": expected analyst, releaser or admin"));
      return;
    }
    auto opened = OpenExistingCentre(args->data);
    if (!opened.ok()) {
      exit_code = Fail(opened.status());
      return;
    }
    std::string name = args->name.empty() ? args->org + "-" + args->role : args->name;
    auto created = (*opened)->centre->CreateToken(centre::kLocalActor, args->org, *role, name);
    if (!created.ok()) {
      exit_code = Fail(created.status());
      return;
    }
    std::printf("%s\n", created->token.c_str());
    std::fflush(stdout);
    exit_code = kExitOk;
  });
}

}  // namespace markaz::cli

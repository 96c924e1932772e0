// markaz audit verify --data DIR
#include <CLI/CLI.hpp>
#include <cstdio>

#include "audit/verify.h"
#include "cli/commands.h"
#include "cli/open_centre.h"

namespace markaz::cli {

void AddAuditCommand(CLI::App& app, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Check the audit chain");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Walk the whole audit chain offline; exit 1 naming the first broken entry");
  auto data = std::make_shared<std::string>();
  verify->add_option("--data", *data, "Data directory of the centre")->required();
  verify->callback([&exit_code, data] {
    auto opened = OpenExistingCentre(*data);
    if (!opened.ok()) {
      exit_code = Fail(opened.status());
      return;
    }
    auto result = audit::Verify(*(*opened)->store);
    if (!result.ok()) {
      exit_code = Fail(result.status());
      return;
    }
    if (!result->ok()) {
      std::fprintf(stderr, "markaz: audit chain broken at seq %lld: %s\n",
                   static_cast<long long>(*result->broken_seq), result->problem.c_str());
      exit_code = kExitFailure;
      return;
    }
    std::printf("audit chain ok: %lld entries, head %s\n",
                static_cast<long long>(result->entries), result->head_hash.c_str());
    exit_code = kExitOk;
  });
}

}  // namespace markaz::cli

// markaz demo [--data DIR] [--listen ADDR] [--charter FILE]
//
// Creates a centre from the example charter, starting today, in a throw-away directory (or
// reuses DIR when it already holds one), issues one admin token per org, prints them with the URL, and serves.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "cli/charter_file.h"
#include "cli/commands.h"
#include "cli/demo_charter.h"
#include "cli/open_centre.h"

namespace markaz::cli {
namespace {

struct DemoArgs {
  std::string data;
  std::string charter;
  ServeFlags serve;
};

struct IssuedToken {
  std::string org;
  std::string token;
};

core::Result<std::string> MakeTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/markaz-demo-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    return core::Status::Internal("cannot create a temporary directory under " + pattern);
  }
  // The store creates the data directory itself; hand it a path that does not exist yet.
  return std::string(buf.data()) + "/data";
}

int RunDemo(const DemoArgs& args) {
  auto charter = args.charter.empty() ? ParseCharterToml(DemoCharterToml(), "demo charter")
                                      : LoadCharterFile(args.charter);
  if (!charter.ok()) return Fail(charter.status());

  std::string data = args.data;
  if (data.empty()) {
    auto tmp = MakeTempDir();
    if (!tmp.ok()) return Fail(tmp.status());
    data = *tmp;
  }
  auto opened = OpenExistingCentre(data);
  if (!opened.ok()) {
    // A demo centre begins today (midnight UTC), so its first chair (the host, in the
    // example) holds the chair now, as in the founding agreement; `init` keeps the charter's
    // own start date.
    charter->start = std::chrono::floor<std::chrono::days>(core::SystemClock().Now());
    opened = CreateCentre(data, *charter);
  }
  if (!opened.ok()) return Fail(opened.status());

  std::vector<IssuedToken> tokens;
  auto orgs = (*opened)->store->ListOrgs();
  if (!orgs.ok()) return Fail(orgs.status());
  for (const auto& org : *orgs) {
    auto created = (*opened)->centre->CreateToken(centre::kLocalActor, org.entry.id,
                                                  core::Role::kAdmin, "demo-" + org.entry.id);
    if (!created.ok()) return Fail(created.status());
    tokens.push_back({org.entry.id, created->token});
  }
  opened->reset();  // serve opens the store itself

  return ServeCentre(data, args.serve, [&](const std::string& url) {
    std::printf("markaz demo: centre in %s\n", data.c_str());
    std::printf("markaz demo: open %s/v1/charter with one of these admin tokens:\n", url.c_str());
    for (const auto& t : tokens) std::printf("  %-12s %s\n", t.org.c_str(), t.token.c_str());
    std::printf("try: curl -H 'Authorization: Bearer %s' %s/v1/charter\n",
                tokens.empty() ? "TOKEN" : tokens.front().token.c_str(), url.c_str());
    std::fflush(stdout);
  });
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "demo", "Create a demo centre from the example charter, print one token per org, serve it");
  auto args = std::make_shared<DemoArgs>();
  cmd->add_option("--data", args->data, "Data directory (default: a new temporary directory)");
  cmd->add_option("--charter", args->charter, "Charter file (default: the built-in example)");
  cmd->add_option("--listen", args->serve.listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->callback([&exit_code, args] { exit_code = RunDemo(*args); });
}

}  // namespace markaz::cli

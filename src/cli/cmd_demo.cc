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
#include "cli/demo_data.h"
#include "cli/demo_trickle.h"
#include "http/report_codec.h"
#include "synth/generator.h"
#include "cli/open_centre.h"

namespace markaz::cli {
namespace {

struct DemoArgs {
  std::string data;
  std::string charter;
  std::size_t reports = 3000;
  double trickle_seconds = 10;  // a live report this often while serving; 0: none
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

// The seed article as a report of the first chair: title is its headline line, body the rest.
core::ReportInput SeedReport() {
  std::string_view text = DemoSeedArticle();
  // The file opens with site navigation; the headline is the line that repeats alone.
  core::ReportInput in;
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  std::size_t body_from = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].find("»") == std::string_view::npos && lines[i].size() > 40) {
      in.title = std::string(lines[i]);
      body_from = i + 1;
      break;
    }
  }
  for (std::size_t i = body_from; i < lines.size(); ++i) {
    if (!in.body.empty()) in.body += "\n\n";
    in.body += std::string(lines[i]);
  }
  in.lang = "ar";
  in.source = core::Source{"Seed article: news report on the founding of the centre (2015)", "",
                           'C', 3};
  in.tlp = core::Tlp::kClear;
  in.release_to = {"all"};
  in.tags = {"seed"};
  in.external_id = "seed-000_fbb234546d35c770";
  return in;
}

// Loads the seed article (as the first chair) and `count` synthetic reports, spread over the
// orgs that may submit, each submitting its share in bulk as the API would.
core::Status LoadDemoReports(centre::Centre& centre, const std::vector<centre::Identity>& who,
                             std::size_t count) {
  if (who.empty()) return core::Status::Ok();
  MARKAZ_RETURN_IF_ERROR(centre.Submit(who.front(), SeedReport()).status());
  synth::GenOptions options;
  options.seed = 2015;
  options.count = count;
  MARKAZ_ASSIGN_OR_RETURN(synth::Generator gen, synth::Generator::Create(options));
  std::vector<std::vector<std::string>> lines(who.size());
  std::string line;
  synth::GroundTruth truth;
  std::size_t i = 0, refused = 0;
  auto flush = [&](std::size_t k) -> core::Status {
    std::vector<core::ReportInput> inputs;
    for (const auto& l : lines[k]) {
      MARKAZ_ASSIGN_OR_RETURN(core::ReportInput in, http::DecodeReportInput(l));
      inputs.push_back(std::move(in));
    }
    for (const auto& r : centre.SubmitMany(who[k], std::move(inputs))) refused += r.ok() ? 0 : 1;
    lines[k].clear();
    return core::Status::Ok();
  };
  while (gen.Next(&line, &truth)) {
    std::size_t k = i++ % who.size();
    lines[k].push_back(line);
    if (lines[k].size() == 500) MARKAZ_RETURN_IF_ERROR(flush(k));
  }
  for (std::size_t k = 0; k < who.size(); ++k) MARKAZ_RETURN_IF_ERROR(flush(k));
  std::fprintf(stderr, "markaz demo: loaded the seed article and %zu synthetic reports (%zu refused)\n",
               count - refused, refused);
  return core::Status::Ok();
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
  auto opened = OpenExistingCentre(data, Processing::kOn);
  const bool fresh = !opened.ok();
  if (!opened.ok()) {
    // A demo centre begins today (midnight UTC), so its first chair (the host, in the
    // example) holds the chair now, as in the founding agreement; `init` keeps the charter's
    // own start date.
    charter->start = std::chrono::floor<std::chrono::days>(core::SystemClock().Now());
    opened = CreateCentre(data, *charter, Processing::kOn);
  }
  if (!opened.ok()) return Fail(opened.status());

  std::vector<IssuedToken> tokens;
  std::vector<centre::Identity> submitters;
  auto orgs = (*opened)->store->ListOrgs();
  if (!orgs.ok()) return Fail(orgs.status());
  for (const auto& org : *orgs) {
    auto created = (*opened)->centre->CreateToken(centre::kLocalActor, org.entry.id,
                                                  core::Role::kAdmin, "demo-" + org.entry.id);
    if (!created.ok()) return Fail(created.status());
    tokens.push_back({org.entry.id, created->token});
    if (org.entry.may_submit && !org.suspended) {
      auto who = (*opened)->centre->Authenticate(created->token);
      if (!who.ok()) return Fail(who.status());
      submitters.push_back(*who);
    }
  }
  if (fresh) {
    core::Status loaded = LoadDemoReports(*(*opened)->centre, submitters, args.reports);
    if (!loaded.ok()) return Fail(loaded);
  }
  opened->reset();  // serve opens the store itself

  std::vector<std::pair<std::string, std::string>> live;
  for (const auto& s : submitters) {
    for (const auto& t : tokens) {
      if (t.org == s.org) live.emplace_back(t.org, t.token);
    }
  }
  DemoTrickle trickle(std::move(live), std::chrono::milliseconds(
                                           static_cast<long long>(args.trickle_seconds * 1000)));
  return ServeCentre(data, args.serve, [&](const std::string& url) {
    std::printf("markaz demo: centre in %s\n", data.c_str());
    std::printf("markaz demo: open %s/v1/charter with one of these admin tokens:\n", url.c_str());
    for (const auto& t : tokens) std::printf("  %-12s %s\n", t.org.c_str(), t.token.c_str());
    const char* token = tokens.empty() ? "TOKEN" : tokens.front().token.c_str();
    std::printf("try: curl -H 'Authorization: Bearer %s' %s/v1/charter\n", token, url.c_str());
    std::printf("live feed (a new report every %g s): curl -N -H 'Authorization: Bearer %s' "
                "'%s/v1/feed/stream?after=0'\n",
                args.trickle_seconds, token, url.c_str());
    std::fflush(stdout);
    trickle.Start(url);
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
  cmd->add_option("--reports", args->reports, "Synthetic reports to load into a new demo centre")
      ->capture_default_str();
  cmd->add_option("--live-every", args->trickle_seconds,
                  "Seconds between the synthetic reports that arrive while serving (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cmd->callback([&exit_code, args] { exit_code = RunDemo(*args); });
}

}  // namespace markaz::cli

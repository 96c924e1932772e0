// markaz analyse [FILE|-] [--lang L] [--ndjson] [--names-in LANG] [--cache-dir DIR]
//
// Runs the centre's processing (pipeline::Processor: language, entities, places) over text,
// without a centre: for curating the gazetteer (which words does it take for places?) and for
// checking what a report will be tagged with before submitting it. Prints one JSON line per
// input: {"lang","entities":[{"id","kind","name","forms":[…]}],"places":[…]} where forms are
// the distinct surface forms the text shows for the entity.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "pipeline/processor.h"
#include "text/normalize.h"

namespace markaz::cli {
namespace {

struct AnalyseArgs {
  std::string input = "-";
  std::string lang;
  bool ndjson = false;
  std::string names_in = "en";
  std::string cache_dir;
};

nlohmann::json Describe(const pipeline::Processor& processor, const core::ReportInput& input,
                        const std::string& names_in) {
  const pipeline::ReportAnalysis a = processor.Analyse(input);
  const std::string text = pipeline::AnalysedText(input);
  nlohmann::json entities = nlohmann::json::array();
  for (const pipeline::EntityRef& e : a.entities) {
    std::set<std::string> forms;
    for (text::Span span : e.spans) forms.insert(std::string(text::SliceCodePoints(text, span)));
    entities.push_back({{"id", e.id},
                        {"kind", e.kind},
                        {"name", processor.EntityName(e.id, names_in)},
                        {"mentions", e.spans.size()},
                        {"forms", forms}});
  }
  nlohmann::json places = nlohmann::json::array();
  for (const pipeline::PlaceRef& p : a.places) {
    places.push_back(
        {{"entity", p.entity}, {"lat", p.point.lat}, {"lon", p.point.lon}, {"implied", p.implied}});
  }
  return {{"lang", a.lang}, {"entities", entities}, {"places", places}};
}

int RunAnalyse(const AnalyseArgs& args) {
  std::ifstream file;
  if (args.input != "-") {
    file.open(args.input, std::ios::binary);
    if (!file) {
      return Fail(core::Status::InvalidArgument("cannot_read", "cannot read " + args.input));
    }
  }
  std::istream& in = args.input == "-" ? std::cin : file;
  std::string cache = args.cache_dir;
  if (cache.empty() && std::getenv("MARKAZ_CACHE_DIR") != nullptr) {
    cache = std::getenv("MARKAZ_CACHE_DIR");
  }
  auto processor = pipeline::Processor::Create(cache);
  if (!processor.ok()) return Fail(processor.status());

  if (!args.ndjson) {
    core::ReportInput input;
    input.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!args.lang.empty()) input.lang = args.lang;
    std::cout << Describe(**processor, input, args.names_in).dump() << '\n';
    return kExitOk;
  }
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::json report = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!report.is_object() || !report.value("body", nlohmann::json()).is_string()) {
      return Fail(core::Status::InvalidArgument(
          "bad_json", "line " + std::to_string(number) + ": not a report with a \"body\""));
    }
    core::ReportInput input;
    input.title = report.value("title", "");
    input.body = report["body"].get<std::string>();
    if (!args.lang.empty()) {
      input.lang = args.lang;
    } else if (report.contains("lang") && report["lang"].is_string()) {
      input.lang = report["lang"].get<std::string>();
    }
    std::cout << Describe(**processor, input, args.names_in).dump() << '\n';
  }
  std::cout.flush();
  return std::cout ? kExitOk : Fail(core::Status::Internal("write failed"));
}

}  // namespace

void AddAnalyseCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "analyse", "Show what processing finds in a text (language, entities, places)");
  auto args = std::make_shared<AnalyseArgs>();
  cmd->add_option("input", args->input, "Text file, or - for stdin")->capture_default_str();
  cmd->add_option("--lang", args->lang, "Language of the text (default: detected)");
  cmd->add_flag("--ndjson", args->ndjson,
                "Input is NDJSON reports (as `markaz gen` writes): one analysis per line");
  cmd->add_option("--names-in", args->names_in, "Language of entity names")->capture_default_str();
  cmd->add_option("--cache-dir", args->cache_dir,
                  "Where the compiled gazetteer is cached (default: $MARKAZ_CACHE_DIR, else none)");
  cmd->callback([&exit_code, args] { exit_code = RunAnalyse(*args); });
}

}  // namespace markaz::cli

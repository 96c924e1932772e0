// markaz gen --count N --seed S [--langs ar,en,…] [--out FILE] [--truth FILE]
//
// Writes a synthetic corpus as NDJSON (one POST /v1/reports body a line) and, beside it, its
// ground truth (synth/generator.h). Streams: any count runs in constant memory.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "synth/generator.h"

namespace markaz::cli {
namespace {

struct GenArgs {
  std::size_t count = 1000;
  std::uint64_t seed = 1;
  std::string langs = "ar,en,ru,fr,fa";
  std::string out;    // "" or "-" = stdout
  std::string truth;  // default: OUT.truth.ndjson when OUT is a file
};

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

int RunGen(const GenArgs& args) {
  synth::GenOptions options;
  options.count = args.count;
  options.seed = args.seed;
  options.langs = SplitComma(args.langs);
  auto generator = synth::Generator::Create(options);
  if (!generator.ok()) return Fail(generator.status());

  const bool to_stdout = args.out.empty() || args.out == "-";
  std::string truth_path = args.truth;
  if (truth_path.empty() && !to_stdout) truth_path = args.out + ".truth.ndjson";

  std::ofstream out_file, truth_file;
  if (!to_stdout) {
    out_file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      return Fail(core::Status::InvalidArgument("cannot_write", "--out: cannot write " + args.out));
    }
  }
  if (!truth_path.empty()) {
    truth_file.open(truth_path, std::ios::binary | std::ios::trunc);
    if (!truth_file) {
      return Fail(core::Status::InvalidArgument("cannot_write", "--truth: cannot write " + truth_path));
    }
  }
  std::ostream& out = to_stdout ? std::cout : out_file;
  std::string line;
  synth::GroundTruth truth;
  while (generator->Next(&line, &truth)) {
    out << line << '\n';
    if (truth_file.is_open()) truth_file << truth.ToJsonLine() << '\n';
  }
  out.flush();
  if (!out || (truth_file.is_open() && !truth_file.flush())) {
    return Fail(core::Status::Internal("write failed (disk full?)"));
  }
  if (!to_stdout) {
    std::fprintf(stderr, "markaz: wrote %zu synthetic reports to %s (ground truth: %s)\n",
                 generator->produced(), args.out.c_str(), truth_path.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddGenCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "gen", "Write a seeded synthetic corpus (NDJSON reports) with its ground truth beside it");
  auto args = std::make_shared<GenArgs>();
  cmd->add_option("--count", args->count, "Number of reports")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same corpus")
      ->capture_default_str();
  cmd->add_option("--langs", args->langs, "Languages of the originals, comma-separated")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output file (default: stdout)");
  cmd->add_option("--truth", args->truth,
                  "Ground-truth file (default: OUT.truth.ndjson when --out is a file)");
  cmd->callback([&exit_code, args] { exit_code = RunGen(*args); });
}

}  // namespace markaz::cli

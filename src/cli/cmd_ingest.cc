// markaz ingest FILE|- --url URL [--token T] [--batch N] [--errors FILE]
//
// Sends an NDJSON file of reports to a running centre through POST /v1/reports:bulk, in
// batches, with a progress bar on a terminal (count, rate, ETA) or one summary line otherwise.
// Exits 1 when any line was refused (each refusal, with its line number and reason, goes to
// --errors FILE when given) or when the server cannot be reached.
#include <curl/curl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli/commands.h"

namespace markaz::cli {
namespace {

using Clock = std::chrono::steady_clock;

// A request body stays well under the server's 16 MiB limit.
constexpr std::size_t kMaxBatchBytes = 8 << 20;

struct IngestArgs {
  std::string file;
  std::string url;
  std::string token;
  std::size_t batch = 1000;
  std::string errors;
};

struct Line {
  std::size_t number;  // 1-based line number in the input
  std::string text;
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One POST of a batch; returns the HTTP status (0 when unreachable) and the body.
struct Posted {
  long status = 0;
  std::string body;
  std::string error;
};

class BulkClient {
 public:
  BulkClient(const std::string& url, const std::string& token)
      : endpoint_(url + "/v1/reports:bulk"), curl_(curl_easy_init()) {
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
    headers_ = curl_slist_append(headers_, "Content-Type: application/x-ndjson");
    headers_ = curl_slist_append(headers_, "Expect:");
  }
  ~BulkClient() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  BulkClient(const BulkClient&) = delete;
  BulkClient& operator=(const BulkClient&) = delete;

  Posted Post(const std::string& body) {
    Posted posted;
    curl_easy_setopt(curl_, CURLOPT_URL, endpoint_.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &posted.body);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      posted.error = curl_easy_strerror(rc);
      return posted;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &posted.status);
    return posted;
  }

 private:
  std::string endpoint_;
  CURL* curl_;
  curl_slist* headers_ = nullptr;
};

class Progress {
 public:
  Progress(std::uintmax_t total_bytes, bool tty)
      : total_(total_bytes), tty_(tty), start_(Clock::now()), last_draw_(start_) {}

  void Update(std::size_t done, std::size_t failed, std::uintmax_t bytes, bool final = false) {
    auto now = Clock::now();
    if (!tty_ || (!final && now - last_draw_ < std::chrono::milliseconds(200))) return;
    last_draw_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    char eta[32] = "";
    std::string bar;
    if (total_ > 0) {
      double fraction = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_));
      int filled = static_cast<int>(fraction * 30);
      bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(30 - filled), ' ') + "] ";
      if (fraction > 0 && !final) {
        std::snprintf(eta, sizeof eta, "  ETA %.0fs", secs / fraction - secs);
      }
    }
    std::fprintf(stderr, "\r%s%zu reports  %zu failed  %.0f/s%s\033[K", bar.c_str(), done,
                 failed, rate, eta);
    if (final) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

  double Seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

 private:
  std::uintmax_t total_;
  bool tty_;
  Clock::time_point start_, last_draw_;
};

int RunIngest(IngestArgs args) {
  if (args.token.empty()) {
    const char* env = std::getenv("MARKAZ_TOKEN");
    if (env) args.token = env;
  }
  if (args.token.empty()) {
    return Fail(core::Status::InvalidArgument("missing_token",
                                              "--token or MARKAZ_TOKEN is required"));
  }
  if (args.batch == 0 || args.batch > 10000) {
    return Fail(core::Status::InvalidArgument("bad_batch", "--batch must be 1..10000"));
  }
  while (!args.url.empty() && args.url.back() == '/') args.url.pop_back();

  std::ifstream file;
  std::uintmax_t total_bytes = 0;
  const bool from_stdin = args.file == "-";
  if (!from_stdin) {
    file.open(args.file, std::ios::binary);
    if (!file) {
      return Fail(core::Status::InvalidArgument("cannot_read", "cannot read " + args.file));
    }
    struct stat st;
    if (stat(args.file.c_str(), &st) == 0) total_bytes = static_cast<std::uintmax_t>(st.st_size);
  }
  std::istream& in = from_stdin ? std::cin : file;
  std::ofstream errors;
  if (!args.errors.empty()) {
    errors.open(args.errors, std::ios::binary | std::ios::trunc);
    if (!errors) {
      return Fail(core::Status::InvalidArgument("cannot_write", "--errors: cannot write " + args.errors));
    }
  }

  curl_global_init(CURL_GLOBAL_DEFAULT);
  BulkClient client(args.url, args.token);
  Progress progress(total_bytes, isatty(2) != 0);
  std::size_t ok = 0, failed = 0, line_number = 0;
  std::uintmax_t bytes = 0;
  std::vector<Line> batch;
  std::size_t batch_bytes = 0;
  std::string text;
  int exit_code = kExitOk;

  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    std::string body;
    for (const Line& l : batch) body.append(l.text).push_back('\n');
    Posted posted = client.Post(body);
    if (posted.status != 200) {
      std::string why = posted.status == 0 ? posted.error : "HTTP " + std::to_string(posted.status) + ": " + posted.body;
      progress.Update(ok, failed, bytes, /*final=*/true);
      std::fprintf(stderr, "markaz: ingest stopped at line %zu: %s\n", batch.front().number,
                   why.c_str());
      exit_code = kExitFailure;
      return false;
    }
    // One answer line per sent line, in order: {"line":N,"id":…} or {"line":N,"error":{…}}.
    std::size_t answered = 0, start = 0;
    while (start < posted.body.size()) {
      auto end = posted.body.find('\n', start);
      if (end == std::string::npos) end = posted.body.size();
      auto answer = nlohmann::json::parse(posted.body.substr(start, end - start), nullptr, false);
      start = end + 1;
      if (answer.is_discarded() || !answer.contains("line")) continue;
      std::size_t index = answer["line"].get<std::size_t>();
      if (index == 0 || index > batch.size()) continue;
      ++answered;
      if (answer.contains("error")) {
        ++failed;
        if (errors.is_open()) {
          nlohmann::json record = {{"line", batch[index - 1].number},
                                   {"error", answer["error"]},
                                   {"input", batch[index - 1].text}};
          errors << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        }
      } else {
        ++ok;
      }
    }
    if (answered != batch.size()) {
      std::fprintf(stderr, "\nmarkaz: the server answered %zu of %zu lines\n", answered,
                   batch.size());
      exit_code = kExitFailure;
      return false;
    }
    batch.clear();
    batch_bytes = 0;
    progress.Update(ok, failed, bytes);
    return true;
  };

  while (std::getline(in, text)) {
    ++line_number;
    bytes += text.size() + 1;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines
    batch_bytes += text.size() + 1;
    batch.push_back({line_number, std::move(text)});
    text.clear();
    // The server takes at most 16 MiB a request: big reports flush by size before count.
    if ((batch.size() >= args.batch || batch_bytes >= kMaxBatchBytes) && !flush()) break;
  }
  if (exit_code == kExitOk) flush();
  progress.Update(ok, failed, bytes, /*final=*/true);
  std::fprintf(stderr, "markaz: ingested %zu reports, %zu failed, in %.1f s (%.0f reports/s)\n",
               ok, failed, progress.Seconds(),
               progress.Seconds() > 0 ? static_cast<double>(ok) / progress.Seconds() : 0.0);
  if (exit_code == kExitOk && failed > 0) exit_code = kExitFailure;
  return exit_code;
}

}  // namespace

void AddIngestCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "ingest", "Send an NDJSON file of reports to a running centre (POST /v1/reports:bulk)");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("file", args->file, "NDJSON file, or - for standard input")->required();
  cmd->add_option("--url", args->url, "The centre's URL, e.g. http://127.0.0.1:8080")->required();
  cmd->add_option("--token", args->token, "Bearer token (default: $MARKAZ_TOKEN)");
  cmd->add_option("--batch", args->batch, "Reports per request")->capture_default_str();
  cmd->add_option("--errors", args->errors, "Write refused lines and their reasons here");
  cmd->callback([&exit_code, args] { exit_code = RunIngest(*args); });
}

}  // namespace markaz::cli

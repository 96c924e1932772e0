// markaz search QUERY --url URL [--token T] [--json] [--limit N] [--lang L] [--entity E]
//                     [--originator O] [--tlp T] [--from D] [--to D] [--cursor C]
//
// Searches a running centre through GET /v1/search (docs/search.md) and prints a table of the
// hits (id, score, originator, title, snippet) followed by the total and, when more follow,
// the --cursor for the next page; with --json, the server's answer exactly as it came. Errors
// (the server's {"error":…} or an unreachable server) go to stderr with a non-zero exit.
#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace markaz::cli {
namespace {

struct SearchArgs {
  std::string query;
  std::string url;
  std::string token;
  bool json = false;
  int limit = 0;  // 0: the server's default
  std::string lang, entity, originator, tlp, from, to, cursor;
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct Fetched {
  long status = 0;  // 0: no answer
  std::string body;
  std::string error;
};

Fetched Get(const std::string& url, const std::string& token) {
  Fetched f;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    f.error = "cannot initialise libcurl";
    return f;
  }
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f.body);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.status);
  } else {
    f.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return f;
}

std::string Escape(const std::string& value) {
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

// The first `max` code points of `s` on one line: newlines and tabs become spaces, and "…"
// marks a cut.
std::string OneLine(const std::string& s, std::size_t max) {
  std::string out;
  std::size_t cps = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool starts = (c & 0xC0) != 0x80;
    if (starts && cps == max) return out + "…";
    if (starts) ++cps;
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : s[i];
  }
  return out;
}

std::string Cell(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : v.dump();
}

int RunSearch(SearchArgs args) {
  if (args.token.empty()) {
    const char* env = std::getenv("MARKAZ_TOKEN");
    if (env) args.token = env;
  }
  if (args.token.empty()) {
    return Fail(core::Status::InvalidArgument("missing_token", "--token or MARKAZ_TOKEN is required"));
  }
  while (!args.url.empty() && args.url.back() == '/') args.url.pop_back();

  std::string target = args.url + "/v1/search?q=" + Escape(args.query);
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) target += std::string("&") + name + "=" + Escape(value);
  };
  add("lang", args.lang);
  add("entity", args.entity);
  add("originator", args.originator);
  add("tlp", args.tlp);
  add("from", args.from);
  add("to", args.to);
  add("cursor", args.cursor);
  if (args.limit != 0) add("limit", std::to_string(args.limit));

  curl_global_init(CURL_GLOBAL_DEFAULT);
  const Fetched f = Get(target, args.token);
  if (f.status == 0) {
    std::fprintf(stderr, "markaz: cannot reach %s: %s\n", args.url.c_str(), f.error.c_str());
    return kExitFailure;
  }
  const nlohmann::json answer = nlohmann::json::parse(f.body, nullptr, /*allow_exceptions=*/false);
  if (f.status != 200) {
    std::string message = f.body;
    if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
      message = Cell(answer["error"].value("code", nlohmann::json())) + ": " +
                Cell(answer["error"].value("message", nlohmann::json()));
    }
    std::fprintf(stderr, "markaz: search failed (HTTP %ld): %s\n", f.status, message.c_str());
    return f.status >= 400 && f.status < 500 ? kExitUsage : kExitFailure;
  }
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("hits")) {
    std::fprintf(stderr, "markaz: the server's answer is not a search answer\n");
    return kExitFailure;
  }
  if (args.json) {
    std::fwrite(f.body.data(), 1, f.body.size(), stdout);
    std::fputc('\n', stdout);
    return kExitOk;
  }

  std::printf("%-30s %8s  %-10s  %-40s  %s\n", "ID", "SCORE", "ORIGINATOR", "TITLE", "SNIPPET");
  for (const nlohmann::json& hit : answer["hits"]) {
    const double score = hit.value("score", 0.0);
    std::printf("%-30s %8.3f  %-10s  %s  %s\n", Cell(hit.value("id", nlohmann::json())).c_str(),
                score, Cell(hit.value("originator", nlohmann::json())).c_str(),
                OneLine(Cell(hit.value("title", nlohmann::json())), 40).c_str(),
                OneLine(Cell(hit.value("snippet", nlohmann::json())), 100).c_str());
  }
  std::printf("%zu of %s hits\n", answer["hits"].size(), Cell(answer.value("total", nlohmann::json())).c_str());
  if (answer.contains("next_cursor") && answer["next_cursor"].is_string()) {
    std::printf("next page: --cursor %s\n", answer["next_cursor"].get<std::string>().c_str());
  }
  return kExitOk;
}

}  // namespace

void AddSearchCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("search", "Search a running centre (GET /v1/search)");
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("query", args->query, "The query (docs/search.md); \"\" for everything")
      ->required();
  cmd->add_option("--url", args->url, "The centre's URL, e.g. http://127.0.0.1:8080")->required();
  cmd->add_option("--token", args->token, "Bearer token (default: $MARKAZ_TOKEN)");
  cmd->add_flag("--json", args->json, "Print the server's JSON answer as it is");
  cmd->add_option("--limit", args->limit, "Hits per page (1..100; default 20)");
  cmd->add_option("--lang", args->lang, "Only these languages (comma-separated)");
  cmd->add_option("--entity", args->entity, "Only reports naming these entities (country:IQ,…)");
  cmd->add_option("--originator", args->originator, "Only reports of these orgs");
  cmd->add_option("--tlp", args->tlp, "Only these TLP markings");
  cmd->add_option("--from", args->from, "From this day (YYYY-MM-DD) or RFC 3339 time");
  cmd->add_option("--to", args->to, "Up to this day (inclusive) or RFC 3339 time");
  cmd->add_option("--cursor", args->cursor, "The next page of an earlier search");
  cmd->callback([&exit_code, args] { exit_code = RunSearch(*args); });
}

}  // namespace markaz::cli

#include "http/report_routes.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "http/errors.h"
#include "http/report_codec.h"

namespace markaz::http {
namespace {

// Reports of one bulk request are submitted in slices of this many: each slice is one
// group-committed transaction, so a large request neither holds one huge transaction nor pays
// one fsync per line.
constexpr std::size_t kBulkSlice = 512;
// One bulk request answers at most this many lines: the answer is built in memory, and one
// request must not be able to take the server's memory or a thread for long.
constexpr std::size_t kMaxBulkLines = 10000;

Response JsonResponse(int status, std::string body, std::string type = "application/json") {
  Response r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

std::string SubmitAnswer(const centre::SubmitResult& result) {
  // The stored report as GET returns it, plus "duplicate_of" (near-duplicate detection comes
  // with stories; null until then).
  nlohmann::json j = nlohmann::json::parse(EncodeReport(result.report));
  j["seq"] = result.created ? nlohmann::json(result.inbox_seq) : nlohmann::json(nullptr);
  j["duplicate_of"] = nullptr;
  return j.dump();
}

nlohmann::json ErrorJson(const core::Status& status) {
  return nlohmann::json::parse(ErrorResponse(status).body)["error"];
}

Response Submit(centre::Centre& centre, const Request& request, const centre::Identity& who) {
  core::Result<core::ReportInput> input = DecodeReportInput(request.body);
  if (!input.ok()) return ErrorResponse(input.status());
  core::Result<centre::SubmitResult> result = centre.Submit(who, std::move(input).value());
  if (!result.ok()) return ErrorResponse(result.status());
  Response r = JsonResponse(result->created ? 201 : 200, SubmitAnswer(*result));
  r.headers.emplace_back("Location", "/v1/reports/" + result->report.id);
  return r;
}

Response SubmitBulk(centre::Centre& centre, const Request& request, const centre::Identity& who) {
  std::size_t lines = static_cast<std::size_t>(
      std::count(request.body.begin(), request.body.end(), '\n'));
  if (!request.body.empty() && request.body.back() != '\n') ++lines;
  if (lines > kMaxBulkLines) {
    return ErrorResponse(core::Status::TooLarge(
        "too_many_lines", "a bulk request may hold at most " + std::to_string(kMaxBulkLines) +
                              " lines; this one has " + std::to_string(lines)));
  }
  std::string out;
  std::vector<core::ReportInput> inputs;
  std::vector<std::size_t> input_lines;  // line number of each entry of `inputs`
  std::vector<std::string> answers;      // by line number - 1

  auto flush = [&] {
    if (inputs.empty()) return;
    std::vector<core::Result<centre::SubmitResult>> results = centre.SubmitMany(who, inputs);
    for (std::size_t i = 0; i < results.size(); ++i) {
      nlohmann::json line = {{"line", input_lines[i]}};
      if (results[i].ok()) {
        line["id"] = results[i]->report.id;
      } else {
        line["error"] = ErrorJson(results[i].status());
      }
      answers[input_lines[i] - 1] = line.dump();
    }
    inputs.clear();
    input_lines.clear();
  };

  std::string_view body = request.body;
  std::size_t line_number = 0;
  while (!body.empty()) {
    auto newline = body.find('\n');
    std::string_view text = body.substr(0, newline);
    body.remove_prefix(newline == std::string_view::npos ? body.size() : newline + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    ++line_number;
    answers.emplace_back();
    core::Result<core::ReportInput> input =
        text.find_first_not_of(" \t") == std::string_view::npos
            ? core::Result<core::ReportInput>(
                  core::Status::InvalidArgument("empty_line", "an NDJSON line may not be empty"))
            : DecodeReportInput(text);
    if (!input.ok()) {
      answers.back() =
          nlohmann::json{{"line", line_number}, {"error", ErrorJson(input.status())}}.dump();
      continue;
    }
    inputs.push_back(std::move(input).value());
    input_lines.push_back(line_number);
    if (inputs.size() == kBulkSlice) flush();
  }
  flush();
  for (const auto& a : answers) out.append(a).push_back('\n');
  return JsonResponse(200, std::move(out), "application/x-ndjson");
}

}  // namespace

void AddReportRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/reports", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Submit(centre, r, *who);
            });
  table.Add("POST", "/v1/reports:bulk", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return SubmitBulk(centre, r, *who);
            });
  table.Add("GET", "/v1/reports/{id}", true,
            [&centre](const Request&, const centre::Identity* who, const PathParams& params) {
              core::Result<store::ReportRow> row = centre.GetReport(*who, params.at("id"));
              if (!row.ok()) return ErrorResponse(row.status());
              return JsonResponse(200, EncodeReport(*row));
            });
}

}  // namespace markaz::http

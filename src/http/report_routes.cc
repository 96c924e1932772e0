#include "http/report_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "http/errors.h"
#include "http/query.h"
#include "http/report_codec.h"

namespace markaz::http {
namespace {

// The lines of one bulk request are submitted in slices of at most this many lines and bytes:
// each slice is one group-committed transaction, so a large request neither holds one huge
// transaction nor pays one fsync per line, and the memory a request holds is one slice,
// whatever the size of the upload.
constexpr std::size_t kBulkSliceLines = 512;
constexpr std::size_t kBulkSliceBytes = 4 << 20;
// A bulk line longer than this is answered "line_too_large" without being held: four times the
// body limit leaves room for the other fields and for a body written with \uXXXX escapes.
constexpr std::size_t kMaxBulkLineBytes = 4 * core::kMaxBodyBytes;

Response JsonResponse(int status, std::string body, std::string type = "application/json") {
  Response r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

std::string SubmitAnswer(const centre::SubmitResult& result, const EntityNamer& name_of = {}) {
  // The stored report as GET returns it, plus "duplicate_of" (near-duplicate detection comes
  // with stories; null until then).
  nlohmann::json j = nlohmann::json::parse(EncodeReport(result.report, name_of));
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
  Response r = JsonResponse(result->created ? 201 : 200,
                            SubmitAnswer(*result, NamerFor(centre, request, result->report)));
  r.headers.emplace_back("Location", "/v1/reports/" + result->report.id);
  return r;
}

// POST /v1/reports:bulk as a stream: lines are decoded as they arrive, submitted a slice at a
// time, and answered in input order once their slice has committed (SubmitMany returns after
// the group commit's fsync), so an answered line is never lost. A line that cannot be decoded
// is answered with its error and does not stop the others. Lines decoded but not yet submitted
// when the client goes away are dropped unanswered: nothing is promised for them.
class BulkSubmitStream : public BodyStream {
 public:
  BulkSubmitStream(centre::Centre& centre, centre::Identity who)
      : centre_(centre), who_(std::move(who)), lines_(kMaxBulkLineBytes) {}

  void Write(std::string_view bytes, std::string& out) override {
    lines_.Feed(bytes, [&](std::string_view text, bool too_long) { OnLine(text, too_long, out); });
  }

  void Pause(std::string& out) override { Flush(out); }

  void Finish(std::string& out) override {
    lines_.Finish([&](std::string_view text, bool too_long) { OnLine(text, too_long, out); });
    Flush(out);
  }

 private:
  // A line of the current slice: an input awaiting the slice's commit (answer empty), or a
  // line already answered with an error, held back so that answers stay in input order.
  struct Held {
    std::size_t line;
    std::string answer;
  };

  void OnLine(std::string_view text, bool too_long, std::string& out) {
    const std::size_t line = ++line_number_;
    core::Result<core::ReportInput> input =
        too_long ? core::Result<core::ReportInput>(core::Status::TooLarge(
                       "line_too_large",
                       "the line is longer than " + std::to_string(kMaxBulkLineBytes) + " bytes"))
        : text.find_first_not_of(" \t") == std::string_view::npos
            ? core::Result<core::ReportInput>(
                  core::Status::InvalidArgument("empty_line", "an NDJSON line may not be empty"))
            : DecodeReportInput(text);
    if (!input.ok()) {
      std::string answer = AnswerLine(line, input.status());
      if (held_.empty()) {
        out.append(answer).push_back('\n');
      } else {
        held_.push_back({line, std::move(answer)});
      }
    } else {
      inputs_.push_back(std::move(input).value());
      held_.push_back({line, std::string()});
      held_bytes_ += text.size();
    }
    if (held_.size() >= kBulkSliceLines || held_bytes_ >= kBulkSliceBytes) Flush(out);
  }

  // Submits the slice (one group-committed transaction) and answers its lines in order.
  void Flush(std::string& out) {
    if (held_.empty()) return;
    std::vector<core::Result<centre::SubmitResult>> results;
    if (!inputs_.empty()) results = centre_.SubmitMany(who_, std::move(inputs_));
    std::size_t next = 0;
    for (Held& h : held_) {
      if (!h.answer.empty()) {
        out.append(h.answer).push_back('\n');
        continue;
      }
      const core::Result<centre::SubmitResult>& result = results.at(next++);
      if (result.ok()) {
        out.append(nlohmann::json{{"line", h.line}, {"id", result->report.id}}.dump());
      } else {
        out.append(AnswerLine(h.line, result.status()));
      }
      out.push_back('\n');
    }
    inputs_.clear();
    held_.clear();
    held_bytes_ = 0;
  }

  static std::string AnswerLine(std::size_t line, const core::Status& status) {
    return nlohmann::json{{"line", line}, {"error", ErrorJson(status)}}.dump();
  }

  centre::Centre& centre_;
  const centre::Identity who_;
  LineSplitter lines_;
  std::size_t line_number_ = 0;
  std::vector<core::ReportInput> inputs_;  // the inputs of held_, in order
  std::vector<Held> held_;
  std::size_t held_bytes_ = 0;  // the text bytes of inputs_
};

StreamStart StartBulk(centre::Centre& centre, const centre::Identity& who) {
  // Asked from the request head, before any of the body is read.
  if (core::Status may = centre.MaySubmit(who); !may.ok()) {
    return StreamStart{ErrorResponse(may), nullptr};
  }
  StreamStart start;
  start.head.status = 200;
  start.head.content_type = "application/x-ndjson";
  start.stream = std::make_unique<BulkSubmitStream>(centre, who);
  return start;
}

}  // namespace

EntityNamer NamerFor(const centre::Centre& centre, const Request& request,
                     const store::ReportRow& row) {
  std::string lang = QueryParam(request.target, "lang").value_or("");
  if (lang.empty()) lang = PreferredLanguage(request.Header("accept-language"));
  if (lang.empty()) lang = row.input.lang.value_or("");
  return [&centre, lang](std::string_view id) { return centre.EntityName(id, lang); };
}

void AddReportRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/reports", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Submit(centre, r, *who);
            });
  table.AddStreaming("POST", "/v1/reports:bulk", true,
                     [&centre](const Request&, const centre::Identity* who, const PathParams&) {
                       return StartBulk(centre, *who);
                     });
  table.Add("GET", "/v1/reports/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& params) {
              core::Result<store::ReportRow> row = centre.GetReport(*who, params.at("id"));
              if (!row.ok()) return ErrorResponse(row.status());
              return JsonResponse(200, EncodeReport(*row, NamerFor(centre, r, *row)));
            });
}

}  // namespace markaz::http

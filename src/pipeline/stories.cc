#include "pipeline/stories.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace markaz::pipeline {

using core::Result;
using core::Status;

core::Time EventTime(const store::ReportRow& report) {
  return report.input.observed_at.value_or(report.received_at);
}

namespace {

std::vector<std::string> EntityIds(const ReportAnalysis& analysis) {
  std::vector<std::string> ids;
  ids.reserve(analysis.entities.size());
  for (const EntityRef& e : analysis.entities) ids.push_back(e.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The parts of a stored analysis that analytics and story assignment read back.
struct StoredAnalysis {
  std::string lang;
  std::vector<std::string> entities;  // sorted, unique
  std::string story;
};

Result<StoredAnalysis> ParseStored(const store::ReportRow& report) {
  const nlohmann::json j =
      nlohmann::json::parse(report.analysis, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("bad_analysis",
                                   "stored analysis of " + report.id + " " + why);
  };
  if (!j.is_object()) return bad("is not a JSON object");
  StoredAnalysis out;
  if (auto lang = j.find("lang"); lang != j.end() && lang->is_string()) out.lang = *lang;
  if (auto entities = j.find("entities"); entities != j.end()) {
    if (!entities->is_array()) return bad("has entities that are not an array");
    for (const nlohmann::json& e : *entities) {
      auto id = e.find("id");
      if (!e.is_object() || id == e.end() || !id->is_string()) return bad("has an entity without id");
      out.entities.push_back(*id);
    }
  }
  std::sort(out.entities.begin(), out.entities.end());
  out.entities.erase(std::unique(out.entities.begin(), out.entities.end()), out.entities.end());
  if (auto story = j.find("story"); story != j.end() && story->is_string()) out.story = *story;
  return out;
}

}  // namespace

std::string StoredStory(const store::ReportRow& report) {
  // ToJson writes ,"story":"sto_…" at the top level. That sequence cannot occur inside a JSON
  // string (its quotes would be escaped), so a scan finds exactly the member, without parsing
  // the whole analysis: search answers read it for every hit.
  static constexpr std::string_view kKey = ",\"story\":\"";
  const std::size_t at = report.analysis.find(kKey);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + kKey.size();
  const std::size_t end = report.analysis.find('"', begin);
  if (end == std::string::npos) return {};
  return report.analysis.substr(begin, end - begin);
}

cluster::StoryInput StoryInputOf(const store::ReportRow& report, const ReportAnalysis& analysis) {
  cluster::StoryInput in;
  in.report_id = report.id;
  in.time = EventTime(report);
  in.lang = analysis.lang;
  in.entities = EntityIds(analysis);
  in.numbers = cluster::NumberTerms(analysis.tokens);
  in.fingerprint = cluster::MakeFingerprint(analysis.tokens);
  return in;
}

namespace {

analytics::ReportFacts Facts(const store::ReportRow& report, std::string lang, std::string story,
                             std::vector<std::string> entities) {
  analytics::ReportFacts f;
  f.seq = report.seq;
  f.id = report.id;
  f.time = EventTime(report);
  f.lang = std::move(lang);
  f.originator = report.originator;
  f.story = std::move(story);
  f.entities = std::move(entities);
  f.audience = report.audience;
  return f;
}

}  // namespace

analytics::ReportFacts FactsOf(const store::ReportRow& report, const ReportAnalysis& analysis) {
  return Facts(report, analysis.lang, analysis.story, EntityIds(analysis));
}

Result<LoadStats> LoadAnalysis(store::Store& store, cluster::StoryAssigner* stories,
                               analytics::Analytics* analytics, int page) {
  LoadStats stats;
  std::int64_t after = 0;
  // Fingerprints are read in pages of their own and joined to reports by seq (every
  // fingerprint has its report; not every report has a fingerprint).
  std::vector<store::FingerprintRow> prints;
  std::size_t next_print = 0;
  std::int64_t prints_after = 0;
  bool prints_done = stories == nullptr;
  for (;;) {
    MARKAZ_ASSIGN_OR_RETURN(std::vector<store::ReportRow> reports, store.ReadReports(after, page));
    if (reports.empty()) break;
    for (const store::ReportRow& report : reports) {
      after = report.seq;
      stats.last_seq = report.seq;
      if (report.analysis.empty()) continue;
      MARKAZ_ASSIGN_OR_RETURN(StoredAnalysis stored, ParseStored(report));
      if (analytics != nullptr) {
        analytics->Add(Facts(report, stored.lang, stored.story, stored.entities));
        ++stats.reports;
      }
      if (prints_done) continue;
      // Advance the fingerprint cursor to this report's seq.
      while (!prints_done) {
        if (next_print == prints.size()) {
          MARKAZ_ASSIGN_OR_RETURN(prints, store.ReadFingerprints(prints_after, page));
          next_print = 0;
          if (prints.empty()) {
            prints_done = true;
            break;
          }
          prints_after = prints.back().seq;
        }
        if (prints[next_print].seq >= report.seq) break;
        ++next_print;  // a fingerprint without a report row: cannot happen (foreign key)
      }
      if (prints_done || prints[next_print].seq != report.seq || stored.story.empty()) continue;
      cluster::StoryInput in;
      Result<cluster::Fingerprint> fingerprint =
          cluster::DecodeFingerprint(prints[next_print].blob, &in.numbers);
      if (!fingerprint.ok()) return fingerprint.status();
      in.report_id = report.id;
      in.time = EventTime(report);
      in.lang = stored.lang;
      in.entities = stored.entities;
      in.fingerprint = std::move(fingerprint).value();
      stories->Load(report.seq, in, stored.story);
      ++stats.fingerprints;
    }
  }
  if (analytics != nullptr) analytics->Flush();
  return stats;
}

}  // namespace markaz::pipeline

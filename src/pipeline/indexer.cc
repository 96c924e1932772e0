#include "pipeline/indexer.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "core/tlp.h"
#include "pipeline/stories.h"
#include "text/normalize.h"

namespace markaz::pipeline {

using core::Result;
using core::Status;

namespace {

std::int64_t Millis(core::Time t) { return t.time_since_epoch().count(); }

}  // namespace

index::Document ToDocument(const store::ReportRow& report, const ReportAnalysis& analysis) {
  index::Document doc;
  doc.key = report.id;
  doc.seq = report.seq;

  // Spans count code points of title + "\n\n" + body: a token that starts before the end of
  // the title is a title word.
  const std::uint32_t title_end = text::CountCodePoints(report.input.title);
  doc.terms.reserve(analysis.tokens.size());
  for (const text::Token& token : analysis.tokens) {
    const std::uint32_t weight = token.span.begin < title_end ? index::kTitleWeight : 1;
    doc.terms.push_back({token.stem, token.position, weight});
  }

  namespace col = index::columns;
  if (!analysis.lang.empty()) doc.keywords.push_back({col::kLang, analysis.lang});
  doc.keywords.push_back({col::kOriginator, report.originator});
  doc.keywords.push_back({col::kTlp, std::string(core::TlpName(report.input.tlp))});
  for (const EntityRef& entity : analysis.entities) {
    doc.keywords.push_back({col::kEntity, entity.id});
  }
  if (!analysis.story.empty()) doc.keywords.push_back({col::kStory, analysis.story});

  const core::Time time = report.input.observed_at.value_or(report.received_at);
  doc.numbers.push_back({col::kTime, Millis(time)});
  doc.numbers.push_back({col::kReceivedAt, Millis(report.received_at)});
  doc.numbers.push_back({col::kSeq, report.seq});

  doc.readers = report.audience;
  std::sort(doc.readers.begin(), doc.readers.end());
  doc.readers.erase(std::unique(doc.readers.begin(), doc.readers.end()), doc.readers.end());
  return doc;
}

Result<CatchUpStats> CatchUp(store::Store& store, const Processor& processor,
                             index::Index& index, const CatchUpOptions& options) {
  CatchUpStats stats;
  stats.from_seq = index.durable_seq();
  stats.to_seq = stats.from_seq;
  const int page = std::max(1, options.page);
  const int threads = std::max(1, options.threads);

  std::int64_t after = stats.from_seq;
  std::vector<index::Document> docs;
  for (;;) {
    MARKAZ_ASSIGN_OR_RETURN(std::vector<store::ReportRow> rows, store.ReadReports(after, page));
    if (rows.empty()) break;
    // Analysis is the cost (the store read is cheap): spread it over a few threads, then add
    // in seq order, which the index requires.
    docs.assign(rows.size(), index::Document{});
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next.fetch_add(1); i < rows.size(); i = next.fetch_add(1)) {
        ReportAnalysis analysis = processor.Analyse(rows[i].input);
        // The story was decided at commit time; re-analysis cannot decide it again.
        analysis.story = StoredStory(rows[i]);
        docs[i] = ToDocument(rows[i], analysis);
      }
    };
    std::vector<std::thread> helpers;
    const std::size_t extra =
        std::min<std::size_t>(static_cast<std::size_t>(threads - 1), rows.size() - 1);
    helpers.reserve(extra);
    for (std::size_t t = 0; t < extra; ++t) helpers.emplace_back(work);
    work();
    for (std::thread& t : helpers) t.join();

    for (index::Document& doc : docs) {
      if (index.Add(std::move(doc))) ++stats.added;
    }
    after = rows.back().seq;
    stats.to_seq = after;
    if (rows.size() < static_cast<std::size_t>(page)) break;
  }
  return stats;
}

core::Result<std::size_t> ReplayWidenings(store::Store& store, index::Index& index) {
  std::size_t replayed = 0;
  std::int64_t after = 0;
  for (;;) {
    MARKAZ_ASSIGN_OR_RETURN(std::vector<store::WideningRow> page, store.ReadWidenings(after, 512));
    if (page.empty()) return replayed;
    for (const store::WideningRow& w : page) {
      MARKAZ_RETURN_IF_ERROR(index.Widen(w.report_seq, w.added));
      after = w.id;
      ++replayed;
    }
  }
}

}  // namespace markaz::pipeline

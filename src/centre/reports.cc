// Collecting and reading reports: Centre::Submit, SubmitMany and GetReport.
#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "centre/centre.h"
#include "centre/org_states.h"
#include "pipeline/indexer.h"
#include "pipeline/stories.h"
#include "policy/audience.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

Status NotFoundReport(const std::string& id) {
  // The same status, reason and message whether the report is missing or merely not visible.
  return Status::NotFound("not_found", "no report " + id);
}

// What story assignment needs of one report at commit time (null when the centre runs
// without stories): prepared off the writer's lock, decided under it.
struct StoryStep {
  cluster::StoryAssigner* assigner = nullptr;
  cluster::StoryInput input;
  pipeline::ReportAnalysis* analysis = nullptr;  // gets story and near_duplicates
  cluster::Decision decision;
};

// The writes of one report inside the batch's transaction: the report, one inbox entry per
// org of its audience, its audit entry; with stories, its story (decided here, in commit order,
// against every report committed or staged before it) and its fingerprint. Idempotency is
// decided here, under the writer's lock, so concurrent retries of one external_id (even within
// one batch) yield one report.
// `cites` is set for a product (centre/products.cc): stored beside it, its inbox entries are
// "product" entries and its audit entry "product.create".
Status WriteReport(store::Transaction& txn, const std::string& actor, core::Time now,
                   SubmitResult& result, StoryStep* story,
                   const std::vector<std::string>* cites,
                   std::vector<store::InboxEntry>& appended) {
  store::ReportRow& row = result.report;
  if (row.input.external_id) {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> first,
                            txn.FindReportByExternalId(row.originator, *row.input.external_id));
    if (first) {
      row = std::move(*first);
      result.created = false;
      return Status::Ok();
    }
  }
  if (story != nullptr) {
    auto fetch = [&txn](std::int64_t seq) -> Result<std::string> {
      MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> blob, txn.GetFingerprint(seq));
      if (!blob) return Status::NotFound("no_fingerprint", "no fingerprint for seq " + std::to_string(seq));
      return std::move(*blob);
    };
    MARKAZ_ASSIGN_OR_RETURN(story->decision, story->assigner->Decide(story->input, fetch));
    story->analysis->story = story->decision.story;
    story->analysis->near_duplicates = story->decision.near_duplicates;
    row.analysis = pipeline::ToJson(*story->analysis);
  }
  MARKAZ_ASSIGN_OR_RETURN(row.seq, txn.InsertReport(row));
  if (story != nullptr) {
    // Encoded here rather than beforehand: a slice of a bulk upload would otherwise hold every
    // report's blob beside its fingerprint until the commit (a few KB each).
    MARKAZ_RETURN_IF_ERROR(txn.PutFingerprint(
        row.seq, cluster::EncodeFingerprint(story->input.fingerprint, story->input.numbers)));
  }
  if (cites != nullptr) MARKAZ_RETURN_IF_ERROR(txn.PutProductCites(row.id, *cites));
  const std::string kind = cites != nullptr ? "product" : "report";
  for (const std::string& org : row.audience) {
    MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.AppendInbox(org, kind, row.id, now));
    if (org == row.originator) result.inbox_seq = seq;
    appended.push_back(store::InboxEntry{org, seq, kind, row.id, now, "", row.input.title,
                                         std::string(core::TlpName(row.input.tlp))});
  }
  nlohmann::json detail = {
      {"tlp", core::TlpName(row.input.tlp)}, {"audience", row.audience}, {"seq", row.seq}};
  if (story != nullptr) detail["story"] = story->decision.story;
  if (cites != nullptr) detail["cites"] = *cites;
  audit::Event event{actor, cites != nullptr ? "product.create" : "report.submit", row.id,
                     detail.dump()};
  MARKAZ_RETURN_IF_ERROR(audit::Append(txn, event, now).status());
  result.created = true;
  return Status::Ok();
}

}  // namespace

Status Centre::MaySubmit(const Identity& who) {
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  for (const store::OrgRow& o : orgs) {
    if (o.entry.id == who.org) {
      return policy::CheckMaySubmit({o.entry.id, o.entry.kind, o.entry.may_submit, o.suspended});
    }
  }
  return Status::Internal("caller's org is not stored");
}

Result<SubmitResult> Centre::Submit(const Identity& who, core::ReportInput input) {
  std::vector<core::ReportInput> one;
  one.push_back(std::move(input));
  return std::move(SubmitMany(who, std::move(one)).front());
}

std::vector<Result<SubmitResult>> Centre::SubmitMany(const Identity& who,
                                                     std::vector<core::ReportInput> inputs) {
  return SubmitItems(who, std::move(inputs), nullptr);
}

std::vector<Result<SubmitResult>> Centre::SubmitItems(const Identity& who,
                                                      std::vector<core::ReportInput> inputs,
                                                      const std::vector<std::string>* cites) {
  std::vector<std::optional<Result<SubmitResult>>> answers(inputs.size());
  auto finish = [&] {
    std::vector<Result<SubmitResult>> out;
    out.reserve(answers.size());
    for (auto& a : answers) out.push_back(std::move(*a));
    return out;
  };
  auto fail_all = [&](const Status& status) {
    for (auto& a : answers) {
      if (!a) a = status;
    }
    return finish();
  };

  Result<std::vector<store::OrgRow>> orgs = store_.ListOrgs();
  if (!orgs.ok()) return fail_all(orgs.status());
  std::vector<policy::OrgState> states = ToPolicy(*orgs);
  auto self = std::find_if(states.begin(), states.end(),
                           [&](const policy::OrgState& s) { return s.id == who.org; });
  if (self == states.end()) return fail_all(Status::Internal("caller's org is not stored"));
  if (Status may = policy::CheckMaySubmit(*self); !may.ok()) return fail_all(may);

  // Everything that can be decided before the transaction is decided here, off the writer.
  const core::Time now = clock_.Now();
  std::vector<SubmitResult> prepared;
  std::vector<std::size_t> index_of;  // prepared[k] answers inputs[index_of[k]]
  // prepared[k]'s analysis, index document and story step, built before the commit (its seq
  // and story are known only under the writer's lock), so that the work under the lock and the
  // after-commit hook, which holds up the next batch, stay short.
  std::vector<pipeline::ReportAnalysis> analyses;
  std::vector<index::Document> documents;
  std::vector<StoryStep> story_steps;
  const bool indexing = processor_ != nullptr && index_ != nullptr;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (Status valid = core::ValidateReportInput(inputs[i]); !valid.ok()) {
      answers[i] = valid;
      continue;
    }
    Result<core::Audience> audience =
        policy::ExpandAudience(who.org, inputs[i].tlp, inputs[i].release_to, states);
    if (!audience.ok()) {
      answers[i] = audience.status();
      continue;
    }
    SubmitResult r;
    r.report.id = ids_.Next(cites != nullptr ? "prd" : "rep", now);
    r.report.originator = who.org;
    r.report.received_at = now;
    r.report.audience = std::move(audience).value();
    r.report.input = std::move(inputs[i]);
    // Processing is pure and runs here, on the submitting thread, outside the writer's lock
    // (DESIGN.md §3); its result is committed with the report.
    if (processor_ != nullptr) {
      pipeline::ReportAnalysis analysis = processor_->Analyse(r.report.input);
      r.report.analysis = pipeline::ToJson(analysis);
      if (indexing) documents.push_back(pipeline::ToDocument(r.report, analysis));
      // A product is an assessment, not news: it joins no story (and none joins it).
      if (stories_ != nullptr && cites == nullptr) {
        StoryStep step;
        step.assigner = stories_;
        step.input = pipeline::StoryInputOf(r.report, analysis);
        story_steps.push_back(std::move(step));
      }
      analysis.tokens.clear();  // the index document and the fingerprint hold what was needed
      analyses.push_back(std::move(analysis));
    }
    prepared.push_back(std::move(r));
    index_of.push_back(i);
  }
  // Pointers into `analyses` only now that it has stopped growing.
  for (std::size_t k = 0; k < story_steps.size(); ++k) story_steps[k].analysis = &analyses[k];

  if (!prepared.empty()) {
    const std::string actor = who.AuditActor();
    std::vector<Status> statuses(prepared.size());
    // Each report's inbox entries, for the live feeds once they are durable.
    std::vector<std::vector<store::InboxEntry>> appended(prepared.size());
    const bool storying = stories_ != nullptr && cites == nullptr;
    Status committed = committer_.Commit(
        [&](store::Transaction& txn) -> Status {
          for (std::size_t k = 0; k < prepared.size(); ++k) {
            StoryStep* step = storying ? &story_steps[k] : nullptr;
            appended[k].clear();  // a retried batch starts over
            statuses[k] = txn.Nested([&](store::Transaction& inner) {
              return WriteReport(inner, actor, now, prepared[k], step, cites, appended[k]);
            });
            if (!statuses[k].ok()) appended[k].clear();
            // Staged only once its writes stand: later reports of this batch may join it.
            if (step != nullptr && statuses[k].ok() && prepared[k].created) {
              stories_->Stage(prepared[k].report.seq, step->input, step->decision);
            }
          }
          return Status::Ok();
        },
        [&] {
          // Durable now, and in commit order (group_commit.h). A resubmission (created =
          // false) is already indexed and counted under its first seq.
          if (storying) stories_->Publish();
          for (std::size_t k = 0; k < prepared.size(); ++k) {
            if (!statuses[k].ok() || !prepared[k].created) continue;
            const store::ReportRow& row = prepared[k].report;
            if (indexing) {
              documents[k].seq = row.seq;
              // Built before the seq was known (pipeline::ToDocument): the seq column too.
              for (index::NumberValue& n : documents[k].numbers) {
                if (n.column == index::columns::kSeq) n.value = row.seq;
              }
              if (storying) {
                documents[k].keywords.push_back({index::columns::kStory, analyses[k].story});
              }
              index_->Add(std::move(documents[k]));
            }
            if (analytics_ != nullptr) analytics_->Add(pipeline::FactsOf(row, analyses[k]));
          }
          for (const auto& entries : appended) PublishEntries(entries);
        },
        [&] {
          // Nothing of the batch is durable: forget what it staged.
          if (storying) stories_->Discard();
        });
    for (std::size_t k = 0; k < prepared.size(); ++k) {
      // Nothing of a failed commit is durable, so nothing of it is acknowledged.
      const Status& s = committed.ok() ? statuses[k] : committed;
      if (s.ok()) {
        // The submitter sees the near-duplicates it may read, as any reader does.
        if (storying) {
          prepared[k].report.analysis = VisibleAnalysis(who, prepared[k].report.analysis);
        }
        answers[index_of[k]] = std::move(prepared[k]);
      } else {
        answers[index_of[k]] = s;
      }
    }
  }
  return finish();
}

std::string Centre::EntityName(std::string_view id, std::string_view lang) const {
  return processor_ == nullptr ? std::string() : processor_->EntityName(id, lang);
}

Result<store::ReportRow> Centre::GetReport(const Identity& who, const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> row, store_.GetReport(id));
  if (!row || !policy::InAudience(row->audience, who.org)) return NotFoundReport(id);
  if (row->input.tlp == core::Tlp::kRed || row->input.tlp == core::Tlp::kAmberStrict) {
    // DESIGN.md §5: who read a red or amber+strict item, and when, is itself on the record.
    // The read is answered only once that record is durable.
    MARKAZ_RETURN_IF_ERROR(AuditRead(who, *row));
  }
  row->analysis = VisibleAnalysis(who, row->analysis);
  return std::move(*row);
}

std::string Centre::VisibleAnalysis(const Identity& who, const std::string& analysis) {
  if (analysis.find("\"near_duplicates\"") == std::string::npos) return analysis;
  nlohmann::json j = nlohmann::json::parse(analysis, nullptr, /*allow_exceptions=*/false);
  auto dups = j.is_object() ? j.find("near_duplicates") : j.end();
  if (dups == j.end() || !dups->is_array() || dups->empty()) return analysis;
  nlohmann::json visible = nlohmann::json::array();
  for (const nlohmann::json& d : *dups) {
    auto id = d.is_object() ? d.find("id") : d.end();
    if (id == d.end() || !id->is_string()) continue;
    // The store is the authority on audiences; a lookup fails closed (the entry is dropped).
    Result<std::optional<store::ReportRow>> other = store_.GetReport(id->get<std::string>());
    if (other.ok() && *other && policy::InAudience((*other)->audience, who.org)) {
      visible.push_back(d);
    }
  }
  if (visible.size() == dups->size()) return analysis;
  *dups = std::move(visible);
  return j.dump();
}

Status Centre::AuditRead(const Identity& who, const store::ReportRow& report) {
  const core::Time now = clock_.Now();
  return committer_.Commit([&](store::Transaction& txn) -> Status {
    audit::Event event{who.AuditActor(), "report.read", report.id, "{}"};
    return audit::Append(txn, event, now).status();
  });
}

}  // namespace markaz::centre

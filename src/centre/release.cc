// Release after submission (DESIGN.md §2 rule 2; policy/release.h): Centre::Release (the
// originator widens), RequestRelease, DecideRelease and GetReleaseRequest.
//
// Decisions:
// - A release request names orgs or groups exactly as release_to does, and is checked against
//   the report's marking when it is made (a request the originator could never approve is
//   refused at once) and again when it is approved (orgs may have been suspended since).
// - The request reaches the originator's inbox as a "release" entry; the decision reaches the
//   requester's inbox as another "release" entry. Both name the report in `ref`.
// - A request is visible to the requesting org and to the originating org, to any role of
//   either; only the originator's releasers and admins decide. Anyone else gets 404, exactly
//   as for an unknown id.
// - The reason and the note are kept with the request, not in the audit chain (the chain is
//   read by every member); the chain records who asked whom for what, and the decision.
#include <algorithm>
#include <cstdio>
#include <iterator>

#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "centre/audit_detail.h"
#include "centre/centre.h"
#include "centre/org_states.h"
#include "policy/audience.h"
#include "policy/release.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kMaxReasonBytes = 2000;

Status NotFoundReport(const std::string& id) {
  return Status::NotFound("not_found", "no report " + id);
}
Status NotFoundRequest(const std::string& id) {
  return Status::NotFound("not_found", "no release request " + id);
}

// The widening's writes: the audience, one "report" entry per added org, collected into
// `appended` for the live feeds. `widening` gets what the store actually added; none is not an
// error here (a concurrent widening may have added them first).
Status WriteWidening(store::Transaction& txn, const store::ReportRow& report,
                     const core::Audience& add, core::Time now, store::WideningRow& widening,
                     std::vector<store::InboxEntry>& appended) {
  Result<store::WideningRow> w = txn.WidenAudience(report.id, add, now);
  if (!w.ok()) {
    if (w.status().reason() == "nothing_added") return Status::Ok();
    return w.status();
  }
  widening = std::move(*w);
  for (const std::string& org : widening.added) {
    MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.AppendInbox(org, "report", report.id, now));
    appended.push_back(store::InboxEntry{org, seq, "report", report.id, now, "",
                                         report.input.title,
                                         std::string(core::TlpName(report.input.tlp))});
  }
  return Status::Ok();
}

// The report, if `org` may read it; NotFound "not_found" otherwise, as for an unknown id.
Result<store::ReportRow> ReadableReport(store::Store& store, const std::string& org,
                                        const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> report, store.GetReport(id));
  if (!report || !policy::InAudience(report->audience, org)) return NotFoundReport(id);
  return std::move(*report);
}

// What releasing `report` to `to` would add, within its marking, among the orgs stored now.
Result<policy::Widening> WideningOf(store::Store& store, const store::ReportRow& report,
                                    const std::vector<std::string>& to) {
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store.ListOrgs());
  return policy::Widen(report.originator, report.input.tlp, report.audience, to, ToPolicy(orgs));
}

store::InboxEntry ReleaseEntry(const std::string& org, std::int64_t seq,
                               const store::ReleaseRequestRow& request,
                               const store::ReportRow& report, core::Time now) {
  return store::InboxEntry{org, seq, "release", request.id, now, report.id, report.input.title,
                           std::string(core::TlpName(report.input.tlp))};
}

}  // namespace

void Centre::ApplyWidening(const store::WideningRow& widening,
                           const std::vector<store::InboxEntry>& entries) {
  if (!widening.added.empty()) {
    if (index_ != nullptr) {
      // Durable in the store already; if the index cannot record it now, the start-up replay
      // of the widening log does (pipeline::ReplayWidenings).
      Status s = index_->Widen(widening.report_seq, widening.added);
      if (!s.ok()) std::fprintf(stderr, "markaz: index widen: %s\n", s.ToString().c_str());
    }
    if (analytics_ != nullptr) analytics_->Widen(widening.report_id, widening.added);
  }
  PublishEntries(entries);
}

Result<ReleaseView> Centre::Release(const Identity& who, const std::string& report_id,
                                    const std::vector<std::string>& release_to) {
  MARKAZ_ASSIGN_OR_RETURN(const store::ReportRow report,
                          ReadableReport(store_, who.org, report_id));
  MARKAZ_RETURN_IF_ERROR(policy::CheckMayRelease(who.org, who.role, report.originator));
  MARKAZ_ASSIGN_OR_RETURN(policy::Widening w, WideningOf(store_, report, release_to));
  if (w.added.empty()) {
    return Status::InvalidArgument("nothing_added",
                                   "every org named can read " + report_id + " already");
  }
  const core::Time now = clock_.Now();
  store::WideningRow widening;
  std::vector<store::InboxEntry> appended;
  Status committed = committer_.Commit(
      [&](store::Transaction& txn) -> Status {
        widening = {};
        appended.clear();
        MARKAZ_RETURN_IF_ERROR(WriteWidening(txn, report, w.added, now, widening, appended));
        if (widening.added.empty()) {
          return Status::InvalidArgument("nothing_added",
                                         "every org named can read " + report_id + " already");
        }
        nlohmann::json detail = {{"release_to", release_to}, {"added", widening.added}};
        audit::Event event{who.AuditActor(), "report.release", report_id, CanonicalJson(detail)};
        return audit::Append(txn, event, now).status();
      },
      [&] { ApplyWidening(widening, appended); });
  MARKAZ_RETURN_IF_ERROR(committed);
  ReleaseView view;
  view.report_id = report_id;
  std::set_union(report.audience.begin(), report.audience.end(), widening.added.begin(),
                 widening.added.end(), std::back_inserter(view.audience));
  view.added = widening.added;
  return view;
}

Result<ReleaseRequestView> Centre::RequestRelease(const Identity& who,
                                                  const std::string& report_id,
                                                  const std::vector<std::string>& to,
                                                  const std::string& reason) {
  MARKAZ_ASSIGN_OR_RETURN(const store::ReportRow report,
                          ReadableReport(store_, who.org, report_id));
  if (who.org == report.originator) {
    return Status::PermissionDenied("own_report",
                                    "the originator widens its own report: POST "
                                    "/v1/reports/{id}/release");
  }
  if (reason.size() > kMaxReasonBytes) {
    return Status::InvalidArgument("bad_reason", "reason is longer than 2000 bytes");
  }
  MARKAZ_ASSIGN_OR_RETURN(policy::Widening w, WideningOf(store_, report, to));
  if (w.added.empty()) {
    return Status::InvalidArgument("nothing_to_ask",
                                   "every org named can read " + report_id + " already");
  }
  const core::Time now = clock_.Now();
  store::ReleaseRequestRow row;
  row.id = ids_.Next("rrq", now);
  row.report_id = report_id;
  row.requester_org = who.org;
  row.requester = who.AuditActor();
  row.to = to;
  row.reason = reason;
  row.created_at = now;
  std::vector<store::InboxEntry> appended;
  Status committed = committer_.Commit(
      [&](store::Transaction& txn) -> Status {
        appended.clear();
        MARKAZ_RETURN_IF_ERROR(txn.InsertReleaseRequest(row));
        MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.AppendInbox(report.originator, "release",
                                                                  row.id, now, report_id));
        appended.push_back(ReleaseEntry(report.originator, seq, row, report, now));
        nlohmann::json detail = {{"report", report_id}, {"to", to}};
        audit::Event event{who.AuditActor(), "release.request", row.id, CanonicalJson(detail)};
        return audit::Append(txn, event, now).status();
      },
      [&] { PublishEntries(appended); });
  MARKAZ_RETURN_IF_ERROR(committed);
  return ReleaseRequestView{row, {}};
}

Result<ReleaseRequestView> Centre::DecideRelease(const Identity& who, const std::string& id,
                                                 bool approve, const std::string& note) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReleaseRequestRow> request,
                          store_.GetReleaseRequest(id));
  if (!request) return NotFoundRequest(id);
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> report,
                          store_.GetReport(request->report_id));
  if (!report) return Status::Internal("release request " + id + " names no stored report");
  if (who.org != request->requester_org && who.org != report->originator) {
    return NotFoundRequest(id);
  }
  MARKAZ_RETURN_IF_ERROR(policy::CheckMayRelease(who.org, who.role, report->originator));
  if (note.size() > kMaxReasonBytes) {
    return Status::InvalidArgument("bad_note", "note is longer than 2000 bytes");
  }
  if (request->state != store::RequestState::kPending) {
    return Status::Conflict("request_decided",
                            "release request " + id + " was " +
                                std::string(store::RequestStateName(request->state)) + " already");
  }
  core::Audience add;
  if (approve) {
    MARKAZ_ASSIGN_OR_RETURN(policy::Widening w, WideningOf(store_, *report, request->to));
    add = std::move(w.added);
  }
  const core::Time now = clock_.Now();
  const store::RequestState state =
      approve ? store::RequestState::kApproved : store::RequestState::kDenied;
  store::WideningRow widening;
  std::vector<store::InboxEntry> appended;
  Status committed = committer_.Commit(
      [&](store::Transaction& txn) -> Status {
        widening = {};
        appended.clear();
        MARKAZ_RETURN_IF_ERROR(
            txn.DecideReleaseRequest(id, state, now, who.AuditActor(), note));
        if (!add.empty()) {
          MARKAZ_RETURN_IF_ERROR(WriteWidening(txn, *report, add, now, widening, appended));
        }
        MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq,
                                txn.AppendInbox(request->requester_org, "release", id, now,
                                                report->id));
        appended.push_back(ReleaseEntry(request->requester_org, seq, *request, *report, now));
        nlohmann::json detail = {{"report", report->id}, {"added", widening.added}};
        audit::Event event{who.AuditActor(), approve ? "release.approve" : "release.deny", id,
                           CanonicalJson(detail)};
        return audit::Append(txn, event, now).status();
      },
      [&] { ApplyWidening(widening, appended); });
  MARKAZ_RETURN_IF_ERROR(committed);
  request->state = state;
  request->decided_at = now;
  request->decided_by = who.AuditActor();
  request->note = note;
  return ReleaseRequestView{std::move(*request), widening.added};
}

Result<ReleaseRequestView> Centre::GetReleaseRequest(const Identity& who, const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReleaseRequestRow> request,
                          store_.GetReleaseRequest(id));
  if (!request) return NotFoundRequest(id);
  if (who.org != request->requester_org) {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> report,
                            store_.GetReport(request->report_id));
    if (!report || who.org != report->originator) return NotFoundRequest(id);
  }
  return ReleaseRequestView{std::move(*request), {}};
}

}  // namespace markaz::centre

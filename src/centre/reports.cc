// Collecting and reading reports: Centre::Submit and Centre::GetReport.
#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "centre/centre.h"
#include "policy/audience.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

std::vector<policy::OrgState> ToPolicy(const std::vector<store::OrgRow>& orgs) {
  std::vector<policy::OrgState> out;
  out.reserve(orgs.size());
  for (const auto& o : orgs) {
    out.push_back({o.entry.id, o.entry.kind, o.entry.may_submit, o.suspended});
  }
  return out;
}

Status NotFoundReport(const std::string& id) {
  // The same status, reason and message whether the report is missing or merely not visible.
  return Status::NotFound("not_found", "no report " + id);
}

}  // namespace

Result<SubmitResult> Centre::Submit(const Identity& who, core::ReportInput input) {
  MARKAZ_RETURN_IF_ERROR(core::ValidateReportInput(input));
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  std::vector<policy::OrgState> states = ToPolicy(orgs);
  auto self = std::find_if(states.begin(), states.end(),
                           [&](const policy::OrgState& s) { return s.id == who.org; });
  if (self == states.end()) return Status::Internal("caller's org is not stored: " + who.org);
  MARKAZ_RETURN_IF_ERROR(policy::CheckMaySubmit(*self));
  MARKAZ_ASSIGN_OR_RETURN(core::Audience audience,
                          policy::ExpandAudience(who.org, input.tlp, input.release_to, states));

  const core::Time now = clock_.Now();
  SubmitResult result;
  store::ReportRow& row = result.report;
  row.id = ids_.Next("rep", now);
  row.originator = who.org;
  row.received_at = now;
  row.audience = std::move(audience);
  row.input = std::move(input);

  MARKAZ_RETURN_IF_ERROR(committer_.Commit([&](store::Transaction& txn) -> Status {
    // Idempotency is decided under the writer's lock, so concurrent retries of one
    // external_id — even in the same batch — yield one report.
    if (row.input.external_id) {
      MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> first,
                              txn.FindReportByExternalId(row.originator, *row.input.external_id));
      if (first) {
        row = std::move(*first);
        result.created = false;
        return Status::Ok();
      }
    }
    MARKAZ_ASSIGN_OR_RETURN(row.seq, txn.InsertReport(row));
    for (const std::string& org : row.audience) {
      MARKAZ_RETURN_IF_ERROR(txn.AppendInbox(org, "report", row.id, now).status());
    }
    nlohmann::json detail = {{"tlp", core::TlpName(row.input.tlp)},
                             {"audience", row.audience},
                             {"seq", row.seq}};
    audit::Event event{who.AuditActor(), "report.submit", row.id, detail.dump()};
    MARKAZ_RETURN_IF_ERROR(audit::Append(txn, event, now).status());
    result.created = true;
    return Status::Ok();
  }));
  return result;
}

Result<store::ReportRow> Centre::GetReport(const Identity& who, const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> row, store_.GetReport(id));
  if (!row || !policy::InAudience(row->audience, who.org)) return NotFoundReport(id);
  if (row->input.tlp == core::Tlp::kRed || row->input.tlp == core::Tlp::kAmberStrict) {
    // DESIGN.md §5: who read a red or amber+strict item, and when, is itself on the record.
    // The read is answered only once that record is durable.
    MARKAZ_RETURN_IF_ERROR(AuditRead(who, *row));
  }
  return std::move(*row);
}

Status Centre::AuditRead(const Identity& who, const store::ReportRow& report) {
  const core::Time now = clock_.Now();
  return committer_.Commit([&](store::Transaction& txn) -> Status {
    audit::Event event{who.AuditActor(), "report.read", report.id, "{}"};
    return audit::Append(txn, event, now).status();
  });
}

}  // namespace markaz::centre

// Products (DESIGN.md §2 rule 4): Centre::CreateProduct and GetProduct.
//
// Decisions:
// - A product is stored as an item of the reports table with id "prd_…" (centre.h): the index,
//   the feeds, reads and search treat it exactly like a report, so "products flow through
//   inboxes like reports and are searchable" holds by construction. It joins no story.
// - Its sources are its cites: a report or product stands for itself; a story stands for its
//   reports that the author's org can read (at most kMaxStoryReports of them; cite the
//   reports of a larger story directly).
// - Caveats: every org of the product's audience must be able to read every source, and the
//   product's TLP must be at least as strict as every source's. A source whose originator
//   approved a release request of the author's org waives its TLP caveat (the originator has
//   consented to release it; the approval's widening is what lets the audience caveat pass).
//   The first blocking source, in cite order, is named in the refusal.
// - A cite the author cannot read is refused exactly like an unknown one ("bad_cite").
#include <algorithm>
#include <set>

#include "centre/centre.h"
#include "centre/org_states.h"
#include "policy/audience.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kMaxStoryReports = 1000;

Status BadCite(std::size_t i, const std::string& id, const std::string& why) {
  return Status::InvalidArgument("bad_cite",
                                 "cites[" + std::to_string(i) + "]: \"" + id + "\" " + why);
}

int Strictness(core::Tlp tlp) { return static_cast<int>(tlp); }  // clear < … < red (tlp.h)

// One source of the product: the report or product behind a cite.
struct Source {
  std::size_t cite = 0;  // index in cites
  store::ReportRow row;
};

}  // namespace

Result<ProductView> Centre::CreateProduct(const Identity& who, ProductInput input) {
  std::vector<std::string>& cites = input.cites;
  if (cites.empty() || cites.size() > kMaxCites) {
    return Status::InvalidArgument("bad_cites", "a product cites 1 to " +
                                                    std::to_string(kMaxCites) + " items");
  }
  MARKAZ_RETURN_IF_ERROR(core::ValidateReportInput(input.item));
  if (input.item.external_id || input.item.source || input.item.location ||
      input.item.observed_at) {
    return Status::InvalidArgument("bad_product",
                                   "a product has title, body, lang, tlp and release_to only");
  }

  // Gather the sources, refusing what the author cannot read as if it did not exist.
  std::vector<Source> sources;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < cites.size(); ++i) {
    const std::string& id = cites[i];
    if (!seen.insert(id).second) return BadCite(i, id, "is cited twice");
    if (id.rfind("sto_", 0) == 0) {
      if (analytics_ == nullptr) return BadCite(i, id, "is not a story, report or product");
      std::optional<analytics::StorySummary> story =
          analytics_->Story(who.org, id, kMaxStoryReports + 1);
      if (!story) return BadCite(i, id, "is not a story, report or product you can read");
      if (story->reports.size() > kMaxStoryReports) {
        return BadCite(i, id, "has more than 1000 reports: cite the reports you rely on");
      }
      for (const std::string& report_id : story->reports) {
        MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> row, store_.GetReport(report_id));
        if (row && policy::InAudience(row->audience, who.org)) {
          sources.push_back({i, std::move(*row)});
        }
      }
      continue;
    }
    if (id.rfind("rep_", 0) != 0 && id.rfind("prd_", 0) != 0) {
      return BadCite(i, id, "is not a story, report or product you can read");
    }
    MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> row, store_.GetReport(id));
    if (!row || !policy::InAudience(row->audience, who.org)) {
      return BadCite(i, id, "is not a story, report or product you can read");
    }
    sources.push_back({i, std::move(*row)});
  }

  // The audience the product asks for, exactly as a report's (the same errors).
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  MARKAZ_ASSIGN_OR_RETURN(core::Audience audience,
                          policy::ExpandAudience(who.org, input.item.tlp, input.item.release_to,
                                                 ToPolicy(orgs)));

  for (const Source& source : sources) {
    const store::ReportRow& r = source.row;
    const std::string& cite = cites[source.cite];
    const std::string what = cite == r.id ? "" : " (report " + r.id + " of the story)";
    for (const std::string& org : audience) {
      if (!policy::InAudience(r.audience, org)) {
        return Status::InvalidArgument(
            "product_audience", "cites[" + std::to_string(source.cite) + "]: \"" + cite + "\"" +
                                    what + " may not be read by " + org +
                                    ", which is in the product's audience; ask its originator "
                                    "to release it (a release request)");
      }
    }
    if (Strictness(input.item.tlp) < Strictness(r.input.tlp)) {
      MARKAZ_ASSIGN_OR_RETURN(std::vector<store::ReleaseRequestRow> requests,
                              store_.ListReleaseRequests(r.id));
      const bool consented = std::any_of(
          requests.begin(), requests.end(), [&](const store::ReleaseRequestRow& q) {
            return q.requester_org == who.org && q.state == store::RequestState::kApproved;
          });
      if (!consented) {
        return Status::InvalidArgument(
            "product_tlp", "cites[" + std::to_string(source.cite) + "]: \"" + cite + "\"" + what +
                               " is marked " + std::string(core::TlpName(r.input.tlp)) +
                               ": the product's tlp must be at least as strict, unless its "
                               "originator approves a release request");
      }
    }
  }

  std::vector<core::ReportInput> one;
  one.push_back(std::move(input.item));
  Result<SubmitResult> made = std::move(SubmitItems(who, std::move(one), &cites).front());
  MARKAZ_RETURN_IF_ERROR(made.status());
  return ProductView{std::move(made->report), std::move(cites)};
}

Result<ProductView> Centre::GetProduct(const Identity& who, const std::string& id) {
  if (id.rfind("prd_", 0) != 0) return Status::NotFound("not_found", "no product " + id);
  Result<store::ReportRow> row = GetReport(who, id);
  if (!row.ok()) {
    if (row.status().code() == core::Code::kNotFound) {
      return Status::NotFound("not_found", "no product " + id);
    }
    return row.status();
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<std::string> cites, store_.ProductCites(id));
  return ProductView{std::move(*row), std::move(cites)};
}

}  // namespace markaz::centre

// Views of the distribution use cases (DESIGN.md §2 rule 2, §6, §9; issue 7): feeds, release
// widening, release requests and webhooks. Centre (centre.h) returns them; http/ encodes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/org.h"
#include "core/time.h"
#include "dissem/feed.h"
#include "store/store.h"

namespace markaz::centre {

inline constexpr int kDefaultFeedLimit = 100;
inline constexpr int kMaxFeedLimit = 1000;

// A page of the caller's inbox: items with seq > after; `next` is the seq to pass as `after`
// for the following page (the last item's seq, or `after` when the page is empty).
struct FeedPage {
  std::vector<dissem::FeedItem> items;
  std::int64_t next = 0;
};

// The answer to a widening: the report's audience now and the orgs that were added.
struct ReleaseView {
  std::string report_id;
  core::Audience audience;
  core::Audience added;
};

// A release request as the requester or the originator sees it.
struct ReleaseRequestView {
  store::ReleaseRequestRow row;
  // Orgs the approval added (empty before approval, and when everyone asked for already had
  // the report).
  core::Audience added;
};

// A webhook as its org's admins see it: never the secret.
struct WebhookView {
  std::string id;
  std::string url;
  bool enabled = true;
  std::string status;  // "active", "disabled", "failing"
  std::int64_t cursor = 0;
  std::optional<core::Time> failing_since;
  std::string last_error;
  core::Time created_at;
  std::string created_by;
};

WebhookView ToWebhookView(const store::WebhookRow& row);

// A product (DESIGN.md §2 rule 4): an assessment citing reports, products and stories. It is
// stored as an item of the reports table (id "prd_…", originator = the author's org), so it is
// searchable, readable and delivered exactly as a report is; `cites` is kept beside it.
struct ProductInput {
  core::ReportInput item;          // title, body, lang, tlp, release_to (other fields unused)
  std::vector<std::string> cites;  // "rep_…", "prd_…" or "sto_…"; 1..kMaxCites, no repeats
};
inline constexpr std::size_t kMaxCites = 100;

struct ProductView {
  store::ReportRow item;
  std::vector<std::string> cites;
};

inline constexpr std::size_t kMaxSubscriptionsPerUser = 100;

}  // namespace markaz::centre

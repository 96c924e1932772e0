// One entry of an org's feed as every consumer sees it: the pull API, the live stream (SSE)
// and the webhooks render the same JSON (DESIGN.md §6, §9), so a client can switch between
// them without translating anything.
//
// Kinds:
//   report   a report released to the org (at submission or by a later widening)
//   product  a product released to the org
//   release  a release request about one of the org's reports, or the answer to one it made;
//            `ref` is the report
//   alert    a new item matched one of the org's subscriptions; `id` is the item, `ref` the
//            subscription
//
// JSON: {"seq":12,"kind":"report","id":"rep_…","title":"…","tlp":"amber",
//        "at":"2026-11-29T10:00:00.000Z"} plus "report":"rep_…" for release entries and
// "subscription":"sub_…" for alerts. "title" and "tlp" are those of the entry's report.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"
#include "store/store.h"

namespace markaz::dissem {

struct FeedItem {
  std::int64_t seq = 0;  // the org's inbox seq
  std::string kind;
  std::string id;
  std::string ref;
  std::string title;
  std::string tlp;
  core::Time at;
  bool operator==(const FeedItem&) const = default;
};

FeedItem FromInboxEntry(const store::InboxEntry& entry);

// The item as one JSON object (no trailing newline).
std::string FeedItemJson(const FeedItem& item);

}  // namespace markaz::dissem

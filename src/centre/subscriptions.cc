// Subscriptions (issue 7 item 7; docs/subscriptions.md): Centre::CreateSubscription,
// ListSubscriptions, DeleteSubscription and MatchSubscriptions.
//
// Decisions:
// - A subscription belongs to one user (token) of one org: only that token lists or deletes it;
//   anyone else gets 404, exactly as for an unknown id. Its alerts go to the org's inbox (the
//   inbox is the org's, and so are its feeds and webhooks).
// - Its query is the search syntax, parsed exactly as Centre::Search parses q (no language
//   hint), and checked when the subscription is made; a query that names nothing at all (no
//   word, no filter) is refused: it would copy the whole feed into alerts.
// - Matching uses the index, as the org's search would, over the items whose store seq is above
//   the subscription's cursor (the "seq" column). At creation the cursor is the highest seq
//   added to the index (IndexStats::added_seq): every report acknowledged before the
//   subscription was created has been added by then (the index receives each report in its
//   commit's after-commit hook, before the 201), so it never alerts, and every later one does.
// - After a round the cursor becomes the highest seq the org could see in the snapshot searched
//   (SearchResult::as_of_seq). Nothing at or below it can become searchable later: the index
//   receives documents in ascending seq order and makes them searchable in that order (one
//   writer, flushed as a whole), so a snapshot that holds seq N holds every committed seq below
//   it. Items above it that the org could not see are looked at again next round (a widening
//   may have made them visible).
// - The alerts of a round and the advanced cursors are one group-committed transaction, so a
//   crash or a restart neither loses nor repeats an alert. The entries are published to live
//   feeds after the commit.
// - Alerts are not audited: they are the centre's deliveries, not anyone's decision. Creating
//   and deleting a subscription are, without the name or the query: the chain is read by every
//   member, and a saved search says what its org is looking for.
// - A subscription deleted while a round runs gets no alert: deletion and the round's commit
//   are serialised within this process (SubscriptionWriteMutex), and the round drops every
//   subscription that is gone before it commits. Several server processes over one store would
//   need the store to refuse to advance a deleted subscription (reported to the lead).
// - A subscription of a revoked token raises nothing (its user is gone); its cursor stays.
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "audit/chain.h"
#include "centre/centre.h"
#include "index/query.h"
#include "policy/audience.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kMaxNameBytes = 200;
// Hits asked of the index per page (its maximum).
constexpr std::size_t kPageSize = 1000;
// Alerts one subscription raises in one round at most; the rest, in seq order, follow in the
// next rounds (the cursor stops at the last one raised). Keeps one transaction bounded when a
// broad subscription meets a large ingest.
constexpr std::size_t kMaxAlertsPerRound = 1000;

// Serialises a subscription's deletion with the commit of a matching round (and creation with
// itself, for the per-user bound), so that no alert is committed for a subscription deleted
// before the round's commit. Process-wide: a Centre owns its store alone within a process.
std::mutex& SubscriptionWriteMutex() {
  static std::mutex mu;
  return mu;
}

Status NotFoundSubscription(const std::string& id) {
  return Status::NotFound("not_found", "no subscription " + id);
}

// An empty query matches every visible item.
bool MatchesEverything(const index::Query& q) {
  return q.must.empty() && q.must_not.empty() && q.keywords.empty() && q.ranges.empty();
}

// What an alert needs to know of its item, read once per round.
struct ItemFacts {
  bool exists = false;
  core::Audience audience;
  std::string title;
  std::string tlp;
};

// One subscription's outcome of a round: the alerts to raise and where its cursor goes.
struct Pending {
  store::SubscriptionRow sub;
  std::vector<index::Hit> hits;  // ascending seq; the items to alert on
  std::int64_t cursor = 0;
};

}  // namespace

Result<store::SubscriptionRow> Centre::CreateSubscription(const Identity& who,
                                                          const std::string& name,
                                                          const std::string& query) {
  if (index_ == nullptr || processor_ == nullptr) {
    return Status::Unavailable("search_unavailable",
                               "subscriptions are not available: this centre runs without "
                               "processing");
  }
  if (name.empty() || name.size() > kMaxNameBytes) {
    return Status::InvalidArgument("bad_name", "name must be 1 to 200 bytes");
  }
  MARKAZ_ASSIGN_OR_RETURN(index::Query parsed,
                          index::ParseQuery(query, *processor_->analyzer(), ""));
  if (MatchesEverything(parsed)) {
    return Status::InvalidArgument("bad_query",
                                   "the query names no word and no filter: it would match "
                                   "every item");
  }

  std::lock_guard<std::mutex> lock(SubscriptionWriteMutex());
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::SubscriptionRow> existing,
                          store_.ListSubscriptions(who.org));
  const auto own = std::count_if(existing.begin(), existing.end(),
                                 [&](const auto& s) { return s.token_id == who.token_id; });
  if (static_cast<std::size_t>(own) >= kMaxSubscriptionsPerUser) {
    return Status(core::Code::kResourceExhausted, "too_many_subscriptions",
                  "a user keeps at most " + std::to_string(kMaxSubscriptionsPerUser) +
                      " subscriptions; delete one first");
  }
  const core::Time now = clock_.Now();
  store::SubscriptionRow row;
  row.id = ids_.Next("sub", now);
  row.org = who.org;
  row.token_id = who.token_id;
  row.name = name;
  row.query = query;
  row.created_at = now;
  // Every report acknowledged before now has been added to the index (see the file comment).
  row.cursor = index_->stats().added_seq;
  MARKAZ_RETURN_IF_ERROR(committer_.Commit([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.InsertSubscription(row));
    audit::Event event{who.AuditActor(), "subscription.create", row.id, "{}"};
    return audit::Append(txn, event, now).status();
  }));
  return row;
}

Result<std::vector<store::SubscriptionRow>> Centre::ListSubscriptions(const Identity& who) {
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::SubscriptionRow> rows,
                          store_.ListSubscriptions(who.org));
  std::erase_if(rows, [&](const store::SubscriptionRow& s) { return s.token_id != who.token_id; });
  return rows;
}

Status Centre::DeleteSubscription(const Identity& who, const std::string& id) {
  std::lock_guard<std::mutex> lock(SubscriptionWriteMutex());
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::SubscriptionRow> row, store_.GetSubscription(id));
  if (!row || row->org != who.org || row->token_id != who.token_id) {
    return NotFoundSubscription(id);
  }
  const core::Time now = clock_.Now();
  Status deleted = committer_.Commit([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.DeleteSubscription(id));
    audit::Event event{who.AuditActor(), "subscription.delete", id, "{}"};
    return audit::Append(txn, event, now).status();
  });
  // Deleted by the same user on another connection between the read and the commit.
  if (deleted.reason() == "unknown_subscription") return NotFoundSubscription(id);
  return deleted;
}

Result<std::size_t> Centre::MatchSubscriptions() {
  if (index_ == nullptr || processor_ == nullptr) {
    return Status::Unavailable("search_unavailable",
                               "subscriptions are not available: this centre runs without "
                               "processing");
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::SubscriptionRow> subs, store_.ListSubscriptions(""));
  if (subs.empty()) return std::size_t{0};
  const std::shared_ptr<const text::Analyzer> analyzer = processor_->analyzer();

  std::map<std::string, bool> live_tokens;
  std::vector<Pending> pending;
  for (store::SubscriptionRow& sub : subs) {
    auto token = live_tokens.find(sub.token_id);
    if (token == live_tokens.end()) {
      MARKAZ_ASSIGN_OR_RETURN(std::optional<store::TokenRow> row, store_.FindToken(sub.token_id));
      token = live_tokens.emplace(sub.token_id, row && !row->revoked_at).first;
    }
    if (!token->second) continue;
    Result<index::Query> parsed = index::ParseQuery(sub.query, *analyzer, "");
    if (!parsed.ok()) {
      // Checked at creation; only a change of the analyser's rules could bring this.
      std::fprintf(stderr, "markaz: subscription %s: %s\n", sub.id.c_str(),
                   parsed.status().ToString().c_str());
      continue;
    }
    index::SearchRequest request;
    request.reader = sub.org;
    request.limit = kPageSize;
    request.query = std::move(parsed).value();
    request.query.ranges.push_back(index::RangeFilter{index::columns::kSeq, sub.cursor + 1, {}});
    Pending p;
    p.cursor = sub.cursor;
    for (;;) {
      index::SearchResult result = index_->Search(request);
      p.cursor = std::max(p.cursor, result.as_of_seq);
      for (index::Hit& hit : result.hits) p.hits.push_back(std::move(hit));
      if (!result.next) break;
      request.after = result.next;
    }
    std::sort(p.hits.begin(), p.hits.end(),
              [](const index::Hit& a, const index::Hit& b) { return a.seq < b.seq; });
    if (p.hits.size() > kMaxAlertsPerRound) {
      p.hits.resize(kMaxAlertsPerRound);
      p.cursor = p.hits.back().seq;
    }
    if (p.hits.empty() && p.cursor == sub.cursor) continue;
    p.sub = std::move(sub);
    pending.push_back(std::move(p));
  }
  if (pending.empty()) return std::size_t{0};

  // Defence in depth, as in Search: the index's visibility decided each hit; the store's
  // audience is the record, and an item it does not show to the org raises nothing.
  std::map<std::string, ItemFacts> items;
  for (Pending& p : pending) {
    std::erase_if(p.hits, [&](const index::Hit& hit) -> bool {
      auto it = items.find(hit.key);
      if (it == items.end()) {
        ItemFacts facts;
        Result<std::optional<store::ReportRow>> row = store_.GetReport(hit.key);
        if (row.ok() && *row) {
          facts.exists = true;
          facts.audience = (*row)->audience;
          facts.title = (*row)->input.title;
          facts.tlp = std::string(core::TlpName((*row)->input.tlp));
        }
        it = items.emplace(hit.key, std::move(facts)).first;
      }
      if (it->second.exists && policy::InAudience(it->second.audience, p.sub.org)) return false;
      std::fprintf(stderr,
                   "markaz: subscription %s: index hit %s is not readable by %s in the store\n",
                   p.sub.id.c_str(), hit.key.c_str(), p.sub.org.c_str());
      return true;
    });
  }

  std::lock_guard<std::mutex> lock(SubscriptionWriteMutex());
  // Drop what was deleted while this round searched: it must raise nothing.
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::SubscriptionRow> now_live,
                          store_.ListSubscriptions(""));
  std::set<std::string> live;
  for (const store::SubscriptionRow& s : now_live) live.insert(s.id);
  std::erase_if(pending, [&](const Pending& p) { return !live.count(p.sub.id); });
  if (pending.empty()) return std::size_t{0};

  const core::Time now = clock_.Now();
  std::vector<store::InboxEntry> appended;
  MARKAZ_RETURN_IF_ERROR(committer_.Commit(
      [&](store::Transaction& txn) -> Status {
        appended.clear();
        for (const Pending& p : pending) {
          for (const index::Hit& hit : p.hits) {
            MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq,
                                    txn.AppendInbox(p.sub.org, "alert", hit.key, now, p.sub.id));
            const ItemFacts& facts = items.at(hit.key);
            appended.push_back(store::InboxEntry{p.sub.org, seq, "alert", hit.key, now, p.sub.id,
                                                 facts.title, facts.tlp});
          }
          MARKAZ_RETURN_IF_ERROR(txn.AdvanceSubscription(p.sub.id, p.cursor));
        }
        return Status::Ok();
      },
      [&] { PublishEntries(appended); }));
  return appended.size();
}

}  // namespace markaz::centre

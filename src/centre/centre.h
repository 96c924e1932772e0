// The one door (DESIGN.md §8): every use case of the centre is a call here that takes the
// caller's identity, applies policy, and orchestrates store, audit, pipeline, index and (later)
// dissem. Access is decided here and nowhere else; http/ and cli/ are adapters.
//
// Thread-safety: a Centre may be shared by all server threads. Its only mutable state of its
// own is the health cache, kept in atomics.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/charter.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/org.h"
#include "core/rotation.h"
#include "core/status.h"
#include "analytics/analytics.h"
#include "centre/analysis.h"
#include "centre/distribute.h"
#include "centre/search.h"
#include "cluster/story_assigner.h"
#include "dissem/feed_hub.h"
#include "dissem/webhook_dispatcher.h"
#include "index/index.h"
#include "pipeline/group_commit.h"
#include "pipeline/processor.h"
#include "store/store.h"

namespace markaz::centre {

// Who is calling: established by Authenticate() from a bearer token.
struct Identity {
  std::string token_id;
  std::string org;
  core::OrgKind org_kind = core::OrgKind::kMember;
  core::Role role = core::Role::kAnalyst;
  std::string name;
  // How this principal appears in the audit chain: "org/tok_…".
  std::string AuditActor() const { return org + "/" + token_id; }
};

// The actor recorded for commands typed on the server's own machine (init, token create).
inline constexpr std::string_view kLocalActor = "local:cli";

struct MeView {
  std::string org;
  core::Role role;
  std::string name;
  bool is_chair = false;
};

struct OrgView {
  std::string id;
  core::OrgKind kind;
  core::Names names;
  bool may_submit = false;
  bool suspended = false;
};

struct CharterView {
  std::string name;
  core::Time start;
  std::vector<OrgView> members;
  std::vector<OrgView> partners;
  std::vector<std::string> order;
  core::TermLength term;
  std::optional<core::Term> current;  // nullopt before the start or when nobody is eligible
  std::vector<core::Term> next;       // the next four terms
  core::Quorum members_quorum;
  core::Quorum partners_quorum;
};

struct HealthView {
  bool store_ok = false;
  std::int64_t audit_head_seq = 0;
};

// The answer to a submission: the stored report, and whether this call created it (false when
// (originator, external_id) had been seen before: the first result is returned, DESIGN.md §2.6).
struct SubmitResult {
  store::ReportRow report;
  bool created = false;
  // The submitter's own inbox sequence of the report (its entry in its own feed); 0 when
  // answering a resubmission. Never the store sequence, which counts other orgs' reports.
  std::int64_t inbox_seq = 0;
};

struct CreatedToken {
  std::string token;  // the full secret token, shown once
  std::string id;     // "tok_…"
};

class Centre {
 public:
  // `store`, `clock`, `ids`, `processor` and `index` must outlive the Centre. Without a
  // processor (administrative commands, tests of other rules) reports are stored without
  // analysis. With a processor and an index, every committed report is added to the index
  // right after its commit, in seq order (the index must have caught up with the store first:
  // pipeline::CatchUp); without an index, Search() is unavailable.
  //
  // With a processor, `stories` decides each report's story at commit time (it must have loaded
  // the stored reports first: pipeline::LoadAnalysis) and `analytics` receives every committed
  // report for the analysis use cases; without them, reports get no story and those use cases
  // answer Unavailable "analysis_unavailable".
  Centre(store::Store& store, const core::Clock& clock, core::IdGenerator& ids,
         const pipeline::Processor* processor = nullptr, index::Index* index = nullptr,
         cluster::StoryAssigner* stories = nullptr, analytics::Analytics* analytics = nullptr);

  // Creates the centre from a validated charter: stores it, and appends the audit entry
  // "centre.init". Conflict "already_initialised" when the store already holds a centre;
  // InvalidArgument (reason from ValidateCharter) when the charter breaks a rule.
  core::Status Init(const core::Charter& charter);

  // Issues a token for `org` with `role`, on behalf of `actor` (kLocalActor from the CLI).
  // NotFound "unknown_org" for an org that is not in the charter; the token is shown once and
  // only its hash is stored. Audited as "token.create".
  core::Result<CreatedToken> CreateToken(std::string_view actor, std::string_view org,
                                         core::Role role, std::string_view name);

  // Resolves "Bearer <token>"'s token part. Unauthenticated "invalid_token" for anything that
  // is not a live token (malformed, unknown, wrong secret, revoked, org suspended); the
  // comparison of the secret is constant-time.
  core::Result<Identity> Authenticate(std::string_view token);

  // Collects one report from `who`'s org (DESIGN.md §2, §3): validates it, checks that the org
  // may submit, expands its audience under its TLP (policy/audience.h), and commits the report,
  // one inbox entry per org of its audience and its audit entry in one durable, group-committed
  // transaction. Refusals: InvalidArgument/TooLarge for bad values, PermissionDenied for an org
  // that may not submit, InvalidArgument with the policy reason for a release that breaks its
  // marking. Idempotent on (originator, external_id).
  core::Result<SubmitResult> Submit(const Identity& who, core::ReportInput input);

  // Whether `who`'s org may submit at all now (policy::CheckMaySubmit on the stored org):
  // PermissionDenied with the policy's reason otherwise. Streams ask it before reading a body.
  core::Status MaySubmit(const Identity& who);

  // Submit for many reports of one org at once (the bulk endpoint): one group-committed
  // transaction in which each report succeeds or fails on its own. Results are in input order.
  std::vector<core::Result<SubmitResult>> SubmitMany(const Identity& who,
                                                     std::vector<core::ReportInput> inputs);

  // The report with this id, if `who`'s org is in its audience. NotFound "not_found" otherwise,
  // with exactly the same status as for an id that never existed (no oracle, DESIGN.md §2.5).
  // Reading a red or amber+strict report is itself audited ("report.read").
  core::Result<store::ReportRow> GetReport(const Identity& who, const std::string& id);

  // Full-text search over what `who`'s org may read (DESIGN.md §2 rule 5, §9; docs/search.md):
  // hits with snippets cut from the original text, totals, facets and a cursor, every one of
  // them computed over the caller's visible reports only, so that a report outside its
  // audience changes nothing in its answers. Refusals: InvalidArgument "bad_query" (the
  // parser's message), "bad_cursor", "bad_limit", "bad_facets"; Unavailable
  // "search_unavailable" when the centre runs without an index (processing off).
  core::Result<SearchView> Search(const Identity& who, const SearchParams& params);

  // Stories the caller may see (a story exists for it when one of its reports is visible), by
  // last visible activity; sizes, languages, originators and times counted over its visible
  // reports. InvalidArgument "bad_limit" (1..kMaxStoryLimit), "bad_cursor".
  core::Result<StoriesView> Stories(const Identity& who, analytics::StoryQuery query);
  // NotFound "not_found" for a story with no visible report, exactly as for an unknown id.
  core::Result<StoryView> Story(const Identity& who, const std::string& id);

  // Entities of the gazetteer (and watchlist) with a name or alias starting with `q` in any
  // script, best first (exact names, then population), with visible mention counts; names in
  // `names_lang`. InvalidArgument "bad_query" for an empty q, "bad_limit" (1..kMaxEntityLimit).
  core::Result<std::vector<EntityView>> FindEntities(const Identity& who, std::string_view q,
                                                     std::size_t limit,
                                                     std::string_view names_lang);
  // NotFound "not_found" for an id the gazetteer does not know.
  core::Result<EntityView> Entity(const Identity& who, const std::string& id,
                                  std::string_view names_lang);
  core::Result<std::vector<analytics::TimelinePoint>> EntityTimeline(
      const Identity& who, const std::string& id, analytics::Bucket bucket,
      std::optional<core::Time> from, std::optional<core::Time> to);
  // InvalidArgument "bad_limit" (1..kMaxGraphLimit).
  core::Result<std::vector<analytics::GraphEdge>> EntityGraph(const Identity& who,
                                                              const std::string& id,
                                                              std::size_t limit);
  // The window ends at query.end (the handler passes now when the caller names no end).
  // InvalidArgument "bad_window" (1 hour..30 days), "bad_limit" (1..kMaxTrendLimit).
  core::Result<std::vector<TrendView>> Trends(const Identity& who, analytics::TrendQuery query,
                                              std::string_view names_lang);

  // --- Distribution (issue 7; centre/distribute.h) ---------------------------------------

  // Connects the live side: `hub` receives every inbox entry after its commit (streams wait on
  // it) and `webhooks` is told when a webhook changes. Either may be null. Call before serving.
  void AttachDissemination(dissem::FeedHub* hub, dissem::WebhookDispatcher* webhooks) {
    hub_ = hub;
    webhooks_ = webhooks;
  }

  // The caller's inbox after `after`, at most `limit` (1..kMaxFeedLimit). Only the caller's own
  // org's inbox exists for it. InvalidArgument "bad_limit", "bad_after" (negative).
  core::Result<FeedPage> Feed(const Identity& who, std::int64_t after, int limit);
  // The seq of the newest entry of the caller's inbox, 0 when it is empty: where a live stream
  // that names no position starts (it then receives only what arrives after it connects).
  core::Result<std::int64_t> FeedHead(const Identity& who);
  // Calls `wake` after each new entry of the caller's inbox until the handle is destroyed
  // (live streams). Unavailable "feed_unavailable" when no hub is attached.
  core::Result<dissem::FeedHub::Watch> WatchFeed(const Identity& who, std::function<void()> wake);

  // Widens the audience of the caller's org's report (DESIGN.md §2 rule 2; policy/release.h):
  // releasers and admins of the originator only. The added orgs get a "report" entry in their
  // inbox; the index, analytics and live feeds learn of it after the commit. Audited as
  // "report.release". NotFound "not_found" when the caller's org cannot read the report;
  // PermissionDenied "not_originator" for another reader's org, "role_may_not_release" for an
  // analyst of the originator; InvalidArgument from policy for a release_to that breaks the
  // marking; InvalidArgument "nothing_added" when every org named already has it.
  core::Result<ReleaseView> Release(const Identity& who, const std::string& report_id,
                                    const std::vector<std::string>& release_to);

  // Asks the report's originator to release it to `to` (orgs or groups, checked against the
  // marking as a widening would be). Any role of an org that can read the report, other than
  // the originator itself (PermissionDenied "own_report": widen instead). The request lands in
  // the originator's inbox as a "release" entry. Audited as "release.request". InvalidArgument
  // "bad_reason" (over 2,000 bytes), "nothing_to_ask" when every org named can read it already.
  core::Result<ReleaseRequestView> RequestRelease(const Identity& who,
                                                  const std::string& report_id,
                                                  const std::vector<std::string>& to,
                                                  const std::string& reason);
  // The originator's releaser (or admin) approves (widens as asked, within the marking as it is
  // now) or denies. The requester's org gets a "release" entry either way. Audited as
  // "release.approve" / "release.deny". NotFound "not_found" for a request the caller may not
  // see; PermissionDenied "not_originator" for the requester's org, "role_may_not_release" for
  // an analyst; Conflict "request_decided" when it was decided already.
  core::Result<ReleaseRequestView> DecideRelease(const Identity& who, const std::string& id,
                                                 bool approve, const std::string& note);
  // Visible to the requester's org and the originator's org; NotFound "not_found" otherwise.
  core::Result<ReleaseRequestView> GetReleaseRequest(const Identity& who, const std::string& id);

  // Webhooks of the caller's org: admins only (PermissionDenied "admin_only"). The URL must be
  // http:// or https:// with a host (InvalidArgument "bad_url"); the secret 16..256 bytes
  // (InvalidArgument "bad_secret"). Audited as "webhook.create", ".enable", ".disable",
  // ".delete" (never with the secret). NotFound "not_found" for another org's webhook.
  core::Result<WebhookView> CreateWebhook(const Identity& who, const std::string& url,
                                          const std::string& secret);
  core::Result<std::vector<WebhookView>> ListWebhooks(const Identity& who);
  core::Result<WebhookView> GetWebhook(const Identity& who, const std::string& id);
  core::Result<WebhookView> SetWebhookEnabled(const Identity& who, const std::string& id,
                                              bool enabled);
  core::Status DeleteWebhook(const Identity& who, const std::string& id);
  // The newest deliveries first, at most `limit` (1..1000; InvalidArgument "bad_limit").
  core::Result<std::vector<store::DeliveryRow>> WebhookDeliveries(const Identity& who,
                                                                  const std::string& id,
                                                                  int limit);

  // Writes a product (DESIGN.md §2 rule 4; centre/products.cc). Its audience (release_to under
  // its TLP, as for a report) must be a subset of every source's audience and its TLP at least
  // every source's, where the sources are its cites, a story standing for its reports that the
  // author can read; a source whose originator approved a release request of the author's org
  // for it waives its TLP caveat (the audience caveat is met by the approval's widening).
  // Refusals, all naming the cite: InvalidArgument "bad_cite" (unknown, unreadable, or not a
  // report/product/story id: the same answer for each, no oracle), "product_audience" (an org
  // of the audience cannot read the source), "product_tlp" (weaker marking); plus every
  // report-input and release_to refusal. Delivered and audited ("product.create") like a
  // report; never part of a story.
  core::Result<ProductView> CreateProduct(const Identity& who, ProductInput input);
  // NotFound "not_found" unless the id is a product the caller's org may read.
  core::Result<ProductView> GetProduct(const Identity& who, const std::string& id);

  // Saved searches of the calling user (token) (centre/subscriptions.cc). Each item committed
  // after the subscription's creation that the user's org may read and that matches `query`
  // raises one "alert" entry (id = the item, ref = the subscription) in the org's inbox, so it
  // reaches pull, live streams and webhooks. InvalidArgument "bad_query" (the parser's
  // message), "bad_name" (empty or over 200 bytes); ResourceExhausted "too_many_subscriptions"
  // over kMaxSubscriptionsPerUser; Unavailable "search_unavailable" without an index.
  // Audited as "subscription.create" / "subscription.delete".
  core::Result<store::SubscriptionRow> CreateSubscription(const Identity& who,
                                                          const std::string& name,
                                                          const std::string& query);
  core::Result<std::vector<store::SubscriptionRow>> ListSubscriptions(const Identity& who);
  // NotFound "not_found" for a subscription of another user.
  core::Status DeleteSubscription(const Identity& who, const std::string& id);
  // Matches every subscription against the items indexed since its cursor and commits their
  // alerts with the advanced cursors; returns the number of alerts raised. Called by the
  // server's subscription loop (cli serve) after index flushes; safe to call concurrently
  // with everything else, but not with itself.
  core::Result<std::size_t> MatchSubscriptions();

  // The display name of a gazetteer entity in `lang` (the reader's language), for answers that
  // name entities; empty when unknown or when the centre runs without a processor.
  std::string EntityName(std::string_view id, std::string_view lang) const;

  // The centre's clock (answers that default to "now", such as trends).
  core::Time Now() const { return clock_.Now(); }

  core::Result<MeView> Me(const Identity& who);
  core::Result<CharterView> GetCharter(const Identity& who);
  // The store's health and audit head, read from the store at most once per
  // kHealthRefresh: load balancers poll health many times a second, and each poll must not
  // cost a store read.
  HealthView Health();
  static constexpr std::chrono::milliseconds kHealthRefresh{1000};

 private:
  core::Result<core::Rotation> LoadRotation();
  // Unavailable "analysis_unavailable" unless the centre runs with processing and analytics.
  core::Status NeedAnalysis() const;
  // The report's analysis JSON with the near-duplicates `who`'s org may not read removed.
  std::string VisibleAnalysis(const Identity& who, const std::string& analysis);
  // SubmitMany for reports (cites null) or one product (cites set; centre/products.cc).
  std::vector<core::Result<SubmitResult>> SubmitItems(const Identity& who,
                                                      std::vector<core::ReportInput> inputs,
                                                      const std::vector<std::string>* cites);
  // After a widening's commit: tells the index and analytics of the added readers and
  // publishes the new inbox entries.
  void ApplyWidening(const store::WideningRow& widening,
                     const std::vector<store::InboxEntry>& entries);
  // Publishes inbox entries to the hub (after their commit, in seq order).
  void PublishEntries(const std::vector<store::InboxEntry>& entries);
  // The caller's org's webhook with this id, or NotFound "not_found"; PermissionDenied
  // "admin_only" for a role below admin.
  core::Result<store::WebhookRow> OwnWebhook(const Identity& who, const std::string& id);
  // Appends one audit event at now through the group committer.
  core::Status AuditRead(const Identity& who, const store::ReportRow& report);

  store::Store& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const pipeline::Processor* processor_;
  index::Index* index_;  // null: no search
  cluster::StoryAssigner* stories_;  // null: no stories
  analytics::Analytics* analytics_;  // null: no analysis use cases
  dissem::FeedHub* hub_ = nullptr;                   // null: no live feeds
  dissem::WebhookDispatcher* webhooks_ = nullptr;    // null: webhooks stored, not delivered
  pipeline::GroupCommitter committer_;

  // The last health reading and when it was taken (ms since epoch; 0 = never).
  std::atomic<long long> health_checked_ms_{0};
  std::atomic<bool> health_store_ok_{false};
  std::atomic<std::int64_t> health_audit_head_{0};
};

}  // namespace markaz::centre

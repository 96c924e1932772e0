// Webhook dispatch rate (issue 7 budget: ≥ 2,000 deliveries/s to a local receiver), beside the
// bare client posting the same bodies in a loop (the ceiling the dispatcher works under).
//
//   build/release/bench/webhook_bench [--entries 20000] [--webhooks 1,4] [--threads 2]
//
// In-process, on a fresh data directory under $TMPDIR (or /tmp):
//   1. a SQLite store (the real one) holding --entries inbox entries of one org, written in one
//      transaction;
//   2. peer: http::WebhookClient posts --entries signed bodies back to back to the receiver
//      (testutil/webhook_receiver.h, blocking sockets on 127.0.0.1, counting only), one thread;
//   3. for each count W in --webhooks: W webhooks of the org at cursor 0, a WebhookDispatcher
//      with --threads threads and the real WebhookClient; the clock runs from Start() until
//      the receiver holds W × entries posts. Reported: deliveries/s overall and per webhook,
//      and the ratio to the peer. Every webhook's saved cursor is checked at the end.
// A webhook is served by one thread at a time (its entries go in order), so one webhook's
// rate is one round trip per entry; several webhooks use the threads in parallel.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "dissem/feed.h"
#include "dissem/feed_hub.h"
#include "dissem/webhook_dispatcher.h"
#include "http/webhook_client.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"
#include "testutil/webhook_receiver.h"

namespace markaz::bench {
namespace {

using Steady = std::chrono::steady_clock;

struct Args {
  int entries = 20000;
  std::vector<int> webhooks = {1, 4};
  int threads = 2;
};

std::vector<int> ParseList(const char* text) {
  std::vector<int> out;
  std::string s(text);
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = s.find(',', pos);
    out.push_back(std::atoi(s.substr(pos, comma - pos).c_str()));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--entries") {
      a.entries = std::atoi(argv[i + 1]);
    } else if (flag == "--webhooks") {
      a.webhooks = ParseList(argv[i + 1]);
    } else if (flag == "--threads") {
      a.threads = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return a;
}

core::Charter OneOrgCharter() {
  core::Charter c;
  c.name = "Bench Centre";
  c.start = core::ParseRfc3339("2015-10-01T00:00:00Z").value();
  c.rotation_order = {"host"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true}};
  return c;
}

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

int Run(const Args& args) {
  testutil::TempDir dir;
  auto opened = store::OpenSqliteStore(dir.Sub("data"), store::OpenMode::kCreate);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(opened).value();
  core::SystemClock clock;
  core::IdGenerator ids;
  const core::Time now = clock.Now();
  core::Status written = store->Write([&](store::Transaction& txn) -> core::Status {
    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(OneOrgCharter()));
    for (int i = 0; i < args.entries; ++i) {
      MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq,
                              txn.AppendInbox("host", "report", ids.Next("rep", now), now));
      (void)seq;
    }
    return core::Status::Ok();
  });
  if (!written.ok()) {
    std::fprintf(stderr, "write: %s\n", written.ToString().c_str());
    return 1;
  }
  std::printf("webhook_bench: %d inbox entries, dispatcher threads %d\n", args.entries,
              args.threads);

  // The peer: the bare client, one thread, the same kind of body and headers.
  double peer_rate = 0;
  {
    testutil::WebhookReceiver receiver(/*record=*/false);
    http::WebhookClient client;
    std::vector<store::InboxEntry> page = store->ReadInbox("host", 0, args.entries).value();
    const auto start = Steady::now();
    int failed = 0;
    for (const auto& entry : page) {
      dissem::WebhookPost post;
      post.url = receiver.Url();
      post.body = dissem::FeedItemJson(dissem::FromInboxEntry(entry));
      post.headers = {{"Content-Type", "application/json"},
                      {"X-Markaz-Signature", dissem::SignatureHeader("bench-secret-0123456789",
                                                                     post.body)},
                      {"X-Markaz-Seq", std::to_string(entry.seq)}};
      if (client.Post(post).status != 200) ++failed;
    }
    const double s = Seconds(Steady::now() - start);
    peer_rate = static_cast<double>(page.size()) / s;
    std::printf("peer: bare client, 1 thread: %8.0f posts/s (%zu posts in %.2f s, %d failed)\n",
                peer_rate, page.size(), s, failed);
  }

  for (int webhooks : args.webhooks) {
    testutil::WebhookReceiver receiver(/*record=*/false);
    std::vector<std::string> hook_ids;
    for (int w = 0; w < webhooks; ++w) {
      store::WebhookRow row;
      row.id = ids.Next("whk", now);
      row.org = "host";
      row.url = receiver.Url("/hook" + std::to_string(w));
      row.secret = "bench-secret-0123456789";
      row.created_by = "host/tok_bench";
      row.created_at = now;
      core::Status inserted =
          store->Write([&](store::Transaction& txn) { return txn.InsertWebhook(row); });
      if (!inserted.ok()) {
        std::fprintf(stderr, "webhook: %s\n", inserted.ToString().c_str());
        return 1;
      }
      hook_ids.push_back(row.id);
    }
    dissem::FeedHub hub;
    http::WebhookClient client;
    dissem::DispatcherOptions options;
    options.threads = args.threads;
    dissem::WebhookDispatcher dispatcher(*store, hub, client, clock, options);
    const std::size_t total = static_cast<std::size_t>(webhooks) * args.entries;
    const auto start = Steady::now();
    if (!dispatcher.Start().ok()) return 1;
    const bool done = receiver.WaitFor([&] { return receiver.Count() >= total; },
                                       std::chrono::minutes(10));
    const double s = Seconds(Steady::now() - start);
    dispatcher.Stop();
    int behind = 0;
    for (const auto& id : hook_ids) {
      if (store->GetWebhook(id).value()->cursor != args.entries) ++behind;
    }
    const double rate = static_cast<double>(receiver.Count()) / s;
    std::printf("dispatcher: %d webhook(s), %d threads: %8.0f deliveries/s (%zu in %.2f s; "
                "%.0f/s per webhook; %.2f x peer)%s%s\n",
                webhooks, args.threads, rate, receiver.Count(), s, rate / webhooks,
                rate / peer_rate, done ? "" : " INCOMPLETE",
                behind == 0 ? "" : " CURSOR NOT SAVED");
    // The next round's webhooks start from scratch.
    for (const auto& id : hook_ids) {
      core::Status deleted =
          store->Write([&](store::Transaction& txn) { return txn.DeleteWebhook(id); });
      if (!deleted.ok()) return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace markaz::bench

int main(int argc, char** argv) {
  return markaz::bench::Run(markaz::bench::ParseArgs(argc, argv));
}

// Live feeds (issue 7 item 2) end to end, through a real `markaz serve`:
//
//   build/release/bench/sse_bench [--streams 100] [--rate 500] [--seconds 10] [--senders 8]
//                                 [--idle 1000] [--health 2000] [--server-threads 2]
//
//   a) latency: --streams SSE streams (spread over the members host, m2, m3) are opened, then
//      reports released to every member are POSTed one by one (POST /v1/reports, analysed,
//      durable) at --rate reports/s for --seconds, paced by a schedule over --senders client
//      threads. Every stream receives every report. Latency = the time an event is read from
//      a stream's socket minus the time its POST was sent (just before the request was
//      written; the 201 comes later, so this includes analysis, the group commit's fsync and
//      the publish). Reports are told apart by a unique title. Budget: p99 ≤ 50 ms.
//   b) idle streams: the server's resident memory (VmRSS) and GET /v1/health latency (one
//      keep-alive client, --health requests in a row) with no stream open, then with --idle
//      streams open and idle. Budget: ≤ 200 MB resident, health p99 ≤ 10 ms.
//
// One process holds all client sockets: the soft RLIMIT_NOFILE is raised to the hard limit
// first (the server, started from here, inherits it).
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/bench_centre.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/sse_client.h"
#include "testutil/temp_dir.h"

namespace markaz::bench {
namespace {

using nlohmann::json;
using testutil::HttpClient;
using testutil::HttpResult;
using testutil::ServerProcess;
using testutil::SseClient;
using testutil::SseEvent;
using testutil::TempDir;

struct Args {
  int streams = 100;
  double rate = 500;
  double seconds = 10;
  int senders = 8;
  int bulk = 1;  // reports per request: 1 = POST /v1/reports, more = POST /v1/reports:bulk
  int idle = 1000;
  int health = 2000;
  int server_threads = 2;
};

void Usage() {
  std::printf(
      "usage: sse_bench [--streams N] [--rate R] [--seconds S] [--senders T] [--bulk B]\n"
      "                 [--idle N] [--health N] [--server-threads T]\n");
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      Usage();
      std::exit(0);
    }
    if (i + 1 >= argc) Die("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--streams") {
      a.streams = std::stoi(value);
    } else if (flag == "--rate") {
      a.rate = std::stod(value);
    } else if (flag == "--seconds") {
      a.seconds = std::stod(value);
    } else if (flag == "--senders") {
      a.senders = std::stoi(value);
    } else if (flag == "--bulk") {
      a.bulk = std::max(1, std::stoi(value));
    } else if (flag == "--idle") {
      a.idle = std::stoi(value);
    } else if (flag == "--health") {
      a.health = std::stoi(value);
    } else if (flag == "--server-threads") {
      a.server_threads = std::stoi(value);
    } else {
      Usage();
      Die("unknown flag " + flag);
    }
  }
  return a;
}

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  std::printf("open files limit: %llu\n", static_cast<unsigned long long>(limit.rlim_cur));
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void PrintLatencies(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) {
    std::printf("%s: no samples\n", what);
    return;
  }
  std::printf("%s: n=%zu  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
              what, ms.size(), Percentile(ms, 0.50), Percentile(ms, 0.90), Percentile(ms, 0.99),
              Percentile(ms, 0.999), ms.back());
}

std::vector<std::unique_ptr<SseClient>> OpenStreams(const std::string& url, const Centre& centre,
                                                    int n) {
  std::vector<std::unique_ptr<SseClient>> streams;
  streams.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::string& org = kMembers[static_cast<std::size_t>(i) % kMembers.size()];
    streams.push_back(std::make_unique<SseClient>(url, "/v1/feed/stream", centre.tokens.at(org)));
    if (streams.back()->status() != 200) {
      Die("stream " + std::to_string(i) + " refused: HTTP " +
          std::to_string(streams.back()->status()) + " " + streams.back()->body());
    }
  }
  return streams;
}

// (a) Submit → event latency under paced ingest.
void Latency(const Args& args, const std::string& url, const Centre& centre) {
  std::vector<std::unique_ptr<SseClient>> streams = OpenStreams(url, centre, args.streams);
  const auto total = static_cast<std::size_t>(args.rate * args.seconds);
  std::vector<Clock::time_point> sent(total);
  std::vector<std::atomic<bool>> was_sent(total);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<std::size_t> late_starts{0};  // posts that started over 10 ms behind schedule
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(200);
  const auto interval = std::chrono::duration<double>(1.0 / args.rate);

  // The receiver: every stream, polled together; a report's events are timed on arrival.
  std::vector<std::pair<std::size_t, Clock::time_point>> arrivals;  // (report, when read)
  arrivals.reserve(total * streams.size());
  std::vector<Clock::time_point> answered(total);  // when its request was answered
  std::atomic<bool> senders_done{false};
  std::size_t received = 0;
  std::thread receiver([&] {
    std::vector<pollfd> fds(streams.size());
    for (std::size_t i = 0; i < streams.size(); ++i) fds[i] = pollfd{streams[i]->fd(), POLLIN, 0};
    const std::size_t wanted = total * streams.size();
    Clock::time_point give_up = Clock::time_point::max();
    while (received < wanted) {
      if (senders_done.load() && give_up == Clock::time_point::max()) {
        give_up = Clock::now() + std::chrono::seconds(10);
      }
      if (Clock::now() > give_up) break;
      if (poll(fds.data(), fds.size(), 100) <= 0) continue;
      const Clock::time_point now = Clock::now();
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        streams[i]->Pump();
        for (const SseEvent& e : streams[i]->Take()) {
          // The title's number, without a JSON parse: the receiver must keep up with 100
          // streams on a machine the server shares.
          static constexpr std::string_view kTag = "\"title\":\"sse bench ";
          const std::size_t at = e.data.find(kTag);
          if (at == std::string::npos) continue;
          const std::size_t k = std::strtoul(e.data.c_str() + at + kTag.size(), nullptr, 10);
          if (k >= total || !was_sent[k].load()) continue;
          arrivals.emplace_back(k, now);
          ++received;
        }
      }
    }
  });

  std::vector<std::thread> senders;
  std::mutex acks_mu;
  std::vector<double> acks;  // sent → 201 (or → the bulk answer), per request
  const auto per_request = static_cast<std::size_t>(args.bulk);
  const std::size_t batches = (total + per_request - 1) / per_request;
  for (int t = 0; t < args.senders; ++t) {
    senders.emplace_back([&, t] {
      HttpClient client(url);
      const std::string& token =
          centre.tokens.at(kMembers[static_cast<std::size_t>(t) % kMembers.size()]);
      for (;;) {
        const std::size_t b = next.fetch_add(1);
        if (b >= batches) return;
        const std::size_t first = b * static_cast<std::size_t>(args.bulk);
        const std::size_t last = std::min(total, first + static_cast<std::size_t>(args.bulk));
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     interval * static_cast<double>(first));
        std::this_thread::sleep_until(due);
        if (Clock::now() - due > std::chrono::milliseconds(10)) ++late_starts;
        std::string body;
        for (std::size_t k = first; k < last; ++k) {
          const json report = {{"title", "sse bench " + std::to_string(k)},
                               {"body", "Report number " + std::to_string(k) +
                                            " of the live feed benchmark, released to every "
                                            "member so that each stream receives it."},
                               {"tlp", "green"},
                               {"release_to", {"members"}}};
          body += report.dump();
          if (args.bulk > 1) body += '\n';
        }
        const Clock::time_point t0 = Clock::now();
        for (std::size_t k = first; k < last; ++k) {
          sent[k] = t0;
          was_sent[k].store(true);
        }
        HttpResult r = args.bulk > 1
                           ? client.Post("/v1/reports:bulk", body, token, "application/x-ndjson")
                           : client.Post("/v1/reports", body, token);
        const Clock::time_point t1 = Clock::now();
        for (std::size_t k = first; k < last; ++k) answered[k] = t1;
        const double ack_ms = Ms(t1 - t0);
        {
          std::lock_guard<std::mutex> lock(acks_mu);
          acks.push_back(ack_ms);
        }
        if (r.status != (args.bulk > 1 ? 200 : 201)) failed += last - first;
      }
    });
  }
  for (std::thread& t : senders) t.join();
  const double send_seconds = Seconds(start);
  senders_done.store(true);
  receiver.join();
  std::printf("(a) %d streams, %zu reports sent at %.0f/s scheduled (%.0f/s achieved) by %d "
              "senders, %d a request (%s); %zu requests started > 10 ms late, %zu reports "
              "failed\n",
              args.streams, total, args.rate, static_cast<double>(total) / send_seconds,
              args.senders, args.bulk, args.bulk > 1 ? "POST /v1/reports:bulk" : "POST /v1/reports",
              late_starts.load(), failed.load());
  PrintLatencies("    request sent -> answered (ingest alone)", acks);
  std::printf("    events received: %zu of %zu\n", received, total * streams.size());
  std::vector<double> latencies, after_answer;
  latencies.reserve(arrivals.size());
  after_answer.reserve(arrivals.size());
  for (const auto& [k, when] : arrivals) {
    latencies.push_back(Ms(when - sent[k]));
    after_answer.push_back(Ms(when - answered[k]));  // negative: the event came first
  }
  PrintLatencies("    submit -> event", latencies);
  // The live feed's own share: the publish happens before the answer is sent, so an event
  // normally arrives around the time of the answer; what comes after it is delivery delay.
  PrintLatencies("    answer -> event (negative: event first)", after_answer);
}

std::vector<double> HealthLatencies(const std::string& url, int n) {
  HttpClient client(url);
  for (int i = 0; i < 50; ++i) client.Get("/v1/health");  // warm the connection up
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const Clock::time_point t0 = Clock::now();
    HttpResult r = client.Get("/v1/health");
    ms.push_back(Ms(Clock::now() - t0));
    if (r.status != 200) Die("health answered " + std::to_string(r.status));
  }
  return ms;
}

// (b) Idle streams: memory and health latency.
void Idle(const Args& args, const std::string& url, const Centre& centre, pid_t server) {
  const long rss_before = ProcStatusKiB(server, "VmRSS");
  PrintLatencies("(b) GET /v1/health, no stream open", HealthLatencies(url, args.health));
  const Clock::time_point t0 = Clock::now();
  std::vector<std::unique_ptr<SseClient>> streams = OpenStreams(url, centre, args.idle);
  const double open_seconds = Seconds(t0);
  const long rss_after = ProcStatusKiB(server, "VmRSS");
  char what[96];
  std::snprintf(what, sizeof what, "(b) GET /v1/health, %d idle streams open", args.idle);
  PrintLatencies(what, HealthLatencies(url, args.health));
  const long rss_end = ProcStatusKiB(server, "VmRSS");
  std::printf("(b) %d idle streams opened in %.2f s; server VmRSS %.1f MB before, %.1f MB with "
              "them open (%.1f KB per stream), %.1f MB after the health run\n",
              args.idle, open_seconds, rss_before / 1024.0, rss_after / 1024.0,
              static_cast<double>(rss_after - rss_before) / args.idle, rss_end / 1024.0);
  std::size_t alive = 0;
  for (auto& s : streams) alive += s->Pump() ? 1 : 0;
  std::printf("(b) streams still open at the end: %zu of %d\n", alive, args.idle);
}

}  // namespace
}  // namespace markaz::bench

int main(int argc, char** argv) {
  using namespace markaz::bench;
  SetProgramName("sse_bench");
  const Args args = ParseArgs(argc, argv);
  RaiseFileLimit();
  TempDir dir;
  const Centre centre = MakeCentre(dir);
  ServerProcess server(centre.data, {"--threads", std::to_string(args.server_threads)});
  if (!server.started()) Die("markaz serve did not start: " + server.Stderr());
  std::printf("server: %s, %d threads\n", server.url().c_str(), args.server_threads);
  {
    // Warm the pipeline up (first analysis loads the gazetteer matcher and the stemmers).
    HttpClient client(server.url());
    for (int i = 0; i < 20; ++i) {
      client.Post("/v1/reports",
                  R"({"title":"warm-up","body":"Warm-up report.","release_to":["members"]})",
                  centre.tokens.at("host"));
    }
  }
  if (args.streams > 0 && args.seconds > 0) Latency(args, server.url(), centre);
  if (args.idle > 0) Idle(args, server.url(), centre, server.pid());
  return 0;
}

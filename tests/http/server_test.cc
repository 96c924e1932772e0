// The server in-process on port 0, driven over real sockets: framing, keep-alive, limits,
// timeouts and graceful shutdown. (tests/integration/server_test.cc drives `markaz serve`.)
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "centre/centre.h"
#include "http/router.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A blocking TCP client for exact bytes on one connection.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads until `needle` has been received (returns everything read so far, which then
  // contains it), the peer closes, or `timeout` passes. closed() tells which.
  std::string ReadUntil(const std::string& needle, std::chrono::milliseconds timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    while (received_.find(needle) == std::string::npos && !closed_) {
      if (!ReadSome(deadline)) break;
    }
    return received_;
  }

  // Reads until the peer closes or `timeout` passes; returns everything received.
  std::string ReadToClose(std::chrono::milliseconds timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    while (!closed_ && ReadSome(deadline)) {
    }
    return received_;
  }

  bool closed() const { return closed_; }
  void Clear() { received_.clear(); }

 private:
  bool ReadSome(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    received_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

int CountOf(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

const char kHealth[] = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    centre_ = std::make_unique<centre::Centre>(*store_, clock_, ids_);
    core::Charter c;
    c.name = "Server Centre";
    c.start = core::ParseRfc3339("2015-10-01T00:00:00Z").value();
    c.rotation_order = {"host", "m2"};
    c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
                 {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
    ASSERT_TRUE(centre_->Init(c).ok());
    router_ = std::make_unique<Router>(*centre_);
    options_.host = "127.0.0.1";
    options_.port = 0;
    options_.threads = 2;
  }

  void TearDown() override { StopServer(); }

  // Listens and runs the server on a background thread.
  void StartServer() {
    server_ = std::make_unique<Server>(*router_, options_);
    core::Status listening = server_->Listen();
    ASSERT_TRUE(listening.ok()) << listening.ToString();
    ASSERT_NE(server_->port(), 0);
    run_ = std::async(std::launch::async, [this] { return server_->Run(false); });
  }

  // Stops the server and returns how long Run() took to return.
  Clock::duration StopServer() {
    if (!server_ || !run_.valid()) return {};
    auto begin = Clock::now();
    server_->Stop();
    EXPECT_EQ(run_.wait_for(30s), std::future_status::ready) << "Run() did not return";
    core::Status ran = run_.get();
    EXPECT_TRUE(ran.ok()) << ran.ToString();
    return Clock::now() - begin;
  }

  unsigned short port() const { return server_->port(); }

  // After Stop(): true once the listening socket is gone (new connections are refused).
  bool WaitUntilRefused() {
    auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
      if (!RawConnection(port()).connected()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  testutil::TempDir dir_;
  core::ManualClock clock_{core::ParseRfc3339("2015-11-15T12:00:00Z").value()};
  core::IdGenerator ids_{3};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<centre::Centre> centre_;
  std::unique_ptr<Router> router_;
  ServerOptions options_;
  std::unique_ptr<Server> server_;
  std::future<core::Status> run_;
};

TEST_F(ServerTest, AnswersWithJsonAndStandardHeaders) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(kHealth));
  std::string r = c.ReadUntil("\"ok\"");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("\r\nServer: markaz\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\nDate: "), std::string::npos) << r;
  std::string body = r.substr(r.find("\r\n\r\n") + 4);
  EXPECT_NE(r.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos)
      << r;
  EXPECT_EQ(body, R"({"status":"ok"})");
}

TEST_F(ServerTest, KeepsTheConnectionAliveAndAnswersPipelinedRequestsInOrder) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send(kHealth));
  c.ReadUntil("\"ok\"}");
  c.Clear();
  // Three requests in one write; the last asks to close.
  ASSERT_TRUE(c.Send(std::string(kHealth) + "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n" +
                     "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string r = c.ReadToClose();
  EXPECT_TRUE(c.closed());
  auto first = r.find("HTTP/1.1 200");
  auto second = r.find("HTTP/1.1 404");
  auto third = r.find("HTTP/1.1 200", first + 1);
  ASSERT_NE(first, std::string::npos) << r;
  ASSERT_NE(second, std::string::npos) << r;
  ASSERT_NE(third, std::string::npos) << r;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(CountOf(r, "Connection: close"), 1) << r;
}

TEST_F(ServerTest, Http10ClosesUnlessAskedToKeepAlive) {
  StartServer();
  RawConnection once(port());
  ASSERT_TRUE(once.Send("GET /v1/health HTTP/1.0\r\n\r\n"));
  std::string r = once.ReadToClose();
  EXPECT_TRUE(once.closed());
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;

  RawConnection kept(port());
  ASSERT_TRUE(kept.Send("GET /v1/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  r = kept.ReadUntil("\"ok\"}");
  EXPECT_NE(r.find("Connection: keep-alive"), std::string::npos) << r;
  kept.Clear();
  ASSERT_TRUE(kept.Send("GET /v1/health HTTP/1.0\r\n\r\n"));
  r = kept.ReadToClose();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("HEAD /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string r = c.ReadToClose();
  EXPECT_EQ(r.rfind("HTTP/1.1 405", 0), 0u) << r;
  EXPECT_NE(r.find("Content-Length: "), std::string::npos) << r;
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "") << r;
}

TEST_F(ServerTest, MalformedRequestsGet400JsonAndClose) {
  StartServer();
  for (const char* bytes : {"THIS IS NOT HTTP\r\n\r\n", "GET /v1/health HTTP/9.9\r\n\r\n",
                            "GET /v1/health HTTP/1.1\r\nBad Header\r\n\r\n",
                            "POST /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"}) {
    SCOPED_TRACE(bytes);
    RawConnection c(port());
    ASSERT_TRUE(c.Send(bytes));
    std::string r = c.ReadToClose();
    EXPECT_TRUE(c.closed());
    EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
    EXPECT_NE(r.find(R"("code":"bad_request")"), std::string::npos) << r;
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  }
}

TEST_F(ServerTest, BodiesOverTheLimitGet413) {
  options_.max_body_bytes = 100;
  StartServer();
  {
    // Declared too large: refused from the head, before any body arrives.
    RawConnection c(port());
    ASSERT_TRUE(c.Send("POST /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n{"));
    std::string r = c.ReadToClose();
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
    EXPECT_NE(r.find(R"("code":"too_large")"), std::string::npos) << r;
  }
  {
    // Chunked: refused once the chunks pass the limit.
    RawConnection c(port());
    std::string chunk(80, 'x');
    ASSERT_TRUE(
        c.Send("POST /v1/me HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" +
               chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n"));
    std::string r = c.ReadToClose();
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  }
  {
    // At the limit is fine (the route then answers 405: /v1/me is GET only).
    RawConnection c(port());
    ASSERT_TRUE(c.Send("POST /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" +
                       std::string(100, 'y')));
    std::string r = c.ReadUntil("}}");
    EXPECT_EQ(r.rfind("HTTP/1.1 405", 0), 0u) << r;
  }
}

TEST_F(ServerTest, OversizedHeadGets431) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
                     "\r\n\r\n"));
  std::string r = c.ReadToClose();
  EXPECT_EQ(r.rfind("HTTP/1.1 431", 0), 0u) << r.substr(0, 200);
  EXPECT_NE(r.find("headers_too_large"), std::string::npos);
}

TEST_F(ServerTest, ExpectContinueGets100BeforeTheBody) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::string r = c.ReadUntil("\r\n\r\n");
  EXPECT_EQ(r, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send("{}"));
  r = c.ReadUntil("}}");
  EXPECT_NE(r.find("HTTP/1.1 405"), std::string::npos) << r;
}

TEST_F(ServerTest, SlowHeadIsCutOffAfterHeaderTimeout) {
  options_.header_timeout = 1s;
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("GET /v1/health HTTP/1.1\r\n"));  // and never the rest
  auto begin = Clock::now();
  c.ReadToClose(10s);
  EXPECT_TRUE(c.closed());
  EXPECT_LT(Clock::now() - begin, 5s);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  options_.idle_timeout = 1s;
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send(kHealth));
  c.ReadUntil("\"ok\"}");
  auto begin = Clock::now();
  c.ReadToClose(10s);
  EXPECT_TRUE(c.closed());
  EXPECT_GE(Clock::now() - begin, 900ms);
  EXPECT_LT(Clock::now() - begin, 5s);
}

TEST_F(ServerTest, ListenReportsTheAddressItCouldNotBind) {
  StartServer();
  ServerOptions taken = options_;
  taken.port = port();
  Server second(*router_, taken);
  core::Status s = second.Listen();
  EXPECT_EQ(s.code(), core::Code::kUnavailable);
  EXPECT_EQ(s.reason(), "listen_failed");
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(port())), std::string::npos)
      << s.message();

  ServerOptions bad = options_;
  bad.host = "not-an-address.invalid";
  Server third(*router_, bad);
  s = third.Listen();
  EXPECT_EQ(s.reason(), "listen_failed");
  EXPECT_NE(s.message().find("not-an-address.invalid"), std::string::npos) << s.message();
}

TEST_F(ServerTest, StopReturnsPromptlyWithIdleConnectionsOpen) {
  options_.idle_timeout = 60s;
  options_.shutdown_grace = 20s;
  StartServer();
  RawConnection never_sent(port());
  RawConnection kept(port());
  ASSERT_TRUE(kept.Send(kHealth));
  kept.ReadUntil("\"ok\"}");
  auto took = StopServer();
  EXPECT_LT(took, 5s);
  never_sent.ReadToClose(5s);
  kept.ReadToClose(5s);
  EXPECT_TRUE(never_sent.closed());
  EXPECT_TRUE(kept.closed());
  // Nobody listens any more.
  EXPECT_FALSE(RawConnection(port()).connected());
}

TEST_F(ServerTest, StopLetsAnInFlightRequestFinish) {
  options_.shutdown_grace = 20s;
  StartServer();
  RawConnection c(port());
  // "100 Continue" proves the server has read the head and now waits for the body.
  ASSERT_TRUE(
      c.Send("POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
             "Expect: 100-continue\r\n\r\n"));
  ASSERT_NE(c.ReadUntil("\r\n\r\n").find("100 Continue"), std::string::npos);
  c.Clear();
  server_->Stop();
  ASSERT_TRUE(WaitUntilRefused());
  ASSERT_TRUE(c.Send("{\"\"}"));
  std::string r = c.ReadToClose();
  EXPECT_EQ(r.rfind("HTTP/1.1 405", 0), 0u) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(run_.wait_for(5s), std::future_status::ready);
}

TEST_F(ServerTest, StopForceClosesWhatOutlivesTheGracePeriod) {
  options_.shutdown_grace = 1s;
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
             "Expect: 100-continue\r\n\r\n"));
  ASSERT_NE(c.ReadUntil("\r\n\r\n").find("100 Continue"), std::string::npos);
  auto took = StopServer();  // the body never comes
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 5s);
  c.ReadToClose(5s);
  EXPECT_TRUE(c.closed());
}

TEST_F(ServerTest, HandlerExceptionsBecome500WithoutDetail) {
  router_->AddRouteForTest(
      "GET", "/test/throw", false,
      [](const Request&, const centre::Identity*, const PathParams&) -> Response {
        throw std::runtime_error("secret detail");
      });
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("GET /test/throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadUntil("}}");
  EXPECT_EQ(r.rfind("HTTP/1.1 500", 0), 0u) << r;
  EXPECT_NE(r.find(R"({"error":{"code":"internal","message":"internal error"}})"),
            std::string::npos)
      << r;
  EXPECT_EQ(r.find("secret detail"), std::string::npos) << r;
  // The connection survives it.
  c.Clear();
  ASSERT_TRUE(c.Send(kHealth));
  EXPECT_EQ(c.ReadUntil("\"ok\"}").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ServerTest, StopWaitsForARunningHandler) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  router_->AddRouteForTest(
      "GET", "/test/slow", false,
      [&entered, released](const Request&, const centre::Identity*, const PathParams&) {
        entered.set_value();
        released.wait();
        Response r;
        r.body = R"({"slow":true})";
        return r;
      });
  options_.shutdown_grace = 20s;
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  entered.get_future().wait();
  server_->Stop();
  ASSERT_TRUE(WaitUntilRefused());
  EXPECT_EQ(run_.wait_for(200ms), std::future_status::timeout) << "Run() returned mid-request";
  release.set_value();
  std::string r = c.ReadToClose();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_NE(r.find(R"({"slow":true})"), std::string::npos) << r;
  EXPECT_EQ(run_.wait_for(5s), std::future_status::ready);
}

// --- streaming routes ---

// What the streams of EchoRoute saw, across threads.
struct EchoProbe {
  std::atomic<int> finished{0};
  std::atomic<int> destroyed{0};
};

// Echoes each piece of the body at once, and "end\n" at the end.
class EchoStream : public BodyStream {
 public:
  explicit EchoStream(EchoProbe& probe) : probe_(probe) {}
  ~EchoStream() override { ++probe_.destroyed; }
  void Write(std::string_view bytes, std::string& out) override {
    if (bytes.find("THROW") != std::string_view::npos) throw std::runtime_error("asked to");
    out.append(bytes);
  }
  void Pause(std::string&) override {}
  void Finish(std::string& out) override {
    out += "end\n";
    ++probe_.finished;
  }

 private:
  EchoProbe& probe_;
};

// The answer body of a chunked response (everything after the head), dechunked; `complete`
// tells whether the last chunk came.
std::string Dechunk(const std::string& response, bool* complete) {
  std::string out;
  *complete = false;
  std::size_t at = response.find("\r\n\r\n");
  if (at == std::string::npos) return out;
  at += 4;
  for (;;) {
    std::size_t eol = response.find("\r\n", at);
    if (eol == std::string::npos) return out;
    std::size_t size = std::stoul(response.substr(at, eol - at), nullptr, 16);
    if (size == 0) {
      *complete = response.compare(eol, 4, "\r\n\r\n") == 0;
      return out;
    }
    if (response.size() < eol + 2 + size + 2) return out;
    out += response.substr(eol + 2, size);
    at = eol + 2 + size + 2;
  }
}

class StreamingServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    router_->AddStreamingRouteForTest(
        "POST", "/test/echo", false,
        [this](const Request&, const centre::Identity*, const PathParams&) {
          StreamStart start;
          start.head.content_type = "text/plain";
          start.stream = std::make_unique<EchoStream>(probe_);
          return start;
        });
    router_->AddStreamingRouteForTest(
        "POST", "/test/refuse", false,
        [](const Request&, const centre::Identity*, const PathParams&) {
          Response no;
          no.status = 403;
          no.body = R"({"error":{"code":"no","message":"no"}})";
          return StreamStart{no, nullptr};
        });
  }

  EchoProbe probe_;
};

TEST_F(StreamingServerTest, AnswersChunkedAsTheBodyArrivesWithoutTheBodyLimit) {
  options_.max_body_bytes = 100;  // does not apply to a streamed body
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1006\r\n\r\nhello\n"));
  // The first piece is answered while the rest of the body has not been sent.
  std::string r = c.ReadUntil("hello\n");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\nContent-Type: text/plain\r\n"), std::string::npos) << r;
  EXPECT_EQ(r.find("Content-Length"), std::string::npos) << r;
  ASSERT_TRUE(c.Send(std::string(1000, 'z')));
  r = c.ReadUntil("0\r\n\r\n");
  bool complete = false;
  EXPECT_EQ(Dechunk(r, &complete), "hello\n" + std::string(1000, 'z') + "end\n");
  EXPECT_TRUE(complete);
  // The connection is kept alive.
  c.Clear();
  ASSERT_TRUE(c.Send(kHealth));
  EXPECT_EQ(c.ReadUntil("\"ok\"}").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(StreamingServerTest, TakesAChunkedBodyAndHonoursExpectContinue) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
             "Expect: 100-continue\r\n\r\n"));
  // 100 Continue, then (at once) the head of the answer.
  const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  EXPECT_EQ(c.ReadUntil("\r\n\r\n").rfind(kContinue, 0), 0u);
  ASSERT_TRUE(c.Send("3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n" + std::string(kHealth)));
  std::string r = c.ReadUntil("\"ok\"}");
  ASSERT_EQ(r.rfind(kContinue + "HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  r.erase(0, kContinue.size());
  bool complete = false;
  EXPECT_EQ(Dechunk(r, &complete), "abcdefgend\n") << r;
  EXPECT_TRUE(complete);
  EXPECT_NE(r.find("HTTP/1.1 200 OK", r.find("0\r\n\r\n")), std::string::npos) << r;
  EXPECT_EQ(probe_.finished, 1);
}

TEST_F(StreamingServerTest, RefusalIsAnsweredWithoutReadingTheBody) {
  StartServer();
  {
    // A gigabyte announced, 100-continue asked: refused at once, no 100, closed.
    RawConnection c(port());
    ASSERT_TRUE(
        c.Send("POST /test/refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n"
               "Expect: 100-continue\r\n\r\n"));
    std::string r = c.ReadToClose();
    EXPECT_EQ(r.rfind("HTTP/1.1 403", 0), 0u) << r;
    EXPECT_EQ(r.find("100 Continue"), std::string::npos) << r;
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
    EXPECT_TRUE(c.closed());
  }
  {
    // Without a body the connection stays open.
    RawConnection c(port());
    ASSERT_TRUE(c.Send("POST /test/refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_EQ(c.ReadUntil("}}").rfind("HTTP/1.1 403", 0), 0u);
    c.Clear();
    ASSERT_TRUE(c.Send(kHealth));
    EXPECT_EQ(c.ReadUntil("\"ok\"}").rfind("HTTP/1.1 200", 0), 0u);
  }
}

TEST_F(StreamingServerTest, ClientLeavingMidBodyDropsTheStreamWithoutFinish) {
  StartServer();
  {
    RawConnection c(port());
    ASSERT_TRUE(
        c.Send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nfirst\n"));
    c.ReadUntil("first\n");
  }  // closed mid-body
  auto deadline = Clock::now() + 5s;
  while (probe_.destroyed == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(probe_.destroyed, 1);
  EXPECT_EQ(probe_.finished, 0);
  // A malformed chunk cuts the answer off: no last chunk, connection closed.
  RawConnection bad(port());
  ASSERT_TRUE(
      bad.Send("POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               "2\r\nok\r\nzz\r\n"));
  std::string r = bad.ReadToClose();
  EXPECT_TRUE(bad.closed());
  bool complete = true;
  Dechunk(r, &complete);
  EXPECT_FALSE(complete) << r;
  // A stream that throws ends its connection, not the server.
  RawConnection thrower(port());
  ASSERT_TRUE(
      thrower.Send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nTHROW"));
  thrower.ReadToClose();
  EXPECT_TRUE(thrower.closed());
  RawConnection after(port());
  ASSERT_TRUE(after.Send(kHealth));
  EXPECT_EQ(after.ReadUntil("\"ok\"}").rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(probe_.finished, 0);
}

TEST_F(StreamingServerTest, Http10GetsAnAnswerThatEndsWithTheConnection) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("POST /test/echo HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"));
  std::string r = c.ReadToClose();
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(r.find("Transfer-Encoding"), std::string::npos) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "abcend\n");
}

TEST_F(ServerTest, StopBeforeRunMakesRunReturnAtOnce) {
  server_ = std::make_unique<Server>(*router_, options_);
  ASSERT_TRUE(server_->Listen().ok());
  server_->Stop();
  auto begin = Clock::now();
  EXPECT_TRUE(server_->Run(false).ok());
  EXPECT_LT(Clock::now() - begin, 2s);
}

TEST_F(ServerTest, ServesManyConnectionsConcurrently) {
  options_.threads = 4;
  StartServer();
  constexpr int kClients = 8, kRequests = 50;
  std::vector<std::future<int>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::async(std::launch::async, [this] {
      RawConnection c(port());
      int ok = 0;
      for (int j = 0; j < kRequests; ++j) {
        c.Clear();
        if (!c.Send(kHealth)) break;
        if (c.ReadUntil("\"ok\"}").rfind("HTTP/1.1 200", 0) == 0) ++ok;
      }
      return ok;
    }));
  }
  for (auto& f : clients) EXPECT_EQ(f.get(), kRequests);
}

}  // namespace
}  // namespace markaz::http

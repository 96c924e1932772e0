// The HTTP/1.1 server over Boost.Beast/Asio 1.74 with C++20 coroutines. The only translation
// unit of markaz that includes Beast or Asio (STACK.md: one Beast TU takes ~40 s to compile).
//
// Threading model
//   - One io_context, run by `options.threads` threads (the caller of Run() is one of them).
//   - The acceptor, the signal set and the shutdown timer live on one strand, `control`; every
//     handler that touches them runs there, so they need no lock.
//   - Each connection is one coroutine (Serve) on its own strand. Everything of a Session
//     (socket, buffer, flags) is touched only by that coroutine or by handlers posted to that
//     strand (the shutdown sweep), so it needs no lock either.
//   - Router::Handle runs inline on the connection's thread; it must be safe to call from many
//     threads at once (router.h says it is). A handler that blocks holds one of the `threads`
//     for that long: fine for the short store reads of today, not for long-lived streams.
//   - `sessions` (the live connections, for the shutdown sweep) is the one structure
//     shared across strands; `sessions_mu` guards it. It is locked once when a connection opens
//     and once when it closes, never per request. The per-request path takes no lock of ours
//     (Asio's scheduler has its own internal locking).
//
// Per connection: the first bytes of a request must come within idle_timeout (header_timeout
// for a connection's first request), the whole head within header_timeout of them, the body
// within body_timeout, and a response must be taken by the client within body_timeout.
//
// Shutdown (Stop() or SIGINT/SIGTERM): the acceptor closes; connections waiting for a request
// close at once; a connection in the middle of one finishes it, answers with
// "Connection: close" and closes. What is still open after shutdown_grace is closed by force.
// Run() returns once no connection is left.
//
// Boost 1.74 supports asio::awaitable, co_spawn, use_awaitable and redirect_error with g++ 12
// in C++20 mode (BOOST_ASIO_HAS_CO_AWAIT). It has no as_tuple and no experimental awaitable
// operators (asio/experimental/ is absent), so timeouts use beast::basic_stream's own timer and
// errors are taken as values through redirect_error rather than as exceptions.
#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "http/errors.h"
#include "http/routes.h"

namespace markaz::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using ErrorCode = boost::system::error_code;

// A connection's executor: a strand of the io_context, with its concrete type rather than the
// type-erased any_io_executor, which allocates on the heap for many of the executor copies an
// operation makes (measured on GET /v1/health: 3-20 % more requests/s with the concrete type).
using ConnExecutor = asio::strand<asio::io_context::executor_type>;
using ConnSocket = asio::basic_stream_socket<tcp, ConnExecutor>;
using ConnStream = beast::basic_stream<tcp, ConnExecutor, beast::unlimited_rate_policy>;
template <typename T>
using ConnTask = asio::awaitable<T, ConnExecutor>;
constexpr asio::use_awaitable_t<ConnExecutor> kConnAwait;

// Request heads larger than this get 431; bearer tokens and browsers' headers fit easily.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// Bytes asked of the socket when waiting for a new request.
constexpr std::size_t kReadChunk = 8 * 1024;
// After an error response, how long the server keeps draining what the client still sends
// before closing, so that the client reads the response instead of a connection reset.
constexpr std::chrono::seconds kLingerLimit{1};
constexpr std::size_t kLingerBytes = 1024 * 1024;
// A failed accept (e.g. out of file descriptors) is retried after this pause, not in a spin.
constexpr std::chrono::milliseconds kAcceptRetry{50};

// "Date: Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate), formatted once a second per
// thread; no locale, no lock.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[40];
  thread_local std::size_t length = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                          tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    length = n > 0 ? static_cast<std::size_t>(n) : 0;
    cached_second = now;
  }
  return std::string_view(text, length);
}

// Header names and values come from our own handlers, but a CR or LF in one would let a
// value inject headers: such a header is dropped.
bool SafeHeaderText(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}

void AppendNumber(std::string& out, std::uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  (void)ec;  // 24 digits always suffice for a 64-bit number
  out.append(digits, end);
}

// Serialises the status line and headers of `response` into `head` (cleared first; its
// capacity is reused from request to request).
void BuildHead(const Response& response, bool keep_alive, bool http10, std::string& head) {
  head.clear();
  head += "HTTP/1.1 ";
  AppendNumber(head, static_cast<std::uint64_t>(response.status));
  head += ' ';
  beast::string_view reason =
      bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(response.status)));
  head.append(reason.data(), reason.size());
  head += "\r\nServer: markaz\r\nDate: ";
  head += HttpDate();
  if (!response.content_type.empty() && SafeHeaderText(response.content_type)) {
    head += "\r\nContent-Type: ";
    head += response.content_type;
  }
  head += "\r\nContent-Length: ";
  AppendNumber(head, response.body.size());
  head += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || !SafeHeaderText(name) || !SafeHeaderText(value)) continue;
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (!keep_alive) {
    head += "Connection: close\r\n";
  } else if (http10) {
    head += "Connection: keep-alive\r\n";
  }
  head += "\r\n";
}

// Beast's request → our plain Request. Header names are lower-cased; repeated headers are
// joined with ", " (RFC 9110 §5.3). The body is moved, not copied.
Request ToRequest(bhttp::request<bhttp::string_body>& in) {
  Request out;
  beast::string_view method = in.method_string();
  out.method.assign(method.data(), method.size());
  beast::string_view target = in.target();
  out.target.assign(target.data(), target.size());
  for (const auto& field : in) {
    beast::string_view raw_name = field.name_string();
    std::string name(raw_name.data(), raw_name.size());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    beast::string_view value = field.value();
    auto [it, inserted] = out.headers.try_emplace(std::move(name), value.data(), value.size());
    if (!inserted) {
      it->second += ", ";
      it->second.append(value.data(), value.size());
    }
  }
  out.body = std::move(in.body());
  return out;
}

// Whether a read error came from the peer's bytes (answer with an HTTP error) rather than
// from the connection itself (timeout, reset, close: nobody to answer).
std::optional<Response> ResponseForReadError(const ErrorCode& ec, std::size_t max_body_bytes) {
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse(core::Status::TooLarge(
        "too_large",
        "the request body exceeds the limit of " + std::to_string(max_body_bytes) + " bytes"));
  }
  if (ec == bhttp::error::header_limit) {
    Response r = ErrorResponse(core::Status::TooLarge(
        "headers_too_large",
        "the request head exceeds the limit of " + std::to_string(kHeaderLimit) + " bytes"));
    r.status = 431;
    return r;
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == bhttp::error::need_more || ec == bhttp::error::need_buffer) {
    return std::nullopt;  // the peer went away mid-request
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ErrorResponse(
        core::Status::InvalidArgument("bad_request", "malformed HTTP request: " + ec.message()));
  }
  return std::nullopt;
}

}  // namespace

struct Server::Impl {
  struct Session;
  using SessionList = std::list<std::weak_ptr<Session>>;

  // One connection. Touched only on its strand (see the file comment).
  struct Session {
    Session(Impl& owner, ConnSocket socket)
        : impl(owner), executor(socket.get_executor()), stream(std::move(socket)) {}
    ~Session() { impl.Unregister(*this); }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    Impl& impl;
    // The session's strand; immutable, so any thread may read it to post to the session.
    const ConnExecutor executor;
    ConnStream stream;
    beast::flat_buffer buffer;
    std::string head;         // the response head, reused
    bool idle = false;        // waiting for the first byte of a request
    bool registered = false;  // `position` is valid (guarded by impl.sessions_mu)
    SessionList::iterator position;
  };

  Impl(Router& r, ServerOptions o)
      : router(r),
        options(std::move(o)),
        control(asio::make_strand(ioc)),
        acceptor(control),
        grace_timer(control) {}

  ~Impl() {
    {
      // Sessions still alive are destroyed with the io_context below; they must not post to
      // it from their destructors any more.
      std::lock_guard<std::mutex> lock(sessions_mu);
      destroying = true;
    }
    ErrorCode ignored;
    acceptor.close(ignored);
    grace_timer.cancel();
    signals.reset();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // --- connection registry (sessions_mu) ---

  void Register(const std::shared_ptr<Session>& session) {
    std::lock_guard<std::mutex> lock(sessions_mu);
    session->position = sessions.insert(sessions.end(), session);
    session->registered = true;
  }

  void Unregister(Session& session) {
    bool last_during_shutdown = false;
    {
      std::lock_guard<std::mutex> lock(sessions_mu);
      if (!session.registered) return;
      sessions.erase(session.position);
      session.registered = false;
      last_during_shutdown = sessions.empty() && stopping.load() && !destroying;
    }
    // The last connection is gone: Run() may return without waiting out the grace period.
    if (last_during_shutdown) asio::post(control, [this] { grace_timer.cancel(); });
  }

  std::vector<std::shared_ptr<Session>> LiveSessions() {
    std::vector<std::shared_ptr<Session>> live;
    std::lock_guard<std::mutex> lock(sessions_mu);
    live.reserve(sessions.size());
    for (const auto& weak : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    return live;
  }

  // --- control strand ---

  // Starts accepting and (optionally) watching signals. Runs on `control`.
  void Start(bool handle_signals) {
    if (stopping.load()) return;  // Stop() came first
    if (handle_signals) {
      signals.emplace(control, SIGINT, SIGTERM);
      signals->async_wait([this](const ErrorCode& ec, int /*signal*/) {
        if (!ec) BeginShutdown();
      });
    }
    asio::co_spawn(control, AcceptLoop(), asio::detached);
  }

  // Stops accepting, wakes idle connections so they close, and gives busy ones
  // shutdown_grace to finish their current request. Runs on `control`.
  void BeginShutdown() {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(sessions_mu);
      if (stopping.load()) return;
      stopping.store(true);
    }
    ErrorCode ignored;
    acceptor.close(ignored);
    if (signals) signals->cancel(ignored);
    live = LiveSessions();
    if (live.empty()) return;
    for (auto& session : live) {
      // A session that is between requests closes now; one in the middle of a request sees
      // `stopping` when it is done and closes after its response.
      asio::post(session->executor, [session] {
        if (session->idle) session->stream.close();
      });
    }
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([this](const ErrorCode& ec) {
      if (ec) return;  // cancelled: every connection finished in time
      for (auto& session : LiveSessions()) {
        asio::post(session->executor, [session] { session->stream.close(); });
      }
    });
  }

  awaitable<void> AcceptLoop() {
    for (;;) {
      ConnSocket socket(asio::make_strand(ioc));
      ErrorCode ec;
      co_await acceptor.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (stopping.load() || !acceptor.is_open()) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        std::fprintf(stderr, "markaz: accept failed: %s\n", ec.message().c_str());
        asio::steady_timer pause(control, kAcceptRetry);
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      // Responses are written in one go; Nagle would only delay them.
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(*this, std::move(socket));
      Register(session);
      asio::co_spawn(session->executor, Serve(session), asio::detached);
    }
  }

  // --- connections (each on its own strand) ---

  static ConnTask<void> Serve(std::shared_ptr<Session> session) {
    // Nothing below should throw (errors come back through redirect_error, handlers are
    // wrapped), but an exception escaping a detached coroutine would escape io_context::run():
    // this is the connection's last line of defence.
    try {
      co_await session->impl.ServeRequests(*session);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "markaz: connection dropped: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "markaz: connection dropped: unknown exception\n");
    }
  }

  ConnTask<void> ServeRequests(Session& s) {
    ErrorCode ec;
    bool first = true;
    for (;;) {
      // 1. Wait for the first bytes of the next request (unless pipelined bytes are already
      //    buffered). The first request of a connection gets header_timeout for its whole
      //    head; later ones may idle for idle_timeout first.
      auto head_deadline = std::chrono::steady_clock::now() + options.header_timeout;
      if (s.buffer.size() == 0) {
        if (stopping.load(std::memory_order_relaxed)) co_return;
        if (first) {
          s.stream.expires_at(head_deadline);
        } else {
          s.stream.expires_after(options.idle_timeout);
        }
        s.idle = true;
        std::size_t n = co_await s.stream.async_read_some(s.buffer.prepare(kReadChunk),
                                                          asio::redirect_error(kConnAwait, ec));
        s.idle = false;
        if (ec) co_return;  // closed, reset, idle timeout or shutdown
        s.buffer.commit(n);
        if (!first) head_deadline = std::chrono::steady_clock::now() + options.header_timeout;
      }
      first = false;

      // 2. The head.
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(static_cast<std::uint64_t>(options.max_body_bytes));
      s.stream.expires_at(head_deadline);
      co_await bhttp::async_read_header(s.stream, s.buffer, parser,
                                        asio::redirect_error(kConnAwait, ec));
      if (ec) {
        co_await FailRequest(s, ec);
        co_return;
      }

      // 3. The body, if any. curl and others wait for "100 Continue" before a large body.
      if (!parser.is_done()) {
        const auto& head = parser.get();
        auto expect = head.find(bhttp::field::expect);
        if (expect != head.end() && beast::iequals(expect->value(), "100-continue") &&
            head.version() >= 11) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          s.stream.expires_after(options.body_timeout);
          co_await asio::async_write(s.stream, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(kConnAwait, ec));
          if (ec) co_return;
        }
        s.stream.expires_after(options.body_timeout);
        co_await bhttp::async_read(s.stream, s.buffer, parser,
                                   asio::redirect_error(kConnAwait, ec));
        if (ec) {
          co_await FailRequest(s, ec);
          co_return;
        }
      }

      // 4. Handle and answer.
      bhttp::request<bhttp::string_body>& message = parser.get();
      const bool http10 = message.version() < 11;
      const bool head_only = message.method() == bhttp::verb::head;
      const bool client_keeps_alive = message.keep_alive();
      Request request = ToRequest(message);
      Response response = Dispatch(request);
      // Checked after the handler: a shutdown that began meanwhile closes after this answer.
      const bool keep_alive = client_keeps_alive && !stopping.load(std::memory_order_relaxed);
      co_await WriteResponse(s, response, keep_alive, http10, head_only, ec);
      if (ec) co_return;
      if (!keep_alive) {
        // Half-close so the client sees the end of the response, then let go.
        s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }

  Response Dispatch(const Request& request) {
    try {
      return router.Handle(request);
    } catch (const std::exception& e) {
      LogHandlerFailure(request, e.what());
    } catch (...) {
      LogHandlerFailure(request, "unknown exception");
    }
    return ErrorResponse(core::Status::Internal("handler threw"));
  }

  static void LogHandlerFailure(const Request& request, const char* what) {
    // The path only: query strings may carry search terms that do not belong in logs.
    std::string_view path = PathOf(request.target);
    std::fprintf(stderr, "markaz: internal error in %s %.*s: %s\n", request.method.c_str(),
                 static_cast<int>(path.size()), path.data(), what);
  }

  ConnTask<void> WriteResponse(Session& s, const Response& response, bool keep_alive, bool http10,
                               bool head_only, ErrorCode& ec) {
    BuildHead(response, keep_alive, http10, s.head);
    std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(s.head), head_only ? asio::const_buffer() : asio::buffer(response.body)};
    // A client that stops reading cannot hold the connection forever.
    s.stream.expires_after(options.body_timeout);
    co_await asio::async_write(s.stream, buffers, asio::redirect_error(kConnAwait, ec));
  }

  // Answers a request that could not be read (400, 413, 431) when the peer is still there,
  // then closes the connection after draining briefly what the client is still sending.
  ConnTask<void> FailRequest(Session& s, const ErrorCode& read_error) {
    std::optional<Response> response = ResponseForReadError(read_error, options.max_body_bytes);
    if (!response) co_return;
    ErrorCode ec;
    co_await WriteResponse(s, *response, /*keep_alive=*/false, /*http10=*/false,
                           /*head_only=*/false, ec);
    if (ec) co_return;
    s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    s.stream.expires_after(kLingerLimit);
    std::size_t drained = 0;
    while (!ec && drained < kLingerBytes) {
      s.buffer.clear();
      drained += co_await s.stream.async_read_some(s.buffer.prepare(kReadChunk),
                                                   asio::redirect_error(kConnAwait, ec));
    }
  }

  Router& router;
  const ServerOptions options;

  // Declared before the io_context so that they outlive it: sessions destroyed with the
  // io_context unregister themselves here.
  std::mutex sessions_mu;
  SessionList sessions;               // guarded by sessions_mu
  bool destroying = false;            // guarded by sessions_mu
  std::atomic<bool> stopping{false};  // written under sessions_mu; read anywhere

  asio::io_context ioc;
  // I/O objects after the io_context, so that they are destroyed before it.
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;                   // on control
  asio::steady_timer grace_timer;           // on control
  std::optional<asio::signal_set> signals;  // on control
  unsigned short bound_port = 0;
  bool ran = false;
};

Server::Server(Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() = default;

core::Status Server::Listen() {
  Impl& impl = *impl_;
  const std::string where = impl.options.host + ":" + std::to_string(impl.options.port);
  ErrorCode ec;
  tcp::resolver resolver(impl.ioc);
  auto endpoints = resolver.resolve(impl.options.host, std::to_string(impl.options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) {
    return core::Status::Unavailable("listen_failed",
                                     "cannot listen on " + where + ": " + ec.message());
  }
  ErrorCode last = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    tcp::acceptor& acceptor = impl.acceptor;
    ErrorCode ignored;
    acceptor.close(ignored);
    if (acceptor.open(entry.endpoint().protocol(), ec) ||
        acceptor.set_option(asio::socket_base::reuse_address(true), ec) ||
        acceptor.bind(entry.endpoint(), ec) ||
        acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
      last = ec;
      continue;
    }
    impl.bound_port = acceptor.local_endpoint(ec).port();
    if (ec) {
      last = ec;
      continue;
    }
    return core::Status::Ok();
  }
  ErrorCode ignored;
  impl.acceptor.close(ignored);
  return core::Status::Unavailable("listen_failed",
                                   "cannot listen on " + where + ": " + last.message());
}

unsigned short Server::port() const { return impl_->bound_port; }

core::Status Server::Run(bool handle_signals) {
  Impl& impl = *impl_;
  if (impl.ran) return core::Status::Internal("Server::Run called twice");
  if (!impl.acceptor.is_open()) return core::Status::Internal("Server::Run before Listen");
  impl.ran = true;

  asio::post(impl.control, [&impl, handle_signals] { impl.Start(handle_signals); });

  // Every thread runs the same io_context until it runs out of work: after shutdown the
  // acceptor, the signal set, the grace timer and every connection are gone.
  auto run = [&impl] {
    for (;;) {
      try {
        impl.ioc.run();
        return;
      } catch (const std::exception& e) {
        // Handlers do not throw by design; should one, keep serving.
        std::fprintf(stderr, "markaz: unexpected exception in the server loop: %s\n", e.what());
      }
    }
  };
  const int extra = impl.options.threads > 1 ? impl.options.threads - 1 : 0;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(extra));
  for (int i = 0; i < extra; ++i) threads.emplace_back(run);
  run();
  for (std::thread& t : threads) t.join();
  return core::Status::Ok();
}

void Server::Stop() {
  Impl& impl = *impl_;
  asio::post(impl.control, [&impl] { impl.BeginShutdown(); });
}

}  // namespace markaz::http

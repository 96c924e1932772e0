// The HTTP/1.1 server over Boost.Beast/Asio 1.74 with C++20 coroutines, plain or TLS. The only
// translation unit of markaz that includes Beast or Asio (STACK.md: one Beast TU takes ~40 s to
// compile).
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
//   - A request for a streaming route (routes.h: POST /v1/reports:bulk) is served by
//     ServeStream: its body is read in pieces and fed to the route's BodyStream, inline like a
//     handler (a durable commit blocks the thread for that long), and its answer is sent by a
//     second coroutine of the connection, StreamWriter, on the same strand.
//   - A request for an event-stream route (routes.h: GET /v1/feed/stream) is served by
//     ServeEvents for as long as the stream lasts: it never blocks a thread while it waits (an
//     asio timer that the source's wake cancels through a post to the connection's strand), so
//     a thousand idle streams cost a thousand small coroutine frames and sockets, not threads.
//   - `sessions` (the live connections, for the shutdown sweep) is the one structure
//     shared across strands; `sessions_mu` guards it. It is locked once when a connection opens
//     and once when it closes, never per request. The per-request path takes no lock of ours
//     (Asio's scheduler has its own internal locking).
//
// HTTPS (options.tls): every connection is TLS (tls.h sets the protocol versions, ciphers,
// ALPN and client certificates). The request loop is the same for both kinds of connection:
// it is written once as templates over Session<PlainStream> and Session<TlsStream>, and only
// the handshake and the end of a connection (close_notify) differ. The TLS handshake must end
// within header_timeout.
//
// Per connection: the first bytes of a request must come within idle_timeout (header_timeout
// for a connection's first request), the whole head within header_timeout of them, the body
// within body_timeout (a streamed body: each piece of it), and a response (each piece of a
// streamed one) must be taken by the client within body_timeout.
//
// Shutdown (Stop() or SIGINT/SIGTERM): the acceptor closes; connections waiting for a request
// close at once, and so do event streams (they end their answer first); a connection in the
// middle of one finishes it, answers with
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
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <functional>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/errors.h"
#include "http/routes.h"
#include "http/tls.h"

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
// The two kinds of connection: plain HTTP, and HTTPS over the same TCP stream (whose timer
// gives the TLS connection its timeouts too).
using PlainStream = ConnStream;
using TlsStream = beast::ssl_stream<ConnStream>;
template <typename T>
using ConnTask = asio::awaitable<T, ConnExecutor>;
constexpr asio::use_awaitable_t<ConnExecutor> kConnAwait;
using ConnTimer =
    asio::basic_waitable_timer<std::chrono::steady_clock,
                               asio::wait_traits<std::chrono::steady_clock>, ConnExecutor>;

// Request heads larger than this get 431; bearer tokens and browsers' headers fit easily.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// The TCP stream under a session's stream: its socket and its timeouts.
template <typename Sess>
ConnStream& Lowest(Sess& s) {
  return beast::get_lowest_layer(s.stream);
}

// Bytes asked of the socket when waiting for a new request.
constexpr std::size_t kReadChunk = 8 * 1024;
// After an error response, how long the server keeps draining what the client still sends
// before closing, so that the client reads the response instead of a connection reset.
constexpr std::chrono::seconds kLingerLimit{1};
constexpr std::size_t kLingerBytes = 1024 * 1024;
// "No limit" for a parser's body. (Beast 1.74's boost::none for it refuses every body with a
// Content-Length: it compares the length with the empty optional.)
constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();
// A streamed request body is read and handed to its stream in pieces of at most this size.
constexpr std::size_t kStreamPiece = 64 * 1024;
// Bytes of chunked framing ("\r\n" and a chunk-size line) that Beast's parser may leave
// buffered between two chunks of a body.
constexpr std::size_t kChunkFramingBytes = 64;
// The answer of a streamed request that may wait for the client to read it before the server
// stops reading the body: ~80,000 NDJSON answer lines of POST /v1/reports:bulk. A client that
// sends its whole upload before reading the answer is served up to this much answer (plus
// what the sockets buffer); beyond it, the client must read as it sends.
constexpr std::size_t kStreamBacklog = 4 * 1024 * 1024;
// An idle event stream keeps write buffers up to this size between events; larger ones (after
// a burst) are released before it waits.
constexpr std::size_t kIdleStreamBuffer = 4 * 1024;
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

// How the end of a response body is shown: by Content-Length (the body is in the Response), by
// chunked transfer coding, or by closing the connection (HTTP/1.0 clients of a streamed answer,
// RFC 9112 §6.3).
enum class Framing { kLength, kChunked, kClose };

// Serialises the status line and headers of `response` into `head` (cleared first; its
// capacity is reused from request to request).
void BuildHead(const Response& response, bool keep_alive, bool http10, std::string& head,
               Framing framing = Framing::kLength) {
  head.clear();
  head += "HTTP/1.1 ";
  AppendNumber(head, static_cast<std::uint64_t>(response.status));
  head += ' ';
  beast::string_view reason =
      bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(response.status)));
  head.append(reason.data(), reason.size());
  head += "\r\nServer: markaz\r\nDate: ";
  head += HttpDate();
  // A 204 has no content: neither a type nor a length (RFC 9110 §8.6, §15.3.5).
  const bool no_content = response.status == 204;
  if (!no_content && !response.content_type.empty() && SafeHeaderText(response.content_type)) {
    head += "\r\nContent-Type: ";
    head += response.content_type;
  }
  if (no_content) {
    // No framing header at all.
  } else if (framing == Framing::kLength) {
    head += "\r\nContent-Length: ";
    AppendNumber(head, response.body.size());
  } else if (framing == Framing::kChunked) {
    head += "\r\nTransfer-Encoding: chunked";
  }
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

// The head of Beast's request → our plain Request, without a body. Header names are
// lower-cased; repeated headers are joined with ", " (RFC 9110 §5.3).
Request ToRequest(const bhttp::request_header<>& in) {
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
  return out;
}

// Appends `bytes` to `out` as one chunk of the chunked transfer coding (RFC 9112 §7.1).
void AppendChunk(std::string& out, std::string_view bytes) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, bytes.size(), 16);
  (void)ec;  // 16 hex digits always suffice for a 64-bit size
  out.append(digits, end);
  out += "\r\n";
  out.append(bytes);
  out += "\r\n";
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
  struct SessionBase;
  using SessionList = std::list<std::weak_ptr<SessionBase>>;

  // What the connection registry and the shutdown sweep need of a connection, whatever its
  // stream. Touched only on its strand (see the file comment), except `registered` and
  // `position`.
  struct SessionBase {
    SessionBase(Impl& owner, const ConnExecutor& ex) : impl(owner), executor(ex) {}
    virtual ~SessionBase() { impl.Unregister(*this); }
    SessionBase(const SessionBase&) = delete;
    SessionBase& operator=(const SessionBase&) = delete;
    // Closes the socket at once (on the strand): pending operations end with an error.
    virtual void CloseNow() = 0;

    Impl& impl;
    // The session's strand; immutable, so any thread may read it to post to the session.
    const ConnExecutor executor;
    bool idle = false;        // waiting for the first byte of a request
    // Set while the connection serves an event stream: ends it at once (a shutdown).
    std::function<void()> end_events;
    bool registered = false;  // `position` is valid (guarded by impl.sessions_mu)
    SessionList::iterator position;
  };

  // One connection over `Stream`: PlainStream or TlsStream. The request loop below is written
  // once, as templates over the session type, for both.
  template <typename Stream>
  struct Session : SessionBase, std::enable_shared_from_this<Session<Stream>> {
    template <typename... StreamArgs>
    Session(Impl& owner, const ConnExecutor& ex, StreamArgs&&... args)
        : SessionBase(owner, ex), stream(std::forward<StreamArgs>(args)...) {}
    void CloseNow() override { beast::get_lowest_layer(stream).close(); }

    Stream stream;
    beast::flat_buffer buffer;
    std::string head;  // the response head, reused
    // The verified client certificate's names (TLS with a client CA), copied into each request.
    std::vector<std::string> client_cert_names;
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

  void Register(const std::shared_ptr<SessionBase>& session) {
    std::lock_guard<std::mutex> lock(sessions_mu);
    session->position = sessions.insert(sessions.end(), session);
    session->registered = true;
  }

  void Unregister(SessionBase& session) {
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

  std::vector<std::shared_ptr<SessionBase>> LiveSessions() {
    std::vector<std::shared_ptr<SessionBase>> live;
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
    std::vector<std::shared_ptr<SessionBase>> live;
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
        if (session->idle) {
          session->CloseNow();
        } else if (session->end_events) {
          session->end_events();  // a live stream has no "current request" to finish
        }
      });
    }
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([this](const ErrorCode& ec) {
      if (ec) return;  // cancelled: every connection finished in time
      for (auto& session : LiveSessions()) {
        asio::post(session->executor, [session] { session->CloseNow(); });
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
      const ConnExecutor executor = socket.get_executor();
      if (ssl_context) {
        auto session = std::make_shared<Session<TlsStream>>(*this, executor, std::move(socket),
                                                            *ssl_context);
        Register(session);
        asio::co_spawn(executor, Serve(session), asio::detached);
      } else {
        auto session = std::make_shared<Session<PlainStream>>(*this, executor, std::move(socket));
        Register(session);
        asio::co_spawn(executor, Serve(session), asio::detached);
      }
    }
  }

  // --- connections (each on its own strand) ---

  template <typename Sess>
  static ConnTask<void> Serve(std::shared_ptr<Sess> session) {
    // Nothing below should throw (errors come back through redirect_error, handlers are
    // wrapped), but an exception escaping a detached coroutine would escape io_context::run():
    // this is the connection's last line of defence.
    try {
      if (co_await session->impl.Handshake(*session)) {
        co_await session->impl.ServeRequests(*session);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "markaz: connection dropped: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "markaz: connection dropped: unknown exception\n");
    }
  }

  // TLS: the handshake, within header_timeout; the client's certificate names are kept for
  // its requests. False when it failed (plain HTTP sent to the TLS port, a client certificate
  // that does not verify, a timeout): the connection just closes, there is nobody to answer
  // in HTTP. Plain connections have nothing to do.
  ConnTask<bool> Handshake(Session<PlainStream>&) { co_return true; }
  ConnTask<bool> Handshake(Session<TlsStream>& s) {
    ErrorCode ec;
    Lowest(s).expires_after(options.header_timeout);
    co_await s.stream.async_handshake(asio::ssl::stream_base::server,
                                      asio::redirect_error(kConnAwait, ec));
    if (ec) co_return false;
    s.client_cert_names = PeerCertificateNames(s.stream.native_handle());
    co_return true;
  }

  // Ends the sending side so that the client sees the end of the last answer: a TCP
  // half-close; on TLS first a close_notify (waiting at most kLingerLimit for the client's).
  ConnTask<void> CloseSend(Session<PlainStream>& s) {
    ErrorCode ec;
    Lowest(s).socket().shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  ConnTask<void> CloseSend(Session<TlsStream>& s) {
    ErrorCode ec;
    Lowest(s).expires_after(kLingerLimit);
    co_await s.stream.async_shutdown(asio::redirect_error(kConnAwait, ec));
    Lowest(s).socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  template <typename Sess>
  ConnTask<void> ServeRequests(Sess& s) {
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
          Lowest(s).expires_at(head_deadline);
        } else {
          Lowest(s).expires_after(options.idle_timeout);
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

      // 2. The head. The body type is chosen once the route is known, and so is the body
      //    limit: a streamed body has none.
      bhttp::request_parser<bhttp::empty_body> head_parser;
      head_parser.header_limit(kHeaderLimit);
      head_parser.body_limit(kNoBodyLimit);
      Lowest(s).expires_at(head_deadline);
      co_await bhttp::async_read_header(s.stream, s.buffer, head_parser,
                                        asio::redirect_error(kConnAwait, ec));
      if (ec) {
        co_await FailRequest(s, ec, options.max_body_bytes);
        co_return;
      }
      const bhttp::request<bhttp::empty_body>& head = head_parser.get();
      const bool http10 = head.version() < 11;
      const bool head_only = head.method() == bhttp::verb::head;
      const bool client_keeps_alive = head.keep_alive();
      auto expect = head.find(bhttp::field::expect);
      const bool expects_continue =
          expect != head.end() && beast::iequals(expect->value(), "100-continue") && !http10;
      Request request = ToRequest(head);
      request.client_cert_names = s.client_cert_names;

      // 3. A streaming route reads its body as it goes.
      if (std::optional<StreamStart> start = StartStream(request)) {
        const bool again = co_await ServeStream(s, head_parser, std::move(*start), http10,
                                                client_keeps_alive, expects_continue);
        if (!again) co_return;
        continue;
      }

      // 4. Any other request: the body, if any, whole. curl and others wait for
      //    "100 Continue" before a large body.
      if (!head_parser.is_done()) {
        // The route's own limit (markaz.toml [limits.body]) or the server's.
        const std::size_t body_limit = BodyLimit(request);
        if (auto length = head_parser.content_length(); length && *length > body_limit) {
          co_await FailRequest(s, bhttp::error::body_limit, body_limit);
          co_return;
        }
        bhttp::request_parser<bhttp::string_body> parser(std::move(head_parser));
        parser.body_limit(static_cast<std::uint64_t>(body_limit));
        if (expects_continue) {
          co_await SendContinue(s, ec);
          if (ec) co_return;
        }
        Lowest(s).expires_after(options.body_timeout);
        co_await bhttp::async_read(s.stream, s.buffer, parser,
                                   asio::redirect_error(kConnAwait, ec));
        if (ec) {
          co_await FailRequest(s, ec, body_limit);
          co_return;
        }
        request.body = std::move(parser.get().body());
      }

      // 5. An event stream (GET /v1/feed/stream) keeps the connection until it ends.
      if (std::optional<EventStart> events = StartEvents(request)) {
        const bool again = co_await ServeEvents(s, std::move(*events), client_keeps_alive, http10);
        if (!again) co_return;
        continue;
      }

      // 6. Handle and answer.
      Response response = Dispatch(request);
      // Checked after the handler: a shutdown that began meanwhile closes after this answer.
      const bool keep_alive = client_keeps_alive && !stopping.load(std::memory_order_relaxed);
      co_await WriteResponse(s, response, keep_alive, http10, head_only, ec);
      if (ec) co_return;
      if (!keep_alive) {
        // Half-close so the client sees the end of the response, then let go.
        co_await CloseSend(s);
        co_return;
      }
    }
  }

  template <typename Sess>
  ConnTask<void> SendContinue(Sess& s, ErrorCode& ec) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    Lowest(s).expires_after(options.body_timeout);
    co_await asio::async_write(s.stream, asio::buffer(kContinue.data(), kContinue.size()),
                               asio::redirect_error(kConnAwait, ec));
  }

  // Router::BodyLimit or the server's default. A throw here (none is expected) keeps the
  // default, as Dispatch's last line of defence would.
  std::size_t BodyLimit(const Request& head) {
    try {
      return router.BodyLimit(head).value_or(options.max_body_bytes);
    } catch (const std::exception& e) {
      LogHandlerFailure(head, e.what());
    }
    return options.max_body_bytes;
  }

  // Router::StartEvents, with Dispatch's last line of defence.
  std::optional<EventStart> StartEvents(const Request& request) {
    try {
      return router.StartEvents(request);
    } catch (const std::exception& e) {
      LogHandlerFailure(request, e.what());
    } catch (...) {
      LogHandlerFailure(request, "unknown exception");
    }
    return EventStart{ErrorResponse(core::Status::Internal("handler threw")), nullptr};
  }

  // --- event streams ---

  // What wakes an event stream's loop, shared with the source's wake (any thread) and the
  // coroutine that watches the peer. The loop waits on `timer` (until the heartbeat is due);
  // a wake cancels it through a post to the session's strand. `pending` coalesces wakes: many
  // publishes between two reads of the source cost one post.
  struct EventWake {
    explicit EventWake(const ConnExecutor& executor) : timer(executor) {}
    ConnTimer timer;                   // on the session's strand
    std::atomic<bool> pending{false};  // a wake came since the loop last read the source
    bool peer_gone = false;            // on the strand: the client closed or reset
  };

  // Serves an event stream (routes.h EventSource): the head (text/event-stream, chunked; for
  // HTTP/1.0, ended by closing), then, for as long as the stream lasts, what Next() has
  // ready, and when it has nothing, a wait for the source's wake or the heartbeat. Each write
  // must be taken by the client within body_timeout, or the connection is closed: a slow
  // client holds at most one slice of events (EventSource::Next's bound) plus the socket's
  // buffers, never a queue, and never slows anyone else (publishers only set a flag and post).
  // A second coroutine reads from the socket meanwhile, only to notice the client leaving
  // without waiting for the next heartbeat to fail. The stream ends when Next() says so, the
  // client goes, a write fails or times out, or the server shuts down (at once, not after
  // shutdown_grace: end_events); the connection then closes. A refusal (no source) is an
  // ordinary answer. Returns whether the connection may serve another request.
  template <typename Sess>
  ConnTask<bool> ServeEvents(Sess& s, EventStart start, bool client_keeps_alive, bool http10) {
    ErrorCode ec;
    if (!start.source) {
      const bool keep_alive = client_keeps_alive && !stopping.load(std::memory_order_relaxed);
      co_await WriteResponse(s, start.head, keep_alive, http10, /*head_only=*/false, ec);
      if (ec) co_return false;
      if (keep_alive) co_return true;
      co_await CloseSend(s);
      co_return false;
    }
    const bool chunked = !http10;
    auto wake = std::make_shared<EventWake>(s.executor);
    std::weak_ptr<EventWake> weak_wake = wake;
    const ConnExecutor executor = s.executor;
    std::unique_ptr<EventSource> source = std::move(start.source);
    bool watching = true;
    try {
      source->Watch([weak_wake, executor] {
        std::shared_ptr<EventWake> w = weak_wake.lock();
        if (!w || w->pending.exchange(true)) return;
        asio::post(executor, [w] { w->timer.cancel(); });
      });
    } catch (const std::exception& e) {
      std::fprintf(stderr, "markaz: internal error in an event stream: %s\n", e.what());
      watching = false;
    }
    if (!watching) {
      co_await WriteResponse(s, ErrorResponse(core::Status::Internal("event stream failed")),
                             /*keep_alive=*/false, http10, /*head_only=*/false, ec);
      co_return false;
    }
    const std::chrono::milliseconds heartbeat = source->heartbeat();
    s.end_events = [weak_wake] {
      if (auto w = weak_wake.lock()) w->timer.cancel();
    };

    std::string framed;  // the bytes of one write
    BuildHead(start.head, /*keep_alive=*/false, http10, framed,
              chunked ? Framing::kChunked : Framing::kClose);
    Lowest(s).expires_after(options.body_timeout);
    co_await asio::async_write(s.stream, asio::buffer(framed),
                               asio::redirect_error(kConnAwait, ec));
    bool failed = static_cast<bool>(ec);
    if (!failed) {
      // From here the socket's reads have no deadline (the peer watcher waits for as long as
      // the stream lasts); each write sets its own.
      Lowest(s).expires_never();
      asio::co_spawn(s.executor, WatchPeer(s.shared_from_this(), wake), asio::detached);
    }
    std::string events;
    bool heartbeat_due = false;
    while (!failed && !wake->peer_gone && !stopping.load(std::memory_order_relaxed)) {
      wake->pending.store(false);
      events.clear();
      const bool more = CallNext(source.get(), events);
      if (events.empty() && heartbeat_due) events = ": hb\n\n";
      heartbeat_due = false;
      if (!events.empty()) {
        framed.clear();
        if (chunked) {
          AppendChunk(framed, events);
        } else {
          framed = events;
        }
        Lowest(s).expires_after(options.body_timeout);
        co_await asio::async_write(s.stream, asio::buffer(framed),
                                   asio::redirect_error(kConnAwait, ec));
        if (ec) failed = true;
        if (!more || failed) break;
        continue;  // read on until nothing is ready
      }
      if (!more) break;
      if (wake->pending.load()) continue;  // woken while reading: read again
      // An idle stream keeps little: a burst's buffers are given back before the wait.
      if (framed.capacity() > kIdleStreamBuffer) std::string().swap(framed);
      if (events.capacity() > kIdleStreamBuffer) std::string().swap(events);
      wake->timer.expires_after(heartbeat);
      co_await wake->timer.async_wait(asio::redirect_error(kConnAwait, ec));
      heartbeat_due = !ec;  // expired rather than cancelled by a wake
    }
    s.end_events = nullptr;
    source.reset();  // stops the wakes
    if (!failed && !wake->peer_gone && chunked) {
      // Ended by the source or a shutdown: end the answer properly before closing.
      static constexpr std::string_view kLastChunk = "0\r\n\r\n";
      Lowest(s).expires_after(options.body_timeout);
      co_await asio::async_write(s.stream, asio::buffer(kLastChunk.data(), kLastChunk.size()),
                                 asio::redirect_error(kConnAwait, ec));
    }
    // Closing ends the peer watcher's read. No TLS close_notify: it would read concurrently
    // with the watcher, and a client of an endless stream learns its end from the close.
    Lowest(s).socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest(s).close();
    co_return false;
  }

  // Reads (and drops) whatever the client of an event stream sends, until it closes or the
  // connection is closed; then wakes the stream's loop.
  template <typename Sess>
  static ConnTask<void> WatchPeer(std::shared_ptr<Sess> session, std::shared_ptr<EventWake> wake) {
    std::array<char, 256> sink;
    ErrorCode ec;
    while (!ec) {
      co_await session->stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(kConnAwait, ec));
    }
    wake->peer_gone = true;
    wake->timer.cancel();
  }

  // EventSource::Next with Dispatch's last line of defence: false (end the stream) when it
  // threw (logged).
  static bool CallNext(EventSource* source, std::string& out) {
    try {
      return source->Next(out);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "markaz: internal error in an event stream: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "markaz: internal error in an event stream: unknown exception\n");
    }
    out.clear();
    return false;
  }

  // Router::StartStream, with Dispatch's last line of defence.
  std::optional<StreamStart> StartStream(const Request& head) {
    try {
      return router.StartStream(head);
    } catch (const std::exception& e) {
      LogHandlerFailure(head, e.what());
    } catch (...) {
      LogHandlerFailure(head, "unknown exception");
    }
    return StreamStart{ErrorResponse(core::Status::Internal("handler threw")), nullptr};
  }

  // --- streamed requests ---

  // The answer of a streamed request on its way out. The request's coroutine appends to
  // `pending`; a writer coroutine on the same strand (StreamWriter) sends it, so that reading
  // the body never waits for the client to read the answer (a client may well send its whole
  // upload before it reads), until `pending` exceeds kStreamBacklog: then reading waits for the
  // writer, and a client that reads nothing is cut off by the write timeout. Touched only on the
  // session's strand; the two coroutines wake each other by cancelling a timer.
  struct StreamOut {
    explicit StreamOut(const ConnExecutor& executor)
        : wake_writer(executor), wake_reader(executor) {}
    std::string pending;   // framed bytes not yet handed to the socket
    bool closing = false;  // nothing more comes: the writer ends once `pending` is sent
    bool failed = false;   // a write failed or timed out: the connection is gone
    bool writer_done = false;
    ConnTimer wake_writer;  // the writer waits on it for `pending` or `closing`
    ConnTimer wake_reader;  // the reader waits on it for room in `pending`, or writer_done
  };

  template <typename Sess>
  ConnTask<void> StreamWriter(std::shared_ptr<Sess> session, std::shared_ptr<StreamOut> shared) {
    Sess& s = *session;
    StreamOut& out = *shared;
    ErrorCode ec;
    std::string sending;
    for (;;) {
      if (out.pending.empty()) {
        if (out.closing) break;
        out.wake_writer.expires_at(ConnTimer::time_point::max());
        co_await out.wake_writer.async_wait(asio::redirect_error(kConnAwait, ec));
        continue;
      }
      sending.clear();
      sending.swap(out.pending);
      out.wake_reader.cancel();  // room in `pending` again
      Lowest(s).expires_after(options.body_timeout);
      co_await asio::async_write(s.stream, asio::buffer(sending),
                                 asio::redirect_error(kConnAwait, ec));
      if (ec) {
        out.failed = true;
        break;
      }
    }
    out.pending.clear();
    out.writer_done = true;
    out.wake_reader.cancel();
  }

  // Waits until `pending` holds at most `limit` bytes, or the writer has failed.
  static ConnTask<void> WaitForWriter(StreamOut& out, std::size_t limit) {
    ErrorCode ec;
    while (out.pending.size() > limit && !out.failed && !out.writer_done) {
      out.wake_reader.expires_at(ConnTimer::time_point::max());
      co_await out.wake_reader.async_wait(asio::redirect_error(kConnAwait, ec));
    }
  }

  // Tells the writer that nothing more comes and waits until it has sent what it holds.
  static ConnTask<void> StopWriter(StreamOut& out) {
    out.closing = true;
    out.wake_writer.cancel();
    ErrorCode ec;
    while (!out.writer_done) {
      out.wake_reader.expires_at(ConnTimer::time_point::max());
      co_await out.wake_reader.async_wait(asio::redirect_error(kConnAwait, ec));
    }
  }

  // Serves a request for a streaming route (routes.h) once its head has been read: the body
  // is read a piece at a time (kStreamPiece) and fed to the route's stream, and what the
  // stream answers is sent at once, as the chunks of a chunked answer (HTTP/1.0: as the bytes
  // of an answer that ends when the connection closes). So the memory held is one piece, the
  // stream's own state and at most kStreamBacklog of answer, whatever the size of the body,
  // which has no limit here. A refusal (no stream) is answered before any of the body is read.
  //
  // Each read of the body must complete within body_timeout (a long upload is fine, a stalled
  // one is not). When the body cannot be read to its end (the client went away, a malformed
  // chunk, a timeout) the stream is dropped without Finish, the answer so far is sent and the
  // connection is closed without ending the answer, so that the client sees it cut off.
  // Returns whether the connection may serve another request.
  template <typename Sess>
  ConnTask<bool> ServeStream(Sess& s, bhttp::request_parser<bhttp::empty_body>& head_parser,
                             StreamStart start, bool http10, bool client_keeps_alive,
                             bool expects_continue) {
    ErrorCode ec;
    if (!start.stream) {
      // Refused from the head alone. Unless there is no body, the connection cannot be
      // reused: the body was not read.
      const bool body_unread = !head_parser.is_done();
      const bool keep_alive =
          client_keeps_alive && !body_unread && !stopping.load(std::memory_order_relaxed);
      co_await WriteResponse(s, start.head, keep_alive, http10, /*head_only=*/false, ec);
      if (ec) co_return false;
      if (keep_alive) co_return true;
      co_await CloseSend(s);
      if (body_unread) co_await Linger(s);
      co_return false;
    }

    if (expects_continue && !head_parser.is_done()) {
      co_await SendContinue(s, ec);
      if (ec) co_return false;
    }
    // The answer's head goes out at once; whether the connection stays open is decided now
    // (a shutdown that begins meanwhile closes it after the answer all the same).
    const bool keep_alive = client_keeps_alive && !http10;
    const Framing framing = http10 ? Framing::kClose : Framing::kChunked;
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(head_parser));
    parser.body_limit(kNoBodyLimit);
    std::vector<char> piece(kStreamPiece);
    std::string answer;
    // Shared with the writer, which keeps the session and `out` alive for as long as it runs
    // (this coroutine waits for it in any case before it returns: StopWriter).
    auto shared_out = std::make_shared<StreamOut>(s.executor);
    StreamOut& out = *shared_out;
    BuildHead(start.head, keep_alive, http10, out.pending, framing);
    asio::co_spawn(s.executor, StreamWriter(s.shared_from_this(), shared_out), asio::detached);
    // Appends the stream's latest answer to `out` and wakes the writer.
    auto emit = [&] {
      if (answer.empty()) return;
      if (framing == Framing::kChunked) {
        AppendChunk(out.pending, answer);
      } else {
        out.pending += answer;
      }
      answer.clear();
      out.wake_writer.cancel();
    };
    bool complete = false;
    for (;;) {
      if (out.failed) break;
      if (parser.is_done()) {
        complete = CallStream(start.stream.get(), StreamCall::kFinish, {}, answer);
        break;
      }
      parser.get().body().data = piece.data();
      parser.get().body().size = piece.size();
      Lowest(s).expires_after(options.body_timeout);
      co_await bhttp::async_read_some(s.stream, s.buffer, parser,
                                      asio::redirect_error(kConnAwait, ec));
      if (ec == bhttp::error::need_buffer) ec = {};  // `piece` is full
      if (ec || out.failed) break;
      const std::size_t n = piece.size() - parser.get().body().size;
      if (n > 0 && !CallStream(start.stream.get(), StreamCall::kWrite,
                               std::string_view(piece.data(), n), answer)) {
        break;
      }
      // Nothing more of the body waiting: the client is slower than the stream, which may
      // make its pending work final now rather than wait for more. (What the parser leaves
      // in the buffer may be the CRLF and part of the next chunk's size line, which it parses
      // only with the rest of that line; a few body bytes taken for framing only make the
      // pause early, which is harmless.)
      ErrorCode ignored;
      if (!parser.is_done() && s.buffer.size() <= kChunkFramingBytes &&
          Lowest(s).socket().available(ignored) == 0 &&
          !CallStream(start.stream.get(), StreamCall::kPause, {}, answer)) {
        break;
      }
      emit();
      if (out.pending.size() > kStreamBacklog) co_await WaitForWriter(out, kStreamBacklog);
    }
    // What the stream did not answer it has not promised: drop it before anything else.
    start.stream.reset();
    if (complete) {
      emit();
      if (framing == Framing::kChunked) out.pending += "0\r\n\r\n";
      out.wake_writer.cancel();
    } else if (framing == Framing::kClose) {
      // An answer that ends with the connection can show that it was cut off only by a reset.
      out.pending.clear();
      Lowest(s).socket().set_option(asio::socket_base::linger(true, 0), ec);
      Lowest(s).close();
    }
    co_await StopWriter(out);
    if (!complete || out.failed || !keep_alive) {
      co_await CloseSend(s);
      co_return false;
    }
    co_return !stopping.load(std::memory_order_relaxed);
  }

  enum class StreamCall { kWrite, kPause, kFinish };

  // One call into a stream, with Dispatch's last line of defence: false when it threw (logged).
  static bool CallStream(BodyStream* stream, StreamCall call, std::string_view bytes,
                         std::string& answer) {
    try {
      switch (call) {
        case StreamCall::kWrite:
          stream->Write(bytes, answer);
          break;
        case StreamCall::kPause:
          stream->Pause(answer);
          break;
        case StreamCall::kFinish:
          stream->Finish(answer);
          break;
      }
      return true;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "markaz: internal error in a streamed request: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "markaz: internal error in a streamed request: unknown exception\n");
    }
    return false;
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

  template <typename Sess>
  ConnTask<void> WriteResponse(Sess& s, const Response& response, bool keep_alive, bool http10,
                               bool head_only, ErrorCode& ec) {
    BuildHead(response, keep_alive, http10, s.head);
    std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(s.head), head_only ? asio::const_buffer() : asio::buffer(response.body)};
    // A client that stops reading cannot hold the connection forever.
    Lowest(s).expires_after(options.body_timeout);
    co_await asio::async_write(s.stream, buffers, asio::redirect_error(kConnAwait, ec));
  }

  // Answers a request that could not be read (400, 413, 431) when the peer is still there,
  // then closes the connection after draining briefly what the client is still sending.
  template <typename Sess>
  ConnTask<void> FailRequest(Sess& s, const ErrorCode& read_error, std::size_t body_limit) {
    std::optional<Response> response = ResponseForReadError(read_error, body_limit);
    if (!response) co_return;
    ErrorCode ec;
    co_await WriteResponse(s, *response, /*keep_alive=*/false, /*http10=*/false,
                           /*head_only=*/false, ec);
    if (ec) co_return;
    co_await CloseSend(s);
    co_await Linger(s);
  }

  // After an answer that leaves part of a request unread, and the sending side shut down:
  // drains briefly what the client is still sending, so that it reads the answer rather than
  // a connection reset.
  template <typename Sess>
  ConnTask<void> Linger(Sess& s) {
    ErrorCode ec;
    Lowest(s).expires_after(kLingerLimit);
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

  // Set by Listen() when options.tls is: every connection is then TLS. Immutable afterwards,
  // so connections on any thread share it (OpenSSL's SSL_CTX is safe to share once set up).
  std::optional<asio::ssl::context> ssl_context;
  // Declared before the io_context: connections destroyed with it still hold SSL objects.
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
  if (impl.options.tls && !impl.ssl_context) {
    core::Result<TlsContext> tls = MakeServerTlsContext(*impl.options.tls);
    if (!tls.ok()) return tls.status();
    // Asio takes ownership of the SSL_CTX.
    impl.ssl_context.emplace(std::move(tls).value().release());
  }
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

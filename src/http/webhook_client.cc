// Each connection owns a small io_context, and each step (resolve, connect, TLS handshake,
// send, receive) is an asynchronous operation run on the calling thread until it completes or
// the post's deadline passes: Asio's synchronous calls have no timeouts, and a receiver that
// accepts a connection and never answers must not hold a dispatcher thread for ever. On the
// deadline the socket is closed, which ends whatever operation is pending.
#include "http/webhook_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace markaz::http {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// A receiver's answer body is not used; it is read (to keep the connection usable) up to this.
constexpr std::uint64_t kMaxAnswerBody = 1 << 20;
// Connections kept per thread: a dispatcher thread serves a handful of receivers.
constexpr std::size_t kMaxConnectionsPerThread = 64;
constexpr std::size_t kMaxUrlBytes = 2048;

struct Url {
  bool tls = false;
  std::string host;    // without brackets for IPv6
  std::string port;
  std::string target;  // path and query, at least "/"
  std::string host_header;
  std::string key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

// Parses an absolute http:// or https:// URL; the reason in *error otherwise.
std::optional<Url> ParseUrl(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) {
    *error = std::move(why);
    return std::nullopt;
  };
  if (text.size() > kMaxUrlBytes) return fail("longer than 2048 bytes");
  Url url;
  if (text.substr(0, 7) == "http://") {
    text.remove_prefix(7);
  } else if (text.substr(0, 8) == "https://") {
    url.tls = true;
    text.remove_prefix(8);
  } else {
    return fail("the scheme must be http:// or https://");
  }
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
      return fail("spaces and control characters are not allowed");
    }
  }
  const std::size_t end = text.find_first_of("/?#");
  std::string_view authority = text.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : text.substr(end);
  if (authority.find('@') != std::string_view::npos) return fail("user info is not allowed");
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return fail("the host is empty");
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      return fail("the port must be 1..65535");
    }
  }
  url.host = std::string(host);
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  url.host_header = std::string(authority);
  // The fragment is never sent.
  std::string_view target = rest.substr(0, rest.find('#'));
  url.target = target.empty() || target.front() != '/' ? "/" + std::string(target)
                                                        : std::string(target);
  return url;
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// One kept-alive connection to one receiver, used by one thread at a time.
struct Connection {
  net::io_context ioc;
  tcp::resolver resolver{ioc};
  std::unique_ptr<tcp::socket> plain;
  std::unique_ptr<ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;
  bool open = false;

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }

  void Close() {
    boost::system::error_code ignored;
    if (tls || plain) socket().close(ignored);
    tls.reset();
    plain.reset();
    buffer.clear();
    open = false;
  }

  // Runs the io_context until `done` or `deadline`. On the deadline, closes the socket and
  // cancels the resolver (pending operations then complete with operation_aborted, and are
  // drained here) and returns false.
  bool RunUntil(const bool& done, SteadyTime deadline) {
    ioc.restart();
    while (!done) {
      if (ioc.run_one_until(deadline) == 0) break;
    }
    if (done) return true;
    resolver.cancel();
    boost::system::error_code ignored;
    if (tls || plain) socket().close(ignored);
    ioc.restart();
    ioc.run();
    open = false;
    return false;
  }
};

std::string Millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

struct WebhookClient::Impl {
  Impl() : tls_context(ssl::context::tls_client) {
    tls_context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1);
    // The system's CAs (Debian: /etc/ssl/certs); a receiver with a private CA needs its CA in
    // the system store.
    boost::system::error_code ec;
    tls_context.set_default_verify_paths(ec);
    tls_context.set_verify_mode(ssl::verify_peer);
  }

  // The calling thread's connection to `url`'s receiver.
  Connection& ConnectionFor(const Url& url) {
    std::lock_guard<std::mutex> lock(mu);
    auto& pool = pools[std::this_thread::get_id()];
    const std::string key = url.key();
    auto it = pool.find(key);
    if (it != pool.end()) return *it->second;
    if (pool.size() >= kMaxConnectionsPerThread) pool.erase(pool.begin());
    return *pool.emplace(key, std::make_unique<Connection>()).first->second;
  }

  dissem::WebhookAnswer Connect(Connection& c, const Url& url, SteadyTime deadline,
                                std::chrono::milliseconds timeout) {
    c.Close();
    bool done = false;
    boost::system::error_code error;
    tcp::resolver::results_type endpoints;
    c.resolver.async_resolve(url.host, url.port,
                             [&](const boost::system::error_code& ec,
                                 tcp::resolver::results_type results) {
                               error = ec;
                               endpoints = std::move(results);
                               done = true;
                             });
    if (!c.RunUntil(done, deadline)) return {0, "timeout after " + Millis(timeout) + " (resolve)"};
    if (error) return {0, "resolve " + url.host + ": " + error.message()};

    if (url.tls) {
      c.tls = std::make_unique<ssl::stream<tcp::socket>>(c.ioc, tls_context);
      // SNI names the host; an IP address is never sent as a server name (RFC 6066).
      // (SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.)
      if (!IsIpLiteral(url.host)) {
        SSL_ctrl(c.tls->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(url.host.c_str()));
      }
      c.tls->set_verify_mode(ssl::verify_peer);
      c.tls->set_verify_callback(ssl::host_name_verification(url.host));
    } else {
      c.plain = std::make_unique<tcp::socket>(c.ioc);
    }
    done = false;
    net::async_connect(c.socket(), endpoints,
                       [&](const boost::system::error_code& ec, const tcp::endpoint&) {
                         error = ec;
                         done = true;
                       });
    if (!c.RunUntil(done, deadline)) return {0, "timeout after " + Millis(timeout) + " (connect)"};
    if (error) return {0, "connect: " + error.message()};
    boost::system::error_code ignored;
    c.socket().set_option(tcp::no_delay(true), ignored);

    if (url.tls) {
      done = false;
      c.tls->async_handshake(ssl::stream_base::client, [&](const boost::system::error_code& ec) {
        error = ec;
        done = true;
      });
      if (!c.RunUntil(done, deadline)) {
        return {0, "timeout after " + Millis(timeout) + " (TLS handshake)"};
      }
      if (error) {
        c.Close();
        return {0, "tls: " + error.message()};
      }
    }
    c.open = true;
    return {};
  }

  // Sends one request on an open connection and reads the answer. `sent` tells whether any
  // of the answer arrived (a kept-alive connection the receiver closed meanwhile fails before).
  template <class Stream>
  dissem::WebhookAnswer Exchange(Connection& c, Stream& stream, const Url& url,
                                 const dissem::WebhookPost& post, SteadyTime deadline,
                                 bool& answered) {
    bhttp::request<bhttp::string_body> request{bhttp::verb::post, url.target, 11};
    request.set(bhttp::field::host, url.host_header);
    request.set(bhttp::field::user_agent, "markaz-webhook/1");
    for (const auto& [name, value] : post.headers) request.set(name, value);
    request.keep_alive(true);
    request.body() = post.body;
    request.prepare_payload();

    bool done = false;
    boost::system::error_code error;
    bhttp::async_write(stream, request, [&](const boost::system::error_code& ec, std::size_t) {
      error = ec;
      done = true;
    });
    if (!c.RunUntil(done, deadline)) {
      return {0, "timeout after " + Millis(post.timeout) + " (sending)"};
    }
    if (error) {
      c.Close();
      return {0, "send: " + error.message()};
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxAnswerBody);
    done = false;
    bhttp::async_read(stream, c.buffer, parser,
                      [&](const boost::system::error_code& ec, std::size_t) {
                        error = ec;
                        done = true;
                      });
    if (!c.RunUntil(done, deadline)) {
      return {0, "timeout after " + Millis(post.timeout) + " (waiting for the answer)"};
    }
    answered = parser.got_some();
    if (error) {
      c.Close();
      return {0, "receive: " + error.message()};
    }
    if (!parser.get().keep_alive()) c.Close();
    return {static_cast<int>(parser.get().result_int()), ""};
  }

  dissem::WebhookAnswer Send(Connection& c, const Url& url, const dissem::WebhookPost& post,
                             SteadyTime deadline, bool& answered) {
    if (c.tls) return Exchange(c, *c.tls, url, post, deadline, answered);
    return Exchange(c, *c.plain, url, post, deadline, answered);
  }

  ssl::context tls_context;
  std::mutex mu;
  // Per thread, per receiver. The outer map is GUARDED_BY(mu); a Connection is used only by
  // its thread, without the lock (map nodes do not move).
  std::map<std::thread::id, std::map<std::string, std::unique_ptr<Connection>>> pools;
};

WebhookClient::WebhookClient() : impl_(std::make_unique<Impl>()) {}
WebhookClient::~WebhookClient() = default;

dissem::WebhookAnswer WebhookClient::Post(const dissem::WebhookPost& post) {
  std::string why;
  std::optional<Url> url = ParseUrl(post.url, &why);
  if (!url) return {0, "bad url: " + why};
  const SteadyTime deadline = std::chrono::steady_clock::now() + post.timeout;
  try {
    Connection& c = impl_->ConnectionFor(*url);
    const bool reused = c.open;
    if (!c.open) {
      dissem::WebhookAnswer connected = impl_->Connect(c, *url, deadline, post.timeout);
      if (!connected.error.empty()) return connected;
    }
    bool answered = false;
    dissem::WebhookAnswer answer = impl_->Send(c, *url, post, deadline, answered);
    // A kept-alive connection may have been closed by the receiver while idle: that shows as
    // a failure before any answer. Try once more on a new connection.
    if (answer.status == 0 && reused && !answered &&
        std::chrono::steady_clock::now() < deadline) {
      dissem::WebhookAnswer connected = impl_->Connect(c, *url, deadline, post.timeout);
      if (!connected.error.empty()) return connected;
      answer = impl_->Send(c, *url, post, deadline, answered);
    }
    return answer;
  } catch (const std::exception& e) {
    // Asio and OpenSSL report errors as codes here; an exception is a resource failure (no
    // file descriptors, no memory).
    return {0, std::string("internal: ") + e.what()};
  }
}

}  // namespace markaz::http

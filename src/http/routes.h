// The route table: {method, path pattern} → handler. Patterns are literal segments and
// "{name}" segments that match one non-empty path segment ("/v1/reports/{id}").
// Adding an endpoint is one Add() call in router.cc; an endpoint whose body must not be held
// in memory whole (POST /v1/reports:bulk) is one AddStreaming() call.
//
// Thread-safety: build once, then Match() concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "centre/centre.h"
#include "http/message.h"

namespace markaz::http {

using PathParams = std::map<std::string, std::string>;

// `who` is null for routes that need no authentication.
using Handler =
    std::function<Response(const Request&, const centre::Identity* who, const PathParams&)>;

// The body of a request to a streaming route, fed to its handler as it arrives, and the
// answer, sent as it is produced (chunked), so that an upload of any size is held in memory one
// piece at a time.
//
// The server calls Write for each piece of the body in order (pieces split anywhere, even
// inside a line or a UTF-8 sequence), Pause when no more of the body is waiting on the
// connection (the client is slower than the handler: a good moment to make pending work
// final), and Finish once at the end of the body. Each call appends to `out` the next bytes of
// the answer, which the server sends at once; a call may block (a durable commit). When the
// client goes away or the body is malformed, the server destroys the stream without calling
// Finish, and the answer is cut off: a stream must append to `out` only what is final.
// Exceptions from a call end the connection. Used by one connection, one call at a time.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual void Write(std::string_view bytes, std::string& out) = 0;
  virtual void Pause(std::string& out) = 0;
  virtual void Finish(std::string& out) = 0;
};

// What a streaming handler decides from the head of a request, before any of the body is read:
// either a stream to feed, with the status, content type and headers of its answer in `head`
// (whose body is ignored), or, when `stream` is null, the whole answer in `head` (a refusal).
struct StreamStart {
  Response head;
  std::unique_ptr<BodyStream> stream;
};

// An endless answer made of events (Server-Sent Events, GET /v1/feed/stream): the server sends
// the head, then loops: Next() for what is ready, and when nothing is, waits until the source
// wakes it (Watch) or `heartbeat` passes, when it sends a heartbeat comment (": hb\n\n").
// The source holds no queue of its own: its cursor is the client's position, so a slow client
// costs nothing while it lags (the next Next() reads on from where it was). A client that does
// not take what was written within the server's body_timeout is disconnected, and resumes by
// Last-Event-ID.
// Used by one connection, one call at a time (Watch's wake excepted: any thread).
class EventSource {
 public:
  virtual ~EventSource() = default;
  // Appends the next ready events to `out` (a bounded amount: at most about 64 KiB). Returns
  // false when the stream must end (the caller's access ended); `out` is then sent first.
  virtual bool Next(std::string& out) = 0;
  // Starts calling `wake` (from any thread; it must be quick) whenever Next() may have more.
  // Called once, before the first Next().
  virtual void Watch(std::function<void()> wake) = 0;
  virtual std::chrono::milliseconds heartbeat() const { return std::chrono::seconds(15); }
};

// What an event-stream handler decides: a source to serve with the status, content type and
// headers of the answer in `head`, or, when `source` is null, the whole answer in `head`.
struct EventStart {
  Response head;
  std::unique_ptr<EventSource> source;
};
using EventHandler =
    std::function<EventStart(const Request& request, const centre::Identity* who, const PathParams&)>;

// `request` holds the method, target and headers; its body is empty. `who` as for Handler.
using StreamHandler = std::function<StreamStart(const Request& request, const centre::Identity* who,
                                                const PathParams&)>;

// A route has a handler, or, for a streaming route, a stream_handler, or, for an event stream,
// an event_handler.
struct Route {
  std::string method;
  std::string pattern;
  bool needs_auth = true;
  Handler handler;
  StreamHandler stream_handler;
  EventHandler event_handler;
};

struct RouteMatch {
  enum class Kind { kFound, kNoRoute, kWrongMethod };
  Kind kind = Kind::kNoRoute;
  const Route* route = nullptr;      // when kFound
  PathParams params;                 // when kFound
  std::vector<std::string> allowed;  // methods of the path, when kWrongMethod
};

class RouteTable {
 public:
  void Add(std::string method, std::string pattern, bool needs_auth, Handler handler);
  void AddStreaming(std::string method, std::string pattern, bool needs_auth,
                    StreamHandler handler);
  void AddEvents(std::string method, std::string pattern, bool needs_auth, EventHandler handler);
  // `path` without the query string.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The path of a request target without its query string ("/v1/x?a=b" → "/v1/x").
std::string_view PathOf(std::string_view target);

}  // namespace markaz::http

// A small Server-Sent Events client for tests and benchmarks (GET /v1/feed/stream): one plain
// TCP connection to 127.0.0.1, a GET with a bearer token, the answer's head, then the chunked
// body parsed into events as it arrives. libcurl hides chunk boundaries and timing; a raw
// socket lets a test see each event when it comes and cut the connection when it likes.
//
// Example:
//   SseClient stream(server.url(), "/v1/feed/stream", token, {{"Last-Event-ID", "12"}});
//   ASSERT_EQ(stream.status(), 200);
//   std::optional<SseEvent> e = stream.Next(std::chrono::seconds(5));   // id "13", …
//
// Not thread-safe: one thread uses one client.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace markaz::testutil {

struct SseEvent {
  std::string id;
  std::string event;  // "message" when the server named none
  std::string data;   // the data lines joined with '\n'
};

class SseClient {
 public:
  // Connects to `base_url` ("http://127.0.0.1:PORT"), sends the request (an empty `token`
  // sends no Authorization header; `headers` as name → value) and waits up to `timeout` for
  // the answer's head. status() is 0 when that failed.
  SseClient(const std::string& base_url, const std::string& path, const std::string& token,
            const std::map<std::string, std::string>& headers = {},
            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const { return status_; }
  // Header names lower-cased.
  const std::map<std::string, std::string>& headers() const { return headers_; }
  // The whole body of an answer that is not an event stream (an error's JSON), read to its
  // end (Content-Length or close), within the constructor's timeout.
  const std::string& body() const { return body_; }

  // The next event, waiting up to `timeout`; nullopt on timeout or when the stream ended.
  std::optional<SseEvent> Next(std::chrono::milliseconds timeout);
  // Reads what the socket has now (without waiting) and parses it; returns false once the
  // stream has ended (closed by the server, or an error). Events then wait in Take().
  bool Pump();
  // The events parsed so far and not yet taken.
  std::vector<SseEvent> Take();
  // Comment lines seen so far (": hb" heartbeats).
  std::size_t comments() const { return comments_; }
  // The server closed the connection, or it failed.
  bool ended() const { return ended_; }
  // The last chunk ("0\r\n\r\n") was received: the server ended the answer properly.
  bool finished() const { return finished_; }
  // Closes the connection at once (a client that goes away).
  void Close();
  int fd() const { return fd_; }

 private:
  bool ReadSome(int timeout_ms);  // false when nothing more can come
  void Decode();                  // raw_ → body bytes (chunked) → events
  void ParseEvents();

  int fd_ = -1;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string body_;
  bool chunked_ = false;
  bool ended_ = false;
  bool finished_ = false;
  std::string raw_;      // received, not yet decoded
  std::string text_;     // decoded body, not yet parsed into events
  std::size_t comments_ = 0;
  SseEvent partial_;     // the event being parsed
  bool partial_has_data_ = false;
  std::deque<SseEvent> ready_;
};

}  // namespace markaz::testutil

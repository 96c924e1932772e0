#include "testutil/sse_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace markaz::testutil {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

SseClient::SseClient(const std::string& base_url, const std::string& path,
                     const std::string& token, const std::map<std::string, std::string>& headers,
                     std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  // base_url is "http://127.0.0.1:PORT": the tests only ever talk to IPv4 loopback.
  const int port = std::atoi(base_url.substr(base_url.rfind(':') + 1).c_str());
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Close();
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  const ssize_t sent = send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
  if (sent != static_cast<ssize_t>(request.size())) {
    Close();
    return;
  }
  // The head.
  std::size_t end = std::string::npos;
  while ((end = raw_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadSome(RemainingMs(deadline))) return;
  }
  const std::string head = raw_.substr(0, end);
  raw_.erase(0, end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) status_ = std::atoi(status_line.c_str() + 9);
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos
                                                                              : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    headers_[Lower(line.substr(0, colon))] = value;
  }
  chunked_ = Lower(headers_["transfer-encoding"]).find("chunked") != std::string::npos;
  if (headers_["content-type"].rfind("text/event-stream", 0) == 0) {
    Decode();
    return;
  }
  // Not a stream: read the whole body.
  if (auto it = headers_.find("content-length"); it != headers_.end()) {
    const std::size_t length = std::strtoul(it->second.c_str(), nullptr, 10);
    while (raw_.size() < length && ReadSome(RemainingMs(deadline))) {
    }
    body_ = raw_.substr(0, length);
  } else {
    while (ReadSome(RemainingMs(deadline))) {
    }
    body_ = raw_;
  }
  raw_.clear();
}

SseClient::~SseClient() { Close(); }

void SseClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  ended_ = true;
}

bool SseClient::ReadSome(int timeout_ms) {
  if (fd_ < 0 || ended_) return false;
  pollfd p{fd_, POLLIN, 0};
  const int ready = poll(&p, 1, timeout_ms);
  if (ready <= 0) return false;  // timeout (the stream may go on)
  char buf[16384];
  const ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool SseClient::Pump() {
  while (ReadSome(0)) {
  }
  Decode();
  return !ended_;
}

std::optional<SseEvent> SseClient::Next(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    Decode();
    if (!ready_.empty()) {
      SseEvent e = std::move(ready_.front());
      ready_.pop_front();
      return e;
    }
    if (ended_ || finished_) return std::nullopt;
    const int left = RemainingMs(deadline);
    if (!ReadSome(left) && (ended_ || left == 0)) {
      Decode();
      if (ready_.empty()) return std::nullopt;
    }
  }
}

std::vector<SseEvent> SseClient::Take() {
  Decode();
  std::vector<SseEvent> out(std::make_move_iterator(ready_.begin()),
                            std::make_move_iterator(ready_.end()));
  ready_.clear();
  return out;
}

void SseClient::Decode() {
  if (!chunked_) {
    text_ += raw_;
    raw_.clear();
  } else {
    for (;;) {
      const std::size_t line_end = raw_.find("\r\n");
      if (line_end == std::string::npos) break;
      const std::size_t size = std::strtoul(raw_.c_str(), nullptr, 16);
      if (size == 0) {
        finished_ = true;
        raw_.clear();
        break;
      }
      if (raw_.size() < line_end + 2 + size + 2) break;  // the chunk is not all here
      text_.append(raw_, line_end + 2, size);
      raw_.erase(0, line_end + 2 + size + 2);
    }
  }
  ParseEvents();
}

void SseClient::ParseEvents() {
  std::size_t pos = 0;
  for (;;) {
    const std::size_t nl = text_.find('\n', pos);
    if (nl == std::string::npos) break;
    std::string line = text_.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      // A blank line dispatches the event (an event without data is dropped, as browsers do).
      if (partial_has_data_) {
        if (partial_.event.empty()) partial_.event = "message";
        ready_.push_back(std::move(partial_));
      }
      partial_ = SseEvent{};
      partial_has_data_ = false;
      continue;
    }
    if (line.front() == ':') {
      ++comments_;
      continue;
    }
    const std::size_t colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (field == "id") {
      partial_.id = value;
    } else if (field == "event") {
      partial_.event = value;
    } else if (field == "data") {
      if (partial_has_data_) partial_.data += '\n';
      partial_.data += value;
      partial_has_data_ = true;
    }
  }
  text_.erase(0, pos);
}

}  // namespace markaz::testutil

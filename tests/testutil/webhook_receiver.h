// A webhook receiver for tests and benchmarks: a small blocking HTTP/1.1 server on
// 127.0.0.1 (port 0 → a free port) in threads of the test binary. It records every POST, answers
// each with a status the test chooses, keeps connections alive, and can go down (connections
// refused) and come up again on the same port.
//
// Example:
//   WebhookReceiver receiver;
//   … create a webhook with receiver.Url() …
//   receiver.WaitFor([&] { return receiver.Count() >= 3; });
//   receiver.Down(); … receiver.Up();
//
// Thread-safety: every method may be called from any thread. Header-only: the helpers of
// markaz_testutil are compiled once, and this one is used by one test and one benchmark.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace markaz::testutil {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class WebhookReceiver {
 public:
  // `record`: keep every request (tests); false keeps only the count (benchmarks).
  explicit WebhookReceiver(bool record = true) : record_(record) { Listen(0); }
  ~WebhookReceiver() { Down(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // The status of every answer from now on (200 at first).
  void SetStatus(int status) { status_ = status; }

  // Stops listening and closes every connection: a post now gets "connection refused".
  void Down() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!up_) return;
      up_ = false;
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    ::close(listen_fd_);
    listen_fd_ = -1;
  }

  // Listens again on the same port.
  void Up() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (up_) return;
    }
    Listen(port_);
  }

  std::size_t Count() const { return count_.load(); }
  std::vector<ReceivedRequest> Requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  // Waits until `pred` holds (checked after each request and every 20 ms) or `timeout` passes.
  bool WaitFor(const std::function<bool()>& pred,
               std::chrono::milliseconds timeout = std::chrono::milliseconds(20000)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    return true;
  }

 private:
  void Listen(int port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("receiver: socket");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
      throw std::runtime_error("receiver: bind/listen on port " + std::to_string(port));
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    std::lock_guard<std::mutex> lock(mu_);
    up_ = true;
    threads_.emplace_back([this, fd = listen_fd_] { AcceptLoop(fd); });
  }

  bool IsUp() const {
    std::lock_guard<std::mutex> lock(mu_);
    return up_;
  }

  void AcceptLoop(int listen_fd) {
    while (IsUp()) {
      pollfd p{listen_fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd, nullptr, nullptr);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::lock_guard<std::mutex> lock(mu_);
      if (!up_) {
        ::close(fd);
        return;
      }
      threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Reads requests from one connection until the client closes it or the receiver goes down.
  void Serve(int fd) {
    std::string buffer;
    char chunk[16384];
    while (true) {
      std::size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!Read(fd, chunk, sizeof chunk, buffer)) return Close(fd);
      }
      ReceivedRequest request;
      std::size_t line_end = buffer.find("\r\n");
      const std::string line = buffer.substr(0, line_end);
      const std::size_t sp1 = line.find(' ');
      const std::size_t sp2 = line.find(' ', sp1 + 1);
      request.method = line.substr(0, sp1);
      request.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
      std::size_t pos = line_end + 2;
      while (pos < head_end) {
        const std::size_t end = buffer.find("\r\n", pos);
        const std::string header = buffer.substr(pos, end - pos);
        const std::size_t colon = header.find(':');
        std::string name = header.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = header.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers[name] = value;
        pos = end + 2;
      }
      std::size_t length = 0;
      if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
        length = std::stoul(it->second);
      }
      const std::size_t body_start = head_end + 4;
      while (buffer.size() < body_start + length) {
        if (!Read(fd, chunk, sizeof chunk, buffer)) return Close(fd);
      }
      request.body = buffer.substr(body_start, length);
      buffer.erase(0, body_start + length);

      const int status = status_.load();
      const bool close = request.headers["connection"] == "close";
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (record_) requests_.push_back(std::move(request));
        ++count_;
      }
      cv_.notify_all();
      const std::string answer = "HTTP/1.1 " + std::to_string(status) +
                                 " Answer\r\nContent-Length: 0\r\n" +
                                 (close ? "Connection: close\r\n" : "") + "\r\n";
      if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0 || close) return Close(fd);
    }
  }

  // Appends what arrives to `buffer`; false when the peer closed or the receiver went down.
  bool Read(int fd, char* chunk, std::size_t size, std::string& buffer) {
    while (IsUp()) {
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, 20);
      if (ready < 0) return false;
      if (ready == 0) continue;
      const ssize_t n = ::recv(fd, chunk, size, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    return false;
  }

  void Close(int fd) { ::close(fd); }

  const bool record_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> status_{200};
  std::atomic<std::size_t> count_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool up_ = false;                      // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;     // GUARDED_BY(mu_)
  std::vector<ReceivedRequest> requests_;  // GUARDED_BY(mu_)
};

}  // namespace markaz::testutil

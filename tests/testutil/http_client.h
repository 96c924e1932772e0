// A small blocking HTTP client for integration tests (libcurl). One HttpClient keeps its
// connection alive between requests.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace markaz::testutil {

struct HttpResult {
  long status = 0;                              // 0 when the request could not be made
  std::string body;
  std::map<std::string, std::string> headers;   // names lower-cased
  std::string error;                            // curl's message when status == 0
};

// For an https:// base URL: the CA that signed the server's certificate (the server is
// verified against it, host name included), and optionally a client certificate and its key.
struct TlsClientOptions {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);  // "http://127.0.0.1:PORT"
  HttpClient(std::string base_url, TlsClientOptions tls);  // "https://127.0.0.1:PORT"
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `token` empty → no Authorization header. Extra headers as "Name: value".
  HttpResult Get(const std::string& path, const std::string& token = "");
  HttpResult Post(const std::string& path, const std::string& body, const std::string& token = "",
                  const std::string& content_type = "application/json");
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& headers);

 private:
  std::string base_url_;
  TlsClientOptions tls_;
  void* curl_;  // CURL*, kept opaque so tests need not include curl.h
};

// Sends raw bytes to the server at `base_url` ("http://127.0.0.1:PORT") on a new connection
// and returns everything it answers until it closes the connection or `timeout_ms` passes.
// For requests a well-behaved client cannot make (malformed HTTP, lying Content-Length).
std::string RawExchange(const std::string& base_url, const std::string& bytes,
                        int timeout_ms = 5000);

}  // namespace markaz::testutil

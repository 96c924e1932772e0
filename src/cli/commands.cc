#include "cli/commands.h"

#include <cstdio>
#include <cstdlib>

namespace markaz::cli {

int ExitCodeFor(const core::Status& status) {
  switch (status.code()) {
    case core::Code::kOk: return kExitOk;
    case core::Code::kInvalidArgument:
    case core::Code::kNotFound:
    case core::Code::kConflict:
    case core::Code::kPermissionDenied:
    case core::Code::kUnauthenticated:
    case core::Code::kTooLarge:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

int Fail(const core::Status& status) {
  std::fprintf(stderr, "markaz: %s\n", status.message().c_str());
  return ExitCodeFor(status);
}

core::Result<ListenAddress> ParseListenAddress(const std::string& text) {
  auto bad = [&](const char* why) {
    return core::Status::InvalidArgument(
        "bad_listen_address", "--listen \"" + text + "\": " + why + " (expected HOST:PORT)");
  };
  std::string host, port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("bad IPv6 address");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return bad("no port");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  if (port_text.empty() || port_text.size() > 5) return bad("bad port");
  unsigned long port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return bad("bad port");
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) return bad("port out of range");
  return ListenAddress{host, static_cast<unsigned short>(port)};
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace markaz::cli

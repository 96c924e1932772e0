#include "cli/server_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "cli/commands.h"

namespace markaz::cli {
namespace {

using core::Result;
using core::Status;

constexpr std::uint64_t kMaxSize = std::uint64_t{1} << 30;  // 1 GiB: no request body is larger

// Where errors point: the file's name and, per node, its line.
class Reader {
 public:
  Reader(std::string_view source, std::string_view base_dir)
      : source_(source), base_dir_(base_dir) {}

  Status Error(std::string reason, const toml::node& at, std::string_view path,
               std::string_view what) const {
    return Status::InvalidArgument(
        std::move(reason), std::string(source_) + ":" + std::to_string(at.source().begin.line) +
                               ": " + std::string(path) + ": " + std::string(what));
  }

  Status WrongType(const toml::node& at, std::string_view path, std::string_view expected) const {
    return Error("config_wrong_type", at, path,
                 "expected " + std::string(expected) + ", found " + std::string(TypeName(at)));
  }

  Status BadValue(const toml::node& at, std::string_view path, std::string_view what) const {
    return Error("config_bad_value", at, path, what);
  }

  // Refuses any key of `table` not in `allowed`: a misspelt key must not leave a limit at its
  // default without anyone noticing.
  Status CheckKeys(const toml::table& table, std::string_view path,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string expected;
      for (std::string_view a : allowed)
        expected += (expected.empty() ? "" : ", ") + std::string(a);
      return Error("config_unknown_key", node, Join(path, key.str()),
                   "unknown key (expected one of: " + expected + ")");
    }
    return Status::Ok();
  }

  Result<const toml::table*> Table(const toml::table& parent, std::string_view key,
                                   std::string_view path) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) return static_cast<const toml::table*>(nullptr);
    if (!node->is_table()) return WrongType(*node, path, "a table");
    return node->as_table();
  }

  Status String(const toml::table& t, std::string_view key, std::string_view path,
                std::string& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::Ok();
    if (!node->is_string()) return WrongType(*node, path, "a string");
    out = node->as_string()->get();
    if (out.empty()) return BadValue(*node, path, "must not be empty");
    return Status::Ok();
  }

  // A path: relative ones are taken from the configuration file's directory, as nginx and
  // PostgreSQL do with theirs, so that the file means the same whatever the working directory.
  Status Path(const toml::table& t, std::string_view key, std::string_view path,
              std::string& out) const {
    MARKAZ_RETURN_IF_ERROR(String(t, key, path, out));
    if (!out.empty() && out.front() != '/' && !base_dir_.empty()) {
      out = (std::filesystem::path(std::string(base_dir_)) / out).lexically_normal().string();
    }
    return Status::Ok();
  }

  Status Bool(const toml::table& t, std::string_view key, std::string_view path, bool& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::Ok();
    if (!node->is_boolean()) return WrongType(*node, path, "true or false");
    out = node->as_boolean()->get();
    return Status::Ok();
  }

  Status Integer(const toml::table& t, std::string_view key, std::string_view path,
                 std::int64_t min, std::int64_t max, int& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::Ok();
    if (!node->is_integer()) return WrongType(*node, path, "an integer");
    const std::int64_t v = node->as_integer()->get();
    if (v < min || v > max) {
      return BadValue(*node, path,
                      std::to_string(v) + " is out of range " + std::to_string(min) + ".." +
                          std::to_string(max));
    }
    out = static_cast<int>(v);
    return Status::Ok();
  }

  // An integer or a float, for rates.
  Status Number(const toml::node& node, std::string_view path, double min, double max,
                double& out) const {
    double v = 0;
    if (node.is_integer()) {
      v = static_cast<double>(node.as_integer()->get());
    } else if (node.is_floating_point()) {
      v = node.as_floating_point()->get();
    } else {
      return WrongType(node, path, "a number");
    }
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream range;
      range << "must be between " << min << " and " << max;
      return BadValue(node, path, range.str());
    }
    out = v;
    return Status::Ok();
  }

  // A size: a number of bytes, or a string such as "4 MiB".
  Status Size(const toml::node& node, std::string_view path, std::uint64_t& out) const {
    if (node.is_integer()) {
      const std::int64_t v = node.as_integer()->get();
      if (v <= 0 || static_cast<std::uint64_t>(v) > kMaxSize) {
        return BadValue(node, path, "must be between 1 byte and 1 GiB");
      }
      out = static_cast<std::uint64_t>(v);
      return Status::Ok();
    }
    if (!node.is_string())
      return WrongType(node, path, "a size (bytes, or a string like \"4 MiB\")");
    Result<std::uint64_t> size = ParseSize(node.as_string()->get());
    if (!size.ok()) return BadValue(node, path, size.status().message());
    out = *size;
    return Status::Ok();
  }

  static std::string Join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
  }

  static std::string_view TypeName(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::none:
        return "nothing";
      case toml::node_type::table:
        return "a table";
      case toml::node_type::array:
        return "an array";
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "an integer";
      case toml::node_type::floating_point:
        return "a float";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::date:
        return "a date";
      case toml::node_type::time:
        return "a time";
      case toml::node_type::date_time:
        return "a date-time";
    }
    return "an unknown value";
  }

 private:
  std::string_view source_;
  std::string_view base_dir_;
};

Status ParseServer(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(r.CheckKeys(t, "server", {"listen", "data", "threads", "insecure_http"}));
  MARKAZ_RETURN_IF_ERROR(r.String(t, "listen", "server.listen", c.listen));
  if (const toml::node* listen = t.get("listen")) {
    Result<ListenAddress> address = ParseListenAddress(c.listen);
    if (!address.ok()) return r.BadValue(*listen, "server.listen", address.status().message());
  }
  MARKAZ_RETURN_IF_ERROR(r.Path(t, "data", "server.data", c.data_dir));
  MARKAZ_RETURN_IF_ERROR(r.Integer(t, "threads", "server.threads", 1, 256, c.threads));
  return r.Bool(t, "insecure_http", "server.insecure_http", c.insecure_http);
}

Status ParseClientOrgs(const Reader& r, const toml::table& t, ServerConfig& c) {
  std::map<std::string, std::string> org_by_name;  // to refuse a name given to two orgs
  for (const auto& [key, node] : t) {
    const std::string org(key.str());
    const std::string path = "tls.client_orgs." + org;
    std::vector<std::string> names;
    auto add = [&](const toml::node& name) -> Status {
      if (!name.is_string()) return r.WrongType(name, path, "a certificate name (string)");
      const std::string& text = name.as_string()->get();
      if (text.empty()) return r.BadValue(name, path, "a certificate name must not be empty");
      auto [it, inserted] = org_by_name.emplace(text, org);
      if (!inserted && it->second != org) {
        return r.BadValue(name, path,
                          "\"" + text + "\" is already the certificate of " + it->second);
      }
      names.push_back(text);
      return Status::Ok();
    };
    if (node.is_array()) {
      const toml::array& array = *node.as_array();
      if (array.empty()) return r.BadValue(node, path, "lists no certificate name");
      for (const toml::node& name : array) MARKAZ_RETURN_IF_ERROR(add(name));
    } else {
      MARKAZ_RETURN_IF_ERROR(add(node));
    }
    c.tls.client_orgs[org] = std::move(names);
  }
  return Status::Ok();
}

Status ParseTls(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(
      r.CheckKeys(t, "tls", {"cert", "key", "client_ca", "require_client_cert", "client_orgs"}));
  MARKAZ_RETURN_IF_ERROR(r.Path(t, "cert", "tls.cert", c.tls.cert));
  MARKAZ_RETURN_IF_ERROR(r.Path(t, "key", "tls.key", c.tls.key));
  MARKAZ_RETURN_IF_ERROR(r.Path(t, "client_ca", "tls.client_ca", c.tls.client_ca));
  MARKAZ_RETURN_IF_ERROR(
      r.Bool(t, "require_client_cert", "tls.require_client_cert", c.tls.require_client_cert));
  MARKAZ_ASSIGN_OR_RETURN(const toml::table* orgs, r.Table(t, "client_orgs", "tls.client_orgs"));
  if (orgs != nullptr) MARKAZ_RETURN_IF_ERROR(ParseClientOrgs(r, *orgs, c));
  return Status::Ok();
}

// "POST /v1/reports": an upper-case method, one space, a path pattern.
bool IsRouteKey(std::string_view key) {
  const auto space = key.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  for (char ch : key.substr(0, space)) {
    if (ch < 'A' || ch > 'Z') return false;
  }
  std::string_view path = key.substr(space + 1);
  return !path.empty() && path.front() == '/' && path.find(' ') == std::string_view::npos;
}

Status ParseLimits(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(r.CheckKeys(
      t, "limits", {"requests_per_second", "burst", "concurrent_per_org", "max_body", "body"}));
  if (const toml::node* rate = t.get("requests_per_second")) {
    MARKAZ_RETURN_IF_ERROR(
        r.Number(*rate, "limits.requests_per_second", 0, 1e6, c.limits.requests_per_second));
  }
  if (const toml::node* burst = t.get("burst")) {
    if (!burst->is_integer()) return r.WrongType(*burst, "limits.burst", "an integer");
    MARKAZ_RETURN_IF_ERROR(r.Number(*burst, "limits.burst", 1, 1e6, c.limits.burst));
  }
  MARKAZ_RETURN_IF_ERROR(r.Integer(t, "concurrent_per_org", "limits.concurrent_per_org", 0, 100000,
                                   c.limits.concurrent_per_org));
  if (const toml::node* max_body = t.get("max_body")) {
    MARKAZ_RETURN_IF_ERROR(r.Size(*max_body, "limits.max_body", c.limits.max_body));
  }
  MARKAZ_ASSIGN_OR_RETURN(const toml::table* body, r.Table(t, "body", "limits.body"));
  if (body != nullptr) {
    for (const auto& [key, node] : *body) {
      const std::string path = "limits.body.\"" + std::string(key.str()) + "\"";
      if (!IsRouteKey(key.str())) {
        return r.BadValue(node, path,
                          "expected a route as \"METHOD /path\", e.g. \"POST /v1/reports\"");
      }
      std::uint64_t bytes = 0;
      MARKAZ_RETURN_IF_ERROR(r.Size(node, path, bytes));
      c.limits.body[std::string(key.str())] = bytes;
    }
  }
  return Status::Ok();
}

Status ParseLog(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(r.CheckKeys(t, "log", {"format"}));
  std::string format;
  MARKAZ_RETURN_IF_ERROR(r.String(t, "format", "log.format", format));
  if (format.empty()) return Status::Ok();
  if (format == "json") {
    c.log_format = LogFormat::kJson;
  } else if (format == "logfmt") {
    c.log_format = LogFormat::kLogfmt;
  } else {
    return r.BadValue(*t.get("format"), "log.format",
                      "\"" + format + "\" is not a log format (expected \"json\" or \"logfmt\")");
  }
  return Status::Ok();
}

Status ParseRetention(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(r.CheckKeys(t, "retention", {"reports_days"}));
  return r.Integer(t, "reports_days", "retention.reports_days", 0, 365 * 100,
                   c.retention_reports_days);
}

// Durations of [webhooks] and their bounds.
struct DurationKey {
  std::string_view key;
  std::chrono::milliseconds ServerConfig::Webhooks::*field;
  std::chrono::milliseconds min;
  std::chrono::milliseconds max;
  const char* env;
};
constexpr std::chrono::milliseconds kMs{1};
constexpr std::chrono::milliseconds kDay{24 * 3600 * 1000};
const DurationKey kWebhookDurations[] = {
    {"backoff_min", &ServerConfig::Webhooks::backoff_min, kMs, kDay, "MARKAZ_WEBHOOK_BACKOFF_MIN"},
    {"backoff_max", &ServerConfig::Webhooks::backoff_max, kMs, kDay, "MARKAZ_WEBHOOK_BACKOFF_MAX"},
    {"failing_after", &ServerConfig::Webhooks::failing_after, std::chrono::milliseconds(0),
     30 * kDay, "MARKAZ_WEBHOOK_FAILING_AFTER"},
    {"timeout", &ServerConfig::Webhooks::timeout, kMs, std::chrono::milliseconds(600000),
     "MARKAZ_WEBHOOK_TIMEOUT"},
};

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

// A duration within [key.min, key.max]; the message says what is wrong without a location.
Result<std::chrono::milliseconds> BoundedDuration(std::string_view text, const DurationKey& key) {
  MARKAZ_ASSIGN_OR_RETURN(std::chrono::milliseconds d, ParseDuration(text));
  if (d < key.min || d > key.max) {
    return Status::InvalidArgument("config_bad_value", "must be between " +
                                                           FormatDuration(key.min) + " and " +
                                                           FormatDuration(key.max));
  }
  return d;
}

Status ParseWebhooks(const Reader& r, const toml::table& t, ServerConfig& c) {
  MARKAZ_RETURN_IF_ERROR(
      r.CheckKeys(t, "webhooks", {"backoff_min", "backoff_max", "failing_after", "timeout"}));
  for (const DurationKey& key : kWebhookDurations) {
    const toml::node* node = t.get(key.key);
    if (node == nullptr) continue;
    const std::string path = "webhooks." + std::string(key.key);
    if (!node->is_string()) return r.WrongType(*node, path, "a duration such as \"30s\"");
    Result<std::chrono::milliseconds> d = BoundedDuration(node->as_string()->get(), key);
    if (!d.ok()) return r.BadValue(*node, path, d.status().message());
    c.webhooks.*key.field = *d;
  }
  return Status::Ok();
}

Result<ServerConfig> FromToml(const Reader& r, const toml::table& root) {
  ServerConfig c;
  MARKAZ_RETURN_IF_ERROR(
      r.CheckKeys(root, "", {"server", "tls", "limits", "log", "retention", "webhooks"}));
  struct Section {
    std::string_view name;
    Status (*parse)(const Reader&, const toml::table&, ServerConfig&);
  };
  static constexpr Section kSections[] = {{"server", ParseServer},
                                          {"tls", ParseTls},
                                          {"limits", ParseLimits},
                                          {"log", ParseLog},
                                          {"retention", ParseRetention},
                                          {"webhooks", ParseWebhooks}};
  for (const Section& section : kSections) {
    MARKAZ_ASSIGN_OR_RETURN(const toml::table* table, r.Table(root, section.name, section.name));
    if (table != nullptr) MARKAZ_RETURN_IF_ERROR(section.parse(r, *table, c));
  }
  return c;
}

std::string FormatNumber(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string FormatSize(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

}  // namespace

double ServerConfig::EffectiveBurst() const {
  if (limits.burst >= 1) return limits.burst;
  return std::max(1.0, std::ceil(limits.requests_per_second));
}

Result<std::uint64_t> ParseSize(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("config_bad_value",
                                   "\"" + std::string(text) +
                                       "\" is not a size (expected e.g. \"512 KiB\", \"4 MiB\", "
                                       "\"1 GiB\" or a number of bytes)");
  };
  std::size_t i = 0;
  std::uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > kMaxSize) return bad();
    n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return bad();
  while (i < text.size() && text[i] == ' ') ++i;
  const std::string_view unit = text.substr(i);
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "KiB") {
    scale = std::uint64_t{1} << 10;
  } else if (unit == "MiB") {
    scale = std::uint64_t{1} << 20;
  } else if (unit == "GiB") {
    scale = std::uint64_t{1} << 30;
  } else {
    return bad();
  }
  if (n == 0 || n > kMaxSize / scale) {
    return Status::InvalidArgument(
        "config_bad_value", "\"" + std::string(text) + "\" must be between 1 byte and 1 GiB");
  }
  return n * scale;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("config_bad_value",
                                   "\"" + std::string(text) +
                                       "\" is not a duration (expected e.g. \"500ms\", \"30s\", "
                                       "\"5m\" or \"1h\")");
  };
  constexpr long long kMaxMs = 30LL * 24 * 3600 * 1000;
  std::size_t i = 0;
  long long n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > kMaxMs) return bad();
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 0) return bad();
  while (i < text.size() && text[i] == ' ') ++i;
  const std::string_view unit = text.substr(i);
  long long scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60 * 1000;
  } else if (unit == "h") {
    scale = 3600 * 1000;
  } else {
    return bad();
  }
  if (n > kMaxMs / scale) {
    return Status::InvalidArgument("config_bad_value",
                                   "\"" + std::string(text) + "\" is longer than 30 days");
  }
  return std::chrono::milliseconds(n * scale);
}

Result<ServerConfig> ParseServerConfig(std::string_view text, std::string_view source_name,
                                       std::string_view base_dir) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::string description(e.description());
    std::replace(description.begin(), description.end(), '\n', ' ');
    return Status::InvalidArgument(
        "config_toml", std::string(source_name) + ":" + std::to_string(e.source().begin.line) +
                           ": column " + std::to_string(e.source().begin.column) + ": " +
                           description);
  } catch (const std::exception& e) {
    return Status::Internal(std::string(source_name) + ": reading TOML: " + e.what());
  }
  return FromToml(Reader(source_name, base_dir), root);
}

Result<ServerConfig> LoadServerConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::NotFound("config_file", path + ": is a directory, not a configuration file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(
        "config_file", path + ": cannot read the configuration (" + std::strerror(errno) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status::NotFound(
        "config_file", path + ": cannot read the configuration (" + std::strerror(errno) + ")");
  }
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  return ParseServerConfig(text.str(), path, base_dir.empty() ? "." : base_dir);
}

Status ApplyEnvironment(ServerConfig& config, const EnvLookup& getenv) {
  auto value = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v == nullptr ? std::string() : std::string(v);
  };
  auto bad = [](const char* name, const std::string& why) {
    return Status::InvalidArgument("config_env", std::string(name) + ": " + why);
  };
  if (std::string listen = value("MARKAZ_LISTEN"); !listen.empty()) {
    Result<ListenAddress> address = ParseListenAddress(listen);
    if (!address.ok()) return bad("MARKAZ_LISTEN", address.status().message());
    config.listen = listen;
  }
  if (std::string data = value("MARKAZ_DATA"); !data.empty()) config.data_dir = data;
  if (std::string threads = value("MARKAZ_THREADS"); !threads.empty()) {
    int n = 0;
    bool digits = threads.size() <= 3;
    for (char ch : threads) {
      digits = digits && ch >= '0' && ch <= '9';
      if (digits) n = n * 10 + (ch - '0');
    }
    if (!digits || n < 1 || n > 256) {
      return bad("MARKAZ_THREADS", "\"" + threads + "\" is not a number of threads (1..256)");
    }
    config.threads = n;
  }
  if (std::string cert = value("MARKAZ_TLS_CERT"); !cert.empty()) config.tls.cert = cert;
  if (std::string key = value("MARKAZ_TLS_KEY"); !key.empty()) config.tls.key = key;
  for (const DurationKey& key : kWebhookDurations) {
    const std::string text = value(key.env);
    if (text.empty()) continue;
    Result<std::chrono::milliseconds> d = BoundedDuration(text, key);
    if (!d.ok()) return bad(key.env, d.status().message());
    config.webhooks.*key.field = *d;
  }
  return Status::Ok();
}

Status ValidateServerConfig(const ServerConfig& c) {
  auto conflict = [](const std::string& message) {
    return Status::InvalidArgument("config_conflict", message);
  };
  const ServerConfig::Tls& tls = c.tls;
  if (tls.cert.empty() != tls.key.empty()) {
    return conflict(std::string(tls.cert.empty() ? "tls.key" : "tls.cert") + " is set but " +
                    (tls.cert.empty() ? "tls.cert" : "tls.key") +
                    " is not: HTTPS needs both (in the file, MARKAZ_TLS_CERT/MARKAZ_TLS_KEY or "
                    "--tls-cert/--tls-key)");
  }
  if (!c.tls_enabled() && !tls.client_ca.empty()) {
    return conflict(
        "tls.client_ca is set without tls.cert and tls.key: client certificates "
        "need HTTPS");
  }
  if (tls.client_ca.empty() && tls.require_client_cert) {
    return conflict("tls.require_client_cert needs tls.client_ca, the CA that signs them");
  }
  if (tls.client_ca.empty() && !tls.client_orgs.empty()) {
    return conflict("tls.client_orgs needs tls.client_ca, the CA that signs client certificates");
  }
  if (c.webhooks.backoff_max < c.webhooks.backoff_min) {
    return conflict("webhooks.backoff_max (" + FormatDuration(c.webhooks.backoff_max) +
                    ") is below webhooks.backoff_min (" + FormatDuration(c.webhooks.backoff_min) +
                    ")");
  }
  Result<ListenAddress> address = ParseListenAddress(c.listen);
  if (!address.ok()) return address.status();
  // Plain HTTP carries bearer tokens in clear: only this machine may reach it unless the
  // operator says otherwise.
  if (!c.tls_enabled() && !IsLoopbackHost(address->host) && !c.insecure_http) {
    return Status::InvalidArgument(
        "insecure_listen", "refusing plain HTTP on non-loopback address " + address->host +
                               " (configure TLS with --tls-cert/--tls-key or [tls], or pass "
                               "--insecure-http to allow it)");
  }
  return Status::Ok();
}

std::string DescribeServerConfig(const ServerConfig& c) {
  std::string out = "listen " + c.listen;
  if (c.tls_enabled()) {
    out += " (https";
    if (!c.tls.client_ca.empty()) {
      out += c.tls.require_client_cert ? ", client certificates required"
                                       : ", client certificates accepted";
      if (!c.tls.client_orgs.empty()) {
        out += ", second factor for " + std::to_string(c.tls.client_orgs.size()) + " org(s)";
      }
    }
    out += ")";
  } else {
    out += c.insecure_http ? " (plain http, insecure)" : " (plain http)";
  }
  out += ", data " + (c.data_dir.empty() ? std::string("(not set)") : c.data_dir);
  out += ", threads " + std::to_string(c.threads);
  out += ", rate ";
  out += c.limits.requests_per_second > 0
             ? FormatNumber(c.limits.requests_per_second) + "/s burst " +
                   FormatNumber(c.EffectiveBurst()) + " per token"
             : std::string("unlimited");
  out += ", concurrent ";
  out += c.limits.concurrent_per_org > 0 ? std::to_string(c.limits.concurrent_per_org) + " per org"
                                         : std::string("unlimited");
  out += ", max body " + FormatSize(c.limits.max_body);
  for (const auto& [route, bytes] : c.limits.body)
    out += " (" + route + " " + FormatSize(bytes) + ")";
  out += c.log_format == LogFormat::kJson ? ", log json" : ", log logfmt";
  out += ", webhooks back-off " + FormatDuration(c.webhooks.backoff_min) + ".." +
         FormatDuration(c.webhooks.backoff_max) + " failing after " +
         FormatDuration(c.webhooks.failing_after) + " timeout " +
         FormatDuration(c.webhooks.timeout);
  return out;
}

}  // namespace markaz::cli

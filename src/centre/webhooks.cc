// Webhooks of an org (DESIGN.md §6; centre.h "Distribution"; docs/webhooks.md): registered,
// listed, enabled, disabled and deleted by the org's admins; delivered by
// dissem::WebhookDispatcher, which this file tells about every change (Reload).
//
// Receivers on loopback and private addresses are allowed: the members that run a centre
// commonly deliver to their own internal systems (a SIEM, a ticketing gateway), and only an
// org's admins, who already hold the org's data, can point a webhook anywhere. What a webhook
// can reach is the org's own inbox, which its admins may read anyway, so a URL aimed at an
// internal address discloses nothing they could not read; operators who want to fence the
// server's outbound traffic do it with the host's firewall, which sees resolved addresses
// (a check here could be bypassed by DNS rebinding).
#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "centre/audit_detail.h"
#include "centre/centre.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::size_t kMinSecretBytes = 16;
constexpr std::size_t kMaxSecretBytes = 256;
constexpr int kMaxDeliveriesLimit = 1000;

Status BadUrl(const std::string& why) {
  return Status::InvalidArgument("bad_url", "url: " + why);
}

// The URL's scheme, host and port ("https://siem.m2.example:8443"), or an error. The same
// rules as the webhook client's (http/webhook_client.cc), so that a stored URL is one the
// client can post to.
Result<std::string> CheckUrl(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return BadUrl("longer than 2048 bytes");
  std::string_view rest = url;
  std::string scheme;
  if (rest.substr(0, 7) == "http://") {
    scheme = "http://";
  } else if (rest.substr(0, 8) == "https://") {
    scheme = "https://";
  } else {
    return BadUrl("must start with http:// or https://");
  }
  rest.remove_prefix(scheme.size());
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
      return BadUrl("spaces and control characters are not allowed");
    }
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl("user info (user:password@) is not allowed; use the secret to authenticate");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return BadUrl("text after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return BadUrl("the host is empty");
  if (!port.empty()) {
    const bool digits = port.size() <= 5 &&
                        port.find_first_not_of("0123456789") == std::string_view::npos;
    const int number = digits ? std::stoi(std::string(port)) : 0;
    if (number < 1 || number > 65535) return BadUrl("the port must be 1..65535");
  }
  return scheme + std::string(authority);
}

}  // namespace

WebhookView ToWebhookView(const store::WebhookRow& row) {
  WebhookView view;
  view.id = row.id;
  view.url = row.url;
  view.enabled = row.enabled;
  view.status = !row.enabled ? "disabled" : row.failing ? "failing" : "active";
  view.cursor = row.cursor;
  view.failing_since = row.failing_since;
  view.last_error = row.last_error;
  view.created_at = row.created_at;
  view.created_by = row.created_by;
  return view;
}

Result<store::WebhookRow> Centre::OwnWebhook(const Identity& who, const std::string& id) {
  if (who.role != core::Role::kAdmin) {
    return Status::PermissionDenied("admin_only", "only an admin of the org manages its webhooks");
  }
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::WebhookRow> row, store_.GetWebhook(id));
  // Another org's webhook is answered exactly like one that does not exist.
  if (!row || row->org != who.org) {
    return Status::NotFound("not_found", "no webhook " + id);
  }
  return *row;
}

Result<WebhookView> Centre::CreateWebhook(const Identity& who, const std::string& url,
                                          const std::string& secret) {
  if (who.role != core::Role::kAdmin) {
    return Status::PermissionDenied("admin_only", "only an admin of the org manages its webhooks");
  }
  MARKAZ_ASSIGN_OR_RETURN(std::string origin, CheckUrl(url));
  if (secret.size() < kMinSecretBytes || secret.size() > kMaxSecretBytes) {
    return Status::InvalidArgument("bad_secret", "secret: must be 16 to 256 bytes");
  }
  // The webhook receives what arrives after its creation: its cursor starts at the inbox head.
  // The head is read before the transaction (the Transaction has no inbox read), so an entry
  // committed between this read and the commit below is delivered too: one entry early, never
  // one missed.
  MARKAZ_ASSIGN_OR_RETURN(std::int64_t head, store_.InboxHead(who.org));
  const core::Time now = clock_.Now();
  store::WebhookRow row;
  row.id = ids_.Next("whk", now);
  row.org = who.org;
  row.url = url;
  row.secret = secret;
  row.created_by = who.AuditActor();
  row.created_at = now;
  row.enabled = true;
  row.cursor = head;
  // The audit chain records the receiver's origin only: a URL's path and query often carry a
  // credential of the receiver's own, and the secret is never recorded.
  const nlohmann::json detail = {{"org", row.org}, {"receiver", origin}, {"cursor", head}};
  MARKAZ_RETURN_IF_ERROR(committer_.Commit([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.InsertWebhook(row));
    audit::Event event{who.AuditActor(), "webhook.create", row.id, CanonicalJson(detail)};
    return audit::Append(txn, event, now).status();
  }));
  if (webhooks_ != nullptr) webhooks_->Reload();
  return ToWebhookView(row);
}

Result<std::vector<WebhookView>> Centre::ListWebhooks(const Identity& who) {
  if (who.role != core::Role::kAdmin) {
    return Status::PermissionDenied("admin_only", "only an admin of the org manages its webhooks");
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::WebhookRow> rows, store_.ListWebhooks(who.org));
  std::vector<WebhookView> views;
  views.reserve(rows.size());
  for (const auto& row : rows) views.push_back(ToWebhookView(row));
  return views;
}

Result<WebhookView> Centre::GetWebhook(const Identity& who, const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(store::WebhookRow row, OwnWebhook(who, id));
  return ToWebhookView(row);
}

Result<WebhookView> Centre::SetWebhookEnabled(const Identity& who, const std::string& id,
                                              bool enabled) {
  MARKAZ_ASSIGN_OR_RETURN(store::WebhookRow row, OwnWebhook(who, id));
  // Asking for the state it is in changes nothing, and so is not audited.
  if (row.enabled == enabled) return ToWebhookView(row);
  const core::Time now = clock_.Now();
  Status changed = committer_.Commit([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.SetWebhookEnabled(id, enabled));
    audit::Event event{who.AuditActor(), enabled ? "webhook.enable" : "webhook.disable", id,
                       "{}"};
    return audit::Append(txn, event, now).status();
  });
  if (changed.code() == core::Code::kNotFound) {
    return Status::NotFound("not_found", "no webhook " + id);  // deleted meanwhile
  }
  MARKAZ_RETURN_IF_ERROR(changed);
  if (webhooks_ != nullptr) webhooks_->Reload();
  MARKAZ_ASSIGN_OR_RETURN(store::WebhookRow now_row, OwnWebhook(who, id));
  return ToWebhookView(now_row);
}

Status Centre::DeleteWebhook(const Identity& who, const std::string& id) {
  MARKAZ_ASSIGN_OR_RETURN(store::WebhookRow row, OwnWebhook(who, id));
  const core::Time now = clock_.Now();
  Status deleted = committer_.Commit([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.DeleteWebhook(id));
    audit::Event event{who.AuditActor(), "webhook.delete", id, "{}"};
    return audit::Append(txn, event, now).status();
  });
  if (deleted.code() == core::Code::kNotFound) {
    return Status::NotFound("not_found", "no webhook " + id);  // deleted meanwhile
  }
  MARKAZ_RETURN_IF_ERROR(deleted);
  if (webhooks_ != nullptr) webhooks_->Reload();
  return Status::Ok();
}

Result<std::vector<store::DeliveryRow>> Centre::WebhookDeliveries(const Identity& who,
                                                                  const std::string& id,
                                                                  int limit) {
  MARKAZ_ASSIGN_OR_RETURN(store::WebhookRow row, OwnWebhook(who, id));
  if (limit < 1 || limit > kMaxDeliveriesLimit) {
    return Status::InvalidArgument("bad_limit", "limit: must be 1..1000");
  }
  return store_.ReadDeliveries(row.id, limit);
}

}  // namespace markaz::centre

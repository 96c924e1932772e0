#include "centre/audit_detail.h"
#include "centre/centre.h"

#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "centre/tokens.h"
#include "crypto/hash.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr int kUpcomingTerms = 4;

nlohmann::json NamesJson(const core::Names& names) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [lang, name] : names) j[lang] = name;
  return j;
}

std::string CharterDetail(const core::Charter& c) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : c.members) members.push_back({{"id", m.id}, {"names", NamesJson(m.names)}});
  nlohmann::json partners = nlohmann::json::array();
  for (const auto& p : c.partners) {
    partners.push_back(
        {{"id", p.id}, {"names", NamesJson(p.names)}, {"may_submit", p.may_submit}});
  }
  nlohmann::json j = {
      {"name", c.name},
      {"start", core::FormatRfc3339(c.start)},
      {"order", c.rotation_order},
      {"first_chair", c.rotation_order.at(c.first_chair_index)},
      {"term", c.term.ToString()},
      {"members", members},
      {"partners", partners},
      {"quorum",
       {{"members", core::QuorumName(c.members_quorum)},
        {"partners", core::QuorumName(c.partners_quorum)}}},
  };
  return CanonicalJson(j);
}

OrgView ToView(const store::OrgRow& row) {
  return OrgView{row.entry.id, row.entry.kind, row.entry.names, row.entry.may_submit,
                 row.suspended};
}

}  // namespace

Centre::Centre(store::Store& store, const core::Clock& clock, core::IdGenerator& ids,
               const pipeline::Processor* processor, index::Index* index,
               cluster::StoryAssigner* stories, analytics::Analytics* analytics)
    : store_(store),
      clock_(clock),
      ids_(ids),
      processor_(processor),
      index_(index),
      // Stories and analytics are decided from the processor's analysis: without it, none.
      stories_(processor != nullptr ? stories : nullptr),
      analytics_(processor != nullptr ? analytics : nullptr),
      committer_(store) {}

Status Centre::Init(const core::Charter& charter) {
  MARKAZ_RETURN_IF_ERROR(core::ValidateCharter(charter));
  const core::Time now = clock_.Now();
  return store_.Write([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(charter));
    audit::Event event{std::string(kLocalActor), "centre.init", "centre", CharterDetail(charter)};
    return audit::Append(txn, event, now).status();
  });
}

Result<CreatedToken> Centre::CreateToken(std::string_view actor, std::string_view org,
                                         core::Role role, std::string_view name) {
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  auto it = std::find_if(orgs.begin(), orgs.end(),
                         [&](const store::OrgRow& o) { return o.entry.id == org; });
  if (it == orgs.end()) {
    return Status::NotFound("unknown_org",
                            "\"" + std::string(org) + "\" is not an org of this centre");
  }
  if (it->suspended) {
    return Status::PermissionDenied("org_suspended",
                                    "\"" + std::string(org) + "\" is suspended");
  }
  const core::Time now = clock_.Now();
  store::TokenRow row;
  row.id = ids_.Next("tok", now);
  row.org = std::string(org);
  row.role = role;
  row.name = std::string(name);
  row.created_at = now;
  const std::string secret = crypto::RandomBytes(32);
  row.secret_hash = HashSecret(secret);

  // The audit detail names the token, its org and role; never the secret or its hash.
  nlohmann::json detail = {{"org", row.org}, {"role", core::RoleName(role)}, {"name", row.name}};
  MARKAZ_RETURN_IF_ERROR(store_.Write([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.InsertToken(row));
    audit::Event event{std::string(actor), "token.create", row.id, CanonicalJson(detail)};
    return audit::Append(txn, event, now).status();
  }));
  return CreatedToken{FormatToken(row.id, secret), row.id};
}

Result<Identity> Centre::Authenticate(std::string_view token) {
  const Status invalid = Status::Unauthenticated("invalid_token", "the bearer token is not valid");
  std::optional<ParsedToken> parsed = ParseToken(token);
  if (!parsed) return invalid;
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::TokenRow> row, store_.FindToken(parsed->id));
  if (!row || row->secret_hash.size() != 32) return invalid;
  crypto::Digest32 presented, stored;
  const std::string presented_hash = HashSecret(parsed->secret);
  std::copy(presented_hash.begin(), presented_hash.end(), presented.begin());
  std::copy(row->secret_hash.begin(), row->secret_hash.end(), stored.begin());
  if (!crypto::ConstantTimeEqual(presented, stored)) return invalid;
  if (row->revoked_at) return invalid;

  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  for (const auto& o : orgs) {
    if (o.entry.id != row->org) continue;
    // A suspended org's tokens stop working at once (DESIGN.md §4), without being revoked:
    // lifting the suspension restores them.
    if (o.suspended) return invalid;
    return Identity{row->id, row->org, o.entry.kind, row->role, row->name};
  }
  return invalid;  // the org vanished: impossible today, but never grant on doubt
}

Result<core::Rotation> Centre::LoadRotation() {
  MARKAZ_ASSIGN_OR_RETURN(core::Charter charter, store_.LoadCharter());
  // Handovers and suspensions with their times are recorded by governance (a later issue);
  // until then the rotation follows the charter alone.
  return core::Rotation(charter);
}

Result<MeView> Centre::Me(const Identity& who) {
  MARKAZ_ASSIGN_OR_RETURN(core::Rotation rotation, LoadRotation());
  Result<core::Term> term = rotation.TermAt(clock_.Now());
  bool is_chair = term.ok() && term->chair == who.org;
  return MeView{who.org, who.role, who.name, is_chair};
}

Result<CharterView> Centre::GetCharter(const Identity& /*who*/) {
  // Every principal of the centre may read the charter: it holds no item and no secret.
  MARKAZ_ASSIGN_OR_RETURN(core::Charter charter, store_.LoadCharter());
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::OrgRow> orgs, store_.ListOrgs());
  core::Rotation rotation(charter);
  const core::Time now = clock_.Now();

  CharterView view{charter.name, charter.start, {}, {}, charter.rotation_order, charter.term,
                   std::nullopt, {}, charter.members_quorum, charter.partners_quorum};
  for (const auto& o : orgs) {
    (o.entry.kind == core::OrgKind::kMember ? view.members : view.partners).push_back(ToView(o));
  }
  Result<core::Term> term = rotation.TermAt(now);
  if (term.ok()) view.current = *term;
  view.next = rotation.Upcoming(now, kUpcomingTerms);
  return view;
}

HealthView Centre::Health() {
  const long long now = clock_.Now().time_since_epoch().count();
  const long long checked = health_checked_ms_.load(std::memory_order_acquire);
  if (checked == 0 || now - checked >= kHealthRefresh.count() || now < checked) {
    // Several threads may refresh at once; each writes a correct reading, so no lock is needed.
    Result<std::optional<store::AuditRow>> head = store_.AuditHead();
    health_store_ok_.store(head.ok(), std::memory_order_relaxed);
    health_audit_head_.store(head.ok() && head->has_value() ? (*head)->seq : 0,
                             std::memory_order_relaxed);
    health_checked_ms_.store(now, std::memory_order_release);
  }
  HealthView view;
  view.store_ok = health_store_ok_.load(std::memory_order_relaxed);
  view.audit_head_seq = health_audit_head_.load(std::memory_order_relaxed);
  return view;
}

}  // namespace markaz::centre

#include "http/json.h"

#include <nlohmann/json.hpp>

namespace markaz::http {
namespace {

using nlohmann::json;

json OrgJson(const centre::OrgView& org) {
  json names = json::object();
  for (const auto& [lang, name] : org.names) names[lang] = name;
  return {{"id", org.id},
          {"kind", core::OrgKindName(org.kind)},
          {"names", names},
          {"may_submit", org.may_submit},
          {"suspended", org.suspended}};
}

json TermJson(const core::Term& term) {
  return {{"org", term.chair},
          {"from", core::FormatRfc3339(term.from)},
          {"to", core::FormatRfc3339(term.to)}};
}

}  // namespace

std::string EncodeMe(const centre::MeView& me) {
  return json{{"org", me.org},
              {"role", core::RoleName(me.role)},
              {"name", me.name},
              {"is_chair", me.is_chair}}
      .dump();
}

std::string EncodeCharter(const centre::CharterView& c) {
  json members = json::array(), partners = json::array(), next = json::array();
  for (const auto& m : c.members) members.push_back(OrgJson(m));
  for (const auto& p : c.partners) partners.push_back(OrgJson(p));
  for (const auto& t : c.next) next.push_back(TermJson(t));
  json rotation = {{"order", c.order},
                   {"term", c.term.ToString()},
                   {"current", c.current ? TermJson(*c.current) : json(nullptr)},
                   {"next", next}};
  return json{{"name", c.name},
              {"start", core::FormatRfc3339(c.start)},
              {"members", members},
              {"partners", partners},
              {"rotation", rotation},
              {"quorum",
               {{"members", core::QuorumName(c.members_quorum)},
                {"partners", core::QuorumName(c.partners_quorum)}}}}
      .dump();
}

std::string EncodeHealth(const centre::HealthView& health) {
  // No audit head or any other counter here: health needs no token, and a counter anyone can
  // watch would show activity on items they may not see (DESIGN.md §2.5).
  return json{{"status", health.store_ok ? "ok" : "unavailable"}}.dump();
}

}  // namespace markaz::http

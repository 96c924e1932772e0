#include "cli/charter_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

namespace markaz::cli {
namespace {

using core::Charter;
using core::OrgEntry;
using core::OrgKind;
using core::Result;
using core::Status;

// --- Errors. Each names the field by its path in the file ("members[1].names.en").

std::string Join(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return std::string(prefix) + "." + std::string(key);
}

std::string Index(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "an unknown value";
}

Status WrongType(std::string_view path, std::string_view expected, const toml::node& found) {
  return Status::InvalidArgument("charter_wrong_type", std::string(path) + ": expected " +
                                                           std::string(expected) + ", found " +
                                                           std::string(TypeName(found)));
}

Status Missing(std::string_view path, std::string_view expected) {
  return Status::InvalidArgument(
      "charter_missing_field", std::string(path) + ": missing; expected " + std::string(expected));
}

// Refuses any key of `table` not in `allowed`, so that a misspelt key is an error rather than
// a rule silently left at its default.
Status CheckKeys(const toml::table& table, std::string_view path,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, node] : table) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key.str() == a;
    if (!known) {
      return Status::InvalidArgument("charter_unknown_key",
                                     Join(path, key.str()) + ": unknown key");
    }
  }
  return Status::Ok();
}

// --- Typed access. Absent optional fields come back as nullopt / nullptr.

Result<const toml::table*> GetTable(const toml::table& parent, std::string_view key,
                                    std::string_view path, bool required) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (required) return Missing(path, "a [" + std::string(path) + "] table");
    return static_cast<const toml::table*>(nullptr);
  }
  if (!node->is_table()) return WrongType(path, "a table", *node);
  return node->as_table();
}

Result<std::optional<std::string>> GetString(const toml::table& parent, std::string_view key,
                                             std::string_view path) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) return std::optional<std::string>();
  if (!node->is_string()) return WrongType(path, "a string", *node);
  return std::optional<std::string>(node->as_string()->get());
}

Result<std::string> RequireString(const toml::table& parent, std::string_view key,
                                  std::string_view path) {
  MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> s, GetString(parent, key, path));
  if (!s) return Missing(path, "a string");
  return *std::move(s);
}

// An array whose elements must all be tables ([[members]]), or nullptr when absent.
Result<const toml::array*> GetTableArray(const toml::table& parent, std::string_view key,
                                         std::string_view path) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) return static_cast<const toml::array*>(nullptr);
  const std::string expected = "an array of tables ([[" + std::string(key) + "]])";
  if (!node->is_array()) return WrongType(path, expected, *node);
  const toml::array& array = *node->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_table()) return WrongType(Index(path, i), "a table", array[i]);
  }
  return &array;
}

// TOML has its own date-time type; the charter also accepts an RFC 3339 string, and either
// way the instant must be unambiguous (an offset is required).
Result<core::Time> ToTime(const toml::node& node, std::string_view path) {
  constexpr std::string_view kExpected =
      "a date-time with offset (e.g. 2015-10-01T00:00:00Z) or an RFC 3339 string";
  if (node.is_string()) {
    Result<core::Time> t = core::ParseRfc3339(node.as_string()->get());
    if (!t.ok()) {
      return Status::InvalidArgument("charter_invalid_time",
                                     std::string(path) + ": " + t.status().message());
    }
    return t;
  }
  if (!node.is_date_time()) return WrongType(path, kExpected, node);
  const toml::date_time& dt = node.as_date_time()->get();
  if (!dt.offset) {
    std::ostringstream text;
    text << dt;
    return Status::InvalidArgument(
        "charter_invalid_time", std::string(path) + ": " + text.str() +
                                    " has no time zone offset; add one, e.g. Z for UTC");
  }
  // toml++ has already refused impossible dates and times; this is plain arithmetic.
  const std::chrono::year_month_day ymd{std::chrono::year(dt.date.year),
                                        std::chrono::month(dt.date.month),
                                        std::chrono::day(dt.date.day)};
  return core::Time(std::chrono::sys_days(ymd)) + std::chrono::hours(dt.time.hour) +
         std::chrono::minutes(dt.time.minute) + std::chrono::seconds(dt.time.second) +
         std::chrono::milliseconds(dt.time.nanosecond / 1'000'000) -
         std::chrono::minutes(dt.offset->minutes);
}

Result<core::Names> ParseNames(const toml::table& parent, std::string_view path) {
  core::Names names;
  const std::string names_path = Join(path, "names");
  MARKAZ_ASSIGN_OR_RETURN(const toml::table* table, GetTable(parent, "names", names_path, false));
  if (table == nullptr) return names;  // names are optional: the id is shown instead
  for (const auto& [lang, value] : *table) {
    const std::string value_path = Join(names_path, lang.str());
    if (!value.is_string()) return WrongType(value_path, "a string", value);
    names.emplace(std::string(lang.str()), value.as_string()->get());
  }
  return names;
}

Result<std::vector<OrgEntry>> ParseOrgs(const toml::table& root, std::string_view list,
                                        OrgKind kind) {
  std::vector<OrgEntry> orgs;
  MARKAZ_ASSIGN_OR_RETURN(const toml::array* array, GetTableArray(root, list, list));
  if (array == nullptr) {
    if (kind == OrgKind::kMember) return Missing(list, "[[members]] entries");
    return orgs;  // partners are optional
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *(*array)[i].as_table();
    const std::string path = Index(list, i);
    if (kind == OrgKind::kMember) {
      MARKAZ_RETURN_IF_ERROR(CheckKeys(table, path, {"id", "names"}));
    } else {
      MARKAZ_RETURN_IF_ERROR(CheckKeys(table, path, {"id", "names", "may_submit"}));
    }
    OrgEntry org;
    org.kind = kind;
    MARKAZ_ASSIGN_OR_RETURN(org.id, RequireString(table, "id", Join(path, "id")));
    MARKAZ_ASSIGN_OR_RETURN(org.names, ParseNames(table, path));
    // Members always may submit; a partner may only when its charter entry says so.
    org.may_submit = kind == OrgKind::kMember;
    if (const toml::node* node = table.get("may_submit")) {
      if (!node->is_boolean()) return WrongType(Join(path, "may_submit"), "a boolean", *node);
      org.may_submit = node->as_boolean()->get();
    }
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<core::Quorum> ParseQuorumField(const toml::table& table, std::string_view key,
                                      core::Quorum fallback) {
  const std::string path = Join("quorum", key);
  MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> name, GetString(table, key, path));
  if (!name) return fallback;
  std::optional<core::Quorum> q = core::ParseQuorum(*name);
  if (!q) {
    return Status::InvalidArgument("charter_invalid_quorum",
                                   path + ": \"" + *name +
                                       "\" is not a quorum; expected unanimous, majority, "
                                       "chair+majority or chair+unanimous");
  }
  return *q;
}

// The charter from a parsed document, field by field; errors carry no source name yet.
Result<Charter> FromToml(const toml::table& root) {
  MARKAZ_RETURN_IF_ERROR(
      CheckKeys(root, "", {"centre", "rotation", "members", "partners", "quorum"}));
  Charter charter;

  MARKAZ_ASSIGN_OR_RETURN(const toml::table* centre, GetTable(root, "centre", "centre", true));
  MARKAZ_RETURN_IF_ERROR(CheckKeys(*centre, "centre", {"name", "start"}));
  MARKAZ_ASSIGN_OR_RETURN(charter.name, RequireString(*centre, "name", "centre.name"));
  const toml::node* start = centre->get("start");
  if (start == nullptr) {
    return Missing("centre.start", "the date-time when the first term begins");
  }
  MARKAZ_ASSIGN_OR_RETURN(charter.start, ToTime(*start, "centre.start"));

  MARKAZ_ASSIGN_OR_RETURN(const toml::table* rotation,
                          GetTable(root, "rotation", "rotation", true));
  MARKAZ_RETURN_IF_ERROR(CheckKeys(*rotation, "rotation", {"order", "term", "first"}));
  const toml::node* order = rotation->get("order");
  if (order == nullptr) return Missing("rotation.order", "an array of member ids");
  if (!order->is_array()) return WrongType("rotation.order", "an array of member ids", *order);
  const toml::array& order_array = *order->as_array();
  for (std::size_t i = 0; i < order_array.size(); ++i) {
    const toml::node& id = order_array[i];
    if (!id.is_string()) return WrongType(Index("rotation.order", i), "a member id", id);
    charter.rotation_order.push_back(id.as_string()->get());
  }
  MARKAZ_ASSIGN_OR_RETURN(std::string term_text,
                          RequireString(*rotation, "term", "rotation.term"));
  Result<core::TermLength> term = core::TermLength::Parse(term_text);
  if (!term.ok()) return term.status().WithContext("rotation.term");
  charter.term = *term;
  MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> first,
                          GetString(*rotation, "first", "rotation.first"));

  MARKAZ_ASSIGN_OR_RETURN(charter.members, ParseOrgs(root, "members", OrgKind::kMember));
  MARKAZ_ASSIGN_OR_RETURN(charter.partners, ParseOrgs(root, "partners", OrgKind::kPartner));

  MARKAZ_ASSIGN_OR_RETURN(const toml::table* quorum, GetTable(root, "quorum", "quorum", false));
  if (quorum != nullptr) {
    MARKAZ_RETURN_IF_ERROR(CheckKeys(*quorum, "quorum", {"members", "partners"}));
    MARKAZ_ASSIGN_OR_RETURN(charter.members_quorum,
                            ParseQuorumField(*quorum, "members", charter.members_quorum));
    MARKAZ_ASSIGN_OR_RETURN(charter.partners_quorum,
                            ParseQuorumField(*quorum, "partners", charter.partners_quorum));
  }

  // rotation.first names a member; the model keeps its position in the order.
  if (first) {
    auto it = std::find(charter.rotation_order.begin(), charter.rotation_order.end(), *first);
    const OrgEntry* org = charter.FindOrg(*first);
    if (org == nullptr || org->kind != OrgKind::kMember) {
      return Status::InvalidArgument("charter_bad_first_chair",
                                     "rotation.first: \"" + *first + "\" is not a member");
    }
    // A member absent from the order gets an out-of-range position; ValidateCharter then
    // reports the real mistake (the member missing from rotation.order) first.
    charter.first_chair_index = static_cast<std::size_t>(it - charter.rotation_order.begin());
  }

  MARKAZ_RETURN_IF_ERROR(core::ValidateCharter(charter));
  return charter;
}

Status WithSource(const Status& status, std::string_view source_name) {
  return source_name.empty() ? status : status.WithContext(source_name);
}

}  // namespace

Result<Charter> ParseCharterToml(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    // Messages are one line (they end up in logs and on a terminal).
    std::string description(e.description());
    std::replace(description.begin(), description.end(), '\n', ' ');
    return WithSource(Status::InvalidArgument("charter_toml", "line " + std::to_string(at.line) +
                                                                  ", column " +
                                                                  std::to_string(at.column) +
                                                                  ": " + description),
                      source_name);
  } catch (const std::exception& e) {
    // toml++ documents only parse_error; anything else (bad_alloc) still must not escape.
    return WithSource(Status::Internal(std::string("reading TOML: ") + e.what()), source_name);
  }
  Result<Charter> charter = FromToml(root);
  if (!charter.ok()) return WithSource(charter.status(), source_name);
  return charter;
}

Result<Charter> LoadCharterFile(const std::string& path) {
  // A directory opens as a stream on Linux and then reads as empty; say what it is instead.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::NotFound("charter_file", path + ": is a directory, not a charter file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("charter_file",
                            path + ": cannot read the charter (" + std::strerror(errno) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status::NotFound("charter_file",
                            path + ": cannot read the charter (" + std::strerror(errno) + ")");
  }
  return ParseCharterToml(text.str(), path);
}

}  // namespace markaz::cli

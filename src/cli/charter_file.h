// Reading a charter from its TOML file (DESIGN.md §9 shows the format). Unknown keys are an
// error, so a typo cannot silently drop a rule. Every error names the field:
//   "charter.toml: rotation.term: \"4 months\" is longer than 3 months"
#pragma once

#include <string>
#include <string_view>

#include "core/charter.h"
#include "core/status.h"

namespace markaz::cli {

// Parses and validates (core::ValidateCharter). Never throws. Every error is InvalidArgument
// with a one-line message "<source_name>: <field path>: <what is wrong>"; the reasons are
//   charter_toml           TOML syntax error ("line 3, column 7: …")
//   charter_unknown_key    a key the format does not have ("members[1].nmae: unknown key")
//   charter_missing_field  a required table or key is absent (centre, centre.name, centre.start,
//                          rotation, rotation.order, rotation.term, [[members]], members[i].id)
//   charter_wrong_type     a value of the wrong TOML type ("expected a string, found an integer")
//   charter_invalid_time   centre.start is a string that is not RFC 3339, or has no offset
//   charter_invalid_term   rotation.term is not "1 month" … "3 months" or "N days" (N ≤ 92)
//   charter_invalid_quorum a [quorum] value other than unanimous, majority, chair+majority,
//                          chair+unanimous
//   charter_bad_first_chair rotation.first is not a member
// and ValidateCharter's reasons for rule errors (core/charter.h).
// Format notes: centre.start is a TOML offset date-time or an RFC 3339 string; names are
// optional; partners' may_submit defaults to false; rotation.first defaults to order[0].
core::Result<core::Charter> ParseCharterToml(std::string_view text, std::string_view source_name);

// Reads the file then parses it. NotFound "charter_file" when it cannot be read.
core::Result<core::Charter> LoadCharterFile(const std::string& path);

}  // namespace markaz::cli

// Reading a charter from its TOML file (DESIGN.md §9 shows the format). Unknown keys are an
// error, so a typo cannot silently drop a rule. Every error names the field:
//   "charter.toml: rotation.term: \"4 months\" is longer than 3 months"
#pragma once

#include <string>
#include <string_view>

#include "core/charter.h"
#include "core/status.h"

namespace markaz::cli {

// Parses and validates (core::ValidateCharter). `source_name` prefixes messages.
// InvalidArgument with reason "charter_toml" for TOML syntax errors, "charter_unknown_key" for
// unknown keys, "charter_missing_field"/"charter_wrong_type" for shape errors, and
// ValidateCharter's reasons for rule errors.
core::Result<core::Charter> ParseCharterToml(std::string_view text, std::string_view source_name);

// Reads the file then parses it. NotFound "charter_file" when it cannot be read.
core::Result<core::Charter> LoadCharterFile(const std::string& path);

}  // namespace markaz::cli

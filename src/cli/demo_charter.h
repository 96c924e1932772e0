// The example charter (examples/charter.toml) compiled into the binary, so `markaz demo` runs
// with no file at hand. Generated at build time from the example itself, so the two never differ.
#pragma once

#include <string_view>

namespace markaz::cli {
std::string_view DemoCharterToml();
}  // namespace markaz::cli

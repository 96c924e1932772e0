// Writing a JSON string literal by hand, for the modules that emit simple JSON without a JSON
// library (the store's name maps and string arrays, the synthetic-corpus generator).
#pragma once

#include <string>
#include <string_view>

namespace markaz::core {

// Appends `s` as a JSON string literal (with its quotes): '"' and '\' escaped, control characters
// below 0x20 as \n \r \t \b \f or \u00XX; all other bytes, UTF-8 included, as they are.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace markaz::core

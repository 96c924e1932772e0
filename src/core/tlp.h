// Markings: TLP 2.0 (https://www.first.org/tlp/) plus the originator-control flag.
#pragma once

#include <optional>
#include <string_view>

namespace markaz::core {

// Ordered from least to most restrictive, so `a < b` means "b is stricter".
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

std::string_view TlpName(Tlp tlp);                   // "clear" … "amber+strict" … "red"
std::optional<Tlp> ParseTlp(std::string_view name);  // exact, lower case

}  // namespace markaz::core

#include "core/tlp.h"

namespace markaz::core {

std::string_view TlpName(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return "clear";
    case Tlp::kGreen: return "green";
    case Tlp::kAmber: return "amber";
    case Tlp::kAmberStrict: return "amber+strict";
    case Tlp::kRed: return "red";
  }
  return "red";  // unreachable; the strictest is the safe answer
}

std::optional<Tlp> ParseTlp(std::string_view name) {
  for (Tlp t : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (TlpName(t) == name) return t;
  }
  return std::nullopt;
}

}  // namespace markaz::core

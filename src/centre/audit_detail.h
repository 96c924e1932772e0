// The detail of an audit entry as canonical JSON: nlohmann's default object is a std::map, so
// keys come out sorted, and dump() without indent writes no spaces; the same change always
// hashes the same. Invalid UTF-8 (a name typed in a Latin-1 terminal) is replaced, not thrown
// on. Every use case of the centre writes its audit details through this.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace markaz::centre {

inline std::string CanonicalJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace markaz::centre

// JSON encoders for the centre's views: the wire shapes of DESIGN.md §9 and docs/openapi.json.
// nlohmann/json stays inside json.cc and errors.cc.
#pragma once

#include <string>

#include "centre/centre.h"

namespace markaz::http {

std::string EncodeMe(const centre::MeView& me);
std::string EncodeCharter(const centre::CharterView& charter);
std::string EncodeHealth(const centre::HealthView& health);

}  // namespace markaz::http

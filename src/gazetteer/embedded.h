// The two data files of data/gazetteer/ as compiled into the binary (embedded.cc), for
// Gazetteer::LoadEmbedded and for benchmarks that time parsing them.
#pragma once

#include <string_view>

namespace markaz::gazetteer {

std::string_view EmbeddedEntitiesTsv();
std::string_view EmbeddedAliasesTsv();

}  // namespace markaz::gazetteer

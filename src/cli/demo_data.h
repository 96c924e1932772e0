// Data compiled into the binary for `markaz demo`, so it runs with no file at hand. Generated
// at build time from the files themselves (examples/charter.toml and the seed article in
// tests/data/seed/), so the copies never differ.
#pragma once

#include <string_view>

namespace markaz::cli {

// examples/charter.toml
std::string_view DemoCharterToml();

// tests/data/seed/000_fbb234546d35c770.txt: the news report (Arabic) the design comes from.
std::string_view DemoSeedArticle();

}  // namespace markaz::cli

# Every third-party dependency, found once. All come from Debian packages installed by scripts/setup.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Text processing (src/text, src/gazetteer): ICU, CLD2, Snowball, Hyperscan. CLD2 and Snowball
# ship no CMake or pkg-config files; link -lcld2 only (libcld2_full is broken as packaged).
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
find_path(CLD2_INCLUDE_DIR NAMES cld2/public/compact_lang_det.h REQUIRED)
add_library(markaz_cld2 INTERFACE)
target_link_libraries(markaz_cld2 INTERFACE ${CLD2_LIBRARY})
target_include_directories(markaz_cld2 SYSTEM INTERFACE ${CLD2_INCLUDE_DIR})
find_library(STEMMER_LIBRARY NAMES stemmer REQUIRED)
add_library(markaz_stemmer INTERFACE)
target_link_libraries(markaz_stemmer INTERFACE ${STEMMER_LIBRARY})
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)  # MinHash (stories), cache keys
# CRoaring ships no .pc file; its CMake config exports roaring::roaring. Index: visibility,
# filters, doc sets. STACK.md: 0.2.66's C++ class is ::Roaring (no namespace).
find_package(roaring CONFIG REQUIRED)
find_package(CURL REQUIRED)  # the CLI's client commands (ingest) and the integration tests
if(MARKAZ_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(MARKAZ_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

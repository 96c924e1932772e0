// data/gazetteer/entities.tsv and aliases.tsv compiled into the binary with the assembler's
// .incbin (the paths come from CMake as MARKAZ_GAZETTEER_ENTITIES / _ALIASES, and the files are
// OBJECT_DEPENDS of this source, so a data change rebuilds it), and LoadEmbedded, which parses
// them once per process.
#include "gazetteer/embedded.h"

#include <memory>

#include "gazetteer/gazetteer.h"

#ifndef MARKAZ_GAZETTEER_ENTITIES
#error "MARKAZ_GAZETTEER_ENTITIES must name data/gazetteer/entities.tsv (src/CMakeLists.txt)"
#endif
#ifndef MARKAZ_GAZETTEER_ALIASES
#error "MARKAZ_GAZETTEER_ALIASES must name data/gazetteer/aliases.tsv (src/CMakeLists.txt)"
#endif

// Each file becomes a run of read-only bytes between a start and an end symbol. The symbols
// are hidden so that position-independent code reaches them without a GOT entry.
#define MARKAZ_INCBIN(name, path)              \
  asm(".pushsection .rodata\n"                 \
      ".balign 16\n"                           \
      ".globl " #name                          \
      "_start\n"                               \
      ".hidden " #name                         \
      "_start\n"                               \
      ".type " #name "_start, @object\n" #name \
      "_start:\n"                              \
      ".incbin \"" path                        \
      "\"\n"                                   \
      ".globl " #name                          \
      "_end\n"                                 \
      ".hidden " #name                         \
      "_end\n"                                 \
      ".type " #name "_end, @object\n" #name   \
      "_end:\n"                                \
      ".byte 0\n"                              \
      ".popsection\n")

MARKAZ_INCBIN(markaz_gazetteer_entities, MARKAZ_GAZETTEER_ENTITIES);
MARKAZ_INCBIN(markaz_gazetteer_aliases, MARKAZ_GAZETTEER_ALIASES);

#define MARKAZ_HIDDEN __attribute__((visibility("hidden")))
extern "C" {
extern const char markaz_gazetteer_entities_start[] MARKAZ_HIDDEN;
extern const char markaz_gazetteer_entities_end[] MARKAZ_HIDDEN;
extern const char markaz_gazetteer_aliases_start[] MARKAZ_HIDDEN;
extern const char markaz_gazetteer_aliases_end[] MARKAZ_HIDDEN;
}

namespace markaz::gazetteer {

std::string_view EmbeddedEntitiesTsv() {
  return {
      markaz_gazetteer_entities_start,
      static_cast<std::size_t>(markaz_gazetteer_entities_end - markaz_gazetteer_entities_start)};
}

std::string_view EmbeddedAliasesTsv() {
  return {markaz_gazetteer_aliases_start,
          static_cast<std::size_t>(markaz_gazetteer_aliases_end - markaz_gazetteer_aliases_start)};
}

core::Result<std::shared_ptr<const Gazetteer>> Gazetteer::LoadEmbedded() {
  // Parsed on first use, once per process (thread-safe static initialisation); every caller
  // shares the immutable result, or the same error.
  static const core::Result<std::shared_ptr<const Gazetteer>> loaded =
      Parse(EmbeddedEntitiesTsv(), EmbeddedAliasesTsv());
  return loaded;
}

}  // namespace markaz::gazetteer

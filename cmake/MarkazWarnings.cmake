# Warning and sanitizer flags shared by every markaz target (applied through markaz_module/markaz_test).
set(MARKAZ_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(MARKAZ_WERROR)
  list(APPEND MARKAZ_WARNING_FLAGS -Werror)
endif()

if(MARKAZ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

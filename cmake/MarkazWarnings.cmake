# Warning and sanitizer flags shared by every markaz target (applied through markaz_module/markaz_test).
set(MARKAZ_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
    # g++ 12 at -O2/-O3 reports impossible memcpy overlaps inside std::string concatenation
    # (GCC bug 105329): a false positive that would make every `a + "b"` an error.
    -Wno-restrict)
if(MARKAZ_WERROR)
  list(APPEND MARKAZ_WARNING_FLAGS -Werror)
endif()

if(MARKAZ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

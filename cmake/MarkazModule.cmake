# markaz_module(NAME SRCS ... DEPS ... PRIVATE_DEPS ...)
#   One library per folder of src/ (DESIGN.md §8). DEPS are other markaz modules and are linked
#   PUBLIC (a module's headers may use its lower modules); PRIVATE_DEPS are third-party libraries,
#   linked PRIVATE so their headers cannot leak upward. Creates target markaz_NAME and alias
#   markaz::NAME. Includes are rooted at src/.
function(markaz_module name)
  cmake_parse_arguments(M "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(markaz_${name} STATIC ${M_SRCS})
  add_library(markaz::${name} ALIAS markaz_${name})
  target_include_directories(markaz_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(markaz_${name} PRIVATE ${MARKAZ_WARNING_FLAGS})
  target_link_libraries(markaz_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# markaz_test(NAME SRCS ... DEPS ...)
#   One GoogleTest binary per module, registered with CTest through gtest_discover_tests.
function(markaz_test name)
  cmake_parse_arguments(T "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SRCS})
  target_compile_options(${name} PRIVATE ${MARKAZ_WARNING_FLAGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

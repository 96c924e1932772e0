# Installs the systemd unit and markaz.toml, with paths worked out at install time: run by
# `cmake --install` (any --prefix) and by cpack (prefix /usr) through install(SCRIPT) in the top
# CMakeLists.txt, so that the unit's ExecStart names the binary and the configuration where
# this very installation puts them. Prefix /usr (the .deb) keeps its configuration in
# /etc/markaz, as GNUInstallDirs and Debian do; any other prefix in PREFIX/etc/markaz.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(MARKAZ_UNIT_CONFDIR /etc/markaz)
else()
  set(MARKAZ_UNIT_CONFDIR "${CMAKE_INSTALL_PREFIX}/etc/markaz")
endif()
set(MARKAZ_UNIT_BINDIR "${CMAKE_INSTALL_PREFIX}/bin")
string(MD5 markaz_unit_tag "${CMAKE_INSTALL_PREFIX}")
set(markaz_unit "${MARKAZ_BINARY_DIR}/packaging/${markaz_unit_tag}/markaz.service")
configure_file("${MARKAZ_SOURCE_DIR}/packaging/markaz.service.in" "${markaz_unit}" @ONLY)
file(INSTALL "${markaz_unit}" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
file(INSTALL "${MARKAZ_SOURCE_DIR}/examples/markaz.toml" DESTINATION "${MARKAZ_UNIT_CONFDIR}")

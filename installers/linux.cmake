# Debian packages. dpkg-shlibdeps derives the shared-library dependencies
# (Qt 6, SQLite, zlib, libstdc++...) from the binaries; what the programs load
# at run time without linking it is named here.

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME cachescope)
# Descriptions: CPack puts the summary (the project's DESCRIPTION) first.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
  "Shows the keys, values, sizes, expiry and eviction statistics of the cache directories made by Python's diskcache, read-only, in a desktop inspector (cachescope) and a command-line tool with JSON output (cachescope-cli).")
# libqt6svg6 holds the SVG image and icon-engine plugins the window's icons use.
if(CACHESCOPE_BUILD_GUI)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libqt6svg6")
endif()

# The engine is a static library: its users link SQLite, zlib and threads themselves.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libdiskcache-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libsqlite3-dev, zlib1g-dev")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION
  "The diskcache engine for C++ projects: a Qt-free C++20 library that reads and writes the cache directories of Python's diskcache. Static library, headers and CMake package (find_package(diskcache)).")

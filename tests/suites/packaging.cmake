# Packaging and installation (issue 10): scripts in tests/packaging/ that
# install and package the tree already built, without building it again.
# Linux only: macOS installs a bundle instead, and Windows has no bash.
set(packaging_dir ${CMAKE_CURRENT_SOURCE_DIR}/packaging)

# cmake --install to a temporary prefix, then an outside project uses the
# engine through find_package(diskcache).
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  add_test(NAME packaging_install_consumer
    COMMAND bash ${packaging_dir}/install_consumer.sh ${PROJECT_BINARY_DIR} ${packaging_dir}/consumer ${CMAKE_GENERATOR})
endif()

# cpack: the .deb's dependencies, the programs run from the unpacked .deb, and
# the desktop file and AppStream metainfo validated.
find_program(CACHESCOPE_DPKG_DEB dpkg-deb)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CACHESCOPE_DPKG_DEB)
  if(CACHESCOPE_BUILD_GUI)
    set(packaging_with_gui 1)
  else()
    set(packaging_with_gui 0)
  endif()
  add_test(NAME packaging_deb
    COMMAND bash ${packaging_dir}/deb_package.sh ${PROJECT_BINARY_DIR} ${PROJECT_VERSION} ${packaging_with_gui})
endif()

# Both install from the same build tree (and write its install manifest): one at a time.
foreach(packaging_test packaging_install_consumer packaging_deb)
  if(TEST ${packaging_test})
    set_tests_properties(${packaging_test} PROPERTIES RESOURCE_LOCK cachescope_install_tree TIMEOUT 600
      ENVIRONMENT "CMAKE_COMMAND=${CMAKE_COMMAND};CPACK_COMMAND=${CMAKE_CPACK_COMMAND};CACHESCOPE_PYTHON=${CACHESCOPE_PYTHON}")
  endif()
endforeach()

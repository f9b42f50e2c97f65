# Reliability and security (issue 9): SIGKILLed writers, full and read-only
# file systems, corrupt and hostile caches, keys of every kind of text.
# POSIX process control and mounts: Linux only.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  # The C++ writer the SIGKILL soak kills (tests/reliability/soak_writer.cpp).
  add_executable(cachescope_soak_writer reliability/soak_writer.cpp)
  target_link_libraries(cachescope_soak_writer PRIVATE diskcache::diskcache)
  cachescope_warnings(cachescope_soak_writer)

  cachescope_add_test(tst_reliability_kill tst_reliability_kill.cpp)
  add_dependencies(tst_reliability_kill cachescope_soak_writer)
  target_compile_definitions(tst_reliability_kill PRIVATE
    CACHESCOPE_SOAK_WRITER="$<TARGET_FILE:cachescope_soak_writer>")
endif()

# Full and read-only file systems: mounts in a private namespace when allowed.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  cachescope_add_test(tst_reliability_fs tst_reliability_fs.cpp)
  add_dependencies(tst_reliability_fs cachescope-cli)
endif()

# A corpus of damaged and hostile cache.db files through every reader.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  cachescope_add_test(tst_reliability_corrupt tst_reliability_corrupt.cpp LIBS SQLite::SQLite3)
  add_dependencies(tst_reliability_corrupt cachescope-cli)
endif()

# Hostile filenames (FIFOs, devices, paths out of the cache) and keys and
# tags of every kind of text, with python3-diskcache.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  cachescope_add_test(tst_reliability_input tst_reliability_input.cpp LIBS SQLite::SQLite3)
  add_dependencies(tst_reliability_input cachescope-cli)
endif()

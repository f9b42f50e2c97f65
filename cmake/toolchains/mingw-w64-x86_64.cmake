# Cross-compiling for 64-bit Windows with Debian's MinGW-w64 (scripts/cross-windows.sh).
# The posix-thread compilers: GCC 12's win32 thread model has no std::thread or std::mutex.
# Everything is linked statically, so cachescope-cli.exe needs no DLLs beside it.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(mingw_triplet x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${mingw_triplet}-gcc-posix)
set(CMAKE_CXX_COMPILER ${mingw_triplet}-g++-posix)
set(CMAKE_RC_COMPILER ${mingw_triplet}-windres)

# Headers and libraries come from the MinGW sysroot (libz-mingw-w64-dev) and
# from any prefix given in CMAKE_PREFIX_PATH (the SQLite built for it); the
# build machine's own libraries are never picked up.
set(CMAKE_FIND_ROOT_PATH /usr/${mingw_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# zlib's static archive, not libz.dll.a (an import library would need zlib1.dll).
set(ZLIB_USE_STATIC_LIBS ON)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# Tests run the .exe under Wine.
set(CMAKE_CROSSCOMPILING_EMULATOR wine)

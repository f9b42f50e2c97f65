// What differs between POSIX systems and Windows, in one place, so the rest
// of the engine calls neither POSIX-only functions nor Win32 directly.
//
// Names: SQLite takes UTF-8 file names on every system, and the database
// stores value file names as UTF-8 text. std::filesystem::path built from
// a plain std::string reads it in the ANSI code page on Windows (and
// libstdc++ and MSVC disagree about which), so text crosses into and out of
// paths only through toUtf8/fromUtf8.
//
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "diskcache/status.h"

namespace diskcache::platform {

// Creates `path` for binary writing, failing when it exists (Python's
// open(path, 'xb')); not inherited by child processes. nullptr with errno
// set on failure.
std::FILE* createExclusive(const std::filesystem::path& path);

// The path as UTF-8 (what SQLite and users see). Never throws: a name that
// is not valid UTF-16 on Windows has its bad units replaced by U+FFFD.
std::string toUtf8(const std::filesystem::path& path);

// A path from UTF-8 text; InvalidArgument when the text is not UTF-8 on a
// system whose paths are UTF-16 (POSIX paths are bytes and take anything).
Result<std::filesystem::path> fromUtf8(std::string_view utf8);

// Removes `sidePath` (a database's -shm file) only if no connection of any
// process, this one included, has `databasePath` open: SQLite's own test
// before it deletes a wal-index, an exclusive lock on the database's
// shared-lock bytes, held while the file is unlinked so no opener slips in.
// Where such a lock cannot be taken without disturbing this process's own
// SQLite locks (no open-file-description locks: Windows, macOS) it removes
// nothing. Returns whether it removed the file.
bool removeIfDatabaseUnused(const std::filesystem::path& databasePath, const std::filesystem::path& sidePath);

// A Status for a failed file-system call, from std::filesystem's error
// code (errno on POSIX, a Win32 error on Windows), naming `what` failed.
Status statusFromError(const std::error_code& error, const std::string& what);

}  // namespace diskcache::platform

// Value files: where diskcache keeps values too large for the database
// (FORMAT.md, "Values"). Names are made, written, read and removed exactly
// as the Python library does; a `filename` from the database is trusted for
// nothing: it must stay inside the cache directory.
//
// Thread safety: stateless apart from the directory; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "diskcache/status.h"

namespace diskcache {

class Disk {
public:
    explicit Disk(std::filesystem::path directory) : m_directory(std::move(directory)) {}
    const std::filesystem::path& directory() const { return m_directory; }

    // A fresh relative name "ab/cd/<28 hex>.val" from 16 random bytes, with
    // this system's separator (as Python's os.path.join makes it).
    std::string newFilename() const;

    // Creates the file (failing if it exists) and its parent directories,
    // writes `data` and returns the file's length. Text is written in UTF-8
    // with this system's newline, as Python's text mode does.
    Result<std::int64_t> writeBytes(const std::string& filename, std::string_view data) const;
    Result<std::int64_t> writeText(const std::string& filename, std::string_view utf8) const;
    Result<std::int64_t> writeStream(const std::string& filename, std::istream& in) const;

    // The full path of a database `filename`, or an error when the name is
    // absolute, contains "..", resolves outside the directory through a
    // link, or is empty. Both separators are accepted.
    Result<std::filesystem::path> resolve(std::string_view filename) const;

    // Reads a value file whole (binary; at most its first maxBytes), or as
    // Python's text mode reads it: UTF-8 with universal newlines. Anything
    // but a regular file (a FIFO, a device) is refused unread.
    Result<std::string> readBytes(std::string_view filename, std::size_t maxBytes = SIZE_MAX) const;
    Result<std::string> readText(std::string_view filename) const;
    // Length of the value file, NotFound when missing.
    Result<std::int64_t> fileSize(std::string_view filename) const;

    // Deletes the file and then its parent directories while they are empty,
    // never the cache directory itself. Errors are ignored, as the library
    // does (another process may have removed them first). Unsafe names are
    // never touched.
    void remove(std::string_view filename) const;

private:
    // Removes the directories above `file` while they are empty, up to (not
    // including) the cache directory.
    void removeEmptyParents(const std::filesystem::path& file) const;

    std::filesystem::path m_directory;
};

// Calls visit(path, isDirectory, depth) for everything below `root`, parents
// before children, without following links. Entries that vanish meanwhile
// (a live writer removing a value file) are skipped rather than failing.
Status walkTree(const std::filesystem::path& root,
                const std::function<void(const std::filesystem::path&, bool isDirectory, int depth)>& visit);

// Turns an errno value into a Status, naming `what` failed.
Status statusFromErrno(int error, const std::string& what);

}  // namespace diskcache

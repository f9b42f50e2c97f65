#include "platform.h"

#include <cerrno>
#include <system_error>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace diskcache::platform {

#ifdef _WIN32

std::FILE* createExclusive(const fs::path& path) {
    // _wopen with _O_EXCL rather than fopen's "x" mode, which the older
    // msvcrt.dll that MinGW links does not know.
    const int fd = _wopen(path.c_str(), _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT,
                          _S_IREAD | _S_IWRITE);
    if (fd < 0) return nullptr;
    std::FILE* file = _fdopen(fd, "wb");
    if (!file) _close(fd);
    return file;
}

std::string toUtf8(const fs::path& path) {
    const std::wstring& wide = path.native();
    if (wide.empty()) return {};
    const int size = static_cast<int>(wide.size());
    const int length = WideCharToMultiByte(CP_UTF8, 0, wide.data(), size, nullptr, 0, nullptr, nullptr);
    std::string utf8(static_cast<std::size_t>(length), '\0');
    WideCharToMultiByte(CP_UTF8, 0, wide.data(), size, utf8.data(), length, nullptr, nullptr);
    return utf8;
}

Result<fs::path> fromUtf8(std::string_view utf8) {
    if (utf8.empty()) return fs::path();
    const int size = static_cast<int>(utf8.size());
    const int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, nullptr, 0);
    if (length <= 0) return Status::invalidArgument("a file name that is not UTF-8: " + std::string(utf8));
    std::wstring wide(static_cast<std::size_t>(length), L'\0');
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, wide.data(), length);
    return fs::path(std::move(wide));
}

// Windows keeps -shm open with sharing rules of its own; left as found.
bool removeIfDatabaseUnused(const fs::path&, const fs::path&) { return false; }

#else

std::FILE* createExclusive(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return nullptr;
    std::FILE* file = ::fdopen(fd, "wb");
    if (!file) ::close(fd);
    return file;
}

std::string toUtf8(const fs::path& path) { return path.native(); }

bool removeIfDatabaseUnused(const fs::path& databasePath, const fs::path& sidePath) {
#ifdef F_OFD_SETLK
    // SQLite's unix VFS: every connection holds a read lock on these bytes
    // while it has the database open (WAL mode keeps it between
    // transactions); EXCLUSIVE is a write lock on all of them. An
    // open-file-description lock conflicts with those even inside this
    // process, and closing our descriptor cannot drop SQLite's own locks
    // (closing any descriptor drops a process's classic POSIX locks).
    constexpr off_t kSharedFirst = 0x40000000 + 2;  // PENDING_BYTE + 2
    constexpr off_t kSharedSize = 510;
    const int fd = ::open(databasePath.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kSharedFirst;
    lock.l_len = kSharedSize;
    bool removed = false;
    if (::fcntl(fd, F_OFD_SETLK, &lock) == 0) removed = ::unlink(sidePath.c_str()) == 0;
    ::close(fd);  // releases the lock
    return removed;
#else
    (void)databasePath;
    (void)sidePath;
    return false;
#endif
}

Result<fs::path> fromUtf8(std::string_view utf8) { return fs::path(std::string(utf8)); }

#endif

Status statusFromError(const std::error_code& error, const std::string& what) {
    std::string message = what + ": " + error.message();
    // Compared as portable conditions: on Windows the code is a Win32 error.
    if (error == std::errc::no_such_file_or_directory) return Status::notFound(message);
    if (error == std::errc::read_only_file_system) return Status::readOnly(message);
    if (error == std::errc::invalid_argument) return Status::invalidArgument(message);
    return Status::io(message);
}

}  // namespace diskcache::platform

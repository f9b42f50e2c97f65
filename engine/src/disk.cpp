#include "disk.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>

#include "platform.h"

namespace fs = std::filesystem;

namespace diskcache {

Status statusFromErrno(int error, const std::string& what) {
    std::string message = what + ": " + std::strerror(error);
    switch (error) {
    case ENOENT: return Status::notFound(message);
    case EROFS: return Status::readOnly(message);
    case EINVAL: return Status::invalidArgument(message);
    default: return Status::io(message);
    }
}

namespace {

std::string randomHex32() {
    // Seeded once per thread from the OS; names only need to be unique, and
    // creation with O_EXCL catches the astronomically rare clash.
    thread_local std::mt19937_64 generator([] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }());
    static const char digits[] = "0123456789abcdef";
    std::string hex(32, '0');
    for (int half = 0; half < 2; ++half) {
        std::uint64_t bits = generator();
        for (int i = 0; i < 16; ++i, bits >>= 4) hex[half * 16 + i] = digits[bits & 0xF];
    }
    return hex;
}

// A file created with exclusive semantics ('x' mode in Python).
class ExclusiveFile {
public:
    // Another process may remove the (empty) directories between making
    // them and opening the file, as it cleans up after a delete; like the
    // library's Disk._write, try again, up to ten times.
    Status create(const fs::path& path) {
        Status last;
        for (int attempt = 0; attempt < 10; ++attempt) {
            last = createOnce(path);
            if (last.code() != StatusCode::NotFound) return last;
        }
        return last;
    }
    Status createOnce(const fs::path& path) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) return platform::statusFromError(ec, "creating " + platform::toUtf8(path.parent_path()));
        m_file = platform::createExclusive(path);
        if (!m_file) return statusFromErrno(errno, "creating " + platform::toUtf8(path));
        m_path = path;
        return Status::ok();
    }
    Status write(std::string_view data) {
        if (!data.empty() && std::fwrite(data.data(), 1, data.size(), m_file) != data.size())
            return fail("writing");
        m_length += static_cast<std::int64_t>(data.size());
        return Status::ok();
    }
    Result<std::int64_t> finish() {
        FILE* file = m_file;
        m_file = nullptr;
        if (std::fclose(file) != 0) {
            Status status = statusFromErrno(errno, "closing " + platform::toUtf8(m_path));
            std::error_code ec;
            fs::remove(m_path, ec);
            return status;
        }
        return m_length;
    }
    ~ExclusiveFile() {
        if (m_file) {  // abandoned half-way: leave no partial value file behind
            std::fclose(m_file);
            std::error_code ec;
            fs::remove(m_path, ec);
        }
    }

private:
    Status fail(const char* what) { return statusFromErrno(errno, std::string(what) + " " + platform::toUtf8(m_path)); }
    FILE* m_file = nullptr;
    fs::path m_path;
    std::int64_t m_length = 0;
};

bool hasParentComponent(std::string_view name) {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = name.size();
        if (name.substr(start, end - start) == "..") return true;
        start = end + 1;
    }
    return false;
}

bool isAbsoluteName(std::string_view name) {
    if (!name.empty() && (name[0] == '/' || name[0] == '\\')) return true;
    return name.size() >= 2 && name[1] == ':';  // a Windows drive letter
}

}  // namespace

std::string Disk::newFilename() const {
    const std::string hex = randomHex32();
    const char sep = static_cast<char>(fs::path::preferred_separator);
    return hex.substr(0, 2) + sep + hex.substr(2, 2) + sep + hex.substr(4) + ".val";
}

Result<fs::path> Disk::resolve(std::string_view filename) const {
    if (filename.empty()) return Status::invalidArgument("empty value file name");
    if (isAbsoluteName(filename) || hasParentComponent(filename) || filename.find('\0') != std::string_view::npos)
        return Status::invalidArgument("value file name points outside the cache: " + std::string(filename));
    fs::path relative;
    std::size_t start = 0;
    while (start < filename.size()) {
        std::size_t end = filename.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = filename.size();
        if (end > start) {
            auto part = platform::fromUtf8(filename.substr(start, end - start));
            if (!part) return part.status();
            relative /= *part;
        }
        start = end + 1;
    }
    const fs::path full = m_directory / relative;
    // A link anywhere along the way may lead out of the directory: compare
    // the real locations.
    std::error_code ec;
    const fs::path realDirectory = fs::weakly_canonical(m_directory, ec);
    const fs::path realFull = ec ? fs::path() : fs::weakly_canonical(full, ec);
    // A file (or its directory) that another process removes while this
    // resolves it is simply gone, as a file that was never there.
    if (ec == std::errc::no_such_file_or_directory) return Status::notFound("value file is gone: " + full.string());
    if (ec) return Status::io("resolving " + full.string() + ": " + ec.message());
    const auto [dirEnd, fullIt] = std::mismatch(realDirectory.begin(), realDirectory.end(), realFull.begin(), realFull.end());
    if (dirEnd != realDirectory.end() || fullIt == realFull.end())
        return Status::invalidArgument("value file resolves outside the cache: " + std::string(filename));
    return full;
}

Result<std::int64_t> Disk::writeBytes(const std::string& filename, std::string_view data) const {
    auto written = [&]() -> Result<std::int64_t> {
        ExclusiveFile file;
        DISKCACHE_TRY(file.create(m_directory / filename));
        DISKCACHE_TRY(file.write(data));
        return file.finish();
    }();
    // A refused write (disk full) has removed its partial file; remove the
    // directories made for it too, so it leaves nothing check() reports.
    if (!written) removeEmptyParents(m_directory / filename);
    return written;
}

Result<std::int64_t> Disk::writeText(const std::string& filename, std::string_view utf8) const {
#ifdef _WIN32
    std::string translated;  // Python's text mode writes "\r\n" for "\n" on Windows
    translated.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\n') translated += '\r';
        translated += c;
    }
    return writeBytes(filename, translated);
#else
    return writeBytes(filename, utf8);
#endif
}

Result<std::int64_t> Disk::writeStream(const std::string& filename, std::istream& in) const {
    auto written = [&]() -> Result<std::int64_t> {
        ExclusiveFile file;
        DISKCACHE_TRY(file.create(m_directory / filename));
        std::array<char, 1 << 16> buffer{};
        while (in) {
            in.read(buffer.data(), buffer.size());
            DISKCACHE_TRY(file.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount()))));
        }
        if (in.bad()) return Status::io("reading the value stream for " + filename);
        return file.finish();
    }();
    if (!written) removeEmptyParents(m_directory / filename);  // as writeBytes
    return written;
}

Result<std::string> Disk::readBytes(std::string_view filename, std::size_t maxBytes) const {
    auto path = resolve(filename);
    if (!path) return path.status();
    std::error_code ec;
    const auto status = fs::status(*path, ec);
    if (ec || !fs::exists(status)) return Status::notFound("value file not found: " + path->string());
    if (!fs::is_regular_file(status)) return Status::invalidArgument("value file is not a regular file: " + path->string());
    std::ifstream in(*path, std::ios::binary);
    if (!in) return statusFromErrno(errno, "opening " + path->string());
    std::string data;
    if (maxBytes == SIZE_MAX) {
        data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
        data.resize(maxBytes);
        in.read(data.data(), static_cast<std::streamsize>(maxBytes));
        data.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) return Status::io("reading " + path->string());
    return data;
}

Result<std::string> Disk::readText(std::string_view filename) const {
    auto raw = readBytes(filename);
    if (!raw) return raw;
    std::string& data = raw.value();
    std::string text;
    text.reserve(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] == '\r') {
            text += '\n';
            if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
        } else {
            text += data[i];
        }
    }
    return text;
}

Result<std::int64_t> Disk::fileSize(std::string_view filename) const {
    auto path = resolve(filename);
    if (!path) return path.status();
    std::error_code ec;
    const auto size = fs::file_size(*path, ec);
    if (ec) return ec == std::errc::no_such_file_or_directory ? Status::notFound("value file not found: " + path->string())
                                                              : Status::io(path->string() + ": " + ec.message());
    return static_cast<std::int64_t>(size);
}

void Disk::remove(std::string_view filename) const {
    auto path = resolve(filename);
    if (!path) return;
    std::error_code ec;
    // The library only ever makes regular files. A row naming a FIFO or a
    // device node (a hostile cache) loses its row, never that file: check()
    // reports it, and only removes it as an unknown file, as Python's does.
    // A link is removed itself (never its target).
    const auto type = fs::symlink_status(*path, ec).type();
    if (type != fs::file_type::regular && type != fs::file_type::symlink && type != fs::file_type::not_found) return;
    fs::remove(*path, ec);
    removeEmptyParents(*path);
}

void Disk::removeEmptyParents(const fs::path& file) const {
    // Like os.removedirs: climb while the directories are empty, stopping at
    // the cache directory.
    std::error_code ec;
    fs::path dir = file.parent_path();
    const fs::path top = m_directory.lexically_normal();
    while (!dir.empty() && dir.lexically_normal() != top && dir.lexically_normal().string().size() > top.string().size()) {
        if (!fs::remove(dir, ec) || ec) break;
        dir = dir.parent_path();
    }
}

namespace {

Status walkTreeFrom(const fs::path& root, const std::function<void(const fs::path&, bool, int)>& visit, int depth) {
    std::error_code ec;
    fs::directory_iterator it(root, ec);
    if (ec) {
        if (depth > 0 && ec == std::errc::no_such_file_or_directory) return Status::ok();
        return Status::io("reading " + platform::toUtf8(root) + ": " + ec.message());
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::error_code typeError;
        const bool isDirectory = it->symlink_status(typeError).type() == fs::file_type::directory;
        if (typeError) continue;  // gone already
        visit(it->path(), isDirectory, depth);
        if (isDirectory) DISKCACHE_TRY(walkTreeFrom(it->path(), visit, depth + 1));
    }
    if (ec && ec != std::errc::no_such_file_or_directory) return Status::io("reading " + platform::toUtf8(root) + ": " + ec.message());
    return Status::ok();
}

}  // namespace

Status walkTree(const fs::path& root, const std::function<void(const fs::path&, bool, int)>& visit) {
    return walkTreeFrom(root, visit, 0);
}

}  // namespace diskcache

// Cache::check: what Python's check() looks for (FORMAT.md, "Maintenance"),
// as typed findings, plus rows whose filename is unsafe. Without fix it only
// reads, in one read transaction, and never takes the write lock.
#include <algorithm>
#include <functional>
#include <set>
#include <system_error>
#include <thread>

#include "cache_impl.h"
#include "platform.h"

namespace fs = std::filesystem;

namespace diskcache {

Result<std::vector<FileRow>> rowsWithFiles(sql::Connection& db) {
    auto q = db.prepare("SELECT rowid, size, filename FROM Cache WHERE filename IS NOT NULL");
    if (!q) return q.status();
    std::vector<FileRow> rows;
    for (auto row = q->step();; row = q->step()) {
        if (!row) return row.status();
        if (!*row) break;
        rows.push_back({q->columnInt(0), q->columnInt(1), q->columnText(2)});
    }
    return rows;
}

const char* findingKindName(Finding::Kind kind) {
    switch (kind) {
    case Finding::Kind::Integrity: return "integrity";
    case Finding::Kind::FileNotFound: return "file-not-found";
    case Finding::Kind::WrongFileSize: return "wrong-file-size";
    case Finding::Kind::UnknownFile: return "unknown-file";
    case Finding::Kind::EmptyDirectory: return "empty-directory";
    case Finding::Kind::CountMismatch: return "count-mismatch";
    case Finding::Kind::SizeMismatch: return "size-mismatch";
    case Finding::Kind::UnsafeFilename: return "unsafe-filename";
    }
    return "unknown";
}

namespace {

Result<std::vector<std::string>> integrityMessages(sql::Connection& db) {
    auto q = db.prepare("PRAGMA integrity_check");
    if (!q) return q.status();
    std::vector<std::string> messages;
    for (auto row = q->step(); ; row = q->step()) {
        if (!row) return row.status();
        if (!*row) break;
        messages.push_back(q->columnText(0));
    }
    return messages;
}

// A second handle on the cache's database that never writes, for
// PRAGMA integrity_check to run on while the first walks the rows and the
// files; nullptr when there is none to be had (then check() runs the two
// one after the other).
std::unique_ptr<sql::Connection> openIntegrityReader(const Cache::Impl& d) {
    const std::string path = platform::toUtf8(d.m_directory / "cache.db");
    auto db = sql::Connection::open(path, sql::OpenFlags::ReadWrite, std::chrono::duration<double>(d.m_timeout));
    if (!db || !sql::makeReader(**db, path)) return nullptr;
    return std::move(*db);
}

struct Checker {
    Cache::Impl& d;
    bool fix;
    const ProgressFn& progress;
    CheckReport report;
    std::set<fs::path> knownFiles;

    void add(Finding::Kind kind, std::string path, std::string detail) {
        report.findings.push_back({kind, std::move(path), std::move(detail)});
    }

    Status integrity() {
        auto messages = integrityMessages(*d.m_db);
        if (!messages) return messages.status();
        addIntegrity(*messages);
        return Status::ok();
    }

    // Python's report: nothing for a lone "ok", otherwise every line.
    void addIntegrity(const std::vector<std::string>& messages) {
        if (messages.size() == 1 && messages[0] == "ok") return;
        std::vector<Finding> found;
        for (const auto& message : messages) found.push_back({Finding::Kind::Integrity, platform::toUtf8(d.m_directory / "cache.db"), message});
        report.findings.insert(report.findings.begin(), found.begin(), found.end());  // first, as check() lists them
    }

    // Rows that name a value file, against the file system.
    Status files() {
        auto rows = rowsWithFiles(*d.m_db);
        if (!rows) return rows.status();
        std::int64_t done = 0;
        for (const auto& row : *rows) {
            DISKCACHE_TRY(checkRow(row.rowid, row.size, row.filename));
            if (progress && ++done % 1000 == 0 && !progress(done)) return Status::cancelled();
        }
        return Status::ok();
    }

    Status checkRow(std::int64_t rowid, std::int64_t size, const std::string& filename) {
        auto path = d.m_disk.resolve(filename);
        // NotFound: another process removed the file while it was resolved;
        // the row changed under the walk and is not this walk's to judge.
        if (!path && path.status().code() == StatusCode::NotFound) return Status::ok();
        if (!path) {
            // Never read or delete what an unsafe name points at; fixing
            // drops the row only.
            add(Finding::Kind::UnsafeFilename, filename, "unsafe filename: " + path.status().message());
            return fix ? d.deleteRow(rowid) : Status::ok();
        }
        knownFiles.insert(path->lexically_normal());
        std::error_code ec;
        const auto status = fs::symlink_status(*path, ec);
        if (fs::is_regular_file(status)) {
            const auto real = static_cast<std::int64_t>(fs::file_size(*path, ec));
            if (!ec && real != size) {
                add(Finding::Kind::WrongFileSize, platform::toUtf8(*path),
                    "wrong file size: " + platform::toUtf8(*path) + ", " + std::to_string(real) + " != " + std::to_string(size));
                if (fix) {
                    auto q = d.m_db->prepare("UPDATE Cache SET size = ? WHERE rowid = ?");
                    if (!q) return q.status();
                    q->bindInt(1, real).bindInt(2, rowid);
                    DISKCACHE_TRY(q->run());
                }
            }
            return Status::ok();
        }
        add(Finding::Kind::FileNotFound, platform::toUtf8(*path), "file not found: " + platform::toUtf8(*path));
        return fix ? d.deleteRow(rowid) : Status::ok();
    }

    static bool isDatabaseFile(const fs::path& path) {
        return path.filename().string().rfind("cache.db", 0) == 0;
    }

    // Files no row names. Links are reported, never followed.
    Status unknownFiles() {
        std::vector<fs::path> unknown;
        DISKCACHE_TRY(walkTree(d.m_directory, [&](const fs::path& path, bool isDirectory, int depth) {
            if (isDirectory || (depth == 0 && isDatabaseFile(path))) return;
            if (!knownFiles.count(path.lexically_normal())) unknown.push_back(path.lexically_normal());
        }));
        std::sort(unknown.begin(), unknown.end());
        std::error_code ec;
        for (const auto& path : unknown) {
            add(Finding::Kind::UnknownFile, platform::toUtf8(path), "unknown file: " + platform::toUtf8(path));
            if (fix) fs::remove(path, ec);
        }
        return Status::ok();
    }

    // Directories with nothing in them. When fixing, also the parents that
    // removing them empties (Python's own fix leaves those for next time).
    Status emptyDirectories() {
        std::vector<fs::path> dirs;
        DISKCACHE_TRY(walkTree(d.m_directory, [&](const fs::path& path, bool isDirectory, int) {
            if (isDirectory) dirs.push_back(path);
        }));
        std::sort(dirs.begin(), dirs.end());
        std::error_code ec;
        for (const auto& dir : dirs) {
            if (fs::is_empty(dir, ec) && !ec) add(Finding::Kind::EmptyDirectory, platform::toUtf8(dir), "empty directory: " + platform::toUtf8(dir));
        }
        if (!fix) return Status::ok();
        for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {  // deepest first
            if (fs::is_empty(*it, ec) && !ec) fs::remove(*it, ec);
        }
        return Status::ok();
    }

    Status metadata(const char* name, const char* actualSql, Finding::Kind kind, const char* label) {
        auto stored = d.m_db->scalar(std::string("SELECT value FROM Settings WHERE key = '") + name + "'");
        if (!stored) return stored.status();
        auto actual = d.m_db->scalar(actualSql);
        if (!actual) return actual.status();
        if (stored->kind() == ValueKind::Int && stored->asInt() == actual->asInt()) return Status::ok();
        const std::string storedText = stored->kind() == ValueKind::Int ? std::to_string(stored->asInt()) : "?";
        add(kind, platform::toUtf8(d.m_directory / "cache.db"),
            std::string(label) + "; " + storedText + " != " + std::to_string(actual->asInt()));
        if (!fix) return Status::ok();
        auto q = d.m_db->prepare("UPDATE Settings SET value = ? WHERE key = ?");
        if (!q) return q.status();
        q->bindInt(1, actual->asInt()).bindText(2, name);
        return q->run();
    }

    Status tables() {
        DISKCACHE_TRY(files());
        DISKCACHE_TRY(unknownFiles());
        DISKCACHE_TRY(emptyDirectories());
        DISKCACHE_TRY(metadata("count", "SELECT COUNT(key) FROM Cache", Finding::Kind::CountMismatch,
                               "Settings.count != COUNT(Cache.key)"));
        return metadata("size", "SELECT COALESCE(SUM(size), 0) FROM Cache", Finding::Kind::SizeMismatch,
                        "Settings.size != SUM(Cache.size)");
    }
};

}  // namespace

Result<CheckReport> Cache::check(bool fix, const ProgressFn& progress) {
    Impl& d = *m_impl;
    if (fix) DISKCACHE_TRY(d.requireWritable());
    std::lock_guard lock(d.m_mutex);
    Checker checker{d, fix, progress, {}, {}};
    if (fix) {
        DISKCACHE_TRY(checker.integrity());
        DISKCACHE_TRY(d.m_db->exec("VACUUM"));
        Transaction txn(d);
        DISKCACHE_TRY(txn.begin());
        DISKCACHE_TRY(checker.tables());
        DISKCACHE_TRY(txn.commit());
        checker.report.fixed = true;
        return std::move(checker.report);
    }
    // Without fix nothing is written and no write lock is taken: the rows
    // and files are read in one read transaction while, where a second
    // handle opens, PRAGMA integrity_check (most of the time on a large
    // cache) runs on it in another thread.
    std::unique_ptr<sql::Connection> second = openIntegrityReader(d);
    Result<std::vector<std::string>> integrity = std::vector<std::string>{};
    std::thread integrityThread;
    if (second) {
        integrityThread = std::thread([&] { integrity = integrityMessages(*second); });
    } else {
        integrity = integrityMessages(*d.m_db);
    }
    Status status = d.m_db->exec("BEGIN DEFERRED");  // one snapshot for every query
    if (status) {
        status = checker.tables();
        (void)d.m_db->exec("COMMIT");
    }
    if (integrityThread.joinable()) {
        if (!status) second->interrupt();  // cancelled or failed: no need to wait for the whole pass
        integrityThread.join();
    }
    DISKCACHE_TRY(status);
    // The second handle opens as a writer that never writes; where the
    // directory or file system is read-only it opens but cannot read (no
    // -shm to be made). The cache's own handle was opened for such places.
    if (second && !integrity) integrity = integrityMessages(*d.m_db);
    if (!integrity) return integrity.status();
    checker.addIntegrity(*integrity);
    checker.report.fixed = false;
    return std::move(checker.report);
}

}  // namespace diskcache

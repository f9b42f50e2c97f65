// Cache::check: what Python's check() looks for (FORMAT.md, "Maintenance"),
// as typed findings, plus rows whose filename is unsafe. Without fix it only
// reads, in one read transaction, and never takes the write lock.
#include <algorithm>
#include <functional>
#include <set>
#include <system_error>

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
        auto q = d.m_db->prepare("PRAGMA integrity_check");
        if (!q) return q.status();
        std::vector<std::string> messages;
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            messages.push_back(q->columnText(0));
        }
        if (messages.size() == 1 && messages[0] == "ok") return Status::ok();
        for (auto& message : messages) add(Finding::Kind::Integrity, platform::toUtf8(d.m_directory / "cache.db"), message);
        return Status::ok();
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
    DISKCACHE_TRY(checker.integrity());
    if (fix) DISKCACHE_TRY(d.m_db->exec("VACUUM"));
    if (fix) {
        Transaction txn(d);
        DISKCACHE_TRY(txn.begin());
        DISKCACHE_TRY(checker.tables());
        DISKCACHE_TRY(txn.commit());
    } else {
        // One snapshot for every query; a read takes no write lock.
        DISKCACHE_TRY(d.m_db->exec("BEGIN DEFERRED"));
        Status status = checker.tables();
        (void)d.m_db->exec("COMMIT");
        DISKCACHE_TRY(status);
    }
    checker.report.fixed = fix;
    return std::move(checker.report);
}

}  // namespace diskcache

// A corpus of bad cache.db files (issue 9, "Bad and hostile input"): each
// goes through inspect::open + summary + list + readValue, Cache::open
// read-only (count, keys, check) and read-write, and cachescope-cli
// info/ls/check --json. Each answer is a clear error or a view of what can
// be read; nothing crashes or hangs, and no inspection writes a byte (every
// file of the directory is compared before and after).
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <diskcache/cache.h>
#include <diskcache/inspect.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;
using testsupport::toPath;

namespace {

using CliRun = testsupport::ProcessResult;
using testsupport::runCli;

// Every entry below `root` with its type and, for regular files, its bytes.
// Special files are never opened (a FIFO would block).
std::map<std::string, std::string> tree(const fs::path& root) {
    std::map<std::string, std::string> result;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = fs::relative(it->path(), root).string();
        const auto status = it->symlink_status();
        if (fs::is_regular_file(status)) {
            std::ifstream in(it->path(), std::ios::binary);
            result[name] = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        } else {
            result[name] = "<type " + std::to_string(static_cast<int>(status.type())) + ">";
        }
    }
    return result;
}

bool exec(const fs::path& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    bool ok = sqlite3_open(db.string().c_str(), &handle) == SQLITE_OK;
    char* error = nullptr;
    ok = ok && sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
    if (error) qWarning() << "corpus SQL failed:" << error << sql.c_str();
    sqlite3_free(error);
    sqlite3_close(handle);
    return ok;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }

std::string randomBytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
}

// Rebuilds table `table` of `db` with `columns` (an SQL column list), keeping
// the rows' values for the columns both have.
std::string rebuild(const std::string& table, const std::string& columns, const std::string& copied) {
    return "PRAGMA legacy_alter_table=ON; ALTER TABLE " + table + " RENAME TO old_" + table + "; CREATE TABLE " + table + " (" +
           columns + "); INSERT INTO " + table + " (" + copied + ") SELECT " + copied + " FROM old_" + table + "; DROP TABLE old_" +
           table + ";";
}

const char* kCacheColumnsWithout_filename =
    "rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER, store_time REAL, expire_time REAL, access_time REAL, "
    "access_count INTEGER DEFAULT 0, tag BLOB, size INTEGER DEFAULT 0, mode INTEGER DEFAULT 0, value BLOB";
const char* kCopiedWithout_filename = "rowid, key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, value";

using Damage = std::function<bool(const fs::path& dir)>;

struct Case {
    const char* name;
    Damage damage;
};

bool setting(const fs::path& dir, const std::string& key, const std::string& sqlValue) {
    return exec(dir / "cache.db", "UPDATE Settings SET value = " + sqlValue + " WHERE key = '" + key + "'");
}

std::vector<Case> corpus() {
    auto db = [](const fs::path& dir) { return dir / "cache.db"; };
    return {
        {"zero length", [=](auto d) { writeFile(db(d), ""); return true; }},
        {"truncated to 50 bytes (half a header)", [=](auto d) { fs::resize_file(db(d), 50); return true; }},
        {"truncated to the first page", [=](auto d) { fs::resize_file(db(d), 4096); return true; }},
        {"truncated by half", [=](auto d) { fs::resize_file(db(d), fs::file_size(db(d)) / 2); return true; }},
        {"random bytes", [=](auto d) { writeFile(db(d), randomBytes(16384, 1)); return true; }},
        {"a valid header, then random pages", [=](auto d) {
             std::string bytes = readFile(db(d));
             const std::string noise = randomBytes(bytes.size() - 100, 2);
             bytes.replace(100, noise.size(), noise);
             writeFile(db(d), bytes);
             return true;
         }},
        {"every page after the first overwritten", [=](auto d) {
             std::string bytes = readFile(db(d));
             for (std::size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5);
             writeFile(db(d), bytes);
             return true;
         }},
        {"bytes flipped through the file", [=](auto d) {
             std::string bytes = readFile(db(d));
             for (std::size_t i = 200; i < bytes.size(); i += 397) bytes[i] = static_cast<char>(~bytes[i]);
             writeFile(db(d), bytes);
             return true;
         }},
        {"garbage -wal beside a good database", [=](auto d) { writeFile(d / "cache.db-wal", randomBytes(40000, 3)); return true; }},
        {"a valid SQLite file with another schema", [=](auto d) {
             fs::remove(db(d));
             return exec(db(d), "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')");
         }},
        {"an empty SQLite file", [=](auto d) { fs::remove(db(d)); return exec(db(d), "PRAGMA user_version = 1"); }},
        {"no Settings table", [=](auto d) { return exec(db(d), "DROP TABLE Settings"); }},
        {"no Cache table", [=](auto d) { return exec(db(d), "DROP TABLE Cache"); }},
        {"Cache without its filename column", [=](auto d) {
             return exec(db(d), rebuild("Cache", kCacheColumnsWithout_filename, kCopiedWithout_filename));
         }},
        {"Cache with an extra column", [=](auto d) { return exec(db(d), "ALTER TABLE Cache ADD COLUMN extra TEXT DEFAULT 'x'"); }},
        {"Cache columns of other types", [=](auto d) {
             return exec(db(d), rebuild("Cache",
                                        "rowid INTEGER PRIMARY KEY, key TEXT, raw TEXT, store_time TEXT, expire_time TEXT, access_time TEXT, "
                                        "access_count TEXT, tag TEXT, size TEXT, mode TEXT, filename BLOB, value TEXT",
                                        "rowid, key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value"));
         }},
        {"Settings without its value column", [=](auto d) { return exec(db(d), rebuild("Settings", "key TEXT NOT NULL UNIQUE", "key")); }},
        {"Settings with an extra column", [=](auto d) { return exec(db(d), "ALTER TABLE Settings ADD COLUMN note TEXT"); }},
        {"no triggers", [=](auto d) {
             return exec(db(d), "DROP TRIGGER Settings_count_insert; DROP TRIGGER Settings_count_delete; DROP TRIGGER Settings_size_insert; "
                                "DROP TRIGGER Settings_size_update; DROP TRIGGER Settings_size_delete");
         }},
        {"an extra trigger that would wipe the cache on any write", [=](auto d) {
             return exec(db(d), "CREATE TRIGGER evil AFTER UPDATE ON Cache BEGIN DELETE FROM Cache; DELETE FROM Settings; END;"
                                "CREATE TRIGGER evil2 AFTER UPDATE ON Settings BEGIN DELETE FROM Cache; END");
         }},
        {"a view named Cache", [=](auto d) {
             return exec(db(d), "ALTER TABLE Cache RENAME TO Real; CREATE VIEW Cache AS SELECT * FROM Real");
         }},
        {"no indexes", [=](auto d) {
             return exec(db(d), "DROP INDEX Cache_key_raw; DROP INDEX IF EXISTS Cache_expire_time; DROP INDEX IF EXISTS Cache_store_time");
         }},
        {"an older diskcache schema (Cache.version, large_value_threshold)", [=](auto d) {
             // The layout of an early diskcache (a `version` column in Cache,
             // the `large_value_threshold` setting, text pragma values), as a
             // public copy of its core.py creates it.
             fs::remove(db(d));
             return exec(db(d),
                         "PRAGMA journal_mode = WAL;"
                         "CREATE TABLE Settings (key TEXT NOT NULL UNIQUE, value);"
                         "INSERT INTO Settings VALUES ('statistics', 0), ('eviction_policy', 'least-recently-stored'),"
                         " ('size_limit', 1073741824), ('cull_limit', 10), ('large_value_threshold', 1024),"
                         " ('sqlite_synchronous', 'NORMAL'), ('sqlite_journal_mode', 'WAL'), ('sqlite_cache_size', 8192),"
                         " ('sqlite_mmap_size', 67108864), ('count', 2), ('size', 5), ('hits', 0), ('misses', 0);"
                         "CREATE TABLE Cache (rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER, version INTEGER DEFAULT 0,"
                         " store_time REAL, expire_time REAL, access_time REAL, access_count INTEGER DEFAULT 0, tag BLOB,"
                         " size INTEGER DEFAULT 0, mode INTEGER DEFAULT 0, filename TEXT, value BLOB);"
                         "CREATE UNIQUE INDEX Cache_key_raw ON Cache(key, raw);"
                         "CREATE INDEX Cache_expire_time ON Cache (expire_time);"
                         "CREATE INDEX Cache_store_time ON Cache (store_time);"
                         "INSERT INTO Cache (key, raw, store_time, access_time, size, mode, value) VALUES"
                         " ('old', 1, 1500000000.0, 1500000000.0, 0, 1, 'value'), (X'6279', 1, 1500000001.0, 1500000001.0, 5, 1, X'0102030405')");
         }},
        {"hostile settings: negative size_limit, unknown policy", [=](auto d) {
             return setting(d, "size_limit", "-5") && setting(d, "eviction_policy", "'drop-everything'") && setting(d, "cull_limit", "-1");
         }},
        {"hostile settings: huge numbers", [=](auto d) {
             return setting(d, "size_limit", "9223372036854775807") && setting(d, "sqlite_mmap_size", "1e300") &&
                    setting(d, "sqlite_cache_size", "-9223372036854775808") && setting(d, "disk_min_file_size", "9.9e99") &&
                    setting(d, "count", "9223372036854775807") && setting(d, "size", "-9223372036854775808");
         }},
        {"hostile settings: text where numbers belong", [=](auto d) {
             return setting(d, "size_limit", "'lots'") && setting(d, "statistics", "'yes'") && setting(d, "tag_index", "X'00ff'") &&
                    setting(d, "count", "'many'") && setting(d, "size", "NULL") && setting(d, "disk_pickle_protocol", "'five'") &&
                    setting(d, "sqlite_journal_mode", "'delete; DROP TABLE Cache'") && setting(d, "sqlite_mmap_size", "'0; PRAGMA x'");
         }},
        {"hostile settings: rows missing", [=](auto d) {
             return exec(db(d), "DELETE FROM Settings WHERE key IN ('count', 'size', 'eviction_policy', 'size_limit')");
         }},
        {"hostile rows: impossible mode, raw, size and times", [=](auto d) {
             return exec(db(d),
                         "INSERT INTO Cache (key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value) VALUES"
                         " ('m99', 1, 'yesterday', X'00', NULL, 'often', 3.5, -7, 99, NULL, NULL),"
                         " ('raw7', 7, 1e308, -1e308, 0, -1, NULL, 9223372036854775807, 4, NULL, X'80ffff'),"
                         " (NULL, 1, 0, NULL, 0, 0, NULL, 0, 1, NULL, 1),"
                         " ('rawfile', 1, 0, NULL, 0, 0, NULL, 10, 2, NULL, NULL),"
                         " ('dirfile', 1, 0, NULL, 0, 0, NULL, 10, 2, 'ab', NULL),"
                         " ('emptyname', 1, 0, NULL, 0, 0, NULL, 10, 3, '', NULL),"
                         " (X'80049500', 0, 0, NULL, 0, 0, X'8004', 0, 4, NULL, X'8004')");
         }},
        {"cache.db is a directory", [=](auto d) { fs::remove(db(d)); fs::create_directory(db(d)); return true; }},
        {"cache.db is a FIFO", [=](auto d) { fs::remove(db(d)); return ::mkfifo(db(d).c_str(), 0600) == 0; }},
        {"cache.db is a link to /dev/zero", [=](auto d) { fs::remove(db(d)); fs::create_symlink("/dev/zero", db(d)); return true; }},
        {"cache.db is a dangling link", [=](auto d) { fs::remove(db(d)); fs::create_symlink(d / "nowhere", db(d)); return true; }},
    };
}

}  // namespace

class TestReliabilityCorrupt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void badDatabase_data();
    void badDatabase();
    void walWithoutShmIsReadAndLeftAsFound();
    void walWithoutShmKeepsTheShmOfALaterOpener();
    void cleanupTestCase();

private:
    QTemporaryDir m_template;  // a healthy cache every case starts from
    int m_tried = 0;
    int m_refused = 0;   // inspect::open said what is wrong
    int m_degraded = 0;  // inspect::open gave a view
};

void TestReliabilityCorrupt::initTestCase() {
    auto cache = Cache::open(toPath(m_template.path()));
    QVERIFY(cache.isOk());
    for (int i = 0; i < 30; ++i) QVERIFY((*cache)->set(Value::text("key" + std::to_string(i)), Value::integer(i)).isOk());
    QVERIFY((*cache)->set(Value::bytes("file"), Value::bytes(std::string(50000, 'v')), {.tag = Value::text("t")}).isOk());
    QVERIFY((*cache)->set(Value::pickle(std::string("\x80\x04\x95\x04\x00\x00\x00\x00\x00\x00\x00K\x01K\x02\x86\x94.", 17)),
                          Value::text("tuple key")).isOk());
}

void TestReliabilityCorrupt::cleanupTestCase() {
    qInfo().noquote() << QStringLiteral("corrupt cache.db corpus: %1 inputs tried through the Inspector, Cache::open and "
                                        "cachescope-cli info/ls/check; %2 refused with an error, %3 opened with a degraded view; "
                                        "no crash, no write")
                             .arg(m_tried).arg(m_refused).arg(m_degraded);
}

void TestReliabilityCorrupt::badDatabase_data() {
    QTest::addColumn<int>("index");
    const auto cases = corpus();
    for (std::size_t i = 0; i < cases.size(); ++i) QTest::newRow(cases[i].name) << static_cast<int>(i);
}

void TestReliabilityCorrupt::badDatabase() {
    QFETCH(int, index);
    const Case c = corpus()[static_cast<std::size_t>(index)];
    QTemporaryDir dir;
    const fs::path root = toPath(dir.path());
    fs::copy(toPath(m_template.path()), root, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    QVERIFY2(c.damage(root), "could not make the damaged cache");
    ++m_tried;
    const auto before = tree(root);

    // The Inspector: an error that says what is wrong, or a view whose parts
    // each answer or fail cleanly.
    auto inspector = inspect::open(root);
    if (!inspector) {
        ++m_refused;
        QVERIFY(!inspector.status().message().empty());
        qInfo().noquote() << "  inspect::open:" << inspector.status().toString().c_str();
    } else {
        ++m_degraded;
        auto summary = (*inspector)->summary();
        qInfo().noquote() << "  inspect::open ok; summary:" << (summary ? "ok" : summary.status().toString().c_str());
        PageRequest request{.limit = 7};
        for (int pages = 0; pages < 20; ++pages) {
            auto page = (*inspector)->list(request);
            if (!page) {
                QVERIFY(!page.status().message().empty());
                break;
            }
            for (const auto& entry : page->entries) {
                (void)(*inspector)->readValue(entry);
                (void)(*inspector)->readStoredBytes(entry);
                (void)inspect::pythonRepr(entry.key, 200);
                (void)(*inspector)->find(entry.key);
            }
            if (page->next.empty()) break;
            request.after = page->next;
        }
        for (auto sort : {SortColumn::Size, SortColumn::ExpireTime, SortColumn::Tag, SortColumn::AccessCount})
            (void)(*inspector)->list({.sort = sort, .descending = true, .limit = 5});
        (void)(*inspector)->count({.keyPrefix = std::string("key")});
        (void)(*inspector)->estimateCull();
        inspector.value().reset();
    }

    // The engine, read-only.
    {
        auto cache = Cache::open(root, {.readOnly = true, .timeout = 1});
        if (cache) {
            (void)(*cache)->count();
            (void)(*cache)->volume();
            (void)(*cache)->forEachKey(Cache::KeyOrder::Key, [&](const Value& key) {
                (void)(*cache)->get(key);
                return true;
            });
            auto report = (*cache)->check(false);
            if (!report) QVERIFY(!report.status().message().empty());
            (void)(*cache)->settingRows();
        } else {
            QVERIFY(!cache.status().message().empty());
        }
    }

    // cachescope-cli: an exit status and either JSON or a message.
    for (const char* command : {"info", "ls", "check"}) {
        const CliRun run = runCli({"--json", command, dir.path()});
        QVERIFY2(run.exitCode >= 0, qPrintable(QStringLiteral("cachescope-cli %1 crashed or hung: %2").arg(command, run.err)));
        if (run.exitCode == 0) QVERIFY2(!QJsonDocument::fromJson(run.out).isNull(), run.out.constData());
        else QVERIFY2(!run.err.trimmed().isEmpty(), qPrintable(QStringLiteral("cachescope-cli %1 failed silently").arg(command)));
    }
    QVERIFY2(tree(root) == before, "inspection wrote to the damaged cache");

    // Opening to write may upgrade a cache it understands (as Python does),
    // but one it refuses must be left exactly as it was.
    auto writable = Cache::open(root, {.timeout = 1});
    if (!writable) {
        QVERIFY(!writable.status().message().empty());
        QVERIFY2(tree(root) == before, "a refused Cache::open wrote to the damaged cache");
    } else {
        (void)(*writable)->check(false);
    }
}

namespace {

// A cache whose 50 rows were committed only to its -wal by a Python writer
// that died, and whose -shm is gone (a copy, a clean-up script): nobody has
// it open. Empty path on failure.
fs::path makeWalWithoutShm(const QTemporaryDir& dir) {
    const fs::path root = toPath(dir.path()) / "crashed";
    const auto made = testsupport::runPython(QStringLiteral("wal_leftover.py"),
                                             {QStringLiteral("make"), testsupport::toQString(root), QStringLiteral("50")});
    if (made.exitCode != 0 || !fs::exists(root / "cache.db-wal")) {
        qWarning().noquote() << "wal_leftover.py make failed:" << made.err;
        return {};
    }
    fs::remove(root / "cache.db-shm");
    return root;
}

QString names(const std::map<std::string, std::string>& files) {
    QStringList list;
    for (const auto& [name, bytes] : files) list << QString::fromStdString(name);
    return list.join(QStringLiteral(", "));
}

}  // namespace

// SQLite makes a -shm to read the WAL; the inspector must take it away
// again, and leave the -wal (whose commits only it holds) byte for byte.
void TestReliabilityCorrupt::walWithoutShmIsReadAndLeftAsFound() {
    QTemporaryDir dir;
    const fs::path root = makeWalWithoutShm(dir);
    QVERIFY(!root.empty());
    const auto before = tree(root);
    {
        auto inspector = inspect::open(root);
        QVERIFY2(inspector.isOk(), inspector.status().toString().c_str());
        auto page = (*inspector)->list({.limit = 100});
        QVERIFY2(page.isOk(), page.status().toString().c_str());
        QCOMPARE(page->total, 50);  // the rows that live only in the WAL
        QCOMPARE(page->entries.size(), std::size_t(50));
        auto cache = Cache::open(root, {.readOnly = true, .timeout = 1});
        QVERIFY2(cache.isOk(), cache.status().toString().c_str());
        QCOMPARE((*cache)->count().value(), 50);
    }
    const CliRun run = runCli({"--json", "info", testsupport::toQString(root)});
    QCOMPARE(run.exitCode, 0);
    const auto after = tree(root);
    QVERIFY2(after == before, qPrintable(QStringLiteral("before: %1; after: %2").arg(names(before), names(after))));
}

// If another process opens the cache while the inspector reads it, the -shm
// is that process's too: closing the inspector must leave it in place.
void TestReliabilityCorrupt::walWithoutShmKeepsTheShmOfALaterOpener() {
    QTemporaryDir dir;
    const fs::path root = makeWalWithoutShm(dir);
    QVERIFY(!root.empty());
    auto inspector = inspect::open(root);
    QVERIFY2(inspector.isOk(), inspector.status().toString().c_str());
    QCOMPARE((*inspector)->count({}).value(), 50);

    QProcess python;
    python.start(QStringLiteral(CACHESCOPE_PYTHON),
                 {QStringLiteral(CACHESCOPE_TEST_SCRIPTS "/wal_leftover.py"), QStringLiteral("hold"), testsupport::toQString(root)});
    QVERIFY(python.waitForStarted(30000));
    QTRY_VERIFY_WITH_TIMEOUT(python.canReadLine(), 60000);
    QCOMPARE(python.readLine().trimmed(), QByteArray("50"));

    inspector.value().reset();
    QVERIFY2(fs::exists(root / "cache.db-shm"), "the inspector removed a -shm that a live Python process uses");

    python.write("\n");
    QVERIFY(python.waitForFinished(60000));
    QCOMPARE(python.exitCode(), 0);
    QCOMPARE(python.readAll().trimmed(), QByteArray("50 []"));  // len() and check() with its -shm intact
}

QTEST_GUILESS_MAIN(TestReliabilityCorrupt)
#include "tst_reliability_corrupt.moc"

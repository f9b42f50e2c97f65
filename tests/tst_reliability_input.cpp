// Hostile input (issue 9): `filename` values that lead outside the cache or
// name a FIFO or a device, and keys and tags of every kind of text.
//
// Filenames: tst_cache covers absolute, "..", and a link out, for get,
// check and clear. This adds FIFOs and devices (inside and outside the
// cache), Windows separators, a NUL, and every removal path (delete, evict,
// cull, clear, check --fix, through the engine and the CLI), with bait files
// planted outside that must survive, and reads that must never block.
//
// Keys and tags: empty, NUL inside, invalid UTF-8 in bytes, pickled lone
// surrogates, 1 MB long: round trips in C++, both ways with Python, and the
// Inspector's listing and filters.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <diskcache/cache.h>
#include <diskcache/inspect.h>
#include <sqlite3.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;
using testsupport::toPath;

namespace {

using CliRun = testsupport::ProcessResult;
using testsupport::runCli;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A row that names `filename` for a value file, inserted behind the engine's back.
bool insertRow(const fs::path& root, const std::string& key, const std::string& filenameSql, int mode) {
    sqlite3* db = nullptr;
    bool ok = sqlite3_open((root / "cache.db").string().c_str(), &db) == SQLITE_OK;
    const std::string sql = "INSERT INTO Cache(key, raw, store_time, access_time, size, mode, tag, filename) VALUES ('" + key +
                            "', 1, 1, 1, 8, " + std::to_string(mode) + ", 'bad', " + filenameSql + ")";
    ok = ok && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

std::string sqlText(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

Value fromJson(const QJsonValue& json) {
    if (json.isNull()) return Value::none();
    const QJsonObject o = json.toObject();
    const std::string data = QByteArray::fromHex(o["hex"].toString().toLatin1()).toStdString();
    const QString type = o["type"].toString();
    if (type == "str") return Value::text(data);
    if (type == "bytes") return Value::bytes(data);
    return Value::pickle(data);
}

struct KeyCase {
    Value key;
    Value tag;
    std::int64_t value = 0;
};

std::vector<KeyCase> keyCases(const QJsonDocument& listing) {
    std::vector<KeyCase> cases;
    for (const auto& row : listing.array()) {
        const QJsonObject o = row.toObject();
        cases.push_back({fromJson(o["key"]), fromJson(o["tag"]), o["value"].toInteger()});
    }
    return cases;
}

}  // namespace

class TestReliabilityInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { ::alarm(0); }  // a failed check must not leave the watchdog armed for the next test
    void hostileFilenamesAreNeverReadOrDeleted();
    void keysOfEveryKindOfTextRoundTrip();
    void keysWrittenByPythonReadInCpp();
    void keysWrittenInCppReadByPython();
};

void TestReliabilityInput::hostileFilenamesAreNeverReadOrDeleted() {
    QTemporaryDir cacheDir, outsideDir;
    const fs::path root = toPath(cacheDir.path());
    const fs::path outside = toPath(outsideDir.path());
    // Bait outside: a file, a FIFO (a read would block forever), a link.
    std::ofstream(outside / "bait.val") << "precious";
    QCOMPARE(::mkfifo((outside / "fifo.val").c_str(), 0600), 0);
    { QVERIFY(Cache::open(root).isOk()); }
    fs::create_directories(root / "ln");
    fs::create_symlink(outside, root / "ln" / "out");
    fs::create_symlink("/dev/zero", root / "zero.val");
    // Special files inside the cache, named by rows.
    fs::create_directories(root / "ff" / "ff");
    QCOMPARE(::mkfifo((root / "ff" / "ff" / "fifo.val").c_str(), 0600), 0);
    const bool haveDevice = ::mknod((root / "dev.val").c_str(), S_IFCHR | 0600, makedev(1, 5)) == 0;  // /dev/zero's numbers
    if (!haveDevice) qWarning() << "mknod not permitted here: the device-node row is left out";

    struct Bad {
        const char* key;
        std::string filenameSql;
        bool outsideTheCache;
    };
    const std::string rel = "../" + fs::relative(outside, root.parent_path()).string();
    std::vector<Bad> bad = {
        {"absolute", sqlText((outside / "bait.val").string()), true},
        {"parent", sqlText(rel + "/bait.val"), true},
        {"windows-parent", sqlText("ab\\..\\..\\" + fs::relative(outside, root.parent_path()).string() + "\\bait.val"), true},
        {"dot-parent", sqlText("ab/./../.." + rel.substr(2) + "/bait.val"), true},
        {"through-link", sqlText("ln/out/bait.val"), true},
        {"fifo-through-link", sqlText("ln/out/fifo.val"), true},
        {"fifo-absolute", sqlText((outside / "fifo.val").string()), true},
        {"dev-zero", sqlText("/dev/zero"), true},
        {"link-to-dev-zero", sqlText("zero.val"), true},
        {"nul-inside", "'ln/out/bait.val' || char(0) || 'x'", true},
        {"fifo-inside", sqlText("ff/ff/fifo.val"), false},
    };
    if (haveDevice) bad.push_back({"device-inside", sqlText("dev.val"), false});
    for (const auto& b : bad) {
        for (int mode : {2, 3}) QVERIFY2(insertRow(root, std::string(b.key) + "-m" + std::to_string(mode), b.filenameSql, mode), b.key);
    }
    auto survives = [&] {
        return readFile(outside / "bait.val") == "precious" && fs::is_fifo(outside / "fifo.val") && fs::is_fifo(root / "ff" / "ff" / "fifo.val") &&
               (!haveDevice || fs::is_character_file(root / "dev.val"));
    };

    // A read that would block on a FIFO or run forever on /dev/zero ends
    // the process instead of hanging CI.
    ::alarm(120);
    auto cache = Cache::open(root);
    QVERIFY(cache.isOk());
    for (const auto& b : bad) {
        for (int mode : {2, 3}) {
            const std::string key = std::string(b.key) + "-m" + std::to_string(mode);
            auto item = (*cache)->get(Value::text(key));
            QVERIFY2(!item.isOk(), key.c_str());  // never a value
            QVERIFY2(!item.status().message().empty(), key.c_str());
        }
    }
    // The Inspector lists them and refuses their values.
    {
        auto inspector = inspect::open(root);
        QVERIFY(inspector.isOk());
        auto page = (*inspector)->list({.limit = 100});
        QVERIFY(page.isOk());
        QCOMPARE(page->entries.size(), bad.size() * 2);
        for (const auto& entry : page->entries) {
            QVERIFY2(!(*inspector)->readValue(entry).isOk(), entry.key.data().c_str());
            QVERIFY2(!(*inspector)->readStoredBytes(entry).isOk(), entry.key.data().c_str());
        }
    }
    // The CLI too, and it answers rather than blocks.
    for (const auto& b : bad) {
        const CliRun run = runCli({"get", cacheDir.path(), QString(b.key) + "-m2"});
        QVERIFY2(run.exitCode > 0, b.key);
        QVERIFY2(!run.err.isEmpty(), b.key);
    }
    // check() reports every one of them.
    auto report = (*cache)->check(false);
    QVERIFY(report.isOk());
    const auto unsafe = std::count_if(report->findings.begin(), report->findings.end(),
                                      [](const Finding& f) { return f.kind == Finding::Kind::UnsafeFilename; });
    const auto outsideRows = std::count_if(bad.begin(), bad.end(), [](const Bad& x) { return x.outsideTheCache; }) * 2;
    QCOMPARE(unsafe, std::ptrdiff_t(outsideRows));
    for (const char* special : {"ff/ff/fifo.val", "dev.val"}) {
        if (std::string(special) == "dev.val" && !haveDevice) continue;
        const bool reported = std::any_of(report->findings.begin(), report->findings.end(), [&](const Finding& f) {
            return f.path.find(special) != std::string::npos && f.kind != Finding::Kind::UnknownFile;
        });
        QVERIFY2(reported, special);
    }
    const CliRun checkRun = runCli({"--json", "check", cacheDir.path()});
    QVERIFY2(checkRun.exitCode >= 0, checkRun.err.constData());
    QVERIFY(!QJsonDocument::fromJson(checkRun.out).isNull());

    // Every removal path, and not one deletes the bait or the special files.
    QVERIFY((*cache)->remove(Value::text("fifo-inside-m2")).isOk());
    QVERIFY2(survives(), "delete");
    QVERIFY((*cache)->remove(Value::text("absolute-m2")).isOk());
    QVERIFY2(survives(), "delete");
    QVERIFY((*cache)->evict(Value::text("bad")).isOk());
    QVERIFY2(survives(), "evict");
    for (const auto& b : bad) QVERIFY(insertRow(root, std::string(b.key) + "-again", b.filenameSql, 2));
    QVERIFY((*cache)->reset("size_limit", Value::integer(1)).isOk());
    QVERIFY((*cache)->cull().isOk());
    QVERIFY2(survives(), "cull");
    for (const auto& b : bad) QVERIFY(insertRow(root, std::string(b.key) + "-third", b.filenameSql, 3));
    auto fixed = (*cache)->check(true);
    QVERIFY2(fixed.isOk(), fixed.status().toString().c_str());
    QVERIFY2(survives(), "check(fix)");
    cache.value().reset();
    for (const auto& b : bad) QVERIFY(insertRow(root, std::string(b.key) + "-cli", b.filenameSql, 2));
    for (const QStringList& args : {QStringList{"evict", cacheDir.path(), "bad"}, QStringList{"cull", cacheDir.path()},
                                    QStringList{"check", cacheDir.path(), "--fix"}, QStringList{"clear", cacheDir.path()}}) {
        for (const auto& b : bad) (void)insertRow(root, std::string(b.key) + "-cli", b.filenameSql, 2);
        const CliRun run = runCli(args);
        QVERIFY2(run.exitCode >= 0, qPrintable(args.join(' ') + ": " + run.err));
        QVERIFY2(readFile(outside / "bait.val") == "precious" && fs::is_fifo(outside / "fifo.val"), qPrintable(args.join(' ')));
    }
    QVERIFY(fs::is_symlink(root / "ln" / "out") || !fs::exists(root / "ln"));  // a link is removed at most, never followed
    ::alarm(0);
}

void TestReliabilityInput::keysOfEveryKindOfTextRoundTrip() {
    const QJsonDocument listing = testsupport::runPythonJson("reliability_keys.py", {"list"});
    const auto cases = keyCases(listing);
    QVERIFY(cases.size() >= 10);
    QTemporaryDir dir;
    auto cache = Cache::open(toPath(dir.path()));
    QVERIFY(cache.isOk());
    for (const auto& c : cases) {
        StoreOptions options;
        options.tag = c.tag;
        QVERIFY((*cache)->set(c.key, Value::integer(c.value), options).isOk());
    }
    for (const auto& c : cases) {
        auto item = (*cache)->get(c.key);
        QVERIFY(item.isOk());
        QVERIFY2(item->has_value(), qPrintable(QString::number(c.value)));
        QCOMPARE((*item)->value.asInt(), c.value);
        QVERIFY((*item)->tag == c.tag);
    }
    // Listing, every sort, and filters with awkward bytes in them.
    auto inspector = inspect::open(toPath(dir.path()));
    QVERIFY(inspector.isOk());
    for (auto sort : {SortColumn::Key, SortColumn::Tag, SortColumn::Size}) {
        std::size_t seen = 0;
        PageRequest request{.sort = sort, .limit = 3};
        for (;;) {
            auto page = (*inspector)->list(request);
            QVERIFY2(page.isOk(), page.status().toString().c_str());
            seen += page->entries.size();
            for (const auto& entry : page->entries) QVERIFY(!inspect::pythonRepr(entry.key, 100).empty());
            if (page->next.empty()) break;
            request.after = page->next;
        }
        QCOMPARE(seen, cases.size());
    }
    for (const std::string& needle : {std::string("\0", 1), std::string("\xff\xfe"), std::string(), std::string("\xed\xa0\x80"),
                                      std::string(1 << 20, 'k')}) {
        auto contains = (*inspector)->count({.keyContains = needle});
        QVERIFY(contains.isOk());
        auto prefix = (*inspector)->list({.filter = {.keyPrefix = needle}, .limit = 50});
        QVERIFY(prefix.isOk());
    }
    QCOMPARE(*(*inspector)->count({.keyContains = std::string("\0", 1)}), std::int64_t(3));  // "a\0b", b"\0", b"a\0b\0"
    for (const auto& c : cases) {
        auto byTag = (*inspector)->count({.tag = c.tag});
        QVERIFY(byTag.isOk());
        QVERIFY(*byTag >= 1);
        auto found = (*inspector)->find(c.key);
        QVERIFY(found.isOk() && found->has_value());
    }
    inspector.value().reset();
    const CliRun ls = runCli({"--json", "ls", dir.path(), "--limit", "100"});
    QCOMPARE(ls.exitCode, 0);
    QVERIFY(!QJsonDocument::fromJson(ls.out).isNull());
    for (const auto& c : cases) {
        auto removed = (*cache)->remove(c.key);
        QVERIFY(removed.isOk() && *removed);
    }
    QCOMPARE(*(*cache)->count(), std::int64_t(0));
}

void TestReliabilityInput::keysWrittenByPythonReadInCpp() {
    QTemporaryDir dir;
    const QJsonDocument listing = testsupport::runPythonJson("reliability_keys.py", {"write", dir.path()});
    const auto cases = keyCases(listing);
    QVERIFY(cases.size() >= 10);
    auto cache = Cache::open(toPath(dir.path()));
    QVERIFY(cache.isOk());
    QCOMPARE(*(*cache)->count(), std::int64_t(cases.size()));
    for (const auto& c : cases) {
        auto item = (*cache)->get(c.key);
        QVERIFY(item.isOk());
        QVERIFY2(item->has_value(), qPrintable(QStringLiteral("key %1 written by Python is missing").arg(c.value)));
        QCOMPARE((*item)->value.asInt(), c.value);
        QVERIFY((*item)->tag == c.tag);
    }
    auto report = (*cache)->check(false);
    QVERIFY(report.isOk() && report->findings.empty());
    // Pickled keys with lone surrogates print as Python prints them.
    auto inspector = inspect::open(toPath(dir.path()));
    QVERIFY(inspector.isOk());
    auto page = (*inspector)->list({.limit = 100});
    QVERIFY(page.isOk());
    QStringList pickled;
    for (const auto& entry : page->entries)
        if (entry.key.kind() == ValueKind::Pickle) pickled << QString::fromStdString(inspect::pythonRepr(entry.key));
    pickled.sort();
    QCOMPARE(pickled, QStringList({"('\\ud800', 'lone surrogate')", "('\\udfff',)"}));
}

void TestReliabilityInput::keysWrittenInCppReadByPython() {
    const auto cases = keyCases(testsupport::runPythonJson("reliability_keys.py", {"list"}));
    QVERIFY(cases.size() >= 10);
    QTemporaryDir dir;
    {
        auto cache = Cache::open(toPath(dir.path()));
        QVERIFY(cache.isOk());
        for (const auto& c : cases) {
            StoreOptions options;
            options.tag = c.tag;
            QVERIFY((*cache)->set(c.key, Value::integer(c.value), options).isOk());
        }
    }
    const auto verified = testsupport::runPython("reliability_keys.py", {"verify", dir.path()});
    QVERIFY2(verified.exitCode == 0, verified.err.constData());
}

QTEST_GUILESS_MAIN(TestReliabilityInput)
#include "tst_reliability_input.moc"

// cachescope-cli as a user runs it, on directories the real Python library
// made (tests/python/cli_make.py), compared with what Python says about the
// same directory (cli_describe.py, cli_check.py, cli_read.py, cli_django.py).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include "testsupport.h"

namespace fs = std::filesystem;
using testsupport::runPython;
using testsupport::runPythonJson;
using testsupport::snapshotTree;
using testsupport::toPath;

namespace {

using CliRun = testsupport::ProcessResult;
using testsupport::runCli;

QJsonDocument parseJson(const QByteArray& text) {
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) qWarning().noquote() << "not JSON:" << text.left(300);
    return doc;
}

// Runs `--json args...`, expecting success, and parses stdout.
QJsonDocument cliJson(const QStringList& args) {
    const CliRun run = runCli(QStringList{"--json"} + args);
    if (run.exitCode != 0) qWarning().noquote() << args << "exit" << run.exitCode << run.err;
    return run.exitCode == 0 ? parseJson(run.out) : QJsonDocument();
}

bool makeScenario(const QString& scenario, const QString& directory) {
    const auto result = runPython("cli_make.py", {scenario, directory});
    if (result.exitCode != 0) qWarning().noquote() << "cli_make.py" << scenario << "failed:" << result.err;
    return result.exitCode == 0;
}

QString entryId(const QJsonObject& entry) {
    return entry["key"].toString() + "@" + (entry["shard"].isNull() ? QString() : entry["shard"].toString());
}

// Every entry of a listing, following `next` with pages of `limit`.
QJsonArray pageThrough(const QString& dir, QStringList options, int limit, bool* ok, qint64* total = nullptr) {
    QJsonArray all;
    QString cursor;
    *ok = false;
    for (int guard = 0; guard < 10000; ++guard) {
        QStringList args = QStringList{"ls", dir, "--limit", QString::number(limit)} + options;
        if (!cursor.isEmpty()) args << "--after" << cursor;
        const QJsonObject page = cliJson(args).object();
        if (page.isEmpty()) return all;
        const QJsonArray entries = page["entries"].toArray();
        if (entries.size() > limit) return all;
        if (total) *total = page["total"].toInteger();
        for (const auto& entry : entries) all.append(entry);
        if (page["next"].isNull()) {
            *ok = true;
            return all;
        }
        cursor = page["next"].toString();
    }
    return all;
}

bool hasSideFiles(const fs::path& root) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with("-wal") || name.ends_with("-shm") || name.ends_with("-journal")) return true;
    }
    return false;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp();
    void usageErrors_data();
    void usageErrors();
    void notACache_data();
    void notACache();
    void infoMatchesPython_data();
    void infoMatchesPython();
    void lsMatchesPython_data();
    void lsMatchesPython();
    void pagingVisitsEveryKeyInOrder_data();
    void pagingVisitsEveryKeyInOrder();
    void filtersAndTotals_data();
    void filtersAndTotals();
    void getMatchesPython_data();
    void getMatchesPython();
    void getRawAndMissing();
    void inspectionLeavesDirectoryAsFound();
    void statsWithoutEnableStaysOff();
    void checkMatchesPythonAndFixes();
    void writeCommandsReadBackByPython_data();
    void writeCommandsReadBackByPython();
    void removalCommandsAndDryRun();
    void besideLiveWriter();
    void kindsOfDirectory();
    void djangoFileCache();
    void exportStreamsEveryEntry();
    void getSaysWhatTheBytesAre();

private:
    QTemporaryDir m_tmp;
    QString scenarioDir(const QString& scenario);  // made once, shared by read-only tests
    QMap<QString, QString> m_made;
};

QString TestCli::scenarioDir(const QString& scenario) {
    if (m_made.contains(scenario)) return m_made[scenario];
    const QString dir = m_tmp.filePath("shared-" + scenario);
    if (!makeScenario(scenario, dir)) return {};
    m_made[scenario] = dir;
    return dir;
}

void TestCli::versionAndHelp() {
    CliRun run = runCli({"--version"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(QRegularExpression("^cachescope-cli \\d+\\.\\d+\\.\\d+\n$").match(QString::fromUtf8(run.out)).hasMatch(),
             run.out.constData());
    for (const char* command : {"info", "ls", "get", "set", "delete", "touch", "check", "expire", "cull", "evict",
                                   "clear", "stats", "export"}) {
        run = runCli({command, "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("usage: cachescope-cli"), qPrintable(command));
    }
    run = runCli({"--help"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("export"));
}

void TestCli::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    const QString dir = QDir::tempPath();
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{"frobnicate", dir};
    QTest::newRow("unknown option") << QStringList{"ls", dir, "--bogus"};
    QTest::newRow("missing directory") << QStringList{"info"};
    QTest::newRow("too many") << QStringList{"info", dir, "extra"};
    QTest::newRow("get without key") << QStringList{"get", dir};
    QTest::newRow("option of another command") << QStringList{"info", dir, "--fix"};
    QTest::newRow("missing value") << QStringList{"ls", dir, "--limit"};
    QTest::newRow("flag with value") << QStringList{"ls", dir, "--desc=1"};
    QTest::newRow("unknown dash key") << QStringList{"get", dir, "-x"};
}

void TestCli::usageErrors() {
    QFETCH(QStringList, args);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
    // Usage errors found after opening a real cache are exit 2 too.
    const QString dir = scenarioDir("no-stats");
    QVERIFY(!dir.isEmpty());
    for (const QStringList& bad : {QStringList{"ls", dir, "--limit", "0"}, QStringList{"ls", dir, "--sort", "colour"},
                                   QStringList{"ls", dir, "--expired", "--live"}, QStringList{"ls", dir, "--after", "%%%"},
                                   QStringList{"stats", dir, "--enable", "--disable"},
                                   QStringList{"export", dir, "--format", "xml"}}) {
        QCOMPARE(runCli(bad).exitCode, 2);
    }
}

void TestCli::notACache_data() {
    QTest::addColumn<QStringList>("command");
    QTest::newRow("info") << QStringList{"info"};
    QTest::newRow("ls") << QStringList{"ls"};
    QTest::newRow("get") << QStringList{"get", "DIR", "a"};
    QTest::newRow("set") << QStringList{"set", "DIR", "a", "b"};
    QTest::newRow("check") << QStringList{"check"};
    QTest::newRow("check --fix") << QStringList{"check", "--fix"};
    QTest::newRow("clear") << QStringList{"clear"};
    QTest::newRow("stats") << QStringList{"stats", "--enable"};
    QTest::newRow("export") << QStringList{"export"};
}

void TestCli::notACache() {
    QFETCH(QStringList, command);
    QTemporaryDir dir;
    QFile other(dir.filePath("notes.txt"));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.write("hello");
    other.close();
    QVERIFY(QDir().mkpath(dir.filePath("empty-sub")));
    for (const QString& target : {dir.path(), dir.filePath("empty-sub"), dir.filePath("does-not-exist")}) {
        const auto before = snapshotTree(toPath(dir.path()));
        QStringList args = command;
        if (args.size() > 1) args[1] = target; else args << target;
        const CliRun run = runCli(QStringList{"--json"} + args);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err.count('\n'), 1);  // one clear line
        QVERIFY2(run.err.contains("not a") || run.err.contains("no such"), run.err.constData());
        QCOMPARE(snapshotTree(toPath(dir.path())), before);  // nothing created
    }
}

void TestCli::infoMatchesPython_data() {
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("shards");
    QTest::newRow("cache") << "basic" << 0;
    QTest::newRow("lru-stats") << "lru-stats" << 0;
    QTest::newRow("fanout") << "fanout" << 4;
}

void TestCli::infoMatchesPython() {
    QFETCH(QString, scenario);
    QFETCH(int, shards);
    const QString dir = scenarioDir(scenario);
    QVERIFY(!dir.isEmpty());
    const QJsonObject python = runPythonJson("cli_describe.py", {dir, QString::number(shards)}).object();
    QVERIFY(!python.isEmpty());
    const QJsonObject info = cliJson({"info", dir}).object();
    QCOMPARE(info["kind"].toString(), shards ? QString("fanout") : QString("cache"));
    QCOMPARE(info["directory"].toString(), dir);
    for (const char* counter : {"count", "size", "hits", "misses"}) QCOMPARE(info[counter].toInteger(), python[counter].toInteger());
    QCOMPARE(info["settings"].toObject(), python["settings"].toObject());
    QVERIFY(info["volume"].toInteger() > info["size"].toInteger());
    const QJsonArray cliShards = info["shards"].toArray();
    QCOMPARE(cliShards.size(), shards);
    const QJsonArray pyShards = python["shards"].toArray();
    for (int i = 0; i < shards; ++i) {
        QCOMPARE(cliShards[i]["name"].toString(), pyShards[i]["name"].toString());
        QCOMPARE(cliShards[i]["count"].toInteger(), pyShards[i]["count"].toInteger());
    }
    if (shards) {
        QSet<QString> children;
        for (const auto& child : info["children"].toArray())
            children.insert(child.toObject()["kind"].toString() + ":" + QDir(dir).relativeFilePath(child.toObject()["path"].toString()));
        QCOMPARE(children, (QSet<QString>{"cache:cache/sub/inner", "deque:deque/jobs", "index:index/names"}));
    }
}

void TestCli::lsMatchesPython_data() { infoMatchesPython_data(); }

void TestCli::lsMatchesPython() {
    QFETCH(QString, scenario);
    QFETCH(int, shards);
    const QString dir = scenarioDir(scenario);
    const QJsonObject python = runPythonJson("cli_describe.py", {dir, QString::number(shards)}).object();
    QMap<QString, QJsonObject> expected;
    for (const auto& e : python["entries"].toArray()) expected[entryId(e.toObject())] = e.toObject();
    const QJsonObject page = cliJson({"ls", dir, "--limit", "100000"}).object();
    QCOMPARE(page["total"].toInteger(), qint64(expected.size()));
    QVERIFY(page["next"].isNull());
    const QJsonArray entries = page["entries"].toArray();
    QCOMPARE(entries.size(), expected.size());
    for (const auto& value : entries) {
        const QJsonObject e = value.toObject();
        const QString id = entryId(e);
        QVERIFY2(expected.contains(id), qPrintable("unexpected key " + id));
        const QJsonObject py = expected[id];
        for (const char* field : {"key_type", "value_type", "mode", "size", "filename", "store_time", "access_time",
                                  "expire_time", "access_count", "tag", "expired", "shard"}) {
            // Exact: times are compared as the doubles Python stored.
            QVERIFY2(e[field] == py[field], qPrintable(id + " " + field + ": " + QJsonDocument(QJsonObject{{"cli", e[field]}, {"py", py[field]}}).toJson(QJsonDocument::Compact)));
        }
        if (py["in_file"].toBool()) QCOMPARE(e["stored_length"].toInteger(), py["size"].toInteger());
        else QVERIFY(e["stored_length"].toInteger() >= 0);
    }
}

void TestCli::pagingVisitsEveryKeyInOrder_data() {
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("shards");
    QTest::addColumn<QString>("sort");
    QTest::addColumn<bool>("desc");
    for (const auto& [scenario, shards] : {std::pair{"basic", 0}, std::pair{"fanout", 4}}) {
        for (const char* sort : {"key", "size", "store_time", "access_time", "expire_time", "access_count", "tag", "stored_size"}) {
            for (bool desc : {false, true}) {
                QTest::addRow("%s %s%s", scenario, sort, desc ? " desc" : "") << scenario << shards << sort << desc;
            }
        }
    }
}

void TestCli::pagingVisitsEveryKeyInOrder() {
    QFETCH(QString, scenario);
    QFETCH(int, shards);
    QFETCH(QString, sort);
    QFETCH(bool, desc);
    const QString dir = scenarioDir(scenario);
    static QMap<QString, QJsonObject> describe;
    if (!describe.contains(scenario)) describe[scenario] = runPythonJson("cli_describe.py", {dir, QString::number(shards)}).object();
    const QJsonArray order = describe[scenario]["orders"].toObject()[sort + (desc ? ":desc" : "")].toArray();
    QVERIFY(order.size() > 40);
    QStringList options{"--sort", sort};
    if (desc) options << "--desc";
    bool ok = false;
    qint64 total = 0;
    const QJsonArray visited = pageThrough(dir, options, 7, &ok, &total);
    QVERIFY(ok);
    QCOMPARE(total, qint64(order.size()));
    QStringList got, want;
    for (const auto& e : visited) got << entryId(e.toObject());
    for (const auto& item : order) {
        const QJsonArray pair = item.toArray();
        want << pair[0].toString() + "@" + (pair[1].isNull() ? QString() : pair[1].toString());
    }
    QCOMPARE(got, want);
}

void TestCli::filtersAndTotals_data() {
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("field");  // the describe field that must be true
    QTest::addColumn<QString>("equals");  // ... or a tag it must equal (JSON text)
    QTest::newRow("prefix") << QStringList{"--prefix", "k1"} << "prefix_k1" << "";
    QTest::newRow("contains") << QStringList{"--contains", "by"} << "contains_by" << "";
    QTest::newRow("tag str") << QStringList{"--tag", "t1"} << "" << "\"t1\"";
    QTest::newRow("tag int") << QStringList{"--tag", "7"} << "" << "7";
    QTest::newRow("tag bytes") << QStringList{"--tag", "b'btag'"} << "" << "\"b'btag'\"";
    QTest::newRow("expired") << QStringList{"--expired"} << "expired" << "";
    QTest::newRow("live") << QStringList{"--live"} << "!expired" << "";
    QTest::newRow("in file") << QStringList{"--in-file"} << "in_file" << "";
    QTest::newRow("in db") << QStringList{"--in-db"} << "!in_file" << "";
    QTest::newRow("combined") << QStringList{"--in-db", "--live", "--prefix", "k1", "--sort", "expire_time", "--desc"}
                              << "prefix_k1&!in_file&!expired" << "";
}

void TestCli::filtersAndTotals() {
    QFETCH(QStringList, options);
    QFETCH(QString, field);
    QFETCH(QString, equals);
    for (const auto& [scenario, shards] : {std::pair{"basic", 0}, std::pair{"fanout", 4}}) {
        const QString dir = scenarioDir(scenario);
        const QJsonObject python = runPythonJson("cli_describe.py", {dir, QString::number(shards)}).object();
        QStringList want;
        for (const auto& value : python["entries"].toArray()) {
            const QJsonObject e = value.toObject();
            bool keep = true;
            for (const QString& term : field.split('&', Qt::SkipEmptyParts)) {
                const bool negate = term.startsWith('!');
                keep = keep && (e[negate ? term.mid(1) : term].toBool() != negate);
            }
            if (!equals.isEmpty()) keep = keep && QJsonDocument(QJsonArray{e["tag"]}).toJson(QJsonDocument::Compact) == "[" + equals + "]";
            if (keep) want << entryId(e);
        }
        QVERIFY2(!want.isEmpty(), "a filter test must select something");
        QVERIFY(want.size() < python["entries"].toArray().size());
        bool ok = false;
        qint64 total = -1;
        const QJsonArray visited = pageThrough(dir, options, 5, &ok, &total);
        QVERIFY(ok);
        QCOMPARE(total, qint64(want.size()));
        QStringList got;
        for (const auto& e : visited) got << entryId(e.toObject());
        got.sort();
        want.sort();
        QCOMPARE(got, want);
    }
}

void TestCli::getMatchesPython_data() {
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("shards");
    QTest::newRow("cache") << "basic" << 0;
    QTest::newRow("fanout") << "fanout" << 4;
}

void TestCli::getMatchesPython() {
    QFETCH(QString, scenario);
    QFETCH(int, shards);
    const QString dir = scenarioDir(scenario);
    const QJsonObject python = runPythonJson("cli_describe.py", {dir, QString::number(shards)}).object();
    int found = 0, expired = 0;
    for (const auto& value : python["entries"].toArray()) {
        const QJsonObject py = value.toObject();
        const QString key = py["key"].toString();
        const CliRun run = runCli({"--json", "get", dir, "--", key});
        if (py["expired"].toBool()) {
            QCOMPARE(run.exitCode, 1);
            QCOMPARE(run.out.trimmed(), QByteArray("null"));
            ++expired;
            continue;
        }
        QVERIFY2(run.exitCode == 0, qPrintable(key + ": " + run.err));
        const QJsonObject got = parseJson(run.out).object();
        QCOMPARE(got["key"].toString(), key);
        for (const char* field : {"value_repr", "value_type", "mode", "size", "expire_time", "tag", "shard"})
            QVERIFY2(got[field] == py[field], qPrintable(key + " " + field + ": " + got[field].toVariant().toString() + " vs " + py[field].toVariant().toString()));
        ++found;
    }
    QVERIFY(found > 40);
    QVERIFY(expired > 0);
}

void TestCli::getRawAndMissing() {
    const QString dir = scenarioDir("basic");
    CliRun run = runCli({"get", dir, "big-bytes", "--raw"});
    QCOMPARE(run.exitCode, 0);
    QByteArray expected;
    for (int i = 0; i < 30000; ++i) expected.append('\0').append('\xff');
    QCOMPARE(run.out, expected);
    const QString output = m_tmp.filePath("raw-output.bin");
    run = runCli({"get", dir, "'big-bytes'", "--output", output});
    QCOMPARE(run.exitCode, 0);
    QFile file(output);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), expected);
    // A negative int key, given after -- and without it.
    for (const QStringList& args : {QStringList{"get", dir, "--", "-7"}, QStringList{"get", dir, "-7"}}) {
        run = runCli(QStringList{"--json"} + args);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(parseJson(run.out).object()["value_repr"].toString(), QString("'negative int key'"));
    }
    // 'None' the str is not None the key.
    run = runCli({"--json", "get", dir, "None"});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(parseJson(run.out).object()["value_repr"].toString(), QString("'the None key'"));
    run = runCli({"--json", "get", dir, "'None'"});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.trimmed(), QByteArray("null"));
    QVERIFY(!run.err.isEmpty());
    run = runCli({"get", dir, "no-such-key"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
}

void TestCli::inspectionLeavesDirectoryAsFound() {
    // LRU policy and statistics on: a get that was not read-only would
    // change access_time and hits, so the hash of cache.db would change.
    for (const auto& [scenario, shards] : {std::pair{"lru-stats", 0}, std::pair{"fanout", 4}}) {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("c");
        QVERIFY(makeScenario(scenario, dir));
        const auto before = snapshotTree(toPath(dir));
        QVERIFY(!hasSideFiles(toPath(dir)));
        const QList<QStringList> commands = {
            {"info", dir}, {"ls", dir}, {"ls", dir, "--sort", "access_time", "--limit", "3"},
            {"ls", dir, "--expired"}, {"get", dir, "k01"}, {"get", dir, "missing"}, {"get", dir, "big-text"},
            {"get", dir, "big-bytes", "--raw"}, {"export", dir}, {"export", dir, "--format", "csv"}, {"check", dir},
            {"check", dir, "--fix", "--dry-run"}, {"stats", dir}, {"stats", dir, "--reset", "--dry-run"},
            {"expire", dir, "--dry-run"}, {"cull", dir, "--dry-run"}, {"clear", dir, "--dry-run"},
            {"evict", dir, "t1", "--dry-run"}, {"delete", dir, "k01", "--dry-run"}, {"set", dir, "new", "v", "--dry-run"},
            {"touch", dir, "k01", "--dry-run"}};
        for (const QStringList& command : commands) {
            const CliRun run = runCli(QStringList{"--json"} + command);
            QVERIFY2(run.exitCode == 0 || command.contains("missing"), qPrintable(command.join(' ') + ": " + run.err));
            QVERIFY2(!hasSideFiles(toPath(dir)), qPrintable(command.join(' ')));
            QVERIFY2(snapshotTree(toPath(dir)) == before, qPrintable(command.join(' ') + " changed the directory"));
        }
    }
}

void TestCli::statsWithoutEnableStaysOff() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("c");
    QVERIFY(makeScenario("no-stats", dir));
    QJsonObject stats = cliJson({"stats", dir}).object();
    QCOMPARE(stats["statistics"].toBool(), false);
    QCOMPARE(stats["hits"].toInteger(), 0);
    QCOMPARE(runPythonJson("cli_read.py", {dir, "0"}).object()["statistics"].toInteger(), 0);
    stats = cliJson({"stats", dir, "--enable"}).object();
    QCOMPARE(stats["statistics"].toBool(), true);
    QCOMPARE(runPythonJson("cli_read.py", {dir, "0", "'k01'", "'nope'"}).object()["statistics"].toInteger(), 1);
    stats = cliJson({"stats", dir}).object();
    QCOMPARE(stats["hits"].toInteger(), 1);  // Python's reads counted once statistics were on
    QCOMPARE(stats["misses"].toInteger(), 1);
    stats = cliJson({"stats", dir, "--reset", "--disable"}).object();
    QCOMPARE(stats["statistics"].toBool(), false);
    stats = cliJson({"stats", dir}).object();
    QCOMPARE(stats["hits"].toInteger(), 0);
    QCOMPARE(stats["statistics"].toBool(), false);
}

void TestCli::checkMatchesPythonAndFixes() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("damaged");
    QVERIFY(makeScenario("damaged", dir));
    const QJsonObject report = cliJson({"check", dir}).object();
    QCOMPARE(report["fixed"].toBool(), false);
    QStringList ours;
    QSet<QString> kinds;
    for (const auto& finding : report["findings"].toArray()) {
        ours << finding.toObject()["detail"].toString();
        kinds.insert(finding.toObject()["kind"].toString());
    }
    ours.sort();
    QCOMPARE(kinds, (QSet<QString>{"file-not-found", "wrong-file-size", "unknown-file", "empty-directory"}));
    QStringList python;
    for (const auto& message : runPythonJson("cli_check.py", {dir}).array()) python << message.toString();
    python.sort();
    QCOMPARE(ours, python);
    const QJsonObject fixed = cliJson({"check", dir, "--fix"}).object();
    QCOMPARE(fixed["fixed"].toBool(), true);
    QCOMPARE(fixed["findings"].toArray().size(), ours.size());
    QCOMPARE(runPythonJson("cli_check.py", {dir}).array(), QJsonArray());
    QCOMPARE(cliJson({"check", dir}).object()["findings"].toArray(), QJsonArray());
}

void TestCli::writeCommandsReadBackByPython_data() { getMatchesPython_data(); }

void TestCli::writeCommandsReadBackByPython() {
    QFETCH(QString, scenario);
    QFETCH(int, shards);
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("c");
    QVERIFY(makeScenario(scenario, dir));
    const QString shardCount = QString::number(shards);
    const QString textFile = tmp.filePath("text.txt");
    {
        QFile f(textFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from a file \xc3\xa9\n");
    }
    QVERIFY(cliJson({"set", dir, "new-key", "new value", "--tag", "t9", "--expire", "1000"}).isObject());
    QVERIFY(cliJson({"set", dir, "(2, 'b')", "5", "--int"}).isObject());
    QVERIFY(cliJson({"set", dir, "--float", "--", "-3", "-0.5"}).isObject());
    QVERIFY(cliJson({"set", dir, "b'raw'", "--text-file", textFile}).isObject());
    QVERIFY(cliJson({"set", dir, "k00", "replaced"}).isObject());
    QCOMPARE(cliJson({"delete", dir, "k03"}).object()["removed"].toInteger(), 1);
    QVERIFY(cliJson({"touch", dir, "k05", "--expire", "500"}).isObject());
    QVERIFY(cliJson({"touch", dir, "k01"}).isObject());  // k01 expired in an hour; now never
    CliRun run = runCli({"--json", "delete", dir, "no-such-key"});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.trimmed(), QByteArray("null"));
    QCOMPARE(runCli({"delete", dir, "k02"}).exitCode, 1);  // expired: Python's delete says False too
    QCOMPARE(runCli({"set", dir, "x", "notanumber", "--int"}).exitCode, 2);
    QCOMPARE(runCli({"set", dir, "x"}).exitCode, 2);
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    const QJsonArray keys = runPythonJson("cli_read.py", {dir, shardCount, "'new-key'", "(2, 'b')", "-3", "b'raw'", "'k00'",
                                                          "'k03'", "'k05'", "'k01'"})
                                .object()["keys"]
                                .toArray();
    QCOMPARE(keys.size(), 8);
    QCOMPARE(keys[0]["value_repr"].toString(), QString("'new value'"));
    QCOMPARE(keys[0]["tag"].toString(), QString("t9"));
    QVERIFY(qAbs(keys[0]["expire_time"].toDouble() - (now + 1000)) < 60);
    QCOMPARE(keys[1]["value_repr"].toString(), QString("5"));
    QCOMPARE(keys[2]["value_repr"].toString(), QString("-0.5"));
    QCOMPARE(keys[3]["value_repr"].toString(), QString("'from a file \u00e9\\n'"));
    QCOMPARE(keys[4]["value_repr"].toString(), QString("'replaced'"));
    QCOMPARE(keys[5]["found"].toBool(), false);
    QVERIFY(qAbs(keys[6]["expire_time"].toDouble() - (now + 500)) < 60);
    QVERIFY(keys[7]["expire_time"].isNull());
    // The new keys landed where Python looks for them (the right shard), and
    // the CLI finds them again.
    const QJsonObject got = cliJson({"get", dir, "(2, 'b')"}).object();
    QCOMPARE(got["value_repr"].toString(), QString("5"));
    QCOMPARE(runPythonJson("cli_check.py", {dir + (shards ? "/000" : "")}).array(), QJsonArray());
}

void TestCli::removalCommandsAndDryRun() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("c");
    QVERIFY(makeScenario("basic", dir));
    const QJsonObject python = runPythonJson("cli_describe.py", {dir}).object();
    qint64 expired = 0, t1 = 0;
    for (const auto& e : python["entries"].toArray()) {
        expired += e.toObject()["expired"].toBool();
        t1 += e.toObject()["tag"] == QJsonValue("t1");
    }
    QVERIFY(expired > 0 && t1 > 0);
    const auto before = snapshotTree(toPath(dir));
    QCOMPARE(cliJson({"expire", dir, "--dry-run"}).object()["removed"].toInteger(), expired);
    QCOMPARE(cliJson({"evict", dir, "t1", "--dry-run"}).object()["removed"].toInteger(), t1);
    QCOMPARE(cliJson({"cull", dir, "--dry-run"}).object()["removed"].toInteger(), expired);  // far below size_limit
    QCOMPARE(cliJson({"clear", dir, "--dry-run"}).object()["removed"].toInteger(), python["count"].toInteger());
    QCOMPARE(snapshotTree(toPath(dir)), before);
    QCOMPARE(cliJson({"expire", dir}).object()["removed"].toInteger(), expired);
    qint64 expiredT1 = 0;  // expire() already removed the expired rows tagged t1
    for (const auto& e : python["entries"].toArray()) expiredT1 += e.toObject()["expired"].toBool() && e.toObject()["tag"] == QJsonValue("t1");
    QCOMPARE(cliJson({"evict", dir, "t1"}).object()["removed"].toInteger(), t1 - expiredT1);
    const qint64 left = python["count"].toInteger() - expired - (t1 - expiredT1);
    QCOMPARE(cliJson({"info", dir}).object()["count"].toInteger(), left);
    QCOMPARE(cliJson({"clear", dir}).object()["removed"].toInteger(), left);
    QCOMPARE(runPythonJson("cli_describe.py", {dir}).object()["entries"].toArray().size(), 0);
    QCOMPARE(runPythonJson("cli_check.py", {dir}).array(), QJsonArray());
}

void TestCli::besideLiveWriter() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("live");
    QProcess writer;
    writer.start(QStringLiteral(CACHESCOPE_PYTHON), {QStringLiteral(CACHESCOPE_TEST_SCRIPTS "/cli_writer.py"), dir, "600"});
    QVERIFY(writer.waitForStarted(30000));
    QVERIFY(QTest::qWaitFor([&] { return writer.canReadLine() || writer.state() != QProcess::Running; }, 60000));
    QCOMPARE(writer.readLine().trimmed(), QByteArray("ready"));
    int pages = 0;
    for (int i = 0; i < 15; ++i) {
        const QJsonObject info = cliJson({"info", dir}).object();
        QCOMPARE(info["kind"].toString(), QString("cache"));
        QVERIFY(info["count"].toInteger() > 0);
        bool ok = false;
        const QJsonArray all = pageThrough(dir, {"--sort", i % 2 ? "store_time" : "key"}, 50, &ok);
        QVERIFY(ok);
        pages += all.size() > 0;
        QCOMPARE(runCli({"--json", "get", dir, "live00045"}).exitCode, 0);
        QCOMPARE(runCli({"--json", "check", dir}).exitCode, 0);
    }
    QCOMPARE(pages, 15);
    writer.closeWriteChannel();
    QVERIFY(writer.waitForFinished(60000));
    QCOMPARE(writer.exitCode(), 0);
    // The last connection to close (Python's) removed the WAL files.
    QVERIFY2(!hasSideFiles(toPath(dir)), qPrintable(QDir(dir).entryList(QDir::Files).join(' ')));
    QCOMPARE(runPythonJson("cli_check.py", {dir}).array(), QJsonArray());
}

void TestCli::kindsOfDirectory() {
    const struct {
        const char* scenario;
        const char* kind;
        int count;
    } cases[] = {{"deque", "deque", 4}, {"index", "index", 2}, {"collection", "collection", 3}};
    for (const auto& c : cases) {
        const QString dir = scenarioDir(c.scenario);
        QVERIFY(!dir.isEmpty());
        const QJsonObject info = cliJson({"info", dir}).object();
        QCOMPARE(info["kind"].toString(), QString(c.kind));
        QCOMPARE(info["count"].toInteger(), c.count);
    }
    const QString collection = scenarioDir("collection");
    QSet<QString> children;
    for (const auto& child : cliJson({"info", collection}).object()["children"].toArray())
        children.insert(child.toObject()["kind"].toString() + ":" + QDir(collection).relativeFilePath(child.toObject()["path"].toString()));
    QCOMPARE(children, (QSet<QString>{"cache:alpha", "fanout:beta"}));
    CliRun run = runCli({"ls", collection});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains("collection"));
    // A Deque's entries page in queue order with integer keys.
    const QJsonObject deque = cliJson({"ls", scenarioDir("deque")}).object();
    QStringList kinds;
    for (const auto& e : deque["entries"].toArray()) kinds << e.toObject()["key_type"].toString();
    QCOMPARE(kinds, QStringList(4, "int"));
    // A fanout's sub-store opened by its own path.
    const QJsonObject sub = cliJson({"info", scenarioDir("fanout") + "/deque/jobs"}).object();
    QCOMPARE(sub["kind"].toString(), QString("deque"));
    QCOMPARE(sub["count"].toInteger(), 3);
}

void TestCli::djangoFileCache() {
    const QString dir = scenarioDir("django");
    QVERIFY(!dir.isEmpty());
    const QJsonArray python = runPythonJson("cli_django.py", {dir}).array();
    QCOMPARE(python.size(), 4);
    const auto before = snapshotTree(toPath(dir));
    const QJsonObject info = cliJson({"info", dir}).object();
    QCOMPARE(info["kind"].toString(), QString("django-file"));
    QCOMPARE(info["count"].toInteger(), 4);
    QMap<QString, QJsonObject> expected;
    for (const auto& e : python) expected[e.toObject()["key"].toString()] = e.toObject();
    const QJsonArray entries = cliJson({"ls", dir}).object()["entries"].toArray();
    QCOMPARE(entries.size(), 4);
    for (const auto& value : entries) {
        const QJsonObject e = value.toObject();
        const QString key = e["key"].toString();
        QVERIFY2(expected.contains(key), qPrintable(key));
        QCOMPARE(e["key_type"].toString(), QString("md5"));
        QCOMPARE(e["expire_time"], expected[key]["expire_time"]);
        QCOMPARE(e["value_type"].toString(), expected[key]["value_type"].toString());
        QCOMPARE(e["size"].toInteger(), expected[key]["size"].toInteger());
        const QJsonObject got = cliJson({"get", dir, key}).object();
        QCOMPARE(got["value_repr"].toString(), expected[key]["value_repr"].toString());
    }
    bool ok = false;
    QCOMPARE(pageThrough(dir, {"--sort", "expire_time"}, 1, &ok).size(), 4);
    QVERIFY(ok);
    QCOMPARE(snapshotTree(toPath(dir)), before);
}

void TestCli::exportStreamsEveryEntry() {
    const QString dir = scenarioDir("fanout");
    const QJsonObject python = runPythonJson("cli_describe.py", {dir, "4"}).object();
    QMap<QString, QJsonObject> expected;
    for (const auto& e : python["entries"].toArray()) expected[entryId(e.toObject())] = e.toObject();
    const CliRun run = runCli({"export", dir});
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), expected.size());
    QSet<QString> seen;
    for (const QByteArray& line : lines) {
        const QJsonObject e = parseJson(line).object();
        const QString id = entryId(e);
        QVERIFY2(expected.contains(id), qPrintable(id));
        QCOMPARE(e["value_repr"], expected[id]["value_repr"]);
        seen.insert(id);
    }
    QCOMPARE(seen.size(), expected.size());
    const CliRun csv = runCli({"export", dir, "--format", "csv", "--prefix", "k1"});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith("key,key_type,value_type,"));
    QCOMPARE(csv.out.count("\r\n"), 1 + 10);  // header + k10..k19
}

// `get --json` names the decoder that applies and why: a pickle by its mode,
// JSONDisk's zlib-compressed JSON by its content.
void TestCli::getSaysWhatTheBytesAre() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("json");
    QCOMPARE(runPythonJson("ui_jsondisk.py", {dir}).object()["len"].toInt(), 1);
    const QJsonObject listed = cliJson({"ls", dir}).object();
    QCOMPARE(listed["total"].toInteger(), 1);
    const QJsonObject got = cliJson({"get", dir, listed["entries"].toArray().at(0).toObject()["key"].toString()}).object();
    QCOMPARE(got["decoded_as"].toString(), QString("jsondisk"));
    QVERIFY2(got["decoded_reason"].toString().contains("JSON"), qPrintable(got["decoded_reason"].toString()));

    const QString pickled = tmp.filePath("pickled");
    QVERIFY(makeScenario("basic", pickled));
    const QJsonObject ls = cliJson({"ls", pickled, "--limit", "1000"}).object();
    bool sawPickle = false;
    for (const auto& e : ls["entries"].toArray()) {
        if (e.toObject()["mode"].toString() != "pickle" || e.toObject()["expired"].toBool()) continue;
        const QJsonObject value = cliJson({"get", pickled, e.toObject()["key"].toString()}).object();
        QCOMPARE(value["decoded_as"].toString(), QString("pickle"));
        sawPickle = true;
        break;
    }
    QVERIFY(sawPickle);

    // A value kept in a file: decoded from the bytes read for the value.
    bool sawFile = false;
    for (const auto& e : ls["entries"].toArray()) {
        const QJsonObject row = e.toObject();
        if (row["mode"].toString() != "binary" || row["filename"].isNull() || row["expired"].toBool()) continue;
        const QJsonObject value = cliJson({"get", pickled, row["key"].toString()}).object();
        QCOMPARE(value["decoded_as"].toString(), QString("binary"));
        QCOMPARE(value["filename"].toString(), row["filename"].toString());
        sawFile = true;
        break;
    }
    QVERIFY(sawFile);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

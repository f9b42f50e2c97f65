// Inspector::statistics(), space() and the settings doctor, and JSONDisk
// keys, on caches made by the real library (tests/python/stats_make.py),
// checked against what Python and SQLite report about the same files.
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include "diskcache/inspect.h"
#include "diskcache/pickle.h"
#include "testsupport.h"

using namespace diskcache;
using testsupport::runPythonJson;
using testsupport::snapshotTree;
using testsupport::toPath;

namespace {

QString reprOf(const Entry& entry) { return QString::fromStdString(inspect::keyText(entry)); }

QStringList reprsOf(const std::vector<Entry>& entries, std::size_t limit) {
    QStringList out;
    for (std::size_t i = 0; i < std::min(limit, entries.size()); ++i) out << reprOf(entries[i]);
    return out;
}

QStringList jsonStrings(const QJsonValue& array) {
    QStringList out;
    for (const auto& item : array.toArray()) out << item.toString();
    return out;
}

bool hasAdvice(const std::vector<Advice>& advice, const char* code) {
    return std::any_of(advice.begin(), advice.end(), [&](const Advice& a) { return a.code == code; });
}

QStringList adviceCodes(const std::vector<Advice>& advice) {
    QStringList codes;
    for (const auto& a : advice) codes << QString::fromStdString(a.code);
    return codes;
}

}  // namespace

class TestStatistics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void figuresMatchWhatPythonReports();
    void memoizedKeysAreGroupedByFunction();
    void memoizedKeysAreFoundAcrossBatches();
    void nextToCullFollowsThePolicy();
    void inspectingWritesNothing();
    void statisticsCanBeCancelled();
    void spaceLedgerFindsMissingAndOrphanFiles();
    void doctorNamesSettingsThatDefeatTheUser();
    void doctorIsQuietOnAHealthyCache();
    void jsonDiskKeysReadAsJson();
    void jsonDiskKeysAreFoundByTheirJson();
    void cliAnalyzeReportsTheFigures();
    void cliGetFindsJsonDiskKeysByTheirJson();

private:
    QTemporaryDir m_root;
    QJsonObject m_python;
    std::unique_ptr<Inspector> open(const char* name) {
        auto inspector = inspect::open(toPath(m_root.filePath(QString::fromLatin1(name))));
        if (!inspector) qWarning() << inspector.status().toString().c_str();
        return inspector ? std::move(*inspector) : nullptr;
    }
};

void TestStatistics::initTestCase() {
    QVERIFY(m_root.isValid());
    m_python = runPythonJson("stats_make.py", {m_root.path()}).object();
    QVERIFY2(!m_python.isEmpty(), "stats_make.py failed");
}

void TestStatistics::figuresMatchWhatPythonReports() {
    auto inspector = open("plain");
    QVERIFY(inspector);
    auto stats = inspector->statistics();
    QVERIFY2(stats, stats.status().toString().c_str());
    const QJsonObject py = m_python["plain"].toObject();
    QCOMPARE(stats->scanned, py["count"].toInteger());
    QCOMPARE(stats->inFile, py["in_file"].toInteger());
    QCOMPARE(stats->expired, py["expired"].toInteger());
    QCOMPARE(stats->expiry[static_cast<std::size_t>(ExpiryBucket::Expired)], py["expired"].toInteger());

    // Tags: count and bytes per tag, as SQLite sums them.
    const QJsonObject tags = py["tags"].toObject();
    QCOMPARE(stats->tags.size(), static_cast<std::size_t>(tags.size()));
    QCOMPARE(QString::fromStdString(inspect::pythonRepr(stats->tags.front().tag)), QStringLiteral("'red'"));  // most used first
    for (const auto& usage : stats->tags) {
        const QString name = QString::fromStdString(inspect::pythonRepr(usage.tag));
        QVERIFY2(tags.contains(name), qPrintable(name));
        QCOMPARE(usage.count, tags[name].toArray()[0].toInteger());
        QCOMPARE(usage.bytes, tags[name].toArray()[1].toInteger());
    }
    std::int64_t tagged = 0;
    for (const auto& usage : stats->tags) tagged += usage.count;
    QCOMPARE(stats->tagged, tagged);

    // Every row lands in exactly one bucket of each distribution.
    auto sum = [](const auto& buckets) { std::int64_t n = 0; for (auto b : buckets) n += b; return n; };
    QCOMPARE(sum(stats->sizeCounts), stats->scanned);
    QCOMPARE(sum(stats->expiry), stats->scanned);
    QCOMPARE(sum(stats->age), stats->scanned);
    QCOMPARE(sum(stats->accessCounts), stats->scanned);
    // The 200,000-byte file sits in [2^17, 2^18).
    QCOMPARE(sizeBucketOf(200'000), std::size_t{12});
    QVERIFY(stats->sizeCounts[12] >= 1);

    // The largest entries, largest first.
    QCOMPARE(reprsOf(stats->largest, 2), jsonStrings(py["largest"]).mid(0, 2));
    QCOMPARE(stats->largestLength, std::int64_t{200'000});

    // Pickled values by protocol: one of protocol 2, the rest of 5.
    const QJsonObject protocols = py["value_protocols"].toObject();
    for (const auto& key : protocols.keys()) QCOMPARE(stats->valueProtocols[key.toInt()], protocols[key].toInteger());
    QVERIFY(stats->keyProtocols[5] >= 11);  // the memoized tuples and ('user', 42)
}

void TestStatistics::memoizedKeysAreGroupedByFunction() {
    auto inspector = open("plain");
    QVERIFY(inspector);
    auto stats = inspector->statistics();
    QVERIFY(stats);
    const QJsonObject expected = m_python["plain"].toObject()["functions"].toObject();
    QCOMPARE(stats->functions.size(), static_cast<std::size_t>(expected.size()));
    QCOMPARE(QString::fromStdString(stats->functions.front().name), QStringLiteral("__main__.square"));  // most keys first
    for (const auto& group : stats->functions) {
        const QString name = QString::fromStdString(group.name);
        QVERIFY2(expected.contains(name), qPrintable(name));
        QCOMPARE(group.count, expected[name].toInteger());
        QVERIFY(group.oldest && group.newest && *group.oldest <= *group.newest);
    }
    // The store tree's quick pass over the pickled keys finds the same groups.
    auto quick = inspector->memoizedFunctions();
    QVERIFY2(quick, quick.status().message().c_str());
    QCOMPARE(quick->size(), stats->functions.size());
    for (std::size_t i = 0; i < quick->size(); ++i) {
        const FunctionGroup& a = (*quick)[i];
        const FunctionGroup& b = stats->functions[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.count, b.count);
        QCOMPARE(a.bytes, b.bytes);
        QCOMPARE(a.oldest, b.oldest);
        QCOMPARE(a.newest, b.newest);
    }
    auto top = inspector->memoizedFunctions(1);
    QVERIFY(top);
    QCOMPARE(top->size(), std::size_t{1});
    QCOMPARE(top->front().name, std::string("__main__.square"));
    // The entries of one function, as a filter of the listing.
    for (const auto& group : stats->functions) {
        EntryFilter filter;
        filter.memoizedFunction = group.name;
        QCOMPARE(inspector->count(filter).valueOr(-1), group.count);
    }
    EntryFilter prefixOnly;
    prefixOnly.memoizedFunction = "__main__.squ";
    QCOMPARE(inspector->count(prefixOnly).valueOr(-1), std::int64_t{0});
    // A tuple key that merely starts with a word is not a function's.
    auto user = py::encodeKey(*py::parseLiteral("('user', 42)"), 5);
    QVERIFY(user);
    QVERIFY(!inspect::memoizedFunction(*user));
    auto made = py::encodeKey(*py::parseLiteral("('pkg.mod.Class.method', 1, 2, 3, 4)"), 5);
    QCOMPARE(inspect::memoizedFunction(*made).value_or(""), std::string("pkg.mod.Class.method"));
    auto protocol2 = py::encodeKey(*py::parseLiteral("('app.views.<locals>.f', 1)"), 2);
    QCOMPARE(inspect::memoizedFunction(*protocol2).value_or(""), std::string("app.views.<locals>.f"));
    // pickle.dumps(('app.views.<locals>.f', 1), 0): text opcodes (diskcache 3 era keys).
    const std::string protocol0 = "(Vapp.views.<locals>.f\np0\nI1\ntp1\n.";
    QCOMPARE(inspect::memoizedFunction(protocol0).value_or(""), std::string("app.views.<locals>.f"));
}

// 12,000 pickled keys are read in several batches of the (key, raw) index;
// the counts must still be Python's, and the same as the whole-row pass.
void TestStatistics::memoizedKeysAreFoundAcrossBatches() {
    auto inspector = open("many");
    QVERIFY(inspector);
    const QJsonObject expected = m_python["many"].toObject()["functions"].toObject();
    QCOMPARE(expected.size(), 2);
    auto quick = inspector->memoizedFunctions();
    QVERIFY2(quick, quick.status().message().c_str());
    QCOMPARE(quick->size(), std::size_t{2});
    for (const auto& group : *quick) {
        const QString name = QString::fromStdString(group.name);
        QVERIFY2(expected.contains(name), qPrintable(name));
        QCOMPARE(group.count, expected[name].toInteger());
    }
    QCOMPARE(quick->front().count, std::int64_t{5'000});  // most keys first
    auto stats = inspector->statistics();
    QVERIFY(stats);
    QCOMPARE(stats->functions.size(), quick->size());
    for (std::size_t i = 0; i < quick->size(); ++i) {
        QCOMPARE((*quick)[i].name, stats->functions[i].name);
        QCOMPARE((*quick)[i].bytes, stats->functions[i].bytes);
        QCOMPARE((*quick)[i].oldest, stats->functions[i].oldest);
        QCOMPARE((*quick)[i].newest, stats->functions[i].newest);
    }
}

void TestStatistics::nextToCullFollowsThePolicy() {
    auto inspector = open("plain");
    QVERIFY(inspector);
    StatisticsOptions options;
    const QStringList expected = jsonStrings(m_python["plain"].toObject()["cull_order"]);
    options.nextToCull = static_cast<std::size_t>(expected.size());
    auto stats = inspector->statistics(options);
    QVERIFY(stats);
    QCOMPARE(reprsOf(stats->nextToCull, options.nextToCull), expected);
}

void TestStatistics::inspectingWritesNothing() {
    const auto before = snapshotTree(toPath(m_root.path()));
    for (const char* name : {"plain", "json", "ledger", "fanout"}) {
        auto inspector = open(name);
        QVERIFY(inspector);
        QVERIFY(inspector->statistics());
        QVERIFY(inspector->space());
    }
    QVERIFY(before == snapshotTree(toPath(m_root.path())));
}

void TestStatistics::statisticsCanBeCancelled() {
    // Enough rows for the scan to ask for progress a few times.
    QTemporaryDir dir;
    auto cache = Cache::open(toPath(dir.path()));
    QVERIFY(cache);
    for (int i = 0; i < 12'000; ++i) QVERIFY((*cache)->set(Value::integer(i), Value::integer(i)).isOk());
    cache->reset();
    auto inspector = inspect::open(toPath(dir.path()));
    QVERIFY(inspector);
    std::vector<std::int64_t> reported;
    auto stopped = (*inspector)->statistics({}, [&](std::int64_t done) {
        reported.push_back(done);
        return false;
    });
    QVERIFY(!stopped);
    QCOMPARE(stopped.status().code(), StatusCode::Cancelled);
    QCOMPARE(reported, std::vector<std::int64_t>{5000});
    std::vector<std::int64_t> all;
    auto whole = (*inspector)->statistics({}, [&](std::int64_t done) { all.push_back(done); return true; });
    QVERIFY(whole);
    QCOMPARE(whole->scanned, std::int64_t{12'000});
    QCOMPARE(all, (std::vector<std::int64_t>{5000, 10000}));
}

void TestStatistics::spaceLedgerFindsMissingAndOrphanFiles() {
    auto inspector = open("ledger");
    QVERIFY(inspector);
    auto ledger = inspector->space();
    QVERIFY2(ledger, ledger.status().toString().c_str());
    const QJsonObject py = m_python["ledger"].toObject();
    QCOMPARE(ledger->valueFiles, py["value_files"].toInteger());
    QCOMPARE(ledger->valueFileBytes, py["value_bytes"].toInteger());
    QCOMPARE(ledger->missingFiles, py["missing"].toInteger());
    QCOMPARE(ledger->orphanFiles, py["orphans"].toInteger());
    QCOMPARE(ledger->orphanBytes, py["orphan_bytes"].toInteger());
    QCOMPARE(ledger->orphanExamples.size(), std::size_t{1});
    QVERIFY(QString::fromStdString(ledger->orphanExamples.front()).endsWith("stray.txt"));
    QCOMPARE(ledger->databaseBytes, static_cast<std::int64_t>(QFileInfo(m_root.filePath("ledger/cache.db")).size()));
    // The deleted file is still counted in Settings.size: the ledger shows it.
    QCOMPARE(ledger->recordedSize, ledger->rowSizeTotal);
    QVERIFY(ledger->recordedSize > ledger->valueFileBytes);
}

void TestStatistics::doctorNamesSettingsThatDefeatTheUser() {
    auto inspector = open("fanout");
    QVERIFY(inspector);
    auto summary = inspector->summary();
    QVERIFY(summary);
    auto stats = inspector->statistics();
    QVERIFY(stats);
    const auto advice = inspect::adviseSettings(*summary, &*stats);
    const QStringList codes = adviceCodes(advice);
    for (const char* code : {"eviction-none", "shard-limit-small", "statistics-off", "tag-index-off"})
        QVERIFY2(hasAdvice(advice, code), qPrintable(codes.join(", ") + " lacks " + code));
    // The split limit is named with the number a user can check: 4 MiB / 8.
    for (const auto& a : advice)
        if (a.code == "shard-limit-small") QVERIFY2(a.message.find("512.0 KiB") != std::string::npos, a.message.c_str());
    // cull_limit 0 matters only when the cache would cull at all.
    QVERIFY(!hasAdvice(advice, "cull-limit-zero"));
}

void TestStatistics::doctorIsQuietOnAHealthyCache() {
    QTemporaryDir dir;
    {
        auto cache = Cache::open(toPath(dir.path()));
        QVERIFY(cache);
        QVERIFY((*cache)->set(Value::text("a"), Value::integer(1)).isOk());
        QVERIFY((*cache)->stats(true).isOk());
    }
    auto inspector = inspect::open(toPath(dir.path()));
    QVERIFY(inspector);
    auto summary = (*inspector)->summary();
    auto stats = (*inspector)->statistics();
    QVERIFY(summary && stats);
    const auto advice = inspect::adviseSettings(*summary, &*stats);
    // Protocol 5 is only information; nothing is a warning.
    for (const auto& a : advice) QVERIFY2(a.level == Advice::Level::Info, a.message.c_str());
    QVERIFY(!hasAdvice(advice, "statistics-off"));
}

void TestStatistics::jsonDiskKeysReadAsJson() {
    auto inspector = open("json");
    QVERIFY(inspector);
    QCOMPARE(inspector->jsonDiskCompressLevel(), std::optional<int>(6));
    PageRequest request;
    request.limit = 10;
    auto page = inspector->list(request);
    QVERIFY(page);
    QStringList shown;
    for (const auto& entry : page->entries) shown << reprOf(entry);
    QStringList expected = jsonStrings(m_python["json"].toObject()["keys"]);
    shown.sort();
    expected.sort();
    QCOMPARE(shown, expected);
    QVERIFY(!open("plain")->jsonDiskCompressLevel());
}

void TestStatistics::jsonDiskKeysAreFoundByTheirJson() {
    auto inspector = open("json");
    QVERIFY(inspector);
    // Typed without Python's spaces, and with the accented letters as they read.
    for (const char* typed : {"[1,2]", "{\"name\":\"\xC3\xA9t\xC3\xA9\",\"n\":3}", "\"alpha\"", "12.5"}) {
        auto key = inspect::jsonDiskKey(typed, 6);
        QVERIFY2(key, typed);
        auto found = inspector->find(*key);
        QVERIFY2(found && found->has_value(), typed);
        QVERIFY((*found)->keyJson);
    }
    auto absent = inspect::jsonDiskKey("[2, 1]", 6);
    QVERIFY(absent);
    auto notFound = inspector->find(*absent);
    QVERIFY(notFound && !notFound->has_value());
    QVERIFY(!inspect::jsonDiskKey("[1, 2", 6));
}

namespace {

// cachescope-cli's stdout for `args`; what it said on stderr when it failed.
QByteArray cliOutput(const QStringList& args, int* exitCode = nullptr) {
    const auto run = testsupport::runCli(args);
    if (exitCode) *exitCode = run.exitCode;
    if (run.exitCode != 0) qWarning() << run.err;
    return run.out;
}

}  // namespace

void TestStatistics::cliAnalyzeReportsTheFigures() {
    const QJsonObject report = QJsonDocument::fromJson(cliOutput({"--json", "analyze", m_root.filePath("plain")})).object();
    QVERIFY(!report.isEmpty());
    const QJsonObject py = m_python["plain"].toObject();
    QCOMPARE(report["scanned"].toInteger(), py["count"].toInteger());
    QCOMPARE(report["expired"].toInteger(), py["expired"].toInteger());
    QCOMPARE(report["in_file"].toInteger(), py["in_file"].toInteger());
    QCOMPARE(report["tags"].toArray().first().toObject()["tag"].toString(), QStringLiteral("red"));
    QCOMPARE(report["memoized"].toArray().first().toObject()["function"].toString(), QStringLiteral("__main__.square"));
    QCOMPARE(report["memoized"].toArray().first().toObject()["entries"].toInteger(), 7);
    QCOMPARE(report["next_to_cull"].toArray().first().toObject()["key"].toString(), QStringLiteral("'doomed-3'"));
    QCOMPARE(report["space"].toObject()["orphan_files"].toInteger(), 0);
    // ls --function lists one function's entries (protocol-2 keys here).
    const QJsonObject cube = QJsonDocument::fromJson(cliOutput({"--json", "ls", m_root.filePath("plain"), "--function", "__main__.cube"})).object();
    QCOMPARE(cube["total"].toInteger(), 2);
    QVERIFY(cube["entries"].toArray().first().toObject()["key"].toString().startsWith("('__main__.cube', "));

    const QJsonObject fanout = QJsonDocument::fromJson(cliOutput({"--json", "analyze", m_root.filePath("fanout")})).object();
    QStringList codes;
    for (const auto& advice : fanout["advice"].toArray()) codes << advice.toObject()["code"].toString();
    QVERIFY2(codes.contains("shard-limit-small") && codes.contains("eviction-none"), qPrintable(codes.join(", ")));
    // The text form says the same in words.
    const QString text = QString::fromUtf8(cliOutput({"analyze", m_root.filePath("fanout")}));
    QVERIFY2(text.contains("Each of the 8 shards may hold only 512.0 KiB"), qPrintable(text));
}

void TestStatistics::cliGetFindsJsonDiskKeysByTheirJson() {
    // Python stored {"i": 1} under [1, 2]; the CLI prints the value as JSON.
    const QByteArray out = cliOutput({"get", m_root.filePath("json"), "[1,2]"});
    QCOMPARE(QJsonDocument::fromJson(out).object()["i"].toInt(), 1);
    // Text that is not JSON is the str key it spells.
    QCOMPARE(QJsonDocument::fromJson(cliOutput({"get", m_root.filePath("json"), "alpha"})).object()["i"].toInt(), 0);
    const QJsonObject listed = QJsonDocument::fromJson(cliOutput({"--json", "ls", m_root.filePath("json"), "--limit", "10"})).object();
    QStringList keys;
    for (const auto& entry : listed["entries"].toArray()) keys << entry.toObject()["key"].toString();
    QVERIFY2(keys.contains(QStringLiteral("[1, 2]")), qPrintable(keys.join(" | ")));
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"

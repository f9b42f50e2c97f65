// The engine against the real Python library (Debian's python3-diskcache):
// what one writes the other reads, both at once, and culling that removes
// the same rows.
#include <sqlite3.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <random>
#include <mutex>
#include <thread>

#include "diskcache/cache.h"
#include "diskcache/fanout.h"
#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;
using testsupport::runPython;
using testsupport::runPythonJson;
using testsupport::toPath;

namespace {

std::string fromHex(const QString& hex) { return QByteArray::fromHex(hex.toLatin1()).toStdString(); }

// A value in interop_common.encode()'s JSON form as the engine sees it.
Value expectedValue(const QJsonValue& json) {
    if (json.isNull()) return Value::none();
    const QJsonObject o = json.toObject();
    const QString type = o["type"].toString();
    if (type == "str") return Value::text(o["text"].toString().toStdString());
    if (type == "bytes") return Value::bytes(fromHex(o["hex"].toString()));
    if (type == "int") return Value::integer(std::stoll(o["int"].toString().toStdString()));
    if (type == "float") return Value::real(std::strtod(o["hex"].toString().toStdString().c_str(), nullptr));
    return Value::pickle(fromHex(o["hex"].toString()));
}

// The engine's Value in the same JSON form, for what Python reads back.
QJsonValue encodeForPython(const Value& value) {
    switch (value.kind()) {
    case ValueKind::None: return QJsonValue::Null;
    case ValueKind::Text: return QJsonObject{{"type", "str"}, {"text", QString::fromStdString(value.data())}};
    case ValueKind::Bytes:
        return QJsonObject{{"type", "bytes"}, {"hex", QString::fromLatin1(QByteArray::fromStdString(value.data()).toHex())}};
    case ValueKind::Int: return QJsonObject{{"type", "int"}, {"int", QString::number(value.asInt())}};
    case ValueKind::Float: {
        char hex[64];
        std::snprintf(hex, sizeof hex, "%a", value.asFloat());
        return QJsonObject{{"type", "float"}, {"repr", QString()}, {"hexvalue", QString::fromLatin1(hex)}};
    }
    case ValueKind::Pickle: return QJsonObject{{"type", "pickle"}};
    }
    return QJsonValue::Null;
}

std::unique_ptr<Cache> openCache(const QString& dir, OpenOptions options = {}) {
    auto cache = Cache::open(toPath(dir), options);
    if (!cache) qWarning() << cache.status().toString().c_str();
    return cache ? std::move(*cache) : nullptr;
}

QString pythonPickle(const char* literal) {
    const auto result = runPython("interop_pickle_key.py", {literal});
    return QString::fromLatin1(result.out).trimmed();
}

void copyTree(const QString& from, const QString& to) {
    fs::copy(toPath(from), toPath(to), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

QStringList pythonKeys(const QString& dir) {
    const auto doc = runPythonJson("interop_policy.py", {"keys", dir});
    QStringList keys;
    for (const auto& key : doc.array()) keys << key.toString();
    return keys;
}

}  // namespace

class TestInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pythonWritesEngineReads();
    void engineWritesPythonReads();
    void statisticsAndAccessAreSharedWithPython();
    void windowsFilenamesAreRead();
    void inspectionBesideALivePythonWriter();
    void concurrentMixedWorkload();
    void fanoutSharesShardsWithPython();
    void cullRemovesTheRowsPythonWould_data();
    void cullRemovesTheRowsPythonWould();
    void bulkCullRemovesWhatPythonsCullWould();
    void cullBesideAPythonWriterLeavesBothChecksClean();
    void checkWithoutFixWhilePythonHoldsTheWriteLock();
};

void TestInterop::initTestCase() {
    const auto result = runPython("interop_pickle_key.py", {"1"});
    if (result.exitCode != 0) QFAIL(qPrintable("python3-diskcache is not usable: " + QString::fromLocal8Bit(result.err)));
}

void TestInterop::pythonWritesEngineReads() {
    QTemporaryDir dir;
    const QJsonObject manifest = runPythonJson("interop_write.py", {dir.path()}).object();
    QVERIFY(!manifest.isEmpty());
    for (bool readOnly : {true, false}) {
        auto cache = openCache(dir.path(), {.readOnly = readOnly});
        QVERIFY(cache);
        const QJsonArray items = manifest["items"].toArray();
        QVERIFY(items.size() >= 18);
        for (const auto& entry : items) {
            const QJsonObject o = entry.toObject();
            const Value key = o["raw"].toBool() ? expectedValue(o["key"]) : Value::pickle(fromHex(o["pickled_key"].toString()));
            auto item = cache->get(key);
            QVERIFY2(item.isOk(), item.status().toString().c_str());
            QVERIFY2(item->has_value(), qPrintable(QJsonDocument(o).toJson()));
            QVERIFY2((*item)->value == expectedValue(o["value"]), qPrintable(QJsonDocument(o).toJson()));
            QVERIFY((*item)->tag == expectedValue(o["tag"]));
            if (o["expire_time"].isNull()) QVERIFY(!(*item)->expireTime);
            else QCOMPARE(*(*item)->expireTime, o["expire_time"].toDouble());
        }
        QVERIFY(!cache->get(Value::text("expired"))->has_value());
        QCOMPARE(*cache->count(), std::int64_t(manifest["count"].toInteger()));
        QCOMPARE(*cache->volume(), std::int64_t(manifest["volume"].toInteger()));
        const auto report = cache->check(false);
        QVERIFY(report.isOk());
        QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
    }
    // The queues continue where Python left them, in both directions.
    auto cache = openCache(dir.path());
    // As in the library, any raw number between 0 and 999999999999999 is in
    // the unprefixed queue, and pushes after the float key 1.5 were given
    // the keys 2.5, 3.5, 4.5 and (in front) 0.5.
    const QJsonArray queueKeys = manifest["queue_keys"].toArray();
    QCOMPARE(expectedValue(queueKeys[0]), Value::real(2.5));
    QCOMPARE((*cache->pull())->value, Value::text("front"));
    QCOMPARE((*cache->pull())->key, Value::real(1.5));
    QCOMPARE((*cache->pull())->key, expectedValue(queueKeys[0]));
    QCOMPARE(*cache->push(Value::text("more")), Value::real(expectedValue(queueKeys[2]).asFloat() + 1));
    QCOMPARE((*cache->pull(std::string("jobs"), QueueSide::Back))->value.asInt(), std::int64_t(2));
    QCOMPARE(cache->push(Value::integer(9), std::string("jobs"))->data(), std::string("jobs-500000000000002"));
}

void TestInterop::engineWritesPythonReads() {
    QTemporaryDir dir;
    const std::string tuplePickle = fromHex(pythonPickle("(1, 'a')"));
    const std::string dictPickle = fromHex(pythonPickle("{'x': [1, 2.5, None]}"));
    QVERIFY(!tuplePickle.empty() && !dictPickle.empty());
    const std::string bigText = [] {
        std::string s;
        for (int i = 0; i < 5000; ++i) s += "línea " + std::to_string(i) + "\n";
        return s;
    }();
    struct Entry { Value key; Value value; Value tag; std::optional<double> expire; };
    const std::vector<Entry> entries = {
        {Value::text("text"), Value::integer(-7), Value::none(), std::nullopt},
        {Value::text("ключ"), Value::text("значение"), Value::text("tag"), 3600},
        {Value::bytes(std::string("\0\1", 2)), Value::real(0.1), Value::bytes("bt"), std::nullopt},
        {Value::integer(INT64_MIN), Value::bytes(std::string(70000, '\xab')), Value::integer(3), std::nullopt},
        {Value::integer(INT64_MAX), Value::text(bigText), Value::none(), 7200.25},
        {Value::real(-2.5), Value::pickle(dictPickle), Value::real(1.5), std::nullopt},
        {Value::pickle(tuplePickle), Value::bytes(""), Value::none(), std::nullopt},
        {Value::text("pickled-big"), Value::pickle(std::string("\x80\x05\x95") + std::string(8, '\0') + "N."), Value::none(), std::nullopt},
    };
    {
        auto cache = openCache(dir.path());
        QVERIFY(cache);
        for (const auto& e : entries) QVERIFY(cache->set(e.key, e.value, {.expire = e.expire, .tag = e.tag}).isOk());
        QCOMPARE(*cache->incr(Value::text("counter"), 5), std::int64_t(5));
        QVERIFY(cache->push(Value::text("job"), std::string("q")).isOk());
        QVERIFY(cache->set(Value::text("expired"), Value::integer(1), {.expire = -1}).isOk());
    }
    const QJsonObject read = runPythonJson("interop_read.py", {dir.path()}).object();
    QVERIFY(!read.isEmpty());
    QCOMPARE(read["check"].toArray().size(), 0);
    QCOMPARE(read["count"].toInteger(), read["table_count"].toInteger());
    QCOMPARE(read["size"].toInteger(), read["table_size"].toInteger());
    // + counter and queue item; the expired item culled itself at the end of
    // its own set(), as the library's does.
    QCOMPARE(read["count"].toInteger(), qint64(entries.size() + 2));

    QMap<QString, QJsonObject> byKey;  // Python's view, keyed by our JSON form of the key
    for (const auto& item : read["items"].toArray()) {
        const QJsonObject o = item.toObject();
        const QJsonObject key = o["key"].toObject();
        byKey[key["type"] == "pickle" ? key["repr"].toString() : QJsonDocument(key).toJson(QJsonDocument::Compact)] = o;
    }
    QCOMPARE(byKey.size(), qsizetype(entries.size() + 2));  // + counter and the queue item; not the expired one
    for (const auto& e : entries) {
        if (e.key.kind() == ValueKind::Float || e.value.kind() == ValueKind::Pickle) continue;  // compared below
        const QString name = e.key.kind() == ValueKind::Pickle
                                 ? QStringLiteral("(1, 'a')")
                                 : QString(QJsonDocument(encodeForPython(e.key).toObject()).toJson(QJsonDocument::Compact));
        QVERIFY2(byKey.contains(name), qPrintable(name));
        const QJsonObject o = byKey[name];
        if (e.value.kind() == ValueKind::Float) {
            QCOMPARE(o["value"].toObject()["repr"].toString(), QStringLiteral("0.1"));
        } else {
            QVERIFY2(expectedValue(o["value"]) == e.value, qPrintable(name));
        }
        QVERIFY2(expectedValue(o["tag"]).kind() == e.tag.kind(), qPrintable(name));
        QCOMPARE(o["expire_time"].isNull(), !e.expire.has_value());
    }
    bool sawFloatKey = false, sawPickles = false;
    for (const auto& o : byKey) {
        const QJsonObject key = o["key"].toObject();
        if (key["type"] == "float") {
            sawFloatKey = key["repr"] == "-2.5";
            QCOMPARE(o["value"].toObject()["repr"].toString(), QStringLiteral("{'x': [1, 2.5, None]}"));
            QCOMPARE(o["tag"].toObject()["repr"].toString(), QStringLiteral("1.5"));
        }
        if (key["type"] == "str" && key["text"] == "pickled-big") sawPickles = o["value"].isNull();
    }
    QVERIFY(sawFloatKey);
    QVERIFY(sawPickles);  // a framed pickle of None reads back as None
    QCOMPARE(byKey[QJsonDocument(QJsonObject{{"type", "str"}, {"text", "counter"}}).toJson(QJsonDocument::Compact)]["value"]
                 .toObject()["int"].toString(), QStringLiteral("5"));
}

void TestInterop::statisticsAndAccessAreSharedWithPython() {
    QTemporaryDir dir;
    QVERIFY(runPythonJson("interop_write.py", {dir.path()}).isObject());
    {
        auto cache = openCache(dir.path());
        QVERIFY(cache->stats(true, true).isOk());
        QVERIFY(cache->get(Value::text("text"))->has_value());
        QVERIFY(!cache->get(Value::text("nope"))->has_value());
        QVERIFY(!cache->get(Value::text("expired"))->has_value());
    }
    const QJsonObject read = runPythonJson("interop_read.py", {dir.path()}).object();
    // Python's own gets while reading add to the engine's: 1 + its hits.
    QVERIFY(read["hits"].toInteger() >= 1);
    QCOMPARE(read["misses"].toInteger(), qint64(2));
}

void TestInterop::windowsFilenamesAreRead() {
    QTemporaryDir dir;
    QVERIFY(runPythonJson("interop_write.py", {dir.path()}).isObject());
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open((toPath(dir.path()) / "cache.db").string().c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "UPDATE Cache SET filename = replace(filename, '/', '\\') WHERE filename IS NOT NULL",
                          nullptr, nullptr, nullptr), SQLITE_OK);
    QVERIFY(sqlite3_changes(db) > 0);
    sqlite3_close(db);
    auto cache = openCache(dir.path(), {.readOnly = true});
    auto count = 0;
    QVERIFY(cache->forEachKey(Cache::KeyOrder::Insertion, [&](const Value& key) {
        auto item = cache->get(key);
        if (item.isOk() && item->has_value() && (*item)->path) ++count;
        return true;
    }).isOk());
    QVERIFY(count >= 3);
    QVERIFY(cache->check(false)->findings.empty());
}

void TestInterop::inspectionBesideALivePythonWriter() {
    QTemporaryDir dir;
    QVERIFY(runPythonJson("interop_write.py", {dir.path()}).isObject());
    QProcess writer;
    writer.start(CACHESCOPE_PYTHON, {CACHESCOPE_TEST_SCRIPTS "/interop_worker.py", dir.path(), "1", "3000"});
    QVERIFY(writer.waitForStarted());
    int reads = 0;
    while (!writer.waitForFinished(1)) {  // waitFor* is what updates the state without an event loop
        auto cache = openCache(dir.path(), {.readOnly = true, .timeout = 5});
        QVERIFY(cache);
        QVERIFY(cache->count().isOk());
        auto report = cache->check(false);
        QVERIFY2(report.isOk(), report.status().toString().c_str());
        ++reads;
    }
    QCOMPARE(writer.exitCode(), 0);
    QVERIFY(reads > 0);
    const QJsonObject read = runPythonJson("interop_read.py", {dir.path()}).object();
    QCOMPARE(read["check"].toArray().size(), 0);
}

void TestInterop::concurrentMixedWorkload() {
    QTemporaryDir dir;
    { QVERIFY(openCache(dir.path())); }
    const int operations = 3000;
    std::vector<std::unique_ptr<QProcess>> workers;
    for (int seed = 1; seed <= 2; ++seed) {
        auto process = std::make_unique<QProcess>();
        process->start(CACHESCOPE_PYTHON, {CACHESCOPE_TEST_SCRIPTS "/interop_worker.py", dir.path(),
                                           QString::number(seed), QString::number(operations)});
        QVERIFY(process->waitForStarted());
        workers.push_back(std::move(process));
    }
    std::atomic<int> errors{0}, wrongValues{0};
    std::mutex firstErrorMutex;
    std::string firstError;  // what went wrong first, for the failure message
    auto failed = [&](const std::string& what, const Status& status) {
        std::lock_guard lock(firstErrorMutex);
        if (firstError.empty()) firstError = what + ": " + status.toString();
        ++errors;
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            auto cache = Cache::open(toPath(dir.path()));  // one connection per thread, like separate processes
            if (!cache) { ++errors; return; }
            std::mt19937 rng(100 + t);
            for (int n = 0; n < operations; ++n) {
                const std::string key = "k" + std::to_string(rng() % 100);
                const double roll = (rng() % 1000) / 1000.0;
                if (roll < 0.4) {
                    std::string value = key + ":cpp" + std::to_string(t) + ":" + std::to_string(n);
                    if (rng() % 10 == 0) value += "|" + std::string(40000, 'y');
                    if (Status st = (*cache)->set(Value::text(key), Value::text(value), {.tag = Value::text("cpp")}); !st) failed("set", st);
                } else if (roll < 0.8) {
                    auto item = (*cache)->get(Value::text(key));
                    if (!item) failed("get", item.status());
                    else if (item->has_value() && (*item)->value.data().substr(0, key.size() + 1) != key + ":") ++wrongValues;
                } else if (roll < 0.9) {
                    if (auto removed = (*cache)->remove(Value::text(key)); !removed) failed("remove", removed.status());
                } else if (auto counted = (*cache)->incr(Value::text("counter")); !counted) {
                    failed("incr", counted.status());
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (auto& worker : workers) {
        QVERIFY(worker->waitForFinished(300000));
        QCOMPARE(worker->exitCode(), 0);  // no Python read saw a wrong value
    }
    QVERIFY2(errors.load() == 0, firstError.c_str());
    QCOMPARE(wrongValues.load(), 0);
    auto cache = openCache(dir.path());
    auto report = cache->check(false);
    QVERIFY(report.isOk());
    QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
    const QJsonObject read = runPythonJson("interop_read.py", {dir.path()}).object();
    QCOMPARE(read["check"].toArray().size(), 0);
    QCOMPARE(read["count"].toInteger(), read["table_count"].toInteger());
    QCOMPARE(read["size"].toInteger(), read["table_size"].toInteger());
    QCOMPARE(*cache->count(), read["count"].toInteger());
}

void TestInterop::fanoutSharesShardsWithPython() {
    QTemporaryDir dir;
    const QJsonObject written = runPythonJson("interop_fanout.py", {"write", dir.path()}).object();
    QVERIFY(!written.isEmpty());
    {
        auto fanout = FanoutCache::open(toPath(dir.path()), {.readOnly = true});
        QVERIFY2(fanout.isOk(), fanout.status().toString().c_str());
        QCOMPARE((*fanout)->shardCount(), 4);
        QCOMPARE(*(*fanout)->count(), written["count"].toInteger());
        const std::string tuplePickle = fromHex(pythonPickle("(1, 'a')"));
        for (const auto& entry : written["items"].toArray()) {
            const QJsonObject o = entry.toObject();
            const Value key = o["key"].toObject()["type"] == "pickle" ? Value::pickle(tuplePickle) : expectedValue(o["key"]);
            QCOMPARE(qint64(portableHash(key)), o["hash"].toInteger());
            auto item = (*fanout)->get(key);
            QVERIFY2(item.isOk() && item->has_value(), qPrintable(QJsonDocument(o).toJson()));
            QCOMPARE((*item)->value, Value::text(o["value"].toString().toStdString()));
        }
    }
    {
        auto fanout = FanoutCache::open(toPath(dir.path()), {.timeout = 5});
        QVERIFY(fanout.isOk());
        const std::vector<Value> keys = {Value::text("cpp-text"), Value::bytes("cpp-bytes"), Value::integer(-98765),
                                         Value::real(3.25), Value::integer(std::int64_t(1) << 40)};
        for (std::size_t i = 0; i < keys.size(); ++i)
            QVERIFY((*fanout)->set(keys[i], Value::integer(std::int64_t(i) * 10)).isOk());
    }
    const QJsonObject read = runPythonJson("interop_fanout.py", {"read", dir.path()}).object();
    QCOMPARE(read["check"].toArray().size(), 0);
    const QJsonArray values = read["values"].toArray();
    QCOMPARE(values.size(), 5);
    for (int i = 0; i < 5; ++i) QCOMPARE(values[i].toInteger(), qint64(i * 10));
    QCOMPARE(read["count"].toInteger(), written["count"].toInteger() + 5);
}

void TestInterop::cullRemovesTheRowsPythonWould_data() {
    QTest::addColumn<QString>("policy");
    for (const char* policy : {"least-recently-stored", "least-recently-used", "least-frequently-used", "none"})
        QTest::newRow(policy) << policy;
}

void TestInterop::cullRemovesTheRowsPythonWould() {
    QFETCH(QString, policy);
    QTemporaryDir base, python, engine, pythonSet, engineSet;
    QCOMPARE(runPython("interop_policy.py", {"prepare", base.path() + "/c", policy}).exitCode, 0);
    for (const auto* target : {&python, &engine, &pythonSet, &engineSet}) copyTree(base.path() + "/c", target->path());

    // cull(): expired rows, then by policy until under the size limit.
    QCOMPARE(runPython("interop_policy.py", {"cull", python.path()}).exitCode, 0);
    {
        auto cache = openCache(engine.path());
        auto removal = cache->cull();
        QVERIFY(removal.isOk());
        QVERIFY(removal->removed >= 9);  // at least the expired ones
    }
    const QStringList afterPython = pythonKeys(python.path());
    QCOMPARE(pythonKeys(engine.path()), afterPython);
    QVERIFY(afterPython.size() < 60);

    // set(): culls up to cull_limit rows at its end.
    QCOMPARE(runPython("interop_policy.py", {"set", pythonSet.path()}).exitCode, 0);
    {
        auto cache = openCache(engineSet.path());
        QVERIFY(cache->reset("cull_limit", Value::integer(13)).isOk());
        QVERIFY(cache->set(Value::text("new"), Value::integer(1)).isOk());
    }
    const QStringList afterPythonSet = pythonKeys(pythonSet.path());
    QCOMPARE(pythonKeys(engineSet.path()), afterPythonSet);
    QCOMPARE(afterPythonSet.size(), policy == "none" ? 60 - 9 + 1 : 60 - 13 + 1);
}

// What Python sees of a cache: its check()'s warnings, len, volume, keys.
QJsonObject pythonState(const QString& dir) { return runPythonJson("interop_bulk.py", {"state", dir}).object(); }

// The engine's cull runs many of the library's 10-row batches in one
// transaction; it must still stop at the batch where Python's cull stops
// (volume at or below size_limit, checked after every batch of 10).
void TestInterop::bulkCullRemovesWhatPythonsCullWould() {
    QTemporaryDir base, python, engine;
    QCOMPARE(runPython("interop_bulk.py", {"prepare", base.path() + "/c", "20000"}).exitCode, 0);
    copyTree(base.path() + "/c", python.path());
    copyTree(base.path() + "/c", engine.path());

    const auto pythonCull = runPython("interop_bulk.py", {"cull", python.path()});
    QCOMPARE(pythonCull.exitCode, 0);
    std::int64_t engineRemoved = 0;
    {
        auto cache = openCache(engine.path());
        auto removal = cache->cull();
        QVERIFY2(removal.isOk(), removal.status().toString().c_str());
        engineRemoved = removal->removed;
        const auto report = cache->check(false);
        QVERIFY(report.isOk());
        QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
    }
    QCOMPARE(engineRemoved, QString::fromLatin1(pythonCull.out).trimmed().toLongLong());
    const QJsonObject afterPython = pythonState(python.path());
    const QJsonObject afterEngine = pythonState(engine.path());
    QCOMPARE(afterEngine["warnings"].toArray().size(), 0);
    QVERIFY(afterEngine["volume"].toInteger() <= afterEngine["size_limit"].toInteger());
    QVERIFY(afterEngine["len"].toInteger() > 5000);  // well past the expired rows, well short of everything
    QCOMPARE(afterEngine["len"].toInteger(), afterPython["len"].toInteger());
    QCOMPARE(afterEngine["keys"].toArray(), afterPython["keys"].toArray());
}

// A Python writer that sets rows all through the engine's cull gets its
// turns (every set lands, none times out) and neither side's check() finds
// anything afterwards.
void TestInterop::cullBesideAPythonWriterLeavesBothChecksClean() {
    QTemporaryDir dir;
    QCOMPARE(runPython("interop_bulk.py", {"prepare", dir.path(), "20000"}).exitCode, 0);
    QProcess writer;
    writer.start(CACHESCOPE_PYTHON, {CACHESCOPE_TEST_SCRIPTS "/interop_bulk.py", "write", dir.path(), "3000"});
    QVERIFY(writer.waitForStarted());
    QVERIFY(writer.waitForReadyRead(60000));
    QCOMPARE(QString::fromLatin1(writer.readLine()).trimmed(), QStringLiteral("writing"));
    std::int64_t removed = 0;
    {
        auto cache = openCache(dir.path());
        auto removal = cache->cull();
        QVERIFY2(removal.isOk(), removal.status().toString().c_str());
        removed = removal->removed;
        QVERIFY(writer.waitForFinished(120000));
        QCOMPARE(writer.exitCode(), 0);
        QCOMPARE(QString::fromLatin1(writer.readAllStandardOutput()).trimmed(), QStringLiteral("3000"));
        const auto report = cache->check(false);
        QVERIFY(report.isOk());
        QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
    }
    QVERIFY(removed > 10000);
    const QJsonObject state = pythonState(dir.path());
    QCOMPARE(state["warnings"].toArray().size(), 0);
    QVERIFY(state["len"].toInteger() < 20000 - 10000 + 3000);
}

// check() without fix only reads: it completes while a Python process holds
// the write lock (Python's own check() would wait for it).
void TestInterop::checkWithoutFixWhilePythonHoldsTheWriteLock() {
    QTemporaryDir dir;
    QCOMPARE(runPython("interop_bulk.py", {"prepare", dir.path(), "2000"}).exitCode, 0);
    auto cache = openCache(dir.path(), {.timeout = 0.2});  // opening writes Settings: before the lock is taken
    QVERIFY(cache);
    QProcess holder;
    holder.start(CACHESCOPE_PYTHON, {CACHESCOPE_TEST_SCRIPTS "/interop_bulk.py", "hold", dir.path(), "30"});
    QVERIFY(holder.waitForStarted());
    QVERIFY(holder.waitForReadyRead(60000));
    QCOMPARE(QString::fromLatin1(holder.readLine()).trimmed(), QStringLiteral("locked"));
    {
        QCOMPARE(cache->set(Value::text("x"), Value::integer(1)).code(), StatusCode::Timeout);  // the lock is held
        const auto report = cache->check(false);
        QVERIFY2(report.isOk(), report.status().toString().c_str());
        QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
        QCOMPARE(holder.state(), QProcess::Running);  // still holding it
    }
    holder.kill();
    QVERIFY(holder.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"

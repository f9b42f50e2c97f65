// Deque and Index: the semantics of Python's diskcache.Deque and
// diskcache.Index, and the same directories shared with the real library
// (Debian's python3-diskcache) in both directions.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "diskcache/deque.h"
#include "diskcache/fanout.h"
#include "diskcache/index.h"
#include "diskcache/pickle.h"
#include "testsupport.h"

using namespace diskcache;
using testsupport::runPython;
using testsupport::runPythonJson;
using testsupport::toPath;

namespace {

// A Python object given as a literal, pickled as the library pickles keys.
Value pickled(const char* literal) {
    auto object = py::parseLiteral(literal);
    if (!object) return Value::none();
    auto bytes = py::encodeKey(*object, 5);
    return bytes ? Value::pickle(*bytes) : Value::none();
}

// Long contents are described by length and digest, so a failure stays readable.
QString contents(const std::string& data, bool text) {
    const QByteArray bytes = QByteArray::fromStdString(data);
    if (data.size() <= 80) return text ? QString::fromStdString(data) : QString::fromLatin1(bytes.toHex());
    const QByteArray digest = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    return QStringLiteral("%1 bytes sha256 %2").arg(data.size()).arg(QString::fromLatin1(digest));
}

QString floatText(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%a", value);
    return QString::fromLatin1(text);
}

// A value as a person reads it, the same from either side: its Python type
// and contents, and for a pickle the repr() of the object it holds.
QString describe(const Value& value) {
    switch (value.kind()) {
    case ValueKind::None: return QStringLiteral("(no value)");
    case ValueKind::Int: return QStringLiteral("int ") + QString::number(value.asInt());
    case ValueKind::Float: return QStringLiteral("float ") + floatText(value.asFloat());
    case ValueKind::Text: return QStringLiteral("str ") + contents(value.data(), true);
    case ValueKind::Bytes: return QStringLiteral("bytes ") + contents(value.data(), false);
    case ValueKind::Pickle: {
        auto object = py::decodePickle(value.data());
        if (!object) return QStringLiteral("undecodable pickle");
        return QStringLiteral("pickle ") + QString::fromStdString(py::repr(*object));
    }
    }
    return {};
}

// The same description of a value in interop_common.encode()'s JSON form.
QString describe(const QJsonValue& json) {
    const QJsonObject o = json.toObject();
    const QString type = o["type"].toString();
    const QByteArray hex = o["hex"].toString().toLatin1();
    if (type == "str") return QStringLiteral("str ") + contents(o["text"].toString().toStdString(), true);
    if (type == "bytes") return QStringLiteral("bytes ") + contents(QByteArray::fromHex(hex).toStdString(), false);
    if (type == "int") return QStringLiteral("int ") + o["int"].toString();
    if (type == "float") return QStringLiteral("float ") + floatText(std::strtod(hex.constData(), nullptr));
    if (type == "pickle") return QStringLiteral("pickle ") + o["repr"].toString();
    return QStringLiteral("(unknown JSON value)");
}

QStringList describeAll(const std::vector<Value>& values) {
    QStringList out;
    for (const Value& value : values) out << describe(value);
    return out;
}

QStringList describeAll(const std::vector<KeyValue>& items) {
    QStringList out;
    for (const KeyValue& item : items) out << describe(item.key) + " -> " + describe(item.value);
    return out;
}

QStringList describeValues(const QJsonArray& array) {
    QStringList out;
    for (const auto& value : array) out << describe(value);
    return out;
}

QStringList describeItems(const QJsonArray& array) {
    QStringList out;
    for (const auto& item : array) {
        out << describe(item.toObject()["key"]) + " -> " + describe(item.toObject()["value"]);
    }
    return out;
}

std::unique_ptr<Deque> openDeque(const QString& dir, OpenOptions options = {}) {
    auto deque = Deque::open(toPath(dir), options);
    if (!deque) qWarning() << deque.status().toString().c_str();
    return deque ? std::move(*deque) : nullptr;
}

std::unique_ptr<Index> openIndex(const QString& dir, OpenOptions options = {}) {
    auto index = Index::open(toPath(dir), options);
    if (!index) qWarning() << index.status().toString().c_str();
    return index ? std::move(*index) : nullptr;
}

std::vector<Value> ints(std::initializer_list<std::int64_t> numbers) {
    std::vector<Value> values;
    for (auto n : numbers) values.push_back(Value::integer(n));
    return values;
}

std::string bigText() {
    std::string text;
    for (int i = 0; i < 4000; ++i) text += "línea " + std::to_string(i) + "\n";
    return text;
}

}  // namespace

class TestCollections : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dequeEndsAndIndexing();
    void dequeRotateReverseRemove();
    void indexMappingAndOrder();
    void indexEndsAndQueues();
    void openingMakesPolicyNone();
    void threadsAppendToOneDeque();
    void pythonWritesEngineReads();
    void engineWritesPythonReads();
    void bothSidesChangeOneDirectory();
    void fanoutSubStoresInterop();
};

void TestCollections::initTestCase() {
    const auto result = runPython("interop_pickle_key.py", {"1"});
    if (result.exitCode != 0) {
        QFAIL(qPrintable("python3-diskcache is not usable: " + QString::fromLocal8Bit(result.err)));
    }
    QVERIFY(!pickled("(1, 'a')").isNone());
}

void TestCollections::dequeEndsAndIndexing() {
    QTemporaryDir dir;
    auto deque = openDeque(dir.path());
    QVERIFY(deque);
    QVERIFY(!deque->pop()->has_value());
    QVERIFY(!deque->peekLeft()->has_value());
    QCOMPARE(deque->at(0).status().code(), StatusCode::NotFound);

    // Python's docstring: deque += range(5); appendleft(-v) for v in range(5).
    QVERIFY(deque->extend(ints({0, 1, 2, 3, 4})).isOk());
    for (std::int64_t v = 0; v < 5; ++v) QVERIFY(deque->appendLeft(Value::integer(-v)).isOk());
    QCOMPARE(*deque->size(), std::int64_t(10));
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({-4, -3, -2, -1, 0, 0, 1, 2, 3, 4})));
    QCOMPARE(**deque->peek(), Value::integer(4));
    QCOMPARE(**deque->peekLeft(), Value::integer(-4));
    QCOMPARE(**deque->pop(), Value::integer(4));
    QCOMPARE(**deque->popLeft(), Value::integer(-4));

    std::vector<Value> backwards;
    QVERIFY(deque->forEach([&](const Value& v) { backwards.push_back(v); return true; }, true).isOk());
    QCOMPARE(describeAll(backwards), describeAll(ints({3, 2, 1, 0, 0, -1, -2, -3})));

    QCOMPARE(*deque->at(1), Value::integer(-2));
    QCOMPARE(*deque->at(-2), Value::integer(2));
    QCOMPARE(*deque->at(-8), Value::integer(-3));
    QCOMPARE(deque->at(8).status().code(), StatusCode::NotFound);
    QCOMPARE(deque->at(-9).status().code(), StatusCode::NotFound);

    QVERIFY(deque->setAt(0, Value::text("a")).isOk());
    QVERIFY(deque->setAt(-1, Value::text("z")).isOk());
    QVERIFY(deque->removeAt(3).isOk());   // the first 0
    QVERIFY(deque->removeAt(-2).isOk());  // 2
    QCOMPARE(deque->removeAt(6).code(), StatusCode::NotFound);
    QCOMPARE(describeAll(*deque->values()), describeAll({Value::text("a"), Value::integer(-2), Value::integer(-1),
                                                         Value::integer(0), Value::integer(1), Value::text("z")}));
    // extendleft puts the last value given first.
    QVERIFY(deque->extendLeft({Value::text("x"), Value::text("y")}).isOk());
    QCOMPARE(*deque->at(0), Value::text("y"));
    QCOMPARE(*deque->size(), std::int64_t(8));

    QVERIFY(deque->clear().isOk());
    QCOMPARE(*deque->size(), std::int64_t(0));
    QVERIFY(deque->values()->empty());
}

void TestCollections::dequeRotateReverseRemove() {
    QTemporaryDir dir;
    auto deque = openDeque(dir.path());
    QVERIFY(deque);
    QVERIFY(deque->rotate(3).isOk());  // empty: nothing to do
    QVERIFY(deque->extend(ints({0, 1, 2, 3, 4})).isOk());
    // Python's docstring examples, then a rotation longer than the deque.
    QVERIFY(deque->rotate(2).isOk());
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({3, 4, 0, 1, 2})));
    QVERIFY(deque->rotate(-1).isOk());
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({4, 0, 1, 2, 3})));
    QVERIFY(deque->rotate(-7).isOk());
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({1, 2, 3, 4, 0})));
    QVERIFY(deque->rotate(INT64_MIN).isOk());  // 2^63 % 5 == 3 steps left
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({4, 0, 1, 2, 3})));

    QVERIFY(deque->reverse().isOk());
    QCOMPARE(describeAll(*deque->values()), describeAll(ints({3, 2, 1, 0, 4})));
    QVERIFY(deque->append(Value::text("big " + std::string(40000, 'b'))).isOk());  // a value file moves too
    QVERIFY(deque->reverse().isOk());
    QCOMPARE(*deque->at(0), Value::text("big " + std::string(40000, 'b')));
    QCOMPARE(*deque->at(-1), Value::integer(3));
    QCOMPARE(*deque->size(), std::int64_t(6));

    QVERIFY(deque->append(Value::integer(1)).isOk());
    QCOMPARE(*deque->count(Value::integer(1)), std::int64_t(2));
    QCOMPARE(*deque->remove(Value::integer(1)), true);  // the first of the two
    QCOMPARE(*deque->remove(Value::text("absent")), false);
    QCOMPARE(*deque->count(Value::integer(1)), std::int64_t(1));
    QCOMPARE(*deque->at(-1), Value::integer(1));
    QCOMPARE(*deque->size(), std::int64_t(6));
    const auto report = deque->cache().check(false);
    QVERIFY(report.isOk() && report->findings.empty());
}

void TestCollections::indexMappingAndOrder() {
    QTemporaryDir dir;
    auto index = openIndex(dir.path());
    QVERIFY(index);
    QVERIFY(index->update({{Value::text("a"), Value::integer(1)},
                           {Value::text("b"), Value::integer(2)},
                           {Value::text("c"), Value::integer(3)}})
                .isOk());
    QVERIFY(index->set(pickled("('t', 1)"), Value::bytes("tuple key")).isOk());
    QCOMPARE(*index->size(), std::int64_t(4));
    QCOMPARE(**index->get(Value::text("b")), Value::integer(2));
    QCOMPARE(**index->get(pickled("('t', 1)")), Value::bytes("tuple key"));
    QVERIFY(!index->get(Value::text("zz"))->has_value());
    QCOMPARE(*index->contains(Value::text("c")), true);
    QCOMPARE(*index->contains(Value::text("zz")), false);

    // Replacing keeps the place; removing and setting again moves to the end.
    QVERIFY(index->set(Value::text("a"), Value::integer(10)).isOk());
    QCOMPARE(*index->remove(Value::text("b")), true);
    QCOMPARE(*index->remove(Value::text("b")), false);
    QVERIFY(index->set(Value::text("b"), Value::integer(20)).isOk());
    QCOMPARE(describeAll(*index->keys()),
             describeAll({Value::text("a"), Value::text("c"), pickled("('t', 1)"), Value::text("b")}));
    QCOMPARE(describeAll(*index->values()),
             describeAll({Value::integer(10), Value::integer(3), Value::bytes("tuple key"), Value::integer(20)}));
    std::vector<Value> newestFirst;
    QVERIFY(index->forEachKey([&](const Value& k) { newestFirst.push_back(k); return true; }, true).isOk());
    QCOMPARE(describeAll(newestFirst),
             describeAll({Value::text("b"), pickled("('t', 1)"), Value::text("c"), Value::text("a")}));

    // setdefault: a present key keeps its value; an absent one takes the default.
    QCOMPARE(*index->setDefault(Value::text("a"), Value::integer(0)), Value::integer(10));
    QCOMPARE(*index->setDefault(Value::text("d"), Value::integer(0)), Value::integer(0));
    QCOMPARE(*index->setDefault(Value::text("d"), Value::integer(1)), Value::integer(0));

    QCOMPARE(**index->pop(Value::text("c")), Value::integer(3));
    QVERIFY(!index->pop(Value::text("c"))->has_value());
    QCOMPARE(describeAll(*index->items()),
             describeAll(std::vector<KeyValue>{{Value::text("a"), Value::integer(10)},
                                               {pickled("('t', 1)"), Value::bytes("tuple key")},
                                               {Value::text("b"), Value::integer(20)},
                                               {Value::text("d"), Value::integer(0)}}));
    QCOMPARE(index->set(Value::none(), Value::integer(1)).code(), StatusCode::InvalidArgument);
    QVERIFY(index->clear().isOk());
    QCOMPARE(*index->size(), std::int64_t(0));
    QVERIFY(index->items()->empty());
}

void TestCollections::indexEndsAndQueues() {
    QTemporaryDir dir;
    auto index = openIndex(dir.path());
    QVERIFY(index);
    QVERIFY(!index->peekItem()->has_value());
    QVERIFY(!index->popItem(false)->has_value());
    QVERIFY(index->update({{Value::text("x"), Value::integer(0)},
                           {Value::text("y"), Value::integer(1)},
                           {Value::text("z"), Value::integer(2)}})
                .isOk());
    QCOMPARE((*index->peekItem())->key, Value::text("z"));
    QCOMPARE((*index->peekItem(false))->key, Value::text("x"));
    // popitem: LIFO by default, FIFO with last=false.
    auto last = index->popItem();
    QCOMPARE(last->value().key, Value::text("z"));
    QCOMPARE(last->value().value, Value::integer(2));
    QCOMPARE((*index->popItem(false))->key, Value::text("x"));
    QCOMPARE(*index->size(), std::int64_t(1));

    // Python's Index.push/pull docstring.
    QCOMPARE(*index->push(Value::text("apples")), Value::integer(500000000000000));
    QCOMPARE(*index->push(Value::text("beans")), Value::integer(500000000000001));
    QCOMPARE(*index->push(Value::text("cherries"), std::nullopt, QueueSide::Front), Value::integer(499999999999999));
    QCOMPARE(**index->get(Value::integer(500000000000001)), Value::text("beans"));
    QCOMPARE(*index->push(Value::text("dates"), std::string("fruit")), Value::text("fruit-500000000000000"));
    auto front = index->pull();
    QCOMPARE(front->value().key, Value::integer(499999999999999));
    QCOMPARE(front->value().value, Value::text("cherries"));
    QCOMPARE((*index->pull(std::nullopt, QueueSide::Back))->value, Value::text("beans"));
    QCOMPARE((*index->pull(std::string("fruit")))->value, Value::text("dates"));
    QVERIFY(!index->pull(std::string("fruit"))->has_value());
    QCOMPARE(describeAll(*index->keys()), describeAll({Value::text("y"), Value::integer(500000000000000)}));
}

void TestCollections::openingMakesPolicyNone() {
    // A cache made with another policy becomes a deque as Python's
    // Deque(directory=...) makes it: eviction policy none, other settings kept.
    QTemporaryDir dir;
    {
        const std::vector<SettingRow> settings = {{"eviction_policy", Value::text("least-recently-used")},
                                                  {"cull_limit", Value::integer(3)}};
        auto cache = Cache::open(toPath(dir.path()), {.settings = settings});
        QVERIFY(cache.isOk());
        QVERIFY((*cache)->push(Value::text("kept")).isOk());
    }
    auto deque = openDeque(dir.path());
    QVERIFY(deque);
    QCOMPARE(deque->cache().settings().evictionPolicy, EvictionPolicy::None);
    QCOMPARE(deque->cache().settings().cullLimit, std::int64_t(3));
    QCOMPARE(**deque->peekLeft(), Value::text("kept"));

    // Read-only: the deque reads, refuses writes and leaves every byte as it was.
    deque.reset();
    const auto before = testsupport::snapshotTree(toPath(dir.path()));
    auto readOnly = openDeque(dir.path(), {.readOnly = true});
    QVERIFY(readOnly);
    QCOMPARE(describeAll(*readOnly->values()), describeAll({Value::text("kept")}));
    QCOMPARE(readOnly->append(Value::integer(1)).code(), StatusCode::ReadOnly);
    QCOMPARE(readOnly->popLeft().status().code(), StatusCode::ReadOnly);
    readOnly.reset();
    QCOMPARE(testsupport::snapshotTree(toPath(dir.path())), before);
}

void TestCollections::threadsAppendToOneDeque() {
    QTemporaryDir dir;
    auto deque = openDeque(dir.path());
    QVERIFY(deque);
    constexpr int kEach = 100;
    std::atomic<int> failures{0};
    auto worker = [&](std::int64_t base) {
        for (int i = 0; i < kEach; ++i)
            if (!deque->append(Value::integer(base + i)).isOk()) ++failures;
    };
    std::thread one(worker, 0), two(worker, 1000);
    one.join();
    two.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(*deque->size(), std::int64_t(2 * kEach));
    // Each thread's values keep their own order in the shared queue.
    std::int64_t lastOne = -1, lastTwo = 999;
    QVERIFY(deque->forEach([&](const Value& v) {
        std::int64_t& last = v.asInt() < 1000 ? lastOne : lastTwo;
        if (v.asInt() != last + 1) return false;
        last = v.asInt();
        return true;
    }).isOk());
    QCOMPARE(lastOne, std::int64_t(kEach - 1));
    QCOMPARE(lastTwo, std::int64_t(1000 + kEach - 1));
}

void TestCollections::pythonWritesEngineReads() {
    QTemporaryDir dir;
    const QString dequeDir = dir.filePath("deque"), indexDir = dir.filePath("index");
    const QJsonObject manifest = runPythonJson("collections_write.py", {dequeDir, indexDir}).object();
    QVERIFY(!manifest.isEmpty());
    const QStringList pythonDeque = describeValues(manifest["deque"].toArray());
    const QStringList pythonIndex = describeItems(manifest["index"].toArray());
    QCOMPARE(pythonDeque.size(), 13);
    QCOMPARE(pythonIndex.size(), 11);
    QStringList pythonDequeReversed = pythonDeque;
    std::reverse(pythonDequeReversed.begin(), pythonDequeReversed.end());

    for (bool readOnly : {true, false}) {
        const auto before = testsupport::snapshotTree(toPath(dir.path()));
        auto deque = openDeque(dequeDir, {.readOnly = readOnly});
        QVERIFY(deque);
        QCOMPARE(*deque->size(), qint64(pythonDeque.size()));
        QCOMPARE(describeAll(*deque->values()), pythonDeque);
        std::vector<Value> backwards;
        QVERIFY(deque->forEach([&](const Value& v) { backwards.push_back(v); return true; }, true).isOk());
        QCOMPARE(describeAll(backwards), pythonDequeReversed);
        QCOMPARE(describe(*deque->at(4)), pythonDeque[4]);
        QCOMPARE(describe(*deque->at(-3)), pythonDeque[10]);
        QCOMPARE(describe(**deque->peekLeft()), pythonDeque.front());
        QCOMPARE(describe(**deque->peek()), pythonDeque.back());

        auto index = openIndex(indexDir, {.readOnly = readOnly});
        QVERIFY(index);
        QCOMPARE(*index->size(), qint64(pythonIndex.size()));
        QCOMPARE(describeAll(*index->items()), pythonIndex);
        // Keys made on this side find Python's items: pickled ones included.
        QCOMPARE(describe(**index->get(pickled("('user', 42)"))), QStringLiteral("pickle {'name': 'Ada'}"));
        QCOMPARE(**index->get(pickled("None")), Value::text("none key"));
        QCOMPARE(**index->get(pickled("1180591620717411303424")), Value::text("big int key"));  // 2**70
        QCOMPARE(describe(**index->get(Value::real(-1.5))), QStringLiteral("pickle [1, 'list']"));
        QCOMPARE(**index->get(Value::bytes("\x01" "bytes")), Value::bytes(std::string("\0\xff", 2)));
        QCOMPARE(*index->contains(Value::text("removed")), false);
        QCOMPARE((*index->peekItem())->value, Value::text("queued"));
        QCOMPARE((*index->peekItem(false))->key, Value::text("text"));
        deque.reset();
        index.reset();
        if (readOnly) QCOMPARE(testsupport::snapshotTree(toPath(dir.path())), before);
    }
}

void TestCollections::engineWritesPythonReads() {
    QTemporaryDir dir;
    const QString dequeDir = dir.filePath("new/deque"), indexDir = dir.filePath("new/index");
    const std::string text = bigText();
    {
        auto deque = openDeque(dequeDir);
        QVERIFY(deque);
        QVERIFY(deque->append(Value::text("first")).isOk());
        QVERIFY(deque->appendLeft(Value::bytes(std::string("\0front\xff", 7))).isOk());
        QVERIFY(deque->append(Value::integer(-7)).isOk());
        QVERIFY(deque->appendLeft(Value::real(0.1)).isOk());
        QVERIFY(deque->append(pickled("(1, 'tuple', None)")).isOk());
        QVERIFY(deque->appendLeft(Value::text("doomed")).isOk());
        QVERIFY(deque->append(Value::bytes(std::string(70000, '\xab'))).isOk());
        QVERIFY(deque->appendLeft(Value::text(text)).isOk());
        QVERIFY(deque->append(Value::text("also doomed")).isOk());
        QVERIFY(deque->appendLeft(pickled("1180591620717411303424")).isOk());  // 2**70
        QVERIFY(deque->append(Value::none()).isOk());  // stored as Python's None
        QVERIFY(deque->removeAt(2).isOk());            // "doomed"
        QVERIFY(deque->removeAt(-2).isOk());           // "also doomed"
        QVERIFY(deque->setAt(-3, Value::text("replaced")).isOk());  // was the tuple
        QCOMPARE(**deque->popLeft(), pickled("1180591620717411303424"));
    }
    {
        auto index = openIndex(indexDir);
        QVERIFY(index);
        QVERIFY(index->set(Value::text("text"), Value::text("значение")).isOk());
        QVERIFY(index->set(Value::bytes(std::string("\0k", 2)), Value::real(-0.5)).isOk());
        QVERIFY(index->set(Value::integer(-3), Value::bytes(std::string(50000, 'x'))).isOk());
        QVERIFY(index->set(pickled("('user', 42)"), pickled("(True, None)")).isOk());
        QVERIFY(index->set(Value::text("removed"), Value::integer(1)).isOk());
        QVERIFY(index->set(Value::real(-2.5), Value::text(text)).isOk());
        QVERIFY(index->set(pickled("None"), Value::text("none key")).isOk());
        QVERIFY(index->set(Value::text("text"), Value::text("same place")).isOk());
        QCOMPARE(*index->remove(Value::text("removed")), true);
        QCOMPARE(*index->push(Value::text("queued")), Value::integer(500000000000000));
    }
    const QJsonObject read = runPythonJson("collections_read.py", {dequeDir, indexDir}).object();
    QVERIFY(!read.isEmpty());
    const QStringList expectedDeque = {
        "str " + contents(text, true), "float " + floatText(0.1), "bytes 0066726f6e74ff", "str first", "int -7",
        "str replaced", "bytes " + contents(std::string(70000, '\xab'), false), "pickle None"};
    QCOMPARE(describeValues(read["deque"].toArray()), expectedDeque);
    QStringList reversed = expectedDeque;
    std::reverse(reversed.begin(), reversed.end());
    QCOMPARE(describeValues(read["deque_reversed"].toArray()), reversed);
    QCOMPARE(read["deque_len"].toInt(), 8);
    QCOMPARE(describeItems(read["index"].toArray()),
             QStringList({"str text -> str same place", "bytes 006b -> float " + floatText(-0.5),
                          "int -3 -> bytes " + contents(std::string(50000, 'x'), false),
                          "pickle ('user', 42) -> pickle (True, None)",
                          "float " + floatText(-2.5) + " -> str " + contents(text, true),
                          "pickle None -> str none key", "int 500000000000000 -> str queued"}));
    QCOMPARE(read["index_len"].toInt(), 7);
    QCOMPARE(read["deque_policy"].toString(), QStringLiteral("none"));
    QCOMPARE(read["index_policy"].toString(), QStringLiteral("none"));
    QCOMPARE(read["deque_check"].toArray(), QJsonArray());
    QCOMPARE(read["index_check"].toArray(), QJsonArray());
}

void TestCollections::bothSidesChangeOneDirectory() {
    // Python writes, the engine changes both collections, Python reads what
    // the engine now sees, in the same order.
    QTemporaryDir dir;
    const QString dequeDir = dir.filePath("deque"), indexDir = dir.filePath("index");
    QVERIFY(!runPythonJson("collections_write.py", {dequeDir, indexDir}).isEmpty());
    std::vector<Value> dequeNow;
    std::vector<KeyValue> indexNow;
    {
        auto deque = openDeque(dequeDir);
        QVERIFY(deque);
        const std::vector<Value> before = *deque->values();
        QVERIFY(deque->rotate(2).isOk());
        QVERIFY(deque->appendLeft(Value::text("engine front")).isOk());
        QVERIFY(deque->reverse().isOk());
        QCOMPARE(*deque->remove(Value::integer(42)), true);
        QVERIFY(deque->append(Value::text("engine back")).isOk());
        dequeNow = *deque->values();
        // rotate(2) moved the last two values first; reverse() turned the lot.
        QCOMPARE(describe(dequeNow[dequeNow.size() - 2]), QStringLiteral("str engine front"));
        QCOMPARE(describe(dequeNow[dequeNow.size() - 3]), describe(before[before.size() - 2]));
        QCOMPARE(describe(dequeNow[0]), describe(before[before.size() - 3]));

        auto index = openIndex(indexDir);
        QVERIFY(index);
        QCOMPARE((*index->popItem())->value, Value::text("queued"));
        QCOMPARE((*index->popItem(false))->key, Value::text("text"));
        QCOMPARE(*index->setDefault(Value::text("moved"), Value::integer(99)), Value::integer(2));
        QCOMPARE(*index->push(Value::text("engine queued")), Value::integer(8));
        QVERIFY(index->set(Value::text("replaced"), Value::text("by the engine")).isOk());
        indexNow = *index->items();
    }
    const QJsonObject read = runPythonJson("collections_read.py", {dequeDir, indexDir}).object();
    QVERIFY(!read.isEmpty());
    QCOMPARE(describeValues(read["deque"].toArray()), describeAll(dequeNow));
    QCOMPARE(describeItems(read["index"].toArray()), describeAll(indexNow));
    QCOMPARE(read["deque_check"].toArray(), QJsonArray());
    QCOMPARE(read["index_check"].toArray(), QJsonArray());
}

void TestCollections::fanoutSubStoresInterop() {
    QTemporaryDir dir;
    // Python makes sub-stores under FanoutCache(dir); the engine reads them.
    const QJsonObject made = runPythonJson("fanout_substores.py", {"write", dir.path()}).object();
    QVERIFY(!made.isEmpty());
    auto fanout = FanoutCache::open(toPath(dir.path()));
    QVERIFY(fanout);
    QCOMPARE((*fanout)->shardCount(), 8);
    {
        auto jobs = (*fanout)->deque("jobs/high");
        QVERIFY(jobs);
        QVERIFY(QFileInfo::exists(dir.filePath("deque/jobs/high/cache.db")));
        std::vector<Value> values;
        QVERIFY((*jobs)->forEach([&](const Value& v) { values.push_back(v); return true; }).isOk());
        QCOMPARE(describeAll(values), QStringList({"pickle ('zero', 0)", "int 1", "str two", "bytes 33"}));
        auto users = (*fanout)->index("users");
        QVERIFY(users);
        auto items = (*users)->items();
        QVERIFY(items);
        QCOMPARE(describeAll(*items), QStringList({"str alice -> int 1", "str bob -> pickle [2]"}));
        auto sessions = (*fanout)->cache("sessions");
        QVERIFY(sessions);
        auto session = (*sessions)->get(Value::text("s1"));
        QVERIFY(session && session->has_value());
        QCOMPARE((*session)->value, Value::text("v1"));
        // Deque.fromcache keeps the cache's policy, on both sides.
        QCOMPARE(made["policy"].toString(), QStringLiteral("least-recently-stored"));
        QCOMPARE((*jobs)->cache().settings().evictionPolicy, EvictionPolicy::LeastRecentlyStored);
    }
    // The engine makes sub-stores; Python reads them.
    {
        auto jobs = (*fanout)->deque("jobs/low");
        QVERIFY(jobs);
        QVERIFY((*jobs)->extend({Value::text("a"), pickled("(1, 2)")}).isOk());
        auto config = (*fanout)->index("config");
        QVERIFY(config);
        QVERIFY((*config)->set(Value::text("mode"), Value::text("fast")).isOk());
        auto tokens = (*fanout)->cache("tokens");
        QVERIFY(tokens);
        StoreOptions options;
        options.tag = Value::text("auth");
        QVERIFY((*tokens)->set(Value::text("t1"), Value::integer(99), options).isOk());
    }
    const QJsonObject read = runPythonJson("fanout_substores.py", {"read", dir.path()}).object();
    QVERIFY(!read.isEmpty());
    QCOMPARE(describeValues(read["deque"].toArray()), QStringList({"str a", "pickle (1, 2)"}));
    QCOMPARE(describeItems(read["index"].toArray()), QStringList({"str mode -> str fast"}));
    QCOMPARE(describe(read["token"]), QStringLiteral("int 99"));
    QCOMPARE(read["token_tag"].toString(), QStringLiteral("auth"));
    // Names that would leave the folder are refused.
    for (const char* bad : {"", "../escape", "a//b", "/etc", "a/./b"}) {
        auto refused = (*fanout)->cache(bad);
        QVERIFY2(!refused && refused.status().code() == StatusCode::InvalidArgument, bad);
    }
    QVERIFY(!QFileInfo::exists(dir.filePath("escape")));
}

QTEST_GUILESS_MAIN(TestCollections)
#include "tst_collections.moc"

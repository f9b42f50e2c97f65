// The pickle decoder, repr(), typeName(), encodeKey() and parseLiteral(),
// checked against what /usr/bin/python3 itself says: tests/python/
// pickle_corpus.py pickles several hundred values with every protocol and
// writes Python's repr() of each, the key bytes diskcache stores, and what
// ast.literal_eval makes of a list of texts. Hostile input (truncations,
// random bytes, huge lengths, deep nesting, cycles, memo bombs) must give a
// Status or a bounded result, never a crash.
#include "diskcache/pickle.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace diskcache;

namespace {

std::string fromBase64(const QJsonValue& value) {
    const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

std::vector<QJsonObject> readLines(const QString& path) {
    std::vector<QJsonObject> records;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return records;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty()) records.push_back(QJsonDocument::fromJson(line).object());
    }
    return records;
}

// Set iteration order after unpickling is Python's hash order; compare
// such reprs as multisets of characters.
bool sameRepr(std::string expected, std::string actual, bool anyOrder) {
    if (!anyOrder) return expected == actual;
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    return expected == actual;
}

std::string hex(const std::string& bytes, std::size_t limit = 80) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
        out.push_back(digits[static_cast<unsigned char>(bytes[i]) >> 4]);
        out.push_back(digits[static_cast<unsigned char>(bytes[i]) & 15]);
    }
    return bytes.size() > limit ? out + "..." : out;
}

// Failures are collected so one run shows many of them at once.
class Mismatches {
public:
    void add(const std::string& what) {
        if (m_lines.size() < 25) m_lines.push_back(what);
        ++m_count;
    }
    QByteArray report() const {
        std::string text = std::to_string(m_count) + " mismatches:";
        for (const auto& line : m_lines) text += "\n  " + line;
        return QByteArray::fromStdString(text);
    }
    bool empty() const { return m_count == 0; }

private:
    std::vector<std::string> m_lines;
    int m_count = 0;
};

}  // namespace

class TestPickle : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corpusDecodesToPythonRepr();
    void corpusProtocols();
    void keysEncodeLikePython();
    void literalsParseLikePython();
    void literalsRoundTripThroughPickle();
    void scalarHelpers();
    void truncatedPicklesFail();
    void randomBytesNeverCrash();
    void hugeLengthPrefixesFail();
    void deepNestingIsBounded();
    void cyclesAndMemoBombs();
    void limitsAndTruncatedRepr();

private:
    QTemporaryDir m_dir;
    std::vector<QJsonObject> m_values;
    std::vector<QJsonObject> m_keys;
    std::vector<QJsonObject> m_literals;
};

void TestPickle::initTestCase() {
    QVERIFY(m_dir.isValid());
    QProcess python;
    python.start(QStringLiteral(CACHESCOPE_PYTHON),
                 {QStringLiteral(CACHESCOPE_TEST_SCRIPTS "/pickle_corpus.py"), m_dir.path()});
    QVERIFY(python.waitForFinished(300000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    m_values = readLines(m_dir.filePath(QStringLiteral("values.jsonl")));
    m_keys = readLines(m_dir.filePath(QStringLiteral("keys.jsonl")));
    m_literals = readLines(m_dir.filePath(QStringLiteral("literals.jsonl")));
    QVERIFY(m_values.size() > 300);
    QVERIFY(m_keys.size() > 200);
    QVERIFY(m_literals.size() > 100);
}

void TestPickle::corpusDecodesToPythonRepr() {
    Mismatches mismatches;
    int compared = 0;
    for (const auto& record : m_values) {
        const bool deterministic = record[QStringLiteral("deterministic")].toBool();
        const bool anyOrder = record[QStringLiteral("set_order")].toBool();
        for (const auto entry : record[QStringLiteral("pickles")].toArray()) {
            const auto e = entry.toObject();
            const std::string data = fromBase64(e[QStringLiteral("pickle")]);
            const std::string where = "value " + std::to_string(record[QStringLiteral("id")].toInt()) + " pickle " +
                                      e[QStringLiteral("label")].toString().toStdString();
            const auto decoded = py::decodePickle(data);
            if (!decoded) {
                mismatches.add(where + ": " + decoded.status().toString());
                continue;
            }
            const std::string expectedType = e[QStringLiteral("type")].toString().toStdString();
            if (py::typeName(*decoded) != expectedType)
                mismatches.add(where + ": type " + py::typeName(*decoded) + " != " + expectedType);
            if (!deterministic) continue;
            const std::string expected = fromBase64(e[QStringLiteral("repr")]);
            const std::string actual = py::repr(*decoded);
            ++compared;
            if (!sameRepr(expected, actual, anyOrder))
                mismatches.add(where + ": " + actual.substr(0, 300) + " != " + expected.substr(0, 300));
        }
    }
    qInfo("compared %d reprs with Python's", compared);
    QVERIFY(compared > 2000);
    QVERIFY2(mismatches.empty(), mismatches.report().constData());
}

void TestPickle::corpusProtocols() {
    Mismatches mismatches;
    for (const auto& record : m_values)
        for (const auto entry : record[QStringLiteral("pickles")].toArray()) {
            const auto e = entry.toObject();
            const int expected = e[QStringLiteral("protocol")].toInt();
            const int actual = py::pickleProtocol(fromBase64(e[QStringLiteral("pickle")]));
            if (actual != expected)
                mismatches.add("value " + std::to_string(record[QStringLiteral("id")].toInt()) + ": protocol " +
                               std::to_string(actual) + " != " + std::to_string(expected));
        }
    QVERIFY2(mismatches.empty(), mismatches.report().constData());
    QCOMPARE(py::pickleProtocol(""), -1);
    QCOMPARE(py::pickleProtocol("\xff\x00"), -1);
    QCOMPARE(py::pickleProtocol("hello world"), -1);
}

void TestPickle::keysEncodeLikePython() {
    Mismatches mismatches;
    for (const auto& record : m_keys) {
        const std::string text = fromBase64(record[QStringLiteral("text")]);
        const int protocol = record[QStringLiteral("protocol")].toInt();
        const std::string expected = fromBase64(record[QStringLiteral("bytes")]);
        const std::string where = text.substr(0, 60) + " protocol " + std::to_string(protocol);
        const auto literal = py::parseLiteral(text);
        if (!literal) {
            mismatches.add(where + ": " + literal.status().toString());
            continue;
        }
        const auto encoded = py::encodeKey(*literal, protocol);
        if (!encoded) mismatches.add(where + ": " + encoded.status().toString());
        else if (*encoded != expected) mismatches.add(where + ": " + hex(*encoded) + " != " + hex(expected));
    }
    QVERIFY2(mismatches.empty(), mismatches.report().constData());
    const auto list = py::parseLiteral("[1]");
    QVERIFY(list.isOk());
    QCOMPARE(py::encodeKey(*list, 5).status().code(), StatusCode::Unsupported);
    QCOMPARE(py::encodeKey(py::makeNone(), 1).status().code(), StatusCode::InvalidArgument);
    QCOMPARE(py::encodeKey(py::makeNone(), 6).status().code(), StatusCode::InvalidArgument);
}

void TestPickle::literalsParseLikePython() {
    Mismatches mismatches;
    int valid = 0, invalid = 0;
    for (const auto& record : m_literals) {
        const std::string text = fromBase64(record[QStringLiteral("text")]);
        const auto parsed = py::parseLiteral(text);
        if (record[QStringLiteral("repr")].isNull()) {
            ++invalid;
            if (parsed) mismatches.add("accepted non-literal " + text.substr(0, 60) + " as " + py::repr(*parsed));
            else if (parsed.status().code() != StatusCode::InvalidArgument)
                mismatches.add("wrong code for " + text.substr(0, 60));
            continue;
        }
        ++valid;
        const std::string expected = fromBase64(record[QStringLiteral("repr")]);
        if (!parsed) mismatches.add("refused " + text.substr(0, 60) + ": " + parsed.status().toString());
        else if (!sameRepr(expected, py::repr(*parsed), record[QStringLiteral("set_order")].toBool()))
            mismatches.add(text.substr(0, 60) + ": " + py::repr(*parsed).substr(0, 100) + " != " + expected.substr(0, 100));
    }
    QVERIFY(valid > 60 && invalid > 40);
    QVERIFY2(mismatches.empty(), mismatches.report().constData());
    // \N{...} is valid Python that this parser refuses; the caller then
    // treats the text as a plain str, which must be said, not crash.
    QCOMPARE(py::parseLiteral("'\\N{BULLET}'").status().code(), StatusCode::InvalidArgument);
}

void TestPickle::literalsRoundTripThroughPickle() {
    // encodeKey's bytes decode back to the same repr.
    int checked = 0;
    for (const auto& record : m_keys) {
        const std::string text = fromBase64(record[QStringLiteral("text")]);
        const auto literal = py::parseLiteral(text);
        QVERIFY(literal.isOk());
        const auto encoded = py::encodeKey(*literal, record[QStringLiteral("protocol")].toInt());
        QVERIFY(encoded.isOk());
        const auto decoded = py::decodePickle(*encoded);
        QVERIFY2(decoded.isOk(), decoded.status().toString().c_str());
        QCOMPARE(py::repr(*decoded), py::repr(*literal));
        ++checked;
    }
    QVERIFY(checked > 200);
}

void TestPickle::scalarHelpers() {
    // Expectations from Python 3.11's documentation of repr().
    QCOMPARE(py::reprFloat(1.0), std::string("1.0"));
    QCOMPARE(py::reprFloat(1e16), std::string("1e+16"));
    QCOMPARE(py::reprFloat(1e-5), std::string("1e-05"));
    QCOMPARE(py::reprFloat(-0.0), std::string("-0.0"));
    QCOMPARE(py::reprFloat(123456789012345.0), std::string("123456789012345.0"));
    QCOMPARE(py::reprInt(-9223372036854775807LL - 1), std::string("-9223372036854775808"));
    QCOMPARE(py::reprBigInt(std::string("\x00\x00\x00\x00\x00\x00\x00\x00\x01", 9)), std::string("18446744073709551616"));
    QCOMPARE(py::reprBigInt(std::string("\xff", 1)), std::string("-1"));
    QCOMPARE(py::reprStr("it's"), std::string("\"it's\""));
    QCOMPARE(py::reprStr("a\nb\x01"), std::string("'a\\nb\\x01'"));
    QCOMPARE(py::reprStr("\xff"), std::string("'\\udcff'"));
    QCOMPARE(py::reprBytes(std::string("\x00'\x80", 3)), std::string("b\"\\x00'\\x80\""));
}

void TestPickle::truncatedPicklesFail() {
    // Every proper prefix of a pickle lacks its STOP opcode, so Python fails
    // on all of them; so must we, with Corrupt.
    int checked = 0;
    for (std::size_t i = 0; i < m_values.size(); i += 3) {
        for (const auto entry : m_values[i][QStringLiteral("pickles")].toArray()) {
            const std::string data = fromBase64(entry.toObject()[QStringLiteral("pickle")]);
            if (data.size() > 4000) continue;
            for (std::size_t length = 0; length < data.size(); ++length) {
                const auto decoded = py::decodePickle(std::string_view(data).substr(0, length));
                if (decoded) QFAIL(("prefix " + std::to_string(length) + " of " + hex(data) + " decoded").c_str());
                QCOMPARE(decoded.status().code(), StatusCode::Corrupt);
                ++checked;
            }
        }
    }
    QVERIFY(checked > 10000);
}

void TestPickle::randomBytesNeverCrash() {
    QRandomGenerator random(1234);
    int decoded = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string data(static_cast<std::size_t>(random.bounded(1, 64)), '\0');
        for (auto& byte : data) byte = static_cast<char>(random.bounded(256));
        // Half the inputs start like a real pickle, to get past PROTO.
        if (round % 2 == 0) data.insert(0, std::string("\x80\x05", 2));
        const auto result = py::decodePickle(data);
        if (result) {
            ++decoded;
            (void)py::repr(*result, 1000);
            (void)py::typeName(*result);
        } else {
            const auto code = result.status().code();
            QVERIFY(code == StatusCode::Corrupt || code == StatusCode::Unsupported);
        }
    }
    qInfo("%d of 20000 random inputs decoded", decoded);
}

void TestPickle::hugeLengthPrefixesFail() {
    const std::vector<std::string> inputs = {
        std::string("\x80\x05\x8d\x00\x00\x00\x00\x00\x01\x00\x00", 11) + "x.",  // BINUNICODE8 of 2^40
        std::string("\x80\x05\x8e\xff\xff\xff\xff\xff\xff\xff\x7f", 11) + "x.",  // BINBYTES8 of 2^63
        std::string("\x80\x05\x96\xff\xff\xff\xff\xff\xff\xff\xff", 11) + "x.",  // BYTEARRAY8 of 2^64-1
        std::string("\x80\x03" "X\xff\xff\xff\xff", 7) + "x.",                      // BINUNICODE of 4 GB
        std::string("\x80\x03" "B\x00\x00\x00\x40", 7) + "x.",                      // BINBYTES of 1 GB
        std::string("\x80\x02\x8b\xff\xff\xff\x7f", 7) + "x.",                   // LONG4 of 2 GB
        std::string("\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x10", 11) + "N.",  // FRAME of 2^60
        std::string("T\xff\xff\xff\x7f", 5) + "x.",                              // BINSTRING of 2 GB
    };
    for (const auto& input : inputs) {
        const auto result = py::decodePickle(input);
        QVERIFY2(!result, hex(input).c_str());
        QCOMPARE(result.status().code(), StatusCode::Corrupt);
    }
}

void TestPickle::deepNestingIsBounded() {
    const std::size_t n = 100000;
    QElapsedTimer timer;
    timer.start();
    // 100000 MARKs then STOP: nothing on the stack to return.
    QVERIFY(!py::decodePickle(std::string(n, '(') + "."));
    // 100000 nested lists: ]]]...]aaa...a. is [[[...]]] 100000 deep.
    const std::string lists = "\x80\x04" + std::string(n, ']') + std::string(n - 1, 'a') + ".";
    auto deep = py::decodePickle(lists);
    QVERIFY(!deep);
    QVERIFY(deep.status().message().find("deeper") != std::string::npos);
    // 100000 nested 1-tuples.
    QVERIFY(!py::decodePickle("\x80\x04N" + std::string(n, '\x85') + "."));
    // 100000 MARKs each closing a tuple: ((((...)))) by MARK/TUPLE pairs.
    QVERIFY(!py::decodePickle("\x80\x02" + std::string(n, '(') + std::string(n, 't') + "."));
    // Within the limit it decodes, and repr nests the same way.
    const std::string shallow = "\x80\x04" + std::string(50, ']') + std::string(49, 'a') + ".";
    const auto ok = py::decodePickle(shallow);
    QVERIFY(ok.isOk());
    QCOMPARE(py::repr(*ok), std::string(50, '[') + std::string(50, ']'));
    QVERIFY2(timer.elapsed() < 20000, "deep inputs took too long");
}

void TestPickle::cyclesAndMemoBombs() {
    // l = []; l.append(l), written by hand: EMPTY_LIST MEMOIZE BINGET 0 APPEND.
    const auto self = py::decodePickle(std::string("\x80\x04]\x94h\x00" "a.", 8));
    QVERIFY2(self.isOk(), self.status().toString().c_str());
    QCOMPARE(py::repr(*self), std::string("[[...]]"));
    // d = {}; d[1] = d
    const auto dict = py::decodePickle(std::string("\x80\x04}\x94K\x01h\x00s.", 10));
    QVERIFY(dict.isOk());
    QCOMPARE(py::repr(*dict), std::string("{1: {...}}"));
    // A memo bomb: each list holds the previous one twice, 60 times over,
    // so the value expands to 2^60 leaves; it must fail fast and bounded.
    std::string bomb = "\x80\x04]\x94";
    for (int i = 0; i < 60; ++i) bomb += "]\x94(h" + std::string(1, static_cast<char>(i)) + "h" +
                                         std::string(1, static_cast<char>(i)) + "e";
    bomb += ".";
    QElapsedTimer timer;
    timer.start();
    const auto exploded = py::decodePickle(bomb);
    QVERIFY(!exploded);
    QCOMPARE(exploded.status().code(), StatusCode::Corrupt);
    QVERIFY(timer.elapsed() < 10000);
    // The same with a self-reference at the bottom.
    QVERIFY(!py::decodePickle("\x80\x04]\x94h\x00" "a" + bomb.substr(4)));
    // GET of an index never PUT, and PUT on an empty stack.
    QCOMPARE(py::decodePickle("\x80\x04h\x07.").status().code(), StatusCode::Corrupt);
    QCOMPARE(py::decodePickle("\x80\x04\x94N.").status().code(), StatusCode::Corrupt);
    QCOMPARE(py::decodePickle("\x80\x04(a.").status().code(), StatusCode::Corrupt);
    QCOMPARE(py::decodePickle(std::string("\x80\x06N.", 4)).status().code(), StatusCode::Unsupported);
}

void TestPickle::limitsAndTruncatedRepr() {
    std::string list = "\x80\x04](";
    for (int i = 0; i < 1000; ++i) list += "K\x01";
    list += "e.";
    py::DecodeLimits small;
    small.maxNodes = 100;
    QCOMPARE(py::decodePickle(list, small).status().code(), StatusCode::Corrupt);
    const auto full = py::decodePickle(list);
    QVERIFY(full.isOk());
    const std::string text = py::repr(*full, 20);
    QCOMPARE(text.size(), std::size_t{20});
    QVERIFY(text.substr(text.size() - 3) == "...");
    QCOMPARE(py::repr(*full).size(), std::size_t{2 + 1000 + 999 * 2});
    // An object whose BUILD state is recorded symbolically.
    static const char kObject[] = "\x80\x04\x8c\x03mod\x8c\x01P\x93)\x81}\x8c\x01x\x94K\x01sb.";
    const auto object = py::decodePickle(std::string(kObject, sizeof kObject - 1));
    QVERIFY2(object.isOk(), object.status().toString().c_str());
    QCOMPARE(py::typeName(*object), std::string("P"));
    QCOMPARE(py::repr(*object), std::string("<mod.P object state={'x': 1}>"));
}

QTEST_APPLESS_MAIN(TestPickle)

#include "tst_pickle.moc"

// decode.h: which decoder applies to a stored value and what it shows,
// against inputs made by the real libraries (python3-diskcache's JSONDisk,
// python3-django's FileBasedCache, images written byte by byte in Python)
// and against hostile input (truncated, garbage, deep, a zlib bomb).
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <map>

#include "diskcache/decode.h"
#include "diskcache/inspect.h"
#include "testsupport.h"

using namespace diskcache;
using namespace diskcache::decode;

namespace {

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

std::string_view view(const QByteArray& bytes) {
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// Any JSON text (a scalar too) as a QJsonValue; Undefined when it is not JSON.
QJsonValue parseJson(const std::string& text) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + text + "]"), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

ValueHint hint(StoreMode mode, std::string type = {}) {
    return {mode, std::move(type)};
}

}  // namespace

class TestDecode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void jsonDiskCache();
    void djangoFiles();
    void djangoDamaged();
    void images_data();
    void images();
    void handMadeJpegAndWebp();
    void zlibBomb();
    void prettyJsonLayout();
    void invalidJson_data();
    void invalidJson();
    void textAndEscapes();
    void hexDumpLines();
    void pickles();
    void garbageNeverCrashes();

private:
    QJsonObject part(const char* name) const { return m_manifest[QLatin1String(name)].toObject(); }

    QTemporaryDir m_dir;
    QJsonObject m_manifest;
};

void TestDecode::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QJsonDocument doc = testsupport::runPythonJson(QStringLiteral("decode_make.py"), {m_dir.path()});
    QVERIFY2(doc.isObject(), "decode_make.py failed");
    m_manifest = doc.object();
}

// Every key and value of a cache written with diskcache.JSONDisk decodes,
// from the bytes as stored, to the JSON Python loads.
void TestDecode::jsonDiskCache() {
    const QJsonObject jsondisk = m_manifest["jsondisk"].toObject();
    std::map<QString, QJsonValue> expected;
    for (const QJsonValue item : jsondisk["items"].toArray()) {
        const QJsonValue key = parseJson(item["key"].toString().toStdString());
        expected[QString::fromUtf8(QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact))] =
            parseJson(item["value"].toString().toStdString());
    }
    auto inspector = inspect::open(testsupport::toPath(jsondisk["directory"].toString()));
    QVERIFY2(inspector, inspector.status().toString().c_str());
    auto page = (*inspector)->list({.limit = 1000});
    QVERIFY2(page, page.status().toString().c_str());
    QCOMPARE(page->entries.size(), expected.size());
    bool sawFile = false;
    for (const Entry& entry : page->entries) {
        auto key = decodeValue(entry.key.data(), hint(StoreMode::Raw, entry.keyType));
        QVERIFY2(key, key.status().toString().c_str());
        QCOMPARE(key->format, Format::JsonDisk);
        QVERIFY2(key->reason.find("zlib stream whose content is a JSON") != std::string::npos, key->reason.c_str());
        const QJsonValue keyJson = parseJson(key->text);
        QVERIFY2(!keyJson.isUndefined(), key->text.c_str());
        const QString name = QString::fromUtf8(QJsonDocument(QJsonArray{keyJson}).toJson(QJsonDocument::Compact));
        QVERIFY2(expected.count(name), qPrintable(name));

        sawFile = sawFile || entry.mode == StoreMode::Binary;
        auto bytes = (*inspector)->readStoredBytes(entry);
        QVERIFY2(bytes, bytes.status().toString().c_str());
        auto value = decodeValue(*bytes, hint(entry.mode, entry.valueType));
        QVERIFY2(value, value.status().toString().c_str());
        QCOMPARE(value->format, Format::JsonDisk);
        QVERIFY(!value->truncated);
        QCOMPARE(parseJson(value->text), expected[name]);
    }
    QVERIFY2(sawFile, "the large value should be a mode-2 file");
}

// Django's files decode to the repr() Python gives their value, and to the
// expiry Django wrote.
void TestDecode::djangoFiles() {
    const QJsonObject django = m_manifest["django"].toObject();
    const QJsonArray items = django["items"].toArray();
    QCOMPARE(items.size(), 6);
    for (const QJsonValue item : items) {
        const QByteArray data = readFile(django["directory"].toString() + "/" + item["file"].toString());
        QVERIFY(!data.isEmpty());
        auto decoded = decodeValue(view(data), hint(StoreMode::None));
        QVERIFY2(decoded, decoded.status().toString().c_str());
        QCOMPARE(decoded->format, Format::DjangoFile);
        QCOMPARE(QString::fromStdString(decoded->text), item["repr"].toString());
        QCOMPARE(QString::fromStdString(decoded->pythonType), item["type"].toString());
        QCOMPARE(decoded->pickleProtocol, 5);
        if (item["expiry"].isNull()) {
            QVERIFY(!decoded->expiry);
        } else {
            QVERIFY(decoded->expiry);
            QCOMPARE(*decoded->expiry, std::strtod(item["expiry"].toString().toLatin1().constData(), nullptr));
        }
        QVERIFY2(decoded->reason.find("Django") != std::string::npos, decoded->reason.c_str());
    }
}

void TestDecode::djangoDamaged() {
    const QJsonObject django = m_manifest["django"].toObject();
    const QByteArray data = readFile(django["directory"].toString() + "/" + django["items"][0]["file"].toString());
    QVERIFY(data.size() > 30);
    // Lose the end of the zlib stream: a damaged Django file, not a pickle.
    auto cut = decodeValue(view(data.left(data.size() - 6)), hint(StoreMode::None));
    QVERIFY(!cut);
    QCOMPARE(cut.status().code(), StatusCode::Corrupt);
    // Flip bytes inside the compressed pickle.
    QByteArray flipped = data;
    for (qsizetype i = 24; i < flipped.size() - 4; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
    QVERIFY(!decodeDjangoFile(view(flipped)));
    // Only the expiry pickle: not a Django file (just a pickle of a float).
    auto direct = decodeDjangoFile(view(data.left(12)));
    QVERIFY(!direct);
    QVERIFY(!decodeDjangoFile("garbage"));
    QCOMPARE(decodeDjangoFile("garbage").status().code(), StatusCode::InvalidArgument);
}

void TestDecode::images_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    for (const QJsonValue item : part("images")["items"].toArray()) {
        QTest::newRow(qPrintable(item["file"].toString()))
            << item["file"].toString() << item["format"].toString() << item["width"].toInt() << item["height"].toInt();
    }
}

void TestDecode::images() {
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(int, width);
    QFETCH(int, height);
    const QByteArray data = readFile(part("images")["directory"].toString() + "/" + file);
    QVERIFY(!data.isEmpty());
    auto decoded = decodeValue(view(data), hint(StoreMode::Binary));
    QVERIFY2(decoded, decoded.status().toString().c_str());
    QCOMPARE(decoded->format, Format::Image);
    QVERIFY(decoded->image);
    QCOMPARE(QString::fromLatin1(imageFormatName(decoded->image->format)), format);
    QCOMPARE(decoded->image->width, static_cast<std::uint32_t>(width));
    QCOMPARE(decoded->image->height, static_cast<std::uint32_t>(height));
    if (format != "SVG") {
        QVERIFY2(decoded->reason == "starts with the " + format.toStdString() + " signature", decoded->reason.c_str());
    }
    // The first bytes alone still name the format (truncated images are not
    // errors); a BMP needs its DIB header's size too.
    QVERIFY(format == "SVG" || sniffImage(view(data.left(format == "BMP" ? 18 : 8))));
}

void TestDecode::handMadeJpegAndWebp() {
    // SOI, an APP0 segment to skip, then SOF0: precision 8, height 0x0102, width 0x0304.
    const std::string jpeg("\xFF\xD8\xFF\xE0\x00\x04\x00\x00\xFF\xC0\x00\x0B\x08\x01\x02\x03\x04\x01\x01\x11\x00", 21);
    auto info = sniffImage(jpeg);
    QVERIFY(info);
    QCOMPARE(info->format, ImageFormat::Jpeg);
    QCOMPARE(info->width, 0x0304u);
    QCOMPARE(info->height, 0x0102u);
    // A segment length that runs past the end: a JPEG of unknown size.
    info = sniffImage(std::string("\xFF\xD8\xFF\xE0\xFF\xFF\x00", 7));
    QVERIFY(info);
    QCOMPARE(info->width, 0u);

    // VP8X: canvas 640x480 stored as width-1, height-1 in 24 bits.
    std::string vp8x("RIFF\x00\x00\x00\x00WEBPVP8X\x0A\x00\x00\x00\x00\x00\x00\x00\x7F\x02\x00\xDF\x01\x00", 30);
    info = sniffImage(vp8x);
    QVERIFY(info);
    QCOMPARE(info->format, ImageFormat::WebP);
    QCOMPARE(info->width, 640u);
    QCOMPARE(info->height, 480u);
    // VP8L: 14 bits of width-1 (99) then 14 of height-1 (49).
    const std::uint32_t bits = 99u | (49u << 14);
    std::string vp8l("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2F", 21);
    for (int i = 0; i < 4; ++i) vp8l += static_cast<char>((bits >> (8 * i)) & 0xFF);
    info = sniffImage(vp8l);
    QVERIFY(info);
    QCOMPARE(info->width, 100u);
    QCOMPARE(info->height, 50u);
    // VP8: frame tag, start code 9d 01 2a, then 14-bit width and height.
    std::string vp8("RIFF\x00\x00\x00\x00WEBPVP8 \x00\x00\x00\x00\x00\x00\x00\x9D\x01\x2A\x20\x00\x10\x00", 30);
    info = sniffImage(vp8);
    QVERIFY(info);
    QCOMPARE(info->width, 32u);
    QCOMPARE(info->height, 16u);

    QVERIFY(!sniffImage("BM is how this sentence starts"));
    QVERIFY(!sniffImage("<?xml version=\"1.0\"?><html/>"));
    QVERIFY(!sniffImage("<svgs>"));
    QVERIFY(!sniffImage(""));
}

// 80 MiB of JSON in 80 KiB of zlib: refused at the bound, not inflated.
void TestDecode::zlibBomb() {
    const QByteArray bomb = readFile(m_manifest["bomb"].toString());
    QVERIFY(bomb.size() > 1000 && bomb.size() < 1000000);
    auto decoded = decodeValue(view(bomb), hint(StoreMode::Raw, "bytes"));
    QVERIFY(!decoded);
    QCOMPARE(decoded.status().code(), StatusCode::Corrupt);
    QVERIFY2(decoded.status().message().find("more than") != std::string::npos, decoded.status().message().c_str());
    QVERIFY(!inflateBounded(view(bomb), 1 << 20));
    // Cut short: truncated, also an error.
    auto truncated =
        decodeValue(view(bomb.left(bomb.size() / 2)), hint(StoreMode::Binary), {.maxInflatedBytes = 1 << 20});
    QVERIFY(!truncated);
    QVERIFY(!inflateBounded(view(bomb.left(40)), std::size_t{100} << 20));
}

void TestDecode::prettyJsonLayout() {
    auto pretty = prettyJson(R"( {"a" : [1, -2.5e+3, true, null, "x\"y\u00e9"], "b": {}, "c": [], "d": {"e": NaN}} )");
    QVERIFY2(pretty, pretty.status().toString().c_str());
    // As Python's json.dumps(indent=2) lays it out, strings kept as written.
    const std::string expected =
        "{\n  \"a\": [\n    1,\n    -2.5e+3,\n    true,\n    null,\n    \"x\\\"y\\u00e9\"\n  ],\n"
        "  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": NaN\n  }\n}";
    QCOMPARE(QString::fromStdString(*pretty), QString::fromStdString(expected));
    QCOMPARE(QString::fromStdString(*prettyJson("-Infinity")), QStringLiteral("-Infinity"));

    auto decoded = decodeValue(R"({"k": [1, 2]})", hint(StoreMode::Raw, "str"));
    QVERIFY(decoded);
    QCOMPARE(decoded->format, Format::Json);
    QCOMPARE(QString::fromStdString(decoded->reason), QStringLiteral("valid UTF-8 JSON object"));
    // A bare JSON number in a str is just text.
    decoded = decodeValue("42", hint(StoreMode::Raw, "str"));
    QVERIFY(decoded);
    QCOMPARE(decoded->format, Format::Text);
    // Output past the bound is cut and marked, the input still checked in full.
    decoded = decodeValue(R"([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])", hint(StoreMode::Binary), {.maxTextBytes = 12});
    QVERIFY(decoded);
    QVERIFY(decoded->truncated);
    QVERIFY(decoded->text.size() <= 15);
    QVERIFY(!prettyJson(std::string("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10"), {.maxTextBytes = 12}));
}

void TestDecode::invalidJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("single quotes") << QByteArray("{'a': 1}");
    QTest::newRow("leading zero") << QByteArray("[01]");
    QTest::newRow("trailing comma") << QByteArray("[1,]");
    QTest::newRow("bad escape") << QByteArray("[\"\\x41\"]");
    QTest::newRow("short unicode escape") << QByteArray("[\"\\u12\"]");
    QTest::newRow("control character") << QByteArray("[\"a\tb\"]");
    QTest::newRow("invalid UTF-8") << QByteArray("[\"\xff\"]");
    QTest::newRow("unterminated") << QByteArray("{\"a\": [1, 2");
    QTest::newRow("no value") << QByteArray("{\"a\": }");
    QTest::newRow("two values") << QByteArray("[] []");
    QTest::newRow("bare minus") << QByteArray("-");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("too deep") << QByteArray(100000, '[');
    QTest::newRow("deep but closed") << (QByteArray(300, '[') + QByteArray(300, ']'));
}

void TestDecode::invalidJson() {
    QFETCH(QByteArray, json);
    auto pretty = prettyJson(view(json));
    QVERIFY(!pretty);
    QCOMPARE(pretty.status().code(), StatusCode::Corrupt);
    // Not JSON, so decodeValue shows it some other way, without failing.
    QVERIFY(decodeValue(view(json), hint(StoreMode::Raw, "str")));
}

void TestDecode::textAndEscapes() {
    QCOMPARE(QString::fromStdString(escapeText("a\xff"
                                               "b\xc3\xa9")),
             QStringLiteral("a\\xffb\u00e9"));
    QVERIFY(isUtf8("h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80"));
    QVERIFY(!isUtf8("\xed\xa0\x80"));      // a surrogate
    QVERIFY(!isUtf8("\xc0\xaf"));          // overlong
    QVERIFY(!isUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
    QVERIFY(!isUtf8("\xe2\x98"));          // cut short

    auto text = decodeValue("h\xc3\xa9llo", hint(StoreMode::Raw, "str"));
    QVERIFY(text);
    QCOMPARE(text->format, Format::Text);
    QCOMPARE(QString::fromStdString(text->text), QStringLiteral("h\u00e9llo"));
    QVERIFY2(text->reason.find("valid UTF-8") != std::string::npos, text->reason.c_str());
    // A damaged text file: shown with escapes, and said so.
    text = decodeValue("caf\xe9", hint(StoreMode::Text));
    QVERIFY(text);
    QCOMPARE(QString::fromStdString(text->text), QStringLiteral("caf\\xe9"));
    QVERIFY2(text->reason.find("not valid UTF-8") != std::string::npos, text->reason.c_str());
    // An int stored raw is its repr.
    text = decodeValue("-12", hint(StoreMode::Raw, "int"));
    QVERIFY(text);
    QCOMPARE(text->format, Format::Text);
    // SVG text in a str is an image.
    auto svg = decodeValue("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", hint(StoreMode::Raw, "str"));
    QVERIFY(svg);
    QCOMPARE(svg->format, Format::Image);
    // "x^" fits a zlib header, but text that is UTF-8 is left to be text.
    auto x = decodeValue("x^2 + y^2", hint(StoreMode::Raw, "bytes"));
    QVERIFY(x);
    QCOMPARE(x->format, Format::Text);
}

void TestDecode::hexDumpLines() {
    const std::string dump = hexDump(std::string("0123456789abcdef\x00\xffZ", 19));
    const std::string expected =
        "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
        "00000010  00 ff 5a                                          |..Z|\n";
    QCOMPARE(QString::fromStdString(dump), QString::fromStdString(expected));
    const std::string bounded = hexDump(std::string(100, 'a'), 32);
    QCOMPARE(bounded.substr(bounded.rfind("...")), std::string("... 68 more bytes\n"));
    QCOMPARE(std::count(bounded.begin(), bounded.end(), '\n'), 3);

    auto binary = decodeValue(std::string("\x01\x02\xfe\xff", 4), hint(StoreMode::Binary));
    QVERIFY(binary);
    QCOMPARE(binary->format, Format::Binary);
    QVERIFY(binary->text.starts_with("00000000  01 02 fe ff"));
}

void TestDecode::pickles() {
    auto object = py::parseLiteral("(1, 'a', [None, b'\\x00'])");
    QVERIFY(object);
    auto pickle = py::encodeKey(py::makeContainer(py::Kind::Tuple, {py::makeInt(1), py::makeStr("a")}), 5);
    QVERIFY(pickle);
    auto decoded = decodeValue(*pickle, hint(StoreMode::Pickle));
    QVERIFY2(decoded, decoded.status().toString().c_str());
    QCOMPARE(decoded->format, Format::Pickle);
    QCOMPARE(QString::fromStdString(decoded->text), QStringLiteral("(1, 'a')"));
    QCOMPARE(decoded->pickleProtocol, 5);
    QCOMPARE(QString::fromStdString(decoded->pythonType), QStringLiteral("tuple"));
    QVERIFY2(decoded->reason.ends_with("pickle protocol 5"), decoded->reason.c_str());
    // Bytes of unknown meaning that are a pickle are recognised by PROTO.
    decoded = decodeValue(*pickle, hint(StoreMode::None));
    QVERIFY(decoded);
    QCOMPARE(decoded->format, Format::Pickle);
    // The cache says pickle, the bytes are not one.
    auto bad = decodeValue(std::string("\x80\x05\x95garbage", 10), hint(StoreMode::Pickle));
    QVERIFY(!bad);
    QCOMPARE(bad.status().code(), StatusCode::Corrupt);
    QVERIFY(!decodeValue(pickle->substr(0, pickle->size() - 1), hint(StoreMode::Pickle)));
}

// Deterministic garbage, and real inputs cut at every length or with a byte
// flipped: any result or error, never a crash (worth running under ASan).
void TestDecode::garbageNeverCrashes() {
    std::uint32_t state = 12345;
    const auto next = [&] { return state = state * 1103515245u + 12345u; };
    std::vector<std::string> inputs;
    for (int i = 0; i < 200; ++i) {
        std::string data(next() % 64, '\0');
        for (char& c : data) c = static_cast<char>(next() >> 24);
        inputs.push_back(data);
    }
    for (const QJsonValue item : part("django")["items"].toArray())
        inputs.push_back(
            readFile(part("django")["directory"].toString() + "/" + item["file"].toString()).toStdString());
    for (const QJsonValue item : part("images")["items"].toArray())
        inputs.push_back(
            readFile(part("images")["directory"].toString() + "/" + item["file"].toString()).left(200).toStdString());
    int decodedCount = 0;
    for (const std::string& input : inputs) {
        for (std::size_t length = 0; length <= input.size(); ++length) {
            for (StoreMode mode : {StoreMode::None, StoreMode::Pickle, StoreMode::Text}) {
                auto result = decodeValue(std::string_view(input).substr(0, length), hint(mode));
                if (result)
                    ++decodedCount;
                else
                    QVERIFY(!result.status().message().empty());
            }
        }
    }
    // Each byte of the real inputs flipped in turn (the zlib and pickle
    // parts of Django files, image headers).
    for (const std::string& input : inputs) {
        for (std::size_t pos = 0; pos < input.size(); ++pos) {
            std::string mutated = input;
            mutated[pos] = static_cast<char>(mutated[pos] ^ 0xFF);
            auto result = decodeValue(mutated, hint(StoreMode::None));
            if (!result) QVERIFY(!result.status().message().empty());
        }
    }
    QVERIFY(decodedCount > 0);
}

QTEST_GUILESS_MAIN(TestDecode)
#include "tst_decode.moc"

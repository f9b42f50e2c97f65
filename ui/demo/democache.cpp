#include "demo/democache.h"

#include <QBuffer>
#include <QColor>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/inspect.h"
#include "diskcache/pickle.h"

namespace cachescope::demo {

namespace {

using diskcache::Cache;
using diskcache::StoreOptions;
using diskcache::Value;
using Status = diskcache::Status;

// Protocol-5 pickles built by hand, as pickle.dumps would make them (without memo).
class PickleWriter {
public:
    PickleWriter() { m_out = std::string("\x80\x05", 2); }
    PickleWriter& str(const std::string& s)
    {
        m_out += '\x8c';
        m_out += static_cast<char>(s.size());
        m_out += s;
        return *this;
    }
    PickleWriter& integer(std::int32_t v)
    {
        m_out += 'J';
        for (int i = 0; i < 4; ++i) m_out += static_cast<char>((static_cast<std::uint32_t>(v) >> (8 * i)) & 0xff);
        return *this;
    }
    PickleWriter& real(double v)
    {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        m_out += 'G';
        for (int i = 7; i >= 0; --i) m_out += static_cast<char>((bits >> (8 * i)) & 0xff);
        return *this;
    }
    PickleWriter& boolean(bool v) { m_out += v ? '\x88' : '\x89'; return *this; }
    PickleWriter& none() { m_out += 'N'; return *this; }
    PickleWriter& beginDict() { m_out += "}("; return *this; }
    PickleWriter& endDict() { m_out += 'u'; return *this; }
    PickleWriter& beginList() { m_out += "]("; return *this; }
    PickleWriter& endList() { m_out += 'e'; return *this; }
    Value done() { return Value::pickle(m_out + '.'); }

private:
    std::string m_out;
};

Value tupleKey(const std::string& kind, std::int64_t id)
{
    using namespace diskcache::py;
    auto tuple = makeContainer(Kind::Tuple, {makeStr(kind), makeInt(id)});
    auto bytes = encodeKey(tuple, 5);
    return bytes ? Value::pickle(bytes.value()) : Value::text(kind);
}

Value userRecord(int i)
{
    static const char* const names[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    PickleWriter w;
    w.beginDict();
    w.str("id").integer(i);
    w.str("name").str(names[i % 8]);
    w.str("score").real(i * 1.25);
    w.str("active").boolean(i % 3 != 0);
    w.str("manager").none();
    w.str("roles").beginList().str("reader");
    if (i % 5 == 0) w.str("admin");
    w.endList();
    w.endDict();
    return w.done();
}

Value pngImage(int seed, int size)
{
    QImage image(size, size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    for (int ring = 6; ring > 0; --ring) {
        painter.setBrush(QColor::fromHsv((seed * 40 + ring * 30) % 360, 160, 230));
        painter.setPen(Qt::NoPen);
        const int r = size * ring / 14;
        painter.drawEllipse(QPoint(size / 2, size / 2), r, r);
    }
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return Value::bytes(png.toStdString());
}

std::string lorem(int words)
{
    static const char* const vocabulary[] = {"cache", "entry", "value", "disk", "shard", "expire", "tag", "python", "sqlite", "page"};
    std::string text;
    for (int i = 0; i < words; ++i) {
        if (i) text += (i % 12 == 0) ? ".\n" : " ";
        text += vocabulary[(i * 7 + words) % 10];
    }
    return text;
}

struct Item {
    Value key;
    Value value;
    StoreOptions options;
};

// One demo entry of each flavour, chosen by i.
Item makeItem(int i)
{
    static const char* const tags[] = {"api", "session", "thumbnail", "report", "config"};
    Item item;
    const int flavour = i % 10;
    switch (flavour) {
    case 0: item.key = Value::text("account:" + std::to_string(i)); item.value = userRecord(i); break;
    case 1:
        // Tuples: ('order', n), and the keys memoize() makes, ('module.function', arg).
        if (i % 30 == 1) item.key = tupleKey("order", i);
        else item.key = tupleKey(i % 3 == 0 ? "reports.monthly_revenue" : "shop.pricing.quote", i);
        item.value = Value::real(i * 3.14159);
        break;
    case 2:
        item.key = (i % 100 == 2) ? Value::integer(100000 + i) : Value::text("counter:" + std::to_string(i));
        item.value = Value::integer(i * i);
        break;
    case 3: item.key = Value::text("api/v1/items?page=" + std::to_string(i));
        item.value = Value::text("{\"page\": " + std::to_string(i) + ", \"items\": [1, 2, 3], \"ok\": true}"); break;
    case 4: item.key = Value::bytes("blob-" + std::to_string(i) + std::string("\x00\xff", 2));
        item.value = Value::bytes(std::string(static_cast<std::size_t>(64 + i % 900), static_cast<char>(i))); break;
    case 5: item.key = Value::text("report:" + std::to_string(i)); item.value = Value::text(lorem(40 + i % 400)); break;
    case 6:
        if (i % 400 == 6) {
            item.key = Value::real(i / 8.0);
            item.value = Value::text("float-keyed");
        } else {
            item.key = Value::text("page:/docs/" + std::to_string(i) + ".html");
            item.value = Value::text("<html><body><h1>Page " + std::to_string(i) + "</h1></body></html>");
        }
        break;
    case 7: item.key = Value::text("thumb:" + std::to_string(i) + ".png"); item.value = pngImage(i, 24 + i % 40); break;
    case 8: item.key = Value::text("session:" + std::to_string(i)); item.value = Value::bytes(std::string(48, 'x')); break;
    default: item.key = Value::text("config:" + std::to_string(i)); item.value = Value::integer(i); break;
    }
    if (i % 3 != 2) item.options.tag = Value::text(tags[(i / 3) % 5]);
    if (i % 4 == 1) item.options.expire = 300.0 + (i % 17) * 3600.0;   // live, expiring later
    if (i % 11 == 3) item.options.expire = -60.0 * (1 + i % 50);        // already expired
    return item;
}

QString failure(const diskcache::Status& status) { return QString::fromStdString(status.toString()); }

QString fillShards(const QDir& root, int entries)
{
    constexpr int kShards = 4;
    std::vector<std::unique_ptr<Cache>> shards;
    diskcache::OpenOptions options;
    options.settings = {{"size_limit", Value::integer(16 << 20)},
                        {"eviction_policy", Value::text("least-recently-used")},
                        {"statistics", Value::integer(1)},
                        {"cull_limit", Value::integer(0)}};  // keep the expired demo rows; restored below
    for (int s = 0; s < kShards; ++s) {
        auto cache = Cache::open(root.filePath(QStringLiteral("%1").arg(s, 3, 10, QChar(u'0'))).toStdString(), options);
        if (!cache) return failure(cache.status());
        shards.push_back(std::move(cache).value());
    }
    std::vector<std::vector<Item>> routed(kShards);
    for (int i = 0; i < entries; ++i) {
        Item item = makeItem(i);
        routed[static_cast<std::size_t>(diskcache::fanoutShard(item.key, kShards))].push_back(std::move(item));
    }
    // A few big values that live in files.
    Item big{Value::text("big:report.txt"), Value::text(lorem(12000)), {}};
    Item photo{Value::text("big:photo.png"), pngImage(7, 900), {}};
    photo.options.tag = Value::text("thumbnail");
    for (Item* item : {&big, &photo}) routed[static_cast<std::size_t>(diskcache::fanoutShard(item->key, kShards))].push_back(*item);

    for (int s = 0; s < kShards; ++s) {
        Cache& cache = *shards[static_cast<std::size_t>(s)];
        Status status = cache.transact([&]() -> diskcache::Status {
            for (const Item& item : routed[static_cast<std::size_t>(s)]) DISKCACHE_TRY(cache.set(item.key, item.value, item.options));
            return diskcache::Status::ok();
        });
        if (!status) return failure(status);
        // Some reads, so access counts, hits and misses are not all zero.
        const auto& items = routed[static_cast<std::size_t>(s)];
        for (std::size_t j = 0; j < items.size(); j += 7) (void)cache.get(items[j].key);
        for (int j = 0; j < 40; ++j) (void)cache.get(Value::text("missing:" + std::to_string(j)));
        if (Status reset = cache.reset("cull_limit", Value::integer(10)); !reset) return failure(reset);
    }
    return {};
}


QString fillSubStore(const QDir& root)
{
    diskcache::OpenOptions options;
    options.settings = {{"eviction_policy", Value::text("least-frequently-used")}, {"cull_limit", Value::integer(0)}};
    auto cache = Cache::open(root.filePath(QStringLiteral("cache/sessions")).toStdString(), options);
    if (!cache) return failure(cache.status());
    for (int i = 0; i < 300; ++i) {
        StoreOptions store;
        store.expire = (i % 5 == 0) ? -30.0 : 1800.0 + i * 10.0;
        store.tag = Value::text(i % 2 ? "web" : "mobile");
        Status status = (*cache)->set(Value::text("sid-" + std::to_string(100000 + i * 37)), userRecord(i), store);
        if (!status) return failure(status);
    }
    return {};
}

}  // namespace

QString defaultDirectory() { return QDir(QDir::tempPath()).filePath(QStringLiteral("cachescope-demo")); }

bool isDemoDirectory(const QString& directory)
{
    return QFileInfo::exists(QDir(directory).filePath(QLatin1String(kMarkerName)));
}

QString build(const QString& directory, int entries)
{
    QDir root(directory);
    // Only a demo of ours is ever emptied: a mistyped path must not cost anyone a real cache.
    const bool empty = root.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    if (root.exists() && !empty && !isDemoDirectory(directory))
        return QStringLiteral("%1 is not empty and is not a Cachescope demo; choose a new folder").arg(directory);
    if (root.exists() && !root.removeRecursively()) return QStringLiteral("cannot empty %1").arg(directory);
    if (!QDir().mkpath(directory)) return QStringLiteral("cannot create %1").arg(directory);
    QString error = fillShards(root, entries);
    if (error.isEmpty()) error = fillSubStore(root);
    if (!error.isEmpty()) return error;
    QFile marker(root.filePath(QLatin1String(kMarkerName)));
    if (!marker.open(QIODevice::WriteOnly) || marker.write("Made by cachescope --make-demo; safe to delete.\n") < 0)
        return QStringLiteral("cannot write %1").arg(marker.fileName());
    return {};
}

}  // namespace cachescope::demo

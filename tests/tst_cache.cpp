// The engine's Cache on its own: every operation's effect as a user of the
// API would check it. Interop with the Python library is tst_interop.
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "diskcache/cache.h"
#include "diskcache/inspect.h"
#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Cache> openCache(const QTemporaryDir& dir, OpenOptions options = {}) {
    auto cache = Cache::open(testsupport::toPath(dir.path()), options);
    if (!cache) qWarning() << cache.status().toString().c_str();
    return cache ? std::move(*cache) : nullptr;
}

std::vector<fs::path> valueFiles(const fs::path& root) {
    std::vector<fs::path> files;
    for (auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file() && entry.path().extension() == ".val") files.push_back(entry.path());
    return files;
}

}  // namespace

class TestCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void setAndGetEveryKind();
    void largeValuesGoToFilesAndComeBack();
    void streamedValueIsReadableAsFile();
    void replacingAValueRemovesItsOldFileAndEmptyDirectories();
    void addKeepsLiveItems();
    void expiredItemsAreMissingButStayUntilExpire();
    void expireRemovesEveryExpiredRowAcrossManyTransactions();
    void touchChangesExpiry();
    void incrAndDecrAreAtomicCounters();
    void popReturnsAndRemoves();
    void queuesKeepOrderWithAndWithoutPrefix();
    void peekItemFollowsInsertionOrder();
    void iterationOrders();
    void evictRemovesOnlyTheTag();
    void clearRemovesEverything();
    void cullBringsVolumeUnderLimit();
    void setCullsByPolicy();
    void setCullsExactlyWhenVolumeReachesTheLimit();
    void statisticsCountHitsAndMisses();
    void transactRollsBackEverything();
    void manyThreadsShareOneCache();
    void readOnlyChangesNothing();
    void overlappingReadersLeaveNoSideFiles();
    void readOnlyOfANonCacheCreatesNothing();
    void corruptDatabaseIsAnError();
    void lockedDatabaseTimesOut();
    void removeDeletesTheRowItsFileAndItsCounts();
    void unsafeFilenamesAreNeverFollowed();
    void checkFindsAndFixesDamage();
    void settingsPersistAndApply();
};

void TestCache::setAndGetEveryKind() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(cache);
    const std::vector<std::pair<Value, Value>> items = {
        {Value::text("text"), Value::text("héllo")},
        {Value::bytes(std::string("\0bin", 4)), Value::bytes(std::string("\xff\0", 2))},
        {Value::integer(INT64_MIN), Value::integer(INT64_MAX)},
        {Value::integer(INT64_MAX), Value::real(-0.0)},
        {Value::real(1.5), Value::pickle("\x80\x05}\x94.")},
        {Value::pickle("\x80\x05N."), Value::text("")},
        {Value::bytes(""), Value::bytes("")},
    };
    for (const auto& [key, value] : items) QVERIFY(cache->set(key, value).isOk());
    for (const auto& [key, value] : items) {
        auto item = cache->get(key);
        QVERIFY(item.isOk());
        QVERIFY(item->has_value());
        QVERIFY((*item)->value == value);
        QCOMPARE(int((*item)->mode), int(value.kind() == ValueKind::Pickle ? StoreMode::Pickle : StoreMode::Raw));
    }
    QCOMPARE(*cache->count(), std::int64_t(items.size()));
    // Text and bytes with the same contents are different keys, as in Python.
    QVERIFY(!cache->get(Value::bytes("text"))->has_value());
    QVERIFY(*cache->contains(Value::text("text")));
    QVERIFY(!*cache->contains(Value::text("missing")));
}

void TestCache::largeValuesGoToFilesAndComeBack() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"disk_min_file_size", Value::integer(100)}}});
    QVERIFY(cache);
    const std::string big(1000, 'x');
    const std::string text = std::string(60, 'a') + "\u00e9\r\n" + std::string(60, 'b');  // 123 code points
    QVERIFY(cache->set(Value::text("bytes"), Value::bytes(big)).isOk());
    QVERIFY(cache->set(Value::text("text"), Value::text(text)).isOk());
    QVERIFY(cache->set(Value::text("pickle"), Value::pickle(std::string(200, '.'))).isOk());
    // 99 code points but 100+ bytes of UTF-8: Python counts characters.
    QVERIFY(cache->set(Value::text("short"), Value::text(std::string(98, 'z') + "\u00e9")).isOk());
    QCOMPARE(valueFiles(testsupport::toPath(dir.path())).size(), size_t(3));
    auto bytes = *cache->get(Value::text("bytes"));
    QCOMPARE(int(bytes->mode), int(StoreMode::Binary));
    QVERIFY(bytes->value == Value::bytes(big));
    auto readBack = *cache->get(Value::text("text"));
    QCOMPARE(int(readBack->mode), int(StoreMode::Text));
    // Read as Python's text mode does: universal newlines.
    QCOMPARE(readBack->value.data(), std::string(60, 'a') + "\u00e9\n" + std::string(60, 'b'));
    QCOMPARE(int((*cache->get(Value::text("pickle")))->mode), int(StoreMode::Pickle));
    QCOMPARE(int((*cache->get(Value::text("short")))->mode), int(StoreMode::Raw));
    auto rows = *cache->settingRows();
    auto size = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.first == "size"; });
    QCOMPARE(size->second.asInt(), std::int64_t(1000 + text.size() + 200));
}

void TestCache::streamedValueIsReadableAsFile() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    std::istringstream in(std::string(100000, 'q'));
    QVERIFY(cache->setStream(Value::text("stream"), in).isOk());
    auto item = *cache->get(Value::text("stream"), {.asFile = true});
    QVERIFY(item.has_value());
    QVERIFY(item->path.has_value());
    QVERIFY(item->value.isNone());
    QCOMPARE(fs::file_size(*item->path), std::uintmax_t(100000));
}

void TestCache::replacingAValueRemovesItsOldFileAndEmptyDirectories() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"disk_min_file_size", Value::integer(10)}}});
    QVERIFY(cache->set(Value::text("k"), Value::bytes(std::string(50, 'a'))).isOk());
    const auto first = valueFiles(testsupport::toPath(dir.path()));
    QCOMPARE(first.size(), size_t(1));
    QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    QVERIFY(valueFiles(testsupport::toPath(dir.path())).empty());
    QVERIFY(!fs::exists(first[0].parent_path()));
    QVERIFY(!fs::exists(first[0].parent_path().parent_path()));
    QVERIFY(fs::exists(testsupport::toPath(dir.path()) / "cache.db"));
}

void TestCache::addKeepsLiveItems() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(*cache->add(Value::text("a"), Value::integer(1)));
    QVERIFY(!*cache->add(Value::text("a"), Value::integer(2)));
    QCOMPARE((*cache->get(Value::text("a")))->value.asInt(), std::int64_t(1));
    QVERIFY(cache->set(Value::text("b"), Value::integer(1), {.expire = -1}).isOk());
    QVERIFY(*cache->add(Value::text("b"), Value::integer(2)));  // expired items may be replaced
    QCOMPARE((*cache->get(Value::text("b")))->value.asInt(), std::int64_t(2));
}

void TestCache::expiredItemsAreMissingButStayUntilExpire() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"cull_limit", Value::integer(0)}}});
    QVERIFY(cache->set(Value::text("old"), Value::integer(1), {.expire = -10}).isOk());
    QVERIFY(cache->set(Value::text("new"), Value::integer(2), {.expire = 1000, .tag = Value::text("t")}).isOk());
    QVERIFY(!cache->get(Value::text("old"))->has_value());
    QVERIFY(!*cache->remove(Value::text("old")));
    QCOMPARE(*cache->count(), std::int64_t(2));
    auto item = *cache->get(Value::text("new"));
    QVERIFY(item->expireTime.has_value());
    QVERIFY(*item->expireTime > 1e9);
    QVERIFY(item->tag == Value::text("t"));
    auto removal = cache->expire();
    QVERIFY(removal.isOk());
    QCOMPARE(removal->removed, std::int64_t(1));
    QCOMPARE(*cache->count(), std::int64_t(1));
}

// expire() reads the expired rowids once and deletes them in rowid order
// over many transactions (timeout 0: every batch commits on its own). Every
// expired row must go with its file, every other row must stay, and the
// counts must match what is left; a stop keeps what was committed.
void TestCache::expireRemovesEveryExpiredRowAcrossManyTransactions() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.timeout = 0.0,
                                 .settings = {{"cull_limit", Value::integer(0)}, {"disk_min_file_size", Value::integer(50)}}});
    QVERIFY(cache);
    // Expiry in an order unrelated to rowid, so index order and rowid order differ.
    std::set<int> expired, live;
    for (int i = 0; i < 1000; ++i) {
        const bool expires = i % 3 != 0;
        const std::string value = i % 10 == 0 ? std::string(100, 'f') : "v";  // every tenth in a file
        StoreOptions options;
        if (expires) options.expire = -1.0 - (i * 7919 % 1000);
        else if (i % 2) options.expire = 1000.0;
        QVERIFY(cache->set(Value::integer(i), Value::bytes(value), options).isOk());
        (expires ? expired : live).insert(i);
    }
    const fs::path root = testsupport::toPath(dir.path());
    const auto filesBefore = valueFiles(root).size();

    std::vector<std::int64_t> reports;
    auto stopped = cache->expire(std::nullopt, [&](std::int64_t done) {
        reports.push_back(done);
        return reports.size() < 3;
    });
    QVERIFY(stopped.isOk());
    QVERIFY(stopped->cancelled);
    QCOMPARE(reports, (std::vector<std::int64_t>{100, 200, 300}));
    QCOMPARE(*cache->count(), std::int64_t(1000 - 300));

    auto rest = cache->expire();
    QVERIFY(rest.isOk());
    QVERIFY(!rest->cancelled);
    QCOMPARE(stopped->removed + rest->removed, std::int64_t(expired.size()));
    for (int i : expired) QVERIFY2(!*cache->contains(Value::integer(i)) && !cache->get(Value::integer(i))->has_value(), qPrintable(QString::number(i)));
    for (int i : live) QVERIFY2(cache->get(Value::integer(i))->has_value(), qPrintable(QString::number(i)));
    QCOMPARE(*cache->count(), std::int64_t(live.size()));
    std::size_t liveFiles = 0;
    for (int i : live) liveFiles += i % 10 == 0;
    QVERIFY(filesBefore > liveFiles);
    QCOMPARE(valueFiles(root).size(), liveFiles);
    auto report = cache->check(false);
    QVERIFY(report.isOk());
    QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings.front().detail.c_str());
    QCOMPARE(cache->expire()->removed, std::int64_t(0));
}

void TestCache::touchChangesExpiry() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    QVERIFY(*cache->touch(Value::text("k"), 100.0));
    QVERIFY((*cache->get(Value::text("k")))->expireTime.has_value());
    QVERIFY(*cache->touch(Value::text("k"), std::nullopt));
    QVERIFY(!(*cache->get(Value::text("k")))->expireTime.has_value());
    QVERIFY(!*cache->touch(Value::text("absent"), 1.0));
}

void TestCache::incrAndDecrAreAtomicCounters() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QCOMPARE(*cache->incr(Value::text("n")), std::int64_t(1));
    QCOMPARE(*cache->incr(Value::text("n"), 10), std::int64_t(11));
    QCOMPARE(*cache->decr(Value::text("n"), 3), std::int64_t(8));
    QCOMPARE(cache->incr(Value::text("none"), 1, std::nullopt).status().code(), StatusCode::NotFound);
    QVERIFY(cache->set(Value::text("s"), Value::text("x")).isOk());
    QCOMPARE(cache->incr(Value::text("s")).status().code(), StatusCode::InvalidArgument);
    QVERIFY(cache->set(Value::text("max"), Value::integer(INT64_MAX)).isOk());
    QVERIFY(!cache->incr(Value::text("max")).isOk());
}

void TestCache::popReturnsAndRemoves() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"disk_min_file_size", Value::integer(10)}}});
    QVERIFY(cache->set(Value::text("k"), Value::bytes(std::string(64, 'p')), {.tag = Value::integer(7)}).isOk());
    auto item = *cache->pop(Value::text("k"));
    QVERIFY(item.has_value());
    QCOMPARE(item->value.data(), std::string(64, 'p'));
    QVERIFY(item->tag == Value::integer(7));
    QVERIFY(!cache->pop(Value::text("k"))->has_value());
    QVERIFY(valueFiles(testsupport::toPath(dir.path())).empty());
}

void TestCache::queuesKeepOrderWithAndWithoutPrefix() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QCOMPARE(cache->push(Value::text("a"))->asInt(), std::int64_t(500000000000000));
    QCOMPARE(cache->push(Value::text("b"))->asInt(), std::int64_t(500000000000001));
    QCOMPARE(cache->push(Value::text("z"), std::nullopt, QueueSide::Front)->asInt(), std::int64_t(499999999999999));
    QCOMPARE(cache->push(Value::integer(1), std::string("jobs"))->data(), std::string("jobs-500000000000000"));
    QCOMPARE(cache->push(Value::integer(2), std::string("jobs"))->data(), std::string("jobs-500000000000001"));
    QCOMPARE((*cache->peek())->value.data(), std::string("z"));
    QCOMPARE((*cache->pull())->value.data(), std::string("z"));
    QCOMPARE((*cache->pull(std::nullopt, QueueSide::Back))->value.data(), std::string("b"));
    QCOMPARE((*cache->pull())->value.data(), std::string("a"));
    QVERIFY(!cache->pull()->has_value());
    QCOMPARE((*cache->pull(std::string("jobs")))->value.asInt(), std::int64_t(1));
    QVERIFY(cache->push(Value::integer(3), std::string("jobs"), QueueSide::Back, {.expire = -1}).isOk());
    QCOMPARE((*cache->pull(std::string("jobs")))->value.asInt(), std::int64_t(2));
    QVERIFY(!cache->pull(std::string("jobs"))->has_value());  // the expired one is dropped
    QCOMPARE(*cache->count(), std::int64_t(0));
}

void TestCache::peekItemFollowsInsertionOrder() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(cache->set(Value::text("first"), Value::integer(1)).isOk());
    QVERIFY(cache->set(Value::text("second"), Value::integer(2)).isOk());
    QCOMPARE((*cache->peekItem(true))->key.data(), std::string("second"));
    QCOMPARE((*cache->peekItem(false))->key.data(), std::string("first"));
}

void TestCache::iterationOrders() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    for (int i = 2500; i > 0; --i) QVERIFY(cache->set(Value::integer(i), Value::integer(i)).isOk());
    std::vector<std::int64_t> byKey, byInsertion;
    QVERIFY(cache->forEachKey(Cache::KeyOrder::Key, [&](const Value& k) { byKey.push_back(k.asInt()); return true; }).isOk());
    QVERIFY(cache->forEachKey(Cache::KeyOrder::Insertion, [&](const Value& k) { byInsertion.push_back(k.asInt()); return true; }).isOk());
    QCOMPARE(byKey.size(), size_t(2500));
    QVERIFY(std::is_sorted(byKey.begin(), byKey.end()));
    QCOMPARE(byInsertion.front(), std::int64_t(2500));
    QCOMPARE(byInsertion.back(), std::int64_t(1));
    std::vector<std::int64_t> reversed;
    QVERIFY(cache->forEachKey(Cache::KeyOrder::KeyReversed, [&](const Value& k) { reversed.push_back(k.asInt()); return reversed.size() < 1500; }).isOk());
    QCOMPARE(reversed.size(), size_t(1500));
    QCOMPARE(reversed.front(), std::int64_t(2500));
}

void TestCache::evictRemovesOnlyTheTag() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    for (int i = 0; i < 250; ++i)
        QVERIFY(cache->set(Value::integer(i), Value::integer(i), {.tag = Value::text(i % 2 ? "odd" : "even")}).isOk());
    std::vector<std::int64_t> progress;
    auto removal = cache->evict(Value::text("odd"), [&](std::int64_t done) { progress.push_back(done); return true; });
    QCOMPARE(removal->removed, std::int64_t(125));
    QCOMPARE(progress, (std::vector<std::int64_t>{100, 125}));  // batches of 100, as the library
    QCOMPARE(*cache->count(), std::int64_t(125));
    QVERIFY(!*cache->contains(Value::integer(1)));
    QVERIFY(*cache->contains(Value::integer(2)));
}

void TestCache::clearRemovesEverything() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"disk_min_file_size", Value::integer(10)}}});
    for (int i = 0; i < 30; ++i) QVERIFY(cache->set(Value::integer(i), Value::bytes(std::string(20, 'v'))).isOk());
    auto cancelled = cache->clear([](std::int64_t) { return false; });
    QVERIFY(cancelled->cancelled);
    QCOMPARE(cancelled->removed, std::int64_t(30));  // one whole batch of up to 100
    for (int i = 0; i < 300; ++i) QVERIFY(cache->set(Value::integer(i), Value::integer(i)).isOk());
    QCOMPARE(cache->clear()->removed, std::int64_t(300));
    QCOMPARE(*cache->count(), std::int64_t(0));
    QVERIFY(valueFiles(testsupport::toPath(dir.path())).empty());
}

void TestCache::cullBringsVolumeUnderLimit() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"size_limit", Value::integer(200000)}, {"cull_limit", Value::integer(0)},
                                              {"disk_min_file_size", Value::integer(1000)}}});
    for (int i = 0; i < 100; ++i) QVERIFY(cache->set(Value::integer(i), Value::bytes(std::string(10000, 'c'))).isOk());
    QVERIFY(*cache->volume() > 200000);
    auto removal = cache->cull();
    QVERIFY(removal.isOk());
    QVERIFY(removal->removed > 0);
    QVERIFY(*cache->volume() <= 200000);
    // Least recently stored goes first: the newest key survives.
    QVERIFY(*cache->contains(Value::integer(99)));
    QVERIFY(!*cache->contains(Value::integer(0)));
}

void TestCache::setCullsByPolicy() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"size_limit", Value::integer(0)}, {"cull_limit", Value::integer(2)},
                                              {"eviction_policy", Value::text("least-frequently-used")}}});
    QVERIFY(cache);
    QVERIFY(cache->set(Value::text("a"), Value::integer(1)).isOk());
    // Every set removes up to two rows with the lowest access_count.
    QCOMPARE(*cache->count(), std::int64_t(0));
    QVERIFY(cache->reset("cull_limit", Value::integer(1)).isOk());
    QVERIFY(cache->set(Value::text("b"), Value::integer(1)).isOk());  // culls itself: volume >= limit
    QCOMPARE(*cache->count(), std::int64_t(0));
    QVERIFY(cache->reset("eviction_policy", Value::text("none")).isOk());
    QVERIFY(cache->set(Value::text("c"), Value::integer(1)).isOk());
    QCOMPARE(*cache->count(), std::int64_t(1));  // policy none never culls
}

// set() decides whether to cull by volume without PRAGMA page_count when the
// files are far below the limit; near it, and when the write itself grows
// the database past it, the decision must still be Python's (the same
// sequence run by python3-diskcache 5.4 gives these counts).
void TestCache::setCullsExactlyWhenVolumeReachesTheLimit() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.settings = {{"cull_limit", Value::integer(1)},
                                              {"disk_min_file_size", Value::integer(64 << 20)}}});
    QVERIFY(cache);
    for (int i = 0; i < 10; ++i) QVERIFY(cache->set(Value::integer(i), Value::bytes(std::string(100, 'x'))).isOk());
    auto volume = *cache->volume();
    QVERIFY(cache->reset("size_limit", Value::integer(volume + 1)).isOk());
    QVERIFY(cache->set(Value::integer(0), Value::bytes(std::string(100, 'x'))).isOk());
    QCOMPARE(*cache->count(), std::int64_t(10));  // one byte under the limit: nothing culled
    QCOMPARE(*cache->volume(), volume);
    QVERIFY(cache->reset("size_limit", Value::integer(volume)).isOk());
    QVERIFY(cache->set(Value::integer(1), Value::bytes(std::string(100, 'x'))).isOk());
    QCOMPARE(*cache->count(), std::int64_t(9));  // at the limit: the least recently stored goes
    QVERIFY(!*cache->contains(Value::integer(2)));
    // A 4 MB value kept in the database takes the volume past a limit 2 MB
    // away within the set's own transaction, before any file holds it.
    QVERIFY(cache->reset("size_limit", Value::integer(*cache->volume() + (2 << 20))).isOk());
    QVERIFY(cache->set(Value::text("big"), Value::bytes(std::string(4 << 20, 'y'))).isOk());
    QCOMPARE(*cache->count(), std::int64_t(9));
    QVERIFY(!*cache->contains(Value::integer(3)));
    QVERIFY(*cache->contains(Value::text("big")));
}

void TestCache::statisticsCountHitsAndMisses() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    QVERIFY(!cache->readStats()->statistics);
    QVERIFY(cache->get(Value::text("k")).isOk());
    QCOMPARE(cache->readStats()->hits, std::int64_t(0));  // off: nothing counted
    QVERIFY(cache->stats(true).isOk());
    QVERIFY(cache->get(Value::text("k")).isOk());
    QVERIFY(cache->get(Value::text("k")).isOk());
    QVERIFY(cache->get(Value::text("absent")).isOk());
    auto stats = *cache->stats(true, true);
    QCOMPARE(stats.hits, std::int64_t(2));
    QCOMPARE(stats.misses, std::int64_t(1));
    QCOMPARE(cache->readStats()->hits, std::int64_t(0));
}

void TestCache::transactRollsBackEverything() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    QVERIFY(cache->set(Value::text("kept"), Value::integer(1)).isOk());
    Status status = cache->transact([&]() -> Status {
        DISKCACHE_TRY(cache->set(Value::text("inner"), Value::integer(2)));
        DISKCACHE_TRY(cache->transact([&] { return cache->remove(Value::text("kept")).status(); }));
        return Status::invalidArgument("changed my mind");
    });
    QCOMPARE(status.code(), StatusCode::InvalidArgument);
    QVERIFY(*cache->contains(Value::text("kept")));
    QVERIFY(!*cache->contains(Value::text("inner")));
    QVERIFY(cache->transact([&] { return cache->set(Value::text("inner"), Value::integer(2)); }).isOk());
    QVERIFY(*cache->contains(Value::text("inner")));
}

void TestCache::manyThreadsShareOneCache() {
    QTemporaryDir dir;
    auto cache = openCache(dir);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i) {
                const Value key = Value::integer(i % 50);
                if (!cache->set(key, Value::text(std::to_string(t))).isOk()) ++failures;
                if (!cache->get(key).isOk()) ++failures;
                if (!cache->incr(Value::text("counter")).isOk()) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE((*cache->get(Value::text("counter")))->value.asInt(), std::int64_t(1200));
    QCOMPARE(*cache->count(), std::int64_t(51));
    QVERIFY(cache->check(false)->findings.empty());
}

void TestCache::readOnlyChangesNothing() {
    QTemporaryDir dir;
    {
        auto cache = openCache(dir, {.settings = {{"statistics", Value::integer(1)},
                                                  {"eviction_policy", Value::text("least-recently-used")}}});
        QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    }
    const auto before = testsupport::snapshotTree(testsupport::toPath(dir.path()));
    QVERIFY(!before.count("cache.db-wal"));
    {
        auto cache = openCache(dir, {.readOnly = true});
        QVERIFY(cache);
        QVERIFY(cache->isReadOnly());
        QVERIFY(cache->get(Value::text("k"))->has_value());
        QVERIFY(!cache->get(Value::text("absent"))->has_value());
        QCOMPARE(cache->set(Value::text("x"), Value::integer(1)).code(), StatusCode::ReadOnly);
        QCOMPARE(cache->clear().status().code(), StatusCode::ReadOnly);
        QCOMPARE(cache->check(true).status().code(), StatusCode::ReadOnly);
        QVERIFY(cache->check(false)->findings.empty());
        QCOMPARE(cache->readStats()->hits, std::int64_t(0));
    }
    QCOMPARE(testsupport::snapshotTree(testsupport::toPath(dir.path())), before);
}

// The GUI opens several read-only handles at once and closes them in any
// order; whichever closes last must take the -wal/-shm the readers made.
void TestCache::overlappingReadersLeaveNoSideFiles() {
    QTemporaryDir dir;
    {
        auto cache = openCache(dir);
        QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    }
    const fs::path root = testsupport::toPath(dir.path());
    const auto before = testsupport::snapshotTree(root);
    QVERIFY(!before.count("cache.db-wal"));
    for (int order = 0; order < 2; ++order) {
        auto first = diskcache::inspect::open(root);
        QVERIFY(first);
        auto second = Cache::open(root, {.readOnly = true});
        QVERIFY(second);
        auto third = diskcache::inspect::open(root);
        QVERIFY(third);
        QCOMPARE(*(*first)->count({}), std::int64_t(1));
        QVERIFY((*second)->get(Value::text("k"))->has_value());
        QCOMPARE(*(*third)->count({}), std::int64_t(1));
        if (order == 0) {  // first opened, first closed
            first->reset();
            second->reset();
            third->reset();
        } else {  // last opened, first closed
            third->reset();
            second->reset();
            first->reset();
        }
        QCOMPARE(testsupport::snapshotTree(root), before);
    }
}

void TestCache::readOnlyOfANonCacheCreatesNothing() {
    QTemporaryDir dir;
    const fs::path root = testsupport::toPath(dir.path());
    std::ofstream(root / "notes.txt") << "hello";
    auto cache = Cache::open(root, {.readOnly = true});
    QCOMPARE(cache.status().code(), StatusCode::NotFound);
    QVERIFY(QString::fromStdString(cache.status().message()).contains("no cache.db"));
    QCOMPARE(testsupport::snapshotTree(root).size(), size_t(1));
    QCOMPARE(Cache::open(root / "missing", {.readOnly = true}).status().code(), StatusCode::NotFound);
    QVERIFY(!fs::exists(root / "missing"));
}

void TestCache::corruptDatabaseIsAnError() {
    QTemporaryDir dir;
    const fs::path root = testsupport::toPath(dir.path());
    std::ofstream(root / "cache.db", std::ios::binary) << std::string(8192, '\x5a');
    for (bool readOnly : {true, false}) {
        auto cache = Cache::open(root, {.readOnly = readOnly});
        QCOMPARE(cache.status().code(), StatusCode::Corrupt);
    }
    // A valid SQLite file with another schema is not a cache either.
    QTemporaryDir other;
    const fs::path otherRoot = testsupport::toPath(other.path());
    {
        auto cache = Cache::open(otherRoot);
        QVERIFY(cache.isOk());
    }
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open((otherRoot / "cache.db").string().c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "DROP TABLE Cache; CREATE TABLE Cache (x)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    QCOMPARE(Cache::open(otherRoot, {.readOnly = true}).status().code(), StatusCode::Corrupt);
}

// remove() as the library's delete: the row goes, its value file goes, the
// Settings count and size follow (triggers), a second remove finds nothing,
// and under another writer's lock it times out and leaves the item.
void TestCache::removeDeletesTheRowItsFileAndItsCounts() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.timeout = 0.2, .settings = {{"disk_min_file_size", Value::integer(100)}}});
    QVERIFY(cache);
    const fs::path root = testsupport::toPath(dir.path());
    QVERIFY(cache->set(Value::text("big"), Value::bytes(std::string(5000, 'x'))).isOk());
    QVERIFY(cache->set(Value::text("small"), Value::integer(7)).isOk());
    QCOMPARE(valueFiles(root).size(), size_t(1));
    auto settingOf = [&](const char* name) {
        auto rows = *cache->settingRows();
        auto it = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.first == name; });
        return it == rows.end() ? std::int64_t(-1) : it->second.asInt();
    };
    QCOMPARE(settingOf("count"), std::int64_t(2));
    QCOMPARE(settingOf("size"), std::int64_t(5000));

    sqlite3* locker = nullptr;
    QCOMPARE(sqlite3_open((root / "cache.db").string().c_str(), &locker), SQLITE_OK);
    QCOMPARE(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto locked = cache->remove(Value::text("big"));
    QCOMPARE(locked.status().code(), StatusCode::Timeout);
    sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(locker);
    QCOMPARE(valueFiles(root).size(), size_t(1));
    QVERIFY(cache->get(Value::text("big"))->has_value());

    QVERIFY(*cache->remove(Value::text("big")));
    QVERIFY(valueFiles(root).empty());
    QVERIFY(!cache->get(Value::text("big"))->has_value());
    QCOMPARE(settingOf("count"), std::int64_t(1));
    QCOMPARE(settingOf("size"), std::int64_t(0));
    QVERIFY(!*cache->remove(Value::text("big")));
    QCOMPARE(*cache->count(), std::int64_t(1));
    // Inside the caller's transaction the file waits for the commit.
    QVERIFY(cache->set(Value::text("big2"), Value::bytes(std::string(5000, 'y'))).isOk());
    QVERIFY(cache->transact([&] {
                      auto removed = cache->remove(Value::text("big2"));
                      if (!removed) return removed.status();
                      return valueFiles(root).size() == 1 ? Status::ok() : Status::invalidArgument("file removed before commit");
                  }).isOk());
    QVERIFY(valueFiles(root).empty());
}

void TestCache::lockedDatabaseTimesOut() {
    QTemporaryDir dir;
    auto cache = openCache(dir, {.timeout = 0.2});
    QVERIFY(cache->set(Value::text("k"), Value::integer(1)).isOk());
    sqlite3* locker = nullptr;
    QCOMPARE(sqlite3_open((testsupport::toPath(dir.path()) / "cache.db").string().c_str(), &locker), SQLITE_OK);
    QCOMPARE(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    QElapsedTimer timer;
    timer.start();
    Status status = cache->set(Value::text("k"), Value::integer(2));
    QCOMPARE(status.code(), StatusCode::Timeout);
    QVERIFY(timer.elapsed() >= 150);
    sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(locker);
    QCOMPARE((*cache->get(Value::text("k")))->value.asInt(), std::int64_t(1));  // nothing half-done
    QVERIFY(cache->set(Value::text("k"), Value::integer(3)).isOk());
}

void TestCache::unsafeFilenamesAreNeverFollowed() {
    QTemporaryDir dir;
    QTemporaryDir outside;
    const fs::path bait = testsupport::toPath(outside.path()) / "bait.val";
    std::ofstream(bait) << "precious";
    const fs::path root = testsupport::toPath(dir.path());
    fs::create_directories(root / "ln");
    fs::create_symlink(testsupport::toPath(outside.path()), root / "ln" / "out");
    {
        auto cache = openCache(dir);
        QVERIFY(cache->set(Value::text("abs"), Value::integer(0)).isOk());
    }
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open((root / "cache.db").string().c_str(), &db), SQLITE_OK);
    const std::string names[] = {bait.string(), "../" + fs::relative(bait, root).string(), "ln/out/bait.val"};
    for (int i = 0; i < 3; ++i) {
        const std::string sql = "INSERT INTO Cache(key, raw, store_time, access_time, size, mode, filename) VALUES ('evil" +
                                std::to_string(i) + "', 1, 0, 0, 8, 2, '" + names[i] + "')";
        QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    }
    sqlite3_close(db);
    auto cache = openCache(dir);
    for (int i = 0; i < 3; ++i) {
        auto item = cache->get(Value::text("evil" + std::to_string(i)));
        QCOMPARE(item.status().code(), StatusCode::InvalidArgument);
    }
    auto report = *cache->check(false);
    QCOMPARE(std::count_if(report.findings.begin(), report.findings.end(),
                           [](auto& f) { return f.kind == Finding::Kind::UnsafeFilename; }), std::ptrdiff_t(3));
    QVERIFY(cache->check(true).isOk());
    QVERIFY(cache->clear().isOk());
    QVERIFY(fs::exists(bait));
    std::ifstream in(bait);
    std::string contents;
    in >> contents;
    QCOMPARE(contents, std::string("precious"));
}

void TestCache::checkFindsAndFixesDamage() {
    QTemporaryDir dir;
    const fs::path root = testsupport::toPath(dir.path());
    auto cache = openCache(dir, {.settings = {{"disk_min_file_size", Value::integer(10)}}});
    for (int i = 0; i < 3; ++i) QVERIFY(cache->set(Value::integer(i), Value::bytes(std::string(100, 'd'))).isOk());
    auto files = valueFiles(root);
    fs::remove(files[0]);
    fs::resize_file(files[1], 5);
    std::ofstream(root / "stray.txt") << "x";
    fs::create_directories(root / "empty" / "nested");
    auto report = *cache->check(false);
    std::map<std::string, int> kinds;
    for (auto& f : report.findings) ++kinds[findingKindName(f.kind)];
    QCOMPARE(kinds["file-not-found"], 1);
    QCOMPARE(kinds["wrong-file-size"], 1);
    QCOMPARE(kinds["unknown-file"], 1);
    // "empty/nested" and the two-level directory of the deleted file; "empty"
    // holds a directory, so it is not empty (Python's rule).
    QCOMPARE(kinds["empty-directory"], 2);
    QVERIFY(fs::exists(root / "stray.txt"));  // a dry run changes nothing
    QVERIFY(cache->check(true)->fixed);
    QVERIFY(cache->check(false)->findings.empty());
    QVERIFY(!fs::exists(root / "empty"));
    QCOMPARE(*cache->count(), std::int64_t(2));
}

void TestCache::settingsPersistAndApply() {
    QTemporaryDir dir;
    {
        auto cache = openCache(dir, {.settings = {{"size_limit", Value::integer(12345)},
                                                  {"eviction_policy", Value::text("least-recently-used")}}});
        QCOMPARE(cache->settings().sizeLimit, std::int64_t(12345));
        QVERIFY(cache->createTagIndex().isOk());
    }
    auto cache = openCache(dir);
    const Settings settings = cache->settings();
    QCOMPARE(settings.sizeLimit, std::int64_t(12345));
    QCOMPARE(int(settings.evictionPolicy), int(EvictionPolicy::LeastRecentlyUsed));
    QVERIFY(settings.tagIndex);
    QCOMPARE(cache->reset("eviction_policy", Value::text("bogus")).code(), StatusCode::InvalidArgument);
}

QTEST_GUILESS_MAIN(TestCache)
#include "tst_cache.moc"

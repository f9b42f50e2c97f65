// Inspector::seek, setCancelCheck and changeToken on caches made by the real
// diskcache library: a seek lands exactly where paging through every row
// lands (each sort, both directions, NULL segments, a filter, a FanoutCache),
// a cancelled query answers Cancelled and holds no transaction open, and
// the change token moves when another process writes and only then.
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "diskcache/inspect.h"
#include "testsupport.h"

using namespace diskcache;

namespace {

struct Row {
    std::int64_t rowid;
    std::string shard;
    bool operator==(const Row&) const = default;
};

Row rowOf(const Entry& e) { return {e.rowid, e.shard.value_or("")}; }

// Every row of the listing, by paging with cursors from the start.
std::vector<Row> walk(Inspector& inspector, PageRequest request)
{
    std::vector<Row> rows;
    request.limit = 1000;
    request.after.clear();
    while (true) {
        auto page = inspector.list(request);
        if (!page) return {};
        for (const auto& e : page->entries) rows.push_back(rowOf(e));
        if (page->next.empty()) return rows;
        request.after = page->next;
    }
}

// The first row of list() after seeking `rows` from `after`.
std::optional<Row> rowAfterSeek(Inspector& inspector, PageRequest request, std::int64_t rows)
{
    auto cursor = inspector.seek(request, rows);
    if (!cursor) return std::nullopt;
    request.after = *cursor;
    request.limit = 1;
    auto page = inspector.list(request);
    if (!page || page->entries.empty()) return std::nullopt;
    return rowOf(page->entries.front());
}

}  // namespace

class TestInspectSeek : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void seekLandsWherePagingLands_data();
    void seekLandsWherePagingLands();
    void seekFromACursorAndPastTheEnd();
    void lastRowIsPythonsLastKey();
    void cancelledQueriesStopAndHoldNothing();
    void changeTokenMovesOnlyOnOthersWrites();

private:
    std::unique_ptr<Inspector> open(const QString& dir);

    QTemporaryDir m_dir;
    QString m_cache;
    QString m_fanout;
    QJsonObject m_python;
    static constexpr int kRows = 6000;
};

void TestInspectSeek::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(QStringLiteral("cache"));
    m_fanout = m_dir.filePath(QStringLiteral("fanout"));
    m_python = testsupport::runPythonJson(QStringLiteral("big_make.py"), {QStringLiteral("cache"), m_cache, QString::number(kRows)}).object();
    QCOMPARE(m_python.value(QStringLiteral("len")).toInt(), kRows);
    const QJsonObject fanout = testsupport::runPythonJson(
        QStringLiteral("big_make.py"), {QStringLiteral("fanout"), m_fanout, QString::number(kRows), QStringLiteral("4")}).object();
    QCOMPARE(fanout.value(QStringLiteral("len")).toInt(), kRows);
}

std::unique_ptr<Inspector> TestInspectSeek::open(const QString& dir)
{
    auto opened = inspect::open(testsupport::toPath(dir));
    return opened ? std::move(opened).value() : nullptr;
}

void TestInspectSeek::seekLandsWherePagingLands_data()
{
    QTest::addColumn<bool>("fanout");
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<bool>("filtered");
    for (bool fanout : {false, true}) {
        const char* kind = fanout ? "fanout" : "cache";
        for (auto sort : {SortColumn::Key, SortColumn::Size, SortColumn::StoreTime, SortColumn::AccessTime,
                          SortColumn::ExpireTime, SortColumn::AccessCount, SortColumn::Tag, SortColumn::StoredSize})
            for (bool descending : {false, true})
                QTest::addRow("%s %s%s", kind, sortColumnName(sort), descending ? " desc" : "")
                    << fanout << static_cast<int>(sort) << descending << false;
        QTest::addRow("%s tag t1, expire_time", kind) << fanout << static_cast<int>(SortColumn::ExpireTime) << false << true;
    }
}

void TestInspectSeek::seekLandsWherePagingLands()
{
    QFETCH(bool, fanout);
    QFETCH(int, sort);
    QFETCH(bool, descending);
    QFETCH(bool, filtered);
    auto inspector = open(fanout ? m_fanout : m_cache);
    QVERIFY(inspector);
    PageRequest request;
    request.sort = static_cast<SortColumn>(sort);
    request.descending = descending;
    if (filtered) request.filter.tag = Value::text("t1");
    const std::vector<Row> all = walk(*inspector, request);
    QVERIFY(all.size() > 100);
    if (!filtered) QCOMPARE(static_cast<int>(all.size()), kRows);
    const auto n = static_cast<std::int64_t>(all.size());
    for (std::int64_t offset : {std::int64_t{0}, std::int64_t{1}, std::int64_t{255}, std::int64_t{256}, n / 3, n / 2 + 7, n - 2, n - 1}) {
        const auto row = rowAfterSeek(*inspector, request, offset);
        QVERIFY2(row, qPrintable(QStringLiteral("no row after seeking %1").arg(offset)));
        QVERIFY2(*row == all[static_cast<std::size_t>(offset)], qPrintable(QStringLiteral("wrong row at %1").arg(offset)));
    }
}

void TestInspectSeek::seekFromACursorAndPastTheEnd()
{
    for (const QString& dir : {m_cache, m_fanout}) {
        auto inspector = open(dir);
        QVERIFY(inspector);
        PageRequest request;
        request.sort = SortColumn::Size;
        const std::vector<Row> all = walk(*inspector, request);
        auto mid = inspector->seek(request, 2000);
        QVERIFY(mid);
        request.after = *mid;
        const auto row = rowAfterSeek(*inspector, request, 1234);
        QVERIFY(row);
        QVERIFY(*row == all[2000 + 1234]);
        request.after.clear();
        // Seeking over every row is the end; one more is past it.
        auto end = inspector->seek(request, kRows);
        QVERIFY(end);
        request.after = *end;
        QVERIFY(inspector->list(request)->entries.empty());
        request.after.clear();
        QCOMPARE(inspector->seek(request, kRows + 1).status().code(), StatusCode::NotFound);
    }
}

void TestInspectSeek::lastRowIsPythonsLastKey()
{
    auto inspector = open(m_cache);
    QVERIFY(inspector);
    PageRequest request;
    auto cursor = inspector->seek(request, kRows - 1);
    QVERIFY(cursor);
    request.after = *cursor;
    auto page = inspector->list(request);
    QVERIFY(page);
    QCOMPARE(page->entries.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(page->entries.front().key.data()), m_python.value(QStringLiteral("last_key")).toString());
}

void TestInspectSeek::cancelledQueriesStopAndHoldNothing()
{
    for (const QString& dir : {m_cache, m_fanout}) {
        auto inspector = open(dir);
        QVERIFY(inspector);
        inspector->setCancelCheck([] { return true; });
        PageRequest request;
        request.sort = SortColumn::Size;  // no index: a long scan
        QCOMPARE(inspector->seek(request, kRows - 1).status().code(), StatusCode::Cancelled);
        QCOMPARE(inspector->list(request).status().code(), StatusCode::Cancelled);
        // Another process can write and check-point the WAL right after.
        if (dir == m_cache) {
            const QJsonObject wrote = testsupport::runPythonJson(QStringLiteral("live_write.py"), {dir, QStringLiteral("after-cancel")}).object();
            QCOMPARE(wrote.value(QStringLiteral("checkpoint_busy")).toInt(-1), 0);
        }
        inspector->setCancelCheck({});
        auto page = inspector->list(request);
        QVERIFY(page);
        QVERIFY(!page->entries.empty());
    }
}

void TestInspectSeek::changeTokenMovesOnlyOnOthersWrites()
{
    for (const QString& dir : {m_cache, m_fanout}) {
        auto inspector = open(dir);
        QVERIFY(inspector);
        auto first = inspector->changeToken();
        QVERIFY(first);
        PageRequest request;
        QVERIFY(inspector->list(request));  // reading changes nothing
        QCOMPARE(*inspector->changeToken(), *first);
        // live_write.py writes through diskcache.Cache; for the fanout, into one shard.
        const QString target = dir == m_fanout ? dir + QStringLiteral("/002") : dir;
        const QJsonObject wrote = testsupport::runPythonJson(QStringLiteral("live_write.py"), {target, QStringLiteral("token-key")}).object();
        QCOMPARE(wrote.value(QStringLiteral("checkpoint_busy")).toInt(-1), 0);  // our open handles hold no transaction
        auto second = inspector->changeToken();
        QVERIFY(second);
        QVERIFY(*second != *first);
        QCOMPARE(*inspector->changeToken(), *second);
    }
}

QTEST_GUILESS_MAIN(TestInspectSeek)
#include "tst_inspect_seek.moc"

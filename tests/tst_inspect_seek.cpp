// Inspector::seek, setCancelCheck and changeToken on caches made by the real
// diskcache library: a seek lands exactly where paging through every row
// lands (each sort, both directions, NULL segments, a filter, a FanoutCache),
// a cancelled query answers Cancelled and holds no transaction open, and
// the change token moves when another process writes and only then. Pages
// of the unindexed sorts, which the engine holds in memory past the first
// page, come in the order SQLite itself gives, before and after a change.
#include <sqlite3.h>

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
std::vector<Row> walk(Inspector& inspector, PageRequest request, std::size_t pageRows = 1000)
{
    std::vector<Row> rows;
    request.limit = pageRows;
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

// The rowids SQLite lists for `orderBy` (an expression) under `where`, ties by rowid.
std::vector<std::int64_t> sqliteOrder(const QString& dir, const std::string& where, const std::string& orderBy, bool descending)
{
    std::vector<std::int64_t> rowids;
    sqlite3* db = nullptr;
    const std::string file = (testsupport::toPath(dir) / "cache.db").string();
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return rowids;
    const char* dir_ = descending ? " DESC" : "";
    // NULLs last, by rowid in the listing's direction, as inspect.h orders them.
    const std::string sql = "SELECT rowid FROM Cache" + where + " ORDER BY (" + orderBy + ") IS NULL, " + orderBy + dir_ +
                            ", rowid" + dir_;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK)
        while (sqlite3_step(stmt) == SQLITE_ROW) rowids.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rowids;
}

bool execSql(const QString& dir, const char* sql)
{
    sqlite3* db = nullptr;
    const std::string file = (testsupport::toPath(dir) / "cache.db").string();
    const bool ok = sqlite3_open(file.c_str(), &db) == SQLITE_OK && sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

std::vector<std::int64_t> rowidsOf(const std::vector<Row>& rows)
{
    std::vector<std::int64_t> rowids;
    for (const auto& r : rows) rowids.push_back(r.rowid);
    return rowids;
}

// inspect.h's stored size, spelled from its definition: the file's recorded
// size, else the value's bytes in cache.db (a number counts 8).
const char* const kStoredSize =
    "CASE WHEN filename IS NOT NULL THEN ifnull(size, 0) ELSE CASE typeof(value) WHEN 'null' THEN 0"
    " WHEN 'integer' THEN 8 WHEN 'real' THEN 8 ELSE length(CAST(value AS BLOB)) END END";

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
    void unindexedSortsPageInSqlitesOrder_data();
    void unindexedSortsPageInSqlitesOrder();
    void heldOrderFollowsAnotherWriter();

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

void TestInspectSeek::unindexedSortsPageInSqlitesOrder_data()
{
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<bool>("filtered");
    for (auto sort : {SortColumn::Size, SortColumn::StoredSize, SortColumn::AccessTime, SortColumn::AccessCount})
        for (bool descending : {false, true})
            for (bool filtered : {false, true})
                QTest::addRow("%s%s%s", sortColumnName(sort), descending ? " desc" : "", filtered ? ", tag t1" : "")
                    << static_cast<int>(sort) << descending << filtered;
}

// Pages of 100 rows: the first from SQLite's top-N sort, the rest from the
// order the engine holds; together they must be SQLite's own order.
void TestInspectSeek::unindexedSortsPageInSqlitesOrder()
{
    QFETCH(int, sort);
    QFETCH(bool, descending);
    QFETCH(bool, filtered);
    auto inspector = open(m_cache);
    QVERIFY(inspector);
    PageRequest request;
    request.sort = static_cast<SortColumn>(sort);
    request.descending = descending;
    if (filtered) request.filter.tag = Value::text("t1");
    const std::string column = request.sort == SortColumn::StoredSize ? kStoredSize : sortColumnName(request.sort);
    const auto expected = sqliteOrder(m_cache, filtered ? " WHERE tag = 't1'" : "", column, descending);
    QVERIFY(expected.size() > 300);
    QCOMPARE(rowidsOf(walk(*inspector, request, 100)), expected);
}

// A commit by another connection drops the held order: the next page comes
// from the database as it now is, NULLs (a damaged or hand-edited cache)
// last.
void TestInspectSeek::heldOrderFollowsAnotherWriter()
{
    QTemporaryDir copy;
    const QString dir = copy.filePath(QStringLiteral("cache"));
    std::error_code ec;
    std::filesystem::copy(testsupport::toPath(m_cache), testsupport::toPath(dir), std::filesystem::copy_options::recursive, ec);
    QVERIFY(!ec);
    auto inspector = open(dir);
    QVERIFY(inspector);
    PageRequest request;
    request.sort = SortColumn::AccessCount;
    request.limit = 1000;
    auto first = inspector->list(request);
    QVERIFY(first && !first->next.empty());
    request.after = first->next;
    auto second = inspector->list(request);  // the order is held from here on
    QVERIFY(second && !second->next.empty());

    QVERIFY(execSql(dir, "UPDATE Cache SET access_count = NULL WHERE rowid % 7 = 0;"
                         " UPDATE Cache SET access_count = 1000000 + rowid WHERE rowid % 7 = 1"));
    std::vector<Row> rest;
    request.after = second->next;
    while (true) {
        auto page = inspector->list(request);
        QVERIFY(page);
        for (const auto& e : page->entries) rest.push_back(rowOf(e));
        if (page->next.empty()) break;
        request.after = page->next;
    }
    // After the cursor (the second page's last row, as it was read): every
    // row whose count now sorts after it, then the NULLs.
    const Entry& last = second->entries.back();
    QVERIFY(last.accessCount.has_value());
    const std::string bound = " WHERE (access_count, rowid) > (" + std::to_string(*last.accessCount) + ", " +
                              std::to_string(last.rowid) + ") OR access_count IS NULL";
    const auto after = sqliteOrder(dir, bound, "access_count", false);
    QVERIFY(std::count_if(after.begin(), after.end(), [](std::int64_t r) { return r % 7 == 0; }) > 100);
    QCOMPARE(rowidsOf(rest), after);
}

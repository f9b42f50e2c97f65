// The lazy entries table on a 300,000-entry cache made by the real diskcache
// library, under QAbstractItemModelTester: the count is the whole cache, the
// last row is reached without reading the rows before it and is the key
// Python says is last (in either direction), rows far apart are right, the
// rows held stay within the model's budget, and Cancel stops a read.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "models/entrytablemodel.h"
#include "testsupport.h"
#include "views/entriesview.h"
#include "views/loadingbar.h"

using cachescope::EntriesView;
using cachescope::EntryTableModel;

namespace {

constexpr int kRows = 300000;
constexpr int kWait = 60000;

// Resident memory of this process in kB (VmRSS), or -1.
qint64 residentKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QString keyAt(EntryTableModel* model, int row)
{
    const auto* entry = model->entryAt(row);
    return entry ? QString::fromStdString(entry->key.data()) : QString();
}

}  // namespace

class TestUiBigCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void lastRowIsReachedAndRight();
    void farRowsAreRightAndMemoryStaysBounded();
    void descendingLastRowIsTheFirstKey();
    void cancelStopsARead();

private:
    std::unique_ptr<EntriesView> openView();
    // Shows `row` as a user would by scrolling, and waits until it is read.
    bool showRow(EntriesView& view, int row);

    QTemporaryDir m_dir;
    QString m_cache;
    QJsonObject m_python;
};

void TestUiBigCache::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(QStringLiteral("big"));
    m_python = testsupport::runPythonJson(QStringLiteral("big_make.py"), {QStringLiteral("cache"), m_cache, QString::number(kRows)}).object();
    QCOMPARE(m_python.value(QStringLiteral("len")).toInt(), kRows);
}

std::unique_ptr<EntriesView> TestUiBigCache::openView()
{
    auto view = std::make_unique<EntriesView>();
    new QAbstractItemModelTester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, view.get());
    view->resize(1000, 600);
    view->show();
    view->model()->setChunking(256, 16);  // a small budget, so that the jumps below go past it quickly
    QSignalSpy loaded(view->model(), &EntryTableModel::pageLoaded);
    view->model()->setStore(m_cache);
    if (!loaded.wait(kWait)) return nullptr;
    return view;
}

bool TestUiBigCache::showRow(EntriesView& view, int row)
{
    // The view lays itself out after a reset later: scroll again until it is there.
    return QTest::qWaitFor([&] {
        if (view.model()->entryAt(row)) return true;
        if (view.table()->rowAt(view.table()->viewport()->height() / 2) != row)
            view.table()->scrollTo(view.model()->index(row, 0), QAbstractItemView::PositionAtCenter);
        return false;
    }, kWait);
}

void TestUiBigCache::lastRowIsReachedAndRight()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    QCOMPARE(model->rowCount(), kRows);
    QCOMPARE(model->total(), qint64{kRows});
    QCOMPARE(view->countLabel()->text(), QStringLiteral("%1 matching entries").arg(QLocale().toString(kRows)));
    // Scrolled to the end, as the End key does: the last row is read, not the ones before it.
    QVERIFY(showRow(*view, kRows - 1));
    QCOMPARE(keyAt(model, kRows - 1), m_python.value(QStringLiteral("last_key")).toString());
    QCOMPARE(model->index(kRows - 1, EntryTableModel::KeyColumn).data().toString(),
             QStringLiteral("'%1'").arg(m_python.value(QStringLiteral("last_key")).toString()));
    QVERIFY(model->entryAt(kRows / 2) == nullptr);  // never read on the way
    QVERIFY(model->heldChunks() <= 4);
}

void TestUiBigCache::farRowsAreRightAndMemoryStaysBounded()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    // key-0000000 ... key-0299999: row i holds key i in key order.
    QVERIFY(showRow(*view, kRows / 2));
    QCOMPARE(keyAt(model, kRows / 2), m_python.value(QStringLiteral("middle_key")).toString());
    const qint64 before = residentKb();
    // Jump about like a scrollbar dragged back and forth, four times the budget of chunks.
    const int jumps = model->maxHeldChunks() * 4;
    for (int i = 0; i < jumps; ++i) {
        const int row = static_cast<int>((static_cast<qint64>(i) * 7919 * model->chunkRows()) % kRows);
        QVERIFY2(showRow(*view, row), qPrintable(QStringLiteral("row %1 was not read").arg(row)));
        QCOMPARE(keyAt(model, row), QStringLiteral("key-%1").arg(row, 7, 10, QLatin1Char('0')));
        QVERIFY(model->heldChunks() <= model->maxHeldChunks());
    }
    const qint64 grown = residentKb() - before;
    qInfo() << "resident memory grew by" << grown << "kB over" << jumps << "jumps";
    QVERIFY2(grown < 150 * 1024, qPrintable(QStringLiteral("grew by %1 kB").arg(grown)));
}

void TestUiBigCache::descendingLastRowIsTheFirstKey()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    QSignalSpy first(model, &EntryTableModel::pageLoaded);
    model->sort(EntryTableModel::KeyColumn, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!first.isEmpty() && first.last().first().toBool(), kWait);
    QCOMPARE(keyAt(model, 0), m_python.value(QStringLiteral("last_key")).toString());
    QVERIFY(showRow(*view, kRows - 1));
    QCOMPARE(keyAt(model, kRows - 1), m_python.value(QStringLiteral("first_key")).toString());
}

void TestUiBigCache::cancelStopsARead()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    const int far = kRows - 1000;
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kWait);  // the first rows and their neighbours are in
    model->fetchRows(far, far);
    QTRY_VERIFY_WITH_TIMEOUT(model->isLoading(), kWait);  // asked for, not answered yet
    view->loadingBar()->cancelButton()->click();
    QVERIFY(!model->isLoading());
    // Whatever the worker had done is dropped: the row stays unread and says so.
    QTest::qWait(300);
    QVERIFY(model->entryAt(far) == nullptr);
    QVERIFY(model->index(far, EntryTableModel::KeyColumn).data().toString().contains(QStringLiteral("not read")));
    // Scrolling reads again.
    QVERIFY(showRow(*view, far));
    QCOMPARE(keyAt(model, far), QStringLiteral("key-%1").arg(far, 7, 10, QLatin1Char('0')));
}

QTEST_MAIN(TestUiBigCache)
#include "tst_ui_bigcache.moc"

// Live following: while the window is open, a Python process writes to the
// cache; the count and the new row appear without any user action, the
// selected entry stays selected (by its key) although its row moved, and
// the writer can checkpoint the WAL (no reader holds a transaction open).
// With Pause on nothing changes until it is off again. Closing the window
// leaves no -wal/-shm behind.
#include <QAction>
#include <QDir>
#include <QJsonObject>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "actions/liveupdates.h"
#include "models/entrytablemodel.h"
#include "testsupport.h"
#include "views/dashboardview.h"
#include "views/entriesview.h"
#include "views/mainwindow.h"

using cachescope::EntryTableModel;
using cachescope::MainWindow;

namespace {

constexpr int kWait = 30000;

QJsonObject pythonWrites(const QString& dir, const QStringList& keys)
{
    return testsupport::runPythonJson(QStringLiteral("live_write.py"), QStringList{dir} + keys).object();
}

// 300 entries, none expired: a write's cull of expired rows removes nothing.
bool makeCache(const QString& dir)
{
    return testsupport::runPythonJson(QStringLiteral("big_make.py"), {QStringLiteral("cache"), dir, QStringLiteral("300")})
               .object().value(QStringLiteral("len")).toInt() == 300;
}

QString currentKey(MainWindow& window)
{
    const auto* entry = window.entriesView()->currentEntry();
    return entry ? QString::fromStdString(entry->key.data()) : QString();
}

}  // namespace

class TestUiLive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void followsAnotherProcessAndKeepsTheSelection();
    void pauseHoldsChangesBack();

private:
    bool open(MainWindow& window, const QString& dir);
    int selectKey(MainWindow& window, const QString& key);

    QTemporaryDir m_dir;
};

void TestUiLive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

bool TestUiLive::open(MainWindow& window, const QString& dir)
{
    QSignalSpy page(window.entriesView()->model(), &EntryTableModel::pageLoaded);
    window.resize(1200, 700);
    window.show();
    window.openDirectory(dir);
    return page.wait(kWait) && QTest::qWaitFor([&] { return !window.entriesView()->model()->isLoading(); }, kWait);
}

int TestUiLive::selectKey(MainWindow& window, const QString& key)
{
    auto* model = window.entriesView()->model();
    const int row = model->rowOfKey(diskcache::Value::text(key.toStdString()));
    if (row < 0) return -1;
    window.entriesView()->table()->selectRow(row);
    return row;
}

void TestUiLive::followsAnotherProcessAndKeepsTheSelection()
{
    const QString dir = m_dir.filePath(QStringLiteral("live"));
    QVERIFY(makeCache(dir));
    {
        MainWindow window;
        QVERIFY(open(window, dir));
        auto* model = window.entriesView()->model();
        const qint64 before = model->total();
        const int row = selectKey(window, QStringLiteral("key-0000150"));
        QVERIFY(row >= 0);
        auto* table = window.entriesView()->table();
        table->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
        QTRY_VERIFY(table->verticalScrollBar()->value() > 0);  // laid out and scrolled: row 150 is mid-table
        const int scroll = table->verticalScrollBar()->value();
        QTRY_VERIFY_WITH_TIMEOUT(window.liveUpdates()->statusLabel()->text().startsWith(QStringLiteral("Live")), kWait);

        // Two keys that sort before the selected one: its row moves down by two.
        const QJsonObject wrote = pythonWrites(dir, {QStringLiteral("aaa-live-1"), QStringLiteral("aaa-live-2")});
        QCOMPARE(wrote.value(QStringLiteral("len")).toInteger(), before + 2);
        QCOMPARE(wrote.value(QStringLiteral("checkpoint_busy")).toInt(-1), 0);  // the open window held no read transaction

        QTRY_COMPARE_WITH_TIMEOUT(model->total(), before + 2, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfKey(diskcache::Value::text("aaa-live-2")) >= 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(currentKey(window), QStringLiteral("key-0000150"), kWait);
        QCOMPARE(window.entriesView()->table()->currentIndex().row(), row + 2);
        QCOMPARE(window.entriesView()->table()->verticalScrollBar()->value(), scroll);
        QVERIFY(window.entriesView()->countLabel()->text().startsWith(QString::number(before + 2)));
        QTRY_COMPARE_WITH_TIMEOUT(window.dashboardView()->count(), before + 2, kWait);
        QVERIFY(window.liveUpdates()->statusLabel()->text().contains(QStringLiteral("refreshed")));
    }
    // Every reader closed with the window: nothing left next to cache.db.
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(dir + QStringLiteral("/cache.db-wal")) && !QFile::exists(dir + QStringLiteral("/cache.db-shm")), kWait);
}

void TestUiLive::pauseHoldsChangesBack()
{
    const QString dir = m_dir.filePath(QStringLiteral("paused"));
    QVERIFY(makeCache(dir));
    MainWindow window;
    QVERIFY(open(window, dir));
    auto* model = window.entriesView()->model();
    const qint64 before = model->total();
    QAction* pause = window.liveUpdates()->pauseAction();
    pause->trigger();
    QVERIFY(pause->isChecked());
    QVERIFY(window.liveUpdates()->statusLabel()->text().startsWith(QStringLiteral("Paused")));

    QCOMPARE(pythonWrites(dir, {QStringLiteral("aaa-paused")}).value(QStringLiteral("len")).toInteger(), before + 1);
    // Three polls' worth of time: nothing may change while paused.
    QTest::qWait(3 * cachescope::LiveUpdates::kPollMs);
    QCOMPARE(model->total(), before);
    QCOMPARE(model->rowOfKey(diskcache::Value::text("aaa-paused")), -1);

    pause->trigger();
    QVERIFY(window.liveUpdates()->statusLabel()->text().startsWith(QStringLiteral("Live")));
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), before + 1, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOfKey(diskcache::Value::text("aaa-paused")) >= 0, kWait);
}

QTEST_MAIN(TestUiLive)
#include "tst_ui_live.moc"

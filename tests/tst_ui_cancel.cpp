// Cancel in the middle of a removal, deterministically: Clear of a cache
// made by python3-diskcache is cancelled through the task panel's Cancel
// button while the worker waits right after its first batch's progress
// report. Afterwards Python's check() is clean, its count equals the rows
// in the Cache table, and some but not all entries are gone; the window
// tells the same numbers.
#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "actions/maintenanceactions.h"
#include "models/entrytablemodel.h"
#include "testsupport.h"
#include "views/entriesview.h"
#include "views/mainwindow.h"
#include "views/taskpanel.h"
#include "workers/maintenanceclient.h"
#include "workers/maintenanceworker.h"

using cachescope::EntryTableModel;
using cachescope::MainWindow;
using cachescope::MaintenanceActions;

namespace {

constexpr int kWait = 30000;
constexpr int kEntries = 3000;

QJsonObject describe(const QString& dir)
{
    return testsupport::runPythonJson(QStringLiteral("big_make.py"), {QStringLiteral("describe"), dir}).object();
}

}  // namespace

class TestUiCancel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cancelClearAfterTheFirstBatch();

private:
    QTemporaryDir m_dir;
};

void TestUiCancel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestUiCancel::cancelClearAfterTheFirstBatch()
{
    const QString dir = m_dir.filePath(QStringLiteral("clear"));
    QCOMPARE(testsupport::runPythonJson(QStringLiteral("big_make.py"), {QStringLiteral("cache"), dir, QString::number(kEntries)})
                 .object().value(QStringLiteral("len")).toInt(), kEntries);
    MainWindow window;
    QSignalSpy page(window.entriesView()->model(), &EntryTableModel::pageLoaded);
    window.show();
    window.openDirectory(dir);
    QVERIFY(page.wait(kWait));
    window.maintenance()->writeModeAction()->trigger();

    // The worker stops at its first progress report until the UI thread has
    // handled it; the handler presses Cancel, as a user would, right then.
    auto* worker = window.maintenance()->client()->worker();
    int reports = 0;
    connect(worker, &cachescope::MaintenanceWorker::progress, &window, [&](qint64 done, bool waiting) {
        if (waiting || done <= 0 || reports++ > 0) return;
        QVERIFY(window.taskPanel()->cancelButton()->isVisible());
        window.taskPanel()->cancelButton()->click();
    }, Qt::BlockingQueuedConnection);

    QSignalSpy finished(window.maintenance(), &MaintenanceActions::finished);
    window.maintenance()->clearAction()->trigger();
    QMessageBox* box = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        for (auto* b : window.findChildren<QMessageBox*>(QStringLiteral("maintenanceConfirm")))
            if (b->isVisible()) box = b;
        return box != nullptr;
    }, kWait));
    box->button(QMessageBox::Yes)->click();
    QVERIFY(finished.wait(kWait));
    const auto& result = window.maintenance()->lastResult();
    QVERIFY(result.cancelled);
    QVERIFY2(result.done > 0 && result.done < kEntries, qPrintable(QString::number(result.done)));

    const QJsonObject after = describe(dir);
    QCOMPARE(after.value(QStringLiteral("check")).toArray(), QJsonArray());
    QCOMPARE(after.value(QStringLiteral("len")).toInteger(), after.value(QStringLiteral("rows")).toInteger());
    QCOMPARE(after.value(QStringLiteral("len")).toInteger(), kEntries - result.done);
    // The window shows what is left.
    QTRY_COMPARE_WITH_TIMEOUT(window.entriesView()->model()->total(), kEntries - result.done, kWait);
}

QTEST_MAIN(TestUiCancel)
#include "tst_ui_cancel.moc"

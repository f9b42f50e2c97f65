// The dashboard and the store tree: counts equal Python's len(), and a
// FanoutCache shows its shards and sub-stores.
#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "common/format.h"
#include "models/storetreemodel.h"
#include "testsupport.h"
#include "views/dashboardview.h"

using cachescope::DashboardView;
using cachescope::StoreTreeModel;

class TestUiDashboard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void countEqualsPythonLen();
    void hiddenDashboardReadsRowsWhenShown();
    void fanoutCountAndStoreTree();
    void nonCacheFolder();

private:
    QTemporaryDir m_dir;
    QJsonObject m_cache;
    QJsonObject m_fanout;
};

void TestUiDashboard::initTestCase()
{
    m_cache = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("cache"), m_dir.filePath(QStringLiteral("c"))}).object();
    m_fanout = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("fanout"), m_dir.filePath(QStringLiteral("f"))}).object();
    QVERIFY(m_cache.contains(QStringLiteral("len")));
    QVERIFY(m_fanout.contains(QStringLiteral("len")));
}

void TestUiDashboard::countEqualsPythonLen()
{
    DashboardView view;
    view.show();
    QSignalSpy summary(&view, &DashboardView::summaryLoaded);
    view.setStore(m_dir.filePath(QStringLiteral("c")));
    QVERIFY(summary.wait(20000));
    QCOMPARE(summary.first().first().toBool(), true);
    QCOMPARE(view.count(), m_cache.value(QStringLiteral("len")).toInteger());
    QCOMPARE(view.statText(QStringLiteral("Entries")), QString::number(m_cache.value(QStringLiteral("len")).toInt()));
    QCOMPARE(view.statText(QStringLiteral("Hits")), QStringLiteral("statistics off"));
    QCOMPARE(view.statText(QStringLiteral("Eviction policy")), QStringLiteral("least-recently-stored"));
    QCOMPARE(view.statText(QStringLiteral("Expired")), QStringLiteral("10"));
    QTRY_VERIFY_WITH_TIMEOUT(view.statsLoaded(), 20000);
    QCOMPARE(view.statText(QStringLiteral("In files")), QStringLiteral("1"));
}

// Opening a store reads its summary and memoized functions at once; the
// pass over every row waits until the dashboard is on screen.
void TestUiDashboard::hiddenDashboardReadsRowsWhenShown()
{
    DashboardView view;
    QSignalSpy summary(&view, &DashboardView::summaryLoaded);
    QSignalSpy functions(&view, &DashboardView::functionsFound);
    QSignalSpy finished(&view, &DashboardView::statsFinished);
    view.setStore(m_dir.filePath(QStringLiteral("c")));
    QVERIFY(summary.wait(20000));
    QCOMPARE(view.statText(QStringLiteral("Entries")), QString::number(m_cache.value(QStringLiteral("len")).toInt()));
    QTRY_COMPARE_WITH_TIMEOUT(functions.size(), 1, 20000);
    QTest::qWait(300);  // time enough for the pass on this small cache, were it running
    QCOMPARE(finished.size(), 0);
    QVERIFY(!view.statsLoaded());
    QCOMPARE(view.statText(QStringLiteral("In files")), QStringLiteral("…"));
    QCOMPARE(view.statText(QStringLiteral("Expired")), QStringLiteral("-"));  // an estimate, read when shown
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(view.statsLoaded(), 20000);
    QCOMPARE(view.statText(QStringLiteral("In files")), QStringLiteral("1"));
    QTRY_COMPARE_WITH_TIMEOUT(view.statText(QStringLiteral("Expired")), QStringLiteral("10"), 20000);
}

void TestUiDashboard::fanoutCountAndStoreTree()
{
    const QString root = m_dir.filePath(QStringLiteral("f"));
    DashboardView view;
    QSignalSpy summary(&view, &DashboardView::summaryLoaded);
    view.setStore(root);
    QVERIFY(summary.wait(20000));
    QCOMPARE(view.count(), m_fanout.value(QStringLiteral("len")).toInteger());

    StoreTreeModel tree;
    new QAbstractItemModelTester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest, &tree);
    QSignalSpy loaded(&tree, &StoreTreeModel::loaded);
    tree.load(root);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(loaded.first().first().toBool(), true);
    QCOMPARE(tree.rowCount(), 1);
    const QModelIndex top = tree.rootIndex();
    QVERIFY(top.data().toString().endsWith(QStringLiteral("fanout")));
    QCOMPARE(tree.rowCount(top), 5);
    const QJsonArray shardLens = m_fanout.value(QStringLiteral("shard_lens")).toArray();
    for (int s = 0; s < 4; ++s) {
        const QModelIndex shard = tree.index(s, 0, top);
        const QString size = cachescope::format::humanSize(m_fanout.value(QStringLiteral("shard_sizes")).toArray().at(s).toInteger());
        QCOMPARE(shard.data().toString(),
                 QStringLiteral("shard %1 (%2, %3)").arg(s, 3, 10, QChar(u'0')).arg(shardLens.at(s).toInt()).arg(size));
        QCOMPARE(QDir(tree.pathAt(shard)).dirName(), QStringLiteral("%1").arg(s, 3, 10, QChar(u'0')));
    }
    const QModelIndex sub = tree.index(4, 0, top);
    QCOMPARE(sub.data().toString(), QStringLiteral("cache/sessions — cache"));
    QCOMPARE(QDir(tree.pathAt(sub)).canonicalPath(), QDir(m_fanout.value(QStringLiteral("sub_dir")).toString()).canonicalPath());

    // The sub-store's own dashboard counts what Python's len() of it says.
    QSignalSpy subSummary(&view, &DashboardView::summaryLoaded);
    view.setStore(tree.pathAt(sub));
    QVERIFY(subSummary.wait(20000));
    QCOMPARE(view.count(), m_fanout.value(QStringLiteral("sub_len")).toInteger());
}

void TestUiDashboard::nonCacheFolder()
{
    QTemporaryDir plain;
    DashboardView view;
    QSignalSpy summary(&view, &DashboardView::summaryLoaded);
    view.setStore(plain.path());
    QVERIFY(summary.wait(20000));
    QCOMPARE(summary.first().first().toBool(), false);
    QCOMPARE(view.count(), -1);

    StoreTreeModel tree;
    QSignalSpy loaded(&tree, &StoreTreeModel::loaded);
    tree.load(plain.path());
    QVERIFY(loaded.wait(20000));
    QCOMPARE(loaded.first().first().toBool(), false);
    QVERIFY(loaded.first().at(1).toString().contains(QStringLiteral("not a diskcache cache")));
}

QTEST_MAIN(TestUiDashboard)
#include "tst_ui_dashboard.moc"

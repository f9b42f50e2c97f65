// The main window as a whole: opening a FanoutCache fills the store tree,
// picking a shard shows its entries, Ctrl+F and Ctrl+C do what they say,
// and a folder that is not a cache gives a message, not a crash; the
// functions memoize() made keys for appear under their cache and scope the
// entries to those keys.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QUrl>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

#include "models/entrytablemodel.h"
#include "models/storetreemodel.h"
#include "testsupport.h"
#include "views/entriesview.h"
#include "views/filterbar.h"
#include "views/mainwindow.h"

using cachescope::EntryTableModel;
using cachescope::MainWindow;
using cachescope::StoreTreeModel;

class TestUiMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fanoutTreeAndShardSelection();
    void shortcuts();
    void nonCacheFolderMessage();
    void refreshShowsNewEntries();
    void memoizedFunctionsInTheTree();
    void droppingAFolderOpensIt();

private:
    QTemporaryDir m_dir;
    QJsonObject m_fanout;
};

void TestUiMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("cachescope-tests"));
    m_fanout = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("fanout"), m_dir.filePath(QStringLiteral("f"))}).object();
    QVERIFY(m_fanout.contains(QStringLiteral("len")));
}

void TestUiMainWindow::fanoutTreeAndShardSelection()
{
    MainWindow window;
    new QAbstractItemModelTester(window.storeTreeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, &window);
    new QAbstractItemModelTester(window.entriesView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, &window);
    window.show();
    QSignalSpy treeLoaded(window.storeTreeModel(), &StoreTreeModel::loaded);
    QSignalSpy pageLoaded(window.entriesView()->model(), &EntryTableModel::pageLoaded);
    window.openDirectory(m_dir.filePath(QStringLiteral("f")));
    QVERIFY(treeLoaded.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(pageLoaded.count() > 0, 20000);
    QCOMPARE(window.entriesView()->model()->total(), m_fanout.value(QStringLiteral("len")).toInteger());
    auto* model = window.storeTreeModel();
    const QModelIndex shard2 = model->index(2, 0, model->rootIndex());
    QVERIFY(shard2.data().toString().startsWith(QStringLiteral("shard 002")));

    pageLoaded.clear();
    window.storeTree()->setCurrentIndex(shard2);
    QTRY_VERIFY_WITH_TIMEOUT(pageLoaded.count() > 0, 20000);
    QCOMPARE(window.entriesView()->model()->total(), m_fanout.value(QStringLiteral("shard_lens")).toArray().at(2).toInteger());
}

void TestUiMainWindow::shortcuts()
{
    MainWindow window;
    window.show();
    QSignalSpy pageLoaded(window.entriesView()->model(), &EntryTableModel::pageLoaded);
    window.openDirectory(m_dir.filePath(QStringLiteral("f")));
    QVERIFY(pageLoaded.wait(20000));
    auto* table = window.entriesView()->table();
    table->setFocus();
    table->selectRow(0);
    const QString key = window.entriesView()->model()->index(0, EntryTableModel::KeyColumn).data().toString();
    QVERIFY(key.startsWith(QStringLiteral("'k")));
    QApplication::clipboard()->clear();
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::clipboard()->text(), key);

    QTest::keyClick(table, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(window.entriesView()->filterBar()->keyEdit()->hasFocus());
}

void TestUiMainWindow::nonCacheFolderMessage()
{
    QTemporaryDir plain;
    QDir(plain.path()).mkdir(QStringLiteral("photos"));
    MainWindow window;
    window.show();
    QSignalSpy failed(window.entriesView()->model(), &EntryTableModel::loadFailed);
    window.openDirectory(plain.path());
    QVERIFY(failed.wait(20000));
    QVERIFY(window.entriesView()->showsMessage());
    QVERIFY(window.entriesView()->messageLabel()->text().contains(QStringLiteral("not a diskcache cache")));
    QVERIFY(!QFile::exists(plain.filePath(QStringLiteral("cache.db"))));
}

void TestUiMainWindow::refreshShowsNewEntries()
{
    const QString dir = m_dir.filePath(QStringLiteral("refresh"));
    const auto made = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("cache"), dir}).object();
    MainWindow window;
    window.show();
    QSignalSpy pageLoaded(window.entriesView()->model(), &EntryTableModel::pageLoaded);
    window.openDirectory(dir);
    QVERIFY(pageLoaded.wait(20000));
    QCOMPARE(window.entriesView()->model()->total(), made.value(QStringLiteral("len")).toInteger());

    const auto added = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("add"), dir}).object();
    // Python's set() also culls the expired rows, so the count changes both ways.
    QVERIFY(added.value(QStringLiteral("len")).toInteger() != made.value(QStringLiteral("len")).toInteger());
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(window.entriesView()->model()->total(), added.value(QStringLiteral("len")).toInteger(), 20000);
}

void TestUiMainWindow::memoizedFunctionsInTheTree()
{
    QTemporaryDir dir;
    const QJsonObject made = testsupport::runPythonJson(QStringLiteral("stats_make.py"), {dir.path()}).object();
    const QJsonObject plain = made.value(QStringLiteral("plain")).toObject();
    const QJsonObject functions = plain.value(QStringLiteral("functions")).toObject();  // name -> keys memoize() made
    QVERIFY(functions.size() >= 2);

    MainWindow window;
    new QAbstractItemModelTester(window.storeTreeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, &window);
    window.show();
    auto* entries = window.entriesView()->model();
    QSignalSpy pageLoaded(entries, &EntryTableModel::pageLoaded);
    window.openDirectory(dir.filePath(QStringLiteral("plain")));
    auto* tree = window.storeTreeModel();
    // One read of every row (the dashboard's) finds them; they go under the cache.
    QTRY_COMPARE_WITH_TIMEOUT(tree->rowCount(tree->rootIndex()), functions.size(), 30000);
    QString cube;
    for (int row = 0; row < tree->rowCount(tree->rootIndex()); ++row) {
        const QModelIndex index = tree->index(row, 0, tree->rootIndex());
        const QString name = tree->functionAt(index);
        QVERIFY2(functions.contains(name), qPrintable(name));
        QCOMPARE(index.data().toString(), QStringLiteral("%1 (%2)").arg(name).arg(functions.value(name).toInt()));
        if (name.endsWith(QLatin1String("cube"))) cube = name;
    }
    QVERIFY(!cube.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(entries->total() == plain.value(QStringLiteral("count")).toInteger(), 20000);
    QTRY_VERIFY(tree->rowCount(tree->rootIndex()) == functions.size());  // a later summary rebuilds the tree

    // Picking the function shows its keys only, and says so in the filter bar.
    // (Looked up now: indexes do not outlive a rebuilt tree.)
    const QModelIndexList found = tree->match(tree->index(0, 0, tree->rootIndex()), StoreTreeModel::FunctionRole, cube, 1,
                                              Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    pageLoaded.clear();
    window.storeTree()->setCurrentIndex(found.first());
    QTRY_COMPARE_WITH_TIMEOUT(entries->total(), functions.value(cube).toInteger(), 20000);
    QTRY_VERIFY(!entries->isLoading());
    for (int row = 0; row < entries->rowCount(); ++row) {
        const QString key = entries->index(row, EntryTableModel::KeyColumn).data().toString();
        QVERIFY2(key.startsWith(QStringLiteral("('%1', ").arg(cube)), qPrintable(key));
    }
    QToolButton* scope = window.entriesView()->filterBar()->functionButton();
    QVERIFY(scope->isVisible());
    QVERIFY(scope->text().contains(cube));

    // Its button takes the scope away again.
    scope->click();
    QTRY_COMPARE_WITH_TIMEOUT(entries->total(), plain.value(QStringLiteral("count")).toInteger(), 20000);
    QVERIFY(!scope->isVisible());
}

// What a file manager sends: one local URL. A cache folder opens; a shard's
// cache.db opens its folder; a plain file is refused before it is dropped.
void TestUiMainWindow::droppingAFolderOpensIt()
{
    MainWindow window;
    window.show();
    auto drag = [&](const QString& path) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        if (!enter.isAccepted()) return false;
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        return true;
    };
    auto* entries = window.entriesView()->model();
    const QString fanout = m_dir.filePath(QStringLiteral("f"));
    QVERIFY(drag(fanout));
    QCOMPARE(QDir(entries->store()).canonicalPath(), QDir(fanout).canonicalPath());
    QTRY_COMPARE_WITH_TIMEOUT(entries->total(), m_fanout.value(QStringLiteral("len")).toInteger(), 20000);

    const QString shard = QDir(fanout).filePath(QStringLiteral("001"));
    QVERIFY(drag(QDir(shard).filePath(QStringLiteral("cache.db"))));
    QCOMPARE(QDir(entries->store()).canonicalPath(), QDir(shard).canonicalPath());
    QTRY_COMPARE_WITH_TIMEOUT(entries->total(), m_fanout.value(QStringLiteral("shard_lens")).toArray().at(1).toInteger(), 20000);

    QTemporaryDir other;
    QFile text(other.filePath(QStringLiteral("notes.txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.close();
    QVERIFY(!drag(text.fileName()));
    QCOMPARE(QDir(entries->store()).canonicalPath(), QDir(shard).canonicalPath());
}

QTEST_MAIN(TestUiMainWindow)
#include "tst_ui_mainwindow.moc"

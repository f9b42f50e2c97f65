// The details pane of a selected entry: its key and its pickled value shown
// as Python shows them, read by the pane's own worker.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QJsonObject>
#include <QLabel>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "models/entrytablemodel.h"
#include "testsupport.h"
#include "views/detailspane.h"
#include "views/entriesview.h"
#include "views/filterbar.h"

using cachescope::DetailsPane;
using cachescope::EntriesView;
using cachescope::EntryTableModel;

class TestUiDetails : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pickledDictValue();
    void fileBackedText();
    void jsonDiskValueIsDecoded();
    void rowReachedBeforeItsEntryIsReadIsShownWhenItArrives();

private:
    // Wires the pane to the view as the main window does, opens `dir` in
    // both and waits for the first rows.
    static bool openStore(EntriesView& view, DetailsPane& pane, const QString& dir);
    // Filters the view to `key` (prefix), selects the row and waits for the pane.
    bool selectKey(EntriesView& view, DetailsPane& pane, const QString& prefix);

    QTemporaryDir m_dir;
    QString m_cache;
    QJsonObject m_python;
};

void TestUiDetails::initTestCase()
{
    m_cache = m_dir.filePath(QStringLiteral("cache"));
    m_python = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("cache"), m_cache}).object();
    QVERIFY(m_python.contains(QStringLiteral("dict_repr")));
}

bool TestUiDetails::openStore(EntriesView& view, DetailsPane& pane, const QString& dir)
{
    QObject::connect(&view, &EntriesView::currentEntryChanged, &pane, &DetailsPane::showEntry, Qt::UniqueConnection);
    QObject::connect(&view, &EntriesView::currentEntryLoading, &pane, &DetailsPane::showLoadingEntry, Qt::UniqueConnection);
    QSignalSpy loaded(view.model(), &EntryTableModel::pageLoaded);
    view.model()->setStore(dir);
    pane.setStore(dir);
    return loaded.wait(20000);
}

bool TestUiDetails::selectKey(EntriesView& view, DetailsPane& pane, const QString& prefix)
{
    if (!openStore(view, pane, m_cache)) return false;
    view.filterBar()->matchCombo()->setCurrentIndex(1);  // starts with
    view.filterBar()->keyEdit()->setText(prefix);
    if (!QTest::qWaitFor([&] { return view.model()->total() == 1 && view.model()->rowCount() == 1; }, 20000)) return false;
    QSignalSpy shown(&pane, &DetailsPane::valueShown);
    view.table()->selectRow(0);
    return shown.wait(20000);
}

void TestUiDetails::pickledDictValue()
{
    EntriesView view;
    new QAbstractItemModelTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest, &view);
    DetailsPane pane;
    view.show();
    pane.show();
    QVERIFY(selectKey(view, pane, QStringLiteral("dict")));
    QCOMPARE(pane.keyLabel()->text(), QStringLiteral("'dict'"));
    QCOMPARE(pane.valueRepr(), m_python.value(QStringLiteral("dict_repr")).toString());
    QCOMPARE(pane.currentViewerName(), QStringLiteral("Python object"));
    QCOMPARE(pane.fieldText(QStringLiteral("Value type")), QStringLiteral("dict"));
    QCOMPARE(pane.fieldText(QStringLiteral("Mode")), QStringLiteral("pickle"));
    auto* tree = pane.findChild<QTreeWidget*>(QStringLiteral("reprTree"));
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem* root = tree->topLevelItem(0);
    QCOMPARE(root->text(1), QStringLiteral("dict"));
    QCOMPARE(root->childCount(), 3);
    QCOMPARE(root->child(1)->text(0), QStringLiteral("'beta': [1.5, None, True]"));
    QCOMPARE(root->child(1)->text(1), QStringLiteral("list"));
}

void TestUiDetails::fileBackedText()
{
    EntriesView view;
    DetailsPane pane;
    QVERIFY(selectKey(view, pane, QStringLiteral("big")));
    QVERIFY(pane.fieldText(QStringLiteral("Stored in")).startsWith(QStringLiteral("file ")));
    QCOMPARE(pane.currentViewerName(), QStringLiteral("Text"));
    QVERIFY(pane.valueRepr().startsWith(QStringLiteral("'xxxxxxxx")));
    QCOMPARE(pane.fieldText(QStringLiteral("Size")), QStringLiteral("98 KiB"));
}


// A cache written with diskcache.JSONDisk keeps zlib-compressed JSON: the
// pane says so and shows the JSON that Python stored.
void TestUiDetails::jsonDiskValueIsDecoded()
{
    const QString dir = m_dir.filePath(QStringLiteral("jsondisk"));
    const QJsonObject python = testsupport::runPythonJson(QStringLiteral("ui_jsondisk.py"), {dir}).object();
    QCOMPARE(python.value(QStringLiteral("len")).toInt(), 1);
    EntriesView view;
    DetailsPane pane;
    view.show();
    pane.show();
    QVERIFY(openStore(view, pane, dir));
    QCOMPARE(view.model()->rowCount(), 1);
    QSignalSpy shown(&pane, &DetailsPane::valueShown);
    view.table()->selectRow(0);
    QVERIFY(shown.wait(20000));
    QCOMPARE(pane.currentViewerName(), QStringLiteral("Decoded"));
    QVERIFY2(pane.statusText().contains(QStringLiteral("JSONDisk")), qPrintable(pane.statusText()));
    auto* text = pane.findChild<QPlainTextEdit*>(QStringLiteral("decodedView"));
    QVERIFY(text);
    const QJsonDocument shownJson = QJsonDocument::fromJson(text->toPlainText().toUtf8());
    QCOMPARE(shownJson.object(), python.value(QStringLiteral("value")).toObject());
}

// Ctrl+End makes the last row current before its rows have been read: the
// pane must not keep showing the entry selected before, and must show the
// last row's entry once it arrives, as the table shows it.
void TestUiDetails::rowReachedBeforeItsEntryIsReadIsShownWhenItArrives()
{
    EntriesView view;
    DetailsPane pane;
    view.model()->setChunking(20, 2);  // the last rows are far from the first chunk
    view.resize(800, 400);
    view.show();
    pane.show();
    QVERIFY(openStore(view, pane, m_cache));
    const int rows = view.model()->rowCount();
    QVERIFY2(rows > 100, qPrintable(QString::number(rows)));
    QSignalSpy shown(&pane, &DetailsPane::valueShown);
    view.table()->setFocus();
    view.table()->selectRow(0);
    QVERIFY(shown.wait(20000));
    const QString firstKey = pane.keyLabel()->text();
    QCOMPARE(firstKey, view.model()->index(0, EntryTableModel::KeyColumn).data().toString());

    shown.clear();
    QTest::keyClick(view.table(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view.table()->currentIndex().row(), rows - 1);
    QVERIFY(pane.keyLabel()->text() != firstKey);
    QVERIFY(shown.wait(20000));
    const QString lastKey = view.model()->index(rows - 1, EntryTableModel::KeyColumn).data().toString();
    QVERIFY(!lastKey.isEmpty());
    QCOMPARE(pane.keyLabel()->text(), lastKey);
    QVERIFY(!pane.fieldText(QStringLiteral("Value type")).isEmpty());
}

QTEST_MAIN(TestUiDetails)
#include "tst_ui_details.moc"

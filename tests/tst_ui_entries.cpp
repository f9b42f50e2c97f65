// The entries table as a user sees it: rows and keys (Python repr) of a cache
// made by the real diskcache library, sorting by header clicks, the filter
// and its count, and the message for a folder that is not a cache.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "models/entrytablemodel.h"
#include "testsupport.h"
#include "views/entriesview.h"
#include "views/filterbar.h"

using cachescope::EntriesView;
using cachescope::EntryTableModel;

class TestUiEntries : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsEveryKeyAsPythonRepr();
    void headerClickSortsThroughTheEngine();
    void filterShowsMatchingCount();
    void expiredRowsAreMarked();
    void staleAnswersAreDropped();
    void nonCacheFolderShowsMessage();

private:
    // Opens the Python-made cache in a fresh view and waits for its first page.
    std::unique_ptr<EntriesView> openView();
    static void fetchAll(EntryTableModel* model);
    static QStringList column(EntryTableModel* model, int column);

    QTemporaryDir m_dir;
    QString m_cache;
    QJsonObject m_python;
};

void TestUiEntries::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(QStringLiteral("cache"));
    m_python = testsupport::runPythonJson(QStringLiteral("ui_make.py"), {QStringLiteral("cache"), m_cache}).object();
    QVERIFY2(m_python.contains(QStringLiteral("len")), "python diskcache did not make the cache");
}

std::unique_ptr<EntriesView> TestUiEntries::openView()
{
    auto view = std::make_unique<EntriesView>();
    new QAbstractItemModelTester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, view.get());
    view->resize(1000, 600);
    view->show();
    view->model()->setChunking(50, 3);  // several chunks, fewer held than the cache has
    QSignalSpy loaded(view->model(), &EntryTableModel::pageLoaded);
    view->model()->setStore(m_cache);
    if (!loaded.wait(20000)) return nullptr;
    return view;
}

// Waits until every row has been read (the model holds few chunks, so a
// caller reads them right after, as it does).
void TestUiEntries::fetchAll(EntryTableModel* model)
{
    QVERIFY(model->rowCount() <= model->chunkRows() * model->maxHeldChunks() * 2);
    model->setChunking(model->chunkRows(), 100);  // room for all of them
    model->refresh();
    QVERIFY(QTest::qWaitFor([&] { return !model->isLoading(); }, 20000));
    QVERIFY(QTest::qWaitFor([&] {
        model->fetchRows(0, model->rowCount() - 1);
        for (int row = 0; row < model->rowCount(); ++row)
            if (!model->entryAt(row)) return false;
        return true;
    }, 20000));
}

QStringList TestUiEntries::column(EntryTableModel* model, int column)
{
    fetchAll(model);
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row) values << model->index(row, column).data().toString();
    return values;
}

void TestUiEntries::showsEveryKeyAsPythonRepr()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    QCOMPARE(model->total(), m_python.value(QStringLiteral("len")).toInteger());
    QCOMPARE(model->rowCount(), m_python.value(QStringLiteral("len")).toInt());  // every row has its place
    QTRY_VERIFY(!model->isLoading());
    QVERIFY(model->entryAt(model->rowCount() - 1) == nullptr);  // only the rows shown (and the next) are read
    QVERIFY(model->index(model->rowCount() - 1, EntryTableModel::KeyColumn).data().toString() == QStringLiteral("…"));
    QVERIFY(model->heldChunks() <= model->maxHeldChunks());

    QStringList keys = column(model, EntryTableModel::KeyColumn);
    keys.sort();
    QStringList expected;
    for (const auto& key : m_python.value(QStringLiteral("keys")).toArray()) expected << key.toString();
    expected.sort();
    QCOMPARE(keys, expected);
    QVERIFY(keys.contains(QStringLiteral("('order', 3)")));
    QVERIFY(keys.contains(QStringLiteral("b'blob-7'")));
    QTRY_VERIFY(view->countLabel()->text().startsWith(QString::number(model->total()) + QStringLiteral(" matching")));
}

void TestUiEntries::headerClickSortsThroughTheEngine()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    auto* header = view->table()->horizontalHeader();
    auto clickSection = [&](int section) {
        QSignalSpy loaded(model, &EntryTableModel::pageLoaded);
        const QPoint centre(header->sectionViewportPosition(section) + header->sectionSize(section) / 2, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, centre);
        return loaded.wait(20000);
    };
    auto sizes = [&] {
        fetchAll(model);
        std::vector<std::int64_t> out;
        for (int row = 0; row < model->rowCount(); ++row) out.push_back(model->entryAt(row)->size);
        return out;
    };

    QVERIFY(clickSection(EntryTableModel::SizeColumn));
    QCOMPARE(header->sortIndicatorSection(), int(EntryTableModel::SizeColumn));
    QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
    auto ascending = sizes();
    QCOMPARE(static_cast<qint64>(ascending.size()), model->total());
    QVERIFY(std::is_sorted(ascending.begin(), ascending.end()));
    QCOMPARE(ascending.back(), 100000);  // "big", stored in a file

    QVERIFY(clickSection(EntryTableModel::SizeColumn));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(model->index(0, EntryTableModel::KeyColumn).data().toString(), QStringLiteral("'big'"));
    auto descending = sizes();
    QVERIFY(std::is_sorted(descending.rbegin(), descending.rend()));

    // Keys: ascending then descending, the second exactly the reverse of the first.
    QVERIFY(clickSection(EntryTableModel::KeyColumn));
    QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
    fetchAll(model);
    QStringList up = column(model, EntryTableModel::KeyColumn);
    QVERIFY(clickSection(EntryTableModel::KeyColumn));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    fetchAll(model);
    QStringList down = column(model, EntryTableModel::KeyColumn);
    QCOMPARE(up.size(), m_python.value(QStringLiteral("len")).toInt());
    std::reverse(down.begin(), down.end());
    QCOMPARE(down, up);

    // A column the engine cannot order by keeps the current sort.
    const QPoint type(header->sectionViewportPosition(EntryTableModel::TypeColumn) + 5, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, type);
    QCOMPARE(header->sortIndicatorSection(), int(EntryTableModel::KeyColumn));
}

void TestUiEntries::filterShowsMatchingCount()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    QSignalSpy loaded(model, &EntryTableModel::pageLoaded);
    QTest::keyClicks(view->filterBar()->keyEdit(), QStringLiteral("user:"));
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), m_python.value(QStringLiteral("user_count")).toInteger(), 20000);
    QTRY_VERIFY(view->countLabel()->text().startsWith(QStringLiteral("120 ")));
    for (const QString& key : column(model, EntryTableModel::KeyColumn)) QVERIFY2(key.contains(QStringLiteral("user:")), qPrintable(key));

    // A tag (typed as a Python literal) narrows it further; an unknown tag leaves nothing.
    view->filterBar()->tagEdit()->setText(QStringLiteral("'users'"));
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(120), 20000);
    view->filterBar()->tagEdit()->setText(QStringLiteral("'blobs'"));
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(0), 20000);
    QTRY_COMPARE(model->rowCount(), 0);

    view->filterBar()->clear();
    view->filterBar()->tagEdit()->setText(QStringLiteral("7"));  // an int tag
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(15), 20000);
    QTRY_COMPARE(model->index(0, EntryTableModel::TagColumn).data().toString(), QStringLiteral("7"));

    view->filterBar()->clear();
    view->filterBar()->storageCombo()->setCurrentIndex(2);  // in files only
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(1), 20000);
    QTRY_COMPARE(model->index(0, EntryTableModel::KeyColumn).data().toString(), QStringLiteral("'big'"));
    QCOMPARE(model->index(0, EntryTableModel::WhereColumn).data().toString(), QStringLiteral("file"));
}

void TestUiEntries::expiredRowsAreMarked()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    view->filterBar()->expiryCombo()->setCurrentIndex(2);  // expired only
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(10), 20000);
    QTRY_COMPARE(model->rowCount(), 10);
    for (int row = 0; row < model->rowCount(); ++row) {
        QVERIFY(model->index(row, 0).data(EntryTableModel::ExpiredRole).toBool());
        QVERIFY(model->index(row, 0).data(Qt::FontRole).value<QFont>().italic());
        QVERIFY2(model->index(row, EntryTableModel::ExpiresColumn).data().toString().startsWith(QStringLiteral("expired ")),
                 qPrintable(model->index(row, EntryTableModel::ExpiresColumn).data().toString()));
    }
}

void TestUiEntries::staleAnswersAreDropped()
{
    auto view = openView();
    QVERIFY(view);
    auto* model = view->model();
    QSignalSpy loaded(model, &EntryTableModel::pageLoaded);
    QSignalSpy totals(model, &EntryTableModel::totalChanged);
    diskcache::EntryFilter blobs;
    blobs.keyPrefix = "blob";
    diskcache::EntryFilter users;
    users.keyPrefix = "user:";
    model->setFilter(blobs);
    model->sort(EntryTableModel::SizeColumn, Qt::DescendingOrder);
    model->setFilter(users);  // only this last query may ever be shown
    QVERIFY(loaded.wait(20000));
    QCOMPARE(totals.count(), 1);
    QCOMPARE(totals.first().first().toLongLong(), qint64(120));
    QCOMPARE(model->total(), qint64(120));
    for (const QString& key : column(model, EntryTableModel::KeyColumn)) QVERIFY(key.startsWith(QStringLiteral("'user:")));
}

void TestUiEntries::nonCacheFolderShowsMessage()
{
    QTemporaryDir plain;
    QFile file(plain.filePath(QStringLiteral("notes.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("hello");
    file.close();
    EntriesView view;
    view.show();
    QSignalSpy failed(view.model(), &EntryTableModel::loadFailed);
    view.model()->setStore(plain.path());
    QVERIFY(failed.wait(20000));
    QVERIFY(view.showsMessage());
    QVERIFY2(view.messageLabel()->text().contains(QStringLiteral("not a diskcache cache")), qPrintable(view.messageLabel()->text()));
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(!QDir(plain.filePath(QStringLiteral("cache.db"))).exists() && !QFile::exists(plain.filePath(QStringLiteral("cache.db"))));
}

QTEST_MAIN(TestUiEntries)
#include "tst_ui_entries.moc"

#include "views/mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>

#include "actions/mainactions.h"
#include "actions/liveupdates.h"
#include "actions/maintenanceactions.h"
#include "common/format.h"
#include "models/entrytablemodel.h"
#include "models/storetreemodel.h"
#include "views/dashboardview.h"
#include "views/detailspane.h"
#include "views/entriesview.h"
#include "views/filterbar.h"
#include "views/taskpanel.h"

namespace cachescope {

namespace {

// The directory a drop stands for: a single local folder, or the folder of
// a dropped cache.db (what people find first in a file manager). Empty for
// anything else.
QString droppedDirectory(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().first().isLocalFile()) return {};
    const QFileInfo info(mime->urls().first().toLocalFile());
    if (info.isDir()) return info.absoluteFilePath();
    if (info.isFile() && info.fileName() == QLatin1String("cache.db")) return info.absolutePath();
    return {};
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_actions(new MainActions(this)), m_treeModel(new StoreTreeModel(this)),
      m_tree(new QTreeView(this)), m_tabs(new QTabWidget(this)), m_entries(new EntriesView(this)),
      m_dashboard(new DashboardView(this)), m_details(new DetailsPane(this)), m_splitter(new QSplitter(this)),
      m_kindLabel(new QLabel(this)), m_countLabel(new QLabel(this)), m_modeLabel(new QLabel(this)),
      m_task(new TaskPanel(this)), m_maintenance(new MaintenanceActions(this, m_entries, m_task)), m_live(new LiveUpdates(this))
{
    setWindowTitle(tr("Cachescope"));
    setAcceptDrops(true);
    setWindowIcon(QIcon(QStringLiteral(":/icons/cachescope.svg")));
    m_tree->setModel(m_treeModel);
    m_tree->setHeaderHidden(true);
    m_tree->setObjectName(QStringLiteral("storeTree"));
    m_entries->table()->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_entries->table()->addAction(m_actions->copyKeyAction());
    m_entries->table()->addAction(m_actions->copyValueAction());
    m_tabs->addTab(m_entries, tr("Entries"));
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    m_tabs->setDocumentMode(true);
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({240, 870, 330});
    setCentralWidget(m_splitter);
    buildMenus();
    buildStatusBar();

    connect(m_actions, &MainActions::openDirectory, this, &MainWindow::openDirectory);
    connect(m_actions, &MainActions::refreshRequested, this, &MainWindow::refresh);
    connect(m_actions, &MainActions::findRequested, this, [this] {
        m_tabs->setCurrentWidget(m_entries);
        m_entries->filterBar()->focusKey();
    });
    connect(m_actions, &MainActions::copyKeyRequested, this, &MainWindow::copyKey);
    connect(m_actions, &MainActions::copyValueRequested, this, &MainWindow::copyValue);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        const QString path = m_treeModel->pathAt(current);
        if (!path.isEmpty() && path != m_entries->model()->store()) showStore(path);
        // A function's item shows its store's rows that memoize() made for it.
        m_entries->filterBar()->setFunction(m_treeModel->functionAt(current));
    });
    connect(m_dashboard, &DashboardView::functionsFound, m_treeModel, &StoreTreeModel::setFunctions);
    connect(m_treeModel, &StoreTreeModel::loaded, this, [this] { m_tree->expandAll(); });
    connect(m_entries, &EntriesView::currentEntryChanged, m_details, &DetailsPane::showEntry);
    connect(m_entries, &EntriesView::currentEntryLoading, m_details, &DetailsPane::showLoadingEntry);
    connect(m_entries->model(), &EntryTableModel::storeOpened, this, [this](bool ok, const QString&, diskcache::StoreKind kind) {
        m_maintenance->setStore(m_entries->model()->store(), ok ? std::optional(kind) : std::nullopt);
        m_kind = ok ? QString::fromLatin1(diskcache::storeKindName(kind)) : tr("not a cache");
        updateStatus();
    });
    connect(m_entries->model(), &EntryTableModel::pageLoaded, this, [this](bool first) {
        if (first) m_live->noteRefreshed();
        updateStatus();
    });
    connect(m_live, &LiveUpdates::changed, this, &MainWindow::followChange);
    connect(m_maintenance, &MaintenanceActions::writeModeChanged, this, &MainWindow::showWriteMode);
    connect(m_maintenance, &MaintenanceActions::cacheChanged, this, &MainWindow::refresh);
    connect(m_maintenance, &MaintenanceActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, 20000); });
    showWriteMode(false);
    restoreState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_actions->openAction());
    file->addMenu(m_actions->recentMenu());
    file->addSeparator();
    file->addAction(m_maintenance->exportFilteredAction());
    file->addAction(m_maintenance->exportSelectedAction());
    file->addSeparator();
    file->addAction(m_actions->quitAction());
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_actions->copyKeyAction());
    edit->addAction(m_actions->copyValueAction());
    edit->addAction(m_actions->findAction());
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_actions->refreshAction());
    view->addAction(m_live->pauseAction());
    QMenu* maintenance = menuBar()->addMenu(tr("&Maintenance"));
    maintenance->addAction(m_maintenance->writeModeAction());
    maintenance->addSeparator();
    maintenance->addAction(m_maintenance->checkAction());
    maintenance->addSeparator();
    for (QAction* action : {m_maintenance->expireAction(), m_maintenance->cullAction(), m_maintenance->evictAction(),
                            m_maintenance->clearAction()})
        maintenance->addAction(action);
    maintenance->addSeparator();
    maintenance->addAction(m_maintenance->deleteAction());
    maintenance->addAction(m_maintenance->touchAction());
    maintenance->addSeparator();
    maintenance->addAction(m_maintenance->settingsAction());
    m_entries->table()->addAction(m_maintenance->evictAction());
    m_entries->table()->addAction(m_maintenance->touchAction());
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_actions->aboutAction());
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_actions->openAction());
    toolbar->addAction(m_actions->refreshAction());
    toolbar->addAction(m_live->pauseAction());
    toolbar->addSeparator();
    toolbar->addAction(m_maintenance->writeModeAction());
    toolbar->addAction(m_maintenance->checkAction());
    for (QAction* action : {m_maintenance->expireAction(), m_maintenance->cullAction(), m_maintenance->evictAction(),
                            m_maintenance->clearAction(), m_maintenance->deleteAction()})
        toolbar->addAction(action);
}

void MainWindow::buildStatusBar()
{
    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    statusBar()->addWidget(m_kindLabel);
    statusBar()->addWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_task);
    statusBar()->addPermanentWidget(m_live->statusLabel());
    statusBar()->addPermanentWidget(m_modeLabel);
}

void MainWindow::showWriteMode(bool on)
{
    if (on) {
        m_modeLabel->setText(tr(" Write mode "));
        m_modeLabel->setToolTip(tr("Maintenance actions may change this cache (each asks first)"));
        m_modeLabel->setStyleSheet(QStringLiteral("QLabel { background: #c62828; color: white; font-weight: bold; border-radius: 3px; }"));
    } else {
        m_modeLabel->setText(tr("Read-only"));
        m_modeLabel->setToolTip(tr("Cachescope only reads this cache; switch on write mode for maintenance"));
        m_modeLabel->setStyleSheet(QString());
    }
}

void MainWindow::openDirectory(const QString& directory)
{
    m_maintenance->setWriteMode(false);  // every cache opens read-only
    m_root = QDir(directory).absolutePath();
    m_actions->addRecent(m_root);
    setWindowTitle(tr("%1 — Cachescope").arg(QDir::toNativeSeparators(m_root)));
    m_treeModel->load(m_root);
    showStore(m_root);
    m_entries->filterBar()->setFunction({});
}

void MainWindow::showStore(const QString& directory)
{
    m_kind.clear();
    m_maintenance->setStore(directory, std::nullopt);
    m_entries->model()->setStore(directory);
    m_dashboard->setStore(directory);
    m_details->setStore(directory);
    m_live->setStore(directory);
    updateStatus();
}

void MainWindow::setCurrentTab(Tab tab) { m_tabs->setCurrentWidget(tab == Tab::Entries ? static_cast<QWidget*>(m_entries) : m_dashboard); }

void MainWindow::refresh()
{
    if (m_root.isEmpty()) return;
    const QString current = m_entries->model()->store();
    m_treeModel->load(m_root);
    m_entries->model()->refresh();
    m_dashboard->setStore(current);
    m_details->showEntry(nullptr);
}

void MainWindow::followChange()
{
    m_entries->refreshInPlace();
    m_dashboard->refreshLive();
    m_live->noteRefreshed();
}

void MainWindow::copyKey()
{
    if (const auto* entry = m_entries->currentEntry()) QApplication::clipboard()->setText(format::repr(entry->key));
}

void MainWindow::copyValue()
{
    if (!m_details->valueRepr().isEmpty()) QApplication::clipboard()->setText(m_details->valueRepr());
}

void MainWindow::updateStatus()
{
    m_kindLabel->setText(m_kind.isEmpty() ? tr("Opening…") : m_kind);
    const qint64 total = m_entries->model()->total();
    m_countLabel->setText(total < 0 ? QString() : tr("%1 entries").arg(QLocale().toString(static_cast<qlonglong>(total))));
}

void MainWindow::restoreState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1440, 860);
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedDirectory(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString directory = droppedDirectory(event->mimeData());
    if (directory.isEmpty()) return;
    event->acceptProposedAction();
    openDirectory(directory);
}

}  // namespace cachescope

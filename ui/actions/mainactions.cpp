#include "actions/mainactions.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QIcon>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

#include "common/icons.h"

namespace cachescope {

namespace {
constexpr int kMaxRecent = 10;
const char* const kRecentKey = "recentCaches";
}  // namespace

MainActions::MainActions(QWidget* window)
    : QObject(window), m_window(window), m_open(new QAction(resourceIcon(QStringLiteral("open"), QStyle::SP_DialogOpenButton), tr("&Open Cache…"), this)),
      m_refresh(new QAction(resourceIcon(QStringLiteral("refresh"), QStyle::SP_BrowserReload), tr("&Refresh"), this)),
      m_find(new QAction(tr("&Find Keys"), this)), m_copyKey(new QAction(tr("&Copy Key"), this)),
      m_copyValue(new QAction(tr("Copy &Value"), this)), m_quit(new QAction(tr("&Quit"), this)),
      m_about(new QAction(tr("&About Cachescope"), this)), m_recentMenu(new QMenu(tr("Open &Recent"), window))
{
    m_open->setShortcut(QKeySequence::Open);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_find->setShortcut(QKeySequence::Find);
    m_copyKey->setShortcut(QKeySequence::Copy);
    m_copyValue->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_quit->setShortcut(QKeySequence::Quit);
    m_open->setToolTip(tr("Open a diskcache directory (read-only)"));
    m_refresh->setToolTip(tr("Read the cache again (F5)"));
    for (QAction* action : {m_open, m_refresh, m_find, m_copyKey, m_copyValue}) {
        action->setShortcutContext(Qt::WindowShortcut);
        window->addAction(action);
    }
    connect(m_open, &QAction::triggered, this, &MainActions::chooseDirectory);
    connect(m_refresh, &QAction::triggered, this, &MainActions::refreshRequested);
    connect(m_find, &QAction::triggered, this, &MainActions::findRequested);
    connect(m_copyKey, &QAction::triggered, this, &MainActions::copyKeyRequested);
    connect(m_copyValue, &QAction::triggered, this, &MainActions::copyValueRequested);
    connect(m_quit, &QAction::triggered, window, &QWidget::close);
    connect(m_about, &QAction::triggered, this, &MainActions::showAbout);
    rebuildRecentMenu();
}

void MainActions::chooseDirectory()
{
    const QStringList recents = recent();
    const QString start = recents.isEmpty() ? QDir::homePath() : recents.first();
    const QString directory = QFileDialog::getExistingDirectory(m_window, tr("Open a diskcache directory"), start);
    if (!directory.isEmpty()) Q_EMIT openDirectory(directory);
}

QStringList MainActions::recent() const { return QSettings().value(QLatin1String(kRecentKey)).toStringList(); }

void MainActions::addRecent(const QString& directory)
{
    QStringList list = recent();
    list.removeAll(directory);
    list.prepend(directory);
    while (list.size() > kMaxRecent) list.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), list);
    rebuildRecentMenu();
}

void MainActions::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList list = recent();
    for (const QString& directory : list) {
        QAction* action = m_recentMenu->addAction(QDir::toNativeSeparators(directory));
        connect(action, &QAction::triggered, this, [this, directory] { Q_EMIT openDirectory(directory); });
    }
    if (list.isEmpty()) m_recentMenu->addAction(tr("No recent caches"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        connect(m_recentMenu->addAction(tr("Clear List")), &QAction::triggered, this, [this] {
            QSettings().remove(QLatin1String(kRecentKey));
            rebuildRecentMenu();
        });
    }
}

void MainActions::showAbout()
{
    QMessageBox::about(m_window, tr("About Cachescope"),
                       tr("<b>Cachescope %1</b><p>A read-only inspector for Python diskcache caches.</p>")
                           .arg(QApplication::applicationVersion()));
}

}  // namespace cachescope

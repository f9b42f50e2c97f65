#include "actions/liveupdates.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLabel>
#include <QLocale>
#include <QTime>
#include <QTimer>
#include <QWidget>

#include "workers/inspectclient.h"
#include "workers/replies.h"

namespace cachescope {

LiveUpdates::LiveUpdates(QWidget* window)
    : QObject(window), m_client(new InspectClient(this)), m_pause(new QAction(tr("Pause Live Updates"), this)),
      m_label(new QLabel(window)), m_timer(new QTimer(this)), m_soon(new QTimer(this)),
      m_watcher(new QFileSystemWatcher(this))
{
    m_pause->setObjectName(QStringLiteral("pauseLiveAction"));
    m_pause->setCheckable(true);
    m_pause->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-pause")));
    m_pause->setToolTip(tr("Stop following changes other processes make to this cache"));
    m_label->setObjectName(QStringLiteral("liveLabel"));
    m_timer->setInterval(kPollMs);
    m_soon->setSingleShot(true);
    m_soon->setInterval(150);  // a commit touches several files; poll once
    connect(m_timer, &QTimer::timeout, this, &LiveUpdates::poll);
    connect(m_soon, &QTimer::timeout, this, &LiveUpdates::poll);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        watchFiles();  // a -wal file may have appeared
        m_soon->start();
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_soon, qOverload<>(&QTimer::start));
    connect(m_client, &InspectClient::changeTokenReady, this, &LiveUpdates::onToken);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        updateLabel();
        if (!paused) poll();  // what changed meanwhile shows at once
    });
    updateLabel();
}

LiveUpdates::~LiveUpdates() = default;

bool LiveUpdates::isPaused() const { return m_pause->isChecked(); }

void LiveUpdates::setStore(const QString& directory)
{
    m_directory = directory;
    m_token.reset();
    m_asking = false;
    if (!m_watcher->files().isEmpty()) m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty()) m_watcher->removePaths(m_watcher->directories());
    m_client->open(directory);
    watchFiles();
    m_timer->start();
    poll();
}

// The store's folder, its shard folders and their database files.
void LiveUpdates::watchFiles()
{
    if (m_directory.isEmpty()) return;
    QStringList paths{m_directory};
    const QDir root(m_directory);
    for (const QString& shard : root.entryList({QStringLiteral("[0-9][0-9][0-9]")}, QDir::Dirs | QDir::NoDotAndDotDot))
        paths << root.filePath(shard);
    QStringList wanted;
    for (const QString& dir : paths) {
        wanted << dir;
        for (const char* name : {"cache.db", "cache.db-wal"}) {
            const QString file = QDir(dir).filePath(QLatin1String(name));
            if (QFileInfo::exists(file)) wanted << file;
        }
    }
    QStringList watched = m_watcher->files() + m_watcher->directories();
    for (const QString& path : wanted)
        if (!watched.contains(path)) m_watcher->addPath(path);
}

void LiveUpdates::poll()
{
    if (m_directory.isEmpty() || isPaused() || m_asking) return;
    m_asking = true;
    m_client->requestChangeToken();
}

void LiveUpdates::onToken(const ChangeReply& reply)
{
    m_asking = false;
    if (!reply.ok) return;  // locked or gone: the views say so when they read
    const bool first = !m_token;
    const bool differs = m_token != reply.token;
    m_token = reply.token;
    if (!first && differs && !isPaused()) Q_EMIT changed();
}

void LiveUpdates::noteRefreshed()
{
    m_refreshedAt = QLocale().toString(QTime::currentTime(), QStringLiteral("HH:mm:ss"));
    updateLabel();
}

void LiveUpdates::updateLabel()
{
    const QString state = isPaused() ? tr("Paused") : tr("Live");
    m_label->setText(m_refreshedAt.isEmpty() ? state : tr("%1 · refreshed %2").arg(state, m_refreshedAt));
    m_label->setToolTip(isPaused() ? tr("Changes other processes make are not shown until live updates resume")
                                   : tr("Counts, dashboard and the visible rows follow changes other processes make"));
}

}  // namespace cachescope

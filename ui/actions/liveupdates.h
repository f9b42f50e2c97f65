// LiveUpdates: notices that another process changed the open store and says
// so with changed(), unless paused. It polls the engine's change token
// (SQLite's PRAGMA data_version of every shard) about once a second on a
// worker of its own, and polls at once when the file system reports a change
// in the store's folders. Owns the "Pause live updates" action and the status
// bar label that says "Live" or "Paused" and when the views were last refreshed.
#pragma once

#include <QObject>
#include <QStringList>

#include <optional>

class QAction;
class QFileSystemWatcher;
class QLabel;
class QTimer;
class QWidget;

namespace cachescope {

class InspectClient;
struct ChangeReply;

class LiveUpdates : public QObject {
    Q_OBJECT
public:
    // The label is made as a child of `window`; the caller places it.
    explicit LiveUpdates(QWidget* window);
    ~LiveUpdates() override;

    // Follows `directory` (a cache, a fanout, a Django folder); the first
    // token read is the baseline, so opening a store never counts as a change.
    void setStore(const QString& directory);
    QAction* pauseAction() const { return m_pause; }
    QLabel* statusLabel() const { return m_label; }
    bool isPaused() const;
    // The views were refreshed now (by a change, or by the user).
    void noteRefreshed();
    static constexpr int kPollMs = 1000;

Q_SIGNALS:
    // Another process committed to the store (not sent while paused).
    void changed();

private:
    void poll();
    void onToken(const ChangeReply& reply);
    void watchFiles();
    void updateLabel();

    InspectClient* m_client;
    QAction* m_pause;
    QLabel* m_label;
    QTimer* m_timer;
    QTimer* m_soon;  // a file-system event: poll shortly, once
    QFileSystemWatcher* m_watcher;
    QString m_directory;
    std::optional<std::uint64_t> m_token;
    bool m_asking = false;
    QString m_refreshedAt;
};

}  // namespace cachescope

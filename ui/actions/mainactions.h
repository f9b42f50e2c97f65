// MainActions: the window's QActions (open, recent caches, refresh, find,
// copy key, quit) and what they need of the user: the directory chooser and
// the recent list kept in QSettings. The window connects the signals to the
// views; no view code lives here.
#pragma once

#include <QObject>
#include <QStringList>

class QAction;
class QMenu;
class QWidget;

namespace cachescope {

class MainActions : public QObject {
    Q_OBJECT
public:
    explicit MainActions(QWidget* window);

    QAction* openAction() const { return m_open; }
    QAction* refreshAction() const { return m_refresh; }
    QAction* findAction() const { return m_find; }
    QAction* copyKeyAction() const { return m_copyKey; }
    QAction* copyValueAction() const { return m_copyValue; }
    QAction* quitAction() const { return m_quit; }
    QAction* aboutAction() const { return m_about; }
    QMenu* recentMenu() const { return m_recentMenu; }

    // Remembers `directory` at the top of the recent caches.
    void addRecent(const QString& directory);
    QStringList recent() const;

Q_SIGNALS:
    void openDirectory(const QString& directory);
    void refreshRequested();
    void findRequested();
    void copyKeyRequested();
    void copyValueRequested();

private:
    void chooseDirectory();
    void rebuildRecentMenu();
    void showAbout();

    QWidget* m_window;
    QAction* m_open;
    QAction* m_refresh;
    QAction* m_find;
    QAction* m_copyKey;
    QAction* m_copyValue;
    QAction* m_quit;
    QAction* m_about;
    QMenu* m_recentMenu;
};

}  // namespace cachescope

// Renders a window to a PNG once its first page (and, for the dashboard, its
// statistics) has loaded, then quits with 0 (1 when saving failed, 2 when
// loading timed out). With an action (check, expire, cull, evict, clear) it
// first opens that action's dialog — the Check results, or a confirmation
// that is never accepted, so a screenshot changes no cache — and draws it
// over the window.
#pragma once

#include <QObject>
#include <QString>

namespace cachescope {
class MainWindow;
}

class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(cachescope::MainWindow* window, QString file, bool dashboard, QString action = {});
    void start();

private:
    void maybeShoot();
    void shoot(int failureCode);
    void startAction();
    QWidget* actionDialog() const;
    int pickRow() const;

    cachescope::MainWindow* m_window;
    QString m_file;
    bool m_dashboard;
    QString m_action;
    bool m_actionStarted = false;
    bool m_pageLoaded = false;
    bool m_done = false;
};

// Renders a window to a PNG once its first page (and, for the dashboard, its
// statistics) has loaded, then quits with 0 (1 when saving failed, 2 when
// loading timed out).
#pragma once

#include <QObject>
#include <QString>

namespace cachescope {
class MainWindow;
}

class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(cachescope::MainWindow* window, QString file, bool dashboard);
    void start();

private:
    void maybeShoot();
    void shoot(int failureCode);
    int pickRow() const;

    cachescope::MainWindow* m_window;
    QString m_file;
    bool m_dashboard;
    bool m_pageLoaded = false;
    bool m_done = false;
};

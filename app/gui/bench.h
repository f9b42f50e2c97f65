// cachescope --bench DIR: opens DIR in the real window (offscreen or under
// Xvfb) and measures what a user waits for, then prints JSON and exits:
// ms from process start to the first rows painted, ms for a new sort and
// for a new filter to paint their first rows, ms to show the last row
// (scrollToBottom), and the peak resident memory. Exit code 2 on a timeout.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace cachescope {
class MainWindow;
}

class BenchRunner : public QObject {
    Q_OBJECT
public:
    explicit BenchRunner(cachescope::MainWindow* window);
    // Runs the measurements once the window has its first rows (call before openDirectory).
    void start();

private:
    void run();
    // Processes events until `done` says so; the milliseconds it took, or -1 after the timeout.
    qint64 waitFor(const std::function<bool()>& done, qint64 since);
    void paintTable();

    cachescope::MainWindow* m_window;
    bool m_started = false;
};

// Milliseconds since this process started (Linux: from /proc), -1 when unknown.
qint64 msSinceProcessStart();

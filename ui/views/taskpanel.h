// TaskPanel: the running maintenance job in the status bar — what it does,
// a progress bar (a busy bar when the total is not known), whether it waits
// for another process's lock, and Cancel. Hidden when nothing runs, so the
// window stays usable: nothing here is modal.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace cachescope {

class TaskPanel : public QWidget {
    Q_OBJECT
public:
    explicit TaskPanel(QWidget* parent = nullptr);

    // Shows the panel for a job; total <= 0 gives a busy bar.
    void start(const QString& text, qint64 total);
    // done < 0 leaves the count as it is (a wait for a lock).
    void setProgress(qint64 done, bool waiting);
    void finish();

    QLabel* label() const { return m_label; }
    QProgressBar* bar() const { return m_bar; }
    QPushButton* cancelButton() const { return m_cancel; }
    bool isWaitingForLock() const { return m_waiting; }

Q_SIGNALS:
    void cancelRequested();

private:
    void updateLabel();

    QLabel* m_label;
    QProgressBar* m_bar;
    QPushButton* m_cancel;
    QString m_text;
    qint64 m_done = 0;
    bool m_waiting = false;
};

}  // namespace cachescope

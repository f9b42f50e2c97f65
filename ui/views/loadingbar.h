// LoadingBar: under the entries table, says which rows are being read when
// reading takes more than a moment (a seek far into a big cache, a sort
// without an index, a lock held by another process), with Cancel.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;
class QToolButton;

namespace cachescope {

class EntryTableModel;

class LoadingBar : public QWidget {
    Q_OBJECT
public:
    explicit LoadingBar(EntryTableModel* model, QWidget* parent = nullptr);

    QToolButton* cancelButton() const { return m_cancel; }
    // Shown after this long.
    static constexpr int kDelayMs = 300;

private:
    void update();

    EntryTableModel* m_model;
    QLabel* m_text;
    QProgressBar* m_busy;
    QToolButton* m_cancel;
    QTimer* m_delay;
    QTimer* m_slow;
};

}  // namespace cachescope

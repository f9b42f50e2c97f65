// EntriesView: the filter bar, the lazy entries table, the count of
// matching entries and the bar that says which rows are being read; shows a message instead of the table when the store
// cannot be read.
#pragma once

#include <QWidget>

#include <optional>
#include <vector>

#include "diskcache/inspect.h"

class QLabel;
class QStackedWidget;
class QTableView;

namespace cachescope {

class EntryTableModel;
class FilterBar;
class LoadingBar;

class EntriesView : public QWidget {
    Q_OBJECT
public:
    explicit EntriesView(QWidget* parent = nullptr);

    EntryTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    FilterBar* filterBar() const { return m_filterBar; }
    QLabel* countLabel() const { return m_count; }
    LoadingBar* loadingBar() const { return m_loading; }
    QLabel* messageLabel() const { return m_message; }
    bool showsMessage() const;
    // The entry of the current row, or nullptr.
    const diskcache::Entry* currentEntry() const;
    // Copies of the entries of the selected rows, in row order.
    std::vector<diskcache::Entry> selectedEntries() const;
    // Reads the shown rows again in place (another process changed the
    // cache): the scroll position stays, and the current row follows its key.
    void refreshInPlace();

Q_SIGNALS:
    // The entry of the new current row, or nullptr when there is none.
    void currentEntryChanged(const diskcache::Entry* entry);
    // The current row's rows are still being read (after Ctrl+End, say):
    // currentEntryChanged follows when they arrive.
    void currentEntryLoading();

private:
    void showMessage(const QString& text);
    void updateCount();
    // After a live refresh: puts the current row back on the followed key.
    void followKey();
    // Tells the details pane about the current row, or that it is loading.
    void announceCurrent();

    EntryTableModel* m_model;
    FilterBar* m_filterBar;
    QStackedWidget* m_stack;
    QTableView* m_table;
    QLabel* m_message;
    QLabel* m_count;
    LoadingBar* m_loading;
    std::optional<diskcache::Value> m_followedKey;
    int m_sortSection = 0;
    // The current row had no entry yet when it became current.
    bool m_currentAwaitsRows = false;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

}  // namespace cachescope

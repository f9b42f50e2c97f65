// EntriesView: the filter bar, the lazy entries table and the count of
// matching entries; shows a message instead of the table when the store
// cannot be read.
#pragma once

#include <QWidget>

#include <vector>

#include "diskcache/inspect.h"

class QLabel;
class QTimer;
class QStackedWidget;
class QTableView;

namespace cachescope {

class EntryTableModel;
class FilterBar;

class EntriesView : public QWidget {
    Q_OBJECT
public:
    explicit EntriesView(QWidget* parent = nullptr);

    EntryTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    FilterBar* filterBar() const { return m_filterBar; }
    QLabel* countLabel() const { return m_count; }
    QLabel* messageLabel() const { return m_message; }
    bool showsMessage() const;
    // The entry of the current row, or nullptr.
    const diskcache::Entry* currentEntry() const;
    // Copies of the entries of the selected rows, in row order.
    std::vector<diskcache::Entry> selectedEntries() const;

Q_SIGNALS:
    void currentEntryChanged(const diskcache::Entry* entry);

private:
    void showMessage(const QString& text);
    void updateCount();

    EntryTableModel* m_model;
    FilterBar* m_filterBar;
    QStackedWidget* m_stack;
    QTableView* m_table;
    QLabel* m_message;
    QLabel* m_count;
    QTimer* m_slowTimer;
    int m_sortSection = 0;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

}  // namespace cachescope

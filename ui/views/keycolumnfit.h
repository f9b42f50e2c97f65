// KeyColumnFit: gives a table's key column the width its other columns
// leave free in the viewport, so that a wide window shows more of each key
// instead of an empty band on the right. The column never gets narrower than
// the width it was given or the user last dragged it to; when the other
// columns do not leave that much, the table scrolls sideways as before.
#pragma once

#include <QObject>

class QHeaderView;
class QTableView;

namespace cachescope {

class KeyColumnFit : public QObject {
    Q_OBJECT
public:
    // Fits column `column` of `table` now and whenever the viewport or another
    // column changes size. Owned by the table.
    KeyColumnFit(QTableView* table, int column);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fit();

    QTableView* m_table;
    QHeaderView* m_header;
    int m_column;
    int m_minimum;        // the width the user chose (or the first one)
    bool m_fitting = false;  // our own resizeSection, not the user's drag
};

}  // namespace cachescope

#include "views/keycolumnfit.h"

#include <algorithm>

#include <QEvent>
#include <QHeaderView>
#include <QTableView>

namespace cachescope {

KeyColumnFit::KeyColumnFit(QTableView* table, int column)
    : QObject(table), m_table(table), m_header(table->horizontalHeader()), m_column(column),
      m_minimum(table->horizontalHeader()->sectionSize(column))
{
    m_table->viewport()->installEventFilter(this);
    connect(m_header, &QHeaderView::sectionResized, this, [this](int section, int, int newSize) {
        if (m_fitting) return;
        if (section == m_column) m_minimum = newSize;  // the user's width is the new floor
        else fit();                                     // another column took or gave back room
    });
    fit();
}

bool KeyColumnFit::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize) fit();
    return QObject::eventFilter(watched, event);
}

void KeyColumnFit::fit()
{
    int others = 0;
    for (int i = 0; i < m_header->count(); ++i)
        if (i != m_column && !m_header->isSectionHidden(i)) others += m_header->sectionSize(i);
    const int width = std::max(m_minimum, m_table->viewport()->width() - others);
    if (width == m_header->sectionSize(m_column)) return;
    m_fitting = true;
    m_header->resizeSection(m_column, width);
    m_fitting = false;
}

}  // namespace cachescope

#include "views/entriesview.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QTableView>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

#include "models/entrytablemodel.h"
#include "views/filterbar.h"
#include "views/loadingbar.h"

namespace cachescope {

EntriesView::EntriesView(QWidget* parent)
    : QWidget(parent), m_model(new EntryTableModel(this)), m_filterBar(new FilterBar(this)),
      m_stack(new QStackedWidget(this)), m_table(new QTableView(this)), m_message(new QLabel(this)),
      m_count(new QLabel(this)), m_loading(new LoadingBar(m_model, this))
{
    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("entriesTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);  // Delete/Touch work on several
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    auto* header = m_table->horizontalHeader();
    header->setSectionsClickable(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicator(0, Qt::AscendingOrder);
    header->setStretchLastSection(false);
    header->resizeSection(EntryTableModel::KeyColumn, 220);
    header->resizeSection(EntryTableModel::TypeColumn, 60);
    header->resizeSection(EntryTableModel::SizeColumn, 70);
    header->resizeSection(EntryTableModel::WhereColumn, 65);
    header->resizeSection(EntryTableModel::TagColumn, 90);
    header->resizeSection(EntryTableModel::StoredColumn, 80);
    header->resizeSection(EntryTableModel::AccessedColumn, 80);
    header->resizeSection(EntryTableModel::AccessCountColumn, 65);
    header->resizeSection(EntryTableModel::ExpiresColumn, 140);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int section, Qt::SortOrder order) {
        if (!EntryTableModel::engineColumn(section)) {
            QSignalBlocker block(header);
            header->setSortIndicator(m_sortSection, m_sortOrder);
            return;
        }
        m_sortSection = section;
        m_sortOrder = order;
        m_model->sort(section, order);
    });

    m_message->setObjectName(QStringLiteral("storeMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(24);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_message);

    m_count->setObjectName(QStringLiteral("entryCount"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_loading);
    layout->addWidget(m_count);

    connect(m_filterBar, &FilterBar::filterChanged, m_model, &EntryTableModel::setFilter);
    connect(m_model, &EntryTableModel::pickleProtocolChanged, m_filterBar, &FilterBar::setPickleProtocol);
    connect(m_model, &EntryTableModel::loadFailed, this, &EntriesView::showMessage);
    connect(m_model, &EntryTableModel::storeOpened, this, [this](bool ok, const QString&, diskcache::StoreKind kind) {
        if (!ok) return;
        if (kind == diskcache::StoreKind::Collection)
            showMessage(tr("This folder holds several stores; pick one in the store tree."));
        else m_stack->setCurrentWidget(m_table);
    });
    connect(m_model, &EntryTableModel::pageLoaded, this, [this](bool first) {
        if (first && m_stack->currentWidget() == m_table) m_table->scrollToTop();
        followKey();
        updateCount();
    });
    connect(m_model, &EntryTableModel::loadingChanged, this, [this] {
        followKey();
        updateCount();
    });
    // After Cancel, scrolling reads rows again.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, m_model, &EntryTableModel::resumeLoading);
    connect(m_model, &EntryTableModel::totalChanged, this, &EntriesView::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        m_currentAwaitsRows = false;
        Q_EMIT currentEntryChanged(nullptr);  // the selected row is gone
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EntriesView::announceCurrent);
    // The rows of a current row that was still being read have arrived.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        if (m_currentAwaitsRows && currentEntry()) announceCurrent();
    });
    updateCount();
}

void EntriesView::announceCurrent()
{
    const diskcache::Entry* entry = currentEntry();
    m_currentAwaitsRows = m_table->currentIndex().isValid() && !entry;
    if (m_currentAwaitsRows) Q_EMIT currentEntryLoading();
    else Q_EMIT currentEntryChanged(entry);
}

bool EntriesView::showsMessage() const { return m_stack->currentWidget() == m_message; }

const diskcache::Entry* EntriesView::currentEntry() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->entryAt(current.row()) : nullptr;
}

std::vector<diskcache::Entry> EntriesView::selectedEntries() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<diskcache::Entry> entries;
    for (const QModelIndex& row : rows)
        if (const auto* entry = m_model->entryAt(row.row())) entries.push_back(*entry);
    return entries;
}

void EntriesView::refreshInPlace()
{
    const diskcache::Entry* current = currentEntry();
    m_followedKey = current ? std::optional(current->key) : std::nullopt;
    m_model->refreshInPlace();
}

void EntriesView::followKey()
{
    if (!m_followedKey) return;
    const int row = m_model->rowOfKey(*m_followedKey);
    if (row >= 0) {
        m_followedKey.reset();
        if (row != m_table->currentIndex().row())
            m_table->selectionModel()->setCurrentIndex(m_model->index(row, m_table->currentIndex().column()),
                                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    } else if (!m_model->isLoading()) {
        m_followedKey.reset();  // gone, or moved out of the rows read again
    }
}

void EntriesView::showMessage(const QString& text)
{
    // First line: what happened; the rest: the engine's details.
    const qsizetype cut = text.indexOf(QLatin1Char('\n'));
    const QString title = cut < 0 ? text : text.left(cut);
    const QString detail = cut < 0 ? QString() : text.mid(cut + 1);
    m_message->setText(QStringLiteral("<h3>%1</h3><p style='color:gray'>%2</p>").arg(title.toHtmlEscaped(), detail.toHtmlEscaped()));
    m_stack->setCurrentWidget(m_message);
    updateCount();
}

void EntriesView::updateCount()
{
    const qint64 total = m_model->total();
    if (m_model->isLoading() && total < 0) m_count->setText(tr("Loading…"));
    else if (total < 0) m_count->setText(QString());
    else m_count->setText(tr("%1 matching entries").arg(QLocale().toString(static_cast<qlonglong>(total))));
}

}  // namespace cachescope

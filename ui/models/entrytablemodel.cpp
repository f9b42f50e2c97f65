#include "models/entrytablemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QGuiApplication>

#include "common/format.h"
#include "workers/inspectclient.h"

namespace cachescope {

using diskcache::Entry;
using diskcache::SortColumn;

EntryTableModel::EntryTableModel(QObject* parent) : QAbstractTableModel(parent), m_client(new InspectClient(this))
{
    m_request.limit = 200;
    connect(m_client, &InspectClient::storeOpened, this, &EntryTableModel::onStoreOpened);
    connect(m_client, &InspectClient::pageReady, this, &EntryTableModel::onPage);
}

EntryTableModel::~EntryTableModel() = default;

QString EntryTableModel::store() const { return m_client->directory(); }

void EntryTableModel::setStore(const QString& directory)
{
    beginResetModel();
    m_rows.clear();
    m_next.clear();
    m_total = -1;
    m_open = false;
    m_loading = true;
    m_request.after.clear();
    endResetModel();
    m_client->open(directory);
}

void EntryTableModel::onStoreOpened(const StoreReply& reply)
{
    m_open = reply.ok;
    m_loading = false;
    if (reply.ok) Q_EMIT pickleProtocolChanged(reply.pickleProtocol);
    Q_EMIT storeOpened(reply.ok, reply.error, reply.kind);
    if (reply.ok) restart();
    else Q_EMIT loadFailed(reply.error);
}

void EntryTableModel::setFilter(const diskcache::EntryFilter& filter)
{
    m_request.filter = filter;
    restart();
}

void EntryTableModel::refresh() { restart(); }

void EntryTableModel::restart()
{
    if (!m_open) {
        if (!m_client->directory().isEmpty()) setStore(m_client->directory());
        return;
    }
    m_client->newGeneration();
    m_request.after.clear();
    m_request.now = format::nowSeconds();
    m_now = *m_request.now;
    m_loading = true;
    m_client->requestPage(m_request, false);
}

void EntryTableModel::onPage(const PageReply& reply)
{
    m_loading = false;
    if (!reply.ok) {
        Q_EMIT loadFailed(reply.error);
        return;
    }
    // The cursor is updated before the rows change: a view may ask for more
    // from inside endInsertRows()/endResetModel().
    m_next = reply.page.next;
    if (!reply.append) {
        beginResetModel();
        m_rows = reply.page.entries;
        endResetModel();
    } else if (!reply.page.entries.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(reply.page.entries.size()) - 1);
        m_rows.insert(m_rows.end(), reply.page.entries.begin(), reply.page.entries.end());
        endInsertRows();
    }
    if (m_total != reply.page.total) {
        m_total = reply.page.total;
        Q_EMIT totalChanged(m_total);
    }
    Q_EMIT pageLoaded(!reply.append);
}

bool EntryTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_loading && !m_next.empty() && static_cast<int>(m_rows.size()) < kMaxRows;
}

void EntryTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    m_loading = true;
    diskcache::PageRequest request = m_request;
    request.after = m_next;
    m_client->requestPage(request, true);
}

std::optional<SortColumn> EntryTableModel::engineColumn(int column)
{
    switch (column) {
    case KeyColumn: return SortColumn::Key;
    case SizeColumn: return SortColumn::Size;
    case TagColumn: return SortColumn::Tag;
    case StoredColumn: return SortColumn::StoreTime;
    case AccessedColumn: return SortColumn::AccessTime;
    case AccessCountColumn: return SortColumn::AccessCount;
    case ExpiresColumn: return SortColumn::ExpireTime;
    default: return std::nullopt;
    }
}

void EntryTableModel::sort(int column, Qt::SortOrder order)
{
    const auto engine = engineColumn(column);
    if (!engine) return;  // type and storage are not columns the engine can order by
    const bool descending = order == Qt::DescendingOrder;
    if (*engine == m_request.sort && descending == m_request.descending && !m_rows.empty()) return;
    m_request.sort = *engine;
    m_request.descending = descending;
    restart();
}

const Entry* EntryTableModel::entryAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size())) return nullptr;
    return &m_rows[static_cast<std::size_t>(row)];
}

int EntryTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EntryTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EntryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case KeyColumn: return tr("Key");
        case TypeColumn: return tr("Type");
        case SizeColumn: return tr("Size");
        case WhereColumn: return tr("Stored in");
        case TagColumn: return tr("Tag");
        case StoredColumn: return tr("Stored");
        case AccessedColumn: return tr("Last access");
        case AccessCountColumn: return tr("Accesses");
        case ExpiresColumn: return tr("Expires");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && !engineColumn(section)) return tr("This column cannot be sorted");
    if (role == Qt::ToolTipRole && section == SizeColumn)
        return tr("Sorted by the size diskcache records: the size of value files; values kept in cache.db count as 0");
    return {};
}

static std::int64_t shownSize(const Entry& entry) { return entry.storedLength >= 0 ? entry.storedLength : entry.size; }

QVariant EntryTableModel::display(const Entry& entry, int column) const
{
    switch (column) {
    case KeyColumn: return format::repr(entry.key, 300);
    case TypeColumn: return format::fromStd(entry.valueType);
    case SizeColumn: return format::humanSize(shownSize(entry));
    case WhereColumn:
        return entry.filename ? tr("file") : tr("db");
    case TagColumn: return entry.tag.isNone() ? QString() : format::repr(entry.tag, 100);
    case StoredColumn: return format::agoText(entry.storeTime, m_now);
    case AccessedColumn: return format::agoText(entry.accessTime, m_now);
    case AccessCountColumn: return entry.accessCount ? QVariant(static_cast<qlonglong>(*entry.accessCount)) : QVariant(QStringLiteral("-"));
    case ExpiresColumn: return format::expiresText(entry.expireTime, m_now);
    default: return {};
    }
}

QVariant EntryTableModel::toolTip(const Entry& entry, int column) const
{
    switch (column) {
    case KeyColumn: return format::repr(entry.key, 4000);
    case SizeColumn:
        return tr("%1 (size column: %2)").arg(format::exactBytes(shownSize(entry))).arg(entry.size);
    case WhereColumn:
        return entry.filename ? tr("Value file %1").arg(format::fromStd(*entry.filename)) : tr("Value kept in cache.db");
    case StoredColumn: return format::exactTime(entry.storeTime);
    case AccessedColumn: return format::exactTime(entry.accessTime);
    case ExpiresColumn: return entry.expireTime ? format::exactTime(entry.expireTime) : tr("Never expires");
    default: return {};
    }
}

QVariant EntryTableModel::data(const QModelIndex& index, int role) const
{
    const Entry* entry = index.isValid() ? entryAt(index.row()) : nullptr;
    if (!entry || index.column() >= ColumnCount) return {};
    switch (role) {
    case Qt::DisplayRole: return display(*entry, index.column());
    case Qt::ToolTipRole: return toolTip(*entry, index.column());
    case ExpiredRole: return entry->expired;
    case Qt::ForegroundRole:
        if (entry->expired && index.column() == ExpiresColumn) return QBrush(QColor(0xd0, 0x3b, 0x3b));
        if (entry->expired) return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        if (index.column() == WhereColumn && entry->filename) return QBrush(QColor(0x2e, 0x86, 0xc1));
        return {};
    case Qt::FontRole:
        if (entry->expired) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == AccessCountColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

}  // namespace cachescope

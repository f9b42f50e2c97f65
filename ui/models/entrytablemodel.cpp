#include "models/entrytablemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QGuiApplication>
#include <QTimer>

#include <algorithm>

#include "common/format.h"
#include "common/logging.h"
#include "workers/inspectclient.h"
#include "workers/replies.h"

namespace cachescope {

using diskcache::Entry;
using diskcache::SortColumn;

namespace {
constexpr std::size_t kMaxWanted = 6;  // older wishes are off screen by now
}

EntryTableModel::EntryTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_client(new InspectClient(this)), m_flush(new QTimer(this))
{
    m_flush->setSingleShot(true);
    m_flush->setInterval(0);  // once painting is done, ask for what it wanted
    connect(m_flush, &QTimer::timeout, this, &EntryTableModel::issueNext);
    connect(m_client, &InspectClient::storeOpened, this, &EntryTableModel::onStoreOpened);
    connect(m_client, &InspectClient::chunkReady, this, &EntryTableModel::onChunk);
}

EntryTableModel::~EntryTableModel() = default;

QString EntryTableModel::store() const { return m_client->directory(); }

void EntryTableModel::setStore(const QString& directory)
{
    const bool was = isLoading();
    beginResetModel();
    m_cache.clear();
    m_total = -1;
    m_open = false;
    m_inFlight.reset();
    m_wanted.clear();
    m_awaitingFirst = true;
    m_cancelled = false;
    endResetModel();
    m_client->open(directory);
    setLoading(was);
}

void EntryTableModel::onStoreOpened(const StoreReply& reply)
{
    m_open = reply.ok;
    if (reply.ok) Q_EMIT pickleProtocolChanged(reply.pickleProtocol);
    Q_EMIT storeOpened(reply.ok, reply.error, reply.kind);
    if (reply.ok) {
        restart();
    } else {
        const bool was = isLoading();
        m_awaitingFirst = false;
        setLoading(was);
        Q_EMIT loadFailed(reply.error);
    }
}

void EntryTableModel::setFilter(const diskcache::EntryFilter& filter)
{
    m_request.filter = filter;
    restart();
}

void EntryTableModel::refresh() { restart(); }

// A new query: the rows shown stay until its first chunk replaces them all.
void EntryTableModel::restart()
{
    if (!m_open) {
        if (!m_client->directory().isEmpty()) setStore(m_client->directory());
        return;
    }
    const bool was = isLoading();
    m_client->newGeneration();
    m_request.now = format::nowSeconds();
    m_now = *m_request.now;
    m_awaitingFirst = true;
    m_cancelled = false;
    m_wanted.clear();
    m_inFlight.reset();
    m_prefetchAfter.reset();
    m_lastAsked = 0;
    issue(0);
    setLoading(was);
}

void EntryTableModel::refreshInPlace()
{
    if (!m_open || m_awaitingFirst) return;
    const bool was = isLoading();
    m_client->newGeneration();  // every held chunk is stale now
    m_request.now = format::nowSeconds();
    m_now = *m_request.now;
    m_cancelled = false;
    m_inFlight.reset();
    m_prefetchAfter.reset();
    // The last chunk asked for first (it tells the new total too), then
    // whatever the view paints again.
    const int last = static_cast<qint64>(m_lastAsked) * m_cache.chunkRows() < m_total ? m_lastAsked : 0;
    m_wanted.clear();
    issue(last);
    if (m_total > 0) Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(m_total) - 1, ColumnCount - 1));
    setLoading(was);
}

void EntryTableModel::cancelLoading()
{
    if (!isLoading()) return;
    const bool first = m_awaitingFirst;
    m_client->newGeneration();  // the worker's query stops; its answer is dropped
    m_cache.retag(m_client->generation());
    m_inFlight.reset();
    m_wanted.clear();
    m_prefetchAfter.reset();
    m_cancelled = true;
    m_awaitingFirst = false;
    setLoading(true);
    if (first) Q_EMIT loadFailed(tr("Loading was cancelled.\nPress F5 to read the entries again."));
    else if (m_total > 0) Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(m_total) - 1, ColumnCount - 1));
}

void EntryTableModel::resumeLoading()
{
    if (!m_cancelled) return;
    m_cancelled = false;
    if (m_total > 0) Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(m_total) - 1, ColumnCount - 1));
}

void EntryTableModel::fetchRows(int first, int last)
{
    if (m_total <= 0) return;
    first = std::max(first, 0);
    last = std::min(last, static_cast<int>(m_total) - 1);
    for (int chunk = m_cache.chunkOf(first); first <= last && chunk <= m_cache.chunkOf(last); ++chunk)
        if (!isCurrent(chunk)) want(chunk);
}

bool EntryTableModel::isCurrent(int chunk) const { return m_cache.generationOf(chunk) == m_client->generation(); }

void EntryTableModel::want(int chunk) const
{
    if (!m_open || m_awaitingFirst || m_cancelled || m_inFlight == chunk) return;
    if (auto it = std::find(m_wanted.begin(), m_wanted.end(), chunk); it != m_wanted.end()) m_wanted.erase(it);
    m_wanted.push_back(chunk);
    if (m_wanted.size() > kMaxWanted) m_wanted.pop_front();
    if (!m_flush->isActive()) m_flush->start();
}

void EntryTableModel::issueNext()
{
    if (m_inFlight || m_awaitingFirst || m_cancelled) return;
    const bool was = isLoading();
    while (!m_wanted.empty()) {
        const int chunk = m_wanted.back();
        m_wanted.pop_back();
        if (isCurrent(chunk)) continue;
        m_prefetchAfter = chunk;
        m_lastAsked = chunk;
        issue(chunk);
        return;
    }
    // Idle: read the chunk after the last one asked for, for smooth scrolling.
    if (m_prefetchAfter) {
        const int next = *m_prefetchAfter + 1;
        m_prefetchAfter.reset();
        if (static_cast<qint64>(next) * m_cache.chunkRows() < m_total && !isCurrent(next)) issue(next);
    }
    setLoading(was);
}

void EntryTableModel::issue(int chunk)
{
    m_inFlight = chunk;
    m_inFlightSince.start();
    m_client->requestChunk(m_request, chunk, m_cache.chunkRows());
}

void EntryTableModel::setLoading(bool wasLoading)
{
    if (wasLoading != isLoading()) Q_EMIT loadingChanged(isLoading());
}

std::pair<int, int> EntryTableModel::loadingRows() const
{
    if (!m_inFlight) return {-1, -1};
    const int first = *m_inFlight * m_cache.chunkRows();
    return {first, first + m_cache.chunkRows() - 1};
}

void EntryTableModel::onChunk(const ChunkReply& reply)
{
    const bool was = isLoading();
    if (m_inFlight == reply.chunk) m_inFlight.reset();
    const bool first = m_awaitingFirst;
    m_awaitingFirst = false;
    if (!reply.ok) {
        // A later chunk that fails (the listing shrank under it, a lock) is
        // read again when the view paints it; a first chunk has nothing to show.
        if (first) Q_EMIT loadFailed(reply.error);
        else qCInfo(lcUi) << "chunk" << reply.chunk << "not read:" << reply.error;
        issueNext();
        setLoading(was);
        return;
    }
    if (first) {
        // The first chunk of a new query replaces everything shown.
        beginResetModel();
        m_cache.clear();
        m_total = reply.total;
        m_cache.put(reply.chunk, reply.generation, reply.entries);
        endResetModel();
        Q_EMIT totalChanged(m_total);
    } else {
        applyTotal(reply.total);
        m_cache.put(reply.chunk, reply.generation, reply.entries);
        const int top = reply.chunk * m_cache.chunkRows();
        const int bottom = std::min<qint64>(top + m_cache.chunkRows(), m_total) - 1;
        if (bottom >= top) Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
    }
    Q_EMIT pageLoaded(first);
    issueNext();
    setLoading(was);
}

// Another process added or removed entries: rows come or go at the end,
// and the chunks being read again fill in what moved.
void EntryTableModel::applyTotal(qint64 total)
{
    if (total == m_total) return;
    const qint64 old = std::max<qint64>(m_total, 0);
    if (total > old) {
        beginInsertRows({}, static_cast<int>(old), static_cast<int>(total) - 1);
        m_total = total;
        endInsertRows();
    } else if (total < old) {
        beginRemoveRows({}, static_cast<int>(total), static_cast<int>(old) - 1);
        m_total = total;
        m_cache.truncate(static_cast<int>(total));
        endRemoveRows();
    } else {
        m_total = total;
    }
    Q_EMIT totalChanged(m_total);
}

std::optional<SortColumn> EntryTableModel::engineColumn(int column)
{
    switch (column) {
    case KeyColumn: return SortColumn::Key;
    case SizeColumn: return SortColumn::StoredSize;  // what the column shows
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
    if (*engine == m_request.sort && descending == m_request.descending && m_total >= 0) return;
    m_request.sort = *engine;
    m_request.descending = descending;
    restart();
}

const Entry* EntryTableModel::entryAt(int row) const { return m_cache.at(row); }

int EntryTableModel::rowOfKey(const diskcache::Value& key) const { return m_cache.find(key, m_client->generation()); }

int EntryTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(std::max<qint64>(m_total, 0));
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
        return tr("The bytes of each value, in cache.db or in its file; the tooltip of a cell also gives diskcache's size column");
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

// A row not read yet: it is asked for, and says so meanwhile.
QVariant EntryTableModel::placeholder(int column, int role) const
{
    if (role == Qt::DisplayRole && column == KeyColumn) return m_cancelled ? tr("(not read — scroll or press F5)") : tr("…");
    if (role == Qt::ForegroundRole) return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
    return {};
}

QVariant EntryTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.column() >= ColumnCount || index.row() >= rowCount()) return {};
    const int chunk = m_cache.chunkOf(index.row());
    if (!isCurrent(chunk)) want(chunk);  // stale rows are shown until their new contents come
    const Entry* entry = entryAt(index.row());
    if (!entry) return placeholder(index.column(), role);
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

// EntryTableModel: the entries of one store, loaded lazily page by page with
// the engine's keyset cursors (fetchMore asks for the next page). Sorting and
// filtering are done by the engine: they start a new generation, so a page
// that arrives late for an old query is dropped by the InspectClient.
// Only the pages scrolled to so far are held; the total comes from the engine.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "diskcache/inspect.h"

namespace cachescope {

class InspectClient;
struct PageReply;
struct StoreReply;

class EntryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KeyColumn, TypeColumn, SizeColumn, WhereColumn, TagColumn, StoredColumn, AccessedColumn,
                  AccessCountColumn, ExpiresColumn, ColumnCount };
    enum Role { ExpiredRole = Qt::UserRole + 1, SortKeyRole };

    explicit EntryTableModel(QObject* parent = nullptr);
    ~EntryTableModel() override;

    // Opens `directory` and loads its first page. storeOpened/loadFailed tell the outcome.
    void setStore(const QString& directory);
    QString store() const;
    void setFilter(const diskcache::EntryFilter& filter);
    const diskcache::EntryFilter& filter() const { return m_request.filter; }
    // Reloads the first page of the current query (F5).
    void refresh();
    void setPageSize(std::size_t rows) { m_request.limit = rows; }
    // Rows held at most; scrolling stops there (the count still tells the total).
    static constexpr int kMaxRows = 250000;
    bool reachedRowLimit() const { return static_cast<int>(m_rows.size()) >= kMaxRows && !m_next.empty(); }

    // Entries matching the filter in the whole store (-1 until known).
    qint64 total() const { return m_total; }
    bool isLoading() const { return m_loading; }
    const diskcache::Entry* entryAt(int row) const;
    static std::optional<diskcache::SortColumn> engineColumn(int column);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order) override;

Q_SIGNALS:
    void storeOpened(bool ok, const QString& error, diskcache::StoreKind kind);
    // The pickle protocol the store's keys use (for typed-in keys and tags).
    void pickleProtocolChanged(int protocol);
    // A page of the current query arrived (first: it replaced the rows).
    void pageLoaded(bool first);
    void totalChanged(qint64 total);
    void loadFailed(const QString& error);

private:
    void restart();
    void onStoreOpened(const StoreReply& reply);
    void onPage(const PageReply& reply);
    QVariant display(const diskcache::Entry& entry, int column) const;
    QVariant toolTip(const diskcache::Entry& entry, int column) const;

    InspectClient* m_client;
    diskcache::PageRequest m_request;
    std::vector<diskcache::Entry> m_rows;
    std::string m_next;
    qint64 m_total = -1;
    bool m_loading = false;
    bool m_open = false;
    double m_now = 0;
};

}  // namespace cachescope

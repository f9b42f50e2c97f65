// EntryTableModel: the entries of one store as a lazy table. rowCount() is
// the number of entries under the filter (from the engine); rows are read
// in chunks, on demand, by the model's own worker (InspectClient) and held
// in a bounded RowCache, so showing row 900,000 of a million reads one chunk
// there (the engine seeks to it) and not the 900,000 rows before it.
//
// Requests: the view asks for rows by painting them (data()); the chunks it
// asked for most recently are read first, one at a time, and older wishes
// are dropped. Sorting and filtering start a new generation, so that a late
// answer for an old query is dropped (and the worker stops its query). A
// live refresh (refreshInPlace) keeps what is shown and replaces it chunk by
// chunk as the view asks again.
#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>

#include <deque>
#include <optional>

#include "diskcache/inspect.h"
#include "models/rowcache.h"

class QTimer;

namespace cachescope {

class InspectClient;
struct ChunkReply;
struct StoreReply;

class EntryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KeyColumn, TypeColumn, SizeColumn, WhereColumn, TagColumn, StoredColumn, AccessedColumn,
                  AccessCountColumn, ExpiresColumn, ColumnCount };
    enum Role { ExpiredRole = Qt::UserRole + 1, SortKeyRole };

    explicit EntryTableModel(QObject* parent = nullptr);
    ~EntryTableModel() override;

    // Opens `directory` and loads its first rows. storeOpened/loadFailed tell the outcome.
    void setStore(const QString& directory);
    QString store() const;
    void setFilter(const diskcache::EntryFilter& filter);
    const diskcache::EntryFilter& filter() const { return m_request.filter; }
    // Reads the current query again from its first rows (F5).
    void refresh();
    // Reads the current query again where it is shown, keeping the rows on
    // screen until their new contents arrive (another process changed the cache).
    void refreshInPlace();
    // Stops reading: the rows read so far stay, the others say they were not
    // read until resumeLoading() (the user scrolls) or a new query.
    void cancelLoading();
    void resumeLoading();
    // Asks for the chunks holding rows [first, last] (the view does it by painting).
    void fetchRows(int first, int last);

    // Entries matching the filter in the whole store (-1 until known).
    qint64 total() const { return m_total; }
    bool isLoading() const { return m_awaitingFirst || m_inFlight.has_value(); }
    // The rows being read now, for a progress message; {-1, -1} when none.
    std::pair<int, int> loadingRows() const;
    // The row when it has been read (no request is made), else nullptr.
    const diskcache::Entry* entryAt(int row) const;
    // The row of `key` among the rows read for the current query, or -1.
    int rowOfKey(const diskcache::Value& key) const;
    int chunkRows() const { return m_cache.chunkRows(); }
    // Rows read at a time and chunks held at most; before setStore() (tests use small chunks).
    void setChunking(int rows, int maxChunks) { m_cache = RowCache(rows, maxChunks); }
    int heldChunks() const { return m_cache.heldChunks(); }
    int maxHeldChunks() const { return m_cache.maxChunks(); }
    static std::optional<diskcache::SortColumn> engineColumn(int column);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

Q_SIGNALS:
    void storeOpened(bool ok, const QString& error, diskcache::StoreKind kind);
    // The pickle protocol the store's keys use (for typed-in keys and tags).
    void pickleProtocolChanged(int protocol);
    // A chunk of the current query arrived (first: the first of a new query, which replaced the rows).
    void pageLoaded(bool first);
    void totalChanged(qint64 total);
    void loadingChanged(bool loading);
    void loadFailed(const QString& error);

private:
    void restart();
    void onStoreOpened(const StoreReply& reply);
    void onChunk(const ChunkReply& reply);
    void applyTotal(qint64 total);
    // Marks a chunk as wanted (const: data() asks while painting).
    void want(int chunk) const;
    bool isCurrent(int chunk) const;
    void issueNext();
    void issue(int chunk);
    void setLoading(bool wasLoading);
    QVariant display(const diskcache::Entry& entry, int column) const;
    QVariant toolTip(const diskcache::Entry& entry, int column) const;
    QVariant placeholder(int column, int role) const;

    InspectClient* m_client;
    diskcache::PageRequest m_request;
    RowCache m_cache;
    qint64 m_total = -1;
    bool m_open = false;
    bool m_awaitingFirst = false;  // a new query's first chunk has not come yet
    bool m_cancelled = false;
    double m_now = 0;
    std::optional<int> m_inFlight;
    std::optional<int> m_prefetchAfter;  // read the chunk after this one when idle
    int m_lastAsked = 0;                 // the chunk the view asked for last
    QElapsedTimer m_inFlightSince;
    // Chunks asked for by painting, most recent last; mutable: data() is const.
    mutable std::deque<int> m_wanted;
    QTimer* m_flush;
};

}  // namespace cachescope

// HeldOrder: one unindexed numeric sort of a cache.db (size, stored size,
// and access time or count where no index has them), held in memory as the
// (value, rowid) of every row under one filter, sorted once. Without it
// each page after the first, each count after a bound and each skip makes
// SQLite sort every row again (at 1M entries 190 ms a page by size); with it
// they are a binary search. 16 bytes a row; a source keeps one.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "source.h"

namespace diskcache::inspect_detail {

class HeldOrder {
public:
    // Collects rows one at a time (value of the sort column, rowid); false
    // from add() when a value is not a number SQLite and this order would
    // agree on (text, blob, or an integer beyond 2^53): then none is held.
    class Builder {
    public:
        bool add(const Value& value, std::int64_t rowid);
        HeldOrder finish() &&;

    private:
        std::vector<std::pair<double, std::int64_t>> m_rows;
        std::vector<std::int64_t> m_nullRowids;
    };

    // The listing of `request` (its sort, direction and bound) in one
    // segment (0: value set, 1: NULL, by rowid): up to `limit` keys after
    // the bound, appended to `out`.
    void keysAfter(const FetchRequest& request, int segment, std::size_t limit, std::vector<SortKey>& out) const;
    // How many rows of the segment lie after the bound.
    std::int64_t countAfter(const FetchRequest& request, int segment) const;
    // The key `offset` rows after the bound or, `reversed`, `offset` rows
    // before the end of the segment (never at or before the bound).
    std::optional<SortKey> keyAtOffset(const FetchRequest& request, int segment, std::int64_t offset, bool reversed) const;

private:
    std::size_t size(int segment) const { return segment == 0 ? m_rows.size() : m_nullRowids.size(); }
    // How many of the segment's rows, in listing order, come at or before the bound.
    std::size_t rowsUpToBound(const FetchRequest& request, int segment) const;
    // The segment's i-th row in listing order.
    SortKey keyAt(const FetchRequest& request, int segment, std::size_t i) const;

    std::vector<std::pair<double, std::int64_t>> m_rows;  // (value, rowid), ascending
    std::vector<std::int64_t> m_nullRowids;                 // ascending
};

}  // namespace diskcache::inspect_detail

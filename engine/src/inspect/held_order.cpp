#include "held_order.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace diskcache::inspect_detail {

namespace {

// Integers up to 2^53 are exact as doubles, so comparing doubles is SQLite's
// comparison of those numbers.
constexpr double kExactLimit = 9007199254740992.0;

// Where a bound's value falls among numbers: SQLite orders NULL before
// numbers and text and blobs after them.
double boundValue(const Value& value) {
    switch (value.kind()) {
    case ValueKind::Int: return static_cast<double>(value.asInt());
    case ValueKind::Float: return value.asFloat();
    case ValueKind::None: return -std::numeric_limits<double>::infinity();
    default: return std::numeric_limits<double>::infinity();
    }
}

}  // namespace

bool HeldOrder::Builder::add(const Value& value, std::int64_t rowid) {
    switch (value.kind()) {
    case ValueKind::None: m_nullRowids.push_back(rowid); return true;
    case ValueKind::Int:
        if (std::abs(static_cast<double>(value.asInt())) > kExactLimit) return false;
        m_rows.emplace_back(static_cast<double>(value.asInt()), rowid);
        return true;
    case ValueKind::Float:
        if (std::isnan(value.asFloat())) return false;  // SQLite stores NaN as NULL; never seen here
        m_rows.emplace_back(value.asFloat(), rowid);
        return true;
    default: return false;
    }
}

HeldOrder HeldOrder::Builder::finish() && {
    HeldOrder order;
    std::sort(m_rows.begin(), m_rows.end());
    std::sort(m_nullRowids.begin(), m_nullRowids.end());
    order.m_rows = std::move(m_rows);
    order.m_nullRowids = std::move(m_nullRowids);
    return order;
}

std::size_t HeldOrder::rowsUpToBound(const FetchRequest& request, int segment) const {
    if (!request.after) return 0;
    if (request.after->segment > segment) return size(segment);  // the bound is past this segment
    if (request.after->segment < segment) return 0;
    const SortKey& a = *request.after;
    // Ascending: the rows before the bound are those below it (at it too
    // unless inclusive). Descending lists from the top: those above it.
    std::size_t below, belowOrAt;
    if (segment == 0) {
        const std::pair<double, std::int64_t> bound{boundValue(a.value), a.rowid};
        below = std::lower_bound(m_rows.begin(), m_rows.end(), bound) - m_rows.begin();
        belowOrAt = std::upper_bound(m_rows.begin(), m_rows.end(), bound) - m_rows.begin();
    } else {
        below = std::lower_bound(m_nullRowids.begin(), m_nullRowids.end(), a.rowid) - m_nullRowids.begin();
        belowOrAt = std::upper_bound(m_nullRowids.begin(), m_nullRowids.end(), a.rowid) - m_nullRowids.begin();
    }
    if (!request.descending) return request.inclusive ? below : belowOrAt;
    return size(segment) - (request.inclusive ? belowOrAt : below);
}

SortKey HeldOrder::keyAt(const FetchRequest& request, int segment, std::size_t i) const {
    const std::size_t at = request.descending ? size(segment) - 1 - i : i;
    SortKey key;
    key.segment = segment;
    if (segment == 1) {
        key.rowid = m_nullRowids[at];
        return key;
    }
    const auto& [value, rowid] = m_rows[at];
    // A whole number goes back as the integer it was read as (or an equal one).
    key.value = value == std::trunc(value) && std::abs(value) <= kExactLimit ? Value::integer(static_cast<std::int64_t>(value))
                                                                               : Value::real(value);
    key.rowid = rowid;
    return key;
}

void HeldOrder::keysAfter(const FetchRequest& request, int segment, std::size_t limit, std::vector<SortKey>& out) const {
    const std::size_t first = rowsUpToBound(request, segment), end = std::min(size(segment), first + limit);
    for (std::size_t i = first; i < end; ++i) out.push_back(keyAt(request, segment, i));
}

std::int64_t HeldOrder::countAfter(const FetchRequest& request, int segment) const {
    return static_cast<std::int64_t>(size(segment) - rowsUpToBound(request, segment));
}

std::optional<SortKey> HeldOrder::keyAtOffset(const FetchRequest& request, int segment, std::int64_t offset, bool reversed) const {
    const std::size_t first = rowsUpToBound(request, segment), n = size(segment);
    if (offset < 0 || static_cast<std::size_t>(offset) >= n - first) return std::nullopt;
    return keyAt(request, segment, reversed ? n - 1 - static_cast<std::size_t>(offset) : first + static_cast<std::size_t>(offset));
}

}  // namespace diskcache::inspect_detail

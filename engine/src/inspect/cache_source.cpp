// A Source over one cache.db, read-only. Sorting, filtering and keyset
// paging happen in SQL, but for an unindexed numeric sort that goes past its
// first page, which is held in memory (held_order.h); see source.h for the
// order.
#include <algorithm>
#include <cmath>
#include <set>
#include <system_error>
#include <unordered_map>

#include "../disk.h"
#include "../platform.h"
#include "diskcache/decode.h"
#include "../saturating.h"
#include "held_order.h"
#include "readonly_db.h"
#include "source.h"

namespace fs = std::filesystem;

namespace diskcache::inspect_detail {

namespace {

// The bytes of a row's value column: length() of a blob reads its header
// only; a number counts as 8. Spelled once for the two statements below.
#define CACHESCOPE_VALUE_COLUMN_BYTES \
    "CASE typeof(value) WHEN 'blob' THEN length(value) WHEN 'text' THEN length(CAST(value AS BLOB))" \
    " WHEN 'null' THEN 0 ELSE 8 END"

// Column order of every row query (entryFromRow reads them by position).
constexpr const char* kColumns =
    "SELECT rowid, key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename,"
    " typeof(value), " CACHESCOPE_VALUE_COLUMN_BYTES " FROM Cache";

// The bytes of a row's value wherever it is: the size recorded for its
// file, else its length in cache.db. Never NULL (see segmentClauses).
constexpr const char* kStoredSizeExpression =
    "(CASE WHEN filename IS NULL THEN " CACHESCOPE_VALUE_COLUMN_BYTES " ELSE ifnull(size, 0) END)";
#undef CACHESCOPE_VALUE_COLUMN_BYTES

// What a sort orders by, in SQL: the column, or for StoredSize the expression.
std::string sortExpression(SortColumn sort) {
    return sort == SortColumn::StoredSize ? kStoredSizeExpression : sortColumnName(sort);
}

// SQL text and its parameters, in order (bound as ?1, ?2, ...).
struct SqlBuilder {
    std::string text;
    std::vector<Value> binds;

    SqlBuilder& add(std::string_view clause) {
        text += text.empty() ? " WHERE " : " AND ";
        text += clause;
        return *this;
    }
    std::string param(Value value) {
        binds.push_back(std::move(value));
        return "?" + std::to_string(binds.size());
    }
};

// The smallest byte string greater than every string that starts with
// `prefix`, or nullopt when there is none (all 0xFF).
std::optional<std::string> prefixUpperBound(std::string prefix) {
    while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
    if (prefix.empty()) return std::nullopt;
    prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
    return prefix;
}

// Filters of EntryFilter as SQL. The key range keeps text and bytes apart:
// SQLite orders all text before all blobs, so a range between two texts
// holds only text keys, and likewise for blobs.
void addFilters(SqlBuilder& sql, const EntryFilter& filter, double now) {
    if (filter.keyPrefix) {
        const std::string& p = *filter.keyPrefix;
        const auto upper = prefixUpperBound(p);
        std::string text = "(typeof(key) = 'text' AND key >= " + sql.param(Value::text(p));
        if (upper) text += " AND key < " + sql.param(Value::text(*upper));
        std::string blob = "(typeof(key) = 'blob' AND key >= " + sql.param(Value::bytes(p));
        if (upper) blob += " AND key < " + sql.param(Value::bytes(*upper));
        sql.add("raw = 1 AND (" + text + ") OR " + blob + "))");
    }
    if (filter.keyContains) {
        const std::string& c = *filter.keyContains;
        sql.add("raw = 1 AND ((typeof(key) = 'text' AND instr(key, " + sql.param(Value::text(c)) +
                ") > 0) OR (typeof(key) = 'blob' AND instr(key, " + sql.param(Value::bytes(c)) + ") > 0))");
    }
    if (filter.memoizedFunction) {
        // pickle.dumps(tuple) opens with PROTO (2 bytes), FRAME (9, protocol
        // 4+) and MARK (1, four items or more), then the name as
        // SHORT_BINUNICODE (0x8c, length) or BINUNICODE ('X', 4-byte length).
        // Protocols 2 and 3 write every str as BINUNICODE; 4 and 5 use the
        // short form below 256 bytes. The length in the opcode means a
        // longer name that starts with this one does not match.
        const std::string& name = *filter.memoizedFunction;
        std::string binUnicode = "X";
        for (int i = 0; i < 4; ++i) binUnicode += static_cast<char>((name.size() >> (8 * i)) & 0xFF);
        std::vector<std::string> needles{binUnicode + name};
        if (name.size() < 256) needles.push_back(std::string{static_cast<char>(0x8c), static_cast<char>(name.size())} + name);
        std::string where;
        for (const auto& needle : needles) {
            const std::string param = sql.param(Value::bytes(needle)), length = std::to_string(needle.size());
            for (const char* at : {"3", "4", "12", "13"})  // after PROTO, PROTO MARK, PROTO FRAME, PROTO FRAME MARK
                where += std::string(where.empty() ? "" : " OR ") + "substr(key, " + at + ", " + length + ") = " + param;
        }
        sql.add("raw = 0 AND (" + where + ")");
    }
    if (filter.tag) {
        if (filter.tag->isNone()) sql.add("tag IS NULL");
        else sql.add("tag = " + sql.param(filter.tag->kind() == ValueKind::Pickle ? Value::bytes(filter.tag->data()) : *filter.tag));
    }
    switch (filter.expiry) {
    case EntryFilter::Expiry::Any: break;
    case EntryFilter::Expiry::Expired: sql.add("expire_time IS NOT NULL AND expire_time <= " + sql.param(Value::real(now))); break;
    // The unary + keeps SQLite from a MULTI-INDEX OR over Cache_expire_time,
    // which collects the rowid of nearly every row before reading them (at
    // 1M entries: count 3.1 s, first page by size 17.8 s; with + a covering
    // index scan, 0.28 s, and a table scan, 2.0 s). tests/bench, --inspect.
    case EntryFilter::Expiry::Live: sql.add("(+expire_time IS NULL OR +expire_time > " + sql.param(Value::real(now)) + ")"); break;
    }
    switch (filter.storage) {
    case EntryFilter::Storage::Any: break;
    case EntryFilter::Storage::InFile: sql.add("filename IS NOT NULL"); break;
    case EntryFilter::Storage::InDatabase: sql.add("filename IS NULL"); break;
    }
}

Value storedKeyValue(const Value& key) {
    return key.kind() == ValueKind::Pickle ? Value::bytes(key.data()) : key;
}

const char* keyTypeName(const Value& key) {
    switch (key.kind()) {
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::Text: return "str";
    case ValueKind::Bytes: return "bytes";
    case ValueKind::Pickle: return "pickle";
    case ValueKind::None: return "NoneType";
    }
    return "?";
}

const char* typeofName(const std::string& sqlType) {
    if (sqlType == "integer") return "int";
    if (sqlType == "real") return "float";
    if (sqlType == "text") return "str";
    if (sqlType == "blob") return "bytes";
    return "NoneType";
}

class CacheSource final : public Source {
public:
    CacheSource(fs::path directory, std::optional<std::string> shard, std::unique_ptr<ReadOnlyDb> db)
        : m_directory(std::move(directory)), m_shard(std::move(shard)), m_db(std::move(db)), m_disk(m_directory) {}

    Status load() {
        auto q = m_db->select("SELECT key, value FROM Settings");
        if (!q) return q.status();
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            m_rows.emplace_back(q->columnText(0), q->columnValue(1));
        }
        m_settings = settingsFromRows(m_rows);
        // The first column of each index on Cache: a sort on one walks it.
        auto indexed = m_db->select("SELECT ii.name FROM pragma_index_list('Cache') AS il, pragma_index_info(il.name) AS ii"
                                    " WHERE ii.seqno = 0");
        if (!indexed) return indexed.status();
        for (auto row = indexed->step(); ; row = indexed->step()) {
            if (!row) return row.status();
            if (!*row) break;
            m_indexedColumns.insert(indexed->columnText(0));
        }
        return Status::ok();
    }

    Result<std::vector<SourceRow>> fetch(const FetchRequest& request) override {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        std::vector<SourceRow> rows;
        const int startSegment = request.after ? request.after->segment : 0;
        if (startSegment == 0) DISKCACHE_TRY(fetchSegment(request, 0, rows));
        if (rows.size() < request.limit) DISKCACHE_TRY(fetchSegment(request, 1, rows));
        return rows;
    }

    // list() asks for the total with every page; at 1M entries a filter
    // without an index costs a scan (70-140 ms) each time. The last count is
    // kept while nothing can have changed it: the same filter, no commit by
    // another connection (PRAGMA data_version, read before counting, so a
    // commit during the count makes the next call count again), and, when
    // the filter looks at expiry, no row whose expire_time lies between the
    // clock it was counted at and this one (Cache_expire_time answers that).
    Result<std::int64_t> count(const EntryFilter& filter, double now) override {
        auto version = changeToken();
        if (!version) return version.status();
        const ReadState state{filter, now, *version};
        if (m_lastCount) {
            auto holds = stillHolds(m_lastCount->state, state);
            if (!holds) return holds.status();
            if (*holds) return m_lastCount->count;
        }
        auto counted = countRows(filter, now);
        if (!counted) return counted.status();
        m_lastCount = CountMemo{state, *counted};
        return *counted;
    }

    Result<std::int64_t> countRows(const EntryFilter& filter, double now) {
        SqlBuilder sql;
        addFilters(sql, filter, now);
        auto q = prepare("SELECT count(*) FROM Cache" + sql.text, sql.binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        return *row ? q->columnInt(0) : 0;
    }

    Result<std::optional<Entry>> find(const Value& key) override {
        if (key.isNone()) return std::optional<Entry>();
        const std::vector<Value> binds{storedKeyValue(key), Value::integer(key.kind() == ValueKind::Pickle ? 0 : 1)};
        auto q = prepare(std::string(kColumns) + " WHERE key = ?1 AND raw = ?2", binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) return std::optional<Entry>();
        Entry entry = entryFromRow(*q, unixNowSeconds());
        describe(entry);
        return std::optional<Entry>(std::move(entry));
    }

    void describe(Entry& entry) override {
        if (entry.filename && entry.mode != StoreMode::Raw) {
            auto size = m_disk.fileSize(*entry.filename);
            entry.storedLength = size ? *size : -1;
        }
        if (entry.mode != StoreMode::Pickle) return;
        auto data = readStoredBytes(entry);
        entry.valueType = data ? pickleTypeName(*data) : "?";
    }

    Result<Value> readValue(const Entry& entry) override {
        switch (entry.mode) {
        case StoreMode::Binary:
        case StoreMode::Text: {
            if (!entry.filename) return Status::corrupt("a value kept in a file has no filename");
            auto data = entry.mode == StoreMode::Text ? m_disk.readText(*entry.filename) : m_disk.readBytes(*entry.filename);
            if (!data) return data.status();
            return entry.mode == StoreMode::Text ? Value::text(std::move(*data)) : Value::bytes(std::move(*data));
        }
        case StoreMode::Pickle: {
            auto data = readStoredBytes(entry);
            if (!data) return data.status();
            return Value::pickle(std::move(*data));
        }
        case StoreMode::Raw:
        case StoreMode::None: return columnValue(entry.rowid);
        }
        return Status::corrupt("unknown value mode");
    }

    Result<std::string> readStoredBytes(const Entry& entry) override {
        if (entry.filename && entry.mode != StoreMode::Raw) return m_disk.readBytes(*entry.filename);
        auto value = columnValue(entry.rowid);
        if (!value) return value.status();
        switch (value->kind()) {
        case ValueKind::Int: return std::to_string(value->asInt());
        case ValueKind::Float: return inspect::pythonRepr(*value);
        default: return value->data();
        }
    }

    Result<Summary> summary() override {
        Summary s;
        s.directory = m_directory;
        for (const auto& [name, value] : m_rows) {
            const std::int64_t n = value.kind() == ValueKind::Int ? value.asInt() : 0;
            if (name == "count") s.count = n;
            else if (name == "size") s.size = n;
            else if (name == "hits") s.hits = n;
            else if (name == "misses") s.misses = n;
            else s.settings.emplace_back(name, value);
        }
        // Counters move while a writer works: read them fresh.
        for (const char* name : {"count", "size", "hits", "misses"}) {
            auto v = m_db->scalar(std::string("SELECT value FROM Settings WHERE key = '") + name + "'");
            if (!v) return v.status();
            const std::int64_t n = v->kind() == ValueKind::Int ? v->asInt() : 0;
            if (name == std::string("count")) s.count = n;
            else if (name == std::string("size")) s.size = n;
            else if (name == std::string("hits")) s.hits = n;
            else s.misses = n;
        }
        auto pages = m_db->scalar("PRAGMA page_count");
        if (!pages) return pages.status();
        auto pageSize = m_db->scalar("PRAGMA page_size");
        if (!pageSize) return pageSize.status();
        s.volume = saturatingAdd(saturatingMultiply(pages->asInt(), pageSize->asInt()), s.size);
        return s;
    }

    Result<std::int64_t> estimateCull() override;

    int pickleProtocol() const override { return static_cast<int>(m_settings.diskPickleProtocol); }

    Status scan(double now, const RowVisitor& visit) override;
    Status scanMemoizedKeys(double now, const RowVisitor& visit) override;
    Result<SpaceLedger> space(const ProgressFn& progress) override;

    const char* cullColumn() const override {
        switch (m_settings.evictionPolicy) {
        case EvictionPolicy::LeastRecentlyStored: return "store_time";
        case EvictionPolicy::LeastRecentlyUsed: return "access_time";
        case EvictionPolicy::LeastFrequentlyUsed: return "access_count";
        case EvictionPolicy::None: return nullptr;
        }
        return nullptr;
    }

    std::optional<int> jsonDiskLevel() const override {
        if (!m_settings.diskCompressLevel) return std::nullopt;
        return static_cast<int>(*m_settings.diskCompressLevel);
    }

private:
    static double unixNowSeconds() {
        using namespace std::chrono;
        return duration<double>(system_clock::now().time_since_epoch()).count();
    }

    // The query binds text and blobs without copying them (sqlite.h), so the
    // values must outlive it: callers pass a named vector, never a temporary.
    Result<sql::Query> prepare(const std::string& text, const std::vector<Value>& binds) {
        auto q = m_db->select(text);
        if (!q) return q.status();
        for (std::size_t i = 0; i < binds.size(); ++i) q->bind(static_cast<int>(i + 1), binds[i]);
        return q;
    }
    Result<sql::Query> prepare(const std::string& text, std::vector<Value>&& binds) = delete;

    Result<Value> columnValue(std::int64_t rowid) {
        const std::vector<Value> binds{Value::integer(rowid)};
        auto q = prepare("SELECT value FROM Cache WHERE rowid = ?1", binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) return Status::notFound("the entry was removed meanwhile");
        return q->columnValue(0);
    }

    // Whether the expiry filter selects the same rows at `then` as at `now`.
    Result<bool> expiryUnchanged(const EntryFilter& filter, double then, double now) {
        if (filter.expiry == EntryFilter::Expiry::Any || then == now) return true;
        const std::vector<Value> binds{Value::real(std::min(then, now)), Value::real(std::max(then, now))};
        auto q = prepare("SELECT 1 FROM Cache WHERE expire_time > ?1 AND expire_time <= ?2 LIMIT 1", binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        return !*row;
    }

    // What a memo of a read (count(), heldOrder()) was made from: the
    // filter, the clock of its expiry test, and PRAGMA data_version.
    struct ReadState {
        EntryFilter filter;
        double now = 0;
        std::uint64_t version = 0;
    };

    // Whether what was read in `then` still answers a read in `now`: the
    // same filter, no commit by another connection in between, and no row
    // whose expiry lies between the two clocks when the filter looks at it.
    Result<bool> stillHolds(const ReadState& then, const ReadState& now) {
        if (then.version != now.version || !sameFilter(then.filter, now.filter)) return false;
        return expiryUnchanged(now.filter, then.now, now.now);
    }

    static bool sameFilter(const EntryFilter& a, const EntryFilter& b) {
        return a.keyPrefix == b.keyPrefix && a.keyContains == b.keyContains && a.tag == b.tag &&
               a.memoizedFunction == b.memoizedFunction && a.expiry == b.expiry && a.storage == b.storage;
    }

    Entry entryFromRow(const sql::Query& q, double now) const {
        Entry e;
        e.rowid = q.columnInt(0);
        const Value key = q.columnValue(1);
        const bool raw = q.columnInt(2) != 0;
        e.key = raw ? key : Value::pickle(key.data());
        e.keyType = keyTypeName(e.key);
        auto optDouble = [&q](int c) { return q.isNull(c) ? std::optional<double>() : q.columnDouble(c); };
        e.storeTime = optDouble(3);
        e.expireTime = optDouble(4);
        e.accessTime = optDouble(5);
        if (!q.isNull(6)) e.accessCount = q.columnInt(6);
        e.tag = q.columnValue(7);
        e.size = q.columnInt(8);
        e.mode = static_cast<StoreMode>(std::clamp<std::int64_t>(q.columnInt(9), 0, 4));
        if (!q.isNull(10)) e.filename = q.columnText(10);
        e.storedLength = q.columnInt(12);
        e.expired = e.expireTime && *e.expireTime <= now;
        e.shard = m_shard;
        if (m_settings.diskCompressLevel && e.key.kind() == ValueKind::Bytes) {
            // JSONDisk keys are small; a key that does not inflate to UTF-8
            // (written by another Disk) keeps its bytes repr.
            if (auto json = decode::inflateBounded(e.key.data(), 1 << 20); json && decode::isUtf8(*json)) e.keyJson = std::move(*json);
        }
        switch (e.mode) {
        case StoreMode::Raw: e.valueType = typeofName(q.columnText(11)); break;
        case StoreMode::Binary: e.valueType = "bytes"; break;
        case StoreMode::Text: e.valueType = "str"; break;
        case StoreMode::None: e.valueType = "NoneType"; break;
        case StoreMode::Pickle: e.valueType = "?"; break;  // describe() decodes it
        }
        return e;
    }

    // The WHERE of one segment of a sorted listing after the request's bound
    // (added to `sql`), and its ORDER BY; `reversed` turns only the ORDER BY
    // round (the same rows, last first).
    std::string segmentClauses(const FetchRequest& request, int segment, SqlBuilder& sql, bool reversed = false) const {
        const std::string column = sortExpression(request.sort);
        const bool isKey = request.sort == SortColumn::Key;
        // A listing is the rows with the sort value, then those without. The
        // stored size is never NULL: testing it would compute it twice a row
        // (at 1M entries 0.23 s instead of 0.17 s), and its second segment
        // is empty ("0" is a constant SQLite answers before any scan).
        if (request.sort == SortColumn::StoredSize) {
            if (segment == 1) sql.add("0");
        } else {
            sql.add(column + (segment == 0 ? " IS NOT NULL" : " IS NULL"));
        }
        addFilters(sql, *request.filter, request.now);
        const char* dir = request.descending != reversed ? " DESC" : "";
        std::string order;
        if (segment == 1) order = std::string("rowid") + dir;
        else if (isKey) order = std::string("key") + dir + ", raw" + dir + ", rowid" + dir;
        else order = column + dir + ", rowid" + dir;
        if (request.after && request.after->segment == segment) {
            const SortKey& a = *request.after;
            std::string op = request.descending ? "<" : ">";
            if (request.inclusive) op += "=";
            if (segment == 1) sql.add("rowid " + op + " " + sql.param(Value::integer(a.rowid)));
            else if (isKey)
                sql.add("(key, raw, rowid) " + op + " (" + sql.param(a.value) + ", " + sql.param(Value::integer(a.raw)) + ", " +
                        sql.param(Value::integer(a.rowid)) + ")");
            else
                sql.add("(" + column + ", rowid) " + op + " (" + sql.param(a.value) + ", " +
                        sql.param(Value::integer(a.rowid)) + ")");
        }
        return order;
    }

    // Two passes. The ordering pass selects only the sort key, so the
    // top-N sorter SQLite runs over an unindexed column carries three values
    // per row rather than every output column of kColumns (at 1M entries,
    // access_time desc: 0.9 s with whole rows, 0.25 s with keys; every row
    // enters the sorter when the column grows with rowid). The page's rows
    // are then read by rowid in the same read transaction (fetch's Snapshot).
    Status fetchSegment(const FetchRequest& request, int segment, std::vector<SourceRow>& rows) {
        const std::size_t want = request.limit - rows.size();
        std::vector<SortKey> keys;
        DISKCACHE_TRY(segmentKeys(request, segment, want, keys));
        if (keys.empty()) return Status::ok();
        std::vector<Value> binds;
        std::string text = std::string(kColumns) + " WHERE rowid IN (";
        for (const SortKey& key : keys) {
            binds.push_back(Value::integer(key.rowid));
            text += (binds.size() == 1 ? "?" : ", ?") + std::to_string(binds.size());
        }
        text += ")";
        auto q = prepare(text, binds);
        if (!q) return q.status();
        std::unordered_map<std::int64_t, Entry> byRowid;
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            Entry entry = entryFromRow(*q, request.now);
            byRowid.emplace(entry.rowid, std::move(entry));
        }
        for (SortKey& key : keys) {
            auto found = byRowid.find(key.rowid);
            if (found == byRowid.end()) return Status::corrupt("a row vanished inside a read transaction");
            rows.push_back({std::move(found->second), std::move(key)});
        }
        return Status::ok();
    }

    // Up to `limit` sort keys of one segment after the request's bound, in order.
    Status segmentKeys(const FetchRequest& request, int segment, std::size_t limit, std::vector<SortKey>& out) {
        // A first page is one top-N pass either way; a later one is where holding the order pays.
        auto held = heldOrder(request, request.after.has_value());
        if (!held) return held.status();
        if (*held) {
            (*held)->keysAfter(request, segment, limit, out);
            return Status::ok();
        }
        SqlBuilder sql;
        const std::string order = segmentClauses(request, segment, sql);
        const std::string text = keySelect(request.sort) + sql.text + " ORDER BY " + order + " LIMIT " +
                                 sql.param(Value::integer(static_cast<std::int64_t>(limit)));
        auto q = prepare(text, sql.binds);
        if (!q) return q.status();
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            out.push_back(keyFromRow(*q, segment, request.sort));
        }
        return Status::ok();
    }

public:
    // ---- seek.cpp's helpers: sort keys only, no rows built -----------------
    Result<std::vector<SortKey>> keys(const FetchRequest& request) override {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        std::vector<SortKey> out;
        const int startSegment = request.after ? request.after->segment : 0;
        for (int segment = startSegment; segment < 2 && out.size() < request.limit; ++segment)
            DISKCACHE_TRY(segmentKeys(request, segment, request.limit - out.size(), out));
        return out;
    }

    // The n-th row after the bound, found by OFFSET inside SQLite: it walks
    // the sort's index (or sorts once) without building a row per step. Far
    // into an unindexed order, OFFSET makes SQLite sort every row; counted
    // from the other end the same row is a short top-N sort (at 1M rows the
    // last row by stored_size: 1.0 s -> 0.3 s), so the second half is
    // reached from the end, segment by segment.
    Result<Skip> skip(const FetchRequest& request, std::int64_t n) override {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        const int startSegment = request.after ? request.after->segment : 0;
        constexpr std::int64_t kNearTheBound = 4096;  // so close that counting first would cost more
        std::optional<std::int64_t> counts[2];
        if (n > kNearTheBound) {
            for (int segment = startSegment; segment < 2; ++segment) {
                auto counted = countSegment(request, segment);
                if (!counted) return counted.status();
                counts[segment] = *counted;
            }
            const std::int64_t total = counts[0].value_or(0) + *counts[1];
            if (n > total) return Skip{std::nullopt, total};
            if (n > total / 2) {
                std::int64_t fromEnd = total - n;  // rows after the wanted one
                for (int segment = 1; segment >= startSegment; --segment) {
                    if (fromEnd >= *counts[segment]) {
                        fromEnd -= *counts[segment];
                        continue;
                    }
                    auto key = keyAtOffset(request, segment, fromEnd, true);
                    if (!key) return key.status();
                    if (!*key) return Status::corrupt("a row vanished inside a read transaction");
                    return Skip{std::move(*key), 0};
                }
            }
        }
        Skip result;
        for (int segment = startSegment; segment < 2; ++segment) {
            auto key = keyAtOffset(request, segment, n - result.available - 1, false);
            if (!key) return key.status();
            if (*key) {
                result.key = std::move(*key);
                return result;
            }
            // Fewer rows in this segment than asked: count them (unless that was done above) and go on.
            if (!counts[segment]) {
                auto counted = countSegment(request, segment);
                if (!counted) return counted.status();
                counts[segment] = *counted;
            }
            result.available += *counts[segment];
        }
        return result;
    }

    void setCancelCheck(const std::function<bool()>* check) override { m_db->setCancelCheck(check); }

    Result<std::uint64_t> changeToken() override {
        auto version = m_db->scalar("PRAGMA data_version");
        if (!version) return version.status();
        return static_cast<std::uint64_t>(version->asInt());
    }

private:
    // The sort key `offset` rows into one segment after the request's bound,
    // in the listing's order or, `reversed`, from its end; none past the end.
    Result<std::optional<SortKey>> keyAtOffset(const FetchRequest& request, int segment, std::int64_t offset, bool reversed) {
        auto held = heldOrder(request, true);
        if (!held) return held.status();
        if (*held) return (*held)->keyAtOffset(request, segment, offset, reversed);
        SqlBuilder sql;
        const std::string order = segmentClauses(request, segment, sql, reversed);
        auto q = prepare(keySelect(request.sort) + sql.text + " ORDER BY " + order + " LIMIT 1 OFFSET " +
                             sql.param(Value::integer(offset)),
                         sql.binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) return std::optional<SortKey>();
        return std::optional<SortKey>(keyFromRow(*q, segment, request.sort));
    }

    // How many rows of one segment lie after the request's bound.
    Result<std::int64_t> countSegment(const FetchRequest& request, int segment) {
        // Without a bound, the stored size's segments are all rows under the
        // filter and none: count() may know that number already.
        if (request.sort == SortColumn::StoredSize && !request.after)
            return segment == 1 ? Result<std::int64_t>(0) : count(*request.filter, request.now);
        auto held = heldOrder(request, true);
        if (!held) return held.status();
        if (*held) return (*held)->countAfter(request, segment);
        SqlBuilder sql;
        (void)segmentClauses(request, segment, sql);
        auto q = prepare("SELECT count(*) FROM Cache" + sql.text, sql.binds);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        return *row ? q->columnInt(0) : 0;
    }

    // The held order of the request's sort and filter (held_order.h), made
    // when `build` and none is held for this state of the database; nullptr
    // when the sort has an index, the column holds other than numbers, or
    // none is held and `build` is false. Called inside the fetch's snapshot.
    Result<const HeldOrder*> heldOrder(const FetchRequest& request, bool build) {
        const bool holdable = request.sort == SortColumn::Size || request.sort == SortColumn::StoredSize ||
                              ((request.sort == SortColumn::AccessTime || request.sort == SortColumn::AccessCount) &&
                               !m_indexedColumns.count(sortColumnName(request.sort)));
        if (!holdable) return nullptr;
        auto version = changeToken();
        if (!version) return version.status();
        const ReadState state{*request.filter, request.now, *version};
        if (m_held && m_held->sort == request.sort) {
            auto holds = stillHolds(m_held->state, state);
            if (!holds) return holds.status();
            if (*holds) return m_held->order ? &*m_held->order : nullptr;
        }
        if (!build) return nullptr;
        m_held.reset();  // the old one goes before the new one is read
        SqlBuilder sql;
        addFilters(sql, *request.filter, request.now);
        auto q = prepare("SELECT " + sortExpression(request.sort) + ", rowid FROM Cache" + sql.text, sql.binds);
        if (!q) return q.status();
        HeldOrder::Builder builder;
        bool numbers = true;
        for (auto row = q->step(); numbers; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            numbers = builder.add(q->columnValue(0), q->columnInt(1));
        }
        m_held = HeldMemo{state, request.sort,
                          numbers ? std::optional<HeldOrder>(std::move(builder).finish()) : std::nullopt};
        return m_held->order ? &*m_held->order : nullptr;
    }

    // raw matters only in a key sort; elsewhere a constant keeps the
    // store_time and expire_time indexes covering (no table lookup per row).
    static std::string keySelect(SortColumn sort) {
        return "SELECT " + sortExpression(sort) + (sort == SortColumn::Key ? ", raw" : ", 0") + ", rowid FROM Cache";
    }

    // As fetchSegment fills SourceRow::key: raw counts only in a key sort.
    static SortKey keyFromRow(const sql::Query& q, int segment, SortColumn sort) {
        SortKey key;
        key.segment = segment;
        if (segment == 0) key.value = q.columnValue(0);
        key.raw = sort == SortColumn::Key ? q.columnInt(1) : 0;
        key.rowid = q.columnInt(2);
        return key;
    }

    fs::path m_directory;
    std::optional<std::string> m_shard;
    std::unique_ptr<ReadOnlyDb> m_db;
    Disk m_disk;
    std::vector<SettingRow> m_rows;
    Settings m_settings;
    struct CountMemo {
        ReadState state;
        std::int64_t count = 0;
    };
    std::optional<CountMemo> m_lastCount;  // see count()
    std::set<std::string> m_indexedColumns;  // see load()
    struct HeldMemo {
        ReadState state;
        SortColumn sort;
        std::optional<HeldOrder> order;  // none: the column holds other than numbers
    };
    std::optional<HeldMemo> m_held;  // see heldOrder()
};

// cull() as the library runs it (FORMAT.md, "Maintenance"), counted instead
// of done: expired rows first, then rows in policy order, 10 at a time,
// while the volume stays above size_limit.
Result<std::int64_t> CacheSource::estimateCull() {
    ReadOnlyDb::Snapshot snapshot(*m_db);
    const double now = unixNowSeconds();
    // What a removed row frees: its file, or about its bytes in the database.
    const std::string freed =
        "size + COALESCE(length(CAST(key AS BLOB)), 0) + COALESCE(length(CAST(value AS BLOB)), 0)";
    const std::vector<Value> binds{Value::real(now)};
    auto expired = prepare("SELECT count(*), COALESCE(sum(" + freed + "), 0) FROM Cache WHERE expire_time > 0 AND expire_time < ?1",
                           binds);
    if (!expired) return expired.status();
    auto row = expired->step();
    if (!row) return row.status();
    std::int64_t removed = expired->columnInt(0);
    const std::int64_t freedByExpiry = expired->columnInt(1);
    const char* column = m_settings.evictionPolicy == EvictionPolicy::LeastRecentlyStored ? "store_time"
                         : m_settings.evictionPolicy == EvictionPolicy::LeastRecentlyUsed ? "access_time"
                         : m_settings.evictionPolicy == EvictionPolicy::LeastFrequentlyUsed ? "access_count"
                                                                                              : nullptr;
    if (!column) return removed;
    auto s = summary();
    if (!s) return s.status();
    std::int64_t volume = saturatingSubtract(s->volume, freedByExpiry);
    if (volume <= m_settings.sizeLimit) return removed;
    // Rows that never expire have expire_time NULL, which NOT (...) alone would drop.
    auto q = prepare("SELECT " + freed + " FROM Cache WHERE expire_time IS NULL OR NOT (expire_time > 0 AND expire_time < ?1)"
                     " ORDER BY " + column,
                     binds);
    if (!q) return q.status();
    std::int64_t inBatch = 0;
    for (auto r = q->step(); ; r = q->step()) {
        if (!r) return r.status();
        if (!*r) break;
        volume = saturatingSubtract(volume, q->columnInt(0));
        ++removed;
        if (++inBatch == 10) {
            inBatch = 0;
            if (volume <= m_settings.sizeLimit) break;
        }
    }
    return removed;
}

// Rows in rowid order, kScanBatch per read transaction: a writer's
// checkpoint waits at most one batch, and a cancel is seen between batches.
Status CacheSource::scan(double now, const RowVisitor& visit) {
    constexpr std::int64_t kScanBatch = 5000;
    // kColumns plus column 13: the first two bytes of a pickle kept in the
    // database, which tell its protocol (PROTO n).
    std::string text = kColumns;
    text.insert(text.rfind(" FROM Cache"), ", CASE WHEN mode = 4 AND filename IS NULL THEN substr(value, 1, 2) END");
    text += " WHERE rowid > ?1 ORDER BY rowid LIMIT " + std::to_string(kScanBatch);
    std::int64_t last = 0;
    for (;;) {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        std::vector<Value> binds{Value::integer(last)};
        auto q = prepare(text, binds);
        if (!q) return q.status();
        std::int64_t rows = 0;
        for (auto row = q->step();; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            ++rows;
            Entry entry = entryFromRow(*q, now);
            last = entry.rowid;
            std::string head;
            if (entry.mode == StoreMode::Pickle) head = entry.filename ? m_disk.readBytes(*entry.filename, 2).valueOr({}) : q->columnValue(13).data();
            if (!visit(entry, head)) return Status::cancelled("stopped");
        }
        if (rows < kScanBatch) return Status::ok();
    }
}

// A pickled key is a blob with raw = 0, and SQLite orders every blob after
// every other type, so the rows are one range of Cache_key_raw, from x'',
// walked in key order (unique among raw = 0 rows), kScanBatch keys per read
// transaction.
// Most pickled keys are plain tuples: whether one is a memoized call is
// decided from the key alone, which the (key, raw) index holds, so only the
// rows of memoized keys are read from the table. At 1M entries with 70,000
// pickled keys and no memoized ones, that is the difference between 70,000
// random table reads and none.
Status CacheSource::scanMemoizedKeys(double now, const RowVisitor& visit) {
    constexpr std::int64_t kScanBatch = 5000;
    // key >= x'' keeps to the blobs: SQLite orders NULL, numbers, text, blob.
    const std::string tail = " AND raw = 0 ORDER BY key LIMIT " + std::to_string(kScanBatch);
    const std::string first = "SELECT rowid, key FROM Cache WHERE key >= x''" + tail;
    const std::string next = "SELECT rowid, key FROM Cache WHERE key > ?1" + tail;
    std::optional<Value> last;
    for (;;) {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        std::vector<Value> binds;
        if (last) binds.push_back(*last);
        auto keys = prepare(last ? next : first, binds);
        if (!keys) return keys.status();
        std::int64_t rows = 0;
        std::string memoizedRowids;
        for (auto row = keys->step();; row = keys->step()) {
            if (!row) return row.status();
            if (!*row) break;
            ++rows;
            const std::string_view key = keys->columnBytes(1);
            if (keys->columnType(1) == SQLITE_BLOB && inspect::memoizedFunction(key)) {
                if (!memoizedRowids.empty()) memoizedRowids += ',';
                memoizedRowids += std::to_string(keys->columnInt(0));
            }
            if (rows == kScanBatch) last = Value::bytes(std::string(key));
        }
        if (!memoizedRowids.empty()) {
            auto q = m_db->select(std::string(kColumns) + " WHERE rowid IN (" + memoizedRowids + ")");
            if (!q) return q.status();
            for (auto row = q->step();; row = q->step()) {
                if (!row) return row.status();
                if (!*row) break;
                if (!visit(entryFromRow(*q, now), {})) return Status::cancelled("stopped");
            }
        }
        if (rows < kScanBatch) return Status::ok();
    }
}

Result<SpaceLedger> CacheSource::space(const ProgressFn& progress) {
    SpaceLedger ledger;
    std::error_code ec;
    auto fileSize = [&ec](const fs::path& path) -> std::int64_t {
        const auto size = fs::file_size(path, ec);
        return ec ? 0 : static_cast<std::int64_t>(size);
    };
    ledger.databaseBytes = fileSize(m_directory / "cache.db");
    // The -wal/-shm that our own reader made are not the cache's: they go
    // when the Inspector closes.
    if (!sql::readersMadeWal(platform::toUtf8(m_directory / "cache.db"))) {
        ledger.walBytes = fileSize(m_directory / "cache.db-wal");
        ledger.shmBytes = fileSize(m_directory / "cache.db-shm");
    }

    // The files rows name, as normalised full paths; unsafe names are not
    // the cache's files and are left for check() to report.
    std::set<fs::path> named;
    {
        ReadOnlyDb::Snapshot snapshot(*m_db);
        auto q = m_db->select("SELECT filename, size FROM Cache WHERE filename IS NOT NULL");
        if (!q) return q.status();
        std::int64_t seen = 0;
        for (auto row = q->step();; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            auto path = m_disk.resolve(q->columnText(0));
            if (!path) continue;
            named.insert(path->lexically_normal());
            if (++seen % 5000 == 0 && progress && !progress(seen)) return Status::cancelled("stopped");
        }
        auto total = m_db->scalar("SELECT COALESCE(sum(size), 0) FROM Cache");
        if (!total) return total.status();
        ledger.rowSizeTotal = total->asInt();
        auto recorded = m_db->scalar("SELECT value FROM Settings WHERE key = 'size'");
        if (!recorded) return recorded.status();
        ledger.recordedSize = recorded->kind() == ValueKind::Int ? recorded->asInt() : 0;
    }
    std::int64_t found = 0;
    DISKCACHE_TRY(walkTree(m_directory, [&](const fs::path& path, bool isDirectory, int depth) {
        if (isDirectory) {
            if (fs::is_empty(path, ec) && !ec) ++ledger.emptyDirectories;
            return;
        }
        if (depth == 0 && path.filename().string().rfind("cache.db", 0) == 0) return;
        const std::int64_t size = fileSize(path);
        if (named.count(path.lexically_normal())) {
            ++found;
            ledger.valueFileBytes += size;
            return;
        }
        ++ledger.orphanFiles;
        ledger.orphanBytes += size;
        if (ledger.orphanExamples.size() < 20) ledger.orphanExamples.push_back(path.string());
    }));
    ledger.valueFiles = found;
    ledger.missingFiles = static_cast<std::int64_t>(named.size()) - found;
    return ledger;
}

}  // namespace

Result<std::unique_ptr<Source>> openCacheSource(const fs::path& directory, std::optional<std::string> shard) {
    auto db = ReadOnlyDb::open(directory);
    if (!db) return db.status();
    auto source = std::make_unique<CacheSource>(directory, std::move(shard), std::move(*db));
    DISKCACHE_TRY(source->load());
    return std::unique_ptr<Source>(std::move(source));
}

Result<CacheTraits> readCacheTraits(const fs::path& directory) {
    auto db = ReadOnlyDb::open(directory);
    if (!db) return db.status();
    CacheTraits traits;
    auto policy = (*db)->scalar("SELECT value FROM Settings WHERE key = 'eviction_policy'");
    if (!policy) return policy.status();
    if (policy->kind() == ValueKind::Text) {
        if (auto parsed = parseEvictionPolicy(policy->data())) traits.policy = *parsed;
    }
    // Queue keys are raw ints near 500000000000000 (FORMAT.md, "Queues").
    // Ints sort before every other key, so the first and last keys decide.
    auto isQueueKey = [&](const char* sql) -> Result<std::optional<bool>> {
        auto q = (*db)->select(sql);
        if (!q) return q.status();
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) return std::optional<bool>();
        const bool ok = q->columnType(0) == SQLITE_INTEGER && q->columnInt(1) == 1 &&
                        std::llabs(q->columnInt(0) - 500000000000000LL) < 100000000000000LL;
        return std::optional<bool>(ok);
    };
    auto first = isQueueKey("SELECT key, raw FROM Cache ORDER BY key, raw LIMIT 1");
    if (!first) return first.status();
    auto last = isQueueKey("SELECT key, raw FROM Cache ORDER BY key DESC, raw DESC LIMIT 1");
    if (!last) return last.status();
    traits.empty = !first->has_value();
    traits.queueKeysOnly = !traits.empty && **first && last->value_or(false);
    return traits;
}

const char* rawTypeName(const Value& value) {
    switch (value.kind()) {
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::Text: return "str";
    case ValueKind::Bytes: return "bytes";
    case ValueKind::None: return "NoneType";
    case ValueKind::Pickle: return "pickle";
    }
    return "?";
}

}  // namespace diskcache::inspect_detail

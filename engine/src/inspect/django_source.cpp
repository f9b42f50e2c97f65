// A Source over Django's FileBasedCache folder (FORMAT.md, "Django's own
// file-based cache"): <md5>.djcache files, each a pickled expiry followed by
// the zlib-compressed pickle of the value. Keys cannot be recovered; an
// entry's key is its file's md5 name. The folder is small by design
// (Django culls at max_entries), so rows are listed, sorted and filtered in
// memory.
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <fstream>
#include <system_error>

#include "source.h"

namespace fs = std::filesystem;

namespace diskcache::inspect_detail {

namespace {

struct ExpiryHeader {
    std::optional<double> expiry;
    std::size_t length = 0;  // bytes up to and including STOP
};

// Reads the leading pickle of a float or None (Django writes
// pickle.dumps(expiry, HIGHEST_PROTOCOL)); only the opcodes such a pickle
// uses are accepted.
std::optional<ExpiryHeader> parseExpiry(std::string_view data) {
    ExpiryHeader header;
    std::size_t i = 0;
    auto need = [&](std::size_t n) { return i + n <= data.size(); };
    auto byte = [&](std::size_t at) { return static_cast<unsigned char>(data[at]); };
    while (need(1)) {
        const unsigned char op = byte(i++);
        switch (op) {
        case 0x80: if (!need(1)) return std::nullopt; i += 1; break;  // PROTO
        case 0x95: if (!need(8)) return std::nullopt; i += 8; break;  // FRAME
        case 0x94: break;                                              // MEMOIZE
        case 'N': header.expiry.reset(); break;
        case 'G': {                                                    // BINFLOAT, big-endian
            if (!need(8)) return std::nullopt;
            std::uint64_t bits = 0;
            for (int k = 0; k < 8; ++k) bits = (bits << 8) | byte(i + static_cast<std::size_t>(k));
            header.expiry = std::bit_cast<double>(bits);
            i += 8;
            break;
        }
        case 'K': if (!need(1)) return std::nullopt; header.expiry = byte(i); i += 1; break;
        case 'M': if (!need(2)) return std::nullopt; header.expiry = byte(i) | (byte(i + 1) << 8); i += 2; break;
        case 'J': {
            if (!need(4)) return std::nullopt;
            const std::uint32_t v = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (std::uint32_t(byte(i + 3)) << 24);
            header.expiry = static_cast<double>(static_cast<std::int32_t>(v));
            i += 4;
            break;
        }
        case '.': header.length = i; return header;
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

Result<std::string> inflateAll(std::string_view data) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) return Status::io("zlib could not start");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[65536];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&stream);
            return Status::corrupt("the value is not valid zlib data");
        }
        out.append(buffer, sizeof buffer - stream.avail_out);
        if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
            inflateEnd(&stream);
            return Status::corrupt("the value's zlib data is truncated");
        }
    }
    inflateEnd(&stream);
    return out;
}

Result<std::string> readFile(const fs::path& path, std::size_t maxBytes = SIZE_MAX) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::notFound("cannot read " + path.string());
    std::string data;
    char buffer[65536];
    while (data.size() < maxBytes && in.read(buffer, sizeof buffer).gcount() > 0)
        data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > maxBytes) data.resize(maxBytes);
    return data;
}

struct DjangoFile {
    std::string name;  // "<md5>.djcache"
    std::int64_t size = 0;
    double mtime = 0;
    std::optional<double> expiry;
    std::int64_t rowid = 0;
};

double fileTimeSeconds(fs::file_time_type time) {
    using namespace std::chrono;
    const auto system = fs::file_time_type::clock::to_sys(time);
    return duration<double>(system.time_since_epoch()).count();
}

class DjangoSource final : public Source {
public:
    explicit DjangoSource(fs::path directory) : m_directory(std::move(directory)) {}

    Status load() {
        std::error_code ec;
        for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() != ".djcache" || !it->is_regular_file(ec)) continue;
            DjangoFile file;
            file.name = it->path().filename().string();
            file.size = static_cast<std::int64_t>(it->file_size(ec));
            file.mtime = fileTimeSeconds(it->last_write_time(ec));
            if (auto head = readFile(it->path(), 64)) {
                if (auto header = parseExpiry(*head)) file.expiry = header->expiry;
            }
            m_files.push_back(std::move(file));
        }
        if (ec) return Status::io("reading " + m_directory.string() + ": " + ec.message());
        std::sort(m_files.begin(), m_files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (std::size_t i = 0; i < m_files.size(); ++i) m_files[i].rowid = static_cast<std::int64_t>(i + 1);
        return Status::ok();
    }

    Result<std::vector<SourceRow>> fetch(const FetchRequest& request) override {
        std::vector<SourceRow> rows;
        for (const auto& file : m_files) {
            if (!matches(file, *request.filter, request.now)) continue;
            SourceRow row{entryOf(file, request.now), sortKey(file, request.sort)};
            if (request.after) {
                const int c = compareSortKeys(row.key, *request.after, request.descending);
                if (c < 0 || (c == 0 && !request.inclusive)) continue;
            }
            rows.push_back(std::move(row));
        }
        std::sort(rows.begin(), rows.end(), [&](const SourceRow& a, const SourceRow& b) {
            return compareSortKeys(a.key, b.key, request.descending) < 0;
        });
        if (rows.size() > request.limit) rows.resize(request.limit);
        return rows;
    }

    Result<std::int64_t> count(const EntryFilter& filter, double now) override {
        return static_cast<std::int64_t>(
            std::count_if(m_files.begin(), m_files.end(), [&](const DjangoFile& f) { return matches(f, filter, now); }));
    }

    Result<std::optional<Entry>> find(const Value& key) override {
        if (key.kind() != ValueKind::Text) return std::optional<Entry>();
        std::string name = key.data();
        if (name.size() < 8 || name.substr(name.size() - 8) != ".djcache") name += ".djcache";
        for (const auto& file : m_files) {
            if (file.name != name) continue;
            Entry entry = entryOf(file, nowSeconds());
            describe(entry);
            return std::optional<Entry>(std::move(entry));
        }
        return std::optional<Entry>();
    }

    void describe(Entry& entry) override {
        auto value = readValue(entry);
        entry.valueType = value ? pickleTypeName(value->data()) : "?";
    }

    Result<Value> readValue(const Entry& entry) override {
        auto data = readStoredBytes(entry);
        if (!data) return data.status();
        auto header = parseExpiry(*data);
        if (!header) return Status::corrupt("no pickled expiry at the start of " + *entry.filename);
        auto pickle = inflateAll(std::string_view(*data).substr(header->length));
        if (!pickle) return Status(pickle.status().code(), pickle.status().message() + ": " + *entry.filename);
        return Value::pickle(std::move(*pickle));
    }

    Result<std::string> readStoredBytes(const Entry& entry) override {
        if (!entry.filename) return Status::notFound("no file");
        return readFile(m_directory / *entry.filename);
    }

    Result<Summary> summary() override {
        Summary s;
        s.kind = StoreKind::DjangoFile;
        s.directory = m_directory;
        s.count = static_cast<std::int64_t>(m_files.size());
        for (const auto& file : m_files) s.size += file.size;
        s.volume = s.size;
        return s;
    }

    Result<std::int64_t> estimateCull() override {
        return Status::unsupported("Django's file cache has no cull of its own here");
    }
    int pickleProtocol() const override { return 5; }

    // Django's value pickles are compressed inside the file, so no protocol
    // head is passed on: telling it would mean inflating every file.
    Status scan(double now, const RowVisitor& visit) override {
        for (const auto& file : m_files) {
            if (!visit(entryOf(file, now), {})) return Status::cancelled("stopped");
        }
        return Status::ok();
    }

    Result<SpaceLedger> space(const ProgressFn&) override {
        SpaceLedger ledger;
        for (const auto& file : m_files) {
            ++ledger.valueFiles;
            ledger.valueFileBytes += file.size;
        }
        ledger.recordedSize = ledger.rowSizeTotal = ledger.valueFileBytes;
        return ledger;
    }

    const char* cullColumn() const override { return nullptr; }

    // The folder as it is now: names, sizes and times of its .djcache files.
    Result<std::uint64_t> changeToken() override {
        std::uint64_t token = 1469598103934665603ULL;
        auto mix = [&token](std::string_view bytes) {
            for (unsigned char c : bytes) {
                token ^= c;
                token *= 1099511628211ULL;
            }
        };
        std::error_code ec;
        for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() != ".djcache") continue;
            mix(it->path().filename().string());
            mix(std::to_string(it->file_size(ec)) + "/" + std::to_string(it->last_write_time(ec).time_since_epoch().count()));
        }
        if (ec) return Status::io("reading " + m_directory.string() + ": " + ec.message());
        return token;
    }

private:
    static double nowSeconds() {
        using namespace std::chrono;
        return duration<double>(system_clock::now().time_since_epoch()).count();
    }

    static bool matches(const DjangoFile& file, const EntryFilter& filter, double now) {
        const std::string stem = file.name.substr(0, file.name.size() - 8);
        if (filter.keyPrefix && stem.rfind(*filter.keyPrefix, 0) != 0) return false;
        if (filter.keyContains && stem.find(*filter.keyContains) == std::string::npos) return false;
        if (filter.tag && !filter.tag->isNone()) return false;  // Django keeps no tags
        if (filter.memoizedFunction) return false;              // nor the keys themselves
        const bool expired = file.expiry && *file.expiry <= now;
        if (filter.expiry == EntryFilter::Expiry::Expired && !expired) return false;
        if (filter.expiry == EntryFilter::Expiry::Live && expired) return false;
        return filter.storage != EntryFilter::Storage::InDatabase;
    }

    static Entry entryOf(const DjangoFile& file, double now) {
        Entry e;
        e.key = Value::text(file.name.substr(0, file.name.size() - 8));
        e.keyType = "md5";
        e.mode = StoreMode::Pickle;
        e.size = file.size;
        e.storedLength = file.size;
        e.filename = file.name;
        e.storeTime = file.mtime;
        e.expireTime = file.expiry;
        e.expired = file.expiry && *file.expiry <= now;
        e.valueType = "?";
        e.rowid = file.rowid;
        return e;
    }

    static SortKey sortKey(const DjangoFile& file, SortColumn sort) {
        SortKey key;
        key.rowid = file.rowid;
        switch (sort) {
        case SortColumn::Key: key.value = Value::text(file.name.substr(0, file.name.size() - 8)); break;
        case SortColumn::Size:
        case SortColumn::StoredSize: key.value = Value::integer(file.size); break;
        case SortColumn::StoreTime: key.value = Value::real(file.mtime); break;
        case SortColumn::ExpireTime:
            if (file.expiry) key.value = Value::real(*file.expiry);
            else key.segment = 1;
            break;
        default: key.segment = 1; break;  // no access times, counts or tags
        }
        return key;
    }

    fs::path m_directory;
    std::vector<DjangoFile> m_files;
};

}  // namespace

Result<std::unique_ptr<Source>> openDjangoSource(const fs::path& directory) {
    auto source = std::make_unique<DjangoSource>(directory);
    DISKCACHE_TRY(source->load());
    return std::unique_ptr<Source>(std::move(source));
}

}  // namespace diskcache::inspect_detail

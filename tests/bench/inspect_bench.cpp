#include "inspect_bench.h"

#include <cstdio>
#include <string>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/inspect.h"
#include "measured.h"

namespace bench {

using namespace diskcache;

namespace {

using Timed = std::function<void(const std::function<void()>&)>;

std::string error(const Status& status) { return "error: " + status.toString(); }

// Opens the directory (untimed) and hands the Inspector to `body`.
Step withInspector(const std::filesystem::path& directory,
                   std::function<std::string(Inspector&, const Timed&)> body) {
    return [directory, body](const Timed& timed) -> std::string {
        auto inspector = inspect::open(directory);
        if (!inspector) return error(inspector.status());
        return body(**inspector, timed);
    };
}

Step firstPage(const std::filesystem::path& directory, PageRequest request) {
    return withInspector(directory, [request](Inspector& inspector, const Timed& timed) {
        Result<Page> page = Status::cancelled("not run");
        timed([&] { page = inspector.list(request); });
        if (!page) return error(page.status());
        return std::to_string(page->entries.size()) + " rows of total " + std::to_string(page->total);
    });
}

// Follows cursors in pages of 10,000 to row `row`, then times one page of 100 there.
Step deepPage(const std::filesystem::path& directory, PageRequest request, long row) {
    return withInspector(directory, [request, row](Inspector& inspector, const Timed& timed) mutable {
        request.limit = 10000;
        long skipped = 0;
        while (skipped < row) {
            request.limit = std::size_t(std::min(10000L, row - skipped));
            auto page = inspector.list(request);
            if (!page) return error(page.status());
            skipped += long(page->entries.size());
            if (page->next.empty()) return "the cache ends at row " + std::to_string(skipped);
            request.after = page->next;
        }
        request.limit = 100;
        Result<Page> page = Status::cancelled("not run");
        timed([&] { page = inspector.list(request); });
        if (!page) return error(page.status());
        return std::to_string(page->entries.size()) + " rows after row " + std::to_string(skipped);
    });
}

Step countOf(const std::filesystem::path& directory, EntryFilter filter) {
    return withInspector(directory, [filter](Inspector& inspector, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = inspector.count(filter); });
        return n ? "count " + std::to_string(*n) : error(n.status());
    });
}

struct NamedFilter {
    const char* name;
    EntryFilter filter;
};

// Filters as a user types them into the inspector; the generator
// (make_cache.py) makes keys "user:N:profile", tags "tenant-N".
std::vector<NamedFilter> filters() {
    std::vector<NamedFilter> list;
    EntryFilter f;
    f.keyPrefix = "user:12";
    list.push_back({"key prefix 'user:12'", f});
    f = {};
    f.keyContains = "4242";
    list.push_back({"key contains '4242'", f});
    f = {};
    f.tag = Value::text("tenant-7");
    list.push_back({"tag 'tenant-7'", f});
    f = {};
    f.expiry = EntryFilter::Expiry::Expired;
    list.push_back({"expired", f});
    f.expiry = EntryFilter::Expiry::Live;
    list.push_back({"live", f});
    f = {};
    f.storage = EntryFilter::Storage::InFile;
    list.push_back({"in file", f});
    f.storage = EntryFilter::Storage::InDatabase;
    list.push_back({"in database", f});
    return list;
}

std::vector<Measurement> measureAll(const std::filesystem::path& dir, long deepRow) {
    std::vector<Measurement> out;
    out.push_back(measureInChild("open", [dir](const Timed& timed) {
        Result<std::unique_ptr<Inspector>> inspector = Status::cancelled("not run");
        timed([&] { inspector = inspect::open(dir); });
        return inspector ? std::string("kind ") + storeKindName((*inspector)->kind()) : error(inspector.status());
    }));
    for (SortColumn column : {SortColumn::Key, SortColumn::Size, SortColumn::StoreTime, SortColumn::AccessTime,
                              SortColumn::ExpireTime, SortColumn::AccessCount, SortColumn::Tag, SortColumn::StoredSize})
        for (bool descending : {false, true}) {
            PageRequest request;
            request.sort = column;
            request.descending = descending;
            out.push_back(measureInChild(std::string("first page, sort ") + sortColumnName(column) +
                                             (descending ? " desc" : " asc"), firstPage(dir, request)));
        }
    for (SortColumn column : {SortColumn::Key, SortColumn::StoreTime, SortColumn::Size}) {
        PageRequest request;
        request.sort = column;
        out.push_back(measureInChild("page at row " + std::to_string(deepRow) + ", sort " + sortColumnName(column),
                                     deepPage(dir, request, deepRow)));
    }
    for (const auto& [name, filter] : filters()) {
        PageRequest request;
        request.filter = filter;
        out.push_back(measureInChild(std::string("first page, filter ") + name, firstPage(dir, request)));
        request.sort = SortColumn::Size;
        request.descending = true;
        out.push_back(measureInChild(std::string("first page, size desc, filter ") + name, firstPage(dir, request)));
        out.push_back(measureInChild(std::string("count, filter ") + name, countOf(dir, filter)));
    }
    out.push_back(measureInChild("summary()", withInspector(dir, [](Inspector& inspector, const Timed& timed) {
        Result<Summary> s = Status::cancelled("not run");
        timed([&] { s = inspector.summary(); });
        return s ? "count " + std::to_string(s->count) + ", volume " + std::to_string(s->volume) : error(s.status());
    })));
    out.push_back(measureInChild("estimateCull()", withInspector(dir, [](Inspector& inspector, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = inspector.estimateCull(); });
        return n ? "would remove " + std::to_string(*n) : error(n.status());
    })));
    out.push_back(measureInChild("statistics()", withInspector(dir, [](Inspector& inspector, const Timed& timed) {
        Result<Statistics> s = Status::cancelled("not run");
        timed([&] { s = inspector.statistics(); });
        return s ? std::to_string(s->scanned) + " rows read" : error(s.status());
    })));
    out.push_back(measureInChild("memoizedFunctions()", withInspector(dir, [](Inspector& inspector, const Timed& timed) {
        Result<std::vector<FunctionGroup>> f = Status::cancelled("not run");
        timed([&] { f = inspector.memoizedFunctions(); });
        return f ? std::to_string(f->size()) + " functions" : error(f.status());
    })));
    out.push_back(measureInChild("check() dry run", [dir](const Timed& timed) -> std::string {
        auto cache = Cache::open(dir, {.readOnly = true});
        if (!cache) return error(cache.status());
        Result<CheckReport> report = Status::cancelled("not run");
        timed([&] { report = (*cache)->check(false); });
        return report ? std::to_string(report->findings.size()) + " findings" : error(report.status());
    }));
    return out;
}

}  // namespace

int runInspectBench(const std::filesystem::path& directory, long deepRow, bool json) {
    auto steps = measureAll(directory, deepRow);
    std::string extra;
    {
        auto inspector = inspect::open(directory);
        auto summary = inspector ? (*inspector)->summary() : Result<Summary>(inspector.status());
        const long entries = summary ? long(summary->count) : -1;
        extra = json ? "\"directory\": \"" + directory.string() + "\", \"entries\": " + std::to_string(entries)
                     : directory.string() + ", " + std::to_string(entries) + " entries";
    }
    printMeasurements("inspect", extra, steps, json);
    for (const auto& s : steps)
        if (!s.ok) return 1;
    return 0;
}

}  // namespace bench

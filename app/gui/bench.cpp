#include "bench.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <QTimer>

#include <cstdio>

#include <sys/resource.h>
#include <unistd.h>

#include "models/entrytablemodel.h"
#include "views/entriesview.h"
#include "views/mainwindow.h"

using cachescope::EntryTableModel;

namespace {

constexpr qint64 kTimeoutMs = 600000;

// A field of /proc/self/status in kB ("VmHWM"), or -1.
qint64 statusKb(const char* field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(field)) return line.mid(static_cast<qsizetype>(qstrlen(field)) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

}  // namespace

qint64 msSinceProcessStart()
{
    // Field 22 of /proc/self/stat: start time in clock ticks after boot; /proc/uptime: now.
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly)) return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');  // from field 3 on
    const double startTicks = fields.value(22 - 3).toDouble();
    const double now = uptime.readAll().split(' ').value(0).toDouble();
    return static_cast<qint64>((now - startTicks / static_cast<double>(sysconf(_SC_CLK_TCK))) * 1000.0);
}

BenchRunner::BenchRunner(cachescope::MainWindow* window) : QObject(window), m_window(window) {}

void BenchRunner::start()
{
    connect(m_window->entriesView()->model(), &EntryTableModel::pageLoaded, this, [this](bool first) {
        if (!first || m_started) return;
        m_started = true;
        QTimer::singleShot(0, this, &BenchRunner::run);
    });
}

// Paints the table now, as the next frame would.
void BenchRunner::paintTable() { m_window->entriesView()->table()->viewport()->repaint(); }

qint64 BenchRunner::waitFor(const std::function<bool()>& done, qint64 since)
{
    QElapsedTimer clock;
    clock.start();
    QTimer wake;  // processEvents below must wake up to look again
    wake.start(2);
    while (!done()) {
        if (clock.elapsed() > kTimeoutMs) return -1;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    paintTable();
    return clock.elapsed() + since;
}

void BenchRunner::run()
{
    auto* view = m_window->entriesView();
    auto* model = view->model();
    auto* table = view->table();
    QJsonObject out;
    paintTable();
    out[QStringLiteral("rows")] = model->total();
    out[QStringLiteral("first_rows_painted_ms_since_process_start")] = msSinceProcessStart();

    // The last row, as the End key or dragging the scrollbar to the bottom does.
    const auto scrollToBottom = [&] {
        const int last = model->rowCount() - 1;
        return waitFor([&] {
            if (last < 0 || model->entryAt(last) != nullptr) return true;
            // The view may not have laid out its new rows yet: ask again until it is at the bottom.
            if (table->rowAt(table->viewport()->height() - 2) != last) table->scrollToBottom();
            return false;
        }, 0);
    };
    out[QStringLiteral("scroll_to_bottom_ms")] = scrollToBottom();

    // A new sort: a header click on Size, largest first (no index: a top-N scan).
    bool firstOfSort = false;
    auto sortConn = connect(model, &EntryTableModel::pageLoaded, this, [&](bool first) { firstOfSort = firstOfSort || first; });
    table->horizontalHeader()->setSortIndicator(EntryTableModel::SizeColumn, Qt::DescendingOrder);
    out[QStringLiteral("new_sort_ms")] = waitFor([&] { return firstOfSort; }, 0);
    disconnect(sortConn);
    // The last row of that sort: the bottom of an unindexed order.
    out[QStringLiteral("sorted_scroll_to_bottom_ms")] = scrollToBottom();

    // A new filter: keys containing "777" (a substring: every key is looked at).
    diskcache::EntryFilter filter;
    filter.keyContains = "777";
    bool firstOfFilter = false;
    auto filterConn = connect(model, &EntryTableModel::pageLoaded, this, [&](bool first) { firstOfFilter = firstOfFilter || first; });
    model->setFilter(filter);
    out[QStringLiteral("new_filter_ms")] = waitFor([&] { return firstOfFilter; }, 0);
    out[QStringLiteral("filtered_rows")] = model->total();
    disconnect(filterConn);

    struct rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    out[QStringLiteral("peak_rss_kb")] = statusKb("VmHWM:");
    out[QStringLiteral("maxrss_kb_getrusage")] = static_cast<qint64>(usage.ru_maxrss);
    out[QStringLiteral("held_chunks")] = model->heldChunks();
    out[QStringLiteral("chunk_rows")] = model->chunkRows();
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    std::fflush(stdout);
    const bool timedOut = out[QStringLiteral("scroll_to_bottom_ms")].toInteger() < 0 || out[QStringLiteral("new_sort_ms")].toInteger() < 0 ||
                          out[QStringLiteral("sorted_scroll_to_bottom_ms")].toInteger() < 0 ||
                          out[QStringLiteral("new_filter_ms")].toInteger() < 0;
    QCoreApplication::exit(timedOut ? 2 : 0);
}

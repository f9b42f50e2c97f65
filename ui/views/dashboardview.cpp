#include "views/dashboardview.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/format.h"
#include "views/charts.h"
#include "workers/inspectclient.h"

namespace cachescope {

namespace {
QString number(std::int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

// Upper bound of a histogram bucket, short enough for a bar: "<64", "<2K", "<1M".
QString compactSize(std::int64_t bytes)
{
    static const char* const units[] = {"", "K", "M", "G"};
    int unit = 0;
    while (bytes >= 1024 && unit < 3) {
        bytes /= 1024;
        ++unit;
    }
    return QStringLiteral("<%1%2").arg(bytes).arg(QLatin1String(units[unit]));
}
}  // namespace

DashboardView::DashboardView(QWidget* parent)
    : QWidget(parent), m_client(new InspectClient(this)), m_stats(new QGridLayout), m_gauge(new GaugeWidget(this)),
      m_sizes(new BarChartWidget(tr("Entries by size"), BarChartWidget::Orientation::Vertical, this)),
      m_expiry(new BarChartWidget(tr("Expiry timeline"), BarChartWidget::Orientation::Vertical, this)),
      m_tags(new BarChartWidget(tr("Tags by count"), BarChartWidget::Orientation::Horizontal, this)),
      m_age(new BarChartWidget(tr("Age (since stored)"), BarChartWidget::Orientation::Vertical, this)),
      m_access(new BarChartWidget(tr("Access count"), BarChartWidget::Orientation::Vertical, this)),
      m_functions(makeTable({tr("Memoized function"), tr("Entries"), tr("Size")}, QStringLiteral("memoizedTable"))),
      m_largest(makeTable({tr("Largest entries"), tr("Size")}, QStringLiteral("largestTable"))),
      m_nextToCull(makeTable({tr("Next to cull"), tr("Size"), tr("Expires")}, QStringLiteral("cullTable"))),
      m_space(makeTable({tr("On disk"), tr("Size")}, QStringLiteral("spaceTable"))),
      m_settings(makeTable({tr("Setting"), tr("Value")}, QStringLiteral("settingsTable"))), m_advice(new QLabel(this)),
      m_error(new QLabel(this))
{
    auto* content = new QWidget;
    auto* layout = new QGridLayout(content);
    auto* statsBox = new QWidget(content);
    statsBox->setLayout(m_stats);
    m_stats->setHorizontalSpacing(24);
    const QStringList names{tr("Entries"), tr("Size"), tr("Volume"), tr("Size limit"), tr("Hits"), tr("Misses"),
                            tr("Hit ratio"), tr("Eviction policy"), tr("Cull limit"), tr("Expired"), tr("Cull would remove"), tr("In files")};
    for (int i = 0; i < names.size(); ++i) addStat(names.at(i), i / 3, i % 3);
    m_error->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("dashboardError"));
    m_error->hide();
    m_advice->setWordWrap(true);
    m_advice->setObjectName(QStringLiteral("doctorAdvice"));
    m_advice->setTextFormat(Qt::RichText);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_advice->hide();

    layout->addWidget(m_error, 0, 0, 1, 3);
    layout->addWidget(m_advice, 1, 0, 1, 3);
    layout->addWidget(statsBox, 2, 0, 1, 2);
    layout->addWidget(m_gauge, 2, 2);
    layout->addWidget(m_sizes, 3, 0, 1, 2);
    layout->addWidget(m_expiry, 3, 2);
    layout->addWidget(m_tags, 4, 0);
    layout->addWidget(m_age, 4, 1);
    layout->addWidget(m_access, 4, 2);
    layout->addWidget(m_functions, 5, 0);
    layout->addWidget(m_largest, 5, 1);
    layout->addWidget(m_nextToCull, 5, 2);
    layout->addWidget(m_space, 6, 0);
    layout->addWidget(m_settings, 6, 1, 1, 2);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
    layout->setColumnStretch(2, 1);
    for (int row = 3; row <= 6; ++row) layout->setRowStretch(row, 1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_client, &InspectClient::summaryReady, this, &DashboardView::onSummary);
    connect(m_client, &InspectClient::statsReady, this, &DashboardView::onStats);
    connect(m_client, &InspectClient::functionsReady, this, [this](const FunctionsReply& reply) {
        if (reply.ok) Q_EMIT functionsFound(m_directory, reply.functions);
    });
    connect(m_client, &InspectClient::statsProgress, this,
            [this](qint64 rows) { m_sizes->setNote(tr("reading… %1 entries").arg(number(rows))); });
}

QTableWidget* DashboardView::makeTable(const QStringList& headers, const QString& name)
{
    auto* table = new QTableWidget(this);
    table->setObjectName(name);
    table->setColumnCount(static_cast<int>(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setStretchLastSection(false);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setMinimumHeight(200);
    return table;
}

void DashboardView::fillTable(QTableWidget* table, const std::vector<QStringList>& rows, const std::vector<QString>& tips)
{
    table->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const QStringList& cells = rows[static_cast<std::size_t>(r)];
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells.at(c));
            if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (static_cast<std::size_t>(r) < tips.size()) item->setToolTip(tips[static_cast<std::size_t>(r)]);
            table->setItem(r, c, item);
        }
    }
    for (int c = 1; c < table->columnCount(); ++c) table->resizeColumnToContents(c);
}

QLabel* DashboardView::addStat(const QString& name, int row, int column)
{
    auto* box = new QWidget;
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 4, 0, 4);
    auto* caption = new QLabel(name, box);
    QPalette muted = caption->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    caption->setPalette(muted);
    auto* value = new QLabel(QStringLiteral("…"), box);
    value->setObjectName(name);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    value->setFont(big);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(caption);
    v->addWidget(value);
    m_stats->addWidget(box, row, column);
    return value;
}

QString DashboardView::statText(const QString& name) const
{
    auto* label = findChild<QLabel*>(name);
    return label ? label->text() : QString();
}

void DashboardView::setStore(const QString& directory)
{
    m_directory = directory;
    m_client->open(directory);
    refresh();
}

void DashboardView::refresh()
{
    m_statsLoaded = false;
    m_client->newGeneration();
    m_client->requestSummary(isVisible() ? SummaryDetail::WithEstimates : SummaryDetail::Counts);
    m_client->requestFunctions();
    requestStatsWhenShown();
}

void DashboardView::refreshLive()
{
    // Same generation: a running pass goes on.
    m_client->requestSummary(isVisible() ? SummaryDetail::WithEstimates : SummaryDetail::Counts);
    if (!m_statsLoaded && !m_statsPending) return;  // a pass is running
    m_statsLoaded = false;
    m_client->requestFunctions();
    requestStatsWhenShown();
}

// The pass over every row costs about a second of CPU and disk per million
// entries, the expired count and cull estimate another 0.3 s: they run when
// the figures are on screen, not for a dashboard nobody opened (the store
// tree's functions come from requestFunctions).
void DashboardView::requestStatsWhenShown()
{
    m_statsPending = !isVisible();
    if (!m_statsPending) m_client->requestStats();
}

void DashboardView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_statsPending) return;
    m_statsPending = false;
    m_client->requestSummary(SummaryDetail::WithEstimates);
    m_client->requestStats();
}

void DashboardView::onSummary(const SummaryReply& reply)
{
    auto set = [this](const QString& name, const QString& text, const QString& tip = {}) {
        if (auto* label = findChild<QLabel*>(name)) {
            label->setText(text);
            label->setToolTip(tip);
        }
    };
    m_error->setVisible(!reply.ok);
    if (!reply.ok) {
        m_error->setText(reply.error);
        m_count = -1;
        Q_EMIT summaryLoaded(false);
        return;
    }
    const auto& s = reply.summary;
    auto settings = reply.settings;
    // A FanoutCache splits its size_limit evenly over its shards.
    if (!s.shards.empty()) settings.sizeLimit *= static_cast<std::int64_t>(s.shards.size());
    m_count = s.count;
    set(tr("Entries"), number(s.count));
    set(tr("Size"), format::humanSize(s.size), format::exactBytes(s.size));
    set(tr("Volume"), format::humanSize(s.volume), format::exactBytes(s.volume));
    set(tr("Size limit"), format::humanSize(settings.sizeLimit), format::exactBytes(settings.sizeLimit));
    if (settings.statistics || s.hits + s.misses > 0) {
        set(tr("Hits"), number(s.hits));
        set(tr("Misses"), number(s.misses));
        const auto lookups = s.hits + s.misses;
        set(tr("Hit ratio"), lookups ? QStringLiteral("%1 %").arg(100.0 * static_cast<double>(s.hits) / static_cast<double>(lookups), 0, 'f', 1) : QStringLiteral("-"));
    } else {
        set(tr("Hits"), tr("statistics off"));
        set(tr("Misses"), tr("statistics off"));
        set(tr("Hit ratio"), QStringLiteral("-"));
    }
    set(tr("Eviction policy"), QString::fromLatin1(diskcache::evictionPolicyName(settings.evictionPolicy)));
    set(tr("Cull limit"), number(settings.cullLimit));
    set(tr("Expired"), reply.expired >= 0 ? number(reply.expired) : QStringLiteral("-"));
    set(tr("Cull would remove"), reply.cullEstimate >= 0 ? number(reply.cullEstimate) : QStringLiteral("-"));
    const double full = settings.sizeLimit > 0 ? static_cast<double>(s.volume) / static_cast<double>(settings.sizeLimit) : 0;
    m_gauge->setValue(full, QStringLiteral("%1 %").arg(full * 100, 0, 'f', full < 0.1 ? 1 : 0),
                      tr("%1 of %2 size limit").arg(format::humanSize(s.volume), format::humanSize(settings.sizeLimit)));

    std::vector<QStringList> rows;
    for (const auto& [name, value] : s.settings) rows.push_back({format::fromStd(name), format::repr(value, 200)});
    fillTable(m_settings, rows);
    m_settings->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_settings->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    Q_EMIT summaryLoaded(true);
}

void DashboardView::onStats(const StatsReply& reply)
{
    if (!reply.ok) {
        m_sizes->setNote(reply.error);
        m_statsLoaded = true;
        Q_EMIT statsFinished();
        return;
    }
    const diskcache::Statistics& st = reply.statistics;
    QStringList sizeLabels;
    std::vector<std::int64_t> sizes;
    std::size_t last = 0;
    for (std::size_t i = 0; i < st.sizeCounts.size(); ++i)
        if (st.sizeCounts[i] > 0) last = i;
    for (std::size_t i = 0; i <= last; ++i) {
        sizeLabels << compactSize(std::int64_t{64} << i);
        sizes.push_back(st.sizeCounts[i]);
    }
    m_sizes->setBars(sizeLabels, sizes);
    m_sizes->setNote(tr("%1 entries read").arg(number(st.scanned)));
    const QColor grey = palette().color(QPalette::Mid);
    const QColor red(0xd0, 0x3b, 0x3b);
    m_expiry->setBars({tr("past"), tr("<1 h"), tr("<1 d"), tr("<1 w"), tr("<30 d"), tr("later"), tr("never")},
                      {st.expiry.begin(), st.expiry.end()}, {red, {}, {}, {}, {}, {}, grey});
    m_age->setBars({tr("<1 h"), tr("<1 d"), tr("<1 w"), tr("<30 d"), tr("<1 y"), tr("older"), tr("?")},
                   {st.age.begin(), st.age.end()}, {{}, {}, {}, {}, {}, {}, grey});
    m_access->setBars({QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2-9"), QStringLiteral("10-99"),
                       QStringLiteral("100-999"), QStringLiteral("1000+"), tr("?")},
                      {st.accessCounts.begin(), st.accessCounts.end()}, {{}, {}, {}, {}, {}, {}, grey});
    QStringList tagLabels;
    std::vector<std::int64_t> tagCounts;
    for (std::size_t i = 0; i < st.tags.size() && i < 10; ++i) {
        tagLabels << format::repr(st.tags[i].tag, 60);
        tagCounts.push_back(st.tags[i].count);
    }
    m_tags->setBars(tagLabels, tagCounts);
    if (auto* label = findChild<QLabel*>(tr("In files"))) label->setText(number(st.inFile));

    std::vector<QStringList> rows;
    for (const auto& f : st.functions) rows.push_back({format::fromStd(f.name), number(f.count), format::humanSize(f.bytes)});
    fillTable(m_functions, rows);
    Q_EMIT functionsFound(m_directory, st.functions);
    const double now = format::nowSeconds();
    auto entryRows = [&](const std::vector<diskcache::Entry>& entries, bool withExpiry) {
        std::vector<QStringList> out;
        std::vector<QString> tips;
        for (const auto& e : entries) {
            const std::int64_t length = e.filename ? e.size : e.storedLength;
            QStringList cells{format::fromStd(diskcache::inspect::keyText(e, 120)), format::humanSize(length)};
            if (withExpiry) cells << (e.expireTime ? format::expiresText(e.expireTime, now) : tr("never"));
            out.push_back(cells);
            tips.push_back(e.shard ? tr("shard %1").arg(format::fromStd(*e.shard)) : QString());
        }
        return std::make_pair(out, tips);
    };
    auto [largest, largestTips] = entryRows(st.largest, false);
    fillTable(m_largest, largest, largestTips);
    auto [cull, cullTips] = entryRows(st.nextToCull, true);
    fillTable(m_nextToCull, cull, cullTips);

    const diskcache::SpaceLedger& sp = reply.space;
    rows = {{tr("Database"), format::humanSize(sp.databaseBytes)},
            {tr("Write-ahead log"), format::humanSize(sp.walBytes + sp.shmBytes)},
            {tr("Value files (%1)").arg(number(sp.valueFiles)), format::humanSize(sp.valueFileBytes)},
            {tr("Files no entry names (%1)").arg(number(sp.orphanFiles)), format::humanSize(sp.orphanBytes)},
            {tr("Missing value files"), number(sp.missingFiles)},
            {tr("Empty directories"), number(sp.emptyDirectories)},
            {tr("Total on disk"), format::humanSize(sp.total())},
            {tr("Size the cache records"), format::humanSize(sp.recordedSize)}};
    fillTable(m_space, rows);

    QString html;
    for (const auto& a : reply.advice) {
        const bool warning = a.level == diskcache::Advice::Level::Warning;
        html += QStringLiteral("<p style='margin:2px'><b>%1</b> %2</p>")
                    .arg(warning ? tr("Warning:") : tr("Note:"), format::fromStd(a.message).toHtmlEscaped());
    }
    m_advice->setText(html);
    m_advice->setVisible(!html.isEmpty());
    m_statsLoaded = true;
    Q_EMIT statsFinished();
}

}  // namespace cachescope

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
      m_settings(new QTableWidget(this)), m_error(new QLabel(this))
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
    m_settings->setColumnCount(2);
    m_settings->setHorizontalHeaderLabels({tr("Setting"), tr("Value")});
    m_settings->horizontalHeader()->setStretchLastSection(true);
    m_settings->verticalHeader()->setVisible(false);
    m_settings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_settings->setMinimumHeight(220);

    layout->addWidget(m_error, 0, 0, 1, 3);
    layout->addWidget(statsBox, 1, 0, 1, 2);
    layout->addWidget(m_gauge, 1, 2);
    layout->addWidget(m_sizes, 2, 0, 1, 2);
    layout->addWidget(m_expiry, 2, 2);
    layout->addWidget(m_tags, 3, 0, 1, 2);
    layout->addWidget(m_settings, 3, 2);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
    layout->setColumnStretch(2, 1);
    layout->setRowStretch(2, 1);
    layout->setRowStretch(3, 1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_client, &InspectClient::summaryReady, this, &DashboardView::onSummary);
    connect(m_client, &InspectClient::statsReady, this, &DashboardView::onStats);
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
    m_client->open(directory);
    refresh();
}

void DashboardView::refresh()
{
    m_statsLoaded = false;
    m_client->newGeneration();
    m_client->requestSummary();
    m_client->requestStats();
}

void DashboardView::refreshLive()
{
    m_client->requestSummary();  // same generation: a running pass goes on
    if (!isVisible() || !m_statsLoaded) return;
    m_statsLoaded = false;
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

    m_settings->setRowCount(static_cast<int>(s.settings.size()));
    for (int row = 0; row < static_cast<int>(s.settings.size()); ++row) {
        const auto& [name, value] = s.settings[static_cast<std::size_t>(row)];
        m_settings->setItem(row, 0, new QTableWidgetItem(format::fromStd(name)));
        m_settings->setItem(row, 1, new QTableWidgetItem(format::repr(value, 200)));
    }
    m_settings->resizeColumnToContents(0);
    Q_EMIT summaryLoaded(true);
}

void DashboardView::onStats(const StatsReply& reply)
{
    QStringList sizeLabels;
    std::vector<std::int64_t> sizes;
    int last = 0;
    for (int i = 0; i < static_cast<int>(reply.sizeBuckets.size()); ++i)
        if (reply.sizeBuckets[static_cast<std::size_t>(i)] > 0) last = i;
    for (int i = 0; i <= last && i < static_cast<int>(reply.sizeBuckets.size()); ++i) {
        sizeLabels << compactSize(std::int64_t{64} << i);
        sizes.push_back(reply.sizeBuckets[static_cast<std::size_t>(i)]);
    }
    m_sizes->setBars(sizeLabels, sizes);
    m_sizes->setNote(reply.truncated ? tr("first %1 entries").arg(number(reply.scanned)) : tr("bytes"));
    const QStringList expiryLabels{tr("past"), tr("<1 h"), tr("<1 d"), tr("<1 w"), tr("<30 d"), tr("later"), tr("never")};
    const QColor grey = palette().color(QPalette::Mid);
    m_expiry->setBars(expiryLabels, reply.expiryBuckets, {QColor(0xd0, 0x3b, 0x3b), {}, {}, {}, {}, {}, grey});
    QStringList tagLabels;
    std::vector<std::int64_t> tagCounts;
    for (std::size_t i = 0; i < reply.tags.size() && i < 10; ++i) {
        tagLabels << reply.tags[i].first;
        tagCounts.push_back(reply.tags[i].second);
    }
    m_tags->setBars(tagLabels, tagCounts);
    if (auto* label = findChild<QLabel*>(tr("In files"))) label->setText(number(reply.inFile));
    m_statsLoaded = true;
    Q_EMIT statsFinished();
}

}  // namespace cachescope

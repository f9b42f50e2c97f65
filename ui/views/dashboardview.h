// DashboardView: the store at a glance — counts, how full it is against
// size_limit, statistics, eviction; what one read of every row tells (sizes,
// expiry, age, access counts, tags, memoized functions, largest entries,
// next to cull, space on disk) and the settings doctor; every setting.
#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

#include "diskcache/statistics.h"
#include "workers/replies.h"

class QGridLayout;
class QLabel;
class QTableWidget;

namespace cachescope {

class BarChartWidget;
class GaugeWidget;
class InspectClient;

class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(QWidget* parent = nullptr);

    void setStore(const QString& directory);
    // The summary and the memoized functions now; the pass over every row
    // for the figures now when the view is on screen, else when it is shown.
    void refresh();
    // After another process changed the store: the summary again, and the
    // distributions once the last pass has finished (now when on screen,
    // else when next shown).
    void refreshLive();
    // The entry count of the last summary (-1 before one arrived).
    qint64 count() const { return m_count; }
    bool statsLoaded() const { return m_statsLoaded; }
    QString statText(const QString& name) const;

Q_SIGNALS:
    void summaryLoaded(bool ok);
    void statsFinished();
    // The memoized functions one read of every row of `directory` found.
    void functionsFound(const QString& directory, const std::vector<diskcache::FunctionGroup>& functions);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void requestStatsWhenShown();
    void onSummary(const SummaryReply& reply);
    void onStats(const StatsReply& reply);
    QLabel* addStat(const QString& name, int row, int column);
    QTableWidget* makeTable(const QStringList& headers, const QString& name);
    // Fills `table` with text rows (columns after the first right-aligned),
    // each row with its tooltip when given.
    static void fillTable(QTableWidget* table, const std::vector<QStringList>& rows, const std::vector<QString>& tips = {});

    InspectClient* m_client;
    QString m_directory;
    QGridLayout* m_stats;
    GaugeWidget* m_gauge;
    BarChartWidget* m_sizes;
    BarChartWidget* m_expiry;
    BarChartWidget* m_tags;
    BarChartWidget* m_age;
    BarChartWidget* m_access;
    QTableWidget* m_functions;
    QTableWidget* m_largest;
    QTableWidget* m_nextToCull;
    QTableWidget* m_space;
    QTableWidget* m_settings;
    QLabel* m_advice;  // the settings doctor
    QLabel* m_error;
    qint64 m_count = -1;
    bool m_statsLoaded = false;
    bool m_statsPending = false;  // the figures are to be read when the view is next shown
};

}  // namespace cachescope

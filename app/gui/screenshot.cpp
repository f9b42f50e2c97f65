#include "screenshot.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTableView>
#include <QTimer>

#include <cstdio>

#include "models/entrytablemodel.h"
#include "views/dashboardview.h"
#include "views/entriesview.h"
#include "views/mainwindow.h"

ScreenshotTaker::ScreenshotTaker(cachescope::MainWindow* window, QString file, bool dashboard)
    : QObject(window), m_window(window), m_file(std::move(file)), m_dashboard(dashboard)
{
}

void ScreenshotTaker::start()
{
    auto* entries = m_window->entriesView();
    connect(entries->model(), &cachescope::EntryTableModel::pageLoaded, this, [this] {
        m_pageLoaded = true;
        maybeShoot();
    });
    connect(entries->model(), &cachescope::EntryTableModel::loadFailed, this, [this] {
        m_pageLoaded = true;
        maybeShoot();
    });
    connect(m_window->dashboardView(), &cachescope::DashboardView::statsFinished, this, &ScreenshotTaker::maybeShoot);
    QTimer::singleShot(30000, this, [this] { shoot(2); });
}

void ScreenshotTaker::maybeShoot()
{
    if (!m_pageLoaded || (m_dashboard && !m_window->dashboardView()->statsLoaded())) return;
    // Select a row so the details pane shows something, then let it load.
    auto* table = m_window->entriesView()->table();
    if (!m_dashboard && table->model()->rowCount() > 0 && !table->currentIndex().isValid()) {
        const int row = pickRow();
        table->selectRow(row);
        table->scrollTo(table->model()->index(row, 0), QAbstractItemView::PositionAtCenter);
        QTimer::singleShot(400, this, [this] { shoot(0); });
        return;
    }
    QTimer::singleShot(150, this, [this] { shoot(0); });
}

// A row whose value shows off the details pane (a dict, an image), else the first.
int ScreenshotTaker::pickRow() const
{
    auto* model = m_window->entriesView()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto* entry = model->entryAt(row);
        if (entry && !entry->expired && entry->valueType == "dict") return row;
    }
    return 0;
}

void ScreenshotTaker::shoot(int failureCode)
{
    if (m_done) return;
    m_done = true;
    const bool saved = m_window->grab().save(m_file, "PNG");
    if (!saved) std::fprintf(stderr, "cachescope: cannot write %s\n", qPrintable(m_file));
    else std::printf("%s\n", qPrintable(m_file));
    QCoreApplication::exit(saved ? failureCode : 1);
}

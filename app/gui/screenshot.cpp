#include "screenshot.h"

#include <QAction>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include "actions/maintenanceactions.h"
#include "dialogs/checkdialog.h"
#include "models/entrytablemodel.h"
#include "views/dashboardview.h"
#include "views/entriesview.h"
#include "views/mainwindow.h"

ScreenshotTaker::ScreenshotTaker(cachescope::MainWindow* window, QString file, bool dashboard, QString action)
    : QObject(window), m_window(window), m_file(std::move(file)), m_dashboard(dashboard), m_action(std::move(action))
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
        QTimer::singleShot(400, this, [this] { m_action.isEmpty() ? shoot(0) : startAction(); });
        return;
    }
    QTimer::singleShot(150, this, [this] { m_action.isEmpty() ? shoot(0) : startAction(); });
}

void ScreenshotTaker::startAction()
{
    if (m_actionStarted) return;
    m_actionStarted = true;
    auto* maintenance = m_window->maintenance();
    QAction* action = m_action == QLatin1String("check")    ? maintenance->checkAction()
                      : m_action == QLatin1String("expire") ? maintenance->expireAction()
                      : m_action == QLatin1String("cull")   ? maintenance->cullAction()
                      : m_action == QLatin1String("evict")  ? maintenance->evictAction()
                      : m_action == QLatin1String("clear")  ? maintenance->clearAction()
                                                            : nullptr;
    if (!action) {
        std::fprintf(stderr, "cachescope: unknown --action %s\n", qPrintable(m_action));
        QCoreApplication::exit(1);
        return;
    }
    if (action != maintenance->checkAction()) maintenance->setWriteMode(true);
    action->trigger();
    // Shoot once the dialog shows (the confirmation is never accepted).
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll] {
        QWidget* dialog = actionDialog();
        if (!dialog || m_window->maintenance()->isBusy()) return;
        poll->stop();
        QTimer::singleShot(300, this, [this] { shoot(0); });
    });
    poll->start(100);
}

QWidget* ScreenshotTaker::actionDialog() const
{
    for (auto* box : m_window->findChildren<QMessageBox*>())
        if (box->isVisible()) return box;
    auto* check = m_window->maintenance()->checkDialog();
    return check && check->isVisible() ? check : nullptr;
}

// A row whose value shows off the details pane (a dict, an image), else the first.
int ScreenshotTaker::pickRow() const
{
    auto* model = m_window->entriesView()->model();
    for (int row = 0; row < std::min(model->rowCount(), model->chunkRows()); ++row) {  // the rows read so far
        const auto* entry = model->entryAt(row);
        if (entry && !entry->expired && entry->valueType == "dict") return row;
    }
    return 0;
}

void ScreenshotTaker::shoot(int failureCode)
{
    if (m_done) return;
    m_done = true;
    QPixmap picture = m_window->grab();
    if (QWidget* dialog = actionDialog()) {
        // A dialog is its own top-level window: draw it where it would sit, centred over the window.
        QPainter painter(&picture);
        const QPixmap shown = dialog->grab();
        const QPoint at((picture.width() / picture.devicePixelRatio() - dialog->width()) / 2,
                        (picture.height() / picture.devicePixelRatio() - dialog->height()) / 3);
        painter.fillRect(QRect(at + QPoint(4, 4), dialog->size()), QColor(0, 0, 0, 60));
        painter.drawPixmap(at, shown);
    }
    const bool saved = picture.save(m_file, "PNG");
    if (!saved) std::fprintf(stderr, "cachescope: cannot write %s\n", qPrintable(m_file));
    else std::printf("%s\n", qPrintable(m_file));
    QCoreApplication::exit(saved ? failureCode : 1);
}

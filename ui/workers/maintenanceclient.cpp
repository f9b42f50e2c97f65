#include "workers/maintenanceclient.h"

#include <QDeadlineTimer>

#include "common/logging.h"
#include "workers/maintenanceworker.h"

namespace cachescope {

MaintenanceClient::MaintenanceClient(QObject* parent) : QObject(parent), m_thread(new QThread), m_worker(new MaintenanceWorker)
{
    static const bool registered = [] {
        qRegisterMetaType<MaintenanceRequest>();
        qRegisterMetaType<MaintenancePlan>();
        qRegisterMetaType<MaintenanceResult>();
        return true;
    }();
    Q_UNUSED(registered);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &MaintenanceWorker::progress, this, &MaintenanceClient::progress);
    connect(m_worker, &MaintenanceWorker::planReady, this, [this](const MaintenancePlan& plan) {
        m_busy = false;
        Q_EMIT planReady(plan);
    });
    connect(m_worker, &MaintenanceWorker::finished, this, [this](const MaintenanceResult& result) {
        m_busy = false;
        Q_EMIT finished(result);
    });
    m_thread->setObjectName(QStringLiteral("cachescope-maintenance"));
    m_thread->start();
}

MaintenanceClient::~MaintenanceClient()
{
    m_worker->cancel();
    disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    // A cancelled job stops after its current batch; that batch is a whole transaction.
    if (m_thread->wait(QDeadlineTimer(10000))) {
        delete m_thread;
        return;
    }
    qCWarning(lcUi) << "a maintenance batch is still running; leaving it to finish in the background";
    QThread* thread = m_thread;
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
}

bool MaintenanceClient::plan(const MaintenanceRequest& request)
{
    if (m_busy) return false;
    m_busy = true;
    m_worker->arm();
    MaintenanceWorker* worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, request] { worker->plan(request); }, Qt::QueuedConnection);
    return true;
}

bool MaintenanceClient::run(const MaintenanceRequest& request)
{
    if (m_busy) return false;
    m_busy = true;
    m_worker->arm();
    MaintenanceWorker* worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, request] { worker->run(request); }, Qt::QueuedConnection);
    return true;
}

void MaintenanceClient::cancel()
{
    if (m_busy) m_worker->cancel();
}

}  // namespace cachescope

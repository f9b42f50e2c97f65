#include "views/taskpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <climits>

namespace cachescope {

TaskPanel::TaskPanel(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_bar(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("taskPanel"));
    m_label->setObjectName(QStringLiteral("taskLabel"));
    m_bar->setObjectName(QStringLiteral("taskProgress"));
    m_cancel->setObjectName(QStringLiteral("taskCancel"));
    m_bar->setMaximumWidth(200);
    m_bar->setTextVisible(true);
    m_cancel->setToolTip(tr("Stop after the current batch; every batch is a whole transaction"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_text = tr("Cancelling after the current batch…");
        updateLabel();
        Q_EMIT cancelRequested();
    });
    hide();
}

void TaskPanel::start(const QString& text, qint64 total)
{
    m_text = text;
    m_done = 0;
    m_waiting = false;
    m_bar->setRange(0, total > 0 ? static_cast<int>(std::min<qint64>(total, INT_MAX)) : 0);
    m_bar->setValue(0);
    m_cancel->setEnabled(true);
    updateLabel();
    show();
}

void TaskPanel::setProgress(qint64 done, bool waiting)
{
    m_waiting = waiting;
    if (done >= 0) m_done = done;
    if (m_bar->maximum() > 0) m_bar->setValue(static_cast<int>(std::min<qint64>(m_done, m_bar->maximum())));
    updateLabel();
}

void TaskPanel::finish()
{
    m_waiting = false;
    hide();
}

void TaskPanel::updateLabel()
{
    QString text = m_text;
    if (m_done > 0) text += QLatin1Char(' ') + tr("(%1 done)").arg(QLocale().toString(m_done));
    if (m_waiting) text += QLatin1Char(' ') + tr("— waiting: another process holds the cache's lock");
    m_label->setText(text);
}

}  // namespace cachescope

#include "views/loadingbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include "models/entrytablemodel.h"

namespace cachescope {

LoadingBar::LoadingBar(EntryTableModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_text(new QLabel(this)), m_busy(new QProgressBar(this)),
      m_cancel(new QToolButton(this)), m_delay(new QTimer(this)), m_slow(new QTimer(this))
{
    setObjectName(QStringLiteral("loadingBar"));
    m_busy->setRange(0, 0);  // a seek cannot tell how far it is
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(12);
    m_busy->setTextVisible(false);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelLoading"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_busy);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_cancel);
    hide();

    m_delay->setSingleShot(true);
    m_delay->setInterval(kDelayMs);
    // A query that takes long is most often waiting for another process's lock.
    m_slow->setSingleShot(true);
    m_slow->setInterval(3000);
    connect(m_delay, &QTimer::timeout, this, &LoadingBar::update);
    connect(m_slow, &QTimer::timeout, this, &LoadingBar::update);
    connect(m_cancel, &QToolButton::clicked, m_model, &EntryTableModel::cancelLoading);
    connect(m_model, &EntryTableModel::loadingChanged, this, [this](bool loading) {
        if (loading) {
            m_delay->start();
            m_slow->start();
        } else {
            m_delay->stop();
            m_slow->stop();
            hide();
        }
    });
    connect(m_model, &EntryTableModel::pageLoaded, this, [this] {
        if (isVisible()) update();  // the next chunk being read
    });
}

void LoadingBar::update()
{
    if (!m_model->isLoading()) {
        hide();
        return;
    }
    const auto [first, last] = m_model->loadingRows();
    QString text = first < 0 || m_model->total() < 0
                       ? tr("Reading entries…")
                       : tr("Reading rows %1–%2…")
                             .arg(QLocale().toString(first + 1))
                             .arg(QLocale().toString(std::min<qint64>(last + 1, m_model->total())));
    if (!m_slow->isActive()) text += tr(" It takes a while: the cache may be locked by another process; Cachescope waits for it.");
    m_text->setText(text);
    show();
}

}  // namespace cachescope

#include "views/detailspane.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "common/format.h"
#include "views/valueviewers.h"
#include "workers/inspectclient.h"

namespace cachescope {

DetailsPane::DetailsPane(QWidget* parent)
    : QWidget(parent), m_client(new InspectClient(this)), m_key(new QLabel(this)), m_form(new QFormLayout),
      m_formHost(new QWidget(this)), m_viewerCombo(new QComboBox(this)), m_stack(new QStackedWidget(this)),
      m_noValue(new QWidget(m_stack)), m_status(new QLabel(this))
{
    m_key->setObjectName(QStringLiteral("detailsKey"));
    m_key->setWordWrap(true);
    m_key->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_key->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_key->setFont(bold);
    m_key->setText(tr("No entry selected"));
    m_formHost->setLayout(m_form);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setLabelAlignment(Qt::AlignRight);

    m_stack->addWidget(m_noValue);
    m_viewers = makeValueViewers(m_stack);
    for (const auto& viewer : m_viewers) m_stack->addWidget(viewer->widget());
    m_status->setWordWrap(true);

    auto* viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("Show as:"), this));
    viewRow->addWidget(m_viewerCombo, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_key);
    layout->addWidget(m_formHost);
    layout->addLayout(viewRow);
    layout->addWidget(m_status);
    layout->addWidget(m_stack, 1);
    m_viewerCombo->setEnabled(false);

    connect(m_client, &InspectClient::valueReady, this, &DetailsPane::onValue);
    connect(m_viewerCombo, &QComboBox::activated, this, &DetailsPane::showViewer);
}

DetailsPane::~DetailsPane() = default;

void DetailsPane::setStore(const QString& directory)
{
    showEntry(nullptr);
    m_client->open(directory);
}

void DetailsPane::setField(const QString& name, const QString& value, const QString& tip)
{
    auto* label = new QLabel(value, m_formHost);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setToolTip(tip);
    label->setObjectName(name);
    m_form->addRow(name + QLatin1Char(':'), label);
}

QString DetailsPane::fieldText(const QString& name) const
{
    for (int row = 0; row < m_form->rowCount(); ++row) {
        auto* item = m_form->itemAt(row, QFormLayout::FieldRole);
        if (auto* label = item ? qobject_cast<QLabel*>(item->widget()) : nullptr; label && label->objectName() == name)
            return label->text();
    }
    return {};
}

void DetailsPane::showEntry(const diskcache::Entry* entry)
{
    while (m_form->rowCount() > 0) m_form->removeRow(0);
    m_viewerCombo->clear();
    m_viewerCombo->setEnabled(false);
    m_valueRepr.clear();
    m_stack->setCurrentWidget(m_noValue);  // the previous entry's value must not linger
    if (!entry) {
        m_key->setText(tr("No entry selected"));
        m_status->clear();
        m_client->newGeneration();
        return;
    }
    const double now = format::nowSeconds();
    m_key->setText(format::repr(entry->key, 2000));
    setField(tr("Key type"), format::fromStd(entry->keyType));
    setField(tr("Value type"), format::fromStd(entry->valueType));
    setField(tr("Mode"), QString::fromLatin1(diskcache::storeModeName(entry->mode)));
    const std::int64_t length = entry->storedLength >= 0 ? entry->storedLength : entry->size;
    setField(tr("Size"), format::humanSize(length), format::exactBytes(length));
    setField(tr("Stored in"), entry->filename ? tr("file %1").arg(format::fromStd(*entry->filename)) : tr("cache.db"));
    if (entry->shard) setField(tr("Shard"), format::fromStd(*entry->shard));
    setField(tr("Tag"), entry->tag.isNone() ? tr("none") : format::repr(entry->tag, 200));
    setField(tr("Stored"), format::exactTime(entry->storeTime), format::agoText(entry->storeTime, now));
    setField(tr("Last access"), format::exactTime(entry->accessTime), format::agoText(entry->accessTime, now));
    if (entry->accessCount) setField(tr("Accesses"), QString::number(*entry->accessCount));
    setField(tr("Expires"), format::expiresText(entry->expireTime, now), format::exactTime(entry->expireTime));
    m_status->setText(tr("Loading value…"));
    m_client->requestValue(*entry);
}

void DetailsPane::showLoadingEntry()
{
    showEntry(nullptr);
    m_key->setText(tr("Loading entry…"));
}

void DetailsPane::onValue(const ValueReply& reply)
{
    m_reply = reply;
    m_viewerCombo->clear();
    if (!reply.ok) {
        m_status->setText(reply.error);
        m_viewerCombo->setEnabled(false);
        Q_EMIT valueShown();
        return;
    }
    m_valueRepr = format::repr(reply.value, 100000);
    int best = -1;
    int bestScore = 0;
    for (int i = 0; i < static_cast<int>(m_viewers.size()); ++i) {
        const int score = m_viewers[static_cast<std::size_t>(i)]->score(reply);
        if (score <= 0) continue;
        m_viewerCombo->addItem(m_viewers[static_cast<std::size_t>(i)]->name(), i);
        if (score > bestScore) {
            bestScore = score;
            best = m_viewerCombo->count() - 1;
        }
    }
    m_viewerCombo->setEnabled(m_viewerCombo->count() > 1);
    m_viewerCombo->setCurrentIndex(best);
    showViewer(best);
    Q_EMIT valueShown();
}

void DetailsPane::showViewer(int comboIndex)
{
    if (comboIndex < 0) return;
    auto& viewer = m_viewers[static_cast<std::size_t>(m_viewerCombo->itemData(comboIndex).toInt())];
    viewer->show(m_reply);
    m_stack->setCurrentWidget(viewer->widget());
    QString status = tr("%1 value (%2), shown as %3")
                         .arg(format::fromStd(diskcache::inspect::pythonTypeName(m_reply.value)),
                              format::humanSize(static_cast<std::int64_t>(m_reply.stored.size())), viewer->name());
    if (!m_reply.decodedReason.empty()) status += QStringLiteral(" — ") + format::fromStd(m_reply.decodedReason);
    m_status->setText(status);
    m_status->setWordWrap(true);
}

QString DetailsPane::statusText() const { return m_status->text(); }

QString DetailsPane::currentViewerName() const { return m_viewerCombo->currentText(); }

}  // namespace cachescope

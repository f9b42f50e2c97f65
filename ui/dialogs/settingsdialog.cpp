#include "dialogs/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

#include "actions/maintenancetext.h"
#include "common/format.h"

namespace cachescope {

namespace {

constexpr diskcache::EvictionPolicy kPolicies[] = {
    diskcache::EvictionPolicy::LeastRecentlyStored, diskcache::EvictionPolicy::LeastRecentlyUsed,
    diskcache::EvictionPolicy::LeastFrequentlyUsed, diskcache::EvictionPolicy::None};

QString onOff(bool on) { return on ? QObject::tr("on") : QObject::tr("off"); }

}  // namespace

SettingsDialog::SettingsDialog(const MaintenancePlan& plan, QWidget* parent)
    : QDialog(parent), m_plan(plan), m_sizeLimit(new QLineEdit(this)), m_cullLimit(new QSpinBox(this)),
      m_policy(new QComboBox(this)), m_statistics(new QCheckBox(tr("Count hits and misses"), this)),
      m_resetStatistics(new QCheckBox(tr("Zero hits and misses now (%1 / %2)").arg(maintenancetext::count(plan.hits), maintenancetext::count(plan.misses)), this)),
      m_tagIndex(new QCheckBox(tr("Index on tags (faster Evict, slower writes)"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Cache Settings"));
    const auto& settings = plan.settings;
    m_sizeLimit->setObjectName(QStringLiteral("sizeLimitEdit"));
    m_sizeLimit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,18}")), m_sizeLimit));
    m_sizeLimit->setText(QString::number(plan.sizeLimit));
    auto* sizeHint = new QLabel(this);
    const auto showSize = [sizeHint, this] {
        const auto bytes = sizeLimit();
        sizeHint->setText(bytes ? format::humanSize(*bytes) : tr("a number of bytes"));
    };
    connect(m_sizeLimit, &QLineEdit::textChanged, this, showSize);
    showSize();
    m_cullLimit->setObjectName(QStringLiteral("cullLimitSpin"));
    m_cullLimit->setRange(0, 1000000);
    m_cullLimit->setValue(static_cast<int>(settings.cullLimit));
    m_cullLimit->setToolTip(tr("Most entries one set() removes while culling; 0: set() never culls"));
    m_policy->setObjectName(QStringLiteral("policyCombo"));
    for (auto policy : kPolicies) m_policy->addItem(QString::fromLatin1(diskcache::evictionPolicyName(policy)));
    m_policy->setCurrentText(QString::fromLatin1(diskcache::evictionPolicyName(settings.evictionPolicy)));
    m_statistics->setObjectName(QStringLiteral("statisticsCheck"));
    m_statistics->setChecked(settings.statistics);
    m_resetStatistics->setObjectName(QStringLiteral("resetStatisticsCheck"));
    m_tagIndex->setObjectName(QStringLiteral("tagIndexCheck"));
    m_tagIndex->setChecked(settings.tagIndex);

    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_sizeLimit, 1);
    sizeRow->addWidget(sizeHint);
    auto* form = new QFormLayout;
    form->addRow(plan.caches > 1 ? tr("Size limit (bytes, all %1 shards):").arg(plan.caches) : tr("Size limit (bytes):"), sizeRow);
    form->addRow(tr("Cull limit:"), m_cullLimit);
    form->addRow(tr("Eviction policy:"), m_policy);
    form->addRow(tr("Statistics:"), m_statistics);
    form->addRow(QString(), m_resetStatistics);
    form->addRow(tr("Tag index:"), m_tagIndex);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &QDialog::accept);
}

std::optional<std::int64_t> SettingsDialog::sizeLimit() const
{
    bool ok = false;
    const qlonglong bytes = m_sizeLimit->text().toLongLong(&ok);
    return ok ? std::optional<std::int64_t>(bytes) : std::nullopt;
}

SettingsChange SettingsDialog::change() const
{
    const auto& old = m_plan.settings;
    SettingsChange change;
    if (const auto bytes = sizeLimit(); bytes && *bytes != m_plan.sizeLimit) change.sizeLimit = *bytes;
    if (m_cullLimit->value() != old.cullLimit) change.cullLimit = m_cullLimit->value();
    const auto policy = kPolicies[std::max(0, m_policy->currentIndex())];
    if (policy != old.evictionPolicy) change.policy = policy;
    if (m_statistics->isChecked() != old.statistics) change.statistics = m_statistics->isChecked();
    change.resetStatistics = m_resetStatistics->isChecked();
    if (m_tagIndex->isChecked() != old.tagIndex) change.tagIndex = m_tagIndex->isChecked();
    return change;
}

QStringList SettingsDialog::describe() const
{
    const auto& old = m_plan.settings;
    const SettingsChange c = change();
    QStringList lines;
    if (c.sizeLimit)
        lines << tr("size limit: %1 → %2").arg(format::humanSize(m_plan.sizeLimit), format::humanSize(*c.sizeLimit));
    if (c.cullLimit) lines << tr("cull limit: %1 → %2").arg(old.cullLimit).arg(*c.cullLimit);
    if (c.policy)
        lines << tr("eviction policy: %1 → %2").arg(QString::fromLatin1(diskcache::evictionPolicyName(old.evictionPolicy)),
                                                    QString::fromLatin1(diskcache::evictionPolicyName(*c.policy)));
    if (c.statistics) lines << tr("statistics: %1 → %2").arg(onOff(old.statistics), onOff(*c.statistics));
    if (c.resetStatistics) lines << tr("hits and misses: set to 0");
    if (c.tagIndex) lines << tr("tag index: %1 → %2").arg(onOff(old.tagIndex), onOff(*c.tagIndex));
    return lines;
}

}  // namespace cachescope

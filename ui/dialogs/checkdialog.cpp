#include "dialogs/checkdialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "actions/maintenancetext.h"
#include "common/format.h"

namespace cachescope {

CheckDialog::CheckDialog(QWidget* parent)
    : QDialog(parent), m_summary(new QLabel(this)), m_tree(new QTreeWidget(this)), m_note(new QLabel(this)),
      m_fix(new QPushButton(tr("Fix…"), this)), m_again(new QPushButton(tr("Check Again"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("checkDialog"));
    setWindowTitle(tr("Check"));
    m_summary->setObjectName(QStringLiteral("checkSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree->setObjectName(QStringLiteral("findingsTree"));
    m_tree->setHeaderLabels({tr("Finding"), tr("Detail")});
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 420);
    m_note->setWordWrap(true);
    m_fix->setObjectName(QStringLiteral("fixButton"));
    m_again->setObjectName(QStringLiteral("checkAgainButton"));
    m_buttons->addButton(m_fix, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_note);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_fix, &QPushButton::clicked, this, &CheckDialog::fixRequested);
    connect(m_again, &QPushButton::clicked, this, &CheckDialog::checkAgainRequested);
    resize(860, 480);
}

void CheckDialog::showCheck(const QString& store, const MaintenanceResult& result)
{
    m_store = store;
    m_findings = result.ok && !result.cancelled ? result.findings : std::vector<diskcache::Finding>{};
    fill(m_findings);
    const QString where = QDir::toNativeSeparators(store);
    if (!result.ok) m_summary->setText(tr("Check of %1 failed.\n%2").arg(where, result.error));
    else if (result.cancelled) m_summary->setText(tr("Check of %1 was cancelled.").arg(where));
    else if (m_findings.empty()) m_summary->setText(tr("Check of %1 found no problems.").arg(where));
    else m_summary->setText(tr("Check of %1 found %2 problems. Nothing has been changed.").arg(where, maintenancetext::count(static_cast<std::int64_t>(m_findings.size()))));
    updateButtons();
}

void CheckDialog::showFix(const MaintenanceResult& result)
{
    m_summary->setText(result.ok ? maintenancetext::resultText(result) : tr("Fix failed; the cache was left as it was.\n%1").arg(result.error));
    if (result.ok && !result.cancelled) {
        m_findings = result.remaining;
        fill(m_findings);
    }
    updateButtons();
}

void CheckDialog::setFixAllowed(bool allowed, const QString& why)
{
    m_fixAllowed = allowed;
    QString note = tr("Untick what must stay as it is (a file that is not the cache's, say); Fix repairs the ticked "
                      "findings in one transaction, after asking and listing every file it would delete.");
    if (!allowed && !why.isEmpty()) note += QLatin1Char(' ') + why + QLatin1Char('.');
    m_note->setText(note);
    m_fix->setToolTip(allowed ? tr("Repair every finding listed (asks first)") : why);
    updateButtons();
}

void CheckDialog::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void CheckDialog::updateButtons()
{
    m_fix->setEnabled(m_fixAllowed && !m_busy && !m_findings.empty());
    m_again->setEnabled(!m_busy && !m_store.isEmpty());
}

void CheckDialog::fill(const std::vector<diskcache::Finding>& findings)
{
    m_tree->clear();
    std::map<diskcache::Finding::Kind, QTreeWidgetItem*> groups;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const auto& finding = findings[i];
        auto& group = groups[finding.kind];
        if (!group) {
            group = new QTreeWidgetItem(m_tree);
            group->setFlags(group->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
            group->setText(1, maintenancetext::fixEffect(finding.kind));
            group->setToolTip(1, tr("What Fix does"));
        }
        auto* item = new QTreeWidgetItem(group);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        item->setData(0, Qt::UserRole, static_cast<qulonglong>(i));
        item->setText(0, QDir::toNativeSeparators(format::fromStd(finding.path)));
        item->setText(1, format::fromStd(finding.detail));
        item->setToolTip(0, item->text(0));
        item->setToolTip(1, item->text(1));
    }
    for (auto& [kind, group] : groups)
        group->setText(0, tr("%1 (%2)").arg(maintenancetext::findingTitle(kind)).arg(group->childCount()));
    m_tree->expandAll();
}

std::vector<diskcache::Finding> CheckDialog::chosenFindings() const
{
    std::vector<std::size_t> ticked;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = m_tree->topLevelItem(g);
        for (int c = 0; c < group->childCount(); ++c)
            if (group->child(c)->checkState(0) == Qt::Checked) ticked.push_back(group->child(c)->data(0, Qt::UserRole).toULongLong());
    }
    std::sort(ticked.begin(), ticked.end());
    std::vector<diskcache::Finding> chosen;
    for (std::size_t i : ticked)
        if (i < m_findings.size()) chosen.push_back(m_findings[i]);
    return chosen;
}

}  // namespace cachescope

#include "actions/maintenanceactions.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QTableView>

#include <algorithm>

#include "common/format.h"
#include "dialogs/checkdialog.h"
#include "dialogs/settingsdialog.h"
#include "models/entrytablemodel.h"
#include "views/entriesview.h"
#include "views/filterbar.h"
#include "views/taskpanel.h"
#include "workers/maintenanceclient.h"

namespace cachescope {

namespace {

bool maintainable(diskcache::StoreKind kind)
{
    using K = diskcache::StoreKind;
    return kind == K::Cache || kind == K::Fanout || kind == K::Deque || kind == K::Index;
}

// Touch's choices of a new expiry, in seconds from now (none: never).
const std::vector<std::pair<const char*, std::optional<double>>>& touchChoices()
{
    static const std::vector<std::pair<const char*, std::optional<double>>> choices{
        {QT_TRANSLATE_NOOP("MaintenanceActions", "in 1 minute"), 60.0},
        {QT_TRANSLATE_NOOP("MaintenanceActions", "in 1 hour"), 3600.0},
        {QT_TRANSLATE_NOOP("MaintenanceActions", "in 1 day"), 86400.0},
        {QT_TRANSLATE_NOOP("MaintenanceActions", "in 1 week"), 7 * 86400.0},
        {QT_TRANSLATE_NOOP("MaintenanceActions", "never"), std::nullopt},
    };
    return choices;
}

}  // namespace

MaintenanceActions::MaintenanceActions(QWidget* window, EntriesView* entries, TaskPanel* panel)
    : QObject(window), m_window(window), m_entries(entries), m_panel(panel), m_client(new MaintenanceClient(this))
{
    m_writeMode = new QAction(tr("&Write Mode"), this);
    m_writeMode->setObjectName(QStringLiteral("writeModeAction"));
    m_writeMode->setCheckable(true);
    m_writeMode->setIcon(window->style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_writeMode->setToolTip(tr("Allow maintenance that changes the cache. Off: Cachescope only reads."));
    m_check = makeAction(tr("&Check…"), tr("Look for problems without changing anything"), false);
    m_expire = makeAction(tr("&Expire…"), tr("Remove the entries that have expired"), true);
    m_cull = makeAction(tr("C&ull…"), tr("Remove expired entries, then the oldest by policy, down to the size limit"), true);
    m_evict = makeAction(tr("E&vict Tag…"), tr("Remove every entry with the selected entry's tag (or the filter's tag)"), true);
    m_clear = makeAction(tr("C&lear…"), tr("Remove every entry of the selected store"), true);
    m_delete = makeAction(tr("&Delete Selected…"), tr("Delete the selected entries"), true);
    m_touch = makeAction(tr("&Touch Selected…"), tr("Give the selected entries a new expiry"), true);
    m_settings = makeAction(tr("&Settings…"), tr("Change size limit, cull limit, eviction policy, statistics, tag index"), true);
    m_settings->setObjectName(QStringLiteral("settingsAction"));
    m_exportFiltered = makeAction(tr("&Export Filtered Entries…"), tr("Write the entries under the current filter to JSON Lines or CSV"), false);
    m_exportSelected = makeAction(tr("Export &Selected Entries…"), tr("Write the selected entries to JSON Lines or CSV"), false);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetShortcut);
    m_entries->table()->addAction(m_delete);

    connect(m_writeMode, &QAction::toggled, this, [this](bool on) {
        updateEnabled();
        if (m_checkDialog) m_checkDialog->setFixAllowed(on, tr("Switch on Write Mode in the toolbar to fix"));
        Q_EMIT writeModeChanged(on);
    });
    connect(m_check, &QAction::triggered, this, &MaintenanceActions::check);
    connect(m_expire, &QAction::triggered, this, [this] { plan(MaintenanceKind::Expire); });
    connect(m_cull, &QAction::triggered, this, [this] { plan(MaintenanceKind::Cull); });
    connect(m_clear, &QAction::triggered, this, [this] { plan(MaintenanceKind::Clear); });
    connect(m_evict, &QAction::triggered, this, &MaintenanceActions::evictTag);
    connect(m_delete, &QAction::triggered, this, [this] { changeSelected(MaintenanceKind::Delete); });
    connect(m_touch, &QAction::triggered, this, &MaintenanceActions::askTouchExpiry);
    connect(m_exportFiltered, &QAction::triggered, this, [this] { askExportFile(false); });
    connect(m_exportSelected, &QAction::triggered, this, [this] { askExportFile(true); });
    connect(m_settings, &QAction::triggered, this, [this] { plan(MaintenanceKind::Settings); });
    connect(m_entries->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MaintenanceActions::updateEnabled);
    connect(m_entries->model(), &QAbstractItemModel::modelReset, this, &MaintenanceActions::updateEnabled);

    connect(m_client, &MaintenanceClient::planReady, this, &MaintenanceActions::onPlan);
    connect(m_client, &MaintenanceClient::finished, this, &MaintenanceActions::onFinished);
    connect(m_client, &MaintenanceClient::progress, m_panel, &TaskPanel::setProgress);
    connect(m_panel, &TaskPanel::cancelRequested, this, [this] {
        m_planCancelled = true;
        m_client->cancel();
    });
    updateEnabled();
}

QAction* MaintenanceActions::makeAction(const QString& text, const QString& tip, bool needsWrite)
{
    auto* action = new QAction(text, this);
    action->setToolTip(needsWrite ? tip + tr(" (needs write mode)") : tip);
    if (needsWrite) m_writeActions << action;
    return action;
}

bool MaintenanceActions::writeMode() const { return m_writeMode->isChecked(); }
void MaintenanceActions::setWriteMode(bool on) { m_writeMode->setChecked(on); }
bool MaintenanceActions::isBusy() const { return m_client->isBusy(); }

void MaintenanceActions::setStore(const QString& directory, std::optional<diskcache::StoreKind> kind)
{
    m_store = directory;
    m_kind = kind;
    updateEnabled();
}

void MaintenanceActions::updateEnabled()
{
    const bool idle = !m_client->isBusy();
    const bool store = m_kind && maintainable(*m_kind);
    const bool checkable = m_kind && *m_kind != diskcache::StoreKind::DjangoFile;
    const bool selected = m_entries->table()->selectionModel()->hasSelection();
    m_check->setEnabled(idle && checkable);
    const bool rows = m_kind && *m_kind != diskcache::StoreKind::Collection;
    m_exportFiltered->setEnabled(idle && rows);
    m_exportSelected->setEnabled(idle && rows && selected);
    for (QAction* action : m_writeActions) action->setEnabled(idle && store && writeMode());
    m_delete->setEnabled(m_delete->isEnabled() && selected);
    m_touch->setEnabled(m_touch->isEnabled() && selected);
    if (m_checkDialog) m_checkDialog->setBusy(!idle);
}

MaintenanceRequest MaintenanceActions::request(MaintenanceKind kind) const
{
    MaintenanceRequest request;
    request.kind = kind;
    request.store = m_store;
    request.lockTimeout = m_lockTimeout;
    return request;
}

// ---- Expire, Cull, Evict, Clear: plan, confirm, run --------------------------

void MaintenanceActions::plan(MaintenanceKind kind, const diskcache::Value& tag)
{
    if (!writeMode()) return;  // the actions are disabled then; a shortcut must not get round it
    MaintenanceRequest request = this->request(kind);
    request.tag = tag;
    m_planCancelled = false;
    if (!m_client->plan(request)) return;
    m_panel->start(kind == MaintenanceKind::Settings ? tr("Reading the settings…")
                                                     : tr("%1: counting what it would remove…").arg(maintenanceName(kind)),
                   0);
    updateEnabled();
}

void MaintenanceActions::onPlan(const MaintenancePlan& plan)
{
    m_panel->finish();
    updateEnabled();
    if (m_planCancelled) return;
    if (!plan.ok) {
        showError(maintenanceName(plan.request.kind), plan.error);
        return;
    }
    if (plan.request.kind == MaintenanceKind::Settings) {
        editSettings(plan);
        return;
    }
    if (plan.count == 0 && plan.request.kind != MaintenanceKind::Cull) {
        Q_EMIT message(tr("%1: nothing to remove.").arg(maintenanceName(plan.request.kind)));
        return;
    }
    ask(maintenancetext::forPlan(plan), plan.request, plan.count);
}

void MaintenanceActions::ask(const maintenancetext::Confirmation& confirmation, const MaintenanceRequest& request, qint64 total)
{
    auto* box = new QMessageBox(QMessageBox::Warning, confirmation.title, confirmation.text, QMessageBox::Yes | QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("maintenanceConfirm"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->button(QMessageBox::Yes)->setText(confirmation.button);
    box->setDefaultButton(QMessageBox::Cancel);  // Enter alone never destroys anything
    if (!confirmation.detail.isEmpty()) box->setDetailedText(confirmation.detail);
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, [this, request, total] { run(request, total); });
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MaintenanceActions::run(const MaintenanceRequest& request, qint64 total)
{
    if (changesCache(request.kind) && !writeMode()) return;
    if (!m_client->run(request)) {
        showError(maintenanceName(request.kind), tr("Another action is still running; wait for it or cancel it first."));
        return;
    }
    const QString what = request.kind == MaintenanceKind::Check    ? tr("Checking…")
                         : request.kind == MaintenanceKind::Export ? tr("Exporting…")
                         : request.kind == MaintenanceKind::Fix ? tr("Fixing…")
                                                                : tr("%1 running…").arg(maintenanceName(request.kind));
    m_panel->start(what, total);
    updateEnabled();
}

void MaintenanceActions::onFinished(const MaintenanceResult& result)
{
    m_last = result;
    m_panel->finish();
    updateEnabled();
    if (result.kind == MaintenanceKind::Check && m_checkDialog) m_checkDialog->showCheck(m_checkDialog->store(), result);
    else if (result.kind == MaintenanceKind::Fix && m_checkDialog) m_checkDialog->showFix(result);
    else if (!result.ok) showError(maintenanceName(result.kind), result.error);
    Q_EMIT message(maintenancetext::resultText(result));
    // Even a failed or cancelled job may have committed batches before it stopped.
    if (changesCache(result.kind)) Q_EMIT cacheChanged();
    Q_EMIT finished(result);
}

void MaintenanceActions::evictTag()
{
    std::optional<diskcache::Value> tag;
    if (const auto* entry = m_entries->currentEntry(); entry && !entry->tag.isNone()) tag = entry->tag;
    else if (const auto filter = m_entries->filterBar()->filter(); filter.tag && !filter.tag->isNone()) tag = filter.tag;
    if (!tag) {
        showError(tr("Evict Tag"), tr("Select an entry that has the tag, or type the tag in the filter bar's tag field."));
        return;
    }
    plan(MaintenanceKind::Evict, *tag);
}

// ---- Delete and Touch of the selected entries --------------------------------

void MaintenanceActions::changeSelected(MaintenanceKind kind)
{
    if (!writeMode()) return;
    MaintenanceRequest request = this->request(kind);
    request.entries = m_entries->selectedEntries();
    if (request.entries.empty()) return;
    if (kind == MaintenanceKind::Touch) request.expire = m_touchExpire;
    ask(maintenancetext::forEntries(request), request, static_cast<qint64>(request.entries.size()));
}

void MaintenanceActions::askTouchExpiry()
{
    if (!writeMode()) return;
    auto* dialog = new QInputDialog(m_window);
    dialog->setObjectName(QStringLiteral("touchDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Touch"));
    dialog->setLabelText(tr("New expiry of the selected entries:"));
    QStringList names;
    for (const auto& [name, seconds] : touchChoices()) names << tr(name);
    dialog->setComboBoxItems(names);
    dialog->setComboBoxEditable(false);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, names](const QString& text) {
        m_touchExpire = touchChoices().at(static_cast<std::size_t>(std::max<qsizetype>(0, names.indexOf(text)))).second;
        changeSelected(MaintenanceKind::Touch);
    });
    dialog->open();
}

void MaintenanceActions::editSettings(const MaintenancePlan& plan)
{
    auto* dialog = new SettingsDialog(plan, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        MaintenanceRequest request = dialog->plan().request;
        request.settings = dialog->change();
        if (request.settings.empty()) {
            Q_EMIT message(tr("No setting was changed."));
            return;
        }
        ask(maintenancetext::forSettings(request.store, dialog->plan().caches, dialog->describe()), request, dialog->plan().caches);
    });
    dialog->open();
}

// ---- Export (reads only) ----------------------------------------------------

void MaintenanceActions::askExportFile(bool selected)
{
    MaintenanceRequest request = this->request(MaintenanceKind::Export);
    if (selected) {
        request.entries = m_entries->selectedEntries();
        if (request.entries.empty()) return;
    } else {
        request.filter = m_entries->model()->filter();
    }
    auto* dialog = new QFileDialog(m_window, selected ? tr("Export Selected Entries") : tr("Export Filtered Entries"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("JSON Lines (*.jsonl)"), tr("CSV (*.csv)")});
    dialog->setDefaultSuffix(QStringLiteral("jsonl"));
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog](const QString& filter) {
        dialog->setDefaultSuffix(filter.contains(QLatin1String("*.csv")) ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    });
    connect(dialog, &QFileDialog::fileSelected, this, [this, request](const QString& path) mutable {
        request.exportPath = path;
        request.exportCsv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
        const qint64 total = request.entries.empty() ? m_entries->model()->total() : static_cast<qint64>(request.entries.size());
        run(request, total);
    });
    dialog->open();
}

// ---- Check and Fix -----------------------------------------------------------

void MaintenanceActions::check()
{
    if (!m_checkDialog) {
        m_checkDialog = new CheckDialog(m_window);
        connect(m_checkDialog, &CheckDialog::fixRequested, this, &MaintenanceActions::askFix);
        connect(m_checkDialog, &CheckDialog::checkAgainRequested, this, [this] {
            MaintenanceRequest again = request(MaintenanceKind::Check);
            again.store = m_checkDialog->store();
            run(again, 0);
        });
    }
    m_checkDialog->setFixAllowed(writeMode(), tr("Switch on Write Mode in the toolbar to fix"));
    MaintenanceResult nothingYet;
    nothingYet.ok = true;
    m_checkDialog->showCheck(m_store, nothingYet);
    m_checkDialog->summaryLabel()->setText(tr("Checking %1…").arg(QDir::toNativeSeparators(m_store)));
    m_checkDialog->show();
    m_checkDialog->raise();
    run(request(MaintenanceKind::Check), 0);
}

void MaintenanceActions::askFix()
{
    if (!m_checkDialog || !writeMode() || m_checkDialog->findings().empty()) return;
    MaintenanceRequest fix = request(MaintenanceKind::Fix);
    fix.store = m_checkDialog->store();
    const auto chosen = m_checkDialog->chosenFindings();
    if (chosen.empty()) {
        Q_EMIT message(tr("Nothing is ticked, so there is nothing to fix."));
        return;
    }
    const std::size_t unticked = m_checkDialog->findings().size() - chosen.size();
    // All ticked: the engine's own check(fix=true), exactly as Python's check(fix=True) repairs.
    if (unticked > 0) fix.findings = chosen;
    ask(maintenancetext::forFix(fix.store, chosen, unticked), fix, 0);
}

void MaintenanceActions::showError(const QString& title, const QString& text)
{
    // First line: what happened, in plain words; the rest: the engine's detail.
    const qsizetype cut = text.indexOf(QLatin1Char('\n'));
    auto* box = new QMessageBox(QMessageBox::Warning, title, cut < 0 ? text : text.left(cut), QMessageBox::Close, m_window);
    box->setObjectName(QStringLiteral("maintenanceError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (cut >= 0) box->setDetailedText(text.mid(cut + 1));
    box->open();
}

}  // namespace cachescope

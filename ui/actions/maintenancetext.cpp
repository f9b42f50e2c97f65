#include "actions/maintenancetext.h"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>

#include <algorithm>
#include <map>

#include "common/format.h"

namespace cachescope::maintenancetext {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("Maintenance", text); }

QString native(const QString& directory) { return QDir::toNativeSeparators(directory); }

QString entries(std::int64_t n) { return n == 1 ? tr("1 entry") : tr("%1 entries").arg(count(n)); }

// "in 4 shards of" / "in" — a fanout's shards are named, since each is a cache.
QString where(const MaintenancePlan& plan)
{
    return plan.caches > 1 ? tr("in the %1 shards of %2").arg(plan.caches).arg(native(plan.request.store))
                           : tr("in %1").arg(native(plan.request.store));
}

QString afterwards()
{
    return tr("It runs in the background in batches of whole transactions; Cancel stops it after the current batch and "
              "leaves the cache consistent.");
}

}  // namespace

QString count(std::int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

Confirmation forPlan(const MaintenancePlan& plan)
{
    Confirmation c;
    const auto kind = plan.request.kind;
    c.title = maintenanceName(kind);
    const QString bytes = plan.bytes >= 0 ? format::humanSize(plan.bytes) : QString();
    switch (kind) {
    case MaintenanceKind::Expire:
        c.text = tr("Expire removes the %1 that have expired (%2 stored) %3. Live entries stay.")
                     .arg(entries(plan.count), bytes, where(plan));
        c.button = tr("Remove %1").arg(entries(plan.count));
        break;
    case MaintenanceKind::Evict:
        c.text = tr("Evict removes the %1 tagged %2 (%3 stored) %4. Entries with other tags stay.")
                     .arg(entries(plan.count), format::repr(plan.request.tag, 80), bytes, where(plan));
        c.button = tr("Remove %1").arg(entries(plan.count));
        break;
    case MaintenanceKind::Cull:
        c.text = tr("Cull removes the %1 expired entries, then the first entries by the cache's policy (%2) until the "
                    "volume is at or below the size limit: %3 now, limit %4. That is about %5 (%6 stored) %7, leaving "
                    "a volume of about %8.")
                     .arg(count(plan.expired), plan.policy, format::humanSize(plan.volume), format::humanSize(plan.sizeLimit),
                          entries(plan.count), format::humanSize(std::max<std::int64_t>(plan.bytes, 0)), where(plan),
                          format::humanSize(std::max<std::int64_t>(plan.volume - std::max<std::int64_t>(plan.bytes, 0), 0)));
        c.detail = tr("The entries it would remove, in its order:") + QLatin1Char('\n') + plan.victims.join(QLatin1Char('\n'));
        if (plan.victims.size() < plan.count) c.detail += QLatin1Char('\n') + tr("… and %1 more").arg(count(plan.count - plan.victims.size()));
        if (plan.policy == QLatin1String("none")) c.text += QLatin1Char(' ') + tr("With policy “none” only expired entries go.");
        c.button = tr("Cull");
        break;
    case MaintenanceKind::Clear:
        c.text = tr("Clear removes every entry %1: all %2 (%3 in value files). This cannot be undone.")
                     .arg(where(plan), entries(plan.total), format::humanSize(plan.fileBytes));
        c.button = tr("Clear %1").arg(entries(plan.total));
        break;
    default: break;
    }
    c.text += QStringLiteral("\n\n") + afterwards();
    return c;
}

Confirmation forEntries(const MaintenanceRequest& request)
{
    Confirmation c;
    std::int64_t bytes = 0;
    QStringList keys;
    for (const auto& entry : request.entries) {
        bytes += entry.storedLength >= 0 ? entry.storedLength : entry.size;
        keys << format::repr(entry.key, 200);
    }
    const std::int64_t n = static_cast<std::int64_t>(request.entries.size());
    c.detail = keys.join(QLatin1Char('\n'));
    c.title = maintenanceName(request.kind);
    if (request.kind == MaintenanceKind::Delete) {
        c.text = tr("Delete %1 (%2 stored) from %3?").arg(entries(n), format::humanSize(bytes), native(request.store));
        if (n == 1) c.text = tr("Delete the entry %1 (%2 stored) from %3?").arg(keys.first(), format::humanSize(bytes), native(request.store));
        c.text += QStringLiteral("\n\n") + tr("Expired entries are left for Expire, as Python's delete() leaves them.");
        c.button = tr("Delete %1").arg(entries(n));
    } else {
        const QString when = request.expire ? tr("expire in %1").arg(format::humanDuration(*request.expire)) : tr("never expire");
        c.text = tr("Make %1 in %2 %3?").arg(entries(n), native(request.store), when);
        c.button = tr("Touch %1").arg(entries(n));
    }
    return c;
}

Confirmation forFix(const QString& store, const std::vector<diskcache::Finding>& findings, std::size_t unticked)
{
    std::map<diskcache::Finding::Kind, int> kinds;
    QStringList lines;
    for (const auto& finding : findings) {
        ++kinds[finding.kind];
        lines << QStringLiteral("%1: %2").arg(findingTitle(finding.kind), format::fromStd(finding.path));
    }
    Confirmation c;
    c.title = tr("Fix");
    QStringList effects;
    for (const auto& [kind, n] : kinds) effects << QStringLiteral("• %1 (%2): %3").arg(findingTitle(kind)).arg(n).arg(fixEffect(kind));
    const QString rest = unticked == 0
                             ? tr("Everything listed is repaired, in one transaction. Files that no entry names are deleted "
                                  "even if they are not the cache's: see the list, and untick any that must stay.")
                             : tr("Only the ticked findings are repaired, in one transaction; the %1 unticked stay as they are.")
                                   .arg(count(static_cast<std::int64_t>(unticked)));
    c.text = tr("Fixing %1 will:\n%2\n\n%3").arg(native(store), effects.join(QLatin1Char('\n')), rest);
    c.detail = lines.join(QLatin1Char('\n'));
    c.button = tr("Fix %1 problems").arg(count(static_cast<std::int64_t>(findings.size())));
    return c;
}

Confirmation forSettings(const QString& store, int caches, const QStringList& changes)
{
    Confirmation c;
    c.title = tr("Settings");
    const QString where = caches > 1 ? tr("every one of the %1 shards of %2").arg(caches).arg(native(store)) : native(store);
    c.text = tr("Change these settings of %1?\n%2\n\nProcesses that have the cache open keep their settings until they "
                "open it again, as with the library's own reset().")
                 .arg(where, QStringLiteral("• ") + changes.join(QStringLiteral("\n• ")));
    c.button = tr("Change %1 settings").arg(changes.size());
    return c;
}

QString findingTitle(diskcache::Finding::Kind kind)
{
    using K = diskcache::Finding::Kind;
    switch (kind) {
    case K::Integrity: return tr("Database integrity");
    case K::FileNotFound: return tr("Missing value files");
    case K::WrongFileSize: return tr("Value files of the wrong size");
    case K::UnknownFile: return tr("Files no entry names");
    case K::EmptyDirectory: return tr("Empty directories");
    case K::CountMismatch: return tr("Wrong entry count");
    case K::SizeMismatch: return tr("Wrong total size");
    case K::UnsafeFilename: return tr("Unsafe file names");
    }
    return {};
}

QString fixEffect(diskcache::Finding::Kind kind)
{
    using K = diskcache::Finding::Kind;
    switch (kind) {
    case K::Integrity: return tr("the database is rebuilt (VACUUM); damage it cannot repair stays");
    case K::FileNotFound: return tr("their entries are deleted");
    case K::WrongFileSize: return tr("their entries' size is corrected");
    case K::UnknownFile: return tr("the files are deleted");
    case K::EmptyDirectory: return tr("the directories are removed");
    case K::CountMismatch: return tr("the stored count is corrected");
    case K::SizeMismatch: return tr("the stored size is corrected");
    case K::UnsafeFilename: return tr("their entries are deleted; the files they name are not touched");
    }
    return {};
}

QString resultText(const MaintenanceResult& result)
{
    const QString name = maintenanceName(result.kind);
    if (!result.ok) return tr("%1 failed: %2").arg(name, result.error.section(QLatin1Char('\n'), 0, 0));
    const std::int64_t n = result.done;
    switch (result.kind) {
    case MaintenanceKind::Check:
        if (result.cancelled) return tr("Check cancelled.");
        return result.findings.empty() ? tr("Check found no problems.") : tr("Check found %1 problems.").arg(count(static_cast<std::int64_t>(result.findings.size())));
    case MaintenanceKind::Fix:
        if (result.cancelled) return tr("Fix cancelled; the cache was left as it was.");
        return tr("Fixed %1 problems; a new check finds %2.")
            .arg(count(static_cast<std::int64_t>(result.findings.size())), count(static_cast<std::int64_t>(result.remaining.size())));
    case MaintenanceKind::Export:
        if (result.cancelled) return tr("Export cancelled; no file was written.");
        return tr("Exported %1 to %2.").arg(entries(n), native(result.path));
    case MaintenanceKind::Settings:
        return result.cancelled ? tr("Settings cancelled after %1 caches.").arg(count(n)) : tr("Settings changed.");
    case MaintenanceKind::Delete:
    case MaintenanceKind::Touch: {
        QString text = result.kind == MaintenanceKind::Delete ? tr("Deleted %1.").arg(entries(n)) : tr("Touched %1.").arg(entries(n));
        if (result.skipped > 0) text += QLatin1Char(' ') + tr("%1 were expired or gone already.").arg(count(result.skipped));
        if (result.cancelled) text = tr("Cancelled.") + QLatin1Char(' ') + text;
        return text;
    }
    default:
        if (result.cancelled) return tr("%1 cancelled after removing %2; the cache is consistent.").arg(name, entries(n));
        return tr("%1 removed %2.").arg(name, entries(n));
    }
}

}  // namespace cachescope::maintenancetext

// The words of the maintenance actions: what a confirmation says will
// happen (counts, bytes, the directory), and what a finished job did. Pure
// functions of the plans and results, so tests and dialogs read the same text.
#pragma once

#include <QString>

#include <vector>

#include "workers/maintenancetypes.h"

namespace cachescope::maintenancetext {

struct Confirmation {
    QString title;
    QString text;     // what will happen, in a sentence or two
    QString detail;   // the full list (of entries or files), when there is one
    QString button;   // the verb on the button that does it: "Clear 1,200 entries"
};

// For Expire, Cull, Evict and Clear, from what the worker read.
Confirmation forPlan(const MaintenancePlan& plan);
// For Delete and Touch of the selected entries.
Confirmation forEntries(const MaintenanceRequest& request);
// For Check ▸ Fix of these findings in `store`, `unticked` others staying as they are.
Confirmation forFix(const QString& store, const std::vector<diskcache::Finding>& findings, std::size_t unticked);

// For a change of settings, one line per setting.
Confirmation forSettings(const QString& store, int caches, const QStringList& changes);

// "Removed 120 entries." / "Cancelled after removing 300 entries; ..."
QString resultText(const MaintenanceResult& result);

// The heading of a group of findings: "Missing value files".
QString findingTitle(diskcache::Finding::Kind kind);
// What fixing a finding of this kind does: "the row is deleted".
QString fixEffect(diskcache::Finding::Kind kind);

QString count(std::int64_t n);  // "1,234"

}  // namespace cachescope::maintenancetext

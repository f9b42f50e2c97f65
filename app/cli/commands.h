// One function per command; each returns the process's exit status
// (output.h's ExitCode) and prints its own results and errors.
#pragma once

#include "args.h"

namespace cli {

// cmd_inspect.cpp: read-only views.
int runInfo(const Invocation& inv);
int runList(const Invocation& inv);
int runGet(const Invocation& inv);
int runExport(const Invocation& inv);

// cmd_analyze.cpp: figures from one read of every row.
int runAnalyze(const Invocation& inv);

// cmd_write.cpp: changes to single items.
int runSet(const Invocation& inv);
int runDelete(const Invocation& inv);
int runTouch(const Invocation& inv);

// cmd_maintain.cpp: maintenance over whole stores.
int runCheck(const Invocation& inv);
int runRemoval(const Invocation& inv);  // expire, cull, evict, clear
int runStats(const Invocation& inv);

}  // namespace cli

// What SQLite itself costs on the reference workload, written in C against
// SQLite's API, to measure the engine against:
//  - PlainTableFloor: one plain table (key, value), prepared statements, WAL,
//    synchronous NORMAL: the least any store on SQLite can do.
//  - PythonSqlReplay: python-diskcache's exact statements for get, set and
//    delete on the very schema it makes (triggers and indexes included), with
//    its connection's pragmas: the Python library minus the interpreter.
#pragma once

#include <filesystem>
#include <memory>

#include "store.h"

namespace bench {

// nullptr when the database cannot be opened or prepared (the reason on stderr).
std::unique_ptr<Store> openPlainTableFloor(const std::filesystem::path& directory);
std::unique_ptr<Store> openPythonSqlReplay(const std::filesystem::path& directory);

}  // namespace bench

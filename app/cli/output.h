// What the commands share: printing results (JSON or text), errors and
// their exit codes, and reading KEY/TAG arguments.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "diskcache/inspect.h"
#include "json_writer.h"

namespace cli {

enum ExitCode { kExitOk = 0, kExitError = 1, kExitUsage = 2 };

// Prints "cachescope-cli: <message>" on stderr; returns kExitError.
int fail(const std::string& message);
int fail(const diskcache::Status& status);
// Prints a usage error; returns kExitUsage.
int usage(const std::string& message);

// Writes `text` to stdout exactly (binary-safe).
void writeOut(const std::string& text);
// Writes one JSON document and a newline.
void writeJson(const JsonWriter& json);

// A key as the listing shows it: Python's repr, or a django-file's md5 name.
std::string keyText(const diskcache::Entry& entry);
// A tag or setting in its natural JSON form: str as a string, int/float as
// a number, bytes (and pickles) as their Python repr, None as null.
void writeNatural(JsonWriter& json, const diskcache::Value& value);
// One entry as `ls` prints it, plus value_repr when given.
void writeEntry(JsonWriter& json, const diskcache::Entry& entry, const std::optional<std::string>& valueRepr = std::nullopt,
                bool withValueRepr = false);

// "2024-05-01 12:00:00" (UTC) for tables; "-" for none.
std::string humanTime(const std::optional<double>& seconds);
// Left-aligned text table with a header row.
std::string formatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// Opens any directory read-only; prints the error when it cannot.
diskcache::Result<std::unique_ptr<diskcache::Inspector>> openInspector(const std::string& directory);

// A KEY or TAG argument (CLI-NOTES: a Python literal, else text).
diskcache::Result<diskcache::Value> parseKey(const std::string& text, const diskcache::Inspector& inspector);
// A TAG must be a value diskcache stores raw (str, bytes, int, float).
diskcache::Result<diskcache::Value> parseTag(const std::string& text, int pickleProtocol);

std::optional<double> parseDouble(const std::string& text);
std::optional<std::int64_t> parseInt(const std::string& text);

// True when stderr is a terminal (progress is shown only there).
bool stderrIsTerminal();

// "label: N..." on stderr as long work goes on, only when it is a terminal.
class Progress {
public:
    explicit Progress(std::string label) : m_label(std::move(label)), m_show(stderrIsTerminal()) {}
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    // A callback for the engine that adds `base` to what it reports.
    diskcache::ProgressFn callback(std::int64_t base);

private:
    std::string m_label;
    bool m_show;
    bool m_shown = false;
};

}  // namespace cli

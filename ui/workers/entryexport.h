// The rows Export writes: JSON Lines or CSV with the fields and column order
// of `cachescope-cli export`, so a file from the window and one from a script
// read the same. Pure functions; call them from any thread.
#pragma once

#include <QByteArray>

#include <optional>
#include <string>

#include "diskcache/inspect.h"

namespace cachescope::entryexport {

enum class Format { JsonLines, Csv };

// The CSV header line, or nothing for JSON Lines.
QByteArray header(Format format);
// One entry as a line (ending in \n for JSON Lines, \r\n for CSV as RFC 4180 has it).
QByteArray row(Format format, const diskcache::Entry& entry, const std::optional<std::string>& valueRepr);

}  // namespace cachescope::entryexport

// A realistic demo store made through the engine: a FanoutCache-shaped
// directory (shards 000..003, keys routed by the portable shard hash) with
// thousands of entries of every kind, tags, live and expired entries, value
// files, a PNG, pickled keys and values, and a sub-store under cache/sessions.
#pragma once

#include <QString>

namespace cachescope::demo {

// The file that marks a folder as a demo this app made (and may rebuild).
inline constexpr const char* kMarkerName = ".cachescope-demo";

// Builds the demo in `directory`: a new or empty folder, or an earlier demo
// (which is emptied first); any other folder is refused. Returns an error
// text, or an empty string on success.
QString build(const QString& directory, int entries = 4000);

// Whether `directory` holds a demo made by build().
bool isDemoDirectory(const QString& directory);

// Where the app keeps its demo: a folder under the system temp directory.
QString defaultDirectory();

}  // namespace cachescope::demo

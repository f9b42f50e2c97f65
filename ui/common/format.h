// Formatting shared by the views: sizes, times and Python text as a user
// reads them. Pure functions; call them from any thread.
#pragma once

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>

#include "diskcache/value.h"

namespace cachescope::format {

QString fromStd(const std::string& text);
// "1.5 KiB", "312 B", "2.0 GiB".
QString humanSize(std::int64_t bytes);
// "1,234,567 bytes".
QString exactBytes(std::int64_t bytes);
// A duration in words: "5 min", "2 h", "3 d".
QString humanDuration(double seconds);
// "in 5 min" / "expired 2 h ago" / "never" relative to `now` (epoch seconds).
QString expiresText(std::optional<double> expireTime, double now);
// "5 min ago" or "-" when unset.
QString agoText(std::optional<double> time, double now);
// The exact local date and time of an epoch-seconds value ("" when unset).
QString exactTime(std::optional<double> time);
double nowSeconds();
// Python's repr() of a key, tag or value, cut to maxLength (0 = whole).
QString repr(const diskcache::Value& value, int maxLength = 0);

}  // namespace cachescope::format

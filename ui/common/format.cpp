#include "common/format.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

#include "diskcache/inspect.h"

namespace cachescope::format {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("cachescope::format", text); }
}  // namespace

QString fromStd(const std::string& text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

QString humanSize(std::int64_t bytes)
{
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (std::fabs(value) >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0) return QStringLiteral("%1 B").arg(bytes);
    return QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10 ? 1 : 0).arg(QLatin1String(units[unit]));
}

QString exactBytes(std::int64_t bytes)
{
    return tr("%1 bytes").arg(QLocale().toString(static_cast<qlonglong>(bytes)));
}

QString humanDuration(double seconds)
{
    seconds = std::fabs(seconds);
    if (seconds < 60) return tr("%1 s").arg(static_cast<int>(seconds));
    if (seconds < 3600) return tr("%1 min").arg(static_cast<int>(seconds / 60));
    if (seconds < 86400) return tr("%1 h").arg(static_cast<int>(seconds / 3600));
    if (seconds < 86400.0 * 365) return tr("%1 d").arg(static_cast<int>(seconds / 86400));
    return tr("%1 y").arg(static_cast<int>(seconds / (86400.0 * 365)));
}

QString expiresText(std::optional<double> expireTime, double now)
{
    if (!expireTime) return tr("never");
    const double delta = *expireTime - now;
    if (delta > 0) return tr("in %1").arg(humanDuration(delta));
    return tr("expired %1 ago").arg(humanDuration(delta));
}

QString agoText(std::optional<double> time, double now)
{
    if (!time) return QStringLiteral("-");
    const double delta = now - *time;
    if (delta < 0) return tr("in %1").arg(humanDuration(delta));
    return tr("%1 ago").arg(humanDuration(delta));
}

QString exactTime(std::optional<double> time)
{
    if (!time) return {};
    const auto ms = static_cast<qint64>(*time * 1000.0);
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t"));
}

double nowSeconds() { return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0; }

QString repr(const diskcache::Value& value, int maxLength)
{
    return fromStd(diskcache::inspect::pythonRepr(value, static_cast<std::size_t>(std::max(0, maxLength))));
}

}  // namespace cachescope::format

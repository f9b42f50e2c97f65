// Icons from resources/, with a style icon when SVG cannot be drawn here
// (no Qt SVG image plugin installed).
#pragma once

#include <QIcon>
#include <QStyle>

namespace cachescope {

// Registers the icons compiled into this library; call before using ":/icons".
void initResources();

// The icon `name` from resources/icons, or `fallback` without SVG support.
QIcon resourceIcon(const QString& name, QStyle::StandardPixmap fallback);

}  // namespace cachescope

#include "common/icons.h"

#include <QApplication>
#include <QImageReader>

// Qt's resource registration lives at global scope (Q_INIT_RESOURCE).
static void registerResources() { Q_INIT_RESOURCE(cachescope); }

namespace cachescope {

void initResources()
{
    // The icons are compiled into this static library, whose registration
    // object the linker drops unless something refers to it.
    static const bool once = (registerResources(), true);
    Q_UNUSED(once);
}

QIcon resourceIcon(const QString& name, QStyle::StandardPixmap fallback)
{
    initResources();
    static const bool svg = QImageReader::supportedImageFormats().contains("svg");
    if (svg) return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
    return QApplication::style()->standardIcon(fallback);
}

}  // namespace cachescope

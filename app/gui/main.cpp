// cachescope [DIR] | --demo | --make-demo DIR | --screenshot FILE.png [--tab entries|dashboard] [--action NAME] [DIR] | --bench DIR | --version
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/icons.h"
#include "demo/democache.h"
#include "screenshot.h"
#if defined(Q_OS_LINUX)
#include "bench.h"
#endif
#include "views/mainwindow.h"

namespace {

bool hasArgument(int argc, char** argv, const char* name)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return true;
    return false;
}

// Qt aborts when it finds no display; say so plainly instead.
bool displayAvailable(int argc, char** argv)
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (hasArgument(argc, argv, "-platform") || !platform.isEmpty()) return true;
    return !qgetenv("DISPLAY").isEmpty() || !qgetenv("WAYLAND_DISPLAY").isEmpty();
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return true;
#endif
}

}  // namespace

int main(int argc, char** argv)
{
    if (hasArgument(argc, argv, "--version")) {
        std::printf("cachescope %s\n", CACHESCOPE_VERSION);
        return 0;
    }
    const bool screenshot = hasArgument(argc, argv, "--screenshot");
    const bool makeDemoOnly = hasArgument(argc, argv, "--make-demo");
    const bool bench = hasArgument(argc, argv, "--bench");
    if ((screenshot || makeDemoOnly || bench) && qgetenv("QT_QPA_PLATFORM").isEmpty() && qgetenv("DISPLAY").isEmpty() && qgetenv("WAYLAND_DISPLAY").isEmpty())
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!displayAvailable(argc, argv)) {
        std::fprintf(stderr,
                     "cachescope: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                     "Run it in a desktop session, use QT_QPA_PLATFORM=offscreen with --screenshot,\n"
                     "or use cachescope-cli to inspect a cache from a terminal.\n");
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("cachescope"));
    QApplication::setOrganizationName(QStringLiteral("cachescope"));
    QApplication::setApplicationVersion(QStringLiteral(CACHESCOPE_VERSION));
    cachescope::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cachescope.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Read-only inspector for Python diskcache caches."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("version"), QApplication::translate("main", "Print the version and exit.")});
    parser.addOption({QStringLiteral("demo"), QApplication::translate("main", "Build a demo cache in a temporary folder and open it.")});
    parser.addOption({QStringLiteral("make-demo"), QApplication::translate("main", "Build the demo cache in DIR (a new or empty folder, or an earlier demo), then exit."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("screenshot"), QApplication::translate("main", "Save the window to FILE once loaded, then exit."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tab"), QApplication::translate("main", "Tab to show: entries or dashboard."), QStringLiteral("TAB"), QStringLiteral("entries")});
    parser.addOption({QStringLiteral("action"), QApplication::translate("main", "With --screenshot: show the dialog of a maintenance action (check, expire, cull, evict, clear) without ever confirming it."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("bench"), QApplication::translate("main", "Open DIR, measure how long the first rows, a new sort, a new filter and the last row take and the peak memory, print them as JSON and exit (Linux).")});
    parser.addPositionalArgument(QStringLiteral("DIR"), QApplication::translate("main", "The cache directory to open."));
    parser.process(app);

    if (parser.isSet(QStringLiteral("make-demo"))) {
        const QString target = parser.value(QStringLiteral("make-demo"));
        const QString error = cachescope::demo::build(target);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "cachescope: cannot build the demo cache: %s\n", qPrintable(error));
            return 1;
        }
        std::fprintf(stderr, "cachescope: built the demo cache in %s\n", qPrintable(QDir::toNativeSeparators(target)));
        return 0;
    }

    QString directory = parser.positionalArguments().value(0);
    if (parser.isSet(QStringLiteral("demo")) || directory.isEmpty()) {
        directory = cachescope::demo::defaultDirectory();
        std::fprintf(stderr, "cachescope: building the demo cache in %s\n", qPrintable(QDir::toNativeSeparators(directory)));
        const QString error = cachescope::demo::build(directory);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "cachescope: cannot build the demo cache: %s\n", qPrintable(error));
            return 1;
        }
    }

    QTemporaryDir screenshotSettings;
    if (screenshot || bench) {
        // A screenshot run leaves the user's recent caches and window geometry alone.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, screenshotSettings.path());
    }
    cachescope::MainWindow window;
    const bool dashboard = parser.value(QStringLiteral("tab")) == QLatin1String("dashboard");
    if (dashboard) window.setCurrentTab(cachescope::MainWindow::Tab::Dashboard);
    if (screenshot) {
        window.resize(1440, 860);
        auto* taker = new ScreenshotTaker(&window, parser.value(QStringLiteral("screenshot")), dashboard, parser.value(QStringLiteral("action")));
        taker->start();
    }
#if defined(Q_OS_LINUX)
    if (bench) {
        window.resize(1440, 860);
        (new BenchRunner(&window))->start();
    }
#endif
    window.openDirectory(QFileInfo(directory).absoluteFilePath());
    window.show();
    return app.exec();
}

// Helpers shared by the Qt Test suites: temporary caches, running the real
// Python library's scripts from tests/python/, and listing a directory to
// prove that inspection left it as it was.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <map>
#include <string>

namespace testsupport {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;
};

// Runs tests/python/<script> with /usr/bin/python3 (CACHESCOPE_PYTHON).
ProcessResult runPython(const QString& script, const QStringList& args, int timeoutMs = 300000);
// Runs a script and parses its stdout as JSON; an empty document on failure
// (with the script's stderr printed through qWarning).
QJsonDocument runPythonJson(const QString& script, const QStringList& args);

// Runs cachescope-cli (CACHESCOPE_CLI) with `args`, writes `input` to its
// stdin and closes it. A run that has not ended after `timeoutMs` is killed
// and, like a crash, reports exitCode -1.
ProcessResult runCli(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 120000);

std::filesystem::path toPath(const QString& path);
QString toQString(const std::filesystem::path& path);

// Every file and directory below `root` with its size and a hash of its
// contents, so a before/after comparison catches any change.
std::map<std::string, std::string> snapshotTree(const std::filesystem::path& root);

}  // namespace testsupport

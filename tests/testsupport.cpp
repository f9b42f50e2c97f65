#include "testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QtDebug>

namespace testsupport {

ProcessResult runPython(const QString& script, const QStringList& args, int timeoutMs) {
    QProcess process;
    QStringList arguments{QStringLiteral(CACHESCOPE_TEST_SCRIPTS "/") + script};
    arguments += args;
    process.start(QStringLiteral(CACHESCOPE_PYTHON), arguments);
    ProcessResult result;
    if (!process.waitForStarted(30000)) return result;
    result.finished = process.waitForFinished(timeoutMs);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

ProcessResult runCli(const QStringList& args, const QByteArray& input, int timeoutMs) {
    QProcess process;
    process.start(QStringLiteral(CACHESCOPE_CLI), args);
    ProcessResult result;
    if (!process.waitForStarted(30000)) return result;
    if (!input.isEmpty()) process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QJsonDocument runPythonJson(const QString& script, const QStringList& args) {
    const ProcessResult result = runPython(script, args);
    if (result.exitCode != 0) {
        qWarning().noquote() << script << "failed:" << result.exitCode << result.err;
        return {};
    }
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError) qWarning().noquote() << script << "printed no JSON:" << result.out.left(500);
    return doc;
}

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdString()); }
QString toQString(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

std::map<std::string, std::string> snapshotTree(const std::filesystem::path& root) {
    std::map<std::string, std::string> tree;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = std::filesystem::relative(it->path(), root).string();
        if (it->is_directory()) {
            tree[name] = "dir";
            continue;
        }
        QFile file(QString::fromStdString(it->path().string()));
        if (!file.open(QIODevice::ReadOnly)) {
            tree[name] = "unreadable";
            continue;
        }
        tree[name] = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex().toStdString();
    }
    return tree;
}

}  // namespace testsupport

// The SIGKILL soak (issue 9, "Faults"): a writer -- the C++ engine, or the
// real Python library -- is killed with SIGKILL at random moments while it
// sets small and file-backed values, deletes, and runs small transactions.
// After every kill, on the same cache that keeps growing:
//  - every group the writer reported as returned is there, byte for byte;
//    the group in flight is there entirely or not at all;
//  - the engine's check() and Python's check() report nothing but what the
//    library itself leaves behind after a crash (value files written for a
//    transaction that never committed, or emptied directories);
//  - count and size match the table, and check(fix) makes both checks clean.
//
// CTest runs a short version. For a long one, set CACHESCOPE_SOAK_KILLS (or
// run tests/reliability/soak.sh KILLS), which also prints the figures.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <diskcache/cache.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "reliability/soak_values.h"
#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;
using testsupport::toPath;

namespace {

using State = std::map<std::string, std::optional<std::int64_t>>;  // key -> generation (nullopt: deleted)

struct Operation {
    std::string key;
    std::optional<std::int64_t> generation;  // nullopt: a delete
};

// What the writer said before it was killed.
struct Transcript {
    std::vector<std::vector<Operation>> committed;  // groups whose "C" arrived
    std::vector<Operation> inFlight;                // the group announced without a "C"
    bool started = false;
};

Transcript parseTranscript(const std::string& text) {
    Transcript t;
    std::vector<Operation> pending;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos) break;  // a kill never splits a message, but stay safe
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line == "B") {
            t.started = true;
            pending.clear();
        } else if (line == "C") {
            t.committed.push_back(pending);
            pending.clear();
        } else if (line.rfind("S ", 0) == 0) {
            const std::size_t space = line.find(' ', 2);
            pending.push_back({line.substr(2, space - 2), std::stoll(line.substr(space + 1))});
        } else if (line.rfind("D ", 0) == 0) {
            pending.push_back({line.substr(2), std::nullopt});
        }
    }
    t.inFlight = pending;
    return t;
}

// A writer process whose stdout is a pipe to us.
struct Writer {
    pid_t pid = -1;
    int fd = -1;
};

Writer spawnWriter(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return {};
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls until exec
        ::dup2(fds[1], STDOUT_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        return {};
    }
    return {pid, fds[0]};
}

// Reads what is there until `deadline` (or until EOF when no deadline).
// Returns false on EOF.
bool drain(int fd, std::string& into, std::optional<std::chrono::steady_clock::time_point> deadline) {
    char buffer[65536];
    for (;;) {
        int waitMs = -1;
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return true;
            waitMs = static_cast<int>(left.count());
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, waitMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return true;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        into.append(buffer, static_cast<std::size_t>(n));
    }
}

struct Figures {
    int kills = 0;
    std::int64_t groups = 0;      // groups reported returned
    std::int64_t operations = 0;  // sets and deletes in them
    int inFlightLanded = 0;       // the group in flight was found committed
    int inFlightLost = 0;         // ... or rolled back (both are correct)
    int largeInFlight = 0;        // kills while a file-backed value was being stored
    int orphanFiles = 0;          // value files of uncommitted work found by check()
    int emptyDirectories = 0;
    int lost = 0;                 // committed items missing or different: must stay 0
    int libraryDeletedEarly = 0;  // Python only: old value files its transact() deleted before committing
};

// python3-diskcache 5.4's Cache._transact() removes the old value files of
// a nested call (a set or delete inside `with cache.transact():`) when that
// call returns, before the outer transaction commits (core.py: "for name in
// filenames: _disk_remove(name)" runs whether or not this call began the
// transaction). A kill, or an exception that rolls back, then leaves the
// old row naming a deleted file: a read misses it and check() reports
// "file not found". That loss is the library's, not a torn transaction, so
// the soak of the Python writer accepts exactly that, and counts it.
struct WriterTraits {
    bool transactDeletesOldFilesEarly = false;
};

bool isFileBacked(std::optional<std::int64_t> generation) {
    return generation && soak::valueLength(*generation) >= 32768;
}

int killCount(int fallback) {
    const QByteArray env = qgetenv("CACHESCOPE_SOAK_KILLS");
    return env.isEmpty() ? fallback : env.toInt();
}

}  // namespace

class TestReliabilityKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void killedEngineWriterLosesNothing();
    void killedPythonWriterLosesNothing();

private:
    void soak(const QString& label, const std::vector<std::string>& writerCommand, int kills, int delayMaxMs,
              WriterTraits traits = {});
    // One Python process answering check requests (soak_check.py).
    QJsonObject pythonLook(const fs::path& dir);
    // The state of every soak key as read through the engine.
    bool readState(Cache& cache, std::map<std::string, std::optional<std::string>>& out);

    QProcess m_python;
};

void TestReliabilityKill::initTestCase() {
    m_python.start(CACHESCOPE_PYTHON, {CACHESCOPE_TEST_SCRIPTS "/soak_check.py"});
    QVERIFY(m_python.waitForStarted());
    m_python.setReadChannel(QProcess::StandardOutput);
}

void TestReliabilityKill::cleanupTestCase() {
    m_python.closeWriteChannel();
    m_python.waitForFinished(30000);
}

QJsonObject TestReliabilityKill::pythonLook(const fs::path& dir) {
    m_python.write(QByteArray::fromStdString(dir.string()) + "\n");
    while (!m_python.canReadLine()) {
        if (!m_python.waitForReadyRead(60000)) {
            qWarning().noquote() << "soak_check.py:" << m_python.readAllStandardError();
            return {};
        }
    }
    return QJsonDocument::fromJson(m_python.readLine()).object();
}

bool TestReliabilityKill::readState(Cache& cache, std::map<std::string, std::optional<std::string>>& out) {
    for (int i = 0; i < soak::kKeys; ++i) {
        auto item = cache.get(Value::text(soak::keyName(i)));
        if (!item) {
            qWarning().noquote() << "get" << soak::keyName(i).c_str() << item.status().toString().c_str();
            return false;
        }
        out[soak::keyName(i)] = item->has_value() ? std::optional<std::string>((*item)->value.data()) : std::nullopt;
    }
    return true;
}

void TestReliabilityKill::soak(const QString& label, const std::vector<std::string>& writerCommand, int kills, int delayMaxMs,
                               WriterTraits traits) {
    QTemporaryDir dir;
    const fs::path root = toPath(dir.path());
    State model;
    for (int i = 0; i < soak::kKeys; ++i) model[soak::keyName(i)] = std::nullopt;
    Figures f;
    std::mt19937 rng(20261204);
    std::int64_t generation = 1;
    for (int round = 0; round < kills; ++round) {
        std::vector<std::string> argv = writerCommand;
        argv.insert(argv.end(), {root.string(), std::to_string(round + 1), std::to_string(generation)});
        Writer writer = spawnWriter(argv);
        QVERIFY(writer.pid > 0);
        // Wait until it has begun work (Python takes a while to start), then
        // let it run a random while, reading as it goes so it never blocks.
        std::string said;
        const auto startDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (said.find("B\n") == std::string::npos && std::chrono::steady_clock::now() < startDeadline)
            if (!drain(writer.fd, said, std::chrono::steady_clock::now() + std::chrono::milliseconds(10))) break;
        drain(writer.fd, said, std::chrono::steady_clock::now() + std::chrono::milliseconds(rng() % (delayMaxMs + 1)));
        ::kill(writer.pid, SIGKILL);
        int wstatus = 0;
        ::waitpid(writer.pid, &wstatus, 0);
        drain(writer.fd, said, std::nullopt);
        ::close(writer.fd);
        QVERIFY2(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL,
                 qPrintable(QStringLiteral("the writer ended by itself (status %1) in round %2").arg(wstatus).arg(round)));
        ++f.kills;

        const Transcript t = parseTranscript(said);
        QVERIFY2(t.started, "the writer never started");
        for (const auto& group : t.committed) {
            for (const auto& op : group) model[op.key] = op.generation;
            ++f.groups;
            f.operations += static_cast<std::int64_t>(group.size());
        }
        generation += static_cast<std::int64_t>(said.size());  // past anything this writer can have used
        for (const auto& op : t.inFlight)
            if (isFileBacked(op.generation)) ++f.largeInFlight;

        // Every committed item, exactly; the group in flight all or nothing.
        auto cache = Cache::open(root);
        QVERIFY2(cache.isOk(), cache.status().toString().c_str());
        std::map<std::string, std::optional<std::string>> seen;
        QVERIFY(readState(**cache, seen));
        auto expected = [](const std::string& key, std::optional<std::int64_t> gen) {
            return gen ? std::optional<std::string>(soak::valueFor(key, *gen)) : std::nullopt;
        };
        bool allOld = true, allNew = true;
        std::vector<std::string> deletedEarly;  // see WriterTraits
        for (const auto& op : t.inFlight) {
            const bool old = seen[op.key] == expected(op.key, model[op.key]);
            if (!old && !seen[op.key] && traits.transactDeletesOldFilesEarly && t.inFlight.size() > 1 && isFileBacked(model[op.key]))
                deletedEarly.push_back(op.key);
            else
                allOld = allOld && old;
            allNew = allNew && seen[op.key] == expected(op.key, op.generation);
        }
        if (!allOld && !allNew) {
            for (const auto& op : t.inFlight)
                qWarning().noquote() << "in flight:" << op.key.c_str() << (op.generation ? QString::number(*op.generation) : QStringLiteral("delete"))
                                     << "before:" << (model[op.key] ? QString::number(*model[op.key]) : QStringLiteral("none"))
                                     << "seen:" << (seen[op.key] ? QString::fromStdString(seen[op.key]->substr(0, 24)) : QStringLiteral("none"));
        }
        QVERIFY2(allOld || allNew, qPrintable(label + QStringLiteral(": the group in flight was half applied in round %1").arg(round)));
        if (!t.inFlight.empty()) {
            if (allNew && !allOld) {
                ++f.inFlightLanded;
                for (const auto& op : t.inFlight) model[op.key] = op.generation;
            } else if (allOld && !allNew) {
                ++f.inFlightLost;
                f.libraryDeletedEarly += static_cast<int>(deletedEarly.size());
                for (const auto& key : deletedEarly) model[key] = std::nullopt;  // check(fix) drops the row below
            }
        }
        for (const auto& [key, gen] : model) {
            if (seen[key] != expected(key, gen)) {
                ++f.lost;
                qWarning().noquote() << label << "round" << round << "key" << key.c_str() << "expected generation"
                                     << (gen ? QString::number(*gen) : QStringLiteral("none")) << "got"
                                     << (seen[key] ? QString::fromStdString(seen[key]->substr(0, 24)) : QStringLiteral("nothing"));
            }
        }
        QCOMPARE(f.lost, 0);

        // What check() finds is what a crash leaves: nothing else (and, for
        // the Python writer, the files its transact() deleted early).
        const int missingFiles = allOld && !allNew ? static_cast<int>(deletedEarly.size()) : 0;
        auto report = (*cache)->check(false);
        QVERIFY2(report.isOk(), report.status().toString().c_str());
        int notFound = 0;
        for (const auto& finding : report->findings) {
            if (finding.kind == Finding::Kind::UnknownFile) ++f.orphanFiles;
            else if (finding.kind == Finding::Kind::EmptyDirectory) ++f.emptyDirectories;
            else if (finding.kind == Finding::Kind::FileNotFound && ++notFound <= missingFiles) continue;
            else QFAIL(qPrintable(label + QStringLiteral(": check() after a kill found ") + QString::fromStdString(finding.detail)));
        }
        QCOMPARE(notFound, missingFiles);
        const QJsonObject python = pythonLook(root);
        QVERIFY2(!python.isEmpty(), "Python's check did not answer");
        int pythonNotFound = 0;
        for (const auto& warning : python["check"].toArray()) {
            const QString text = warning.toString();
            if (text.startsWith("file not found: ") && ++pythonNotFound <= missingFiles) continue;
            QVERIFY2(text.startsWith("unknown file: ") || text.startsWith("empty directory: "),
                     qPrintable(label + ": Python's check() after a kill: " + text));
        }
        QCOMPARE(pythonNotFound, missingFiles);
        QCOMPARE(python["count"].toInteger(), python["table_count"].toInteger());
        QCOMPARE(python["size"].toInteger(), python["table_size"].toInteger());

        // check(fix) leaves both implementations with nothing to say.
        QVERIFY((*cache)->check(true).isOk());
        QVERIFY((*cache)->check(false)->findings.empty());
        cache.value().reset();
        const QJsonObject fixedView = pythonLook(root);
        QVERIFY2(fixedView["check"].toArray().isEmpty(),
                 qPrintable(QJsonDocument(fixedView["check"].toArray()).toJson(QJsonDocument::Compact)));
    }
    qInfo().noquote() << QStringLiteral(
        "%1 soak: %2 kills survived; %3 groups (%4 sets/deletes) committed before the kills, all read back equal; "
        "group in flight at the kill: landed whole %5, rolled back whole %6; %7 kills with a file-backed value in flight; "
        "check() found %8 orphan value files and %9 empty directories (all repaired by check(fix)); lost: %10; "
        "old value files deleted before commit by the library's own transact(): %11")
        .arg(label).arg(f.kills).arg(f.groups).arg(f.operations).arg(f.inFlightLanded).arg(f.inFlightLost)
        .arg(f.largeInFlight).arg(f.orphanFiles).arg(f.emptyDirectories).arg(f.lost).arg(f.libraryDeletedEarly);
}

void TestReliabilityKill::killedEngineWriterLosesNothing() {
    soak(QStringLiteral("engine writer"), {CACHESCOPE_SOAK_WRITER}, killCount(30), 120);
}

void TestReliabilityKill::killedPythonWriterLosesNothing() {
    soak(QStringLiteral("python writer"), {CACHESCOPE_PYTHON, CACHESCOPE_TEST_SCRIPTS "/soak_writer.py"},
         std::max(1, killCount(30) / 2), 200, {.transactDeletesOldFilesEarly = true});
}

QTEST_GUILESS_MAIN(TestReliabilityKill)
#include "tst_reliability_kill.moc"

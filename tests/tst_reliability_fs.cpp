// A full disk and a read-only file system (issue 9, "Faults"): a write that
// cannot finish is a clear error (status code and message), commits nothing
// half-way (count and size match the table, check() is clean), and leaves
// the cache readable; inspection (Inspector, cachescope-cli ls/info/check)
// works on a read-only file system.
//
// The real thing needs mounts: this test moves itself into a private mount
// namespace (it must be root, or hold CAP_SYS_ADMIN, as CI is) and mounts a
// small tmpfs and a read-only bind mount that vanish with it. Where that is
// not permitted the mount tests say why with QSKIP, and a file-size limit
// (RLIMIT_FSIZE, the same write errors a full disk gives) still runs.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <diskcache/cache.h>
#include <diskcache/inspect.h>

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "testsupport.h"

using namespace diskcache;
namespace fs = std::filesystem;
using testsupport::toPath;

namespace {

using CliRun = testsupport::ProcessResult;
using testsupport::runCli;

std::string bigValue(char fill, std::size_t length) { return std::string(length, fill); }

// Items a test puts in the cache first, to show they survive the failure.
const std::map<std::string, std::string> kBefore = {
    {"small", "a small value kept in the database"},
    {"file", std::string(100000, 'f')},  // a value file
};

void putBefore(Cache& cache) {
    for (const auto& [key, value] : kBefore) QVERIFY(cache.set(Value::text(key), Value::bytes(value)).isOk());
}

// Every earlier item reads back equal.
bool beforeIsIntact(Cache& cache) {
    for (const auto& [key, value] : kBefore) {
        auto item = cache.get(Value::text(key));
        if (!item || !item->has_value() || (*item)->value.data() != value) return false;
    }
    return true;
}

// count/size as stored against the table, through Python (the reference).
QJsonObject pythonView(const QString& dir) { return testsupport::runPythonJson("interop_read.py", {dir}).object(); }

}  // namespace

class TestReliabilityFs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void diskFullOnTmpfs();
    void fileSizeLimitActsLikeAFullDisk();
    void readOnlyFileSystem();
    void directoryWeMayNotWrite();

private:
    // Fills the cache with values until the file system refuses one, then
    // proves the refusal committed nothing and broke nothing.
    void fillUntilRefused(const fs::path& root, std::size_t valueLength, int maxTries);

    bool m_canMount = false;
    QString m_whyNoMount;
};

void TestReliabilityFs::initTestCase() {
    // Namespaces belong to a thread and its children; the test runs on this
    // thread and starts its processes from it. Make every mount private so
    // nothing we mount is seen outside, and it all vanishes with us.
    if (::unshare(CLONE_NEWNS) != 0) {
        m_whyNoMount = QStringLiteral("unshare(CLONE_NEWNS) failed: %1 (needs root or CAP_SYS_ADMIN)").arg(std::strerror(errno));
    } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        m_whyNoMount = QStringLiteral("making / private in the new namespace failed: %1").arg(std::strerror(errno));
    } else {
        m_canMount = true;
    }
    if (!m_canMount) qWarning().noquote() << "mount tests will be skipped:" << m_whyNoMount;
}

void TestReliabilityFs::fillUntilRefused(const fs::path& root, std::size_t valueLength, int maxTries) {
    {
        auto cache = Cache::open(root);
        QVERIFY2(cache.isOk(), cache.status().toString().c_str());
        putBefore(**cache);
        Status refused;
        int stored = 0;
        for (int i = 0; i < maxTries && refused.isOk(); ++i) {
            refused = (*cache)->set(Value::text("fill" + std::to_string(i)), Value::bytes(bigValue('a' + i % 26, valueLength)));
            if (refused.isOk()) ++stored;
        }
        QVERIFY2(!refused.isOk(), "the file system never filled up");
        qInfo().noquote() << "refused after" << stored << "values of" << valueLength << "bytes:" << refused.toString().c_str();
        // A clear error: a code a program can act on and words a person can read.
        QVERIFY(refused.code() == StatusCode::Io);
        QVERIFY2(refused.message().find("space") != std::string::npos || refused.message().find("too large") != std::string::npos ||
                     refused.message().find("full") != std::string::npos,
                 refused.message().c_str());
        // Nothing half-way: the refused key is absent, the others intact.
        auto refusedItem = (*cache)->get(Value::text("fill" + std::to_string(stored)));
        QVERIFY(refusedItem.isOk());
        QVERIFY(!refusedItem->has_value());
        QVERIFY(beforeIsIntact(**cache));
        QCOMPARE(*(*cache)->count(), std::int64_t(kBefore.size() + stored));
        // Values kept inside the database, until SQLite itself is refused
        // room: each succeeds or fails whole.
        Status dbRefused;
        int inDatabase = 0;
        for (int i = 0; i < 400 && dbRefused.isOk(); ++i) {
            const Value key = Value::text("row" + std::to_string(i));
            dbRefused = (*cache)->set(key, Value::bytes(bigValue('0' + i % 10, 20000)));
            auto item = (*cache)->get(key);
            QVERIFY(item.isOk());
            QCOMPARE(item->has_value(), dbRefused.isOk());
            if (dbRefused.isOk()) ++inDatabase;
        }
        QVERIFY2(!dbRefused.isOk(), "the database never filled up");
        qInfo().noquote() << "database refused after" << inDatabase << "more rows of 20000 bytes:" << dbRefused.toString().c_str();
        QVERIFY(dbRefused.code() == StatusCode::Io);
        QVERIFY(beforeIsIntact(**cache));
        QCOMPARE(*(*cache)->count(), std::int64_t(kBefore.size() + stored + inDatabase));
        auto report = (*cache)->check(false);
        QVERIFY2(report.isOk(), report.status().toString().c_str());
        QVERIFY2(report->findings.empty(), report->findings.empty() ? "" : report->findings[0].detail.c_str());
    }
    // The cache is readable by inspection and by Python, and consistent.
    auto inspector = inspect::open(root);
    QVERIFY2(inspector.isOk(), inspector.status().toString().c_str());
    auto summary = (*inspector)->summary();
    QVERIFY(summary.isOk());
    auto page = (*inspector)->list({.limit = 1000});
    QVERIFY(page.isOk());
    QCOMPARE(page->total, summary->count);
}

void TestReliabilityFs::diskFullOnTmpfs() {
    if (!m_canMount) QSKIP(qPrintable("no tmpfs for a full disk: " + m_whyNoMount + "; fileSizeLimitActsLikeAFullDisk runs instead"));
    QTemporaryDir mountPoint;
    const fs::path root = toPath(mountPoint.path()) / "cache";
    QVERIFY2(::mount("tmpfs", mountPoint.path().toLocal8Bit().constData(), "tmpfs", 0, "size=3m") == 0, std::strerror(errno));
    // Room set aside, so that Python (whose Cache() writes its settings on
    // opening) can look once the engine has filled the rest.
    const fs::path reserve = toPath(mountPoint.path()) / "reserve";
    std::ofstream(reserve) << std::string(256 * 1024, 'r');
    fillUntilRefused(root, 300000, 100);
    if (QTest::currentTestFailed()) return;
    fs::remove(reserve);
    const QJsonObject python = pythonView(testsupport::toQString(root));
    QVERIFY(!python.isEmpty());
    QCOMPARE(python["check"].toArray().size(), 0);
    QCOMPARE(python["count"].toInteger(), python["table_count"].toInteger());
    QCOMPARE(python["size"].toInteger(), python["table_size"].toInteger());
    // Once space is freed, writing works again.
    {
        auto cache = Cache::open(root);
        QVERIFY(cache.isOk());
        QVERIFY((*cache)->clear().isOk());
        QVERIFY((*cache)->set(Value::text("after"), Value::bytes(bigValue('z', 200000))).isOk());
    }
    QVERIFY(::umount2(mountPoint.path().toLocal8Bit().constData(), MNT_DETACH) == 0);
}

void TestReliabilityFs::fileSizeLimitActsLikeAFullDisk() {
    // Writes past RLIMIT_FSIZE fail with EFBIG (SIGXFSZ ignored), the error
    // a full disk gives as ENOSPC, at any file system and without privileges.
    // The limit is this process's, for this test only; Python runs after it.
    QTemporaryDir dir;
    const fs::path root = toPath(dir.path()) / "cache";
    { QVERIFY(Cache::open(root).isOk()); }
    struct sigaction ignore {}, previousAction{};
    ignore.sa_handler = SIG_IGN;
    QCOMPARE(::sigaction(SIGXFSZ, &ignore, &previousAction), 0);
    rlimit previous{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &previous), 0);
    rlimit limited = previous;
    limited.rlim_cur = 1 << 20;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    fillUntilRefused(root, 2 << 20, 3);  // a value file past the limit
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &previous), 0);
    QCOMPARE(::sigaction(SIGXFSZ, &previousAction, nullptr), 0);
    if (QTest::currentTestFailed()) return;
    const QJsonObject python = pythonView(testsupport::toQString(root));
    QVERIFY(!python.isEmpty());
    QCOMPARE(python["check"].toArray().size(), 0);
    QCOMPARE(python["count"].toInteger(), python["table_count"].toInteger());
    QCOMPARE(python["size"].toInteger(), python["table_size"].toInteger());
}

void TestReliabilityFs::readOnlyFileSystem() {
    if (!m_canMount) QSKIP(qPrintable("no read-only bind mount: " + m_whyNoMount + "; directoryWeMayNotWrite runs instead"));
    QTemporaryDir dir;
    const fs::path root = toPath(dir.path()) / "cache";
    {
        auto cache = Cache::open(root);
        QVERIFY(cache.isOk());
        putBefore(**cache);
    }
    // A second cache whose writer died without closing: its last items are
    // still only in cache.db-wal.
    const fs::path crashed = toPath(dir.path()) / "crashed";
    const pid_t child = ::fork();
    if (child == 0) {
        auto cache = Cache::open(crashed);
        bool ok = cache.isOk();
        for (const auto& [key, value] : kBefore) ok = ok && (*cache)->set(Value::text(key), Value::bytes(value)).isOk();
        ::_exit(ok ? 0 : 1);  // no destructors: the WAL stays as a crash leaves it
    }
    int wstatus = 0;
    QCOMPARE(::waitpid(child, &wstatus, 0), child);
    QVERIFY(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    QVERIFY(fs::exists(crashed / "cache.db-wal"));

    const QByteArray target = dir.path().toLocal8Bit();
    QVERIFY2(::mount(target.constData(), target.constData(), nullptr, MS_BIND, nullptr) == 0, std::strerror(errno));
    QVERIFY2(::mount(nullptr, target.constData(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) == 0, std::strerror(errno));
    QVERIFY(!std::ofstream(root / "probe"));  // it really is read-only now

    for (const fs::path& cacheDir : {root, crashed}) {
        const QString where = testsupport::toQString(cacheDir);
        // Writing is a clear error and changes nothing.
        auto writable = Cache::open(cacheDir);
        if (writable.isOk()) {
            Status st = (*writable)->set(Value::text("new"), Value::integer(1));
            QVERIFY(!st.isOk());
            QVERIFY2(st.code() == StatusCode::ReadOnly || st.code() == StatusCode::Io, st.toString().c_str());
        } else {
            QVERIFY2(writable.status().code() == StatusCode::ReadOnly || writable.status().code() == StatusCode::Io,
                     writable.status().toString().c_str());
        }
        // Reading through the engine: every item, the WAL's included.
        auto cache = Cache::open(cacheDir, {.readOnly = true});
        QVERIFY2(cache.isOk(), qPrintable(where + ": " + QString::fromStdString(cache.status().toString())));
        QVERIFY2(beforeIsIntact(**cache), qPrintable(where));
        auto report = (*cache)->check(false);
        QVERIFY2(report.isOk(), report.status().toString().c_str());
        QVERIFY(report->findings.empty());
        cache.value().reset();
        // The Inspector.
        auto inspector = inspect::open(cacheDir);
        QVERIFY2(inspector.isOk(), inspector.status().toString().c_str());
        auto summary = (*inspector)->summary();
        QVERIFY(summary.isOk());
        QCOMPARE(summary->count, std::int64_t(kBefore.size()));
        auto page = (*inspector)->list({.limit = 10});
        QVERIFY(page.isOk());
        QCOMPARE(page->entries.size(), kBefore.size());
        for (const auto& entry : page->entries) {
            auto value = (*inspector)->readValue(entry);
            QVERIFY(value.isOk());
            QCOMPARE(value->data(), kBefore.at(entry.key.data()));
        }
        inspector.value().reset();
        // cachescope-cli.
        for (const QStringList& args : {QStringList{"--json", "info", where}, QStringList{"--json", "ls", where},
                                        QStringList{"--json", "check", where}}) {
            const CliRun run = runCli(args);
            QVERIFY2(run.exitCode == 0, qPrintable(args.join(' ') + ": " + run.err));
            QVERIFY2(!QJsonDocument::fromJson(run.out).isNull(), qPrintable(args.join(' ') + ": " + run.out));
        }
        const CliRun info = runCli({"--json", "info", where});
        QCOMPARE(QJsonDocument::fromJson(info.out).object()["count"].toInteger(), qint64(kBefore.size()));
        const CliRun set = runCli({"set", where, "new", "1"});
        QVERIFY(set.exitCode != 0);
        QVERIFY2(!set.err.isEmpty(), "a refused write says why");
    }
    QVERIFY(::umount2(target.constData(), MNT_DETACH) == 0);
}

// Without mounts, the nearest thing to a read-only file system: a cache
// directory and files without write permission, inspected by cachescope-cli
// run as a user that cannot write them (root ignores permissions, so as root
// the CLI runs as nobody through setpriv). Runs everywhere, mounts or not.
void TestReliabilityFs::directoryWeMayNotWrite() {
    QTemporaryDir dir;
    const fs::path root = toPath(dir.path()) / "cache";
    {
        auto cache = Cache::open(root);
        QVERIFY(cache.isOk());
        putBefore(**cache);
    }
    QStringList prefix;
    if (::geteuid() == 0) {
        const QString setpriv = QStandardPaths::findExecutable("setpriv");
        if (setpriv.isEmpty()) QSKIP("running as root and setpriv (util-linux) is missing: cannot drop write permission");
        prefix = {setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    // Readable by everyone, writable by no one.
    fs::permissions(toPath(dir.path()), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                            fs::perms::others_read | fs::perms::others_exec);
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it)
        fs::permissions(it->path(), it->is_directory() ? fs::perms(0555) : fs::perms(0444));
    fs::permissions(root, fs::perms(0555));
    const auto before = testsupport::snapshotTree(root);
    auto run = [&](const QStringList& args) {
        QProcess process;
        QStringList command = prefix;
        command << QStringLiteral(CACHESCOPE_CLI) << args;
        process.start(command.takeFirst(), command);
        CliRun result;
        if (!process.waitForStarted() || !process.waitForFinished(120000)) return result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    };
    const QString where = testsupport::toQString(root);
    const CliRun info = run({"--json", "info", where});
    QVERIFY2(info.exitCode == 0, info.err.constData());
    QCOMPARE(QJsonDocument::fromJson(info.out).object()["count"].toInteger(), qint64(kBefore.size()));
    const CliRun ls = run({"--json", "ls", where});
    QVERIFY2(ls.exitCode == 0, ls.err.constData());
    const CliRun check = run({"--json", "check", where});
    QVERIFY2(check.exitCode == 0, check.err.constData());
    const CliRun get = run({"get", where, "file"});
    QVERIFY2(get.exitCode == 0, get.err.constData());
    QCOMPARE(get.out.trimmed().size() > 0, true);
    const CliRun set = run({"set", where, "new", "1"});
    QVERIFY(set.exitCode > 0);
    QVERIFY2(!set.err.isEmpty(), "a refused write says why");
    qInfo().noquote() << "refused write in a directory we may not write:" << set.err.trimmed();
    QVERIFY2(testsupport::snapshotTree(root) == before, "inspection changed the directory");
    fs::permissions(root, fs::perms::owner_all);  // so QTemporaryDir can remove it
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it)
        fs::permissions(it->path(), fs::perms::owner_all);
}

QTEST_GUILESS_MAIN(TestReliabilityFs)
#include "tst_reliability_fs.moc"

// Transaction: BEGIN IMMEDIATE ... COMMIT with nesting and value files that
// are removed only once the outermost transaction has committed.
#include "cache_impl.h"

namespace diskcache {

Status Transaction::begin() {
    m_outermost = m_impl.m_transactionDepth == 0;
    if (m_outermost) {
        auto q = m_impl.m_db->cached("BEGIN IMMEDIATE");
        if (!q) return q.status();
        Status status = q->run();
        if (!status) {
            if (status.code() == StatusCode::Timeout)
                return Status::timeout("database is locked by another process (waited " +
                                       std::to_string(m_impl.m_timeout) + " s)");
            return status;
        }
        m_impl.m_removeAfterCommit.clear();
    }
    ++m_impl.m_transactionDepth;
    m_open = true;
    return Status::ok();
}

Status Transaction::commit() {
    if (!m_open) return Status::invalidArgument("commit without begin");
    if (!m_outermost) {
        --m_impl.m_transactionDepth;
        m_open = false;
        return Status::ok();
    }
    auto q = m_impl.m_db->cached("COMMIT");
    if (!q) return q.status();
    DISKCACHE_TRY(q->run());
    --m_impl.m_transactionDepth;
    m_open = false;
    std::vector<std::string> files;
    files.swap(m_impl.m_removeAfterCommit);
    for (const auto& name : files) m_impl.m_disk.remove(name);
    return Status::ok();
}

void Transaction::removeAfterCommit(const std::optional<std::string>& filename) {
    if (filename) m_impl.m_removeAfterCommit.push_back(*filename);
}

Transaction::~Transaction() {
    if (!m_open) return;
    --m_impl.m_transactionDepth;
    if (m_outermost) {
        if (auto q = m_impl.m_db->cached("ROLLBACK")) (void)q->run();
        m_impl.m_removeAfterCommit.clear();
    }
}

}  // namespace diskcache

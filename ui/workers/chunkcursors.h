// ChunkCursors: where each chunk of one listing (one sort, filter and
// generation) starts, as engine cursors, so that the worker reaches chunk n
// from the nearest chunk it has already found instead of from the top.
// Chunk 0 starts at the empty cursor. Worker-thread only.
#pragma once

#include <QtGlobal>

#include <map>
#include <string>
#include <utility>

namespace cachescope {

class ChunkCursors {
public:
    // Forgets every cursor when `generation` is not the one they were found for.
    void useGeneration(quint64 generation)
    {
        if (generation == m_generation) return;
        m_generation = generation;
        m_starts.clear();
        m_total = -1;
    }
    // Where to reach `chunk` from: its own start when known; for a chunk in
    // the second half of the listing (its total known from a listed chunk), the
    // top, because the engine reaches the second half counting from the end
    // and counts rows without a bound once, where from a cursor it would
    // count the rows after it (an unindexed sort: a scan each time, at 1M
    // rows the last chunk by size 620 -> 390 ms); else the nearest chunk
    // before it whose start is known.
    std::pair<int, std::string> nearest(int chunk, int rowsPerChunk) const
    {
        auto it = m_starts.upper_bound(chunk);
        if (it == m_starts.begin()) return {0, std::string()};
        --it;
        const bool inSecondHalf = m_total > 0 && static_cast<qint64>(chunk) * rowsPerChunk > m_total / 2;
        if (it->first != chunk && inSecondHalf) return {0, std::string()};
        return *it;
    }
    void remember(int chunk, std::string cursor)
    {
        if (chunk > 0 && !cursor.empty()) m_starts[chunk] = std::move(cursor);
    }
    // The rows of the whole listing, as the last listed chunk counted them.
    void rememberTotal(qint64 total) { m_total = total; }

private:
    quint64 m_generation = ~quint64{0};
    std::map<int, std::string> m_starts;  // chunk -> cursor of the row before it
    qint64 m_total = -1;
};

}  // namespace cachescope

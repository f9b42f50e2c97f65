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
    }
    // The nearest chunk at or before `chunk` whose start is known, and that start.
    std::pair<int, std::string> nearest(int chunk) const
    {
        auto it = m_starts.upper_bound(chunk);
        if (it == m_starts.begin()) return {0, std::string()};
        --it;
        return *it;
    }
    void remember(int chunk, std::string cursor)
    {
        if (chunk > 0 && !cursor.empty()) m_starts[chunk] = std::move(cursor);
    }

private:
    quint64 m_generation = ~quint64{0};
    std::map<int, std::string> m_starts;  // chunk -> cursor of the row before it
};

}  // namespace cachescope

#include "models/rowcache.h"

#include <cstdlib>

namespace cachescope {

const diskcache::Entry* RowCache::at(int row) const
{
    if (row < 0) return nullptr;
    auto it = m_chunks.find(chunkOf(row));
    if (it == m_chunks.end()) return nullptr;
    const auto offset = static_cast<std::size_t>(row % m_chunkRows);
    return offset < it->second.rows.size() ? &it->second.rows[offset] : nullptr;
}

std::optional<quint64> RowCache::generationOf(int chunk) const
{
    auto it = m_chunks.find(chunk);
    if (it == m_chunks.end()) return std::nullopt;
    return it->second.generation;
}

void RowCache::put(int chunk, quint64 generation, std::vector<diskcache::Entry> rows)
{
    m_chunks[chunk] = Chunk{generation, std::move(rows)};
    evictFarFrom(chunk);
}

void RowCache::evictFarFrom(int chunk)
{
    while (static_cast<int>(m_chunks.size()) > m_maxChunks) {
        // The farthest is the first or the last held chunk.
        auto first = m_chunks.begin();
        auto last = std::prev(m_chunks.end());
        m_chunks.erase(std::abs(first->first - chunk) >= std::abs(last->first - chunk) ? first : last);
    }
}

void RowCache::truncate(int rows)
{
    const int lastChunk = rows <= 0 ? -1 : chunkOf(rows - 1);
    m_chunks.erase(m_chunks.upper_bound(lastChunk), m_chunks.end());
    auto it = m_chunks.find(lastChunk);
    if (it == m_chunks.end()) return;
    const auto keep = static_cast<std::size_t>(rows - lastChunk * m_chunkRows);
    if (it->second.rows.size() > keep) it->second.rows.resize(keep);
}

void RowCache::retag(quint64 generation)
{
    for (auto& [chunk, held] : m_chunks) held.generation = generation;
}

int RowCache::find(const diskcache::Value& key, quint64 generation) const
{
    for (const auto& [chunk, held] : m_chunks)
        if (held.generation == generation)
            for (std::size_t i = 0; i < held.rows.size(); ++i)
            if (held.rows[i].key == key) return chunk * m_chunkRows + static_cast<int>(i);
    return -1;
}

}  // namespace cachescope

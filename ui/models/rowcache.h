// RowCache: the sparse part of a long listing that is held in memory, as
// fixed-size chunks of rows (DB Browser's RowCache idea). Each chunk records
// the generation of the query it was read for: a chunk of an older
// generation is still shown (a live refresh replaces it in place) but is
// stale and read again when it is looked at. The number of chunks held is
// bounded; the ones farthest from where the user looked last are dropped.
// UI-thread only; knows nothing about Qt models or the engine's queries.
#pragma once

#include <QtGlobal>

#include <map>
#include <optional>
#include <vector>

#include "diskcache/inspect.h"

namespace cachescope {

class RowCache {
public:
    explicit RowCache(int chunkRows = 256, int maxChunks = 192) : m_chunkRows(chunkRows), m_maxChunks(maxChunks) {}

    int chunkRows() const { return m_chunkRows; }
    int maxChunks() const { return m_maxChunks; }
    int chunkOf(int row) const { return row / m_chunkRows; }
    int heldChunks() const { return static_cast<int>(m_chunks.size()); }

    // The row, or nullptr when its chunk is not held (or is shorter).
    const diskcache::Entry* at(int row) const;
    // The generation the row's chunk was read for; nullopt when not held.
    std::optional<quint64> generationOf(int chunk) const;
    // Stores a chunk read for `generation`, then drops the chunks farthest
    // from it while more than maxChunks are held.
    void put(int chunk, quint64 generation, std::vector<diskcache::Entry> rows);
    // Drops the chunks that hold no row below `rows` (the listing shrank) and
    // cuts the last one short.
    void truncate(int rows);
    void clear() { m_chunks.clear(); }
    // Counts every held chunk as read for `generation` (after Cancel: what
    // is shown stays, and is not read again by itself).
    void retag(quint64 generation);
    // The first row whose key is `key` among the chunks read for `generation`, or -1.
    int find(const diskcache::Value& key, quint64 generation) const;

private:
    struct Chunk {
        quint64 generation = 0;
        std::vector<diskcache::Entry> rows;
    };
    void evictFarFrom(int chunk);

    int m_chunkRows;
    int m_maxChunks;
    std::map<int, Chunk> m_chunks;
};

}  // namespace cachescope

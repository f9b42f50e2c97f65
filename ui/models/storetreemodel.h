// StoreTreeModel: the opened directory and what it is made of: the shards of
// a FanoutCache, its sub-stores (cache/<name>, deque/<name>, index/<name>)
// or the stores of a collection. Each item knows its directory (PathRole).
#pragma once

#include <QStandardItemModel>

#include "diskcache/inspect.h"

namespace cachescope {

class InspectClient;

class StoreTreeModel : public QStandardItemModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, KindRole };

    explicit StoreTreeModel(QObject* parent = nullptr);

    // Shows `directory` at once, then fills in its shards and sub-stores when
    // a worker has read its summary (loaded() tells).
    void load(const QString& directory);

    // Shows only the root (while the summary is on its way, or on error).
    void setRoot(const QString& directory, const QString& note = {});
    // Fills the tree from a summary of the root.
    void setSummary(const diskcache::Summary& summary);
    QModelIndex rootIndex() const { return index(0, 0); }
    QString pathAt(const QModelIndex& index) const;

Q_SIGNALS:
    void loaded(bool ok, const QString& error);

private:
    QStandardItem* makeItem(const QString& label, const QString& path, const QString& kind, const QString& tip);

    InspectClient* m_client;
};

}  // namespace cachescope

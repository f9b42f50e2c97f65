// StoreTreeModel: the opened directory and what it is made of: the shards of
// a FanoutCache, its sub-stores (cache/<name>, deque/<name>, index/<name>)
// or the stores of a collection, and under a store the functions whose
// memoize() keys it holds. Each item knows its directory (PathRole); a
// function's item its name too (FunctionRole).
#pragma once

#include <QHash>
#include <QStandardItemModel>

#include <vector>

#include "diskcache/inspect.h"
#include "diskcache/statistics.h"

namespace cachescope {

class InspectClient;

class StoreTreeModel : public QStandardItemModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, KindRole, FunctionRole };

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
    // The memoized function an item stands for; empty for a store.
    QString functionAt(const QModelIndex& index) const;
    // Shows `functions` under the item of the store at `directory`, in
    // place of those shown before (items of functions still there stay, so
    // a selected one stays selected); nothing when no item shows that store.
    void setFunctions(const QString& directory, const std::vector<diskcache::FunctionGroup>& functions);

Q_SIGNALS:
    void loaded(bool ok, const QString& error);

private:
    QStandardItem* makeItem(const QString& label, const QString& path, const QString& kind, const QString& tip);
    QStandardItem* storeItem(const QString& directory, QStandardItem* under) const;

    void showFunctions(QStandardItem* store, const std::vector<diskcache::FunctionGroup>& functions);

    InspectClient* m_client;
    // The functions last found in each store, kept so that a tree rebuilt
    // from a later summary shows them again.
    QHash<QString, std::vector<diskcache::FunctionGroup>> m_functions;
};

}  // namespace cachescope

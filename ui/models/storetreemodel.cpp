#include "models/storetreemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QIcon>

#include "common/format.h"
#include "common/icons.h"
#include "workers/inspectclient.h"

namespace cachescope {

StoreTreeModel::StoreTreeModel(QObject* parent) : QStandardItemModel(parent), m_client(new InspectClient(this))
{
    setHorizontalHeaderLabels({tr("Store")});
    connect(m_client, &InspectClient::storeOpened, this, [this](const StoreReply& reply) {
        if (reply.ok) {
            m_client->requestSummary();
        } else {
            setRoot(reply.directory, tr("unreadable"));
            Q_EMIT loaded(false, reply.error);
        }
    });
    connect(m_client, &InspectClient::summaryReady, this, [this](const SummaryReply& reply) {
        if (reply.ok) setSummary(reply.summary);
        Q_EMIT loaded(reply.ok, reply.error);
    });
}

void StoreTreeModel::load(const QString& directory)
{
    m_functions.clear();
    setRoot(directory);
    m_client->open(directory);
}

QStandardItem* StoreTreeModel::makeItem(const QString& label, const QString& path, const QString& kind, const QString& tip)
{
    auto* item = new QStandardItem(label);
    item->setEditable(false);
    item->setData(path, PathRole);
    item->setData(kind, KindRole);
    item->setToolTip(tip);
    const bool folder = kind == QLatin1String("fanout") || kind == QLatin1String("collection");
    item->setIcon(folder ? resourceIcon(QStringLiteral("folder-stores"), QStyle::SP_DirIcon)
                         : resourceIcon(QStringLiteral("store"), QStyle::SP_DriveHDIcon));
    return item;
}

void StoreTreeModel::setRoot(const QString& directory, const QString& note)
{
    clear();
    setHorizontalHeaderLabels({tr("Store")});
    const QString name = QFileInfo(directory).fileName().isEmpty() ? directory : QFileInfo(directory).fileName();
    QString label = name;
    if (!note.isEmpty()) label += QStringLiteral(" (%1)").arg(note);
    appendRow(makeItem(label, directory, QString(), QDir::toNativeSeparators(directory)));
}

void StoreTreeModel::setSummary(const diskcache::Summary& summary)
{
    const QString root = format::fromStd(summary.directory.string());
    const QString kind = QString::fromLatin1(diskcache::storeKindName(summary.kind));
    clear();
    setHorizontalHeaderLabels({tr("Store")});
    const QString name = QFileInfo(root).fileName().isEmpty() ? root : QFileInfo(root).fileName();
    QStandardItem* top = makeItem(QStringLiteral("%1 — %2").arg(name, kind), root, kind,
                                  tr("%1\n%2 entries").arg(QDir::toNativeSeparators(root)).arg(summary.count));
    for (const auto& shard : summary.shards) {
        const QString shardName = format::fromStd(shard.name);
        top->appendRow(makeItem(tr("shard %1 (%2, %3)").arg(shardName).arg(shard.count).arg(format::humanSize(shard.size)), QDir(root).filePath(shardName),
                                QStringLiteral("cache"), tr("%1 entries, %2").arg(shard.count).arg(format::humanSize(shard.size))));
    }
    for (const auto& child : summary.children) {
        const QString path = format::fromStd(child.path.string());
        const QString childKind = QString::fromLatin1(diskcache::storeKindName(child.kind));
        QString label = QDir(root).relativeFilePath(path);
        if (label.startsWith(QLatin1String(".."))) label = QFileInfo(path).fileName();
        top->appendRow(makeItem(QStringLiteral("%1 — %2").arg(label, childKind), path, childKind, QDir::toNativeSeparators(path)));
    }
    appendRow(top);
    for (auto it = m_functions.cbegin(); it != m_functions.cend(); ++it)
        if (QStandardItem* store = storeItem(it.key(), invisibleRootItem())) showFunctions(store, it.value());
}

QString StoreTreeModel::pathAt(const QModelIndex& index) const { return index.data(PathRole).toString(); }

QString StoreTreeModel::functionAt(const QModelIndex& index) const { return index.data(FunctionRole).toString(); }

QStandardItem* StoreTreeModel::storeItem(const QString& directory, QStandardItem* under) const
{
    for (int row = 0; row < under->rowCount(); ++row) {
        QStandardItem* item = under->child(row);
        if (!item->data(FunctionRole).isNull()) continue;
        if (QDir::cleanPath(item->data(PathRole).toString()) == directory) return item;
        if (QStandardItem* found = storeItem(directory, item)) return found;
    }
    return nullptr;
}

void StoreTreeModel::setFunctions(const QString& directory, const std::vector<diskcache::FunctionGroup>& functions)
{
    m_functions.insert(QDir::cleanPath(directory), functions);
    if (QStandardItem* store = storeItem(QDir::cleanPath(directory), invisibleRootItem())) showFunctions(store, functions);
}

void StoreTreeModel::showFunctions(QStandardItem* store, const std::vector<diskcache::FunctionGroup>& functions)
{
    const QString directory = store->data(PathRole).toString();
    QHash<QString, const diskcache::FunctionGroup*> wanted;
    for (const auto& function : functions) wanted.insert(format::fromStd(function.name), &function);
    auto label = [](const diskcache::FunctionGroup& f) {
        return tr("%1 (%2)").arg(format::fromStd(f.name)).arg(f.count);
    };
    for (int row = store->rowCount() - 1; row >= 0; --row) {
        QStandardItem* item = store->child(row);
        const QString name = item->data(FunctionRole).toString();
        if (name.isEmpty()) continue;
        if (const auto* f = wanted.take(name)) {
            if (item->text() != label(*f)) item->setText(label(*f));
        } else {
            store->removeRow(row);
        }
    }
    for (const auto& f : functions) {
        const QString name = format::fromStd(f.name);
        if (!wanted.contains(name)) continue;  // already shown
        QStandardItem* item = makeItem(label(f), directory, QStringLiteral("function"),
                                       tr("%1: %2 entries, %3 made by memoize()").arg(name).arg(f.count).arg(format::humanSize(f.bytes)));
        item->setData(name, FunctionRole);
        item->setIcon(resourceIcon(QStringLiteral("function"), QStyle::SP_FileDialogContentsView));
        store->appendRow(item);
    }
}

}  // namespace cachescope

// MainWindow: arranges the store tree, the entries and dashboard tabs, the
// details pane and the status bar, and routes the actions to them. It runs no
// query itself: each view asks its own worker, and maintenance has its own
// action handler (MaintenanceActions) with its own worker.
#pragma once

#include <QMainWindow>

#include <optional>

class QLabel;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace cachescope {

class DashboardView;
class DetailsPane;
class EntriesView;
class LiveUpdates;
class MainActions;
class MaintenanceActions;
class TaskPanel;
class StoreTreeModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Tab { Entries, Dashboard };
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a cache, FanoutCache or folder of stores (read-only).
    void openDirectory(const QString& directory);
    // Shows one store of the opened directory (a shard, a sub-store).
    void showStore(const QString& directory);
    void setCurrentTab(Tab tab);

    EntriesView* entriesView() const { return m_entries; }
    DashboardView* dashboardView() const { return m_dashboard; }
    DetailsPane* detailsPane() const { return m_details; }
    QTreeView* storeTree() const { return m_tree; }
    StoreTreeModel* storeTreeModel() const { return m_treeModel; }
    MainActions* actions() const { return m_actions; }
    MaintenanceActions* maintenance() const { return m_maintenance; }
    TaskPanel* taskPanel() const { return m_task; }
    LiveUpdates* liveUpdates() const { return m_live; }
    // "Read-only" or "Write mode", as the status bar shows it.
    QLabel* modeLabel() const { return m_modeLabel; }

protected:
    void closeEvent(QCloseEvent* event) override;
    // A folder (or a cache.db file) dragged from a file manager opens it.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void refresh();
    // Another process changed the store: counts, dashboard and visible rows, in place.
    void followChange();
    void copyKey();
    void copyValue();
    void updateStatus();
    void restoreState();
    void showWriteMode(bool on);

    MainActions* m_actions;
    StoreTreeModel* m_treeModel;
    QTreeView* m_tree;
    QTabWidget* m_tabs;
    EntriesView* m_entries;
    DashboardView* m_dashboard;
    DetailsPane* m_details;
    QSplitter* m_splitter;
    QLabel* m_kindLabel;
    QLabel* m_countLabel;
    QLabel* m_modeLabel;
    TaskPanel* m_task;
    MaintenanceActions* m_maintenance;
    LiveUpdates* m_live;
    QString m_root;
    QString m_kind;
};

}  // namespace cachescope

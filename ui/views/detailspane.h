// DetailsPane: everything about the selected entry — its row as stored and
// its value, read by a worker with its own engine handle and shown by the
// best value viewer (the user may pick another).
#pragma once

#include <QWidget>

#include <memory>
#include <vector>

#include "workers/replies.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QStackedWidget;

namespace cachescope {

class InspectClient;
class ValueViewer;

class DetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget* parent = nullptr);
    ~DetailsPane() override;

    void setStore(const QString& directory);
    // Shows `entry` (nullptr clears the pane) and loads its value.
    void showEntry(const diskcache::Entry* entry);
    // A row is current but its entry is still being read: the pane says so
    // rather than keep showing the entry before it.
    void showLoadingEntry();
    QString currentViewerName() const;
    QLabel* keyLabel() const { return m_key; }
    // The line under the fields: the value's type and size, the viewer, and what the decoder recognised.
    QString statusText() const;
    // The name and the text of every visible field, for tests and copying.
    QString fieldText(const QString& name) const;
    QString valueRepr() const { return m_valueRepr; }

Q_SIGNALS:
    void valueShown();

private:
    void onValue(const ValueReply& reply);
    void showViewer(int comboIndex);
    void setField(const QString& name, const QString& value, const QString& tip = {});

    InspectClient* m_client;
    QLabel* m_key;
    QFormLayout* m_form;
    QWidget* m_formHost;
    QComboBox* m_viewerCombo;
    QStackedWidget* m_stack;
    QWidget* m_noValue;  // the stack's page while no value is shown
    QLabel* m_status;
    std::vector<std::unique_ptr<ValueViewer>> m_viewers;
    ValueReply m_reply;
    QString m_valueRepr;
};

}  // namespace cachescope

// FilterBar: key text (contains / starts with), tag, live/expired and
// db/file choices, turned into an engine EntryFilter after a short pause.
#pragma once

#include <QTimer>
#include <QWidget>

#include "diskcache/inspect.h"

class QComboBox;
class QLineEdit;
class QToolButton;

namespace cachescope {

class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    diskcache::EntryFilter filter() const;
    QLineEdit* keyEdit() const { return m_key; }
    QLineEdit* tagEdit() const { return m_tag; }
    QComboBox* matchCombo() const { return m_match; }
    QComboBox* expiryCombo() const { return m_expiry; }
    QComboBox* storageCombo() const { return m_storage; }
    void focusKey();
    // Protocol a typed tag literal is pickled with (when it is not raw).
    void setPickleProtocol(int protocol) { m_pickleProtocol = protocol; }
    // Shows only the keys memoize() made for `name` (empty: every key), with
    // a button that says so and takes it away. Applies at once.
    void setFunction(const QString& name);
    QString function() const { return m_function; }
    QToolButton* functionButton() const { return m_functionButton; }
    void clear();

Q_SIGNALS:
    void filterChanged(const diskcache::EntryFilter& filter);

private:
    void schedule();

    QLineEdit* m_key;
    QComboBox* m_match;
    QLineEdit* m_tag;
    QComboBox* m_expiry;
    QComboBox* m_storage;
    QToolButton* m_functionButton;
    QString m_function;
    QTimer m_debounce;
    int m_pickleProtocol = 5;
};

}  // namespace cachescope

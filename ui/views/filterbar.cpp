#include "views/filterbar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace cachescope {

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent), m_key(new QLineEdit(this)), m_match(new QComboBox(this)), m_tag(new QLineEdit(this)),
      m_expiry(new QComboBox(this)), m_storage(new QComboBox(this)), m_functionButton(new QToolButton(this))
{
    m_functionButton->setObjectName(QStringLiteral("functionFilter"));
    m_functionButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_functionButton->setToolTip(tr("Only the keys memoize() made for this function; click to show every key"));
    m_functionButton->hide();
    connect(m_functionButton, &QToolButton::clicked, this, [this] { setFunction({}); });
    m_key->setPlaceholderText(tr("Filter keys (Ctrl+F)"));
    m_key->setClearButtonEnabled(true);
    m_key->setObjectName(QStringLiteral("keyFilter"));
    m_match->addItem(tr("contains"));
    m_match->addItem(tr("starts with"));
    m_tag->setPlaceholderText(tr("Tag: 'name', 3, None…"));
    m_tag->setClearButtonEnabled(true);
    m_tag->setToolTip(tr("A Python literal ('a', 42, None) or plain text"));
    m_expiry->addItem(tr("Live and expired"));
    m_expiry->addItem(tr("Live only"));
    m_expiry->addItem(tr("Expired only"));
    m_storage->addItem(tr("In db and in files"));
    m_storage->addItem(tr("In db only"));
    m_storage->addItem(tr("In files only"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_functionButton);
    layout->addWidget(m_key, 3);
    layout->addWidget(m_match);
    layout->addWidget(m_tag, 1);
    layout->addWidget(m_expiry);
    layout->addWidget(m_storage);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, [this] { Q_EMIT filterChanged(filter()); });
    connect(m_key, &QLineEdit::textChanged, this, &FilterBar::schedule);
    connect(m_tag, &QLineEdit::textChanged, this, &FilterBar::schedule);
    connect(m_match, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);
    connect(m_expiry, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);
    connect(m_storage, &QComboBox::currentIndexChanged, this, &FilterBar::schedule);
}

void FilterBar::schedule() { m_debounce.start(); }

void FilterBar::setFunction(const QString& name)
{
    if (name == m_function) return;
    m_function = name;
    m_functionButton->setText(tr("ƒ %1  ✕").arg(name));
    m_functionButton->setVisible(!name.isEmpty());
    m_debounce.stop();
    Q_EMIT filterChanged(filter());
}

void FilterBar::focusKey()
{
    m_key->setFocus(Qt::ShortcutFocusReason);
    m_key->selectAll();
}

void FilterBar::clear()
{
    m_key->clear();
    m_tag->clear();
    m_expiry->setCurrentIndex(0);
    m_storage->setCurrentIndex(0);
}

diskcache::EntryFilter FilterBar::filter() const
{
    diskcache::EntryFilter filter;
    const std::string key = m_key->text().toStdString();
    if (!key.empty()) {
        if (m_match->currentIndex() == 1) filter.keyPrefix = key;
        else filter.keyContains = key;
    }
    const QString tag = m_tag->text().trimmed();
    if (!tag.isEmpty()) {
        auto value = diskcache::inspect::keyFromLiteral(tag.toStdString(), m_pickleProtocol);
        filter.tag = value ? value.value() : diskcache::Value::text(tag.toStdString());
    }
    if (!m_function.isEmpty()) filter.memoizedFunction = m_function.toStdString();
    using E = diskcache::EntryFilter::Expiry;
    using S = diskcache::EntryFilter::Storage;
    filter.expiry = m_expiry->currentIndex() == 1 ? E::Live : m_expiry->currentIndex() == 2 ? E::Expired : E::Any;
    filter.storage = m_storage->currentIndex() == 1 ? S::InDatabase : m_storage->currentIndex() == 2 ? S::InFile : S::Any;
    return filter;
}

}  // namespace cachescope

#include "views/valueviewers.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QHeaderView>
#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTreeWidget>

#include "common/format.h"
#include "diskcache/pickle.h"

namespace cachescope {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ValueViewer", text); }

QByteArray bytesOf(const ValueReply& reply)
{
    return QByteArray(reply.stored.data(), static_cast<qsizetype>(reply.stored.size()));
}

bool isUtf8Text(const std::string& data)
{
    QByteArray bytes(data.data(), static_cast<qsizetype>(data.size()));
    QString text = QString::fromUtf8(bytes);
    return !text.contains(QChar::ReplacementCharacter) && !text.contains(QChar(0));
}

QPlainTextEdit* makeTextEdit(QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}

constexpr qsizetype kMaxShown = 4 << 20;  // text and hex shown at most (bytes)

class ReprTreeViewer : public ValueViewer {
public:
    explicit ReprTreeViewer(QWidget* parent) : m_tree(new QTreeWidget(parent))
    {
        m_tree->setObjectName(QStringLiteral("reprTree"));
        m_tree->setHeaderLabels({tr("Value"), tr("Type")});
        m_tree->header()->setStretchLastSection(false);
        m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    }
    QString name() const override { return tr("Python object"); }
    int score(const ValueReply& reply) const override
    {
        return reply.value.kind() == diskcache::ValueKind::Pickle ? 100 : 10;
    }
    void show(const ValueReply& reply) override
    {
        m_tree->clear();
        m_budget = 5000;
        if (reply.value.kind() == diskcache::ValueKind::Pickle) {
            auto object = diskcache::py::decodePickle(reply.value.data());
            if (!object) {
                auto* item = new QTreeWidgetItem(m_tree, {format::fromStd(object.status().toString()), tr("error")});
                Q_UNUSED(item);
                return;
            }
            add(nullptr, QString(), *object, 0);
        } else {
            new QTreeWidgetItem(m_tree, {format::repr(reply.value, 10000), format::fromStd(diskcache::inspect::pythonTypeName(reply.value))});
        }
        m_tree->expandToDepth(1);
    }
    QWidget* widget() override { return m_tree; }

private:
    void add(QTreeWidgetItem* parent, const QString& label, const diskcache::py::Object& object, int depth)
    {
        if (--m_budget < 0) return;
        using diskcache::py::Kind;
        const bool container = !object->items.empty() || !object->pairs.empty();
        QString text = format::fromStd(diskcache::py::repr(object, container ? 200 : 2000));
        if (!label.isEmpty()) text = label + QStringLiteral(": ") + text;
        QStringList columns{text, format::fromStd(diskcache::py::typeName(object))};
        auto* item = parent ? new QTreeWidgetItem(parent, columns) : new QTreeWidgetItem(m_tree, columns);
        if (depth > 30) return;
        int i = 0;
        for (const auto& child : object->items) add(item, QStringLiteral("[%1]").arg(i++), child, depth + 1);
        for (const auto& [key, value] : object->pairs)
            add(item, format::fromStd(diskcache::py::repr(key, 80)), value, depth + 1);
        if (object->kind == Kind::Reduce) {
            if (object->args && !object->args->items.empty()) add(item, tr("args"), object->args, depth + 1);
            if (object->state) add(item, tr("state"), object->state, depth + 1);
        }
    }
    QTreeWidget* m_tree;
    int m_budget = 0;
};

class TextViewer : public ValueViewer {
public:
    explicit TextViewer(QWidget* parent) : m_edit(makeTextEdit(parent)) { m_edit->setObjectName(QStringLiteral("textView")); }
    QString name() const override { return tr("Text"); }
    int score(const ValueReply& reply) const override
    {
        if (reply.value.kind() == diskcache::ValueKind::Text) return 90;
        if (reply.value.kind() == diskcache::ValueKind::Bytes && isUtf8Text(reply.stored)) return 40;
        return 0;
    }
    void show(const ValueReply& reply) override { m_edit->setPlainText(QString::fromUtf8(bytesOf(reply).left(kMaxShown))); }
    QWidget* widget() override { return m_edit; }

private:
    QPlainTextEdit* m_edit;
};

class JsonViewer : public ValueViewer {
public:
    explicit JsonViewer(QWidget* parent) : m_edit(makeTextEdit(parent)) {}
    QString name() const override { return tr("JSON"); }
    int score(const ValueReply& reply) const override
    {
        const auto kind = reply.value.kind();
        if (kind != diskcache::ValueKind::Text && kind != diskcache::ValueKind::Bytes) return 0;
        const auto first = reply.stored.find_first_not_of(" \t\r\n");
        if (first == std::string::npos || (reply.stored[first] != '{' && reply.stored[first] != '[')) return 0;
        return QJsonDocument::fromJson(bytesOf(reply)).isNull() ? 0 : 95;
    }
    void show(const ValueReply& reply) override
    {
        m_edit->setPlainText(QString::fromUtf8(QJsonDocument::fromJson(bytesOf(reply)).toJson(QJsonDocument::Indented)));
    }
    QWidget* widget() override { return m_edit; }

private:
    QPlainTextEdit* m_edit;
};

// What the engine's decoder renders for bytes that only it can read:
// JSONDisk's zlib-compressed JSON and Django's file-cache files.
class DecodedViewer : public ValueViewer {
public:
    explicit DecodedViewer(QWidget* parent) : m_edit(makeTextEdit(parent)) { m_edit->setObjectName(QStringLiteral("decodedView")); }
    QString name() const override { return tr("Decoded"); }
    int score(const ValueReply& reply) const override
    {
        return reply.decodedFormat == "jsondisk" || reply.decodedFormat == "django" ? 97 : 0;
    }
    void show(const ValueReply& reply) override { m_edit->setPlainText(QString::fromStdString(reply.decodedText)); }
    QWidget* widget() override { return m_edit; }

private:
    QPlainTextEdit* m_edit;
};

class ImageViewer : public ValueViewer {
public:
    explicit ImageViewer(QWidget* parent) : m_scroll(new QScrollArea(parent)), m_label(new QLabel)
    {
        m_label->setAlignment(Qt::AlignCenter);
        m_scroll->setWidget(m_label);
        m_scroll->setWidgetResizable(true);
    }
    QString name() const override { return tr("Image"); }
    int score(const ValueReply& reply) const override
    {
        if (reply.value.kind() != diskcache::ValueKind::Bytes) return 0;
        static const char* const magics[] = {"\x89PNG", "\xff\xd8\xff", "GIF8", "BM", "RIFF"};
        for (const char* magic : magics)
            if (reply.stored.rfind(magic, 0) == 0) return 98;
        return 0;
    }
    void show(const ValueReply& reply) override
    {
        QImage image = QImage::fromData(bytesOf(reply));
        if (image.isNull()) {
            m_label->setText(tr("The image could not be decoded."));
            return;
        }
        m_label->setPixmap(QPixmap::fromImage(image));
        m_label->setToolTip(tr("%1 × %2 pixels").arg(image.width()).arg(image.height()));
    }
    QWidget* widget() override { return m_scroll; }

private:
    QScrollArea* m_scroll;
    QLabel* m_label;
};

class HexViewer : public ValueViewer {
public:
    explicit HexViewer(QWidget* parent) : m_edit(makeTextEdit(parent)) {}
    QString name() const override { return tr("Hex"); }
    int score(const ValueReply&) const override { return 1; }
    void show(const ValueReply& reply) override
    {
        const QByteArray data = bytesOf(reply).left(256 * 1024);
        QString out;
        for (qsizetype offset = 0; offset < data.size(); offset += 16) {
            const QByteArray line = data.mid(offset, 16);
            QString ascii;
            for (char c : line) ascii += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QChar(u'.');
            out += QStringLiteral("%1  %2 %3\n")
                       .arg(offset, 8, 16, QChar(u'0'))
                       .arg(QString::fromLatin1(line.toHex(' ')), -47)
                       .arg(ascii);
        }
        if (reply.stored.size() > static_cast<std::size_t>(data.size())) out += tr("… (first 256 KiB shown)");
        m_edit->setPlainText(out);
    }
    QWidget* widget() override { return m_edit; }

private:
    QPlainTextEdit* m_edit;
};

}  // namespace

std::vector<std::unique_ptr<ValueViewer>> makeValueViewers(QWidget* parent)
{
    std::vector<std::unique_ptr<ValueViewer>> viewers;
    viewers.push_back(std::make_unique<ReprTreeViewer>(parent));
    viewers.push_back(std::make_unique<JsonViewer>(parent));
    viewers.push_back(std::make_unique<DecodedViewer>(parent));
    viewers.push_back(std::make_unique<ImageViewer>(parent));
    viewers.push_back(std::make_unique<TextViewer>(parent));
    viewers.push_back(std::make_unique<HexViewer>(parent));
    return viewers;
}

}  // namespace cachescope

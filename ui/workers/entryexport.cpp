#include "workers/entryexport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <cmath>

namespace cachescope::entryexport {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

// The key as Python shows it (a Django file cache's md5 name as it is).
QString keyText(const diskcache::Entry& e)
{
    return text(e.keyType == "md5" ? e.key.data() : diskcache::inspect::pythonRepr(e.key));
}

QJsonValue optionalNumber(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }

// A tag as JSON: numbers and text as themselves, anything else as its repr.
QJsonValue natural(const diskcache::Value& v)
{
    using diskcache::ValueKind;
    switch (v.kind()) {
    case ValueKind::None: return QJsonValue(QJsonValue::Null);
    case ValueKind::Int: return QJsonValue(static_cast<qint64>(v.asInt()));
    case ValueKind::Float:
        if (std::isfinite(v.asFloat())) return QJsonValue(v.asFloat());
        return text(diskcache::inspect::pythonRepr(v));
    case ValueKind::Text: return text(v.data());
    default: return text(diskcache::inspect::pythonRepr(v));
    }
}

QString csvField(const QString& s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\r')) && !s.contains(QLatin1Char('\n')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(const std::optional<double>& v) { return v ? QString::number(*v, 'g', 17) : QString(); }

QString csvTag(const diskcache::Value& tag)
{
    if (tag.isNone()) return {};
    if (tag.kind() == diskcache::ValueKind::Text) return text(tag.data());
    return text(diskcache::inspect::pythonRepr(tag));
}

}  // namespace

QByteArray header(Format format)
{
    if (format != Format::Csv) return {};
    return "key,key_type,value_type,mode,size,stored_length,filename,store_time,access_time,expire_time,"
           "access_count,tag,expired,shard,value_repr\r\n";
}

QByteArray row(Format format, const diskcache::Entry& e, const std::optional<std::string>& valueRepr)
{
    if (format == Format::Csv) {
        const QStringList fields{keyText(e), text(e.keyType), text(e.valueType), QString::fromLatin1(diskcache::storeModeName(e.mode)),
                                 QString::number(e.size), e.storedLength >= 0 ? QString::number(e.storedLength) : QString(),
                                 text(e.filename.value_or("")), csvNumber(e.storeTime), csvNumber(e.accessTime),
                                 csvNumber(e.expireTime), e.accessCount ? QString::number(*e.accessCount) : QString(),
                                 csvTag(e.tag), e.expired ? QStringLiteral("true") : QStringLiteral("false"),
                                 text(e.shard.value_or("")), text(valueRepr.value_or(""))};
        QStringList quoted;
        for (const QString& field : fields) quoted << csvField(field);
        return quoted.join(QLatin1Char(',')).toUtf8() + "\r\n";
    }
    QJsonObject o;
    o.insert(QStringLiteral("key"), keyText(e));
    o.insert(QStringLiteral("key_type"), text(e.keyType));
    o.insert(QStringLiteral("value_type"), text(e.valueType));
    o.insert(QStringLiteral("mode"), QString::fromLatin1(diskcache::storeModeName(e.mode)));
    o.insert(QStringLiteral("size"), static_cast<qint64>(e.size));
    o.insert(QStringLiteral("stored_length"), e.storedLength >= 0 ? QJsonValue(static_cast<qint64>(e.storedLength)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("filename"), e.filename ? QJsonValue(text(*e.filename)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("store_time"), optionalNumber(e.storeTime));
    o.insert(QStringLiteral("access_time"), optionalNumber(e.accessTime));
    o.insert(QStringLiteral("expire_time"), optionalNumber(e.expireTime));
    o.insert(QStringLiteral("access_count"), e.accessCount ? QJsonValue(static_cast<qint64>(*e.accessCount)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("tag"), natural(e.tag));
    o.insert(QStringLiteral("expired"), e.expired);
    o.insert(QStringLiteral("shard"), e.shard ? QJsonValue(text(*e.shard)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("value_repr"), valueRepr ? QJsonValue(text(*valueRepr)) : QJsonValue(QJsonValue::Null));
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n";
}

}  // namespace cachescope::entryexport

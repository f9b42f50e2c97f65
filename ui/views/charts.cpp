#include "views/charts.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace cachescope {

GaugeWidget::GaugeWidget(QWidget* parent) : QWidget(parent) { setMinimumSize(160, 160); }

void GaugeWidget::setValue(double fraction, const QString& centre, const QString& caption)
{
    m_fraction = std::clamp(fraction, 0.0, 1.0);
    m_centre = centre;
    m_caption = caption;
    setToolTip(caption);
    update();
}

void GaugeWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int side = std::min(width(), height()) - 16;
    const QRectF ring((width() - side) / 2.0, 8, side, side);
    const double thickness = side / 9.0;
    const QRectF arcRect = ring.adjusted(thickness / 2, thickness / 2, -thickness / 2, -thickness / 2);
    QPen track(palette().color(QPalette::Mid), thickness, Qt::SolidLine, Qt::RoundCap);
    painter.setPen(track);
    painter.drawArc(arcRect, 225 * 16, -270 * 16);
    QColor fill = m_fraction < 0.7 ? QColor(0x2e, 0xa0, 0x5a) : m_fraction < 0.9 ? QColor(0xe6, 0xa1, 0x17) : QColor(0xd0, 0x3b, 0x3b);
    painter.setPen(QPen(fill, thickness, Qt::SolidLine, Qt::RoundCap));
    if (m_fraction > 0) painter.drawArc(arcRect, 225 * 16, -static_cast<int>(270 * 16 * m_fraction));
    painter.setPen(palette().color(QPalette::WindowText));
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    painter.setFont(big);
    painter.drawText(ring, Qt::AlignCenter, m_centre);
    QFont small = font();
    painter.setFont(small);
    QRectF below = ring.adjusted(0, ring.height() * 0.62, 0, 0);
    painter.drawText(below, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_caption);
}

BarChartWidget::BarChartWidget(const QString& title, Orientation orientation, QWidget* parent)
    : QWidget(parent), m_title(title), m_orientation(orientation)
{
    setMinimumSize(240, 160);
}

void BarChartWidget::setBars(const QStringList& labels, const std::vector<std::int64_t>& values, const std::vector<QColor>& colors)
{
    m_labels = labels;
    m_values = values;
    m_colors = colors;
    update();
}

void BarChartWidget::setNote(const QString& note)
{
    m_note = note;
    update();
}

QColor BarChartWidget::colorAt(std::size_t index) const
{
    if (index < m_colors.size() && m_colors[index].isValid()) return m_colors[index];
    return palette().color(QPalette::Highlight);
}

void BarChartWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
    QFont titleFont = font();
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(palette().color(QPalette::Text));
    const int line = fontMetrics().height();
    painter.drawText(QRect(8, 4, width() - 16, line + 4), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    painter.setFont(font());
    if (!m_note.isEmpty())
        painter.drawText(QRect(8, 4, width() - 16, line + 4), Qt::AlignRight | Qt::AlignVCenter, m_note);
    const QRect area(8, line + 12, width() - 16, height() - line - 20);
    const std::int64_t maximum = m_values.empty() ? 0 : *std::max_element(m_values.begin(), m_values.end());
    if (maximum <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, tr("Nothing to show"));
        return;
    }
    if (m_orientation == Orientation::Vertical) paintVertical(painter, area, maximum);
    else paintHorizontal(painter, area, maximum);
}

void BarChartWidget::paintVertical(QPainter& painter, const QRect& area, std::int64_t maximum)
{
    const int n = static_cast<int>(m_values.size());
    const int line = painter.fontMetrics().height();
    const int chartHeight = area.height() - 2 * line - 4;
    const double slot = static_cast<double>(area.width()) / n;
    for (int i = 0; i < n; ++i) {
        const std::int64_t value = m_values[static_cast<std::size_t>(i)];
        const int barHeight = static_cast<int>(chartHeight * static_cast<double>(value) / static_cast<double>(maximum));
        const QRectF bar(area.left() + i * slot + slot * 0.12, area.top() + line + chartHeight - barHeight, slot * 0.76, barHeight);
        QPainterPath path;
        path.addRoundedRect(bar, 2, 2);
        painter.fillPath(path, colorAt(static_cast<std::size_t>(i)));
        painter.setPen(palette().color(QPalette::Text));
        if (value > 0)
            painter.drawText(QRectF(area.left() + i * slot, bar.top() - line, slot, line), Qt::AlignCenter,
                             QLocale().toString(static_cast<qlonglong>(value)));
        const QString label = i < m_labels.size() ? m_labels.at(i) : QString();
        painter.drawText(QRectF(area.left() + i * slot, area.top() + line + chartHeight + 2, slot, line + 2),
                         Qt::AlignCenter, painter.fontMetrics().elidedText(label, Qt::ElideRight, static_cast<int>(slot)));
    }
}

void BarChartWidget::paintHorizontal(QPainter& painter, const QRect& area, std::int64_t maximum)
{
    const int n = static_cast<int>(m_values.size());
    const int row = std::min(area.height() / std::max(n, 1), painter.fontMetrics().height() + 10);
    const int labelWidth = std::min(area.width() / 3, 160);
    const int numberWidth = painter.fontMetrics().horizontalAdvance(QStringLiteral("0000000"));
    const int barSpace = area.width() - labelWidth - numberWidth - 8;
    for (int i = 0; i < n; ++i) {
        const int top = area.top() + i * row;
        const std::int64_t value = m_values[static_cast<std::size_t>(i)];
        painter.setPen(palette().color(QPalette::Text));
        const QString label = i < m_labels.size() ? m_labels.at(i) : QString();
        painter.drawText(QRect(area.left(), top, labelWidth - 6, row), Qt::AlignRight | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(label, Qt::ElideMiddle, labelWidth - 6));
        const int barWidth = std::max(1, static_cast<int>(barSpace * static_cast<double>(value) / static_cast<double>(maximum)));
        QPainterPath path;
        path.addRoundedRect(QRectF(area.left() + labelWidth, top + 3, barWidth, row - 6), 2, 2);
        painter.fillPath(path, colorAt(static_cast<std::size_t>(i)));
        painter.drawText(QRect(area.left() + labelWidth + barWidth + 4, top, numberWidth, row), Qt::AlignLeft | Qt::AlignVCenter,
                         QLocale().toString(static_cast<qlonglong>(value)));
    }
}

}  // namespace cachescope

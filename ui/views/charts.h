// Small charts painted with QPainter (no Qt Charts): a ring gauge and a bar
// chart. Colours come from the palette, so light and dark themes both work.
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace cachescope {

class GaugeWidget : public QWidget {
    Q_OBJECT
public:
    explicit GaugeWidget(QWidget* parent = nullptr);
    // fraction in [0, 1] (clamped); caption under the number.
    void setValue(double fraction, const QString& centre, const QString& caption);
    double fraction() const { return m_fraction; }
    QSize sizeHint() const override { return {200, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double m_fraction = 0;
    QString m_centre;
    QString m_caption;
};

class BarChartWidget : public QWidget {
    Q_OBJECT
public:
    enum class Orientation { Vertical, Horizontal };
    explicit BarChartWidget(const QString& title, Orientation orientation, QWidget* parent = nullptr);
    // One colour per bar may be given; bars without one use the highlight colour.
    void setBars(const QStringList& labels, const std::vector<std::int64_t>& values, const std::vector<QColor>& colors = {});
    void setNote(const QString& note);
    QSize sizeHint() const override { return {360, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintVertical(class QPainter& painter, const QRect& area, std::int64_t maximum);
    void paintHorizontal(class QPainter& painter, const QRect& area, std::int64_t maximum);
    QColor colorAt(std::size_t index) const;

    QString m_title;
    QString m_note;
    Orientation m_orientation;
    QStringList m_labels;
    std::vector<std::int64_t> m_values;
    std::vector<QColor> m_colors;
};

}  // namespace cachescope

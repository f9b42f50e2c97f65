// Value viewers for the details pane. Each says how well it can show a value
// (score: 0 = cannot, higher = better) and shows it; the pane picks the best
// one and lets the user switch to any other that can.
#pragma once

#include <QString>

#include <memory>
#include <vector>

#include "workers/replies.h"

class QWidget;

namespace cachescope {

class ValueViewer {
public:
    virtual ~ValueViewer() = default;
    virtual QString name() const = 0;
    virtual int score(const ValueReply& reply) const = 0;
    virtual void show(const ValueReply& reply) = 0;
    virtual QWidget* widget() = 0;
};

// Repr tree, JSON, image, text and hex viewers, best first for ties.
std::vector<std::unique_ptr<ValueViewer>> makeValueViewers(QWidget* parent);

}  // namespace cachescope

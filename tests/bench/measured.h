// Runs one measured step in a forked child so that each step's peak RSS
// (getrusage's ru_maxrss of that child) is its own, not the maximum of
// everything measured before it in the same process.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace bench {

struct Measurement {
    std::string name;
    double seconds = 0;    // of the timed part only
    long peakRssKb = 0;    // of the whole child: opening, preparing and the timed part
    std::string result;    // what the step found ("count 12345"), or the error
    bool ok = false;
};

// What a step does in its child: prepares (untimed) and calls `timed` around
// the part to measure; returns its result text, or an error starting with "error: ".
using Step = std::function<std::string(const std::function<void(const std::function<void()>&)>& timed)>;

Measurement measureInChild(const std::string& name, const Step& step);

// Prints measurements as a table, or as one JSON object {"mode":..., "steps": [...]} with `extra` fields.
void printMeasurements(const std::string& mode, const std::string& extraJson, const std::vector<Measurement>& steps, bool json);

}  // namespace bench

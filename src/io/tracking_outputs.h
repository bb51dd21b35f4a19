// The tracking files of a run: tracks.csv (every live track at every output time),
// assessment.json (classes, impact ellipses, footprints, asset threat) and the `tracking` block
// of summary.json (metrics against truth). Every field is documented in docs/outputs.md.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "sim/run.h"

namespace hyperdef::io {

void WriteTracksCsv(const sim::TrackingResult& tracking, std::ostream& out);
nlohmann::ordered_json AssessmentJson(const sim::ScenarioSpec& spec,
                                      const sim::TrackingResult& tracking);
nlohmann::ordered_json TrackingSummaryJson(const sim::ScenarioSpec& spec,
                                           const sim::TrackingResult& tracking);
// Scoring time series: each threat's following-track error per output time, and OSPA/GOSPA.
void WriteTrackErrorsCsv(const sim::TrackingResult& tracking, std::ostream& out);
void WriteSetMetricsCsv(const sim::TrackingResult& tracking, std::ostream& out);

}  // namespace hyperdef::io

// The defence's files: engagements.csv (every interceptor: battery, track, the threat its seeker
// homed on, launch, planned intercept point, closest approach, result) and the `engagement`
// block of summary.json (shots, kills, leakers, damage per asset, interceptors per kill).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "sim/run.h"

namespace hyperdef::io {

void WriteEngagementsCsv(const sim::EngagementResult& engagement, std::ostream& out);
nlohmann::ordered_json EngagementSummaryJson(const sim::ScenarioSpec& spec,
                                             const sim::RunResult& result);

}  // namespace hyperdef::io

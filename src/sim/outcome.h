// What happened to each threat and each defended asset in one run: killed, leaked (reached the
// ground) or still flying at the end, and which assets a leaker's impact fell on. The one place
// this is decided: summary.json's engagement block and Monte Carlo's runs.csv both read it.
#pragma once

#include <string>
#include <vector>

#include "sim/run.h"
#include "sim/scenario.h"

namespace hyperdef::sim {

struct ThreatOutcome {
  enum class Result { kKilled, kLeaked, kInFlight };
  std::string threat_id;
  Result result = Result::kInFlight;
  double kill_time_s = 0.0;        // when killed
  std::vector<size_t> assets_hit;  // leakers: indices into spec.assets, impact inside
  int shots = 0;                   // interceptors fired at it (scored by homed threat)
  double best_miss_m = -1.0;       // smallest miss of those shots (-1: none)
};

struct AssetOutcome {
  int leakers = 0;            // leakers whose impact fell inside the asset's radius
  double damage_value = 0.0;  // value x leakers
};

struct RaidOutcome {
  std::vector<ThreatOutcome> threats;  // scenario order
  std::vector<AssetOutcome> assets;    // spec.assets order
  int kills = 0, leakers = 0, in_flight = 0;
  double total_value = 0.0;     // sum of asset values
  double defended_value = 0.0;  // sum of the values of assets no leaker hit
};

const char* ToString(ThreatOutcome::Result r);  // "killed", "leaked", "in_flight"

// Outcome of a finished run. A threat with a kill time in the engagement result is killed;
// otherwise it leaked if its trajectory reached the ground within the duration.
RaidOutcome ComputeOutcome(const ScenarioSpec& spec, const RunResult& result);

}  // namespace hyperdef::sim

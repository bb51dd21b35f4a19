// One deterministic run of a scenario: every threat flown (aimed first where it has to be).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/scenario.h"
#include "sim/sensing.h"
#include "sim/tracking_run.h"
#include "threats/ballistic.h"
#include "threats/trajectory.h"

namespace hyperdef::sim {

struct RunResult {
  std::vector<threats::Trajectory> trajectories;  // one per threat, in scenario order
  SensingResult sensing;                          // empty when the scenario has no sensors
  std::optional<TrackingResult> tracking;         // when the scenario has a tracker
};

// Ballistic steering solved once for many runs (Monte Carlo). The flight model is
// time-invariant in the Earth-fixed frame (gravity, atmosphere and the Earth's rotation are all
// Earth-fixed), so a missile launched at another time from the same site toward the same aimpoint
// needs the same azimuth and kick, its thrust cutoff shifted by the launch-time difference. Only
// threats whose one varied parameter (if any) is their launch time get an entry.
struct AimCache {
  std::vector<std::optional<threats::BallisticSteering>> steering;  // per threat
  std::vector<double> launch_time_s;  // the launch time the steering was solved for
};
// Solves the steering of every eligible aimed ballistic missile of `nominal`.
AimCache SolveAims(const ScenarioSpec& nominal);

// Flies one threat (with the cached steering when `aims` has it). Throws core::InputError if its
// aimpoint cannot be reached.
threats::Trajectory SimulateThreat(const ScenarioSpec& spec, size_t index,
                                   const AimCache* aims = nullptr);

// Flies every threat; trajectories are cut at the scenario's duration.
std::vector<threats::Trajectory> FlyThreats(const ScenarioSpec& spec,
                                            const AimCache* aims = nullptr);

// FlyThreats, then lets every sensor look, then tracks (closed loop with the cued modes).
// `replication` keys every random stream of the run (Monte Carlo replication index).
// keep_detections false (a Monte Carlo replication without a trace) leaves a tracked run's
// sensing.detections empty; every other result is the same (see RunTracking).
RunResult RunScenario(const ScenarioSpec& spec, std::uint64_t replication = 0,
                      const AimCache* aims = nullptr, bool keep_detections = true);

}  // namespace hyperdef::sim

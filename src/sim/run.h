// One deterministic run of a scenario: every threat flown (aimed first where it has to be).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/scenario.h"
#include "sim/sensing.h"
#include "sim/tracking_run.h"
#include "threats/trajectory.h"

namespace hyperdef::sim {

struct RunResult {
  std::vector<threats::Trajectory> trajectories;  // one per threat, in scenario order
  SensingResult sensing;                          // empty when the scenario has no sensors
  std::optional<TrackingResult> tracking;         // when the scenario has a tracker
};

// Flies one threat. Throws core::InputError if its aimpoint cannot be reached.
threats::Trajectory SimulateThreat(const ScenarioSpec& spec, size_t index);

// Flies every threat; trajectories are cut at the scenario's duration.
std::vector<threats::Trajectory> FlyThreats(const ScenarioSpec& spec);

// FlyThreats, then lets every sensor look, then tracks (closed loop with the cued modes).
// `replication` keys every random stream of the run (Monte Carlo replication index).
RunResult RunScenario(const ScenarioSpec& spec, std::uint64_t replication = 0);

}  // namespace hyperdef::sim

#include "sim/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/error.h"
#include "threats/ballistic.h"
#include "threats/cruise.h"
#include "threats/glider.h"

namespace hyperdef::sim {

threats::Trajectory SimulateThreat(const ScenarioSpec& spec, size_t index) {
  const threats::ThreatSpec& t = spec.threats[index];
  const threats::SegmentOptions options = spec.SegmentOptionsFor();
  const flight::Environment& env = spec.world.environment;
  try {
    switch (t.threat_class) {
      case threats::ThreatClass::kBallistic:
        return threats::SimulateBallistic(env, t, options);
      case threats::ThreatClass::kBoostGlide:
        return threats::SimulateBoostGlide(env, t, options);
      case threats::ThreatClass::kCruise:
        return threats::SimulateCruise(env, t, options);
    }
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const core::InputError*>(&e)) throw;
    throw core::InputError({spec.file, 0, 0}, fmt::format("threats[{}].aim", index), e.what());
  }
  throw core::InvariantError("unknown threat class");
}

std::vector<threats::Trajectory> FlyThreats(const ScenarioSpec& spec) {
  std::vector<threats::Trajectory> out;
  for (size_t i = 0; i < spec.threats.size(); ++i) {
    threats::Trajectory tr = SimulateThreat(spec, i);
    auto& s = tr.samples;
    const auto past = std::find_if(s.begin(), s.end(), [&](const threats::TrajectorySample& x) {
      return x.t_s > spec.duration_s;
    });
    if (past != s.end()) {
      s.erase(past, s.end());
      tr.impacted = false;
      std::erase_if(tr.events,
                    [&](const threats::FlightEvent& e) { return e.t_s > spec.duration_s; });
      tr.Summarise(spec.threats[i].launch, spec.threats[i].aim);
    }
    out.push_back(std::move(tr));
  }
  return out;
}

RunResult RunScenario(const ScenarioSpec& spec, std::uint64_t replication) {
  RunResult result;
  result.trajectories = FlyThreats(spec);
  if (spec.tracker.enabled) {
    // The closed loop senses frame by frame itself (cued looks, and later kills, change what
    // the next frames see).
    result.tracking = RunTracking(spec, &result.trajectories, &result.sensing, replication);
  } else {
    result.sensing = SenseScenario(spec, result.trajectories, replication);
  }
  return result;
}

}  // namespace hyperdef::sim

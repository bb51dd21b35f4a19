#include "sim/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "threats/ballistic.h"
#include "threats/cruise.h"
#include "threats/glider.h"

namespace hyperdef::sim {

AimCache SolveAims(const ScenarioSpec& nominal) {
  AimCache c;
  c.steering.resize(nominal.threats.size());
  c.launch_time_s.resize(nominal.threats.size(), 0.0);
  for (size_t i = 0; i < nominal.threats.size(); ++i) {
    const threats::ThreatSpec& t = nominal.threats[i];
    if (t.threat_class != threats::ThreatClass::kBallistic || t.ballistic.burnout) continue;
    const std::string prefix = fmt::format("threats[{}].", i);
    const std::string launch_time = prefix + "launch.time_s";
    const bool only_time_varies =
        std::none_of(nominal.varied.begin(), nominal.varied.end(), [&](const VariedParameter& v) {
          return v.path.rfind(prefix, 0) == 0 && v.path != launch_time;
        });
    if (!only_time_varies) continue;
    try {
      c.steering[i] =
          threats::AimBallistic(nominal.world.environment, t, nominal.SegmentOptionsFor());
      c.launch_time_s[i] = t.launch_time_s;
    } catch (const std::runtime_error&) {
      // Left to SimulateThreat, which reports it as an input error in every run.
    }
  }
  return c;
}

threats::Trajectory SimulateThreat(const ScenarioSpec& spec, size_t index, const AimCache* aims) {
  const threats::ThreatSpec& t = spec.threats[index];
  const threats::SegmentOptions options = spec.SegmentOptionsFor();
  const flight::Environment& env = spec.world.environment;
  try {
    switch (t.threat_class) {
      case threats::ThreatClass::kBallistic:
        if (aims && index < aims->steering.size() && aims->steering[index]) {
          threats::BallisticSteering st = *aims->steering[index];
          st.cutoff_time_s += t.launch_time_s - aims->launch_time_s[index];
          return threats::FlyBallistic(env, t, st, options);
        }
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

std::vector<threats::Trajectory> FlyThreats(const ScenarioSpec& spec, const AimCache* aims) {
  std::vector<threats::Trajectory> out;
  for (size_t i = 0; i < spec.threats.size(); ++i) {
    threats::Trajectory tr = SimulateThreat(spec, i, aims);
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

RunResult RunScenario(const ScenarioSpec& spec, std::uint64_t replication, const AimCache* aims,
                      bool keep_detections) {
  RunResult result;
  result.trajectories = FlyThreats(spec, aims);
  if (spec.tracker.enabled) {
    // The closed loop senses frame by frame itself (cued looks, and later kills, change what
    // the next frames see).
    result.tracking =
        RunTracking(spec, &result.trajectories, &result.sensing, replication, keep_detections);
  } else {
    result.sensing = SenseScenario(spec, result.trajectories, replication);
  }
  return result;
}

}  // namespace hyperdef::sim

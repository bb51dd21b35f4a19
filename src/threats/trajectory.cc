#include "threats/trajectory.h"

#include <algorithm>

#include "earth/wgs84.h"

namespace hyperdef::threats {

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kBoost:
      return "boost";
    case Phase::kMidcourse:
      return "midcourse";
    case Phase::kReentry:
      return "reentry";
    case Phase::kPullUp:
      return "pull_up";
    case Phase::kGlide:
      return "glide";
    case Phase::kCruise:
      return "cruise";
    case Phase::kDive:
      return "dive";
    case Phase::kImpact:
      return "impact";
  }
  return "?";
}

const char* ThreatClassName(ThreatClass c) {
  switch (c) {
    case ThreatClass::kBallistic:
      return "ballistic";
    case ThreatClass::kBoostGlide:
      return "boost_glide";
    case ThreatClass::kCruise:
      return "cruise";
  }
  return "?";
}

const char* TrajectoryShapeName(TrajectoryShape s) {
  switch (s) {
    case TrajectoryShape::kMinimumEnergy:
      return "minimum_energy";
    case TrajectoryShape::kLofted:
      return "lofted";
    case TrajectoryShape::kDepressed:
      return "depressed";
  }
  return "?";
}

bool Trajectory::StateAt(double t_s, flight::State* x, Phase* phase) const {
  if (samples.empty() || t_s < samples.front().t_s || t_s > samples.back().t_s) return false;
  auto it = std::lower_bound(samples.begin(), samples.end(), t_s,
                             [](const TrajectorySample& s, double t) { return s.t_s < t; });
  if (it == samples.begin()) {
    *x = it->x;
    if (phase) *phase = it->phase;
    return true;
  }
  const TrajectorySample& b = *it;
  const TrajectorySample& a = *(it - 1);
  const double span = b.t_s - a.t_s;
  const double w = span > 0.0 ? (t_s - a.t_s) / span : 1.0;
  *x = (1.0 - w) * a.x + w * b.x;
  if (phase) *phase = w < 1.0 ? a.phase : b.phase;
  return true;
}

void Trajectory::Summarise(const GeoPoint& launch, const GeoPoint& aim) {
  if (samples.empty()) return;
  launch_time_s = samples.front().t_s;
  apogee_m = 0.0;
  max_speed_mps = 0.0;
  max_mach = 0.0;
  for (const TrajectorySample& s : samples) {
    apogee_m = std::max(apogee_m, s.alt_m);
    max_speed_mps = std::max(max_speed_mps, s.speed_mps);
    max_mach = std::max(max_mach, s.mach);
  }
  const TrajectorySample& last = samples.back();
  impact = {last.lat_rad, last.lon_rad, last.alt_m};
  impact_time_s = last.t_s;
  ground_range_m =
      earth::GeodesicDistance_m(launch.lat_rad, launch.lon_rad, last.lat_rad, last.lon_rad);
  miss_distance_m = earth::GeodesicDistance_m(aim.lat_rad, aim.lon_rad, last.lat_rad, last.lon_rad);
}

}  // namespace hyperdef::threats

// The truth record of one threat's flight: samples at the record step and at every event, plus
// the events themselves and the summary figures the run reports.
#pragma once

#include <string>
#include <vector>

#include "flight/dynamics.h"
#include "threats/threat_spec.h"

namespace hyperdef::threats {

enum class Phase { kBoost, kMidcourse, kReentry, kPullUp, kGlide, kCruise, kDive, kImpact };
const char* PhaseName(Phase p);

struct TrajectorySample {
  double t_s = 0.0;  // since the scenario epoch
  flight::State x = flight::State::Zero();
  double lat_rad = 0.0, lon_rad = 0.0, alt_m = 0.0;
  double speed_mps = 0.0, mach = 0.0;
  double flight_path_rad = 0.0, heading_rad = 0.0;
  double dynamic_pressure_Pa = 0.0;
  double load_factor = 0.0;  // |specific force| / g0
  double heat_flux_Wpm2 = 0.0;
  double surface_temperature_K = 0.0;
  double thrust_N = 0.0;
  Phase phase = Phase::kBoost;
};

struct FlightEvent {
  double t_s = 0.0;
  std::string name;  // "launch", "staging-1", "burnout", "apogee", "release", "dive", "impact", ...
};

struct Trajectory {
  std::string threat_id;
  ThreatClass threat_class = ThreatClass::kBallistic;
  std::vector<TrajectorySample> samples;  // time-ordered
  std::vector<FlightEvent> events;

  // Summary figures (filled by Summarise()).
  double launch_time_s = 0.0;
  double impact_time_s = 0.0;
  bool impacted = false;
  double ground_range_m = 0.0;  // geodesic launch -> impact (or last point)
  double apogee_m = 0.0;
  double max_speed_mps = 0.0;
  double max_mach = 0.0;
  GeoPoint impact;
  double miss_distance_m = 0.0;  // geodesic impact -> aimpoint

  // Linear interpolation of the state between samples (Hermite would be smoother; samples are
  // dense enough at the default 1 s step for sensors). t outside the flight: false.
  bool StateAt(double t_s, flight::State* x, Phase* phase = nullptr) const;
  void Summarise(const GeoPoint& launch, const GeoPoint& aim);
};

}  // namespace hyperdef::threats

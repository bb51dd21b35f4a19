// Geometric coverage of the space IR layers (hyperdef coverage): how many satellites could see
// each threat along its truth trajectory, and how often each point of a lat/lon grid at a fixed
// altitude is seen by one, two (stereo) or more satellites. Geometry only -- field of regard,
// grazing altitude and sun exclusion through sensors::IrVisibilityCuller, no detection draws --
// so it answers "how many satellites give continuous stereo custody" independently of signatures.
#pragma once

#include <string>
#include <vector>

#include "core/frames.h"
#include "sim/scenario.h"
#include "threats/trajectory.h"

namespace hyperdef::sim {

struct CoverageOptions {
  double altitude_m = 40e3;    // map target altitude: the glide layer of a boost-glide vehicle
  double grid_deg = 2.0;       // map cell size; must divide 180
  double step_s = 10.0;        // map time sampling over [0, duration]
  double threat_step_s = 0.0;  // threat sampling; 0: each layer's frame_time_s
  void Validate() const;       // throws core::InputError naming the option
};

// One look at one threat: the sample holds until the next one (weight_s), so the weights of a
// flight add up exactly to its duration.
struct CoverageSample {
  double t_s = 0.0;
  threats::Phase phase = threats::Phase::kBoost;
  int n_visible = 0;
  double weight_s = 0.0;
};

// Time (s) seen by >= 1, >= 2 (stereo) and >= 3 satellites, and the longest stretch without
// stereo, over one phase or a whole flight.
struct CustodyStats {
  double seconds = 0.0;
  double seen1_s = 0.0, seen2_s = 0.0, seen3_s = 0.0;
  double longest_stereo_gap_s = 0.0;
  double Fraction(double s) const { return seconds > 0.0 ? s / seconds : 0.0; }
};

struct PhaseCoverage {
  threats::Phase phase = threats::Phase::kBoost;
  CustodyStats stats;
};

struct ThreatCoverage {
  std::string threat_id;
  double start_s = 0.0, end_s = 0.0;  // first and last truth sample (cut at the duration)
  CustodyStats overall;
  std::vector<PhaseCoverage> phases;  // in order of first appearance
  std::vector<CoverageSample> samples;
};

// Cell (i, j): centre latitude -90 + (i + 1/2) grid, longitude -180 + (j + 1/2) grid (deg).
struct CoverageMap {
  double grid_deg = 0.0, altitude_m = 0.0, step_s = 0.0;
  int n_lat = 0, n_lon = 0;
  long frames = 0;
  std::vector<double> stereo_fraction;  // row-major [i * n_lon + j], fraction of frames >= 2
  std::vector<double> single_fraction;  // fraction of frames >= 1
  double LatDeg(int i) const { return -90.0 + (i + 0.5) * grid_deg; }
  double LonDeg(int j) const { return -180.0 + (j + 0.5) * grid_deg; }
  // Area-weighted (cos latitude) global means.
  double MeanStereo() const;
  double MeanSingle() const;
};

struct LayerCoverage {
  std::string layer_id;
  size_t satellites = 0;
  double threat_step_s = 0.0;
  std::vector<ThreatCoverage> threats;  // scenario order
  CoverageMap map;
};

struct CoverageResult {
  CoverageOptions options;
  std::vector<LayerCoverage> layers;  // one per space_ir layer, scenario order
};

// Satellites of `layer` with geometric visibility of a target at ECEF position `target_r_Ecef`
// at scenario time t_s (Sun direction of that time).
int VisibleSatelliteCount(const ScenarioSpec& spec, const SpaceLayerSpec& layer, double t_s,
                          const core::Vec3& target_r_Ecef);

// Samples at the launch and at every multiple of step_s inside the flight.
ThreatCoverage ComputeThreatCoverage(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                                     const threats::Trajectory& trajectory, double step_s);

CoverageMap ComputeCoverageMap(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                               const CoverageOptions& options);

// Every space layer x (every threat, the map). Throws core::InputError if the scenario has no
// space_ir layer or an option is out of range.
CoverageResult ComputeCoverage(const ScenarioSpec& spec, const CoverageOptions& options,
                               const std::vector<threats::Trajectory>& trajectories);
CoverageResult ComputeCoverage(const ScenarioSpec& spec, const CoverageOptions& options);

}  // namespace hyperdef::sim

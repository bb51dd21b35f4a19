// Tracking a run: the closed loop of sensors, tracker and (with a defence) interceptors. Frame by
// frame, the warning-mode detections (sensing.h) go to the tracker; the tracker's confirmed tracks
// cue the tasked modes (narrow-field IR telescopes, radar track dwells) for the next frame, whose
// detections go to the tracker too. Then the assessment (class, impact point, reachable footprint,
// asset threat) runs on the tracks, and the scoring (metrics against truth, the only place truth
// meets tracks).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assessment/classification.h"
#include "assessment/footprint.h"
#include "assessment/impact_point.h"
#include "sim/engagement_run.h"
#include "sim/scenario.h"
#include "sim/sensing.h"
#include "threats/trajectory.h"
#include "tracking/metrics.h"
#include "tracking/tracker.h"

namespace hyperdef::sim {

// One row of tracks.csv: a live track at an output time.
struct TrackRow {
  double t_s = 0.0;
  int track_id = 0;
  tracking::TrackStatus status = tracking::TrackStatus::kTentative;
  Eigen::Matrix<double, 6, 1> x_Eci;  // tracking frame
  Eigen::Matrix<double, 6, 6> P_Eci;
  Eigen::Matrix<double, 6, 1> x_Ecef;      // the same estimate, Earth-fixed
  Eigen::Matrix<double, 6, 1> sigma_Ecef;  // square roots of the Earth-fixed covariance diagonal
  std::string class_name;                  // assessment ("" until classified)
  double class_probability = 0.0;
  std::string scored_truth_id;  // scoring: filled after the run from the update log
  std::vector<double> mode_probabilities;
};

struct AssetThreat {
  std::string asset_id;
  double probability = 0.0;
};

// The assessment of one confirmed track at one time.
struct TrackAssessment {
  double t_s = 0.0;
  int track_id = 0;
  assessment::ClassProbabilities classes;
  std::optional<assessment::ImpactPrediction> impact;  // ballistic tracks past burnout
  std::optional<assessment::Footprint> footprint;      // boost-glide tracks
  std::vector<AssetThreat> assets;
};

struct TrackingResult {
  std::vector<std::string> mode_names;  // the filter's modes (IMM), in mode_probabilities order
  std::vector<TrackRow> rows;           // output times, then track id
  std::vector<TrackAssessment> assessments;
  std::vector<tracking::TrackUpdateLog> updates;
  long tracks_initiated = 0;
  long detections = 0;  // warning and tasked detections given to the tracker
  long tasked_ir_looks = 0, tasked_radar_looks = 0;
  tracking::RunMetrics metrics;
  // Set metrics per output time over confirmed tracks vs flying threats (positions, c = 10 km,
  // p = 2): OSPA and GOSPA (alpha = 2) with its localisation part (root of the assigned pairs'
  // summed squared distance) and its counts of missed and false targets.
  struct SetMetricRow {
    double t_s;
    double ospa_m, gospa_m, gospa_localisation_m, gospa_missed, gospa_false;
  };
  std::vector<SetMetricRow> set_metrics;
  std::optional<EngagementResult> engagement;  // when the scenario has a defense
};

// Runs the closed loop of `spec`: senses frame by frame (sim::Sensing, warning modes) and with
// the cued modes, tracks, assesses, and scores against the trajectories. *sensing receives every
// detection (warning and cued, in processing order, so time-ordered) and the sensors' statistics.
// With a `defense`, interceptors fly in the same loop and a kill ends the threat's trajectory in
// *trajectories (a final sample at the kill time and an "intercepted" event).
// keep_detections false leaves sensing->detections empty (the statistics are still filled): a
// Monte Carlo replication that keeps no trace never reads them, and the loop then holds one
// frame's detections at a time instead of the whole run's (~0.6 kB each). Nothing else changes.
TrackingResult RunTracking(const ScenarioSpec& spec, std::vector<threats::Trajectory>* trajectories,
                           SensingResult* sensing, std::uint64_t replication = 0,
                           bool keep_detections = true);

}  // namespace hyperdef::sim

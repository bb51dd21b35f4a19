// The scenario: plain data validated at load time. Built from YAML by LoadScenario (every error
// names file:line:col and the key path); a Monte Carlo replication is the same spec with every
// parameter written as a distribution drawn afresh (SampleScenario).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/epoch.h"
#include "earth/wgs84.h"
#include "engagement/interceptor_spec.h"
#include "engagement/wta.h"
#include "flight/dynamics.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"
#include "sensors/radar.h"
#include "sensors/space_ir.h"
#include "sim/distribution.h"
#include "threats/flight_segment.h"
#include "threats/threat_spec.h"
#include "tracking/track_fusion.h"
#include "tracking/tracker.h"

namespace hyperdef::sim {

struct WorldSpec {
  flight::Environment environment;
  double relative_tolerance = 1e-8;  // Dormand-Prince 5(4) local error control
  double max_step_s = 60.0;
  double rk4_step_s = 0.0;  // world.integrator: rk4 with this step (0: Dormand-Prince 5(4))
  double dut1_s = 0.0;      // UT1 - UTC (s): Earth rotation angle and sidereal time use UT1
};

struct OutputsSpec {
  double step_s = 1.0;     // truth record spacing
  bool truth = true;       // write truth.csv
  bool detections = true;  // write detections.csv (when the scenario has sensors)
};

// A space IR layer: one sensor model carried by every satellite of a constellation.
struct SpaceLayerSpec {
  sensors::SpaceIrSpec sensor;
  std::vector<orbits::Satellite> satellites;

  // J2 secular propagator of every satellite, elements referred to the scenario epoch (t = 0).
  orbits::J2SecularBatch Propagator() const;
};

// A radar on land (speed 0) or on a ship sailing a great circle at constant speed from `site`.
struct RadarSiteSpec {
  sensors::RadarSpec radar;
  earth::Geodetic site;  // at t = 0
  double ship_speed_mps = 0.0;
  double ship_course_rad = 0.0;  // clockwise from north
  // Cued track mode: up to radar.track_capacity tracks, each revisited every track_revisit_s
  // with a dwell whose SNR is track_snr_gain times a search look's (longer coherent dwell).
  double track_revisit_s = 1.0;
  double track_snr_gain = 4.0;

  // Site position at t_s and its ECEF velocity (ships; zero on land).
  earth::Geodetic SiteAt(double t_s, core::Vec3* v_Site_Ecef) const;
};

// A defended asset: a circle on the ground whose threat probability the assessment reports.
struct AssetSpec {
  std::string id;
  double lat_rad = 0.0, lon_rad = 0.0;
  double radius_m = 20e3;
  double value = 1.0;  // relative worth: weapon-target assignment maximises defended value
};

// The tracker and the assessment run on its tracks (scenario key `tracker`).
struct TrackerSpec {
  bool enabled = false;  // a `tracker` block is present
  tracking::TrackerConfig config;
  // Distributed: one tracker per sensor and track-to-track fusion by covariance intersection;
  // otherwise (centralised) one tracker fuses every sensor's measurements.
  bool distributed = false;
  tracking::TrackFusionConfig fusion;
  double assessment_step_s = 10.0;  // classification every output step; impact points,
                                    // footprints and asset threat this often
  // Class models the assessment assumes (HTV-2 class glider, RV-like ballistic target).
  double glider_lift_to_drag = 2.6;
  double glider_ballistic_coefficient_kgpm2 = 13000.0;
  double ballistic_coefficient_kgpm2 = 5000.0;
  int threat_samples = 16;  // track-state samples per asset threat probability (sd <= 0.125)
  double fire_control_sigma_m = 1000.0;  // position 1-sigma counted as fire-control quality
};

// A battery of interceptors on land or on a ship sailing a great circle (like a ship radar).
struct BatterySpec {
  std::string id;
  std::string interceptor_preset;  // engagement/interceptor_presets.h name
  engagement::InterceptorSpec interceptor;
  earth::Geodetic site;  // at t = 0
  double ship_speed_mps = 0.0;
  double ship_course_rad = 0.0;
  int inventory = 8;
  double reaction_time_s = 10.0;
  int salvo_size = 1;
  double launch_interval_s = 3.0;
  earth::Geodetic SiteAt(double t_s) const;
};

// The defence (scenario key `defense`): batteries, firing doctrine and the decision cycle.
struct DefenseSpec {
  bool enabled = false;
  std::vector<BatterySpec> batteries;
  engagement::FireDoctrine doctrine = engagement::FireDoctrine::kShootLookShoot;
  double decision_period_s = 2.0;      // weapon-target assignment this often
  bool exact_wta = false;              // GLPK MILP instead of the greedy (small raids)
  double min_class_probability = 0.5;  // a track is engaged once classified this surely
};

// A scenario number given as a distribution: where it lives in the spec and its unit scale.
struct VariedParameter {
  std::string path;           // e.g. "threats[0].launch.time_s"
  Distribution distribution;  // in the file's unit
  double scale = 1.0;         // file unit -> SI
  std::function<double&(struct ScenarioSpec&)> ref;
};

struct ScenarioSpec {
  std::string name;
  std::string file;
  std::string epoch_utc;
  core::Epoch epoch = core::Epoch::FromUtc(2000, 1, 1, 12, 0, 0.0);
  double duration_s = 3600.0;
  std::uint64_t seed = 1;
  WorldSpec world;
  std::vector<threats::ThreatSpec> threats;
  std::vector<SpaceLayerSpec> space_layers;
  std::vector<RadarSiteSpec> radars;
  OutputsSpec outputs;
  TrackerSpec tracker;
  std::vector<AssetSpec> assets;
  DefenseSpec defense;
  std::vector<VariedParameter> varied;  // nominal values are already in the spec

  threats::SegmentOptions SegmentOptionsFor() const;
};

// Loads and validates a scenario file. Throws core::InputError. `overrides` are
// "dotted.path=value" pairs applied before validation (hyperdef sweep --set).
ScenarioSpec LoadScenario(const std::string& path, const std::vector<std::string>& overrides = {});
ScenarioSpec LoadScenarioFromString(const std::string& text, const std::string& file_name);

// The spec of Monte Carlo replication `replication`: every varied parameter drawn from its
// own stream (seed, replication, parameter path, "scenario").
ScenarioSpec SampleScenario(const ScenarioSpec& nominal, std::uint64_t replication);

// Booster presets from the open literature (docs/references.md): "scud_b", "nodong", "icbm3",
// "mrbm2", "cruise_booster". Returns false if unknown.
bool BoosterPreset(const std::string& name, threats::BoosterSpec* out, double* payload_kg);
std::vector<std::string> BoosterPresetNames();

}  // namespace hyperdef::sim

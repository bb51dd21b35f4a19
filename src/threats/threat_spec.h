// Plain-data specifications of the three generic threat classes. Parameters come from public
// literature (docs/references.md); the scenario loader (sim) fills these and validates ranges.
// All SI inside: angles rad, lengths m, masses kg, times s since the scenario epoch.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flight/aero_table.h"
#include "flight/propulsion.h"

namespace hyperdef::threats {

enum class ThreatClass { kBallistic, kBoostGlide, kCruise };
const char* ThreatClassName(ThreatClass c);

struct GeoPoint {
  double lat_rad = 0.0;
  double lon_rad = 0.0;
  double alt_m = 0.0;
};

// A flight state given directly (a burnout state, or a glider's entry state).
struct StateSpec {
  double time_s = 0.0;  // since the scenario epoch
  GeoPoint position;
  double speed_mps = 0.0;
  double flight_path_rad = 0.0;
  std::optional<double> heading_rad;  // unset: toward the aimpoint
};

// Drag coefficient vs Mach for a booster body (reference area from the largest stage diameter).
// Default: Forden 2007 (S&GS 15) generic missile table.
struct DragTable {
  std::vector<double> mach{0.0, 0.85, 1.0, 1.2, 2.0, 4.5};
  std::vector<double> cd{0.20, 0.20, 0.27, 0.27, 0.20, 0.20};
};

struct BoosterSpec {
  std::vector<flight::Stage> stages;
  DragTable drag;
  double vertical_rise_s = 6.0;  // straight up before the pitch-over
  double pitch_over_s = 4.0;     // duration of the programmed pitch-over (kick)
  // Pitch-over ("kick") angle from vertical. Unset: solved (aimed missiles, glider release).
  std::optional<double> pitch_kick_rad;
};

enum class TrajectoryShape { kMinimumEnergy, kLofted, kDepressed };
const char* TrajectoryShapeName(TrajectoryShape s);

struct ReentryVehicleSpec {
  double mass_kg = 1000.0;
  double ballistic_coefficient_kgpm2 = 5000.0;  // m / (CD A)
  double nose_radius_m = 0.1;
  double emissivity = 0.8;
};

struct BallisticSpec {
  BoosterSpec booster;
  ReentryVehicleSpec rv;
  TrajectoryShape shape = TrajectoryShape::kMinimumEnergy;
  std::optional<StateSpec> burnout;  // set: fly the RV from this state, no booster
};

enum class GliderAeroModel { kConstantLiftToDrag, kCavHTable, kCavHFit };

struct GliderSpec {
  GliderAeroModel aero = GliderAeroModel::kConstantLiftToDrag;
  double mass_kg = 1000.0;                       // HTV-2 class (Acton 2015)
  double lift_to_drag = 2.6;                     // at glide trim (constant-L/D model)
  double ballistic_coefficient_kgpm2 = 13000.0;  // m/(CD A) at glide trim (constant-L/D model)
  double max_lift_over_trim = 1.6;               // lift capacity above trim lift (constant-L/D)
  double reference_area_m2 = 0.48387;            // CAV-H models
  double nose_radius_m = 0.034;                  // Acton 2015
  double emissivity = 0.85;
  double max_bank_rad = 70.0 * 3.14159265358979323846 / 180.0;
  double max_load_factor = 6.0;  // structural limit on |lift|/(m g0)
};

struct WeaveSpec {  // bank-angle weave (sine) or bank reversals (square wave)
  double amplitude_rad = 0.0;
  double period_s = 0.0;
  double start_s = 0.0;  // since launch
  bool square = false;
};

struct GlideGuidanceSpec {
  double release_flight_path_rad =
      0.0;  // booster burnout flight-path target when the kick is solved
  double phugoid_damping_per_s = 0.035;  // see glider.cc for the derivation
  double heading_gain = 4.0;             // bank (rad) per rad of heading error
  double dive_lift_fraction = 0.5;   // dive when an arc to the aimpoint needs this share of lift
  double navigation_constant = 3.0;  // dive PN gain
  std::optional<WeaveSpec> weave;
  std::optional<GeoPoint> dogleg;  // fly over this waypoint first
};

struct BoostGlideSpec {
  BoosterSpec booster;
  GliderSpec glider;
  GlideGuidanceSpec guidance;
  std::optional<StateSpec> entry;  // set: start the glider from this state, no booster
};

struct CruiseSpec {
  BoosterSpec booster;  // solid booster to cruise altitude
  double cruise_altitude_m = 27000.0;
  double cruise_mach = 6.0;
  double vehicle_mass_kg = 1500.0;  // cruise vehicle after booster separation, with fuel
  double fuel_mass_kg = 500.0;
  double isp_s = 1000.0;  // scramjet (hydrocarbon) fuel specific impulse
  double max_thrust_N = 20000.0;
  double lift_to_drag = 4.0;
  double ballistic_coefficient_kgpm2 = 15000.0;  // cruise near best L/D at Mach 6, 27 km
  double max_lift_over_trim = 2.0;
  double nose_radius_m = 0.05;
  double emissivity = 0.85;
  double dive_lift_fraction = 0.5;
  double navigation_constant = 3.0;
};

struct ThreatSpec {
  std::string id;
  ThreatClass threat_class = ThreatClass::kBallistic;
  std::string class_label;  // free text: "No-dong-class", "HTV-2-class glider"
  GeoPoint launch;
  double launch_time_s = 0.0;
  GeoPoint aim;
  BallisticSpec ballistic;
  BoostGlideSpec boost_glide;
  CruiseSpec cruise;
  // Signature seen by sensors (class values; assumed, see docs/references.md).
  // Radar cross-section: the constant rcs_m2 from every direction unless rcs_aspect_dBsm is set;
  // then RCS in dBsm (10 log10(sigma / 1 m^2)) vs aspect angle in rad (0 nose-on, pi tail-on,
  // symmetric in roll), linear in dBsm between nodes, clamped outside them, and rcs_m2 is unused
  // (sensors::TargetRcs_m2 defines the aspect). Shared and immutable: copies of a spec share it.
  double rcs_m2 = 0.1;
  std::shared_ptr<const flight::Table1D> rcs_aspect_dBsm;
  double ir_area_m2 = 0.5;  // hot-body area seen by an IR sensor
  double ir_emissivity = 0.85;
};

}  // namespace hyperdef::threats

#include "engagement/interceptor_presets.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::engagement {

namespace {

// Boost turn-over altitude that is never reached: the midcourse gain N' / tgo^2 throughout.
constexpr double kNoBoostTurn = 1e12;

double Disk(double diameter_m) { return 0.25 * core::kPi * diameter_m * diameter_m; }

flight::Stage MakeStage(double wet_kg, double prop_kg, double isp_s, double burn_s,
                        double diameter_m, double coast_after_s) {
  flight::Stage s;
  s.wet_mass_kg = wet_kg;
  s.propellant_mass_kg = prop_kg;
  s.isp_s = isp_s;
  s.burn_time_s = burn_s;
  s.diameter_m = diameter_m;
  s.coast_after_s = coast_after_s;
  return s;
}

// Terminal endo-atmospheric, PAC-3 MSE / SM-6 class. Open figures: PAC-3 class missile ~0.25-0.29 m
// diameter, ~5.2 m long, ~300-370 kg, Mach ~5, hit-to-kill with a Ka-band seeker, engagement
// altitude ~24 km and range ~70 km for PAC-3 (Focus Taiwan / ROC MND, 2013), extended for the MSE
// (two-pulse motor; "up to 160 km" quoted against aircraft). Motor Isp, burn time, CL_max, load
// limit, seeker figures: ASSUMED (docs/references.md).
InterceptorSpec Terminal() {
  InterceptorSpec s;
  s.id = "terminal";
  s.interceptor_class = InterceptorClass::kTerminalEndo;
  s.stages = {MakeStage(345.0, 215.0, 255.0, 12.0, 0.29, 0.0)};
  s.kill_vehicle_mass_kg = 25.0;  // forward section: seeker, attitude-control motors, enhancer
  s.kill_vehicle_separates = false;
  s.reference_area_m2 = Disk(0.29);
  s.drag_coefficient = 0.3;
  s.aero_limit.structural_limit_mps2 = 30.0 * core::kG0_mps2;
  s.aero_limit.reference_area_m2 = Disk(0.29);
  s.aero_limit.cl_max = 2.5;
  s.divert_propellant_kg = 0.0;
  s.navigation_ratio = 4.0;
  s.augmented_pn = true;
  s.autopilot_time_constant_s = 0.1;
  s.uplink_period_s = 0.5;
  s.vertical_rise_s = 0.5;
  s.thrust_vector_max_rad = 0.25;
  s.boost_turn_altitude_m = 6e3;
  s.seeker.acquisition_range_m = 15e3;
  s.seeker.field_of_view_half_angle_rad = 0.3;
  s.seeker.angle_sigma_rad = 200e-6;
  s.seeker.rate_hz = 200.0;
  s.min_intercept_altitude_m = 1e3;
  s.max_intercept_altitude_m = 30e3;
  s.max_ground_range_m = 100e3;
  s.max_flight_time_s = 150.0;
  s.min_intercept_speed_mps = 500.0;
  s.lethal_radius_m = 0.6;
  s.single_shot_pk = 0.8;
  return s;
}

// Glide-phase, GPI class: the GPI's figures are not public. MDA/CRS describe a sea-based (Mk 41
// VLS, Aegis) interceptor that boosts to the glide layer and engages a hypersonic glide vehicle
// there with a manoeuvring kill vehicle (CRS IF11623 "Hypersonic Missile Defense: Issues for
// Congress", 2022-2024; GAO-22-105075, 2022). Everything below is ASSUMED to fit that description:
// a 0.53 m (21-inch, VLS-compatible) two-stage booster, burnout ~4 km/s, KV of 50 kg with a few
// hundred m/s of divert Delta-v, intercepts at 30-100 km altitude out to ~600 km.
InterceptorSpec GlidePhase() {
  InterceptorSpec s;
  s.id = "glide_phase";
  s.interceptor_class = InterceptorClass::kGlidePhase;
  s.stages = {MakeStage(1000.0, 820.0, 265.0, 15.0, 0.53, 2.0),
              MakeStage(330.0, 260.0, 290.0, 25.0, 0.53, 0.0)};
  s.kill_vehicle_mass_kg = 50.0;
  s.kill_vehicle_separates = true;
  s.reference_area_m2 = Disk(0.53);
  s.kill_vehicle_reference_area_m2 = Disk(0.3);
  s.drag_coefficient = 0.3;
  s.aero_limit.structural_limit_mps2 = 15.0 * core::kG0_mps2;
  s.aero_limit.reference_area_m2 = Disk(0.53);
  s.aero_limit.cl_max = 1.5;
  s.divert.thrust_N = 2500.0;
  s.divert.isp_s = 290.0;
  s.divert_propellant_kg = 8.0;  // Delta-v = 290 g0 ln(50/42) ~ 500 m/s
  s.navigation_ratio = 4.0;
  s.augmented_pn = true;
  s.autopilot_time_constant_s = 0.05;
  s.uplink_period_s = 1.0;
  s.vertical_rise_s = 1.0;
  s.thrust_vector_max_rad = 0.2;
  s.boost_turn_altitude_m = kNoBoostTurn;
  s.seeker.acquisition_range_m = 40e3;
  s.seeker.field_of_view_half_angle_rad = 0.1;
  s.seeker.angle_sigma_rad = 50e-6;
  s.seeker.rate_hz = 200.0;
  s.min_intercept_altitude_m = 30e3;
  s.max_intercept_altitude_m = 100e3;
  s.max_ground_range_m = 400e3;
  s.max_flight_time_s = 300.0;
  s.min_intercept_speed_mps = 1000.0;
  s.lethal_radius_m = 1.0;
  s.single_shot_pk = 0.7;
  return s;
}

// Exo-atmospheric, SM-3 Block IB/IIA class: three stages (Mk 72 booster, Mk 104 dual-thrust
// motor, Mk 136 third stage) and a LEAP-type kinetic warhead with divert; ~1,500 kg, 0.34-0.53 m,
// burnout ~3 km/s (IA/IB) to ~4.5 km/s (IIA), intercepts above ~100 km (~160 km in the 2005
// FM-... test reported by Yomiuri; NAS 2012 "Making Sense of Ballistic Missile Defense"). Stage
// split, Isp, KV and divert figures: ASSUMED.
InterceptorSpec Exo() {
  InterceptorSpec s;
  s.id = "exo";
  s.interceptor_class = InterceptorClass::kExo;
  s.stages = {MakeStage(700.0, 560.0, 250.0, 8.0, 0.53, 1.0),
              MakeStage(450.0, 340.0, 270.0, 18.0, 0.53, 2.0),
              MakeStage(150.0, 100.0, 290.0, 25.0, 0.53, 0.0)};
  s.kill_vehicle_mass_kg = 30.0;
  s.kill_vehicle_separates = true;
  s.reference_area_m2 = Disk(0.53);
  s.kill_vehicle_reference_area_m2 = Disk(0.25);
  s.drag_coefficient = 0.3;
  s.aero_limit.structural_limit_mps2 = 15.0 * core::kG0_mps2;
  s.aero_limit.reference_area_m2 = Disk(0.53);
  s.aero_limit.cl_max = 1.5;
  s.divert.thrust_N = 1500.0;
  s.divert.isp_s = 280.0;
  s.divert_propellant_kg = 5.0;  // Delta-v = 280 g0 ln(30/25) ~ 500 m/s
  s.navigation_ratio = 4.0;
  s.augmented_pn = true;
  s.autopilot_time_constant_s = 0.05;
  s.uplink_period_s = 2.0;
  s.vertical_rise_s = 1.0;
  s.thrust_vector_max_rad = 0.2;
  s.boost_turn_altitude_m = 0.0;
  s.seeker.acquisition_range_m = 100e3;
  s.seeker.field_of_view_half_angle_rad = 0.05;
  s.seeker.angle_sigma_rad = 50e-6;
  s.seeker.rate_hz = 100.0;
  s.min_intercept_altitude_m = 100e3;
  s.max_intercept_altitude_m = 600e3;
  s.max_ground_range_m = 1100e3;
  s.max_flight_time_s = 600.0;
  s.min_intercept_speed_mps = 2000.0;
  s.lethal_radius_m = 0.75;
  s.single_shot_pk = 0.8;
  return s;
}

}  // namespace

const char* InterceptorClassName(InterceptorClass c) {
  switch (c) {
    case InterceptorClass::kTerminalEndo:
      return "terminal";
    case InterceptorClass::kGlidePhase:
      return "glide_phase";
    case InterceptorClass::kExo:
      return "exo";
  }
  return "?";
}

bool InterceptorPreset(const std::string& name, InterceptorSpec* spec) {
  if (name == "terminal") {
    *spec = Terminal();
  } else if (name == "glide_phase") {
    *spec = GlidePhase();
  } else if (name == "exo") {
    *spec = Exo();
  } else {
    return false;
  }
  return true;
}

std::vector<std::string> InterceptorPresetNames() { return {"terminal", "glide_phase", "exo"}; }

}  // namespace hyperdef::engagement

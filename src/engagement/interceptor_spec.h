// An interceptor class as plain data: stages, aerodynamics, manoeuvre limits, guidance, seeker and
// lethality. Values come from open literature for generic classes (docs/references.md); nothing
// here claims the performance of a real weapon. Built by the scenario loader or by
// InterceptorPreset(); flown by interceptor.h; used by fire control through a fly-out table.
#pragma once

#include <string>
#include <vector>

#include "engagement/guidance.h"
#include "flight/propulsion.h"

namespace hyperdef::engagement {

enum class InterceptorClass {
  kTerminalEndo,  // PAC-3 / SM-6 class: endo-atmospheric, aerodynamic control, hit-to-kill
  kGlidePhase,    // GPI class: boosts to the glide layer, kill vehicle with divert thrusters
  kExo,           // SM-3 class: exo-atmospheric kill vehicle with divert thrusters
};
const char* InterceptorClassName(InterceptorClass c);

struct SeekerSpec {
  double acquisition_range_m = 20e3;           // target acquired (and handover) inside this range
  double field_of_view_half_angle_rad = 0.05;  // must contain the target at handover
  double angle_sigma_rad = 100e-6;             // 1-sigma per axis on the measured line of sight
  double rate_hz = 100.0;                      // measurements per second
};

struct InterceptorSpec {
  std::string id;
  InterceptorClass interceptor_class = InterceptorClass::kTerminalEndo;
  std::vector<flight::Stage> stages;    // burn in order; the last stage's dry mass stays until KV
  double kill_vehicle_mass_kg = 50.0;   // payload after the last stage (with divert propellant)
  bool kill_vehicle_separates = false;  // true: the KV flies alone after the last burnout
  double reference_area_m2 = 0.05;      // drag and lift reference
  double drag_coefficient = 0.3;        // zero-lift CD (a Mach table may replace it later)
  double kill_vehicle_reference_area_m2 = 0.0;  // drag area of the separated KV (0: as above)
  // Lateral acceleration: aerodynamic control (endo) limited by structure and by q S CL_max / m;
  // divert thrust for a kill vehicle (exo, glide phase) limited by T / m and its propellant.
  AeroAccelLimit aero_limit;
  DivertPropulsion divert;
  double divert_propellant_kg = 0.0;  // 0: no divert system
  // Guidance: midcourse toward a predicted intercept point (PIP) updated by uplink from the
  // track, then terminal homing on the seeker with (augmented) PN through a first-order lag.
  double navigation_ratio = 4.0;
  bool augmented_pn = true;
  double autopilot_time_constant_s = 0.2;
  double uplink_period_s = 1.0;
  // Launch and boost steering (interceptor.h): thrust along the local vertical for
  // vertical_rise_s, then along the velocity, the guidance's lateral command being produced during
  // burns by aerodynamic control and, beyond it, by thrust vectoring up to T/m
  // sin(thrust_vector_max) (the axial thrust shrinks accordingly). Added by the interceptor model.
  double vertical_rise_s = 1.0;
  double thrust_vector_max_rad = 0.25;
  // Boost steering: above this geodetic height (m) the midcourse law nulls the heading error to
  // the PIP by the last burnout (gain N' / (tgo T_burn_left)); below it, and after burnout, the
  // gain is N' / tgo^2. Solid motors give lateral acceleration only while they burn (thrust
  // vectoring) and the air gives it only low down, so a heading error left at burnout of a long
  // shot cannot be removed later. The altitude keeps an endo-atmospheric boost climbing out of the
  // dense air first (a gravity-turn-like loft). 0: turn at the end of the vertical rise.
  double boost_turn_altitude_m = 0.0;
  SeekerSpec seeker;
  // Envelope: intercepts are planned only inside these heights and ground ranges from the site.
  double min_intercept_altitude_m = 0.0;
  double max_intercept_altitude_m = 30e3;
  double max_ground_range_m = 100e3;
  double max_flight_time_s = 120.0;
  // A fly-out point counts as reached only with at least this speed (m/s, ECEF): a spent,
  // slowed interceptor is outside the envelope even if it coasts to the point. Added by the
  // interceptor model (FlyToPoint / fly-out table).
  double min_intercept_speed_mps = 500.0;
  // Lethality. Without a curve: a kill when the closest approach is within the lethal radius
  // (hit-to-kill: the bodies' combined radius), none otherwise. With a Pk-vs-miss curve (points
  // (miss_m, pk), miss strictly increasing from 0, pk in [0, 1], linear between points, the last
  // pk beyond): the kill is drawn with that probability (a lethality enhancer or blast-fragment
  // warhead, whose kill probability falls off with miss rather than stepping).
  double lethal_radius_m = 0.5;
  std::vector<double> pk_curve_miss_m, pk_curve_pk;
  double single_shot_pk = 0.8;  // planning value for fire control and WTA (ASSUMED)

  // Kill probability at closest approach `miss_m` (0 or 1 without a curve).
  double KillProbability(double miss_m) const;
};

}  // namespace hyperdef::engagement

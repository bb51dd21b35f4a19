// Hypersonic glide vehicles: aerodynamic models and the glide guidance.
//
// Aerodynamics are expressed per unit dynamic pressure as "lift area" CL*S and "drag area"
// CD*S (m^2), so the constant-L/D model needs only the published L/D and ballistic coefficient:
//  - constant L/D (HTV-2 class, Acton 2015): a parabolic polar CD = CD0 + K CL^2 whose maximum
//    L/D is the given L/D at the trim point where m/(CD S) = beta. Then CD S = m/beta at trim,
//    CL S = (L/D) m/beta at trim, and CD0 = CD_trim/2 (the polar's best-L/D property).
//  - CAV-H table / fit (Phillips 2003): CL, CD vs Mach and angle of attack, S = 0.48387 m^2.
//
// Guidance (continuous functions of the state, so the integrator can take long steps):
//  - vertical: lift = best-L/D lift plus phugoid damping  m v k (gamma_eq - gamma); the vehicle
//    settles on the equilibrium glide (max L/D) whatever its release state, pulling up first if
//    it enters steeply. k is chosen near critical damping of the glide phugoid,
//    omega^2 = (g - v^2/r)/H_rho (H_rho ~ 7 km density scale height): k = 2 zeta omega ~ 0.035/s.
//  - lateral: bank = heading_gain * heading error to the next waypoint, limited, plus a weave.
//  - terminal: 3-D proportional navigation onto the aimpoint, lift vector realised by |L| and bank.
#pragma once

#include <memory>

#include "threats/flight_segment.h"

namespace hyperdef::threats {

class GliderAero {
 public:
  virtual ~GliderAero() = default;
  // Lift area CL*S at best L/D, and the largest available lift area, at a Mach number.
  virtual double BestLiftArea_m2(double mach) const = 0;
  virtual double MaxLiftArea_m2(double mach) const = 0;
  // Smallest lift area the model can fly (0 if it can unload; CAV-H table: its 10 deg floor).
  virtual double MinLiftArea_m2(double mach) const = 0;
  // Drag area CD*S when flying lift area `lift_area` (clamped to the model's range).
  virtual double DragArea_m2(double mach, double lift_area_m2) const = 0;
};

std::unique_ptr<GliderAero> MakeGliderAero(const GliderSpec& spec);

// Equilibrium glide altitude for speed v (Tracy & Wright 2020): solves
// rho(h) = 2 beta (g - v^2/r) / (v^2 L/D), g = mu/r^2, r = R + h with R the mean Earth radius,
// on US-76 density. Returns metres; throws std::domain_error if v is at or above orbital speed.
double EquilibriumGlideAltitude_m(double speed_mps, double lift_to_drag, double beta_kgpm2);

// Margin (m/s^2) before the terminal dive must start: fraction * (available downward
// acceleration) - (acceleration of a circular arc onto the aimpoint). Crosses zero going down.
double DiveMargin(const flight::Vec3& r_Ecef, const flight::Vec3& v_Ecef,
                  const flight::Vec3& aim_Ecef, double lift_accel_max, double fraction);

// DiveMargin for a vehicle state, its lift limit from the aero model at the local dynamic
// pressure and a structural load-factor limit.
double DiveMarginAt(const GliderAero& aero, const flight::State& x, const flight::Vec3& aim_Ecef,
                    double max_load_factor, double fraction);

// Lift and bank realising a desired lift vector (perpendicular to v) within the model's limits.
struct LiftCommand {
  double lift_N = 0.0;
  double bank_rad = 0.0;
  double drag_N = 0.0;
};
LiftCommand RealiseLift(const GliderAero& aero, const flight::AirData& air, double mass_kg,
                        const flight::Vec3& r_Ecef, const flight::Vec3& v_Ecef,
                        const flight::Vec3& lift_desired_N, double max_lift_N);

// The glider in flight: pull-up, equilibrium glide with bank steering, then the terminal dive.
class GlidePhase : public PhaseModel {
 public:
  GlidePhase(const GliderSpec& glider, const GlideGuidanceSpec& guidance, const GliderAero& aero,
             const flight::Environment& env, const GeoPoint& aim, double launch_time_s,
             bool diving);
  flight::Forces ForcesAt(double t, const flight::State& x,
                          const flight::AirData& air) const override;
  Phase PhaseAt(double t, const flight::State& x, const flight::AirData& air) const override;
  double StopFunction(double t, const flight::State& x) const override;
  double nose_radius_m() const override { return glider_.nose_radius_m; }
  double emissivity() const override { return glider_.emissivity; }
  // After the dogleg waypoint is passed the steering goes to the aimpoint.
  void set_dogleg_done(bool done) { dogleg_done_ = done; }

 private:
  flight::Vec3 SteeringPoint() const;
  const GliderSpec& glider_;
  const GlideGuidanceSpec& guidance_;
  const GliderAero& aero_;
  flight::Environment env_;
  flight::Vec3 aim_Ecef_;
  flight::Vec3 dogleg_Ecef_;
  double launch_time_s_;
  bool diving_;
  bool dogleg_done_;
};

// Boost-glide flight: booster (kick solved for the release flight-path angle unless given),
// release, glide, dive; or a glider from an entry state.
Trajectory SimulateBoostGlide(const flight::Environment& env, const ThreatSpec& spec,
                              const SegmentOptions& options);

}  // namespace hyperdef::threats

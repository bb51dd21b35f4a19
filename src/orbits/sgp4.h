// SGP4/SDP4: the analytical propagator that NORAD's two-line element sets are fitted to.
//
// Theory: Hoots & Roehrich 1980, "Spacetrack Report #3: Models for Propagation of NORAD Element
// Sets" (SGP4 near-Earth with J2, J3, J4 and a power-law drag atmosphere; SDP4 adds lunar-solar
// secular and long-period terms and the 12 h / 24 h geopotential resonances). Revisions and the
// reference behaviour: Vallado, Crawford, Hujsak & Kelso 2006, "Revisiting Spacetrack Report #3",
// AIAA 2006-6753 ("improved" operations mode, Lyddane choice, error codes). Verified against that
// paper's 33-case set (test/sgp4_test.cc).
//
// Units: inside this file SGP4 works as the theory does — distance in Earth radii, time in
// minutes, angles in radians — with the WGS-72 constants the element sets were fitted with.
// Those constants are deliberately NOT the trajectory gravity of earth/gravity.h. The raw
// interface returns TEME km and km/s (the verification file's units); Sgp4Propagator is the
// hyperdef-facing SI wrapper (m, m/s, seconds, ECEF via GMST-82).
#pragma once

#include "core/epoch.h"
#include "core/frames.h"
#include "orbits/tle.h"

namespace hyperdef::orbits {

// Gravity constants SGP4 was fitted with (Vallado et al. 2006, getgravconst).
struct Sgp4Gravity {
  double mu_km3ps2 = 0.0;
  double radius_km = 0.0;
  double xke_per_min = 0.0;  // sqrt(mu / R^3) in (earth radii)^1.5 per minute
  double j2 = 0.0, j3 = 0.0, j4 = 0.0;

  static Sgp4Gravity Wgs72();     // the standard: mu 398600.8, R 6378.135, J2 0.001082616
  static Sgp4Gravity Wgs72Old();  // legacy xke = 0.0743669161
  static Sgp4Gravity Wgs84();
};

// 'i' = improved (Vallado et al. 2006; the verification set uses it), 'a' = AFSPC operations
// (GMST from the 1970 polynomial, node kept in [0, 2pi) in the Lyddane branch).
enum class Sgp4Mode { kImproved, kAfspc };

// Error codes as numbered in Vallado et al. 2006 (code 5, sub-orbital epoch, was withdrawn).
enum class Sgp4Status : int {
  kOk = 0,
  kMeanElements = 1,       // mean eccentricity >= 1 or < -0.001
  kMeanMotion = 2,         // mean motion <= 0
  kPerturbedElements = 3,  // eccentricity after lunar-solar periodics outside [0, 1]
  kSemiLatusRectum = 4,    // p < 0
  kDecayed = 6,            // radius below one Earth radius
};
const char* Sgp4StatusName(Sgp4Status status);

// Mean elements at epoch in SGP4's own units (the TLE's values converted, nothing else done).
struct Sgp4Elements {
  double epoch_days_1950 = 0.0;  // days since 1949 Dec 31 00:00 UTC
  double bstar_per_er = 0.0;
  double eccentricity = 0.0;
  double inclination_rad = 0.0;
  double raan_rad = 0.0;
  double arg_perigee_rad = 0.0;
  double mean_anomaly_rad = 0.0;
  double mean_motion_kozai_radpmin = 0.0;

  static Sgp4Elements FromTle(const Tle& tle);
};

// Everything SGP4 precomputes from one element set: secular rates, drag polynomial, and for
// deep-space orbits the lunar-solar and resonance coefficients. Immutable once built, so one
// model can be propagated from many threads.
struct Sgp4Model {
  Sgp4Gravity gravity;
  Sgp4Mode mode = Sgp4Mode::kImproved;
  Sgp4Elements elements;

  // Brouwer ("un-Kozai'd") mean motion and semi-major axis at epoch.
  double n0 = 0.0;  // rad/min
  double a0 = 0.0;  // earth radii
  double cos_i0 = 0.0, sin_i0 = 0.0;

  // Secular J2/J4 rates (rad/min) and the drag-driven node term.
  double mdot = 0.0, argpdot = 0.0, nodedot = 0.0, nodecf = 0.0;

  // Drag: atmosphere "s" and (q0 - s)^4 fitted parameters feed C1..C5 (Spacetrack Report #3 eq.
  // for the power-density atmosphere) and the secular polynomial in t (D2..D4 and t^2..t^5).
  bool simplified_drag = false;  // perigee < 220 km or deep space: drop the D2..D4 terms
  double eta = 0.0;
  double cc1 = 0.0, cc4 = 0.0, cc5 = 0.0;
  double d2 = 0.0, d3 = 0.0, d4 = 0.0;
  double t2cof = 0.0, t3cof = 0.0, t4cof = 0.0, t5cof = 0.0;
  double omgcof = 0.0, xmcof = 0.0, delmo = 0.0, sinmao = 0.0;

  // Long-period J3 coefficients and short-period inclination functions (near-Earth values; the
  // deep-space branch recomputes them from the perturbed inclination each call).
  double aycof = 0.0, xlcof = 0.0;
  double con41 = 0.0, x1mth2 = 0.0, x7thm1 = 0.0;

  // ---- Deep space (orbital period >= 225 min) ----
  bool deep_space = false;
  double gsto = 0.0;  // Greenwich sidereal angle at epoch, rad

  // Long-period periodics from one third body (sun or moon), Hoots & Roehrich's "dpper": each
  // perturbation is a sum of f2 = sin^2(zf)/2 - 1/4, f3 = -sin(zf)cos(zf)/2, sin(zf) terms, zf
  // the body's true anomaly from its mean anomaly m0 + n t.
  struct ThirdBodyPeriodics {
    double e2 = 0, e3 = 0, i2 = 0, i3 = 0, l2 = 0, l3 = 0, l4 = 0;
    double gh2 = 0, gh3 = 0, gh4 = 0, h2 = 0, h3 = 0;
    double m0 = 0;  // body mean anomaly at epoch (zmos, zmol)
  };
  ThirdBodyPeriodics sun, moon;

  // Lunar-solar secular rates of e, i, omega, node, M (per minute).
  double dedt = 0.0, didt = 0.0, domdt = 0.0, dnodt = 0.0, dmdt = 0.0;

  // Geopotential resonance: 0 none, 1 = 24 h synchronous, 2 = 12 h Molniya-type (e >= 0.5).
  int resonance = 0;
  double del1 = 0.0, del2 = 0.0, del3 = 0.0;                     // synchronous coefficients
  double d2201 = 0, d2211 = 0, d3210 = 0, d3222 = 0, d4410 = 0;  // half-day coefficients
  double d4422 = 0, d5220 = 0, d5232 = 0, d5421 = 0, d5433 = 0;
  double xlamo = 0.0;  // resonance angle at epoch
  double xfact = 0.0;  // its secular rate less the mean motion
};

// Builds the model (Vallado et al. 2006 sgp4init). Never fails: bad elements surface as a status
// from Sgp4Propagate, as in the reference implementation.
Sgp4Model Sgp4Init(const Sgp4Elements& elements, const Sgp4Gravity& gravity = Sgp4Gravity::Wgs72(),
                   Sgp4Mode mode = Sgp4Mode::kImproved);

// Position (km) and velocity (km/s) in TEME at `tsince_min` minutes from the element epoch.
// On kDecayed r and v are still filled (the satellite is below the surface); on other errors they
// are left untouched. Pure function of (model, time): no hidden integrator state.
Sgp4Status Sgp4Propagate(const Sgp4Model& model, double tsince_min, core::Vec3* r_Teme_km,
                         core::Vec3* v_Teme_kmps);

// hyperdef-facing SGP4: SI units, a calendar epoch, ECEF output through GMST (IAU 1982), the
// frame rotation Vallado et al. 2006 prescribe for TEME (polar motion neglected).
class Sgp4Propagator {
 public:
  explicit Sgp4Propagator(const Tle& tle, const Sgp4Gravity& gravity = Sgp4Gravity::Wgs72(),
                          Sgp4Mode mode = Sgp4Mode::kImproved);

  const core::Epoch& epoch() const { return epoch_; }  // the TLE epoch (UTC)
  const Sgp4Model& model() const { return model_; }

  // Seconds from the TLE epoch to scenario time t_s (seconds after `scenario_epoch`), computed
  // from two-part Julian dates so the difference keeps microsecond precision.
  double SecondsSinceTleEpoch(const core::Epoch& scenario_epoch, double t_s) const;

  // TEME state (m, m/s) `dt_s` seconds after the TLE epoch.
  Sgp4Status StateTeme(double dt_s, core::Vec3* r_Teme_m, core::Vec3* v_Teme_mps) const;
  // ECEF state (m, m/s) at scenario time t_s; velocity is Earth-relative (includes -omega x r).
  Sgp4Status StateEcef(const core::Epoch& scenario_epoch, double t_s, core::Vec3* r_Ecef_m,
                       core::Vec3* v_Ecef_mps) const;
  // hyperdef ECI (core/frames.h) at scenario time t_s, through ECEF and the Earth rotation angle.
  Sgp4Status StateEci(const core::Epoch& scenario_epoch, double t_s, core::Vec3* r_Eci_m,
                      core::Vec3* v_Eci_mps) const;

 private:
  Sgp4Model model_;
  core::Epoch epoch_;
};

}  // namespace hyperdef::orbits

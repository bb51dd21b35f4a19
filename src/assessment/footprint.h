// Reachable footprint of a hypersonic glider from its estimated energy state, and the
// probability that a defended asset lies within reach.
//
// Vehicle model (deliberately simple; the threat's true aerodynamics are unknown to the
// defender): a point mass with a parabolic drag polar whose best lift-to-drag ratio L/D is
// reached at the trim lift coefficient where m/(CD S) = beta (Acton 2015, Tracy & Wright 2020:
// HTV-2 class L/D 2.6, beta 13,000 kg/m^2). Per unit mass, with q = rho v^2 / 2:
//   trim lift    a_trim = (L/D) q / beta
//   lift         a_L = clamp(a_trim + k v (0 - gamma), 0, lift_limit * a_trim)   (phugoid damping)
//   drag         a_D = (q / beta) (1 + (a_L / a_trim)^2) / 2    (= a_L / (L/D) at trim)
// so the glider settles on the equilibrium glide at maximum L/D whatever its state, as the
// threats layer's glide guidance does; k = 0.035/s is near critical damping of the glide phugoid.
// The lift is banked by a constant angle sigma until the heading has turned by
// max_heading_change_rad (default 90 deg), then wings level: the classical maximum-cross-range
// control is a bank of roughly 40-45 deg held until the velocity points ~90 deg off the initial
// plane (Vinh, Busemann & Culp 1980, "Hypersonic and Planetary Entry Flight Mechanics", ch. 8;
// Eggers, Allen & Neice 1958, NACA TR-1382). Dynamics in ECEF over the rotating Earth with J2
// gravity and US-76 density, fixed-step RK4 (default 2 s: the glide's shortest time scale is the
// phugoid, period ~ 2 pi / sqrt((g - v^2/r)/H) ~ 200 s), each ray ending at the first of speed <
// terminal_speed_mps, height < terminal_altitude_m or max_time_s (located on the dense output).
//
// Polygon. Rays at num_rays bank angles evenly spaced over [-max, +max] (0 = the straight,
// maximum-range glide is always among them). A glider may end its glide with a dive anywhere
// along any ray, so the footprint is the region swept by the fan: it is closed through the
// current ground position along the ground tracks of the two extreme rays:
//   current ground point -> left-most ray's track -> fan end points (bank -max ... +max)
//   -> right-most ray's track reversed -> back to the current ground point.
// If that ring self-intersects (a ray turning back past another), the star-shaped ring (current
// ground point plus the end points sorted by bearing from it) is used instead, which is always
// simple. Containment is decided in the azimuthal-equidistant plane about the current ground point
// (sphere of radius 6371 km), so the antimeridian and poles cause no trouble.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "assessment/impact_point.h"
#include "earth/gravity.h"
#include "tracking/types.h"

namespace hyperdef::assessment {

struct FootprintOptions {
  double lift_to_drag = 2.6;                               // best L/D (HTV-2 class, Acton 2015)
  double beta_kgpm2 = 13000.0;                             // m/(CD S) at trim
  double max_bank_rad = 45.0 * core::kDegToRad;            // extreme rays' bank
  double max_heading_change_rad = 90.0 * core::kDegToRad;  // bank held until this turn
  int num_rays = 15;                  // bank angles; an even count gets 0 added
  double terminal_speed_mps = 700.0;  // ray ends below this speed (about Mach 2)
  double terminal_altitude_m = 20e3;  // or below this height
  double max_time_s = 4000.0;
  double step_s = 2.0;                   // RK4 step
  double phugoid_damping_per_s = 0.035;  // k above
  double lift_limit = 2.0;               // CL_max / CL_trim
  earth::GravityModel gravity = earth::GravityModel::kJ2;
  double track_sample_s = 30.0;  // spacing of the extreme rays' track points in the polygon
  // AssetThreatProbabilitiesLinearised: the one-sigma fans fly every this-many-th bank (and the
  // extreme ones); the fan ends between take slopes interpolated linearly in bank. 1: every bank.
  int sensitivity_ray_stride = 2;
  void Validate() const;  // throws std::invalid_argument
};

struct Footprint {
  // Closed ring without the repeated first vertex; counter-clockwise or clockwise.
  std::vector<std::pair<double, double>> polygon_lat_lon_rad;
  double max_range_m = 0.0;  // largest great-circle distance, current ground point to a ray's end
  double min_range_m = 0.0;  // smallest such distance (the fan's near edge)
  // Each ray's end point (bank -max ... +max) and its bank; the straight (bank 0) ray's end.
  std::vector<std::pair<double, double>> ray_end_lat_lon_rad;
  std::vector<double> ray_bank_rad;
  std::pair<double, double> straight_end_lat_lon_rad{0.0, 0.0};
  std::pair<double, double> origin_lat_lon_rad{0.0, 0.0};  // current ground point
  bool star_fallback = false;  // true if the swept ring self-intersected (see header)
};

// One point of a flown glide ray, in ECEF (velocity relative to the Earth).
struct GlideSample {
  double t_s = 0.0;
  Vec3 r_Ecef = Vec3::Zero();
  Vec3 v_Ecef = Vec3::Zero();
};

// One constant-bank ray of the glide model above.
struct GlideRay {
  // The dense output at t_s + k sample_s (k = 0, 1, ...) strictly before end.t_s (more than
  // 1e-9 s before it); empty if sample_s == 0.
  std::vector<GlideSample> samples;
  GlideSample end;     // where the ray stopped
  bool ended = false;  // stopped at a terminal condition (speed or height), not at max_time_s
};

// Flies the ray of bank `bank_rad` (> 0 turns right) from (r, v) in ECEF with the model,
// integrator and terminal conditions of ReachableFootprint (see header) and samples it every
// sample_s (0: no samples). The dynamics are autonomous: t_s only sets the clock of the returned
// times (ReachableFootprint flies its rays from t_s = 0 and samples its extreme rays every
// options.track_sample_s). A start that is not gliding (speed <= terminal_speed_mps or height
// <= terminal_altitude_m) is not flown: end = the start, ended = true, no samples. Throws
// std::invalid_argument on invalid options or a sample_s that is negative or not finite.
GlideRay FlyGlideRay(const Vec3& r_Ecef, const Vec3& v_Ecef, double t_s, double bank_rad,
                     const FootprintOptions& options, double sample_s);

// Footprint of the mean of `rv_Eci` (first six entries r, v in the tracking frame at time t_s;
// normally t_s = rv_Eci.t_s). Only the mean is used: see AssetThreatProbability for the spread.
Footprint ReachableFootprint(const tracking::Gaussian& rv_Eci, const tracking::TrackingFrame& frame,
                             double t_s, const FootprintOptions& options = {});

// Footprint of one state (r, v in ECI at t_s).
Footprint ReachableFootprintOf(const Vec3& r_Eci, const Vec3& v_Eci,
                               const tracking::TrackingFrame& frame, double t_s,
                               const FootprintOptions& options);

// True if the asset (circle of radius asset_radius_m about lat/lon) touches the footprint:
// inside the polygon, or closer than the radius to its boundary.
bool FootprintReaches(const Footprint& fp, double asset_lat_rad, double asset_lon_rad,
                      double asset_radius_m);

// Fraction of `samples` states drawn from the track Gaussian (6-state part) whose footprint
// reaches the asset. Draws come from core::RandomStream(seed, 0, entity = hash of the asset's
// lat/lon, purpose "assessment.footprint"), so the answer is reproducible and independent of
// any other use of the seed. Standard error sqrt(p (1 - p) / samples).
double AssetThreatProbability(const tracking::Gaussian& rv_Eci,
                              const tracking::TrackingFrame& frame, double t_s,
                              const FootprintOptions& options, double asset_lat_rad,
                              double asset_lon_rad, double asset_radius_m, int samples,
                              std::uint64_t seed);

// The same for several assets at once: the sampled footprints (the expensive part) are flown
// once and tested against every asset. Draws come from core::RandomStream(seed, 0, "assets",
// "assessment.footprint"). Returns one probability per asset, in order.
struct AssetCircle {
  double lat_rad = 0.0, lon_rad = 0.0, radius_m = 0.0;
};
std::vector<double> AssetThreatProbabilities(const tracking::Gaussian& rv_Eci,
                                             const tracking::TrackingFrame& frame, double t_s,
                                             const FootprintOptions& options,
                                             const std::vector<AssetCircle>& assets, int samples,
                                             std::uint64_t seed);

// The same probabilities for a fraction of the cost: the footprint's vertices (ground point,
// extreme rays' tracks, fan ends; ECEF) are expanded to first order about the mean state, with
// secant slopes from one-sigma steps along the 6 columns of the covariance's Cholesky factor
// (6 footprints flown besides the mean's, against one per sample; each of them flies every
// options.sensitivity_ray_stride-th bank and the extreme ones, the ends between taking slopes
// interpolated linearly in bank: a fan end's slope is smooth in bank), and each drawn state's
// footprint is assembled from its expanded vertices. Same draws (stream) as
// AssetThreatProbabilities. The expansion is good while the track's spread is small against the
// glide's scale (a 50 m/s velocity error moves a 3,000 km range by ~70 km; the second-order term
// is < 1 km); if the mean or a one-sigma step is not gliding it falls back to
// AssetThreatProbabilities. Agreement with it is tested (footprint_test). If mean_footprint is
// given it receives the mean's footprint, equal to ReachableFootprint(rv_Eci, frame, t_s,
// options) (flown here anyway).
std::vector<double> AssetThreatProbabilitiesLinearised(const tracking::Gaussian& rv_Eci,
                                                       const tracking::TrackingFrame& frame,
                                                       double t_s, const FootprintOptions& options,
                                                       const std::vector<AssetCircle>& assets,
                                                       int samples, std::uint64_t seed,
                                                       Footprint* mean_footprint = nullptr);

// Probability that a ballistic impact (Gaussian in the East/North plane at its mean point) falls
// within asset_radius_m of the asset: GaussianMassInCircle in that plane (the asset placed by
// its geodesic distance and azimuth from the mean impact point). Returns 0 if !impact.ok.
double AssetThreatProbabilityBallistic(const ImpactPrediction& impact, double asset_lat_rad,
                                       double asset_lon_rad, double asset_radius_m);

// Whether a closed ring of planar points (x, y) has two non-adjacent edges that intersect.
bool RingSelfIntersects(const std::vector<std::pair<double, double>>& ring_xy);

}  // namespace hyperdef::assessment

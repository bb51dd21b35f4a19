// Surface (ground or ship) radar: coverage geometry, the radar range equation, detection and
// noisy measurements of range, azimuth, elevation and (optionally) range rate.
//
// A look is a pure function of (spec, site, target truth, random stream): visibility -> SNR ->
// Pd -> Bernoulli draw -> Gaussian measurement noise. Scheduling (revisit, track capacity) is the
// simulation's business; the spec only carries those numbers.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/random.h"
#include "earth/wgs84.h"
#include "sensors/detection_probability.h"
#include "sensors/target.h"

namespace hyperdef::sensors {

// One array face (or a mechanically scanned sector): a box of half-widths around a boresight,
// measured in the face frame (x along boresight, y to its right in the horizontal, z up the face).
// Azimuth clockwise from north, elevation above the local (ENU) horizontal, rad. A rotating
// radar is one face with half_fov_az_rad = pi.
struct RadarFace {
  double boresight_az_rad = 0.0;
  double boresight_el_rad = 0.0;
  double half_fov_az_rad = 0.0;
  double half_fov_el_rad = 0.0;
};

struct RadarSpec {
  std::string id;
  std::vector<RadarFace> faces;
  double min_elevation_rad = 0.0;     // geometric elevation floor at the site
  double instrumented_range_m = 0.0;  // no detection beyond
  double peak_power_W = 0.0;
  double gain_dB = 0.0;  // antenna gain, same on transmit and receive
  double wavelength_m = 0.03;
  double losses_dB = 0.0;              // total system losses L
  double noise_temperature_K = 290.0;  // system noise temperature Ts
  double pulse_width_s = 0.0;          // tau; matched filter, noise bandwidth B = 1 / tau
  int coherent_pulses = 1;             // pulses summed coherently before detection (SNR x n)
  int noncoherent_pulses = 1;          // detections summed noncoherently (Pd with N pulses)
  double pfa = 1e-6;                   // per resolution cell per look
  SwerlingCase swerling = SwerlingCase::k1;
  double range_resolution_m = 150.0;  // range cell, c / (2 B) for a compressed pulse
  double beamwidth_rad = 0.01;        // 3 dB beamwidth; one angle cell is beamwidth^2
  // Measurement noise at the reference SNR, scaled as sigma = sigma0 sqrt(snr_ref / snr), plus a
  // floor in quadrature. The 1/sqrt(SNR) law is the standard thermal-noise accuracy relation
  // sigma = k * resolution / sqrt(2 SNR) (Skolnik, Introduction to Radar Systems, 3rd ed. 2001,
  // ch. 6; Richards 2014, ch. 7), with k of order 1 for the measured coordinate; the floor stands
  // for bias residue, multipath and array calibration that do not average down with SNR.
  double snr_ref_dB = 20.0;
  double range_sigma_m0 = 10.0;
  double angle_sigma_rad0 = 1e-3;      // applied to azimuth and elevation alike (see .cc)
  double range_rate_sigma_mps0 = 0.0;  // 0: the radar does not measure range rate
  double range_sigma_floor_m = 0.0;
  double angle_sigma_floor_rad = 0.0;
  double range_rate_sigma_floor_mps = 0.0;
  bool refraction_4_3 = false;  // occlusion against a 4/3 effective Earth (standard atmosphere)
  double revisit_s = 1.0;
  int track_capacity = 100;

  // Throws core::InputError naming the first bad field (key "radar.<field>").
  void Validate() const;
};

// One report. Covariance is of (range m, az rad, el rad, range rate m/s), diagonal; when
// has_range_rate is false the range-rate row and column are zero and must be ignored.
struct RadarMeasurement {
  double t_s = 0.0;
  double range_m = 0.0;
  double az_rad = 0.0;  // [0, 2 pi), clockwise from north
  double el_rad = 0.0;
  double range_rate_mps = 0.0;
  bool has_range_rate = false;
  Eigen::Matrix4d covariance = Eigen::Matrix4d::Zero();
  double snr_dB = 0.0;
  std::string sensor_id;
  std::string truth_id;  // scoring only: no tracker may read it; empty for a false alarm
  bool false_alarm = false;
};

// Radar range equation for a target of `rcs_m2` at `range_m` (Skolnik 3rd ed. ch. 2 with
// B = 1/tau; Richards 2014 ch. 2):
//   SNR = P G^2 lambda^2 sigma tau n_coh / ((4 pi)^3 R^4 k Ts L), linear.
double RadarSnr(const RadarSpec& spec, double range_m, double rcs_m2);

// Aspect angle (rad, [0, pi]) of the target seen from a sensor at r_Sensor_Ecef: the angle between
// the target's body axis (nose forward) and the target-to-sensor direction; 0 is nose-on (the
// sensor ahead of the target, looking down its axis from the front), pi/2 broadside, pi tail-on.
// 3-DOF approximation: the body axis is taken along the velocity relative to the air, v_Ecef (the
// atmosphere co-rotates with the Earth, no wind), i.e. zero angle of attack and sideslip; a glider
// flying at 10-20 deg angle of attack is seen up to that much off. Roll is not modelled: the
// pattern is a body of revolution's, symmetric about the axis. A target at rest (|v| < 1 mm/s)
// has no axis and is taken as broadside (pi/2).
double AspectAngle_rad(const TargetTruth& target, const core::Vec3& r_Sensor_Ecef);

// Radar cross-section toward a sensor at r_Sensor_Ecef (m^2): target.rcs_m2 when there is no
// aspect table; otherwise 10^(table(aspect) / 10), the table being in dBsm vs aspect (rad), so
// that RCS is interpolated geometrically between nodes (the natural scale of a pattern that spans
// decades: nose-on 1e-3..1e-2 m^2 to broadside ~1 m^2 for a cone RV; see docs/references.md).
double TargetRcs_m2(const TargetTruth& target, const core::Vec3& r_Sensor_Ecef);

// A radar site with what every look from it needs, formed once (per frame, for a ship) instead
// of per look: its ECEF position and ENU rotation, and the 4/3-Earth sphere under it (EarthClear).
// The functions below give the same bits with a RadarSite as with the Geodetic it was made from.
struct RadarSite {
  RadarSite() = default;
  explicit RadarSite(const earth::Geodetic& site);
  earth::Geodetic geo;
  core::Vec3 r_Ecef = core::Vec3::Zero();
  Eigen::Matrix3d R_EnuFromEcef = Eigen::Matrix3d::Identity();
  core::Vec3 up_Ecef = core::Vec3::UnitZ();     // geodetic up
  core::Vec3 centre_Ecef = core::Vec3::Zero();  // the tangent sphere's centre (radius_m below)
  double radius_m = 0.0;                        // Gaussian mean radius at the site
  // A point's position relative to the site in its ENU frame (earth::EnuFromEcef's arithmetic).
  core::Vec3 Enu(const core::Vec3& p_Ecef) const { return R_EnuFromEcef * (p_Ecef - r_Ecef); }
};

// Site-to-target geometry: range (m), azimuth (rad, clockwise from north, [0, 2 pi)), elevation
// (rad) in the site's ENU frame.
struct RadarGeometry {
  double range_m = 0.0;
  double az_rad = 0.0;
  double el_rad = 0.0;
};
RadarGeometry RadarGeometryTo(const earth::Geodetic& site, const core::Vec3& r_Tgt_Ecef);
RadarGeometry RadarGeometryTo(const RadarSite& site, const core::Vec3& r_Tgt_Ecef);

// True if the direction (az, el) lies within some face of the spec.
bool InsideSomeFace(const RadarSpec& spec, double az_rad, double el_rad);

// Straight line of sight from a point h_a_m above a sphere of radius `radius_m` to a point h_b_m
// above it, `central_angle_rad` away (angle at the sphere's centre). False if the chord dips
// below the sphere, or either end is below it.
bool SphereLineOfSightClear(double radius_m, double h_a_m, double h_b_m, double central_angle_rad);

// Earth occlusion between a surface site and a target.
//   k = 1: exact segment test against the WGS-84 ellipsoid (scale z by a/b: the ellipsoid becomes
//     a sphere and straight lines stay straight).
//   k = 4/3 (refraction): the standard 4/3-Earth model (Skolnik 3rd ed. ch. 8): rays are straight
//   above a sphere of radius k R, with heights kept. R is the
//     Gaussian mean radius sqrt(M N) at the site, the sphere is fitted tangent to the ellipsoid
//     under the site, and the target keeps its geodetic height and its central angle theta from
//     the site on that sphere, mapped to theta / k on the effective one (same ground distance).
//     The sphere departs from the ellipsoid by (d^2 / 2)|1/R - 1/R_az| ~ 0.3 km at d = 1,000 km in
//     the worst azimuth, inside the uncertainty of the 4/3 model itself.
bool EarthClear(const earth::Geodetic& site, const core::Vec3& r_Tgt_Ecef, bool refraction_4_3);
bool EarthClear(const RadarSite& site, const core::Vec3& r_Tgt_Ecef, bool refraction_4_3);

// Everything but the random draw: inside instrumented range, above min elevation, in a face, not
// occluded.
bool RadarCanSee(const RadarSpec& spec, const earth::Geodetic& site, const core::Vec3& r_Tgt_Ecef);
bool RadarCanSee(const RadarSpec& spec, const RadarSite& site, const core::Vec3& r_Tgt_Ecef);

// One look at one target at target.t_s. `v_Site_Ecef` is the site velocity (a ship), used only
// for range rate. The RCS is TargetRcs_m2 toward the site (aspect-dependent when the target has a
// table). Returns nothing when the target is not visible or not detected.
std::optional<RadarMeasurement> RadarLook(const RadarSpec& spec, const earth::Geodetic& site,
                                          const TargetTruth& target, core::RandomStream& rng,
                                          const core::Vec3& v_Site_Ecef = core::Vec3::Zero());
std::optional<RadarMeasurement> RadarLook(const RadarSpec& spec, const RadarSite& site,
                                          const TargetTruth& target, core::RandomStream& rng,
                                          const core::Vec3& v_Site_Ecef = core::Vec3::Zero());

// Number of resolution cells searched in one scan: sum over faces of
// (instrumented_range / range_resolution) x (2 half_fov_az / beamwidth) x (2 half_fov_el /
// beamwidth). Angle cells are counted in the face's (az, el) box, which overcounts off-boresight
// sine-space cells of a phased array by at most 1/cos(half_fov): a documented simplification.
double RadarResolutionCells(const RadarSpec& spec);

// False alarms of one scan at t_s: count ~ Poisson(pfa x cells), each uniform in range
// [0, instrumented range] and in a face's angle box (face chosen with probability proportional
// to its cells). Reports that fall below min_elevation are dropped (they would not be searched),
// so the mean reported count is pfa x cells x the fraction of the face boxes above it. Measured
// SNR is that of noise above the threshold: T + Exp(1) for a square-law detector, single pulse.
std::vector<RadarMeasurement> RadarFalseAlarms(const RadarSpec& spec, double t_s,
                                               core::RandomStream& rng);

}  // namespace hyperdef::sensors

// Space-based infrared sensing: a LEO staring/tasked IR sensor (Tracking-Layer class) looking at a
// target's plume or hot body. Signature (W/sr) -> irradiance at the aperture (W/m^2) -> SNR against
// the noise-equivalent irradiance -> detection draw -> a noisy line-of-sight (angles-only)
// measurement. Fields of view and sensitivities of real sensors are not public
// (reference/README.md, "Space sensor layers"): every SpaceIrSpec value is a parameter, and the
// defaults below are ASSUMED, chosen only to give plausible orders of magnitude.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/frames.h"
#include "core/random.h"
#include "sensors/target.h"

namespace hyperdef::sensors {

using core::Vec3;

struct SpaceIrSpec {
  std::string id = "space-ir";
  // Field of regard: cone around geocentric nadir (-r_sat). ASSUMED 65 deg: beyond the Earth limb
  // from 1,000 km (59.8 deg) so targets above the limb are seen against cold space.
  double field_of_regard_half_angle_rad = 65.0 * core::kDegToRad;
  double frame_time_s = 1.0;  // ASSUMED revisit of the staring mode
  // Noise-equivalent irradiance at the aperture (W/m^2), cold-space background. ASSUMED: wide
  // 5e-11 gives SNR ~ 200 on a 1e5 W/sr MRBM plume at 3,000 km, ~ 5 on a 1 m^2, 1,000 K body at
  // 2,000 km; the narrow (tasked fire-control) mode is 10x better.
  double wide_field_nei_W_per_m2 = 5e-11;
  double narrow_field_nei_W_per_m2 = 5e-12;
  int narrow_field_max_targets = 4;  // enforced by the tasking scheduler, not here
  // Narrow (tasked) field: a telescope pointed at a track's predicted position. ASSUMED: 0.5 deg
  // half-angle (~ 17 km at 2,000 km, wider than a confirmed track's 3-sigma error), 5 urad per
  // axis (a finer IFOV than the wide field's), two satellites per cued track for stereo.
  double narrow_field_half_angle_rad = 0.5 * core::kDegToRad;
  double narrow_field_angle_sigma_rad = 5e-6;
  int tasked_satellites_per_track = 2;
  // Spectral band (m). Default: the 2.7-3.0 um H2O/CO2 "plume" band of early-warning sensors.
  double band_lo_m = 2.7e-6;
  double band_hi_m = 3.0e-6;
  // Plume in-band intensity per newton of thrust (W/sr/N). ASSUMED 1.0: a ~5e5 N MRBM stage gives
  // ~5e5 W/sr, inside the 1e5-1e6 W/sr order usually quoted in open sources for the 2.7 um band;
  // scale it for other bands. Altitude growth of the plume and the 70-90 km "trough" are ignored.
  double plume_intensity_per_thrust_W_per_sr_N = 1.0;
  // Extra noise when the line of sight ends on the Earth (clutter). ASSUMED x3.
  double clutter_nei_factor = 3.0;
  // Detection threshold on SNR and pixel count of the focal plane (false alarms). ASSUMED.
  double snr_threshold = 6.0;
  double pixel_count = 4.0e6;
  double angle_sigma_rad = 20e-6;  // ASSUMED 20 urad 1-sigma per axis
  // ASSUMED ephemeris error, per axis: one draw per satellite and frame (EphemerisError).
  double position_knowledge_sigma_m = 5.0;
  // Lines of sight below this altitude are cut (atmospheric absorption/scattering in band).
  double grazing_altitude_m = 20e3;                              // ASSUMED, SWIR
  double sun_exclusion_half_angle_rad = 10.0 * core::kDegToRad;  // ASSUMED

  // Throws std::invalid_argument naming the first bad field, e.g. "space_ir 'x':
  // snr_threshold must be > 0 (got -1)".
  void Validate() const;
};

// Planck spectral radiance integrated over [lambda_lo_m, lambda_hi_m] (W/(m^2 sr)) at
// temperature_K. lambda_hi_m may be +infinity and lambda_lo_m 0 (the total is sigma T^4 / pi).
// Numerical: 8-point Gauss-Legendre on 16 panels in x = hc/(lambda k T), relative error < 1e-9.
double PlanckBandRadiance_W_per_m2_sr(double lambda_lo_m, double lambda_hi_m, double temperature_K);

// In-band radiant intensity of the target towards the sensor (W/sr): plume (thrust_N > 0, the
// linear-in-thrust scaling of the spec) plus hot body eps * A * L_band(T) (= eps * A/pi *
// M_band(T) for a Lambertian area A, TargetTruth::radiating_area_m2 taken as the projected area).
double TargetIntensity_W_per_sr(const SpaceIrSpec& spec, const TargetTruth& target);

// The same with the hot body's band radiance L_band(T) (W/(m^2 sr)) given, e.g. kept from a
// previous frame at the same surface temperature (bit for bit the form above).
double TargetIntensity_W_per_sr(const SpaceIrSpec& spec, const TargetTruth& target,
                                double band_radiance_W_per_m2_sr);

// Irradiance at the aperture (W/m^2) = I / R^2. Atmospheric transmission above the grazing
// altitude is taken as 1 (the grazing cut stands for the atmosphere).
double IrradianceAtAperture_W_per_m2(double intensity_W_per_sr, double range_m);

// Standard normal upper tail Q(x) = P(N(0,1) > x).
double GaussianQ(double x);

// Everything deterministic about one look. With Gaussian noise of unit variance on the SNR,
// Pd = Q(threshold - snr) and the per-pixel false-alarm probability is Q(threshold).
struct IrLookGeometry {
  bool in_field_of_regard = false;
  bool los_clear = false;  // above the grazing altitude all the way
  bool sun_excluded = false;
  bool los_ends_on_earth = false;  // clutter background
  double range_m = 0.0;
  double off_nadir_rad = 0.0;
  double irradiance_W_per_m2 = 0.0;
  double snr = 0.0;  // expected SNR (0 when not visible)
  double pd = 0.0;   // 0 when not visible
  bool Visible() const { return in_field_of_regard && los_clear && !sun_excluded; }
};
// `intensity_W_per_sr`: pass TargetIntensity_W_per_sr computed once per target and frame when
// many satellites look at the same target (the band integral is ~ 250 exp() calls); computed
// here when empty.
IrLookGeometry EvaluateIrLook(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                              const TargetTruth& target, const Vec3& sun_dir_Ecef, bool tasked,
                              std::optional<double> intensity_W_per_sr = std::nullopt);

// An angles-only report. u_covariance = angle_sigma^2 (I - u u^T): rank 2, no error along u.
// sat_r_Ecef is the satellite's position as the satellite knows it: the true position plus the
// ephemeris (knowledge) error of that satellite in that frame. That error is one draw per
// satellite and frame (EphemerisError), shared by every report the satellite makes in the frame,
// so per report it is N(0, sat_position_sigma_m^2) per axis, independent of the angle noise, but
// the same-frame reports of one satellite share it.
struct LosMeasurement {
  double t_s = 0.0;
  std::string sensor_id;
  Vec3 sat_r_Ecef = Vec3::Zero();  // reported position (includes the knowledge error)
  double sat_position_sigma_m = 0.0;
  Vec3 u_Ecef = Vec3::UnitX();  // unit line of sight, noisy
  Eigen::Matrix3d u_covariance = Eigen::Matrix3d::Zero();
  double snr = 0.0;      // measured (expected SNR + unit Gaussian noise)
  std::string truth_id;  // scoring only: trackers must not read it
  bool false_alarm = false;
};

// The ephemeris (position knowledge) error of one satellite in one frame (m, ECEF): three
// N(0, position_knowledge_sigma_m^2) draws, x then y then z, from `rng`. The caller keys the
// stream by satellite and frame (sim::FrameEphemerisError) and hands the result to every look of
// that satellite in that frame: it is the satellite's position estimate that is wrong, not each
// look's.
Vec3 EphemerisError(const SpaceIrSpec& spec, core::RandomStream& rng);

// One look at one target: geometry, detection draw (measured SNR = snr + N(0,1) > threshold),
// then angle noise (two N(0, sigma) components perpendicular to the true line of sight; sigma is
// the narrow field's when `tasked`). The reported satellite position is sat_r_Ecef +
// sat_position_error_Ecef (the frame's EphemerisError of the satellite). Empty if not visible or
// not detected. Draws come only from `rng` (the caller keys it by sensor and purpose).
std::optional<LosMeasurement> IrLook(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                                     const Vec3& sat_position_error_Ecef, const TargetTruth& target,
                                     const Vec3& sun_dir_Ecef, bool tasked, core::RandomStream& rng,
                                     std::optional<double> intensity_W_per_sr = std::nullopt);

// The expected SNR of a look known to be visible (EvaluateIrLook's snr, same arithmetic):
// irradiance I / R^2 over the noise-equivalent irradiance of the mode, times clutter_nei_factor
// when the line of sight ends on the Earth. range_m = |target - sat| (m, > 0).
double VisibleIrSnr(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef, const Vec3& target_r_Ecef,
                    double range_m, double intensity_W_per_sr, bool tasked);

// The part of IrLook after a positive detection draw: angle noise (two N(0, sigma) draws, sigma
// the narrow field's when `tasked`) and every field of the report, written into *m (its strings'
// storage is reused); the reported satellite position is sat_r_Ecef + sat_position_error_Ecef.
// range_m = |target - sat| (m, > 0); measured_snr is the draw that passed the threshold.
void FillIrMeasurement(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                       const Vec3& sat_position_error_Ecef, const TargetTruth& target,
                       double range_m, double measured_snr, bool tasked, core::RandomStream& rng,
                       LosMeasurement* m);

// False alarms of one frame in two steps, so that a caller may skip the satellite's ephemeris
// error when there are none: IrFalseAlarmCount draws their number, Poisson(Q(threshold) *
// pixel_count); IrFalseAlarms draws that many reports, lines of sight uniform in solid angle over
// the field-of-regard cone, reported position sat_r_Ecef + sat_position_error_Ecef, truth_id
// empty, false_alarm true. Both draw from the same `rng`, count first.
// IrFalseAlarmMean is that Poisson mean, for callers drawing many counts with one spec
// (IrFalseAlarmCount(spec, rng) is rng.Poisson(IrFalseAlarmMean(spec))).
double IrFalseAlarmMean(const SpaceIrSpec& spec);
std::uint64_t IrFalseAlarmCount(const SpaceIrSpec& spec, core::RandomStream& rng);
std::vector<LosMeasurement> IrFalseAlarms(const SpaceIrSpec& spec, double t_s,
                                          const Vec3& sat_r_Ecef,
                                          const Vec3& sat_position_error_Ecef, std::uint64_t count,
                                          core::RandomStream& rng);

// Fast visibility cull, many satellites x many targets per frame. SetSatellites once per frame;
// Candidates per target returns the satellites whose geometry passes: field of regard, line of
// sight above the grazing altitude (exact ellipsoid test) and, if a Sun direction was given, sun
// exclusion. Cheap tests run first: (1) the Earth-central angle between satellite and target must
// be within the sum of their horizon angles over the sphere of radius b + h_grazing, which lies
// inside the grazing ellipsoid, so the test never rejects a visible pair (one dot product of unit
// vectors), after a test of bounding caps of blocks of 4 consecutive satellites that skips whole
// blocks; (2) the field-of-regard cone without a square root; only then (3) the exact test,
// unless the same horizon criterion over the sphere of radius a + h_grazing, which holds the
// grazing ellipsoid, already proves the line of sight clear (with margins far above round-off,
// so the exact test could not disagree).
//
// The richer Candidates form also hands over what the cull computed, so that a look need not
// establish it again (sim/sensing.cc): the range, and whether the pair is `settled`, i.e. its
// field-of-regard and sun decisions lie far enough from their boundaries (relative margin 1e-9,
// against round-off differences of ~1e-15) that EvaluateIrLook's own forms of the same
// predicates (acos of the off-nadir cosine, the division in SunExcluded) must agree. The
// line-of-sight test is the same SegmentClearsEllipsoid call in both. A settled pair is
// therefore Visible() in EvaluateIrLook, bit for bit; an unsettled one (rare: on a cone's edge,
// or no Sun direction given) must be looked at in full.
struct IrCandidate {
  int satellite = 0;     // index into the SetSatellites vector
  double range_m = 0.0;  // |target - sat| (m), the same arithmetic as EvaluateIrLook's
  bool settled = false;
};

class IrVisibilityCuller {
 public:
  explicit IrVisibilityCuller(const SpaceIrSpec& spec);
  void SetSatellites(const std::vector<Vec3>& sats_r_Ecef);
  // sun_dir_Ecef may be nullptr (no sun test). Indices into the SetSatellites vector, ascending.
  void Candidates(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef, std::vector<int>* out) const;
  // The same candidates, in the same order, with their range and settled flag.
  void Candidates(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef,
                  std::vector<IrCandidate>* out) const;

 private:
  template <class Emit>
  void Cull(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef, Emit emit) const;

  double grazing_altitude_m_, cos2_for_, cos_sun_;
  double horizon_radius_m_;                  // b + h_grazing
  double outer_radius_m_;                    // a + h_grazing
  double min_sat_outer_horizon_rad_ = -1.0;  // smallest acos((a + h) / r_sat); < 0: none
  double max_sat_horizon_rad_ = 0;           // largest acos(R/r_sat) of the batch
  std::vector<double> ux_, uy_, uz_;         // unit satellite directions (SoA)
  std::vector<Vec3> r_;
  std::vector<double> r2_;    // |r|^2
  std::vector<Vec3> scaled_;  // r scaled to the grazing ellipsoid's unit sphere
  // Bounding caps of blocks of kCullBlock consecutive satellites: centre, angular radius rho.
  static constexpr size_t kCullBlock = 4;
  std::vector<double> block_cx_, block_cy_, block_cz_, block_cos_rho_, block_sin_rho_;
};

// Convenience form of the culler for one target (precomputes the satellites each call).
std::vector<int> CandidateSatellites(const SpaceIrSpec& spec, const std::vector<Vec3>& sats_r_Ecef,
                                     const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef = nullptr);

}  // namespace hyperdef::sensors

#include "sensors/space_ir.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "sensors/line_of_sight.h"

namespace hyperdef::sensors {

namespace {

constexpr double kPlanck_Js = 6.62607015e-34;  // exact (SI 2019)

// 8-point Gauss-Legendre nodes and weights on [-1, 1] (Abramowitz & Stegun, table 25.4).
constexpr std::array<double, 4> kGlNode = {0.1834346424956498, 0.5255324099163290,
                                           0.7966664774136267, 0.9602898564975363};
constexpr std::array<double, 4> kGlWeight = {0.3626837833783620, 0.3137066458778873,
                                             0.2223810344533745, 0.1012285362903763};

// x^3 / (e^x - 1), the Planck integrand in x = hc / (lambda k T).
double PlanckX(double x) {
  if (x > 700.0) return 0.0;  // e^-700 underflows the result anyway
  return x * x * x / std::expm1(x);
}

void Reject(const SpaceIrSpec& s, const char* field, double value, const char* expected) {
  throw std::invalid_argument(
      fmt::format("space_ir '{}': {} must be {} (got {})", s.id, field, expected, value));
}

// Orthonormal pair perpendicular to unit u, without a square root: Duff et al. 2017, "Building
// an Orthonormal Basis, Revisited", JCGT 6(1) (Frisvad's construction made stable for z < 0).
// Orthonormal to round-off for |u| = 1 (space_ir_test.cc checks it).
void Perpendiculars(const Vec3& u, Vec3* e1, Vec3* e2) {
  const double sign = std::copysign(1.0, u.z());
  const double a = -1.0 / (sign + u.z());
  const double b = u.x() * u.y() * a;
  *e1 = Vec3(1.0 + sign * u.x() * u.x() * a, sign * b, -sign * u.x());
  *e2 = Vec3(b, sign + u.y() * u.y() * a, -u.y());
}

// line_of_sight.cc's SegmentClearsEllipsoid and LineOfSightEndsOnEarth with the ellipsoid's
// scale factors computed once instead of per call (three divisions each), inline: the same
// operations in the same order on the same values, hence the same bits, which the settled
// candidates rely on (space_ir_test.cc: the cull against brute-force EvaluateIrLook, and
// VisibleIrSnr against EvaluateIrLook's snr). The cull makes ~20 M of these tests per run.
struct ScaledEllipsoid {
  double inv_a, inv_b, inside;  // 1/(a + h), 1/(b + h), InsideThreshold(h)
  constexpr explicit ScaledEllipsoid(double altitude_m)
      : inv_a(1.0 / (core::kWgs84A_m + altitude_m)),
        inv_b(1.0 / (core::kWgs84B_m + altitude_m)),
        inside((1.0 - kOcclusionTolerance_m / (core::kWgs84A_m + altitude_m)) *
               (1.0 - kOcclusionTolerance_m / (core::kWgs84A_m + altitude_m))) {}
  Vec3 Scale(const Vec3& r_Ecef) const {
    return Vec3(r_Ecef.x() * inv_a, r_Ecef.y() * inv_a, r_Ecef.z() * inv_b);
  }
  // SegmentClearsEllipsoid(a, b, h), given p = Scale(a) and q = Scale(b).
  bool ScaledSegmentClears(const Vec3& p, const Vec3& q) const {
    const Vec3 d = q - p;
    const double dd = d.squaredNorm();
    const double s = dd > 0.0 ? std::clamp(-p.dot(d) / dd, 0.0, 1.0) : 0.0;
    return (p + s * d).squaredNorm() >= inside;
  }
  // LineOfSightEndsOnEarth(sat, target, h).
  bool RayBeyondMeetsSurface(const Vec3& sat_Ecef, const Vec3& target_Ecef) const {
    const Vec3 p = Scale(sat_Ecef);
    const Vec3 d = Scale(target_Ecef) - p;
    const double dd = d.squaredNorm();
    if (dd == 0.0) return false;
    const double pd = p.dot(d);
    const double disc = pd * pd - dd * (p.squaredNorm() - 1.0);
    if (disc < 0.0) return false;
    // s_far = (-pd + sqrt(disc)) / dd > 1, LineOfSightEndsOnEarth's test. With dd > 0 and
    // correctly rounded division, x / dd > 1 implies x > dd, and x > dd (1 + 1e-15) implies
    // x / dd > 1: the division is only needed in between (a line of sight on the limb).
    const double x = -pd + std::sqrt(disc);
    if (!(x > dd)) return false;
    if (x > dd * (1.0 + 1e-15)) return true;
    return x / dd > 1.0;
  }
};
constexpr ScaledEllipsoid kSurface(0.0);  // LineOfSightEndsOnEarth's default background

// Expected SNR: irradiance over the mode's noise-equivalent irradiance (x clutter factor).
double Snr(const SpaceIrSpec& spec, double irradiance_W_per_m2, bool los_ends_on_earth,
           bool tasked) {
  double nei = tasked ? spec.narrow_field_nei_W_per_m2 : spec.wide_field_nei_W_per_m2;
  if (los_ends_on_earth) nei *= spec.clutter_nei_factor;
  return irradiance_W_per_m2 / nei;
}

}  // namespace

void SpaceIrSpec::Validate() const {
  if (!(field_of_regard_half_angle_rad > 0.0 && field_of_regard_half_angle_rad < core::kPi)) {
    Reject(*this, "field_of_regard_half_angle_rad", field_of_regard_half_angle_rad, "in (0, pi)");
  }
  if (!(frame_time_s > 0.0)) Reject(*this, "frame_time_s", frame_time_s, "> 0");
  if (!(wide_field_nei_W_per_m2 > 0.0)) {
    Reject(*this, "wide_field_nei_W_per_m2", wide_field_nei_W_per_m2, "> 0");
  }
  if (!(narrow_field_nei_W_per_m2 > 0.0)) {
    Reject(*this, "narrow_field_nei_W_per_m2", narrow_field_nei_W_per_m2, "> 0");
  }
  if (narrow_field_max_targets < 0) {
    Reject(*this, "narrow_field_max_targets", narrow_field_max_targets, ">= 0");
  }
  if (!(narrow_field_half_angle_rad > 0.0 && narrow_field_half_angle_rad < core::kPi / 2)) {
    Reject(*this, "narrow_field_half_angle_rad", narrow_field_half_angle_rad, "in (0, pi/2)");
  }
  if (!(narrow_field_angle_sigma_rad >= 0.0)) {
    Reject(*this, "narrow_field_angle_sigma_rad", narrow_field_angle_sigma_rad, ">= 0");
  }
  if (tasked_satellites_per_track < 1) {
    Reject(*this, "tasked_satellites_per_track", tasked_satellites_per_track, ">= 1");
  }
  if (!(band_lo_m >= 0.0)) Reject(*this, "band_lo_m", band_lo_m, ">= 0");
  if (!(band_hi_m > band_lo_m)) Reject(*this, "band_hi_m", band_hi_m, "> band_lo_m");
  if (!(plume_intensity_per_thrust_W_per_sr_N >= 0.0)) {
    Reject(*this, "plume_intensity_per_thrust_W_per_sr_N", plume_intensity_per_thrust_W_per_sr_N,
           ">= 0");
  }
  if (!(clutter_nei_factor >= 1.0)) {
    Reject(*this, "clutter_nei_factor", clutter_nei_factor, ">= 1");
  }
  if (!(snr_threshold > 0.0)) Reject(*this, "snr_threshold", snr_threshold, "> 0");
  if (!(pixel_count >= 0.0)) Reject(*this, "pixel_count", pixel_count, ">= 0");
  if (!(angle_sigma_rad >= 0.0)) Reject(*this, "angle_sigma_rad", angle_sigma_rad, ">= 0");
  if (!(position_knowledge_sigma_m >= 0.0)) {
    Reject(*this, "position_knowledge_sigma_m", position_knowledge_sigma_m, ">= 0");
  }
  if (!(grazing_altitude_m >= 0.0)) Reject(*this, "grazing_altitude_m", grazing_altitude_m, ">= 0");
  if (!(sun_exclusion_half_angle_rad >= 0.0 && sun_exclusion_half_angle_rad < core::kPi)) {
    Reject(*this, "sun_exclusion_half_angle_rad", sun_exclusion_half_angle_rad, "in [0, pi)");
  }
}

double PlanckBandRadiance_W_per_m2_sr(double lambda_lo_m, double lambda_hi_m,
                                      double temperature_K) {
  HYPERDEF_ASSERT(lambda_lo_m >= 0.0 && lambda_hi_m > lambda_lo_m);
  if (!(temperature_K > 0.0)) return 0.0;
  // L = 2 (kT)^4 / (h^3 c^2) * integral of x^3/(e^x - 1) dx over the band in x = hc/(lambda k T)
  // (substituting lambda -> x in Planck's law; the integral over [0, inf) is pi^4/15, which gives
  // sigma T^4 / pi).
  const double kt = core::kBoltzmann_JpK * temperature_K;
  const double hc = kPlanck_Js * core::kSpeedOfLight_mps;
  const double x_lo = std::isinf(lambda_hi_m) ? 0.0 : hc / (lambda_hi_m * kt);
  double x_hi =
      lambda_lo_m == 0.0 ? std::numeric_limits<double>::infinity() : hc / (lambda_lo_m * kt);
  if (x_lo > 700.0) return 0.0;
  // Beyond x_lo + 80 the integrand has dropped by e^-80 relative to x_lo (x^3 grows slower than
  // e^x falls for x > 3; for x < 3 the peak at x = 2.82 is inside the range anyway).
  x_hi = std::min(x_hi, x_lo + 80.0);
  // Panels at most 2.5 wide: the integrand's nearest singularities are the poles of
  // 1/(e^x - 1) at x = +-2 pi i, so on a panel of half-width 1.25 the 8-point rule converges like
  // rho^-16 with rho = 2 pi / 1.25 + sqrt((2 pi / 1.25)^2 + 1) ~ 10 (Bernstein ellipse; Trefethen,
  // "Approximation Theory and Approximation Practice", ch. 19): ~ 1e-16 relative. A narrow band
  // (2.7-3.0 um at 300 K is 1.8 wide in x) takes one panel instead of 32.
  const int panels = std::clamp(static_cast<int>(std::ceil((x_hi - x_lo) / 2.5)), 1, 32);
  const double h = (x_hi - x_lo) / panels;
  double sum = 0.0;
  for (int p = 0; p < panels; ++p) {
    const double mid = x_lo + (p + 0.5) * h;
    for (size_t k = 0; k < kGlNode.size(); ++k) {
      const double dx = 0.5 * h * kGlNode[k];
      sum += kGlWeight[k] * (PlanckX(mid - dx) + PlanckX(mid + dx));
    }
  }
  const double integral = 0.5 * h * sum;
  const double prefactor = 2.0 * kt * kt * kt * kt / (hc * hc * hc) * core::kSpeedOfLight_mps;
  return prefactor * integral;
}

double TargetIntensity_W_per_sr(const SpaceIrSpec& spec, const TargetTruth& target) {
  return TargetIntensity_W_per_sr(
      spec, target,
      PlanckBandRadiance_W_per_m2_sr(spec.band_lo_m, spec.band_hi_m, target.surface_temperature_K));
}

double TargetIntensity_W_per_sr(const SpaceIrSpec& spec, const TargetTruth& target,
                                double band_radiance_W_per_m2_sr) {
  double intensity = 0.0;
  if (target.thrust_N > 0.0)
    intensity += spec.plume_intensity_per_thrust_W_per_sr_N * target.thrust_N;
  // Graybody Lambertian area: I = eps * A * L_band(T) = eps * A / pi * M_band(T).
  intensity += target.emissivity * target.radiating_area_m2 * band_radiance_W_per_m2_sr;
  return intensity;
}

double IrradianceAtAperture_W_per_m2(double intensity_W_per_sr, double range_m) {
  HYPERDEF_ASSERT(range_m > 0.0);
  return intensity_W_per_sr / (range_m * range_m);
}

double GaussianQ(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }

IrLookGeometry EvaluateIrLook(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                              const TargetTruth& target, const Vec3& sun_dir_Ecef, bool tasked,
                              std::optional<double> intensity_W_per_sr) {
  IrLookGeometry g;
  const Vec3 los_Ecef = target.r_Ecef - sat_r_Ecef;
  g.range_m = los_Ecef.norm();
  if (g.range_m == 0.0) return g;
  const double cos_off =
      std::clamp(-sat_r_Ecef.dot(los_Ecef) / (sat_r_Ecef.norm() * g.range_m), -1.0, 1.0);
  g.off_nadir_rad = std::acos(cos_off);
  g.in_field_of_regard = g.off_nadir_rad <= spec.field_of_regard_half_angle_rad;
  g.los_clear = SegmentClearsEllipsoid(sat_r_Ecef, target.r_Ecef, spec.grazing_altitude_m);
  g.sun_excluded =
      SunExcluded(sat_r_Ecef, target.r_Ecef, sun_dir_Ecef, spec.sun_exclusion_half_angle_rad);
  g.los_ends_on_earth = LineOfSightEndsOnEarth(sat_r_Ecef, target.r_Ecef);
  if (!g.Visible()) return g;
  const double intensity =
      intensity_W_per_sr ? *intensity_W_per_sr : TargetIntensity_W_per_sr(spec, target);
  g.irradiance_W_per_m2 = IrradianceAtAperture_W_per_m2(intensity, g.range_m);
  g.snr = Snr(spec, g.irradiance_W_per_m2, g.los_ends_on_earth, tasked);
  g.pd = GaussianQ(spec.snr_threshold - g.snr);
  return g;
}

double VisibleIrSnr(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef, const Vec3& target_r_Ecef,
                    double range_m, double intensity_W_per_sr, bool tasked) {
  return Snr(spec, IrradianceAtAperture_W_per_m2(intensity_W_per_sr, range_m),
             kSurface.RayBeyondMeetsSurface(sat_r_Ecef, target_r_Ecef), tasked);
}

Vec3 EphemerisError(const SpaceIrSpec& spec, core::RandomStream& rng) {
  const double s = spec.position_knowledge_sigma_m;
  // Three separate statements: argument evaluation order is unspecified in C++.
  const double dx = rng.Normal(0.0, s);
  const double dy = rng.Normal(0.0, s);
  const double dz = rng.Normal(0.0, s);
  return Vec3(dx, dy, dz);
}

void FillIrMeasurement(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                       const Vec3& sat_position_error_Ecef, const TargetTruth& target,
                       double range_m, double measured_snr, bool tasked, core::RandomStream& rng,
                       LosMeasurement* m) {
  const Vec3 u_true = (target.r_Ecef - sat_r_Ecef) * (1.0 / range_m);
  Vec3 e1, e2;
  Perpendiculars(u_true, &e1, &e2);
  const double sigma = tasked ? spec.narrow_field_angle_sigma_rad : spec.angle_sigma_rad;
  const double n1 = rng.Normal(0.0, sigma);
  const double n2 = rng.Normal(0.0, sigma);
  m->t_s = target.t_s;
  m->sensor_id = spec.id;
  const Vec3 w = u_true + n1 * e1 + n2 * e2;
  m->u_Ecef = w * (1.0 / w.norm());
  m->u_covariance =
      sigma * sigma * (Eigen::Matrix3d::Identity() - m->u_Ecef * m->u_Ecef.transpose());
  m->sat_r_Ecef = sat_r_Ecef + sat_position_error_Ecef;
  m->sat_position_sigma_m = spec.position_knowledge_sigma_m;
  m->snr = measured_snr;
  m->truth_id = target.id;
  m->false_alarm = false;
}

std::optional<LosMeasurement> IrLook(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                                     const Vec3& sat_position_error_Ecef, const TargetTruth& target,
                                     const Vec3& sun_dir_Ecef, bool tasked, core::RandomStream& rng,
                                     std::optional<double> intensity_W_per_sr) {
  const IrLookGeometry g =
      EvaluateIrLook(spec, sat_r_Ecef, target, sun_dir_Ecef, tasked, intensity_W_per_sr);
  if (!g.Visible()) return std::nullopt;
  const double measured_snr = g.snr + rng.Normal();
  if (!(measured_snr > spec.snr_threshold)) return std::nullopt;
  LosMeasurement m;
  FillIrMeasurement(spec, sat_r_Ecef, sat_position_error_Ecef, target, g.range_m, measured_snr,
                    tasked, rng, &m);
  return m;
}

double IrFalseAlarmMean(const SpaceIrSpec& spec) {
  return GaussianQ(spec.snr_threshold) * spec.pixel_count;
}

std::uint64_t IrFalseAlarmCount(const SpaceIrSpec& spec, core::RandomStream& rng) {
  return rng.Poisson(IrFalseAlarmMean(spec));
}

std::vector<LosMeasurement> IrFalseAlarms(const SpaceIrSpec& spec, double t_s,
                                          const Vec3& sat_r_Ecef,
                                          const Vec3& sat_position_error_Ecef, std::uint64_t count,
                                          core::RandomStream& rng) {
  std::vector<LosMeasurement> out;
  out.reserve(count);
  const Vec3 nadir_Ecef = -sat_r_Ecef.normalized();
  Vec3 e1, e2;
  Perpendiculars(nadir_Ecef, &e1, &e2);
  const double cos_for = std::cos(spec.field_of_regard_half_angle_rad);
  for (std::uint64_t i = 0; i < count; ++i) {
    // Uniform in solid angle over the cone: cos(theta) uniform in [cos(FOR), 1].
    const double cos_t = 1.0 - rng.Uniform() * (1.0 - cos_for);
    const double sin_t = std::sqrt(std::max(0.0, 1.0 - cos_t * cos_t));
    const double phi = core::kTwoPi * rng.Uniform();
    LosMeasurement m;
    m.t_s = t_s;
    m.sensor_id = spec.id;
    m.u_Ecef = cos_t * nadir_Ecef + sin_t * (std::cos(phi) * e1 + std::sin(phi) * e2);
    m.u_covariance = spec.angle_sigma_rad * spec.angle_sigma_rad *
                     (Eigen::Matrix3d::Identity() - m.u_Ecef * m.u_Ecef.transpose());
    m.sat_r_Ecef = sat_r_Ecef + sat_position_error_Ecef;
    m.sat_position_sigma_m = spec.position_knowledge_sigma_m;
    // Noise above threshold: for a high threshold the Gaussian tail beyond it is close to an
    // exponential of mean 1/threshold (Mills ratio), cheap and good enough for a score.
    m.snr = spec.snr_threshold - std::log(rng.Uniform()) / spec.snr_threshold;
    m.false_alarm = true;
    out.push_back(std::move(m));
  }
  return out;
}

IrVisibilityCuller::IrVisibilityCuller(const SpaceIrSpec& spec)
    : grazing_altitude_m_(spec.grazing_altitude_m),
      cos2_for_(std::cos(spec.field_of_regard_half_angle_rad)),
      cos_sun_(std::cos(spec.sun_exclusion_half_angle_rad)),
      horizon_radius_m_(core::kWgs84B_m + spec.grazing_altitude_m),
      outer_radius_m_(core::kWgs84A_m + spec.grazing_altitude_m) {
  // Keep the sign of cos(FOR) in cos2_for_: negative means a cone wider than a hemisphere.
  cos2_for_ = std::copysign(cos2_for_ * cos2_for_, cos2_for_);
}

void IrVisibilityCuller::SetSatellites(const std::vector<Vec3>& sats_r_Ecef) {
  const size_t n = sats_r_Ecef.size();
  r_ = sats_r_Ecef;
  r2_.resize(n);
  scaled_.resize(n);
  const ScaledEllipsoid grazing(grazing_altitude_m_);
  ux_.resize(n);
  uy_.resize(n);
  uz_.resize(n);
  double max_r = horizon_radius_m_, min_r = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < n; ++i) {
    const double rn = sats_r_Ecef[i].norm();
    HYPERDEF_ASSERT(rn > 0.0);
    ux_[i] = sats_r_Ecef[i].x() / rn;
    uy_[i] = sats_r_Ecef[i].y() / rn;
    uz_[i] = sats_r_Ecef[i].z() / rn;
    max_r = std::max(max_r, rn);
    min_r = std::min(min_r, rn);
    r2_[i] = sats_r_Ecef[i].squaredNorm();
    scaled_[i] = grazing.Scale(sats_r_Ecef[i]);
  }
  max_sat_horizon_rad_ = std::acos(horizon_radius_m_ / max_r);
  min_sat_outer_horizon_rad_ = n > 0 && min_r > outer_radius_m_
                                   ? std::acos(outer_radius_m_ / min_r)
                                   : -1.0;  // a satellite inside the outer sphere: no shortcut
  // Bounding caps of blocks of kCullBlock consecutive satellites (Cull): centre c the normalised
  // mean direction, cos(rho) the smallest c . u_i less 1e-9 (a margin of >= 1e-9 rad in rho).
  const size_t blocks = (n + kCullBlock - 1) / kCullBlock;
  block_cx_.resize(blocks);
  block_cy_.resize(blocks);
  block_cz_.resize(blocks);
  block_cos_rho_.resize(blocks);
  block_sin_rho_.resize(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    const size_t end = std::min(n, (b + 1) * kCullBlock);
    Vec3 c = Vec3::Zero();
    for (size_t i = b * kCullBlock; i < end; ++i) c += Vec3(ux_[i], uy_[i], uz_[i]);
    double cos_rho = -1.0;  // degenerate mean (opposite directions): a cap over everything
    if (c.norm() > 1e-6) {
      c.normalize();
      cos_rho = 1.0;
      for (size_t i = b * kCullBlock; i < end; ++i)
        cos_rho = std::min(cos_rho, c.dot(Vec3(ux_[i], uy_[i], uz_[i])));
      cos_rho = std::max(-1.0, cos_rho - 1e-9);
    }
    block_cx_[b] = c.x();
    block_cy_[b] = c.y();
    block_cz_[b] = c.z();
    block_cos_rho_[b] = cos_rho;
    block_sin_rho_[b] = std::sqrt(1.0 - cos_rho * cos_rho);
  }
}

template <class Emit>
void IrVisibilityCuller::Cull(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef,
                              Emit emit) const {
  const double rt = target_r_Ecef.norm();
  // Below the inner sphere means below the grazing ellipsoid: no line of sight at all.
  if (rt < horizon_radius_m_) return;
  // Sphere horizon: visible pairs have central angle <= acos(R/r_sat) + acos(R/r_tgt). A margin
  // of 1e-9 rad covers round-off so the cull never drops a pair the exact test keeps.
  const double lambda = max_sat_horizon_rad_ + std::acos(horizon_radius_m_ / rt) + 1e-9;
  const double cos_lambda = lambda >= core::kPi ? -2.0 : std::cos(lambda);
  const double tx = target_r_Ecef.x() / rt, ty = target_r_Ecef.y() / rt,
               tz = target_r_Ecef.z() / rt;
  const size_t n = ux_.size();
  const double* ux = ux_.data();
  const double* uy = uy_.data();
  const double* uz = uz_.data();
  const ScaledEllipsoid grazing(grazing_altitude_m_);
  const Vec3 target_scaled = grazing.Scale(target_r_Ecef);
  // Settled margins (IrCandidate): relative 1e-9 on cos^2 of the off-nadir angle and on the
  // cosine of the angle to the Sun, far above the ~1e-15 by which the two forms may round apart.
  constexpr double kMargin = 1e-9;
  // Everything after the horizon test, for satellite i.
  // Certainly clear: the sphere of radius a + h_grazing holds the grazing ellipsoid, and a
  // segment between two points outside a sphere clears it iff their central angle is within
  // the sum of their horizon angles acos(R / r) over it. With the smallest satellite radius of
  // the batch (the smallest horizon angle) and margins of 1e-9 rad in angle and 1e-12 in
  // cosine, a pair with u_sat . u_tgt >= cos_clear passes by millimetres, far above
  // SegmentClearsEllipsoid's round-off (~1e-8 m): the exact test would return true, and is
  // skipped. Most visible pairs lie there; those in the ~1 deg band between the two spheres'
  // criteria, or with the target below a + h_grazing, take the exact test.
  double cos_clear = 2.0;  // none certain
  if (rt > outer_radius_m_ && min_sat_outer_horizon_rad_ >= 0.0) {
    const double angle = min_sat_outer_horizon_rad_ + std::acos(outer_radius_m_ / rt) - 1e-9;
    if (angle > 0.0) cos_clear = std::cos(angle) + 1e-12;
  }
  const auto look = [&](size_t i, double cos_central) __attribute__((always_inline)) {
    const Vec3& r = r_[i];
    const Vec3 los = target_r_Ecef - r;
    // Field of regard without sqrt: off-nadir <= FOR  <=>  q >= cos(FOR) |r| |los|, q = -r.los.
    const double q = -r.dot(los);
    const double rhs2 = std::abs(cos2_for_) * r2_[i] * los.squaredNorm();
    const bool in_for =
        cos2_for_ >= 0.0 ? (q >= 0.0 && q * q >= rhs2) : (q >= 0.0 || q * q <= rhs2);
    if (!in_for) return;
    if (!(cos_central >= cos_clear) && !grazing.ScaledSegmentClears(scaled_[i], target_scaled))
      return;
    const double range_m = los.norm();
    bool settled = cos2_for_ >= 0.0 ? (q > 0.0 && q * q > rhs2 * (1.0 + kMargin))
                                    : (q > 0.0 || q * q < rhs2 * (1.0 - kMargin));
    if (sun_dir_Ecef != nullptr) {
      const double c = los.dot(*sun_dir_Ecef);
      if (c > cos_sun_ * range_m) return;
      settled = settled && c < (cos_sun_ - kMargin) * range_m;
    } else {
      settled = false;
    }
    emit(static_cast<int>(i), range_m, settled);
  };

  // Blocks of kBlock consecutive satellites first: a block whose bounding cap (centre c_b,
  // angular radius rho_b) lies farther than lambda + rho_b from the target cannot hold a
  // satellite within lambda of it (triangle inequality on the sphere), c_b . t < cos(lambda +
  // rho_b), so its satellites are skipped without their own test. rho_b carries a 1e-9 rad margin
  // and the threshold another 1e-9 in cosine, far above the ~1e-15 round-off of these products:
  // a skipped block never holds a satellite the per-satellite test above would pass. A Walker
  // layer lists its satellites plane by plane, so a block is a short arc (4 x 7.2 deg for
  // 1000/20) and most blocks are skipped.
  // The block verdicts are formed a chunk at a time in a branch-free loop (it vectorises; the
  // scattered ~1 in 6 passing blocks made the branch of a per-block test mispredict), as
  // c_b . t - threshold_b, negative exactly when c_b . t < threshold_b (IEEE subtraction with
  // gradual underflow keeps the sign of the comparison), or +1 for a block never skipped.
  const double sin_lambda = lambda >= core::kPi ? 0.0 : std::sin(lambda);
  const bool skip_blocks = lambda < core::kPi;
  const size_t blocks = block_cx_.size();
  constexpr size_t kChunk = 64;
  double verdict[kChunk];
  for (size_t b0 = 0; b0 < blocks; b0 += kChunk) {
    const size_t nb = std::min(kChunk, blocks - b0);
    const double* cx = block_cx_.data() + b0;
    const double* cy = block_cy_.data() + b0;
    const double* cz = block_cz_.data() + b0;
    const double* cos_rho = block_cos_rho_.data() + b0;
    const double* sin_rho = block_sin_rho_.data() + b0;
    for (size_t j = 0; j < nb; ++j) {
      const double threshold = cos_lambda * cos_rho[j] - sin_lambda * sin_rho[j] - 1e-9;
      const double d = cx[j] * tx + cy[j] * ty + cz[j] * tz - threshold;
      verdict[j] = cos_rho[j] > -cos_lambda ? d : 1.0;  // lambda + rho < pi: the test applies
    }
    for (size_t j = 0; j < nb; ++j) {
      if (skip_blocks && verdict[j] < 0.0) continue;
      const size_t b = b0 + j;
      const size_t end = std::min(n, (b + 1) * kCullBlock);
      for (size_t i = b * kCullBlock; i < end; ++i) {
        const double cos_central = ux[i] * tx + uy[i] * ty + uz[i] * tz;
        if (cos_central >= cos_lambda) look(i, cos_central);
      }
    }
  }
}

void IrVisibilityCuller::Candidates(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef,
                                    std::vector<int>* out) const {
  out->clear();
  Cull(target_r_Ecef, sun_dir_Ecef, [out](int i, double, bool) { out->push_back(i); });
}

void IrVisibilityCuller::Candidates(const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef,
                                    std::vector<IrCandidate>* out) const {
  out->clear();
  Cull(target_r_Ecef, sun_dir_Ecef, [out](int i, double range_m, bool settled) {
    out->push_back({i, range_m, settled});
  });
}

std::vector<int> CandidateSatellites(const SpaceIrSpec& spec, const std::vector<Vec3>& sats_r_Ecef,
                                     const Vec3& target_r_Ecef, const Vec3* sun_dir_Ecef) {
  IrVisibilityCuller culler(spec);
  culler.SetSatellites(sats_r_Ecef);
  std::vector<int> out;
  culler.Candidates(target_r_Ecef, sun_dir_Ecef, &out);
  return out;
}

}  // namespace hyperdef::sensors

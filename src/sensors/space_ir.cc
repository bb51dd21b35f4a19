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

// Orthonormal pair perpendicular to unit u.
void Perpendiculars(const Vec3& u, Vec3* e1, Vec3* e2) {
  const Vec3 helper = std::abs(u.x()) < 0.9 ? Vec3::UnitX() : Vec3::UnitY();
  *e1 = u.cross(helper).normalized();
  *e2 = u.cross(*e1);
}

// Expected SNR: irradiance over the mode's noise-equivalent irradiance (x clutter factor).
double Snr(const SpaceIrSpec& spec, double irradiance_W_per_m2, bool los_ends_on_earth,
           bool tasked) {
  double nei = tasked ? spec.narrow_field_nei_W_per_m2 : spec.wide_field_nei_W_per_m2;
  if (los_ends_on_earth) nei *= spec.clutter_nei_factor;
  return irradiance_W_per_m2 / nei;
}

Vec3 ReportedPosition(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef, core::RandomStream& rng) {
  const double s = spec.position_knowledge_sigma_m;
  // Three separate statements: argument evaluation order is unspecified in C++.
  const double dx = rng.Normal(0.0, s);
  const double dy = rng.Normal(0.0, s);
  const double dz = rng.Normal(0.0, s);
  return sat_r_Ecef + Vec3(dx, dy, dz);
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
  constexpr int kPanels = 32;
  const double h = (x_hi - x_lo) / kPanels;
  double sum = 0.0;
  for (int p = 0; p < kPanels; ++p) {
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
             LineOfSightEndsOnEarth(sat_r_Ecef, target_r_Ecef), tasked);
}

void FillIrMeasurement(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef, const TargetTruth& target,
                       double range_m, double measured_snr, bool tasked, core::RandomStream& rng,
                       LosMeasurement* m) {
  const Vec3 u_true = (target.r_Ecef - sat_r_Ecef) / range_m;
  Vec3 e1, e2;
  Perpendiculars(u_true, &e1, &e2);
  const double sigma = tasked ? spec.narrow_field_angle_sigma_rad : spec.angle_sigma_rad;
  const double n1 = rng.Normal(0.0, sigma);
  const double n2 = rng.Normal(0.0, sigma);
  m->t_s = target.t_s;
  m->sensor_id = spec.id;
  m->u_Ecef = (u_true + n1 * e1 + n2 * e2).normalized();
  m->u_covariance =
      sigma * sigma * (Eigen::Matrix3d::Identity() - m->u_Ecef * m->u_Ecef.transpose());
  m->sat_r_Ecef = ReportedPosition(spec, sat_r_Ecef, rng);
  m->sat_position_sigma_m = spec.position_knowledge_sigma_m;
  m->snr = measured_snr;
  m->truth_id = target.id;
  m->false_alarm = false;
}

std::optional<LosMeasurement> IrLook(const SpaceIrSpec& spec, const Vec3& sat_r_Ecef,
                                     const TargetTruth& target, const Vec3& sun_dir_Ecef,
                                     bool tasked, core::RandomStream& rng,
                                     std::optional<double> intensity_W_per_sr) {
  const IrLookGeometry g =
      EvaluateIrLook(spec, sat_r_Ecef, target, sun_dir_Ecef, tasked, intensity_W_per_sr);
  if (!g.Visible()) return std::nullopt;
  const double measured_snr = g.snr + rng.Normal();
  if (!(measured_snr > spec.snr_threshold)) return std::nullopt;
  LosMeasurement m;
  FillIrMeasurement(spec, sat_r_Ecef, target, g.range_m, measured_snr, tasked, rng, &m);
  return m;
}

std::vector<LosMeasurement> IrFalseAlarms(const SpaceIrSpec& spec, double t_s,
                                          const Vec3& sat_r_Ecef, core::RandomStream& rng) {
  const double mean = GaussianQ(spec.snr_threshold) * spec.pixel_count;
  const std::uint64_t count = rng.Poisson(mean);
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
    m.sat_r_Ecef = ReportedPosition(spec, sat_r_Ecef, rng);
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
      horizon_radius_m_(core::kWgs84B_m + spec.grazing_altitude_m) {
  // Keep the sign of cos(FOR) in cos2_for_: negative means a cone wider than a hemisphere.
  cos2_for_ = std::copysign(cos2_for_ * cos2_for_, cos2_for_);
}

void IrVisibilityCuller::SetSatellites(const std::vector<Vec3>& sats_r_Ecef) {
  const size_t n = sats_r_Ecef.size();
  r_ = sats_r_Ecef;
  ux_.resize(n);
  uy_.resize(n);
  uz_.resize(n);
  double max_r = horizon_radius_m_;
  for (size_t i = 0; i < n; ++i) {
    const double rn = sats_r_Ecef[i].norm();
    HYPERDEF_ASSERT(rn > 0.0);
    ux_[i] = sats_r_Ecef[i].x() / rn;
    uy_[i] = sats_r_Ecef[i].y() / rn;
    uz_[i] = sats_r_Ecef[i].z() / rn;
    max_r = std::max(max_r, rn);
  }
  max_sat_horizon_rad_ = std::acos(horizon_radius_m_ / max_r);
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
  // Settled margins (IrCandidate): relative 1e-9 on cos^2 of the off-nadir angle and on the
  // cosine of the angle to the Sun, far above the ~1e-15 by which the two forms may round apart.
  constexpr double kMargin = 1e-9;
  for (size_t i = 0; i < n; ++i) {
    if (ux[i] * tx + uy[i] * ty + uz[i] * tz < cos_lambda) continue;
    const Vec3& r = r_[i];
    const Vec3 los = target_r_Ecef - r;
    // Field of regard without sqrt: off-nadir <= FOR  <=>  q >= cos(FOR) |r| |los|, q = -r.los.
    const double q = -r.dot(los);
    const double rhs2 = std::abs(cos2_for_) * r.squaredNorm() * los.squaredNorm();
    const bool in_for =
        cos2_for_ >= 0.0 ? (q >= 0.0 && q * q >= rhs2) : (q >= 0.0 || q * q <= rhs2);
    if (!in_for) continue;
    if (!SegmentClearsEllipsoid(r, target_r_Ecef, grazing_altitude_m_)) continue;
    const double range_m = los.norm();
    bool settled = cos2_for_ >= 0.0 ? (q > 0.0 && q * q > rhs2 * (1.0 + kMargin))
                                    : (q > 0.0 || q * q < rhs2 * (1.0 - kMargin));
    if (sun_dir_Ecef != nullptr) {
      const double c = los.dot(*sun_dir_Ecef);
      if (c > cos_sun_ * range_m) continue;
      settled = settled && c < (cos_sun_ - kMargin) * range_m;
    } else {
      settled = false;
    }
    emit(static_cast<int>(i), range_m, settled);
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

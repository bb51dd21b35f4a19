#include "sensors/radar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/constants.h"
#include "core/error.h"
#include "sensors/line_of_sight.h"

namespace hyperdef::sensors {
namespace {

using core::Vec3;

constexpr double kClearTolerance_m = 1e-3;  // a site on the surface is not occluded by round-off

double DbToLinear(double db) { return std::pow(10.0, db / 10.0); }

double WrapTwoPi(double a) {
  a = std::fmod(a, core::kTwoPi);
  return a < 0.0 ? a + core::kTwoPi : a;
}

Vec3 UnitEnu(double az_rad, double el_rad) {
  return {std::sin(az_rad) * std::cos(el_rad), std::cos(az_rad) * std::cos(el_rad),
          std::sin(el_rad)};
}

// Face frame axes in ENU: boresight, its horizontal right, and up the face (right x boresight).
struct FaceAxes {
  Vec3 boresight, right, up;
};
FaceAxes AxesOf(const RadarFace& f) {
  FaceAxes a;
  a.boresight = UnitEnu(f.boresight_az_rad, f.boresight_el_rad);
  a.right = Vec3(std::cos(f.boresight_az_rad), -std::sin(f.boresight_az_rad), 0.0);
  a.up = a.right.cross(a.boresight);
  return a;
}

// Gaussian mean radius of curvature sqrt(M N) of WGS-84 at geodetic latitude lat.
double GaussianRadius_m(double lat_rad) {
  const double s = std::sin(lat_rad);
  const double w2 = 1.0 - core::kWgs84E2 * s * s;
  const double n = core::kWgs84A_m / std::sqrt(w2);
  const double m = core::kWgs84A_m * (1.0 - core::kWgs84E2) / (w2 * std::sqrt(w2));
  return std::sqrt(m * n);
}

// Closest approach to the origin of the segment a -> b, |p(t*)| with t* clamped to [0, 1].
double SegmentMinNorm(const Vec3& a, const Vec3& b) {
  const Vec3 d = b - a;
  const double dd = d.squaredNorm();
  const double t = dd > 0.0 ? std::clamp(-a.dot(d) / dd, 0.0, 1.0) : 0.0;
  return (a + t * d).norm();
}

void Require(bool ok, const std::string& key, const std::string& message) {
  if (!ok) throw core::InputError({}, "radar." + key, message);
}

}  // namespace

void RadarSpec::Validate() const {
  Require(!id.empty(), "id", "must not be empty");
  Require(!faces.empty(), "faces", "at least one face is needed");
  for (const RadarFace& f : faces) {
    Require(f.half_fov_az_rad > 0.0 && f.half_fov_az_rad <= core::kPi, "faces.half_fov_az",
            "must be in (0, 180] deg (got " + std::to_string(f.half_fov_az_rad) + " rad)");
    Require(f.half_fov_el_rad > 0.0 && f.half_fov_el_rad <= 0.5 * core::kPi, "faces.half_fov_el",
            "must be in (0, 90] deg (got " + std::to_string(f.half_fov_el_rad) + " rad)");
  }
  Require(instrumented_range_m > 0.0, "instrumented_range", "must be > 0");
  Require(peak_power_W > 0.0, "peak_power", "must be > 0");
  Require(wavelength_m > 0.0, "wavelength", "must be > 0");
  Require(noise_temperature_K > 0.0, "noise_temperature", "must be > 0");
  Require(pulse_width_s > 0.0, "pulse_width", "must be > 0");
  Require(coherent_pulses >= 1, "coherent_pulses", "must be >= 1");
  Require(noncoherent_pulses >= 1, "noncoherent_pulses", "must be >= 1");
  Require(pfa > 0.0 && pfa < 1.0, "pfa", "must be in (0, 1) (got " + std::to_string(pfa) + ")");
  Require(range_resolution_m > 0.0, "range_resolution", "must be > 0");
  Require(beamwidth_rad > 0.0, "beamwidth", "must be > 0");
  Require(range_sigma_m0 >= 0.0 && angle_sigma_rad0 >= 0.0 && range_rate_sigma_mps0 >= 0.0, "sigma",
          "noise sigmas must be >= 0");
  Require(revisit_s > 0.0, "revisit", "must be > 0");
  Require(track_capacity >= 0, "track_capacity", "must be >= 0");
}

double RadarSnr(const RadarSpec& spec, double range_m, double rcs_m2) {
  HYPERDEF_ASSERT(range_m > 0.0 && rcs_m2 >= 0.0);
  const double g = DbToLinear(spec.gain_dB);
  const double four_pi = 4.0 * core::kPi;
  const double num = spec.peak_power_W * g * g * spec.wavelength_m * spec.wavelength_m * rcs_m2 *
                     spec.pulse_width_s * spec.coherent_pulses;
  const double r2 = range_m * range_m;
  const double den = four_pi * four_pi * four_pi * r2 * r2 * core::kBoltzmann_JpK *
                     spec.noise_temperature_K * DbToLinear(spec.losses_dB);
  return num / den;
}

double AspectAngle_rad(const TargetTruth& target, const Vec3& r_Sensor_Ecef) {
  constexpr double kMinSpeed_mps = 1e-3;  // below this the velocity gives no axis
  const double speed = target.v_Ecef.norm();
  const Vec3 to_sensor = r_Sensor_Ecef - target.r_Ecef;
  const double range = to_sensor.norm();
  if (speed < kMinSpeed_mps || range <= 0.0) return 0.5 * core::kPi;
  // atan2 of |a x b| and a.b: accurate near 0 and pi, where acos of the dot product is not.
  return std::atan2(target.v_Ecef.cross(to_sensor).norm(), target.v_Ecef.dot(to_sensor));
}

double TargetRcs_m2(const TargetTruth& target, const Vec3& r_Sensor_Ecef) {
  if (!target.rcs_aspect_dBsm) return target.rcs_m2;
  const double dbsm = (*target.rcs_aspect_dBsm)(AspectAngle_rad(target, r_Sensor_Ecef));
  return DbToLinear(dbsm);
}

RadarSite::RadarSite(const earth::Geodetic& site)
    : geo(site),
      r_Ecef(earth::EcefFromGeodetic(site)),
      R_EnuFromEcef(earth::R_EnuFromEcef(site.lat_rad, site.lon_rad)),
      up_Ecef(std::cos(site.lat_rad) * std::cos(site.lon_rad),
              std::cos(site.lat_rad) * std::sin(site.lon_rad), std::sin(site.lat_rad)),
      radius_m(GaussianRadius_m(site.lat_rad)) {
  const Vec3 foot_Ecef = earth::EcefFromGeodetic({site.lat_rad, site.lon_rad, 0.0});
  centre_Ecef = foot_Ecef - radius_m * up_Ecef;
}

RadarGeometry RadarGeometryTo(const earth::Geodetic& site, const Vec3& r_Tgt_Ecef) {
  return RadarGeometryTo(RadarSite(site), r_Tgt_Ecef);
}

RadarGeometry RadarGeometryTo(const RadarSite& site, const Vec3& r_Tgt_Ecef) {
  const Vec3 p_SiteTgt_Enu = site.Enu(r_Tgt_Ecef);
  RadarGeometry g;
  g.range_m = p_SiteTgt_Enu.norm();
  g.az_rad = WrapTwoPi(std::atan2(p_SiteTgt_Enu.x(), p_SiteTgt_Enu.y()));
  g.el_rad = g.range_m > 0.0 ? std::asin(std::clamp(p_SiteTgt_Enu.z() / g.range_m, -1.0, 1.0))
                             : 0.5 * core::kPi;
  return g;
}

bool InsideSomeFace(const RadarSpec& spec, double az_rad, double el_rad) {
  const Vec3 u = UnitEnu(az_rad, el_rad);
  for (const RadarFace& f : spec.faces) {
    const FaceAxes a = AxesOf(f);
    const double x = u.dot(a.boresight);
    const double y = u.dot(a.right);
    const double z = u.dot(a.up);
    const double off_az = std::atan2(y, x);
    const double off_el = std::atan2(z, std::hypot(x, y));
    if (std::abs(off_az) <= f.half_fov_az_rad && std::abs(off_el) <= f.half_fov_el_rad) {
      return true;
    }
  }
  return false;
}

bool SphereLineOfSightClear(double radius_m, double h_a_m, double h_b_m, double central_angle_rad) {
  if (h_a_m < -kClearTolerance_m || h_b_m < -kClearTolerance_m) return false;
  const Vec3 a(0.0, radius_m + h_a_m, 0.0);
  const Vec3 b((radius_m + h_b_m) * std::sin(central_angle_rad),
               (radius_m + h_b_m) * std::cos(central_angle_rad), 0.0);
  return SegmentMinNorm(a, b) >= radius_m - kClearTolerance_m;
}

bool EarthClear(const earth::Geodetic& site, const Vec3& r_Tgt_Ecef, bool refraction_4_3) {
  return EarthClear(RadarSite(site), r_Tgt_Ecef, refraction_4_3);
}

bool EarthClear(const RadarSite& site, const Vec3& r_Tgt_Ecef, bool refraction_4_3) {
  if (!refraction_4_3) return SegmentClearsEllipsoid(site.r_Ecef, r_Tgt_Ecef);
  constexpr double k = 4.0 / 3.0;
  const Vec3 v = r_Tgt_Ecef - site.centre_Ecef;
  const double theta = std::atan2(site.up_Ecef.cross(v).norm(), site.up_Ecef.dot(v));
  const double h_tgt_m = earth::GeodeticFromEcef(r_Tgt_Ecef).h_m;
  return SphereLineOfSightClear(k * site.radius_m, site.geo.h_m, h_tgt_m, theta / k);
}

namespace {

// RadarCanSee's tests; the geometry in *g when visible. Most (radar, target) pairs of a frame
// fail on range or elevation: those are decided from the ENU vector before any inverse trig.
// The elevation pre-test keeps a margin of 1e-9 in sin(el) (far above the few-ulp error of sin
// and asin), so that only pairs asin would also reject leave early: the decisions are those of
// the plain test.
bool Visible(const RadarSpec& spec, const RadarSite& site, const Vec3& r_Tgt_Ecef,
             RadarGeometry* g) {
  const Vec3 p_SiteTgt_Enu = site.Enu(r_Tgt_Ecef);
  const double range_m = p_SiteTgt_Enu.norm();
  if (range_m > spec.instrumented_range_m || range_m <= 0.0) return false;
  if (std::abs(spec.min_elevation_rad) < 0.5 * core::kPi &&
      p_SiteTgt_Enu.z() / range_m < std::sin(spec.min_elevation_rad) - 1e-9)
    return false;
  *g = RadarGeometryTo(site, r_Tgt_Ecef);
  if (g->el_rad < spec.min_elevation_rad) return false;
  if (!InsideSomeFace(spec, g->az_rad, g->el_rad)) return false;
  return EarthClear(site, r_Tgt_Ecef, spec.refraction_4_3);
}

}  // namespace

bool RadarCanSee(const RadarSpec& spec, const earth::Geodetic& site, const Vec3& r_Tgt_Ecef) {
  return RadarCanSee(spec, RadarSite(site), r_Tgt_Ecef);
}

bool RadarCanSee(const RadarSpec& spec, const RadarSite& site, const Vec3& r_Tgt_Ecef) {
  RadarGeometry g;
  return Visible(spec, site, r_Tgt_Ecef, &g);
}

namespace {

// Fills noise sigmas and the covariance for a report at linear SNR `snr`.
void SetCovariance(const RadarSpec& spec, double snr, RadarMeasurement* m, double* sr, double* sa,
                   double* sv) {
  const double scale2 = DbToLinear(spec.snr_ref_dB) / std::max(snr, 1e-12);
  *sr = std::sqrt(spec.range_sigma_m0 * spec.range_sigma_m0 * scale2 +
                  spec.range_sigma_floor_m * spec.range_sigma_floor_m);
  *sa = std::sqrt(spec.angle_sigma_rad0 * spec.angle_sigma_rad0 * scale2 +
                  spec.angle_sigma_floor_rad * spec.angle_sigma_floor_rad);
  *sv = std::sqrt(spec.range_rate_sigma_mps0 * spec.range_rate_sigma_mps0 * scale2 +
                  spec.range_rate_sigma_floor_mps * spec.range_rate_sigma_floor_mps);
  m->has_range_rate = spec.range_rate_sigma_mps0 > 0.0;
  m->covariance.setZero();
  m->covariance(0, 0) = *sr * *sr;
  m->covariance(1, 1) = *sa * *sa;
  m->covariance(2, 2) = *sa * *sa;
  if (m->has_range_rate) m->covariance(3, 3) = *sv * *sv;
  m->snr_dB = 10.0 * std::log10(std::max(snr, 1e-300));
}

}  // namespace

std::optional<RadarMeasurement> RadarLook(const RadarSpec& spec, const earth::Geodetic& site,
                                          const TargetTruth& target, core::RandomStream& rng,
                                          const Vec3& v_Site_Ecef) {
  return RadarLook(spec, RadarSite(site), target, rng, v_Site_Ecef);
}

std::optional<RadarMeasurement> RadarLook(const RadarSpec& spec, const RadarSite& site,
                                          const TargetTruth& target, core::RandomStream& rng,
                                          const Vec3& v_Site_Ecef) {
  RadarGeometry g;
  if (!Visible(spec, site, target.r_Ecef, &g)) return std::nullopt;
  const Vec3& r_Site_Ecef = site.r_Ecef;
  const double snr = RadarSnr(spec, g.range_m, TargetRcs_m2(target, r_Site_Ecef));
  const double pd = ProbabilityOfDetection(snr, spec.pfa, spec.swerling, spec.noncoherent_pulses);
  if (rng.Uniform() >= pd) return std::nullopt;

  RadarMeasurement m;
  m.t_s = target.t_s;
  m.sensor_id = spec.id;
  m.truth_id = target.id;
  // Accuracy follows the mean SNR after noncoherent integration (N x single-pulse SNR, an upper
  // bound on the integration gain); the per-look fluctuation of a Swerling target's echo is not
  // drawn, so sigmas are those of the average echo.
  double sr = 0.0, sa = 0.0, sv = 0.0;
  SetCovariance(spec, snr * spec.noncoherent_pulses, &m, &sr, &sa, &sv);
  // Angle noise is applied to azimuth and elevation as angles, not as cross-range directions: for
  // the azimuth of a target near zenith this overstates the cross-range error by 1 / cos(el).
  m.range_m = g.range_m + sr * rng.Normal();
  m.az_rad = WrapTwoPi(g.az_rad + sa * rng.Normal());
  m.el_rad = g.el_rad + sa * rng.Normal();
  if (m.has_range_rate) {
    const Vec3 u_Ecef = (target.r_Ecef - r_Site_Ecef) / g.range_m;
    m.range_rate_mps = u_Ecef.dot(target.v_Ecef - v_Site_Ecef) + sv * rng.Normal();
  }
  return m;
}

double RadarResolutionCells(const RadarSpec& spec) {
  const double range_cells = spec.instrumented_range_m / spec.range_resolution_m;
  double angle_cells = 0.0;
  for (const RadarFace& f : spec.faces) {
    angle_cells += (2.0 * f.half_fov_az_rad / spec.beamwidth_rad) *
                   (2.0 * f.half_fov_el_rad / spec.beamwidth_rad);
  }
  return range_cells * angle_cells;
}

std::vector<RadarMeasurement> RadarFalseAlarms(const RadarSpec& spec, double t_s,
                                               core::RandomStream& rng) {
  std::vector<RadarMeasurement> out;
  const std::uint64_t n = rng.Poisson(spec.pfa * RadarResolutionCells(spec));
  if (n == 0) return out;
  double total_box = 0.0;
  for (const RadarFace& f : spec.faces) total_box += f.half_fov_az_rad * f.half_fov_el_rad;
  const double threshold = -std::log(spec.pfa);
  for (std::uint64_t i = 0; i < n; ++i) {
    // Face with probability proportional to its angle cells.
    double pick = rng.Uniform() * total_box;
    const RadarFace* face = &spec.faces.back();
    for (const RadarFace& f : spec.faces) {
      pick -= f.half_fov_az_rad * f.half_fov_el_rad;
      if (pick <= 0.0) {
        face = &f;
        break;
      }
    }
    const FaceAxes a = AxesOf(*face);
    const double off_az = rng.Uniform(-face->half_fov_az_rad, face->half_fov_az_rad);
    const double off_el = rng.Uniform(-face->half_fov_el_rad, face->half_fov_el_rad);
    const Vec3 u = std::cos(off_el) * std::cos(off_az) * a.boresight +
                   std::cos(off_el) * std::sin(off_az) * a.right + std::sin(off_el) * a.up;
    const double el = std::asin(std::clamp(u.z(), -1.0, 1.0));
    const double az = WrapTwoPi(std::atan2(u.x(), u.y()));
    const double range = rng.Uniform(0.0, spec.instrumented_range_m);
    // Noise power above threshold: exponential (square-law, one pulse), memoryless past T.
    const double snr = threshold - std::log(rng.Uniform());
    if (el < spec.min_elevation_rad) continue;
    RadarMeasurement m;
    m.t_s = t_s;
    m.sensor_id = spec.id;
    m.false_alarm = true;
    double sr = 0.0, sa = 0.0, sv = 0.0;
    SetCovariance(spec, snr, &m, &sr, &sa, &sv);
    m.range_m = range;
    m.az_rad = az;
    m.el_rad = el;
    if (m.has_range_rate) m.range_rate_mps = 0.0;  // no Doppler model for noise: report zero
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace hyperdef::sensors

#include "assessment/footprint.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/constants.h"
#include "core/random.h"
#include "earth/atmosphere.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"
#include "flight/integrator.h"

namespace hyperdef::assessment {

namespace {

constexpr int kN = 6;
using Vec6 = flight::OdeVector<kN>;
using LatLon = std::pair<double, double>;
using Xy = std::pair<double, double>;

void Require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("FootprintOptions: " + what);
}

LatLon LatLonOf(const Vec3& r_Ecef) {
  const earth::Geodetic g = earth::GeodeticFromEcef(r_Ecef);
  return {g.lat_rad, g.lon_rad};
}

// Azimuthal-equidistant projection about `o` on the sphere of mean radius (x east, y north, m).
Xy Project(const LatLon& o, const LatLon& p) {
  const double dlat = p.first - o.first;
  const double dlon = p.second - o.second;
  const double s1 = std::sin(0.5 * dlat), s2 = std::sin(0.5 * dlon);
  const double hav = s1 * s1 + std::cos(o.first) * std::cos(p.first) * s2 * s2;
  const double c = 2.0 * std::asin(std::sqrt(std::clamp(hav, 0.0, 1.0)));
  const double az = std::atan2(std::sin(dlon) * std::cos(p.first),
                               std::cos(o.first) * std::sin(p.first) -
                                   std::sin(o.first) * std::cos(p.first) * std::cos(dlon));
  const double d = core::kEarthMeanRadius_m * c;
  return {d * std::sin(az), d * std::cos(az)};
}

double Cross(const Xy& o, const Xy& a, const Xy& b) {
  return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
}

bool OnSegment(const Xy& p, const Xy& a, const Xy& b) {
  return std::min(a.first, b.first) <= p.first && p.first <= std::max(a.first, b.first) &&
         std::min(a.second, b.second) <= p.second && p.second <= std::max(a.second, b.second);
}

bool SegmentsIntersect(const Xy& p1, const Xy& p2, const Xy& q1, const Xy& q2) {
  const double d1 = Cross(q1, q2, p1), d2 = Cross(q1, q2, p2);
  const double d3 = Cross(p1, p2, q1), d4 = Cross(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  if (d1 == 0 && OnSegment(p1, q1, q2)) return true;
  if (d2 == 0 && OnSegment(p2, q1, q2)) return true;
  if (d3 == 0 && OnSegment(q1, p1, p2)) return true;
  if (d4 == 0 && OnSegment(q2, p1, p2)) return true;
  return false;
}

double PointSegmentDistance(const Xy& p, const Xy& a, const Xy& b) {
  const double ex = b.first - a.first, ey = b.second - a.second;
  const double l2 = ex * ex + ey * ey;
  double s = l2 > 0.0 ? ((p.first - a.first) * ex + (p.second - a.second) * ey) / l2 : 0.0;
  s = std::clamp(s, 0.0, 1.0);
  const double dx = a.first + s * ex - p.first, dy = a.second + s * ey - p.second;
  return std::sqrt(dx * dx + dy * dy);
}

bool PointInRing(const Xy& p, const std::vector<Xy>& ring) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Xy& a = ring[i];
    const Xy& b = ring[j];
    if ((a.second > p.second) != (b.second > p.second)) {
      const double x =
          a.first + (p.second - a.second) * (b.first - a.first) / (b.second - a.second);
      if (p.first < x) inside = !inside;
    }
  }
  return inside;
}

// Whether (r, v) in ECEF is still gliding: above both terminal conditions.
bool Gliding(const Vec3& r_Ecef, const Vec3& v_Ecef, const FootprintOptions& o) {
  return v_Ecef.norm() > o.terminal_speed_mps && EllipsoidHeight_m(r_Ecef) > o.terminal_altitude_m;
}

// Flies one constant-bank ray (see header) from (r0, v0) in ECEF at t0_s, sampling every sample_s
// if sample_s > 0. Options already validated; the start is gliding.
GlideRay FlyRay(const Vec3& r0, const Vec3& v0, double t0_s, double bank_rad,
                const FootprintOptions& o, double sample_s) {
  const Vec3 w(0.0, 0.0, core::kEarthOmega_radps);
  const Vec3 n0 = r0.cross(v0).normalized();  // initial plane's normal (points left)
  const double ld = o.lift_to_drag, beta = o.beta_kgpm2, k = o.phugoid_damping_per_s;
  const double cap = o.max_heading_change_rad;
  const double taper = 5.0 * core::kDegToRad;  // bank fades out over the last 5 deg of the turn
  // While the turn is below cap - taper the bank is held in full: test that without atan2 (turn =
  // atan2(y, x), |turn| < hold <=> x > 0 and |y| < tan(hold) x, for hold < 90 deg).
  const double hold = cap - taper;
  const bool hold_test = hold > 0.0 && hold < 0.5 * core::kPi;
  const double tan_hold = hold_test ? std::tan(hold) : 0.0;
  const double cos_bank = std::cos(bank_rad), sin_bank = std::sin(bank_rad);
  auto f = [&](double, const Vec6& x) -> Vec6 {
    const Vec3 r = x.head<3>();
    const Vec3 v = x.tail<3>();
    Vec3 a = earth::GravityAcceleration(r, o.gravity) - 2.0 * w.cross(v) - w.cross(w.cross(r));
    const double speed = v.norm();
    const double h = EllipsoidHeight_m(r);
    const double rho = earth::Us76Density(h);
    const double q = 0.5 * rho * speed * speed;
    if (q > 0.0 && speed > 0.0) {
      const Vec3 up = r.normalized();
      const Vec3 u_v = v / speed;
      const double sin_gamma = std::clamp(up.dot(u_v), -1.0, 1.0);
      const double gamma = std::asin(sin_gamma);
      const double a_trim = ld * q / beta;
      const double a_l = std::clamp(a_trim - k * speed * gamma, 0.0, o.lift_limit * a_trim);
      const double ratio = a_l / a_trim;
      const double a_d = (q / beta) * 0.5 * (1.0 + ratio * ratio);
      // Turn so far: angle of the velocity out of the initial plane, + to the right.
      const Vec3 along = n0.cross(up);
      const double ty = -v.dot(n0), tx = v.dot(along);
      double cb = cos_bank, sb = sin_bank;
      if (!(hold_test && tx > 0.0 && std::abs(ty) < tan_hold * tx)) {
        const double fade = std::clamp((cap - std::abs(std::atan2(ty, tx))) / taper, 0.0, 1.0);
        if (fade == 0.0) {  // past the cap (most of an extreme ray): wings level, as cos/sin of 0
          cb = 1.0;
          sb = 0.0;
        } else if (fade < 1.0) {
          cb = std::cos(bank_rad * fade);
          sb = std::sin(bank_rad * fade);
        }
      }
      a += a_l * flight::LiftDirectionFromUnits(up, u_v, cb, sb) - a_d * u_v;
    }
    Vec6 dx;
    dx << v, a;
    return dx;
  };
  Vec6 x0;
  x0 << r0, v0;
  flight::Rk4Options opt;
  opt.step_s = o.step_s;
  opt.event_time_tol_s = 1e-3;
  const double v_term = o.terminal_speed_mps, h_term = o.terminal_altitude_m;
  std::array<flight::Event<kN>, 1> events;
  events[0].g = [v_term, h_term](double, const Vec6& x) {
    return std::min(x.tail<3>().norm() - v_term, EllipsoidHeight_m(x.head<3>()) - h_term);
  };
  events[0].direction = flight::EventDirection::kFalling;
  events[0].terminal = true;
  const double t_end = t0_s + o.max_time_s;
  const std::span<const flight::Event<kN>> ev(events);
  GlideRay out;
  flight::IntegrationResult<kN> res;
  if (sample_s > 0.0) {
    auto sampler = flight::SampleEvery(t0_s, sample_s, [&out](double t, const Vec6& x) {
      out.samples.push_back({t, x.head<3>(), x.tail<3>()});
    });
    res = flight::IntegrateRk4<kN>(f, t0_s, x0, t_end, opt, ev, {}, sampler);
  } else {
    res = flight::IntegrateRk4<kN>(f, t0_s, x0, t_end, opt, ev);
  }
  out.end = {res.t_s, res.x.head<3>(), res.x.tail<3>()};
  out.ended = res.status == flight::IntegrationStatus::kTerminalEvent;
  // The sampler keeps a sample that lands on the end within round-off: drop it (the end is
  // reported on its own).
  while (!out.samples.empty() && out.samples.back().t_s >= res.t_s - 1e-9) out.samples.pop_back();
  return out;
}

// Bank angles, -max ... +max, with 0 always present.
std::vector<double> Banks(const FootprintOptions& options) {
  std::vector<double> banks;
  const int n = options.num_rays;
  if (n == 1) return {0.0};
  for (int i = 0; i < n; ++i) banks.push_back(options.max_bank_rad * (-1.0 + 2.0 * i / (n - 1)));
  if (n % 2 == 0) {
    banks.push_back(0.0);
    std::sort(banks.begin(), banks.end());
  } else {
    banks[n / 2] = 0.0;  // exactly zero, not round-off
  }
  return banks;
}

// The rays of every bank from (r0, v0) in ECEF (gliding), the extreme ones' tracks sampled every
// options.track_sample_s (only they enter the polygon).
// `fly`, when given, selects the banks flown (the others' rays are left empty).
std::vector<GlideRay> FlyFan(const Vec3& r0, const Vec3& v0, const std::vector<double>& banks,
                             const FootprintOptions& options,
                             const std::vector<char>* fly = nullptr) {
  const std::size_t nb = banks.size();
  std::vector<GlideRay> rays;
  rays.reserve(nb);
  for (std::size_t i = 0; i < nb; ++i) {
    if (fly != nullptr && !(*fly)[i]) {
      rays.emplace_back();
      continue;
    }
    const bool extreme = (i == 0 || i + 1 == nb) && nb > 1;
    rays.push_back(FlyRay(r0, v0, 0.0, banks[i], options, extreme ? options.track_sample_s : 0.0));
  }
  return rays;
}

// Fills fp (whose origin_lat_lon_rad is set) from the rays' end points (one per bank) and the
// extreme rays' ground tracks without their first point (left: bank -max, right: bank +max; in
// flight order): the ends, the ranges (max_range_m, min_range_m; left 0 unless `ranges`) and
// the swept ring or its star-shaped fallback (see header).
void AssemblePolygon(const std::vector<double>& banks, const std::vector<LatLon>& left,
                     const std::vector<LatLon>& ends, const std::vector<LatLon>& right, bool ranges,
                     Footprint* fp) {
  const LatLon origin = fp->origin_lat_lon_rad;
  const std::size_t nb = banks.size();
  fp->ray_bank_rad = banks;
  fp->max_range_m = 0.0;
  fp->min_range_m = ranges ? std::numeric_limits<double>::infinity() : 0.0;
  for (std::size_t i = 0; i < nb; ++i) {
    const LatLon& e = ends[i];
    if (ranges) {
      const double d = earth::GeodesicDistance_m(origin.first, origin.second, e.first, e.second);
      fp->max_range_m = std::max(fp->max_range_m, d);
      fp->min_range_m = std::min(fp->min_range_m, d);
    }
    if (banks[i] == 0.0) fp->straight_end_lat_lon_rad = e;
  }
  fp->ray_end_lat_lon_rad = ends;
  if (nb == 1) {  // a single ray: the segment from the ground point to its end
    fp->polygon_lat_lon_rad = {origin, ends[0]};
    return;
  }
  // Swept ring: origin, left-most track, fan ends, right-most track reversed.
  std::vector<LatLon> ring{origin};
  ring.insert(ring.end(), left.begin(), left.end());
  ring.insert(ring.end(), ends.begin(), ends.end());
  ring.insert(ring.end(), right.rbegin(), right.rend());
  std::vector<Xy> xy;
  xy.reserve(ring.size());
  for (const LatLon& p : ring) xy.push_back(Project(origin, p));
  if (!RingSelfIntersects(xy)) {
    fp->polygon_lat_lon_rad = std::move(ring);
    return;
  }
  // Star-shaped fallback: end points sorted by bearing relative to the straight ray's, cut
  // behind the vehicle.
  fp->star_fallback = true;
  const Xy s = Project(origin, fp->straight_end_lat_lon_rad);
  const double b0 = std::atan2(s.first, s.second);
  std::vector<std::pair<double, LatLon>> keyed;
  for (const LatLon& e : ends) {
    const Xy p = Project(origin, e);
    keyed.push_back({std::remainder(std::atan2(p.first, p.second) - b0, core::kTwoPi), e});
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  fp->polygon_lat_lon_rad = {origin};
  for (const auto& kv : keyed) fp->polygon_lat_lon_rad.push_back(kv.second);
}

// The footprint of a flown fan (fp's origin set): ground tracks and ends to lat/lon, then
// AssemblePolygon with the ranges.
void AssembleFromFan(const std::vector<double>& banks, const std::vector<GlideRay>& rays,
                     Footprint* fp) {
  std::vector<LatLon> left, right;
  if (banks.size() > 1) {
    for (std::size_t j = 1; j < rays.front().samples.size(); ++j)
      left.push_back(LatLonOf(rays.front().samples[j].r_Ecef));
    for (std::size_t j = 1; j < rays.back().samples.size(); ++j)
      right.push_back(LatLonOf(rays.back().samples[j].r_Ecef));
  }
  std::vector<LatLon> ends;
  for (const GlideRay& ray : rays) ends.push_back(LatLonOf(ray.end.r_Ecef));
  AssemblePolygon(banks, left, ends, right, /*ranges=*/true, fp);
}

}  // namespace

void FootprintOptions::Validate() const {
  Require(lift_to_drag > 0.0,
          "lift_to_drag must be > 0 (got " + std::to_string(lift_to_drag) + ")");
  Require(beta_kgpm2 > 0.0, "beta_kgpm2 must be > 0 (got " + std::to_string(beta_kgpm2) + ")");
  Require(max_bank_rad >= 0.0 && max_bank_rad < 0.5 * core::kPi,
          "max_bank_rad must be in [0, pi/2) (got " + std::to_string(max_bank_rad) + ")");
  Require(max_heading_change_rad > 0.0 && max_heading_change_rad <= core::kPi,
          "max_heading_change_rad must be in (0, pi] (got " +
              std::to_string(max_heading_change_rad) + ")");
  Require(num_rays >= 1 && num_rays <= 361,
          "num_rays must be in [1, 361] (got " + std::to_string(num_rays) + ")");
  Require(terminal_speed_mps >= 0.0,
          "terminal_speed_mps must be >= 0 (got " + std::to_string(terminal_speed_mps) + ")");
  Require(terminal_altitude_m >= 0.0,
          "terminal_altitude_m must be >= 0 (got " + std::to_string(terminal_altitude_m) + ")");
  Require(max_time_s > 0.0, "max_time_s must be > 0 (got " + std::to_string(max_time_s) + ")");
  Require(step_s > 0.0 && step_s <= 30.0,
          "step_s must be in (0, 30] (got " + std::to_string(step_s) + ")");
  Require(phugoid_damping_per_s >= 0.0,
          "phugoid_damping_per_s must be >= 0 (got " + std::to_string(phugoid_damping_per_s) + ")");
  Require(lift_limit >= 1.0, "lift_limit must be >= 1 (got " + std::to_string(lift_limit) + ")");
  Require(track_sample_s > 0.0,
          "track_sample_s must be > 0 (got " + std::to_string(track_sample_s) + ")");
  Require(sensitivity_ray_stride >= 1, "sensitivity_ray_stride must be >= 1 (got " +
                                           std::to_string(sensitivity_ray_stride) + ")");
}

GlideRay FlyGlideRay(const Vec3& r_Ecef, const Vec3& v_Ecef, double t_s, double bank_rad,
                     const FootprintOptions& options, double sample_s) {
  options.Validate();
  if (!(sample_s >= 0.0 && std::isfinite(sample_s))) {
    throw std::invalid_argument("FlyGlideRay: sample_s must be finite and >= 0 (got " +
                                std::to_string(sample_s) + ")");
  }
  if (!Gliding(r_Ecef, v_Ecef, options)) {
    GlideRay out;
    out.end = {t_s, r_Ecef, v_Ecef};
    out.ended = true;
    return out;
  }
  return FlyRay(r_Ecef, v_Ecef, t_s, bank_rad, options, sample_s);
}

Footprint ReachableFootprintOf(const Vec3& r_Eci, const Vec3& v_Eci,
                               const tracking::TrackingFrame& frame, double t_s,
                               const FootprintOptions& options) {
  options.Validate();
  const Vec3 r0 = frame.PositionEcef(r_Eci, t_s);
  const Vec3 v0 = frame.VelocityEcef(r_Eci, v_Eci, t_s);
  Footprint fp;
  fp.origin_lat_lon_rad = LatLonOf(r0);
  const LatLon origin = fp.origin_lat_lon_rad;
  if (!Gliding(r0, v0, options)) {
    fp.polygon_lat_lon_rad = {origin};
    fp.ray_end_lat_lon_rad = {origin};
    fp.ray_bank_rad = {0.0};
    fp.straight_end_lat_lon_rad = origin;
    return fp;
  }

  const std::vector<double> banks = Banks(options);
  AssembleFromFan(banks, FlyFan(r0, v0, banks, options), &fp);
  return fp;
}

Footprint ReachableFootprint(const tracking::Gaussian& rv_Eci, const tracking::TrackingFrame& frame,
                             double t_s, const FootprintOptions& options) {
  if (rv_Eci.x.size() < kN) throw std::invalid_argument("ReachableFootprint: needs (r, v)");
  return ReachableFootprintOf(rv_Eci.x.head<3>(), rv_Eci.x.segment<3>(3), frame, t_s, options);
}

bool RingSelfIntersects(const std::vector<std::pair<double, double>>& ring) {
  const std::size_t n = ring.size();
  if (n < 4) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const Xy& a1 = ring[i];
    const Xy& a2 = ring[(i + 1) % n];
    for (std::size_t j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;  // adjacent through the closing edge
      if (SegmentsIntersect(a1, a2, ring[j], ring[(j + 1) % n])) return true;
    }
  }
  return false;
}

bool FootprintReaches(const Footprint& fp, double asset_lat_rad, double asset_lon_rad,
                      double asset_radius_m) {
  const LatLon o = fp.origin_lat_lon_rad;
  const Xy p = Project(o, {asset_lat_rad, asset_lon_rad});
  std::vector<Xy> xy;
  xy.reserve(fp.polygon_lat_lon_rad.size());
  for (const LatLon& q : fp.polygon_lat_lon_rad) xy.push_back(Project(o, q));
  if (xy.empty()) return false;
  if (xy.size() >= 3 && PointInRing(p, xy)) return true;
  // Distance to the boundary: the closed ring's edges (a point or a segment if degenerate).
  double dmin = std::hypot(p.first - xy[0].first, p.second - xy[0].second);
  const std::size_t edges = xy.size() >= 3 ? xy.size() : xy.size() - 1;
  for (std::size_t i = 0; i < edges; ++i) {
    dmin = std::min(dmin, PointSegmentDistance(p, xy[i], xy[(i + 1) % xy.size()]));
  }
  return dmin < asset_radius_m;
}

double AssetThreatProbability(const tracking::Gaussian& rv_Eci,
                              const tracking::TrackingFrame& frame, double t_s,
                              const FootprintOptions& options, double asset_lat_rad,
                              double asset_lon_rad, double asset_radius_m, int samples,
                              std::uint64_t seed) {
  if (samples <= 0) throw std::invalid_argument("AssetThreatProbability: samples must be > 0");
  if (rv_Eci.x.size() < kN || rv_Eci.P.rows() < kN) {
    throw std::invalid_argument("AssetThreatProbability: needs (r, v) and its covariance");
  }
  options.Validate();
  const Vec6 mean = rv_Eci.x.head<kN>();
  const Eigen::Matrix<double, kN, kN> S = CholeskyPsd(rv_Eci.P.topLeftCorner<kN, kN>());
  const std::array<std::uint64_t, 2> key{std::bit_cast<std::uint64_t>(asset_lat_rad),
                                         std::bit_cast<std::uint64_t>(asset_lon_rad)};
  const std::uint64_t entity =
      core::HashName(std::string_view(reinterpret_cast<const char*>(key.data()), sizeof(key)));
  core::RandomStream rng(seed, 0, entity, core::HashName("assessment.footprint"));
  int hits = 0;
  for (int s = 0; s < samples; ++s) {
    Vec6 z;
    for (int i = 0; i < kN; ++i) z(i) = rng.Normal();
    const Vec6 x = mean + S * z;
    const Footprint fp = ReachableFootprintOf(x.head<3>(), x.tail<3>(), frame, t_s, options);
    if (FootprintReaches(fp, asset_lat_rad, asset_lon_rad, asset_radius_m)) ++hits;
  }
  return static_cast<double>(hits) / samples;
}

std::vector<double> AssetThreatProbabilities(const tracking::Gaussian& rv_Eci,
                                             const tracking::TrackingFrame& frame, double t_s,
                                             const FootprintOptions& options,
                                             const std::vector<AssetCircle>& assets, int samples,
                                             std::uint64_t seed) {
  if (samples <= 0) throw std::invalid_argument("AssetThreatProbabilities: samples must be > 0");
  if (rv_Eci.x.size() < kN || rv_Eci.P.rows() < kN) {
    throw std::invalid_argument("AssetThreatProbabilities: needs (r, v) and its covariance");
  }
  options.Validate();
  std::vector<double> out(assets.size(), 0.0);
  if (assets.empty()) return out;
  const Vec6 mean = rv_Eci.x.head<kN>();
  const Eigen::Matrix<double, kN, kN> S = CholeskyPsd(rv_Eci.P.topLeftCorner<kN, kN>());
  core::RandomStream rng(seed, 0, core::HashName("assets"), core::HashName("assessment.footprint"));
  for (int s = 0; s < samples; ++s) {
    Vec6 z;
    for (int i = 0; i < kN; ++i) z(i) = rng.Normal();
    const Vec6 x = mean + S * z;
    const Footprint fp = ReachableFootprintOf(x.head<3>(), x.tail<3>(), frame, t_s, options);
    for (size_t a = 0; a < assets.size(); ++a)
      if (FootprintReaches(fp, assets[a].lat_rad, assets[a].lon_rad, assets[a].radius_m))
        out[a] += 1.0 / samples;
  }
  return out;
}

std::vector<double> AssetThreatProbabilitiesLinearised(const tracking::Gaussian& rv_Eci,
                                                       const tracking::TrackingFrame& frame,
                                                       double t_s, const FootprintOptions& options,
                                                       const std::vector<AssetCircle>& assets,
                                                       int samples, std::uint64_t seed,
                                                       Footprint* mean_footprint) {
  if (samples <= 0) {
    throw std::invalid_argument("AssetThreatProbabilitiesLinearised: samples must be > 0");
  }
  if (rv_Eci.x.size() < kN || rv_Eci.P.rows() < kN) {
    throw std::invalid_argument(
        "AssetThreatProbabilitiesLinearised: needs (r, v) and its covariance");
  }
  options.Validate();
  std::vector<double> out(assets.size(), 0.0);
  const Vec6 mean = rv_Eci.x.head<kN>();
  // The exact fallback (see header), with the mean footprint if asked for.
  auto exact = [&] {
    if (mean_footprint) {
      *mean_footprint = ReachableFootprintOf(mean.head<3>(), mean.tail<3>(), frame, t_s, options);
    }
    return assets.empty()
               ? out
               : AssetThreatProbabilities(rv_Eci, frame, t_s, options, assets, samples, seed);
  };
  if (assets.empty()) return exact();
  const Eigen::Matrix<double, kN, kN> S = CholeskyPsd(rv_Eci.P.topLeftCorner<kN, kN>());
  auto ecef = [&](const Vec6& x) {
    return std::make_pair(frame.PositionEcef(x.head<3>(), t_s),
                          frame.VelocityEcef(x.head<3>(), x.tail<3>(), t_s));
  };
  const std::vector<double> banks = Banks(options);
  const std::size_t nb = banks.size();
  // The vertices (ECEF) in ring order: ground point, left track, fan ends, right track; a
  // perturbed fan is read at the mean fan's sample indices (its end where it stopped sooner).
  std::size_t n_left = 0, n_right = 0;
  bool structure_set = false;
  // The banks a one-sigma fan flies: every stride-th and the last (the extreme rays' tracks are
  // vertices); the mean fan flies all.
  std::vector<char> sensitivity_banks(nb, 0);
  for (std::size_t i = 0; i < nb; i += static_cast<std::size_t>(options.sensitivity_ray_stride))
    sensitivity_banks[i] = 1;
  sensitivity_banks[nb - 1] = 1;
  auto vertices = [&](const Vec6& x, bool* gliding, const std::vector<char>* fly) {
    const auto [r0, v0] = ecef(x);
    std::vector<Vec3> v{r0};
    *gliding = Gliding(r0, v0, options);
    if (!*gliding) return v;
    const std::vector<GlideRay> rays = FlyFan(r0, v0, banks, options, fly);
    if (!structure_set) {  // the mean fan (flown first) sets the structure
      structure_set = true;
      if (mean_footprint) {
        *mean_footprint = Footprint{};
        mean_footprint->origin_lat_lon_rad = LatLonOf(r0);
        AssembleFromFan(banks, rays, mean_footprint);
      }
      if (nb > 1) {
        n_left = rays.front().samples.size() > 1 ? rays.front().samples.size() - 1 : 0;
        n_right = rays.back().samples.size() > 1 ? rays.back().samples.size() - 1 : 0;
      }
    }
    auto track = [&](const GlideRay& ray, std::size_t j) {
      return j < ray.samples.size() ? ray.samples[j].r_Ecef : ray.end.r_Ecef;
    };
    for (std::size_t j = 1; j <= n_left; ++j) v.push_back(track(rays.front(), j));
    for (const GlideRay& ray : rays) v.push_back(ray.end.r_Ecef);
    for (std::size_t j = 1; j <= n_right; ++j) v.push_back(track(rays.back(), j));
    return v;
  };
  bool gliding = false;
  const std::vector<Vec3> v0 = vertices(mean, &gliding, nullptr);
  if (!gliding) return exact();
  const std::size_t nv = v0.size();
  // Secant slopes: each Cholesky column is a one-sigma step. Fan end j is vertex 1 + n_left + j;
  // the ends of banks not flown take the slope interpolated linearly in bank between the flown
  // neighbours.
  std::vector<std::vector<Vec3>> dv(kN, std::vector<Vec3>(nv, Vec3::Zero()));
  for (int i = 0; i < kN; ++i) {
    if (S.col(i).isZero(0.0)) continue;
    const std::vector<Vec3> vi = vertices(mean + S.col(i), &gliding, &sensitivity_banks);
    if (!gliding) return exact();  // a sigma step below the terminal conditions: not linear
    for (std::size_t k = 0; k < nv; ++k) dv[i][k] = vi[k] - v0[k];
    std::size_t lo = 0;
    for (std::size_t j = 1; j < nb; ++j) {
      if (!sensitivity_banks[j]) continue;
      for (std::size_t m = lo + 1; m < j; ++m) {
        const double w = (banks[m] - banks[lo]) / (banks[j] - banks[lo]);
        dv[i][1 + n_left + m] = (1.0 - w) * dv[i][1 + n_left + lo] + w * dv[i][1 + n_left + j];
      }
      lo = j;
    }
  }
  core::RandomStream rng(seed, 0, core::HashName("assets"), core::HashName("assessment.footprint"));
  std::vector<LatLon> left(n_left), ends(nb), right(n_right);
  for (int s = 0; s < samples; ++s) {
    Vec6 z;
    for (int i = 0; i < kN; ++i) z(i) = rng.Normal();
    auto latlon = [&](std::size_t k) {
      Vec3 p = v0[k];
      for (int i = 0; i < kN; ++i) p += z(i) * dv[i][k];
      return LatLonOf(p);
    };
    Footprint fp;
    fp.origin_lat_lon_rad = latlon(0);
    for (std::size_t j = 0; j < n_left; ++j) left[j] = latlon(1 + j);
    for (std::size_t j = 0; j < nb; ++j) ends[j] = latlon(1 + n_left + j);
    for (std::size_t j = 0; j < n_right; ++j) right[j] = latlon(1 + n_left + nb + j);
    AssemblePolygon(banks, left, ends, right, /*ranges=*/false, &fp);
    for (std::size_t a = 0; a < assets.size(); ++a)
      if (FootprintReaches(fp, assets[a].lat_rad, assets[a].lon_rad, assets[a].radius_m))
        out[a] += 1.0 / samples;
  }
  return out;
}

double AssetThreatProbabilityBallistic(const ImpactPrediction& impact, double asset_lat_rad,
                                       double asset_lon_rad, double asset_radius_m) {
  if (!impact.ok) return 0.0;
  double az = 0.0;
  const double d =
      earth::GeodesicDistance_m(impact.lat_rad, impact.lon_rad, asset_lat_rad, asset_lon_rad, &az);
  const Eigen::Vector2d center(d * std::sin(az), d * std::cos(az));
  return GaussianMassInCircle(Eigen::Vector2d::Zero(), impact.covariance_EN_m2, center,
                              asset_radius_m);
}

}  // namespace hyperdef::assessment

#include "engagement/fire_control.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/error.h"
#include "earth/atmosphere.h"

namespace hyperdef::engagement {

namespace {

constexpr int kN = 6;
constexpr double kInf = std::numeric_limits<double>::infinity();

void Require(bool ok, const std::string& who, const std::string& what, double got) {
  if (!ok) throw std::invalid_argument(who + ": " + what + " (got " + std::to_string(got) + ")");
}

// Appends the ballistic path that assessment::FlyBallisticPath flies (the impact-point model)
// from (r, v) in ECI at t_s to `path`, in ECEF, its end (the impact, or where the flight stopped)
// as the last sample. Returns whether it landed; appends nothing if the start is at or below the
// ground.
bool AppendBallisticPath(const Vec3& r_Eci, const Vec3& v_Eci, double t_s,
                         const assessment::ImpactOptions& options, double sample_s,
                         const tracking::TrackingFrame& frame, std::vector<ThreatSample>* path) {
  const assessment::BallisticPath flown =
      assessment::FlyBallisticPath(r_Eci, v_Eci, t_s, options, sample_s);
  if (!flown.flown) return false;
  auto append = [&](const assessment::BallisticSample& s) {
    ThreatSample out;
    out.t_s = s.t_s;
    out.r_Ecef = frame.PositionEcef(s.r_Eci, s.t_s);
    out.v_Ecef = frame.VelocityEcef(s.r_Eci, s.v_Eci, s.t_s);
    path->push_back(out);
  };
  path->reserve(path->size() + flown.samples.size() + 1);
  for (const assessment::BallisticSample& s : flown.samples) append(s);
  append(flown.end);
  return flown.landed;
}

ThreatSample FromGlide(const assessment::GlideSample& s) {
  ThreatSample out;
  out.t_s = s.t_s;
  out.r_Ecef = s.r_Ecef;
  out.v_Ecef = s.v_Ecef;
  return out;
}

void CheckState(const tracking::Gaussian& rv, const char* who) {
  if (rv.x.size() < kN || rv.P.rows() < kN || rv.P.cols() < kN) {
    throw std::invalid_argument(std::string(who) + ": the state needs at least (r, v)");
  }
}

// Horizontal unit vector across the velocity (to the left), at position r with velocity v.
Vec3 CrossTrackUnit(const Vec3& r_Ecef, const Vec3& v_Ecef) {
  const Vec3 n = r_Ecef.normalized().cross(v_Ecef);
  const double norm = n.norm();
  return norm > 0.0 ? Vec3(n / norm) : Vec3::Zero();
}

}  // namespace

void Battery::Validate() const {
  const std::string who = "Battery '" + id + "'";
  Require(inventory >= 0, who, "inventory must be >= 0", inventory);
  Require(reaction_time_s >= 0.0 && std::isfinite(reaction_time_s), who,
          "reaction_time_s must be finite and >= 0", reaction_time_s);
  Require(salvo_size >= 1, who, "salvo_size must be >= 1", salvo_size);
  Require(launch_interval_s > 0.0 && std::isfinite(launch_interval_s), who,
          "launch_interval_s must be finite and > 0", launch_interval_s);
}

void FireControlOptions::Validate() const {
  const std::string who = "FireControlOptions";
  Require(min_pk >= 0.0 && min_pk <= 1.0, who, "min_pk must be in [0, 1]", min_pk);
  Require(refine_tol_s > 0.0, who, "refine_tol_s must be > 0", refine_tol_s);
  Require(covariance_horizon_s >= 0.0, who, "covariance_horizon_s must be >= 0",
          covariance_horizon_s);
  Require(glider_manoeuvre_horizon_s >= 0.0 && std::isfinite(glider_manoeuvre_horizon_s), who,
          "glider_manoeuvre_horizon_s must be finite and >= 0", glider_manoeuvre_horizon_s);
}

void WtaBuildOptions::Validate() const {
  Require(look_delay_s >= 0.0 && std::isfinite(look_delay_s), "WtaBuildOptions",
          "look_delay_s must be finite and >= 0", look_delay_s);
}

ThreatSample ThreatPrediction::StateAt(double t_s) const {
  HYPERDEF_ASSERT(!path.empty());
  if (t_s <= path.front().t_s) return path.front();
  if (t_s >= path.back().t_s) return path.back();
  const auto it = std::upper_bound(path.begin(), path.end(), t_s,
                                   [](double t, const ThreatSample& s) { return t < s.t_s; });
  const ThreatSample& a = *(it - 1);
  const ThreatSample& b = *it;
  const double h = b.t_s - a.t_s;
  const double s = (t_s - a.t_s) / h;
  const double s2 = s * s, s3 = s2 * s;
  // Cubic Hermite basis (value and derivative).
  const double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2,
               h11 = s3 - s2;
  const double d00 = 6 * s2 - 6 * s, d10 = 3 * s2 - 4 * s + 1, d01 = -6 * s2 + 6 * s,
               d11 = 3 * s2 - 2 * s;
  ThreatSample out;
  out.t_s = t_s;
  out.r_Ecef = h00 * a.r_Ecef + h10 * h * a.v_Ecef + h01 * b.r_Ecef + h11 * h * b.v_Ecef;
  out.v_Ecef = (d00 * a.r_Ecef + d01 * b.r_Ecef) / h + d10 * a.v_Ecef + d11 * b.v_Ecef;
  out.manoeuvre_halfwidth_m = (1.0 - s) * a.manoeuvre_halfwidth_m + s * b.manoeuvre_halfwidth_m;
  return out;
}

Mat3 ThreatPrediction::PositionCovarianceEcef(double t_s, double max_horizon_s) const {
  const double tau = std::clamp(t_s - track_time_s, 0.0, std::max(max_horizon_s, 0.0));
  const Mat3 Prr = rv_covariance_Eci.topLeftCorner<3, 3>();
  const Mat3 Prv = rv_covariance_Eci.topRightCorner<3, 3>();
  const Mat3 Pvv = rv_covariance_Eci.bottomRightCorner<3, 3>();
  Mat3 P = Prr + tau * (Prv + Prv.transpose()) + tau * tau * Pvv;
  // ECEF = R' ECI with R = R_EciFromEcef(era).
  const Mat3 R = core::R_EciFromEcef(frame.EraAt(t_s));
  P = R.transpose() * P * R;
  return 0.5 * (P + P.transpose());
}

ThreatPrediction PredictBallisticPath(const tracking::Gaussian& rv_Eci,
                                      const tracking::TrackingFrame& frame, double t_s,
                                      const assessment::ImpactOptions& model, double sample_s) {
  model.Validate();
  CheckState(rv_Eci, "PredictBallisticPath");
  Require(sample_s > 0.0 && std::isfinite(sample_s), "PredictBallisticPath",
          "sample_s must be finite and > 0", sample_s);
  ThreatPrediction out;
  out.frame = frame;
  out.track_time_s = t_s;
  out.rv_covariance_Eci = rv_Eci.P.topLeftCorner<kN, kN>();
  const Vec3 r = rv_Eci.x.head<3>(), v = rv_Eci.x.segment<3>(3);
  if (!(assessment::EllipsoidHeight_m(r) > 0.0)) {
    out.path.push_back({t_s, frame.PositionEcef(r, t_s), frame.VelocityEcef(r, v, t_s), 0.0});
    out.reaches_ground = true;
    return out;
  }
  out.reaches_ground = AppendBallisticPath(r, v, t_s, model, sample_s, frame, &out.path);
  return out;
}

ThreatPrediction PredictGliderPath(const tracking::Gaussian& rv_Eci,
                                   const tracking::TrackingFrame& frame, double t_s,
                                   const assessment::FootprintOptions& model, double sample_s) {
  model.Validate();
  CheckState(rv_Eci, "PredictGliderPath");
  Require(sample_s > 0.0 && std::isfinite(sample_s), "PredictGliderPath",
          "sample_s must be finite and > 0", sample_s);
  ThreatPrediction out;
  out.frame = frame;
  out.track_time_s = t_s;
  out.manoeuvring = true;
  out.rv_covariance_Eci = rv_Eci.P.topLeftCorner<kN, kN>();
  const Vec3 r_Eci = rv_Eci.x.head<3>(), v_Eci = rv_Eci.x.segment<3>(3);
  const Vec3 r0 = frame.PositionEcef(r_Eci, t_s);
  const Vec3 v0 = frame.VelocityEcef(r_Eci, v_Eci, t_s);

  // Dive: a ballistic fall with the glider's beta and the footprint's gravity.
  assessment::ImpactOptions dive;
  dive.gravity = model.gravity;
  dive.ballistic_coefficient_kgpm2 = model.beta_kgpm2;
  dive.max_time_s = model.max_time_s;
  dive.rel_tol = 1e-9;

  const bool gliding = v0.norm() > model.terminal_speed_mps &&
                       assessment::EllipsoidHeight_m(r0) > model.terminal_altitude_m;
  if (!gliding) {
    out.reaches_ground = AppendBallisticPath(r_Eci, v_Eci, t_s, dive, sample_s, frame, &out.path);
    return out;
  }
  const assessment::GlideRay straight = assessment::FlyGlideRay(r0, v0, t_s, 0.0, model, sample_s);
  out.path.reserve(straight.samples.size() + 1);
  for (const assessment::GlideSample& s : straight.samples) out.path.push_back(FromGlide(s));
  // Fan half-width from the extreme rays on the same time grid.
  if (model.max_bank_rad > 0.0) {
    const assessment::GlideRay left =
        assessment::FlyGlideRay(r0, v0, t_s, -model.max_bank_rad, model, sample_s);
    const assessment::GlideRay right =
        assessment::FlyGlideRay(r0, v0, t_s, model.max_bank_rad, model, sample_s);
    double w = 0.0;
    for (std::size_t k = 0; k < out.path.size(); ++k) {
      if (k < left.samples.size() && k < right.samples.size()) {
        w = 0.5 * (left.samples[k].r_Ecef - right.samples[k].r_Ecef).norm();
      }
      out.path[k].manoeuvre_halfwidth_m = w;
    }
  }
  const double w_end = out.path.empty() ? 0.0 : out.path.back().manoeuvre_halfwidth_m;
  if (!straight.ended) {  // still gliding at max_time_s: the path stops there
    ThreatSample s = FromGlide(straight.end);
    s.manoeuvre_halfwidth_m = w_end;
    out.path.push_back(s);
    return out;
  }
  const double t1 = straight.end.t_s;
  const Vec3 r1 = frame.PositionEci(straight.end.r_Ecef, t1);
  const Vec3 v1 = frame.VelocityEci(straight.end.r_Ecef, straight.end.v_Ecef, t1);
  const std::size_t n_glide = out.path.size();
  out.reaches_ground = AppendBallisticPath(r1, v1, t1, dive, sample_s, frame, &out.path);
  for (std::size_t k = n_glide; k < out.path.size(); ++k) {
    out.path[k].manoeuvre_halfwidth_m = w_end;
  }
  return out;
}

double EndGameCoverRadius_m(const InterceptorSpec& spec, double closing_speed_mps,
                            double interceptor_speed_mps, double altitude_m,
                            bool limit_cover_by_divert) {
  const SeekerSpec& sk = spec.seeker;
  const double basket = sk.acquisition_range_m * std::tan(sk.field_of_view_half_angle_rad);
  if (!limit_cover_by_divert || !(closing_speed_mps > 0.0)) return basket;
  const double t_go = sk.acquisition_range_m / closing_speed_mps;
  double reach = -1.0;  // < 0: no lateral-acceleration model configured
  const double m_kv = spec.kill_vehicle_mass_kg;
  if (spec.divert_propellant_kg > 0.0 && spec.divert.thrust_N > 0.0 && spec.divert.isp_s > 0.0 &&
      m_kv > 0.0) {
    const double a = spec.divert.thrust_N / m_kv;
    const double dv = spec.divert_propellant_kg < m_kv
                          ? spec.divert.isp_s * core::kG0_mps2 *
                                std::log(m_kv / (m_kv - spec.divert_propellant_kg))
                          : kInf;
    const double r = dv >= a * t_go ? 0.5 * a * t_go * t_go : dv * t_go - dv * dv / (2.0 * a);
    reach = std::max(reach, r);
  }
  const AeroAccelLimit& al = spec.aero_limit;
  if (al.structural_limit_mps2 > 0.0 && al.reference_area_m2 > 0.0 && al.cl_max > 0.0) {
    double mass = m_kv;
    if (!spec.kill_vehicle_separates && !spec.stages.empty()) {
      mass += spec.stages.back().DryMass_kg();
    }
    if (mass > 0.0) {
      const double rho = earth::Us76(std::max(altitude_m, 0.0)).density_kgpm3;
      const double q = 0.5 * rho * interceptor_speed_mps * interceptor_speed_mps;
      const double a = MaxLateralAccel(al, q, mass);
      reach = std::max(reach, 0.5 * a * t_go * t_go);
    }
  }
  return reach < 0.0 ? basket : std::min(basket, reach);
}

double PredictedPk(const InterceptorSpec& spec, const Vec3& p_Ecef, const Vec3& v_threat_Ecef,
                   const Vec3& v_int_Ecef, const Mat3& P_pos_Ecef, bool limit_cover_by_divert) {
  Vec3 v_rel = v_threat_Ecef - v_int_Ecef;
  const double vc = v_rel.norm();
  Vec3 u = vc > 0.0 ? Vec3(v_rel / vc) : v_int_Ecef.normalized();
  if (!(u.norm() > 0.5)) u = Vec3::UnitZ();
  // Orthonormal basis across the closing direction.
  const Vec3 helper = std::abs(u.x()) < 0.9 ? Vec3::UnitX() : Vec3::UnitY();
  const Vec3 e1 = u.cross(helper).normalized();
  const Vec3 e2 = u.cross(e1);
  Eigen::Matrix<double, 3, 2> E;
  E << e1, e2;
  const Eigen::Matrix2d cov = E.transpose() * P_pos_Ecef * E;
  const double h = assessment::EllipsoidHeight_m(p_Ecef);
  const double radius = EndGameCoverRadius_m(spec, vc, v_int_Ecef.norm(), h, limit_cover_by_divert);
  const Eigen::Vector2d zero = Eigen::Vector2d::Zero();
  const double p_in = assessment::GaussianMassInCircle(zero, cov, zero, radius);
  return std::clamp(spec.single_shot_pk * p_in, 0.0, 1.0);
}

EngagementWindow ComputeWindow(const Battery& battery, const ThreatPrediction& threat, double now_s,
                               const FireControlOptions& options) {
  battery.Validate();
  options.Validate();
  if (battery.flyout == nullptr) {
    throw std::invalid_argument("Battery '" + battery.id + "': no fly-out table");
  }
  EngagementWindow out;
  if (threat.path.empty()) return out;
  const InterceptorSpec& spec = battery.interceptor;
  const FlyoutTable& table = *battery.flyout;
  const earth::Geodetic& site = battery.site;
  const Vec3 site_Ecef = earth::EcefFromGeodetic(site);
  const double first_launch_s = now_s + battery.reaction_time_s;
  const double t_last = threat.path.back().t_s;

  struct Point {
    bool valid = false;
    double t = 0.0, t_launch = 0.0, h = 0.0, d = 0.0;
    ThreatSample s;
  };

  // Inside the altitude band, the ground range and the table; returns the time of flight.
  // Cheap rejections before GeographicLib: the height along the geocentric radius is within
  // ~100 m of the geodetic one at any height (margin 1 km), and a point within ground range D of
  // the site is within ~D (1 + h / R) + |h - h_site| of it in straight line (margin 1 % + 1 km).
  const double h_margin = 1e3;
  const double max_dist =
      1.01 * spec.max_ground_range_m + spec.max_intercept_altitude_m + std::abs(site.h_m) + 1e3;
  auto reachable = [&](const Vec3& p, double* h_out, double* d_out) -> std::optional<double> {
    const double h_fast = assessment::EllipsoidHeight_m(p);
    if (h_fast < spec.min_intercept_altitude_m - h_margin ||
        h_fast > spec.max_intercept_altitude_m + h_margin || (p - site_Ecef).norm() > max_dist) {
      return std::nullopt;
    }
    const earth::Geodetic g = earth::GeodeticFromEcef(p);
    if (!(g.h_m > 0.0) || g.h_m < spec.min_intercept_altitude_m ||
        g.h_m > spec.max_intercept_altitude_m) {
      return std::nullopt;
    }
    const double d = earth::GeodesicDistance_m(site.lat_rad, site.lon_rad, g.lat_rad, g.lon_rad);
    if (d > spec.max_ground_range_m) return std::nullopt;
    const std::optional<double> tof = table.TimeOfFlight_s(d, g.h_m);
    if (!tof || !(*tof <= spec.max_flight_time_s) || !(*tof >= 0.0)) return std::nullopt;
    if (h_out) *h_out = g.h_m;
    if (d_out) *d_out = d;
    return tof;
  };
  auto manoeuvre_halfwidth = [&](double t) {
    if (!threat.manoeuvring) return 0.0;
    const double tau = std::min(t - threat.track_time_s, options.glider_manoeuvre_horizon_s);
    return threat.StateAt(threat.track_time_s + std::max(tau, 0.0)).manoeuvre_halfwidth_m;
  };
  auto pk_at = [&](const Point& pt) {
    Mat3 P = threat.PositionCovarianceEcef(pt.t, options.covariance_horizon_s);
    const double w = manoeuvre_halfwidth(pt.t);
    if (w > 0.0) {
      const Vec3 n = CrossTrackUnit(pt.s.r_Ecef, pt.s.v_Ecef);
      P += (w * w / 3.0) * n * n.transpose();
    }
    const Vec3 chord = pt.s.r_Ecef - site_Ecef;
    double speed = table.Speed_mps(pt.d, pt.h);
    if (!std::isfinite(speed)) speed = chord.norm() / std::max(pt.t - pt.t_launch, 1e-9);
    const Vec3 v_int = chord.norm() > 0.0 ? Vec3(speed * chord.normalized()) : Vec3::Zero();
    return PredictedPk(spec, pt.s.r_Ecef, pt.s.v_Ecef, v_int, P, options.limit_cover_by_divert);
  };
  auto evaluate = [&](double t) {
    Point pt;
    pt.t = t;
    pt.s = threat.StateAt(t);
    const std::optional<double> tof = reachable(pt.s.r_Ecef, &pt.h, &pt.d);
    if (!tof) return pt;
    pt.t_launch = t - *tof;
    if (pt.t_launch < first_launch_s) return pt;
    if (threat.manoeuvring && options.glider_worst_case_envelope) {
      const double w = manoeuvre_halfwidth(t);
      if (w > 0.0) {
        const Vec3 n = CrossTrackUnit(pt.s.r_Ecef, pt.s.v_Ecef);
        if (!reachable(pt.s.r_Ecef + w * n, nullptr, nullptr) ||
            !reachable(pt.s.r_Ecef - w * n, nullptr, nullptr)) {
          return pt;
        }
      }
    }
    if (options.min_pk > 0.0 && pk_at(pt) < options.min_pk) return pt;
    pt.valid = true;
    return pt;
  };

  bool any = false;
  Point best;  // earliest launch
  auto take = [&](const Point& pt) {
    if (!pt.valid) return;
    if (!any) {
      out.earliest_launch_s = out.latest_launch_s = pt.t_launch;
      best = pt;
      any = true;
      return;
    }
    if (pt.t_launch < out.earliest_launch_s ||
        (pt.t_launch == out.earliest_launch_s && pt.t < best.t)) {
      out.earliest_launch_s = pt.t_launch;
      best = pt;
    }
    out.latest_launch_s = std::max(out.latest_launch_s, pt.t_launch);
  };
  // Bisection between a valid and an invalid time: returns the valid edge point.
  auto edge = [&](Point valid, Point invalid) {
    while (std::abs(invalid.t - valid.t) > options.refine_tol_s) {
      const Point mid = evaluate(0.5 * (valid.t + invalid.t));
      (mid.valid ? valid : invalid) = mid;
    }
    return valid;
  };

  const double t_start = std::max(now_s, threat.path.front().t_s);
  if (t_start > t_last) return out;
  Point prev = evaluate(t_start);
  take(prev);
  for (const ThreatSample& s : threat.path) {
    if (s.t_s <= t_start) continue;
    const Point cur = evaluate(s.t_s);
    if (cur.valid != prev.valid) take(cur.valid ? edge(cur, prev) : edge(prev, cur));
    take(cur);
    prev = cur;
  }
  if (!any) return out;
  out.exists = true;
  out.intercept_time_s = best.t;
  out.pip_Ecef = best.s.r_Ecef;
  out.intercept_altitude_m = best.h;
  out.intercept_ground_range_m = best.d;
  out.predicted_pk = pk_at(best);
  return out;
}

ThreatSample SolveInFlightPip(const Interceptor& interceptor, const ThreatPrediction& threat,
                              double t_guess_s) {
  HYPERDEF_ASSERT(!threat.path.empty());
  const double t_i = interceptor.Time_s();
  const double lo = std::max(t_i, threat.path.front().t_s), hi = threat.path.back().t_s;
  if (!(hi > lo)) return threat.StateAt(hi);
  // f(t) = t_I + TimeToGo(p(t)) - t: zero at the PIP; decreasing (slope -(1 + v_T . u / c)).
  auto f = [&](double t) { return t_i + interceptor.TimeToGo_s(threat.StateAt(t).r_Ecef) - t; };
  double t0 = std::clamp(t_guess_s, lo, hi);
  double f0 = f(t0);
  double t1 = std::clamp(t0 + (f0 >= 0.0 ? 0.5 : -0.5), lo, hi);
  double f1 = f(t1);
  for (int it = 0; it < 12 && std::abs(t1 - t0) > 1e-3; ++it) {
    if (f1 == f0) break;
    const double t2 = std::clamp(t1 - f1 * (t1 - t0) / (f1 - f0), lo, hi);
    t0 = t1;
    f0 = f1;
    t1 = t2;
    f1 = f(t1);
  }
  return threat.StateAt(t1);
}

int MaxEngagementsInWindow(const Battery& battery, const EngagementWindow& window,
                           const WtaBuildOptions& options) {
  if (!window.exists) return 0;
  const double D = window.latest_launch_s - window.earliest_launch_s;
  const double dt = battery.launch_interval_s;
  const int k = battery.salvo_size;
  constexpr double kSlack = 1e-9;  // a window of exactly n slots holds n
  if (options.doctrine == FireDoctrine::kShootShoot) {
    const double busy = (k - 1) * dt;
    if (D < busy - kSlack) return 0;
    return static_cast<int>(std::floor((D - busy) / (k * dt) + kSlack)) + 1;
  }
  const double tof = std::max(window.intercept_time_s - window.earliest_launch_s, 0.0);
  const double span = 2.0 * (k - 1) * dt + tof + options.look_delay_s;
  if (D < span - kSlack) return 0;
  return static_cast<int>(std::floor((D - span) / (span + dt) + kSlack)) + 1;
}

WtaProblem BuildWtaProblem(const std::vector<Battery>& batteries,
                           const std::vector<double>& threat_values,
                           const std::vector<EngagementWindow>& windows,
                           const WtaBuildOptions& options) {
  options.Validate();
  const int I = static_cast<int>(batteries.size());
  const int J = static_cast<int>(threat_values.size());
  if (windows.size() != batteries.size() * threat_values.size()) {
    throw std::invalid_argument(
        "BuildWtaProblem: windows must hold batteries x threats = " + std::to_string(I * J) +
        " entries (got " + std::to_string(windows.size()) + ")");
  }
  WtaProblem problem(I, J);
  problem.doctrine = options.doctrine;
  problem.salvo_size = I > 0 ? batteries.front().salvo_size : 1;
  problem.battery_salvo_size.resize(static_cast<std::size_t>(I));
  for (int i = 0; i < I; ++i) {
    const Battery& b = batteries[static_cast<std::size_t>(i)];
    b.Validate();
    problem.battery_salvo_size[static_cast<std::size_t>(i)] = b.salvo_size;
    problem.inventory[static_cast<std::size_t>(i)] = b.inventory;
    for (int j = 0; j < J; ++j) {
      const EngagementWindow& w = windows[static_cast<std::size_t>(i * J + j)];
      WtaPair& pair = problem.pair(i, j);
      pair.max_engagements = MaxEngagementsInWindow(b, w, options);
      pair.feasible = pair.max_engagements > 0;
      pair.pk = pair.feasible ? std::clamp(w.predicted_pk, 0.0, 1.0) : 0.0;
    }
  }
  problem.threat_value = threat_values;
  problem.Validate();
  return problem;
}

}  // namespace hyperdef::engagement

#include "assessment/impact_point.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/constants.h"
#include "earth/atmosphere.h"
#include "earth/wgs84.h"
#include "flight/integrator.h"

namespace hyperdef::assessment {

namespace {

constexpr int kN = 6;
using Vec6 = flight::OdeVector<kN>;

void Require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("ImpactOptions: " + what);
}

// erf(x1) - erf(x0) without cancellation when both arguments sit on the same tail.
double ErfDiff(double x1, double x0) {
  if (x0 > 0.0 && x1 > 0.0) return std::erfc(x0) - std::erfc(x1);
  if (x0 < 0.0 && x1 < 0.0) return std::erfc(-x1) - std::erfc(-x0);
  return std::erf(x1) - std::erf(x0);
}

// Eigenvalues (ascending) of a symmetric 2x2 matrix, and the angle from the x axis (first
// coordinate) towards the y axis of the eigenvector of the larger one. Closed form.
struct Eig2 {
  double lo = 0.0, hi = 0.0, angle = 0.0;
};
Eig2 SymEig2(const Eigen::Matrix2d& m) {
  const double a = m(0, 0), c = m(1, 1), b = 0.5 * (m(0, 1) + m(1, 0));
  const double mean = 0.5 * (a + c);
  const double rad = std::hypot(0.5 * (a - c), b);
  return {mean - rad, mean + rad, 0.5 * std::atan2(2.0 * b, a - c)};
}

}  // namespace

void ImpactOptions::Validate() const {
  Require(ballistic_coefficient_kgpm2 >= 0.0, "ballistic_coefficient_kgpm2 must be >= 0 (got " +
                                                  std::to_string(ballistic_coefficient_kgpm2) +
                                                  ")");
  Require(max_time_s > 0.0, "max_time_s must be > 0 (got " + std::to_string(max_time_s) + ")");
  Require(max_step_s > 0.0, "max_step_s must be > 0 (got " + std::to_string(max_step_s) + ")");
  Require(rel_tol > 0.0 && rel_tol < 1e-2,
          "rel_tol must be in (0, 1e-2) (got " + std::to_string(rel_tol) + ")");
  Require(kappa >= 0.0, "kappa must be >= 0 (got " + std::to_string(kappa) + ")");
}

Eigen::Matrix<double, 6, 6> CholeskyPsd(const Eigen::Matrix<double, 6, 6>& P) {
  Eigen::Matrix<double, 6, 6> L = Eigen::Matrix<double, 6, 6>::Zero();
  const double tiny = 1e-15 * std::max(P.diagonal().maxCoeff(), 0.0);
  for (int j = 0; j < 6; ++j) {
    double d = 0.5 * (P(j, j) + P(j, j));
    for (int k = 0; k < j; ++k) d -= L(j, k) * L(j, k);
    if (!(d > tiny)) continue;  // (numerically) dependent direction: column stays zero
    L(j, j) = std::sqrt(d);
    for (int i = j + 1; i < 6; ++i) {
      double s = 0.5 * (P(i, j) + P(j, i));
      for (int k = 0; k < j; ++k) s -= L(i, k) * L(j, k);
      L(i, j) = s / L(j, j);
    }
  }
  return L;
}

double EllipsoidHeight_m(const Vec3& r) {
  constexpr double a = core::kWgs84A_m;
  constexpr double b = core::kWgs84B_m;
  const double rn = r.norm();
  const double s = r.z() / rn;  // sine of the geocentric latitude
  const double c2 = 1.0 - s * s;
  return rn - a * b / std::sqrt(b * b * c2 + a * a * s * s);
}

namespace {

// The ballistic flight of FlyToGround and FlyBallisticPath (see header); the observer sees every
// accepted step's dense output. The start must be above the ground.
template <typename Observer>
flight::IntegrationResult<kN> FlyBallistic(const Vec3& r_Eci, const Vec3& v_Eci, double t_s,
                                           const ImpactOptions& options, Observer&& observer) {
  const double beta = options.ballistic_coefficient_kgpm2;
  const earth::GravityModel gravity = options.gravity;
  const double ceiling = options.drag_ceiling_m;
  const Vec3 w(0.0, 0.0, core::kEarthOmega_radps);
  auto f = [&](double, const Vec6& x) -> Vec6 {
    const Vec3 r = x.head<3>();
    const Vec3 v = x.tail<3>();
    Vec3 a = earth::GravityAcceleration(r, gravity);
    if (beta > 0.0) {
      const double h = EllipsoidHeight_m(r);
      if (h < ceiling) {
        const Vec3 va = v - w.cross(r);
        const double rho = earth::Us76Density(h);
        a -= (rho * va.norm() / (2.0 * beta)) * va;
      }
    }
    Vec6 dx;
    dx << v, a;
    return dx;
  };
  Vec6 x0;
  x0 << r_Eci, v_Eci;
  flight::Dp54Options<kN> opt;
  opt.rel_tol = options.rel_tol;
  opt.abs_tol << 1e-4, 1e-4, 1e-4, 1e-7, 1e-7, 1e-7;  // 0.1 mm, 0.1 um/s
  opt.max_step_s = options.max_step_s;
  std::array<flight::Event<kN>, 1> events;
  events[0].g = [](double, const Vec6& x) { return EllipsoidHeight_m(x.head<3>()); };
  events[0].direction = flight::EventDirection::kFalling;
  events[0].terminal = true;
  return flight::IntegrateDp54<kN>(f, t_s, x0, t_s + options.max_time_s, opt,
                                   std::span<const flight::Event<kN>>(events), {},
                                   std::forward<Observer>(observer));
}

}  // namespace

bool FlyToGround(const Vec3& r_Eci, const Vec3& v_Eci, double t_s, const ImpactOptions& options,
                 double* t_impact_s, Vec3* r_impact_Eci) {
  if (!(EllipsoidHeight_m(r_Eci) > 0.0)) return false;
  const auto res = FlyBallistic(r_Eci, v_Eci, t_s, options, flight::NullObserver{});
  if (res.status != flight::IntegrationStatus::kTerminalEvent) return false;
  *t_impact_s = res.t_s;
  *r_impact_Eci = res.x.head<3>();
  return true;
}

BallisticPath FlyBallisticPath(const Vec3& r_Eci, const Vec3& v_Eci, double t_s,
                               const ImpactOptions& options, double sample_s) {
  options.Validate();
  if (!(sample_s >= 0.0 && std::isfinite(sample_s))) {
    throw std::invalid_argument("FlyBallisticPath: sample_s must be finite and >= 0 (got " +
                                std::to_string(sample_s) + ")");
  }
  BallisticPath out;
  out.end = {t_s, r_Eci, v_Eci};
  if (!(EllipsoidHeight_m(r_Eci) > 0.0)) return out;
  flight::IntegrationResult<kN> res;
  if (sample_s > 0.0) {
    auto sampler = flight::SampleEvery(t_s, sample_s, [&out](double t, const Vec6& x) {
      out.samples.push_back({t, x.head<3>(), x.tail<3>()});
    });
    res = FlyBallistic(r_Eci, v_Eci, t_s, options, sampler);
  } else {
    res = FlyBallistic(r_Eci, v_Eci, t_s, options, flight::NullObserver{});
  }
  out.flown = true;
  out.landed = res.status == flight::IntegrationStatus::kTerminalEvent;
  out.end = {res.t_s, res.x.head<3>(), res.x.tail<3>()};
  // The sampler keeps a sample that lands on the end within round-off: drop it (the end is
  // reported on its own).
  while (!out.samples.empty() && out.samples.back().t_s >= res.t_s - 1e-9) out.samples.pop_back();
  return out;
}

ImpactPrediction PredictImpact(const tracking::Gaussian& rv_Eci,
                               const tracking::TrackingFrame& frame, const ImpactOptions& options) {
  options.Validate();
  ImpactPrediction out;
  if (rv_Eci.x.size() < kN || rv_Eci.P.rows() < kN || rv_Eci.P.cols() < kN) {
    throw std::invalid_argument("PredictImpact: the state needs at least (r, v)");
  }
  const Vec6 mean = rv_Eci.x.head<kN>();
  const Eigen::Matrix<double, kN, kN> P = rv_Eci.P.topLeftCorner<kN, kN>();
  const double lambda = kN + options.kappa;
  const Eigen::Matrix<double, kN, kN> S = CholeskyPsd(lambda * P);

  constexpr int kSigma = 2 * kN + 1;
  std::array<double, kSigma> wts;
  std::array<double, kSigma> t_imp;
  std::array<Vec3, kSigma> r_imp_Ecef;
  wts[0] = options.kappa / lambda;
  for (int i = 1; i < kSigma; ++i) wts[i] = 0.5 / lambda;
  for (int i = 0; i < kSigma; ++i) {
    Vec6 x = mean;
    if (i > 0) {
      const int col = (i - 1) / 2;
      x += ((i % 2 == 1) ? 1.0 : -1.0) * S.col(col);
    }
    Vec3 r_hit;
    if (!FlyToGround(x.head<3>(), x.tail<3>(), rv_Eci.t_s, options, &t_imp[i], &r_hit)) {
      return out;
    }
    r_imp_Ecef[i] = frame.PositionEcef(r_hit, t_imp[i]);
  }

  // Tangent-plane statistics, twice: first about the central point's impact, then about the
  // mean found there (so the ellipse's axes are those of the mean impact point).
  earth::Geodetic origin = earth::GeodeticFromEcef(r_imp_Ecef[0]);
  origin.h_m = 0.0;
  Eigen::Vector2d m_EN = Eigen::Vector2d::Zero();
  std::array<Eigen::Vector2d, kSigma> p_EN;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      const Vec3 r_mean_Ecef = earth::EcefFromEnu(Vec3(m_EN.x(), m_EN.y(), 0.0), origin);
      origin = earth::GeodeticFromEcef(r_mean_Ecef);
      origin.h_m = 0.0;
    }
    m_EN.setZero();
    for (int i = 0; i < kSigma; ++i) {
      p_EN[i] = earth::EnuFromEcef(r_imp_Ecef[i], origin).head<2>();
      m_EN += wts[i] * p_EN[i];
    }
  }
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  double t_mean = 0.0;
  for (int i = 0; i < kSigma; ++i) t_mean += wts[i] * t_imp[i];
  double var_t = 0.0;
  for (int i = 0; i < kSigma; ++i) {
    const Eigen::Vector2d d = p_EN[i] - m_EN;
    cov += wts[i] * d * d.transpose();
    var_t += wts[i] * (t_imp[i] - t_mean) * (t_imp[i] - t_mean);
  }
  // The residual mean offset after the second pass is metres at most (curvature): fold it in.
  const Vec3 r_mean_Ecef = earth::EcefFromEnu(Vec3(m_EN.x(), m_EN.y(), 0.0), origin);
  const earth::Geodetic g = earth::GeodeticFromEcef(r_mean_Ecef);

  out.ok = true;
  out.t_impact_s = t_mean;
  out.sigma_t_impact_s = std::sqrt(var_t);
  out.lat_rad = g.lat_rad;
  out.lon_rad = g.lon_rad;
  out.covariance_EN_m2 = 0.5 * (cov + cov.transpose());
  const Eig2 eig = SymEig2(out.covariance_EN_m2);
  out.semi_minor_m = std::sqrt(std::max(eig.lo, 0.0));
  out.semi_major_m = std::sqrt(std::max(eig.hi, 0.0));
  // eig.angle is from east towards north; the azimuth (from north, clockwise) is pi/2 - angle.
  double az = 0.5 * core::kPi - eig.angle;
  az = std::fmod(az, core::kPi);
  if (az < 0.0) az += core::kPi;
  out.orientation_rad = az;
  out.cep_m = CircularErrorProbable(out.covariance_EN_m2);
  return out;
}

double GaussianMassInCircle(const Eigen::Vector2d& mean, const Eigen::Matrix2d& cov,
                            const Eigen::Vector2d& center, double radius) {
  if (!(radius > 0.0)) return 0.0;
  // Regularise a (near-)singular covariance: 1e-12 of its trace plus 1 um^2.
  Eigen::Matrix2d C = 0.5 * (cov + cov.transpose());
  const double reg = 1e-12 * std::max(C.trace(), 0.0) + 1e-12;
  C += reg * Eigen::Matrix2d::Identity();
  const Eig2 eig = SymEig2(C);
  const double lmin = std::max(eig.lo, reg);
  const double sig_min = std::sqrt(lmin);
  const double sig_max = std::sqrt(std::max(eig.hi, lmin));
  const Eigen::Vector2d d0 = center - mean;  // from the mean to the circle's centre
  const double dist = d0.norm();
  if (radius - dist > 12.0 * sig_max) return 1.0;
  if (dist - radius > 12.0 * sig_max) return 0.0;

  const Eigen::Matrix2d A = C.inverse();
  const double norm = 1.0 / (2.0 * core::kPi * std::sqrt(C.determinant()));
  const double q0 = d0.dot(A * d0);
  // Nodes: enough that a peak of angular width sig_min/dist gets >= 4 of them; at least 64.
  const double want = 4.0 * core::kTwoPi * (dist + radius) / sig_min;
  const int n = static_cast<int>(std::clamp(want, 64.0, 262144.0));
  const double dth = core::kTwoPi / n;
  double sum = 0.0;
  for (int k = 0; k < n; ++k) {
    const double th = k * dth;
    const Eigen::Vector2d u(std::cos(th), std::sin(th));
    const double a = u.dot(A * u);
    const double b = u.dot(A * d0);
    // Q(rho) = a rho^2 + 2 b rho + q0 = a (rho - m)^2 + kk,  m = -b/a.
    const double m = -b / a;
    const double kk = std::max(q0 - b * b / a, 0.0);
    const double sa = std::sqrt(0.5 * a);
    const double e_lo = std::exp(-0.5 * q0);
    const double e_hi = std::exp(-0.5 * (kk + a * (radius - m) * (radius - m)));
    const double term1 = (e_lo - e_hi) / a;
    const double term2 = std::exp(-0.5 * kk) * m * std::sqrt(core::kPi / (2.0 * a)) *
                         ErfDiff((radius - m) * sa, -m * sa);
    sum += term1 + term2;
  }
  return std::clamp(norm * sum * dth, 0.0, 1.0);
}

double CircularErrorProbable(const Eigen::Matrix2d& cov) {
  const double smax = std::sqrt(std::max(SymEig2(cov).hi, 0.0));
  if (smax <= 0.0) return 0.0;
  const Eigen::Vector2d zero = Eigen::Vector2d::Zero();
  // The CEP lies between 0.6745 sigma_max (line) and 1.1774 sigma_max (circle): the root of
  // P(R) - 1/2 in that bracket by the Illinois variant of regula falsi (the mass is smooth and
  // increasing in R: ~6 evaluations of GaussianMassInCircle to 1e-7 sigma_max instead of
  // bisection's 23), stopping when a step or the bracket is below 1e-7 sigma_max.
  const double tol = 1e-7 * smax;
  double lo = 0.6 * smax, hi = 1.25 * smax;
  double f_lo = GaussianMassInCircle(zero, cov, zero, lo) - 0.5;
  double f_hi = GaussianMassInCircle(zero, cov, zero, hi) - 0.5;
  if (!(f_lo < 0.0 && f_hi > 0.0)) return f_lo >= 0.0 ? lo : hi;  // unbracketed: not for a PSD cov
  int side = 0;  // which end was kept last (-1 lo, +1 hi): Illinois halves the kept end's value
  double x = lo;
  for (int it = 0; it < 60 && hi - lo > tol; ++it) {
    const double x_new = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
    const double step = std::abs(x_new - x);
    x = x_new;
    const double f = GaussianMassInCircle(zero, cov, zero, x) - 0.5;
    if (f == 0.0) return x;
    if (f < 0.0) {
      lo = x;
      f_lo = f;
      if (side == -1) f_hi *= 0.5;
      side = -1;
    } else {
      hi = x;
      f_hi = f;
      if (side == +1) f_lo *= 0.5;
      side = +1;
    }
    if (step < tol) break;
  }
  return x;
}

}  // namespace hyperdef::assessment

#include "orbits/keplerian.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace hyperdef::orbits {

namespace {
constexpr double kPi = core::kPi;
constexpr double kTwoPi = core::kTwoPi;
constexpr double kSmall = 1e-11;

double Wrap2Pi(double x) {
  x = std::fmod(x, kTwoPi);
  return x < 0.0 ? x + kTwoPi : x;
}
double WrapPi(double x) {  // (-pi, pi]
  x = std::fmod(x + kPi, kTwoPi);
  if (x <= 0.0) x += kTwoPi;
  return x - kPi;
}
double SafeAcos(double c) { return std::acos(std::fmax(-1.0, std::fmin(1.0, c))); }
}  // namespace

void KeplerianElements::Validate() const {
  if (!(a_m > 0.0))
    throw std::invalid_argument("semi-major axis must be > 0 m (got " + std::to_string(a_m) + ")");
  if (!(e >= 0.0 && e < 1.0))
    throw std::invalid_argument("eccentricity must be in [0, 1) (got " + std::to_string(e) + ")");
  if (!(i_rad >= 0.0 && i_rad <= kPi))
    throw std::invalid_argument("inclination must be in [0, pi] rad (got " + std::to_string(i_rad) +
                                ")");
}

double EccentricFromTrueAnomaly(double nu, double e) {
  // tan(E/2) = sqrt((1-e)/(1+e)) tan(nu/2), written with atan2 to keep the revolution.
  return 2.0 * std::atan2(std::sqrt(1.0 - e) * std::sin(0.5 * nu),
                          std::sqrt(1.0 + e) * std::cos(0.5 * nu));
}

double TrueFromEccentricAnomaly(double E, double e) {
  return 2.0 *
         std::atan2(std::sqrt(1.0 + e) * std::sin(0.5 * E), std::sqrt(1.0 - e) * std::cos(0.5 * E));
}

double MeanFromEccentricAnomaly(double E, double e) { return E - e * std::sin(E); }

double MeanFromTrueAnomaly(double nu, double e) {
  return MeanFromEccentricAnomaly(EccentricFromTrueAnomaly(nu, e), e);
}

double TrueFromMeanAnomaly(double M, double e) {
  return TrueFromEccentricAnomaly(SolveKepler(M, e), e);
}

double SolveKepler(double M, double e) {
  if (!(e >= 0.0 && e < 1.0))
    throw std::invalid_argument("SolveKepler: elliptic orbits only (0 <= e < 1)");
  M = WrapPi(M);
  // Starting guess (Vallado alg. 2; pi for high e avoids overshoot near perigee).
  double E = (e > 0.8) ? (M < 0.0 ? -kPi : kPi) : M + e * std::sin(M);
  for (int k = 0; k < 50; ++k) {
    const double f = E - e * std::sin(E) - M;
    const double dE = -f / (1.0 - e * std::cos(E));
    E += dE;
    if (std::fabs(dE) < 1e-14) break;
  }
  return E;
}

double MeanMotion_radps(double a_m, double mu) { return std::sqrt(mu / (a_m * a_m * a_m)); }
double Period_s(double a_m, double mu) { return kTwoPi / MeanMotion_radps(a_m, mu); }

CartesianState StateFromElements(const KeplerianElements& el, double mu) {
  el.Validate();
  const double p = el.a_m * (1.0 - el.e * el.e);
  const double cnu = std::cos(el.true_anomaly_rad), snu = std::sin(el.true_anomaly_rad);
  const double r = p / (1.0 + el.e * cnu);
  const double sqrt_mu_p = std::sqrt(mu / p);
  // Perifocal (PQW) position and velocity (Vallado eq. 2-110, 2-111 / alg. 10).
  const core::Vec3 r_pqw(r * cnu, r * snu, 0.0);
  const core::Vec3 v_pqw(-sqrt_mu_p * snu, sqrt_mu_p * (el.e + cnu), 0.0);
  const double cO = std::cos(el.raan_rad), sO = std::sin(el.raan_rad);
  const double ci = std::cos(el.i_rad), si = std::sin(el.i_rad);
  const double cw = std::cos(el.argp_rad), sw = std::sin(el.argp_rad);
  // R3(-raan) R1(-i) R3(-argp): columns are the P, Q, W unit vectors.
  core::Mat3 R;
  R << cO * cw - sO * sw * ci, -cO * sw - sO * cw * ci, sO * si,  //
      sO * cw + cO * sw * ci, -sO * sw + cO * cw * ci, -cO * si,  //
      sw * si, cw * si, ci;
  return {R * r_pqw, R * v_pqw};
}

KeplerianElements ElementsFromState(const CartesianState& s, double mu) {
  const core::Vec3& r = s.r_m;
  const core::Vec3& v = s.v_mps;
  const double rn = r.norm(), vn = v.norm();
  const core::Vec3 h = r.cross(v);
  const double hn = h.norm();
  if (rn <= 0.0 || hn <= 0.0)
    throw std::invalid_argument("ElementsFromState: degenerate (rectilinear) state");
  const core::Vec3 node(-h.y(), h.x(), 0.0);  // z x h
  const double nn = node.norm();
  const core::Vec3 evec = ((vn * vn - mu / rn) * r - r.dot(v) * v) / mu;
  const double energy = 0.5 * vn * vn - mu / rn;
  if (!(energy < 0.0)) throw std::invalid_argument("ElementsFromState: orbit is not elliptic");
  KeplerianElements el;
  el.a_m = -mu / (2.0 * energy);
  el.e = evec.norm();
  el.i_rad = SafeAcos(h.z() / hn);
  const bool circular = el.e < kSmall;
  const bool equatorial = el.i_rad < kSmall || el.i_rad > kPi - kSmall;
  // Angles in-plane via atan2 of projections on the (node, h x node) basis: accurate at all
  // angles, unlike acos.
  if (!equatorial) {
    el.raan_rad = Wrap2Pi(std::atan2(node.y(), node.x()));
    const core::Vec3 nhat = node / nn;
    const core::Vec3 mhat = (h / hn).cross(nhat);
    if (!circular) {
      el.argp_rad = Wrap2Pi(std::atan2(evec.dot(mhat), evec.dot(nhat)));
      const core::Vec3 ehat = evec / el.e;
      const core::Vec3 qhat = (h / hn).cross(ehat);
      el.true_anomaly_rad = Wrap2Pi(std::atan2(r.dot(qhat), r.dot(ehat)));
    } else {  // argument of latitude
      el.argp_rad = 0.0;
      el.true_anomaly_rad = Wrap2Pi(std::atan2(r.dot(mhat), r.dot(nhat)));
    }
  } else {
    el.raan_rad = 0.0;
    const double sign = h.z() >= 0.0 ? 1.0 : -1.0;  // retrograde: longitudes measured clockwise
    if (!circular) {                                // longitude of perigee
      el.argp_rad = Wrap2Pi(sign * std::atan2(evec.y(), evec.x()));
      const core::Vec3 ehat = evec / el.e;
      const core::Vec3 qhat = (h / hn).cross(ehat);
      el.true_anomaly_rad = Wrap2Pi(std::atan2(r.dot(qhat), r.dot(ehat)));
    } else {  // true longitude
      el.argp_rad = 0.0;
      el.true_anomaly_rad = Wrap2Pi(sign * std::atan2(r.y(), r.x()));
    }
  }
  return el;
}

KeplerianElements PropagateTwoBody(const KeplerianElements& el, double dt_s, double mu) {
  el.Validate();
  const double n = MeanMotion_radps(el.a_m, mu);
  const double M0 = MeanFromTrueAnomaly(el.true_anomaly_rad, el.e);
  KeplerianElements out = el;
  out.true_anomaly_rad = Wrap2Pi(TrueFromMeanAnomaly(M0 + n * dt_s, el.e));
  return out;
}

}  // namespace hyperdef::orbits

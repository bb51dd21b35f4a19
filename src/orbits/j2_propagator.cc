#include "orbits/j2_propagator.h"

#include <cmath>
#include <limits>

namespace hyperdef::orbits {

namespace {

constexpr double kTwoPi = core::kTwoPi;

// Kepler's equation for the propagator's hot loop: M is reduced to [-pi, pi) with floor (cheaper
// than fmod), Newton from M + e sin M. Converges to 1e-13 rad in <= 4 steps for e < 0.1.
inline double FastKepler(double M, double e) {
  M -= kTwoPi * std::floor((M + core::kPi) / kTwoPi);
  if (e == 0.0) return M;
  double E = M + e * std::sin(M);
  for (int k = 0; k < 30; ++k) {
    const double dE = (M - E + e * std::sin(E)) / (1.0 - e * std::cos(E));
    E += dE;
    if (std::fabs(dE) < 1e-13) break;
  }
  return E;
}

struct Orbit {  // per-satellite constants, shared by the single and batch forms
  double a, e, b, cos_i, sin_i, raan0, argp0, m0, t0, raan_dot, argp_dot, m_dot;
};

// The node's cosine and sine, remembered: the satellites of one orbital plane share raan0 and
// its rate, so a batch listed plane by plane (Walker layers) evaluates them once per plane. The
// same argument gives the same bits, so this changes no result.
struct NodeCache {
  double node = std::numeric_limits<double>::quiet_NaN();  // NaN: nothing remembered yet
  double c = 1.0, s = 0.0;
  void At(double x) {
    if (x == node) return;
    node = x;
    c = std::cos(x);
    s = std::sin(x);
  }
};

// Position, and velocity if v != nullptr, at time t. `nodes` (optional) remembers the last
// node's sine and cosine for the circular position-only case.
inline void Evaluate(const Orbit& o, double t, core::Vec3* r, core::Vec3* v,
                     NodeCache* nodes = nullptr) {
  const double dt = t - o.t0;
  if (o.e == 0.0 && v == nullptr) {
    // Circular orbit, position only (the sensors' per-frame case): E = M and the in-plane angle
    // is the argument of latitude u = w + M, so one sine/cosine pair replaces two and the Kepler
    // solve (same position to rounding, ~1e-9 m).
    const double u = (o.argp0 + o.m0) + (o.argp_dot + o.m_dot) * dt;
    const double node = o.raan0 + o.raan_dot * dt;
    const double cu = std::cos(u), su = std::sin(u);
    NodeCache local;
    NodeCache& n = nodes != nullptr ? *nodes : local;
    n.At(node);
    const double cO = n.c, sO = n.s;
    const double xn = o.a * cu, yn = o.a * su;
    const double yi = yn * o.cos_i;
    *r = core::Vec3(xn * cO - yi * sO, xn * sO + yi * cO, yn * o.sin_i);
    return;
  }
  const double E = FastKepler(o.m0 + o.m_dot * dt, o.e);
  const double cE = std::cos(E), sE = std::sin(E);
  // Perifocal coordinates (x toward perigee).
  const double xp = o.a * (cE - o.e);
  const double yp = o.a * o.b * sE;
  const double w = o.argp0 + o.argp_dot * dt;
  const double node = o.raan0 + o.raan_dot * dt;
  const double cw = std::cos(w), sw = std::sin(w);
  const double cO = std::cos(node), sO = std::sin(node);
  // In-plane rotation by w (to the node line), then inclination about x, then node about z.
  const double xn = xp * cw - yp * sw;
  const double yn = xp * sw + yp * cw;
  const double yi = yn * o.cos_i;
  const double zi = yn * o.sin_i;
  *r = core::Vec3(xn * cO - yi * sO, xn * sO + yi * cO, zi);
  if (v == nullptr) return;
  // d/dt of the perifocal position with dE/dt = M_dot / (1 - e cos E).
  const double edot = o.m_dot / (1.0 - o.e * cE);
  const double vxp = -o.a * sE * edot;
  const double vyp = o.a * o.b * cE * edot;
  const double vxn = vxp * cw - vyp * sw;
  const double vyn = vxp * sw + vyp * cw;
  const double vyi = vyn * o.cos_i;
  core::Vec3 vel(vxn * cO - vyi * sO, vxn * sO + vyi * cO, vyn * o.sin_i);
  // Rotating frame: perigee drift about the orbit normal W, node drift about z.
  const core::Vec3 W(o.sin_i * sO, -o.sin_i * cO, o.cos_i);
  vel += o.argp_dot * W.cross(*r) + o.raan_dot * core::Vec3(-r->y(), r->x(), 0.0);
  *v = vel;
}

Orbit MakeOrbit(const KeplerianElements& el, double t0, const J2Constants& c) {
  el.Validate();
  const J2SecularRates rates = ComputeJ2SecularRates(el.a_m, el.e, el.i_rad, c);
  return {el.a_m,
          el.e,
          std::sqrt(1.0 - el.e * el.e),
          std::cos(el.i_rad),
          std::sin(el.i_rad),
          el.raan_rad,
          el.argp_rad,
          MeanFromTrueAnomaly(el.true_anomaly_rad, el.e),
          t0,
          rates.raan_radps,
          rates.argp_radps,
          rates.mean_anomaly_radps};
}

}  // namespace

J2SecularRates ComputeJ2SecularRates(double a_m, double e, double i_rad, const J2Constants& c) {
  const double n = std::sqrt(c.mu_m3ps2 / (a_m * a_m * a_m));
  const double p = a_m * (1.0 - e * e);
  const double k = c.j2 * (c.re_m / p) * (c.re_m / p);  // J2 (R/p)^2
  const double ci = std::cos(i_rad);
  J2SecularRates r;
  r.raan_radps = -1.5 * n * k * ci;
  r.argp_radps = 0.75 * n * k * (5.0 * ci * ci - 1.0);
  r.mean_anomaly_radps = n * (1.0 + 0.75 * k * std::sqrt(1.0 - e * e) * (3.0 * ci * ci - 1.0));
  return r;
}

J2SecularPropagator::J2SecularPropagator(const KeplerianElements& el, double t0_s,
                                         const J2Constants& c) {
  const Orbit o = MakeOrbit(el, t0_s, c);
  a_ = o.a;
  e_ = o.e;
  b_ = o.b;
  cos_i_ = o.cos_i;
  sin_i_ = o.sin_i;
  i_ = el.i_rad;
  raan0_ = o.raan0;
  argp0_ = o.argp0;
  m0_ = o.m0;
  t0_ = t0_s;
  rates_ = {o.raan_dot, o.argp_dot, o.m_dot};
}

KeplerianElements J2SecularPropagator::MeanElementsAt(double t_s) const {
  const double dt = t_s - t0_;
  KeplerianElements el;
  el.a_m = a_;
  el.e = e_;
  el.i_rad = i_;
  el.raan_rad = std::fmod(raan0_ + rates_.raan_radps * dt, kTwoPi);
  if (el.raan_rad < 0.0) el.raan_rad += kTwoPi;
  el.argp_rad = std::fmod(argp0_ + rates_.argp_radps * dt, kTwoPi);
  if (el.argp_rad < 0.0) el.argp_rad += kTwoPi;
  el.true_anomaly_rad = TrueFromMeanAnomaly(m0_ + rates_.mean_anomaly_radps * dt, e_);
  if (el.true_anomaly_rad < 0.0) el.true_anomaly_rad += kTwoPi;
  return el;
}

void J2SecularPropagator::StateEci(double t_s, core::Vec3* r, core::Vec3* v) const {
  const Orbit o{a_,
                e_,
                b_,
                cos_i_,
                sin_i_,
                raan0_,
                argp0_,
                m0_,
                t0_,
                rates_.raan_radps,
                rates_.argp_radps,
                rates_.mean_anomaly_radps};
  Evaluate(o, t_s, r, v);
}

core::Vec3 J2SecularPropagator::PositionEci(double t_s) const {
  core::Vec3 r;
  StateEci(t_s, &r, nullptr);  // the evaluator skips the velocity when it is not asked for
  return r;
}

void J2SecularPropagator::StateEcef(const core::Epoch& epoch, double t_s, core::Vec3* r_Ecef,
                                    core::Vec3* v_Ecef) const {
  core::Vec3 r, v;
  StateEci(t_s, &r, &v);
  const double era = epoch.EarthRotationAngle_rad(t_s);
  *r_Ecef = core::PositionEcefFromEci(r, era);
  *v_Ecef = core::VelocityEcefFromEci(r, v, era);
}

J2SecularBatch::J2SecularBatch(const std::vector<KeplerianElements>& mean_elements, double t0_s,
                               const J2Constants& constants) {
  for (const KeplerianElements& el : mean_elements) Add(el, t0_s, constants);
}

void J2SecularBatch::Add(const KeplerianElements& el, double t0_s, const J2Constants& c) {
  const Orbit o = MakeOrbit(el, t0_s, c);
  a_.push_back(o.a);
  e_.push_back(o.e);
  b_.push_back(o.b);
  cos_i_.push_back(o.cos_i);
  sin_i_.push_back(o.sin_i);
  raan0_.push_back(o.raan0);
  argp0_.push_back(o.argp0);
  m0_.push_back(o.m0);
  t0_.push_back(o.t0);
  raan_dot_.push_back(o.raan_dot);
  argp_dot_.push_back(o.argp_dot);
  m_dot_.push_back(o.m_dot);
}

void J2SecularBatch::PositionsEci(double t_s, std::vector<core::Vec3>* r) const {
  r->resize(size());
  NodeCache nodes;
  for (size_t k = 0; k < size(); ++k) {
    const Orbit o{a_[k],     e_[k],  b_[k],  cos_i_[k],    sin_i_[k],    raan0_[k],
                  argp0_[k], m0_[k], t0_[k], raan_dot_[k], argp_dot_[k], m_dot_[k]};
    Evaluate(o, t_s, &(*r)[k], nullptr, &nodes);
  }
}

void J2SecularBatch::StatesEci(double t_s, std::vector<core::Vec3>* r,
                               std::vector<core::Vec3>* v) const {
  r->resize(size());
  v->resize(size());
  for (size_t k = 0; k < size(); ++k) {
    const Orbit o{a_[k],     e_[k],  b_[k],  cos_i_[k],    sin_i_[k],    raan0_[k],
                  argp0_[k], m0_[k], t0_[k], raan_dot_[k], argp_dot_[k], m_dot_[k]};
    Evaluate(o, t_s, &(*r)[k], &(*v)[k]);
  }
}

void J2SecularBatch::PositionsEcef(double t_s, double era_rad, std::vector<core::Vec3>* r) const {
  PositionsEci(t_s, r);
  const core::Mat3 R_EcefFromEci = core::R_EciFromEcef(era_rad).transpose();
  for (core::Vec3& x : *r) x = R_EcefFromEci * x;
}

void J2SecularBatch::PositionsEcef(const core::Epoch& epoch, double t_s,
                                   std::vector<core::Vec3>* r) const {
  PositionsEcef(t_s, epoch.EarthRotationAngle_rad(t_s), r);
}

}  // namespace hyperdef::orbits

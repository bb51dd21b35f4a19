// J2 secular propagation checked against a numerical integration of earth::GravityAcceleration
// (kJ2), the same force model the flight layer uses. Reference rates: Vallado, "Fundamentals of
// Astrodynamics and Applications", 4th ed., sec. 9.6.
#include "orbits/j2_propagator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/constants.h"
#include "earth/gravity.h"
#include "orbits/keplerian.h"

namespace hyperdef::orbits {
namespace {

using core::Vec3;

// Classical fixed-step RK4 on (r, v) with J2 gravity.
void Rk4Step(Vec3* r, Vec3* v, double h) {
  auto acc = [](const Vec3& x) { return earth::GravityAcceleration(x, earth::GravityModel::kJ2); };
  const Vec3 k1r = *v, k1v = acc(*r);
  const Vec3 k2r = *v + 0.5 * h * k1v, k2v = acc(*r + 0.5 * h * k1r);
  const Vec3 k3r = *v + 0.5 * h * k2v, k3v = acc(*r + 0.5 * h * k2r);
  const Vec3 k4r = *v + h * k3v, k4v = acc(*r + h * k3r);
  *r += h / 6.0 * (k1r + 2.0 * k2r + 2.0 * k3r + k4r);
  *v += h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
}

double NodeOf(const Vec3& r, const Vec3& v) {
  const Vec3 h = r.cross(v);
  return std::atan2(h.x(), -h.y());
}

// Least-squares slope of y(x).
double Slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (size_t k = 0; k < x.size(); ++k) mx += x[k], my += y[k];
  mx /= x.size();
  my /= y.size();
  double sxy = 0, sxx = 0;
  for (size_t k = 0; k < x.size(); ++k)
    sxy += (x[k] - mx) * (y[k] - my), sxx += (x[k] - mx) * (x[k] - mx);
  return sxy / sxx;
}

struct NumericalNodeDrift {
  double rate_radps = 0.0;     // fitted secular node rate
  double mean_a_m = 0.0;       // time-averaged osculating semi-major axis
  double mean_i_rad = 0.0;     // time-averaged osculating inclination
  double node_at_first = 0.0;  // node at the first ascending-node crossing
  double t_first = 0.0;
  double node_at_last = 0.0;
  double t_last = 0.0;
};

// Integrates ~`orbits` revolutions and samples the osculating node at every ascending-node
// crossing (z from - to +, interpolated inside the step): sampling at the same argument of
// latitude each revolution removes the short-period J2 terms, which depend on 2u.
NumericalNodeDrift IntegrateNodeDrift(const KeplerianElements& el0, int orbits, double h) {
  const CartesianState s0 = StateFromElements(el0);
  Vec3 r = s0.r_m, v = s0.v_mps;
  const double period = Period_s(el0.a_m);
  const int steps = static_cast<int>(orbits * period / h) + 1;
  std::vector<double> t_cross, node_cross;
  double sum_a = 0.0, sum_i = 0.0;
  double t = 0.0;
  double unwrap = 0.0, last_node = 0.0;
  for (int k = 0; k < steps; ++k) {
    const Vec3 r_prev = r, v_prev = v;
    Rk4Step(&r, &v, h);
    t += h;
    const KeplerianElements osc = ElementsFromState({r, v});
    sum_a += osc.a_m;
    sum_i += osc.i_rad;
    if (r_prev.z() < 0.0 && r.z() >= 0.0) {
      const double f = -r_prev.z() / (r.z() - r_prev.z());  // linear interpolation to z = 0
      const Vec3 rc = r_prev + f * (r - r_prev), vc = v_prev + f * (v - v_prev);
      double node = NodeOf(rc, vc);
      if (!node_cross.empty()) {
        while (node + unwrap - last_node > core::kPi) unwrap -= core::kTwoPi;
        while (node + unwrap - last_node < -core::kPi) unwrap += core::kTwoPi;
      }
      node += unwrap;
      last_node = node;
      t_cross.push_back(t - h + f * h);
      node_cross.push_back(node);
    }
  }
  NumericalNodeDrift d;
  d.rate_radps = Slope(t_cross, node_cross);
  d.mean_a_m = sum_a / steps;
  d.mean_i_rad = sum_i / steps;
  d.node_at_first = node_cross.front();
  d.t_first = t_cross.front();
  d.node_at_last = node_cross.back();
  d.t_last = t_cross.back();
  return d;
}

TEST(J2Propagator, NodalRegressionMatchesNumericalJ2Integration) {
  // 1,000 km altitude, 60 deg inclination, circular.
  KeplerianElements el;
  el.a_m = core::kWgs84A_m + 1000e3;
  el.e = 0.0;
  el.i_rad = 60.0 * core::kDegToRad;
  el.raan_rad = 0.3;
  el.argp_rad = 0.0;
  el.true_anomaly_rad = 0.0;
  const NumericalNodeDrift d = IntegrateNodeDrift(el, 10, 5.0);

  // The analytic rate is a statement about MEAN elements. Osculating elements carry short-period
  // J2 terms: at the ascending node of this orbit the osculating a is ~5 km above the mean, which
  // alone would shift the rate by 0.38 % (it scales as a^-3.5). The mean a and i are taken as the
  // time averages of the osculating ones over the integration (Brouwer's short-period terms
  // average to zero over the mean anomaly). What remains is the second-order J2^2 secular term,
  // ~J2 (R/p)^2 ~ 1e-3 times an O(0.1-1) coefficient, hence the 0.1 % tolerance.
  const double a = d.mean_a_m;
  const double n = std::sqrt(core::kEarthMu_m3ps2 / (a * a * a));
  const double analytic =
      -1.5 * n * core::kJ2 * std::pow(core::kWgs84A_m / a, 2) * std::cos(d.mean_i_rad);
  const double with_initial_osculating = ComputeJ2SecularRates(el.a_m, 0.0, el.i_rad).raan_radps;
  std::printf(
      "node rate: numerical %.9e rad/s; analytic with mean a = %.1f m, i = %.6f deg: %.9e "
      "(differs %.4f %%); with the initial osculating elements: %.9e (%.4f %%)\n",
      d.rate_radps, a, d.mean_i_rad * core::kRadToDeg, analytic,
      100.0 * (d.rate_radps / analytic - 1.0), with_initial_osculating,
      100.0 * (d.rate_radps / with_initial_osculating - 1.0));
  EXPECT_NEAR(d.rate_radps / analytic, 1.0, 1e-3);

  // The secular propagator, started from the same mean elements at the first node crossing,
  // carries the node to the last crossing ~10 revolutions later within 0.1 % of the drift.
  KeplerianElements mean = el;
  mean.a_m = d.mean_a_m;
  mean.i_rad = d.mean_i_rad;
  mean.raan_rad = d.node_at_first;
  const J2SecularPropagator prop(mean, d.t_first);
  const double secular_drift = prop.rates().raan_radps * (d.t_last - d.t_first);
  const double numerical_drift = d.node_at_last - d.node_at_first;
  EXPECT_NEAR(secular_drift / numerical_drift, 1.0, 1e-3);
  double raan_last = prop.MeanElementsAt(d.t_last).raan_rad;
  double want = std::fmod(d.node_at_last, core::kTwoPi);
  if (want < 0.0) want += core::kTwoPi;
  EXPECT_NEAR(raan_last, want, 1e-3 * std::fabs(numerical_drift));
}

TEST(J2Propagator, RatesFollowVallado) {
  // Sun-synchronous check: at 800 km a ~98.6 deg orbit regresses ~+0.9856 deg/day.
  const double a = core::kWgs84A_m + 800e3;
  const J2SecularRates r = ComputeJ2SecularRates(a, 0.0, 98.6 * core::kDegToRad);
  EXPECT_NEAR(r.raan_radps * core::kRadToDeg * 86400.0, 0.9856, 0.01);
  // Critical inclination 63.43 deg: no apsidal rotation.
  EXPECT_NEAR(ComputeJ2SecularRates(a, 0.1, std::acos(std::sqrt(0.2))).argp_radps, 0.0, 1e-20);
  // Polar orbit: no nodal regression.
  EXPECT_NEAR(ComputeJ2SecularRates(a, 0.0, core::kPi / 2).raan_radps, 0.0, 1e-20);
}

TEST(J2Propagator, ZeroJ2IsTwoBodyAndVelocityIsTheDerivative) {
  KeplerianElements el;
  el.a_m = 26560e3;
  el.e = 0.3;
  el.i_rad = 0.9;
  el.raan_rad = 1.0;
  el.argp_rad = 2.0;
  el.true_anomaly_rad = 0.5;
  J2Constants no_j2;
  no_j2.j2 = 0.0;
  const J2SecularPropagator kepler(el, 100.0, no_j2);
  Vec3 r, v;
  kepler.StateEci(100.0 + 5000.0, &r, &v);
  const CartesianState two_body = StateFromElements(PropagateTwoBody(el, 5000.0));
  EXPECT_LT((r - two_body.r_m).norm(), 1e-6);
  EXPECT_LT((v - two_body.v_mps).norm(), 1e-9);

  const J2SecularPropagator j2(el);
  const double t = 3000.0, h = 0.01;
  j2.StateEci(t, &r, &v);
  const Vec3 fd = (j2.PositionEci(t + h) - j2.PositionEci(t - h)) / (2.0 * h);
  EXPECT_LT((v - fd).norm(), 1e-5);
}

TEST(J2Propagator, BatchMatchesSinglePropagators) {
  std::vector<KeplerianElements> els;
  for (int k = 0; k < 20; ++k) {
    KeplerianElements el;
    el.a_m = 7000e3 + 1000.0 * k;
    el.e = 0.001 * (k % 3);
    el.i_rad = 0.1 * k;
    el.raan_rad = 0.3 * k;
    el.argp_rad = 0.2 * k;
    el.true_anomaly_rad = 0.25 * k;
    els.push_back(el);
  }
  const J2SecularBatch batch(els, 10.0);
  std::vector<Vec3> r, v, r_only, r_ecef;
  batch.StatesEci(1234.5, &r, &v);
  batch.PositionsEci(1234.5, &r_only);
  const double era = 0.7;
  batch.PositionsEcef(1234.5, era, &r_ecef);
  ASSERT_EQ(r.size(), els.size());
  for (size_t k = 0; k < els.size(); ++k) {
    Vec3 rs, vs;
    J2SecularPropagator(els[k], 10.0).StateEci(1234.5, &rs, &vs);
    EXPECT_LT((r[k] - rs).norm(), 1e-6);
    EXPECT_LT((v[k] - vs).norm(), 1e-9);
    EXPECT_LT((r_only[k] - rs).norm(), 1e-6);
    EXPECT_LT((r_ecef[k] - core::PositionEcefFromEci(rs, era)).norm(), 1e-6);
  }
}

// Circular satellites listed plane by plane share the node's sine and cosine in the batch
// (NodeCache): the positions must be the single propagator's, bit for bit, including across a
// change of plane and back.
TEST(J2Propagator, BatchOfPlanesGivesTheSinglePropagatorsBits) {
  std::vector<KeplerianElements> els;
  for (int plane : {0, 0, 0, 1, 1, 0, 2}) {
    KeplerianElements el;
    el.a_m = 7378e3;
    el.e = 0.0;
    el.i_rad = 1.2;
    el.raan_rad = 0.9 * plane;
    el.argp_rad = 0.0;
    el.true_anomaly_rad = 0.4 * static_cast<double>(els.size());
    els.push_back(el);
  }
  const J2SecularBatch batch(els, 0.0);
  std::vector<Vec3> r;
  for (double t : {0.0, 600.5, 5400.0}) {
    batch.PositionsEci(t, &r);
    for (size_t k = 0; k < els.size(); ++k) {
      const Vec3 single = J2SecularPropagator(els[k], 0.0).PositionEci(t);
      EXPECT_EQ(r[k].x(), single.x());
      EXPECT_EQ(r[k].y(), single.y());
      EXPECT_EQ(r[k].z(), single.z());
    }
  }
}

}  // namespace
}  // namespace hyperdef::orbits

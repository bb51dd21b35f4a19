// Chi-square gates against closed-form chi-square CDFs, a Monte Carlo check of the gate
// probability, gate volumes of simple ellipsoids, and the pre-gate against brute force.
#include "tracking/gating.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/constants.h"
#include "core/random.h"

namespace hyperdef::tracking {
namespace {

// Closed-form chi-square CDFs (Abramowitz & Stegun 26.4.4-26.4.5 for dof 1..4).
double ChiSquareCdf(double q, int dof) {
  const double h = 0.5 * q;
  switch (dof) {
    case 1:
      return std::erf(std::sqrt(h));
    case 2:
      return 1.0 - std::exp(-h);
    case 3:
      return std::erf(std::sqrt(h)) - std::sqrt(2.0 * q / core::kPi) * std::exp(-h);
    case 4:
      return 1.0 - std::exp(-h) * (1.0 + h);
    default:
      return NAN;
  }
}

TEST(ChiSquareQuantile, InvertsClosedFormCdf) {
  for (int dof = 1; dof <= 4; ++dof) {
    for (double p : {0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 0.99999}) {
      const double q = ChiSquareQuantile(p, dof);
      // Boost.Math targets full double precision; the closed forms lose a little to erf/exp
      // cancellation near p -> 1, hence 1e-12 absolute on the probability.
      EXPECT_NEAR(ChiSquareCdf(q, dof), p, 1e-12) << "dof " << dof << " p " << p;
    }
  }
  // Values of any printed chi-square table, to the digits usually printed.
  EXPECT_NEAR(GateThreshold(0.99, 1), 6.63, 0.005);
  EXPECT_NEAR(GateThreshold(0.99, 2), 9.21, 0.005);
  EXPECT_NEAR(GateThreshold(0.99, 3), 11.34, 0.005);
  EXPECT_NEAR(GateThreshold(0.95, 3), 7.81, 0.005);
  EXPECT_EQ(ChiSquareQuantile(0.0, 3), 0.0);
}

TEST(ChiSquareQuantile, RejectsBadArguments) {
  EXPECT_THROW(ChiSquareQuantile(1.0, 2), std::invalid_argument);
  EXPECT_THROW(ChiSquareQuantile(-0.1, 2), std::invalid_argument);
  EXPECT_THROW(ChiSquareQuantile(NAN, 2), std::invalid_argument);
  EXPECT_THROW(ChiSquareQuantile(0.5, 0), std::invalid_argument);
  EXPECT_THROW(GateThreshold(0.0, 3), std::invalid_argument);
}

TEST(InGate, Boundary) {
  EXPECT_TRUE(InGate(3.0, 3.0));
  EXPECT_TRUE(InGate(0.0, 3.0));
  EXPECT_FALSE(InGate(3.0000001, 3.0));
  EXPECT_FALSE(InGate(NAN, 3.0));
}

// The gate holds a true measurement with probability P_G: Monte Carlo with a correlated S.
TEST(GateThreshold, MonteCarloGateProbability) {
  core::RandomStream rng(1, 0, "gating_test", "mc");
  Eigen::Matrix3d S;
  S << 4.0, 1.0, 0.5, 1.0, 2.0, -0.3, 0.5, -0.3, 1.0;
  const Eigen::Matrix3d L = S.llt().matrixL();
  const Eigen::Matrix3d S_inv = S.inverse();
  const double pg = 0.99;
  const double gamma = GateThreshold(pg, 3);
  constexpr int kN = 40000;
  int inside = 0;
  for (int k = 0; k < kN; ++k) {
    const Eigen::Vector3d nu = L * Eigen::Vector3d(rng.Normal(), rng.Normal(), rng.Normal());
    inside += InGate(nu.dot(S_inv * nu), gamma) ? 1 : 0;
  }
  // Binomial standard deviation sqrt(pg (1 - pg) / N) = 5e-4; 5 sigma.
  EXPECT_NEAR(static_cast<double>(inside) / kN, pg, 5.0 * std::sqrt(pg * (1 - pg) / kN));
}

TEST(GateVolume, SimpleEllipsoids) {
  MeasMatrix s1(1, 1);
  s1 << 4.0;  // sigma = 2: interval of half-width sqrt(gamma) * 2
  EXPECT_NEAR(GateVolume(9.0, s1), 2.0 * 3.0 * 2.0, 1e-12);
  MeasMatrix s2(2, 2);
  s2 << 4.0, 0.0, 0.0, 9.0;  // ellipse of semi-axes 2 sqrt(g), 3 sqrt(g): pi 6 g
  EXPECT_NEAR(GateVolume(2.0, s2), core::kPi * 6.0 * 2.0, 1e-12);
  MeasMatrix s3(3, 3);
  s3 << 2.0, 0.5, 0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 3.0;
  // 4/3 pi gamma^1.5 sqrt(det S); det = (2 - 0.25) * 3 = 5.25.
  EXPECT_NEAR(GateVolume(4.0, s3), 4.0 / 3.0 * core::kPi * 8.0 * std::sqrt(5.25), 1e-12);
  MeasMatrix s4 = MeasMatrix::Identity(4, 4);  // unit 4-ball pi^2 / 2, times gamma^2
  EXPECT_NEAR(GateVolume(3.0, s4), 0.5 * core::kPi * core::kPi * 9.0, 1e-12);
  MeasMatrix bad(2, 2);
  bad << 1.0, 2.0, 2.0, 1.0;
  EXPECT_THROW(GateVolume(1.0, bad), std::invalid_argument);
}

TEST(BoundingSphereRadius, HoldsTheGateEllipsoid) {
  const core::Mat3 P = Eigen::Vector3d(1.0, 4.0, 9.0).asDiagonal();
  EXPECT_NEAR(BoundingSphereRadius(4.0, P), 6.0, 1e-12);  // sqrt(4 * 9)
  // A rotated covariance: every point on the gate surface lies inside the sphere.
  core::RandomStream rng(2, 0, "gating_test", "sphere");
  Eigen::Matrix3d A;
  for (int i = 0; i < 9; ++i) A(i / 3, i % 3) = rng.Normal();
  const core::Mat3 Q = A * A.transpose() + 0.1 * core::Mat3::Identity();
  const double gamma = 11.3;
  const double r = BoundingSphereRadius(gamma, Q);
  const Eigen::Matrix3d Lq = Q.llt().matrixL();
  double max_norm = 0.0;
  for (int k = 0; k < 2000; ++k) {
    const Eigen::Vector3d u =
        Eigen::Vector3d(rng.Normal(), rng.Normal(), rng.Normal()).normalized();
    max_norm = std::max(max_norm, (std::sqrt(gamma) * Lq * u).norm());
  }
  EXPECT_LE(max_norm, r * (1 + 1e-12));  // contained (rounding slack)
  EXPECT_GT(max_norm, 0.9 * r);          // and the sphere is tight (sampled surface)
}

TEST(PointPreGate, MatchesBruteForce) {
  core::RandomStream rng(4, 0, "gating_test", "pregate");
  std::vector<core::Vec3> pts(500);
  for (auto& p : pts)
    p = core::Vec3(rng.Uniform(-1e5, 1e5), rng.Uniform(-1e5, 1e5), rng.Uniform(0, 1e4));
  PointPreGate gate;
  gate.Build(pts);
  EXPECT_EQ(gate.size(), 500);
  std::vector<int> found;
  int total = 0;
  for (int q = 0; q < 200; ++q) {
    const core::Vec3 c(rng.Uniform(-1e5, 1e5), rng.Uniform(-1e5, 1e5), rng.Uniform(0, 1e4));
    const double radius = rng.Uniform(0.0, 2e4);
    gate.Query(c, radius, &found);
    std::vector<int> expected;
    for (int k = 0; k < 500; ++k) {
      if ((pts[k] - c).norm() <= radius) expected.push_back(k);
    }
    EXPECT_EQ(found, expected);
    total += static_cast<int>(found.size());
  }
  EXPECT_GT(total, 100);  // the queries did find points
  gate.Query(pts[0], -1.0, &found);
  EXPECT_TRUE(found.empty());
  gate.Build({});
  gate.Query(core::Vec3::Zero(), 1e9, &found);
  EXPECT_TRUE(found.empty());
}

}  // namespace
}  // namespace hyperdef::tracking

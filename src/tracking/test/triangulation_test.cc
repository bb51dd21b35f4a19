#include "tracking/triangulation.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

#include "core/constants.h"
#include "core/random.h"

namespace hyperdef::tracking {
namespace {

using core::kDegToRad;

// A target at ~ 60 km altitude seen by LEO satellites ~ 1,000-2,500 km away, from well separated
// directions.
const Vec3 kTarget(6.40e6, 0.3e6, 0.5e6);
const std::vector<Vec3> kSats = {Vec3(7.2e6, -1.2e6, 0.8e6), Vec3(6.9e6, 1.8e6, -0.6e6),
                                 Vec3(6.6e6, 0.1e6, 2.6e6)};

LineOfSight PerfectLine(const Vec3& sat, const Vec3& target, double angle_sigma,
                        double origin_sigma) {
  return {sat, (target - sat).normalized(), angle_sigma, origin_sigma};
}

// Two unit vectors perpendicular to u.
void Perp(const Vec3& u, Vec3* e1, Vec3* e2) {
  const Vec3 a = std::abs(u.x()) < 0.9 ? Vec3::UnitX() : Vec3::UnitY();
  *e1 = a.cross(u).normalized();
  *e2 = u.cross(*e1);
}

TEST(Triangulate, NoiseFreeLinesIntersectExactly) {
  for (std::size_t n : {2u, 3u}) {
    std::vector<LineOfSight> lines;
    for (std::size_t i = 0; i < n; ++i) {
      lines.push_back(PerfectLine(kSats[i], kTarget, 20e-6 * (i + 1), 5.0));
    }
    const Fix fix = Triangulate(lines);
    ASSERT_TRUE(fix.ok);
    // Round-off: coordinates ~ 7e6 m, normal matrix condition ~ 1/sin^2(angle) ~ 10: error
    // ~ 1e-16 x 7e6 x 10 ~ 1e-8 m; 1e-5 m leaves margin.
    EXPECT_NEAR((fix.r_Eci - kTarget).norm(), 0.0, 1e-5);
    EXPECT_NEAR(fix.max_miss_m, 0.0, 1e-5);
    EXPECT_GT(fix.min_angle_rad, 20.0 * kDegToRad);
    EXPECT_GE(fix.max_angle_rad, fix.min_angle_rad);
    // Covariance symmetric positive definite.
    EXPECT_TRUE(fix.covariance.isApprox(fix.covariance.transpose(), 1e-12));
    EXPECT_EQ(Eigen::LLT<Mat3>(fix.covariance).info(), Eigen::Success);
    const Measurement m = PositionMeasurement(fix, 12.5);
    EXPECT_EQ(m.kind, MeasKind::kPosition);
    EXPECT_EQ(m.t_s, 12.5);
    ASSERT_EQ(m.z.size(), 3);
    EXPECT_EQ(Vec3(m.z), fix.r_Eci);
    EXPECT_EQ(Mat3(m.R), fix.covariance);
  }
}

TEST(Triangulate, CovarianceMatchesTheGeometryForTwoPerpendicularLines) {
  // Two perpendicular lines through the origin along x and y, lateral sigmas s1 (at range 1000 m,
  // angle sigma 1e-3 rad -> 1 m, plus origin 0) and s2 = 2 m: the point is constrained in y and z
  // by line 1, in x and z by line 2, so cov = diag(s2^2, s1^2, 1 / (1/s1^2 + 1/s2^2)).
  std::vector<LineOfSight> lines = {{Vec3(-1000, 0, 0), Vec3::UnitX(), 1e-3, 0.0},
                                    {Vec3(0, -1000, 0), Vec3::UnitY(), 0.0, 2.0}};
  const Fix fix = Triangulate(lines);
  ASSERT_TRUE(fix.ok);
  EXPECT_NEAR(fix.r_Eci.norm(), 0.0, 1e-9);
  EXPECT_NEAR(fix.min_angle_rad, 0.5 * core::kPi, 1e-12);
  // Exact algebra: round-off only.
  EXPECT_NEAR(fix.covariance(0, 0), 4.0, 1e-9);
  EXPECT_NEAR(fix.covariance(1, 1), 1.0, 1e-9);
  EXPECT_NEAR(fix.covariance(2, 2), 1.0 / (1.0 + 0.25), 1e-9);
  EXPECT_NEAR(fix.covariance(0, 1), 0.0, 1e-9);
}

// Monte Carlo: noisy lines drawn as the sensors layer draws them (two N(0, angle sigma) angle
// components perpendicular to the true line; N(0, origin sigma) per axis on the reported origin).
// NEES e' P^-1 e of each fix (with its own P) is chi-square(3) to first order; the sum over N
// independent draws is chi-square(3 N), so the sample mean must lie in
// [q(0.005; 3N) / N, q(0.995; 3N) / N] (Bar-Shalom, Li & Kirubarajan 2001, sec. 5.4.2), quantiles
// from Boost.Math. A covariance wrong by 10% in every direction falls outside this band
// (3 x 1.1 = 3.3 > ~3.09 at N = 4000).
void CheckConsistency(std::size_t n_lines, double angle_sigma, double origin_sigma,
                      std::uint64_t seed) {
  core::RandomStream rng(seed, 0, "triangulation", "mc");
  const int kDraws = 4000;
  double nees_sum = 0.0;
  int ok = 0;
  for (int k = 0; k < kDraws; ++k) {
    std::vector<LineOfSight> lines;
    for (std::size_t i = 0; i < n_lines; ++i) {
      const Vec3 u = (kTarget - kSats[i]).normalized();
      Vec3 e1, e2;
      Perp(u, &e1, &e2);
      const Vec3 u_noisy =
          (u + angle_sigma * rng.Normal() * e1 + angle_sigma * rng.Normal() * e2).normalized();
      const Vec3 s_noisy = kSats[i] + origin_sigma * Vec3(rng.Normal(), rng.Normal(), rng.Normal());
      lines.push_back({s_noisy, u_noisy, angle_sigma, origin_sigma});
    }
    const Fix fix = Triangulate(lines);
    if (!fix.ok) continue;
    ++ok;
    const Vec3 e = fix.r_Eci - kTarget;
    nees_sum += e.dot(fix.covariance.ldlt().solve(e));
  }
  ASSERT_EQ(ok, kDraws);
  const boost::math::chi_squared chi2(3.0 * kDraws);
  const double mean = nees_sum / kDraws;
  EXPECT_GT(mean, boost::math::quantile(chi2, 0.005) / kDraws);
  EXPECT_LT(mean, boost::math::quantile(chi2, 0.995) / kDraws);
}

TEST(Triangulate, MonteCarloCovarianceMatchesScatterTwoLines) {
  CheckConsistency(2, 20e-6, 5.0, 11);
}
TEST(Triangulate, MonteCarloCovarianceMatchesScatterThreeLines) {
  CheckConsistency(3, 20e-6, 5.0, 12);
}
TEST(Triangulate, MonteCarloCovarianceMatchesScatterOriginErrorDominant) {
  CheckConsistency(3, 2e-6, 50.0, 13);
}

TEST(Triangulate, NearlyParallelLinesAreFlagged) {
  // Two satellites 20 km apart looking at a target 2,000 km away: ~ 0.6 deg between the lines.
  const Vec3 s1(7.0e6, 0.0, 0.0), s2(7.0e6, 20e3, 0.0);
  const Vec3 target(7.0e6, 0.0, 2.0e6);
  const Fix fix =
      Triangulate({PerfectLine(s1, target, 20e-6, 5.0), PerfectLine(s2, target, 20e-6, 5.0)});
  EXPECT_FALSE(fix.ok);
  EXPECT_LT(fix.max_angle_rad, kMinTriangulationAngle_rad);
  EXPECT_NEAR(fix.min_angle_rad, std::atan2(20e3, 2.0e6), 1e-6);  // geometry, round-off only
  // Exactly parallel lines: singular or flagged, never ok.
  const Fix par = Triangulate({{s1, Vec3::UnitZ(), 20e-6, 5.0}, {s2, Vec3::UnitZ(), 20e-6, 5.0}});
  EXPECT_FALSE(par.ok);
  // A third line at a good angle rescues the geometry.
  const Fix three =
      Triangulate({PerfectLine(s1, target, 20e-6, 5.0), PerfectLine(s2, target, 20e-6, 5.0),
                   PerfectLine(Vec3(5.0e6, 0.0, 5.0e6), target, 20e-6, 5.0)});
  EXPECT_TRUE(three.ok);
  EXPECT_LT(three.min_angle_rad, kMinTriangulationAngle_rad);
  EXPECT_NEAR((three.r_Eci - target).norm(), 0.0, 1e-4);  // round-off, ill-conditioned pair
}

TEST(Triangulate, PointBehindASensorIsFlagged) {
  // Line 2 points away from the intersection of the two lines.
  const std::vector<LineOfSight> lines = {{Vec3(-1e6, 0, 0), Vec3::UnitX(), 20e-6, 5.0},
                                          {Vec3(0, -1e6, 0), -Vec3::UnitY(), 20e-6, 5.0}};
  const Fix fix = Triangulate(lines);
  EXPECT_FALSE(fix.ok);
  EXPECT_NEAR(fix.r_Eci.norm(), 0.0, 1e-6);  // the lines still meet at the origin
}

TEST(Triangulate, FewerThanTwoLinesIsNotOk) {
  EXPECT_FALSE(Triangulate({}).ok);
  EXPECT_FALSE(Triangulate({PerfectLine(kSats[0], kTarget, 20e-6, 5.0)}).ok);
}

TEST(Triangulate, MaxMissReportsTheInconsistentLine) {
  // Line 3 is displaced sideways by 1 km: the fix is pulled towards it and the largest miss is
  // of order 1 km (somewhere between a third and all of it, depending on the weights).
  std::vector<LineOfSight> lines;
  for (int i = 0; i < 3; ++i) lines.push_back(PerfectLine(kSats[i], kTarget, 20e-6, 5.0));
  Vec3 e1, e2;
  Perp(lines[2].u_Eci, &e1, &e2);
  lines[2].origin_Eci += 1000.0 * e1;
  const Fix fix = Triangulate(lines);
  ASSERT_TRUE(fix.ok);
  EXPECT_GT(fix.max_miss_m, 300.0);
  EXPECT_LT(fix.max_miss_m, 1000.0);
}

TEST(LineMissDistance, SkewParallelAndIntersectingLines) {
  // Skew: x axis and the line through (0, 0, 5) along y: miss 5, closest points at ranges 3, -2
  // from origins (-3, 0, 0) and (0, 2, 5).
  double ra = 0.0, rb = 0.0;
  const LineOfSight a{Vec3(-3, 0, 0), Vec3(2, 0, 0), 0, 0};  // unnormalised on purpose
  const LineOfSight b{Vec3(0, 2, 5), Vec3::UnitY(), 0, 0};
  EXPECT_NEAR(LineMissDistance(a, b, &ra, &rb), 5.0, 1e-12);
  EXPECT_NEAR(ra, 3.0, 1e-12);
  EXPECT_NEAR(rb, -2.0, 1e-12);
  EXPECT_NEAR(LineMissDistance(b, a), 5.0, 1e-12);  // symmetric
  // Parallel: distance between the lines.
  const LineOfSight c{Vec3(7, 4, 0), -Vec3::UnitX(), 0, 0};
  EXPECT_NEAR(LineMissDistance(a, c, &ra, &rb), 4.0, 1e-12);
  EXPECT_NEAR(rb, 10.0, 1e-12);  // a's origin (-3, 0, 0) projects 10 m along -x from (7, 4, 0)
  // Intersecting lines from the realistic geometry: miss ~ 0 and ranges = true ranges.
  const LineOfSight p = PerfectLine(kSats[0], kTarget, 0, 0);
  const LineOfSight q = PerfectLine(kSats[1], kTarget, 0, 0);
  // Round-off on 7e6 m coordinates (see NoiseFreeLinesIntersectExactly).
  EXPECT_NEAR(LineMissDistance(p, q, &ra, &rb), 0.0, 1e-5);
  EXPECT_NEAR(ra, (kTarget - kSats[0]).norm(), 1e-4);
  EXPECT_NEAR(rb, (kTarget - kSats[1]).norm(), 1e-4);
}

}  // namespace
}  // namespace hyperdef::tracking

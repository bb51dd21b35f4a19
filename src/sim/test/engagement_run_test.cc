// The defence in the loop on the regional example (issue 5): the uplinked PIP follows the
// interceptor's own arrival time, so hit-to-kill shots against the ballistic missiles miss by
// metres at most; and the shoot-look-shoot look keeps a killed threat's coasting track from being
// engaged again.
#include "sim/engagement_run.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/run.h"

namespace hyperdef::sim {
namespace {

TEST(EngagementRun, RegionalShotsHitAndKilledTracksAreNotReengaged) {
  const ScenarioSpec spec =
      LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/regional.yaml");
  const RunResult r = RunScenario(spec);
  ASSERT_TRUE(r.tracking && r.tracking->engagement);
  const EngagementResult& e = *r.tracking->engagement;
  ASSERT_GE(e.shots.size(), 2u);
  std::map<int, double> killed_track_at;  // track id -> kill time
  for (const ShotRecord& s : e.shots) {
    if (s.result == "kill") killed_track_at[s.track_id] = s.intercept_time_s;
    // Against the ballistic RVs (no manoeuvre, good tracks) a hit-to-kill shot misses by metres
    // at most (issue 5). Before the PIP followed the interceptor's arrival time, the GPI-class
    // shot at bm-2 missed by 482 m; the terminal shot's 1-3 m is its seeker noise and the RV's
    // drag against ~2 g of lift at 27 km. Bound: 5 m, the terminal Pk curve's zero.
    if (s.threat_id == "bm-1" || s.threat_id == "bm-2") {
      EXPECT_EQ(s.result == "no_intercept", false) << s.battery_id << " " << s.threat_id;
      EXPECT_LT(s.miss_m, 5.0) << s.battery_id << " " << s.threat_id;
    }
  }
  // No interceptor launched at a track after a kill on it (the coasting track gets no report
  // after the intercept, so the look never clears it).
  for (const ShotRecord& s : e.shots) {
    const auto k = killed_track_at.find(s.track_id);
    if (k != killed_track_at.end() && s.result != "kill") {
      EXPECT_LT(s.launch_time_s, k->second) << s.battery_id << " track " << s.track_id;
    }
  }
}

}  // namespace
}  // namespace hyperdef::sim

// The defence in the loop on the regional example (issue 5): the uplinked PIP follows the
// interceptor's own arrival time, so hit-to-kill shots against the ballistic missiles miss by
// metres at most; and the shoot-look-shoot look keeps a killed threat's coasting track from being
// engaged again.
#include "sim/engagement_run.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

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
  // "Shoot now" under shoot-look-shoot: bm-2 is engaged by the GPI ship late in its flight;
  // terminal-b's window closes (~1302 s) before the GPI shot's planned intercept (~1310 s) plus
  // the look, so no battery could shoot after a look and the second salvo goes at once: two GPI
  // interceptors against bm-2, both launched before the first one's intercept. Before the rule,
  // one interceptor and a look that led nowhere.
  // (A salvo-mate of a kill homes on nothing: it is found by the track, not the threat.)
  int bm2_track = -1;
  for (const ShotRecord& s : e.shots)
    if (s.threat_id == "bm-2" && s.battery_id == "gpi-ship") bm2_track = s.track_id;
  std::vector<const ShotRecord*> at_bm2;
  for (const ShotRecord& s : e.shots)
    if (s.track_id == bm2_track && s.battery_id == "gpi-ship") at_bm2.push_back(&s);
  ASSERT_GE(at_bm2.size(), 2u);
  EXPECT_LT(at_bm2[1]->launch_time_s, at_bm2[0]->intercept_time_s);
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

#include "threats/cruise.h"

#include <gtest/gtest.h>

#include "core/constants.h"
#include "earth/atmosphere.h"

namespace hyperdef::threats {
namespace {

using core::kDegToRad;

ThreatSpec CruiseMissile() {
  ThreatSpec t;
  t.id = "hcm";
  t.threat_class = ThreatClass::kCruise;
  t.launch = {40.0 * kDegToRad, 127.0 * kDegToRad, 0.0};
  t.aim = {36.0 * kDegToRad, 131.5 * kDegToRad, 0.0};
  t.cruise.booster.stages = {{1800, 1400, 250, 25, 0.6, 0}};
  return t;
}

// The class definition (issue): boost to a cruise altitude of 25-30 km, Mach 5-8 cruise, then a
// terminal dive. Check that the flown cruise holds the commanded altitude and Mach once captured.
TEST(Cruise, HoldsAltitudeAndMachThenDivesOntoTheAimpoint) {
  const ThreatSpec t = CruiseMissile();
  SegmentOptions o;
  const Trajectory tr = SimulateCruise({}, t, o);
  ASSERT_TRUE(tr.impacted);
  EXPECT_LT(tr.miss_distance_m, 500.0);
  int cruise_samples = 0;
  const double a27 = earth::Us76(27e3).speed_of_sound_mps;
  double t_first_cruise = -1;
  for (const TrajectorySample& s : tr.samples) {
    if (s.phase != Phase::kCruise) continue;
    if (t_first_cruise < 0) t_first_cruise = s.t_s;
    if (s.t_s - t_first_cruise < 120.0) continue;  // altitude and speed capture transient
    ++cruise_samples;
    EXPECT_NEAR(s.alt_m, 27e3, 1.5e3) << "t " << s.t_s;
    EXPECT_NEAR(s.speed_mps / a27, 6.0, 0.3) << "t " << s.t_s;
  }
  EXPECT_GT(cruise_samples, 60);
  EXPECT_GT(tr.max_mach, 5.0);
}

}  // namespace
}  // namespace hyperdef::threats

#include "threats/ballistic.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/propulsion.h"

namespace hyperdef::threats {
namespace {

using core::kDegToRad;

flight::Environment RealEarth() { return {earth::GravityModel::kJ2J4, true}; }

ThreatSpec Missile(const std::vector<flight::Stage>& stages, double range_km, double azimuth_deg,
                   TrajectoryShape shape) {
  ThreatSpec t;
  t.id = "test";
  t.launch = {40.0 * kDegToRad, 127.0 * kDegToRad, 0.0};
  double lat, lon;
  earth::GeodesicDirect(t.launch.lat_rad, t.launch.lon_rad, azimuth_deg * kDegToRad, range_km * 1e3,
                        &lat, &lon);
  t.aim = {lat, lon, 0.0};
  t.ballistic.booster.stages = stages;
  t.ballistic.rv = {1000.0, 10000.0, 0.1, 0.8};
  t.ballistic.shape = shape;
  return t;
}

const std::vector<flight::Stage> kNodong{{19900, 16000, 240, 70, 0.88, 0}};  // Forden 2007
const std::vector<flight::Stage> kIcbm{{23230, 20780, 267, 61, 1.7, 0},      // MIT LNSP model
                                       {7270, 6240, 287, 66, 1.7, 0},
                                       {3710, 3306, 285, 61, 1.7, 0}};

// Issue requirement: aimed ballistic missiles land within 1 km of the aimpoint from 300 to
// 10,000 km with Earth rotation and J2 (here J2-J4) on. The aiming solver flies the same dynamics
// as the truth, so the miss is the solver's convergence, not a model mismatch.
struct AimCase {
  double range_km;
  double azimuth_deg;
  bool icbm;
};

class AimedBallistic : public ::testing::TestWithParam<AimCase> {};

TEST_P(AimedBallistic, LandsWithinOneKilometreOfTheAimpoint) {
  const AimCase c = GetParam();
  const ThreatSpec t =
      Missile(c.icbm ? kIcbm : kNodong, c.range_km, c.azimuth_deg, TrajectoryShape::kMinimumEnergy);
  SegmentOptions o;
  o.record_step_s = 10.0;
  const Trajectory tr = SimulateBallistic(RealEarth(), t, o);
  EXPECT_TRUE(tr.impacted);
  EXPECT_LT(tr.miss_distance_m, 1000.0) << c.range_km << " km";
  EXPECT_NEAR(tr.ground_range_m / 1e3, c.range_km, 1.0 + 0.0);
}

INSTANTIATE_TEST_SUITE_P(RangesFrom300To10000Km, AimedBallistic,
                         ::testing::Values(AimCase{300, 90, false}, AimCase{600, 120, false},
                                           AimCase{900, 270, false}, AimCase{2000, 60, true},
                                           AimCase{5000, 0, true}, AimCase{8000, 45, true},
                                           AimCase{10000, 100, true}));

TEST(AimedBallistic, LoftedAndDepressedHitAndDifferInApogee) {
  SegmentOptions o;
  o.record_step_s = 5.0;
  const ThreatSpec lofted = Missile(kNodong, 800, 100, TrajectoryShape::kLofted);
  const ThreatSpec depressed = Missile(kNodong, 800, 100, TrajectoryShape::kDepressed);
  const ThreatSpec min_e = Missile(kNodong, 800, 100, TrajectoryShape::kMinimumEnergy);
  const Trajectory a = SimulateBallistic(RealEarth(), lofted, o);
  const Trajectory b = SimulateBallistic(RealEarth(), depressed, o);
  const Trajectory c = SimulateBallistic(RealEarth(), min_e, o);
  EXPECT_LT(a.miss_distance_m, 1000.0);
  EXPECT_LT(b.miss_distance_m, 1000.0);
  EXPECT_LT(c.miss_distance_m, 1000.0);
  EXPECT_GT(a.apogee_m, c.apogee_m);  // lofted flies higher and longer than minimum energy
  EXPECT_LT(b.apogee_m, c.apogee_m);  // depressed flies lower and shorter
  EXPECT_GT(a.impact_time_s - a.launch_time_s, c.impact_time_s - c.launch_time_s);
  EXPECT_LT(b.impact_time_s - b.launch_time_s, c.impact_time_s - c.launch_time_s);
}

TEST(AimedBallistic, OutOfReachIsAClearError) {
  const ThreatSpec t = Missile(kNodong, 4000, 90, TrajectoryShape::kMinimumEnergy);
  SegmentOptions o;
  try {
    AimBallistic(RealEarth(), t, o);
    FAIL() << "expected an out-of-reach error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("maximum range"), std::string::npos) << e.what();
  }
}

TEST(Ballistic, FromBurnoutStateFollowsTheRvOnly) {
  ThreatSpec t;
  t.id = "bo";
  t.aim = {35.0 * kDegToRad, 135.0 * kDegToRad, 0.0};
  StateSpec s;
  s.position = {40.0 * kDegToRad, 127.0 * kDegToRad, 80e3};
  s.speed_mps = 3000;
  s.flight_path_rad = 40 * kDegToRad;
  t.ballistic.burnout = s;
  t.ballistic.rv = {1000.0, 8000.0, 0.1, 0.8};
  SegmentOptions o;
  const Trajectory tr = SimulateBallistic(RealEarth(), t, o);
  EXPECT_TRUE(tr.impacted);
  // Energy check: in vacuum the apogee would be h0 + (v sin g)^2/(2 g) ~ 80 + 190 km; with a
  // curved Earth and gravity falling off it is a bit higher. A loose physical bracket.
  EXPECT_GT(tr.apogee_m, 240e3);
  EXPECT_LT(tr.apogee_m, 320e3);
  EXPECT_GT(tr.max_speed_mps, 2999.0);
}

TEST(Booster, StagesBurnOutAtTheirScheduledTimesAndDropMass) {
  ThreatSpec t = Missile(kIcbm, 8000, 45, TrajectoryShape::kMinimumEnergy);
  t.ballistic.booster.pitch_kick_rad = 5 * kDegToRad;
  SegmentOptions o;
  o.record_step_s = 1.0;
  const Trajectory tr = FlyBallistic(RealEarth(), t, {0.0, 5 * kDegToRad, 1e9, 0.0}, o);
  std::vector<double> times;
  for (const FlightEvent& e : tr.events)
    if (e.name == "staging-1" || e.name == "staging-2" || e.name == "burnout")
      times.push_back(e.t_s);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_NEAR(times[0], 61.0, 1e-9);
  EXPECT_NEAR(times[1], 127.0, 1e-9);
  EXPECT_NEAR(times[2], 188.0, 1e-9);
  // Burnout speed below the ideal (rocket-equation) delta-v: gravity and drag losses are positive
  // and, for a ~3-minute boost, of the order of 1-2 km/s.
  const double ideal = flight::IdealDeltaV_mps(kIcbm, 1000.0);
  double v_bo = 0.0;
  for (const TrajectorySample& s : tr.samples)
    if (std::abs(s.t_s - 188.0) < 1e-6) v_bo = s.speed_mps;
  EXPECT_GT(v_bo, ideal - 2500.0);
  EXPECT_LT(v_bo, ideal);
}

}  // namespace
}  // namespace hyperdef::threats

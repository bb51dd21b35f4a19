#include "assessment/classification.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/constants.h"

namespace hyperdef::assessment {
namespace {

constexpr double kDeg = core::kDegToRad;

ClassifierInput Ballistic() {  // mid-course, descending from a 400 km apogee
  ClassifierInput in;
  in.t_since_first_track_s = 120.0;
  in.altitude_m = 250e3;
  in.speed_mps = 5000.0;
  in.max_altitude_m = 400e3;
  in.min_altitude_m_since_apogee = 250e3;
  in.vertical_speed_mps = -2100.0;
  in.specific_aero_accel_mps2 = 0.05;
  in.flight_path_angle_rad = -25.0 * kDeg;
  return in;
}

ClassifierInput Glider() {  // HTV-2-class glide after a 90 km boost, skipping up 2 km
  ClassifierInput in;
  in.t_since_first_track_s = 120.0;
  in.altitude_m = 45e3;
  in.speed_mps = 5000.0;
  in.max_altitude_m = 90e3;
  in.min_altitude_m_since_apogee = 43e3;
  in.vertical_speed_mps = 40.0;
  in.specific_aero_accel_mps2 = 6.2;  // ~ (g - v^2/r) sqrt(1 + (D/L)^2) at 5 km/s
  in.flight_path_angle_rad = 0.5 * kDeg;
  return in;
}

ClassifierInput Cruise() {  // scramjet-class cruise at 22 km, Mach ~4.5, never above 23 km
  ClassifierInput in;
  in.t_since_first_track_s = 120.0;
  in.altitude_m = 22e3;
  in.speed_mps = 1330.0;
  in.max_altitude_m = 23e3;
  in.min_altitude_m_since_apogee = 21.9e3;
  in.vertical_speed_mps = 2.0;
  in.specific_aero_accel_mps2 = 9.4;  // lift ~ weight
  in.flight_path_angle_rad = 0.1 * kDeg;
  return in;
}

double Sum(const ClassProbabilities& p) {
  return p.ballistic + p.boost_glide + p.cruise + p.unknown;
}

TEST(Classification, BallisticMidcourse) {
  const ClassProbabilities p = Classify(Ballistic());
  EXPECT_EQ(p.best, ThreatClassEstimate::kBallistic);
  // Every feature sits in the ballistic band and outside the lifting ones: confident.
  EXPECT_GT(p.ballistic, 0.95);
  EXPECT_NEAR(Sum(p), 1.0, 1e-12);
}

TEST(Classification, BallisticReentryWithDrag) {
  ClassifierInput in = Ballistic();
  in.altitude_m = 40e3;
  in.min_altitude_m_since_apogee = 40e3;
  in.speed_mps = 4000.0;
  in.flight_path_angle_rad = -35.0 * kDeg;
  in.specific_aero_accel_mps2 = 3.2;  // drag rho v^2 / (2 beta), beta = 10,000 kg/m^2, at 40 km
  const ClassProbabilities p = Classify(in);
  EXPECT_EQ(p.best, ThreatClassEstimate::kBallistic);
  EXPECT_GT(p.ballistic, 0.9);  // steep dive from a 400 km apogee: no lifting regime fits
}

TEST(Classification, Glider) {
  const ClassProbabilities p = Classify(Glider());
  EXPECT_EQ(p.best, ThreatClassEstimate::kBoostGlide);
  EXPECT_GT(p.boost_glide, 0.9);
  // It climbed 2 km after apogee and flies level 45 km below it: a Keplerian arc could do
  // neither (each feature only soft-vetoes, so a few % remain).
  EXPECT_LT(p.ballistic, 0.05);
}

TEST(Classification, Cruise) {
  const ClassProbabilities p = Classify(Cruise());
  EXPECT_EQ(p.best, ThreatClassEstimate::kCruise);
  // Low, Mach 4.5, never high: only the glider's shoulders overlap (factor ~5 against it).
  EXPECT_GT(p.cruise, 0.7);
  EXPECT_LT(p.ballistic, 0.01);
}

TEST(Classification, GlideOrCruiseIsAmbiguous) {
  // 30 km, Mach 6, level, lift ~ weight, never above 45 km: inside both the glide and the cruise
  // envelopes. Neither may be claimed with confidence, but together they are.
  ClassifierInput in = Cruise();
  in.altitude_m = 30e3;
  in.speed_mps = 6.0 * 301.7;  // Mach 6 at 30 km (US-76 sound speed 301.7 m/s)
  in.max_altitude_m = 42e3;
  in.min_altitude_m_since_apogee = 29.9e3;
  const ClassProbabilities p = Classify(in);
  EXPECT_LT(p.best_probability, 0.8);
  EXPECT_GT(p.boost_glide + p.cruise, 0.9);
  EXPECT_GT(p.boost_glide, 0.2);
  EXPECT_GT(p.cruise, 0.2);
  EXPECT_LT(p.ballistic, 0.02);
}

TEST(Classification, YoungTrackIsUnknown) {
  ClassifierInput in = Ballistic();
  in.t_since_first_track_s = 2.0;  // below the 5 s evidence threshold: the prior alone
  const ClassProbabilities p = Classify(in);
  const ClassifierPrior prior;
  EXPECT_EQ(p.best, ThreatClassEstimate::kUnknown);
  EXPECT_NEAR(p.unknown, prior.unknown, 1e-12);
  EXPECT_NEAR(p.ballistic, prior.ballistic, 1e-12);
  // Half-way through the tempering ramp the ballistic evidence already leads but less strongly.
  in.t_since_first_track_s = 17.5;
  const ClassProbabilities half = Classify(in);
  const ClassProbabilities full = Classify(Ballistic());
  EXPECT_GT(half.ballistic, prior.ballistic);
  EXPECT_LT(half.ballistic, full.ballistic);
}

TEST(Classification, FitsNoRegimeIsUnknown) {
  // 70 km, 1 km/s, climbing at 20 deg and pulling 3 g: not a Keplerian arc (far too much
  // acceleration for the thin air), not a glide (too slow, too high, too steep), not a cruise.
  ClassifierInput in;
  in.t_since_first_track_s = 60.0;
  in.altitude_m = 70e3;
  in.speed_mps = 1000.0;
  in.max_altitude_m = 70e3;
  in.min_altitude_m_since_apogee = std::numeric_limits<double>::quiet_NaN();  // still climbing
  in.vertical_speed_mps = 340.0;
  in.specific_aero_accel_mps2 = 30.0;
  in.flight_path_angle_rad = 20.0 * kDeg;
  const ClassProbabilities p = Classify(in);
  EXPECT_EQ(p.best, ThreatClassEstimate::kUnknown);
  EXPECT_GT(p.unknown, 0.5);
}

TEST(Classification, ModeProbabilitiesShiftTheAnswer) {
  ClassifierInput in = Cruise();
  in.altitude_m = 30e3;
  in.speed_mps = 6.0 * 301.7;
  in.max_altitude_m = 42e3;
  const double base = Classify(in).boost_glide;
  in.mode_probabilities = {{"glide", 0.9}, {"cv", 0.1}};
  const double with_glide = Classify(in).boost_glide;
  in.mode_probabilities = {{"glide", 0.05}, {"cv", 0.95}};
  const double with_cv = Classify(in).boost_glide;
  EXPECT_GT(with_glide, base);
  EXPECT_LT(with_cv, base);
  // A ballistic mode lifts the ballistic posterior of a ballistic track further.
  ClassifierInput b = Ballistic();
  b.specific_aero_accel_mps2 = std::numeric_limits<double>::quiet_NaN();  // skipped feature
  const double b0 = Classify(b).ballistic;
  b.mode_probabilities = {{"ballistic", 0.95}, {"ca", 0.05}};
  EXPECT_GT(Classify(b).ballistic, b0);
}

TEST(Classification, MissingFeaturesGiveThePrior) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ClassifierInput in;
  in.t_since_first_track_s = 100.0;
  in.altitude_m = in.speed_mps = in.max_altitude_m = in.min_altitude_m_since_apogee = nan;
  in.vertical_speed_mps = in.specific_aero_accel_mps2 = in.flight_path_angle_rad = nan;
  const ClassProbabilities p = Classify(in);
  EXPECT_NEAR(p.unknown, ClassifierPrior{}.unknown, 1e-12);
  EXPECT_NEAR(Sum(p), 1.0, 1e-12);
  EXPECT_STREQ(ToString(p.best), "unknown");
}

}  // namespace
}  // namespace hyperdef::assessment

// Walker constellations (Walker 1984): counts, ids, plane spacing, phasing, altitude.
#include "orbits/constellation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "core/constants.h"

namespace hyperdef::orbits {
namespace {

using core::kDegToRad;

double Deg(double rad) { return rad * core::kRadToDeg; }
double WrapDeg(double d) { return std::remainder(d, 360.0); }

WalkerConfig Tranche1Like(WalkerPattern pattern) {
  // SDA Tracking Layer Tranche 1 class: 28 satellites, 4 planes of 7, ~1,000 km, near-polar.
  WalkerConfig c;
  c.pattern = pattern;
  c.total = 28;
  c.planes = 4;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 81.0 * kDegToRad;
  c.id_prefix = "trk";
  return c;
}

TEST(Constellation, Walker28_4_1DeltaSpacingAndIds) {
  const std::vector<Satellite> sats = MakeWalkerConstellation(Tranche1Like(WalkerPattern::kDelta));
  ASSERT_EQ(sats.size(), 28u);
  std::set<std::string> ids;
  for (const Satellite& s : sats) {
    ids.insert(s.id);
    EXPECT_NEAR(s.elements.a_m - core::kWgs84A_m, 1000e3, 1e-6);
    EXPECT_EQ(s.elements.e, 0.0);
    EXPECT_NEAR(Deg(s.elements.i_rad), 81.0, 1e-12);
    // Plane p at 90 p deg (360/P), slot s at 360/7 s + p * 360/28 (F = 1).
    EXPECT_NEAR(WrapDeg(Deg(s.elements.raan_rad) - 90.0 * s.plane), 0.0, 1e-9);
    EXPECT_NEAR(
        WrapDeg(Deg(s.elements.true_anomaly_rad) - 360.0 / 7 * s.slot - 360.0 / 28 * s.plane), 0.0,
        1e-9);
  }
  EXPECT_EQ(ids.size(), 28u);
  EXPECT_EQ(sats.front().id, "trk-p0-s0");
  EXPECT_EQ(sats.back().id, "trk-p3-s6");
  EXPECT_TRUE(ids.count("trk-p2-s4"));
  // Relative phase between adjacent planes = F * 360 / T = 12.857 deg.
  const Satellite& p0 = sats[0];
  const Satellite& p1 = sats[7];
  ASSERT_EQ(p1.plane, 1);
  ASSERT_EQ(p1.slot, 0);
  EXPECT_NEAR(Deg(p1.elements.true_anomaly_rad - p0.elements.true_anomaly_rad), 360.0 / 28, 1e-9);
}

TEST(Constellation, StarSpreadsNodesOver180Degrees) {
  const auto delta = MakeWalkerConstellation(Tranche1Like(WalkerPattern::kDelta));
  const auto star = MakeWalkerConstellation(Tranche1Like(WalkerPattern::kStar));
  ASSERT_EQ(star.size(), 28u);
  double max_delta = 0, max_star = 0;
  for (size_t k = 0; k < star.size(); ++k) {
    max_delta = std::max(max_delta, Deg(delta[k].elements.raan_rad));
    max_star = std::max(max_star, Deg(star[k].elements.raan_rad));
    EXPECT_NEAR(WrapDeg(Deg(star[k].elements.raan_rad) - 45.0 * star[k].plane), 0.0, 1e-9);
  }
  EXPECT_NEAR(max_delta, 270.0, 1e-9);  // 0, 90, 180, 270
  EXPECT_NEAR(max_star, 135.0, 1e-9);   // 0, 45, 90, 135
}

TEST(Constellation, ValidationNamesTheProblem) {
  WalkerConfig c = Tranche1Like(WalkerPattern::kDelta);
  c.planes = 5;
  try {
    MakeWalkerConstellation(c);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("divide total"), std::string::npos);
  }
  c = Tranche1Like(WalkerPattern::kDelta);
  c.phasing = 4;
  EXPECT_THROW(MakeWalkerConstellation(c), std::invalid_argument);
  c = Tranche1Like(WalkerPattern::kDelta);
  c.altitude_m = -1.0;
  EXPECT_THROW(MakeWalkerConstellation(c), std::invalid_argument);
}

TEST(Constellation, ExplicitList) {
  KeplerianElements el{core::kWgs84A_m + 550e3, 0.0, 53.0 * kDegToRad, 0.0, 0.0, 0.0};
  const auto sats = MakeExplicitConstellation("jp", {{0, 0, el}, {0, 1, el}, {2, 0, el}});
  ASSERT_EQ(sats.size(), 3u);
  EXPECT_EQ(sats[2].id, "jp-p2-s0");
  EXPECT_THROW(MakeExplicitConstellation("jp", {{0, 0, el}, {0, 0, el}}), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::orbits

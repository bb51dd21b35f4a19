// Keplerian elements <-> Cartesian state (Vallado 4th ed. algorithms 9/10) and Kepler's equation:
// property tests (round trips, energy and angular momentum) plus Vallado's worked example 2-1.
#include "orbits/keplerian.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "core/constants.h"

namespace hyperdef::orbits {
namespace {

using core::kDegToRad;
using core::kTwoPi;

double AngleDiff(double a, double b) { return std::remainder(a - b, kTwoPi); }

void ExpectRoundTrip(const KeplerianElements& el) {
  const CartesianState s = StateFromElements(el);
  const KeplerianElements back = ElementsFromState(s);
  EXPECT_NEAR(back.a_m / el.a_m, 1.0, 1e-9);
  EXPECT_NEAR(back.e, el.e, 1e-9);
  EXPECT_NEAR(back.i_rad, el.i_rad, 1e-9);
  EXPECT_NEAR(AngleDiff(back.raan_rad, el.raan_rad), 0.0, 1e-9);
  EXPECT_NEAR(AngleDiff(back.argp_rad, el.argp_rad), 0.0, 1e-9);
  EXPECT_NEAR(AngleDiff(back.true_anomaly_rad, el.true_anomaly_rad), 0.0, 1e-9);
  // And the state again, to 1e-9 relative.
  const CartesianState s2 = StateFromElements(back);
  EXPECT_LT((s2.r_m - s.r_m).norm() / s.r_m.norm(), 1e-9);
  EXPECT_LT((s2.v_mps - s.v_mps).norm() / s.v_mps.norm(), 1e-9);
}

TEST(Keplerian, RoundTripGenericOrbits) {
  for (double e : {0.001, 0.1, 0.5, 0.9}) {
    for (double i_deg : {1.0, 28.5, 63.4, 98.0, 179.0}) {
      for (double nu_deg : {0.0, 45.0, 179.0, 181.0, 300.0}) {
        KeplerianElements el{7000e3 / (1.0 - e), e, i_deg * kDegToRad, 4.0, 1.3,
                             nu_deg * kDegToRad};
        SCOPED_TRACE(testing::Message() << "e=" << e << " i=" << i_deg << " nu=" << nu_deg);
        ExpectRoundTrip(el);
      }
    }
  }
}

TEST(Keplerian, SpecialCasesFollowTheDocumentedConvention) {
  // Circular inclined: argp = 0, anomaly = argument of latitude.
  KeplerianElements circ{7378e3, 0.0, 1.0, 2.0, 0.0, 1.5};
  ExpectRoundTrip(circ);
  // Equatorial elliptic: raan = 0, argp = longitude of perigee.
  KeplerianElements eq{8000e3, 0.2, 0.0, 0.0, 0.7, 2.5};
  ExpectRoundTrip(eq);
  // Circular equatorial (GEO-like): true longitude.
  KeplerianElements geo{42164e3, 0.0, 0.0, 0.0, 0.0, 4.0};
  ExpectRoundTrip(geo);
  // Retrograde equatorial.
  KeplerianElements retro{8000e3, 0.0, core::kPi, 0.0, 0.0, 1.0};
  ExpectRoundTrip(retro);
}

TEST(Keplerian, StateConservesEnergyAndMomentum) {
  const KeplerianElements el{26560e3, 0.7, 1.1, 0.4, 4.5, 0.3};
  const double mu = core::kEarthMu_m3ps2;
  const double p = el.a_m * (1 - el.e * el.e);
  for (double nu = 0.0; nu < kTwoPi; nu += 0.5) {
    KeplerianElements x = el;
    x.true_anomaly_rad = nu;
    const CartesianState s = StateFromElements(x);
    EXPECT_NEAR(0.5 * s.v_mps.squaredNorm() - mu / s.r_m.norm(), -mu / (2 * el.a_m), 1e-6);
    EXPECT_NEAR(s.r_m.cross(s.v_mps).norm(), std::sqrt(mu * p), 1e-3);
  }
}

TEST(Keplerian, KeplerEquation) {
  // Vallado 4th ed. example 2-1: M = 235.4 deg, e = 0.4 -> E = 220.512074767522 deg.
  EXPECT_NEAR(std::remainder(SolveKepler(235.4 * kDegToRad, 0.4), kTwoPi) * core::kRadToDeg,
              220.512074767522 - 360.0, 1e-9);
  for (double e : {0.0, 0.01, 0.3, 0.7, 0.95, 0.999}) {
    for (double M = -10.0; M < 10.0; M += 0.37) {
      const double E = SolveKepler(M, e);
      EXPECT_NEAR(std::remainder(E - e * std::sin(E) - M, kTwoPi), 0.0, 1e-12) << e << " " << M;
    }
  }
  // Anomaly conversions invert each other.
  for (double nu = -3.0; nu < 3.0; nu += 0.25) {
    EXPECT_NEAR(AngleDiff(TrueFromMeanAnomaly(MeanFromTrueAnomaly(nu, 0.6), 0.6), nu), 0.0, 1e-12);
  }
  EXPECT_THROW(SolveKepler(1.0, 1.0), std::invalid_argument);
}

TEST(Keplerian, TwoBodyPropagationReturnsAfterOnePeriod) {
  const KeplerianElements el{10000e3, 0.3, 0.5, 0.1, 0.2, 0.3};
  const double T = Period_s(el.a_m);
  const KeplerianElements back = PropagateTwoBody(el, T);
  EXPECT_NEAR(AngleDiff(back.true_anomaly_rad, el.true_anomaly_rad), 0.0, 1e-10);
  const KeplerianElements half = PropagateTwoBody({10000e3, 0.3, 0.5, 0.1, 0.2, 0.0}, 0.5 * T);
  EXPECT_NEAR(AngleDiff(half.true_anomaly_rad, core::kPi), 0.0, 1e-10);  // apogee
}

TEST(Keplerian, RejectsUnboundOrbits) {
  EXPECT_THROW(StateFromElements({7000e3, 1.2, 0, 0, 0, 0}), std::invalid_argument);
  CartesianState s{core::Vec3(7000e3, 0, 0), core::Vec3(0, 12000.0, 0)};  // above escape speed
  EXPECT_THROW(ElementsFromState(s), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::orbits

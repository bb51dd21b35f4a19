#include "assessment/footprint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"

namespace hyperdef::assessment {
namespace {

using core::kDegToRad;

// Closed-form glide range (km) for (L/D, v0) from the shared reference table.
double ClosedFormRange_km(double ld, double v0) {
  std::ifstream in(std::string(HYPERDEF_REFERENCE_DIR) + "/glide-range-closed-form.csv");
  EXPECT_TRUE(in.good()) << "missing glide-range-closed-form.csv";
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == 'l') continue;
    std::stringstream ss(line);
    double l, v, r;
    char comma;
    ss >> l >> comma >> v >> comma >> r;
    if (std::abs(l - ld) < 1e-9 && std::abs(v - v0) < 1e-9) return r;
  }
  ADD_FAILURE() << "row not found";
  return 0.0;
}

// HTV-2-class state: 6 km/s Earth-relative, level, 40 km, at (lat, lon), heading `hdg`.
tracking::Gaussian GliderState(const tracking::TrackingFrame& frame, double lat, double lon,
                               double hdg, double sigma_r = 1.0, double sigma_v = 0.1) {
  const Vec3 r = earth::EcefFromGeodetic({lat, lon, 40e3});
  const Vec3 v = flight::VelocityFromAngles(r, 6000.0, 0.0, hdg);
  tracking::Gaussian g;
  g.x.resize(6);
  g.x << frame.PositionEci(r, 0.0), frame.VelocityEci(r, v, 0.0);
  g.P = tracking::StateMatrix::Zero(6, 6);
  for (int i = 0; i < 3; ++i) {
    g.P(i, i) = sigma_r * sigma_r;
    g.P(i + 3, i + 3) = sigma_v * sigma_v;
  }
  return g;
}

double StraightRange_m(const Footprint& fp) {
  return earth::GeodesicDistance_m(fp.origin_lat_lon_rad.first, fp.origin_lat_lon_rad.second,
                                   fp.straight_end_lat_lon_rad.first,
                                   fp.straight_end_lat_lon_rad.second);
}

// Semi-analytic cross-range of the same control (constant bank sigma until the heading has turned
// 90 deg, then wings level) in the classical equilibrium-glide approximation (flat-Earth
// kinematics, constant g and R; Eggers, Allen & Neice 1958; Vinh, Busemann & Culp 1980, ch. 8):
//   L cos(sigma) = m (g - v^2/R),  D = L/(L/D)  =>
//   dpsi/dv = -(L/D) sin(sigma)/v,   ds/dv = -(L/D) cos(sigma) v / (g - v^2/R).
// Returns the lateral offset (m) at v_end.
double EggersCrossRange_m(double ld, double sigma, double v0, double v_end) {
  const double g = 9.81, R = core::kEarthMeanRadius_m;
  double psi = 0.0, y = 0.0;
  const int n = 20000;
  const double dv = (v_end - v0) / n;  // negative
  auto deriv = [&](double v, double p, double* dp, double* dy) {
    const double s = p < 0.5 * core::kPi ? sigma : 0.0;
    *dp = -ld * std::sin(s) / v;
    *dy = -ld * std::cos(s) * v / (g - v * v / R) * std::sin(p);
  };
  double v = v0;
  for (int i = 0; i < n; ++i) {  // RK4 in v
    double k1p, k1y, k2p, k2y, k3p, k3y, k4p, k4y;
    deriv(v, psi, &k1p, &k1y);
    deriv(v + 0.5 * dv, psi + 0.5 * dv * k1p, &k2p, &k2y);
    deriv(v + 0.5 * dv, psi + 0.5 * dv * k2p, &k3p, &k3y);
    deriv(v + dv, psi + dv * k3p, &k4p, &k4y);
    psi += dv / 6.0 * (k1p + 2 * k2p + 2 * k3p + k4p);
    y += dv / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y);
    v += dv;
  }
  return y;
}

TEST(Footprint, MaxDownrangeMatchesEquilibriumGlideClosedForm) {
  // Northbound from the equator, where the Coriolis force on the initial velocity vanishes
  // (omega parallel to v), glide down to 1500 m/s as the closed form does.
  tracking::TrackingFrame frame;
  const tracking::Gaussian g = GliderState(frame, 0.0, 0.5, 0.0);
  FootprintOptions opt;
  opt.terminal_speed_mps = 1500.0;
  const Footprint fp = ReachableFootprint(g, frame, 0.0, opt);
  const double closed_km = ClosedFormRange_km(2.6, 6000.0);  // 6803 km
  // The same closed form validates the threats layer's glider to 4 % (docs/validation.md: it
  // assumes constant g = 9.81 and R = 6371 km and an ideal, never-descending glide). Here the
  // glide also starts 9 km below the 49 km equilibrium altitude (a pull-up phugoid) over a
  // rotating Earth (Coriolis grows as the track bends away from north), so we hold it to the
  // brief's 15 %; measured -0.1 %.
  EXPECT_NEAR(StraightRange_m(fp) / 1e3 / closed_km, 1.0, 0.15);
  EXPECT_NEAR(fp.max_range_m, StraightRange_m(fp), 1.0);  // the straight ray reaches farthest
  EXPECT_LT(fp.min_range_m, 0.8 * fp.max_range_m);        // banked rays lose range

  // Earth rotation: eastbound flight gains the centrifugal/Coriolis lift, westbound loses it.
  const double east = StraightRange_m(
      ReachableFootprint(GliderState(frame, 0.0, 0.5, 0.5 * core::kPi), frame, 0.0, opt));
  const double west = StraightRange_m(
      ReachableFootprint(GliderState(frame, 0.0, 0.5, -0.5 * core::kPi), frame, 0.0, opt));
  EXPECT_GT(east, StraightRange_m(fp) * 1.03);  // measured +13 %, 2 omega v ~ 0.9 m/s^2 of lift
  EXPECT_LT(west, StraightRange_m(fp) * 0.97);  // measured -9 %
}

TEST(Footprint, CrossRangeMatchesEggersApproximation) {
  tracking::TrackingFrame frame;
  const tracking::Gaussian g = GliderState(frame, 0.0, 0.5, 0.0);
  FootprintOptions opt;
  opt.terminal_speed_mps = 1500.0;
  const Footprint fp = ReachableFootprint(g, frame, 0.0, opt);
  const auto o = fp.origin_lat_lon_rad;
  double az_s = 0.0;
  const double down =
      earth::GeodesicDistance_m(o.first, o.second, fp.straight_end_lat_lon_rad.first,
                                fp.straight_end_lat_lon_rad.second, &az_s);
  double cross_left = 0.0, cross_right = 0.0;
  for (const auto& e : fp.ray_end_lat_lon_rad) {
    double az = 0.0;
    const double d = earth::GeodesicDistance_m(o.first, o.second, e.first, e.second, &az);
    const double R = core::kEarthMeanRadius_m;
    const double xt = R * std::asin(std::sin(d / R) * std::sin(az - az_s));
    cross_left = std::max(cross_left, -xt);
    cross_right = std::max(cross_right, xt);
  }
  const double ratio = cross_right / down;
  const double eggers = EggersCrossRange_m(2.6, opt.max_bank_rad, 6000.0, 1500.0) /
                        (2.6 * 0.5 * core::kEarthMeanRadius_m *
                         std::log((1.0 - 1500.0 * 1500.0 / (9.81 * core::kEarthMeanRadius_m)) /
                                  (1.0 - 6000.0 * 6000.0 / (9.81 * core::kEarthMeanRadius_m))));
  // The equilibrium-glide approximation gives 0.36 of the straight range for bank 45 deg (held
  // to a 90 deg turn) at L/D 2.6; our point-mass flight (sphere, J2, rotation, phugoid) should
  // agree to ~15 % (its downrange already differs from the same approximation by up to 13 %
  // with heading). The classical "10-30 %" rule of thumb is for lower L/D or smaller banks.
  EXPECT_NEAR(ratio / eggers, 1.0, 0.15);
  EXPECT_GT(ratio, 0.10);
  EXPECT_LT(ratio, 0.45);
  // Left and right are nearly symmetric (northbound at the equator; rotation breaks it slightly).
  EXPECT_NEAR(cross_left / cross_right, 1.0, 0.1);
}

TEST(Footprint, PolygonIsSimpleAndContainsTheStraightAheadPoint) {
  tracking::TrackingFrame frame;
  frame.era0_rad = 1.0;
  for (double hdg : {0.0, 1.0, -2.5}) {
    const tracking::Gaussian g = GliderState(frame, 0.3, -0.4, hdg);
    const Footprint fp = ReachableFootprint(g, frame, 0.0);
    ASSERT_GE(fp.polygon_lat_lon_rad.size(), 3u);
    EXPECT_FALSE(fp.star_fallback);
    EXPECT_FALSE(RingSelfIntersects(fp.polygon_lat_lon_rad));  // lat/lon: no antimeridian here
    // 97 % of the way to the straight ray's end: inside (the end itself is a vertex).
    const auto o = fp.origin_lat_lon_rad;
    double az = 0.0;
    const double d = earth::GeodesicDistance_m(o.first, o.second, fp.straight_end_lat_lon_rad.first,
                                               fp.straight_end_lat_lon_rad.second, &az);
    double lat, lon;
    earth::GeodesicDirect(o.first, o.second, az, 0.97 * d, &lat, &lon);
    EXPECT_TRUE(FootprintReaches(fp, lat, lon, 0.0));
    // 10 % beyond it: outside, even with a 50 km asset radius.
    earth::GeodesicDirect(o.first, o.second, az, 1.1 * d, &lat, &lon);
    EXPECT_FALSE(FootprintReaches(fp, lat, lon, 50e3));
  }
}

// The tracker's assessment flies its rays with 10 s RK4 steps (src/sim/tracking_run.cc) for a
// fifth of the cost of the default 2 s. Against 0.5 s steps (converged: 0.5 s and 1 s agree to
// about 2 m) every ray's end stays within 1 km for glides of 1,300 to 7,600 km from 3 to 6 km/s
// (measured: <= 0.2 km). 1 km is 3 % of the regional example's 30 km asset radius and far below
// the model's own error (the defender's guessed L/D and beta move the ends by hundreds of km).
TEST(Footprint, TenSecondStepsKeepRayEndsWithinAKilometre) {
  tracking::TrackingFrame frame;
  for (double v0 : {3000.0, 4200.0, 6000.0}) {
    const Vec3 r = earth::EcefFromGeodetic({38.5 * kDegToRad, 131.0 * kDegToRad, 40e3});
    const Vec3 v = flight::VelocityFromAngles(r, v0, 0.0, 110.0 * kDegToRad);
    FootprintOptions fine, coarse;
    fine.step_s = 0.5;
    coarse.step_s = 10.0;
    const Vec3 r_Eci = frame.PositionEci(r, 0.0), v_Eci = frame.VelocityEci(r, v, 0.0);
    const Footprint a = ReachableFootprintOf(r_Eci, v_Eci, frame, 0.0, fine);
    const Footprint b = ReachableFootprintOf(r_Eci, v_Eci, frame, 0.0, coarse);
    ASSERT_EQ(a.ray_end_lat_lon_rad.size(), b.ray_end_lat_lon_rad.size());
    for (size_t i = 0; i < a.ray_end_lat_lon_rad.size(); ++i) {
      const auto& p = a.ray_end_lat_lon_rad[i];
      const auto& q = b.ray_end_lat_lon_rad[i];
      EXPECT_LT(earth::GeodesicDistance_m(p.first, p.second, q.first, q.second), 1e3)
          << "v0 " << v0 << " ray " << i;
    }
  }
}

TEST(Footprint, SpiralRaysStillGiveASimplePolygon) {
  // Banks of 80 deg held for a full 180 deg turn make the extreme rays curl back: whichever ring
  // is chosen must be simple.
  tracking::TrackingFrame frame;
  FootprintOptions opt;
  opt.max_bank_rad = 80.0 * kDegToRad;
  opt.max_heading_change_rad = core::kPi;
  const Footprint fp = ReachableFootprint(GliderState(frame, 0.2, 0.1, 0.7), frame, 0.0, opt);
  EXPECT_FALSE(RingSelfIntersects(fp.polygon_lat_lon_rad));
}

TEST(Footprint, RingSelfIntersection) {
  EXPECT_FALSE(RingSelfIntersects({{0, 0}, {1, 0}, {1, 1}, {0, 1}}));
  EXPECT_TRUE(RingSelfIntersects({{0, 0}, {1, 1}, {1, 0}, {0, 1}}));  // bow tie
}

TEST(Footprint, SlowOrLowStateGivesAPoint) {
  tracking::TrackingFrame frame;
  const Vec3 r = earth::EcefFromGeodetic({0.1, 0.2, 15e3});
  tracking::Gaussian g;
  g.x.resize(6);
  g.x << r, flight::VelocityFromAngles(r, 3000.0, 0.0, 0.0);
  g.P = tracking::StateMatrix::Identity(6, 6);
  const Footprint fp = ReachableFootprint(g, frame, 0.0);  // below the 20 km terminal height
  ASSERT_EQ(fp.polygon_lat_lon_rad.size(), 1u);
  EXPECT_EQ(fp.max_range_m, 0.0);
  EXPECT_TRUE(FootprintReaches(fp, 0.1, 0.2, 1e3));
}

TEST(AssetThreat, FarAssetIsSafeAndOnPathAssetIsThreatened) {
  tracking::TrackingFrame frame;
  // A track with 1 km / 20 m/s (1 sigma per axis) uncertainty.
  const tracking::Gaussian g = GliderState(frame, 0.3, 0.5, 1.0, 1000.0, 20.0);
  const FootprintOptions opt;
  const Footprint fp = ReachableFootprint(g, frame, 0.0, opt);
  const auto o = fp.origin_lat_lon_rad;
  double az = 0.0;
  const double d = earth::GeodesicDistance_m(o.first, o.second, fp.straight_end_lat_lon_rad.first,
                                             fp.straight_end_lat_lon_rad.second, &az);
  double lat, lon;
  earth::GeodesicDirect(o.first, o.second, az, 0.5 * d, &lat, &lon);
  const int n = 16;
  // Every sampled footprint covers the middle of the nominal path (the spread moves the fan by
  // tens of km, its width there is thousands): expect all 16.
  EXPECT_EQ(AssetThreatProbability(g, frame, 0.0, opt, lat, lon, 20e3, n, 11), 1.0);
  // 1500 km behind the vehicle: no footprint reaches back there.
  earth::GeodesicDirect(o.first, o.second, az + core::kPi, 1500e3, &lat, &lon);
  EXPECT_EQ(AssetThreatProbability(g, frame, 0.0, opt, lat, lon, 20e3, n, 11), 0.0);
  // Near the range limit straight ahead (the end +- the sampled spread): strictly between.
  earth::GeodesicDirect(o.first, o.second, az, d + 0.0, &lat, &lon);
  const double edge = AssetThreatProbability(g, frame, 0.0, opt, lat, lon, 0.0, 32, 11);
  EXPECT_GE(edge, 0.0);
  EXPECT_LE(edge, 1.0);
  // Same seed, same answer (counter-based stream).
  EXPECT_EQ(edge, AssetThreatProbability(g, frame, 0.0, opt, lat, lon, 0.0, 32, 11));
}

// The asset-threat tests' glider track: at 40 km over the Sea of Japan, heading 110 deg at
// `speed`, with 1 sigma of 1 km and 20 m/s per axis times `scale`.
tracking::Gaussian EdgeCaseTrack(const tracking::TrackingFrame& frame, double speed, double scale) {
  const Vec3 r = earth::EcefFromGeodetic({38.5 * kDegToRad, 131.0 * kDegToRad, 40e3});
  const Vec3 v = flight::VelocityFromAngles(r, speed, 0.0, 110.0 * kDegToRad);
  tracking::Gaussian g;
  g.x.resize(6);
  g.x << frame.PositionEci(r, 0.0), frame.VelocityEci(r, v, 0.0);
  g.P = tracking::StateMatrix::Zero(6, 6);
  for (int i = 0; i < 3; ++i) {
    g.P(i, i) = std::pow(1000.0 * scale, 2);
    g.P(i + 3, i + 3) = std::pow(20.0 * scale, 2);
  }
  return g;
}

// Assets of radius 2 km on the lines from the footprint's ground point through each end, at the
// end's distance plus each offset.
std::vector<AssetCircle> AssetsAcrossEnds(const Footprint& fp,
                                          const std::vector<std::pair<double, double>>& ends,
                                          const std::vector<double>& offsets_m) {
  std::vector<AssetCircle> assets;
  const auto o = fp.origin_lat_lon_rad;
  for (const auto& e : ends) {
    double az = 0.0;
    const double d = earth::GeodesicDistance_m(o.first, o.second, e.first, e.second, &az);
    for (double off : offsets_m) {
      double lat, lon;
      earth::GeodesicDirect(o.first, o.second, az, d + off, &lat, &lon);
      assets.push_back({lat, lon, 2e3});
    }
  }
  return assets;
}

// The linearised probabilities (what the tracker uses) against sampling every footprint exactly,
// with the same draws, for assets on the edges of the footprint where the answer is uncertain:
// straight ahead near the range limit, and at the ends of the extreme rays (the cross-range
// edge), for tracks with 1 km / 20 m/s and 3 km / 60 m/s (1 sigma per axis) errors from 4.2 and
// 6 km/s. The expansion's error (< 1 km at these spreads, header) only flips samples whose
// footprint edge passes within ~1 km of the asset, out of a spread of tens of km, so at most a
// few of 200; 0.06 allows 12 and still fails an expansion with slopes 2x too large or too small
// or a wrong vertex order (checked by breaking the code: differences of 0.1 to 0.5).
TEST(AssetThreat, LinearisedAgreesWithExactSamplingOnTheEdges) {
  tracking::TrackingFrame frame;
  const int n = 200;
  double worst = 0.0;
  for (double speed : {4200.0, 6000.0}) {
    for (double scale : {1.0, 3.0}) {
      const tracking::Gaussian g = EdgeCaseTrack(frame, speed, scale);
      FootprintOptions opt;
      opt.step_s = 10.0;
      const Footprint fp = ReachableFootprint(g, frame, 0.0, opt);
      // Small assets on lines from the ground point through three ray ends, from 40 km short of
      // the end to 40 km beyond it: the probabilities fall from ~1 to ~0 along each line, at a
      // rate set by the spread.
      const std::vector<AssetCircle> assets =
          AssetsAcrossEnds(fp,
                           {fp.straight_end_lat_lon_rad, fp.ray_end_lat_lon_rad.front(),
                            fp.ray_end_lat_lon_rad.back()},
                           {-40e3, -20e3, -10e3, 0.0, 10e3, 20e3, 40e3});
      const std::vector<double> exact = AssetThreatProbabilities(g, frame, 0.0, opt, assets, n, 11);
      Footprint mean;
      const std::vector<double> lin =
          AssetThreatProbabilitiesLinearised(g, frame, 0.0, opt, assets, n, 11, &mean);
      // The mean footprint it hands back is ReachableFootprint's, bit for bit.
      EXPECT_EQ(mean.polygon_lat_lon_rad, fp.polygon_lat_lon_rad);
      EXPECT_EQ(mean.ray_end_lat_lon_rad, fp.ray_end_lat_lon_rad);
      EXPECT_EQ(mean.max_range_m, fp.max_range_m);
      EXPECT_EQ(mean.min_range_m, fp.min_range_m);
      int uncertain = 0;
      for (size_t a = 0; a < assets.size(); ++a) {
        EXPECT_NEAR(lin[a], exact[a], 0.06)
            << "speed " << speed << " scale " << scale << " asset " << a;
        worst = std::max(worst, std::abs(lin[a] - exact[a]));
        if (exact[a] > 0.05 && exact[a] < 0.95) ++uncertain;
      }
      // Several assets where the answer is uncertain (else the comparison proves little).
      EXPECT_GE(uncertain, 4) << "speed " << speed << " scale " << scale;
    }
  }
  RecordProperty("worst_difference", std::to_string(worst));
}

// The one-sigma fans fly every other bank (sensitivity_ray_stride 2, the default) and the ends
// between take interpolated slopes: against every bank flown (stride 1), with the same draws,
// on assets across every ray end. A fan end's slope is smooth in bank, so the interpolated ends
// move each drawn footprint by much less than the spread of tens of km: the worst difference is
// 0.01 (2 of 200 samples). 0.02 fails ends left without slopes (checked: 0.54) and is reached by
// taking the nearer flown bank's slope instead of interpolating (checked: 0.020).
TEST(AssetThreat, InterpolatedFanSlopesAgreeWithEveryBankFlown) {
  tracking::TrackingFrame frame;
  const int n = 200;
  double worst = 0.0;
  for (double speed : {4200.0, 6000.0}) {
    for (double scale : {1.0, 3.0}) {
      const tracking::Gaussian g = EdgeCaseTrack(frame, speed, scale);
      FootprintOptions every;
      every.step_s = 10.0;
      every.sensitivity_ray_stride = 1;
      FootprintOptions strided = every;
      strided.sensitivity_ray_stride = 2;
      const Footprint fp = ReachableFootprint(g, frame, 0.0, every);
      // Assets across the fan's far edge: on lines through every ray end (interpolated ones
      // included), from 20 km short of the end to 20 km beyond it.
      const std::vector<AssetCircle> assets =
          AssetsAcrossEnds(fp, fp.ray_end_lat_lon_rad, {-20e3, -5e3, 0.0, 5e3, 20e3});
      const std::vector<double> full =
          AssetThreatProbabilitiesLinearised(g, frame, 0.0, every, assets, n, 11, nullptr);
      Footprint mean;
      const std::vector<double> fast =
          AssetThreatProbabilitiesLinearised(g, frame, 0.0, strided, assets, n, 11, &mean);
      EXPECT_EQ(mean.polygon_lat_lon_rad, fp.polygon_lat_lon_rad);  // the mean fan: every bank
      int uncertain = 0;
      for (size_t a = 0; a < assets.size(); ++a) {
        EXPECT_NEAR(fast[a], full[a], 0.02)
            << "speed " << speed << " scale " << scale << " asset " << a;
        worst = std::max(worst, std::abs(fast[a] - full[a]));
        if (full[a] > 0.05 && full[a] < 0.95) ++uncertain;
      }
      EXPECT_GE(uncertain, 10) << "speed " << speed << " scale " << scale;
    }
  }
  std::printf("interpolated fan slopes: worst probability difference %.3f\n", worst);
  RecordProperty("worst_difference", std::to_string(worst));
}

TEST(AssetThreat, BallisticImpactMassInCircle) {
  ImpactPrediction ip;
  ip.ok = true;
  ip.lat_rad = 0.5;
  ip.lon_rad = 1.0;
  ip.covariance_EN_m2 = 1e4 * Eigen::Matrix2d::Identity();  // 100 m circular
  // Asset 150 m north of the mean impact point, radius 200 m: Marcum Q value (scipy ncx2.cdf).
  double lat, lon;
  earth::GeodesicDirect(ip.lat_rad, ip.lon_rad, 0.0, 150.0, &lat, &lon);
  EXPECT_NEAR(AssetThreatProbabilityBallistic(ip, lat, lon, 200.0), 0.5763207195219995, 1e-6);
  // Elongated east-west: an asset to the east is more at risk than one as far north.
  ip.covariance_EN_m2 = Eigen::Vector2d(1e6, 1e4).asDiagonal();
  double lat_e, lon_e, lat_n, lon_n;
  earth::GeodesicDirect(ip.lat_rad, ip.lon_rad, 0.5 * core::kPi, 1500.0, &lat_e, &lon_e);
  earth::GeodesicDirect(ip.lat_rad, ip.lon_rad, 0.0, 1500.0, &lat_n, &lon_n);
  EXPECT_GT(AssetThreatProbabilityBallistic(ip, lat_e, lon_e, 300.0), 0.03);  // ~0.06
  EXPECT_LT(AssetThreatProbabilityBallistic(ip, lat_n, lon_n, 300.0), 1e-6);
  ip.ok = false;
  EXPECT_EQ(AssetThreatProbabilityBallistic(ip, lat, lon, 200.0), 0.0);
}

TEST(Footprint, OptionsAreValidated) {
  FootprintOptions opt;
  opt.num_rays = 0;
  EXPECT_THROW(opt.Validate(), std::invalid_argument);
  opt = FootprintOptions{};
  opt.lift_to_drag = -1.0;
  EXPECT_THROW(opt.Validate(), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::assessment

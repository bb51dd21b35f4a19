#include "sensors/radar.h"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::sensors {
namespace {

using core::kDegToRad;
using core::Vec3;

// An X-band forward-based radar of the open-source AN/TPY-2 class (numbers illustrative).
RadarSpec XBand() {
  RadarSpec s;
  s.id = "xband";
  s.faces = {{0.0, 30.0 * kDegToRad, 60.0 * kDegToRad, 30.0 * kDegToRad}};
  s.min_elevation_rad = 0.0;
  s.instrumented_range_m = 3.0e6;
  s.peak_power_W = 1.0e6;
  s.gain_dB = 45.0;
  s.wavelength_m = 0.03;
  s.losses_dB = 6.0;
  s.noise_temperature_K = 500.0;
  s.pulse_width_s = 1e-3;
  s.pfa = 1e-6;
  s.swerling = SwerlingCase::k1;
  s.range_resolution_m = 0.25;
  s.beamwidth_rad = 0.005;
  s.snr_ref_dB = 20.0;
  s.range_sigma_m0 = 5.0;
  s.angle_sigma_rad0 = 2e-4;
  s.range_rate_sigma_mps0 = 1.0;
  s.revisit_s = 1.0;
  s.track_capacity = 200;
  return s;
}

Vec3 TargetAt(const earth::Geodetic& site, double az_rad, double el_rad, double range_m) {
  const Vec3 p_Enu(std::sin(az_rad) * std::cos(el_rad) * range_m,
                   std::cos(az_rad) * std::cos(el_rad) * range_m, std::sin(el_rad) * range_m);
  return earth::EcefFromEnu(p_Enu, site);
}

// Range at which Pd reaches 0.9, by bisection on range (Pd falls with range).
double RangeForPd(const RadarSpec& s, double rcs_m2, double pd) {
  double lo = 1.0e3, hi = 1.0e8;
  for (int i = 0; i < 200; ++i) {
    const double mid = std::sqrt(lo * hi);
    const double p = ProbabilityOfDetection(RadarSnr(s, mid, rcs_m2), s.pfa, s.swerling);
    (p > pd ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

// Radar equation (../shared/reference/README.md, Radars; Skolnik ch. 2): a radar 30x more
// sensitive reaches the same Pd 30^(1/4) = 2.34x farther. Exact up to the bisection (1e-9).
TEST(RadarTest, ThirtyTimesMoreSensitiveSeesTwoPointThreeFourTimesFarther) {
  const RadarSpec base = XBand();
  RadarSpec strong = base;
  strong.peak_power_W *= 30.0;
  const double r1 = RangeForPd(base, 0.01, 0.9);
  const double r30 = RangeForPd(strong, 0.01, 0.9);
  EXPECT_NEAR(r30 / r1, std::pow(30.0, 0.25), 1e-9);
  EXPECT_NEAR(r30 / r1, 2.34, 0.005);
  RecordProperty("range_pd09_rcs001_km", std::to_string(r1 / 1e3));
}

TEST(RadarTest, RangeEquationByHand) {
  // P G^2 lambda^2 sigma tau / ((4 pi)^3 R^4 k T L), all terms 1 except R = 1 and k: 1/((4pi)^3 k)
  RadarSpec s = XBand();
  s.peak_power_W = 1.0;
  s.gain_dB = 0.0;
  s.wavelength_m = 1.0;
  s.pulse_width_s = 1.0;
  s.noise_temperature_K = 1.0;
  s.losses_dB = 0.0;
  const double four_pi_cubed = std::pow(4.0 * core::kPi, 3);
  EXPECT_NEAR(RadarSnr(s, 1.0, 1.0) * four_pi_cubed * core::kBoltzmann_JpK, 1.0, 1e-12);
  EXPECT_NEAR(RadarSnr(s, 10.0, 1.0) / RadarSnr(s, 1.0, 1.0), 1e-4, 1e-16);
}

// Geometric horizon on a sphere R = 6371 km (../shared/reference/README.md; Skolnik ch. 8):
// a target at 36.6 km altitude is at the straight-line horizon of a surface radar at ground
// distance R acos(R / (R + h)) = 681.3 km (tangent length sqrt(2 R h + h^2) = 684 km); visible at
// 680 km, occluded at 690 km. With 4/3 refraction R -> 4/3 R: 786 km (~ sqrt(4/3) x 681).
TEST(RadarTest, HorizonOfA36KmTargetOnASphere) {
  const double r = core::kEarthMeanRadius_m;
  const double h = 36.6e3;
  EXPECT_TRUE(SphereLineOfSightClear(r, 0.0, h, 680e3 / r));
  EXPECT_FALSE(SphereLineOfSightClear(r, 0.0, h, 690e3 / r));
  const double d_horizon = r * std::acos(r / (r + h));
  EXPECT_NEAR(d_horizon, 681.3e3, 0.1e3);
  // +-1 km: past the horizon the chord from a site on the surface dips only ~ (d - d_h)^2-small
  // below it (8 cm at 1 km), so a 1 m step would sit inside the 1 mm surface tolerance.
  EXPECT_TRUE(SphereLineOfSightClear(r, 0.0, h, (d_horizon - 1e3) / r));
  EXPECT_FALSE(SphereLineOfSightClear(r, 0.0, h, (d_horizon + 1e3) / r));
  // 4/3 Earth: same ground distance d is the angle d / (k R) on the effective sphere.
  const double k = 4.0 / 3.0;
  EXPECT_TRUE(SphereLineOfSightClear(k * r, 0.0, h, 780e3 / (k * r)));
  EXPECT_FALSE(SphereLineOfSightClear(k * r, 0.0, h, 795e3 / (k * r)));
}

// The same horizon end to end through EarthClear on WGS-84, site at 35 N (Gaussian radius there
// 6,372 km): ellipsoid (k = 1) and 4/3 model. 10 km margins cover the ellipsoid's departure from
// the 6371 km sphere (< 2 km here).
TEST(RadarTest, HorizonThroughEarthClear) {
  const earth::Geodetic site{35.0 * kDegToRad, 139.0 * kDegToRad, 0.0};
  auto target = [&](double d_m) {
    double lat = 0.0, lon = 0.0;
    earth::GeodesicDirect(site.lat_rad, site.lon_rad, 270.0 * kDegToRad, d_m, &lat, &lon);
    return earth::EcefFromGeodetic({lat, lon, 36.6e3});
  };
  EXPECT_TRUE(EarthClear(site, target(670e3), false));
  EXPECT_FALSE(EarthClear(site, target(692e3), false));
  EXPECT_TRUE(EarthClear(site, target(775e3), true));
  EXPECT_FALSE(EarthClear(site, target(800e3), true));
}

// Ellipsoid occlusion against a brute-force ray march: 2,000 samples along the segment, each
// converted to geodetic height by GeographicLib; clear iff every sample is above 0. Cases whose
// sampled minimum is within 20 m of 0 are skipped: between samples 1.5 km apart the chord can
// dip below the sampled minimum by at most (0.75 km)^2 / (2 R) = 0.05 m, and the exact test has a
// 1 mm tolerance, so 20 m is a wide margin that still leaves nearly all cases decided.
TEST(RadarTest, EllipsoidOcclusionMatchesBruteForce) {
  core::RandomStream rng(11, 0, "radar_test", "occlusion");
  int decided = 0, visible = 0;
  for (int i = 0; i < 600; ++i) {
    const earth::Geodetic site{rng.Uniform(-1.5, 1.5), rng.Uniform(-core::kPi, core::kPi),
                               rng.Uniform(10.0, 2000.0)};
    double lat = 0.0, lon = 0.0;
    earth::GeodesicDirect(site.lat_rad, site.lon_rad, rng.Uniform(0.0, core::kTwoPi),
                          rng.Uniform(1e3, 3.0e6), &lat, &lon);
    const Vec3 r_Tgt = earth::EcefFromGeodetic({lat, lon, rng.Uniform(0.0, 600e3)});
    const Vec3 r_Site = earth::EcefFromGeodetic(site);
    double min_h = 1e30;
    for (int j = 1; j <= 2000; ++j) {
      const double t = j / 2000.0;
      min_h = std::min(min_h, earth::GeodeticFromEcef(r_Site + t * (r_Tgt - r_Site)).h_m);
    }
    if (std::abs(min_h) < 20.0) continue;
    ++decided;
    const bool clear = EarthClear(site, r_Tgt, false);
    visible += clear;
    EXPECT_EQ(clear, min_h > 0.0) << "case " << i << " min h " << min_h;
  }
  EXPECT_GT(decided, 580);
  EXPECT_GT(visible, 50);  // both outcomes exercised
  EXPECT_LT(visible, decided - 50);
}

// Normalised estimation error squared of 10,000 reports of a target at high SNR (Pd ~ 1): the
// mean of e' P^-1 e must be the dimension 4 within 3 sigma = 3 sqrt(2 * 4 / n) = 0.085
// (chi-square with 4 degrees of freedom; Bar-Shalom, Li & Kirubarajan 2001, sec. 5.4).
TEST(RadarTest, MeasurementNoiseMatchesCovariance) {
  const RadarSpec s = XBand();
  const earth::Geodetic site{40.0 * kDegToRad, 140.0 * kDegToRad, 30.0};
  TargetTruth tgt;
  tgt.id = "rv1";
  tgt.t_s = 12.5;
  tgt.rcs_m2 = 1.0e3;  // SNR ~ 40 dB: Pd ~ 1 even for a Swerling 1 target
  tgt.r_Ecef = TargetAt(site, 10.0 * kDegToRad, 25.0 * kDegToRad, 600e3);
  tgt.v_Ecef = Vec3(-2000.0, 3000.0, -1000.0);
  const RadarGeometry g = RadarGeometryTo(site, tgt.r_Ecef);
  const Vec3 u = (tgt.r_Ecef - earth::EcefFromGeodetic(site)).normalized();
  const double rr_true = u.dot(tgt.v_Ecef);
  core::RandomStream rng(3, 0, "radar_test", "noise");
  const int n = 10000;
  double nees = 0.0;
  int got = 0;
  for (int i = 0; i < n; ++i) {
    auto m = RadarLook(s, site, tgt, rng);
    if (!m) continue;
    ++got;
    ASSERT_TRUE(m->has_range_rate);
    EXPECT_EQ(m->sensor_id, "xband");
    EXPECT_FALSE(m->false_alarm);
    Eigen::Vector4d e(m->range_m - g.range_m, std::remainder(m->az_rad - g.az_rad, core::kTwoPi),
                      m->el_rad - g.el_rad, m->range_rate_mps - rr_true);
    nees += e.dot(m->covariance.inverse() * e);
  }
  EXPECT_GT(got, n * 99 / 100);
  const double mean = nees / got;
  EXPECT_NEAR(mean, 4.0, 3.0 * std::sqrt(8.0 / got));
  RecordProperty("nees_mean", std::to_string(mean));
}

// Sigma scales as 1/sqrt(SNR): four times the range (SNR / 256) gives 16x the sigma.
TEST(RadarTest, SigmaScalesWithInverseRootSnr) {
  const RadarSpec s = XBand();
  const earth::Geodetic site{0.0, 0.0, 0.0};
  TargetTruth tgt;
  tgt.rcs_m2 = 1e4;  // detected with certainty at both ranges
  core::RandomStream rng(5, 0, "radar_test", "scale");
  tgt.r_Ecef = TargetAt(site, 0.0, 30.0 * kDegToRad, 100e3);
  const auto near = RadarLook(s, site, tgt, rng);
  tgt.r_Ecef = TargetAt(site, 0.0, 30.0 * kDegToRad, 400e3);
  const auto far = RadarLook(s, site, tgt, rng);
  ASSERT_TRUE(near && far);
  EXPECT_NEAR(std::sqrt(far->covariance(0, 0) / near->covariance(0, 0)), 16.0, 1e-9);
  EXPECT_NEAR(far->snr_dB - near->snr_dB, -40.0 * std::log10(4.0), 1e-9);
}

TEST(RadarTest, FaceFieldOfViewEdges) {
  RadarSpec s = XBand();
  s.faces = {{90.0 * kDegToRad, 0.0, 60.0 * kDegToRad, 40.0 * kDegToRad}};
  EXPECT_TRUE(InsideSomeFace(s, 149.9 * kDegToRad, 0.0));
  EXPECT_FALSE(InsideSomeFace(s, 150.1 * kDegToRad, 0.0));
  EXPECT_TRUE(InsideSomeFace(s, 30.1 * kDegToRad, 0.0));
  EXPECT_FALSE(InsideSomeFace(s, 29.9 * kDegToRad, 0.0));
  EXPECT_TRUE(InsideSomeFace(s, 90.0 * kDegToRad, 39.9 * kDegToRad));
  EXPECT_FALSE(InsideSomeFace(s, 90.0 * kDegToRad, 40.1 * kDegToRad));
  EXPECT_FALSE(InsideSomeFace(s, 270.0 * kDegToRad, 0.0));  // behind the face
  // A second face looking west covers the back.
  s.faces.push_back({270.0 * kDegToRad, 0.0, 60.0 * kDegToRad, 40.0 * kDegToRad});
  EXPECT_TRUE(InsideSomeFace(s, 270.0 * kDegToRad, 0.0));
  // Rotator: half_fov_az = pi sees all azimuths.
  s.faces = {{0.0, 0.0, core::kPi, 40.0 * kDegToRad}};
  for (double az = 0.0; az < 360.0; az += 15.0) {
    EXPECT_TRUE(InsideSomeFace(s, az * kDegToRad, 10.0 * kDegToRad));
  }
}

TEST(RadarTest, MinElevationAndInstrumentedRangeEdges) {
  RadarSpec s = XBand();
  s.min_elevation_rad = 2.0 * kDegToRad;
  const earth::Geodetic site{20.0 * kDegToRad, -155.0 * kDegToRad, 100.0};
  EXPECT_TRUE(RadarCanSee(s, site, TargetAt(site, 0.0, 2.05 * kDegToRad, 100e3)));
  EXPECT_FALSE(RadarCanSee(s, site, TargetAt(site, 0.0, 1.95 * kDegToRad, 100e3)));
  EXPECT_TRUE(RadarCanSee(s, site, TargetAt(site, 0.0, 40.0 * kDegToRad, 2.999e6)));
  EXPECT_FALSE(RadarCanSee(s, site, TargetAt(site, 0.0, 40.0 * kDegToRad, 3.001e6)));
  TargetTruth tgt;
  tgt.r_Ecef = TargetAt(site, 0.0, 1.95 * kDegToRad, 100e3);
  tgt.rcs_m2 = 1e6;
  core::RandomStream rng(1, 0, "radar_test", "edge");
  EXPECT_FALSE(RadarLook(s, site, tgt, rng).has_value());
}

// Mean false-alarm count per scan = Pfa x cells; over 20,000 scans of a face fully above the
// minimum elevation, within 4 sigma of the Poisson mean (sigma = sqrt(lambda / n)).
TEST(RadarTest, FalseAlarmRate) {
  RadarSpec s = XBand();
  s.faces = {{0.0, 30.0 * kDegToRad, 20.0 * kDegToRad, 20.0 * kDegToRad}};
  s.min_elevation_rad = 5.0 * kDegToRad;
  s.range_resolution_m = 150.0;
  s.beamwidth_rad = 0.02;
  s.pfa = 1e-5;
  const double cells = RadarResolutionCells(s);
  const double expected_cells = (3.0e6 / 150.0) * std::pow(2.0 * 20.0 * kDegToRad / 0.02, 2);
  EXPECT_NEAR(cells, expected_cells, 1e-6 * expected_cells);
  const double lambda = s.pfa * cells;
  core::RandomStream rng(9, 0, "radar_test", "false_alarms");
  const int scans = 20000;
  double total = 0.0;
  for (int i = 0; i < scans; ++i) {
    const auto fa = RadarFalseAlarms(s, i * s.revisit_s, rng);
    total += static_cast<double>(fa.size());
    for (const auto& m : fa) {
      ASSERT_TRUE(m.false_alarm);
      ASSERT_TRUE(m.truth_id.empty());
      ASSERT_TRUE(InsideSomeFace(s, m.az_rad, m.el_rad));
      ASSERT_GE(m.range_m, 0.0);
      ASSERT_LE(m.range_m, s.instrumented_range_m);
      ASSERT_GT(m.snr_dB, 10.0 * std::log10(-std::log(s.pfa)));
    }
  }
  EXPECT_NEAR(total / scans, lambda, 4.0 * std::sqrt(lambda / scans));
  RecordProperty("false_alarms_per_scan", std::to_string(total / scans));
}

TEST(RadarTest, ValidateNamesTheBadField) {
  RadarSpec s = XBand();
  EXPECT_NO_THROW(s.Validate());
  s.pfa = 1.5;
  try {
    s.Validate();
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "radar.pfa");
  }
  s = XBand();
  s.faces.clear();
  EXPECT_THROW(s.Validate(), core::InputError);
}

}  // namespace
}  // namespace hyperdef::sensors

namespace hyperdef::sensors {
namespace {

using core::kDegToRad;
using core::Vec3;

// A target 100 km from the site at 30 deg elevation, flying at 3 km/s in a direction that makes
// `aspect_deg` with the target-to-site line (0: straight at the site, nose-on).
TargetTruth TargetWithAspect(const earth::Geodetic& site, double aspect_deg) {
  TargetTruth tgt;
  tgt.id = "rv";
  tgt.r_Ecef = TargetAt(site, 20.0 * kDegToRad, 30.0 * kDegToRad, 100e3);
  const Vec3 to_site = (earth::EcefFromGeodetic(site) - tgt.r_Ecef).normalized();
  const Vec3 side = to_site.cross(Vec3::UnitZ()).normalized();
  const double a = aspect_deg * kDegToRad;
  tgt.v_Ecef = 3000.0 * (std::cos(a) * to_site + std::sin(a) * side);
  return tgt;
}

TEST(RadarAspect, AspectAngleIsMeasuredFromTheNose) {
  const earth::Geodetic site{35.0 * kDegToRad, 133.0 * kDegToRad, 100.0};
  const Vec3 r_site = earth::EcefFromGeodetic(site);
  for (double deg : {0.0, 1e-4, 30.0, 90.0, 150.0, 180.0}) {
    // Closed-form geometry: atan2(|v x d|, v.d) is exact to round-off (~1e-12 rad here).
    EXPECT_NEAR(AspectAngle_rad(TargetWithAspect(site, deg), r_site), deg * kDegToRad, 1e-9) << deg;
  }
  TargetTruth at_rest = TargetWithAspect(site, 10.0);
  at_rest.v_Ecef.setZero();  // no axis: broadside by convention
  EXPECT_DOUBLE_EQ(AspectAngle_rad(at_rest, r_site), 0.5 * core::kPi);
}

// The radar's SNR follows the table: with everything else fixed, SNR(dB) - SNR(dB, 1 m^2) equals
// the table's dBsm at the aspect, interpolated linearly in dB between nodes.
TEST(RadarAspect, SnrFollowsTheAspectTable) {
  RadarSpec s = XBand();
  s.faces = {{20.0 * kDegToRad, 30.0 * kDegToRad, 60.0 * kDegToRad, 30.0 * kDegToRad}};
  const earth::Geodetic site{35.0 * kDegToRad, 133.0 * kDegToRad, 100.0};
  // Large values so every look is detected (SNR > 40 dB at 100 km); the shape is what matters.
  const auto table = std::make_shared<const flight::Table1D>(
      std::vector<double>{0.0, 30.0 * kDegToRad, 90.0 * kDegToRad, 150.0 * kDegToRad, core::kPi},
      std::vector<double>{10.0, 13.0, 30.0, 20.0, 25.0});
  core::RandomStream rng(11, 0, "radar_test", "aspect");
  const auto snr_db = [&](const TargetTruth& t) {
    for (int i = 0; i < 100; ++i) {  // Pd ~ 1: the first look is detected
      if (auto m = RadarLook(s, site, t, rng)) return m->snr_dB;
    }
    ADD_FAILURE() << "never detected";
    return 0.0;
  };
  TargetTruth reference = TargetWithAspect(site, 0.0);
  reference.rcs_m2 = 1.0;  // constant 0 dBsm, whatever the aspect
  const double snr_ref = snr_db(reference);
  EXPECT_GT(snr_ref, 20.0);
  const std::vector<std::pair<double, double>> expected = {
      {0.0, 10.0}, {30.0, 13.0}, {60.0, 21.5}, {90.0, 30.0}, {120.0, 25.0}, {180.0, 25.0}};
  for (const auto& [deg, dbsm] : expected) {
    TargetTruth t = TargetWithAspect(site, deg);
    t.rcs_m2 = 1e-6;  // must be ignored when a table is present
    t.rcs_aspect_dBsm = table;
    // Only the RCS differs from the reference: the dB difference is exact to round-off.
    EXPECT_NEAR(snr_db(t) - snr_ref, dbsm, 1e-6) << "aspect " << deg << " deg";
    EXPECT_NEAR(10.0 * std::log10(TargetRcs_m2(t, earth::EcefFromGeodetic(site))), dbsm, 1e-6);
  }
  // Without a table the constant is used from every direction (the form of today's scenarios).
  TargetTruth constant = TargetWithAspect(site, 90.0);
  constant.rcs_m2 = 1.0;
  EXPECT_NEAR(snr_db(constant), snr_ref, 1e-9);
  EXPECT_DOUBLE_EQ(TargetRcs_m2(constant, earth::EcefFromGeodetic(site)), 1.0);
}

}  // namespace
}  // namespace hyperdef::sensors

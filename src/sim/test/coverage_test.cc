#include "sim/coverage.h"

#include <gtest/gtest.h>

#include <map>

#include "core/error.h"
#include "earth/wgs84.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"

namespace hyperdef::sim {
namespace {

// The sensing test's glider from an entry state, watched by a 28-satellite Walker layer.
constexpr const char* kScenario = R"(epoch_utc: 2027-01-01T00:00:00Z
duration_s: 700
threats:
  - id: g
    class: boost_glide
    entry: {lat_deg: 30, lon_deg: 120, alt_km: 100, speed_mps: 6010, flight_path_deg: -5}
    aim: {lat_deg: 30, lon_deg: 140}
sensors:
  - id: layer
    class: space_ir
    walker: {satellites: 28, planes: 4, phasing: 1, altitude_km: 1000, inclination_deg: 85}
)";

SpaceLayerSpec WalkerLayer(int total, int planes) {
  orbits::WalkerConfig w;
  w.total = total;
  w.planes = planes;
  w.phasing = 1;
  w.altitude_m = 1000e3;
  w.inclination_rad = 85.0 * core::kDegToRad;
  SpaceLayerSpec layer;
  layer.sensor.id = "walker-" + std::to_string(total);
  layer.satellites = orbits::MakeWalkerConstellation(w);
  return layer;
}

TEST(Coverage, OneSatelliteDirectlyAboveSeesTheTarget) {
  ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  SpaceLayerSpec layer = WalkerLayer(28, 4);
  layer.satellites.resize(1);
  const double t = 123.0;
  std::vector<core::Vec3> sats;
  orbits::J2SecularBatch({layer.satellites[0].elements}, 0.0).PositionsEcef(spec.epoch, t, &sats);
  earth::Geodetic below = earth::GeodeticFromEcef(sats[0]);
  below.h_m = 40e3;
  EXPECT_EQ(VisibleSatelliteCount(spec, layer, t, earth::EcefFromGeodetic(below)), 1);
  // The antipode is behind the Earth.
  earth::Geodetic far = below;
  far.lat_rad = -below.lat_rad;
  far.lon_rad = below.lon_rad + core::kPi;
  EXPECT_EQ(VisibleSatelliteCount(spec, layer, t, earth::EcefFromGeodetic(far)), 0);
}

TEST(Coverage, MapFractionsAreBoundedAndStereoNeverExceedsSingle) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  CoverageOptions o;
  o.grid_deg = 10.0;
  o.step_s = 60.0;
  const CoverageMap m = ComputeCoverageMap(spec, spec.space_layers[0], o);
  ASSERT_EQ(m.n_lat, 18);
  ASSERT_EQ(m.n_lon, 36);
  EXPECT_EQ(m.frames, 12);  // 0, 60, ..., 660 s
  for (size_t c = 0; c < m.stereo_fraction.size(); ++c) {
    EXPECT_GE(m.stereo_fraction[c], 0.0);
    EXPECT_LE(m.single_fraction[c], 1.0);
    EXPECT_LE(m.stereo_fraction[c], m.single_fraction[c]);
  }
  EXPECT_GT(m.MeanSingle(), 0.3);  // 28 satellites at 1,000 km see much of the globe
  EXPECT_GT(m.MeanStereo(), 0.0);
}

TEST(Coverage, DenserWalkerLayerNeverHasLessStereoCoverage) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  CoverageOptions o;
  o.grid_deg = 5.0;
  o.step_s = 50.0;
  const double sparse = ComputeCoverageMap(spec, WalkerLayer(28, 4), o).MeanStereo();
  const double dense = ComputeCoverageMap(spec, WalkerLayer(54, 6), o).MeanStereo();
  EXPECT_GT(dense, sparse);
}

TEST(Coverage, PhaseSecondsAddUpToTheFlightTime) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  CoverageOptions o;
  o.grid_deg = 30.0;
  o.step_s = 350.0;
  const CoverageResult r = ComputeCoverage(spec, o);
  ASSERT_EQ(r.layers.size(), 1u);
  ASSERT_EQ(r.layers[0].threats.size(), 1u);
  const ThreatCoverage& t = r.layers[0].threats[0];
  const double flight = t.end_s - t.start_s;
  ASSERT_GT(flight, 100.0);
  double sum = 0.0;
  std::map<std::string, double> by_phase;
  for (const PhaseCoverage& p : t.phases) {
    sum += p.stats.seconds;
    EXPECT_LE(p.stats.seen3_s, p.stats.seen2_s);
    EXPECT_LE(p.stats.seen2_s, p.stats.seen1_s);
    EXPECT_LE(p.stats.seen1_s, p.stats.seconds + 1e-9);
    EXPECT_LE(p.stats.longest_stereo_gap_s, p.stats.seconds + 1e-9);
    by_phase[threats::PhaseName(p.phase)] += p.stats.seconds;
  }
  EXPECT_NEAR(sum, flight, 1e-9);
  EXPECT_NEAR(t.overall.seconds, flight, 1e-9);
  EXPECT_GT(by_phase["glide"], 0.0);
  EXPECT_LE(t.overall.longest_stereo_gap_s, flight + 1e-9);
  // Samples: the start, then the 1 s frame grid.
  ASSERT_GT(t.samples.size(), 100u);
  EXPECT_DOUBLE_EQ(t.samples[0].t_s, t.start_s);
}

TEST(Coverage, RejectsBadOptionsAndScenariosWithoutSpaceLayers) {
  ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  CoverageOptions o;
  o.grid_deg = 7.0;  // does not divide 180
  EXPECT_THROW(ComputeCoverage(spec, o), core::InputError);
  o = {};
  o.step_s = 0.0;
  EXPECT_THROW(ComputeCoverage(spec, o), core::InputError);
  spec.space_layers.clear();
  EXPECT_THROW(ComputeCoverage(spec, CoverageOptions{}), core::InputError);
}

}  // namespace
}  // namespace hyperdef::sim

#include "sim/scenario.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::sim {
namespace {

constexpr const char* kMinimal = R"(epoch_utc: 2027-01-01T00:00:00Z
world: {dut1_s: 0.25, gravity: j2, earth_rotation: false}
threats:
  - id: g
    class: boost_glide
    entry: {lat_deg: 30, lon_deg: 120, alt_km: 100, speed_mps: 6010, flight_path_deg: -5}
    aim: {lat_deg: 30, lon_deg: {uniform: {min: 139, max: 141}}}
)";

TEST(Scenario, UnitsAreConvertedToSiAndWorldIsRead) {
  const ScenarioSpec s = LoadScenarioFromString(kMinimal, "t.yaml");
  ASSERT_EQ(s.threats.size(), 1u);
  const auto& t = s.threats[0];
  EXPECT_NEAR(t.aim.lon_rad, 140.0 * core::kDegToRad, 1e-15);  // nominal of uniform(139, 141)
  EXPECT_NEAR(t.boost_glide.entry->position.alt_m, 100e3, 1e-9);
  EXPECT_NEAR(t.boost_glide.entry->flight_path_rad, -5.0 * core::kDegToRad, 1e-15);
  EXPECT_EQ(s.world.environment.gravity, earth::GravityModel::kJ2);
  EXPECT_FALSE(s.world.environment.earth_rotation);
  EXPECT_DOUBLE_EQ(s.epoch.dut1_s(), 0.25);
  // UT1 = UTC + dUT1 (Epoch::Ut1 via ERFA).
  EXPECT_NEAR((s.epoch.Ut1().Total() - s.epoch.Utc().Total()) * 86400.0, 0.25, 1e-5);
  ASSERT_EQ(s.varied.size(), 1u);
  EXPECT_EQ(s.varied[0].path, "threats[0].aim.lon_deg");
}

TEST(Scenario, ReplicationsDrawVariedParametersDeterministically) {
  const ScenarioSpec s = LoadScenarioFromString(kMinimal, "t.yaml");
  const ScenarioSpec a = SampleScenario(s, 7), b = SampleScenario(s, 7), c = SampleScenario(s, 8);
  EXPECT_EQ(a.threats[0].aim.lon_rad, b.threats[0].aim.lon_rad);
  EXPECT_NE(a.threats[0].aim.lon_rad, c.threats[0].aim.lon_rad);
  for (std::uint64_t k = 0; k < 200; ++k) {
    const double lon = SampleScenario(s, k).threats[0].aim.lon_rad * core::kRadToDeg;
    EXPECT_GE(lon, 139.0);
    EXPECT_LE(lon, 141.0);
  }
}

TEST(Scenario, LaterLayersAreRejectedNotIgnored) {
  const std::string text = std::string(kMinimal) + "defense: {}\n";
  EXPECT_THROW(LoadScenarioFromString(text, "t.yaml"), core::InputError);
}

TEST(Scenario, BoosterPresetsComeFromTheLiterature) {
  threats::BoosterSpec b;
  double payload = 0;
  ASSERT_TRUE(BoosterPreset("nodong", &b, &payload));
  ASSERT_EQ(b.stages.size(), 1u);
  EXPECT_DOUBLE_EQ(b.stages[0].wet_mass_kg, 19900);  // Forden 2007
  EXPECT_DOUBLE_EQ(b.stages[0].DryMass_kg(), 3900);
  ASSERT_TRUE(BoosterPreset("icbm3", &b, &payload));
  EXPECT_EQ(b.stages.size(), 3u);
  EXPECT_FALSE(BoosterPreset("nope", &b, &payload));
}

TEST(Scenario, PropellantMustBeLessThanWetMass) {
  const std::string text = R"(epoch_utc: 2027-01-01T00:00:00Z
threats:
  - id: b
    class: ballistic
    launch: {lat_deg: 40, lon_deg: 127}
    aim: {lat_deg: 37, lon_deg: 131}
    rv: {mass_kg: 1000, ballistic_coefficient_kgpm2: 5000}
    booster:
      stages:
        - {wet_mass_kg: 1000, propellant_mass_kg: 2000, isp_s: 250, burn_time_s: 60, diameter_m: 1}
)";
  try {
    LoadScenarioFromString(text, "p.yaml");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:10:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("propellant_mass_kg: must be less than wet_mass_kg"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hyperdef::sim

namespace hyperdef::sim {
namespace {

TEST(Scenario, WalkerSizeAsTotalOrPerPlane) {
  const auto layer = [](const std::string& walker) {
    return std::string(kMinimal) +
           "sensors:\n  - id: l\n    class: space_ir\n    walker: {pattern: delta, " + walker +
           ", phasing: 1, altitude_km: 1000, inclination_deg: 60}\n";
  };
  EXPECT_EQ(LoadScenarioFromString(layer("satellites_per_plane: 5, planes: 3"), "w.yaml")
                .space_layers.at(0)
                .satellites.size(),
            15u);  // T = P x S
  EXPECT_EQ(LoadScenarioFromString(layer("satellites: 12, planes: 3"), "w.yaml")
                .space_layers.at(0)
                .satellites.size(),
            12u);
  EXPECT_THROW(
      LoadScenarioFromString(layer("satellites: 12, satellites_per_plane: 4, planes: 3"), "w.yaml"),
      core::InputError);  // one or the other
}

TEST(Scenario, ShipRadarSailsItsCourse) {
  const std::string text = R"(epoch_utc: 2027-01-01T00:00:00Z
threats:
  - id: g
    class: boost_glide
    entry: {lat_deg: 30, lon_deg: 120, alt_km: 100, speed_mps: 6010, flight_path_deg: -5}
    aim: {lat_deg: 30, lon_deg: 140}
sensors:
  - id: ship
    class: radar
    site: {lat_deg: 0, lon_deg: 130}
    ship: {speed_kn: 20, course_deg: 90}
    faces: [{boresight_az_deg: 0, half_fov_az_deg: 180, half_fov_el_deg: 45}]
    instrumented_range_km: 500
    peak_power_w: 1.0e6
    gain_db: 40
    wavelength_m: 0.1
    pulse_width_s: 1.0e-4
)";
  const ScenarioSpec s = LoadScenarioFromString(text, "ship.yaml");
  ASSERT_EQ(s.radars.size(), 1u);
  core::Vec3 v;
  const earth::Geodetic g = s.radars[0].SiteAt(3600.0, &v);
  // 20 kn for an hour due east along the equator: 37.04 km of geodesic (1 kn = 1852 m/h).
  EXPECT_NEAR(earth::GeodesicDistance_m(0.0, 130.0 * core::kDegToRad, g.lat_rad, g.lon_rad),
              37040.0, 1.0);
  EXPECT_NEAR(v.norm(), 20.0 * 1852.0 / 3600.0, 1e-3);
  EXPECT_NEAR(g.lat_rad, 0.0, 1e-9);
}

}  // namespace
}  // namespace hyperdef::sim

#include "engagement/interceptor_presets.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/constants.h"
#include "flight/propulsion.h"

namespace hyperdef::engagement {
namespace {

TEST(InterceptorPresets, NamesAndLookup) {
  const std::vector<std::string> names = InterceptorPresetNames();
  ASSERT_EQ(names.size(), 3u);
  for (const std::string& n : names) {
    InterceptorSpec s;
    EXPECT_TRUE(InterceptorPreset(n, &s)) << n;
    EXPECT_EQ(s.id, n);
    EXPECT_STREQ(InterceptorClassName(s.interceptor_class), n.c_str());
  }
  InterceptorSpec s;
  s.id = "untouched";
  EXPECT_FALSE(InterceptorPreset("thaad", &s));
  EXPECT_EQ(s.id, "untouched");
}

// Each preset is physically consistent and sits in its class's open-literature ranges
// (docs/references.md): lift-off mass, ideal Delta-v, divert Delta-v, envelope.
TEST(InterceptorPresets, ConsistentAndInClass) {
  for (const std::string& n : InterceptorPresetNames()) {
    InterceptorSpec s;
    ASSERT_TRUE(InterceptorPreset(n, &s));
    for (const flight::Stage& st : s.stages) {
      EXPECT_GT(st.propellant_mass_kg, 0.0) << n;
      EXPECT_LT(st.propellant_mass_kg, st.wet_mass_kg) << n;
      EXPECT_GT(st.burn_time_s, 0.0) << n;
    }
    EXPECT_LT(s.divert_propellant_kg, s.kill_vehicle_mass_kg) << n;
    EXPECT_LT(s.min_intercept_altitude_m, s.max_intercept_altitude_m) << n;
    EXPECT_GT(s.lethal_radius_m, 0.0) << n;
    EXPECT_NO_THROW(s.aero_limit.Validate()) << n;
    if (s.divert_propellant_kg > 0.0) {
      EXPECT_NO_THROW(s.divert.Validate()) << n;
    }
  }
  InterceptorSpec t, g, e;
  ASSERT_TRUE(InterceptorPreset("terminal", &t));
  ASSERT_TRUE(InterceptorPreset("glide_phase", &g));
  ASSERT_TRUE(InterceptorPreset("exo", &e));
  // Terminal: one stage, 300-1500 kg, ideal Delta-v 1.5-3 km/s (Mach 4-5 after drag), 20-40 g,
  // endo ceiling 20-35 km, no separating KV.
  const double m_t = flight::LiftoffMass_kg(t.stages, t.kill_vehicle_mass_kg);
  EXPECT_EQ(t.stages.size(), 1u);
  EXPECT_GE(m_t, 300.0);
  EXPECT_LE(m_t, 1500.0);
  const double dv_t = flight::IdealDeltaV_mps(t.stages, t.kill_vehicle_mass_kg);
  EXPECT_GT(dv_t, 1500.0);
  EXPECT_LT(dv_t, 3000.0);
  EXPECT_GE(t.aero_limit.structural_limit_mps2, 20.0 * core::kG0_mps2);
  EXPECT_LE(t.aero_limit.structural_limit_mps2, 40.0 * core::kG0_mps2);
  EXPECT_GE(t.max_intercept_altitude_m, 20e3);
  EXPECT_LE(t.max_intercept_altitude_m, 35e3);
  EXPECT_FALSE(t.kill_vehicle_separates);
  // Glide phase: two stages, separating KV with a few hundred m/s of divert, ceiling ~100 km.
  EXPECT_EQ(g.stages.size(), 2u);
  EXPECT_TRUE(g.kill_vehicle_separates);
  DivertState kv{g.kill_vehicle_mass_kg, g.divert_propellant_kg, 0.0};
  const double dv_div = RemainingDeltaV(g.divert, kv);
  EXPECT_GT(dv_div, 200.0);
  EXPECT_LT(dv_div, 1000.0);
  EXPECT_NEAR(g.max_intercept_altitude_m, 100e3, 1.0);
  EXPECT_LE(g.min_intercept_altitude_m, 40e3);
  // Exo: three stages, ideal Delta-v enough for a 3-4.5 km/s burnout after losses, floor 100 km.
  EXPECT_EQ(e.stages.size(), 3u);
  EXPECT_TRUE(e.kill_vehicle_separates);
  const double dv_e = flight::IdealDeltaV_mps(e.stages, e.kill_vehicle_mass_kg);
  EXPECT_GT(dv_e, 4500.0);
  EXPECT_LT(dv_e, 7000.0);
  EXPECT_GE(e.min_intercept_altitude_m, 100e3);
}

}  // namespace
}  // namespace hyperdef::engagement

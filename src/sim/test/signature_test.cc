// Threat signature block: the constant RCS and the RCS-vs-aspect table, with their input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/constants.h"
#include "core/error.h"
#include "sim/scenario.h"
#include "sim/sensing.h"

namespace hyperdef::sim {
namespace {

using core::kDegToRad;

// A scenario whose only threat has `signature` as its signature block (text after "signature: ").
std::string WithSignature(const std::string& signature) {
  return "epoch_utc: 2027-01-01T00:00:00Z\n"
         "threats:\n"
         "  - id: b\n"
         "    class: ballistic\n"
         "    launch: {lat_deg: 40, lon_deg: 127}\n"
         "    aim: {lat_deg: 37, lon_deg: 131}\n"
         "    booster: {preset: scud_b}\n"
         "    rv: {mass_kg: 1000, ballistic_coefficient_kgpm2: 5000}\n"
         "    signature: " +
         signature + "\n";
}

// Loads `signature` and returns the error text; fails the test if it loads.
std::string ErrorOf(const std::string& signature) {
  try {
    LoadScenarioFromString(WithSignature(signature), "sig.yaml");
  } catch (const core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "loaded: " << signature;
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Signature, ConstantRcsIsUnchanged) {
  const ScenarioSpec spec = LoadScenarioFromString(WithSignature("{rcs_m2: 0.25}"), "sig.yaml");
  EXPECT_DOUBLE_EQ(spec.threats[0].rcs_m2, 0.25);
  EXPECT_FALSE(spec.threats[0].rcs_aspect_dBsm);
  const ScenarioSpec dflt = LoadScenarioFromString(WithSignature("{ir_area_m2: 1}"), "sig.yaml");
  EXPECT_DOUBLE_EQ(dflt.threats[0].rcs_m2, 0.1);  // the documented default
  EXPECT_FALSE(dflt.threats[0].rcs_aspect_dBsm);
}

TEST(Signature, AspectTableIsStoredInDbsmVsRadians) {
  const ScenarioSpec spec =
      LoadScenarioFromString(WithSignature("{rcs_aspect: {aspect_deg: [0, 30, 90, 150, 180], "
                                           "rcs_m2: [0.01, 0.02, 1.0, 0.1, 0.3]}}"),
                             "sig.yaml");
  ASSERT_TRUE(spec.threats[0].rcs_aspect_dBsm);
  const flight::Table1D& t = *spec.threats[0].rcs_aspect_dBsm;
  ASSERT_EQ(t.x().size(), 5u);
  // Nodes exact to round-off of the deg->rad and log10 conversions.
  EXPECT_NEAR(t(0.0), -20.0, 1e-12);
  EXPECT_NEAR(t(90.0 * kDegToRad), 0.0, 1e-12);
  EXPECT_NEAR(t(core::kPi), 10.0 * std::log10(0.3), 1e-12);
  // Halfway between 30 deg (0.02 m^2) and 90 deg (1 m^2): the geometric mean, linear in dB.
  EXPECT_NEAR(std::pow(10.0, t(60.0 * kDegToRad) / 10.0), std::sqrt(0.02 * 1.0), 1e-12);
}

TEST(Signature, TargetAtCarriesTheTable) {
  ScenarioSpec spec = LoadScenarioFromString(
      WithSignature("{rcs_aspect: {aspect_deg: [0, 180], rcs_m2: [0.01, 1]}}"), "sig.yaml");
  threats::Trajectory tr;
  tr.threat_id = "b";
  tr.samples.resize(2);
  tr.samples[0].t_s = 0.0;
  tr.samples[1].t_s = 10.0;
  sensors::TargetTruth target;
  ASSERT_TRUE(TargetAt(tr, spec.threats[0], 5.0, &target));
  EXPECT_EQ(target.rcs_aspect_dBsm, spec.threats[0].rcs_aspect_dBsm);
}

TEST(Signature, UnsortedAnglesAreRejectedAtTheAngle) {
  const std::string e =
      ErrorOf("{rcs_aspect: {aspect_deg: [0, 90, 30, 180], rcs_m2: [0.01, 1, 0.02, 0.3]}}");
  EXPECT_TRUE(Contains(e, "sig.yaml:9:")) << e;
  EXPECT_TRUE(Contains(e, "threats[0].signature.rcs_aspect.aspect_deg[2]")) << e;
  EXPECT_TRUE(Contains(e, "strictly increasing (got 30 after 90)")) << e;
}

TEST(Signature, MismatchedLengthsAreRejected) {
  const std::string e = ErrorOf("{rcs_aspect: {aspect_deg: [0, 90, 180], rcs_m2: [0.01, 1]}}");
  EXPECT_TRUE(Contains(e, "sig.yaml:9:")) << e;
  EXPECT_TRUE(Contains(e, "signature.rcs_aspect.rcs_m2")) << e;
  EXPECT_TRUE(Contains(e, "one RCS per aspect angle: 2 values for 3 angles")) << e;
}

TEST(Signature, AnglesOutsideZeroTo180AreRejected) {
  const std::string e = ErrorOf("{rcs_aspect: {aspect_deg: [0, 90, 200], rcs_m2: [0.01, 1, 1]}}");
  EXPECT_TRUE(Contains(e, "sig.yaml:9:")) << e;
  EXPECT_TRUE(Contains(e, "aspect_deg[2]")) << e;
  EXPECT_TRUE(Contains(e, "200")) << e;
  EXPECT_TRUE(Contains(e, "180")) << e;
  const std::string neg = ErrorOf("{rcs_aspect: {aspect_deg: [-5, 90], rcs_m2: [0.01, 1]}}");
  EXPECT_TRUE(Contains(neg, "aspect_deg[0]")) << neg;
  EXPECT_TRUE(Contains(neg, "-5")) << neg;
}

TEST(Signature, NonPositiveRcsIsRejected) {
  const std::string e = ErrorOf("{rcs_aspect: {aspect_deg: [0, 90, 180], rcs_m2: [0.01, 0, 1]}}");
  EXPECT_TRUE(Contains(e, "sig.yaml:9:")) << e;
  EXPECT_TRUE(Contains(e, "rcs_m2[1]")) << e;
  EXPECT_TRUE(Contains(e, "must be > 0")) << e;
}

TEST(Signature, ConstantAndTableTogetherAreRejected) {
  const std::string e =
      ErrorOf("{rcs_m2: 0.1, rcs_aspect: {aspect_deg: [0, 180], rcs_m2: [0.01, 1]}}");
  EXPECT_TRUE(Contains(e, "sig.yaml:9:")) << e;
  EXPECT_TRUE(Contains(e, "signature.rcs_aspect")) << e;
  EXPECT_TRUE(Contains(e, "either rcs_m2")) << e;
  EXPECT_TRUE(Contains(e, "not both")) << e;
}

TEST(Signature, TableNeedsTwoPointsAndKnownKeys) {
  const std::string one = ErrorOf("{rcs_aspect: {aspect_deg: [0], rcs_m2: [0.01]}}");
  EXPECT_TRUE(Contains(one, "at least two aspect angles (got 1)")) << one;
  const std::string typo =
      ErrorOf("{rcs_aspect: {aspect_deg: [0, 180], rcs_m2: [0.01, 1], rcs_dbsm: [1, 2]}}");
  EXPECT_TRUE(Contains(typo, "unknown key 'rcs_dbsm'")) << typo;
  const std::string missing = ErrorOf("{rcs_aspect: {aspect_deg: [0, 180]}}");
  EXPECT_TRUE(Contains(missing, "rcs_m2")) << missing;
}

}  // namespace
}  // namespace hyperdef::sim

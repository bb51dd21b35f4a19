#include "sim/sensing.h"

#include <gtest/gtest.h>

#include "sim/run.h"

namespace hyperdef::sim {
namespace {

// A glider from an entry state watched by a 28-satellite Walker layer and one radar.
constexpr const char* kScenario = R"(epoch_utc: 2027-01-01T00:00:00Z
duration_s: 700
seed: 5
threats:
  - id: g
    class: boost_glide
    entry: {lat_deg: 30, lon_deg: 120, alt_km: 100, speed_mps: 6010, flight_path_deg: -5}
    aim: {lat_deg: 30, lon_deg: 140}
sensors:
  - id: layer
    class: space_ir
    walker: {satellites: 28, planes: 4, phasing: 1, altitude_km: 1000, inclination_deg: 85}
  - id: radar
    class: radar
    site: {lat_deg: 31, lon_deg: 136}
    faces: [{boresight_az_deg: 270, boresight_el_deg: 10, half_fov_az_deg: 60, half_fov_el_deg: 45}]
    instrumented_range_km: 1500
    peak_power_w: 400000
    gain_db: 48
    wavelength_m: 0.03
    pulse_width_s: 1.0e-3
    pfa: 1.0e-9
)";

TEST(Sensing, TargetAtInterpolatesTruthAndCarriesTheSignature) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  const RunResult run = RunScenario(spec);
  const threats::Trajectory& tr = run.trajectories[0];
  sensors::TargetTruth t;
  ASSERT_TRUE(TargetAt(tr, spec.threats[0], 100.5, &t));
  EXPECT_EQ(t.id, "g");
  EXPECT_DOUBLE_EQ(t.rcs_m2, spec.threats[0].rcs_m2);
  EXPECT_GT(t.surface_temperature_K, 1000.0);  // a glider at Mach 20 in the atmosphere is hot
  EXPECT_FALSE(TargetAt(tr, spec.threats[0], tr.samples.back().t_s + 1.0, &t));
}

TEST(Sensing, SameSeedSameDetectionsAndReplicationsDiffer) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  const RunResult run = RunScenario(spec);
  const SensingResult a = SenseScenario(spec, run.trajectories, 0);
  const SensingResult b = SenseScenario(spec, run.trajectories, 0);
  const SensingResult c = SenseScenario(spec, run.trajectories, 1);
  ASSERT_EQ(a.detections.size(), b.detections.size());
  ASSERT_GT(a.detections.size(), 10u);
  for (size_t i = 0; i < a.detections.size(); ++i) {
    EXPECT_EQ(a.detections[i].t_s, b.detections[i].t_s);
    EXPECT_EQ(a.detections[i].los.u_Ecef, b.detections[i].los.u_Ecef);
  }
  bool differs = a.detections.size() != c.detections.size();
  for (size_t i = 0; !differs && i < a.detections.size(); ++i)
    differs = a.detections[i].los.u_Ecef != c.detections[i].los.u_Ecef ||
              a.detections[i].radar.range_m != c.detections[i].radar.range_m;
  EXPECT_TRUE(differs) << "another replication must draw other noise";
}

TEST(Sensing, StatisticsAgreeWithTheDetectionList) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  const RunResult run = RunScenario(spec);
  ASSERT_EQ(run.sensing.stats.size(), 2u);
  for (const SensorStats& st : run.sensing.stats) {
    long true_detections = 0, false_alarms = 0;
    for (const Detection& d : run.sensing.detections) {
      if (d.sensor_id != st.sensor_id) continue;
      if (d.false_alarm()) {
        ++false_alarms;
        EXPECT_TRUE(d.truth_id().empty());
      } else {
        ++true_detections;
        EXPECT_EQ(d.truth_id(), "g");
      }
    }
    EXPECT_EQ(true_detections, st.detections) << st.sensor_id;
    EXPECT_EQ(false_alarms, st.false_alarms) << st.sensor_id;
    const auto it = st.threats.find("g");
    ASSERT_NE(it, st.threats.end()) << st.sensor_id << " never saw the glider";
    EXPECT_LE(it->second.frames_stereo, it->second.frames_detected);
    EXPECT_GE(it->second.first_detection_s, 0.0);
  }
  for (size_t i = 1; i < run.sensing.detections.size(); ++i)
    EXPECT_LE(run.sensing.detections[i - 1].t_s, run.sensing.detections[i].t_s);
}

}  // namespace
}  // namespace hyperdef::sim

#include "sim/sensing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "sensors/line_of_sight.h"
#include "sim/run.h"

namespace hyperdef::sim {
namespace {

using core::Vec3;

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

// Comparing detections field by field, bit for bit.
void ExpectSameDetection(const Detection& a, const Detection& b, const std::string& where) {
  EXPECT_EQ(a.t_s, b.t_s) << where;
  EXPECT_EQ(a.sensor_id, b.sensor_id) << where;
  EXPECT_EQ(a.platform_id, b.platform_id) << where;
  EXPECT_EQ(a.is_radar, b.is_radar) << where;
  EXPECT_EQ(a.tasked, b.tasked) << where;
  EXPECT_EQ(a.false_alarm(), b.false_alarm()) << where;
  EXPECT_EQ(a.truth_id(), b.truth_id()) << where;
  if (!a.is_radar) {
    EXPECT_EQ(a.los.t_s, b.los.t_s) << where;
    EXPECT_EQ(a.los.sensor_id, b.los.sensor_id) << where;
    EXPECT_EQ(a.los.sat_r_Ecef, b.los.sat_r_Ecef) << where;
    EXPECT_EQ(a.los.sat_position_sigma_m, b.los.sat_position_sigma_m) << where;
    EXPECT_EQ(a.los.u_Ecef, b.los.u_Ecef) << where;
    EXPECT_EQ(a.los.u_covariance, b.los.u_covariance) << where;
    EXPECT_EQ(a.los.snr, b.los.snr) << where;
  } else {
    EXPECT_EQ(a.radar.t_s, b.radar.t_s) << where;
    EXPECT_EQ(a.radar.sensor_id, b.radar.sensor_id) << where;
    EXPECT_EQ(a.radar.range_m, b.radar.range_m) << where;
    EXPECT_EQ(a.radar.az_rad, b.radar.az_rad) << where;
    EXPECT_EQ(a.radar.el_rad, b.radar.el_rad) << where;
    EXPECT_EQ(a.radar.range_rate_mps, b.radar.range_rate_mps) << where;
    EXPECT_EQ(a.radar.covariance, b.radar.covariance) << where;
    EXPECT_EQ(a.radar.snr_dB, b.radar.snr_dB) << where;
  }
}

// Streaming frame by frame gives SenseScenario's list exactly (same order), whatever the order in
// which frames are sensed: forward, and backward (each frame's detections compared with the
// forward pass's), and the statistics agree. The radar revisits every 2 s here and the layer
// every 1 s, so FrameTimes is a true union and some frames have one sensor only.
TEST(Sensing, FramesStreamedEqualTheScenarioInAnyOrder) {
  ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  spec.radars[0].radar.revisit_s = 2.0;
  const RunResult run = RunScenario(spec);
  const SensingResult all = SenseScenario(spec, run.trajectories, 3);
  Sensing forward(spec, run.trajectories, 3);
  const std::vector<double> times = forward.FrameTimes();
  ASSERT_EQ(times.size(), 701u);  // 0..700 s at 1 s; the radar's even seconds are among them
  ASSERT_TRUE(std::is_sorted(times.begin(), times.end()));
  std::vector<std::vector<Detection>> frames(times.size());
  std::vector<Detection> streamed;
  for (size_t i = 0; i < times.size(); ++i) {
    forward.SenseFrame(times[i], &frames[i]);
    streamed.insert(streamed.end(), frames[i].begin(), frames[i].end());
  }
  ASSERT_EQ(streamed.size(), all.detections.size());
  ASSERT_GT(streamed.size(), 100u);
  for (size_t i = 0; i < streamed.size(); ++i) {
    ExpectSameDetection(streamed[i], all.detections[i], "detection " + std::to_string(i));
  }
  ASSERT_EQ(forward.Stats().size(), all.stats.size());
  for (size_t s = 0; s < all.stats.size(); ++s) {
    EXPECT_EQ(forward.Stats()[s].frames, all.stats[s].frames);
    EXPECT_EQ(forward.Stats()[s].detections, all.stats[s].detections);
    EXPECT_EQ(forward.Stats()[s].false_alarms, all.stats[s].false_alarms);
    EXPECT_EQ(forward.Stats()[s].visible_pairs, all.stats[s].visible_pairs);
  }
  EXPECT_EQ(all.stats[1].frames, 351);  // radar: 0, 2, ..., 700
  Sensing backward(spec, run.trajectories, 3);
  std::vector<Detection> frame;
  for (size_t i = times.size(); i-- > 0;) {
    frame.clear();
    backward.SenseFrame(times[i], &frame);
    ASSERT_EQ(frame.size(), frames[i].size()) << "t = " << times[i];
    for (size_t j = 0; j < frame.size(); ++j) ExpectSameDetection(frame[j], frames[i][j], "back");
  }
  frame.clear();
  backward.SenseFrame(0.5, &frame);  // no sensor's frame
  EXPECT_TRUE(frame.empty());
}

// The space layer's reports against a brute force over every satellite with sensors::IrLook
// (no cull, no settled shortcut), the streams keyed as documented: (seed, replication, hash of
// the satellite id, hash("ir-look") ^ hash(threat) * golden ^ frame) for the look, and the
// satellite's ephemeris error from (seed, replication, hash of the satellite id,
// hash("ephemeris") ^ frame). Same reports, same order, every bit.
// The cued looks reuse what a frame's sensing computed: the layer's satellites at exactly that
// frame time (the propagator's own positions), and nothing for another time or layer.
TEST(Sensing, SensedLayerFrameIsTheFramesSatellites) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  const RunResult run = RunScenario(spec);
  const orbits::J2SecularBatch batch = spec.space_layers[0].Propagator();
  Sensing sensing(spec, run.trajectories, 0);
  EXPECT_EQ(sensing.SensedLayerFrame(0, 0.0).sats_r_Ecef, nullptr);  // nothing sensed yet
  std::vector<Vec3> sats;
  std::vector<Detection> frame;
  for (double t : {0.0, 1.0, 250.0}) {
    sensing.SenseFrame(t, &frame);
    const Sensing::LayerFrame sensed = sensing.SensedLayerFrame(0, t);
    ASSERT_NE(sensed.sats_r_Ecef, nullptr);
    ASSERT_NE(sensed.culler, nullptr);
    batch.PositionsEcef(spec.epoch, t, &sats);
    ASSERT_EQ(sensed.sats_r_Ecef->size(), sats.size());
    for (size_t i = 0; i < sats.size(); ++i) EXPECT_EQ((*sensed.sats_r_Ecef)[i], sats[i]);  // exact
    EXPECT_EQ(sensing.SensedLayerFrame(0, t + 1.0).sats_r_Ecef, nullptr);  // another time
    EXPECT_EQ(sensing.SensedLayerFrame(1, t).sats_r_Ecef, nullptr);        // no such layer
  }
}

TEST(Sensing, LayerReportsEqualBruteForceIrLooks) {
  const ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  const RunResult run = RunScenario(spec);
  const SpaceLayerSpec& layer = spec.space_layers[0];
  const orbits::J2SecularBatch batch = layer.Propagator();
  Sensing sensing(spec, run.trajectories, 0);
  std::vector<Vec3> sats;
  std::vector<Detection> frame;
  long compared = 0;
  for (long f = 0; f <= 700; ++f) {
    const double t = static_cast<double>(f);
    frame.clear();
    sensing.SenseFrame(t, &frame);
    std::vector<sensors::LosMeasurement> expected;
    sensors::TargetTruth target;
    if (TargetAt(run.trajectories[0], spec.threats[0], t, &target)) {
      batch.PositionsEcef(spec.epoch, t, &sats);
      const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, t);
      const std::uint64_t purpose = core::HashName("ir-look") ^
                                    (core::HashName("g") * 0x9E3779B97F4A7C15ull) ^
                                    static_cast<std::uint64_t>(f);
      for (size_t i = 0; i < sats.size(); ++i) {
        const std::uint64_t sat_hash = core::HashName(layer.satellites[i].id);
        core::RandomStream rng(spec.seed, 0, sat_hash, purpose);
        core::RandomStream eph_rng(spec.seed, 0, sat_hash,
                                   core::HashName("ephemeris") ^ static_cast<std::uint64_t>(f));
        const Vec3 eph = sensors::EphemerisError(layer.sensor, eph_rng);
        ASSERT_EQ(eph, FrameEphemerisError(layer.sensor, spec.seed, 0, sat_hash, f));
        auto m = sensors::IrLook(layer.sensor, sats[i], eph, target, sun, false, rng);
        if (m) expected.push_back(*m);
      }
    }
    size_t k = 0;
    for (const Detection& d : frame) {
      if (d.is_radar || d.false_alarm()) continue;
      ASSERT_LT(k, expected.size()) << "t = " << t;
      const sensors::LosMeasurement& e = expected[k++];
      EXPECT_EQ(d.los.u_Ecef, e.u_Ecef);
      EXPECT_EQ(d.los.sat_r_Ecef, e.sat_r_Ecef);
      EXPECT_EQ(d.los.snr, e.snr);
      EXPECT_EQ(d.los.u_covariance, e.u_covariance);
      EXPECT_EQ(d.los.t_s, e.t_s);
      ++compared;
    }
    EXPECT_EQ(k, expected.size()) << "t = " << t;
  }
  EXPECT_GT(compared, 150);  // the glider is seen by the layer on many frames
}

// The ephemeris error is the satellite's, not the look's: every report (detections and false
// alarms) of one satellite in one frame carries the same error, reported minus true position,
// and it is FrameEphemerisError's. Across frames the errors are independent draws with the
// spec's sigma: the mean of |e|^2 / sigma^2 (chi-square, 3 dof) over the satellite-frames seen
// must lie within 5 sigma of 3 (sd of one term sqrt(6)). A satellite-frame with two or more
// reports must occur (a glider seen in stereo and false alarms), else the sharing is not tested.
TEST(Sensing, EphemerisErrorIsSharedByASatellitesReportsInAFrame) {
  ScenarioSpec spec = LoadScenarioFromString(kScenario, "s.yaml");
  SpaceLayerSpec& layer = spec.space_layers[0];
  layer.sensor.pixel_count = 4e9;  // Q(6) x 4e9 = 3.9 false alarms per satellite and frame
  const RunResult run = RunScenario(spec);
  const orbits::J2SecularBatch batch = layer.Propagator();
  Sensing sensing(spec, run.trajectories, 2);
  std::vector<Detection> frame;
  std::vector<Vec3> sats;
  long shared = 0, satellite_frames = 0;
  double chi2 = 0.0;
  const double sigma = layer.sensor.position_knowledge_sigma_m;
  for (long f = 0; f <= 100; ++f) {
    const double t = static_cast<double>(f);
    frame.clear();
    sensing.SenseFrame(t, &frame);
    batch.PositionsEcef(spec.epoch, t, &sats);
    std::vector<int> reports(sats.size(), 0);
    for (const Detection& d : frame) {
      if (d.is_radar) continue;
      size_t i = 0;
      while (layer.satellites[i].id != d.platform_id) ++i;
      const Vec3 e = d.los.sat_r_Ecef - sats[i];
      const Vec3 expected =
          FrameEphemerisError(layer.sensor, spec.seed, 2, core::HashName(d.platform_id), f);
      // 1e-6 m: the error is recovered as (r + e) - r at |r| ~ 7.4e6 m, round-off ~ 1e-9 m.
      EXPECT_NEAR((e - expected).norm(), 0.0, 1e-6) << d.platform_id << " t = " << t;
      if (reports[i]++ == 0) {
        chi2 += expected.squaredNorm() / (sigma * sigma);
        ++satellite_frames;
      } else {
        ++shared;
      }
    }
  }
  EXPECT_GT(shared, 100);
  ASSERT_GT(satellite_frames, 500);
  EXPECT_NEAR(chi2 / static_cast<double>(satellite_frames), 3.0,
              5.0 * std::sqrt(6.0 / static_cast<double>(satellite_frames)));
  // Another frame, another draw; another satellite, another draw.
  EXPECT_NE(FrameEphemerisError(layer.sensor, 5, 0, 11, 3),
            FrameEphemerisError(layer.sensor, 5, 0, 11, 4));
  EXPECT_NE(FrameEphemerisError(layer.sensor, 5, 0, 11, 3),
            FrameEphemerisError(layer.sensor, 5, 0, 12, 3));
}

}  // namespace
}  // namespace hyperdef::sim

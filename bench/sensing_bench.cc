// Sensing a whole scenario, the budget: detections for 100 threats x 1,000 satellites over
// 1,800 s at 1 Hz in < 1 s on one core. One iteration = one sim::SenseScenario call: per frame the
// J2-secular positions of the layer, the visibility cull, every look's detection draw and
// measurement noise, and every satellite's false alarms, then the time sort of all detections.
//
// The ScenarioSpec is built in code: a Walker 60 deg: 1000/20/1 layer at 1,000 km with the default
// (assumed) SpaceIrSpec, and 100 threats. The threats' tracks are made from four flights flown
// once (two ICBM-class ballistic shapes, an HTV-2-class glider from an entry state, a
// MRBM-class ballistic missile), each replicated 25 times and rotated about the Earth's axis by
// a different longitude (exact for the 3-DOF state in ECEF: the Earth's rotation and zonal
// gravity are symmetric about that axis), launched from several latitudes: 100 distinct tracks
// spread over the globe. Sample times are shifted so that every flight is under way at t = 0;
// the ICBM and glider flights cover the whole 1,800 s, the MRBM ones about a third of it.
// BM_SenseScenario/1 adds two radars (one with an RCS aspect table) to the same scenario.
//
// Counters: detections (of threats), false_alarms, visible_pairs (satellite-target pairs that
// passed the geometric cull, summed over frames), all per SenseScenario call.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <Eigen/Geometry>
#include <cmath>
#include <memory>
#include <vector>

#include "core/constants.h"
#include "orbits/constellation.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sensing.h"

namespace {

using namespace hyperdef;
using core::kDegToRad;

constexpr double kDuration_s = 1800.0;
constexpr int kThreats = 100;

threats::ThreatSpec Ballistic(const char* id, const char* preset, double lat0, double lon0,
                              double lat1, double lon1, threats::TrajectoryShape shape) {
  threats::ThreatSpec t;
  t.id = id;
  t.threat_class = threats::ThreatClass::kBallistic;
  double payload = 0.0;
  sim::BoosterPreset(preset, &t.ballistic.booster, &payload);
  t.ballistic.rv.mass_kg = payload;
  t.ballistic.rv.ballistic_coefficient_kgpm2 = 10000.0;
  t.ballistic.shape = shape;
  t.launch = {lat0 * kDegToRad, lon0 * kDegToRad, 0.0};
  t.aim = {lat1 * kDegToRad, lon1 * kDegToRad, 0.0};
  return t;
}

threats::ThreatSpec Glider() {
  threats::ThreatSpec t;
  t.id = "hgv";
  t.threat_class = threats::ThreatClass::kBoostGlide;
  threats::StateSpec entry;
  entry.position = {-10.0 * kDegToRad, 20.0 * kDegToRad, 100e3};
  entry.speed_mps = 6500.0;
  entry.flight_path_rad = -3.0 * kDegToRad;
  t.boost_glide.entry = entry;
  t.launch = entry.position;
  t.aim = {-20.0 * kDegToRad, 120.0 * kDegToRad, 0.0};
  return t;
}

// Rotates a track about the Earth's z axis by dlon and shifts its times by dt.
threats::Trajectory Rotated(const threats::Trajectory& tr, const std::string& id, double dlon,
                            double dt) {
  threats::Trajectory out = tr;
  out.threat_id = id;
  const Eigen::Matrix3d rz = Eigen::AngleAxisd(dlon, core::Vec3::UnitZ()).toRotationMatrix();
  for (threats::TrajectorySample& s : out.samples) {
    s.t_s += dt;
    s.x.head<3>() = rz * s.x.head<3>();
    s.x.segment<3>(3) = rz * s.x.segment<3>(3);
    s.lon_rad = std::remainder(s.lon_rad + dlon, core::kTwoPi);
  }
  return out;
}

struct Fixture {
  sim::ScenarioSpec spec;
  std::vector<threats::Trajectory> tracks;
};

// Built once: flying the four templates (two aimed ballistic flights) takes about a second.
const Fixture& TheFixture(bool with_radars) {
  static std::unique_ptr<Fixture> cache[2];
  std::unique_ptr<Fixture>& f = cache[with_radars ? 1 : 0];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  sim::ScenarioSpec& spec = f->spec;
  spec.name = "sensing-bench";
  spec.epoch = core::Epoch::FromUtc(2027, 1, 1, 0, 0, 0.0);
  spec.duration_s = kDuration_s;
  spec.seed = 7;

  // Templates, flown once.
  spec.threats = {
      Ballistic("icbm-me", "icbm3", 40.0, 127.0, 47.0, -122.0,
                threats::TrajectoryShape::kMinimumEnergy),
      Ballistic("icbm-lo", "icbm3", 55.0, 40.0, 20.0, 110.0, threats::TrajectoryShape::kLofted),
      Glider(),
      Ballistic("mrbm", "mrbm2", -25.0, 0.0, -30.0, 12.0, threats::TrajectoryShape::kMinimumEnergy),
  };
  std::vector<threats::Trajectory> templates;
  for (size_t i = 0; i < spec.threats.size(); ++i) {
    templates.push_back(sim::SimulateThreat(spec, i));
  }
  std::vector<threats::ThreatSpec> base = spec.threats;
  spec.threats.clear();
  for (int k = 0; k < kThreats; ++k) {
    const size_t j = static_cast<size_t>(k) % templates.size();
    threats::ThreatSpec t = base[j];
    t.id = fmt::format("t{}", k);
    const double dlon = core::kTwoPi * (static_cast<double>(k) / kThreats) + 0.1 * j;
    // Start every flight 100 s before t = 0 (the boost is then half seen for the ICBMs), jittered.
    const double dt = -templates[j].samples.front().t_s - 100.0 + static_cast<double>(k % 7);
    f->tracks.push_back(Rotated(templates[j], t.id, dlon, dt));
    if (j == 0 || j == 1) {  // a cone RV's pattern (docs/scenario.md), for the radar variant
      t.rcs_aspect_dBsm = std::make_shared<const flight::Table1D>(
          std::vector<double>{0.0, 30.0 * kDegToRad, 90.0 * kDegToRad, 150.0 * kDegToRad,
                              core::kPi},
          std::vector<double>{-20.0, -17.0, 0.0, -10.0, -5.2});
    }
    spec.threats.push_back(t);
  }

  sim::SpaceLayerSpec layer;
  layer.sensor.id = "layer";
  orbits::WalkerConfig c;
  c.total = 1000;
  c.planes = 20;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 60.0 * kDegToRad;
  c.id_prefix = "layer";
  layer.satellites = orbits::MakeWalkerConstellation(c);
  spec.space_layers.push_back(layer);

  if (with_radars) {
    sim::RadarSiteSpec r;
    r.radar.id = "xband";
    r.radar.faces = {{0.0, 20.0 * kDegToRad, core::kPi, 45.0 * kDegToRad}};  // rotating
    r.radar.instrumented_range_m = 3.0e6;
    r.radar.peak_power_W = 4e5;
    r.radar.gain_dB = 48.0;
    r.radar.losses_dB = 6.0;
    r.radar.noise_temperature_K = 500.0;
    r.radar.pulse_width_s = 1e-3;
    r.radar.pfa = 1e-9;
    r.radar.beamwidth_rad = 0.5 * kDegToRad;
    r.site = {40.0 * kDegToRad, 140.0 * kDegToRad, 100.0};
    spec.radars.push_back(r);
    r.radar.id = "ship";
    r.site = {-20.0 * kDegToRad, 60.0 * kDegToRad, 20.0};
    r.ship_speed_mps = 7.7;
    r.ship_course_rad = 45.0 * kDegToRad;
    r.radar.range_rate_sigma_mps0 = 5.0;
    spec.radars.push_back(r);
  }
  return *f;
}

void BM_SenseScenario(benchmark::State& state) {
  const Fixture& f = TheFixture(state.range(0) != 0);
  long detections = 0, false_alarms = 0, visible = 0;
  for (auto _ : state) {
    const sim::SensingResult r = sim::SenseScenario(f.spec, f.tracks, 0);
    detections = false_alarms = visible = 0;
    for (const sim::SensorStats& s : r.stats) {
      detections += s.detections;
      false_alarms += s.false_alarms;
      visible += s.visible_pairs;
    }
    benchmark::DoNotOptimize(r.detections.data());
  }
  state.counters["detections"] = static_cast<double>(detections);
  state.counters["false_alarms"] = static_cast<double>(false_alarms);
  state.counters["visible_pairs"] = static_cast<double>(visible);
}
BENCHMARK(BM_SenseScenario)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

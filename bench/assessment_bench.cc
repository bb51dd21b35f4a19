// Threat assessment's costly pieces: a glider's reachable footprint (15 constant-bank rays flown
// with the defender's glide model) and the asset threat probability (the footprints of 16 states
// drawn from the track's Gaussian, tested against two assets), exactly or linearised. The tracker
// calls the footprint and the linearised probabilities for every
// confirmed glider track at each assessment step (10 s in the regional example), so they set a
// large part of one Monte Carlo replication's cost.
//
// The state: an HTV-2-class glider at 40 km, 4.2 km/s Earth-relative, level, heading east from
// 38.5 N 131 E (the regional example's glider ~150 s after release), track sigma 100 m and 5 m/s.
#include <benchmark/benchmark.h>

#include "assessment/footprint.h"
#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"

namespace {

using namespace hyperdef;
using core::kDegToRad;
using Vec3 = Eigen::Vector3d;

struct Case {
  tracking::TrackingFrame frame;
  tracking::Gaussian rv;
  assessment::FootprintOptions options;
  std::vector<assessment::AssetCircle> assets;
};

Case MakeCase() {
  Case c;
  const Vec3 r = earth::EcefFromGeodetic({38.5 * kDegToRad, 131.0 * kDegToRad, 40e3});
  const Vec3 v = flight::VelocityFromAngles(r, 4200.0, 0.0, 110.0 * kDegToRad);
  c.rv.x.resize(6);
  c.rv.x << c.frame.PositionEci(r, 0.0), c.frame.VelocityEci(r, v, 0.0);
  c.rv.P = tracking::StateMatrix::Zero(6, 6);
  for (int i = 0; i < 3; ++i) {
    c.rv.P(i, i) = 100.0 * 100.0;
    c.rv.P(i + 3, i + 3) = 5.0 * 5.0;
  }
  c.options.step_s = 10.0;  // as the tracker's assessment uses it (src/sim/tracking_run.cc)
  c.assets = {{35.7 * kDegToRad, 139.7 * kDegToRad, 30e3},
              {35.2 * kDegToRad, 136.9 * kDegToRad, 30e3}};
  return c;
}

void BM_ReachableFootprint(benchmark::State& state) {
  const Case c = MakeCase();
  for (auto _ : state) {
    const assessment::Footprint fp = assessment::ReachableFootprint(c.rv, c.frame, 0.0, c.options);
    benchmark::DoNotOptimize(fp.max_range_m);
  }
}
BENCHMARK(BM_ReachableFootprint)->Unit(benchmark::kMicrosecond);

void BM_AssetThreatProbabilities16(benchmark::State& state) {
  const Case c = MakeCase();
  for (auto _ : state) {
    const std::vector<double> p =
        assessment::AssetThreatProbabilities(c.rv, c.frame, 0.0, c.options, c.assets, 16, 7);
    benchmark::DoNotOptimize(p.data());
  }
}
BENCHMARK(BM_AssetThreatProbabilities16)->Unit(benchmark::kMillisecond);

// The same probabilities from the footprint expanded to first order about the mean (what the
// tracker uses): 7 footprints whatever the sample count.
void BM_AssetThreatProbabilitiesLinearised16(benchmark::State& state) {
  const Case c = MakeCase();
  for (auto _ : state) {
    const std::vector<double> p = assessment::AssetThreatProbabilitiesLinearised(
        c.rv, c.frame, 0.0, c.options, c.assets, 16, 7);
    benchmark::DoNotOptimize(p.data());
  }
}
BENCHMARK(BM_AssetThreatProbabilitiesLinearised16)->Unit(benchmark::kMillisecond);

}  // namespace

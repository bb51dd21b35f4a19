// Space-IR visibility cull: the budget is 100 threats x 1,000 satellites x 1,800 one-second
// frames in < 1 s on one core. One benchmark iteration = one frame: J2-secular ECEF positions of a
// 1,000-satellite Walker constellation, IrVisibilityCuller::SetSatellites, and the candidate list
// of each of 100 synthetic targets (0-300 km altitude, uniform over the sphere). Multiply the
// per-iteration time by 1,800 for the scenario figure. NOTE: needs hyperdef::sensors in
// bench/CMakeLists.txt's target_link_libraries.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "core/constants.h"
#include "core/random.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"
#include "sensors/space_ir.h"
#include "synthetic_raid.h"

namespace {

using namespace hyperdef;

using bench::ThousandSatellites;

std::vector<core::Vec3> HundredTargets() {
  core::RandomStream rng(1, 0, "space-ir-bench", "targets");
  std::vector<core::Vec3> out;
  for (int k = 0; k < 100; ++k) {
    const double z = rng.Uniform(-1.0, 1.0), phi = core::kTwoPi * rng.Uniform();
    const double s = std::sqrt(1.0 - z * z);
    out.push_back((core::kWgs84A_m + rng.Uniform(0.0, 300e3)) *
                  core::Vec3(s * std::cos(phi), s * std::sin(phi), z));
  }
  return out;
}

void BM_CullFrame100x1000(benchmark::State& state) {
  const orbits::J2SecularBatch batch = ThousandSatellites();
  const std::vector<core::Vec3> targets = HundredTargets();
  const sensors::SpaceIrSpec spec;
  sensors::IrVisibilityCuller culler(spec);
  const core::Vec3 sun_Ecef = core::Vec3(1.0, 0.3, 0.2).normalized();
  std::vector<core::Vec3> sats;
  std::vector<int> candidates;
  double t = 0.0;
  long pairs = 0;
  for (auto _ : state) {
    batch.PositionsEcef(t, core::kEarthOmega_radps * t, &sats);
    culler.SetSatellites(sats);
    for (const core::Vec3& r : targets) {
      culler.Candidates(r, &sun_Ecef, &candidates);
      pairs += static_cast<long>(candidates.size());
    }
    benchmark::DoNotOptimize(candidates.data());
    t += 1.0;
  }
  state.counters["visible_pairs_per_frame"] =
      benchmark::Counter(static_cast<double>(pairs) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_CullFrame100x1000)->Unit(benchmark::kMicrosecond);

// The cull alone (satellites fixed), to separate it from propagation.
void BM_CullOnly100x1000(benchmark::State& state) {
  const orbits::J2SecularBatch batch = ThousandSatellites();
  const std::vector<core::Vec3> targets = HundredTargets();
  const sensors::SpaceIrSpec spec;
  sensors::IrVisibilityCuller culler(spec);
  std::vector<core::Vec3> sats;
  batch.PositionsEcef(0.0, 0.0, &sats);
  culler.SetSatellites(sats);
  std::vector<int> candidates;
  for (auto _ : state) {
    for (const core::Vec3& r : targets) culler.Candidates(r, nullptr, &candidates);
    benchmark::DoNotOptimize(candidates.data());
  }
}
BENCHMARK(BM_CullOnly100x1000)->Unit(benchmark::kMicrosecond);

}  // namespace

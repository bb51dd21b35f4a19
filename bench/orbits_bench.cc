// Orbit propagation cost: the sensor layer evaluates ~1,000 satellites x 1,800 one-second steps,
// so one J2-secular batch step must stay in the tens of microseconds. SGP4 per call for TLE-driven
// scenarios (near-Earth and deep-space cases from the Vallado 2006 verification set).
#include <benchmark/benchmark.h>

#include <vector>

#include "core/constants.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"
#include "orbits/sgp4.h"
#include "orbits/tle.h"

namespace {

using namespace hyperdef;

orbits::J2SecularBatch ThousandSatellites() {
  orbits::WalkerConfig c;
  c.total = 1000;
  c.planes = 20;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 60.0 * core::kDegToRad;
  orbits::J2SecularBatch batch;
  for (const orbits::Satellite& s : orbits::MakeWalkerConstellation(c)) {
    orbits::KeplerianElements el = s.elements;
    el.e = 0.001;  // force the Kepler solve (circular orbits skip it)
    batch.Add(el);
  }
  return batch;
}

void BM_J2Batch1000PositionsEci(benchmark::State& state) {
  const orbits::J2SecularBatch batch = ThousandSatellites();
  std::vector<core::Vec3> r;
  double t = 0.0;
  for (auto _ : state) {
    batch.PositionsEci(t, &r);
    benchmark::DoNotOptimize(r.data());
    t += 1.0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_J2Batch1000PositionsEci);

void BM_J2Batch1000StatesEci(benchmark::State& state) {
  const orbits::J2SecularBatch batch = ThousandSatellites();
  std::vector<core::Vec3> r, v;
  double t = 0.0;
  for (auto _ : state) {
    batch.StatesEci(t, &r, &v);
    benchmark::DoNotOptimize(r.data());
    benchmark::DoNotOptimize(v.data());
    t += 1.0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_J2Batch1000StatesEci);

void Sgp4Call(benchmark::State& state, const char* l1, const char* l2) {
  const orbits::Sgp4Model model =
      orbits::Sgp4Init(orbits::Sgp4Elements::FromTle(orbits::ParseTle(l1, l2)));
  core::Vec3 r, v;
  double t = 0.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(orbits::Sgp4Propagate(model, t, &r, &v));
    benchmark::DoNotOptimize(r.data());
    t += 1.0;
    if (t > 1440.0) t = 0.0;
  }
}

void BM_Sgp4NearEarth(benchmark::State& state) {
  Sgp4Call(state, "1 06251U 62025E   06176.82412014  .00008885  00000-0  12808-3 0  3985",
           "2 06251  58.0579  54.0425 0030035 139.1568 221.1854 15.56387291  6774");
}
BENCHMARK(BM_Sgp4NearEarth);

void BM_Sgp4DeepSpaceGeoResonant(benchmark::State& state) {
  Sgp4Call(state, "1 24208U 96044A   06177.04061740 -.00000094  00000-0  10000-3 0  1600",
           "2 24208   3.8536  80.0121 0026640 311.0977  48.3000  1.00778054 36119");
}
BENCHMARK(BM_Sgp4DeepSpaceGeoResonant);

void BM_Sgp4Init(benchmark::State& state) {
  const orbits::Tle tle =
      orbits::ParseTle("1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
                       "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656");
  for (auto _ : state) {
    benchmark::DoNotOptimize(orbits::Sgp4Init(orbits::Sgp4Elements::FromTle(tle)));
  }
}
BENCHMARK(BM_Sgp4Init);

}  // namespace

// Cost of the earth models inside the flight derivative: the US76 atmosphere and J2-J4 gravity.
#include <benchmark/benchmark.h>

#include "core/constants.h"
#include "earth/atmosphere.h"
#include "earth/gravity.h"

namespace hyperdef::earth {
namespace {

// Altitudes sweep 0-1000 km in a non-monotone order so every layer and the upper table are hit.
void BM_Us76(benchmark::State& state) {
  Us76(0.0);  // build the tables outside the timed loop
  double z = 0.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Us76(z));
    z += 7919.0;  // prime step, wraps over the full range
    if (z > 1.0e6) z -= 1.0e6;
  }
}
BENCHMARK(BM_Us76);

// The density-only table of the defender's prediction models, same sweep.
void BM_Us76Density(benchmark::State& state) {
  Us76Density(0.0);
  double z = 0.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Us76Density(z));
    z += 7919.0;
    if (z > 1.0e6) z -= 1.0e6;
  }
}
BENCHMARK(BM_Us76Density);

void BM_GravityJ4(benchmark::State& state) {
  core::Vec3 r(4.1e6, -2.2e6, 3.3e6);
  for (auto _ : state) {
    benchmark::DoNotOptimize(GravityAcceleration(r, GravityModel::kJ2J4));
    r.x() += 1.0;
  }
}
BENCHMARK(BM_GravityJ4);

}  // namespace
}  // namespace hyperdef::earth

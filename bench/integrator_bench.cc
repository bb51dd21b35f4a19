// Integrator cost: point-mass two-body propagation with Dormand-Prince 5(4) at default tolerance
// (rel 1e-9, abs 1e-6), the integration core of every 3-DOF flight. The derivative here is cheap,
// so these numbers are the integrator's own overhead per step; a flight adds its model cost.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>

#include "core/constants.h"
#include "flight/integrator.h"

namespace {

using hyperdef::core::kEarthMu_m3ps2;
using namespace hyperdef::flight;
using V6 = OdeVector<6>;
using V7 = OdeVector<7>;

V6 TwoBody(double, const V6& x) {
  const double r2 = x.head<3>().squaredNorm();
  V6 d;
  d.head<3>() = x.tail<3>();
  d.tail<3>() = -kEarthMu_m3ps2 / (r2 * std::sqrt(r2)) * x.head<3>();
  return d;
}

// One full orbit at 7000 km (period ~ 5830 s).
void BM_Dp54TwoBodyOrbit(benchmark::State& state) {
  const double r = 7.0e6;
  const double v = std::sqrt(kEarthMu_m3ps2 / r);
  V6 x0;
  x0 << r, 0.0, 0.0, 0.0, v, 0.0;
  const double period = 2.0 * hyperdef::core::kPi * std::sqrt(r * r * r / kEarthMu_m3ps2);
  const Dp54Options<6> opt;
  long steps = 0;
  for (auto _ : state) {
    const auto res = IntegrateDp54<6>(TwoBody, 0.0, x0, period, opt);
    benchmark::DoNotOptimize(res.x);
    steps = res.stats.accepted_steps;
  }
  state.counters["steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_Dp54TwoBodyOrbit)->Unit(benchmark::kMicrosecond);

// The shape of a 3-DOF flight: 7 states (r, v, mass), a 1,500 s horizon, two breakpoints
// (burnouts), an impact event and a 1 s record interval through the sampler.
void BM_Dp54SevenState1500sWithEventsAndSampling(benchmark::State& state) {
  const auto f = [](double t, const V7& x) {
    V7 d;
    const double r2 = x.head<3>().squaredNorm();
    d.head<3>() = x.segment<3>(3);
    d.segment<3>(3) = -kEarthMu_m3ps2 / (r2 * std::sqrt(r2)) * x.head<3>();
    const double mdot = t < 60.0 ? 300.0 : (t < 120.0 ? 80.0 : 0.0);
    if (mdot > 0.0) d.segment<3>(3) += (mdot * 4500.0 / x[6]) * x.segment<3>(3).normalized();
    d[6] = -mdot;
    return d;
  };
  const double R = hyperdef::core::kEarthMeanRadius_m;
  V7 x0;
  x0 << R, 0.0, 0.0, 300.0, 300.0, 0.0, 30000.0;
  const std::array<Event<7>, 1> events = {
      Event<7>{.id = 1,
               .g = [R](double, const V7& x) { return x.head<3>().norm() - R; },
               .direction = EventDirection::kFalling,
               .terminal = true}};
  const std::array<double, 2> burnouts = {60.0, 120.0};
  const Dp54Options<7> opt;
  long steps = 0, samples = 0;
  for (auto _ : state) {
    long n = 0;
    auto sampler = SampleEvery(0.0, 1.0, [&n](double, const V7& x) {
      benchmark::DoNotOptimize(x);
      ++n;
    });
    const auto res = IntegrateDp54<7>(f, 0.0, x0, 1500.0, opt, events, burnouts, sampler);
    benchmark::DoNotOptimize(res.x);
    steps = res.stats.accepted_steps;
    samples = n;
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["samples"] = static_cast<double>(samples);
}
BENCHMARK(BM_Dp54SevenState1500sWithEventsAndSampling)->Unit(benchmark::kMicrosecond);

}  // namespace

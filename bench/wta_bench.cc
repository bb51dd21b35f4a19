// Weapon-target assignment: the greedy (maximum marginal return + local search) on a raid of 100
// threats against 10 batteries, and the exact enumerated MILP (GLPK) on the largest small cases
// that solve well under a second.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "core/random.h"
#include "engagement/wta.h"

namespace hyperdef::engagement {
namespace {

// Random problem: each pair has a window with probability `feasible_fraction`, pk in [0.3, 0.9],
// 1..max_window engagement opportunities; threat values in [1, 10].
WtaProblem RandomRaid(int batteries, int threats, int inventory, int max_window,
                      double feasible_fraction, FireDoctrine doctrine, std::uint64_t seed) {
  core::RandomStream rng(seed, 0, "wta_bench", "raid");
  WtaProblem p(batteries, threats);
  p.doctrine = doctrine;
  for (double& v : p.threat_value) v = rng.Uniform(1.0, 10.0);
  for (int& n : p.inventory) n = inventory;
  for (WtaPair& pr : p.pairs) {
    pr.feasible = rng.Uniform() < feasible_fraction;
    pr.pk = rng.Uniform(0.3, 0.9);
    pr.max_engagements = 1 + static_cast<int>(rng.Bits() % static_cast<std::uint64_t>(max_window));
  }
  return p;
}

// Args: local search on/off, doctrine (0 = shoot-shoot, 1 = shoot-look-shoot).
void BM_WtaGreedyRaid100x10(benchmark::State& state) {
  const FireDoctrine doctrine =
      state.range(1) == 0 ? FireDoctrine::kShootShoot : FireDoctrine::kShootLookShoot;
  // 10 batteries x 16 interceptors for 100 threats: inventory binds, the interesting case.
  const WtaProblem p = RandomRaid(10, 100, 16, 3, 0.5, doctrine, 1);
  const WtaGreedyOptions options{.local_search = state.range(0) != 0};
  for (auto _ : state) {
    const WtaAllocation a = SolveWtaGreedy(p, options);
    benchmark::DoNotOptimize(a.engagements.data());
  }
  state.counters["defended_value"] = SolveWtaGreedy(p, options).defended_value;
}
BENCHMARK(BM_WtaGreedyRaid100x10)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->ArgNames({"local", "sls"})
    ->Unit(benchmark::kMicrosecond);

// Args: batteries, threats. Inventory 4 per battery, windows of up to 2 engagements, 75 % of the
// pairs feasible, shoot-shoot: up to 3^I columns per threat.
void BM_WtaExact(benchmark::State& state) {
  const WtaProblem p =
      RandomRaid(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), 4, 2, 0.75,
                 FireDoctrine::kShootShoot, 2);
  for (auto _ : state) {
    const WtaAllocation a = SolveWtaExact(p);
    benchmark::DoNotOptimize(a.engagements.data());
  }
  // Counters from separate solves (outside the timed loop).
  const WtaAllocation exact = SolveWtaExact(p);
  const WtaAllocation greedy = SolveWtaGreedy(p);
  state.counters["columns"] = exact.exact_columns;
  state.counters["proven_optimal"] = exact.proven_optimal ? 1.0 : 0.0;
  state.counters["greedy_gap"] =
      (exact.defended_value - greedy.defended_value) / exact.defended_value;
}
BENCHMARK(BM_WtaExact)
    ->Args({3, 5})
    ->Args({3, 10})
    ->Args({4, 10})
    ->Args({5, 12})
    ->Args({5, 20})
    ->Args({6, 20})
    ->Args({8, 20})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hyperdef::engagement

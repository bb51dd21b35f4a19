// Monte Carlo of the regional scenario (issue 6's figure): replications per second on one and on
// two oneTBB threads, their ratio, and the time 10,000 replications would take on two threads.
// One iteration runs kRuns replications of scenarios/regional.yaml (glider + 2 ballistic missiles,
// 78 satellites in two layers, 2 radars, the IMM tracker with assessment, 3 batteries) through
// sim::RunItems, the code `hyperdef mc` uses (outputs are not written). Wall time
// (UseRealTime): the ratio is what a user waits.
//
// Counters: runs_per_s, and for threads = 2 also scaling (vs the 1-thread figure of the same
// process) and t_10000_runs_s.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>

#include "sim/monte_carlo.h"
#include "sim/scenario.h"

namespace {

using namespace hyperdef;

constexpr std::uint64_t kRuns = 6;
double g_one_thread_rate = 0.0;

void BM_MonteCarloRegional(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::vector<sim::ScenarioSpec> points = {
      sim::LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/regional.yaml")};
  std::vector<sim::WorkItem> items;
  for (std::uint64_t r = 0; r < kRuns; ++r) items.push_back({0, r});
  // Warm the per-process caches (interceptor fly-out tables) outside the timing, as a long Monte
  // Carlo amortises them.
  sim::RunItems(
      points, {{0, 1000}}, 1, {}, 10.0, [] { return false; }, [](sim::ReplicationOutput&&) {});
  std::uint64_t done_total = 0;
  double seconds = 0.0;
  for (auto _ : state) {
    std::atomic<std::uint64_t> done{0};
    const auto t0 = std::chrono::steady_clock::now();
    sim::RunItems(
        points, items, threads, {}, 10.0, [] { return false; },
        [&](sim::ReplicationOutput&& out) {
          benchmark::DoNotOptimize(out.record.values.data());
          ++done;
        });
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done_total += done;
  }
  const double rate = static_cast<double>(done_total) / seconds;
  state.counters["runs_per_s"] = rate;
  if (threads == 1) g_one_thread_rate = rate;
  if (threads == 2 && g_one_thread_rate > 0) {
    state.counters["scaling"] = rate / g_one_thread_rate;
    state.counters["t_10000_runs_s"] = 10000.0 / rate;
  }
}
BENCHMARK(BM_MonteCarloRegional)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

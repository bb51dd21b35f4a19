// Data association costs: optimal assignment on dense random matrices (the GNN worst case:
// every track gates every measurement) and JPDA marginals on a fully shared 4-track cluster.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <vector>

#include "core/random.h"
#include "tracking/assignment.h"
#include "tracking/jpda.h"

namespace hyperdef::tracking {
namespace {

Eigen::MatrixXd RandomDense(int n, std::uint64_t seed) {
  core::RandomStream rng(seed, 0, "assignment_bench", "dense");
  Eigen::MatrixXd c(n, n);
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) c(i, j) = rng.Uniform();
  }
  return c;
}

void BM_SolveAssignmentDense(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd c = RandomDense(n, 1);
  AssignmentSolver solver;  // workspace reused across iterations, as a tracker would
  AssignmentResult result;
  for (auto _ : state) {
    solver.Solve(c, &result);
    benchmark::DoNotOptimize(result.cost);
  }
  state.SetComplexityN(n);
}
BENCHMARK(BM_SolveAssignmentDense)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

// 4 tracks, 6 measurements, every pair gated: 1 + 24 + ... = 1,045 feasible joint events.
void BM_JpdaCluster4(benchmark::State& state) {
  core::RandomStream rng(2, 0, "assignment_bench", "jpda");
  Eigen::MatrixXd L(4, 6);
  for (int t = 0; t < 4; ++t) {
    for (int j = 0; j < 6; ++j) L(t, j) = rng.Uniform(1e-9, 1e-6);
  }
  const std::vector<double> pd(4, 0.9);
  JpdaSolver solver;
  for (auto _ : state) {
    const Eigen::MatrixXd& beta = solver.Solve(L, pd, 0.99, 1e-7);
    benchmark::DoNotOptimize(beta.data());
  }
  state.counters["events"] = static_cast<double>(solver.stats().events);
}
BENCHMARK(BM_JpdaCluster4)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hyperdef::tracking

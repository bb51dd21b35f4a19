// Monte Carlo replications of a scenario and their statistics.
//
// Replication r of a scenario is SampleScenario(nominal, r) (every parameter written as a
// distribution drawn from its own stream) run with replication index r, so every random stream
// of the run is keyed by (seed, r, entity, purpose) (core/random.h). A replication's numbers
// therefore depend on (scenario, seed, r) only: not on which thread or MPI rank runs it, nor on
// what ran before. What a run keeps is small (a RunRecord and its ErrorBands); the full
// RunResult only for runs asked for by name (--keep-traces).
//
// Statistics (Aggregate) are computed from the records sorted by (point, run), and the error
// bands are sums of integers, so the results are bit-identical however the runs were split.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/run.h"
#include "sim/scenario.h"

namespace hyperdef::sim {

// One replication's numbers, one per column of RunColumns(spec); NaN = not applicable (e.g. the
// time to detection of a threat never detected). Values are rounded to 9 significant digits when
// recorded, so that a checkpoint written as text and read back holds exactly the same doubles.
struct RunRecord {
  std::uint64_t point = 0;  // sweep point (0 for a plain Monte Carlo)
  std::uint64_t run = 0;    // replication index
  std::vector<double> values;
};

// The columns of runs.csv for a scenario (after `run`), in order:
//   threats, leakers, in_flight                   always
//   kills, shots, raid_defeated, defended_value,  with a defense (raid_defeated: 1 when no threat
//   damage_value                                  leaked; values as in summary.json)
//   confirmed_tracks, false_tracks, ospa_mean_m   with a tracker
//   per threat <id>.: leaked, t_detect_s (first detection since launch; any sensor),
//     stereo_frames (warning frames with >= 2 satellites detecting it), and with a tracker
//     t_track_s (to the first confirmed following track), t_class_s (to the right class),
//     custody, stereo_custody (custody while stereo-detected), rmse_m (position RMSE), and with a
//     defense killed, shots, miss_m (best miss of the shots at it)
//   per asset <id>.damage_value                  with a defense
std::vector<std::string> RunColumns(const ScenarioSpec& spec);

// Rounds to 9 significant digits (NaN and infinities unchanged): see RunRecord.
double Canonical(double x);

// Position error of the following track against time since the threat's launch, summed over runs
// in bins of `step_s`: counts, sums of the error in mm and of its square in mm^2, all integers, so
// merging is exact and order-free. RMSE = sqrt(sum2 / n), mean = sum / n, sd from both.
struct ErrorBands {
  struct Key {
    std::uint64_t point = 0;
    std::string threat_id;
    long bin = 0;  // floor((t - launch) / step_s)
    auto operator<=>(const Key&) const = default;
  };
  struct Cell {
    std::int64_t n = 0;
    std::int64_t sum_mm = 0;
    __int128 sum_mm2 = 0;
  };
  double step_s = 10.0;
  std::map<Key, Cell> cells;

  void Add(std::uint64_t point, const std::string& threat_id, double t_since_launch_s,
           double error_m);
  void Merge(const ErrorBands& other);
};

// What a set of finished runs has produced: their records (any order) and their summed bands.
// The state a checkpoint holds, and what MPI ranks send to rank 0.
struct McState {
  std::vector<RunRecord> records;
  ErrorBands bands;
  void Merge(McState&& other);
  // The (point, run) pairs already done.
  std::set<std::pair<std::uint64_t, std::uint64_t>> Done() const;
};

struct ReplicationOutput {
  RunRecord record;
  ErrorBands bands;
  std::optional<RunResult> trace;          // when asked for: the full result
  std::optional<ScenarioSpec> trace_spec;  // and the sampled scenario it ran
};

// Runs replication `run` of `nominal` and summarises it. `aims` (SolveAims(nominal)) saves
// re-aiming ballistic missiles whose only drawn parameter is their launch time.
ReplicationOutput RunReplication(const ScenarioSpec& nominal, std::uint64_t point,
                                 std::uint64_t run, bool keep_trace, double band_step_s,
                                 const AimCache* aims = nullptr);

// The record of a finished run (RunReplication's second half; exposed for tests).
RunRecord SummariseRun(const ScenarioSpec& spec, const RunResult& result, std::uint64_t point,
                       std::uint64_t run, ErrorBands* bands);

// Statistics of one column over runs (NaN values skipped).
struct ColumnStats {
  std::string name;
  long n = 0;           // runs with a value
  bool binary = false;  // a 0/1 outcome column (IsProportionColumn): the mean is a probability
  double mean = 0, sd = 0;
  // 95 % confidence interval of the mean: Wilson score interval for a proportion (Wilson 1927;
  // Agresti & Coull 1998 show it keeps its coverage near 95 % even at small n or p near 0 or 1);
  // Student-t otherwise (mean +- t_{0.975, n-1} sd / sqrt(n)). NaN when n == 0 (and for t, n < 2).
  double ci_lo = 0, ci_hi = 0;
  double min = 0, p05 = 0, p50 = 0, p95 = 0, max = 0;  // empirical quantiles (type 7)
};

// raid_defeated, <threat>.leaked, <threat>.killed: columns whose values are 0/1 outcomes.
bool IsProportionColumn(const std::string& name);

// Statistics of every column over `records` (any order; they are sorted by (point, run) first).
std::vector<ColumnStats> Aggregate(const std::vector<std::string>& columns,
                                   std::vector<RunRecord> records);

// A unit of work: replication `run` of sweep point `point`.
struct WorkItem {
  std::uint64_t point = 0;
  std::uint64_t run = 0;
};

// Runs `items` on `threads` oneTBB worker threads (0: all cores). `done` is called from the worker
// threads (serialise inside it) as each finishes; `cancelled` is polled before each item starts,
// and once it returns true no further item starts (running ones finish). `points[p]` is the
// nominal spec of point p. Exceptions from a run propagate after the others stop.
void RunItems(const std::vector<ScenarioSpec>& points, const std::vector<WorkItem>& items,
              int threads, const std::set<std::uint64_t>& keep_traces, double band_step_s,
              const std::function<bool()>& cancelled,
              const std::function<void(ReplicationOutput&&)>& done);

}  // namespace hyperdef::sim

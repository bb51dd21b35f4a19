// The whole tracker, the budget: 100 threats, 50 satellites and 4 radars, at >= 1,000x
// faster than real time (the 1,800 s run in <= 1.8 s). One iteration = one sim::RunTracking on
// the raid: per frame, the warning-mode sensing of the 50 satellites and 4 radars (streamed; its
// share is BM_SenseRaid below), measurement conversion, the cued
// narrow-field IR and radar track-mode looks, prediction of every track (IMM of CA, ballistic and
// glide), gating, GNN association, updates, initiation (triangulation, M-of-N), management and
// the per-second output rows and classification; assessment (impact points, footprints) every
// 10 s; scoring against truth at the end.
//
// Counters: frames, tracks_initiated, confirmed (tracks), measurements (detections given to the
// tracker, warning and cued), rows (track output rows, one per live track per output time),
// real_time_factor = 1,800 s / the iteration's wall time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "sim/sensing.h"
#include "sim/tracking_run.h"
#include "synthetic_raid.h"

namespace {

using namespace hyperdef;

const bench::Raid& TrackerRaid() {
  return bench::TheRaid({.satellites = 50,
                         .planes = 5,
                         .altitude_m = 1100e3,
                         .inclination_rad = 70.0 * core::kDegToRad,
                         .radars = 4,
                         .tracker = true});
}

void BM_TrackRaid(benchmark::State& state) {
  const bool assessment = state.range(0) != 0;
  const bool imm = state.range(1) != 0;
  const bool keep_detections = state.range(2) != 0;
  const bench::Raid& raid = TrackerRaid();
  sim::ScenarioSpec spec = raid.spec;
  spec.tracker.assessment_step_s = assessment ? 10.0 : 1e9;  // 1e9: never (classification stays)
  if (!imm) {  // a single constant-acceleration EKF instead of the default IMM(CA, ballistic,
               // glide)
    spec.tracker.config.filter = tracking::FilterKind::kEkf;
    spec.tracker.config.model = "ca";
  }
  // real_time_factor from the faster of the passes (Iterations below): on a shared machine the
  // slower one may measure a neighbour.
  double seconds = std::numeric_limits<double>::infinity();
  for (auto _ : state) {
    sim::SensingResult sensing;  // filled by the loop: warning and cued detections
    std::vector<threats::Trajectory> tracks = raid.tracks;
    const auto t0 = std::chrono::steady_clock::now();
    const sim::TrackingResult r = sim::RunTracking(spec, &tracks, &sensing, 0, keep_detections);
    seconds = std::min(
        seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    benchmark::DoNotOptimize(r.rows.data());
    state.counters["tracks_initiated"] = static_cast<double>(r.tracks_initiated);
    state.counters["confirmed"] = static_cast<double>(r.metrics.confirmed_tracks);
    state.counters["measurements"] = static_cast<double>(r.detections);
    state.counters["rows"] = static_cast<double>(r.rows.size());
    // A digest (FNV-1a) of every output row's state and covariance bits, as the label: equal
    // before and after a change meant to leave the results byte-identical, different at the
    // first round-off.
    std::uint64_t digest = 1469598103934665603ull;
    const auto mix = [&digest](const double* p, int n) {
      const auto* b = reinterpret_cast<const unsigned char*>(p);
      for (size_t k = 0; k < sizeof(double) * static_cast<size_t>(n); ++k)
        digest = (digest ^ b[k]) * 1099511628211ull;
    };
    for (const sim::TrackRow& row : r.rows) {
      mix(row.x_Eci.data(), 6);
      mix(row.P_Eci.data(), 36);
    }
    char label[32];
    std::snprintf(label, sizeof label, "digest %016llx", static_cast<unsigned long long>(digest));
    state.SetLabel(label);
  }
  state.counters["real_time_factor"] = spec.duration_s / seconds;
}
// Args (assessment, imm): assessment 0 = tracker and per-second classification only, 1 = also
// impact points, footprints and asset threat every 10 s; imm 1 = the default IMM(CA, ballistic,
// glide), 0 = one constant-acceleration EKF; keep_detections 0 = the loop holds one frame's
// detections at a time (a Monte Carlo replication), 1 = it also hands every detection back for
// detections.csv (`hyperdef run`: ~345 k detections, ~200 MB, written once).
BENCHMARK(BM_TrackRaid)
    ->Args({0, 0, 0})
    ->Args({0, 1, 0})
    ->Args({0, 1, 1})
    ->Args({1, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

// The warning-mode sensing alone on the same raid (the part of BM_TrackRaid that is not tracking).
void BM_SenseRaid(benchmark::State& state) {
  const bench::Raid& raid = TrackerRaid();
  for (auto _ : state) {
    const sim::SensingResult r = sim::SenseScenario(raid.spec, raid.tracks, 0);
    benchmark::DoNotOptimize(r.detections.data());
    state.counters["detections"] = static_cast<double>(r.detections.size());
  }
}
BENCHMARK(BM_SenseRaid)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

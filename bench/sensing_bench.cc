// Sensing a whole scenario, the budget: detections for 100 threats x 1,000 satellites over
// 1,800 s at 1 Hz in < 1 s on one core. Two measures of the same work (docs/performance.md):
//  - BM_SenseFrames, the figure: a sim::Sensing streamed over its 1,801 frames, each
//    frame's detections appended to one vector cleared every frame, as a closed loop consumes
//    them. Per frame: the J2-secular positions of the layer, the visibility cull, every culled
//    pair's look (expected SNR, detection draw, measurement noise), every satellite's false
//    alarms.
//  - BM_SenseScenario: one sim::SenseScenario call, the same frames materialised into one vector
//    of all 4.5 M detections (~2.5 GB: a Detection is 560 bytes); the difference is the cost of
//    writing that memory (page faults) and of growing the vector.
//
// The raid (100 threats, a Walker 60 deg: 1000/20/1 layer at 1,000 km with the default, assumed
// SpaceIrSpec) is bench/synthetic_raid.h's.
// Argument 1 adds two radars (one with an RCS aspect table) to the same scenario.
//
// Counters: detections (of threats), false_alarms, visible_pairs (satellite-target pairs that
// passed the geometric cull, summed over frames), all per pass over the run.
#include <benchmark/benchmark.h>

#include <vector>

#include "sim/sensing.h"
#include "synthetic_raid.h"

namespace {

using namespace hyperdef;

void Count(const std::vector<sim::SensorStats>& stats, benchmark::State& state) {
  long detections = 0, false_alarms = 0, visible = 0;
  for (const sim::SensorStats& s : stats) {
    detections += s.detections;
    false_alarms += s.false_alarms;
    visible += s.visible_pairs;
  }
  state.counters["detections"] = static_cast<double>(detections);
  state.counters["false_alarms"] = static_cast<double>(false_alarms);
  state.counters["visible_pairs"] = static_cast<double>(visible);
}

void BM_SenseFrames(benchmark::State& state) {
  const bench::Raid& f = bench::TheRaid({.radars = state.range(0) != 0 ? 2 : 0});
  std::vector<sim::Detection> frame;
  for (auto _ : state) {
    sim::Sensing sensing(f.spec, f.tracks, 0);
    for (double t : sensing.FrameTimes()) {
      frame.clear();
      sensing.SenseFrame(t, &frame);
      benchmark::DoNotOptimize(frame.data());
    }
    state.PauseTiming();
    Count(sensing.Stats(), state);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_SenseFrames)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SenseScenario(benchmark::State& state) {
  const bench::Raid& f = bench::TheRaid({.radars = state.range(0) != 0 ? 2 : 0});
  for (auto _ : state) {
    const sim::SensingResult r = sim::SenseScenario(f.spec, f.tracks, 0);
    benchmark::DoNotOptimize(r.detections.data());
    state.PauseTiming();
    Count(r.stats, state);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_SenseScenario)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

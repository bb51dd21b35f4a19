// Threat flight speed (issue: one 1,500 s boost-glide flight at default accuracy <= 2 ms, and
// trajectories per second per core), with the pieces of the right-hand side to show where the
// time goes: per derivative call ComputeAirData (geodetic altitude + US-76) and gravity.
#include <benchmark/benchmark.h>

#include "core/constants.h"
#include "earth/gravity.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"
#include "threats/ballistic.h"
#include "threats/glider.h"

namespace {

using namespace hyperdef;
using core::kDegToRad;

// An HTV-2-class glider from the literature's entry state (100 km, 6,010 m/s, 5 deg down), aimed
// far enough that the flight lasts about 1,500 s (reported as a counter), rotation and J2-J4 on.
threats::ThreatSpec LongGlide() {
  threats::ThreatSpec t;
  t.id = "hgv";
  t.threat_class = threats::ThreatClass::kBoostGlide;
  t.aim = {30.0 * kDegToRad, -170.0 * kDegToRad, 0.0};
  threats::StateSpec s;
  s.position = {30.0 * kDegToRad, 120.0 * kDegToRad, 100e3};
  s.speed_mps = 6010.0;
  s.flight_path_rad = -5.0 * kDegToRad;
  t.boost_glide.entry = s;
  return t;
}

void BM_BoostGlideFlight1500s(benchmark::State& state) {
  const threats::ThreatSpec t = LongGlide();
  const flight::Environment env{};
  threats::SegmentOptions o;
  o.record_step_s = static_cast<double>(state.range(0));  // 0: events only, no 1 s samples
  double tof = 0.0;
  for (auto _ : state) {
    const threats::Trajectory tr = threats::SimulateBoostGlide(env, t, o);
    tof = tr.impact_time_s - tr.launch_time_s;
    benchmark::DoNotOptimize(tr.samples.data());
  }
  state.counters["flight_s"] = tof;
  state.counters["flights_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BoostGlideFlight1500s)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

// Same flight with the booster (two-stage MRBM-class) and the release kick solved by bisection.
void BM_BoostGlideWithBoosterAndKickSolve(benchmark::State& state) {
  threats::ThreatSpec t;
  t.id = "hgv";
  t.launch = {40.0 * kDegToRad, 127.0 * kDegToRad, 0.0};
  t.aim = {26.3 * kDegToRad, 127.8 * kDegToRad, 0.0};
  t.boost_glide.booster.stages = {{7270, 6240, 287, 66, 1.7, 0}, {3710, 3306, 285, 61, 1.7, 0}};
  t.boost_glide.guidance.release_flight_path_rad = 5.0 * kDegToRad;
  for (auto _ : state) {
    benchmark::DoNotOptimize(threats::SimulateBoostGlide({}, t, threats::SegmentOptions{}));
  }
}
BENCHMARK(BM_BoostGlideWithBoosterAndKickSolve)->Unit(benchmark::kMillisecond);

// Aiming a ballistic missile (minimum energy, ~1,240 km): many trial flights.
void BM_AimAndFlyBallistic(benchmark::State& state) {
  threats::ThreatSpec t;
  t.id = "bm";
  t.launch = {40.2 * kDegToRad, 126.8 * kDegToRad, 0.0};
  t.aim = {35.7 * kDegToRad, 139.7 * kDegToRad, 0.0};
  t.ballistic.booster.stages = {{7270, 6240, 287, 66, 1.7, 0}, {3710, 3306, 285, 61, 1.7, 0}};
  t.ballistic.rv = {1000.0, 10000.0, 0.1, 0.8};
  for (auto _ : state) {
    benchmark::DoNotOptimize(threats::SimulateBallistic({}, t, threats::SegmentOptions{}));
  }
}
BENCHMARK(BM_AimAndFlyBallistic)->Unit(benchmark::kMillisecond);

// The right-hand side and its parts: where a flight's time goes.
void BM_Derivative(benchmark::State& state) {
  const core::Vec3 r = earth::EcefFromGeodetic({0.5, 2.0, 45e3});
  const flight::State x = flight::MakeState(r, flight::VelocityFromAngles(r, 5000, 0, 1), 1000);
  flight::Forces f;
  f.lift_N = 5000;
  f.drag_N = 2000;
  for (auto _ : state) {
    const flight::AirData air =
        flight::ComputeAirData(flight::PositionOf(x), flight::VelocityOf(x));
    benchmark::DoNotOptimize(air);
    benchmark::DoNotOptimize(flight::Derivative({}, x, f));
  }
}
BENCHMARK(BM_Derivative);

void BM_ComputeAirData(benchmark::State& state) {
  const core::Vec3 r = earth::EcefFromGeodetic({0.5, 2.0, 45e3});
  const core::Vec3 v(1000, 4000, 100);
  for (auto _ : state) benchmark::DoNotOptimize(flight::ComputeAirData(r, v));
}
BENCHMARK(BM_ComputeAirData);

void BM_GeodeticFromEcef(benchmark::State& state) {
  const core::Vec3 r = earth::EcefFromGeodetic({0.5, 2.0, 45e3});
  for (auto _ : state) benchmark::DoNotOptimize(earth::GeodeticFromEcef(r));
}
BENCHMARK(BM_GeodeticFromEcef);

// The flight derivative's own conversion (two Bowring iterations; earth/wgs84.h).
void BM_GeodeticFromEcefFast(benchmark::State& state) {
  const core::Vec3 r = earth::EcefFromGeodetic({0.5, 2.0, 45e3});
  for (auto _ : state) benchmark::DoNotOptimize(earth::GeodeticFromEcefFast(r));
}
BENCHMARK(BM_GeodeticFromEcefFast);

}  // namespace

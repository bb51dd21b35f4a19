// Cost of one radar look (geometry, occlusion, SNR, Pd, draw, noise) for a visible target.
#include <benchmark/benchmark.h>

#include "core/constants.h"
#include "sensors/radar.h"

namespace hyperdef::sensors {
namespace {

void BM_RadarLook(benchmark::State& state) {
  RadarSpec s;
  s.id = "xband";
  s.faces = {{0.0, 30.0 * core::kDegToRad, 60.0 * core::kDegToRad, 30.0 * core::kDegToRad}};
  s.instrumented_range_m = 3.0e6;
  s.peak_power_W = 1.0e6;
  s.gain_dB = 45.0;
  s.pulse_width_s = 1e-3;
  s.swerling = state.range(0) == 0 ? SwerlingCase::k0 : SwerlingCase::k1;
  s.range_rate_sigma_mps0 = 1.0;
  const earth::Geodetic site{40.0 * core::kDegToRad, 140.0 * core::kDegToRad, 30.0};
  TargetTruth tgt;
  tgt.id = "rv1";
  tgt.rcs_m2 = 0.01;
  const double el = 20.0 * core::kDegToRad;
  const core::Vec3 p_Enu(0.0, std::cos(el) * 1.2e6, std::sin(el) * 1.2e6);
  tgt.r_Ecef = earth::EcefFromEnu(p_Enu, site);
  core::RandomStream rng(1, 0, "radar_bench", "look");
  for (auto _ : state) {
    benchmark::DoNotOptimize(RadarLook(s, site, tgt, rng));
  }
}
BENCHMARK(BM_RadarLook)->Arg(0)->Arg(1);

}  // namespace
}  // namespace hyperdef::sensors

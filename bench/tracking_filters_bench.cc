// Cost of one filter cycle (predict + update) for the EKF, the UKF and a 3-mode IMM, with a 3-D
// position fix and with a radar (range, azimuth, elevation) measurement. items/s = updates/s.
//
// MODELS: these use the self-contained test models of src/tracking/test/filter_test_models.h
// (CV, CA, radar, position) injected through the filters' MeasurementModelFor hook, so the
// benchmark measures the filters alone. To time the production models instead, replace
// testing::CvModel / CaModel by the models of tracking/motion_models.h and &testing::TestModelFor
// by &ModelFor.
#include <benchmark/benchmark.h>

#include <memory>

#include "tracking/ekf.h"
#include "tracking/imm.h"
#include "tracking/motion_models.h"
#include "tracking/test/filter_test_models.h"
#include "tracking/ukf.h"

namespace hyperdef::tracking {
namespace {

Gaussian Initial() {
  Gaussian g;
  g.x = StateVector::Zero(6);
  g.x << -20000.0, 5000.0, 3000.0, 300.0, 0.0, 0.0;
  g.P = StateMatrix::Zero(6, 6);
  g.P.diagonal() << 1e4, 1e4, 1e4, 100.0, 100.0, 100.0;
  return g;
}

Measurement MakeMeasurement(bool radar) {
  Measurement m;
  if (radar) {
    m.kind = MeasKind::kRadar;
    m.z.resize(3);
    m.z << 21000.0, -1.3, 0.14;
    m.R = MeasMatrix::Zero(3, 3);
    m.R.diagonal() << 100.0, 4e-6, 4e-6;
  } else {
    m.kind = MeasKind::kPosition;
    m.z = Vec3(-20000.0, 5000.0, 3000.0);
    m.R = MeasMatrix::Identity(3, 3) * 900.0;
  }
  return m;
}

// Predict + update at 1 s intervals. The state is reset every 1024 cycles so it stays near the
// measurement (the filter's cost does not depend on the values; this keeps them finite).
void RunCycles(benchmark::State& state, TrackFilter& f, bool radar) {
  const std::unique_ptr<TrackFilter> start = f.Clone();
  std::unique_ptr<TrackFilter> g = start->Clone();
  Measurement m = MakeMeasurement(radar);
  double t = 0.0;
  int n = 0;
  for (auto _ : state) {
    if (++n == 1024) {
      state.PauseTiming();
      g = start->Clone();
      t = 0.0;
      n = 0;
      state.ResumeTiming();
    }
    t += 1.0;
    m.t_s = t;
    g->Predict(t);
    g->Update(m);
    benchmark::DoNotOptimize(g.get());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_EkfCv(benchmark::State& state) {
  EkfFilter f(std::make_shared<testing::CvModel>(1.0), Initial(), &testing::TestModelFor);
  RunCycles(state, f, state.range(0) != 0);
}
BENCHMARK(BM_EkfCv)->ArgName("radar")->Arg(0)->Arg(1);

void BM_UkfCv(benchmark::State& state) {
  UkfFilter f(std::make_shared<testing::CvModel>(1.0), Initial(), &testing::TestModelFor);
  RunCycles(state, f, state.range(0) != 0);
}
BENCHMARK(BM_UkfCv)->ArgName("radar")->Arg(0)->Arg(1);

// Three modes of 6, 9 and 6 states (CV, CA, high-noise CV); EKF modes (arg 1 = 0) or UKF modes.
void BM_Imm3(benchmark::State& state) {
  std::vector<std::shared_ptr<const MotionModel>> models = {
      std::make_shared<testing::CvModel>(0.5), std::make_shared<testing::CaModel>(40.0, 5.0),
      std::make_shared<testing::CvModel>(50.0, testing::AccelNoise::kContinuous, "cv_high")};
  Eigen::MatrixXd p(3, 3);
  p << 0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8;
  const auto f =
      MakeImm(models, p, {0.8, 0.1, 0.1}, state.range(1) != 0, Initial(), &testing::TestModelFor);
  RunCycles(state, *f, state.range(0) != 0);
}
BENCHMARK(BM_Imm3)->ArgNames({"radar", "ukf"})->Args({0, 0})->Args({1, 0})->Args({1, 1});

// The production ballistic (7 states) and glide (9 states) models' 1 s step with its transition
// matrix (MotionModel::PredictWithJacobian: RK4 with the variational equations), at 40 km
// altitude and 3 km/s, where drag acts; items/s = steps/s.
void BM_PredictWithJacobian(benchmark::State& state) {
  std::shared_ptr<const MotionModel> model;
  if (state.range(0) == 0) {
    model = std::make_shared<Ballistic>();
  } else {
    model = std::make_shared<Glide>();
  }
  Gaussian g;
  g.x = StateVector::Zero(6);
  g.x << 6418137.0, 0.0, 0.0, 0.0, 3000.0, -300.0;
  g.P = StateMatrix::Identity(6, 6);
  const StateVector x = model->Initialise(g).x;
  StateMatrix F;
  for (auto _ : state) {
    StateVector y = model->PredictWithJacobian(x, 0.0, 1.0, &F);
    benchmark::DoNotOptimize(y);
    benchmark::DoNotOptimize(F);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PredictWithJacobian)->ArgName("glide")->Arg(0)->Arg(1);

}  // namespace
}  // namespace hyperdef::tracking

// One continuous flight segment: a vehicle model (forces from state) integrated until a time
// limit, an impact, or the model's own stop condition, with the samples and events recorded.
// Discontinuities (staging, release) happen only between segments, so each segment's right-hand
// side is smooth and the adaptive integrator can take long steps.
#pragma once

#include "flight/dynamics.h"
#include "threats/trajectory.h"

namespace hyperdef::threats {

class PhaseModel {
 public:
  virtual ~PhaseModel() = default;
  // Forces at (t, x); `air` is ComputeAirData(x).
  virtual flight::Forces ForcesAt(double t, const flight::State& x,
                                  const flight::AirData& air) const = 0;
  virtual Phase PhaseAt(double t, const flight::State& x, const flight::AirData& air) const = 0;
  // The segment stops when this crosses zero going down (e.g. "start the dive"). Default: never.
  virtual double StopFunction(double /*t*/, const flight::State& /*x*/) const { return 1.0; }
  virtual double nose_radius_m() const { return 0.1; }
  virtual double emissivity() const { return 0.8; }
};

enum class SegmentEnd { kTimeLimit, kImpact, kStopFunction };

struct SegmentOptions {
  double t_end_s = 0.0;              // absolute time limit
  double record_step_s = 1.0;        // sample spacing in the record (<= 0: events only)
  double relative_tolerance = 1e-8;  // Dormand-Prince 5(4) local error control
  double rk4_step_s = 0.0;           // > 0: fixed-step RK4 with this step instead of DP5(4)
  double max_step_s = 60.0;
};

struct SegmentResult {
  double t_s = 0.0;
  flight::State x = flight::State::Zero();
  SegmentEnd end = SegmentEnd::kTimeLimit;
};

// Integrates `model` from (t0, x0). Impact = geodetic altitude crossing 0 going down. Apogee and
// 100 km crossings are recorded as events. `record` may be null (aiming iterations).
SegmentResult FlySegment(const flight::Environment& env, const PhaseModel& model, double t0_s,
                         const flight::State& x0, const SegmentOptions& options,
                         Trajectory* record);

// A full sample (air data, load factor, heating) of the model at (t, x), for the record.
TrajectorySample MakeSample(const PhaseModel& model, double t_s, const flight::State& x);

}  // namespace hyperdef::threats

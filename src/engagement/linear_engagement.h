// Zarchan's linearised planar homing engagement: the reference against which the guidance laws
// are validated (issue 5) and a quick design tool for navigation ratio versus airframe lag.
//
// Model (Zarchan, Tactical and Strategic Missile Guidance, 6th ed. 2012, ch. 2 "Fundamentals of
// Tactical Missile Guidance" for the linearisation and zero-lag closed forms; ch. 3 "Method of
// Adjoints and the Homing Loop" and the chapter "Proportional Navigation and Miss Distance" for
// the single-time-constant system; ch. 8 "Advanced Guidance Laws" for APN). Small angles about the
// initial LOS, constant closing speed Vc, flight time tF, time to go tgo = tF - t:
//   y'' = nT - nL                 y: target-minus-interceptor separation across the LOS (m)
//   nL' = (nc - nL) / T           first-order airframe/autopilot lag; T = 0: nL = nc
//   lambda = y / (Vc tgo),  lambda_dot = (y + y' tgo) / (Vc tgo^2)
//   PN:   nc = N' Vc lambda_dot = N' (y + y' tgo) / tgo^2
//   APN:  nc = N' (y + y' tgo + nT tgo^2 / 2) / tgo^2 = PN + N' nT / 2   (nT known exactly)
//   initial conditions y(0) = 0, y'(0) = -Vm HE (heading error HE, interceptor speed Vm), nL = 0;
//   nT is a step target manoeuvre applied from t = 0. The miss is y(tF). Vc drops out of the
//   command and of the miss; it only scales lambda_dot (reported in the history).
//
// Closed forms this reproduces (see ../shared/reference/README.md and the tests):
//   zero lag, heading error:  nc(t) = -(N' Vm HE / tF)(1 - t/tF)^(N'-2), miss 0;
//   zero lag, step nT:        nc(t) = N'/(N'-2) nT (1 - (1 - t/tF)^(N'-2)) -> N'/(N'-2) nT;
//   single lag T, x = tF/T:   miss(HE) = -Vm HE tF e^-x P(x),  miss(nT) = nT T^2 (x^2/2) e^-x Q(x)
//     N' = 3: P = 1 - x/2,                        Q = 1
//     N' = 4: P = 1 - x + x^2/6,                  Q = 1 - x/3
//     N' = 5: P = 1 - 3x/2 + x^2/2 - x^3/24,      Q = 1 - 2x/3 + x^2/12
//
// Numerics. The gain N'/tgo^2 is singular at intercept, and near tgo = 0 y and y' tgo cancel
// (y + y' tgo -> miss, often 0), so integrating (y, y') loses the command in round-off. We
// integrate instead the zero-effort miss the law nulls, Z = y + y' tgo (PN) or
// Z = y + y' tgo + nT tgo^2/2 (APN), whose derivative Z' = (nT - nL) tgo (PN) or -nL tgo (APN)
// follows from y'' = nT - nL exactly; the state is (Z, y', nL), nc = N' Z / tgo^2, and y is
// recovered as Z - y' tgo (- nT tgo^2/2). Classical RK4, step
// h = min(max_step, tgo_step_fraction * tgo, T / 20): uniform over most of the flight, then
// geometrically graded so that h / tgo stays small where the solution varies like powers (and,
// with lag, inverse powers) of tgo. The run stops at tgo = final_tgo_fraction * tF and the miss is
// Z there plus one Euler step of Z' (the remainder is O(final_tgo^2)). With the defaults (max
// step tF/1e4, fraction 2e-3, final tgo 1e-9 tF) single-lag misses agree with the closed forms
// to ~1e-13 of the unguided miss and zero-lag command histories to ~5e-6 relative at every
// sample (see test/linear_engagement_test.cc), far below the 1e-3 the validation asks for. About
// 2e4 steps; the history (one sample per step) is the only allocation.
#pragma once

#include <vector>

namespace hyperdef::engagement {

struct LinearEngagementParams {
  double navigation_ratio = 4.0;          // N' (> 0)
  double closing_speed_mps = 3000.0;      // Vc (> 0); only scales lambda_dot
  double interceptor_speed_mps = 3000.0;  // Vm (> 0): y'(0) = -Vm HE
  double flight_time_s = 10.0;            // tF (> 0)
  double time_constant_s = 0.0;           // T (>= 0); 0 = no lag
  double heading_error_rad = 0.0;         // HE
  double target_accel_mps2 = 0.0;         // nT, a step applied from t = 0
  bool augmented = false;                 // APN (uses the true nT) instead of PN
  // Numerics (see header comment).
  double max_step_s = 0.0;           // 0: flight_time_s * 1e-4
  double tgo_step_fraction = 2e-3;   // h <= fraction * tgo near the end (in (0, 0.1])
  double final_tgo_fraction = 1e-9;  // stop at tgo = fraction * tF (in (0, 1e-3])
  bool record_history = true;

  // Throws core::InputError naming the first bad field (key "linear_engagement.<field>").
  void Validate() const;
};

struct LinearEngagementSample {
  double t_s = 0.0;
  double y_m = 0.0;       // separation
  double ydot_mps = 0.0;  // its rate
  double zem_m = 0.0;     // y + y' tgo (+ nT tgo^2 / 2 with APN): what the law nulls
  double lambda_dot_radps = 0.0;
  double command_mps2 = 0.0;   // nc
  double achieved_mps2 = 0.0;  // nL (= nc with no lag)
};

struct LinearEngagementResult {
  double miss_m = 0.0;              // y(tF)
  double final_command_mps2 = 0.0;  // nc at the last step (tgo = final_tgo_fraction * tF)
  std::vector<LinearEngagementSample> history;  // t = 0 and the end of every step
};

// Integrates the engagement to tF (calls params.Validate()).
LinearEngagementResult SimulateLinearEngagement(const LinearEngagementParams& params);

// Closed forms of Zarchan (via ../shared/reference/README.md) for N' in {3, 4, 5}: single-lag
// miss from heading error and from a step target manoeuvre, x = tF / T. Throws
// std::invalid_argument for another N'.
double SingleLagHeadingErrorMiss(int navigation_ratio, double interceptor_speed_mps,
                                 double heading_error_rad, double flight_time_s,
                                 double time_constant_s);
double SingleLagStepManeuverMiss(int navigation_ratio, double target_accel_mps2,
                                 double flight_time_s, double time_constant_s);

}  // namespace hyperdef::engagement

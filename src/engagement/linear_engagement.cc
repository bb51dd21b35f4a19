#include "engagement/linear_engagement.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/error.h"

namespace hyperdef::engagement {

namespace {

using State = Eigen::Vector3d;  // (Z, y', nL), see Model

void Require(bool ok, const std::string& key, const std::string& what, double got) {
  if (!ok) {
    throw core::InputError({}, "linear_engagement." + key,
                           what + " (got " + std::to_string(got) + ")");
  }
}

// State s = (Z, y', nL) with Z the zero-effort miss the law nulls: Z = y + y' tgo for PN and
// Z = y + y' tgo + nT tgo^2 / 2 for APN. Integrating Z itself (rather than y) keeps its relative
// precision as it goes to 0 at intercept; the command is N' Z / tgo^2 in both cases.
struct Model {
  double n;    // N'
  double n_t;  // target acceleration
  double t_f;  // flight time
  double tau;  // lag time constant, 0 = none
  bool apn;

  double Command(double t, const State& s) const {
    const double tgo = t_f - t;
    return n * s[0] / (tgo * tgo);
  }
  double Achieved(double t, const State& s) const { return tau > 0.0 ? s[2] : Command(t, s); }
  // y = Z - y' tgo (- nT tgo^2 / 2 for APN).
  double Separation(double t, const State& s) const {
    const double tgo = t_f - t;
    return s[0] - s[1] * tgo - (apn ? 0.5 * n_t * tgo * tgo : 0.0);
  }
  State Derivative(double t, const State& s) const {
    const double tgo = t_f - t;
    const double nc = Command(t, s);
    const double nl = tau > 0.0 ? s[2] : nc;
    State d;
    // d(y + y' tgo)/dt = y'' tgo = (nT - nL) tgo; d(nT tgo^2 / 2)/dt = -nT tgo.
    d[0] = apn ? -nl * tgo : (n_t - nl) * tgo;
    d[1] = n_t - nl;  // y''
    d[2] = tau > 0.0 ? (nc - nl) / tau : 0.0;
    return d;
  }
};

LinearEngagementSample Sample(const Model& m, const LinearEngagementParams& p, double t,
                              const State& s) {
  const double tgo = m.t_f - t;
  LinearEngagementSample out;
  out.t_s = t;
  out.ydot_mps = s[1];
  out.zem_m = s[0];
  out.y_m = m.Separation(t, s);
  out.lambda_dot_radps = s[0] / (p.closing_speed_mps * tgo * tgo);
  out.command_mps2 = m.Command(t, s);
  out.achieved_mps2 = m.Achieved(t, s);
  return out;
}

}  // namespace

void LinearEngagementParams::Validate() const {
  Require(navigation_ratio > 0.0, "navigation_ratio", "must be > 0", navigation_ratio);
  Require(closing_speed_mps > 0.0, "closing_speed", "must be > 0", closing_speed_mps);
  Require(interceptor_speed_mps > 0.0, "interceptor_speed", "must be > 0", interceptor_speed_mps);
  Require(flight_time_s > 0.0, "flight_time", "must be > 0", flight_time_s);
  Require(time_constant_s >= 0.0, "time_constant", "must be >= 0", time_constant_s);
  Require(std::isfinite(heading_error_rad), "heading_error", "must be finite", heading_error_rad);
  Require(std::isfinite(target_accel_mps2), "target_accel", "must be finite", target_accel_mps2);
  Require(max_step_s >= 0.0 && max_step_s <= flight_time_s, "max_step",
          "must be in [0, flight_time]", max_step_s);
  Require(tgo_step_fraction > 0.0 && tgo_step_fraction <= 0.1, "tgo_step_fraction",
          "must be in (0, 0.1]", tgo_step_fraction);
  Require(final_tgo_fraction > 0.0 && final_tgo_fraction <= 1e-3, "final_tgo_fraction",
          "must be in (0, 1e-3]", final_tgo_fraction);
}

LinearEngagementResult SimulateLinearEngagement(const LinearEngagementParams& p) {
  p.Validate();
  const Model m{p.navigation_ratio, p.target_accel_mps2, p.flight_time_s, p.time_constant_s,
                p.augmented};
  const double t_f = p.flight_time_s;
  double h_max = p.max_step_s > 0.0 ? p.max_step_s : 1e-4 * t_f;
  if (p.time_constant_s > 0.0) h_max = std::min(h_max, p.time_constant_s / 20.0);
  const double tgo_end = p.final_tgo_fraction * t_f;

  // y(0) = 0, y'(0) = -Vm HE, so Z(0) = y'(0) tF (+ nT tF^2 / 2 for APN); nL(0) = 0.
  const double ydot0 = -p.interceptor_speed_mps * p.heading_error_rad;
  const double z0 = ydot0 * t_f + (p.augmented ? 0.5 * p.target_accel_mps2 * t_f * t_f : 0.0);
  State s(z0, ydot0, 0.0);
  double t = 0.0;

  LinearEngagementResult result;
  if (p.record_history) {
    result.history.reserve(static_cast<std::size_t>(t_f / h_max) +
                           static_cast<std::size_t>(std::log(t_f / tgo_end) / p.tgo_step_fraction) +
                           8);
    result.history.push_back(Sample(m, p, t, s));
  }
  bool last = false;
  while (!last) {
    const double tgo = t_f - t;
    // Never step past the stopping point; land on it at the end.
    double h = std::min(h_max, p.tgo_step_fraction * tgo);
    if (tgo - h <= tgo_end) {
      h = tgo - tgo_end;
      last = true;
    }
    const State k1 = m.Derivative(t, s);
    const State k2 = m.Derivative(t + 0.5 * h, s + (0.5 * h) * k1);
    const State k3 = m.Derivative(t + 0.5 * h, s + (0.5 * h) * k2);
    const State k4 = m.Derivative(t + h, s + h * k3);
    s += (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    t = last ? t_f - tgo_end : t + h;
    if (p.record_history) result.history.push_back(Sample(m, p, t, s));
  }
  // y(tF) = Z(tF) = Z(tF - d) + integral of Z' over the last d: one Euler step (error O(d^2)).
  const State d = m.Derivative(t, s);
  result.miss_m = s[0] + d[0] * (t_f - t);
  result.final_command_mps2 = m.Command(t, s);
  return result;
}

double SingleLagHeadingErrorMiss(int navigation_ratio, double interceptor_speed_mps,
                                 double heading_error_rad, double flight_time_s,
                                 double time_constant_s) {
  const double x = flight_time_s / time_constant_s;
  double poly = 0.0;
  switch (navigation_ratio) {
    case 3:
      poly = 1.0 - x / 2.0;
      break;
    case 4:
      poly = 1.0 - x + x * x / 6.0;
      break;
    case 5:
      poly = 1.0 - 1.5 * x + x * x / 2.0 - x * x * x / 24.0;
      break;
    default:
      throw std::invalid_argument("SingleLagHeadingErrorMiss: N' must be 3, 4 or 5");
  }
  return -interceptor_speed_mps * heading_error_rad * flight_time_s * std::exp(-x) * poly;
}

double SingleLagStepManeuverMiss(int navigation_ratio, double target_accel_mps2,
                                 double flight_time_s, double time_constant_s) {
  const double x = flight_time_s / time_constant_s;
  double poly = 0.0;
  switch (navigation_ratio) {
    case 3:
      poly = 1.0;
      break;
    case 4:
      poly = 1.0 - x / 3.0;
      break;
    case 5:
      poly = 1.0 - 2.0 * x / 3.0 + x * x / 12.0;
      break;
    default:
      throw std::invalid_argument("SingleLagStepManeuverMiss: N' must be 3, 4 or 5");
  }
  return target_accel_mps2 * time_constant_s * time_constant_s * 0.5 * x * x * std::exp(-x) * poly;
}

}  // namespace hyperdef::engagement

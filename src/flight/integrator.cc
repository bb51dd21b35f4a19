// Non-template parts of the integrators: option checks and names.
#include "flight/integrator.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace hyperdef::flight {

namespace {

[[noreturn]] void Reject(const char* what, const std::string& expected, double got) {
  std::ostringstream msg;
  msg.precision(17);
  msg << "integrator option " << what << ": must be " << expected << " (got " << got << ")";
  throw std::invalid_argument(msg.str());
}

}  // namespace

const char* ToString(IntegrationStatus status) {
  switch (status) {
    case IntegrationStatus::kReachedEnd:
      return "reached end";
    case IntegrationStatus::kTerminalEvent:
      return "terminal event";
    case IntegrationStatus::kStoppedByObserver:
      return "stopped by observer";
    case IntegrationStatus::kStepSizeTooSmall:
      return "step size too small";
    case IntegrationStatus::kMaxStepsExceeded:
      return "maximum number of steps exceeded";
  }
  return "unknown";
}

const char* IntegratorMethodName(bool adaptive) { return adaptive ? "dp54" : "rk4"; }

void Rk4Options::Validate() const {
  if (!(step_s > 0.0) || !std::isfinite(step_s)) Reject("step_s", "finite and > 0", step_s);
  if (!(event_time_tol_s > 0.0)) Reject("event_time_tol_s", "> 0", event_time_tol_s);
  if (max_steps <= 0) Reject("max_steps", "> 0", static_cast<double>(max_steps));
}

namespace detail {

void ValidateDp54Scalars(double rel_tol, double min_abs_tol, double max_step_s, double min_step_s,
                         double initial_step_s, double safety, double min_factor, double max_factor,
                         double beta, long max_steps, double event_time_tol_s) {
  // rel_tol below ~ 100 eps cannot be met in double precision (HNW II.4 use the same bound).
  if (!(rel_tol >= 1e-14) || !(rel_tol < 1.0)) Reject("rel_tol", "in [1e-14, 1)", rel_tol);
  if (!(min_abs_tol > 0.0)) Reject("abs_tol", "> 0 in every component", min_abs_tol);
  if (!(max_step_s > 0.0)) Reject("max_step_s", "> 0", max_step_s);
  if (!(min_step_s >= 0.0) || !(min_step_s < max_step_s)) {
    Reject("min_step_s", ">= 0 and < max_step_s", min_step_s);
  }
  if (!(initial_step_s >= 0.0) || !std::isfinite(initial_step_s)) {
    Reject("initial_step_s", "finite and >= 0", initial_step_s);
  }
  if (!(safety > 0.0 && safety <= 1.0)) Reject("safety", "in (0, 1]", safety);
  if (!(min_factor > 0.0 && min_factor < 1.0)) Reject("min_factor", "in (0, 1)", min_factor);
  if (!(max_factor > 1.0)) Reject("max_factor", "> 1", max_factor);
  if (!(beta >= 0.0 && beta <= 0.1)) Reject("beta", "in [0, 0.1]", beta);
  if (max_steps <= 0) Reject("max_steps", "> 0", static_cast<double>(max_steps));
  if (!(event_time_tol_s > 0.0)) Reject("event_time_tol_s", "> 0", event_time_tol_s);
}

void ValidateSpan(double t0_s, double t_end_s, std::span<const double> breakpoints) {
  if (!std::isfinite(t0_s)) Reject("t0_s", "finite", t0_s);
  if (!std::isfinite(t_end_s) || !(t_end_s >= t0_s))
    Reject("t_end_s", "finite and >= t0_s", t_end_s);
  for (std::size_t i = 0; i < breakpoints.size(); ++i) {
    if (!std::isfinite(breakpoints[i])) Reject("breakpoints", "finite", breakpoints[i]);
    if (i > 0 && !(breakpoints[i] >= breakpoints[i - 1])) {
      Reject("breakpoints", "sorted ascending", breakpoints[i]);
    }
  }
}

}  // namespace detail

}  // namespace hyperdef::flight

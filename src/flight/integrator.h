// Explicit Runge-Kutta integrators for fixed-size ODE systems x' = f(t, x), with dense output,
// event location, breakpoints (known discontinuities) and a per-step observer.
//
// Methods
//   IntegrateRk4:  classical 4th-order Runge-Kutta, fixed step; dense output is the cubic Hermite
//                  interpolant through both step ends and their derivatives (3rd order).
//   IntegrateDp54: Dormand & Prince (1980) RK5(4)7M, adaptive, FSAL, with the 4th-order continuous
//                  extension of Shampine (1986) as used in Hairer's DOPRI5 (Hairer, Norsett &
//                  Wanner, "Solving Ordinary Differential Equations I", 2nd ed., 1993, sec.
//                  II.4-6).
//
// Units: time in seconds (t_s) from whatever origin the caller uses; the state is whatever the
// caller integrates (for 3-DOF flight: [r (m), v (m/s), mass (kg)]). Tolerances are per state
// component in the component's own unit. Integration runs forward only (t_end_s >= t0_s).
//
// Performance: everything is fixed-size Eigen on the stack. Per step there is no heap allocation;
// the only allocations are one scratch buffer per call (sized by the number of events) and the
// growth of the returned event list when an event fires. The derivative and the observer are
// template parameters (inlined); event functions are std::function because they are evaluated
// once per accepted step (plus a few root-finding iterations), never inside the stages.
//
// Breakpoints (e.g. stage burnout times): a step never crosses one; it lands exactly on it, and
// the stages of that step that sit at its right end are evaluated at the largest double BELOW the
// breakpoint, so f sees the left-hand dynamics there. The step after restarts (new f(t, x), FSAL
// discarded). Write f right-continuous: dynamics for [t_k, t_k+1) switch at t >= t_k
// (e.g. thrust on while t < t_burnout).
//
// Events: g(t, x) is evaluated at the end of every accepted step; a sign change across the step
// in the requested direction is located on the dense output by the Illinois method to
// event_time_tol_s. The reported time is the end of the final bracket on the NEW-sign side, i.e.
// within event_time_tol_s after the true root, so restarting from a terminal event does not
// re-trigger it. A g that is exactly zero at the start (e.g. altitude 0 at launch) is armed only
// once it becomes non-zero. Two roots of the same g inside one step cancel and are missed: bound
// max_step_s if an event function can oscillate faster than the step.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace hyperdef::flight {

template <int N>
using OdeVector = Eigen::Matrix<double, N, 1>;

// Which sign changes of an event function count. kRising: g goes from < 0 to >= 0.
enum class EventDirection { kRising, kFalling, kEither };

template <int N>
struct Event {
  int id = 0;  // caller's label, copied into EventHit
  std::function<double(double t_s, const OdeVector<N>& x)> g;  // root where g = 0
  EventDirection direction = EventDirection::kEither;
  bool terminal = false;  // stop the integration at this event's state
};

template <int N>
struct EventHit {
  int id = 0;
  std::size_t index = 0;                  // position in the events span
  double t_s = 0.0;                       // located time, within event_time_tol_s after the root
  OdeVector<N> x = OdeVector<N>::Zero();  // state at t_s (dense output)
  bool rising = false;                    // g crossed upwards
  bool terminal = false;
};

enum class IntegrationStatus {
  kReachedEnd,         // t == t_end_s
  kTerminalEvent,      // stopped at the last entry of `events`
  kStoppedByObserver,  // the observer returned false
  kStepSizeTooSmall,   // step fell below min_step_s or under round-off (e.g. f returned NaN)
  kMaxStepsExceeded,
};
const char* ToString(IntegrationStatus status);

struct IntegratorStats {
  long derivative_evaluations = 0;
  long accepted_steps = 0;
  long rejected_steps = 0;
  long event_evaluations = 0;  // calls of event functions g
};

template <int N>
struct IntegrationResult {
  IntegrationStatus status = IntegrationStatus::kReachedEnd;
  double t_s = 0.0;                       // where the integration stopped
  OdeVector<N> x = OdeVector<N>::Zero();  // state there
  std::vector<EventHit<N>> events;        // every event hit, in time order
  IntegratorStats stats;
  double next_step_s = 0.0;  // step the controller proposes next (pass back as initial_step_s)

  bool ok() const {
    return status == IntegrationStatus::kReachedEnd ||
           status == IntegrationStatus::kTerminalEvent ||
           status == IntegrationStatus::kStoppedByObserver;
  }
};

// One accepted step's continuous extension, valid on [t0_s, t1_s]. In Hairer's form
//   x(t0 + theta h) = x0 + theta (r2 + (1-theta) (r3 + theta (r4 + (1-theta) r5)))
// which with r5 = 0 is exactly the cubic Hermite interpolant (used for RK4). t1_s may be less
// than t0_s + h_s when a terminal event cut the step short.
template <int N>
struct DenseStep {
  double t0_s = 0.0;
  double t1_s = 0.0;
  double h_s = 0.0;
  OdeVector<N> x0 = OdeVector<N>::Zero();
  OdeVector<N> x1 = OdeVector<N>::Zero();  // state at t1_s
  OdeVector<N> r2 = OdeVector<N>::Zero();
  OdeVector<N> r3 = OdeVector<N>::Zero();
  OdeVector<N> r4 = OdeVector<N>::Zero();
  OdeVector<N> r5 = OdeVector<N>::Zero();

  // Interpolated state at t_s (meant for t0_s <= t_s <= t1_s).
  OdeVector<N> State(double t_s) const {
    const double th = (t_s - t0_s) / h_s;
    const double th1 = 1.0 - th;
    return x0 + th * (r2 + th1 * (r3 + th * (r4 + th1 * r5)));
  }
  OdeVector<N> operator()(double t_s) const { return State(t_s); }
};

// Observer that does nothing (the default).
struct NullObserver {
  template <int N>
  void operator()(const DenseStep<N>&) const {}
};

// Calls sink(t, x) at t = t0_s + k dt_s (k = 0, 1, ...) for every such t the integration passes,
// from the dense output: recording at a fixed interval costs no extra derivative evaluations and
// does not shorten steps. Pass it (by reference if you want to inspect it later) as the observer.
template <typename Sink>
class FixedIntervalSampler {
 public:
  FixedIntervalSampler(double t0_s, double dt_s, Sink sink)
      : t0_s_(t0_s), dt_s_(dt_s), sink_(std::move(sink)) {}

  template <int N>
  void operator()(const DenseStep<N>& step) {
    // Round-off slack so a sample that lands on t_end (t0 + k dt computed differently) is kept.
    const double slack = 1e-9 * std::max(1.0, std::abs(step.t1_s));
    for (;; ++k_) {
      const double t = t0_s_ + static_cast<double>(k_) * dt_s_;
      if (t > step.t1_s + slack) break;
      if (t >= step.t0_s - slack) sink_(t, step.State(t));
    }
  }
  long samples_taken() const { return k_; }

 private:
  double t0_s_;
  double dt_s_;
  Sink sink_;
  long k_ = 0;
};

template <typename Sink>
FixedIntervalSampler<std::decay_t<Sink>> SampleEvery(double t0_s, double dt_s, Sink&& sink) {
  return FixedIntervalSampler<std::decay_t<Sink>>(t0_s, dt_s, std::forward<Sink>(sink));
}

// Options of the fixed-step RK4 integrator.
struct Rk4Options {
  double step_s = 0.1;             // nominal step; shortened only to land on breakpoints / t_end
  double event_time_tol_s = 1e-6;  // event location tolerance
  long max_steps = 10'000'000;
  void Validate() const;  // throws std::invalid_argument
};

// Options of the adaptive Dormand-Prince 5(4) integrator. The error test is Hairer's
//   err = sqrt(mean_i (e_i / (abs_tol_i + rel_tol max(|x0_i|, |x1_i|)))^2) <= 1.
template <int N>
struct Dp54Options {
  double rel_tol = 1e-9;
  // Absolute tolerance per component, in that component's unit. The default 1e-6 suits SI flight
  // states (1 um, 1 um/s, 1 mg), where rel_tol dominates except near zero crossings.
  OdeVector<N> abs_tol = OdeVector<N>::Constant(1e-6);
  double max_step_s = std::numeric_limits<double>::infinity();
  double min_step_s = 0.0;      // fail below this (round-off guard always applies)
  double initial_step_s = 0.0;  // 0: Hairer-Norsett-Wanner estimate (costs one f evaluation)
  double safety = 0.9;
  double min_factor = 0.2;   // step may shrink at most 5x per attempt
  double max_factor = 10.0;  // and grow at most 10x per step
  double beta = 0.04;        // Lund stabilisation (PI control, HNW II.4); 0 = elementary control
  long max_steps = 10'000'000;
  double event_time_tol_s = 1e-6;

  Dp54Options& SetAbsTol(double tol) {
    abs_tol.setConstant(tol);
    return *this;
  }
  void Validate() const;  // throws std::invalid_argument
};

namespace detail {

// Checks shared by the option structs (integrator.cc); throws std::invalid_argument.
void ValidateDp54Scalars(double rel_tol, double min_abs_tol, double max_step_s, double min_step_s,
                         double initial_step_s, double safety, double min_factor, double max_factor,
                         double beta, long max_steps, double event_time_tol_s);
void ValidateSpan(double t0_s, double t_end_s, std::span<const double> breakpoints);

inline double NextBelow(double t) {
  return std::nextafter(t, -std::numeric_limits<double>::infinity());
}

// Breakpoints strictly after the current time, consumed in order.
class BreakpointCursor {
 public:
  BreakpointCursor(std::span<const double> bps, double t0_s) : bps_(bps) { Advance(t0_s); }
  void Advance(double t_s) {
    while (i_ < bps_.size() && bps_[i_] <= t_s) ++i_;
  }
  double Next() const {
    return i_ < bps_.size() ? bps_[i_] : std::numeric_limits<double>::infinity();
  }

 private:
  std::span<const double> bps_;
  std::size_t i_ = 0;
};

inline int Sign(double v) { return (v > 0.0) - (v < 0.0); }

// Event bookkeeping across steps. One scratch allocation at construction, none per step.
template <int N>
class EventTracker {
 public:
  EventTracker(std::span<const Event<N>> events, double t0_s, const OdeVector<N>& x0,
               double time_tol_s, IntegratorStats& stats)
      : events_(events), tol_(time_tol_s), stats_(stats) {
    g_.resize(events.size());
    found_.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) g_[i] = Eval(i, t0_s, x0);
  }

  // Examines the accepted step [step.t0_s, step.t1_s]. Appends hits in time order to `out`.
  // Returns true if a terminal event fired; then `step` is cut at the event (t1_s, x1).
  bool Process(DenseStep<N>& step, std::vector<EventHit<N>>& out) {
    if (events_.empty()) return false;
    found_.clear();
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const double ga = g_[i];
      const double gb = Eval(i, step.t1_s, step.x1);
      g_[i] = gb;
      const int sa = Sign(ga);
      if (sa == 0) continue;  // sitting on a root: armed once g leaves zero
      const int sb = Sign(gb);
      if (sb == sa) continue;
      const bool rising = sa < 0;
      const EventDirection dir = events_[i].direction;
      if ((rising && dir == EventDirection::kFalling) ||
          (!rising && dir == EventDirection::kRising)) {
        continue;
      }
      found_.push_back({i, Locate(i, step, ga, gb), rising});
    }
    if (found_.empty()) return false;
    // Earliest first; ties keep the caller's event order. Insertion sort: a handful of entries,
    // and unlike std::stable_sort it never allocates.
    for (std::size_t k = 1; k < found_.size(); ++k) {
      for (std::size_t m = k; m > 0 && found_[m].t_s < found_[m - 1].t_s; --m) {
        std::swap(found_[m], found_[m - 1]);
      }
    }
    for (const Found& f : found_) {
      const Event<N>& ev = events_[f.index];
      EventHit<N> hit;
      hit.id = ev.id;
      hit.index = f.index;
      hit.t_s = f.t_s;
      hit.x = f.t_s == step.t1_s ? step.x1 : step.State(f.t_s);
      hit.rising = f.rising;
      hit.terminal = ev.terminal;
      out.push_back(hit);
      if (ev.terminal) {
        step.t1_s = hit.t_s;
        step.x1 = hit.x;
        return true;
      }
    }
    return false;
  }

 private:
  struct Found {
    std::size_t index;
    double t_s;
    bool rising;
  };

  double Eval(std::size_t i, double t_s, const OdeVector<N>& x) {
    ++stats_.event_evaluations;
    return events_[i].g(t_s, x);
  }

  // Illinois (modified regula falsi) on g(t, step(t)), keeping a bracket [lo, hi] with hi on the
  // new-sign side; every iterate is kept at least tol/2 inside the bracket so the bracket shrinks
  // by tol/2 or more each time, and a bisection is forced when four iterations fail to halve it.
  double Locate(std::size_t i, const DenseStep<N>& step, double g_lo, double g_hi) {
    double lo = step.t0_s;
    double hi = step.t1_s;
    if (g_hi == 0.0) return hi;
    const double tol = std::max(
        tol_, 4.0 * std::numeric_limits<double>::epsilon() * std::max(std::abs(lo), std::abs(hi)));
    int last_side = 0;
    double width_ref = hi - lo;
    for (int iter = 1; iter <= 200 && hi - lo > tol; ++iter) {
      double t = hi - g_hi * (hi - lo) / (g_hi - g_lo);
      if (iter % 4 == 0) {
        if (hi - lo > 0.5 * width_ref) t = 0.5 * (lo + hi);
        width_ref = hi - lo;
      }
      t = std::clamp(t, lo + 0.5 * tol, hi - 0.5 * tol);
      const double g = Eval(i, t, step.State(t));
      if (g == 0.0) return t;
      if (Sign(g) == Sign(g_lo)) {
        lo = t;
        g_lo = g;
        if (last_side == -1) g_hi *= 0.5;
        last_side = -1;
      } else {
        hi = t;
        g_hi = g;
        if (last_side == 1) g_lo *= 0.5;
        last_side = 1;
      }
    }
    return hi;
  }

  std::span<const Event<N>> events_;
  double tol_;
  IntegratorStats& stats_;
  std::vector<double> g_;
  std::vector<Found> found_;
};

// Calls the observer; an observer returning bool stops the integration by returning false.
template <int N, typename Observer>
bool Observe(Observer& observer, const DenseStep<N>& step) {
  if constexpr (std::is_convertible_v<std::invoke_result_t<Observer&, const DenseStep<N>&>, bool>) {
    return static_cast<bool>(observer(step));
  } else {
    observer(step);
    return true;
  }
}

// Dormand-Prince RK5(4)7M tableau (Dormand & Prince 1980, J. Comp. Appl. Math. 6, table 2).
struct Dp54Tableau {
  static constexpr double c2 = 1.0 / 5.0, c3 = 3.0 / 10.0, c4 = 4.0 / 5.0, c5 = 8.0 / 9.0;
  static constexpr double a21 = 1.0 / 5.0;
  static constexpr double a31 = 3.0 / 40.0, a32 = 9.0 / 40.0;
  static constexpr double a41 = 44.0 / 45.0, a42 = -56.0 / 15.0, a43 = 32.0 / 9.0;
  static constexpr double a51 = 19372.0 / 6561.0, a52 = -25360.0 / 2187.0, a53 = 64448.0 / 6561.0,
                          a54 = -212.0 / 729.0;
  static constexpr double a61 = 9017.0 / 3168.0, a62 = -355.0 / 33.0, a63 = 46732.0 / 5247.0,
                          a64 = 49.0 / 176.0, a65 = -5103.0 / 18656.0;
  // 5th-order weights (= row 7 of A: first same as last).
  static constexpr double b1 = 35.0 / 384.0, b3 = 500.0 / 1113.0, b4 = 125.0 / 192.0,
                          b5 = -2187.0 / 6784.0, b6 = 11.0 / 84.0;
  // b - b_hat (5th minus embedded 4th order), used for the local error estimate.
  static constexpr double e1 = 71.0 / 57600.0, e3 = -71.0 / 16695.0, e4 = 71.0 / 1920.0,
                          e5 = -17253.0 / 339200.0, e6 = 22.0 / 525.0, e7 = -1.0 / 40.0;
  // Continuous extension (Shampine 1986; HNW I, sec. II.6, as in DOPRI5's dense output).
  static constexpr double d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0,
                          d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0,
                          d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0;
};

// Weighted RMS norm with Hairer's scale abs + rel max(|a|, |b|).
template <int N>
double ErrorNorm(const OdeVector<N>& e, const OdeVector<N>& a, const OdeVector<N>& b,
                 const OdeVector<N>& abs_tol, double rel_tol) {
  const OdeVector<N> sc = abs_tol + rel_tol * a.cwiseAbs().cwiseMax(b.cwiseAbs());
  return std::sqrt((e.cwiseQuotient(sc)).squaredNorm() / static_cast<double>(N));
}

}  // namespace detail

// One classical RK4 step from (t, x) with derivative k1 = f(t, x) already known.
// `t_right_s` is where the c = 1 stage is evaluated (t + h, or just below a breakpoint).
template <int N, typename F>
OdeVector<N> Rk4Step(const F& f, double t_s, const OdeVector<N>& x, const OdeVector<N>& k1,
                     double h_s, double t_right_s) {
  const double hh = 0.5 * h_s;
  const OdeVector<N> k2 = f(t_s + hh, (x + hh * k1).eval());
  const OdeVector<N> k3 = f(t_s + hh, (x + hh * k2).eval());
  const OdeVector<N> k4 = f(t_right_s, (x + h_s * k3).eval());
  return x + (h_s / 6.0) * (k1 + 2.0 * (k2 + k3) + k4);
}

// One Dormand-Prince step of size h_s from (t, x) with k1 = f(t, x). Returns the 5th-order
// solution; fills k7 = f(t + h, x1) (the next k1: FSAL), the error estimate e (x1 minus the
// 4th-order solution) and, if `dense` is non-null, its continuous extension.
// `t_right_s` is where the c = 1 stages (6 and 7) are evaluated.
template <int N, typename F>
OdeVector<N> Dp54Step(const F& f, double t_s, const OdeVector<N>& x, const OdeVector<N>& k1,
                      double h_s, double t_right_s, OdeVector<N>& k7, OdeVector<N>& e,
                      DenseStep<N>* dense) {
  using T = detail::Dp54Tableau;
  const double h = h_s;
  const OdeVector<N> k2 = f(t_s + T::c2 * h, (x + h * (T::a21 * k1)).eval());
  const OdeVector<N> k3 = f(t_s + T::c3 * h, (x + h * (T::a31 * k1 + T::a32 * k2)).eval());
  const OdeVector<N> k4 =
      f(t_s + T::c4 * h, (x + h * (T::a41 * k1 + T::a42 * k2 + T::a43 * k3)).eval());
  const OdeVector<N> k5 =
      f(t_s + T::c5 * h, (x + h * (T::a51 * k1 + T::a52 * k2 + T::a53 * k3 + T::a54 * k4)).eval());
  const OdeVector<N> k6 =
      f(t_right_s,
        (x + h * (T::a61 * k1 + T::a62 * k2 + T::a63 * k3 + T::a64 * k4 + T::a65 * k5)).eval());
  const OdeVector<N> x1 = x + h * (T::b1 * k1 + T::b3 * k3 + T::b4 * k4 + T::b5 * k5 + T::b6 * k6);
  k7 = f(t_right_s, x1);
  e = h * (T::e1 * k1 + T::e3 * k3 + T::e4 * k4 + T::e5 * k5 + T::e6 * k6 + T::e7 * k7);
  if (dense != nullptr) {
    dense->t0_s = t_s;
    dense->h_s = h;
    dense->x0 = x;
    dense->x1 = x1;
    dense->r2 = x1 - x;
    dense->r3 = h * k1 - dense->r2;
    dense->r4 = dense->r2 - h * k7 - dense->r3;
    dense->r5 = h * (T::d1 * k1 + T::d3 * k3 + T::d4 * k4 + T::d5 * k5 + T::d6 * k6 + T::d7 * k7);
  }
  return x1;
}

// Integrates x' = f(t, x) from (t0_s, x0) to t_end_s with fixed-step RK4.
//   f(double t_s, const OdeVector<N>& x) -> OdeVector<N>
//   observer(const DenseStep<N>&) [-> bool; false stops], called after every step
// The step grid is t0 + k step_s, restarted at every breakpoint; the last step before a
// breakpoint or t_end is shortened to land on it exactly. 4 f evaluations per step, plus one per
// breakpoint restart.
template <int N, typename F, typename Observer = NullObserver>
IntegrationResult<N> IntegrateRk4(const F& f, double t0_s, const OdeVector<N>& x0, double t_end_s,
                                  const Rk4Options& options, std::span<const Event<N>> events = {},
                                  std::span<const double> breakpoints = {},
                                  Observer&& observer = Observer{}) {
  options.Validate();
  detail::ValidateSpan(t0_s, t_end_s, breakpoints);
  IntegrationResult<N> res;
  IntegratorStats& st = res.stats;
  detail::EventTracker<N> tracker(events, t0_s, x0, options.event_time_tol_s, st);
  detail::BreakpointCursor bp(breakpoints, t0_s);

  double t = t0_s;
  OdeVector<N> x = x0;
  OdeVector<N> k1 = f(t, x);
  ++st.derivative_evaluations;
  double anchor = t;  // the fixed grid restarts here
  long n = 0;
  DenseStep<N> step;
  res.status = IntegrationStatus::kReachedEnd;
  while (t < t_end_s) {
    if (st.accepted_steps >= options.max_steps) {
      res.status = IntegrationStatus::kMaxStepsExceeded;
      break;
    }
    const double next_bp = bp.Next();
    const double stop = std::min(t_end_s, next_bp);
    double t_new = anchor + static_cast<double>(n + 1) * options.step_s;
    // Land on the stop rather than leave a sliver step behind it.
    const bool land = t_new >= stop - 1e-9 * options.step_s;
    if (land) t_new = stop;
    const double h = t_new - t;
    if (!(h > 0.0)) {
      res.status = IntegrationStatus::kStepSizeTooSmall;
      break;
    }
    const bool at_bp = land && stop == next_bp;
    const double t_right = at_bp ? detail::NextBelow(t_new) : t_new;
    const OdeVector<N> x1 = Rk4Step<N>(f, t, x, k1, h, t_right);
    const OdeVector<N> k_end = f(t_right, x1);
    st.derivative_evaluations += 4;
    ++st.accepted_steps;
    ++n;

    step.t0_s = t;
    step.t1_s = t_new;
    step.h_s = h;
    step.x0 = x;
    step.x1 = x1;
    step.r2 = x1 - x;
    step.r3 = h * k1 - step.r2;
    step.r4 = step.r2 - h * k_end - step.r3;
    step.r5.setZero();

    const bool terminal = tracker.Process(step, res.events);
    const bool go_on = detail::Observe<N>(observer, step);
    t = step.t1_s;
    x = step.x1;
    k1 = k_end;
    if (terminal) {
      res.status = IntegrationStatus::kTerminalEvent;
      break;
    }
    if (!go_on) {
      res.status = IntegrationStatus::kStoppedByObserver;
      break;
    }
    if (at_bp) {
      bp.Advance(t);
      anchor = t;
      n = 0;
      k1 = f(t, x);
      ++st.derivative_evaluations;
    }
  }
  res.t_s = t;
  res.x = x;
  res.next_step_s = options.step_s;
  return res;
}

// Initial step estimate, Hairer, Norsett & Wanner (1993) sec. II.4 (their "hinit"), for a method
// of order `order`. Costs one f evaluation (counted by the caller).
template <int N, typename F>
double InitialStepEstimate(const F& f, double t0_s, const OdeVector<N>& x0, const OdeVector<N>& f0,
                           int order, const OdeVector<N>& abs_tol, double rel_tol,
                           double max_step_s) {
  const OdeVector<N> sc = abs_tol + rel_tol * x0.cwiseAbs();
  const double rn = std::sqrt(1.0 / static_cast<double>(N));
  const double d0 = x0.cwiseQuotient(sc).norm() * rn;
  const double d1 = f0.cwiseQuotient(sc).norm() * rn;
  double h0 = (d0 < 1e-10 || d1 < 1e-10) ? 1e-6 : 0.01 * d0 / d1;
  h0 = std::min(h0, max_step_s);
  const OdeVector<N> f1 = f(t0_s + h0, (x0 + h0 * f0).eval());
  const double d2 = (f1 - f0).cwiseQuotient(sc).norm() * rn / h0;
  const double dm = std::max(d1, d2);
  const double h1 = dm <= 1e-15 ? std::max(1e-6, h0 * 1e-3)
                                : std::pow(0.01 / dm, 1.0 / static_cast<double>(order));
  return std::min({100.0 * h0, h1, max_step_s});
}

// Integrates x' = f(t, x) from (t0_s, x0) to t_end_s with adaptive Dormand-Prince 5(4).
//   f(double t_s, const OdeVector<N>& x) -> OdeVector<N>
//   events: checked after every accepted step (see header comment)
//   breakpoints: sorted ascending, seconds; those <= t0_s or >= t_end_s are ignored
//   observer(const DenseStep<N>&) [-> bool; false stops], called after every accepted step with
//     its 4th-order continuous extension (cut at a terminal event)
// Returns where it stopped, why, the events hit and the counters. About 6 f evaluations per
// accepted or rejected step, plus 2 at the start and 1 per breakpoint restart.
template <int N, typename F, typename Observer = NullObserver>
IntegrationResult<N> IntegrateDp54(const F& f, double t0_s, const OdeVector<N>& x0, double t_end_s,
                                   const Dp54Options<N>& options,
                                   std::span<const Event<N>> events = {},
                                   std::span<const double> breakpoints = {},
                                   Observer&& observer = Observer{}) {
  options.Validate();
  detail::ValidateSpan(t0_s, t_end_s, breakpoints);
  IntegrationResult<N> res;
  IntegratorStats& st = res.stats;
  detail::EventTracker<N> tracker(events, t0_s, x0, options.event_time_tol_s, st);
  detail::BreakpointCursor bp(breakpoints, t0_s);

  double t = t0_s;
  OdeVector<N> x = x0;
  OdeVector<N> k1 = f(t, x);
  ++st.derivative_evaluations;
  double h = options.initial_step_s;
  if (h <= 0.0 && t_end_s > t0_s) {
    h = InitialStepEstimate<N>(f, t, x, k1, 5, options.abs_tol, options.rel_tol,
                               options.max_step_s);
    ++st.derivative_evaluations;
  }
  const double expo = 0.2 - 0.75 * options.beta;  // HNW II.4 (4.14) with Lund stabilisation
  double err_old = 1e-4;
  bool last_rejected = false;
  OdeVector<N> k7, e;
  DenseStep<N> step;
  res.status = IntegrationStatus::kReachedEnd;
  while (t < t_end_s) {
    if (st.accepted_steps + st.rejected_steps >= options.max_steps) {
      res.status = IntegrationStatus::kMaxStepsExceeded;
      break;
    }
    const double next_bp = bp.Next();
    const double stop = std::min(t_end_s, next_bp);
    h = std::min(h, options.max_step_s);
    const double h_wanted = h;
    // Stretch by up to 1 % to land on the stop rather than leave a sliver step behind it.
    const bool land = t + 1.01 * h >= stop;
    if (land) h = stop - t;
    const double round_off = 16.0 * std::numeric_limits<double>::epsilon() * std::abs(t);
    if (!(h > round_off) || (!land && h < options.min_step_s)) {
      res.status = IntegrationStatus::kStepSizeTooSmall;
      break;
    }
    const bool at_bp = land && stop == next_bp;
    const double t_new = land ? stop : t + h;
    const double t_right = at_bp ? detail::NextBelow(t_new) : t_new;
    const OdeVector<N> x1 = Dp54Step<N>(f, t, x, k1, h, t_right, k7, e, &step);
    st.derivative_evaluations += 6;
    const double err = detail::ErrorNorm<N>(e, x, x1, options.abs_tol, options.rel_tol);

    if (!(err <= 1.0)) {  // rejected (also when err is NaN)
      ++st.rejected_steps;
      const double fac = std::isfinite(err) ? options.safety * std::pow(err, -expo) : 0.0;
      h *= std::max(options.min_factor, fac);
      last_rejected = true;
      continue;
    }

    ++st.accepted_steps;
    double fac = options.safety * std::pow(err, -expo) * std::pow(err_old, options.beta);
    fac = std::clamp(fac, options.min_factor, last_rejected ? 1.0 : options.max_factor);
    err_old = std::max(err, 1e-4);
    last_rejected = false;
    double h_next = h * fac;
    if (land) h_next = std::max(h_next, std::min(h_wanted, h * options.max_factor));

    step.t1_s = t_new;
    const bool terminal = tracker.Process(step, res.events);
    const bool go_on = detail::Observe<N>(observer, step);
    t = step.t1_s;
    x = step.x1;
    k1 = k7;
    h = h_next;
    if (terminal) {
      res.status = IntegrationStatus::kTerminalEvent;
      break;
    }
    if (!go_on) {
      res.status = IntegrationStatus::kStoppedByObserver;
      break;
    }
    if (at_bp) {  // f may jump here: discard the FSAL derivative (a left limit)
      bp.Advance(t);
      k1 = f(t, x);
      ++st.derivative_evaluations;
    }
  }
  res.t_s = t;
  res.x = x;
  res.next_step_s = h;
  return res;
}

// Name of an integration method, for logs and output headers ("rk4", "dp54").
const char* IntegratorMethodName(bool adaptive);

template <int N>
void Dp54Options<N>::Validate() const {
  detail::ValidateDp54Scalars(rel_tol, abs_tol.minCoeff(), max_step_s, min_step_s, initial_step_s,
                              safety, min_factor, max_factor, beta, max_steps, event_time_tol_s);
}

}  // namespace hyperdef::flight

// Integrators: convergence order, two-body validation against Bate, Mueller & White's
// minimum-energy trajectories, conservation laws, event location, breakpoints, dense output.
#include "flight/integrator.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "core/constants.h"

// Counts heap allocations so a test can show the step loop allocates nothing. The replacement
// pair uses malloc/free on both sides; GCC's mismatch warning cannot see that once inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> g_allocations{0};
}  // namespace
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace hyperdef::flight {
namespace {

using core::kEarthMeanRadius_m;
using core::kEarthMu_m3ps2;
using core::kPi;
using V2 = OdeVector<2>;
using V6 = OdeVector<6>;

// Harmonic oscillator x'' = -x: x = cos t, v = -sin t from (1, 0).
const auto kOscillator = [](double, const V2& x) { return V2(x[1], -x[0]); };

// Point-mass two-body problem on [r (m), v (m/s)], mu of WGS-84.
const auto kTwoBody = [](double, const V6& x) {
  const Eigen::Vector3d r = x.head<3>();
  const double r2 = r.squaredNorm();
  V6 d;
  d.head<3>() = x.tail<3>();
  d.tail<3>() = -kEarthMu_m3ps2 / (r2 * std::sqrt(r2)) * r;
  return d;
};

double SpecificEnergy(const V6& x) {
  return 0.5 * x.tail<3>().squaredNorm() - kEarthMu_m3ps2 / x.head<3>().norm();
}
Eigen::Vector3d AngularMomentum(const V6& x) {
  return Eigen::Vector3d(x.head<3>()).cross(Eigen::Vector3d(x.tail<3>()));
}

double Rk4OscillatorError(double h) {
  Rk4Options opt;
  opt.step_s = h;
  const auto res = IntegrateRk4<2>(kOscillator, 0.0, V2(1.0, 0.0), 10.0, opt);
  EXPECT_EQ(res.status, IntegrationStatus::kReachedEnd);
  EXPECT_EQ(res.t_s, 10.0);
  return (res.x - V2(std::cos(10.0), -std::sin(10.0))).norm();
}

TEST(IntegratorTest, Rk4GlobalErrorIsFourthOrder) {
  // Classical RK4 has global error O(h^4) (HNW I, II.3): halving h divides the error by 16.
  // 0.1 in the observed order allows for the next term of the error expansion at h = 0.1.
  const double e1 = Rk4OscillatorError(0.1);
  const double e2 = Rk4OscillatorError(0.05);
  const double e3 = Rk4OscillatorError(0.025);
  EXPECT_NEAR(std::log2(e1 / e2), 4.0, 0.1);
  EXPECT_NEAR(std::log2(e2 / e3), 4.0, 0.1);
}

double Dp54FixedStepError(int steps) {
  // y' = -y, y(0) = 1, to t = 2 with the 5th-order solution of DP5 at a fixed step.
  const auto f = [](double, const OdeVector<1>& y) { return OdeVector<1>(-y); };
  const double h = 2.0 / steps;
  OdeVector<1> y = OdeVector<1>::Ones();
  OdeVector<1> k1 = f(0.0, y), k7, e;
  for (int i = 0; i < steps; ++i) {
    const double t = i * h;
    y = Dp54Step<1>(f, t, y, k1, h, t + h, k7, e, nullptr);
    k1 = k7;
  }
  return std::abs(y[0] - std::exp(-2.0));
}

TEST(IntegratorTest, Dp54GlobalErrorIsFifthOrder) {
  // Dormand & Prince (1980): the propagated solution is 5th order, so halving h divides the
  // error by 32. Steps 0.1 -> 0.025 keep the error (1e-10 .. 1e-13) well above round-off (1e-16).
  const double e1 = Dp54FixedStepError(20);
  const double e2 = Dp54FixedStepError(40);
  const double e3 = Dp54FixedStepError(80);
  std::printf("DP5 fixed-step errors at h = 0.1, 0.05, 0.025: %.3e %.3e %.3e\n", e1, e2, e3);
  EXPECT_NEAR(std::log2(e1 / e2), 5.0, 0.15);
  EXPECT_NEAR(std::log2(e2 / e3), 5.0, 0.15);
}

TEST(IntegratorTest, Dp54GlobalErrorFollowsTolerance) {
  // Tolerance proportionality: for an adaptive 5(4) pair with local extrapolation the global
  // error over a few periods scales roughly like rel_tol. Bound: within a factor 100 of rel_tol
  // over four decades (HNW I, II.4, fig. 4.2 shows the same spread).
  for (double tol : {1e-6, 1e-8, 1e-10, 1e-12}) {
    Dp54Options<2> opt;
    opt.rel_tol = tol;
    opt.SetAbsTol(tol);
    const auto res = IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 20.0, opt);
    ASSERT_EQ(res.status, IntegrationStatus::kReachedEnd);
    const double err = (res.x - V2(std::cos(20.0), -std::sin(20.0))).norm();
    EXPECT_LT(err, 100.0 * tol) << "tol " << tol;
    // Counters: 6 evaluations per attempted step, plus the first f and the initial-step probe.
    EXPECT_EQ(res.stats.derivative_evaluations,
              6 * (res.stats.accepted_steps + res.stats.rejected_steps) + 2);
  }
}

TEST(IntegratorTest, DenseOutputIsAccurateInsideSteps) {
  // DP5's continuous extension is 4th order (Shampine 1986): with rel_tol 1e-10 the interpolated
  // states between step ends stay within 1e-8 of the exact solution (steps ~0.04 s, error
  // ~ rel_tol x steps). RK4's cubic Hermite interpolant: with h = 0.01 its error is O(h^4) ~ 1e-9.
  Dp54Options<2> opt;
  opt.rel_tol = 1e-10;
  opt.SetAbsTol(1e-10);
  double worst = 0.0;
  long steps = 0;
  const auto check = [&](const DenseStep<2>& s) {
    ++steps;
    for (double th : {0.25, 0.5, 0.75}) {
      const double t = s.t0_s + th * (s.t1_s - s.t0_s);
      worst = std::max(worst, (s.State(t) - V2(std::cos(t), -std::sin(t))).norm());
    }
    // The interpolant passes through both ends.
    EXPECT_LT((s.State(s.t1_s) - s.x1).norm(), 1e-15);
  };
  const auto res = IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 10.0, opt, {}, {}, check);
  EXPECT_EQ(steps, res.stats.accepted_steps);
  RecordProperty("dp54_steps", std::to_string(steps));
  EXPECT_LT(worst, 1e-8);

  Rk4Options ro;
  ro.step_s = 0.01;
  double worst_rk4 = 0.0;
  IntegrateRk4<2>(kOscillator, 0.0, V2(1.0, 0.0), 10.0, ro, {}, {}, [&](const DenseStep<2>& s) {
    const double t = 0.5 * (s.t0_s + s.t1_s);
    worst_rk4 = std::max(worst_rk4, (s.State(t) - V2(std::cos(t), -std::sin(t))).norm());
  });
  EXPECT_LT(worst_rk4, 1e-8);
}

// ---- Two-body validation: minimum-energy ballistic trajectories ----

struct MinimumEnergyRow {
  double range_km, speed_mps, gamma_deg, tof_s, apogee_km;
};

std::vector<MinimumEnergyRow> ReadMinimumEnergyCsv() {
  std::ifstream in(HYPERDEF_REFERENCE_DIR "/ballistic-minimum-energy.csv");
  EXPECT_TRUE(in.good()) << "cannot open " << HYPERDEF_REFERENCE_DIR
                         << "/ballistic-minimum-energy.csv";
  std::vector<MinimumEnergyRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      EXPECT_EQ(line.rfind("range_km,burnout_speed_mps", 0), 0u) << line;
      header = false;
      continue;
    }
    std::istringstream s(line);
    MinimumEnergyRow r{};
    char c = 0;
    s >> r.range_km >> c >> r.speed_mps >> c >> r.gamma_deg >> c >> r.tof_s >> c >> r.apogee_km;
    EXPECT_FALSE(s.fail()) << line;
    rows.push_back(r);
  }
  return rows;
}

TEST(IntegratorTest, TwoBodyMinimumEnergyTrajectoriesMatchBateMuellerWhite) {
  // Bate, Mueller & White (1971), "Fundamentals of Astrodynamics", ch. 6: for a free-flight range
  // angle Psi on a spherical Earth, the minimum-energy trajectory has Q = v^2 R / mu =
  // 2 sin(Psi/2) / (1 + sin(Psi/2)) and flight-path angle gamma = (pi - Psi) / 4; the trajectory is
  // symmetric about apogee (true anomaly pi), so burnout is at nu = pi - Psi/2 and the time of
  // flight is twice the time from there to apogee (Kepler's equation). Tolerances from the
  // reference file: landing range within 10 m, time of flight within 0.01 s.
  const double R = kEarthMeanRadius_m;
  const double mu = kEarthMu_m3ps2;
  const auto rows = ReadMinimumEnergyCsv();
  ASSERT_EQ(rows.size(), 8u);
  double worst_range_m = 0.0, worst_tof_s = 0.0, worst_apogee_s = 0.0;
  for (const MinimumEnergyRow& row : rows) {
    SCOPED_TRACE(row.range_km);
    const double psi = row.range_km * 1e3 / R;
    const double s = std::sin(psi / 2.0);
    const double q = 2.0 * s / (1.0 + s);
    const double gamma = (kPi - psi) / 4.0;
    const double v = std::sqrt(q * mu / R);
    // Conic through the burnout point.
    const double a = 1.0 / (2.0 / R - v * v / mu);
    const double p = std::pow(R * v * std::cos(gamma), 2) / mu;
    const double e = std::sqrt(1.0 - p / a);
    const double nu_bo = kPi - psi / 2.0;
    const double ecc_anom = 2.0 * std::atan(std::sqrt((1.0 - e) / (1.0 + e)) * std::tan(nu_bo / 2));
    const double mean_anom = ecc_anom - e * std::sin(ecc_anom);
    const double tof = 2.0 * (kPi - mean_anom) * std::sqrt(a * a * a / mu);
    const double apogee_alt = a * (1.0 + e) - R;

    // The published (rounded) table agrees with the formula to its rounding.
    EXPECT_NEAR(row.speed_mps, v, 1.0);
    EXPECT_NEAR(row.gamma_deg, gamma * core::kRadToDeg, 0.01);
    EXPECT_NEAR(row.tof_s, tof, 1.0);
    EXPECT_NEAR(row.apogee_km, apogee_alt / 1e3, 1.0);

    V6 x0;
    x0 << R, 0.0, 0.0, v * std::sin(gamma), v * std::cos(gamma), 0.0;
    const std::array<Event<6>, 2> events = {
        Event<6>{.id = 1,
                 .g = [R](double, const V6& x) { return x.head<3>().norm() - R; },
                 .direction = EventDirection::kFalling,
                 .terminal = true},
        Event<6>{.id = 2,
                 .g = [](double, const V6& x) { return x.head<3>().dot(x.tail<3>()); },
                 .direction = EventDirection::kFalling,
                 .terminal = false},
    };
    const auto res = IntegrateDp54<6>(kTwoBody, 0.0, x0, 2.0 * tof, Dp54Options<6>{}, events);
    ASSERT_EQ(res.status, IntegrationStatus::kTerminalEvent);
    ASSERT_EQ(res.events.size(), 2u);
    EXPECT_EQ(res.events[0].id, 2);  // apogee first, then impact
    EXPECT_EQ(res.events[1].id, 1);
    const Eigen::Vector3d r0 = x0.head<3>(), r1 = res.x.head<3>();
    const double range_m = R * std::atan2(r0.cross(r1).norm(), r0.dot(r1));
    EXPECT_NEAR(range_m, row.range_km * 1e3, 10.0);
    worst_range_m = std::max(worst_range_m, std::abs(range_m - row.range_km * 1e3));
    worst_tof_s = std::max(worst_tof_s, std::abs(res.t_s - tof));
    worst_apogee_s = std::max(worst_apogee_s, std::abs(res.events[0].t_s - tof / 2.0));
    EXPECT_NEAR(res.t_s, tof, 0.01);
    EXPECT_NEAR(res.events[0].t_s, tof / 2.0, 1e-3);  // apogee at half the flight (symmetry)
    EXPECT_NEAR(res.events[0].x.head<3>().norm() - R, apogee_alt, 1.0);
    // |r| at impact: 1 us event time tolerance x vertical speed (< 7.5 km/s) = 7.5 mm.
    EXPECT_NEAR(res.x.head<3>().norm(), R, 7.5e-3);
  }
  std::printf("minimum-energy: worst range error %.2e m, tof error %.2e s, apogee time %.2e s\n",
              worst_range_m, worst_tof_s, worst_apogee_s);
}

void CheckOneOrbitConservation(const V6& x0) {
  // Kepler problem invariants: specific energy and angular momentum. With rel_tol 1e-13 DP5's
  // per-orbit drift is ~1e-12 relative (HNW I, II.4, Kepler test problem); the spec asks 1e-10.
  const double a = -kEarthMu_m3ps2 / (2.0 * SpecificEnergy(x0));
  const double period = 2.0 * kPi * std::sqrt(a * a * a / kEarthMu_m3ps2);
  Dp54Options<6> opt;
  opt.rel_tol = 1e-13;
  opt.SetAbsTol(1e-9);
  double worst_e = 0.0, worst_h = 0.0;
  const double e0 = SpecificEnergy(x0);
  const Eigen::Vector3d h0 = AngularMomentum(x0);
  const auto res =
      IntegrateDp54<6>(kTwoBody, 0.0, x0, period, opt, {}, {}, [&](const DenseStep<6>& s) {
        worst_e = std::max(worst_e, std::abs(SpecificEnergy(s.x1) / e0 - 1.0));
        worst_h = std::max(worst_h, (AngularMomentum(s.x1) - h0).norm() / h0.norm());
      });
  ASSERT_EQ(res.status, IntegrationStatus::kReachedEnd);
  EXPECT_LT(worst_e, 1e-10);
  EXPECT_LT(worst_h, 1e-10);
  // Back where it started after one period (position error ~ rel_tol x orbit size x steps).
  EXPECT_LT((res.x.head<3>() - x0.head<3>()).norm(), 1e-3);
  std::printf("one orbit: energy drift %.2e, angular momentum drift %.2e, %ld steps\n", worst_e,
              worst_h, res.stats.accepted_steps);
}

TEST(IntegratorTest, CircularishOrbitConservesEnergyAndAngularMomentum) {
  const double r = 7.0e6;
  V6 x0;
  x0 << r, 0.0, 0.0, 0.0, 1.01 * std::sqrt(kEarthMu_m3ps2 / r), 0.0;
  CheckOneOrbitConservation(x0);
}

TEST(IntegratorTest, EccentricOrbitConservesEnergyAndAngularMomentum) {
  // Perigee 7000 km, e = 0.6 (apogee 28000 km), inclined.
  const double rp = 7.0e6, e = 0.6;
  const double vp = std::sqrt(kEarthMu_m3ps2 * (1.0 + e) / rp);
  V6 x0;
  x0 << rp, 0.0, 0.0, 0.0, vp * std::cos(0.9), vp * std::sin(0.9);
  CheckOneOrbitConservation(x0);
}

// ---- Events ----

// Falling body with linear drag: y'' = -g - k y', solved exactly:
// v(t) = (v0 + g/k) e^{-kt} - g/k, apogee at t = ln(1 + k v0 / g) / k.
constexpr double kG = 9.80665, kK = 0.05;
const auto kDragFall = [](double, const V2& x) { return V2(x[1], -kG - kK * x[1]); };

TEST(IntegratorTest, ApogeeAndImpactLocatedWithinOneMillisecond) {
  // Analytic apogee time above; impact from the closed form y(t) by Newton. The spec asks 1 ms.
  const double y0 = 100.0, v0 = 80.0;
  const auto y_of = [&](double t) {
    return y0 + (v0 + kG / kK) * (1.0 - std::exp(-kK * t)) / kK - kG / kK * t;
  };
  const double t_apogee = std::log(1.0 + kK * v0 / kG) / kK;
  double t_impact = 20.0;
  for (int i = 0; i < 50; ++i) {
    const double v = (v0 + kG / kK) * std::exp(-kK * t_impact) - kG / kK;
    t_impact -= y_of(t_impact) / v;
  }
  const std::array<Event<2>, 2> events = {
      Event<2>{.id = 7,
               .g = [](double, const V2& x) { return x[1]; },
               .direction = EventDirection::kFalling},
      Event<2>{.id = 9,
               .g = [](double, const V2& x) { return x[0]; },
               .direction = EventDirection::kFalling,
               .terminal = true},
  };
  Dp54Options<2> dopt;
  const auto dp = IntegrateDp54<2>(kDragFall, 0.0, V2(y0, v0), 100.0, dopt, events);
  Rk4Options ropt;
  ropt.step_s = 0.5;  // long steps on purpose: the events are found on the Hermite interpolant
  const auto rk = IntegrateRk4<2>(kDragFall, 0.0, V2(y0, v0), 100.0, ropt, events);
  for (const auto* res : {&dp, &rk}) {
    ASSERT_EQ(res->status, IntegrationStatus::kTerminalEvent);
    ASSERT_EQ(res->events.size(), 2u);
    EXPECT_EQ(res->events[0].id, 7);
    EXPECT_FALSE(res->events[0].rising);
    EXPECT_FALSE(res->events[0].terminal);
    EXPECT_NEAR(res->events[0].t_s, t_apogee, 1e-3);
    EXPECT_EQ(res->events[1].id, 9);
    EXPECT_TRUE(res->events[1].terminal);
    EXPECT_NEAR(res->events[1].t_s, t_impact, 1e-3);
    EXPECT_EQ(res->t_s, res->events[1].t_s);
    EXPECT_NEAR(res->x[0], 0.0, 1e-3);
    // Reported just after the crossing, so the event function has already changed sign.
    EXPECT_LE(res->x[0], 0.0);
    EXPECT_GE(res->events[1].t_s, t_impact - 1e-9);
  }
  // DP54 with the default 1 us time tolerance locates far better than the 1 ms asked.
  EXPECT_NEAR(dp.events[0].t_s, t_apogee, 1e-5);
  EXPECT_NEAR(dp.events[1].t_s, t_impact, 1e-5);
}

TEST(IntegratorTest, SeveralEventsInOneStepAreReportedEarliestFirst) {
  // x' = 1 from 0 with a single RK4 step of 2 s. Roots: 1.15 and 1.1 (listed out of order),
  // 1.2 (terminal), 0.5 (a falling crossing, but only rising ones are asked for: ignored) and
  // 1.3 (after the terminal one: never reached).
  const auto f = [](double, const OdeVector<1>&) { return OdeVector<1>(1.0); };
  const auto at = [](double c) { return [c](double, const OdeVector<1>& x) { return x[0] - c; }; };
  const std::array<Event<1>, 5> events = {
      Event<1>{.id = 15, .g = at(1.15)},
      Event<1>{.id = 11, .g = at(1.1), .direction = EventDirection::kRising},
      Event<1>{.id = 12, .g = at(1.2), .direction = EventDirection::kRising, .terminal = true},
      Event<1>{.id = 5,
               .g = [](double, const OdeVector<1>& x) { return 0.5 - x[0]; },
               .direction = EventDirection::kRising},
      Event<1>{.id = 13, .g = at(1.3)},
  };
  Rk4Options opt;
  opt.step_s = 2.0;
  const auto res = IntegrateRk4<1>(f, 0.0, OdeVector<1>(0.0), 10.0, opt, events);
  EXPECT_EQ(res.stats.accepted_steps, 1);
  ASSERT_EQ(res.status, IntegrationStatus::kTerminalEvent);
  ASSERT_EQ(res.events.size(), 3u);
  EXPECT_EQ(res.events[0].id, 11);
  EXPECT_EQ(res.events[1].id, 15);
  EXPECT_EQ(res.events[2].id, 12);
  EXPECT_EQ(res.events[2].index, 2u);
  EXPECT_TRUE(res.events[0].rising);
  EXPECT_NEAR(res.events[0].t_s, 1.1, 1e-6);
  EXPECT_NEAR(res.events[1].t_s, 1.15, 1e-6);
  EXPECT_NEAR(res.t_s, 1.2, 1e-6);
  EXPECT_NEAR(res.x[0], 1.2, 1e-6);
}

TEST(IntegratorTest, EventAtTheStartIsIgnoredAndRestartDoesNotRetrigger) {
  // Vertical shot y'' = -g, v0 = 49 m/s: at 50 m on the way up t = (v0 - sqrt(v0^2 - 2 g 50)) / g,
  // on the way down t = (v0 + sqrt(...)) / g; impact at 2 v0 / g.
  const auto f = [](double, const V2& x) { return V2(x[1], -kG); };
  const double v0 = 49.0, disc = std::sqrt(v0 * v0 - 2.0 * kG * 50.0);
  const std::array<Event<2>, 1> ground = {
      Event<2>{.id = 1, .g = [](double, const V2& x) { return x[0]; }, .terminal = true}};
  // Altitude 0 at launch must not count as an impact.
  const auto flight = IntegrateDp54<2>(f, 0.0, V2(0.0, v0), 100.0, Dp54Options<2>{}, ground);
  ASSERT_EQ(flight.status, IntegrationStatus::kTerminalEvent);
  ASSERT_EQ(flight.events.size(), 1u);
  EXPECT_NEAR(flight.t_s, 2.0 * v0 / kG, 1e-5);

  // Stop at the 50 m crossing (either way), then restart from the event state as a staging
  // event would: the next hit is the crossing on the way down, not the same one again.
  const std::array<Event<2>, 1> at50 = {
      Event<2>{.id = 2, .g = [](double, const V2& x) { return x[0] - 50.0; }, .terminal = true}};
  const auto up = IntegrateDp54<2>(f, 0.0, V2(0.0, v0), 100.0, Dp54Options<2>{}, at50);
  ASSERT_EQ(up.status, IntegrationStatus::kTerminalEvent);
  EXPECT_NEAR(up.t_s, (v0 - disc) / kG, 1e-5);
  EXPECT_GE(up.x[0], 50.0);
  const auto down = IntegrateDp54<2>(f, up.t_s, up.x, 100.0, Dp54Options<2>{}, at50);
  ASSERT_EQ(down.status, IntegrationStatus::kTerminalEvent);
  EXPECT_FALSE(down.events[0].rising);
  EXPECT_NEAR(down.t_s, (v0 + disc) / kG, 1e-5);
}

// ---- Breakpoints ----

TEST(IntegratorTest, BreakpointsAreNeverSteppedAcross) {
  // A "burnout" at t = 1.3 s: x' = 3 t^2 before, x' = -2 after (f written right-continuous).
  // Exact: x(1.3) = 1.3^3, x(4) = 1.3^3 - 2 (4 - 1.3). Both methods integrate these polynomials
  // exactly, so the only error is round-off, IF no stage of a step sees the wrong side.
  const double t_bo = 1.3;
  const auto f = [t_bo](double t, const OdeVector<1>&) {
    return OdeVector<1>(t < t_bo ? 3.0 * t * t : -2.0);
  };
  const std::array<double, 2> breakpoints = {0.0 /* <= t0: ignored */, t_bo};
  const double exact = t_bo * t_bo * t_bo - 2.0 * (4.0 - t_bo);
  bool landed = false;
  const auto watch = [&](const DenseStep<1>& s) {
    EXPECT_FALSE(s.t0_s < t_bo && s.t1_s > t_bo) << "step across the breakpoint";
    if (s.t1_s == t_bo) {
      landed = true;
      EXPECT_NEAR(s.x1[0], t_bo * t_bo * t_bo, 1e-13);
    }
  };
  Dp54Options<1> dopt;
  dopt.max_step_s = 0.7;
  const auto dp = IntegrateDp54<1>(f, 0.0, OdeVector<1>(0.0), 4.0, dopt, {}, breakpoints, watch);
  EXPECT_TRUE(landed);
  EXPECT_NEAR(dp.x[0], exact, 1e-12);
  EXPECT_EQ(dp.stats.rejected_steps, 0);
  landed = false;
  Rk4Options ropt;
  ropt.step_s = 0.5;
  const auto rk = IntegrateRk4<1>(f, 0.0, OdeVector<1>(0.0), 4.0, ropt, {}, breakpoints, watch);
  EXPECT_TRUE(landed);
  EXPECT_NEAR(rk.x[0], exact, 1e-12);
  // RK4 grid: 0, .5, 1, 1.3 | 1.8, 2.3, ... 3.8, 4: 3 + 6 steps; 4 f per step + start + restart.
  EXPECT_EQ(rk.stats.accepted_steps, 9);
  EXPECT_EQ(rk.stats.derivative_evaluations, 4 * 9 + 2);

  // Without the breakpoint DP54 must reject steps around the jump and still be less exact.
  const auto blind = IntegrateDp54<1>(f, 0.0, OdeVector<1>(0.0), 4.0, dopt);
  EXPECT_GT(blind.stats.rejected_steps, 0);
}

// ---- Observer and sampling ----

TEST(IntegratorTest, SamplerRecordsAtAFixedIntervalWithoutShorteningSteps) {
  std::vector<double> times;
  double worst = 0.0;
  auto sampler = SampleEvery(0.0, 0.05, [&](double t, const V2& x) {
    times.push_back(t);
    worst = std::max(worst, (x - V2(std::cos(t), -std::sin(t))).norm());
  });
  Dp54Options<2> opt;
  opt.rel_tol = 1e-8;
  opt.SetAbsTol(1e-8);
  const auto res = IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 20.0, opt, {}, {}, sampler);
  ASSERT_EQ(times.size(), 401u);  // 0, 0.05, ..., 20.0 inclusive
  for (std::size_t k = 0; k < times.size(); ++k) EXPECT_EQ(times[k], 0.05 * static_cast<double>(k));
  EXPECT_LT(res.stats.accepted_steps, 200);  // far fewer steps than samples
  // Dense output (4th order) at rel_tol 1e-8 over ~3 periods: global error ~1e-7 (see
  // Dp54GlobalErrorFollowsTolerance) plus interpolation error of the same order.
  EXPECT_LT(worst, 1e-6);
  std::printf("sampler: %zu samples from %ld steps, worst error %.2e\n", times.size(),
              res.stats.accepted_steps, worst);
}

TEST(IntegratorTest, ObserverCanStopTheIntegration) {
  const auto stop_after_2s = [](const DenseStep<2>& s) { return s.t1_s < 2.0; };
  const auto res = IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 20.0, Dp54Options<2>{}, {}, {},
                                    stop_after_2s);
  EXPECT_EQ(res.status, IntegrationStatus::kStoppedByObserver);
  EXPECT_GE(res.t_s, 2.0);
  EXPECT_TRUE(res.ok());
}

TEST(IntegratorTest, StepLoopDoesNotAllocate) {
  // Allocation count is independent of the number of steps (one scratch buffer per call).
  const std::array<Event<6>, 1> events = {
      Event<6>{.id = 1,
               .g = [](double, const V6& x) { return x.head<3>().norm() - 6.0e6; },
               .terminal = true}};
  const auto count = [&](double t_end) {
    V6 x0;
    x0 << 7.0e6, 0.0, 0.0, 0.0, 7.6e3, 0.0;
    long samples = 0;
    auto sampler = SampleEvery(0.0, 1.0, [&](double, const V6&) { ++samples; });
    const long before = g_allocations.load();
    const auto res =
        IntegrateDp54<6>(kTwoBody, 0.0, x0, t_end, Dp54Options<6>{}, events, {}, sampler);
    const long n = g_allocations.load() - before;
    EXPECT_EQ(res.status, IntegrationStatus::kReachedEnd);
    EXPECT_GT(samples, 0);
    return n;
  };
  EXPECT_EQ(count(100.0), count(20000.0));
}

TEST(IntegratorTest, InvalidOptionsAreRejectedWithTheReason) {
  Dp54Options<2> opt;
  opt.rel_tol = 0.0;
  try {
    IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 1.0, opt);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rel_tol"), std::string::npos) << e.what();
  }
  Rk4Options ro;
  ro.step_s = -1.0;
  EXPECT_THROW(IntegrateRk4<2>(kOscillator, 0.0, V2(1.0, 0.0), 1.0, ro), std::invalid_argument);
  const std::array<double, 2> unsorted = {2.0, 1.0};
  EXPECT_THROW(
      IntegrateDp54<2>(kOscillator, 0.0, V2(1.0, 0.0), 3.0, Dp54Options<2>{}, {}, unsorted),
      std::invalid_argument);
  EXPECT_THROW(IntegrateDp54<2>(kOscillator, 1.0, V2(1.0, 0.0), 0.0, Dp54Options<2>{}),
               std::invalid_argument);
}

TEST(IntegratorTest, NonFiniteDerivativeEndsWithStepSizeTooSmall) {
  const auto bad = [](double t, const V2& x) { return t > 0.5 ? V2(NAN, NAN) : V2(x[1], -x[0]); };
  const auto res = IntegrateDp54<2>(bad, 0.0, V2(1.0, 0.0), 2.0, Dp54Options<2>{});
  EXPECT_EQ(res.status, IntegrationStatus::kStepSizeTooSmall);
  EXPECT_FALSE(res.ok());
  EXPECT_LE(res.t_s, 0.5);
  EXPECT_STREQ(ToString(res.status), "step size too small");
}

TEST(IntegratorTest, ZeroLengthIntervalReturnsTheInitialState) {
  const auto res = IntegrateDp54<2>(kOscillator, 3.0, V2(1.0, 2.0), 3.0, Dp54Options<2>{});
  EXPECT_EQ(res.status, IntegrationStatus::kReachedEnd);
  EXPECT_EQ(res.t_s, 3.0);
  EXPECT_EQ(res.x, V2(1.0, 2.0));
}

}  // namespace
}  // namespace hyperdef::flight

#include "engagement/interceptor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/constants.h"
#include "core/error.h"
#include "core/random.h"
#include "earth/wgs84.h"
#include "engagement/fire_control.h"
#include "engagement/flyout_table.h"
#include "engagement/interceptor_presets.h"

namespace hyperdef::engagement {
namespace {

using core::Vec3;

const earth::Geodetic kSite{0.0, 0.0, 0.0};

InterceptorSpec Preset(const std::string& name) {
  InterceptorSpec s;
  EXPECT_TRUE(InterceptorPreset(name, &s));
  return s;
}

Vec3 PointNorth(double range_m, double alt_m) {
  double lat = 0.0, lon = 0.0;
  earth::GeodesicDirect(0.0, 0.0, 0.0, range_m, &lat, &lon);
  return earth::EcefFromGeodetic({lat, lon, alt_m});
}

// A non-manoeuvring target through (r_i, v_i) at t_i: either a ballistic body in vacuum (gravity
// J2 + frame terms, tabulated by RK4 at 10 ms both ways from t_i and interpolated by cubic
// Hermite, error << 1 mm) or a constant-altitude, constant-speed glider on a great circle.
class Target {
 public:
  static Target Ballistic(const Vec3& r_i, const Vec3& v_i, double t_i, double t0, double t1) {
    Target tg;
    tg.t0_ = t0;
    tg.dt_ = 0.01;
    const int n = static_cast<int>(std::ceil((t1 - t0) / tg.dt_)) + 1;
    const int i0 = static_cast<int>(std::round((t_i - t0) / tg.dt_));
    tg.r_.resize(static_cast<std::size_t>(n));
    tg.v_.resize(static_cast<std::size_t>(n));
    const double shift = t_i - (t0 + i0 * tg.dt_);  // t_i lies on the grid up to `shift`
    (void)shift;
    tg.t0_ = t_i - i0 * tg.dt_;
    const auto f = [](const Vec3& r, const Vec3& v, Vec3* dr, Vec3* dv) {
      *dr = v;
      *dv = GravityAndFrameAccel_Ecef(r, v);
    };
    const auto rk4 = [&](Vec3* r, Vec3* v, double h) {
      Vec3 a1, b1, a2, b2, a3, b3, a4, b4;
      f(*r, *v, &a1, &b1);
      f(*r + 0.5 * h * a1, *v + 0.5 * h * b1, &a2, &b2);
      f(*r + 0.5 * h * a2, *v + 0.5 * h * b2, &a3, &b3);
      f(*r + h * a3, *v + h * b3, &a4, &b4);
      *r += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
      *v += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
    };
    Vec3 r = r_i, v = v_i;
    tg.r_[static_cast<std::size_t>(i0)] = r;
    tg.v_[static_cast<std::size_t>(i0)] = v;
    for (int k = i0 + 1; k < n; ++k) {
      rk4(&r, &v, tg.dt_);
      tg.r_[static_cast<std::size_t>(k)] = r;
      tg.v_[static_cast<std::size_t>(k)] = v;
    }
    r = r_i;
    v = v_i;
    for (int k = i0 - 1; k >= 0; --k) {
      rk4(&r, &v, -tg.dt_);
      tg.r_[static_cast<std::size_t>(k)] = r;
      tg.v_[static_cast<std::size_t>(k)] = v;
    }
    return tg;
  }
  // Glider at constant geocentric radius |r_i| along the meridian through r_i, heading south.
  static Target Glider(const Vec3& r_i, double speed, double t_i) {
    Target tg;
    tg.glider_ = true;
    tg.rho_ = r_i.norm();
    tg.lat_i_ = std::asin(r_i.z() / tg.rho_);
    tg.omega_ = speed / tg.rho_;
    tg.t_i_ = t_i;
    return tg;
  }
  bool operator()(double t, Vec3* r, Vec3* v) const {
    if (glider_) {
      const double phi = lat_i_ - omega_ * (t - t_i_);
      *r = rho_ * Vec3(std::cos(phi), 0.0, std::sin(phi));
      *v = rho_ * omega_ * Vec3(std::sin(phi), 0.0, -std::cos(phi));
      return true;
    }
    const double x = (t - t0_) / dt_;
    const int k = std::clamp(static_cast<int>(std::floor(x)), 0, static_cast<int>(r_.size()) - 2);
    const double s = x - k, h = dt_;
    const auto K = static_cast<std::size_t>(k);
    const Vec3 &p0 = r_[K], &p1 = r_[K + 1], &v0 = v_[K], &v1 = v_[K + 1];
    const double s2 = s * s, s3 = s2 * s;
    *r = (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * h * v0 + (-2 * s3 + 3 * s2) * p1 +
         (s3 - s2) * h * v1;
    *v = ((6 * s2 - 6 * s) / h) * p0 + (3 * s2 - 4 * s + 1) * v0 + ((-6 * s2 + 6 * s) / h) * p1 +
         (3 * s2 - 2 * s) * v1;
    return true;
  }

 private:
  bool glider_ = false;
  double rho_ = 0, lat_i_ = 0, omega_ = 0, t_i_ = 0;
  double t0_ = 0, dt_ = 0.01;
  std::vector<Vec3> r_, v_;
};

// Target velocity heading south (toward the site) with flight-path angle gamma at r.
Vec3 SouthVelocity(const Vec3& r, double speed, double gamma_rad) {
  const earth::Geodetic g = earth::GeodeticFromEcef(r);
  return earth::EcefFromEnu(Vec3(0.0, -speed * std::cos(gamma_rad), speed * std::sin(gamma_rad)),
                            g) -
         earth::EcefFromEnu(Vec3::Zero(), g);
}

struct Shot {
  double miss_m;
  bool ended_at_ca;
  bool handed_over;
  double max_ratio;
  double divert_left_kg;
};

// Closed loop as the simulation runs it: launch so as to reach the intercept point r_i at t_i
// (time of flight from FlyToPoint), uplink of the EXACT target state every uplink period.
// With `uplink_acceleration`, each uplink also carries the target's exact ECEF acceleration (a
// central difference of its velocity over +-1 ms), as a track filter's estimate would.
template <class Truth>
Shot Fly(const InterceptorSpec& spec, const Truth& target, const Vec3& r_i, double t_i,
         std::uint64_t seed_entity, bool uplink_acceleration = false) {
  const FlyoutPoint f = FlyToPoint(spec, kSite, r_i);
  EXPECT_TRUE(f.reachable) << spec.id;
  const double t_launch = t_i - f.time_of_flight_s;
  Interceptor icpt(spec, kSite, t_launch, r_i, t_i, seed_entity);
  const TruthFunction truth = [&target](double t, Vec3* r, Vec3* v) { return target(t, r, v); };
  for (double t = t_launch; !icpt.Done() && t < t_launch + spec.max_flight_time_s + 1.0;
       t += spec.uplink_period_s) {
    Vec3 r, v;
    target(icpt.Time_s(), &r, &v);
    if (uplink_acceleration) {
      Vec3 r1, v1, r2, v2;
      target(icpt.Time_s() + 1e-3, &r1, &v1);
      target(icpt.Time_s() - 1e-3, &r2, &v2);
      const Vec3 a = (v1 - v2) / 2e-3;
      icpt.Uplink(r_i, t_i, r, v, icpt.Time_s(), &a);
    } else {
      icpt.Uplink(r_i, t_i, r, v);
    }
    icpt.Advance(t + spec.uplink_period_s, truth);
  }
  return {icpt.MissDistance_m(), icpt.EndReason() == InterceptorEnd::kClosestApproach,
          !std::isnan(icpt.HandoverTime_s()), icpt.MaxLateralAccelRatio(),
          icpt.Divert().propellant_kg};
}

struct Case {
  InterceptorSpec spec;
  Vec3 r_i;
  double t_i = 500.0;
};

Case TerminalCase() {
  Case c{Preset("terminal"), PointNorth(30e3, 15e3)};
  return c;
}
Target TerminalTarget(const Case& c) {  // SRBM re-entering: 2 km/s, 35 deg down
  return Target::Ballistic(c.r_i, SouthVelocity(c.r_i, 2000.0, -35.0 * core::kDegToRad), c.t_i,
                           c.t_i - 200.0, c.t_i + 60.0);
}
Case ExoCase() { return Case{Preset("exo"), PointNorth(250e3, 200e3)}; }
Target ExoTarget(const Case& c) {  // MRBM in midcourse: 3.5 km/s, 25 deg down
  return Target::Ballistic(c.r_i, SouthVelocity(c.r_i, 3500.0, -25.0 * core::kDegToRad), c.t_i,
                           c.t_i - 300.0, c.t_i + 60.0);
}
Case GlideCase() { return Case{Preset("glide_phase"), PointNorth(300e3, 50e3)}; }

// Issue 5 validation: perfect information (exact uplinks, noiseless seeker) against a
// non-manoeuvring target inside the envelope: every class misses by < 1 m.
TEST(Interceptor, PerfectInformationMissesByLessThanOneMetre) {
  {
    Case c = TerminalCase();
    c.spec.seeker.angle_sigma_rad = 0.0;
    const Shot s = Fly(c.spec, TerminalTarget(c), c.r_i, c.t_i, 1);
    std::printf("terminal: miss %.4f m\n", s.miss_m);
    EXPECT_TRUE(s.ended_at_ca && s.handed_over);
    EXPECT_LT(s.miss_m, 1.0);  // the bound
  }
  {
    Case c = ExoCase();
    c.spec.seeker.angle_sigma_rad = 0.0;
    const Shot s = Fly(c.spec, ExoTarget(c), c.r_i, c.t_i, 1);
    std::printf("exo: miss %.4f m handover %d divert left %.3f kg ratio %.3f\n", s.miss_m,
                s.handed_over, s.divert_left_kg, s.max_ratio);
    EXPECT_TRUE(s.ended_at_ca && s.handed_over);
    EXPECT_LT(s.miss_m, 1.0);
  }
  {
    Case c = GlideCase();
    c.spec.seeker.angle_sigma_rad = 0.0;
    const Shot s = Fly(c.spec, Target::Glider(c.r_i, 2500.0, c.t_i), c.r_i, c.t_i, 1);
    std::printf("glide_phase: miss %.4f m\n", s.miss_m);
    EXPECT_TRUE(s.ended_at_ca && s.handed_over);
    EXPECT_LT(s.miss_m, 1.0);
  }
}

// Augmented PN with the track's acceleration estimate uplinked (what the simulation passes from
// the track filter) instead of differenced uplinked velocities: the estimate is taken as given
// (TargetEstimate returns it, up to the round-off of removing and adding back gravity and the
// frame terms), and with exact values the perfect-information bound still holds, here against
// the constant-altitude glider, whose non-gravitational (lift) acceleration is ~ 8.8 m/s^2.
TEST(Interceptor, UplinkedAccelerationEstimateFeedsAugmentedPn) {
  Case c = GlideCase();
  c.spec.seeker.angle_sigma_rad = 0.0;
  {
    Interceptor icpt(c.spec, kSite, 0.0, c.r_i, c.t_i, 1);
    const Vec3 r = c.r_i, v = SouthVelocity(c.r_i, 2500.0, 0.0), a(3.0, -4.0, 5.0);
    icpt.Uplink(c.r_i, c.t_i, r, v, 0.0, &a);
    Vec3 r_e, v_e, a_e;
    icpt.TargetEstimate(0.0, &r_e, &v_e, &a_e);
    EXPECT_LT((a_e - a).norm(), 1e-12);
    EXPECT_EQ(r_e, r);
    EXPECT_EQ(v_e, v);
  }
  const Shot s = Fly(c.spec, Target::Glider(c.r_i, 2500.0, c.t_i), c.r_i, c.t_i, 1, true);
  std::printf("glide_phase, uplinked acceleration: miss %.4f m\n", s.miss_m);
  EXPECT_TRUE(s.ended_at_ca && s.handed_over);
  EXPECT_LT(s.miss_m, 1.0);
}

// The second round of a salvo after the first killed the target: the target's truth ends at the
// kill (as the loop truncates its trajectory), the track's uplinks stop with it. The flight goes
// on to its end, but no longer at seeker-polling steps (it took 20 ms steps for the rest of its
// 150-300 s: 25,000-54,000 steps per such shot in the regional run): after the kill it takes at
// most one step per 0.1 s (its midcourse step below 80 km), and it reports no intercept.
TEST(Interceptor, NoSeekerPollingOnceTheTargetIsGone) {
  Case c = TerminalCase();
  const Target target = TerminalTarget(c);
  const double t_kill = c.t_i - 8.0;  // 8 s before this round's planned intercept
  const FlyoutPoint f = FlyToPoint(c.spec, kSite, c.r_i);
  ASSERT_TRUE(f.reachable);
  const double t_launch = c.t_i - f.time_of_flight_s;
  ASSERT_LT(t_launch, t_kill - 5.0);
  Interceptor icpt(c.spec, kSite, t_launch, c.r_i, c.t_i, 7);
  const TruthFunction truth = [&](double t, Vec3* r, Vec3* v) {
    return t <= t_kill && target(t, r, v);
  };
  long steps_at_kill = -1;
  double t = t_launch;
  for (; !icpt.Done() && t < t_launch + c.spec.max_flight_time_s + 1.0;
       t += c.spec.uplink_period_s) {
    if (t <= t_kill) {
      Vec3 r, v;
      target(icpt.Time_s(), &r, &v);
      icpt.Uplink(c.r_i, c.t_i, r, v);
    } else if (steps_at_kill < 0) {
      steps_at_kill = icpt.Steps();
    }
    icpt.Advance(t + c.spec.uplink_period_s, truth);
  }
  ASSERT_TRUE(icpt.Done());
  ASSERT_GE(steps_at_kill, 0);
  EXPECT_NE(icpt.EndReason(), InterceptorEnd::kClosestApproach);
  const double flown_after_kill_s = icpt.Time_s() - t_kill;
  EXPECT_GT(flown_after_kill_s, 20.0);
  EXPECT_LE(static_cast<double>(icpt.Steps() - steps_at_kill), flown_after_kill_s / 0.1 + 20.0);
}

// The uplinked PIP against a crossing ballistic target when the interceptor is late on its plan
// (launched 2 s after the planned launch, as a battery's launch interval delays a salvo's second
// round; a fly-out-table or ship-motion error acts the same way). The loop's uplink gives the
// exact target path every second. Held at the planned intercept time, the PIP is where the
// target was 2 s before the interceptor gets there: a handover error of ~ the target's crossing
// speed x 2 s (km) that the KV's ~5 g divert cannot remove in the ~7 s after a 40 km
// acquisition (the regional run's GPI misses of 480-710 m before the fix). Re-solved for the
// interceptor's own time to go (SolveInFlightPip), the PIP is where the target will be.
TEST(Interceptor, InFlightPipFollowsTheInterceptorsArrivalTime) {
  InterceptorSpec spec = Preset("glide_phase");
  const Vec3 r_i = PointNorth(250e3, 55e3);
  const double t_i = 500.0;
  // Crossing target: 3 km/s heading west, 15 deg down (a ballistic RV in vacuum).
  const earth::Geodetic g = earth::GeodeticFromEcef(r_i);
  const double gam = -15.0 * core::kDegToRad;
  const Vec3 v_i =
      earth::EcefFromEnu(Vec3(-3000.0 * std::cos(gam), 0.0, 3000.0 * std::sin(gam)), g) -
      earth::EcefFromEnu(Vec3::Zero(), g);
  const Target tgt = Target::Ballistic(r_i, v_i, t_i, t_i - 320.0, t_i + 80.0);
  const TruthFunction truth = [&tgt](double t, Vec3* r, Vec3* v) { return tgt(t, r, v); };
  const FlyoutPoint f = FlyToPoint(spec, kSite, r_i);
  ASSERT_TRUE(f.reachable);
  // The exact path from the uplink time (what a perfect track's prediction would give).
  const auto predict = [&](double t0) {
    ThreatPrediction p;
    p.track_time_s = t0;
    for (double t = t0; t <= t_i + 60.0; t += 1.0) {
      ThreatSample s;
      s.t_s = t;
      tgt(t, &s.r_Ecef, &s.v_Ecef);
      p.path.push_back(s);
    }
    return p;
  };
  const auto fly = [&](bool resolve, std::uint64_t entity) {
    Interceptor icpt(spec, kSite, t_i - f.time_of_flight_s + 2.0, r_i, t_i, entity);
    double t_pip = t_i;
    for (double t = icpt.Time_s(); !icpt.Done() && t < t_i + 60.0; t += 1.0) {
      Vec3 r, v, pip = r_i;
      tgt(t, &r, &v);
      if (resolve) {
        const ThreatSample s = SolveInFlightPip(icpt, predict(t), t_pip);
        t_pip = s.t_s;
        pip = s.r_Ecef;
      }
      icpt.Uplink(pip, t_pip, r, v, t);
      icpt.Advance(t + 1.0, truth);
    }
    EXPECT_EQ(icpt.EndReason(), InterceptorEnd::kClosestApproach);
    return icpt.MissDistance_m();
  };
  const double held = fly(false, 1);
  std::vector<double> miss;
  for (std::uint64_t k = 0; k < 10; ++k) miss.push_back(fly(true, 10 + k));
  std::sort(miss.begin(), miss.end());
  std::printf("PIP held at the planned time: miss %.1f m; re-solved: median %.3f m, max %.3f m\n",
              held, miss[5], miss.back());
  EXPECT_GT(held, 10.0 * spec.lethal_radius_m);  // the defect this guards against
  // Re-solved, with seeker noise: every shot inside the lethal radius (observed max ~0.1 m; the
  // seeker-noise test above bounds the same endgame at the 90th percentile).
  EXPECT_LE(miss.back(), spec.lethal_radius_m);
}

// With the seeker's angular noise the miss grows; over 50 seeds it stays under the lethal radius
// in most shots. Bound: at least 45/50 kills per class and the 90th percentile inside the lethal
// radius (observed: 50/50 for all three, medians 0.03-0.08 m; the planning single_shot_pk of
// 0.7-0.8 leaves room for the track errors of the real loop, absent here).
TEST(Interceptor, SeekerNoiseMissDistribution) {
  for (const char* name : {"terminal", "exo", "glide_phase"}) {
    Case c = std::string(name) == "terminal" ? TerminalCase()
             : std::string(name) == "exo"    ? ExoCase()
                                             : GlideCase();
    std::vector<double> miss;
    int kills = 0;
    for (std::uint64_t k = 0; k < 50; ++k) {
      Shot s;
      if (std::string(name) == "glide_phase")
        s = Fly(c.spec, Target::Glider(c.r_i, 2500.0, c.t_i), c.r_i, c.t_i, 100 + k);
      else if (std::string(name) == "exo")
        s = Fly(c.spec, ExoTarget(c), c.r_i, c.t_i, 100 + k);
      else
        s = Fly(c.spec, TerminalTarget(c), c.r_i, c.t_i, 100 + k);
      miss.push_back(s.miss_m);
      kills += s.miss_m <= c.spec.lethal_radius_m;
    }
    std::sort(miss.begin(), miss.end());
    std::printf("%s: miss median %.3f m, 90%% %.3f m, max %.3f m, kills %d/50 (R_L %.2f m)\n", name,
                miss[25], miss[45], miss[49], kills, c.spec.lethal_radius_m);
    EXPECT_GE(kills, 45) << name;
    EXPECT_LE(miss[45], c.spec.lethal_radius_m) << name;  // 90th percentile inside R_L
    EXPECT_GT(miss[25], 1e-3) << name;                    // the noise does act on the miss
  }
}

// The closest approach between steps against a fine-step reference: relative motion with
// acceleration and jerk over one terminal step (25 m of relative travel).
TEST(Interceptor, ClosestApproachBetweenStepsMatchesFineReference) {
  core::RandomStream rng(7, 0, "interceptor_test", "ca");
  for (int trial = 0; trial < 200; ++trial) {
    const double h = 0.005;
    const Vec3 miss_dir = Vec3(rng.Normal(), rng.Normal(), rng.Normal()).normalized();
    const Vec3 vel = Vec3(5000.0, 0.0, 0.0);
    const Vec3 m = (miss_dir - miss_dir.dot(vel.normalized()) * vel.normalized()).normalized() *
                   rng.Uniform(0.0, 3.0);
    const Vec3 acc(rng.Normal(0, 300), rng.Normal(0, 300), rng.Normal(0, 300));
    const Vec3 jerk(rng.Normal(0, 3000), rng.Normal(0, 3000), rng.Normal(0, 3000));
    const double t_ca = rng.Uniform(0.1 * h, 0.9 * h);
    // p(t) = m + vel (t - t_ca) + acc (t - t_ca)^2 / 2 + jerk (t - t_ca)^3 / 6
    const auto p = [&](double t) {
      const double d = t - t_ca;
      return Vec3(m + vel * d + acc * (0.5 * d * d) + jerk * (d * d * d / 6.0));
    };
    const auto v = [&](double t) {
      const double d = t - t_ca;
      return Vec3(vel + acc * d + jerk * (0.5 * d * d));
    };
    double ref = 1e300;
    for (int k = 0; k <= 200000; ++k) ref = std::min(ref, p(h * k / 200000.0).norm());
    double frac = -1.0;
    const double d = ClosestApproachInStep(p(0.0), v(0.0), p(h), v(h), h, &frac);
    // Hermite error is jerk h^4 / 384 ~ 2e-9 m; the fine grid resolves 5000 m/s x 2.5e-8 s =
    // 1.3e-4 m of travel, i.e. < 1e-5 m of distance near the minimum. Tolerance 1e-4 m.
    EXPECT_NEAR(d, ref, 1e-4) << trial;
    EXPECT_GT(frac, 0.0);
    EXPECT_LT(frac, 1.0);
  }
  // The nearer end when the distance is monotone over the step.
  double frac = -1.0;
  EXPECT_DOUBLE_EQ(ClosestApproachInStep(Vec3(100, 0, 0), Vec3(-10, 0, 0), Vec3(90, 0, 0),
                                         Vec3(-10, 0, 0), 1.0, &frac),
                   90.0);
  EXPECT_EQ(frac, 1.0);
}

// A bad PIP (5 km off the target's path) forces the exo KV to spend its divert: the propellant
// never goes negative and the lateral acceleration never exceeds its limit.
TEST(Interceptor, DivertPropellantAndLateralLimits) {
  Case c = ExoCase();
  const Target tgt = ExoTarget(c);
  const Vec3 pip = c.r_i + 5e3 * earth::EcefFromEnu(Vec3::UnitX(), earth::GeodeticFromEcef(c.r_i)) -
                   5e3 * earth::EcefFromEnu(Vec3::Zero(), earth::GeodeticFromEcef(c.r_i));
  const FlyoutPoint f = FlyToPoint(c.spec, kSite, pip);
  ASSERT_TRUE(f.reachable);
  Interceptor icpt(c.spec, kSite, c.t_i - f.time_of_flight_s, pip, c.t_i, 3);
  const TruthFunction truth = [&tgt](double t, Vec3* r, Vec3* v) { return tgt(t, r, v); };
  double min_prop = 1e9;
  for (double t = icpt.Time_s(); !icpt.Done(); t += 0.5) {
    icpt.Advance(t + 0.5, truth);  // no uplink: only the stale PIP
    min_prop = std::min(min_prop, icpt.Divert().propellant_kg);
    EXPECT_LE(icpt.LateralAccel_Ecef().norm(), icpt.LateralAccelLimit() * (1 + 1e-9) + 1e-9);
  }
  EXPECT_TRUE(icpt.KillVehicleSeparated());
  EXPECT_GE(min_prop, 0.0);  // BurnDivert clamps at burnout
  // The divert Delta-v booked equals the rocket equation's for the propellant burned (guidance.h).
  const double dv = c.spec.divert.isp_s * core::kG0_mps2 *
                    std::log(c.spec.kill_vehicle_mass_kg / icpt.Divert().mass_kg);
  EXPECT_NEAR(icpt.Divert().delta_v_used_mps, dv, 1e-6 * dv + 1e-9);
  // Ratio of applied to allowed lateral acceleration over every step: <= 1 (round-off 1e-12).
  EXPECT_LE(icpt.MaxLateralAccelRatio(), 1.0 + 1e-12);
  EXPECT_GT(icpt.Divert().delta_v_used_mps, 0.0);
}

// Staging: after each burnout the mass is exactly what sits above the spent stage.
TEST(Interceptor, StagingMassBookkeeping) {
  const InterceptorSpec s = Preset("exo");
  const Vec3 pip = PointNorth(250e3, 200e3);
  Interceptor icpt(s, kSite, 0.0, pip, 200.0, 1);
  const TruthFunction none;
  const double kv = s.kill_vehicle_mass_kg;
  EXPECT_DOUBLE_EQ(icpt.Mass_kg(), kv + 700.0 + 450.0 + 150.0);
  EXPECT_STREQ(icpt.PhaseName(), "boost");
  // Stage 1 burns [0, 8) s; just after its burnout: stages 2 and 3 and the KV.
  icpt.Advance(8.0 + 1e-6, none);
  EXPECT_NEAR(icpt.Mass_kg(), kv + 450.0 + 150.0, 1e-6);  // RK4 exact for dm/dt = const
  // Stage 2: ignition 9 s, burnout 27 s.
  icpt.Advance(27.0 + 1e-6, none);
  EXPECT_NEAR(icpt.Mass_kg(), kv + 150.0, 1e-6);
  EXPECT_FALSE(icpt.KillVehicleSeparated());
  // Stage 3: ignition 29 s, burnout 54 s; then the KV flies alone.
  icpt.Advance(54.0 + 1e-6, none);
  EXPECT_TRUE(icpt.KillVehicleSeparated());
  EXPECT_STREQ(icpt.PhaseName(), "midcourse");
  EXPECT_LE(icpt.Mass_kg(), kv);
  EXPECT_NEAR(icpt.Mass_kg(), icpt.Divert().mass_kg, 1e-12);
  EXPECT_GE(icpt.Mass_kg(), kv - s.divert_propellant_kg);
  // Terminal class: the KV does not separate, the last stage's dry mass stays.
  const InterceptorSpec t = Preset("terminal");
  Interceptor endo(t, kSite, 0.0, PointNorth(30e3, 15e3), 40.0, 1);
  endo.Advance(12.0 + 1e-6, none);
  EXPECT_FALSE(endo.KillVehicleSeparated());
  EXPECT_NEAR(endo.Mass_kg(), t.kill_vehicle_mass_kg + t.stages[0].DryMass_kg(), 1e-6);
}

TEST(Interceptor, FlyToPointReachabilityAndEnvelope) {
  const InterceptorSpec t = Preset("terminal");
  const FlyoutPoint in = FlyToPoint(t, kSite, PointNorth(30e3, 15e3));
  EXPECT_TRUE(in.reachable);
  EXPECT_LT(in.miss_m, 1.0);  // guidance to a fixed point converges
  EXPECT_GT(in.time_of_flight_s, 10.0);
  EXPECT_GT(in.speed_mps, t.min_intercept_speed_mps);
  // Outside the envelope: too high, too far.
  EXPECT_FALSE(FlyToPoint(t, kSite, PointNorth(30e3, 60e3)).reachable);
  EXPECT_FALSE(FlyToPoint(t, kSite, PointNorth(300e3, 15e3)).reachable);
  // Inside the nominal limits but out of energy: 90 km at 5 km altitude in dense air.
  EXPECT_FALSE(FlyToPoint(t, kSite, PointNorth(90e3, 5e3)).reachable);
  // Exo class refuses endo points (below its 100 km floor).
  EXPECT_FALSE(FlyToPoint(Preset("exo"), kSite, PointNorth(100e3, 50e3)).reachable);
}

// The boost steering (InterceptorSpec::boost_turn_altitude_m): a solid motor turns the
// interceptor only while it burns (thrust vectoring) or low in the air, so the heading error to
// the PIP must be gone by burnout. With the whole-flight gain N' / tgo^2 (the law before), a long
// shot leaves the boost too steep and passes far above the point: the terminal class at 90 km
// (25 km altitude) overflies it by ~15 km and the exo class at 1,000 km (200 km altitude) never
// closes. With the turn, both are reached (reach before: 70 km and 500 km; docs/engagement.md).
TEST(Interceptor, BoostSteeringExtendsTheReach) {
  struct Shot {
    const char* preset;
    double range_m, alt_m;
  };
  for (const Shot& c : {Shot{"terminal", 90e3, 25e3}, Shot{"exo", 1000e3, 200e3}}) {
    InterceptorSpec s = Preset(c.preset);
    const FlyoutPoint with = FlyToPoint(s, kSite, PointNorth(c.range_m, c.alt_m));
    EXPECT_TRUE(with.reachable) << c.preset;
    EXPECT_LT(with.miss_m, 1.0) << c.preset;  // guidance to a fixed point converges
    EXPECT_GT(with.speed_mps, s.min_intercept_speed_mps) << c.preset;
    s.boost_turn_altitude_m = 1e12;  // never turns: the old law
    EXPECT_FALSE(FlyToPoint(s, kSite, PointNorth(c.range_m, c.alt_m)).reachable) << c.preset;
  }
}

TEST(FlyoutTable, BilinearInterpolation) {
  FlyoutTable t;
  t.ground_ranges_m = {0.0, 10e3, 20e3};
  t.altitudes_m = {1e3, 5e3};
  // time = 1 + range/1000 + 2 alt/1000 is bilinear, so reproduced exactly inside.
  for (double x : t.ground_ranges_m)
    for (double y : t.altitudes_m) {
      t.times_s.push_back(1.0 + x / 1e3 + 2.0 * y / 1e3);
      t.speeds_mps.push_back(1000.0 + x / 100.0);
    }
  EXPECT_NEAR(*t.TimeOfFlight_s(15e3, 3e3), 1.0 + 15.0 + 6.0, 1e-12);
  EXPECT_NEAR(*t.TimeOfFlight_s(0.0, 1e3), 3.0, 1e-12);
  EXPECT_NEAR(*t.TimeOfFlight_s(20e3, 5e3), 31.0, 1e-12);  // the far corner
  EXPECT_NEAR(t.Speed_mps(5e3, 2e3), 1050.0, 1e-9);
  EXPECT_FALSE(t.TimeOfFlight_s(25e3, 3e3).has_value());  // off the grid
  EXPECT_FALSE(t.TimeOfFlight_s(5e3, 500.0).has_value());
  EXPECT_TRUE(std::isnan(t.Speed_mps(-1.0, 3e3)));
  // A NaN corner makes its cells unreachable, not the others.
  t.times_s[2 * 2 + 1] = std::numeric_limits<double>::quiet_NaN();  // (20 km, 5 km)
  EXPECT_FALSE(t.TimeOfFlight_s(15e3, 3e3).has_value());
  EXPECT_TRUE(t.TimeOfFlight_s(5e3, 3e3).has_value());
  // Non-bilinear data: the centre of a cell is the mean of its corners.
  t.times_s = {0.0, 4.0, 2.0, 10.0, 0.0, 0.0};
  EXPECT_NEAR(*t.TimeOfFlight_s(5e3, 3e3), 4.0, 1e-12);
}

TEST(FlyoutTable, BuiltFromFlyToPoint) {
  const InterceptorSpec s = Preset("terminal");
  const FlyoutTable t = MakeFlyoutTable(s, {0.0, 30e3, 60e3, 120e3}, {0.0, 15e3, 25e3, 40e3});
  ASSERT_EQ(t.times_s.size(), 16u);
  // Nodes outside the envelope are NaN without flying (120 km > 100 km; 0 < 1 km; 40 > 30 km).
  EXPECT_TRUE(std::isnan(t.TimeAt(3, 1)));
  EXPECT_TRUE(std::isnan(t.TimeAt(1, 0)));
  EXPECT_TRUE(std::isnan(t.TimeAt(1, 3)));
  // A node equals a direct fly-out to it (same reference site): exact, same computation.
  const FlyoutPoint f = FlyToPoint(s, kSite, PointNorth(30e3, 15e3));
  EXPECT_DOUBLE_EQ(t.TimeAt(1, 1), f.time_of_flight_s);
  EXPECT_DOUBLE_EQ(t.SpeedAt(1, 1), f.speed_mps);
  EXPECT_THROW(MakeFlyoutTable(s, {0.0}, {1e3, 2e3}), core::InputError);
}

TEST(InterceptorSpec, KillProbabilityFromLethalRadiusOrCurve) {
  InterceptorSpec s;
  s.lethal_radius_m = 0.5;
  EXPECT_EQ(s.KillProbability(0.5), 1.0);  // a step at the lethal radius without a curve
  EXPECT_EQ(s.KillProbability(0.5000001), 0.0);
  s.pk_curve_miss_m = {0.0, 1.0, 3.0};
  s.pk_curve_pk = {0.9, 0.5, 0.0};
  EXPECT_DOUBLE_EQ(s.KillProbability(0.0), 0.9);
  EXPECT_DOUBLE_EQ(s.KillProbability(0.25), 0.8);  // linear between points
  EXPECT_DOUBLE_EQ(s.KillProbability(2.0), 0.25);
  EXPECT_DOUBLE_EQ(s.KillProbability(10.0), 0.0);  // the last value beyond the curve
}

}  // namespace
}  // namespace hyperdef::engagement

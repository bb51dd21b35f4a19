// The sampled flights that assessment exposes for the engagement layer: FlyBallisticPath (the
// impact-point model's trajectory) and FlyGlideRay (one ray of the reachable footprint).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "assessment/footprint.h"
#include "assessment/impact_point.h"
#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"

namespace hyperdef::assessment {
namespace {

using core::kDegToRad;

// A ballistic state at 120 km, 3 km/s, 35 deg down, heading south (ECI = ECEF at t = 0 with
// the frame's zero rotation angle; the impact model works in ECI and does not care).
void BallisticStart(Vec3* r, Vec3* v) {
  *r = earth::EcefFromGeodetic({30.5 * kDegToRad, 10.0 * kDegToRad, 120e3});
  *v = flight::VelocityFromAngles(*r, 3000.0, -35.0 * kDegToRad, core::kPi);
}

// HTV-2-class glide start: 6 km/s Earth-relative, level, 40 km, heading east (ECEF).
void GlideStart(Vec3* r, Vec3* v) {
  *r = earth::EcefFromGeodetic({20.0 * kDegToRad, 30.0 * kDegToRad, 40e3});
  *v = flight::VelocityFromAngles(*r, 6000.0, 0.0, 0.5 * core::kPi);
}

TEST(FlyBallisticPath, EndIsFlyToGroundsImpactBitForBit) {
  Vec3 r, v;
  BallisticStart(&r, &v);
  for (const double beta : {0.0, 5000.0}) {
    ImpactOptions opt;
    opt.ballistic_coefficient_kgpm2 = beta;
    const double t0 = 250.0;
    double t_imp = 0.0;
    Vec3 r_imp;
    ASSERT_TRUE(FlyToGround(r, v, t0, opt, &t_imp, &r_imp));
    // Same integrator and steps (the sampler only reads the dense output): exactly equal.
    for (const double dt : {0.0, 1.0, 7.5}) {
      const BallisticPath p = FlyBallisticPath(r, v, t0, opt, dt);
      ASSERT_TRUE(p.flown);
      ASSERT_TRUE(p.landed);
      EXPECT_EQ(p.end.t_s, t_imp) << "beta " << beta << " dt " << dt;
      EXPECT_EQ(p.end.r_Eci, r_imp) << "beta " << beta << " dt " << dt;
      // The impact is on the ellipsoid: the event is located to 1e-6 s, < 1 cm at 3-4 km/s.
      EXPECT_NEAR(EllipsoidHeight_m(p.end.r_Eci), 0.0, 0.01);
      if (dt == 0.0) {
        EXPECT_TRUE(p.samples.empty());
        continue;
      }
      // Samples at t0 + k dt, strictly before the end and no later than one dt before it.
      ASSERT_FALSE(p.samples.empty());
      for (std::size_t k = 0; k < p.samples.size(); ++k) {
        EXPECT_EQ(p.samples[k].t_s, t0 + static_cast<double>(k) * dt);
      }
      EXPECT_LT(p.samples.back().t_s, p.end.t_s - 1e-9);
      EXPECT_GE(p.samples.back().t_s + dt, p.end.t_s - 1e-9);
      // The first sample is the start (dense output at theta = 0: round-off only).
      EXPECT_NEAR((p.samples[0].r_Eci - r).norm(), 0.0, 1e-6);
      EXPECT_NEAR((p.samples[0].v_Eci - v).norm(), 0.0, 1e-9);
    }
  }
}

TEST(FlyBallisticPath, SamplesLieOnTheFlownTrajectory) {
  // Restarting the flight from any sample lands where the whole flight lands: the samples are
  // states of the same trajectory. Tolerance: the dense output's interpolation error (4th order)
  // plus the re-integration's own error at rel. tol 1e-10 on ~6.4e6 m: below a millimetre (0.15 mm
  // seen); 1 cm and 1e-5 s (3 cm at the impact speed).
  Vec3 r, v;
  BallisticStart(&r, &v);
  ImpactOptions opt;
  opt.ballistic_coefficient_kgpm2 = 5000.0;
  const BallisticPath p = FlyBallisticPath(r, v, 0.0, opt, 13.0);
  ASSERT_TRUE(p.landed);
  ASSERT_GE(p.samples.size(), 5u);
  for (std::size_t k = 1; k < p.samples.size(); k += 2) {
    const BallisticSample& s = p.samples[k];
    double t_imp = 0.0;
    Vec3 r_imp;
    ASSERT_TRUE(FlyToGround(s.r_Eci, s.v_Eci, s.t_s, opt, &t_imp, &r_imp));
    EXPECT_NEAR(t_imp, p.end.t_s, 1e-5) << "sample " << k;
    EXPECT_NEAR((r_imp - p.end.r_Eci).norm(), 0.0, 0.01) << "sample " << k;
  }
}

TEST(FlyBallisticPath, VacuumSamplesKeepKeplerInvariants) {
  // Point-mass gravity, no drag: specific energy v^2/2 - mu/r and angular momentum r x v are
  // constants of the motion. rel_tol 1e-10 per step over a few steps, plus the 4th-order dense
  // output: relative drift ~1e-12 (energy) and ~3e-11 (momentum) seen; 1e-10 still catches a
  // sample from a wrong state (1 mm of height changes the energy by ~1.7e-10 relative).
  Vec3 r, v;
  BallisticStart(&r, &v);
  ImpactOptions opt;
  opt.gravity = earth::GravityModel::kPointMass;
  const BallisticPath p = FlyBallisticPath(r, v, 0.0, opt, 5.0);
  ASSERT_TRUE(p.landed);
  const double mu = core::kEarthMu_m3ps2;
  const double e0 = 0.5 * v.squaredNorm() - mu / r.norm();
  const Vec3 h0 = r.cross(v);
  for (const BallisticSample& s : p.samples) {
    const double e = 0.5 * s.v_Eci.squaredNorm() - mu / s.r_Eci.norm();
    EXPECT_NEAR(e / e0, 1.0, 1e-10) << "t " << s.t_s;
    EXPECT_NEAR((s.r_Eci.cross(s.v_Eci) - h0).norm() / h0.norm(), 0.0, 1e-10) << "t " << s.t_s;
  }
}

TEST(FlyBallisticPath, BelowGroundTimeLimitAndBadArguments) {
  Vec3 r, v;
  BallisticStart(&r, &v);
  ImpactOptions opt;
  // Below the ground: nothing flown, the end is the start.
  const Vec3 r_low = earth::EcefFromGeodetic({0.1, 0.2, -10.0});
  const BallisticPath low = FlyBallisticPath(r_low, v, 5.0, opt, 1.0);
  EXPECT_FALSE(low.flown);
  EXPECT_FALSE(low.landed);
  EXPECT_TRUE(low.samples.empty());
  EXPECT_EQ(low.end.t_s, 5.0);
  EXPECT_EQ(low.end.r_Eci, r_low);
  // Stopped by the time limit: not landed, the end at t0 + max_time_s, still above the ground.
  opt.max_time_s = 30.0;
  const BallisticPath cut = FlyBallisticPath(r, v, 5.0, opt, 10.0);
  EXPECT_TRUE(cut.flown);
  EXPECT_FALSE(cut.landed);
  EXPECT_EQ(cut.end.t_s, 35.0);
  EXPECT_GT(EllipsoidHeight_m(cut.end.r_Eci), 1e3);
  ASSERT_EQ(cut.samples.size(), 3u);  // 5, 15, 25; the one at 35 is the end itself
  EXPECT_EQ(cut.samples.back().t_s, 25.0);
  // Bad arguments.
  EXPECT_THROW(FlyBallisticPath(r, v, 0.0, opt, -1.0), std::invalid_argument);
  EXPECT_THROW(FlyBallisticPath(r, v, 0.0, opt, std::nan("")), std::invalid_argument);
  opt.max_step_s = 0.0;
  EXPECT_THROW(FlyBallisticPath(r, v, 0.0, opt, 1.0), std::invalid_argument);
}

TEST(FlyGlideRay, IsTheRayReachableFootprintFlies) {
  // ReachableFootprintOf flies its rays with FlyGlideRay's model from t = 0 and samples the
  // extreme ones every track_sample_s: the same ends and track vertices, exactly.
  Vec3 r, v;
  GlideStart(&r, &v);
  tracking::TrackingFrame frame;  // era0 = 0: ECI = ECEF at t = 0
  FootprintOptions opt;
  opt.num_rays = 5;
  const Footprint fp = ReachableFootprintOf(frame.PositionEci(r, 0.0), frame.VelocityEci(r, v, 0.0),
                                            frame, 0.0, opt);
  ASSERT_EQ(fp.ray_bank_rad.size(), 5u);
  ASSERT_FALSE(fp.star_fallback);
  const Vec3 r0 = frame.PositionEcef(frame.PositionEci(r, 0.0), 0.0);
  const Vec3 v0 = frame.VelocityEcef(frame.PositionEci(r, 0.0), frame.VelocityEci(r, v, 0.0), 0.0);
  for (std::size_t i = 0; i < fp.ray_bank_rad.size(); ++i) {
    const GlideRay ray = FlyGlideRay(r0, v0, 0.0, fp.ray_bank_rad[i], opt, 0.0);
    EXPECT_TRUE(ray.ended);
    EXPECT_TRUE(ray.samples.empty());
    const earth::Geodetic g = earth::GeodeticFromEcef(ray.end.r_Ecef);
    EXPECT_EQ(g.lat_rad, fp.ray_end_lat_lon_rad[i].first) << "ray " << i;
    EXPECT_EQ(g.lon_rad, fp.ray_end_lat_lon_rad[i].second) << "ray " << i;
  }
  // The polygon: origin, then the left-most ray's track points after its start.
  const GlideRay left = FlyGlideRay(r0, v0, 0.0, -opt.max_bank_rad, opt, opt.track_sample_s);
  ASSERT_GE(left.samples.size(), 3u);
  ASSERT_GE(fp.polygon_lat_lon_rad.size(), left.samples.size());
  for (std::size_t j = 1; j < left.samples.size(); ++j) {
    const earth::Geodetic g = earth::GeodeticFromEcef(left.samples[j].r_Ecef);
    EXPECT_EQ(g.lat_rad, fp.polygon_lat_lon_rad[j].first) << "vertex " << j;
    EXPECT_EQ(g.lon_rad, fp.polygon_lat_lon_rad[j].second) << "vertex " << j;
  }
}

TEST(FlyGlideRay, SamplesTerminalConditionAndBankSide) {
  Vec3 r, v;
  GlideStart(&r, &v);
  FootprintOptions opt;
  const double t0 = 1000.0, dt = 10.0;
  const GlideRay straight = FlyGlideRay(r, v, t0, 0.0, opt, dt);
  ASSERT_TRUE(straight.ended);
  ASSERT_GE(straight.samples.size(), 10u);
  for (std::size_t k = 0; k < straight.samples.size(); ++k) {
    EXPECT_EQ(straight.samples[k].t_s, t0 + static_cast<double>(k) * dt);
  }
  EXPECT_LT(straight.samples.back().t_s, straight.end.t_s - 1e-9);
  EXPECT_GE(straight.samples.back().t_s + dt, straight.end.t_s - 1e-9);
  EXPECT_NEAR((straight.samples[0].r_Ecef - r).norm(), 0.0, 1e-6);  // RK4 dense output at 0
  // The ray ends at the first terminal condition, located to the event tolerance (1e-3 s): the
  // speed falls by < 0.1 m/s and the height by < 1 m in that time.
  const double g_end = std::min(straight.end.v_Ecef.norm() - opt.terminal_speed_mps,
                                EllipsoidHeight_m(straight.end.r_Ecef) - opt.terminal_altitude_m);
  EXPECT_LE(g_end, 0.0);
  EXPECT_GT(g_end, -1.0);
  // The time origin only relabels the clock: from t = 0 the ray ends 1000 s earlier, at the same
  // place up to the event location (both within 1e-3 s after the root; < 7 m at <= 6 km/s).
  const GlideRay from_zero = FlyGlideRay(r, v, 0.0, 0.0, opt, 0.0);
  EXPECT_NEAR(from_zero.end.t_s + t0, straight.end.t_s, 1e-3);
  EXPECT_NEAR((from_zero.end.r_Ecef - straight.end.r_Ecef).norm(), 0.0, 7.0);
  // Positive bank turns right: the end lies on the right of the initial plane (whose normal
  // r x v points left), negative bank on the left, symmetric to a few percent (Coriolis).
  const Vec3 n_left = r.cross(v).normalized();
  const GlideRay right = FlyGlideRay(r, v, t0, opt.max_bank_rad, opt, 0.0);
  const GlideRay left = FlyGlideRay(r, v, t0, -opt.max_bank_rad, opt, 0.0);
  const double y_right = right.end.r_Ecef.dot(n_left), y_left = left.end.r_Ecef.dot(n_left);
  EXPECT_LT(y_right, -100e3);
  EXPECT_GT(y_left, 100e3);
  EXPECT_NEAR(-y_right / y_left, 1.0, 0.1);
}

TEST(FlyGlideRay, NotGlidingTimeLimitAndBadArguments) {
  Vec3 r, v;
  GlideStart(&r, &v);
  FootprintOptions opt;
  // Too slow: not flown; the end is the start.
  const Vec3 v_slow = v.normalized() * 500.0;
  const GlideRay slow = FlyGlideRay(r, v_slow, 3.0, 0.0, opt, 1.0);
  EXPECT_TRUE(slow.ended);
  EXPECT_TRUE(slow.samples.empty());
  EXPECT_EQ(slow.end.t_s, 3.0);
  EXPECT_EQ(slow.end.v_Ecef, v_slow);
  // Stopped by the time limit while still gliding.
  opt.max_time_s = 100.0;
  const GlideRay cut = FlyGlideRay(r, v, 3.0, 0.0, opt, 25.0);
  EXPECT_FALSE(cut.ended);
  EXPECT_EQ(cut.end.t_s, 103.0);
  EXPECT_GT(cut.end.v_Ecef.norm(), 5000.0);
  ASSERT_EQ(cut.samples.size(), 4u);  // 3, 28, 53, 78; the one at 103 is the end itself
  // Bad arguments.
  EXPECT_THROW(FlyGlideRay(r, v, 0.0, 0.0, opt, -1.0), std::invalid_argument);
  EXPECT_THROW(FlyGlideRay(r, v, 0.0, 0.0, opt, std::numeric_limits<double>::infinity()),
               std::invalid_argument);
  opt.step_s = 0.0;
  EXPECT_THROW(FlyGlideRay(r, v, 0.0, 0.0, opt, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::assessment

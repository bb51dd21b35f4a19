// Fire control: engagement windows against hand-computed bounds on a path built in closed form,
// no window outside the envelope (issue 5's validation), reaction time, Pk against the Rayleigh
// closed form, the end-game reach, the ballistic path against assessment's impact model, the
// glider's footprint rule, and the WTA problem built from windows.
#include "engagement/fire_control.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "assessment/impact_point.h"
#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/dynamics.h"

namespace hyperdef::engagement {
namespace {

constexpr double kV = 1000.0;  // stub fly-out: time of flight = ground range / kV

// Fly-out table with time = ground range / kV at every altitude (bilinear interpolation is then
// exact), over 0-100 km ground range and 0-40 km altitude.
FlyoutTable ConstantSpeedTable() {
  FlyoutTable t;
  for (int i = 0; i <= 10; ++i) t.ground_ranges_m.push_back(10e3 * i);
  for (int j = 0; j <= 4; ++j) t.altitudes_m.push_back(10e3 * j);
  for (double r : t.ground_ranges_m) {
    for (std::size_t j = 0; j < t.altitudes_m.size(); ++j) {
      t.times_s.push_back(r / kV);
      t.speeds_mps.push_back(kV);
    }
  }
  return t;
}

InterceptorSpec TerminalSpec() {
  InterceptorSpec s;
  s.id = "terminal";
  s.min_intercept_altitude_m = 5e3;
  s.max_intercept_altitude_m = 30e3;
  s.max_ground_range_m = 60e3;
  s.max_flight_time_s = 120.0;
  s.single_shot_pk = 0.8;
  s.seeker.acquisition_range_m = 20e3;
  s.seeker.field_of_view_half_angle_rad = 0.05;
  return s;
}

Battery MakeBattery(const FlyoutTable* table, double lat_deg = 30.0, double lon_deg = 10.0) {
  Battery b;
  b.id = "b1";
  b.site = {lat_deg * core::kDegToRad, lon_deg * core::kDegToRad, 0.0};
  b.interceptor = TerminalSpec();
  b.flyout = table;
  b.inventory = 8;
  b.reaction_time_s = 0.0;
  b.salvo_size = 1;
  b.launch_interval_s = 2.0;
  return b;
}

// Closed-form target: due north of the site on its meridian, ground range d(t) = d0 - u t
// (geodesic, exact), geodetic height h(t) = h0 - c t, sampled every second to the ground.
constexpr double kD0 = 150.3e3, kU = 1500.0, kH0 = 60e3, kC = 600.0;
Vec3 StraightTarget(const earth::Geodetic& site, double t) {
  double lat = 0.0, lon = 0.0;
  earth::GeodesicDirect(site.lat_rad, site.lon_rad, 0.0, kD0 - kU * t, &lat, &lon);
  return earth::EcefFromGeodetic({lat, lon, kH0 - kC * t});
}
ThreatPrediction StraightPath(const earth::Geodetic& site, double sigma_m = 0.0) {
  ThreatPrediction p;
  p.reaches_ground = true;
  p.track_time_s = 0.0;
  p.rv_covariance_Eci.topLeftCorner<3, 3>() = sigma_m * sigma_m * Mat3::Identity();
  const double t_imp = kH0 / kC;
  for (int k = 0; k <= static_cast<int>(t_imp); ++k) {
    const double t = k;
    const double dt = 1e-3;  // central difference: O(dt^2) ~ 1e-6 m/s on this smooth path
    ThreatSample s;
    s.t_s = t;
    s.r_Ecef = StraightTarget(site, t);
    s.v_Ecef = (StraightTarget(site, t + dt) - StraightTarget(site, t - dt)) / (2.0 * dt);
    p.path.push_back(s);
  }
  return p;
}

// Hand-computed window: t_L(t) = t - d(t)/kV = t (1 + u/kV) - d0/kV; valid intercept times
// t >= (d0 - 60 km)/u = 60.2 s (range), t >= (h0 - 30 km)/c = 50 s (ceiling),
// t <= (h0 - 5 km)/c = 91.667 s (floor), and t_L >= now + reaction.
double LaunchFor(double t) { return t * (1.0 + kU / kV) - kD0 / kV; }
double InterceptFor(double t_launch) { return (t_launch + kD0 / kV) / (1.0 + kU / kV); }
constexpr double kFirstIntercept = (kD0 - 60e3) / kU;
constexpr double kLastIntercept = (kH0 - 5e3) / kC;

FireControlOptions Precise() {
  FireControlOptions o;
  o.refine_tol_s = 1e-7;
  return o;
}

// Edge tolerance: bisection to 1e-7 s in t gives 2.5e-7 s in t_L; the Hermite interpolation
// between 1-s samples of this path is good to well under a millimetre (< 1e-6 s at 1.5 km/s).
constexpr double kEdgeTol_s = 1e-5;

TEST(FireControl, WindowMatchesHandComputedBounds) {
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table);
  const ThreatPrediction threat = StraightPath(b.site);
  const EngagementWindow w = ComputeWindow(b, threat, 0.0, Precise());
  ASSERT_TRUE(w.exists);
  EXPECT_NEAR(w.earliest_launch_s, LaunchFor(kFirstIntercept), kEdgeTol_s);  // 0.2 s
  EXPECT_NEAR(w.latest_launch_s, LaunchFor(kLastIntercept), kEdgeTol_s);     // 78.867 s
  EXPECT_NEAR(w.intercept_time_s, kFirstIntercept, kEdgeTol_s);
  // The PIP sits on the range edge: 60 km out at h0 - c t. 2 cm: kEdgeTol_s at 1.5 km/s.
  EXPECT_NEAR(w.intercept_ground_range_m, 60e3, 0.02);
  EXPECT_NEAR(w.intercept_altitude_m, kH0 - kC * kFirstIntercept, 0.02);
  EXPECT_NEAR((w.pip_Ecef - StraightTarget(b.site, kFirstIntercept)).norm(), 0.0, 0.05);
}

TEST(FireControl, DefaultToleranceStillBracketsTheWindow) {
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table);
  const EngagementWindow w = ComputeWindow(b, StraightPath(b.site), 0.0);
  ASSERT_TRUE(w.exists);
  // Default refine_tol_s = 1e-3 s in t: 2.5e-3 s in t_L, and the edge is on the valid side.
  EXPECT_NEAR(w.earliest_launch_s, LaunchFor(kFirstIntercept), 2.5e-3);
  EXPECT_GE(w.earliest_launch_s, LaunchFor(kFirstIntercept) - 1e-9);
  EXPECT_LE(w.latest_launch_s, LaunchFor(kLastIntercept) + 1e-9);
}

TEST(FireControl, ReactionTimeShiftsTheEarliestLaunch) {
  const FlyoutTable table = ConstantSpeedTable();
  Battery b = MakeBattery(&table);
  const ThreatPrediction threat = StraightPath(b.site);
  b.reaction_time_s = 10.0;
  EngagementWindow w = ComputeWindow(b, threat, 0.0, Precise());
  ASSERT_TRUE(w.exists);
  EXPECT_NEAR(w.earliest_launch_s, 10.0, kEdgeTol_s);
  EXPECT_NEAR(w.intercept_time_s, InterceptFor(10.0), kEdgeTol_s);  // 64.12 s
  EXPECT_NEAR(w.latest_launch_s, LaunchFor(kLastIntercept), kEdgeTol_s);
  // Deciding later shifts it again: now 20 s + reaction 10 s.
  w = ComputeWindow(b, threat, 20.0, Precise());
  ASSERT_TRUE(w.exists);
  EXPECT_NEAR(w.earliest_launch_s, 30.0, kEdgeTol_s);
  // A reaction longer than the last chance: no window.
  b.reaction_time_s = LaunchFor(kLastIntercept) + 0.5;
  EXPECT_FALSE(ComputeWindow(b, threat, 0.0, Precise()).exists);
}

TEST(FireControl, OutsideTheEnvelopeThereIsNoWindow) {
  // Issue 5 validation: "outside the envelope fire control finds no window".
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table);
  const ThreatPrediction threat = StraightPath(b.site);
  // Same path, battery 2 deg of longitude east (~190 km): beyond the 60 km ground range.
  const Battery far = MakeBattery(&table, 30.0, 12.0);
  EXPECT_FALSE(ComputeWindow(far, threat, 0.0).exists);
  // Altitude band the threat never enters while in range (it is above 23.9 km until
  // t = 60.2 s... and then below the band): a band of 40-45 km with the range edge at 60 km.
  Battery high = b;
  high.interceptor.min_intercept_altitude_m = 40e3;
  high.interceptor.max_intercept_altitude_m = 45e3;
  EXPECT_FALSE(ComputeWindow(high, threat, 0.0).exists);
  // The fly-out table marks everything unreachable.
  FlyoutTable dead = table;
  for (double& x : dead.times_s) x = std::nan("");
  const Battery no_fly = MakeBattery(&dead);
  EXPECT_FALSE(ComputeWindow(no_fly, threat, 0.0).exists);
  // Deciding after the threat has left the envelope.
  EXPECT_FALSE(ComputeWindow(b, threat, kLastIntercept + 1.0).exists);
}

TEST(FireControl, PkMatchesRayleighAndFallsWithCovariance) {
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table);
  FireControlOptions o = Precise();
  o.limit_cover_by_divert = false;  // cover radius = the seeker basket
  const double basket = 20e3 * std::tan(0.05);
  double last_pk = 1.0;
  for (double sigma : {1.0, 300.0, 1000.0, 3000.0}) {
    const EngagementWindow w = ComputeWindow(b, StraightPath(b.site, sigma), 0.0, o);
    ASSERT_TRUE(w.exists);
    // Isotropic position error sigma^2 I (no velocity error): its projection across any line of
    // sight is circular, so P(|e| <= R) = 1 - exp(-R^2 / (2 sigma^2)) (Rayleigh). 1e-8:
    // GaussianMassInCircle is accurate to 1e-9.
    const double expect = 0.8 * (1.0 - std::exp(-basket * basket / (2.0 * sigma * sigma)));
    EXPECT_NEAR(w.predicted_pk, expect, 1e-8) << "sigma " << sigma;
    EXPECT_LT(w.predicted_pk, last_pk + 1e-12);
    last_pk = w.predicted_pk;
  }
  EXPECT_LT(last_pk, 0.1);  // sigma = 3 basket radii: Pk = 0.8 (1 - e^-0.0557) = 0.043
  // min_pk excludes every launch when the track is that poor.
  o.min_pk = 0.5;
  EXPECT_FALSE(ComputeWindow(b, StraightPath(b.site, 3000.0), 0.0, o).exists);
  EXPECT_TRUE(ComputeWindow(b, StraightPath(b.site, 1.0), 0.0, o).exists);
}

TEST(FireControl, VelocityErrorGrowsThePositionErrorOpenLoop) {
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table);
  ThreatPrediction threat = StraightPath(b.site, 10.0);
  threat.rv_covariance_Eci.bottomRightCorner<3, 3>() = 20.0 * 20.0 * Mat3::Identity();
  // tau = 60.2 s: sigma = sqrt(10^2 + (20 * 60.2)^2) = 1204 m per axis.
  FireControlOptions o = Precise();
  o.limit_cover_by_divert = false;
  o.covariance_horizon_s = std::numeric_limits<double>::infinity();  // pure open loop
  const double pk_open = ComputeWindow(b, threat, 0.0, o).predicted_pk;
  const double basket = 20e3 * std::tan(0.05);
  const double s2 = 100.0 + std::pow(20.0 * kFirstIntercept, 2);
  // Tolerance: the intercept time is known to kEdgeTol_s, i.e. sigma to ~4e-4 m.
  EXPECT_NEAR(pk_open, 0.8 * (1.0 - std::exp(-basket * basket / (2.0 * s2))), 1e-6);
  o.covariance_horizon_s = 5.0;  // a track kept up to date: growth capped at 5 s
  const double pk_capped = ComputeWindow(b, threat, 0.0, o).predicted_pk;
  EXPECT_GT(pk_capped, pk_open + 0.1);
}

TEST(FireControl, EndGameCoverRadiusFromDivertReach) {
  InterceptorSpec s = TerminalSpec();
  const double basket = 20e3 * std::tan(0.05);                                    // 1000.8 m
  EXPECT_DOUBLE_EQ(EndGameCoverRadius_m(s, 5000.0, 2000.0, 20e3, true), basket);  // no model
  EXPECT_DOUBLE_EQ(EndGameCoverRadius_m(s, 5000.0, 2000.0, 20e3, false), basket);
  s.kill_vehicle_mass_kg = 50.0;
  s.divert.thrust_N = 5000.0;  // a = 100 m/s^2
  s.divert.isp_s = 250.0;
  s.divert_propellant_kg = 10.0;  // Delta-v = 250 g0 ln(50/40) = 547 m/s > a t_go = 400 m/s
  // t_go = 20 km / 5 km/s = 4 s: reach = a t_go^2 / 2 = 800 m < basket. Round-off only.
  EXPECT_NEAR(EndGameCoverRadius_m(s, 5000.0, 2000.0, 20e3, true), 800.0, 1e-9);
  s.divert_propellant_kg = 2.0;  // Delta-v = 100.08 m/s: burn 1 s, coast 3 s
  const double dv = 250.0 * core::kG0_mps2 * std::log(50.0 / 48.0);
  EXPECT_NEAR(EndGameCoverRadius_m(s, 5000.0, 2000.0, 20e3, true), dv * 4.0 - dv * dv / 200.0,
              1e-9);
}

// A ballistic missile descending over (30 N, 10 E) from 120 km at 3 km/s, 35 deg below the
// horizontal, heading south.
tracking::Gaussian BallisticTrack(const tracking::TrackingFrame& frame, double t0) {
  const Vec3 r_Ecef =
      earth::EcefFromGeodetic({30.5 * core::kDegToRad, 10.0 * core::kDegToRad, 120e3});
  const Vec3 v_Ecef =
      flight::VelocityFromAngles(r_Ecef, 3000.0, -35.0 * core::kDegToRad, core::kPi);
  tracking::Gaussian g;
  g.x.resize(6);
  g.x << frame.PositionEci(r_Ecef, t0), frame.VelocityEci(r_Ecef, v_Ecef, t0);
  g.P = tracking::StateMatrix::Identity(6, 6) * 25.0;
  g.t_s = t0;
  return g;
}

TEST(FireControl, BallisticPathFollowsTheImpactModel) {
  tracking::TrackingFrame frame;
  frame.era0_rad = 0.3;
  const double t0 = 100.0;
  const tracking::Gaussian track = BallisticTrack(frame, t0);
  assessment::ImpactOptions model;
  model.ballistic_coefficient_kgpm2 = 5000.0;
  const ThreatPrediction p = PredictBallisticPath(track, frame, t0, model, 1.0);
  ASSERT_TRUE(p.reaches_ground);
  ASSERT_GT(p.path.size(), 10u);
  // Same dynamics and integrator as assessment::FlyToGround: same impact. The sampler does not
  // change the steps, so the two agree to round-off (1e-6 s, 1 mm).
  double t_imp = 0.0;
  Vec3 r_imp_Eci;
  ASSERT_TRUE(assessment::FlyToGround(track.x.head<3>(), track.x.segment<3>(3), t0, model, &t_imp,
                                      &r_imp_Eci));
  EXPECT_NEAR(p.path.back().t_s, t_imp, 1e-6);
  EXPECT_NEAR((p.path.back().r_Ecef - frame.PositionEcef(r_imp_Eci, t_imp)).norm(), 0.0, 1e-3);
  // Samples every second from the track time, strictly increasing, starting at the track state.
  for (std::size_t k = 0; k + 1 < p.path.size(); ++k) {
    EXPECT_NEAR(p.path[k].t_s, t0 + static_cast<double>(k), 1e-9);
    EXPECT_LT(p.path[k].t_s, p.path[k + 1].t_s);
  }
  EXPECT_NEAR((p.path[0].r_Ecef - frame.PositionEcef(track.x.head<3>(), t0)).norm(), 0.0, 1e-6);
  // Hermite interpolation halfway between 1-s samples against the path sampled every 0.5 s
  // (the integrator's dense output): the cubic's error h^4 |d4r/dt4| / 384 is millimetres here.
  const ThreatPrediction fine = PredictBallisticPath(track, frame, t0, model, 0.5);
  ASSERT_NEAR(fine.path[21].t_s, t0 + 10.5, 1e-9);
  EXPECT_NEAR((p.StateAt(t0 + 10.5).r_Ecef - fine.path[21].r_Ecef).norm(), 0.0, 0.01);
  EXPECT_NEAR((p.StateAt(t0 + 10.5).v_Ecef - fine.path[21].v_Ecef).norm(), 0.0, 0.01);

  // A terminal battery at the predicted impact point has a window that ends before the impact.
  FlyoutTable table = ConstantSpeedTable();
  const earth::Geodetic g = earth::GeodeticFromEcef(p.path.back().r_Ecef);
  Battery b = MakeBattery(&table, g.lat_rad / core::kDegToRad, g.lon_rad / core::kDegToRad);
  b.reaction_time_s = 3.0;
  const EngagementWindow w = ComputeWindow(b, p, t0);
  ASSERT_TRUE(w.exists);
  EXPECT_GE(w.earliest_launch_s, t0 + 3.0 - 1e-9);
  EXPECT_LT(w.earliest_launch_s, w.latest_launch_s);
  EXPECT_LT(w.latest_launch_s, t_imp);
  EXPECT_GT(w.intercept_time_s, w.earliest_launch_s);
  EXPECT_GE(w.intercept_altitude_m, 5e3 - 1.0);  // 1 m: the edge refined to 1e-3 s
  EXPECT_LE(w.intercept_altitude_m, 30e3 + 1.0);
  EXPECT_LE(w.intercept_ground_range_m, 60e3 + 1.0);
  EXPECT_GT(w.predicted_pk, 0.0);
  EXPECT_LE(w.predicted_pk, 0.8);
}

// A glider at 40 km, 5 km/s, level, heading east from (30 N, 10 E).
tracking::Gaussian GliderTrack(const tracking::TrackingFrame& frame, double t0) {
  const Vec3 r_Ecef =
      earth::EcefFromGeodetic({30.0 * core::kDegToRad, 10.0 * core::kDegToRad, 40e3});
  const Vec3 v_Ecef = flight::VelocityFromAngles(r_Ecef, 5000.0, 0.0, 0.5 * core::kPi);
  tracking::Gaussian g;
  g.x.resize(6);
  g.x << frame.PositionEci(r_Ecef, t0), frame.VelocityEci(r_Ecef, v_Ecef, t0);
  g.P = tracking::StateMatrix::Identity(6, 6) * 100.0;
  g.t_s = t0;
  return g;
}

TEST(FireControl, GliderFootprintLowersPkAndNeverWidensTheWindow) {
  tracking::TrackingFrame frame;
  const double t0 = 0.0;
  assessment::FootprintOptions model;
  const ThreatPrediction p = PredictGliderPath(GliderTrack(frame, t0), frame, t0, model, 1.0);
  ASSERT_TRUE(p.manoeuvring);
  ASSERT_TRUE(p.reaches_ground);
  ASSERT_GT(p.path.size(), 100u);
  for (std::size_t k = 0; k + 1 < p.path.size(); ++k) ASSERT_LT(p.path[k].t_s, p.path[k + 1].t_s);
  // The fan opens: no spread now, kilometres after a minute, more later.
  EXPECT_EQ(p.path[0].manoeuvre_halfwidth_m, 0.0);
  const double w60 = p.StateAt(60.0).manoeuvre_halfwidth_m;
  EXPECT_GT(w60, 1e3);
  EXPECT_GT(p.StateAt(200.0).manoeuvre_halfwidth_m, w60);

  // Terminal battery on the straight ray's ground track, 20 km short of the impact.
  const earth::Geodetic imp = earth::GeodeticFromEcef(p.path.back().r_Ecef);
  double lat = 0.0, lon = 0.0;
  earth::GeodesicDirect(imp.lat_rad, imp.lon_rad, -0.5 * core::kPi, 20e3, &lat, &lon);
  const FlyoutTable table = ConstantSpeedTable();
  const Battery b = MakeBattery(&table, lat / core::kDegToRad, lon / core::kDegToRad);
  FireControlOptions o;
  const EngagementWindow w_glider = ComputeWindow(b, p, t0, o);
  ThreatPrediction straight = p;
  straight.manoeuvring = false;
  const EngagementWindow w_straight = ComputeWindow(b, straight, t0, o);
  ASSERT_TRUE(w_straight.exists);
  ASSERT_TRUE(w_glider.exists);
  // Track sigma 10 m, 10 m/s grown over the 30-s covariance horizon: ~300 m against a 1-km
  // basket, so the straight threat keeps most of the 0.8. The fan's half-width at the 30-s
  // manoeuvre horizon (~2.9 km, i.e. a 1.7-km sigma across the track) costs more than half.
  EXPECT_GT(w_straight.predicted_pk, 0.7);
  EXPECT_LT(w_glider.predicted_pk, 0.5 * w_straight.predicted_pk);
  EXPECT_GT(w_glider.predicted_pk, 0.0);
  EXPECT_LE(w_glider.latest_launch_s - w_glider.earliest_launch_s,
            w_straight.latest_launch_s - w_straight.earliest_launch_s + 1e-9);
  // A longer manoeuvre horizon (the interceptor re-plans more slowly) lowers the Pk further.
  o.glider_manoeuvre_horizon_s = 120.0;
  o.glider_worst_case_envelope = false;
  FireControlOptions o_short = o;
  o_short.glider_manoeuvre_horizon_s = 10.0;
  EXPECT_LT(ComputeWindow(b, p, t0, o).predicted_pk, ComputeWindow(b, p, t0, o_short).predicted_pk);
}

TEST(FireControl, MaxEngagementsFollowsDoctrine) {
  Battery b;
  b.salvo_size = 2;
  b.launch_interval_s = 2.0;
  EngagementWindow w;
  w.exists = true;
  w.earliest_launch_s = 100.0;
  w.latest_launch_s = 110.0;
  w.intercept_time_s = 120.0;
  WtaBuildOptions ss;
  // D = 10, a salvo busy (k - 1) dt = 2 s, salvos k dt = 4 s apart: starts at 0, 4, 8 -> 3.
  EXPECT_EQ(MaxEngagementsInWindow(b, w, ss), 3);
  w.latest_launch_s = 102.0;  // exactly one salvo
  EXPECT_EQ(MaxEngagementsInWindow(b, w, ss), 1);
  w.latest_launch_s = 101.0;  // not even one salvo of two
  EXPECT_EQ(MaxEngagementsInWindow(b, w, ss), 0);
  WtaBuildOptions sls;
  sls.doctrine = FireDoctrine::kShootLookShoot;
  sls.look_delay_s = 2.0;
  // S = 2 (k - 1) dt + T + look = 4 + 20 + 2 = 26 s, period S + dt = 28 s; D = 60 -> 2.
  w.latest_launch_s = 160.0;
  EXPECT_EQ(MaxEngagementsInWindow(b, w, sls), 2);
  w.latest_launch_s = 125.0;
  EXPECT_EQ(MaxEngagementsInWindow(b, w, sls), 0);
  w.exists = false;
  EXPECT_EQ(MaxEngagementsInWindow(b, w, ss), 0);
}

TEST(FireControl, WtaProblemRespectsInventoryAndWindows) {
  const FlyoutTable table = ConstantSpeedTable();
  std::vector<Battery> batteries{MakeBattery(&table), MakeBattery(&table, 31.0, 10.0)};
  batteries[0].inventory = 3;
  batteries[1].inventory = 1;
  const std::vector<double> values{10.0, 5.0, 1.0};
  std::vector<EngagementWindow> windows(6);
  auto window = [](double t0, double t1, double pk) {
    EngagementWindow w;
    w.exists = true;
    w.earliest_launch_s = t0;
    w.latest_launch_s = t1;
    w.intercept_time_s = t0 + 30.0;
    w.predicted_pk = pk;
    return w;
  };
  windows[0] = window(0.0, 10.0, 0.7);  // battery 0: 6 salvo slots at 2 s
  windows[1] = window(0.0, 0.0, 0.6);   // a single instant: 1 slot
  // windows[2]: no window
  windows[3] = window(0.0, 4.0, 0.9);  // battery 1: 3 slots
  windows[4] = window(5.0, 9.0, 0.5);
  windows[5] = window(1.0, 3.0, 0.4);
  const WtaProblem p = BuildWtaProblem(batteries, values, windows);
  EXPECT_EQ(p.num_batteries, 2);
  EXPECT_EQ(p.num_threats, 3);
  EXPECT_EQ(p.inventory, (std::vector<int>{3, 1}));
  EXPECT_EQ(p.threat_value, values);
  EXPECT_EQ(p.salvo_size, 1);
  EXPECT_EQ(p.battery_salvo_size, (std::vector<int>{1, 1}));
  EXPECT_EQ(p.pair(0, 0).max_engagements, 6);
  EXPECT_EQ(p.pair(0, 1).max_engagements, 1);
  EXPECT_FALSE(p.pair(0, 2).feasible);
  EXPECT_EQ(p.pair(0, 2).pk, 0.0);
  EXPECT_EQ(p.pair(1, 0).max_engagements, 3);
  EXPECT_DOUBLE_EQ(p.pair(1, 0).pk, 0.9);
  EXPECT_EQ(p.pair(1, 2).max_engagements, 2);
  for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
    EXPECT_TRUE(IsFeasibleAllocation(p, a.engagements));
    EXPECT_EQ(a.engagements_at(0, 2), 0);                           // no window, no shot
    EXPECT_LE(a.engagements_at(0, 1), 1);                           // the one-slot window
    EXPECT_LE(a.engagements_at(0, 0) + a.engagements_at(0, 1), 3);  // inventory
    EXPECT_LE(a.engagements_at(1, 0) + a.engagements_at(1, 1) + a.engagements_at(1, 2), 1);
  }
  // Shoot-look-shoot needs room for the look: 30 s of flight + 2 s look > every window here.
  WtaBuildOptions sls;
  sls.doctrine = FireDoctrine::kShootLookShoot;
  const WtaProblem q = BuildWtaProblem(batteries, values, windows, sls);
  for (const WtaPair& pair : q.pairs) EXPECT_FALSE(pair.feasible);
}

// Batteries with different salvo sizes: one problem, each battery's own k_i in its windows'
// engagement counts and in the WTA's kill probability and cost (before, BuildWtaProblem threw).
TEST(FireControl, WtaProblemWithMixedSalvoSizes) {
  const FlyoutTable table = ConstantSpeedTable();
  std::vector<Battery> batteries{MakeBattery(&table), MakeBattery(&table, 31.0, 10.0)};
  batteries[0].salvo_size = 1;
  batteries[1].salvo_size = 2;
  batteries[0].launch_interval_s = 2.0;
  batteries[1].launch_interval_s = 2.0;
  batteries[0].inventory = 4;
  batteries[1].inventory = 4;
  EngagementWindow w;
  w.exists = true;
  w.earliest_launch_s = 0.0;
  w.latest_launch_s = 10.0;
  w.intercept_time_s = 40.0;
  w.predicted_pk = 0.6;
  const WtaProblem p = BuildWtaProblem(batteries, {1.0}, {w, w});
  EXPECT_EQ(p.battery_salvo_size, (std::vector<int>{1, 2}));
  // D = 10 s at 2 s: single shots at 0, 2, ..., 10 -> 6; pairs start 4 s apart -> 3.
  EXPECT_EQ(p.pair(0, 0).max_engagements, 6);
  EXPECT_EQ(p.pair(1, 0).max_engagements, 3);
  EXPECT_NEAR(EngagementKillProbability(p, 0, 0), 0.6, 1e-15);
  EXPECT_NEAR(EngagementKillProbability(p, 1, 0), 1.0 - 0.4 * 0.4, 1e-15);
  EXPECT_EQ(EngagementCost(p, 1, 0), 2.0);
  const WtaAllocation a = SolveWtaGreedy(p);
  EXPECT_TRUE(IsFeasibleAllocation(p, a.engagements));
  EXPECT_EQ(a.engagements_at(0, 0), 4);  // every interceptor is worth firing at the one threat
  EXPECT_EQ(a.engagements_at(1, 0), 2);
}

TEST(FireControl, RejectsBadInput) {
  const FlyoutTable table = ConstantSpeedTable();
  Battery b = MakeBattery(&table);
  const ThreatPrediction threat = StraightPath(b.site);
  b.salvo_size = 0;
  try {
    ComputeWindow(b, threat, 0.0);
    ADD_FAILURE() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("salvo_size"), std::string::npos) << e.what();
  }
  b.salvo_size = 1;
  b.flyout = nullptr;
  EXPECT_THROW(ComputeWindow(b, threat, 0.0), std::invalid_argument);
  b.flyout = &table;
  FireControlOptions o;
  o.min_pk = 1.5;
  EXPECT_THROW(ComputeWindow(b, threat, 0.0, o), std::invalid_argument);
  EXPECT_THROW(BuildWtaProblem({b}, {1.0, 2.0}, std::vector<EngagementWindow>(1)),
               std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::engagement

#include "tracking/tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/random.h"
#include "earth/wgs84.h"
#include "tracking/measurement_models.h"

namespace hyperdef::tracking {
namespace {

using core::kDegToRad;

// A ground radar at (35 N, 135 E) in a tracking frame with era0 = 0; targets fly straight at
// 300-600 km range. Measurements are made from truth through the measurement model plus noise
// (the same path the sensors layer takes, without its detection physics).
struct RadarRig {
  TrackingFrame frame{0.0};
  earth::Geodetic site{35.0 * kDegToRad, 135.0 * kDegToRad, 0.0};
  double sigma_range_m = 30.0, sigma_angle_rad = 1e-3;

  Measurement Make(double t, const Vec3& r_Eci, core::RandomStream& rng, int detection) const {
    Measurement m;
    m.kind = MeasKind::kRadar;
    m.t_s = t;
    const Vec3 site_Ecef = earth::EcefFromGeodetic(site);
    m.sensor_r_Eci = frame.PositionEci(site_Ecef, t);
    m.sensor_v_Eci = frame.VelocityEci(site_Ecef, Vec3::Zero(), t);
    m.R_EnuFromEci = earth::R_EnuFromEcef(site.lat_rad, site.lon_rad) *
                     core::R_EciFromEcef(frame.EraAt(t)).transpose();
    m.R = MeasMatrix::Zero(3, 3);
    m.R.diagonal() << sigma_range_m * sigma_range_m, sigma_angle_rad * sigma_angle_rad,
        sigma_angle_rad * sigma_angle_rad;
    StateVector x = StateVector::Zero(6);
    x.head<3>() = r_Eci;
    m.z = MeasVector::Zero(3);  // the size tells the model: no range rate
    m.z = ModelFor(MeasKind::kRadar).Predict(x, m);
    m.z(0) += rng.Normal(0.0, sigma_range_m);
    m.z(1) += rng.Normal(0.0, sigma_angle_rad);
    m.z(2) += rng.Normal(0.0, sigma_angle_rad);
    m.detection_index = detection;
    return m;
  }
  // A point `range` away along (az, el) from the site, in the tracking frame at t.
  Vec3 Point(double t, double range, double az, double el) const {
    const Vec3 u_Enu(std::cos(el) * std::sin(az), std::cos(el) * std::cos(az), std::sin(el));
    const Vec3 p_Ecef =
        earth::EcefFromGeodetic(site) +
        earth::R_EnuFromEcef(site.lat_rad, site.lon_rad).transpose() * (range * u_Enu);
    return frame.PositionEci(p_Ecef, t);
  }
};

TrackerConfig CvConfig() {
  TrackerConfig c;
  c.filter = FilterKind::kEkf;
  c.model = "cv";
  c.model_params.cv.q_m2ps3 = 10.0;
  c.init_velocity_sigma_mps = 3000.0;
  return c;
}

// Two straight-flying targets and uniform clutter: two confirmed tracks, each on its target, ids
// that never change, no confirmed false track.
void RunTwoTargets(const TrackerConfig& config) {
  RadarRig rig;
  Tracker tracker(config, rig.frame);
  core::RandomStream rng(7, 0, "tracker-test", "radar");
  const Vec3 p0 = rig.Point(0.0, 400e3, 0.3, 0.2), p1 = rig.Point(0.0, 450e3, 0.6, 0.25);
  const Vec3 v0(1500.0, -800.0, 300.0), v1(-1000.0, 1200.0, -200.0);
  std::map<int, int> owner;  // detection index -> target (for this test's scoring)
  std::map<int, std::set<int>> track_targets;
  int det = 0;
  for (int k = 0; k <= 40; ++k) {
    const double t = k;
    std::vector<Measurement> ms;
    const Vec3 r0 = p0 + v0 * t, r1 = p1 + v1 * t;
    owner[det] = 0;
    ms.push_back(rig.Make(t, r0, rng, det++));
    owner[det] = 1;
    ms.push_back(rig.Make(t, r1, rng, det++));
    // Clutter: 3 plots per scan anywhere in a 600 km box of range and 1 rad of angles.
    for (int c = 0; c < 3; ++c) {
      Measurement m = rig.Make(t, r0, rng, det);
      m.z(0) = rng.Uniform(100e3, 700e3);
      m.z(1) = rng.Uniform(0.0, 1.0);
      m.z(2) = rng.Uniform(0.05, 0.5);
      owner[det++] = -1;
      ms.push_back(m);
    }
    tracker.ProcessFrame(t, ms);
    for (const TrackUpdateLog& u : tracker.TakeUpdateLog()) {
      for (int d : u.detection_indices) track_targets[u.track_id].insert(owner[d]);
    }
  }
  int confirmed = 0;
  std::set<int> targets_held;
  for (const Track& tr : tracker.Tracks()) {
    if (tr.status != TrackStatus::kConfirmed) continue;
    ++confirmed;
    // Every update of a confirmed track came from one target (the first may be its birth plot).
    std::set<int> from = track_targets[tr.id];
    from.erase(-1);
    ASSERT_EQ(from.size(), 1u) << "track " << tr.id << " mixed targets";
    targets_held.insert(*from.begin());
    const Vec3 truth = *from.begin() == 0 ? Vec3(p0 + v0 * 40.0) : Vec3(p1 + v1 * 40.0);
    const Gaussian g = tr.filter->Estimate();
    // Position error: 30 m range and 1 mrad x 400 km = 400 m cross-range noise, smoothed by the
    // filter; 1 km is a loose bound that a wrong association (km away) cannot meet.
    EXPECT_LT((Vec3(g.x.head<3>()) - truth).norm(), 1000.0);
    EXPECT_LT(tr.t_born_s, 5.0);  // born early and kept: ids never changed
  }
  EXPECT_EQ(confirmed, 2);
  EXPECT_EQ(targets_held.size(), 2u);
}

TEST(Tracker, GnnTwoTargetsInClutter) { RunTwoTargets(CvConfig()); }

TEST(Tracker, JpdaTwoTargetsInClutter) {
  TrackerConfig c = CvConfig();
  c.association = AssociationKind::kJpda;
  c.jpda_clutter_density = 3.0 / (600e3 * 1.0 * 0.45);
  RunTwoTargets(c);
}

TEST(Tracker, ImmTwoTargetsInClutter) {
  TrackerConfig c;  // default: IMM of CA, ballistic, glide
  RunTwoTargets(c);
}

// Angles only: three satellites see one glider-like target; the tracker triangulates it, confirms
// it on the third frame, and holds it to the accuracy the geometry allows.
TEST(Tracker, TriangulatesLinesOfSightFromThreeSatellites) {
  TrackingFrame frame{0.0};
  TrackerConfig config;
  config.filter = FilterKind::kEkf;
  config.model = "ca";
  Tracker tracker(config, frame);
  core::RandomStream rng(11, 0, "tracker-test", "los");
  const double R = core::kWgs84A_m;
  const Vec3 target0(R + 40e3, 0.0, 0.0), v_target(0.0, 5000.0, 0.0);
  const std::vector<Vec3> sats = {Vec3(R + 1000e3, -1500e3, 800e3),
                                  Vec3(R + 1000e3, 1500e3, -600e3),
                                  Vec3(R + 1200e3, 200e3, 1800e3)};
  const double sigma = 20e-6;
  int det = 0;
  for (int k = 0; k <= 30; ++k) {
    const double t = k;
    const Vec3 r = target0 + v_target * t;
    std::vector<Measurement> ms;
    for (size_t s = 0; s < sats.size(); ++s) {
      sensors::LosMeasurement los;
      los.t_s = t;
      const Vec3 u = (r - sats[s]).normalized();
      Vec3 e1 = u.cross(Vec3::UnitZ()).normalized(), e2 = u.cross(e1);
      los.u_Ecef = (u + rng.Normal(0.0, sigma) * e1 + rng.Normal(0.0, sigma) * e2).normalized();
      los.u_covariance = sigma * sigma * (Mat3::Identity() - los.u_Ecef * los.u_Ecef.transpose());
      los.sat_r_Ecef = frame.PositionEcef(sats[s], t);
      // The frame rotates: express the LOS in ECEF so that FromLos rotates it back.
      los.u_Ecef = core::R_EciFromEcef(frame.EraAt(t)).transpose() * los.u_Ecef;
      los.u_covariance = core::R_EciFromEcef(frame.EraAt(t)).transpose() * los.u_covariance *
                         core::R_EciFromEcef(frame.EraAt(t));
      Measurement m = FromLos(los, frame, 0.0);
      m.sensor_index = 0;
      m.platform_index = static_cast<int>(s);
      m.detection_index = det++;
      ms.push_back(m);
    }
    tracker.ProcessFrame(t, ms);
    if (k == 2) {
      ASSERT_EQ(tracker.Tracks().size(), 1u);
      EXPECT_EQ(tracker.Tracks()[0].status, TrackStatus::kConfirmed);
      EXPECT_EQ(tracker.Tracks()[0].initiated_by, "triangulation");
    }
  }
  ASSERT_EQ(tracker.Tracks().size(), 1u);
  const Gaussian g = tracker.Tracks()[0].filter->Estimate();
  const Vec3 truth = target0 + v_target * 30.0;
  // Geometry: ~1,500-2,000 km ranges x 20 urad = 30-40 m per line; three lines at wide angles
  // fix the point to ~30 m; the CA filter's lag on a straight path is nil. 200 m is 5 sigma.
  EXPECT_LT((Vec3(g.x.head<3>()) - truth).norm(), 200.0);
  // Velocity from 30 frames of ~30 m fixes: ~ a few m/s; 100 m/s would be a broken filter.
  EXPECT_LT((Vec3(g.x.tail<3>()) - v_target).norm(), 100.0);
  // Consistency: the filter's position covariance covers its error (chi-square 3 dof, 99.9 %).
  const Vec3 e = Vec3(g.x.head<3>()) - truth;
  EXPECT_LT(e.dot(Mat3(g.P.topLeftCorner<3, 3>()).ldlt().solve(e)), 16.27);
}

TEST(Tracker, DeletesAConfirmedTrackAfterItsCoastLimit) {
  RadarRig rig;
  TrackerConfig c = CvConfig();
  c.coast_limit_s = 5.0;
  Tracker tracker(c, rig.frame);
  core::RandomStream rng(3, 0, "tracker-test", "coast");
  const Vec3 p = rig.Point(0.0, 300e3, 1.0, 0.3), v(800.0, 0.0, 0.0);
  for (int k = 0; k < 10; ++k) tracker.ProcessFrame(k, {rig.Make(k, p + v * k, rng, k)});
  ASSERT_EQ(tracker.Tracks().size(), 1u);
  EXPECT_EQ(tracker.Tracks()[0].status, TrackStatus::kConfirmed);
  for (int k = 10; k <= 14; ++k) tracker.ProcessFrame(k, {});
  EXPECT_EQ(tracker.Tracks().size(), 1u);  // 14 - 9 = 5 s: not yet beyond the limit
  tracker.ProcessFrame(15, {});
  EXPECT_TRUE(tracker.Tracks().empty());  // 6 s > 5 s
}

TEST(Tracker, TentativeTrackOfOnePlotDies) {
  RadarRig rig;
  Tracker tracker(CvConfig(), rig.frame);
  core::RandomStream rng(5, 0, "tracker-test", "single");
  tracker.ProcessFrame(0.0, {rig.Make(0.0, rig.Point(0.0, 300e3, 1.0, 0.3), rng, 0)});
  ASSERT_EQ(tracker.Tracks().size(), 1u);
  EXPECT_EQ(tracker.Tracks()[0].status, TrackStatus::kTentative);
  for (int k = 1; k <= 4; ++k) tracker.ProcessFrame(k, {});
  EXPECT_TRUE(tracker.Tracks().empty());  // 1 hit in a 5-frame window cannot make 3
}

TEST(Tracker, ConfigValidationNamesTheField) {
  TrackerConfig c;
  c.confirm_hits = 6;
  c.confirm_window = 5;
  try {
    c.Validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("confirm_hits"), std::string::npos);
  }
}

}  // namespace
}  // namespace hyperdef::tracking

// A synthetic global raid for the benchmarks: 100 threats spread over the globe, one Walker
// space layer and up to four radars, built in code (no file), flown once and cached.
//
// The threats' tracks come from four flights flown once (two ICBM-class ballistic shapes, an
// HTV-2-class glider from an entry state, an MRBM-class ballistic missile), each replicated 25
// times and rotated about the Earth's axis by a different longitude (exact for the 3-DOF state in
// ECEF: the Earth's rotation and zonal gravity are symmetric about that axis). Sample times are
// shifted so that every flight is under way at t = 0; the ICBM and glider flights cover the whole
// 1,800 s, the MRBM ones about a third of it.
#pragma once

#include <fmt/format.h>

#include <Eigen/Geometry>
#include <cmath>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "core/constants.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"
#include "sim/run.h"
#include "sim/scenario.h"

namespace hyperdef::bench {

using core::kDegToRad;

inline constexpr double kRaidDuration_s = 1800.0;
inline constexpr int kRaidThreats = 100;

struct RaidOptions {
  int satellites = 1000;
  int planes = 20;
  double altitude_m = 1000e3;
  double inclination_rad = 60.0 * kDegToRad;
  int radars = 0;  // 0..4
  bool tracker = false;
  bool operator<(const RaidOptions& o) const {
    return std::tie(satellites, planes, altitude_m, inclination_rad, radars, tracker) <
           std::tie(o.satellites, o.planes, o.altitude_m, o.inclination_rad, o.radars, o.tracker);
  }
};

// The 1,000-satellite Walker 60 deg: 1000/20/1 layer at 1,000 km the benchmarks share, as a
// J2 secular batch.
inline orbits::J2SecularBatch ThousandSatellites() {
  orbits::WalkerConfig c;
  c.total = 1000;
  c.planes = 20;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 60.0 * kDegToRad;
  orbits::J2SecularBatch batch;
  for (const orbits::Satellite& s : orbits::MakeWalkerConstellation(c)) batch.Add(s.elements);
  return batch;
}

struct Raid {
  sim::ScenarioSpec spec;
  std::vector<threats::Trajectory> tracks;
};

inline threats::ThreatSpec Ballistic(const char* id, const char* preset, double lat0, double lon0,
                                     double lat1, double lon1, threats::TrajectoryShape shape) {
  threats::ThreatSpec t;
  t.id = id;
  t.threat_class = threats::ThreatClass::kBallistic;
  double payload = 0.0;
  sim::BoosterPreset(preset, &t.ballistic.booster, &payload);
  t.ballistic.rv.mass_kg = payload;
  t.ballistic.rv.ballistic_coefficient_kgpm2 = 10000.0;
  t.ballistic.shape = shape;
  t.launch = {lat0 * kDegToRad, lon0 * kDegToRad, 0.0};
  t.aim = {lat1 * kDegToRad, lon1 * kDegToRad, 0.0};
  return t;
}

inline threats::ThreatSpec Glider() {
  threats::ThreatSpec t;
  t.id = "hgv";
  t.threat_class = threats::ThreatClass::kBoostGlide;
  threats::StateSpec entry;
  entry.position = {-10.0 * kDegToRad, 20.0 * kDegToRad, 100e3};
  entry.speed_mps = 6500.0;
  entry.flight_path_rad = -3.0 * kDegToRad;
  t.boost_glide.entry = entry;
  t.launch = entry.position;
  t.aim = {-20.0 * kDegToRad, 120.0 * kDegToRad, 0.0};
  return t;
}

// Rotates a track about the Earth's z axis by dlon and shifts its times by dt.
inline threats::Trajectory Rotated(const threats::Trajectory& tr, const std::string& id,
                                   double dlon, double dt) {
  threats::Trajectory out = tr;
  out.threat_id = id;
  const Eigen::Matrix3d rz = Eigen::AngleAxisd(dlon, core::Vec3::UnitZ()).toRotationMatrix();
  for (threats::TrajectorySample& s : out.samples) {
    s.t_s += dt;
    s.x.head<3>() = rz * s.x.head<3>();
    s.x.segment<3>(3) = rz * s.x.segment<3>(3);
    s.lon_rad = std::remainder(s.lon_rad + dlon, core::kTwoPi);
  }
  return out;
}

// Built once: flying the four templates (two aimed ballistic flights) takes about a second.
inline const Raid& TheRaid(const RaidOptions& o) {
  static std::map<RaidOptions, std::unique_ptr<Raid>> cache;
  std::unique_ptr<Raid>& f = cache[o];
  if (f) return *f;
  f = std::make_unique<Raid>();
  sim::ScenarioSpec& spec = f->spec;
  spec.name = "bench-raid";
  spec.epoch = core::Epoch::FromUtc(2027, 1, 1, 0, 0, 0.0);
  spec.duration_s = kRaidDuration_s;
  spec.seed = 7;

  // Templates, flown once.
  spec.threats = {
      Ballistic("icbm-me", "icbm3", 40.0, 127.0, 47.0, -122.0,
                threats::TrajectoryShape::kMinimumEnergy),
      Ballistic("icbm-lo", "icbm3", 55.0, 40.0, 20.0, 110.0, threats::TrajectoryShape::kLofted),
      Glider(),
      Ballistic("mrbm", "mrbm2", -25.0, 0.0, -30.0, 12.0, threats::TrajectoryShape::kMinimumEnergy),
  };
  std::vector<threats::Trajectory> templates;
  for (size_t i = 0; i < spec.threats.size(); ++i) {
    templates.push_back(sim::SimulateThreat(spec, i));
  }
  std::vector<threats::ThreatSpec> base = spec.threats;
  spec.threats.clear();
  for (int k = 0; k < kRaidThreats; ++k) {
    const size_t j = static_cast<size_t>(k) % templates.size();
    threats::ThreatSpec t = base[j];
    t.id = fmt::format("t{}", k);
    const double dlon = core::kTwoPi * (static_cast<double>(k) / kRaidThreats) + 0.1 * j;
    // Start every flight 100 s before t = 0 (the boost is then half seen for the ICBMs), jittered.
    const double dt = -templates[j].samples.front().t_s - 100.0 + static_cast<double>(k % 7);
    f->tracks.push_back(Rotated(templates[j], t.id, dlon, dt));
    if (j == 0 || j == 1) {  // a cone RV's pattern (docs/scenario.md), for the radar variant
      t.rcs_aspect_dBsm = std::make_shared<const flight::Table1D>(
          std::vector<double>{0.0, 30.0 * kDegToRad, 90.0 * kDegToRad, 150.0 * kDegToRad,
                              core::kPi},
          std::vector<double>{-20.0, -17.0, 0.0, -10.0, -5.2});
    }
    spec.threats.push_back(t);
  }

  sim::SpaceLayerSpec layer;
  layer.sensor.id = "layer";
  orbits::WalkerConfig c;
  c.total = o.satellites;
  c.planes = o.planes;
  c.phasing = 1;
  c.altitude_m = o.altitude_m;
  c.inclination_rad = o.inclination_rad;
  c.id_prefix = "layer";
  layer.satellites = orbits::MakeWalkerConstellation(c);
  spec.space_layers.push_back(layer);

  // Up to four radars: two land X-band sites and two ships spread over the raid's longitudes.
  struct Site {
    const char* id;
    double lat_deg, lon_deg, alt_m, speed_mps;
  };
  const Site sites[] = {{"xband", 40.0, 140.0, 100.0, 0.0},
                        {"ship", -20.0, 60.0, 20.0, 7.7},
                        {"xband-2", 50.0, 10.0, 100.0, 0.0},
                        {"ship-2", 10.0, -150.0, 20.0, 7.7}};
  for (int k = 0; k < o.radars && k < 4; ++k) {
    sim::RadarSiteSpec r;
    r.radar.id = sites[k].id;
    r.radar.faces = {{0.0, 20.0 * kDegToRad, core::kPi, 45.0 * kDegToRad}};  // rotating
    r.radar.instrumented_range_m = 3.0e6;
    r.radar.peak_power_W = 4e5;
    r.radar.gain_dB = 48.0;
    r.radar.losses_dB = 6.0;
    r.radar.noise_temperature_K = 500.0;
    r.radar.pulse_width_s = 1e-3;
    r.radar.pfa = 1e-9;
    r.radar.beamwidth_rad = 0.5 * kDegToRad;
    r.site = {sites[k].lat_deg * kDegToRad, sites[k].lon_deg * kDegToRad, sites[k].alt_m};
    r.ship_speed_mps = sites[k].speed_mps;
    r.ship_course_rad = 45.0 * kDegToRad;
    if (sites[k].speed_mps > 0.0) r.radar.range_rate_sigma_mps0 = 5.0;
    spec.radars.push_back(r);
  }
  spec.tracker.enabled = o.tracker;
  return *f;
}

}  // namespace hyperdef::bench

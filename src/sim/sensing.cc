#include "sim/sensing.h"

#include <algorithm>
#include <cmath>

#include "core/random.h"
#include "orbits/j2_propagator.h"
#include "sensors/line_of_sight.h"

namespace hyperdef::sim {

using core::Vec3;

bool TargetAt(const threats::Trajectory& tr, const threats::ThreatSpec& spec, double t_s,
              sensors::TargetTruth* target) {
  const auto& s = tr.samples;
  if (s.size() < 2 || t_s < s.front().t_s || t_s > s.back().t_s) return false;
  auto it =
      std::lower_bound(s.begin(), s.end(), t_s,
                       [](const threats::TrajectorySample& a, double t) { return a.t_s < t; });
  if (it == s.begin()) ++it;
  const threats::TrajectorySample& a = *(it - 1);
  const threats::TrajectorySample& b = *it;
  const double w = b.t_s > a.t_s ? (t_s - a.t_s) / (b.t_s - a.t_s) : 1.0;
  const flight::State x = (1.0 - w) * a.x + w * b.x;
  target->id = tr.threat_id;
  target->t_s = t_s;
  target->r_Ecef = flight::PositionOf(x);
  target->v_Ecef = flight::VelocityOf(x);
  target->thrust_N = a.thrust_N;  // piecewise constant: the motor state of the interval's start
  target->surface_temperature_K = (1.0 - w) * a.surface_temperature_K + w * b.surface_temperature_K;
  target->radiating_area_m2 = spec.ir_area_m2;
  target->emissivity = spec.ir_emissivity;
  target->rcs_m2 = spec.rcs_m2;
  return true;
}

namespace {

// Stream purpose for one look: the purpose name, the threat and the frame index together.
std::uint64_t LookPurpose(const char* purpose, const std::string& threat_id, long frame) {
  return core::HashName(purpose) ^ (core::HashName(threat_id) * 0x9E3779B97F4A7C15ull) ^
         static_cast<std::uint64_t>(frame);
}

long FrameCount(double duration_s, double step_s) {
  return static_cast<long>(std::floor(duration_s / step_s + 1e-9)) + 1;
}

void SenseSpaceLayer(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                     const std::vector<threats::Trajectory>& trajectories, std::uint64_t rep,
                     SensingResult* out) {
  SensorStats stats;
  stats.sensor_id = layer.sensor.id;
  stats.kind = "space_ir";
  stats.platforms = static_cast<long>(layer.satellites.size());
  const orbits::J2SecularBatch batch = layer.Propagator();
  sensors::IrVisibilityCuller culler(layer.sensor);
  std::vector<Vec3> sats;
  std::vector<int> candidates;
  const long frames = FrameCount(spec.duration_s, layer.sensor.frame_time_s);
  for (long f = 0; f < frames; ++f) {
    const double t = static_cast<double>(f) * layer.sensor.frame_time_s;
    batch.PositionsEcef(spec.epoch, t, &sats);
    culler.SetSatellites(sats);
    const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, t);
    ++stats.frames;
    for (size_t k = 0; k < trajectories.size(); ++k) {
      sensors::TargetTruth target;
      if (!TargetAt(trajectories[k], spec.threats[k], t, &target)) continue;
      culler.Candidates(target.r_Ecef, &sun, &candidates);
      if (candidates.empty()) continue;
      const double intensity = sensors::TargetIntensity_W_per_sr(layer.sensor, target);
      int seen = 0;
      for (int c : candidates) {
        const orbits::Satellite& sat = layer.satellites[static_cast<size_t>(c)];
        core::RandomStream rng(spec.seed, rep, core::HashName(sat.id),
                               LookPurpose("ir-look", target.id, f));
        auto m = sensors::IrLook(layer.sensor, sats[static_cast<size_t>(c)], target, sun, false,
                                 rng, intensity);
        if (!m) continue;
        ++seen;
        m->sensor_id = layer.sensor.id;
        out->detections.push_back({t, layer.sensor.id, sat.id, false, *m, {}});
      }
      ThreatSensingStats& ts = stats.threats[target.id];
      ts.detections += seen;
      stats.detections += seen;
      if (seen > 0) {
        ++ts.frames_detected;
        if (ts.first_detection_s < 0.0) ts.first_detection_s = t;
      }
      if (seen >= 2) ++ts.frames_stereo;
    }
    for (size_t c = 0; c < sats.size(); ++c) {
      core::RandomStream rng(spec.seed, rep, core::HashName(layer.satellites[c].id),
                             LookPurpose("ir-false-alarms", "", f));
      for (sensors::LosMeasurement& m : sensors::IrFalseAlarms(layer.sensor, t, sats[c], rng)) {
        m.sensor_id = layer.sensor.id;
        out->detections.push_back({t, layer.sensor.id, layer.satellites[c].id, false, m, {}});
        ++stats.false_alarms;
      }
    }
  }
  out->stats.push_back(std::move(stats));
}

void SenseRadar(const ScenarioSpec& spec, const RadarSiteSpec& radar,
                const std::vector<threats::Trajectory>& trajectories, std::uint64_t rep,
                SensingResult* out) {
  SensorStats stats;
  stats.sensor_id = radar.radar.id;
  stats.kind = "radar";
  stats.platforms = 1;
  const long frames = FrameCount(spec.duration_s, radar.radar.revisit_s);
  for (long f = 0; f < frames; ++f) {
    const double t = static_cast<double>(f) * radar.radar.revisit_s;
    Vec3 v_site;
    const earth::Geodetic site = radar.SiteAt(t, &v_site);
    ++stats.frames;
    for (size_t k = 0; k < trajectories.size(); ++k) {
      sensors::TargetTruth target;
      if (!TargetAt(trajectories[k], spec.threats[k], t, &target)) continue;
      core::RandomStream rng(spec.seed, rep, core::HashName(radar.radar.id),
                             LookPurpose("radar-look", target.id, f));
      auto m = sensors::RadarLook(radar.radar, site, target, rng, v_site);
      if (!m) continue;
      m->sensor_id = radar.radar.id;
      ThreatSensingStats& ts = stats.threats[target.id];
      ++ts.detections;
      ++ts.frames_detected;
      if (ts.first_detection_s < 0.0) ts.first_detection_s = t;
      ++stats.detections;
      out->detections.push_back({t, radar.radar.id, radar.radar.id, true, {}, *m});
    }
    core::RandomStream rng(spec.seed, rep, core::HashName(radar.radar.id),
                           LookPurpose("radar-false-alarms", "", f));
    for (sensors::RadarMeasurement& m : sensors::RadarFalseAlarms(radar.radar, t, rng)) {
      m.sensor_id = radar.radar.id;
      out->detections.push_back({t, radar.radar.id, radar.radar.id, true, {}, m});
      ++stats.false_alarms;
    }
  }
  out->stats.push_back(std::move(stats));
}

}  // namespace

SensingResult SenseScenario(const ScenarioSpec& spec,
                            const std::vector<threats::Trajectory>& trajectories,
                            std::uint64_t replication) {
  SensingResult out;
  for (const SpaceLayerSpec& layer : spec.space_layers)
    SenseSpaceLayer(spec, layer, trajectories, replication, &out);
  for (const RadarSiteSpec& radar : spec.radars)
    SenseRadar(spec, radar, trajectories, replication, &out);
  // Time order across sensors; within a time, scenario sensor order and generation order.
  std::stable_sort(out.detections.begin(), out.detections.end(),
                   [](const Detection& a, const Detection& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace hyperdef::sim

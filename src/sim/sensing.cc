#include "sim/sensing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/random.h"
#include "orbits/j2_propagator.h"
#include "sensors/line_of_sight.h"

namespace hyperdef::sim {

using core::Vec3;

namespace {

// Index of the sample that ends the interval holding t_s: the first sample with time >= t_s, at
// least 1 (what std::lower_bound gives). `cursor` is where the previous search ended; frames
// advance monotonically, so the scan goes forward from it (O(1) amortised per frame instead of a
// binary search); a t_s before the cursor's interval restarts the scan from the beginning.
size_t IntervalEnd(const std::vector<threats::TrajectorySample>& s, double t_s, size_t* cursor) {
  size_t i = std::max<size_t>(*cursor, 1);
  if (s[i - 1].t_s >= t_s) i = 1;
  while (s[i].t_s < t_s) ++i;  // ends: s.back().t_s >= t_s (checked by the caller)
  *cursor = i;
  return i;
}

// The kinematic part of TargetAt (time, state, thrust, temperature); the id and the signature
// fields are left as they are.
bool InterpolateTruth(const threats::Trajectory& tr, double t_s, size_t* cursor,
                      sensors::TargetTruth* target) {
  const auto& s = tr.samples;
  if (s.size() < 2 || t_s < s.front().t_s || t_s > s.back().t_s) return false;
  const size_t i = IntervalEnd(s, t_s, cursor);
  const threats::TrajectorySample& a = s[i - 1];
  const threats::TrajectorySample& b = s[i];
  const double w = b.t_s > a.t_s ? (t_s - a.t_s) / (b.t_s - a.t_s) : 1.0;
  const flight::State x = (1.0 - w) * a.x + w * b.x;
  target->t_s = t_s;
  target->r_Ecef = flight::PositionOf(x);
  target->v_Ecef = flight::VelocityOf(x);
  target->thrust_N = a.thrust_N;  // piecewise constant: the motor state of the interval's start
  target->surface_temperature_K = (1.0 - w) * a.surface_temperature_K + w * b.surface_temperature_K;
  return true;
}

void SetSignature(const threats::Trajectory& tr, const threats::ThreatSpec& spec,
                  sensors::TargetTruth* target) {
  target->id = tr.threat_id;
  target->radiating_area_m2 = spec.ir_area_m2;
  target->emissivity = spec.ir_emissivity;
  target->rcs_m2 = spec.rcs_m2;
  target->rcs_aspect_dBsm = spec.rcs_aspect_dBsm;
}

}  // namespace

bool TargetAt(const threats::Trajectory& tr, const threats::ThreatSpec& spec, double t_s,
              sensors::TargetTruth* target) {
  size_t cursor = 1;
  if (!InterpolateTruth(tr, t_s, &cursor, target)) return false;
  SetSignature(tr, spec, target);
  return true;
}

namespace {

// Stream purpose for one look: the purpose name, the threat and the frame index together,
// HashName(purpose) ^ HashName(threat id) * golden ^ frame, with the hashes computed once.
std::uint64_t LookPurpose(std::uint64_t purpose_hash, std::uint64_t threat_hash, long frame) {
  return purpose_hash ^ (threat_hash * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(frame);
}
constexpr std::uint64_t kIrLook = core::HashName("ir-look");
constexpr std::uint64_t kIrFalseAlarms = core::HashName("ir-false-alarms");
constexpr std::uint64_t kRadarLook = core::HashName("radar-look");
constexpr std::uint64_t kRadarFalseAlarms = core::HashName("radar-false-alarms");
constexpr std::uint64_t kNoThreat = core::HashName("");

long FrameCount(double duration_s, double step_s) {
  return static_cast<long>(std::floor(duration_s / step_s + 1e-9)) + 1;
}

// Per-threat state kept across frames: the truth (id and signature set once) and the search
// cursor into its samples.
struct ThreatCursor {
  sensors::TargetTruth target;
  std::uint64_t id_hash = 0;
  size_t cursor = 1;
  ThreatSensingStats* stats = nullptr;  // of the current sensor
};

std::vector<ThreatCursor> MakeCursors(const ScenarioSpec& spec,
                                      const std::vector<threats::Trajectory>& trajectories) {
  std::vector<ThreatCursor> out(trajectories.size());
  for (size_t k = 0; k < trajectories.size(); ++k) {
    SetSignature(trajectories[k], spec.threats[k], &out[k].target);
    out[k].id_hash = core::HashName(trajectories[k].threat_id);
  }
  return out;
}

// Each sensor appends its detections, in time order, to its own vector: frames advance and all
// reports of a frame share its time.
void SenseSpaceLayer(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                     const std::vector<threats::Trajectory>& trajectories, std::uint64_t rep,
                     std::vector<Detection>* out, SensorStats* stats_out) {
  SensorStats& stats = *stats_out;
  stats.sensor_id = layer.sensor.id;
  stats.kind = "space_ir";
  stats.platforms = static_cast<long>(layer.satellites.size());
  const orbits::J2SecularBatch batch = layer.Propagator();
  sensors::IrVisibilityCuller culler(layer.sensor);
  std::vector<std::uint64_t> sat_hash;
  sat_hash.reserve(layer.satellites.size());
  for (const orbits::Satellite& sat : layer.satellites) sat_hash.push_back(core::HashName(sat.id));
  std::vector<ThreatCursor> threats = MakeCursors(spec, trajectories);
  std::vector<Vec3> sats;
  std::vector<int> candidates;
  const long frames = FrameCount(spec.duration_s, layer.sensor.frame_time_s);
  for (long f = 0; f < frames; ++f) {
    const double t = static_cast<double>(f) * layer.sensor.frame_time_s;
    batch.PositionsEcef(spec.epoch, t, &sats);
    culler.SetSatellites(sats);
    const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, t);
    ++stats.frames;
    for (ThreatCursor& th : threats) {
      const sensors::TargetTruth& target = th.target;
      if (!InterpolateTruth(trajectories[&th - threats.data()], t, &th.cursor, &th.target)) {
        continue;
      }
      culler.Candidates(target.r_Ecef, &sun, &candidates);
      stats.visible_pairs += static_cast<long>(candidates.size());
      if (candidates.empty()) continue;
      const double intensity = sensors::TargetIntensity_W_per_sr(layer.sensor, target);
      const std::uint64_t purpose = LookPurpose(kIrLook, th.id_hash, f);
      int seen = 0;
      for (int c : candidates) {
        const size_t ci = static_cast<size_t>(c);
        core::RandomStream rng(spec.seed, rep, sat_hash[ci], purpose);
        auto m = sensors::IrLook(layer.sensor, sats[ci], target, sun, false, rng, intensity);
        if (!m) continue;
        ++seen;
        Detection& d = out->emplace_back();
        d.t_s = t;
        d.sensor_id = layer.sensor.id;
        d.platform_id = layer.satellites[ci].id;
        d.is_radar = false;
        d.los = std::move(*m);
        d.los.sensor_id = layer.sensor.id;
      }
      if (!th.stats) th.stats = &stats.threats[target.id];
      ThreatSensingStats& ts = *th.stats;
      ts.detections += seen;
      stats.detections += seen;
      if (seen > 0) {
        ++ts.frames_detected;
        if (ts.first_detection_s < 0.0) ts.first_detection_s = t;
      }
      if (seen >= 2) ++ts.frames_stereo;
    }
    const std::uint64_t fa_purpose = LookPurpose(kIrFalseAlarms, kNoThreat, f);
    for (size_t c = 0; c < sats.size(); ++c) {
      core::RandomStream rng(spec.seed, rep, sat_hash[c], fa_purpose);
      for (sensors::LosMeasurement& m : sensors::IrFalseAlarms(layer.sensor, t, sats[c], rng)) {
        Detection& d = out->emplace_back();
        d.t_s = t;
        d.sensor_id = layer.sensor.id;
        d.platform_id = layer.satellites[c].id;
        d.is_radar = false;
        d.los = std::move(m);
        d.los.sensor_id = layer.sensor.id;
        ++stats.false_alarms;
      }
    }
  }
}

void SenseRadar(const ScenarioSpec& spec, const RadarSiteSpec& radar,
                const std::vector<threats::Trajectory>& trajectories, std::uint64_t rep,
                std::vector<Detection>* out, SensorStats* stats_out) {
  SensorStats& stats = *stats_out;
  stats.sensor_id = radar.radar.id;
  stats.kind = "radar";
  stats.platforms = 1;
  const std::uint64_t radar_hash = core::HashName(radar.radar.id);
  std::vector<ThreatCursor> threats = MakeCursors(spec, trajectories);
  const long frames = FrameCount(spec.duration_s, radar.radar.revisit_s);
  for (long f = 0; f < frames; ++f) {
    const double t = static_cast<double>(f) * radar.radar.revisit_s;
    Vec3 v_site;
    const earth::Geodetic site = radar.SiteAt(t, &v_site);
    ++stats.frames;
    for (ThreatCursor& th : threats) {
      if (!InterpolateTruth(trajectories[&th - threats.data()], t, &th.cursor, &th.target)) {
        continue;
      }
      core::RandomStream rng(spec.seed, rep, radar_hash, LookPurpose(kRadarLook, th.id_hash, f));
      auto m = sensors::RadarLook(radar.radar, site, th.target, rng, v_site);
      if (!m) continue;
      if (!th.stats) th.stats = &stats.threats[th.target.id];
      ThreatSensingStats& ts = *th.stats;
      ++ts.detections;
      ++ts.frames_detected;
      if (ts.first_detection_s < 0.0) ts.first_detection_s = t;
      ++stats.detections;
      Detection& d = out->emplace_back();
      d.t_s = t;
      d.sensor_id = radar.radar.id;
      d.platform_id = radar.radar.id;
      d.is_radar = true;
      d.radar = std::move(*m);
      d.radar.sensor_id = radar.radar.id;
    }
    core::RandomStream rng(spec.seed, rep, radar_hash,
                           LookPurpose(kRadarFalseAlarms, kNoThreat, f));
    for (sensors::RadarMeasurement& m : sensors::RadarFalseAlarms(radar.radar, t, rng)) {
      Detection& d = out->emplace_back();
      d.t_s = t;
      d.sensor_id = radar.radar.id;
      d.platform_id = radar.radar.id;
      d.is_radar = true;
      d.radar = std::move(m);
      d.radar.sensor_id = radar.radar.id;
      ++stats.false_alarms;
    }
  }
}

bool TimeOrdered(const std::vector<Detection>& v) {
  return std::is_sorted(v.begin(), v.end(),
                        [](const Detection& a, const Detection& b) { return a.t_s < b.t_s; });
}

}  // namespace

SensingResult SenseScenario(const ScenarioSpec& spec,
                            const std::vector<threats::Trajectory>& trajectories,
                            std::uint64_t replication) {
  SensingResult out;
  const size_t n_sensors = spec.space_layers.size() + spec.radars.size();
  std::vector<std::vector<Detection>> runs(n_sensors);
  out.stats.resize(n_sensors);
  size_t k = 0;
  for (const SpaceLayerSpec& layer : spec.space_layers) {
    SenseSpaceLayer(spec, layer, trajectories, replication, &runs[k], &out.stats[k]);
    ++k;
  }
  for (const RadarSiteSpec& radar : spec.radars) {
    SenseRadar(spec, radar, trajectories, replication, &runs[k], &out.stats[k]);
    ++k;
  }
  // Time order across sensors; within a time, scenario sensor order and generation order: what a
  // stable sort by time of the sensors' concatenated outputs gives, done as a merge of the
  // already time-ordered runs (each element moved once, not log2(n) times as by a sort).
  for (std::vector<Detection>& run : runs) {
    if (!TimeOrdered(run)) {
      std::stable_sort(run.begin(), run.end(),
                       [](const Detection& a, const Detection& b) { return a.t_s < b.t_s; });
    }
  }
  if (n_sensors == 1) {
    out.detections = std::move(runs[0]);
    return out;
  }
  size_t total = 0;
  for (const std::vector<Detection>& run : runs) total += run.size();
  out.detections.reserve(total);
  std::vector<size_t> head(n_sensors, 0);
  while (out.detections.size() < total) {
    double t_min = std::numeric_limits<double>::infinity();
    for (size_t s = 0; s < n_sensors; ++s) {
      if (head[s] < runs[s].size()) t_min = std::min(t_min, runs[s][head[s]].t_s);
    }
    for (size_t s = 0; s < n_sensors; ++s) {
      std::vector<Detection>& run = runs[s];
      while (head[s] < run.size() && run[head[s]].t_s <= t_min) {
        out.detections.push_back(std::move(run[head[s]++]));
      }
    }
  }
  return out;
}

}  // namespace hyperdef::sim

#include "sim/sensing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "core/error.h"
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
  // Random access: start the interval search at the binary-search answer (the first sample at or
  // after t_s), which IntervalEnd then accepts at once.
  const auto it =
      std::lower_bound(tr.samples.begin(), tr.samples.end(), t_s,
                       [](const threats::TrajectorySample& a, double t) { return a.t_s < t; });
  size_t cursor = std::max<size_t>(static_cast<size_t>(it - tr.samples.begin()), 1);
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
constexpr std::uint64_t kEphemeris = core::HashName("ephemeris");

long FrameCount(double duration_s, double step_s) {
  return static_cast<long>(std::floor(duration_s / step_s + 1e-9)) + 1;
}

// Per-threat state kept across frames: the truth (id and signature set once) and the search
// cursor into its samples.
struct ThreatCursor {
  sensors::TargetTruth target;
  std::uint64_t id_hash = 0;
  size_t cursor = 1;
  ThreatSensingStats* stats = nullptr;  // of the sensor owning the cursor
  // Band radiance L_band(T) at the surface temperature it was last computed for (a body
  // coasting in vacuum keeps its temperature from frame to frame; NaN: none yet).
  double band_T_K = std::numeric_limits<double>::quiet_NaN();
  double band_radiance = 0.0;
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

// Frame index of t_s for a sensor with frames k * step, k in [0, frames); -1 if t_s is none.
long FrameIndex(double t_s, double step_s, long frames) {
  const double k = std::nearbyint(t_s / step_s);
  if (!(k >= 0.0 && k < static_cast<double>(frames))) return -1;
  const long f = static_cast<long>(k);
  return static_cast<double>(f) * step_s == t_s ? f : -1;
}

void CountThreatFrame(ThreatCursor& th, SensorStats& stats, int seen, double t, bool stereo) {
  if (!th.stats) th.stats = &stats.threats[th.target.id];
  ThreatSensingStats& ts = *th.stats;
  ts.detections += seen;
  stats.detections += seen;
  if (seen > 0) {
    ++ts.frames_detected;
    if (ts.first_detection_s < 0.0) ts.first_detection_s = t;
  }
  if (stereo && seen >= 2) ++ts.frames_stereo;
}

}  // namespace

struct Sensing::LayerState {
  const SpaceLayerSpec* layer = nullptr;
  SensorStats* stats = nullptr;
  long frames = 0;
  orbits::J2SecularBatch batch;
  sensors::IrVisibilityCuller culler;
  std::vector<std::uint64_t> sat_hash;
  std::vector<ThreatCursor> threats;
  std::vector<Vec3> sats;                                      // scratch: positions of the frame
  double sats_t_s = std::numeric_limits<double>::quiet_NaN();  // the frame time of `sats`
  // Each satellite's ephemeris error (FrameEphemerisError), drawn at its first report of a frame:
  // valid for satellite i while eph_frame[i] is the frame's index.
  std::vector<Vec3> eph;
  std::vector<long> eph_frame;
  // False alarms per satellite and frame: Poisson mean and exp(-mean), once for the layer.
  double fa_mean = 0.0, fa_exp = 1.0;
  std::vector<sensors::IrCandidate> candidates;  // scratch: one threat's

  explicit LayerState(const SpaceLayerSpec& l) : layer(&l), culler(l.sensor) {}
};

struct Sensing::RadarState {
  const RadarSiteSpec* radar = nullptr;
  SensorStats* stats = nullptr;
  long frames = 0;
  std::uint64_t radar_hash = 0;
  std::vector<ThreatCursor> threats;
};

Sensing::Sensing(const ScenarioSpec& spec, const std::vector<threats::Trajectory>& trajectories,
                 std::uint64_t replication)
    : spec_(spec), trajectories_(trajectories), replication_(replication), sun_(spec.epoch) {
  HYPERDEF_ASSERT(trajectories.size() <= spec.threats.size());
  stats_.resize(spec.space_layers.size() + spec.radars.size());
  layers_.reserve(spec.space_layers.size());
  radars_.reserve(spec.radars.size());
  size_t k = 0;
  for (const SpaceLayerSpec& layer : spec.space_layers) {
    LayerState& st = layers_.emplace_back(layer);
    st.stats = &stats_[k++];
    st.stats->sensor_id = layer.sensor.id;
    st.stats->kind = "space_ir";
    st.stats->platforms = static_cast<long>(layer.satellites.size());
    st.frames = FrameCount(spec.duration_s, layer.sensor.frame_time_s);
    st.batch = layer.Propagator();
    st.sat_hash.reserve(layer.satellites.size());
    for (const orbits::Satellite& sat : layer.satellites) {
      st.sat_hash.push_back(core::HashName(sat.id));
    }
    st.threats = MakeCursors(spec, trajectories);
    st.eph.assign(layer.satellites.size(), Vec3::Zero());
    st.eph_frame.assign(layer.satellites.size(), -1);
    st.fa_mean = sensors::IrFalseAlarmMean(layer.sensor);
    st.fa_exp = std::exp(-st.fa_mean);
  }
  for (const RadarSiteSpec& radar : spec.radars) {
    RadarState& st = radars_.emplace_back();
    st.radar = &radar;
    st.stats = &stats_[k++];
    st.stats->sensor_id = radar.radar.id;
    st.stats->kind = "radar";
    st.stats->platforms = 1;
    st.frames = FrameCount(spec.duration_s, radar.radar.revisit_s);
    st.radar_hash = core::HashName(radar.radar.id);
    st.threats = MakeCursors(spec, trajectories);
  }
}

Sensing::~Sensing() = default;

std::vector<double> Sensing::FrameTimes() const {
  std::vector<double> t;
  auto add = [&t](double step_s, long frames) {
    for (long f = 0; f < frames; ++f) t.push_back(static_cast<double>(f) * step_s);
  };
  for (const LayerState& st : layers_) add(st.layer->sensor.frame_time_s, st.frames);
  for (const RadarState& st : radars_) add(st.radar->radar.revisit_s, st.frames);
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

Sensing::LayerFrame Sensing::SensedLayerFrame(std::size_t layer, double t_s) const {
  if (layer >= layers_.size() || layers_[layer].sats_t_s != t_s) return {};
  return {&layers_[layer].sats, &layers_[layer].culler};
}

void Sensing::SenseFrame(double t, std::vector<Detection>* out) {
  const std::uint64_t seed = spec_.seed, rep = replication_;
  std::optional<Vec3> sun_dir;  // once per frame time, shared by the layers
  for (LayerState& st : layers_) {
    const sensors::SpaceIrSpec& sensor = st.layer->sensor;
    const long f = FrameIndex(t, sensor.frame_time_s, st.frames);
    if (f < 0) continue;
    SensorStats& stats = *st.stats;
    const std::vector<orbits::Satellite>& satellites = st.layer->satellites;
    st.batch.PositionsEcef(spec_.epoch, t, &st.sats);
    st.culler.SetSatellites(st.sats);
    st.sats_t_s = t;
    if (!sun_dir) sun_dir = sun_.Ecef(t);
    const Vec3& sun = *sun_dir;
    ++stats.frames;
    // The satellite's ephemeris error of this frame, drawn once, at its first report.
    const auto ephemeris = [&st, &sensor, seed, rep, f](size_t i) -> const Vec3& {
      if (st.eph_frame[i] != f) {
        st.eph_frame[i] = f;
        st.eph[i] = FrameEphemerisError(sensor, seed, rep, st.sat_hash[i], f);
      }
      return st.eph[i];
    };
    for (size_t k = 0; k < st.threats.size(); ++k) {
      ThreatCursor& th = st.threats[k];
      const sensors::TargetTruth& target = th.target;
      if (!InterpolateTruth(trajectories_[k], t, &th.cursor, &th.target)) continue;
      st.culler.Candidates(target.r_Ecef, &sun, &st.candidates);
      stats.visible_pairs += static_cast<long>(st.candidates.size());
      if (st.candidates.empty()) continue;
      // The band integral once per target and frame (and not again while the temperature stays),
      // shared by every satellite's look.
      if (!(target.surface_temperature_K == th.band_T_K)) {
        th.band_T_K = target.surface_temperature_K;
        th.band_radiance = sensors::PlanckBandRadiance_W_per_m2_sr(
            sensor.band_lo_m, sensor.band_hi_m, target.surface_temperature_K);
      }
      const double intensity = sensors::TargetIntensity_W_per_sr(sensor, target, th.band_radiance);
      const std::uint64_t purpose = LookPurpose(kIrLook, th.id_hash, f);
      int seen = 0;
      for (const sensors::IrCandidate& c : st.candidates) {
        const size_t ci = static_cast<size_t>(c.satellite);
        const Vec3& sat_r = st.sats[ci];
        core::RandomStream rng(seed, rep, st.sat_hash[ci], purpose);
        // sensors::IrLook's steps, without establishing again what the cull settled
        // (sensors::IrCandidate); an unsettled pair goes through EvaluateIrLook's own tests.
        double snr;
        if (c.settled) {
          snr = sensors::VisibleIrSnr(sensor, sat_r, target.r_Ecef, c.range_m, intensity, false);
        } else {
          const sensors::IrLookGeometry g =
              sensors::EvaluateIrLook(sensor, sat_r, target, sun, false, intensity);
          if (!g.Visible()) continue;
          snr = g.snr;
        }
        const double measured_snr = snr + rng.Normal();
        if (!(measured_snr > sensor.snr_threshold)) continue;
        ++seen;
        Detection& d = out->emplace_back();
        d.t_s = t;
        d.sensor_id = sensor.id;
        d.platform_id = satellites[ci].id;
        d.is_radar = false;
        sensors::FillIrMeasurement(sensor, sat_r, ephemeris(ci), target, c.range_m, measured_snr,
                                   false, rng, &d.los);
      }
      CountThreatFrame(th, stats, seen, t, true);
    }
    const std::uint64_t fa_purpose = LookPurpose(kIrFalseAlarms, kNoThreat, f);
    for (size_t c = 0; c < st.sats.size(); ++c) {
      core::RandomStream rng(seed, rep, st.sat_hash[c], fa_purpose);
      // sensors::IrFalseAlarmCount(sensor, rng), with the mean and its exp computed once.
      const std::uint64_t count = rng.Poisson(st.fa_mean, st.fa_exp);
      if (count == 0) continue;
      for (sensors::LosMeasurement& m :
           sensors::IrFalseAlarms(sensor, t, st.sats[c], ephemeris(c), count, rng)) {
        Detection& d = out->emplace_back();
        d.t_s = t;
        d.sensor_id = sensor.id;
        d.platform_id = satellites[c].id;
        d.is_radar = false;
        d.los = std::move(m);
        d.los.sensor_id = sensor.id;
        ++stats.false_alarms;
      }
    }
  }
  for (RadarState& st : radars_) {
    const RadarSiteSpec& radar = *st.radar;
    const long f = FrameIndex(t, radar.radar.revisit_s, st.frames);
    if (f < 0) continue;
    SensorStats& stats = *st.stats;
    Vec3 v_site;
    const sensors::RadarSite site(radar.SiteAt(t, &v_site));  // once per frame, not per look
    ++stats.frames;
    for (size_t k = 0; k < st.threats.size(); ++k) {
      ThreatCursor& th = st.threats[k];
      if (!InterpolateTruth(trajectories_[k], t, &th.cursor, &th.target)) continue;
      core::RandomStream rng(seed, rep, st.radar_hash, LookPurpose(kRadarLook, th.id_hash, f));
      auto m = sensors::RadarLook(radar.radar, site, th.target, rng, v_site);
      if (!m) continue;
      CountThreatFrame(th, stats, 1, t, false);
      Detection& d = out->emplace_back();
      d.t_s = t;
      d.sensor_id = radar.radar.id;
      d.platform_id = radar.radar.id;
      d.is_radar = true;
      d.radar = std::move(*m);
      d.radar.sensor_id = radar.radar.id;
    }
    core::RandomStream rng(seed, rep, st.radar_hash, LookPurpose(kRadarFalseAlarms, kNoThreat, f));
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

Vec3 FrameEphemerisError(const sensors::SpaceIrSpec& sensor, std::uint64_t seed,
                         std::uint64_t replication, std::uint64_t satellite_hash, long frame) {
  core::RandomStream rng(seed, replication, satellite_hash,
                         kEphemeris ^ static_cast<std::uint64_t>(frame));
  return sensors::EphemerisError(sensor, rng);
}

SensingResult SenseScenario(const ScenarioSpec& spec,
                            const std::vector<threats::Trajectory>& trajectories,
                            std::uint64_t replication) {
  Sensing sensing(spec, trajectories, replication);
  SensingResult out;
  for (double t : sensing.FrameTimes()) sensing.SenseFrame(t, &out.detections);
  out.stats = sensing.Stats();
  return out;
}

}  // namespace hyperdef::sim

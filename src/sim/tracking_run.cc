#include "sim/tracking_run.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/error.h"
#include "core/random.h"
#include "earth/gravity.h"
#include "earth/wgs84.h"
#include "sensors/line_of_sight.h"
#include "tracking/distributed_tracker.h"
#include "tracking/measurement_models.h"
#include "tracking/set_metrics.h"

namespace hyperdef::sim {

namespace {

using core::Vec3;
using tracking::Measurement;
using tracking::TrackView;

constexpr int kTaskedPlatformOffset = 1000000;  // tasked scans are separate from wide ones

std::uint64_t LookPurpose(const char* purpose, const std::string& threat_id, long frame) {
  return core::HashName(purpose) ^ (core::HashName(threat_id) * 0x9E3779B97F4A7C15ull) ^
         static_cast<std::uint64_t>(frame);
}

// Frame times: every sensor's look times (exactly as sim::Sensing computes them, so that
// SenseFrame recognises them), and the cued modes', output and assessment steps, merged to the
// microsecond.
std::vector<double> FrameTimes(const ScenarioSpec& spec, const Sensing& sensing) {
  std::map<long long, double> ticks;  // microseconds -> the exact time
  for (double t : sensing.FrameTimes()) ticks.emplace(std::llround(t * 1e6), t);
  const auto add_grid = [&](double step) {
    const long n = static_cast<long>(std::floor(spec.duration_s / step + 1e-9));
    for (long f = 0; f <= n; ++f) {
      const double t = static_cast<double>(f) * step;
      ticks.emplace(std::llround(t * 1e6), t);
    }
  };
  for (const RadarSiteSpec& r : spec.radars)
    if (r.radar.track_capacity > 0) add_grid(r.track_revisit_s);
  add_grid(spec.outputs.step_s);
  std::vector<double> out;
  for (const auto& [tick, t] : ticks) out.push_back(t);
  return out;
}

// The cueing priority: the track whose position is least known is served first.
std::vector<const TrackView*> LargestErrorFirst(const std::vector<TrackView>& cues) {
  std::vector<const TrackView*> order;
  for (const TrackView& v : cues) order.push_back(&v);
  std::stable_sort(order.begin(), order.end(), [](const TrackView* a, const TrackView* b) {
    return a->rv.P.topLeftCorner<3, 3>().trace() > b->rv.P.topLeftCorner<3, 3>().trace();
  });
  return order;
}

bool OnGrid(double t, double step) {
  const double k = std::round(t / step);
  return std::abs(t - k * step) < 1e-6;
}

// Makes room for `adding` more elements in a list that grows through the run (detections, update
// log, output rows): when full, its capacity becomes the size projected to the run's end (the
// rate so far, extrapolated linearly from the elapsed share t / duration, plus 25 %, at most 16x),
// at least double. The lists grow in a few steps, and capacity never touched costs no memory pages,
// so most of the copies and page faults of doubling from empty are saved.
template <class T>
void ReserveProjected(std::vector<T>* v, size_t adding, double t_s, double duration_s) {
  const size_t need = v->size() + adding;
  if (need <= v->capacity()) return;
  const double share = duration_s > 0.0 ? std::clamp(t_s / duration_s, 1e-3, 1.0) : 1.0;
  const double projected = std::min(1.25 * static_cast<double>(need) / share, 16.0 * need);
  v->reserve(std::max({static_cast<size_t>(projected), need, 2 * v->capacity()}));
}

// Centralised: one tracker over every sensor's measurements. Distributed: one node per sensor
// (space layers, then radars) and a fusion centre (covariance intersection).
std::unique_ptr<tracking::TrackerInterface> MakeTracker(const ScenarioSpec& spec,
                                                        const tracking::TrackingFrame& frame) {
  if (!spec.tracker.distributed)
    return std::make_unique<tracking::Tracker>(spec.tracker.config, frame);
  const int nodes = static_cast<int>(spec.space_layers.size() + spec.radars.size());
  return std::make_unique<tracking::DistributedTracker>(std::max(nodes, 1), spec.tracker.config,
                                                        frame, spec.tracker.fusion);
}

class TrackingLoop {
 public:
  TrackingLoop(const ScenarioSpec& spec, std::vector<threats::Trajectory>* trajectories,
               SensingResult* sensing, std::uint64_t rep, bool keep_detections)
      : spec_(spec),
        keep_detections_(keep_detections),
        trajectories_(*trajectories),
        sensing_(sensing),
        rep_(rep),
        frame_{spec.epoch.EarthRotationAngle_rad()},
        tracker_(MakeTracker(spec, frame_)) {
    for (const SpaceLayerSpec& l : spec.space_layers) {
      propagators_.push_back(l.Propagator());
      std::unordered_map<std::string, int> index;
      for (size_t k = 0; k < l.satellites.size(); ++k)
        index[l.satellites[k].id] = static_cast<int>(k);
      platform_index_.push_back(std::move(index));
      cullers_.emplace_back(l.sensor);
    }
    if (spec.defense.enabled)
      engagement_ = std::make_unique<EngagementManager>(spec, frame_, trajectories, rep);
    for (size_t k = 0; k < spec.space_layers.size(); ++k)
      sensor_index_[spec.space_layers[k].sensor.id] = static_cast<int>(k);
    for (size_t k = 0; k < spec.radars.size(); ++k)
      sensor_index_[spec.radars[k].radar.id] = static_cast<int>(spec.space_layers.size() + k);
    for (size_t k = 0; k < trajectories_.size(); ++k) threat_index_[trajectories_[k].threat_id] = k;
    seen_.resize(trajectories_.size());
  }

  TrackingResult Run();

 private:
  Measurement ToMeasurement(const Detection& d, int detection_index) const;
  void TaskSpaceLayers(double t, const std::vector<TrackView>& cues, std::vector<Detection>* out);
  void TaskRadars(double t, const std::vector<TrackView>& cues, std::vector<Detection>* out);
  void Record(double t, TrackingResult* result);
  void Assess(double t, const std::vector<TrackView>& views, TrackingResult* result);
  void Note(const Detection& d);  // scoring's notes of a detection of all_
  void Score(TrackingResult* result);

  const ScenarioSpec& spec_;
  // Whether *sensing receives every detection (all_ grows through the run) or all_ holds one
  // frame's at a time (dropped_ before it).
  bool keep_detections_;
  const std::vector<threats::Trajectory>& trajectories_;  // shortened by kills (engagement_)
  std::unique_ptr<EngagementManager> engagement_;
  std::map<int, TrackThreat> track_threat_;  // latest assessment of each confirmed track
  SensingResult* sensing_;
  std::uint64_t rep_;
  tracking::TrackingFrame frame_;
  std::unique_ptr<tracking::TrackerInterface> tracker_;
  std::vector<orbits::J2SecularBatch> propagators_;
  sensors::SunDirectionTable sun_{spec_.epoch};
  std::vector<std::unordered_map<std::string, int>> platform_index_;
  std::vector<sensors::IrVisibilityCuller> cullers_;
  std::vector<Vec3> sats_scratch_;
  const Sensing* stream_ = nullptr;  // Run's streamed sensing
  std::unordered_map<std::string, int> sensor_index_;
  std::vector<Detection> all_;  // warning and tasked detections, in processing (time) order
  size_t dropped_ = 0;          // detections before all_[0] (kept elsewhere or not at all)
  // Scoring's view of all_, kept as the detections arrive (all_ is ~200 MB on the synthetic raid,
  // too large to scan again from the cache): the truth id of each detection (an index into
  // truth_ids_), and per threat the (time in ms, platform hash) of its wide-field satellite
  // detections (the stereo mask).
  std::vector<int> detection_truth_;
  std::vector<std::string> truth_ids_;
  std::unordered_map<std::string, int> truth_id_index_;
  std::unordered_map<std::string, size_t> threat_index_;
  // The last lookups of ToMeasurement and Note (a frame's detections come in long runs of one
  // sensor, one satellite and one truth: a string compare instead of a hash for most).
  struct LastLookup {
    bool valid = false;
    std::string key;
    int value = 0;
    bool Hit(const std::string& k) const { return valid && k == key; }
  };
  mutable LastLookup last_sensor_, last_platform_;
  mutable int last_platform_sensor_ = -1;
  LastLookup last_truth_;
  long last_truth_threat_ = -1;
  std::vector<std::vector<std::pair<long long, std::uint64_t>>> seen_;
  long tasked_ir_ = 0, tasked_radar_ = 0;
  std::vector<sensors::TargetTruth> targets_;  // this frame's truth, for the cued looks only
  std::vector<char> flying_;
  std::vector<double> intensity_;
  // Per-track history for the classifier: first time, highest altitude, last velocity samples.
  struct Features {
    double t_first_s = 0.0;
    double max_alt_m = -1e9;
    double min_alt_since_apogee_m = 1e12;
    double t_prev_s = -1.0;
    Vec3 v_prev_Eci = Vec3::Zero();
    double aero_accel_mps2 = 0.0;
  };
  std::map<int, Features> features_;
  std::map<int, assessment::ClassProbabilities> latest_class_;
};

Measurement TrackingLoop::ToMeasurement(const Detection& d, int detection_index) const {
  if (!last_sensor_.Hit(d.sensor_id))
    last_sensor_ = {true, d.sensor_id, sensor_index_.at(d.sensor_id)};
  const int sensor = last_sensor_.value;
  Measurement m;
  if (d.is_radar) {
    const RadarSiteSpec& r = spec_.radars[static_cast<size_t>(sensor) - spec_.space_layers.size()];
    Vec3 v_site;
    const earth::Geodetic site = r.SiteAt(d.t_s, &v_site);
    m = tracking::FromRadar(d.radar, site, v_site, frame_);
    m.platform_index = d.tasked ? 1 : 0;
  } else {
    m = tracking::FromLos(d.los, frame_, 0.0);
    if (sensor != last_platform_sensor_ || !last_platform_.Hit(d.platform_id)) {
      const auto& index = platform_index_[static_cast<size_t>(sensor)];
      const auto it = index.find(d.platform_id);
      last_platform_ = {true, d.platform_id, it == index.end() ? 0 : it->second};
      last_platform_sensor_ = sensor;
    }
    m.platform_index = last_platform_.value + (d.tasked ? kTaskedPlatformOffset : 0);
  }
  m.t_s = d.t_s;
  m.sensor_index = sensor;
  m.detection_index = detection_index;
  return m;
}

void TrackingLoop::Note(const Detection& d) {
  const std::string& truth = d.truth_id();
  if (!last_truth_.Hit(truth)) {
    auto [it, inserted] = truth_id_index_.try_emplace(truth, static_cast<int>(truth_ids_.size()));
    if (inserted) truth_ids_.push_back(truth);
    const auto threat = threat_index_.find(truth);
    last_truth_ = {true, truth, it->second};
    last_truth_threat_ = threat == threat_index_.end() ? -1 : static_cast<long>(threat->second);
  }
  detection_truth_.push_back(last_truth_.value);
  if (!d.is_radar && !d.tasked && !d.false_alarm() && last_truth_threat_ >= 0)
    seen_[static_cast<size_t>(last_truth_threat_)].push_back(
        {std::llround(d.t_s * 1e3), core::HashName(d.platform_id)});
}

// Narrow-field tasking: each confirmed track (largest position error first) gets up to
// `tasked_satellites_per_track` satellites that can see its predicted position and still have a
// free telescope (narrow_field_max_targets each), nearest first. A cued telescope looks along the
// predicted line of sight; every true target inside its narrow field gets a tasked look.
void TrackingLoop::TaskSpaceLayers(double t, const std::vector<TrackView>& cues,
                                   std::vector<Detection>* out) {
  if (cues.empty()) return;
  const std::vector<const TrackView*> order = LargestErrorFirst(cues);
  for (size_t l = 0; l < spec_.space_layers.size(); ++l) {
    const SpaceLayerSpec& layer = spec_.space_layers[l];
    const sensors::SpaceIrSpec& s = layer.sensor;
    if (s.narrow_field_max_targets == 0 || !OnGrid(t, s.frame_time_s)) continue;
    const long f = std::lround(t / s.frame_time_s);
    // The satellites where the streamed sensing of this frame put them (and its culler set to
    // them); propagated here only when that frame was not sensed at exactly t.
    Sensing::LayerFrame sensed = stream_->SensedLayerFrame(l, t);
    if (sensed.sats_r_Ecef == nullptr) {
      propagators_[l].PositionsEcef(spec_.epoch, t, &sats_scratch_);
      cullers_[l].SetSatellites(sats_scratch_);
      sensed = {&sats_scratch_, &cullers_[l]};
    }
    const std::vector<Vec3>& sats = *sensed.sats_r_Ecef;
    const sensors::IrVisibilityCuller& culler = *sensed.culler;
    const Vec3 sun = sun_.Ecef(t);
    std::vector<int> load(sats.size(), 0);
    // (satellite, threat) already looked at, satellite-major.
    std::vector<char> looked(sats.size() * trajectories_.size(), 0);
    const std::vector<sensors::TargetTruth>& targets = targets_;
    // The flying targets' positions, contiguous: the field test below runs for every (cue,
    // satellite, target).
    std::vector<size_t> flying;
    std::vector<Vec3> r_flying;
    for (size_t k = 0; k < trajectories_.size(); ++k) {
      if (!flying_[k]) continue;
      flying.push_back(k);
      r_flying.push_back(targets[k].r_Ecef);
    }
    intensity_.assign(trajectories_.size(), -1.0);  // in-band intensity, once per target and frame
    std::vector<int> candidates;
    std::vector<std::pair<double, int>> by_range;
    const double cos_half = std::cos(s.narrow_field_half_angle_rad);
    for (const TrackView* cue : order) {
      const Vec3 r_pred = frame_.PositionEcef(Vec3(cue->rv.x.head<3>()), t);
      culler.Candidates(r_pred, &sun, &candidates);
      by_range.clear();
      for (int c : candidates)
        if (load[static_cast<size_t>(c)] < s.narrow_field_max_targets)
          by_range.push_back({(r_pred - sats[static_cast<size_t>(c)]).norm(), c});
      // The nearest `take` only (distinct pairs: the same first ones as a full sort).
      const size_t take =
          std::min(by_range.size(), static_cast<size_t>(s.tasked_satellites_per_track));
      std::partial_sort(by_range.begin(), by_range.begin() + static_cast<std::ptrdiff_t>(take),
                        by_range.end());
      for (size_t q = 0; q < take; ++q) {
        const int c = by_range[q].second;
        ++load[static_cast<size_t>(c)];
        const Vec3& sat = sats[static_cast<size_t>(c)];
        const Vec3 boresight = (r_pred - sat).normalized();
        for (size_t q_k = 0; q_k < flying.size(); ++q_k) {
          const Vec3 p_SatTgt = r_flying[q_k] - sat;
          const double along = p_SatTgt.dot(boresight);
          if (along <= 0.0 || along * along < cos_half * cos_half * p_SatTgt.squaredNorm())
            continue;
          const size_t k = flying[q_k];
          char& seen_by_c = looked[static_cast<size_t>(c) * trajectories_.size() + k];
          if (seen_by_c) continue;  // another cue's field holds it too
          seen_by_c = 1;
          const orbits::Satellite& satellite = layer.satellites[static_cast<size_t>(c)];
          core::RandomStream rng(spec_.seed, rep_, core::HashName(satellite.id),
                                 LookPurpose("ir-tasked-look", targets[k].id, f));
          ++tasked_ir_;
          if (intensity_[k] < 0.0) intensity_[k] = sensors::TargetIntensity_W_per_sr(s, targets[k]);
          // The satellite's ephemeris error of this frame, shared with its wide-field reports.
          const Vec3 eph =
              FrameEphemerisError(s, spec_.seed, rep_, core::HashName(satellite.id), f);
          auto m = sensors::IrLook(s, sat, eph, targets[k], sun, true, rng, intensity_[k]);
          if (!m) continue;
          m->sensor_id = s.id;
          Detection d{t, s.id, satellite.id, false, *m, {}};
          d.tasked = true;
          out->push_back(std::move(d));
        }
      }
    }
  }
}

// Radar track mode: confirmed tracks the radar can see at their predicted position, largest
// error first, up to the radar's track capacity; a track dwell (SNR x track_snr_gain through
// more coherent pulses) on each, which reports every true target inside the beam around the cue.
void TrackingLoop::TaskRadars(double t, const std::vector<TrackView>& cues,
                              std::vector<Detection>* out) {
  if (cues.empty()) return;
  const std::vector<const TrackView*> order = LargestErrorFirst(cues);
  for (const RadarSiteSpec& r : spec_.radars) {
    if (r.radar.track_capacity == 0 || !OnGrid(t, r.track_revisit_s)) continue;
    const long f = std::lround(t / r.track_revisit_s);
    Vec3 v_site;
    const sensors::RadarSite site(r.SiteAt(t, &v_site));
    const Vec3& site_Ecef = site.r_Ecef;
    sensors::RadarSpec dwell = r.radar;
    dwell.coherent_pulses =
        std::max(1, static_cast<int>(std::lround(r.radar.coherent_pulses * r.track_snr_gain)));
    int used = 0;
    std::vector<char> looked(trajectories_.size(), 0);
    const double cos_beam = std::cos(r.radar.beamwidth_rad);
    for (const TrackView* cue : order) {
      if (used >= r.radar.track_capacity) break;
      const Vec3 r_pred = frame_.PositionEcef(Vec3(cue->rv.x.head<3>()), t);
      if (!sensors::RadarCanSee(r.radar, site, r_pred)) continue;
      ++used;
      const Vec3 boresight = (r_pred - site_Ecef).normalized();
      for (size_t k = 0; k < trajectories_.size(); ++k) {
        if (!flying_[k] || looked[k]) continue;
        const sensors::TargetTruth& target = targets_[k];
        const Vec3 u = (target.r_Ecef - site_Ecef).normalized();
        if (u.dot(boresight) < cos_beam) continue;
        looked[k] = 1;
        core::RandomStream rng(spec_.seed, rep_, core::HashName(r.radar.id),
                               LookPurpose("radar-track-look", target.id, f));
        ++tasked_radar_;
        auto m = sensors::RadarLook(dwell, site, target, rng, v_site);
        if (!m) continue;
        m->sensor_id = r.radar.id;
        Detection d{t, r.radar.id, r.radar.id, true, {}, *m};
        d.tasked = true;
        out->push_back(std::move(d));
      }
    }
  }
}

TrackingResult TrackingLoop::Run() {
  TrackingResult result;
  // Sensing streamed frame by frame, so that what happens in the loop (a kill) changes what
  // later frames see.
  Sensing sensing(spec_, trajectories_, rep_);
  stream_ = &sensing;
  std::vector<Measurement> ms;
  // The previous frame's warning and tasked detections: room is made ahead for this one's.
  size_t last_frame = 0, last_tasked = 0;
  // A frame's detections are written straight at the end of all_ (not copied there: each is
  // ~0.6 kB); the measurements and scoring notes are taken from them in place.
  const auto take = [&](size_t first, double t) {
    ReserveProjected(&detection_truth_, all_.size() - first, t, spec_.duration_s);
    for (size_t k = first; k < all_.size(); ++k) {
      ms.push_back(ToMeasurement(all_[k], static_cast<int>(dropped_ + k)));
      Note(all_[k]);
    }
  };
  for (double t : FrameTimes(spec_, sensing)) {
    ms.clear();
    if (!keep_detections_) {  // the previous frame's detections are no longer needed
      dropped_ += all_.size();
      all_.clear();
    }
    if (keep_detections_) ReserveProjected(&all_, 2 * last_frame + 64, t, spec_.duration_s);
    const size_t first = all_.size();
    sensing.SenseFrame(t, &all_);  // warning mode: wide-field IR, radar search
    last_frame = all_.size() - first;
    take(first, t);
    // Tasked looks cued by the confirmed tracks predicted to this frame.
    if (!tracker_->Empty()) {
      tracker_->PredictTo(t);
      const std::vector<TrackView> cues = tracker_->View(t, false);
      if (!cues.empty()) {  // the truth the cued sensors may see, interpolated once per frame
        targets_.resize(trajectories_.size());
        flying_.assign(trajectories_.size(), 0);
        for (size_t k = 0; k < trajectories_.size(); ++k)
          flying_[k] = TargetAt(trajectories_[k], spec_.threats[k], t, &targets_[k]);
      }
      if (keep_detections_) ReserveProjected(&all_, 2 * last_tasked + 64, t, spec_.duration_s);
      const size_t first_tasked = all_.size();
      TaskSpaceLayers(t, cues, &all_);
      TaskRadars(t, cues, &all_);
      last_tasked = all_.size() - first_tasked;
      take(first_tasked, t);
    }
    if (!ms.empty() || !tracker_->Empty()) tracker_->ProcessFrame(t, ms);
    std::vector<tracking::TrackUpdateLog> log = tracker_->TakeUpdateLog();
    ReserveProjected(&result.updates, log.size(), t, spec_.duration_s);
    for (tracking::TrackUpdateLog& u : log) result.updates.push_back(std::move(u));
    if (OnGrid(t, spec_.outputs.step_s)) Record(t, &result);
    if (engagement_) engagement_->Step(t, tracker_->View(t, false), track_threat_, tracker_.get());
  }
  stream_ = nullptr;
  if (engagement_) result.engagement = engagement_->Finish();
  result.detections = static_cast<long>(dropped_ + all_.size());
  if (keep_detections_) sensing_->detections = std::move(all_);
  sensing_->stats = sensing.Stats();
  result.tracks_initiated = tracker_->TracksInitiated();
  result.tasked_ir_looks = tasked_ir_;
  result.tasked_radar_looks = tasked_radar_;
  Score(&result);
  return result;
}

void TrackingLoop::Record(double t, TrackingResult* result) {
  const std::vector<TrackView> views = tracker_->View(t, true);
  if (result->mode_names.empty() && !views.empty() && views.front().mode_names)
    result->mode_names = *views.front().mode_names;
  ReserveProjected(&result->rows, views.size(), t, spec_.duration_s);
  // Earth-fixed: r_E = R r_I, v_E = R (v_I - w x r_I); Jacobian [[R, 0], [-R W, R]] (one per
  // output time).
  const double era = frame_.EraAt(t);
  const Eigen::Matrix3d R = core::R_EciFromEcef(era).transpose();
  Eigen::Matrix3d W;
  W << 0, -core::kEarthOmega_radps, 0, core::kEarthOmega_radps, 0, 0, 0, 0, 0;
  Eigen::Matrix<double, 6, 6> J = Eigen::Matrix<double, 6, 6>::Zero();
  J.topLeftCorner<3, 3>() = R;
  J.bottomLeftCorner<3, 3>() = -R * W;
  J.bottomRightCorner<3, 3>() = R;
  for (const TrackView& v : views) {
    TrackRow row;
    row.t_s = t;
    row.track_id = v.id;
    row.status = v.status;
    row.x_Eci = v.rv.x.head<6>();
    row.P_Eci = v.rv.P.topLeftCorner<6, 6>();
    row.x_Ecef = J * row.x_Eci;
    row.sigma_Ecef = (J * row.P_Eci * J.transpose()).diagonal().cwiseMax(0.0).cwiseSqrt();
    row.mode_probabilities = v.mode_probabilities;
    result->rows.push_back(std::move(row));
  }
  Assess(t, views, result);
}

void TrackingLoop::Assess(double t, const std::vector<TrackView>& views, TrackingResult* result) {
  const TrackerSpec& ts = spec_.tracker;
  const bool full = OnGrid(t, ts.assessment_step_s);
  const size_t first_row = result->rows.size() - views.size();
  for (size_t i = 0; i < views.size(); ++i) {
    const TrackView& v = views[i];
    if (v.status != tracking::TrackStatus::kConfirmed) continue;
    const Vec3 r_Eci = v.rv.x.head<3>(), v_Eci = v.rv.x.segment<3>(3);
    const Vec3 r_Ecef = frame_.PositionEcef(r_Eci, t);
    const Vec3 v_Ecef = frame_.VelocityEcef(r_Eci, v_Eci, t);
    const earth::Geodetic geo = earth::GeodeticFromEcef(r_Ecef);
    Features& f = features_[v.id];
    if (f.t_prev_s < 0.0) f.t_first_s = t;
    f.max_alt_m = std::max(f.max_alt_m, geo.h_m);
    if (geo.h_m < f.max_alt_m)
      f.min_alt_since_apogee_m = std::min(f.min_alt_since_apogee_m, geo.h_m);
    // Specific aerodynamic (and thrust) force: the velocity change not explained by gravity.
    if (f.t_prev_s >= 0.0 && t - f.t_prev_s >= 4.0) {
      const double dt = t - f.t_prev_s;
      const Vec3 g = earth::GravityAcceleration(r_Ecef, earth::GravityModel::kJ2);  // same in ECI
      const Vec3 g_Eci = core::R_EciFromEcef(frame_.EraAt(t)) * g;
      f.aero_accel_mps2 = ((v_Eci - f.v_prev_Eci) / dt - g_Eci).norm();
      f.t_prev_s = t;
      f.v_prev_Eci = v_Eci;
    } else if (f.t_prev_s < 0.0) {
      f.t_prev_s = t;
      f.v_prev_Eci = v_Eci;
    }
    assessment::ClassifierInput in;
    in.t_since_first_track_s = t - f.t_first_s;
    in.altitude_m = geo.h_m;
    in.speed_mps = v_Ecef.norm();
    in.max_altitude_m = f.max_alt_m;
    in.min_altitude_m_since_apogee =
        f.min_alt_since_apogee_m < 1e11 ? f.min_alt_since_apogee_m : geo.h_m;
    const Vec3 up = r_Ecef.normalized();
    in.vertical_speed_mps = v_Ecef.dot(up);
    in.specific_aero_accel_mps2 = f.aero_accel_mps2;
    in.flight_path_angle_rad =
        std::asin(std::clamp(in.vertical_speed_mps / std::max(in.speed_mps, 1.0), -1.0, 1.0));
    if (v.mode_names)
      for (size_t k = 0; k < v.mode_names->size(); ++k)
        in.mode_probabilities.push_back({(*v.mode_names)[k], v.mode_probabilities[k]});
    const assessment::ClassProbabilities cls = assessment::Classify(in);
    latest_class_[v.id] = cls;
    TrackRow& row = result->rows[first_row + i];
    row.class_name = assessment::ToString(cls.best);
    row.class_probability = cls.best_probability;
    if (!full) continue;
    TrackAssessment a;
    a.t_s = t;
    a.track_id = v.id;
    a.classes = cls;
    const tracking::Gaussian rv = v.rv;
    if (cls.best == assessment::ThreatClassEstimate::kBallistic) {
      assessment::ImpactOptions opt;
      opt.ballistic_coefficient_kgpm2 = ts.ballistic_coefficient_kgpm2;
      // Impact within 1 m of converged (impact_point_test), ~1/7 the cost of the defaults.
      opt.rel_tol = 1e-6;
      opt.max_step_s = 120.0;
      a.impact = assessment::PredictImpact(rv, frame_, opt);
      if (a.impact && a.impact->ok) {
        for (const AssetSpec& asset : spec_.assets)
          a.assets.push_back(
              {asset.id, assessment::AssetThreatProbabilityBallistic(
                             *a.impact, asset.lat_rad, asset.lon_rad, asset.radius_m)});
      }
    } else if (cls.best == assessment::ThreatClassEstimate::kBoostGlide) {
      assessment::FootprintOptions opt;
      opt.lift_to_drag = ts.glider_lift_to_drag;
      opt.beta_kgpm2 = ts.glider_ballistic_coefficient_kgpm2;
      opt.step_s = 10.0;  // ray ends within 1 km of converged steps (footprint_test), 1/5 the cost
      std::vector<assessment::AssetCircle> circles;
      for (const AssetSpec& asset : spec_.assets)
        circles.push_back({asset.lat_rad, asset.lon_rad, asset.radius_m});
      const std::uint64_t seed = spec_.seed ^ (rep_ * 0x9E3779B97F4A7C15ull) ^
                                 (static_cast<std::uint64_t>(v.id) << 32) ^
                                 static_cast<std::uint64_t>(std::llround(t * 1e3));
      const std::vector<double> p = assessment::AssetThreatProbabilitiesLinearised(
          rv, frame_, t, opt, circles, ts.threat_samples, seed, &a.footprint.emplace());
      for (size_t k = 0; k < spec_.assets.size(); ++k)
        a.assets.push_back({spec_.assets[k].id, p[k]});
    }
    // What the defence needs: the class and the value at stake (sum of asset value x threat
    // probability; 1 per threatening track when the scenario names no asset).
    const bool threatening = (cls.best == assessment::ThreatClassEstimate::kBallistic ||
                              cls.best == assessment::ThreatClassEstimate::kBoostGlide) &&
                             cls.best_probability >= spec_.defense.min_class_probability;
    TrackThreat threat;
    threat.ballistic = cls.best == assessment::ThreatClassEstimate::kBallistic;
    if (threatening) {
      threat.value = spec_.assets.empty() ? 1.0 : 0.0;
      for (size_t k = 0; k < a.assets.size() && k < spec_.assets.size(); ++k)
        threat.value += spec_.assets[k].value * a.assets[k].probability;
    }
    track_threat_[v.id] = threat;
    result->assessments.push_back(std::move(a));
  }
}

void TrackingLoop::Score(TrackingResult* result) {
  // Truth at the output times, in the tracking frame.
  std::vector<tracking::TruthPoint> truth;
  std::vector<double> times;
  {
    const long n = static_cast<long>(std::floor(spec_.duration_s / spec_.outputs.step_s + 1e-9));
    for (long k = 0; k <= n; ++k) times.push_back(static_cast<double>(k) * spec_.outputs.step_s);
  }
  truth.reserve(times.size() * trajectories_.size());
  for (double t : times) {
    for (size_t k = 0; k < trajectories_.size(); ++k) {
      flight::State x;
      threats::Phase phase;
      if (!trajectories_[k].StateAt(t, &x, &phase)) continue;
      tracking::TruthPoint p;
      p.t_s = t;
      p.id = trajectories_[k].threat_id;
      p.x.head<3>() = frame_.PositionEci(flight::PositionOf(x), t);
      p.x.tail<3>() = frame_.VelocityEci(flight::PositionOf(x), flight::VelocityOf(x), t);
      p.phase = threats::PhaseName(phase);
      p.class_name =
          assessment::ToString(spec_.threats[k].threat_class == threats::ThreatClass::kBallistic
                                   ? assessment::ThreatClassEstimate::kBallistic
                               : spec_.threats[k].threat_class == threats::ThreatClass::kBoostGlide
                                   ? assessment::ThreatClassEstimate::kBoostGlide
                                   : assessment::ThreatClassEstimate::kCruise);
      truth.push_back(std::move(p));
    }
  }
  // Track points and the measurement origins of their updates.
  std::vector<tracking::TrackPoint> points;
  points.reserve(result->rows.size());
  for (const TrackRow& r : result->rows) {
    tracking::TrackPoint p;
    p.t_s = r.t_s;
    p.track_id = r.track_id;
    p.confirmed = r.status == tracking::TrackStatus::kConfirmed;
    p.x = r.x_Eci;
    p.P = r.P_Eci;
    p.class_name = r.class_name;
    p.class_probability = r.class_probability;
    points.push_back(std::move(p));
  }
  // The updates' truths as indices into truth_ids_ (plus "" for an update without a detection).
  tracking::TrackHistoryTable history;
  history.names = truth_ids_;
  const int no_detection = static_cast<int>(history.names.size());
  history.names.push_back("");
  history.track_id.reserve(result->updates.size());
  history.t_s.reserve(result->updates.size());
  history.offsets.reserve(result->updates.size() + 1);
  std::vector<int> ids;
  for (const tracking::TrackUpdateLog& u : result->updates) {
    ids.clear();
    for (int i : u.detection_indices)
      ids.push_back(i >= 0 ? detection_truth_[static_cast<size_t>(i)] : no_detection);
    history.Add(u.track_id, u.t_s, ids);
  }
  tracking::ScoreTrackTruth(history, points);
  for (size_t i = 0; i < points.size(); ++i)
    result->rows[i].scored_truth_id = points[i].scored_truth_id;

  // Stereo mask: output times at which >= 2 satellites (any layer, wide field) detected a threat.
  // Per threat, the (time in ms, platform hash) pairs Note collected, sorted; a time with two
  // distinct platforms counts.
  std::vector<std::vector<std::pair<long long, std::uint64_t>>>& seen = seen_;
  std::vector<std::vector<long long>> stereo(trajectories_.size());
  for (size_t k = 0; k < seen.size(); ++k) {
    std::sort(seen[k].begin(), seen[k].end());
    for (size_t i = 1; i < seen[k].size(); ++i) {
      if (seen[k][i].first == seen[k][i - 1].first && seen[k][i].second != seen[k][i - 1].second &&
          (stereo[k].empty() || stereo[k].back() != seen[k][i].first))
        stereo[k].push_back(seen[k][i].first);
    }
  }
  std::vector<tracking::ThreatInfo> infos;
  for (size_t k = 0; k < trajectories_.size(); ++k) {
    tracking::ThreatInfo info;
    info.id = trajectories_[k].threat_id;
    info.launch_time_s = trajectories_[k].launch_time_s;
    double first = std::numeric_limits<double>::quiet_NaN();
    for (const SensorStats& s : sensing_->stats) {
      auto it = s.threats.find(info.id);
      if (it != s.threats.end() && it->second.first_detection_s >= 0.0 &&
          !(it->second.first_detection_s >= first))
        first = it->second.first_detection_s;
    }
    info.first_detection_time_s = first;
    for (long long ms : stereo[k]) {
      const double t = static_cast<double>(ms) * 1e-3;
      info.custody_mask.push_back({t, t});
    }
    infos.push_back(std::move(info));
  }
  tracking::MetricsConfig config;
  config.fire_control_sigma_m = spec_.tracker.fire_control_sigma_m;
  result->metrics = tracking::ComputeRunMetrics(truth, points, infos, config);

  // Set metrics per output time over confirmed tracks.
  // Truth and track rows are both in time order (built and recorded time by time): one merge
  // pass gathers each output time's positions.
  HYPERDEF_ASSERT(std::is_sorted(truth.begin(), truth.end(),
                                 [](const auto& a, const auto& b) { return a.t_s < b.t_s; }));
  HYPERDEF_ASSERT(std::is_sorted(points.begin(), points.end(),
                                 [](const auto& a, const auto& b) { return a.t_s < b.t_s; }));
  std::vector<Vec3> x, y;
  size_t next_truth = 0, next_point = 0;
  for (double t : times) {
    x.clear();
    y.clear();
    for (; next_truth < truth.size() && truth[next_truth].t_s <= t; ++next_truth)
      if (truth[next_truth].t_s == t) x.push_back(truth[next_truth].x.head<3>());
    for (; next_point < points.size() && points[next_point].t_s <= t; ++next_point)
      if (points[next_point].t_s == t && points[next_point].confirmed)
        y.push_back(points[next_point].x.head<3>());
    if (x.empty() && y.empty()) continue;
    const tracking::GospaResult g = tracking::Gospa(x, y, 10e3, 2.0);
    const double ospa = tracking::OspaFromGospa(g, 10e3, 2.0);  // the same assignment
    result->set_metrics.push_back({t, ospa, g.distance, std::sqrt(g.localisation),
                                   static_cast<double>(g.num_missed),
                                   static_cast<double>(g.num_false)});
  }
}

}  // namespace

TrackingResult RunTracking(const ScenarioSpec& spec, std::vector<threats::Trajectory>* trajectories,
                           SensingResult* sensing, std::uint64_t replication,
                           bool keep_detections) {
  TrackingLoop loop(spec, trajectories, sensing, replication, keep_detections);
  return loop.Run();
}

}  // namespace hyperdef::sim

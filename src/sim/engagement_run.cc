#include "sim/engagement_run.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>

#include "core/random.h"
#include "engagement/wta.h"
#include "sim/sensing.h"

namespace hyperdef::sim {

using core::Vec3;

namespace {

// Fly-out tables depend only on the interceptor class: built once per preset and process (a
// table is ~230 fly-outs), shared read-only afterwards.
const engagement::FlyoutTable& FlyoutFor(const BatterySpec& b) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<engagement::FlyoutTable>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<engagement::FlyoutTable>& t = cache[b.interceptor_preset];
  if (!t) t = std::make_unique<engagement::FlyoutTable>(engagement::MakeFlyoutTable(b.interceptor));
  return *t;
}

// A track not updated for this long is taken as gone (killed or lost): not engaged again.
constexpr double kStaleTrack_s = 3.0;
// A seeker pointed at a track's estimate sees a true threat only if it is this close to it.
constexpr double kSeekerBasket_m = 50e3;

// Appends the interceptor's current position to its recorded path (once per loop frame).
void RecordPath(const engagement::Interceptor& in, ShotRecord* record) {
  const double t = in.Time_s();
  if (record->path.empty() || t > record->path.back().t_s)
    record->path.push_back({t, in.Position_Ecef()});
}

// At the end of a flight: the interceptor's position at the closest approach and, if the flight
// ended there, the path cut at it. Within the last integration step (<= 0.5 s; 1-10 ms in
// terminal homing) the position is back-extrapolated along the velocity (error |a| h^2 / 2);
// further back (no_intercept: the best sample may be long before the end) it is interpolated
// linearly between the recorded frames.
void FinishPath(const engagement::Interceptor& in, ShotRecord* record) {
  const double ti = record->intercept_time_s;
  std::vector<PathPoint>& path = record->path;
  if (!std::isfinite(ti) || path.empty() || ti < path.front().t_s) return;
  Vec3 r_ca = path.back().r_Ecef;
  if (in.Time_s() - ti <= 0.5) {
    r_ca = in.Position_Ecef() - in.Velocity_Ecef() * (in.Time_s() - ti);
  } else {
    for (size_t k = 1; k < path.size(); ++k) {
      if (path[k].t_s < ti) continue;
      const double u = (ti - path[k - 1].t_s) / (path[k].t_s - path[k - 1].t_s);
      r_ca = path[k - 1].r_Ecef + u * (path[k].r_Ecef - path[k - 1].r_Ecef);
      break;
    }
  }
  record->closest_approach_Ecef = r_ca;
  if (in.EndReason() != engagement::InterceptorEnd::kClosestApproach) return;
  while (path.size() > 1 && path.back().t_s >= ti) path.pop_back();
  if (path.back().t_s < ti) path.push_back({ti, r_ca});
}

}  // namespace

// The threat's predicted path with the class models the tracker's assessment assumes.
engagement::ThreatPrediction EngagementManager::Predict(const tracking::Gaussian& rv,
                                                        bool ballistic, double t_s) const {
  const TrackerSpec& ts = spec_.tracker;
  if (ballistic) {
    assessment::ImpactOptions model;
    model.ballistic_coefficient_kgpm2 = ts.ballistic_coefficient_kgpm2;
    // 1e-7 (not the impact model's 1e-10): the path is sampled every second for windows and
    // PIPs, whose errors are the track's (tens of metres); the looser tolerance moves the path
    // by < 1 m (the assessment's loop setting, assessment/test/impact_point_test.cc).
    model.rel_tol = 1e-7;
    return engagement::PredictBallisticPath(rv, frame_, t_s, model);
  }
  assessment::FootprintOptions model;
  model.lift_to_drag = ts.glider_lift_to_drag;
  model.beta_kgpm2 = ts.glider_ballistic_coefficient_kgpm2;
  // 10 s RK4 steps (not the default 2 s): the glide rays' ends stay within 1 km of converged
  // steps (assessment/test/footprint_test.cc) for a fifth of the cost, as in the assessment.
  model.step_s = 10.0;
  return engagement::PredictGliderPath(rv, frame_, t_s, model);
}

namespace {
// Prediction reuse (EngagementManager::PredictionCache): the path is flown again after this age
// or when the track's state departs from it by more than these. The shift dr + dv tau stands for
// the path flown from the track's state to first order; its error is the gravity gradient's
// (GM / r^3) tau^2 / 2 ~ 1e-6 s^-2 x tau^2 of dr (7 m for dr = 1 km at tau = 100 s) plus the
// model's own non-linearity in dv (drag, the glide's lift), which the refly bounds in time.
constexpr double kRefly_s = 10.0;
constexpr double kMaxShift_m = 1e3;
constexpr double kMaxShift_mps = 10.0;
}  // namespace

const engagement::ThreatPrediction& EngagementManager::PredictionFor(const tracking::TrackView& v,
                                                                     bool ballistic, double t_s,
                                                                     long* version) {
  PredictionCache& c = predictions_[v.id];
  const Vec3 r = frame_.PositionEcef(Vec3(v.rv.x.head<3>()), t_s);
  const Vec3 vel = frame_.VelocityEcef(Vec3(v.rv.x.head<3>()), Vec3(v.rv.x.segment<3>(3)), t_s);
  if (c.t_s == t_s && c.version > 0 && c.ballistic == ballistic) {
    *version = c.version;
    return c.current;
  }
  bool refly = c.version == 0 || c.ballistic != ballistic || c.flown.path.size() < 2 ||
               t_s - c.flown.track_time_s > kRefly_s || t_s < c.flown.track_time_s ||
               t_s > c.flown.path.back().t_s;
  Vec3 dr = Vec3::Zero(), dv = Vec3::Zero();
  if (!refly) {
    const engagement::ThreatSample s = c.flown.StateAt(t_s);
    dr = r - s.r_Ecef;
    dv = vel - s.v_Ecef;
    refly = dr.norm() > kMaxShift_m || dv.norm() > kMaxShift_mps;
  }
  c.t_s = t_s;
  if (refly) {
    c.flown = Predict(v.rv, ballistic, t_s);
    c.ballistic = ballistic;
    c.version = ++prediction_versions_;
    c.current = c.flown;
  } else {
    // Shifted copy (the buffer's capacity is kept), from the sample before t_s on. A glider's
    // fan half-width belongs to the time since the track (tau), not to the clock: re-read at the
    // same tau after the flown path's own track time (linear, one sweep).
    engagement::ThreatPrediction& cur = c.current;
    const std::vector<engagement::ThreatSample>& fp = c.flown.path;
    cur.path.clear();
    size_t k0 = 0;
    while (k0 + 1 < fp.size() && fp[k0 + 1].t_s <= t_s) ++k0;
    const double age = t_s - c.flown.track_time_s;
    size_t j = 0;
    for (size_t k = k0; k < fp.size(); ++k) {
      engagement::ThreatSample x = fp[k];
      const double tau = x.t_s - t_s;
      x.r_Ecef += dr + dv * tau;
      x.v_Ecef += dv;
      if (c.flown.manoeuvring) {
        const double T = x.t_s - age;  // same tau after the flown track time
        while (j + 1 < fp.size() && fp[j + 1].t_s <= T) ++j;
        double w = fp[j].manoeuvre_halfwidth_m;
        if (j + 1 < fp.size() && T > fp[j].t_s) {
          const double u = (T - fp[j].t_s) / (fp[j + 1].t_s - fp[j].t_s);
          w += u * (fp[j + 1].manoeuvre_halfwidth_m - w);
        }
        x.manoeuvre_halfwidth_m = w;
      }
      cur.path.push_back(x);
    }
    cur.reaches_ground = c.flown.reaches_ground;
    cur.manoeuvring = c.flown.manoeuvring;
    cur.frame = c.flown.frame;
    cur.track_time_s = t_s;
    cur.rv_covariance_Eci = v.rv.P.topLeftCorner<6, 6>();
  }
  *version = c.version;
  return c.current;
}

struct EngagementManager::Flight {
  size_t battery = 0;
  int track_id = 0;
  engagement::Interceptor interceptor;
  ShotRecord record;
  int homed_threat = -1;
  double next_uplink_s = 0.0;
  double pip_time_s = 0.0;  // the last uplinked PIP's time (planned at launch before any)
  bool done = false;
  std::uint64_t entity = 0;  // the shot's random-stream entity (seeker noise, kill draw)
};

EngagementManager::EngagementManager(const ScenarioSpec& spec, const tracking::TrackingFrame& frame,
                                     std::vector<threats::Trajectory>* trajectories,
                                     std::uint64_t replication)
    : spec_(spec), frame_(frame), trajectories_(trajectories), rep_(replication) {
  for (const BatterySpec& b : spec.defense.batteries) {
    flyouts_.push_back(FlyoutFor(b));
    inventory_.push_back(b.inventory);
    next_launch_s_.push_back(0.0);
  }
}

EngagementManager::~EngagementManager() = default;

int EngagementManager::NearestThreat(double t_s, const Vec3& r_Ecef) const {
  int best = -1;
  double best_d = kSeekerBasket_m;
  for (size_t k = 0; k < trajectories_->size(); ++k) {
    sensors::TargetTruth x;
    if (!TargetAt((*trajectories_)[k], spec_.threats[k], t_s, &x)) continue;
    const double d = (x.r_Ecef - r_Ecef).norm();
    if (d < best_d) {
      best_d = d;
      best = static_cast<int>(k);
    }
  }
  return best;
}

void EngagementManager::Kill(size_t k, double t_s) {
  threats::Trajectory& tr = (*trajectories_)[k];
  flight::State x;
  threats::Phase phase;
  if (!tr.StateAt(t_s, &x, &phase)) return;
  // The trajectory ends at the kill: a last sample there, nothing after.
  threats::TrajectorySample last;
  for (const threats::TrajectorySample& s : tr.samples) {
    if (s.t_s > t_s) break;
    last = s;
  }
  last.t_s = t_s;
  last.x = x;
  tr.samples.erase(std::remove_if(tr.samples.begin(), tr.samples.end(),
                                  [&](const threats::TrajectorySample& s) { return s.t_s >= t_s; }),
                   tr.samples.end());
  tr.samples.push_back(last);
  tr.events.erase(std::remove_if(tr.events.begin(), tr.events.end(),
                                 [&](const threats::FlightEvent& e) { return e.t_s >= t_s; }),
                  tr.events.end());
  tr.events.push_back({t_s, "intercepted"});
  tr.impacted = false;
  tr.impact_time_s = t_s;
  result_.kill_time_s[tr.threat_id] = t_s;
}

void EngagementManager::Decide(double t_s, const std::vector<tracking::TrackView>& confirmed,
                               const std::map<int, TrackThreat>& threats) {
  // Candidate tracks: assessed as threatening, not already engaged by interceptors in flight.
  targets_.clear();
  values_.clear();
  paths_.clear();
  versions_.clear();
  for (const tracking::TrackView& v : confirmed) {
    auto it = threats.find(v.id);
    if (it == threats.end() || !(it->second.value > 0.0) || engaged_.count(v.id)) continue;
    // Kill assessment from the sensor picture: a track that has stopped being updated (its
    // object gone: killed, or lost) is not engaged again.
    if (t_s - v.t_last_update_s > kStaleTrack_s) continue;
    // Shoot-look-shoot's look: after a shot against the track, it is engaged again only once a
    // sensor report after the intercept shows the threat still flying (a killed threat's track
    // only coasts: it gets no such update).
    const auto look = look_after_s_.find(v.id);
    if (look != look_after_s_.end() && !(v.t_last_update_s > look->second)) continue;
    long version = 0;
    const engagement::ThreatPrediction& p = PredictionFor(v, it->second.ballistic, t_s, &version);
    if (p.path.size() < 2) continue;
    targets_.push_back(&v);
    values_.push_back(it->second.value);
    paths_.push_back(&p);
    versions_.push_back(version);
  }
  if (targets_.empty()) return;
  const std::vector<const tracking::TrackView*>& targets = targets_;
  const std::vector<double>& values = values_;
  const size_t I = spec_.defense.batteries.size(), J = targets.size();
  batteries_.resize(I);
  windows_.assign(I * J, engagement::EngagementWindow{});
  std::vector<engagement::Battery>& batteries = batteries_;
  std::vector<engagement::EngagementWindow>& windows = windows_;
  for (size_t i = 0; i < I; ++i) {
    const BatterySpec& b = spec_.defense.batteries[i];
    batteries[i] = {b.id,          b.SiteAt(t_s),     b.interceptor, &flyouts_[i],
                    inventory_[i], b.reaction_time_s, b.salvo_size,  b.launch_interval_s};
    const double now = std::max(t_s, next_launch_s_[i] - b.reaction_time_s);
    const double first_launch = now + b.reaction_time_s;
    for (size_t j = 0; j < J; ++j) {
      if (inventory_[i] <= 0) continue;
      // Reuse: on the same flown path (only shifted since), the valid intercepts are the same
      // but for the launch bound t_L >= now + reaction, which only rises. So the window stands
      // while its recommended launch is still possible (and "no window" stands); its PIP is
      // re-read on the shifted path. (A ship's site moves ~50 m between reflies: ignored.)
      WindowCache& wc = window_cache_[{i, targets[j]->id}];
      const bool reuse = wc.version == versions_[j] && wc.first_launch_s <= first_launch &&
                         (!wc.window.exists || wc.window.earliest_launch_s >= first_launch);
      if (!reuse) {
        wc.window = engagement::ComputeWindow(batteries[i], *paths_[j], now);
        wc.version = versions_[j];
        wc.first_launch_s = first_launch;
      }
      windows[i * J + j] = wc.window;
      if (wc.window.exists) {
        windows[i * J + j].pip_Ecef = paths_[j]->StateAt(wc.window.intercept_time_s).r_Ecef;
      }
    }
  }
  // The plan is made as shoot-shoot: an engagement is a salvo now. Shoot-look-shoot is carried
  // out by the loop itself: one salvo per track at a time, and a track whose interceptors all
  // missed is free to be planned again at the next decision (the look is the tracker still
  // holding it after the intercept time).
  engagement::WtaBuildOptions options;
  options.doctrine = engagement::FireDoctrine::kShootShoot;
  const engagement::WtaProblem problem =
      engagement::BuildWtaProblem(batteries, values, windows, options);
  const engagement::WtaAllocation plan = spec_.defense.exact_wta
                                             ? engagement::SolveWtaExact(problem)
                                             : engagement::SolveWtaGreedy(problem);
  ++result_.wta_decisions;
  // Commit the engagements whose window opens before the next decision could still launch them
  // (now + reaction time + decision period): launch at the window's earliest time; later ones are
  // re-planned at the next decision, on better tracks.
  for (size_t i = 0; i < I; ++i) {
    const BatterySpec& b = spec_.defense.batteries[i];
    for (size_t j = 0; j < J; ++j) {
      if (plan.engagements_at(static_cast<int>(i), static_cast<int>(j)) <= 0) continue;
      const engagement::EngagementWindow& w = windows[i * J + j];
      if (!w.exists ||
          w.earliest_launch_s > t_s + b.reaction_time_s + spec_.defense.decision_period_s)
        continue;
      const bool look = spec_.defense.doctrine == engagement::FireDoctrine::kShootLookShoot;
      int salvos = look ? 1 : plan.engagements_at(static_cast<int>(i), static_cast<int>(j));
      // "Shoot now": a look is worth waiting for only if some battery could still shoot after
      // it. The look comes at the first salvo's planned intercept plus one decision period (the
      // next decision after a report showing the threat still flying); a battery can then launch
      // after its reaction time, within its window, with an interceptor left. If none can, the
      // second salvo is fired now, without looking, as shoot-shoot would.
      if (look) {
        const double t_look = w.intercept_time_s + spec_.defense.decision_period_s;
        bool second_chance = false;
        for (size_t i2 = 0; i2 < I && !second_chance; ++i2) {
          const int left = inventory_[i2] - (i2 == i ? b.salvo_size : 0);
          const engagement::EngagementWindow& w2 = windows[i2 * J + j];
          second_chance =
              left > 0 && w2.exists &&
              w2.latest_launch_s >= t_look + spec_.defense.batteries[i2].reaction_time_s;
        }
        if (!second_chance) salvos = 2;
      }
      for (int k = 0; k < salvos * b.salvo_size && inventory_[i] > 0; ++k) {
        const double launch = std::max({w.earliest_launch_s, next_launch_s_[i], t_s});
        if (launch > w.latest_launch_s) break;
        next_launch_s_[i] = launch + b.launch_interval_s;
        --inventory_[i];
        const std::uint64_t entity =
            core::HashName(b.id) ^ (static_cast<std::uint64_t>(++shots_fired_) << 20);
        auto f = std::unique_ptr<Flight>(
            new Flight{i,
                       targets[j]->id,
                       engagement::Interceptor(b.interceptor, b.SiteAt(launch), launch, w.pip_Ecef,
                                               w.intercept_time_s, entity, spec_.seed, rep_),
                       {},
                       -1,
                       launch,
                       w.intercept_time_s,
                       false,
                       entity});
        f->record.battery_id = b.id;
        f->record.track_id = targets[j]->id;
        f->record.launch_time_s = launch;
        f->record.pip_Ecef = w.pip_Ecef;
        f->record.pip_time_s = w.intercept_time_s;
        f->record.predicted_pk = w.predicted_pk;
        f->record.result = "in_flight";
        RecordPath(f->interceptor, &f->record);
        ++engaged_[targets[j]->id];
        flights_.push_back(std::move(f));
      }
    }
  }
}

void EngagementManager::Step(double t_s, const std::vector<tracking::TrackView>& confirmed,
                             const std::map<int, TrackThreat>& threats,
                             const tracking::TrackerInterface* tracker) {
  if (t_s + 1e-9 >= next_decision_s_) {
    Decide(t_s, confirmed, threats);
    next_decision_s_ = t_s + spec_.defense.decision_period_s;
  }
  std::map<int, const tracking::TrackView*> by_id;
  for (const tracking::TrackView& v : confirmed) by_id[v.id] = &v;
  for (std::unique_ptr<Flight>& f : flights_) {
    if (f->done) continue;
    if (f->record.launch_time_s > t_s) {
      // Committed but not yet launched: cancelled (interceptor kept) if its track is gone.
      if (!by_id.count(f->track_id)) {
        f->done = true;
        f->record.result = "cancelled";
        ++inventory_[f->battery];
        if (--engaged_[f->track_id] <= 0) engaged_.erase(f->track_id);
      }
      continue;
    }
    // Uplink: the track's estimate and a refreshed intercept point along its predicted path.
    auto it = by_id.find(f->track_id);
    Vec3 r_est = Vec3::Zero();
    bool have_track = it != by_id.end();
    if (have_track && t_s >= f->next_uplink_s) {
      const tracking::Gaussian& g = it->second->rv;
      r_est = frame_.PositionEcef(Vec3(g.x.head<3>()), t_s);
      const Vec3 v_est = frame_.VelocityEcef(Vec3(g.x.head<3>()), Vec3(g.x.segment<3>(3)), t_s);
      auto th = threats.find(f->track_id);
      const bool ballistic = th == threats.end() || th->second.ballistic;
      long version = 0;
      const engagement::ThreatPrediction& p = PredictionFor(*it->second, ballistic, t_s, &version);
      // The PIP re-solved for the interceptor's own time to go (fire_control.h), from the last.
      double t_pip = std::max(f->pip_time_s, t_s);
      Vec3 pip = r_est;
      if (p.path.size() >= 2) {
        const engagement::ThreatSample s = engagement::SolveInFlightPip(f->interceptor, p, t_pip);
        t_pip = s.t_s;
        pip = s.r_Ecef;
      }
      f->pip_time_s = t_pip;
      // The track's own acceleration estimate (the filter's dynamics at its state) when the
      // tracker keeps one and the track is at this frame.
      std::optional<Vec3> a_est;
      if (tracker != nullptr && it->second->rv.t_s == t_s) {
        if (const std::optional<Vec3> a = tracker->AccelerationEstimate(f->track_id))
          a_est = frame_.AccelerationEcef(Vec3(g.x.head<3>()), Vec3(g.x.segment<3>(3)), *a, t_s);
      }
      f->interceptor.Uplink(pip, t_pip, r_est, v_est, t_s, a_est ? &*a_est : nullptr);
      f->next_uplink_s = t_s + spec_.defense.batteries[f->battery].interceptor.uplink_period_s;
    } else if (have_track) {
      r_est = frame_.PositionEcef(Vec3(it->second->rv.x.head<3>()), t_s);
    }
    // The seeker looks where the interceptor is told the target is: the true threat nearest to
    // that (chosen when the track is available, kept otherwise).
    if (have_track) f->homed_threat = NearestThreat(t_s, r_est);
    const int k = f->homed_threat;
    const engagement::TruthFunction truth = [&, k](double t, Vec3* r, Vec3* v) {
      if (k < 0) return false;
      sensors::TargetTruth x;
      if (!TargetAt((*trajectories_)[static_cast<size_t>(k)], spec_.threats[static_cast<size_t>(k)],
                    t, &x))
        return false;
      *r = x.r_Ecef;
      *v = x.v_Ecef;
      return true;
    };
    f->interceptor.Advance(t_s, truth);
    RecordPath(f->interceptor, &f->record);
    if (!f->interceptor.Done()) continue;
    f->done = true;
    if (--engaged_[f->track_id] <= 0) engaged_.erase(f->track_id);
    f->record.intercept_time_s = f->interceptor.InterceptTime_s();
    // The look needs a report from a later frame: this frame's sensing ran before the flight
    // reached its end inside it (the kill truncates the trajectory only from now on).
    double& look = look_after_s_[f->track_id];
    look = std::max(look, t_s);
    f->record.miss_m = f->interceptor.MissDistance_m();
    f->record.threat_id = k >= 0 ? (*trajectories_)[static_cast<size_t>(k)].threat_id : "";
    FinishPath(f->interceptor, &f->record);
    if (f->interceptor.EndReason() != engagement::InterceptorEnd::kClosestApproach) {
      f->record.result = "no_intercept";
    } else if (k >= 0 && !result_.kill_time_s.count(f->record.threat_id) && KillDrawn(*f)) {
      f->record.result = "kill";
      Kill(static_cast<size_t>(k), f->record.intercept_time_s);
    } else {
      f->record.result = "miss";
    }
  }
}

bool EngagementManager::KillDrawn(const Flight& f) const {
  // Pk at the achieved miss (engagement::InterceptorSpec::KillProbability): 0 or 1 for a lethal
  // radius, else one draw from the shot's own stream, so it does not depend on other shots.
  const double pk = spec_.defense.batteries[f.battery].interceptor.KillProbability(
      f.interceptor.MissDistance_m());
  if (pk >= 1.0) return true;
  if (pk <= 0.0) return false;
  core::RandomStream rng(spec_.seed, rep_, f.entity, core::HashName("kill"));
  return rng.Uniform() < pk;
}

EngagementResult EngagementManager::Finish() {
  for (std::unique_ptr<Flight>& f : flights_)
    if (f->record.result != "cancelled") result_.shots.push_back(f->record);
  std::stable_sort(
      result_.shots.begin(), result_.shots.end(),
      [](const ShotRecord& a, const ShotRecord& b) { return a.launch_time_s < b.launch_time_s; });
  return result_;
}

}  // namespace hyperdef::sim

#include "sim/engagement_run.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

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
    return engagement::PredictBallisticPath(rv, frame_, t_s, model);
  }
  assessment::FootprintOptions model;
  model.lift_to_drag = ts.glider_lift_to_drag;
  model.beta_kgpm2 = ts.glider_ballistic_coefficient_kgpm2;
  return engagement::PredictGliderPath(rv, frame_, t_s, model);
}

struct EngagementManager::Flight {
  size_t battery = 0;
  int track_id = 0;
  engagement::Interceptor interceptor;
  ShotRecord record;
  int homed_threat = -1;
  double next_uplink_s = 0.0;
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
  std::vector<const tracking::TrackView*> targets;
  std::vector<double> values;
  std::vector<engagement::ThreatPrediction> paths;
  for (const tracking::TrackView& v : confirmed) {
    auto it = threats.find(v.id);
    if (it == threats.end() || !(it->second.value > 0.0) || engaged_.count(v.id)) continue;
    // Kill assessment from the sensor picture: a track that has stopped being updated (its
    // object gone: killed, or lost) is not engaged again.
    if (t_s - v.t_last_update_s > kStaleTrack_s) continue;
    engagement::ThreatPrediction p = Predict(v.rv, it->second.ballistic, t_s);
    if (p.path.size() < 2) continue;
    targets.push_back(&v);
    values.push_back(it->second.value);
    paths.push_back(std::move(p));
  }
  if (targets.empty()) return;
  const size_t I = spec_.defense.batteries.size(), J = targets.size();
  std::vector<engagement::Battery> batteries(I);
  std::vector<engagement::EngagementWindow> windows(I * J);
  for (size_t i = 0; i < I; ++i) {
    const BatterySpec& b = spec_.defense.batteries[i];
    batteries[i] = {b.id,          b.SiteAt(t_s),     b.interceptor, &flyouts_[i],
                    inventory_[i], b.reaction_time_s, b.salvo_size,  b.launch_interval_s};
    const double now = std::max(t_s, next_launch_s_[i] - b.reaction_time_s);
    for (size_t j = 0; j < J; ++j) {
      if (inventory_[i] <= 0) continue;
      windows[i * J + j] = engagement::ComputeWindow(batteries[i], paths[j], now);
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
      const int salvos = look ? 1 : plan.engagements_at(static_cast<int>(i), static_cast<int>(j));
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
                             const std::map<int, TrackThreat>& threats) {
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
      const engagement::ThreatPrediction p = Predict(g, ballistic, t_s);
      const double t_pip = std::max(f->record.pip_time_s, t_s);
      const Vec3 pip = p.path.size() >= 2 ? p.StateAt(t_pip).r_Ecef : r_est;
      f->interceptor.Uplink(pip, t_pip, r_est, v_est, t_s);
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

// The defence in the closed loop: every decision period, fire control computes each battery's
// engagement window on each threatening confirmed track, weapon-target assignment picks the
// shots, and interceptors fly out, guided by uplinks from their track and, at the end, by their
// own seeker. Engagement sees tracks, never truth; only a seeker sees the target, through its
// own noise (engagement/interceptor.h). A kill stops the threat: its trajectory ends there, so
// the sensors stop seeing it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engagement/fire_control.h"
#include "engagement/interceptor.h"
#include "sim/scenario.h"
#include "threats/trajectory.h"
#include "tracking/tracker.h"

namespace hyperdef::sim {

// A point of an interceptor's recorded flight (for display: scene.czml).
struct PathPoint {
  double t_s = 0.0;
  core::Vec3 r_Ecef = core::Vec3::Zero();
};

// One row of engagements.csv: one interceptor.
struct ShotRecord {
  std::string battery_id;
  int track_id = 0;
  std::string threat_id;  // scoring: the true threat the seeker homed on ("" if none)
  double launch_time_s = 0.0;
  core::Vec3 pip_Ecef = core::Vec3::Zero();  // planned at launch
  double pip_time_s = 0.0;
  double intercept_time_s = 0.0;  // closest approach (or end of flight)
  double miss_m = 0.0;            // closest approach to the homed threat
  double predicted_pk = 0.0;
  std::string result;  // "kill", "miss", "no_intercept" (ground, fuel or time out), "in_flight"
  // The flight for display, time-ordered: the launch point, then the interceptor's position at the
  // end of every loop frame it flew in (the frame grid thins the integrator's 1 ms - 0.5 s steps).
  // A flight that ended at the closest approach ends there (closest_approach_Ecef at
  // intercept_time_s).
  std::vector<PathPoint> path;
  // The interceptor's position at intercept_time_s (kill, miss, and no_intercept with a finite
  // intercept time); zero otherwise.
  core::Vec3 closest_approach_Ecef = core::Vec3::Zero();
};

struct EngagementResult {
  std::vector<ShotRecord> shots;
  std::map<std::string, double> kill_time_s;  // threat id -> time it was killed
  int wta_decisions = 0;
};

// The per-track assessment the engagement needs (from the tracking loop's assessment).
struct TrackThreat {
  bool ballistic = false;  // else boost-glide
  double value = 0.0;      // sum over assets of value x P(asset threatened)
};

class EngagementManager {
 public:
  EngagementManager(const ScenarioSpec& spec, const tracking::TrackingFrame& frame,
                    std::vector<threats::Trajectory>* trajectories, std::uint64_t replication);
  ~EngagementManager();

  // After the tracker has processed frame t: decide (on decision epochs), launch, uplink and fly
  // every interceptor to t; kills truncate the threat's trajectory at the kill time. An uplink
  // carries the track's acceleration estimate from `tracker` when it has one (augmented PN);
  // otherwise (null, or fused tracks) the interceptor differences the uplinked velocities.
  void Step(double t_s, const std::vector<tracking::TrackView>& confirmed,
            const std::map<int, TrackThreat>& threats,
            const tracking::TrackerInterface* tracker = nullptr);
  EngagementResult Finish();

 private:
  struct Flight;
  void Decide(double t_s, const std::vector<tracking::TrackView>& confirmed,
              const std::map<int, TrackThreat>& threats);
  void Kill(size_t threat, double t_s);
  bool KillDrawn(const Flight& f) const;
  engagement::ThreatPrediction Predict(const tracking::Gaussian& rv, bool ballistic,
                                       double t_s) const;
  // The track's predicted path at t_s, from the cache (see PredictionCache); *version receives
  // the flown path's version (changes when the path is flown again).
  const engagement::ThreatPrediction& PredictionFor(const tracking::TrackView& v, bool ballistic,
                                                    double t_s, long* version);
  // The true threat nearest to a track's estimate (what a seeker pointed there would see).
  int NearestThreat(double t_s, const core::Vec3& r_Ecef) const;

  // A track's predicted path is flown (Predict: a ballistic or glider path to the ground) at most
  // every kRefly_s, or sooner when the track departs from it; in between, the flown path is
  // shifted by the track's departure from it, propagated with the free-fall transition
  // Phi = [I tau I; 0 I] (dr + dv tau at tau past the track time). Decisions and uplinks share it.
  struct PredictionCache {
    bool ballistic = false;
    long version = 0;
    double t_s = -1.0;                   // time of `current`
    engagement::ThreatPrediction flown;  // as flown at flown.track_time_s
    engagement::ThreatPrediction current;
  };
  // A window (battery, track) is computed again only when its track's path was flown again or
  // the launch it recommended is no longer possible (see Decide).
  struct WindowCache {
    long version = -1;
    double first_launch_s = 0.0;
    engagement::EngagementWindow window;
  };

  const ScenarioSpec& spec_;
  tracking::TrackingFrame frame_;
  std::vector<threats::Trajectory>* trajectories_;
  std::uint64_t rep_;
  std::vector<engagement::FlyoutTable> flyouts_;  // one per battery
  std::vector<int> inventory_;
  std::vector<double> next_launch_s_;  // per battery: launch rate
  std::vector<std::unique_ptr<Flight>> flights_;
  std::map<int, int> engaged_;  // track id -> interceptors in flight against it
  // Track id -> the latest end (closest approach) of a shot against it: the look (Decide).
  std::map<int, double> look_after_s_;
  std::map<int, PredictionCache> predictions_;                  // by track id
  std::map<std::pair<size_t, int>, WindowCache> window_cache_;  // by (battery, track id)
  long prediction_versions_ = 0;
  // Decide's buffers, kept to avoid allocations per decision.
  std::vector<const tracking::TrackView*> targets_;
  std::vector<double> values_;
  std::vector<const engagement::ThreatPrediction*> paths_;
  std::vector<long> versions_;
  std::vector<engagement::Battery> batteries_;
  std::vector<engagement::EngagementWindow> windows_;
  EngagementResult result_;
  double next_decision_s_ = 0.0;
  long shots_fired_ = 0;
};

}  // namespace hyperdef::sim

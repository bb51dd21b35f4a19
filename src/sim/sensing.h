// Sensing a run: the space IR layers and radars of the scenario look at the threats' truth
// trajectories, through their geometry, physics and noise, and produce detections (including
// false alarms). Truth ids ride along on each detection for scoring only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sensors/line_of_sight.h"
#include "sensors/radar.h"
#include "sensors/space_ir.h"
#include "sim/scenario.h"
#include "threats/trajectory.h"

namespace hyperdef::sim {

// One row of detections.csv: an angles-only report from a satellite or a radar plot.
struct Detection {
  double t_s = 0.0;
  std::string sensor_id;    // the layer or radar id
  std::string platform_id;  // the satellite (or the radar again)
  bool is_radar = false;
  sensors::LosMeasurement los;      // when !is_radar
  sensors::RadarMeasurement radar;  // when is_radar
  bool tasked = false;              // narrow-field (IR) or track-mode (radar) look cued by a track
  bool false_alarm() const { return is_radar ? radar.false_alarm : los.false_alarm; }
  const std::string& truth_id() const { return is_radar ? radar.truth_id : los.truth_id; }
};

struct ThreatSensingStats {
  long detections = 0;
  long frames_detected = 0;  // frames with at least one detection of this threat
  long frames_stereo = 0;    // space layers: frames with >= 2 satellites detecting it
  double first_detection_s = -1.0;
};

struct SensorStats {
  std::string sensor_id;
  std::string kind;  // "space_ir" or "radar"
  long platforms = 0;
  long frames = 0;
  long detections = 0;  // of threats
  long false_alarms = 0;
  long visible_pairs = 0;  // space IR: (satellite, threat, frame) past the geometric cull
  std::map<std::string, ThreatSensingStats> threats;  // by threat id
};

struct SensingResult {
  std::vector<Detection> detections;  // time-ordered, then sensor order
  std::vector<SensorStats> stats;     // one per sensor, scenario order
};

// What a sensor may know of a threat at time t (interpolated truth, signature inputs); false if
// the threat is not flying at t.
bool TargetAt(const threats::Trajectory& trajectory, const threats::ThreatSpec& spec, double t_s,
              sensors::TargetTruth* target);

// The warning modes of every sensor of a scenario (space IR wide field, radar search), frame by
// frame: what a closed loop (tracking_run.h) consumes as the run goes, without materialising the
// whole run. Holds, per sensor, the layer propagator and visibility culler, the per-threat truth
// cursors and the hashed stream keys. Random draws come from streams keyed by (seed,
// replication, platform, purpose + threat + frame index), and each satellite's ephemeris error
// from one keyed by (satellite, frame) (FrameEphemerisError): a frame gives the same detections
// whatever was sensed before it, so frames may be sensed in any order or skipped. `spec` and
// `trajectories` (one per spec.threats entry, same order) must outlive the object.
class Sensing {
 public:
  Sensing(const ScenarioSpec& spec, const std::vector<threats::Trajectory>& trajectories,
          std::uint64_t replication = 0);
  ~Sensing();
  Sensing(const Sensing&) = delete;
  Sensing& operator=(const Sensing&) = delete;

  // Union of every sensor's frame times k * frame_time (k = 0, 1, ... while <= duration_s),
  // ascending, equal doubles once.
  std::vector<double> FrameTimes() const;

  // Appends to *out (not cleared) the detections and false alarms of every sensor with a frame at
  // exactly t_s (a FrameTimes() value; other times produce nothing): sensors in scenario order
  // (space layers, then radars), each in generation order (threats in scenario order, then the
  // frame's false alarms). Statistics accumulate: sense each frame once.
  void SenseFrame(double t_s, std::vector<Detection>* out);

  // One per sensor, scenario order, over the frames sensed so far.
  const std::vector<SensorStats>& Stats() const { return stats_; }

  // What SenseFrame computed for space layer `layer` (scenario order) in its frame at exactly
  // t_s: the satellites' positions (ECEF, layer order) and the visibility culler set to them;
  // both null when the layer's latest sensed frame is not at t_s. Valid until the next
  // SenseFrame. The cued looks of the same frame use them (tracking_run.cc).
  struct LayerFrame {
    const std::vector<core::Vec3>* sats_r_Ecef = nullptr;
    const sensors::IrVisibilityCuller* culler = nullptr;
  };
  LayerFrame SensedLayerFrame(std::size_t layer, double t_s) const;

 private:
  struct LayerState;
  struct RadarState;
  const ScenarioSpec& spec_;
  const std::vector<threats::Trajectory>& trajectories_;
  std::uint64_t replication_;
  std::vector<LayerState> layers_;
  std::vector<RadarState> radars_;
  std::vector<SensorStats> stats_;
  sensors::SunDirectionTable sun_;  // the Sun's direction at the frames (sun exclusion)
};

// The ephemeris (position knowledge) error of one satellite of a space layer in frame `frame`
// (the frame index k of t = k * frame_time_s): sensors::EphemerisError drawn from the stream
// (seed, replication, satellite_hash = core::HashName(satellite id), HashName("ephemeris") ^
// frame). Every report the satellite makes in that frame carries it: wide-field detections and
// false alarms (Sensing) and the cued narrow-field looks (tracking_run.cc).
core::Vec3 FrameEphemerisError(const sensors::SpaceIrSpec& sensor, std::uint64_t seed,
                               std::uint64_t replication, std::uint64_t satellite_hash, long frame);

// Every sensor of `spec` over [0, duration]: Sensing::SenseFrame over FrameTimes() into one
// vector, time-ordered, then sensor order, then generation order.
SensingResult SenseScenario(const ScenarioSpec& spec,
                            const std::vector<threats::Trajectory>& trajectories,
                            std::uint64_t replication = 0);

}  // namespace hyperdef::sim

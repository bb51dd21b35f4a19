// Sensing a run: the space IR layers and radars of the scenario look at the threats' truth
// trajectories, through their geometry, physics and noise, and produce detections (including
// false alarms). Truth ids ride along on each detection for scoring only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

// Every sensor of `spec` over [0, duration]. Random draws come from streams keyed by
// (seed, replication, platform, purpose + threat + frame): results do not depend on loop order.
SensingResult SenseScenario(const ScenarioSpec& spec,
                            const std::vector<threats::Trajectory>& trajectories,
                            std::uint64_t replication = 0);

}  // namespace hyperdef::sim

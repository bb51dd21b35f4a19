#include "io/run_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "io/czml.h"
#include "io/engagement_outputs.h"
#include "io/tracking_outputs.h"

namespace hyperdef::io {

using core::kRadToDeg;
using nlohmann::ordered_json;

namespace {
// Rounds for stable, readable JSON (the values are physical: more digits would be noise).
double Round(double x, int digits) {
  const double p = std::pow(10.0, digits);
  return std::round(x * p) / p;
}
}  // namespace

ordered_json ScenarioHeaderJson(const sim::ScenarioSpec& spec) {
  ordered_json j;
  j["hyperdef_version"] = kVersion;
  j["scenario"] = {{"name", spec.name},
                   {"file", spec.file},
                   {"epoch_utc", spec.epoch_utc},
                   {"duration_s", spec.duration_s},
                   {"seed", spec.seed}};
  return j;
}

ordered_json SummaryJson(const sim::ScenarioSpec& spec, const sim::RunResult& result) {
  ordered_json j = ScenarioHeaderJson(spec);
  ordered_json threats = ordered_json::array();
  for (size_t i = 0; i < result.trajectories.size(); ++i) {
    const threats::Trajectory& tr = result.trajectories[i];
    const threats::ThreatSpec& ts = spec.threats[i];
    double max_q = 0, max_n = 0, max_heat = 0, max_temp = 0;
    for (const auto& s : tr.samples) {
      max_q = std::max(max_q, s.dynamic_pressure_Pa);
      max_n = std::max(max_n, s.load_factor);
      max_heat = std::max(max_heat, s.heat_flux_Wpm2);
      max_temp = std::max(max_temp, s.surface_temperature_K);
    }
    ordered_json events = ordered_json::array();
    for (const auto& e : tr.events) events.push_back({{"name", e.name}, {"t_s", Round(e.t_s, 3)}});
    threats.push_back({
        {"id", tr.threat_id},
        {"class", threats::ThreatClassName(tr.threat_class)},
        {"label", ts.class_label},
        {"launch_time_s", Round(tr.launch_time_s, 3)},
        {"launch_time_utc", spec.epoch.ToIso8601(tr.launch_time_s)},
        {"impacted", tr.impacted},
        {"impact_time_s", Round(tr.impact_time_s, 3)},
        {"impact_time_utc", spec.epoch.ToIso8601(tr.impact_time_s)},
        {"time_of_flight_s", Round(tr.impact_time_s - tr.launch_time_s, 3)},
        {"ground_range_km", Round(tr.ground_range_m / 1e3, 3)},
        {"apogee_km", Round(tr.apogee_m / 1e3, 3)},
        {"max_speed_mps", Round(tr.max_speed_mps, 2)},
        {"max_mach", Round(tr.max_mach, 3)},
        {"max_dynamic_pressure_kpa", Round(max_q / 1e3, 3)},
        {"max_load_factor_g", Round(max_n, 3)},
        {"max_heat_flux_mwpm2", Round(max_heat / 1e6, 4)},
        {"max_surface_temperature_k", Round(max_temp, 1)},
        {"impact",
         {{"lat_deg", Round(tr.impact.lat_rad * kRadToDeg, 6)},
          {"lon_deg", Round(tr.impact.lon_rad * kRadToDeg, 6)}}},
        {"aimpoint",
         {{"lat_deg", Round(ts.aim.lat_rad * kRadToDeg, 6)},
          {"lon_deg", Round(ts.aim.lon_rad * kRadToDeg, 6)}}},
        {"distance_from_aimpoint_m", Round(tr.miss_distance_m, 1)},
        {"events", events},
    });
  }
  j["threats"] = threats;
  if (!result.sensing.stats.empty()) {
    ordered_json sensors = ordered_json::array();
    for (const sim::SensorStats& st : result.sensing.stats) {
      ordered_json per_threat = ordered_json::object();
      for (const auto& [id, ts] : st.threats) {
        per_threat[id] = {{"detections", ts.detections},
                          {"frames_detected", ts.frames_detected},
                          {"frames_stereo", ts.frames_stereo},
                          {"first_detection_s", Round(ts.first_detection_s, 3)}};
      }
      sensors.push_back({{"id", st.sensor_id},
                         {"class", st.kind},
                         {"platforms", st.platforms},
                         {"frames", st.frames},
                         {"detections", st.detections},
                         {"false_alarms", st.false_alarms},
                         {"threats", per_threat}});
    }
    j["sensors"] = sensors;
  }
  if (result.tracking) j["tracking"] = TrackingSummaryJson(spec, *result.tracking);
  if (result.tracking && result.tracking->engagement)
    j["engagement"] = EngagementSummaryJson(spec, result);
  return j;
}

void WriteTruthCsv(const sim::RunResult& result, std::ostream& out) {
  out << "threat_id,t_s,phase,x_ecef_m,y_ecef_m,z_ecef_m,vx_ecef_mps,vy_ecef_mps,vz_ecef_mps,"
         "lat_deg,lon_deg,alt_m,speed_mps,mach,flight_path_deg,heading_deg,dynamic_pressure_pa,"
         "load_factor_g,heat_flux_wpm2,surface_temperature_k,mass_kg,thrust_n\n";
  for (const threats::Trajectory& tr : result.trajectories) {
    for (const threats::TrajectorySample& s : tr.samples) {
      out << fmt::format(
          "{},{:.3f},{},{:.3f},{:.3f},{:.3f},{:.4f},{:.4f},{:.4f},{:.7f},{:.7f},{:.2f},{:.3f},{:."
          "4f},"
          "{:.4f},{:.4f},{:.2f},{:.4f},{:.1f},{:.1f},{:.2f},{:.1f}\n",
          tr.threat_id, s.t_s, threats::PhaseName(s.phase), s.x[0], s.x[1], s.x[2], s.x[3], s.x[4],
          s.x[5], s.lat_rad * kRadToDeg, s.lon_rad * kRadToDeg, s.alt_m, s.speed_mps, s.mach,
          s.flight_path_rad * kRadToDeg, s.heading_rad * kRadToDeg, s.dynamic_pressure_Pa,
          s.load_factor, s.heat_flux_Wpm2, s.surface_temperature_K, s.x[6], s.thrust_N);
    }
  }
}

void WriteDetectionsCsv(const sim::SensingResult& sensing, std::ostream& out) {
  out << "t_s,sensor_id,platform_id,kind,false_alarm,truth_id,snr_db,"
         "sat_x_ecef_m,sat_y_ecef_m,sat_z_ecef_m,sat_position_sigma_m,"
         "los_x_ecef,los_y_ecef,los_z_ecef,angle_sigma_rad,"
         "range_m,az_deg,el_deg,range_rate_mps,range_sigma_m,az_el_sigma_rad,range_rate_sigma_"
         "mps,mode\n";
  for (const sim::Detection& d : sensing.detections) {
    out << fmt::format("{:.3f},{},{},{},{},{},", d.t_s, d.sensor_id, d.platform_id,
                       d.is_radar ? "radar" : "los", d.false_alarm() ? 1 : 0, d.truth_id());
    if (d.is_radar) {
      const sensors::RadarMeasurement& m = d.radar;
      out << fmt::format(
          "{:.2f},,,,,,,,,{:.3f},{:.6f},{:.6f},{},{:.3f},{:.3e},{},{}\n", m.snr_dB, m.range_m,
          m.az_rad * kRadToDeg, m.el_rad * kRadToDeg,
          m.has_range_rate ? fmt::format("{:.3f}", m.range_rate_mps) : "",
          std::sqrt(m.covariance(0, 0)), std::sqrt(m.covariance(1, 1)),
          m.has_range_rate ? fmt::format("{:.3f}", std::sqrt(m.covariance(3, 3))) : "",
          d.tasked ? "track" : "search");
    } else {
      const sensors::LosMeasurement& m = d.los;
      const double sigma = std::sqrt(std::max(0.0, 0.5 * m.u_covariance.trace()));
      out << fmt::format(
          "{:.2f},{:.3f},{:.3f},{:.3f},{:.2f},{:.9f},{:.9f},{:.9f},{:.3e},,,,,,,,{}\n",
          10.0 * std::log10(std::max(m.snr, 1e-30)), m.sat_r_Ecef.x(), m.sat_r_Ecef.y(),
          m.sat_r_Ecef.z(), m.sat_position_sigma_m, m.u_Ecef.x(), m.u_Ecef.y(), m.u_Ecef.z(), sigma,
          d.tasked ? "narrow" : "wide");
    }
  }
}

void WriteRunOutputs(const sim::ScenarioSpec& spec, const sim::RunResult& result,
                     const OutputDir& dir) {
  if (spec.outputs.truth)
    dir.Write("truth.csv", [&](std::ostream& o) { WriteTruthCsv(result, o); });
  if (spec.outputs.detections && !result.sensing.stats.empty()) {
    dir.Write("detections.csv", [&](std::ostream& o) { WriteDetectionsCsv(result.sensing, o); });
  }
  if (result.tracking) {
    const sim::TrackingResult& t = *result.tracking;
    dir.Write("tracks.csv", [&](std::ostream& o) { WriteTracksCsv(t, o); });
    dir.Write("track_errors.csv", [&](std::ostream& o) { WriteTrackErrorsCsv(t, o); });
    dir.Write("set_metrics.csv", [&](std::ostream& o) { WriteSetMetricsCsv(t, o); });
    dir.Write("assessment.json",
              [&](std::ostream& o) { o << AssessmentJson(spec, t).dump(2) << "\n"; });
    if (t.engagement) {
      dir.Write("engagements.csv", [&](std::ostream& o) { WriteEngagementsCsv(*t.engagement, o); });
    }
  }
  dir.Write("scene.czml", [&](std::ostream& o) { WriteSceneCzml(spec, result, o); });
  dir.Write("summary.json",
            [&](std::ostream& o) { o << SummaryJson(spec, result).dump(2) << "\n"; });
}

}  // namespace hyperdef::io

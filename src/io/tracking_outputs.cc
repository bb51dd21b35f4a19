#include "io/tracking_outputs.h"

#include <fmt/format.h>

#include <cmath>

#include "core/constants.h"
#include "earth/wgs84.h"
#include "io/run_outputs.h"

namespace hyperdef::io {

using core::kRadToDeg;
using nlohmann::ordered_json;

namespace {

double Round(double x, int digits) {
  if (!std::isfinite(x)) return x;
  const double p = std::pow(10.0, digits);
  return std::round(x * p) / p;
}

// JSON has no NaN: a metric that does not exist (never tracked) is null.
ordered_json Num(double x, int digits) {
  if (!std::isfinite(x)) return nullptr;
  return Round(x, digits);
}

}  // namespace

void WriteTracksCsv(const sim::TrackingResult& tracking, std::ostream& out) {
  out << "t_s,track_id,status,x_ecef_m,y_ecef_m,z_ecef_m,vx_ecef_mps,vy_ecef_mps,vz_ecef_mps,"
         "sigma_x_m,sigma_y_m,sigma_z_m,sigma_vx_mps,sigma_vy_mps,sigma_vz_mps,lat_deg,lon_deg,"
         "alt_km,class,class_probability,scored_truth_id";
  for (const std::string& m : tracking.mode_names) out << ",p_mode_" << m;
  out << "\n";
  for (const sim::TrackRow& r : tracking.rows) {
    const earth::Geodetic g = earth::GeodeticFromEcef(r.x_Ecef.head<3>());
    out << fmt::format(
        "{:.3f},{},{},{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},{:.3f},{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},"
        "{:.3f},{:.6f},{:.6f},{:.4f},{},{:.3f},{}",
        r.t_s, r.track_id, tracking::ToString(r.status), r.x_Ecef(0), r.x_Ecef(1), r.x_Ecef(2),
        r.x_Ecef(3), r.x_Ecef(4), r.x_Ecef(5), r.sigma_Ecef(0), r.sigma_Ecef(1), r.sigma_Ecef(2),
        r.sigma_Ecef(3), r.sigma_Ecef(4), r.sigma_Ecef(5), g.lat_rad * kRadToDeg,
        g.lon_rad * kRadToDeg, g.h_m / 1e3, r.class_name, r.class_probability, r.scored_truth_id);
    for (size_t k = 0; k < tracking.mode_names.size(); ++k)
      out << fmt::format(",{:.4f}",
                         k < r.mode_probabilities.size() ? r.mode_probabilities[k] : 0.0);
    out << "\n";
  }
}

ordered_json AssessmentJson(const sim::ScenarioSpec& spec, const sim::TrackingResult& tracking) {
  ordered_json j = ScenarioHeaderJson(spec);
  ordered_json assets = ordered_json::array();
  for (const sim::AssetSpec& a : spec.assets) {
    assets.push_back({{"id", a.id},
                      {"lat_deg", Round(a.lat_rad * kRadToDeg, 6)},
                      {"lon_deg", Round(a.lon_rad * kRadToDeg, 6)},
                      {"radius_km", Round(a.radius_m / 1e3, 3)}});
  }
  j["assets"] = assets;
  ordered_json list = ordered_json::array();
  for (const sim::TrackAssessment& a : tracking.assessments) {
    ordered_json e;
    e["t_s"] = Round(a.t_s, 3);
    e["track_id"] = a.track_id;
    e["class"] = assessment::ToString(a.classes.best);
    e["class_probability"] = Round(a.classes.best_probability, 4);
    e["class_probabilities"] = {{"ballistic", Round(a.classes.ballistic, 4)},
                                {"boost_glide", Round(a.classes.boost_glide, 4)},
                                {"cruise", Round(a.classes.cruise, 4)},
                                {"unknown", Round(a.classes.unknown, 4)}};
    if (a.impact) {
      const assessment::ImpactPrediction& p = *a.impact;
      if (p.ok) {
        e["impact"] = {{"t_s", Round(p.t_impact_s, 2)},
                       {"lat_deg", Round(p.lat_rad * kRadToDeg, 6)},
                       {"lon_deg", Round(p.lon_rad * kRadToDeg, 6)},
                       {"semi_major_m", Round(p.semi_major_m, 1)},
                       {"semi_minor_m", Round(p.semi_minor_m, 1)},
                       {"orientation_deg", Round(p.orientation_rad * kRadToDeg, 2)},
                       {"cep_m", Round(p.cep_m, 1)},
                       {"sigma_t_s", Round(p.sigma_t_impact_s, 2)}};
      } else {
        e["impact"] = nullptr;
      }
    }
    if (a.footprint) {
      ordered_json ring = ordered_json::array();
      for (const auto& [lat, lon] : a.footprint->polygon_lat_lon_rad)
        ring.push_back({Round(lat * kRadToDeg, 5), Round(lon * kRadToDeg, 5)});
      e["footprint"] = {{"max_range_km", Round(a.footprint->max_range_m / 1e3, 2)},
                        {"min_range_km", Round(a.footprint->min_range_m / 1e3, 2)},
                        {"polygon_lat_lon_deg", ring}};
    }
    ordered_json threat = ordered_json::object();
    for (const sim::AssetThreat& t : a.assets) threat[t.asset_id] = Round(t.probability, 4);
    e["asset_threat_probability"] = threat;
    list.push_back(std::move(e));
  }
  j["assessments"] = list;
  return j;
}

ordered_json TrackingSummaryJson(const sim::ScenarioSpec& spec,
                                 const sim::TrackingResult& tracking) {
  const tracking::RunMetrics& m = tracking.metrics;
  const auto consistency = [](const tracking::ConsistencyStats& c) {
    return ordered_json{{"samples", c.samples},
                        {"mean", Num(c.mean, 4)},
                        {"expected_mean", Num(c.expected_mean, 4)},
                        {"lower_95", Num(c.lower_bound, 4)},
                        {"upper_95", Num(c.upper_bound, 4)},
                        {"inside_bounds", c.inside_bounds}};
  };
  ordered_json j;
  const tracking::TrackerConfig& c = spec.tracker.config;
  j["filter"] = c.filter == tracking::FilterKind::kImm   ? "imm"
                : c.filter == tracking::FilterKind::kUkf ? "ukf"
                                                         : "ekf";
  j["fusion"] = spec.tracker.distributed ? "distributed" : "centralised";
  j["modes"] = tracking.mode_names;
  j["association"] = c.association == tracking::AssociationKind::kGnn ? "gnn" : "jpda";
  j["tracks_initiated"] = tracking.tracks_initiated;
  j["confirmed_tracks"] = m.confirmed_tracks;
  j["false_tracks"] = m.false_tracks;
  j["false_track_duration_s"] = Num(m.false_track_duration_s, 2);
  j["track_truth_switches"] = m.track_truth_switches;
  j["id_swaps_total"] = m.id_swaps_total;
  j["tasked_ir_looks"] = tracking.tasked_ir_looks;
  j["tasked_radar_looks"] = tracking.tasked_radar_looks;
  // NIS of every applied measurement, all tracks.
  tracking::ConsistencyAccumulator nis;
  for (const tracking::TrackUpdateLog& u : tracking.updates)
    for (size_t k = 0; k < u.nis.size(); ++k)
      if (std::isfinite(u.nis[k])) nis.Add(u.nis[k], u.nis_dof[k]);
  j["nis"] = consistency(nis.Result(0.95));
  double ospa = 0.0, gospa = 0.0;
  for (const auto& r : tracking.set_metrics) {
    ospa += r.ospa_m;
    gospa += r.gospa_m;
  }
  const double n = static_cast<double>(tracking.set_metrics.size());
  j["mean_ospa_m"] = n > 0 ? Num(ospa / n, 2) : ordered_json(nullptr);
  j["mean_gospa_m"] = n > 0 ? Num(gospa / n, 2) : ordered_json(nullptr);
  ordered_json truths = ordered_json::array();
  for (const tracking::TruthMetrics& t : m.truths) {
    ordered_json phases = ordered_json::object();
    for (const tracking::PhaseRmse& p : t.rmse_by_phase) {
      phases[p.phase] = {{"samples", p.samples},
                         {"rmse_position_m", Num(p.rmse_position_m, 2)},
                         {"rmse_velocity_mps", Num(p.rmse_velocity_mps, 3)}};
    }
    truths.push_back({{"threat_id", t.truth_id},
                      {"class", t.class_name},
                      {"custody_fraction", Num(t.custody_fraction, 4)},
                      {"custody_fraction_while_stereo_detected", Num(t.custody_masked_fraction, 4)},
                      {"stereo_detected_output_times", t.masked_output_times},
                      {"track_breaks", t.track_breaks},
                      {"id_swaps", t.id_swaps},
                      {"time_to_first_detection_s", Num(t.time_to_first_detection_s, 3)},
                      {"time_to_confirmed_track_s", Num(t.time_to_confirm_s, 3)},
                      {"time_to_correct_class_s", Num(t.time_to_correct_class_s, 3)},
                      {"fire_control_fraction", Num(t.fire_control_fraction, 4)},
                      {"rmse_position_m", Num(t.rmse_position_m, 2)},
                      {"rmse_velocity_mps", Num(t.rmse_velocity_mps, 3)},
                      {"rmse_by_phase", phases},
                      {"nees", consistency(t.nees)}});
  }
  j["threats"] = truths;
  return j;
}

void WriteTrackErrorsCsv(const sim::TrackingResult& tracking, std::ostream& out) {
  out << "t_s,threat_id,track_id,phase,position_error_m,velocity_error_mps,position_sigma_m,nees\n";
  for (const tracking::TruthMetrics& t : tracking.metrics.truths) {
    for (const tracking::ErrorSample& e : t.errors) {
      out << fmt::format("{:.3f},{},{},{},{:.2f},{:.3f},{:.2f},{:.3f}\n", e.t_s, t.truth_id,
                         e.track_id, e.phase, e.position_error_m, e.velocity_error_mps,
                         e.position_sigma_m, e.nees);
    }
  }
}

void WriteSetMetricsCsv(const sim::TrackingResult& tracking, std::ostream& out) {
  out << "t_s,ospa_m,gospa_m,gospa_localisation_m,gospa_missed,gospa_false\n";
  for (const auto& r : tracking.set_metrics) {
    out << fmt::format("{:.3f},{:.2f},{:.2f},{:.2f},{},{}\n", r.t_s, r.ospa_m, r.gospa_m,
                       r.gospa_localisation_m, r.gospa_missed, r.gospa_false);
  }
}

}  // namespace hyperdef::io
